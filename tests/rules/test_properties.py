"""Properties of the rule engine on random valid projects (hypothesis).

Projects are drawn as documents (rect and polygon footprints, both polygon
orientations, with and without closing vertex; random uses, heights, storeys,
angles; some items outside the lot) and read through ``project_from_dict``, so
every one is a valid file.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import LinearRing, Polygon

from zacviz.io.project_file import dumps, loads, project_from_dict, project_to_dict
from zacviz.io.site_folder import load_site
from zacviz.model.project import Project
from zacviz.model.site import Site
from zacviz.rules import table as rule_table
from zacviz.rules.engine import check_project
from zacviz.rules.table import MAXIMA, RULE_IDS

X0, Y0 = 649_000.0, 6_948_000.0
USES = ("office", "workshop", "warehouse", "retail")
ROOFS = ("flat", "shed", "gable", "sawtooth")
KINDS = ("parking", "yard", "storage")
TOLERANCE = {"m": 0.01, "m2": 0.01, "ratio": 1e-6, "stalls": 0.0}
# margin = limit - value; others value - limit
SETTINGS = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
    database=None,
)

# ------------------------------------------------------------------- sites


def _box(x0: float, y0: float, x1: float, y1: float) -> list[list[float]]:
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]


# Lot A1 is a pentagon, A2 a rectangle east of it; roads south and west.
A1 = [[X0, Y0], [X0 + 300, Y0], [X0 + 300, Y0 + 150], [X0 + 200, Y0 + 220], [X0, Y0 + 200]]
A2 = _box(X0 + 300, Y0, X0 + 500, Y0 + 200)
BOUNDS = {"A1": (X0, Y0, X0 + 300, Y0 + 220), "A2": (X0 + 300, Y0, X0 + 500, Y0 + 200)}
SOUTH = (X0 - 50, Y0 - 12, X0 + 550, Y0)
WEST = (X0 - 15, Y0 - 50, X0, Y0 + 260)
ZONE_FULL = {
    "max_coverage": 0.6,
    "max_height_m": 15.0,
    "min_setback_road_m": 10.0,
    "min_setback_side_m": 5.0,
    "side_setback_height_ratio": 0.5,
    "min_building_spacing_m": 6.0,
    "min_green_ratio": 0.15,
    "parking_m2_per_stall": {"office": 40, "workshop": 100, "warehouse": 250},  # no retail: 0 required
}


def _site_specs(kit) -> dict[str, dict[str, Any]]:
    south = kit.road("south", SOUTH, name="Rue du Sud")
    return {
        # every rule, a road with its own setback, a lot-level floor-area cap
        "full": {
            "zone": ZONE_FULL,
            "lots": [kit.lot("A1", polygon=A1, max_floor_area_m2=20_000), kit.lot("A2", polygon=A2)],
            "roads": [south, kit.road("west", WEST, setback_m=35)],
        },
        # two rules in the zone, one more on lot A2; the road carries no setback
        "sparse": {
            "zone": {"max_height_m": 12.0, "min_green_ratio": 0.2},
            "lots": [kit.lot("A1", polygon=A1), kit.lot("A2", polygon=A2, min_setback_side_m=4.0)],
            "roads": [south],
        },
        # no road at all: road_setback has nothing to measure, the outline is all side boundary
        "noroads": {
            "zone": {**ZONE_FULL, "parking_m2_per_stall": {}},
            "lots": [kit.lot("A1", polygon=A1), kit.lot("A2", polygon=A2)],
            "roads": [],
        },
        # only a road's own setback_m and a height ratio
        "roadonly": {
            "zone": {"side_setback_height_ratio": 1.0, "max_coverage": 0.4},
            "lots": [kit.lot("A1", polygon=A1), kit.lot("A2", polygon=A2)],
            "roads": [kit.road("south", SOUTH, setback_m=20)],
        },
        # a very large lot for the monotonicity properties, roads south and west
        "large": {
            "zone": ZONE_FULL,
            "lots": [kit.lot("A1", (X0, Y0, X0 + 1500, Y0 + 1500))],
            "roads": [
                kit.road("south", (X0 - 50, Y0 - 12, X0 + 1550, Y0)),
                kit.road("west", (X0 - 15, Y0 - 50, X0, Y0 + 1550), setback_m=35),
            ],
        },
        "large-uniform": {
            "zone": ZONE_FULL,
            "lots": [kit.lot("A1", (X0, Y0, X0 + 1500, Y0 + 1500))],
            "roads": [
                kit.road("south", (X0 - 50, Y0 - 12, X0 + 1550, Y0)),
                kit.road("west", (X0 - 15, Y0 - 50, X0, Y0 + 1550)),
            ],
        },
    }


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory, make_site, kit) -> dict[str, Site]:
    root: Path = tmp_path_factory.mktemp("sites")
    return {name: load_site(make_site(root, site_id=name, **spec)) for name, spec in _site_specs(kit).items()}


CASES = [(s, lot) for s in ("full", "sparse", "noroads", "roadonly") for lot in ("A1", "A2")]


def expected_rule_ids(site: Site, lot_id: str, has_surfaces: bool = False) -> list[str]:
    """The rules SPEC §3 says are checked: those whose parameter is present, and
    ``overlap`` whenever the project has a surface."""
    lot = site.lot(lot_id)
    assert lot is not None
    r = lot.rules
    present = {
        "inside_lot": True,
        "coverage": r.max_coverage is not None,
        "height": r.max_height_m is not None,
        "road_setback": r.min_setback_road_m is not None
        or any(rd.setback_m is not None for rd in site.roads),
        "side_setback": r.min_setback_side_m is not None or r.side_setback_height_ratio is not None,
        "building_spacing": r.min_building_spacing_m is not None,
        "green_ratio": r.min_green_ratio is not None,
        "parking": r.parking_m2_per_stall is not None,
        "floor_area": r.max_floor_area_m2 is not None,
        "overlap": has_surfaces,
    }
    return [rule for rule in RULE_IDS if present[rule]]


# -------------------------------------------------------------- strategies


@st.composite
def rect_footprint(draw, bounds, spread: float, max_size: float) -> dict:
    x0, y0, x1, y1 = bounds
    return {
        "rect": {
            "cx": draw(st.floats(x0 - spread, x1 + spread)),
            "cy": draw(st.floats(y0 - spread, y1 + spread)),
            "width": draw(st.floats(0.5, max_size)),
            "depth": draw(st.floats(0.5, max_size)),
            "angle_deg": draw(st.floats(-360.0, 360.0)),
        }
    }


@st.composite
def polygon_footprint(draw, bounds, spread: float, max_size: float) -> dict:
    """A star-shaped (hence simple) polygon around a random centre."""
    x0, y0, x1, y1 = bounds
    cx = draw(st.floats(x0 - spread, x1 + spread))
    cy = draw(st.floats(y0 - spread, y1 + spread))
    n = draw(st.integers(3, 8))
    step = 360.0 / n
    angles = [k * step + draw(st.floats(-0.3, 0.3)) * step for k in range(n)]
    radii = [draw(st.floats(2.0, max_size / 2.0)) for _ in range(n)]
    pts = [
        [cx + r * math.cos(math.radians(a)), cy + r * math.sin(math.radians(a))]
        for a, r in zip(angles, radii)
    ]
    start = draw(st.integers(0, n - 1))
    pts = pts[start:] + pts[:start]
    if draw(st.booleans()):
        pts.reverse()  # clockwise
    if not LinearRing(pts).is_simple or Polygon(pts).area < 1.0:  # three nearly collinear points
        pts = _box(cx - 5.0, cy - 5.0, cx + 5.0, cy + 5.0)
    if draw(st.booleans()):
        pts.append(list(pts[0]))  # closing vertex
    return {"polygon": pts}


@st.composite
def footprint(draw, bounds: tuple[float, float, float, float], max_size: float = 90.0) -> dict:
    """Mostly small and well inside ``bounds``; sometimes anywhere near it, or large."""
    x0, y0, x1, y1 = bounds
    placement = draw(st.sampled_from(["inside", "inside", "near", "large"]))
    if placement == "inside":
        inner, spread, size = (x0 + 20.0, y0 + 20.0, x1 - 20.0, y1 - 20.0), 0.0, 24.0
    elif placement == "near":
        inner, spread, size = bounds, 40.0, max_size
    else:
        inner, spread, size = bounds, 0.0, 3.0 * max_size
    kind = (
        rect_footprint if placement == "large" else draw(st.sampled_from([rect_footprint, polygon_footprint]))
    )
    return draw(kind(inner, spread, size))


@st.composite
def building_doc(draw, bounds, building_id: str) -> dict:
    return {
        "id": building_id,
        "use": draw(st.sampled_from(USES)),
        "height_m": draw(st.floats(1.0, 40.0)),
        "storeys": draw(st.integers(1, 8)),
        "roof": draw(st.sampled_from(ROOFS)),
        "footprint": draw(footprint(bounds)),
    }


@st.composite
def surface_doc(draw, bounds, surface_id: str) -> dict:
    kind = draw(st.sampled_from(KINDS))
    out: dict[str, Any] = {"id": surface_id, "kind": kind}
    if kind == "parking" and draw(st.booleans()):
        out["stalls"] = draw(st.integers(0, 300))
    out["footprint"] = draw(footprint(bounds, max_size=110.0))
    return out


@st.composite
def project_docs(draw, cases=tuple(CASES), max_buildings: int = 5, max_surfaces: int = 3) -> tuple[str, dict]:
    site_name, lot_id = draw(st.sampled_from(cases))
    bounds = BOUNDS[lot_id]
    nb = draw(st.integers(0, max_buildings))
    ns = draw(st.integers(0, max_surfaces))
    doc = {
        "format": "zacviz-project",
        "version": 1,
        "site": site_name,
        "lot": lot_id,
        "title": draw(st.text(max_size=12)),
        "buildings": [draw(building_doc(bounds, f"b{i}")) for i in range(nb)],
        "surfaces": [draw(surface_doc(bounds, f"s{i}")) for i in range(ns)],
    }
    return site_name, doc


# -------------------------------------------------------------- properties


@SETTINGS
@given(case=project_docs())
def test_check_never_raises_and_reports_the_applicable_rules(sites, case) -> None:
    site_name, doc = case
    site = sites[site_name]
    project = project_from_dict(doc)
    result = check_project(project, site)
    assert result.lot == doc["lot"]
    assert [r.id for r in result.rules] == expected_rule_ids(site, doc["lot"], bool(doc["surfaces"]))
    m = result.metrics
    for value in (m.lot_area_m2, m.footprint_m2, m.coverage, m.floor_area_m2, m.sealed_m2, m.green_ratio):
        assert math.isfinite(value)
    assert 0.0 <= m.sealed_m2 <= m.lot_area_m2 + 0.01
    parking = [s for s in doc["surfaces"] if s["kind"] == "parking"]
    assert set(result.stalls_by_surface) == {s["id"] for s in parking}
    for s in parking:
        if "stalls" in s:
            assert result.stalls_by_surface[s["id"]] == s["stalls"]
        else:
            assert result.stalls_by_surface[s["id"]] >= 0
    assert m.parking_provided == sum(result.stalls_by_surface.values())


@SETTINGS
@given(case=project_docs())
def test_result_json_always_parses_back(sites, case) -> None:
    site_name, doc = case
    result = check_project(project_from_dict(doc), sites[site_name])
    for lang in ("fr", "en"):
        out = result.to_dict(lang)
        text = json.dumps(out, allow_nan=False, ensure_ascii=False)
        assert json.loads(text) == out
        for rule in out["rules"]:
            assert isinstance(rule["message"], str) and rule["message"]
            assert "{" not in rule["message"]  # every template field filled
            if rule["margin"] is not None and not rule["ok"]:
                assert rule["margin"] < 0, rule  # rounding never hides a violation


@SETTINGS
@given(case=project_docs())
def test_compliant_iff_every_rule_passes_and_margins_agree(sites, case) -> None:
    site_name, doc = case
    result = check_project(project_from_dict(doc), sites[site_name])
    assert result.compliant == all(r.ok for r in result.rules)
    assert result.to_dict()["compliant"] == all(r["ok"] for r in result.to_dict()["rules"])
    assert set(result.failing) == {r for r in result.rules if not r.ok}
    assert [r.id for r in result.rules] == [i for i in RULE_IDS if i in {r.id for r in result.rules}]
    for r in result.rules:
        entry = rule_table.rule(r.id)
        assert r.unit == entry.unit and r.message_key in entry.message_keys, r
        if r.margin is None:
            assert r.ok, r  # nothing measured: nothing violated
            assert r.value is None and r.items == ()
            continue
        assert math.isfinite(r.margin)
        if r.ok:
            assert r.margin >= -TOLERANCE[r.unit], r
            assert r.items == ()
        else:
            assert r.margin < 0, r
            assert r.items, r
        if r.value is not None and r.limit is not None:
            want = r.limit - r.value if r.id in MAXIMA else r.value - r.limit
            assert r.margin == pytest.approx(want, abs=1e-9), r


@SETTINGS
@given(case=project_docs())
def test_project_dict_project_round_trip(case) -> None:
    _, doc = case
    project = project_from_dict(doc)
    again = project_from_dict(project_to_dict(project))
    assert again == project
    assert project_to_dict(again) == project_to_dict(project) == doc
    assert loads(dumps(project)) == project


# Single buildings in the large lot, at least 5 m from its south and west edges.
@st.composite
def lone_building(draw) -> Project:
    bounds = (X0 + 70.0, Y0 + 70.0, X0 + 400.0, Y0 + 400.0)
    b = draw(building_doc(bounds, "b1"))
    b["footprint"] = draw(st.one_of(rect_footprint(bounds, 0.0, 90.0), polygon_footprint(bounds, 0.0, 130.0)))
    doc = {"format": "zacviz-project", "version": 1, "site": "large", "lot": "A1", "buildings": [b]}
    return project_from_dict(doc)


away = st.tuples(st.floats(0.0, 600.0), st.floats(0.0, 600.0))


def _moved(project: Project, dx: float, dy: float) -> Project:
    (b,) = project.buildings
    return replace(project, buildings=(replace(b, footprint=b.footprint.moved(dx, dy)),))


@SETTINGS
@given(project=lone_building(), move=away)
def test_moving_away_from_the_roads_never_lowers_the_road_setback_value(sites, project, move) -> None:
    """Roads south and west with the same setback: north-east moves only increase the distance."""
    site = sites["large-uniform"]
    before = check_project(project, site).rule("road_setback")
    after = check_project(_moved(project, *move), site).rule("road_setback")
    assert before is not None and after is not None
    assert after.value >= before.value - 1e-6
    assert after.margin >= before.margin - 1e-6
    if before.ok:
        assert after.ok


@SETTINGS
@given(project=lone_building(), move=away)
def test_moving_away_from_roads_of_different_setbacks_never_lowers_the_margin(sites, project, move) -> None:
    """With a 10 m and a 35 m road the worst road may change, so the reported value may
    drop (the other road becomes the worst); the margin may not."""
    site = sites["large"]
    before = check_project(project, site).rule("road_setback")
    after = check_project(_moved(project, *move), site).rule("road_setback")
    assert before is not None and after is not None
    assert after.margin >= before.margin - 1e-6
    if before.ok:
        assert after.ok


def test_the_worst_road_value_itself_may_drop_when_moving_away(sites) -> None:
    """Why the property above is on the margin: 36 m from the 35 m road is worse than
    12 m from the 10 m road; 40 m further east, the 10 m road is the worst, at 12 m."""
    doc = {
        "format": "zacviz-project",
        "version": 1,
        "site": "large",
        "lot": "A1",
        "buildings": [
            {
                "id": "b1",
                "use": "office",
                "height_m": 8.0,
                "storeys": 1,
                "footprint": {"rect": {"cx": X0 + 46.0, "cy": Y0 + 17.0, "width": 20.0, "depth": 10.0}},
            }
        ],
    }
    project = project_from_dict(doc)
    before = check_project(project, sites["large"]).rule("road_setback")
    after = check_project(_moved(project, 40.0, 0.0), sites["large"]).rule("road_setback")
    assert (before.value, before.limit, before.margin) == pytest.approx((36.0, 35.0, 1.0))
    assert (after.value, after.limit, after.margin) == pytest.approx((12.0, 10.0, 2.0))
