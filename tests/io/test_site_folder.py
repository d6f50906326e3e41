"""zacviz.io.site_folder against SPEC §1: loading, overrides, reprojection, refusals, lookup, validation."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry import Polygon

from zacviz.errors import InputError
from zacviz.io.site_folder import find_site, list_sites, load_site, validate_site
from zacviz.model.site import RuleSet


def _one_line(message: str) -> None:
    assert message.strip()
    assert "\n" not in message and "\r" not in message
    assert "Traceback" not in message


# ------------------------------------------------------------------ loading


def test_load_default_site(tmp_path: Path, make_site, kit) -> None:
    site = load_site(make_site(tmp_path))
    assert site.id == kit.SITE_ID and site.name == "Site de test" and site.crs == "EPSG:2154"
    assert set(site.zones) == {"UE"}
    assert site.zones["UE"].as_dict() == kit.ZONE_UE
    assert [lot.id for lot in site.lots] == ["A1", "A2"]
    a1 = site.lot("A1")
    assert a1 is not None and a1.zone == "UE" and a1.status == "available"
    assert a1.area_m2 == pytest.approx(8000.0)
    assert a1.polygon.equals(shapely.box(*kit.LOT_A1))
    assert a1.rules == site.zones["UE"]
    assert site.lot("Z9") is None
    (r1,) = site.roads
    assert (r1.id, r1.name, r1.setback_m, r1.label) == ("r1", "Rue du Test", None, "Rue du Test")
    assert r1.polygon.equals(shapely.box(*kit.ROAD_SOUTH))
    assert site.context == () and site.imagery_path is None
    assert site.bounds == pytest.approx((kit.X0 - 50.0, kit.Y0 - 12.0, kit.X0 + 250.0, kit.Y0 + 80.0))


def test_every_rule_key_is_optional(tmp_path: Path, make_site) -> None:
    site = load_site(make_site(tmp_path, zone={}))
    assert site.zones["UE"] == RuleSet()
    assert site.lot("A1").rules.as_dict() == {}


def test_several_zones(tmp_path: Path, make_site, kit) -> None:
    folder = make_site(
        tmp_path,
        zones={"UE": {"max_height_m": 15.0}, "UX-b": {"max_height_m": 25.0, "max_coverage": 0.7}},
        lots=[kit.lot("A1", kit.LOT_A1, zone="UE"), kit.lot("A2", kit.LOT_A2, zone="UX-b")],
    )
    site = load_site(folder)
    assert site.lot("A1").rules.max_height_m == 15.0
    assert site.lot("A2").rules.as_dict() == {"max_height_m": 25.0, "max_coverage": 0.7}


def test_lot_overrides_a_zone_value(tmp_path: Path, make_site, kit) -> None:
    folder = make_site(
        tmp_path,
        lots=[
            kit.lot("A1", kit.LOT_A1, max_height_m=9.0, max_floor_area_m2=3000, min_green_ratio=0.3),
            kit.lot("A2", kit.LOT_A2),
        ],
    )
    site = load_site(folder)
    a1, a2 = site.lot("A1"), site.lot("A2")
    assert a1.rules.max_height_m == 9.0
    assert a1.rules.min_green_ratio == 0.3
    assert a1.rules.max_floor_area_m2 == 3000.0 and a1.max_floor_area_m2 == 3000.0
    assert a1.rules.min_setback_road_m == kit.ZONE_UE["min_setback_road_m"]
    # the zone and the other lot are untouched
    assert site.zones["UE"].max_height_m == 15.0 and site.zones["UE"].max_floor_area_m2 is None
    assert a2.rules == site.zones["UE"]


def test_lot_partial_parking_table_is_merged_with_the_zones(tmp_path: Path, make_site, kit) -> None:
    folder = make_site(
        tmp_path,
        lots=[
            kit.lot("A1", kit.LOT_A1, parking_m2_per_stall={"office": 25, "hotel": 60}),
            kit.lot("A2", kit.LOT_A2),
        ],
    )
    site = load_site(folder)
    assert dict(site.lot("A1").rules.parking_m2_per_stall) == {
        "office": 25.0,
        "workshop": 100.0,
        "warehouse": 250.0,
        "retail": 30.0,
        "hotel": 60.0,
    }
    assert dict(site.lot("A2").rules.parking_m2_per_stall) == kit.ZONE_UE["parking_m2_per_stall"]
    assert dict(site.zones["UE"].parking_m2_per_stall) == kit.ZONE_UE["parking_m2_per_stall"]


def test_lot_parking_table_without_zone_table(tmp_path: Path, make_site, kit) -> None:
    folder = make_site(
        tmp_path,
        zone={"max_height_m": 15.0},
        lots=[kit.lot("A1", kit.LOT_A1, parking_m2_per_stall={"office": 50})],
    )
    assert dict(load_site(folder).lot("A1").rules.parking_m2_per_stall) == {"office": 50.0}


def test_lot_properties(tmp_path: Path, make_site, kit) -> None:
    folder = make_site(
        tmp_path,
        lots=[
            kit.lot("A1", kit.LOT_A1, status="sold", name="Lot A1", price_eur_m2=45.5, x_note="kept"),
            kit.lot("A2", kit.LOT_A2, status="reserved", max_height_m=None),
        ],
    )
    site = load_site(folder)
    a1, a2 = site.lot("A1"), site.lot("A2")
    assert (a1.status, a1.name, a1.price_eur_m2) == ("sold", "Lot A1", 45.5)
    assert a1.price_estimate_eur == pytest.approx(45.5 * 8000.0)
    assert a1.properties["x_note"] == "kept"
    assert a2.status == "reserved" and a2.rules.max_height_m == 15.0  # null: the zone's value


def test_single_part_multipolygon_lot_is_its_polygon(tmp_path: Path, make_site, kit) -> None:
    geometry = {"type": "MultiPolygon", "coordinates": [[kit.ring(kit.box(*kit.LOT_A1))]]}
    site = load_site(make_site(tmp_path, lots=[kit.feature(geometry, {"id": "A1", "zone": "UE"})]))
    polygon = site.lot("A1").polygon
    assert polygon.geom_type == "Polygon" and polygon.equals(shapely.box(*kit.LOT_A1))


def test_numeric_lot_id_is_a_string(tmp_path: Path, make_site, kit) -> None:
    site = load_site(make_site(tmp_path, lots=[kit.lot(12, kit.LOT_A1)]))
    assert site.lot("12") is not None


def test_road_properties(tmp_path: Path, make_site, kit) -> None:
    north = (kit.X0 - 50.0, kit.Y0 + 80.0, kit.X0 + 250.0, kit.Y0 + 100.0)
    folder = make_site(
        tmp_path,
        roads=[
            kit.road("rd12", kit.ROAD_SOUTH, name="RD 12", setback_m=35),
            kit.road(None, north),  # no id anywhere: numbered
            kit.feature(
                {
                    "type": "Polygon",
                    "coordinates": [kit.ring(kit.box(kit.X0 - 30, kit.Y0, kit.X0, kit.Y0 + 80))],
                },
                {"id": "west"},
            ),
        ],
    )
    roads = load_site(folder).roads
    assert [(r.id, r.name, r.setback_m) for r in roads] == [
        ("rd12", "RD 12", 35.0),
        ("road2", None, None),
        ("west", None, None),
    ]
    assert roads[0].label == "RD 12" and roads[1].label == "road2"


def test_multipolygon_road_and_context(tmp_path: Path, make_site, kit) -> None:
    a = kit.ring(kit.box(kit.X0 + 300, kit.Y0, kit.X0 + 320, kit.Y0 + 20))
    b = kit.ring(kit.box(kit.X0 + 330, kit.Y0, kit.X0 + 350, kit.Y0 + 20))
    folder = make_site(
        tmp_path,
        roads=[kit.road("r1"), kit.feature({"type": "MultiPolygon", "coordinates": [[a], [b]]}, {}, id="r2")],
        context=[
            kit.feature(
                {"type": "MultiPolygon", "coordinates": [[a], [b]]},
                {"height_m": 7.5, "name": "Existing"},
                id="c1",
            ),
            kit.feature({"type": "Polygon", "coordinates": [a]}, {}),
        ],
    )
    site = load_site(folder)
    assert [r.id for r in site.roads] == ["r1", "r2"]
    assert [(c.id, c.height_m, c.name) for c in site.context] == [
        ("c1-1", 7.5, "Existing"),
        ("c1-2", 7.5, "Existing"),
        ("ctx2", None, None),
    ]


def test_site_settings_and_imagery_path(tmp_path: Path, make_site) -> None:
    folder = make_site(
        tmp_path, site_extra={"imagery": "../assets/ortho.tif", "illustrative": True, "x_future": 3}
    )
    site = load_site(folder)
    assert site.imagery_path == (folder / "../assets/ortho.tif").resolve()
    assert site.illustrative is True
    assert site.settings["x_future"] == 3


def test_name_defaults_to_id(tmp_path: Path, make_site) -> None:
    assert load_site(make_site(tmp_path, name=None)).name == "test-site"


def test_load_accepts_a_string_path(tmp_path: Path, make_site) -> None:
    assert load_site(str(make_site(tmp_path))).id == "test-site"


# ------------------------------------------------------------ reprojection

L93_TO_WGS84 = ("EPSG:2154", "EPSG:4326")


def _lonlat(points: list[list[float]]) -> list[list[float]]:
    from pyproj import Transformer

    tr = Transformer.from_crs(*L93_TO_WGS84, always_xy=True)
    return [list(tr.transform(x, y)) for x, y in points]


def _expected_l93(lonlat: list[list[float]], src: str = "EPSG:4326") -> list[tuple[float, float]]:
    from pyproj import Transformer

    tr = Transformer.from_crs(src, "EPSG:2154", always_xy=True)
    return [tr.transform(x, y) for x, y in lonlat]


@pytest.mark.parametrize(
    "declared",
    ["EPSG:4326", "urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326", None],
    ids=["epsg-4326", "crs84", "urn-4326", "no-crs-member"],
)
def test_geographic_geojson_is_reprojected_to_the_site_crs(tmp_path: Path, make_site, kit, declared) -> None:
    folder = make_site(tmp_path)
    corners = kit.ring(kit.box(*kit.LOT_A1))
    lonlat = _lonlat(corners)
    assert all(-5.0 < x < 10.0 and 40.0 < y < 52.0 for x, y in lonlat)  # France, lon/lat order
    lots = [kit.lot("A1", polygon=lonlat), kit.lot("A2", kit.LOT_A2)]
    # A2 stays in metres in its own file: only A1 here, in its own layer
    kit.write_json(folder / "lots.geojson", kit.feature_collection(lots[:1], crs=declared))
    site = load_site(folder)
    got = list(site.lot("A1").polygon.exterior.coords)
    want = _expected_l93(lonlat)
    assert len(got) == len(want)
    for (gx, gy), (wx, wy) in zip(got, want):
        assert gx == pytest.approx(wx, abs=1e-6) and gy == pytest.approx(wy, abs=1e-6)
    # and that is (to the millimetre) the lot we started from
    assert site.lot("A1").polygon.symmetric_difference(shapely.box(*kit.LOT_A1)).area < 1e-3


def test_other_projected_crs_is_reprojected(tmp_path: Path, make_site, kit) -> None:
    from pyproj import Transformer

    folder = make_site(tmp_path)
    to_utm = Transformer.from_crs("EPSG:2154", "EPSG:32631", always_xy=True)
    road = [list(to_utm.transform(x, y)) for x, y in kit.ring(kit.box(*kit.ROAD_SOUTH))]
    kit.write_json(
        folder / "roads.geojson", kit.feature_collection([kit.road("r1", polygon=road)], crs="EPSG:32631")
    )
    got = load_site(folder).roads[0].polygon
    want = _expected_l93(road, "EPSG:32631")
    for (gx, gy), (wx, wy) in zip(got.exterior.coords, want):
        assert gx == pytest.approx(wx, abs=1e-6) and gy == pytest.approx(wy, abs=1e-6)
    assert got.symmetric_difference(shapely.box(*kit.ROAD_SOUTH)).area < 1e-3


def test_same_crs_in_another_spelling_is_not_reprojected(tmp_path: Path, make_site, kit) -> None:
    folder = make_site(tmp_path)
    for spelling in ("EPSG:2154", "urn:ogc:def:crs:EPSG::2154", "http://www.opengis.net/def/crs/EPSG/0/2154"):
        kit.write_json(
            folder / "lots.geojson", kit.feature_collection([kit.lot("A1", kit.LOT_A1)], crs=spelling)
        )
        assert load_site(folder).lot("A1").polygon.equals_exact(Polygon(kit.ring(kit.box(*kit.LOT_A1))), 0.0)


def test_metric_geojson_without_crs_member_is_taken_as_site_crs(tmp_path: Path, make_site, kit) -> None:
    folder = make_site(tmp_path)
    kit.write_json(folder / "lots.geojson", kit.feature_collection([kit.lot("A1", kit.LOT_A1)], crs=None))
    assert load_site(folder).lot("A1").polygon.equals(shapely.box(*kit.LOT_A1))


# ------------------------------------------------------------- bad inputs


def _rewrite(name: str, content: Any) -> Callable[[Path, Any], None]:
    def edit(folder: Path, kit) -> None:
        kit.write_json(folder / name, content)

    return edit


def _delete(name: str) -> Callable[[Path, Any], None]:
    def edit(folder: Path, kit) -> None:
        (folder / name).unlink()

    return edit


def _toml(text: str) -> Callable[[Path, Any], None]:
    def edit(folder: Path, kit) -> None:
        (folder / "site.toml").write_text(text, encoding="utf-8")

    return edit


def _lots(*features: dict) -> Callable[[Path, Any], None]:
    def edit(folder: Path, kit) -> None:
        kit.write_json(folder / "lots.geojson", kit.feature_collection(features))

    return edit


def _roads(*features: dict) -> Callable[[Path, Any], None]:
    def edit(folder: Path, kit) -> None:
        kit.write_json(folder / "roads.geojson", kit.feature_collection(features))

    return edit


# Geometry builders need kit constants, which live in conftest; the same values here.
_X0, _Y0 = 649_000.0, 6_948_000.0
_A1 = [[_X0, _Y0], [_X0 + 100, _Y0], [_X0 + 100, _Y0 + 80], [_X0, _Y0 + 80], [_X0, _Y0]]
_BOWTIE = [[_X0, _Y0], [_X0 + 100, _Y0 + 80], [_X0 + 100, _Y0], [_X0, _Y0 + 80], [_X0, _Y0]]


def _f(geometry: Any, **props: Any) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def _poly(ring: list) -> dict:
    return {"type": "Polygon", "coordinates": [ring]}


A1_OK = {"id": "A1", "zone": "UE"}

# (case id, make_site keyword arguments, edit of the written folder, substrings the message must hold)
BAD_SITES: list[tuple[str, dict, Callable | None, tuple[str, ...]]] = [
    ("missing site.toml", {}, _delete("site.toml"), ("site.toml",)),
    ("bad TOML", {}, _toml("[site\nid = 'x'\n"), ("site.toml", "TOML")),
    (
        "TOML not utf-8",
        {},
        lambda f, k: (f / "site.toml").write_bytes(b'[site]\nid = "\xff"\n'),
        ("site.toml",),
    ),
    ("no [site] table", {}, _toml("[zones.UE]\nmax_height_m = 3\n"), ("site.toml", "[site]")),
    ("[site] not a table", {}, _toml('site = "x"\n[zones.UE]\nmax_height_m = 3\n'), ("site.toml", "[site]")),
    ("missing site id", {"site_id": None, "folder_name": "s"}, None, ("site.toml", "site.id")),
    (
        "empty site id",
        {},
        _toml('[site]\nid = " "\ncrs = "EPSG:2154"\n[zones.UE]\n'),
        ("site.toml", "site.id"),
    ),
    ("missing site crs", {"crs": None}, None, ("site.toml", "site.crs")),
    ("layer path not a string", {"site_extra": {"lots": 3}}, None, ("site.toml", "site.lots")),
    ("no zones", {"zones": {}}, None, ("site.toml", "zones")),
    (
        "zone not a table",
        {},
        _toml('[site]\nid = "s"\ncrs = "EPSG:2154"\n[zones]\nUE = 3\n'),
        ("site.toml", "zones.UE"),
    ),
    (
        "unknown rule key (typo)",
        {"zone": {"max_heigth_m": 15.0}},
        None,
        ("site.toml", "zones.UE.max_heigth_m"),
    ),
    ("coverage ratio > 1", {"zone": {"max_coverage": 60}}, None, ("site.toml", "zones.UE.max_coverage")),
    ("green ratio > 1", {"zone": {"min_green_ratio": 1.5}}, None, ("site.toml", "zones.UE.min_green_ratio")),
    (
        "negative road setback",
        {"zone": {"min_setback_road_m": -10.0}},
        None,
        ("site.toml", "zones.UE.min_setback_road_m"),
    ),
    (
        "negative side setback",
        {"zone": {"min_setback_side_m": -1}},
        None,
        ("site.toml", "zones.UE.min_setback_side_m"),
    ),
    ("string rule value", {"zone": {"max_height_m": "15 m"}}, None, ("site.toml", "zones.UE.max_height_m")),
    ("bool rule value", {"zone": {"max_height_m": True}}, None, ("site.toml", "zones.UE.max_height_m")),
    (
        "nan rule value",
        {"zone": {"max_height_m": float("nan")}},
        None,
        ("site.toml", "zones.UE.max_height_m"),
    ),
    (
        "inf rule value",
        {"zone": {"max_height_m": float("inf")}},
        None,
        ("site.toml", "zones.UE.max_height_m"),
    ),
    (
        "parking table not a table",
        {"zone": {"parking_m2_per_stall": 40}},
        None,
        ("site.toml", "zones.UE.parking_m2_per_stall"),
    ),
    (
        "parking m2 per stall 0",
        {"zone": {"parking_m2_per_stall": {"office": 0}}},
        None,
        ("site.toml", "zones.UE.parking_m2_per_stall.office"),
    ),
    # lots.geojson
    ("missing lots.geojson", {}, _delete("lots.geojson"), ("lots.geojson",)),
    (
        "unreadable lots JSON",
        {},
        _rewrite("lots.geojson", '{"type": "FeatureCollection", "features": ['),
        ("lots.geojson", "JSON"),
    ),
    ("lots JSON not utf-8", {}, _rewrite("lots.geojson", b"\xff\xfe\x00{"), ("lots.geojson",)),
    (
        "lots not a FeatureCollection",
        {},
        _rewrite("lots.geojson", _f(_poly(_A1), **A1_OK)),
        ("lots.geojson", "FeatureCollection"),
    ),
    (
        "lots a JSON list",
        {},
        _rewrite("lots.geojson", [_f(_poly(_A1), **A1_OK)]),
        ("lots.geojson", "FeatureCollection"),
    ),
    (
        "features not a list",
        {},
        _rewrite("lots.geojson", {"type": "FeatureCollection", "features": {"a": 1}}),
        ("lots.geojson", "features"),
    ),
    (
        "feature not a Feature",
        {},
        _lots({"type": "Polygon", "coordinates": [_A1]}),
        ("lots.geojson", "features[0]"),
    ),
    ("no lots", {}, _lots(), ("lots.geojson", "no lots")),
    ("lot without id", {}, _lots(_f(_poly(_A1), zone="UE")), ("lots.geojson", "features[0].properties.id")),
    (
        "lot with empty id",
        {},
        _lots(_f(_poly(_A1), id="  ", zone="UE")),
        ("lots.geojson", "features[0].properties.id"),
    ),
    (
        "duplicate lot ids",
        {},
        _lots(_f(_poly(_A1), **A1_OK), _f(_poly(_A1), **A1_OK)),
        ("lots.geojson", "features[1].properties.id"),
    ),
    (
        "lot with unknown zone",
        {},
        _lots(_f(_poly(_A1), id="A1", zone="UX")),
        ("lots.geojson", "features[0].properties.zone"),
    ),
    ("lot without zone", {}, _lots(_f(_poly(_A1), id="A1")), ("lots.geojson", "features[0].properties.zone")),
    (
        "bad lot status",
        {},
        _lots(_f(_poly(_A1), id="A1", zone="UE", status="for sale")),
        ("lots.geojson", "features[0].properties.status"),
    ),
    (
        "bad lot override",
        {},
        _lots(_f(_poly(_A1), id="A1", zone="UE", max_coverage=2)),
        ("lots.geojson", "features[0].properties.max_coverage"),
    ),
    (
        "bad lot parking override",
        {},
        _lots(_f(_poly(_A1), id="A1", zone="UE", parking_m2_per_stall={"office": -5})),
        ("lots.geojson", "features[0].properties.parking_m2_per_stall.office"),
    ),
    (
        "bad lot price",
        {},
        _lots(_f(_poly(_A1), id="A1", zone="UE", price_eur_m2="cheap")),
        ("lots.geojson", "features[0].properties.price_eur_m2"),
    ),
    (
        "properties not an object",
        {},
        _lots({"type": "Feature", "properties": [1], "geometry": _poly(_A1)}),
        ("lots.geojson", "features[0].properties"),
    ),
    (
        "point lot",
        {},
        _lots(_f({"type": "Point", "coordinates": [_X0, _Y0]}, **A1_OK)),
        ("lots.geojson", "features[0].geometry"),
    ),
    (
        "multipolygon lot of two parts",
        {},
        _lots(
            _f({"type": "MultiPolygon", "coordinates": [[_A1], [[[x + 200, y] for x, y in _A1]]]}, **A1_OK)
        ),
        ("lots.geojson", "features[0].geometry"),
    ),
    (
        "linestring lot",
        {},
        _lots(_f({"type": "LineString", "coordinates": _A1}, **A1_OK)),
        ("lots.geojson", "features[0].geometry"),
    ),
    ("null lot geometry", {}, _lots(_f(None, **A1_OK)), ("lots.geojson", "features[0].geometry")),
    (
        "self-intersecting lot",
        {},
        _lots(_f(_poly(_BOWTIE), **A1_OK)),
        ("lots.geojson", "features[0].geometry", "invalid"),
    ),
    (
        "lot ring of 2 points",
        {},
        _lots(_f(_poly(_A1[:2]), **A1_OK)),
        ("lots.geojson", "features[0].geometry"),
    ),
    (
        "lot with string coordinates",
        {},
        _lots(_f({"type": "Polygon", "coordinates": "A1"}, **A1_OK)),
        ("lots.geojson", "features[0].geometry"),
    ),
    (
        "lot with NaN coordinate",
        {},
        _rewrite(
            "lots.geojson",
            json.dumps(
                {"type": "FeatureCollection", "features": [_f(_poly([[None, 0.0], *_A1[1:]]), **A1_OK)]}
            ).replace("null", "NaN"),
        ),
        ("lots.geojson", "features[0].geometry"),
    ),
    (
        "bad crs member",
        {},
        _rewrite(
            "lots.geojson",
            {"type": "FeatureCollection", "crs": "2154", "features": [_f(_poly(_A1), **A1_OK)]},
        ),
        ("lots.geojson", "crs"),
    ),
    (
        "unknown declared crs",
        {},
        _rewrite(
            "lots.geojson",
            {
                "type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::999999"}},
                "features": [_f(_poly(_A1), **A1_OK)],
            },
        ),
        ("lots.geojson", "999999"),
    ),
    (
        "metric coordinates declared as lon/lat",
        {},
        _rewrite(
            "lots.geojson",
            {
                "type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": "EPSG:4326"}},
                "features": [_f(_poly(_A1), **A1_OK)],
            },
        ),
        ("lots.geojson", "features[0].geometry"),
    ),
    # roads.geojson
    ("missing roads.geojson", {}, _delete("roads.geojson"), ("roads.geojson",)),
    ("unreadable roads JSON", {}, _rewrite("roads.geojson", "nope"), ("roads.geojson", "JSON")),
    (
        "negative road setback_m",
        {},
        _roads(_f(_poly(_A1), setback_m=-35)),
        ("roads.geojson", "features[0].properties.setback_m"),
    ),
    (
        "duplicate road ids",
        {},
        _roads({**_f(_poly(_A1)), "id": "r"}, {**_f(_poly(_A1)), "id": "r"}),
        ("roads.geojson", "features[1]", "id"),
    ),
    (
        "point road",
        {},
        _roads(_f({"type": "Point", "coordinates": [_X0, _Y0]})),
        ("roads.geojson", "features[0].geometry"),
    ),
    # context
    (
        "bad context height",
        {"context": [_f(_poly(_A1), height_m=0)]},
        None,
        ("context.geojson", "features[0].properties.height_m"),
    ),
    ("missing context file", {"site_extra": {"context": "nope.geojson"}}, None, ("nope.geojson",)),
]


@pytest.mark.parametrize(
    ("kwargs", "edit", "needles"), [pytest.param(k, e, n, id=i) for i, k, e, n in BAD_SITES]
)
def test_bad_site_is_refused_naming_file_and_field(
    tmp_path: Path, make_site, kit, kwargs, edit, needles
) -> None:
    folder = make_site(tmp_path, **kwargs)
    if edit is not None:
        edit(folder, kit)
    with pytest.raises(InputError) as info:
        load_site(folder)
    message = info.value.message
    _one_line(message)
    for needle in needles:
        assert needle in message, message
    # validate-site refuses the same folder the same way
    with pytest.raises(InputError) as again:
        validate_site(folder)
    assert again.value.message == message


def test_missing_folder_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_site(tmp_path / "nowhere")
    _one_line(info.value.message)
    assert "nowhere" in info.value.message


def test_a_file_is_not_a_site_folder(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_text("[site]\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_site(path)
    assert "site.toml" in info.value.message


@pytest.mark.parametrize("zone", [["UE"], {"name": "UE"}])
def test_unhashable_lot_zone_is_refused(tmp_path: Path, make_site, kit, zone) -> None:
    folder = make_site(tmp_path, lots=[kit.lot("A1", kit.LOT_A1, zone=zone)])
    with pytest.raises(InputError) as info:
        load_site(folder)
    assert "features[0].properties.zone" in info.value.message


# ------------------------------------------------------------------ lookup


@pytest.fixture
def sites_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty sites root named by ZACVIZ_SITES, the working folder elsewhere."""
    root = tmp_path / "sites"
    root.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("ZACVIZ_SITES", str(root))
    return root


def test_find_site_in_zacviz_sites(sites_root: Path, make_site) -> None:
    folder = make_site(sites_root, site_id="alpha")
    assert find_site("alpha") == folder
    assert load_site(find_site("alpha")).id == "alpha"


def test_find_site_by_id_in_a_folder_of_another_name(sites_root: Path, make_site) -> None:
    make_site(sites_root, site_id="alpha")
    folder = make_site(sites_root, site_id="beta", folder_name="zac-beta-2024")
    assert find_site("beta") == folder


def test_find_site_searches_every_root_in_order(
    tmp_path: Path, make_site, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    first, second = tmp_path / "one", tmp_path / "two"
    make_site(second, site_id="gamma")
    in_first = make_site(first, site_id="delta")
    in_second = make_site(second, site_id="delta")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ZACVIZ_SITES", os.pathsep.join([str(first), str(second)]))
    assert find_site("gamma") == second / "gamma"
    assert find_site("delta") == in_first != in_second
    assert {first / "delta", second / "gamma"} <= set(list_sites())


def test_find_site_in_working_folder_plots(
    tmp_path: Path, make_site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ZACVIZ_SITES", raising=False)
    folder = make_site(tmp_path / "plots", site_id="local-site")
    monkeypatch.chdir(tmp_path)
    assert find_site("local-site") == folder


def test_find_unknown_site_is_an_input_error(sites_root: Path, make_site) -> None:
    make_site(sites_root, site_id="alpha")
    with pytest.raises(InputError) as info:
        find_site("no-such-site")
    _one_line(info.value.message)
    assert info.value.message.startswith("site:") and "no-such-site" in info.value.message


def test_find_site_skips_broken_toml(sites_root: Path, make_site) -> None:
    (sites_root / "aaa-broken").mkdir()
    (sites_root / "aaa-broken" / "site.toml").write_text("[site\n", encoding="utf-8")
    (sites_root / "aab-odd").mkdir()
    (sites_root / "aab-odd" / "site.toml").write_text('site = "not a table"\n', encoding="utf-8")
    folder = make_site(sites_root, site_id="omega", folder_name="zzz")
    assert find_site("omega") == folder
    with pytest.raises(InputError):
        find_site("nothing")


def test_find_site_skips_toml_that_is_not_utf8(sites_root: Path, make_site) -> None:
    (sites_root / "aaa-latin1").mkdir()
    (sites_root / "aaa-latin1" / "site.toml").write_bytes(
        '[site]\nid = "Zone d\'activité"\n'.encode("latin-1")
    )
    folder = make_site(sites_root, site_id="omega", folder_name="zzz")
    assert find_site("omega") == folder


# -------------------------------------------------------------- validation


def test_validate_good_site(tmp_path: Path, make_site) -> None:
    report = validate_site(make_site(tmp_path))
    assert report.ok and report.problems == []
    assert report.site is not None and report.site.id == "test-site"
    assert any("imagery" in n for n in report.notes)  # no imagery: a note, not a problem
    assert not any("frontage" in n for n in report.notes)


def test_validate_reports_overlapping_lots(tmp_path: Path, make_site, kit) -> None:
    x0, y0, x1, y1 = kit.LOT_A2
    folder = make_site(tmp_path, lots=[kit.lot("A1", kit.LOT_A1), kit.lot("A2", (x0 - 10.0, y0, x1, y1))])
    report = validate_site(folder)
    assert not report.ok
    (problem,) = [p for p in report.problems if "overlap" in p and "A1" in p]
    assert "A2" in problem and "800" in problem  # 10 m × 80 m


def test_touching_lots_do_not_overlap(tmp_path: Path, make_site) -> None:
    assert validate_site(make_site(tmp_path)).problems == []


def test_validate_reports_a_lot_over_a_road(tmp_path: Path, make_site, kit) -> None:
    x0, y0, x1, y1 = kit.LOT_A2
    folder = make_site(tmp_path, lots=[kit.lot("A1", kit.LOT_A1), kit.lot("A2", (x0, y0 - 5.0, x1, y1))])
    report = validate_site(folder)
    assert not report.ok
    (problem,) = [p for p in report.problems if "road" in p]
    assert "A2" in problem and "500" in problem  # 100 m × 5 m


def test_validate_notes_a_lot_without_frontage(tmp_path: Path, make_site, kit) -> None:
    inland = (kit.X0, kit.Y0 + 200.0, kit.X0 + 100.0, kit.Y0 + 280.0)
    folder = make_site(tmp_path, lots=[kit.lot("A1", kit.LOT_A1), kit.lot("B7", inland)])
    report = validate_site(folder)
    assert report.ok and report.problems == []
    assert [n for n in report.notes if "frontage" in n] == ["lot B7 has no road frontage"]


def _geographic_site(tmp_path: Path, make_site, kit, crs: str) -> Path:
    folder = make_site(tmp_path, crs=crs)
    lonlat = _lonlat(kit.ring(kit.box(*kit.LOT_A1)))
    road = _lonlat(kit.ring(kit.box(*kit.ROAD_SOUTH)))
    kit.write_json(folder / "lots.geojson", kit.feature_collection([kit.lot("A1", polygon=lonlat)], crs=crs))
    kit.write_json(folder / "roads.geojson", kit.feature_collection([kit.road("r1", polygon=road)], crs=crs))
    return folder


# A geographic site CRS is refused wherever the site is loaded (check, editor,
# validate-site alike): its lots would measure 0 m².
@pytest.mark.parametrize("crs", ["EPSG:4258", "EPSG:4326", "OGC:CRS84"])
def test_a_geographic_site_crs_is_refused_everywhere(tmp_path: Path, make_site, kit, crs: str) -> None:
    folder = _geographic_site(tmp_path, make_site, kit, crs)
    for load in (validate_site, load_site):
        with pytest.raises(InputError, match=r"site\.crs: .* is a geographic CRS; a projected CRS"):
            load(folder)


def test_validate_reports_missing_imagery(tmp_path: Path, make_site) -> None:
    report = validate_site(make_site(tmp_path, site_extra={"imagery": "ortho.tif"}))
    assert not report.ok
    assert any("ortho.tif" in p for p in report.problems)
