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
    assert "lots import --from cadastre: WGS 84 parcel reprojected" in proc.stdout  # PROJ works


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20


def test_frozen_bundle_stays_lean():
    """What the build leaves out stays out (run after the build above: same session)."""
    bundle = ROOT / "dist" / "zacviz"
    if not (bundle / "zacviz").is_file():
        pytest.skip("no bundle built")
    internal = bundle / "_internal"
    assert sorted(p.name for p in (internal / "PySide6" / "Qt" / "translations").iterdir()) == [
        "qtbase_en.qm",
        "qtbase_fr.qm",
    ]
    assert not list(internal.glob("pillow.libs/libavif*"))
    # One PROJ (rasterio's), one GEOS (shapely's), no network or TLS, no test tools.
    assert not (internal / "pyproj").exists() and not (internal / "pyproj.libs").exists()
    assert (internal / "rasterio" / "proj_data" / "proj.db").is_file()
    geos = [p for p in internal.glob("rasterio.libs/libgeos*") if not p.is_symlink()]
    assert not geos, geos
    for gone in ("PySide6/Qt/lib/libQt6Network.so.6", "libssl.so.3", "chardet", "setuptools", "_pytest"):
        assert not (internal / gone).exists(), gone
    icu = internal / "PySide6" / "Qt" / "lib"
    if shutil.which("icupkg") and shutil.which("cc"):
        assert all(p.stat().st_size < 8 * 2**20 for p in icu.glob("libicudata.so.*"))
    # 484 MB before the cuts, 284 with the first ones; the target is 250 MB.
    assert _size_mb(bundle) <= 250
