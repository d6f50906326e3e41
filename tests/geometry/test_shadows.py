"""Shadows on the ground: away from the sun, h / tan(elevation) long."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np
import pytest
from shapely.geometry import Polygon, box

from zacviz.geometry.shadows import building_shadow, prism_shadow, projected_triangles, shadow_vector, shadows
from zacviz.geometry.sun import SunPosition, solar_position
from zacviz.model.project import ROOFS, Building, RectFootprint
from zacviz.model.site import ContextBuilding


def far_point(shadow, direction):
    """The shadow's farthest reach along a unit direction (east, north)."""
    xy = np.asarray(shadow.exterior.coords)
    return (xy @ np.asarray(direction)).max()


@pytest.mark.parametrize("azimuth", [90.0, 135.0, 180.0, 250.0, 330.0])
@pytest.mark.parametrize("elevation", [15.0, 40.0, 64.6])
def test_prism_shadow_points_away_from_the_sun_and_has_the_right_length(azimuth, elevation):
    sun = SunPosition(azimuth, elevation)
    square = box(-5, -5, 5, 5)
    shadow = prism_shadow(square, 10.0, sun)
    length = 10.0 / math.tan(math.radians(elevation))
    away = (-math.sin(math.radians(azimuth)), -math.cos(math.radians(azimuth)))
    # The square reaches 5·(|e|+|n|) along ``away``; the shadow goes ``length`` further.
    reach = far_point(square, away)
    assert far_point(shadow, away) == pytest.approx(reach + length, abs=1e-6)
    # ...and nothing reaches towards the sun beyond the building itself.
    toward = (-away[0], -away[1])
    assert far_point(shadow, toward) == pytest.approx(far_point(square, toward), abs=1e-6)
    # Area: footprint + swept band (width of the square across the shadow × length).
    across = abs(10 * away[0]) + abs(10 * away[1])
    assert shadow.area == pytest.approx(100.0 + across * length, rel=1e-6)


def test_no_shadow_at_night_and_bounded_at_dusk():
    assert shadow_vector(SunPosition(0.0, -5.0)) is None
    assert prism_shadow(box(0, 0, 1, 1), 10.0, SunPosition(0.0, -5.0)).is_empty
    dx, dy = shadow_vector(SunPosition(270.0, 0.6))
    assert dx > 0 and abs(dy) < 1e-9 and dx <= 40.0


def test_shadow_of_a_courtyard_building_keeps_its_hole_when_the_sun_is_high():
    ring = box(0, 0, 60, 60)
    court = Polygon(ring.exterior.coords, [box(15, 15, 45, 45).exterior.coords])
    shadow = prism_shadow(court, 6.0, SunPosition(180.0, 60.0))
    assert shadow.geom_type == "Polygon" and len(shadow.interiors) == 1


@pytest.mark.parametrize("roof", ROOFS)
def test_building_shadows_in_scene_coordinates(roof):
    origin = (649_000.0, 6_948_000.0)
    b = Building("b1", "office", 12.0, 1, roof, RectFootprint(origin[0] + 50, origin[1] + 50, 40, 20, 0.0))
    sun = SunPosition(180.0, 45.0)  # due south: shadow northwards, 12 m at most
    shadow = building_shadow(b, sun, origin)
    minx, miny, maxx, maxy = shadow.bounds
    assert (minx, miny, maxx) == pytest.approx((30.0, 40.0, 70.0))
    # The ridge or high side throws the far edge; lower eaves never reach further.
    assert 60.0 + 6.0 < maxy <= 60.0 + 12.0 + 1e-6
    if roof in ("flat", "shed"):
        assert maxy == pytest.approx(72.0)


def test_all_shadows_of_a_summer_afternoon_fall_north_east():
    origin = (0.0, 0.0)
    sun = solar_position(2.35, 48.86, datetime(2024, 6, 21, 15, 0, tzinfo=UTC))  # 17:00 in Paris
    assert 230 < sun.azimuth_deg < 280
    buildings = [Building("b1", "office", 10.0, 2, "flat", RectFootprint(0, 0, 20, 20, 0))]
    context = [ContextBuilding("c1", box(100, 0, 120, 20), None)]  # 8 m by default
    union = shadows(buildings, context, sun, origin)
    assert union.geom_type == "MultiPolygon" and len(union.geoms) == 2
    for part in union.geoms:
        assert part.centroid.x > part.envelope.centroid.x - 1e-9  # leaning east
    east_extent = [g.bounds[2] for g in union.geoms]
    assert east_extent[0] - 10.0 > east_extent[1] - 120.0  # the taller one throws further
    assert shadows(buildings, context, SunPosition(0.0, -10.0), origin).is_empty


@pytest.mark.parametrize("roof", ROOFS)
@pytest.mark.parametrize("sun", [SunPosition(180.0, 45.0), SunPosition(250.0, 18.0), SunPosition(95.0, 62.0)])
@pytest.mark.parametrize("lit_only", [False, True])
def test_projected_triangles_cover_exactly_the_shadow(roof, sun, lit_only):
    """The faces projected one by one cover the same ground as the unioned
    shadow; so do the faces lit by the sun alone, fewer."""
    import shapely

    from zacviz.geometry.volumes import building_mesh, concatenate, context_mesh

    origin = (649_000.0, 6_948_000.0)
    b = Building("b1", "office", 12.0, 1, roof, RectFootprint(origin[0] + 50, origin[1] + 50, 40, 20, 17.0))
    ctx = ContextBuilding("c1", box(origin[0] + 120, origin[1], origin[0] + 150, origin[1] + 40), 7.0)
    mesh = concatenate([building_mesh(b, origin), context_mesh(ctx, origin)])
    tris = projected_triangles(mesh.triangles, sun, mesh.face_normals if lit_only else None)
    if lit_only:
        assert len(tris) < 0.8 * len(projected_triangles(mesh.triangles, sun))
    assert tris.dtype == np.float32 and tris.shape[1:] == (3, 3) and not tris[..., 2].any()
    covered = shapely.union_all(shapely.polygons(tris[..., :2].astype(np.float64)))
    expected = shadows([b], [ctx], sun, origin)
    assert covered.symmetric_difference(expected).area < 1e-3 * expected.area


def test_projected_triangles_none_at_night_and_for_nothing():
    tri = np.array([[[0, 0, 0], [1, 0, 5], [0, 1, 5]]], dtype=np.float32)
    assert projected_triangles(tri, SunPosition(0.0, -5.0)).shape == (0, 3, 3)
    assert projected_triangles(np.zeros((0, 3, 3)), SunPosition(180.0, 30.0)).shape == (0, 3, 3)
    # A wall facing south: seen by a southern sun it throws a triangle; with the
    # sun in the east its plane holds the rays, and it throws nothing.
    wall = np.array([[[0, 0, 0], [0, 0, 10], [1, 0, 0]]], dtype=np.float32)
    assert len(projected_triangles(wall, SunPosition(180.0, 45.0))) == 1
    assert len(projected_triangles(wall, SunPosition(90.0, 45.0))) == 0
