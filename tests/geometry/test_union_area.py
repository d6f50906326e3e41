"""The area of a union without GEOS (zacviz.geometry.union_area): GEOS's union
area to 1e-9 relative on random stacks, or no area (None) where the outlines
touch, so the caller measures with GEOS; and the check takes that path."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import shapely

from zacviz.geometry.union_area import union_area
from zacviz.rules import engine

X0, Y0 = 649_000.0, 6_948_000.0  # Lambert-93, as the sites are


def star(cx, cy, r_out, r_in, points, turn):
    k = np.arange(2 * points)
    r = np.where(k % 2 == 0, r_out, r_in)
    a = turn + np.pi * k / points
    return shapely.Polygon(np.column_stack([cx + r * np.cos(a), cy + r * np.sin(a)]))


def geos(polys, lot=None):
    u = shapely.union_all(polys)
    return (u if lot is None else u.intersection(lot)).area


def _random_set(rng, kind, m):
    out = []
    for _ in range(m):
        cx, cy = X0 + rng.uniform(0, 80), Y0 + rng.uniform(0, 80)
        if kind == "convex":
            n = int(rng.integers(3, 40))
            a = np.sort(rng.uniform(0, 2 * np.pi, n))
            r = rng.uniform(5, 30)
            out.append(shapely.Polygon(np.column_stack([cx + r * np.cos(a), cy + r * np.sin(a)])).convex_hull)
        elif kind == "concave":
            out.append(
                star(
                    cx,
                    cy,
                    rng.uniform(10, 30),
                    rng.uniform(2, 9),
                    int(rng.integers(3, 30)),
                    rng.uniform(0, 7),
                )
            )
        elif kind == "stack":
            out.append(star(X0, Y0, 45, 30, 40, 0.01 * len(out) + rng.uniform(0, 1e-3)))
        elif kind == "needles":
            a = rng.uniform(0, np.pi)
            d = np.array([math.cos(a), math.sin(a)])
            nrm = np.array([-d[1], d[0]]) * rng.uniform(0.05, 2)
            c = np.array([cx, cy])
            h = d * 5_000.0
            out.append(shapely.Polygon([c - h - nrm, c + h - nrm, c + h + nrm, c - h + nrm]))
        elif kind == "disjoint":
            x, y = X0 + 100 * len(out), Y0
            out.append(star(x, y, 20, 10, 7, rng.uniform(0, 7)))
    return out


@pytest.mark.parametrize("kind", ["convex", "concave", "stack", "needles", "disjoint"])
def test_union_area_is_geos_union_area(kind):
    rng = np.random.default_rng(sum(map(ord, kind)))
    for _ in range(6):
        polys = _random_set(rng, kind, int(rng.integers(2, 40)))
        got = union_area(polys)
        assert got is not None  # generic outlines: decided without GEOS
        assert got == pytest.approx(geos(polys), rel=1e-9)
        lot = shapely.box(X0 + 10, Y0 - 30, X0 + 70, Y0 + 60)
        in_lot = union_area(polys, lot)
        assert in_lot is not None
        assert in_lot == pytest.approx(geos(polys, lot), rel=1e-9, abs=1e-9)


def test_a_stack_of_300_vertex_outlines():
    # The heavy case's shape, smaller: 60 stars of 150 teeth, 0.01 rad apart.
    polys = [star(X0, Y0, 145.0, 125.0, 150, 0.01 * i) for i in range(60)]
    got = union_area(polys)
    assert got is not None
    assert got == pytest.approx(geos(polys), rel=1e-9)


def test_holes_count():
    ring = shapely.Polygon(
        [(X0, Y0), (X0 + 50, Y0), (X0 + 50, Y0 + 50), (X0, Y0 + 50)],
        [[(X0 + 10, Y0 + 10), (X0 + 40, Y0 + 10), (X0 + 40, Y0 + 40), (X0 + 10, Y0 + 40)]],
    )
    inside = star(X0 + 25, Y0 + 25, 12, 6, 5, 0.3)  # partly in the hole
    across = star(X0 + 45, Y0 + 25, 12, 6, 5, 0.1)
    polys = [ring, inside, across]
    assert union_area(polys) == pytest.approx(geos(polys), rel=1e-9)


@pytest.mark.parametrize(
    "polys",
    [
        # identical outlines
        [shapely.box(X0, Y0, X0 + 10, Y0 + 10), shapely.box(X0, Y0, X0 + 10, Y0 + 10)],
        # a shared edge
        [shapely.box(X0, Y0, X0 + 10, Y0 + 10), shapely.box(X0 + 10, Y0, X0 + 20, Y0 + 10)],
        # collinear overlapping edges
        [shapely.box(X0, Y0, X0 + 10, Y0 + 10), shapely.box(X0 + 5, Y0, X0 + 20, Y0 + 8)],
        # a shared corner
        [shapely.box(X0, Y0, X0 + 10, Y0 + 10), shapely.box(X0 + 10, Y0 + 10, X0 + 20, Y0 + 20)],
        # a corner on another outline's edge
        [
            shapely.box(X0, Y0, X0 + 10, Y0 + 10),
            shapely.Polygon([(X0 + 10, Y0 + 5), (X0 + 20, Y0), (X0 + 20, Y0 + 10)]),
        ],
        # a corner a hair inside another outline
        [
            shapely.box(X0, Y0, X0 + 10, Y0 + 10),
            shapely.Polygon([(X0 + 10 - 1e-12, Y0 + 5), (X0 + 20, Y0), (X0 + 20, Y0 + 10)]),
        ],
    ],
    ids=["identical", "shared-edge", "collinear", "corner", "t-junction", "hair"],
)
def test_touching_outlines_are_left_to_geos(polys):
    assert union_area(polys) is None
    # and the check's measure of them is GEOS's
    _, sealed, _ = engine._fast_union_areas(None, np.asarray(polys, dtype=object), None)
    assert sealed == pytest.approx(geos(polys), rel=1e-12)


def test_empty_and_hostile():
    assert union_area([]) == 0.0
    assert union_area([shapely.Point(X0, Y0)]) is None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # shapely warns of the NaN it is given
        bad = shapely.Polygon([(0, 0), (1, 0), (math.nan, 1)])
    assert union_area([bad]) is None
    assert union_area([shapely.box(0, 0, 1, 1), shapely.box(0.5, 0.5, math.inf, 2)]) is None


def test_the_check_measures_a_heavy_stack_without_geos(monkeypatch):
    """``zacviz check`` (no geometry at fault) of a stack above the thread's
    threshold unites nothing with GEOS: the sealed area is union_area's."""
    from tests.rules.test_engine import make_site, project
    from zacviz.geometry.footprint import footprint_polygons
    from zacviz.model.project import PolygonFootprint, Surface

    surfaces = tuple(
        Surface(
            f"s{i}",
            "parking",
            PolygonFootprint(
                tuple(
                    (
                        60 + (14.0 if k % 2 == 0 else 9.0) * math.cos(0.013 * i + math.pi * k / 60),
                        45 + (14.0 if k % 2 == 0 else 9.0) * math.sin(0.013 * i + math.pi * k / 60),
                    )
                    for k in range(120)
                )
            ),
            stalls=3,
        )
        for i in range(40)
    )
    p, site = project(surfaces=surfaces), make_site()
    polys = footprint_polygons([s.footprint for s in p.surfaces])
    expected = shapely.union_all(polys).area
    monkeypatch.setattr(engine, "_UNION_IN_THREAD_FROM", 1_000)
    monkeypatch.setattr(engine, "_AREAS_ONLY_FROM", 1_000)

    def no_geos(geoms):
        raise AssertionError("GEOS union of the stack")

    monkeypatch.setattr(engine, "_union", no_geos)
    result = engine.check_project(p, site, at_fault=False, numpy_union=True)
    assert result.metrics.sealed_m2 == pytest.approx(expected, rel=1e-9)


def test_overlapping_buildings_alone_are_measured_once(monkeypatch):
    """Buildings only, in the lot: the sealed area is the buildings' union's."""
    import zacviz.rules.engine as eng

    polys = np.asarray([star(X0, Y0, 14.0, 9.0, 60, 0.013 * i) for i in range(30)], dtype=object)
    calls = []
    measure = eng.union_area

    def counted(*args):
        calls.append(len(args[0]))
        return measure(*args)

    monkeypatch.setattr(eng, "union_area", counted)
    footprint, sealed, shape = eng._fast_union_areas(polys, polys, None)
    assert calls == [30]
    assert footprint == sealed == pytest.approx(geos(polys), rel=1e-9)
    assert shape is None


def _brute_crossings(x0, y0, x1, y1, grp, side):
    """Every (side 0 edge, side 1 edge) pair of a group whose segments cross,
    by GEOS, all pairs tried."""
    segs = shapely.linestrings(np.stack([np.column_stack([x0, y0]), np.column_stack([x1, y1])], axis=1))
    out = set()
    for a in np.flatnonzero(side == 0):
        others = np.flatnonzero((side == 1) & (grp == grp[a]))
        hit = others[shapely.intersects(segs[a], segs[others])]
        out.update((int(a), int(b)) for b in hit)
    return out


@pytest.mark.parametrize("kind", ["concave", "stack", "convex"])
def test_a_levels_crossings_are_every_crossing_pair_once(kind):
    """The crossings of a merge level (union_area._level_crossings, candidate
    pairs from a grid, one pair met in several cells kept once) are exactly the
    crossing pairs of an all-pairs test, each once, at their crossing point."""
    from zacviz.geometry import union_area as ua

    rng = np.random.default_rng({"concave": 7, "stack": 8, "convex": 9}[kind])
    polys = _random_set(rng, kind, 40)
    regions = ua._rings(polys)
    xy = np.concatenate([r for rs in regions for r in rs]) - [X0, Y0]
    ring_id = np.concatenate([np.full(len(r), k) for k, rs in enumerate(regions) for r in rs])
    cur = ua._Regions(xy, ring_id, ring_id.copy())
    x0, y0 = xy[:, 0], xy[:, 1]
    x1, y1 = x0[cur.nxt], y0[cur.nxt]
    grp, side = cur.reg // 2, cur.reg % 2
    ia, ib, ta, tb, px, py = ua._level_crossings(x0, y0, x1, y1, grp, side, 1e-9)
    pairs = list(zip(ia.tolist(), ib.tolist(), strict=True))
    assert len(pairs) == len(set(pairs))  # once each
    expected = _brute_crossings(x0, y0, x1, y1, grp, side)
    assert len(expected) >= {"concave": 20, "stack": 100, "convex": 10}[kind]
    assert set(pairs) == expected
    # The point lies at ta along a and at tb along b.
    assert np.allclose(px, x0[ia] + ta * (x1[ia] - x0[ia]), atol=1e-9)
    assert np.allclose(py, y0[ib] + tb * (y1[ib] - y0[ib]), atol=1e-9)


@pytest.mark.parametrize("high", [1_000, 2**40, 2**62])
def test_cover_entries_sorted_by_cell_as_an_argsort_sorts_them(high):
    """The cover entries sorted as one integer (key and entry number packed)
    or, when they do not fit in 63 bits together, by an argsort: the same keys,
    sides and, for each key and side, the same edges."""
    from zacviz.geometry import union_area as ua

    rng = np.random.default_rng(high % 97)
    sk = rng.integers(0, high, 50_000, dtype=np.int64)
    e = rng.integers(0, 10_000, 50_000, dtype=np.int64)
    key, sd, edges = ua._sorted_by_cell(sk, e)
    o = np.argsort(sk, kind="stable")
    assert np.array_equal(key, sk[o] >> 1) and np.array_equal(sd, sk[o] & 1)
    # Within a run of equal keys the edges may come in any order: compared as sets.
    assert sorted(zip(key.tolist(), sd.tolist(), edges.tolist(), strict=True)) == sorted(
        zip((sk >> 1).tolist(), (sk & 1).tolist(), e.tolist(), strict=True)
    )
    assert ua._sorted_by_cell(sk[:0], e[:0])[0].shape == (0,)
