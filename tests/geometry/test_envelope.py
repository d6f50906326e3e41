"""zacviz.geometry.envelope: the buildable area and the 3D envelope of a lot.

The site is built in memory: a 100 m square lot with a road along its south
side, so every expected figure can be worked out by hand.
"""

from __future__ import annotations

import math

import pytest
import shapely
from shapely.geometry import Polygon, box

from zacviz.geometry.envelope import buildable_area, envelope_levels, envelope_mesh
from zacviz.model.project import Building, Project, RectFootprint
from zacviz.model.site import Lot, Road, RuleSet, Site
from zacviz.rules.engine import check_project

X0, Y0 = 650_000.0, 6_860_000.0
RULES = RuleSet(
    max_coverage=0.6,
    max_height_m=15.0,
    min_setback_road_m=10.0,
    min_setback_side_m=5.0,
    side_setback_height_ratio=0.5,
    min_building_spacing_m=6.0,
)


def make_site(
    lot_poly: Polygon | None = None, road_setback: float | None = None, rules: RuleSet = RULES
) -> Site:
    lot = Lot("A1", "UE", "available", lot_poly or box(X0, Y0, X0 + 100, Y0 + 100), rules)
    road = Road("r1", box(X0 - 50, Y0 - 20, X0 + 150, Y0), name="Rue", setback_m=road_setback)
    return Site("test", "Test", "EPSG:2154", folder=None, zones={"UE": rules}, lots=(lot,), roads=(road,))  # type: ignore[arg-type]


def rect(x0: float, y0: float, x1: float, y1: float, height: float) -> Project:
    fp = RectFootprint((x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0)
    b = Building("b1", "office", height, 1, "flat", fp)
    return Project("test", "A1", buildings=(b,))


def test_low_building_keeps_the_minimum_side_setback():
    site = make_site()
    area = buildable_area(site, site.lots[0], 6.0)
    # Road band 10 m on the south side, 5 m on the three others.
    assert area.area == pytest.approx(90 * 85, abs=0.01)
    assert area.bounds == pytest.approx((X0 + 5, Y0 + 10, X0 + 95, Y0 + 95), abs=1e-6)


def test_side_setback_grows_with_height():
    site = make_site()
    area = buildable_area(site, site.lots[0], 14.0)  # 0.5 × 14 = 7 m > 5 m
    assert area.bounds == pytest.approx((X0 + 7, Y0 + 10, X0 + 93, Y0 + 93), abs=1e-6)


def test_road_setback_override_is_used():
    site = make_site(road_setback=35.0)
    area = buildable_area(site, site.lots[0], 6.0)
    assert area.bounds[1] == pytest.approx(Y0 + 35.0, abs=1e-6)


@pytest.mark.parametrize("height", [4.0, 12.0, 15.0])
def test_a_building_filling_the_area_complies_and_one_beyond_does_not(height):
    site = make_site()
    lot = site.lots[0]
    x0, y0, x1, y1 = buildable_area(site, lot, height).bounds
    ok = check_project(rect(x0, y0, x1, y1, height), site)
    assert ok.rule("road_setback").ok and ok.rule("side_setback").ok
    too_far = check_project(rect(x0 - 0.5, y0, x1, y1, height), site)
    assert not too_far.rule("side_setback").ok
    too_near = check_project(rect(x0, y0 - 0.5, x1, y1, height), site)
    assert not too_near.rule("road_setback").ok


def test_rounded_corner_of_a_road_band_stays_within_tolerance():
    """Near a road's end the band is round: a point on its edge is still ≥ setback − 0.01 m."""
    rules = RuleSet(min_setback_road_m=35.0)
    lot = box(X0, Y0, X0 + 200, Y0 + 200)
    site = make_site(lot_poly=lot, rules=rules)
    road = site.roads[0].polygon
    area = buildable_area(site, site.lots[0], 0.0)
    ring = shapely.get_coordinates(area.exterior)
    dist = shapely.distance(shapely.points(ring), road)
    assert dist.min() >= 35.0 - 0.01


def test_nothing_left_gives_empty_area_and_mesh():
    site = make_site(lot_poly=box(X0, Y0, X0 + 12, Y0 + 12))
    lot = site.lots[0]
    assert buildable_area(site, lot, 5.0).is_empty
    assert envelope_mesh(site, lot).is_empty


def test_envelope_levels_start_at_the_knee():
    site = make_site()
    assert envelope_levels(site.lots[0]) == [10.0, 11.0, 12.0, 13.0, 14.0, 15.0]
    no_ratio = RuleSet(max_height_m=12.0, min_setback_side_m=5.0)
    assert envelope_levels(Lot("x", "UE", "available", box(0, 0, 1, 1), no_ratio)) == [12.0]
    with pytest.raises(ValueError):
        envelope_levels(site.lots[0], 0.0)


def test_envelope_mesh_stacks_the_slices():
    site = make_site()
    lot = site.lots[0]
    mesh = envelope_mesh(site, lot)
    assert mesh.is_closed and mesh.volume > 0
    assert mesh.bounds[1][2] == pytest.approx(15.0)
    assert mesh.bounds[0][2] == pytest.approx(0.0)
    expected = 10.0 * buildable_area(site, lot, 10.0).area + sum(
        buildable_area(site, lot, h).area for h in (11.0, 12.0, 13.0, 14.0, 15.0)
    )
    assert mesh.volume == pytest.approx(expected, rel=1e-6)
    # The top slice is narrower than the bottom one (H/2 = 7.5 m at 15 m).
    top = mesh.vertices[mesh.vertices[:, 2] > 14.5]
    assert top[:, 0].min() == pytest.approx(X0 + 7.5, abs=1e-6)
    assert not math.isclose(top[:, 0].min(), mesh.vertices[:, 0].min())
