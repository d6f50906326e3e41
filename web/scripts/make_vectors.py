"""Write the rule-engine test vectors the JavaScript tests run (web/tests/vectors.json).

The Python engine is the reference: every case is a site (in the exact shape
the web export gives the viewer), a project document and what
``zacviz check --format json`` prints for it, in French and in English. The
JavaScript engine (web/src/engine.js) must give the same verdicts, values and
messages; ``node --test web/tests/`` checks it, and
``tests/export/test_web_vectors.py`` checks that this file is up to date with
the Python engine.

Run from the repository root after a change to the engine or to the cases::

    .venv/bin/python web/scripts/make_vectors.py
"""

from __future__ import annotations

import json
import math
import random
import sys
from pathlib import Path
from typing import Any

from shapely.geometry import MultiPolygon, Polygon, box

from zacviz.errors import InputError
from zacviz.export.share import decode_fragment, encode_payload, share_fragment
from zacviz.export.web import build_web_data, rule_messages
from zacviz.io.project_file import project_from_dict
from zacviz.io.site_folder import find_site, load_site
from zacviz.model.site import Lot, Road, RuleSet, Site
from zacviz.rules.engine import check_project

OUT = Path(__file__).resolve().parents[1] / "tests" / "vectors.json"

# A corner in Lambert-93: the coordinates are as large as real ones.
X0 = 649_000.0
Y0 = 6_948_000.0

UE = {
    "max_coverage": 0.60,
    "max_height_m": 15.0,
    "min_setback_road_m": 10.0,
    "min_setback_side_m": 5.0,
    "side_setback_height_ratio": 0.5,
    "min_building_spacing_m": 6.0,
    "min_green_ratio": 0.15,
    "parking_m2_per_stall": {"office": 40.0, "workshop": 100.0, "warehouse": 250.0, "retail": 30.0},
}


def at(x: float, y: float) -> tuple[float, float]:
    return (X0 + x, Y0 + y)


def rel_box(x0: float, y0: float, x1: float, y1: float) -> Polygon:
    return box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def rel_poly(points: list[tuple[float, float]]) -> Polygon:
    return Polygon([at(x, y) for x, y in points])


def make_site(site_id: str, lots: list[Lot], roads: list[Road], zones: dict[str, RuleSet]) -> Site:
    return Site(
        id=site_id,
        name=site_id,
        crs="EPSG:2154",
        folder=Path("."),
        zones=zones,
        lots=tuple(lots),
        roads=tuple(roads),
    )


def site_basic() -> Site:
    """Two 100 × 80 m lots along one road (the tests/conftest.py layout)."""
    ue = RuleSet(**UE)
    return make_site(
        "basic",
        [
            Lot("A1", "UE", "available", rel_box(0, 0, 100, 80), ue),
            Lot("A2", "UE", "sold", rel_box(100, 0, 200, 80), ue),
        ],
        [Road("r1", rel_box(-50, -12, 250, 0), name="Rue du Test")],
        {"UE": ue},
    )


def site_roads() -> Site:
    """A corner lot with a departmental road (35 m setback), a second zone with
    fewer rules, lot overrides and a road without a name."""
    ue = RuleSet(**UE)
    ux = RuleSet(max_coverage=0.5, max_height_m=20.0, min_setback_road_m=5.0)
    b1 = RuleSet(**{**UE, "max_height_m": 9.0, "max_floor_area_m2": 3000.0, "min_green_ratio": 0.3})
    return make_site(
        "roads",
        [
            Lot("B1", "UE", "available", rel_box(0, 0, 120, 100), b1),
            Lot("B2", "UX", "reserved", rel_box(-130, 0, -10, 100), ux),
            Lot("B3", "UE", "available", rel_box(0, 110, 120, 200), ue),
        ],
        [
            Road("r1", rel_box(-200, -15, 200, 0), name="Rue des Artisans"),
            Road("rd916", rel_box(120, -15, 140, 260), name="RD 916", setback_m=35.0),
            # A road made of two parts, no name: it is reported by its id.
            Road("r3", MultiPolygon([rel_box(-10, 0, 0, 100), rel_box(-200, 100, 120, 110)])),
        ],
        {"UE": ue, "UX": ux},
    )


def site_polygon() -> Site:
    """A pentagonal lot whose frontage is one slanted edge, and a lot with no road at all."""
    ue = RuleSet(**UE)
    lot = rel_poly([(0, 0), (90, -20), (120, 50), (60, 100), (-10, 70)])
    road = Road("av", rel_poly([(-20, -5), (95, -30.5), (97.5, -40.5), (-22, -15)]), name="Avenue")
    far = Lot("F1", "UE", "available", rel_box(500, 500, 560, 560), ue)
    return make_site("polygon", [Lot("P1", "UE", "available", lot, ue), far], [road], {"UE": ue})


# ------------------------------------------------------------------ projects


def rect(cx: float, cy: float, w: float, d: float, a: float = 0.0) -> dict[str, Any]:
    return {"rect": {"cx": X0 + cx, "cy": Y0 + cy, "width": w, "depth": d, "angle_deg": a}}


def poly(points: list[tuple[float, float]], *, reverse: bool = False, closed: bool = False) -> dict[str, Any]:
    pts = [[X0 + x, Y0 + y] for x, y in points]
    if reverse:
        pts.reverse()
    if closed:
        pts.append(list(pts[0]))
    return {"polygon": pts}


def bld(
    id_: str,
    fp: dict[str, Any],
    h: float = 10.0,
    use: str = "warehouse",
    storeys: int = 1,
    roof: str = "flat",
) -> dict[str, Any]:
    return {"id": id_, "use": use, "height_m": h, "storeys": storeys, "roof": roof, "footprint": fp}


def srf(id_: str, fp: dict[str, Any], kind: str = "parking", stalls: int | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": id_, "kind": kind, "footprint": fp}
    if stalls is not None:
        out["stalls"] = stalls
    return out


def doc(site: str, lot: str, buildings: list, surfaces: list = (), title: str = "") -> dict[str, Any]:  # type: ignore[assignment]
    return {
        "format": "zacviz-project",
        "version": 1,
        "site": site,
        "lot": lot,
        "title": title,
        "buildings": list(buildings),
        "surfaces": list(surfaces),
    }


L_SHAPE = [(20, 20), (60, 20), (60, 35), (35, 35), (35, 60), (20, 60)]


def basic_cases() -> list[tuple[str, dict[str, Any]]]:
    s = "basic"
    park = srf("s1", poly([(20, 62), (80, 62), (80, 78), (20, 78)]), stalls=10)
    return [
        ("compliant office", doc(s, "A1", [bld("b1", rect(50, 45, 20, 10), 8, "office")], [park])),
        ("empty project", doc(s, "A1", [])),
        ("only a surface", doc(s, "A1", [], [srf("y1", rect(50, 40, 30, 30), "yard")])),
        # Road setback 10 m: exactly 10, within the 0.01 m tolerance, just beyond it.
        ("road setback exactly 10 m", doc(s, "A1", [bld("b1", rect(50, 20, 20, 20))])),
        ("road setback 9.995 m (within tolerance)", doc(s, "A1", [bld("b1", rect(50, 19.995, 20, 20))])),
        ("road setback 9.98 m", doc(s, "A1", [bld("b1", rect(50, 19.98, 20, 20))])),
        # Height 15 m: exactly, within tolerance, beyond.
        ("height exactly 15 m", doc(s, "A1", [bld("b1", rect(50, 40, 20, 20), 15.0)])),
        ("height 15.01 m", doc(s, "A1", [bld("b1", rect(50, 40, 20, 20), 15.01)])),
        ("height 15.02 m", doc(s, "A1", [bld("b1", rect(50, 40, 20, 20), 15.02)])),
        # Coverage 0.6 of 8000 m² = 4800 m², exactly, then 1 m² more.
        ("coverage exactly 0.6", doc(s, "A1", [bld("b1", rect(50, 40, 80, 60))])),
        ("coverage just over", doc(s, "A1", [bld("b1", rect(50, 40, 80, 60.0125))])),
        # Side setback: max(5, 0.5 × 14) = 7 m from the west boundary.
        ("side setback H/2 exactly", doc(s, "A1", [bld("b1", rect(17, 40, 20, 20), 14.0)])),
        ("side setback H/2 short", doc(s, "A1", [bld("b1", rect(16.9, 40, 20, 20), 14.0)])),
        ("side setback minimum 5 m", doc(s, "A1", [bld("b1", rect(15, 40, 20, 20), 6.0)])),
        # A rotated 20 × 20 workshop: 400 m² at 100 m² per stall is 4 stalls, not 5.
        (
            "rotated workshop needs 4 stalls",
            doc(s, "A1", [bld("b1", rect(50, 40, 20, 20, 33.0), 8, "workshop")], [park | {"stalls": 4}]),
        ),
        (
            "rotated workshop, 3 stalls",
            doc(s, "A1", [bld("b1", rect(50, 40, 20, 20, 33.0), 8, "workshop")], [park | {"stalls": 3}]),
        ),
        ("rect at -120 degrees", doc(s, "A1", [bld("b1", rect(50, 45, 30, 12, -120.0), 9, "retail")])),
        (
            "rect at 725 degrees",
            doc(s, "A1", [bld("b1", rect(50, 45, 30, 12, 725.0), 9, "office", storeys=3)], [park]),
        ),
        # The same L-shaped polygon in both orientations, closed or not.
        ("polygon counter-clockwise", doc(s, "A1", [bld("b1", poly(L_SHAPE), 12, "office", 2)])),
        ("polygon clockwise", doc(s, "A1", [bld("b1", poly(L_SHAPE, reverse=True), 12, "office", 2)])),
        (
            "polygon clockwise closed",
            doc(s, "A1", [bld("b1", poly(L_SHAPE, reverse=True, closed=True), 12, "office", 2)]),
        ),
        # Buildings: touching along an edge (joined), overlapping, 6 m apart, 5.995 m, 5.9 m.
        (
            "touching buildings",
            doc(s, "A1", [bld("b1", rect(40, 40, 20, 20)), bld("b2", rect(60, 40, 20, 20), use="office")]),
        ),
        (
            "touching at a corner",
            doc(s, "A1", [bld("b1", rect(40, 40, 20, 20)), bld("b2", rect(60, 60, 20, 20))]),
        ),
        (
            "overlapping buildings",
            doc(s, "A1", [bld("b1", rect(40, 40, 20, 20)), bld("b2", rect(55, 45, 20, 20))]),
        ),
        (
            "overlap below the area tolerance",
            doc(s, "A1", [bld("b1", rect(40, 40, 20, 20)), bld("b2", rect(59.9996, 40, 20, 20))]),
        ),
        (
            "buildings 6 m apart",
            doc(s, "A1", [bld("b1", rect(35, 40, 20, 20)), bld("b2", rect(61, 40, 20, 20))]),
        ),
        (
            "buildings 5.995 m apart",
            doc(s, "A1", [bld("b1", rect(35, 40, 20, 20)), bld("b2", rect(60.995, 40, 20, 20))]),
        ),
        (
            "buildings 5.9 m apart",
            doc(s, "A1", [bld("b1", rect(35, 40, 20, 20)), bld("b2", rect(60.9, 40, 20, 20))]),
        ),
        (
            "joined pair and a third too close",
            doc(
                s,
                "A1",
                [
                    bld("b1", rect(30, 40, 20, 20)),
                    bld("b2", rect(50, 40, 20, 20)),
                    bld("b3", rect(64, 40, 4, 20), use="office"),
                ],
            ),
        ),
        (
            "rotated buildings close",
            doc(s, "A1", [bld("b1", rect(35, 45, 20, 10, 45)), bld("b2", rect(60, 45, 20, 10, -45))]),
        ),
        # Outside the lot: partly in A2, partly on the road.
        ("building across the lot line", doc(s, "A1", [bld("b1", rect(95, 40, 20, 20))])),
        (
            "surface on the road",
            doc(s, "A1", [bld("b1", rect(50, 40, 20, 20))], [srf("s1", rect(50, 2, 30, 10), stalls=8)]),
        ),
        (
            "surface over a building",
            doc(
                s,
                "A1",
                [bld("b1", rect(50, 40, 20, 20), use="office")],
                [srf("s1", rect(50, 50, 40, 30), stalls=30), srf("y1", rect(30, 30, 10, 10), "yard")],
            ),
        ),
        # The overlap rule: a car park under a building, two surfaces over each
        # other, surfaces touching along an edge, an overlap within tolerance.
        (
            "parking overlapping a building",
            doc(
                s,
                "A1",
                [bld("b1", rect(50, 40, 30, 20), use="office")],
                [srf("s1", rect(50, 55, 40, 16), stalls=20)],
            ),
        ),
        (
            "yard overlapping a parking",
            doc(
                s,
                "A1",
                [bld("b1", rect(30, 30, 20, 15))],
                [srf("s1", rect(70, 60, 30, 20)), srf("y1", rect(80, 40, 20, 30), "yard")],
            ),
        ),
        (
            "surfaces touching along an edge",
            doc(
                s,
                "A1",
                [bld("b1", rect(30, 40, 20, 20))],
                [srf("s1", rect(60, 40, 20, 20), stalls=6), srf("y1", rect(80, 40, 20, 20), "storage")],
            ),
        ),
        (
            "surface overlap below the area tolerance",
            doc(
                s,
                "A1",
                [bld("b1", rect(30, 40, 20, 20))],
                [srf("s1", rect(50.0004, 40, 20, 20), stalls=6)],
            ),
        ),
        (
            "green ratio fails",
            doc(
                s,
                "A1",
                [bld("b1", rect(50, 40, 40, 30))],
                [srf("y1", poly([(0, 0), (100, 0), (100, 75), (0, 75)]), "yard")],
            ),
        ),
        # Parking without stalls: the documented layout decides.
        (
            "parking rect without stalls",
            doc(
                s, "A1", [bld("b1", rect(50, 30, 20, 15), 8, "office", 2)], [srf("s1", rect(50, 62, 40, 16))]
            ),
        ),
        (
            "parking rotated rect without stalls",
            doc(
                s, "A1", [bld("b1", rect(50, 30, 20, 15), 8, "office")], [srf("s1", rect(50, 55, 33, 22, 12))]
            ),
        ),
        (
            "parking polygon rectangle without stalls",
            doc(
                s,
                "A1",
                [bld("b1", rect(50, 30, 20, 15), 8, "office")],
                [srf("s1", poly([(10, 50), (70, 50), (70, 72), (10, 72)], reverse=True))],
            ),
        ),
        (
            "parking trapezoid without stalls",
            doc(
                s,
                "A1",
                [bld("b1", rect(50, 30, 20, 15), 8, "retail")],
                [srf("s1", poly([(5, 45), (95, 45), (80, 78), (20, 78)]))],
            ),
        ),
        (
            "parking L without stalls",
            doc(
                s,
                "A1",
                [bld("b1", rect(75, 25, 20, 15), 8, "office")],
                [srf("s1", poly([(x, y + 5) for x, y in L_SHAPE]))],
            ),
        ),
        (
            "parking too small for any stall",
            doc(s, "A1", [bld("b1", rect(50, 30, 20, 15), 8, "office")], [srf("s1", rect(50, 60, 10, 10))]),
        ),
        (
            "parking with zero stalls stated",
            doc(
                s,
                "A1",
                [bld("b1", rect(50, 30, 20, 15), 8, "office")],
                [srf("s1", rect(50, 60, 40, 16), stalls=0)],
            ),
        ),
        (
            "every use and storeys",
            doc(
                s,
                "A1",
                [
                    bld("o", rect(25, 30, 12.3, 7.7), 8, "office", 3),
                    bld("w", rect(55, 30, 15.5, 9.25), 8, "workshop", 2),
                    bld("r", rect(80, 30, 11.1, 11.1), 6, "retail", 1),
                    bld("e", rect(50, 58, 30, 12), 12, "warehouse", 1),
                ],
                [srf("s1", rect(50, 72, 60, 5), stalls=20)],
            ),
        ),
        ("on the sold lot", doc(s, "A2", [bld("b1", rect(150, 40, 30, 20), 16)])),
    ]


def roads_cases() -> list[tuple[str, dict[str, Any]]]:
    s = "roads"
    return [
        # Lot B1: RD 916 along its east side asks 35 m; the lot caps height at 9 m.
        ("departmental road 35 m exactly", doc(s, "B1", [bld("b1", rect(65, 50, 40, 30), 8)])),
        ("departmental road 34 m", doc(s, "B1", [bld("b1", rect(66, 50, 40, 30), 8)])),
        ("lot height override", doc(s, "B1", [bld("b1", rect(40, 50, 30, 30), 9.5)])),
        (
            "lot floor area override",
            doc(
                s,
                "B1",
                [bld("b1", rect(40, 50, 40, 40), 8, "office", 2)],
                [srf("s1", rect(40, 85, 50, 10), stalls=80)],
            ),
        ),
        (
            "floor area exactly at the limit",
            doc(s, "B1", [bld("b1", rect(40, 50, 50, 30), 8, "office", 2)]),
        ),
        ("unnamed road", doc(s, "B1", [bld("b1", rect(12, 50, 10, 10), 8)])),
        (
            "both roads fail",
            doc(s, "B1", [bld("b1", rect(80, 12, 20, 20), 8), bld("b2", rect(40, 50, 20, 20), 8)]),
        ),
        # Lot B2, zone UX: no side setback, spacing, green or parking rules.
        (
            "zone with few rules",
            doc(s, "B2", [bld("b1", rect(-70, 50, 60, 60), 19), bld("b2", rect(-30, 90, 10, 10), 21)]),
        ),
        ("zone with few rules, empty", doc(s, "B2", [])),
        ("lot between roads", doc(s, "B3", [bld("b1", rect(50, 155, 40, 30), 12, "office", 3)])),
    ]


def polygon_cases() -> list[tuple[str, dict[str, Any]]]:
    s = "polygon"
    return [
        ("pentagonal lot", doc(s, "P1", [bld("b1", rect(55, 40, 30, 20, 20), 10)])),
        (
            "pentagonal lot, polygon building",
            doc(s, "P1", [bld("b1", poly([(30, 20), (70, 15), (80, 50), (40, 60)], reverse=True), 14)]),
        ),
        ("pentagonal lot, near the slanted road", doc(s, "P1", [bld("b1", rect(45, 5, 20, 8, -12.53), 6)])),
        (
            "lot without a road",
            doc(s, "F1", [bld("b1", rect(530, 530, 40, 40), 10)], [srf("s1", rect(530, 507, 40, 8))]),
        ),
    ]


def random_cases(site: Site, count: int, seed: int) -> list[tuple[str, dict[str, Any]]]:
    """Random projects over the lots of a real site: shapes near and across the
    lot edges, any angle, polygons in both orientations."""
    rng = random.Random(seed)
    out = []
    lots = [lot for lot in site.lots if lot.polygon.area > 2000]
    for n in range(count):
        lot = rng.choice(lots)
        minx, miny, maxx, maxy = lot.polygon.bounds
        buildings, surfaces = [], []
        for i in range(rng.randint(1, 4)):
            cx, cy = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            w, d = round(rng.uniform(8, 70), 2), round(rng.uniform(8, 50), 2)
            if rng.random() < 0.3:
                a0 = rng.uniform(0, 360)
                pts = []
                for k in range(rng.randint(3, 7)):
                    ang = math.radians(a0 + k * 360 / 7 + rng.uniform(-10, 10))
                    r = rng.uniform(8, 30)
                    pts.append([round(cx + r * math.cos(ang), 3), round(cy + r * math.sin(ang), 3)])
                if rng.random() < 0.5:
                    pts.reverse()
                fp: dict[str, Any] = {"polygon": pts}
            else:
                fp = {
                    "rect": {
                        "cx": round(cx, 2),
                        "cy": round(cy, 2),
                        "width": w,
                        "depth": d,
                        "angle_deg": round(rng.uniform(-180, 180), 1),
                    }
                }
            use = rng.choice(["office", "workshop", "warehouse", "retail"])
            buildings.append(bld(f"b{i + 1}", fp, round(rng.uniform(4, 18), 2), use, rng.randint(1, 3)))
        for i in range(rng.randint(0, 2)):
            cx, cy = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            fp = {
                "rect": {
                    "cx": round(cx, 2),
                    "cy": round(cy, 2),
                    "width": round(rng.uniform(10, 60), 2),
                    "depth": round(rng.uniform(10, 40), 2),
                    "angle_deg": round(rng.uniform(0, 90), 1),
                }
            }
            kind = rng.choice(["parking", "parking", "yard", "storage"])
            stalls = rng.choice([None, None, rng.randint(0, 60)]) if kind == "parking" else None
            surfaces.append(srf(f"s{i + 1}", fp, kind, stalls))
        out.append((f"random {seed}-{n} on {lot.id}", doc(site.id, lot.id, buildings, surfaces)))
    return out


def example_cases(root: Path) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted((root / "examples").glob("*.zacviz.json")):
        out.append((f"example {path.name}", json.loads(path.read_text(encoding="utf-8"))))
    return out


# Invalid documents: both readers must refuse them, naming the same field.
def invalid_cases() -> list[tuple[str, Any]]:
    good = doc("basic", "A1", [bld("b1", rect(50, 40, 20, 20))])

    def with_building(**changes: Any) -> dict[str, Any]:
        d = json.loads(json.dumps(good))
        d["buildings"][0].update(changes)
        return d

    bowtie = poly([(20, 20), (60, 60), (60, 20), (20, 60)])
    return [
        ("not an object", [1, 2]),
        ("wrong format", {**good, "format": "other"}),
        ("newer version", {**good, "version": 2}),
        ("missing lot", {k: v for k, v in good.items() if k != "lot"}),
        ("negative width", with_building(footprint=rect(50, 40, -20, 20))),
        ("absurd width", with_building(footprint=rect(50, 40, 1e9, 20))),
        ("zero height", with_building(height_m=0)),
        ("string height", with_building(height_m="12")),
        ("unknown use", with_building(use="castle")),
        ("storeys not integer", with_building(storeys=1.5)),
        ("self-intersecting polygon", with_building(footprint=bowtie)),
        ("two points", with_building(footprint=poly([(0, 0), (10, 0)]))),
        # 0.05 mm² at Lambert-93 coordinates: an area rounding noise must not invent.
        ("no area", with_building(footprint=poly([(0, 0), (0.001, 0), (0, 0.0001)]))),
        ("both rect and polygon", with_building(footprint={**rect(1, 1, 1, 1), **poly(L_SHAPE)})),
        ("duplicate ids", {**good, "buildings": good["buildings"] * 2}),
        ("buildings not a list", {**good, "buildings": {"b1": 1}}),
        ("stalls on a yard", {**good, "surfaces": [srf("y", rect(50, 70, 10, 5), "yard") | {"stalls": 3}]}),
        # SPEC §2 limits: both readers refuse them before any geometry is built.
        ("too many buildings", {**good, "buildings": [0] * 1001}),
        ("too many surfaces", {**good, "surfaces": [0] * 1001}),
        ("id too long", with_building(id="b" * 65)),
        ("title too long", {**good, "title": "t" * 201}),
        ("lot id too long", {**good, "lot": "A" * 65}),
        ("site id is a path", {**good, "site": "../../../../tmp/x"}),
        ("site id with capitals", {**good, "site": "Basic"}),
        ("site id too long", {**good, "site": "s" * 65}),
        ("nested too deeply", {**good, "note": nested(70)}),
        ("huge integer storeys", with_building(storeys=10**400)),
    ]


def nested(depth: int) -> Any:
    value: Any = 0
    for _ in range(depth):
        value = [value]
    return value


def link_cases(cases: list[dict[str, Any]]) -> dict[str, Any]:
    """Sharing links made by the Python side, and broken links with the message
    Python gives them: the viewer must read the first and explain the second alike."""
    good = []
    for c in cases[:3] + [c for c in cases if c["name"].startswith("example")]:
        project = project_from_dict(c["project"])
        good.append({"fragment": share_fragment(project), "title": project.title, "lot": project.lot})
    hostile = project_from_dict({**cases[0]["project"], "title": "<img src=x onerror=alert(1)> «é» 🏭"})
    good.append({"fragment": share_fragment(hostile), "title": hostile.title, "lot": hostile.lot})
    # Python and the page accept the same documents (SPEC §5): a byte order
    # mark before the JSON, padding after the base64url text.
    first = json.dumps(cases[0]["project"])
    good.append(
        {
            "fragment": "p=" + encode_payload("\ufeff" + first),
            "title": project_from_dict(cases[0]["project"]).title,
            "lot": cases[0]["project"]["lot"],
        }
    )
    for c in cases:
        padded = share_fragment(project_from_dict(c["project"]))
        if (len(padded) - 2) % 4:
            padded += "=" * (-(len(padded) - 2) % 4)
            good.append(
                {"fragment": padded, "title": c["project"].get("title", ""), "lot": c["project"]["lot"]}
            )
            break
    broken_texts = [
        "p=",
        "p=" + encode_payload(first) + "===",
        "p=" + encode_payload(first[:-1] + ', "note": ' + "[" * 1000 + "]" * 1000 + "}"),
        "p=" + encode_payload(" " * 2_000_001),
        "p=" + encode_payload(json.dumps({**cases[0]["project"], "site": "../x"})),
        "x=1",
        "p=***",
        "p=A",
        "p=" + encode_payload("{}")[:-3],
        "p=" + encode_payload('{"format": "zacviz-project", "version": 1}'),
        "p=" + encode_payload("not json"),
        "p=" + encode_payload(json.dumps({**cases[0]["project"], "lot": ""})),
    ]
    broken = []
    for text in broken_texts:
        try:
            decode_fragment("#" + text)
        except InputError as exc:
            broken.append({"fragment": text, "message": exc.message})
        else:
            raise AssertionError(f"broken link {text!r} was accepted")
    return {"good": good, "broken": broken}


def field_of(message: str) -> str:
    """The field a one-line reader message names (the text before ': ')."""
    return message.split(": ", 1)[0]


def site_vector(site: Site) -> dict[str, Any]:
    """What the rule engine reads of a site: the starting layouts and close
    imagery of the lots (the editor's, not the rules') are left out."""
    data = build_web_data(site)
    editor_only = ("templates", "close_imagery")
    lots = [{k: v for k, v in lot.items() if k not in editor_only} for lot in data["lots"]]
    return {"site": data["site"], "lots": lots, "roads": data["roads"]}


def build_vectors(root: Path) -> dict[str, Any]:
    belle = load_site(find_site("belle-assise"))
    sites = {s.id: s for s in (site_basic(), site_roads(), site_polygon(), belle)}
    cases = [
        *basic_cases(),
        *roads_cases(),
        *polygon_cases(),
        *example_cases(root),
        *random_cases(belle, 40, 7),
        *random_cases(sites["basic"], 12, 11),
    ]
    out_cases = []
    for name, project_doc in cases:
        project = project_from_dict(project_doc)
        result = check_project(project, sites[project.site])
        out_cases.append(
            {
                "name": name,
                "site": project.site,
                "project": project_doc,
                "expected": {lang: result.to_dict(lang) for lang in ("fr", "en")},
            }
        )
    invalid = []
    for name, bad in invalid_cases():
        try:
            project_from_dict(bad)
        except InputError as exc:
            invalid.append({"name": name, "project": bad, "field": field_of(exc.message)})
        else:
            raise AssertionError(f"invalid case {name!r} was accepted")
    return {
        "format": "zacviz-engine-vectors",
        "generator": "web/scripts/make_vectors.py",
        "messages": rule_messages(),
        "sites": {k: site_vector(v) for k, v in sites.items()},
        "cases": out_cases,
        "invalid": invalid,
        "links": link_cases(out_cases),
    }


def dumps(vectors: dict[str, Any]) -> str:
    return json.dumps(vectors, ensure_ascii=False, indent=None, separators=(",", ":"), allow_nan=False) + "\n"


def main() -> int:
    root = Path(__file__).resolve().parents[2]
    OUT.write_text(dumps(build_vectors(root)), encoding="utf-8")
    print(f"wrote {OUT.relative_to(root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
