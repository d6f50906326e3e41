"""The overlap and spacing rules take shortcuts on the worst valid projects
(turned stacks, outlines of 10,000 vertices): each shortcut gives the same
result as measuring every pair with GEOS."""

from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import replace

import numpy as np
import pytest
import shapely
from shapely.geometry import box

from tests.rules.test_engine import UE, bld, make_site, project, rect, rule
from zacviz.geometry.pairs import _clip_areas, cell_areas, convex_rings, grid_overlap_bounds, overlap_bounds
from zacviz.model.project import PolygonFootprint, Project, Surface
from zacviz.rules import engine
from zacviz.rules.engine import check_project

# Lambert-93 magnitudes: the clip must stay exact far from the origin.
X0, Y0 = 649_000.0, 6_948_000.0


def _rect_poly(cx, cy, w, d, a):
    c, s = math.cos(a), math.sin(a)
    return shapely.Polygon(
        [(cx + x * c - y * s, cy + x * s + y * c) for x, y in ((-w, -d), (w, -d), (w, d), (-w, d))]
    )


def _star(cx, cy, n, r0, r1, turn=0.0):
    return [
        (
            cx + (r1 if i % 2 else r0) * math.cos(2 * math.pi * i / n + turn),
            cy + (r1 if i % 2 else r0) * math.sin(2 * math.pi * i / n + turn),
        )
        for i in range(n)
    ]


def test_hull_clip_bounds_every_shared_area_and_is_exact_for_convex_pairs():
    rng = np.random.default_rng(7)
    rects = [
        _rect_poly(
            X0 + rng.uniform(0, 40), Y0 + rng.uniform(0, 40), *rng.uniform(0.5, 30, 2), rng.uniform(0, 7)
        )
        for _ in range(300)
    ]
    concave = [
        shapely.Polygon(_star(X0 + 20, Y0 + 20, 60, 10, 18)),
        shapely.Polygon([(X0, Y0), (X0 + 30, Y0), (X0 + 30, Y0 + 30), (X0 + 15, Y0 + 5), (X0, Y0 + 30)]),
        shapely.Polygon(_star(X0 + 25, Y0 + 15, 400, 9, 12)),  # a hull past the vertex cap
    ]
    polys = np.array(rects + concave, dtype=object)
    i, j = np.triu_indices(len(polys), 1)
    shared = shapely.area(shapely.intersection(polys[i], polys[j]))
    rings = convex_rings(polys)
    raw = _clip_areas(rings[i], rings[j])
    assert (raw >= shared - 1e-7 * np.maximum(1.0, shared)).all()
    convex = (i < len(rects)) & (j < len(rects))
    assert np.abs(raw - shared)[convex].max() <= 1e-6
    assert (raw[~convex] > shared[~convex]).any()  # only a bound for concave shapes
    bound = overlap_bounds(rings, i, j, np.full(len(i), np.inf))
    assert (bound >= shared).all()


def _brute_overlap(result_project, polys, nb):
    best = (-1.0, 0, 0)
    n = len(polys)
    for a in range(n):
        for b in range(max(a + 1, nb), n):
            area = polys[a].intersection(polys[b]).area
            if area > best[0]:
                best = (area, a, b)
    ids = [x.id for x in result_project.buildings] + [s.id for s in result_project.surfaces]
    return best[0], (ids[best[1]], ids[best[2]])


@pytest.mark.parametrize("turn", [0.37, 0.0, 0.011])
def test_overlap_of_a_turned_stack_is_the_pair_sharing_most(turn):
    surfaces = tuple(
        Surface(
            f"s{k}", "yard", rect(50 + 0.01 * (k % 3), 40, 30 - 0.05 * (k % 5), 15, math.degrees(k * turn))
        )
        for k in range(120)
    )
    buildings = tuple(bld(f"b{k}", rect(50, 40, 20, 10, 7.0 * k)) for k in range(3))
    p = project(*buildings, surfaces=surfaces)
    r = rule(check_project(p, make_site()), "overlap")
    polys = [shapely.Polygon(x.footprint.corners()) for x in (*buildings, *surfaces)]
    value, items = _brute_overlap(p, polys, len(buildings))
    assert r.value == pytest.approx(value, rel=1e-12)
    assert r.items == items
    assert not r.ok


def stacked_yards(outlines) -> tuple[Project, np.ndarray]:
    """A 10 m building at (200, 150) under yards of these outlines, and the
    shapes in the engine's order (the building first)."""
    surfaces = tuple(Surface(f"s{k}", "yard", PolygonFootprint(tuple(o))) for k, o in enumerate(outlines))
    p = project(bld("b1", rect(200, 150, 10, 10)), surfaces=surfaces)
    polys = np.array(
        [shapely.Polygon(p.buildings[0].footprint.corners())]
        + [shapely.Polygon(s.footprint.points) for s in surfaces],
        dtype=object,
    )
    return p, polys


def test_overlap_of_stacked_concave_surfaces_is_the_pair_sharing_most():
    p, polys = stacked_yards([_star(200, 150, 40, 20, 30, 0.02 * k) for k in range(40)])
    r = rule(check_project(p, make_site(lot=box(0, 0, 400, 300))), "overlap")
    value, items = _brute_overlap(p, polys, 1)
    assert r.value == pytest.approx(value, rel=1e-12)
    assert r.items == items


@pytest.mark.parametrize("gaps", [(1.5, 1.5, 7.0), (0.9, 2.4, 0.0), (6.5, 6.0, 8.0), (3.0, -2.0, 0.005)])
def test_spacing_of_many_vertex_neighbours_is_what_shapely_measures(gaps, monkeypatch):
    # Six 10,000-vertex outlines in two rows; gaps set between neighbours
    # (negative: overlapping, 0.005: joined within the tolerance).
    n, r1 = 10_000, 18.0
    buildings = []
    for k in range(6):
        col, row = k % 3, k // 3
        cx = 40 + col * (2 * r1 + gaps[0]) + (gaps[1] if col == 2 else 0.0)
        cy = 40 + row * (2 * r1 + gaps[2])
        pts = _star(cx, cy, n, 16.0, r1)
        buildings.append(bld(f"v{k}", PolygonFootprint(tuple(pts))))
    p = project(*buildings)
    site = make_site(lot=box(0, 0, 400, 300))
    fast = rule(check_project(p, site), "building_spacing")
    monkeypatch.setattr(engine, "_HEAVY_PAIR", 10**18)  # every pair measured by shapely.distance
    exact = rule(check_project(replace(p), site), "building_spacing")  # a new object: no cached answer
    assert fast.value == exact.value
    assert fast.items == exact.items
    assert fast.ok == exact.ok
    assert fast.message_key == exact.message_key
    assert fast.message_fields == exact.message_fields


def test_the_spacing_limit_is_kept_exactly_for_many_vertex_neighbours(monkeypatch):
    # Two outlines 5.99 m apart (fail within the tolerance? no: 5.99 < 6 − 0.01
    # is false, so they pass) and two 5.98 m apart (fail).
    def pair(x, gap, tag):
        a = _star(x, 60, 10_000, 16.0, 18.0)
        b = [(px + 36.0 + gap, py) for px, py in a]
        return [bld(f"{tag}a", PolygonFootprint(tuple(a))), bld(f"{tag}b", PolygonFootprint(tuple(b)))]

    p = project(*pair(40, 5.99, "p"), *pair(200, 5.98, "f"))
    site = make_site(lot=box(0, 0, 400, 300))
    fast = rule(check_project(p, site), "building_spacing")
    monkeypatch.setattr(engine, "_HEAVY_PAIR", 10**18)
    exact = rule(check_project(replace(p), site), "building_spacing")  # a new object: no cached answer
    assert (fast.value, fast.items, fast.ok) == (exact.value, exact.items, exact.ok)
    assert fast.items == ("fa", "fb")
    assert UE.min_building_spacing_m == 6.0


def _cells(x0, y0, x1, y1, g):
    sx, sy = (x1 - x0) / g, (y1 - y0) / g
    return np.array(
        [
            shapely.box(x0 + c * sx, y0 + r * sy, x0 + (c + 1) * sx, y0 + (r + 1) * sy)
            for c in range(g)
            for r in range(g)
        ]
    )


def test_cell_areas_are_the_areas_geos_measures_in_each_cell():
    rng = np.random.default_rng(3)
    polys = [
        shapely.Polygon(
            _star(
                X0 + rng.uniform(10, 90),
                Y0 + rng.uniform(10, 90),
                2 * rng.integers(3, 40),
                3,
                25,
                rng.uniform(0, 7),
            )
        )
        for _ in range(40)
    ]
    polys += [
        _rect_poly(X0 + 50, Y0 + 50, 30, 12, 0.3).reverse(),  # clockwise
        shapely.box(X0 + 20, Y0 + 20, X0 + 60, Y0 + 40),  # edges on the cell lines
        shapely.box(X0 + 5, Y0 + 5, X0 + 45, Y0 + 45).difference(
            shapely.box(X0 + 12, Y0 + 12, X0 + 31, Y0 + 27)
        ),
    ]
    polys = np.array(polys, dtype=object)
    assert shapely.is_valid(polys).all()
    bounds = tuple(shapely.total_bounds(polys))
    for g in (1, 5, 16):
        got = cell_areas(polys, bounds, g)
        expected = shapely.area(shapely.intersection(polys[:, None], _cells(*bounds, g)[None, :]))
        assert np.abs(got - expected).max() <= 1e-6
        assert got.sum(axis=1) == pytest.approx(shapely.area(polys), rel=1e-12)


def test_the_grid_bound_holds_for_every_pair_and_separates_turned_concave_shapes():
    polys = np.array(
        [shapely.Polygon(_star(X0 + 60, Y0 + 60, 60, 35, 60, 0.01 * k)) for k in range(60)]
        + [_rect_poly(X0 + 60 + k, Y0 + 60, 30, 15, 0.37 * k) for k in range(20)],
        dtype=object,
    )
    i, j = np.triu_indices(len(polys), 1)
    shared = shapely.area(shapely.intersection(polys[i], polys[j]))
    smaller = np.minimum(shapely.area(polys[i]), shapely.area(polys[j]))
    cells = cell_areas(polys, shapely.total_bounds(polys), 16)
    hair = 1e-9 * smaller  # GEOS's shared area of a shape inside another is its area, to float noise
    bound = grid_overlap_bounds(cells, i, j, smaller + hair)
    assert (bound >= shared).all()
    assert (bound <= smaller + hair).all()
    # Between two turned stars, the bound falls well below the smaller area (a
    # hull says nothing there: both hulls are almost the same disc).
    stars = j < 60
    assert np.median((smaller - bound)[stars & (j - i > 3)]) > 100.0


def test_a_turned_concave_stack_is_settled_by_few_intersections(monkeypatch):
    # 120 stars of 60 vertices on one spot, each turned 0.01 rad from the last:
    # every pair overlaps; the one sharing most is found exactly, intersecting
    # a few hundred of the 7,140 pairs.
    surfaces = tuple(
        Surface(f"s{k}", "yard", PolygonFootprint(tuple(_star(200, 150, 60, 35, 60, 0.01 * k))))
        for k in range(120)
    )
    p = project(bld("b1", rect(20, 20, 10, 10)), surfaces=surfaces)
    site = make_site(lot=box(0, 0, 400, 300))
    with counted_intersections(monkeypatch) as intersected:
        r = rule(check_project(p, site), "overlap")
    polys = np.array([shapely.Polygon(s.footprint.points) for s in surfaces], dtype=object)
    value, i, j = worst_pair(polys)
    assert r.value == value
    assert r.items == (f"s{i}", f"s{j}")
    assert sum(intersected) <= 1_500


@contextmanager
def counted_intersections(monkeypatch):
    """The sizes of the calls to ``shapely.intersection`` made inside the block."""
    intersected: list[int] = []
    real = shapely.intersection

    def counting(a, b, **kw):
        intersected.append(np.size(a))
        return real(a, b, **kw)

    monkeypatch.setattr(shapely, "intersection", counting)
    try:
        yield intersected
    finally:
        monkeypatch.setattr(shapely, "intersection", real)


def worst_pair(polys: np.ndarray) -> tuple[float, int, int]:
    """By brute force: the largest area two of ``polys`` share, and the first
    pair (i, j) sharing it."""
    i, j = np.triu_indices(len(polys), 1)
    shared = shapely.area(shapely.intersection(polys[i], polys[j]))
    best = int(np.lexsort((j, i, -shared))[0])
    return float(shared[best]), int(i[best]), int(j[best])
