"""Each rule of SPEC §3 on hand-made geometry, with hand-computed expectations."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from shapely.geometry import Polygon, box

from zacviz.errors import InputError
from zacviz.model.project import Building, PolygonFootprint, Project, RectFootprint, Surface
from zacviz.model.site import Lot, Road, RuleSet, Site
from zacviz.rules.engine import check_project, stalls_required

UE = RuleSet(
    max_coverage=0.6,
    max_height_m=15.0,
    min_setback_road_m=10.0,
    min_setback_side_m=5.0,
    side_setback_height_ratio=0.5,
    min_building_spacing_m=6.0,
    min_green_ratio=0.15,
    parking_m2_per_stall={"office": 40.0, "workshop": 100.0, "warehouse": 250.0, "retail": 30.0},
)

# A 100 × 80 m lot whose south side runs along a 10 m wide road (y < 0).
LOT = box(0, 0, 100, 80)
ROAD = Road("r1", box(-50, -10, 150, 0), name="Rue A")


def make_site(
    rules: RuleSet = UE,
    lot: Polygon = LOT,
    roads: tuple[Road, ...] = (ROAD,),
    extra_lots: tuple[Lot, ...] = (),
) -> Site:
    lots = (Lot("A1", "UE", "available", lot, rules), *extra_lots)
    return Site(
        id="t",
        name="Test",
        crs="EPSG:2154",
        folder=Path("."),
        zones={"UE": rules},
        lots=lots,
        roads=roads,
    )


def rect(cx, cy, w, d, a=0.0) -> RectFootprint:
    return RectFootprint(cx, cy, w, d, a)


def bld(id_="b1", fp=None, h=10.0, storeys=1, use="warehouse") -> Building:
    return Building(id_, use, h, storeys, "flat", fp or rect(50, 40, 20, 20))


def project(*buildings: Building, surfaces: tuple[Surface, ...] = (), lot: str = "A1") -> Project:
    return Project(site="t", lot=lot, buildings=tuple(buildings), surfaces=surfaces)


def rule(result, rule_id):
    r = result.rule(rule_id)
    assert r is not None, f"rule {rule_id} not reported"
    return r


# ------------------------------------------------------------------ metrics


def test_metrics_of_a_simple_project():
    # Building 40 × 20 = 800 m², 2 storeys; parking 50 × 22 = 1100 m².
    p = project(
        bld(fp=rect(50, 30, 40, 20), storeys=2, use="office"),
        surfaces=(Surface("s1", "parking", PolygonFootprint(((10, 50), (60, 50), (60, 72), (10, 72)))),),
    )
    res = check_project(p, make_site())
    m = res.metrics
    assert m.lot_area_m2 == pytest.approx(8000.0)
    assert m.footprint_m2 == pytest.approx(800.0)
    assert m.coverage == pytest.approx(0.1)
    assert m.floor_area_m2 == pytest.approx(1600.0)
    assert m.sealed_m2 == pytest.approx(1900.0)
    assert m.green_ratio == pytest.approx(6100 / 8000)
    assert m.parking_required == 40  # 1600 / 40
    # 22 m deep: rows across the 50 m edge give 2 × 20 = 40; rows across the
    # 22 m edge give 6 rows × 8 = 48 stalls.
    assert m.parking_provided == 48
    assert res.compliant


def test_footprint_is_a_union_and_sealed_area_stays_inside_the_lot():
    # Two overlapping buildings (overlap 10 × 20) and a yard half outside the lot.
    p = project(
        bld("b1", rect(40, 40, 20, 20)),
        bld("b2", rect(50, 40, 20, 20)),
        surfaces=(Surface("y1", "yard", PolygonFootprint(((90, 60), (110, 60), (110, 70), (90, 70)))),),
    )
    m = check_project(p, make_site()).metrics
    assert m.footprint_m2 == pytest.approx(600.0)
    assert m.sealed_m2 == pytest.approx(600.0 + 100.0)
    assert m.floor_area_m2 == pytest.approx(800.0)  # Σ per building, overlap counted twice


# ------------------------------------------------------------------ inside_lot


def test_inside_lot_pass_on_the_boundary_and_fail_outside():
    on_edge = project(bld(fp=rect(90, 40, 20, 20)))  # east side on x = 100
    assert rule(check_project(on_edge, make_site()), "inside_lot").ok
    out = project(bld("b1", rect(95, 40, 20, 20)), surfaces=(Surface("s1", "yard", rect(50, 79, 10, 4)),))
    r = rule(check_project(out, make_site()), "inside_lot")
    assert not r.ok
    assert r.value == pytest.approx(100.0)  # 5 × 20 m² of b1 outside; 10 × 1 m² of s1
    assert r.items == ("b1", "s1")
    assert r.margin == pytest.approx(-100.0)
    assert r.geometry.area == pytest.approx(110.0)


# ------------------------------------------------------------------ coverage


def test_coverage_exactly_at_the_limit_passes():
    # 0.6 × 8000 = 4800 m² = 80 × 60
    p = project(bld(fp=rect(50, 45, 80, 60)))
    r = rule(check_project(p, make_site(RuleSet(max_coverage=0.6))), "coverage")
    assert r.ok and r.value == pytest.approx(0.6)


def test_coverage_over_the_limit_fails_with_all_buildings():
    p = project(bld("b1", rect(30, 45, 40, 61)), bld("b2", rect(71, 45, 40, 61)))
    r = rule(check_project(p, make_site(RuleSet(max_coverage=0.6))), "coverage")
    assert not r.ok
    assert r.value == pytest.approx(4880 / 8000)
    assert r.margin == pytest.approx(0.6 - 0.61)
    assert set(r.items) == {"b1", "b2"}


# ------------------------------------------------------------------ height


@pytest.mark.parametrize(("h", "ok"), [(15.0, True), (15.005, True), (15.02, False)])
def test_height_limit_with_tolerance(h, ok):
    r = rule(check_project(project(bld(h=h)), make_site()), "height")
    assert r.ok is ok
    assert r.limit == 15.0


def test_height_reports_the_highest_building():
    p = project(bld("b1", rect(30, 40, 10, 10), h=16.0), bld("b2", rect(70, 40, 10, 10), h=18.0))
    r = rule(check_project(p, make_site()), "height")
    assert (r.value, r.margin, r.items) == (18.0, -3.0, ("b1", "b2"))
    assert r.message("fr") == "Hauteur 18,0 m > 15,0 m autorisés (b1, b2)"


# ------------------------------------------------------------------ road setback


def test_road_setback_exactly_at_the_limit_passes():
    # South face at y = 10: exactly 10 m from the road edge y = 0.
    r = rule(check_project(project(bld(fp=rect(50, 20, 20, 20))), make_site()), "road_setback")
    assert r.ok and r.value == pytest.approx(10.0) and r.margin == pytest.approx(0.0)


def test_road_setback_failure_reports_building_road_and_band():
    r = rule(check_project(project(bld(fp=rect(50, 17.5, 20, 20))), make_site()), "road_setback")
    assert not r.ok
    assert r.value == pytest.approx(7.5)
    assert r.limit == 10.0
    assert r.items == ("b1", "r1")
    # The part of the building inside the 10 m band: 20 × 2.5 m.
    assert r.geometry.area == pytest.approx(50.0, rel=1e-3)
    assert "Rue A" in r.message("fr")


def test_road_setback_of_a_rotated_rectangle():
    # A 20 × 20 square turned 45°: its lowest corner is 10√2 below its centre.
    r = rule(check_project(project(bld(fp=rect(50, 30, 20, 20, 45.0))), make_site()), "road_setback")
    assert r.value == pytest.approx(30 - 10 * math.sqrt(2))


def test_per_road_setback_takes_the_worst_margin():
    # RD on the north side with a 35 m setback; the building is 20 m from the
    # RD (margin -15) and 40 m from the street (margin +30).
    rd = Road("rd", box(-50, 80, 150, 95), name="RD 916", setback_m=35.0)
    p = project(bld(fp=rect(50, 50, 20, 20)))
    r = rule(check_project(p, make_site(roads=(ROAD, rd))), "road_setback")
    assert not r.ok
    assert (r.value, r.limit) == (pytest.approx(20.0), 35.0)
    assert r.items == ("b1", "rd")
    assert "RD 916" in r.message("fr")


def test_moving_away_from_the_road_raises_the_margin():
    site = make_site()
    values = [
        rule(check_project(project(bld(fp=rect(50, y, 20, 20))), site), "road_setback").value
        for y in (15, 25, 35)
    ]
    assert values == sorted(values)


# ------------------------------------------------------------------ side setback


def test_side_setback_grows_with_height():
    # West face at x = 8: 8 m from the west boundary. H = 14 → max(5, 7) = 7: ok.
    site = make_site()
    r = rule(check_project(project(bld(fp=rect(18, 40, 20, 20), h=14.0)), site), "side_setback")
    assert r.ok and r.value == pytest.approx(8.0) and r.limit == pytest.approx(7.0)
    # H = 17 → 8.5 m needed: fails by 0.5 (height fails too, separately).
    r = rule(check_project(project(bld(fp=rect(18, 40, 20, 20), h=17.0)), site), "side_setback")
    assert not r.ok and r.margin == pytest.approx(-0.5) and r.items == ("b1",)
    assert r.geometry.area == pytest.approx(0.5 * 20, rel=1e-3)


def test_side_setback_ignores_the_road_frontage():
    # South face 10 m from the road (the frontage), 40 m from any side boundary.
    r = rule(check_project(project(bld(fp=rect(50, 20, 20, 20))), make_site()), "side_setback")
    assert r.value == pytest.approx(40.0)  # to the east and west sides, not 10 to the road
    assert r.ok


def test_lot_without_road_frontage_uses_its_whole_outline():
    far_road = Road("far", box(-50, -300, 150, -290))
    p = project(bld(fp=rect(50, 8, 20, 10)))
    res = check_project(p, make_site(roads=(far_road,)))
    side = rule(res, "side_setback")
    assert not side.ok and side.value == pytest.approx(3.0)  # the south edge is a side boundary now
    road = rule(res, "road_setback")
    assert road.ok and road.value == pytest.approx(293.0)


def test_polygon_footprints_in_both_orientations_agree():
    ccw = ((40, 30), (60, 30), (60, 50), (40, 50))
    results = []
    for pts in (ccw, tuple(reversed(ccw))):
        res = check_project(project(bld(fp=PolygonFootprint(pts))), make_site())
        results.append([(r.id, r.ok, round(r.value or 0, 6)) for r in res.rules])
        assert res.metrics.footprint_m2 == pytest.approx(400.0)
    assert results[0] == results[1]


# ------------------------------------------------------------------ spacing


def test_touching_buildings_pass_overlapping_fail():
    site = make_site()
    touching = project(bld("b1", rect(40, 40, 20, 20)), bld("b2", rect(60, 40, 20, 20)))
    assert rule(check_project(touching, site), "building_spacing").ok
    overlapping = project(bld("b1", rect(40, 40, 20, 20)), bld("b2", rect(59, 40, 20, 20)))
    r = rule(check_project(overlapping, site), "building_spacing")
    assert not r.ok
    assert r.items == ("b1", "b2")
    assert r.geometry.area == pytest.approx(20.0)
    assert "chevauchent" in r.message("fr")


@pytest.mark.parametrize(("gap", "ok"), [(6.0, True), (5.995, True), (5.98, False), (3.0, False)])
def test_spacing_limit(gap, ok):
    p = project(bld("b1", rect(30, 40, 20, 20)), bld("b2", rect(50 + gap, 40, 20, 20)))
    r = rule(check_project(p, make_site()), "building_spacing")
    assert r.ok is ok
    assert r.value == pytest.approx(gap)


def test_spacing_reports_the_closest_pair_not_a_joined_one():
    # b1 and b2 are joined; b3 stands 8 m from b2.
    p = project(
        bld("b1", rect(20, 40, 10, 10)),
        bld("b2", rect(30, 40, 10, 10)),
        bld("b3", rect(48, 40, 10, 10)),
    )
    r = rule(check_project(p, make_site()), "building_spacing")
    assert r.ok and r.value == pytest.approx(8.0)


# ------------------------------------------------------------------ green, parking, floor area


def test_green_ratio_counts_only_sealed_ground_inside_the_lot():
    # A yard of 100 × 75 m around the building, reaching 10 m past the lot:
    # 7500 m² sealed in the lot, green 500 / 8000 = 6.25 % < 15 %.
    p = project(
        bld(fp=rect(50, 30, 40, 20)),
        surfaces=(Surface("y1", "yard", PolygonFootprint(((0, 5), (110, 5), (110, 80), (0, 80)))),),
    )
    r = rule(check_project(p, make_site()), "green_ratio")
    assert r.value == pytest.approx(0.0625)
    assert not r.ok and r.margin == pytest.approx(0.0625 - 0.15)
    assert r.items == ("b1", "y1")


def test_rotated_workshop_needs_four_stalls_not_five():
    p = project(bld(fp=rect(50, 40, 20, 20, 33.0), use="workshop"))
    res = check_project(p, make_site())
    assert res.metrics.parking_required == 4
    assert stalls_required(400.0000000001, 100) == 4
    assert stalls_required(400.004, 100) == 4  # rounds to 400.00
    assert stalls_required(400.006, 100) == 5  # rounds to 400.01


def test_parking_uses_stated_stalls_and_lists_buildings_needing_them():
    p = project(
        bld(fp=rect(50, 40, 20, 20), use="office", storeys=2),  # 800 m² → 20 stalls
        surfaces=(Surface("s1", "parking", rect(50, 70, 20, 10), stalls=12),),
    )
    r = rule(check_project(p, make_site()), "parking")
    assert (r.ok, r.value, r.limit, r.margin, r.items) == (False, 12, 20, -8, ("b1",))


def test_floor_area_rule_only_where_the_lot_has_it():
    p = project(bld(fp=rect(50, 40, 20, 20), storeys=3))  # 1200 m²
    assert check_project(p, make_site()).rule("floor_area") is None
    r = rule(check_project(p, make_site(RuleSet(max_floor_area_m2=1000.0))), "floor_area")
    assert not r.ok and r.value == pytest.approx(1200.0) and r.margin == pytest.approx(-200.0)


def test_absent_parameters_are_not_reported():
    res = check_project(project(bld()), make_site(RuleSet(max_height_m=20.0), roads=()))
    assert [r.id for r in res.rules] == ["inside_lot", "height"]


def test_lot_override_replaces_the_zone_value():
    site = make_site(RuleSet(max_height_m=18.0, max_coverage=0.6))
    r = rule(check_project(project(bld(h=17.0)), site), "height")
    assert r.ok and r.limit == 18.0


def test_unknown_lot_is_an_input_error():
    with pytest.raises(InputError, match="lot"):
        check_project(project(bld(), lot="Z9"), make_site())


def test_empty_project_is_compliant_and_serialisable():
    import json

    res = check_project(project(), make_site())
    assert res.compliant
    doc = json.loads(json.dumps(res.to_dict(), allow_nan=False))
    assert doc["metrics"]["footprint_m2"] == 0.0


def test_json_shape_matches_spec_example():
    res = check_project(project(bld(h=14.0)), make_site(RuleSet(max_height_m=12.0)))
    doc = res.to_dict("fr")
    assert doc["compliant"] is False
    height = doc["rules"][1]
    assert height == {
        "id": "height",
        "ok": False,
        "value": 14.0,
        "limit": 12.0,
        "margin": -2.0,
        "unit": "m",
        "items": ["b1"],
        "message": "Hauteur 14,0 m > 12,0 m autorisés (b1)",
    }
    assert res.to_dict("en")["rules"][1]["message"] == "Height 14.0 m > 12.0 m allowed (b1)"


# ------------------------------------------------------------------ overlap


def test_overlap_is_reported_only_with_surfaces():
    assert check_project(project(bld()), make_site()).rule("overlap") is None
    yard = Surface("y1", "yard", rect(20, 60, 10, 10))
    r = rule(check_project(project(bld(), surfaces=(yard,)), make_site()), "overlap")
    assert (r.ok, r.value, r.limit, r.margin, r.items) == (True, 0.0, 0.0, 0.0, ())


def test_parking_under_a_building_fails_with_the_shared_area_and_the_pair():
    # Building 20 × 20 centred (50, 40); parking 20 × 10 centred (50, 52): 20 × 3 = 60 m² shared.
    p = project(bld(), surfaces=(Surface("s1", "parking", rect(50, 52, 20, 10), stalls=8),))
    res = check_project(p, make_site())
    r = rule(res, "overlap")
    assert not r.ok and not res.compliant
    assert r.value == pytest.approx(60.0) and r.margin == pytest.approx(-60.0)
    assert r.items == ("b1", "s1")
    assert r.geometry is not None and r.geometry.area == pytest.approx(60.0)
    assert r.message("fr").startswith("Chevauchement de 60 m² (b1, s1)")


def test_overlap_reports_the_pair_sharing_the_most_among_surfaces_too():
    p = project(
        bld(fp=rect(20, 40, 10, 10)),
        surfaces=(
            Surface("s1", "parking", rect(20, 46, 10, 4), stalls=0),  # 10 × 1 = 10 m² with b1
            Surface("s2", "yard", rect(60, 40, 20, 20)),
            Surface("s3", "storage", rect(75, 40, 20, 20)),  # 5 × 20 = 100 m² with s2
        ),
    )
    r = rule(check_project(p, make_site()), "overlap")
    assert not r.ok and r.value == pytest.approx(100.0) and r.items == ("s2", "s3")


@pytest.mark.parametrize(("dx", "ok"), [(0.0, True), (-0.0004, True), (-0.01, False)])
def test_surfaces_may_touch_along_an_edge(dx, ok):
    # Two 20 × 20 surfaces side by side; dx < 0 pushes one into the other (20 × |dx| m²).
    p = project(
        bld(fp=rect(20, 40, 10, 10)),
        surfaces=(
            Surface("s1", "yard", rect(50, 40, 20, 20)),
            Surface("s2", "yard", rect(70 + dx, 40, 20, 20)),
        ),
    )
    assert rule(check_project(p, make_site()), "overlap").ok is ok


def test_overlap_among_equal_pairs_names_the_first_in_the_projects_order():
    # 600 identical yards stacked: every pair shares 600 m²; the first pair is reported,
    # and the search does not need to measure the 179,700 others to know it.
    yards = tuple(Surface(f"y{i}", "yard", rect(60, 40, 30, 20)) for i in range(600))
    r = rule(check_project(project(bld(fp=rect(15, 40, 10, 10)), surfaces=yards), make_site()), "overlap")
    assert not r.ok and r.value == pytest.approx(600.0) and r.items == ("y0", "y1")
    assert r.geometry is not None and len(r.geometry.geoms) == 500  # the shared parts drawn, capped
