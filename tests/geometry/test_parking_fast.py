"""The row-by-row stall test against its definition (GEOS, kept as the oracle):
the same stalls, to the last one, on random concave outlines and on the cases
where a stall side runs along an edge, a notch ends inside a stall, or a slit
is thinner than the 1e-6 m growth."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from shapely import affinity
from shapely.geometry import Polygon, box

from zacviz.geometry.parking import _grid, _inside_geos, _inside_mask, layout_polygon


def grid_over(shape, turn=0.0):
    minx, miny, maxx, maxy = shape.bounds
    stalls, _ = _grid(maxx - minx, maxy - miny, minx, miny, centre=True)
    return stalls


def same_as_oracle(shape, stalls):
    fast = _inside_mask(shape, stalls)
    slow = _inside_geos(shape, stalls)
    assert np.array_equal(fast, slow), np.flatnonzero(fast != slow)[:10]
    return int(slow.sum())


def random_outline(rng, kind):
    if kind == "star":
        n = int(rng.integers(3, 80))
        r_out = rng.uniform(8, 120)
        r_in = r_out * rng.uniform(0.2, 0.97)
        turn = rng.uniform(0, math.pi)
        pts = [
            (
                (r_out if k % 2 == 0 else r_in) * math.cos(turn + math.pi * k / n),
                (r_out if k % 2 == 0 else r_in) * math.sin(turn + math.pi * k / n),
            )
            for k in range(2 * n)
        ]
        return Polygon(pts)
    if kind == "jagged":
        n = int(rng.integers(10, 300))
        ang = np.sort(rng.uniform(0, 2 * math.pi, n))
        r = rng.uniform(20, 90, n)
        return Polygon(np.c_[r * np.cos(ang), r * np.sin(ang)]).buffer(0)
    if kind == "staircase":
        # Steps on the stall grid's own lines (multiples of 2.5 and 5 m).
        steps = int(rng.integers(2, 12))
        xs = np.cumsum(rng.integers(1, 8, steps) * 2.5)
        ys = np.cumsum(rng.integers(1, 6, steps) * 5.0)
        pts = [(0.0, 0.0), (float(xs[-1]) + 10, 0.0)]
        for x, y in zip(xs[::-1], ys):
            pts += [(float(x) + 10, float(y)), (float(x), float(y))]
        pts.append((0.0, float(ys[-1])))
        return Polygon(pts).buffer(0)
    # A union of random boxes, many on the grid's lines.
    parts = []
    for _ in range(int(rng.integers(2, 9))):
        x, y = rng.integers(-20, 20, 2) * 2.5
        w, h = rng.integers(2, 20, 2) * 2.5
        parts.append(box(x, y, x + w, y + h))
    return shapely.union_all(parts)


@pytest.mark.parametrize("kind", ["star", "jagged", "staircase", "boxes"])
def test_random_outlines_match_the_oracle(kind):
    rng = np.random.default_rng(14)
    seen = 0
    for _ in range(60):
        shape = random_outline(rng, kind)
        if shape.is_empty or not shape.is_valid:
            continue
        for turn in (0.0, 90.0, float(rng.uniform(0, 360))):
            frame = affinity.rotate(shape, turn, origin=(0, 0))
            stalls = grid_over(frame)
            if len(stalls):
                seen += same_as_oracle(frame, stalls)
    assert seen > 0


@pytest.mark.parametrize(
    "offset", [0.0, 1e-12, -1e-12, 1e-7, -1e-7, 9e-7, -9e-7, 1.1e-6, -1.1e-6, 1e-5, -1e-5, 2e-4]
)
def test_edges_along_stall_sides(offset):
    # An L whose inner corner and sides sit on (or a hair off) the stall lines.
    stalls, _ = _grid(60.0, 50.0, 0.0, 0.0, centre=True)
    x0 = stalls[:, 0, 0]
    y0 = stalls[:, 0, 1]
    cx = float(np.unique(x0)[8]) + offset
    cy = float(np.unique(y0)[2]) + offset
    lo_y = float(y0.min()) + offset
    shape = Polygon([(0, lo_y), (60, lo_y), (60, cy), (cx, cy), (cx, 50), (0, 50)])
    assert same_as_oracle(shape, stalls) > 0


def test_notches_ending_inside_stalls_and_thin_slits():
    stalls, _ = _grid(60.0, 40.0, 0.0, 0.0, centre=True)
    outer = box(0, 0, 60, 40)
    xs = np.unique(stalls[:, 0, 0])
    ys = np.unique(stalls[:, 0, 1])
    cuts = []
    for i, x in enumerate(xs[1:-1:3]):
        tip_y = float(ys[1]) + 1.0 + 0.3 * i
        cuts.append(Polygon([(x + 0.6, 40.5), (x + 1.4, 40.5), (x + 1.0, tip_y)]))  # notch from above
    for j, y in enumerate(ys[::2]):
        cuts.append(Polygon([(-1, y + 2.0), (-1, y + 2.6), (1.2 + 0.1 * j, y + 2.3)]))  # from the left
    cuts.append(box(30.0, -1.0, 30.0 + 1e-6, 25.0))  # a slit thinner than the growth
    cuts.append(box(31.3, -1.0, 31.3 + 3e-6, 25.0))  # one just thicker
    cuts.append(box(20.0, 10.0, 20.0 + 5e-7, 10.5))  # a hole thinner than the growth
    shape = outer.difference(shapely.union_all(cuts))
    assert same_as_oracle(shape, stalls) > 0


def test_holes_and_several_parts():
    stalls, _ = _grid(80.0, 60.0, 0.0, 0.0, centre=True)
    lot = shapely.MultiPolygon(
        [
            Polygon([(0, 0), (38, 0), (38, 60), (0, 60)], [[(10, 10), (20, 10), (15, 30)]]),
            Polygon([(40, 2), (80, 5), (78, 58), (41, 60)]),
        ]
    )
    assert same_as_oracle(lot, stalls) > 0


def test_layouts_unchanged_on_stars(monkeypatch):
    # Whole layouts (alone and cut by a lot), stall by stall, against the
    # layouts every stall of which GEOS decided.
    import zacviz.geometry.parking as parking

    rng = np.random.default_rng(7)
    polys = [random_outline(rng, "star") for _ in range(15)]
    polys = [affinity.translate(p, 649_100.0, 6_948_400.0) for p in polys]
    lot = box(649_020.0, 6_948_330.0, 649_180.0, 6_948_470.0)
    fast = [(layout_polygon(p), layout_polygon(p, clip=lot)) for p in polys]
    monkeypatch.setattr(
        parking,
        "_inside_masks",
        lambda shapes, stalls: [
            _inside_geos(sh, st) if len(st) else np.zeros(0, bool) for sh, st in zip(shapes, stalls)
        ],
    )
    slow = [(layout_polygon(p), layout_polygon(p, clip=lot)) for p in polys]
    assert sum(a.count for a, _ in slow) > 0
    for pair_fast, pair_slow in zip(fast, slow):
        for f, s in zip(pair_fast, pair_slow):
            assert f.count == s.count and f.angle_deg == s.angle_deg
            assert np.array_equal(f.stalls, s.stalls) and np.array_equal(f.aisles, s.aisles)


def test_many_outlines_in_one_batch_match_one_by_one():
    # Car parks of every kind and size decided in one numpy pass, some stall
    # lists empty: each keeps its own stalls.
    import zacviz.geometry.parking as parking

    rng = np.random.default_rng(21)
    shapes, stalls = [], []
    for k in range(40):
        shape = random_outline(rng, ["star", "jagged", "staircase", "boxes"][k % 4])
        if shape.is_empty or not shape.is_valid:
            continue
        shapes.append(shape)
        stalls.append(grid_over(shape) if k % 7 else np.zeros((0, 4, 2)))
    masks = parking._inside_masks(shapes, stalls)
    for shape, st, mask in zip(shapes, stalls, masks):
        assert np.array_equal(mask, _inside_geos(shape, st) if len(st) else np.zeros(0, dtype=bool))


def test_stall_counts_match_the_single_layouts():
    from zacviz.geometry.footprint import footprint_polygon
    from zacviz.geometry.parking import layout_polygon, stall_counts, stall_layout
    from zacviz.model.project import PolygonFootprint, RectFootprint

    rng = np.random.default_rng(5)
    fps = [
        PolygonFootprint(
            tuple(map(tuple, np.asarray(random_outline(rng, "star").exterior.coords)[:-1] + 500.0))
        )
        for _ in range(12)
    ] + [RectFootprint(500.0, 500.0, 40.0, 23.0, 17.0), RectFootprint(560.0, 500.0, 90.0, 33.0, 0.0)]
    lot = box(430.0, 440.0, 575.0, 560.0)
    assert stall_counts(fps) == [stall_layout(fp).count for fp in fps]
    assert stall_counts(fps, lot) == [layout_polygon(footprint_polygon(fp), clip=lot).count for fp in fps]
    assert any(not box(430.0, 440.0, 575.0, 560.0).covers(footprint_polygon(fp)) for fp in fps)


def test_jagged_car_parks_hardly_reach_geos(monkeypatch):
    # The bench's worst car parks (jagged 300-vertex stars over most of a lot):
    # numpy decides every stall, GEOS none (it decided all of them before).
    import zacviz.geometry.parking as parking
    from zacviz.model.project import PolygonFootprint

    sent = []
    oracle = parking._inside_geos
    monkeypatch.setattr(parking, "_inside_geos", lambda shape, st: sent.append(len(st)) or oracle(shape, st))
    fps = [
        PolygonFootprint(
            tuple(
                (
                    (145.0 if k % 2 == 0 else 125.0) * math.cos(0.01 * i + math.pi * k / 150),
                    (145.0 if k % 2 == 0 else 125.0) * math.sin(0.01 * i + math.pi * k / 150),
                )
                for k in range(300)
            )
        )
        for i in range(6)
    ]
    parking._COUNTS.clear()
    assert parking.stall_counts(fps) == [2418] * 6
    assert sum(sent) == 0
