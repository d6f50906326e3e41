"""packaging/share_geos.sh: GDAL runs on shapely's copy of GEOS in the Linux bundle.

Run on copies of the installed wheels' vendored libraries (what PyInstaller puts
in the bundle's _internal/): GDAL must still load and compute with GEOS, and
only shapely's GEOS may be mapped.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packaging.conftest import run_packaging_script

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux bundle"),
    pytest.mark.skipif(shutil.which("readelf") is None, reason="needs readelf (binutils)"),
]

# GDAL's OGR geometry through ctypes: a buffer and an intersection need GEOS.
PROBE = r"""
import ctypes, glob, sys
libs = sys.argv[1]
g = ctypes.CDLL(glob.glob(libs + "/rasterio.libs/libgdal-*.so*")[0])
P = ctypes.POINTER
g.OGR_G_CreateFromWkt.argtypes = [P(ctypes.c_char_p), ctypes.c_void_p, P(ctypes.c_void_p)]
for name in ("OGR_G_Buffer", "OGR_G_Intersection"):
    getattr(g, name).restype = ctypes.c_void_p
g.OGR_G_Buffer.argtypes = [ctypes.c_void_p, ctypes.c_double, ctypes.c_int]
g.OGR_G_Intersection.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
g.OGR_G_Area.restype = ctypes.c_double
g.OGR_G_Area.argtypes = [ctypes.c_void_p]

def geom(wkt):
    text, handle = ctypes.c_char_p(wkt.encode()), ctypes.c_void_p()
    assert g.OGR_G_CreateFromWkt(ctypes.byref(text), None, ctypes.byref(handle)) == 0
    return handle

a = geom("POLYGON((0 0,10 0,10 10,0 10,0 0))")
b = geom("POLYGON((5 5,15 5,15 15,5 15,5 5))")
print(g.OGR_G_Area(g.OGR_G_Intersection(a, b)), g.OGR_G_Area(g.OGR_G_Buffer(a, 1.0, 30)))
for line in open("/proc/self/maps"):
    if "libgeos" in line:
        print(line.split()[-1])
"""


def _vendored(package: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent.parent / f"{package}.libs"


def test_gdal_computes_with_shapelys_geos(tmp_path: Path) -> None:
    internal = tmp_path / "_internal"
    for package in ("rasterio", "shapely"):
        src = _vendored(package)
        if not src.is_dir():
            pytest.skip(f"{package} has no vendored libraries (not a manylinux wheel)")
        shutil.copytree(src, internal / src.name, symlinks=True)
    ours = next((internal / "rasterio.libs").glob("libgeos_c-*.so.*"))
    theirs = next((internal / "shapely.libs").glob("libgeos_c-*.so.*"))

    stdout = run_packaging_script("share_geos.sh", internal)
    if ours.name.rsplit(".so.", 1)[1] != theirs.name.rsplit(".so.", 1)[1]:
        assert "not shared" in stdout and not ours.is_symlink()
        return
    assert ours.is_symlink() and ours.resolve() == theirs.resolve()
    assert not [p for p in (internal / "rasterio.libs").glob("libgeos-*") if not p.is_symlink()]

    probe = subprocess.run(
        [sys.executable, "-c", PROBE, str(internal)],
        capture_output=True,
        text=True,
        timeout=120,
        env={"LD_LIBRARY_PATH": str(internal / "rasterio.libs"), "PATH": "/usr/bin:/bin"},
    )
    assert probe.returncode == 0, probe.stderr
    lines = probe.stdout.split()
    assert float(lines[0]) == pytest.approx(25.0)  # the intersection of two 10 m squares overlapping by 5 m
    assert 143.0 < float(lines[1]) < 143.2  # 100 + 4×10 + π, with 30 segments a quarter
    mapped = {Path(p).name for p in lines[2:]}
    assert mapped == {theirs.name, next((internal / "shapely.libs").glob("libgeos-*")).name}

    assert "already" in run_packaging_script("share_geos.sh", internal)
