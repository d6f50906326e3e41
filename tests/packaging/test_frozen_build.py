"""The frozen build (PyInstaller, one folder) passes its smoke test.

About a minute and a half on two cores, plus the smoke test: marked ``slow`` and
deselected by default. Run it with ``python -m pytest -m slow tests/packaging``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux build script"),
    pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash"),
]


def test_frozen_build_passes_its_smoke_test():
    proc = subprocess.run(
        ["bash", str(ROOT / "packaging" / "build_linux.sh")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    report = proc.stdout + proc.stderr
    assert proc.returncode == 0, report[-4000:]
    assert "smoke test: all passed" in proc.stdout
    assert "FAIL" not in proc.stdout
    assert (ROOT / "dist" / "zacviz" / "zacviz").is_file()
