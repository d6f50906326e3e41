"""The illustrative demo site: its vectors hold together and match the image.

The committed files under ``plots/belle-assise`` and ``assets/belle-assise`` are
checked against :mod:`zacviz.demo` (so they never drift from the code that
draws the image) and against the geometric promises the rule engine relies on.
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
import pytest
import rasterio
import shapely
from shapely.geometry import shape

from zacviz.demo import layout as lay
from zacviz.demo.site import write_image
from zacviz.demo.vectors import site_files

REPO = Path(__file__).resolve().parents[2]
SITE = REPO / "plots" / "belle-assise"
ORTHO = REPO / "assets" / "belle-assise" / "ortho.tif"
INTERNAL_ROADS = ("rue-belle-assise", "impasse-artisans")


def _features(name: str) -> list[dict]:
    doc = json.loads((SITE / name).read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    assert doc["crs"] == {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}}
    return doc["features"]


def _shapes(name: str) -> list[tuple[dict, shapely.Geometry]]:
    return [(f["properties"], shape(f["geometry"])) for f in _features(name)]


@pytest.fixture(scope="module")
def lots():
    return _shapes("lots.geojson")


@pytest.fixture(scope="module")
def roads():
    return _shapes("roads.geojson")


# ------------------------------------------------------------------ vectors


def test_committed_files_are_what_the_layout_generates():
    generated = site_files()
    assert sorted(generated) == sorted(p.name for p in SITE.iterdir() if p.is_file())
    assert (SITE / "site.toml").read_text(encoding="utf-8") == generated["site.toml"]
    for name, text in generated.items():
        if not name.endswith(".geojson"):
            continue
        committed = json.loads((SITE / name).read_text(encoding="utf-8"))
        fresh = json.loads(text)
        assert len(committed["features"]) == len(fresh["features"]), name
        for a, b in zip(committed["features"], fresh["features"]):
            assert a["properties"] == b["properties"], name
            # Millimetre coordinates; allow one unit of rounding between GEOS versions.
            ca = shapely.get_coordinates(shape(a["geometry"]))
            cb = shapely.get_coordinates(shape(b["geometry"]))
            assert ca.shape == cb.shape and np.allclose(ca, cb, atol=2e-3), (name, a["properties"].get("id"))


def test_lot_count_ids_areas_and_properties(lots):
    assert 18 <= len(lots) <= 30
    ids = [p["id"] for p, _ in lots]
    assert len(set(ids)) == len(ids)
    statuses = {p["status"] for p, _ in lots}
    assert statuses == {"available", "reserved", "sold"}
    for props, poly in lots:
        assert poly.geom_type == "Polygon" and poly.is_valid, props["id"]
        assert 2_000 <= poly.area <= 40_000, (props["id"], poly.area)
        assert props["zone"] == "UE"
        assert 20 <= props["price_eur_m2"] <= 50
        # The site lies around Breteuil in Lambert-93.
        assert 648_000 < poly.centroid.x < 650_500 and 6_947_500 < poly.centroid.y < 6_949_500
    assert any("max_floor_area_m2" in p for p, _ in lots)
    assert any("max_height_m" in p for p, _ in lots)


def test_lots_overlap_neither_each_other_nor_roads(lots, roads):
    for (pa, a), (pb, b) in itertools.combinations(lots, 2):
        assert a.intersection(b).area < 0.01, (pa["id"], pb["id"])
    all_roads = shapely.union_all([g for _, g in roads])
    for props, poly in lots:
        assert poly.intersection(all_roads).area < 0.01, props["id"]
    for props, poly in _shapes("landscape.geojson"):
        assert poly.is_valid
        assert poly.intersection(all_roads).area < 0.01, props["id"]
        for lp, lot in lots:
            assert poly.intersection(lot).area < 0.01, (props["id"], lp["id"])


def test_every_lot_fronts_an_internal_road(lots, roads):
    internal = shapely.union_all([g for p, g in roads if p["id"] in INTERNAL_ROADS])
    near = internal.buffer(0.5)
    for props, poly in lots:
        frontage = poly.boundary.intersection(near).length
        assert frontage > 20.0, (props["id"], frontage)
    # Where a lot meets a road its corners lie on the road's edge, not a few dm off.
    every_road = shapely.union_all([g for _, g in roads])
    for props, poly in lots:
        d = shapely.distance(shapely.points(shapely.get_coordinates(poly)), every_road)
        assert not ((d > 0.01) & (d < 0.5)).any(), (props["id"], d[(d > 0.01) & (d < 0.5)])


def test_roads_rd_setback_roundabout_and_turning_head(roads):
    by_id = {p["id"]: (p, g) for p, g in roads}
    assert len(by_id) == len(roads)
    assert all(g.is_valid and g.geom_type == "Polygon" for _, g in roads)
    rd = [p for p, _ in roads if p.get("name") == "RD 916"]
    assert rd and all(p["setback_m"] == 35 for p in rd)
    disk = by_id["giratoire"][1]
    assert disk.area == pytest.approx(math.pi * lay.ROUNDABOUT_R**2, rel=0.02)
    loop = by_id["rue-belle-assise"][1]
    assert len(loop.interiors) == 1  # a loop road around a block of lots
    impasse = by_id["impasse-artisans"][1]
    assert impasse.distance(disk) > 100  # a cul-de-sac deep in the park
    assert impasse.touches(loop) or impasse.distance(loop) < 0.01


def test_context_buildings_stand_on_sold_lots_within_setbacks(lots, roads):
    sold = {p["id"]: g for p, g in lots if p["status"] == "sold"}
    buildings = _shapes("context.geojson")
    assert buildings
    ids = [p["id"] for p, _ in buildings]
    assert len(set(ids)) == len(ids)
    zone = lay.ZONE_UE
    for props, poly in buildings:
        assert poly.geom_type == "Polygon" and poly.is_valid
        lot = sold[props["lot"]]
        assert lot.buffer(1e-6).contains(poly), props["id"]
        h = props["height_m"]
        assert 0 < h <= zone["max_height_m"]
        for rp, road in roads:
            assert poly.distance(road) >= rp.get("setback_m", zone["min_setback_road_m"]) - 0.01, (
                props["id"],
                rp["id"],
            )
        side = lot.boundary.difference(shapely.union_all([g for _, g in roads]).buffer(0.5))
        assert (
            poly.distance(side)
            >= max(zone["min_setback_side_m"], zone["side_setback_height_ratio"] * h) - 0.01
        )
    for lot_id, lot in sold.items():
        built = shapely.union_all([g for p, g in buildings if p["lot"] == lot_id])
        assert 0.05 < built.area / lot.area <= zone["max_coverage"], lot_id


def test_the_site_loads_and_validates_with_the_application_readers():
    from zacviz.io.site_folder import validate_site

    report = validate_site(SITE)
    assert report.ok, report.problems
    site = report.site
    assert site.illustrative and "ILLUSTRATIVE" in site.settings["notice"]
    assert {lot.id for lot in site.lots} == {lot.id for lot in lay.build_layout().lots}
    assert site.lot("D2").rules.max_height_m == 18.0


# ------------------------------------------------------------------ imagery


def test_generator_is_deterministic(tmp_path):
    a = write_image(tmp_path / "a.tif", resolution=2.0)
    b = write_image(tmp_path / "b.tif", resolution=2.0)
    with rasterio.open(a) as da, rasterio.open(b) as db:
        pa, pb = da.read(), db.read()
        assert da.transform == db.transform and da.crs == db.crs
        assert da.profile["compress"].lower() == "jpeg" and da.profile["photometric"].lower() == "ycbcr"
    assert np.array_equal(pa, pb)
    # Not a blank image: fields, roads and roofs differ.
    assert pa.std() > 10


def test_committed_ortho_is_a_tiled_jpeg_geotiff_covering_the_site():
    with rasterio.open(ORTHO) as ds:
        assert ds.crs.to_epsg() == 2154
        assert ds.count == 3 and ds.dtypes[0] == "uint8"
        prof = ds.profile
        assert prof["tiled"] and prof["blockxsize"] in (256, 512) and prof["blockysize"] == prof["blockxsize"]
        assert prof["compress"].lower() == "jpeg" and prof["photometric"].lower() == "ycbcr"
        assert ds.overviews(1)[:4] == [2, 4, 8, 16]
        assert abs(ds.res[0]) <= 0.25 and abs(ds.res[1]) <= 0.25
        left, bottom, right, top = ds.bounds
        minx, miny, maxx, maxy = lay.build_layout().bounds()
        assert left <= minx - 100 and bottom <= miny - 100 and right >= maxx + 100 and top >= maxy + 100
        # The overview reads as a picture (not empty, not flat).
        small = ds.read(out_shape=(3, ds.height // 32, ds.width // 32))
        assert 60 < small.mean() < 200 and small.std() > 15
    size = sum(p.stat().st_size for p in itertools.chain(SITE.iterdir(), ORTHO.parent.iterdir()))
    assert size < 25e6
