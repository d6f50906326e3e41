"""What ``zacviz check`` loads: the command line, the project and site readers
and the rule engine import nothing a check does not run (issue 15: the check
process within 1.5 × a bare ``import shapely``)."""

from __future__ import annotations

import json
import subprocess
import sys

# Loaded only by what a check never does: saving (secrets → hashlib), counting
# stalls from floor areas (decimal, loaded when the first building is counted),
# measuring the terminal for a help text (shutil), the windows, the imagery,
# the PDF sheet and reprojection.
NOT_AT_START = (
    "secrets",
    "hashlib",
    "decimal",
    "shutil",
    "PySide6",
    "rasterio",
    "reportlab",
    "pyproj",
    "trimesh",
)


def test_the_check_path_imports_nothing_it_does_not_run():
    code = (
        "import json, sys\n"
        "import zacviz.cli, zacviz.io.project_file, zacviz.io.site_folder, zacviz.rules.engine\n"
        "zacviz.cli.build_parser('check').parse_args(['check', 'p.zacviz.json', '--format', 'json'])\n"
        f"print(json.dumps(sorted(m for m in {list(NOT_AT_START)!r} if m in sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(out.stdout) == []
