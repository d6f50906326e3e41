"""Hostile site folders: every refusal is one ``error:`` line naming the file
and field, exit 2, no traceback, no warning printed before it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _validate(folder) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "zacviz", "validate-site", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def _refused(proc, *needles):
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert "internal error" not in lines[0] and len(lines[0]) < 300, lines[0]
    for needle in needles:
        assert needle in lines[0], lines[0]


ZONE_CASES = {
    "400-digit setback": ("min_setback_road_m", int("9" * 400), "min_setback_road_m"),
    "1e308 setback": ("min_setback_side_m", 1e308, "min_setback_side_m"),
    "huge spacing": ("min_building_spacing_m", 1e12, "out of range"),
    "tiny parking rate": ("parking_m2_per_stall", {"office": 1e-300}, "parking_m2_per_stall.office"),
    "huge parking rate": ("parking_m2_per_stall", {"office": int("9" * 400)}, "parking_m2_per_stall.office"),
}


@pytest.mark.parametrize("name", list(ZONE_CASES))
def test_absurd_rule_values_are_refused(name, tmp_path, make_site, kit):
    key, value, needle = ZONE_CASES[name]
    folder = make_site(tmp_path, zone={**kit.ZONE_UE, key: value})
    _refused(_validate(folder), "site.toml", needle)


def test_deep_nesting_and_huge_epsg(tmp_path, make_site, kit):
    folder = make_site(tmp_path)
    (folder / "lots.geojson").write_text(
        '{"type": "FeatureCollection", "features": ' + "[" * 2000 + "]" * 2000 + "}"
    )
    _refused(_validate(folder), "lots.geojson", "nested too deeply")
    folder = make_site(tmp_path / "b")
    toml = (folder / "site.toml").read_text()
    (folder / "site.toml").write_text(toml + "\n[x]\ny = " + "[" * 2000 + "]" * 2000 + "\n")
    _refused(_validate(folder), "site.toml")
    folder = make_site(tmp_path / "c", crs="EPSG:" + "9" * 5000)
    _refused(_validate(folder), "site.crs")


def test_nan_lot_coordinate_prints_no_warning(tmp_path, make_site, kit):
    folder = make_site(tmp_path)
    (folder / "lots.geojson").write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", '
        '"properties": {"id": "A1", "zone": "UE"}, '
        '"geometry": {"type": "Polygon", "coordinates": [[[0, 0], [NaN, 0], [1, 1], [0, 0]]]}}]}'
    )
    _refused(_validate(folder), "lots.geojson", "non-finite")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "fifo", "big"])
def test_layers_that_are_not_small_regular_files(device, tmp_path, make_site):
    folder = make_site(tmp_path)
    layer = folder / "lots.geojson"
    layer.unlink()
    if device == "fifo":
        os.mkfifo(layer)
    elif device == "big":
        with layer.open("wb") as fh:
            fh.truncate(65 * 1024 * 1024)
    else:
        layer.symlink_to(device)
    _refused(_validate(folder), "lots.geojson", "too large" if device == "big" else "not a regular file")


def test_geographic_crs_refused_by_check_too(tmp_path, make_site, kit, write_project):
    folder = make_site(tmp_path, crs="EPSG:4326")
    project = write_project(tmp_path / "p.zacviz.json", kit.compliant_project())
    proc = subprocess.run(
        [sys.executable, "-m", "zacviz", "check", str(project), "--site", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    _refused(proc, "site.crs", "geographic")


def test_imagery_symlink_loop(tmp_path, make_site):
    folder = make_site(tmp_path, site_extra={"imagery": "ortho.tif"})
    (folder / "ortho.tif").symlink_to(folder / "ortho.tif")
    proc = _validate(folder)
    # One line naming the imagery, as for any unreadable image.
    _refused(proc, "imagery")
