"""Stall counts by rows (``layout_counts`` without a lot): the stalls far from
the outline counted by arithmetic, those along it proven out by a clear
stretch of a line across their row or decided one by one; the counts equal
the layouts' own, stall for stall, and few stalls are laid out one by one."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from shapely import affinity
from shapely.geometry import Polygon, box

from tests.geometry.test_parking_fast import random_outline
from zacviz.geometry import parking
from zacviz.geometry.parking import _grid, _inside_masks, _row_counts, layout_counts, layout_polygon


def jagged_star(turn: float, teeth: int = 150, r_out: float = 145.0, r_in: float = 125.0) -> Polygon:
    # The bench's concave car park (benchmarks/bench_check.py), turned.
    return Polygon(
        [
            (
                (r_out if k % 2 == 0 else r_in) * math.cos(turn + math.pi * k / teeth),
                (r_out if k % 2 == 0 else r_in) * math.sin(turn + math.pi * k / teeth),
            )
            for k in range(2 * teeth)
        ]
    )


@pytest.mark.parametrize("kind", ["star", "jagged", "staircase", "boxes"])
def test_counts_by_rows_equal_the_layouts(kind):
    rng = np.random.default_rng(41)
    polys = []
    for _ in range(40):
        shape = random_outline(rng, kind)
        if shape.is_empty or not shape.is_valid or shape.geom_type != "Polygon":
            continue  # a footprint is one polygon
        turn = float(rng.choice([0.0, 90.0, rng.uniform(0, 360)]))
        polys.append(affinity.translate(affinity.rotate(shape, turn, origin=(0, 0)), 649_100.0, 6_948_400.0))
    counts = layout_counts(polys)
    assert counts == [layout_polygon(p).count for p in polys]
    assert sum(counts) > 0


def test_counts_by_rows_on_a_stack_of_turned_jagged_car_parks():
    polys = [
        affinity.translate(jagged_star(0.01 * i, 60, 70.0, 58.0), 649_200.0, 6_948_150.0) for i in range(12)
    ]
    assert layout_counts(polys) == [layout_polygon(p).count for p in polys]


def rows_of(shape):
    minx, miny, maxx, maxy = shape.bounds
    return parking._grid_rows(maxx - minx, maxy - miny, minx, miny, centre=True)[:4]


def grid_over(shape):
    minx, miny, maxx, maxy = shape.bounds
    return _grid(maxx - minx, maxy - miny, minx, miny, centre=True)[0]


@pytest.mark.parametrize(
    "offset", [0.0, 1e-12, -1e-12, 1e-7, -1e-7, 9e-7, -9e-7, 1.1e-6, -1.1e-6, 1e-5, -1e-5, 2e-4]
)
def test_edges_along_stall_lines_and_thin_slits(offset):
    # An L whose inner corner and sides sit on (or a hair off) the stall
    # lines, with slits thinner and thicker than the 1e-6 m growth, notches
    # from a side, a hole, and a second part.
    stalls = _grid(60.0, 50.0, 0.0, 0.0, centre=True)[0]
    x0, y0 = np.unique(stalls[:, 0, 0]), np.unique(stalls[:, 0, 1])
    cx, cy = float(x0[8]) + offset, float(y0[2]) + offset
    lo_y = float(y0.min()) + offset
    shape = Polygon([(0, lo_y), (60, lo_y), (60, cy), (cx, cy), (cx, 50), (0, 50)])
    cuts = [
        box(30.0, -1.0, 30.0 + 1e-6, 25.0),
        box(31.3, -1.0, 31.3 + 3e-6, 25.0),
        box(20.0, 10.0, 20.0 + 5e-7, 10.5),
        Polygon([(-1, float(y0[4]) + 2.0), (-1, float(y0[4]) + 2.6), (1.3, float(y0[4]) + 2.3)]),
        Polygon([(60.5, float(y0[1]) + 1.0), (60.5, float(y0[1]) + 1.2), (57.6, float(y0[1]) + 1.1)]),
    ]
    shapes = [
        shape,
        shape.difference(shapely.union_all(cuts)),
        shapely.MultiPolygon(
            [
                Polygon([(0, 0), (28, 0), (28, 50), (0, 50)], [[(10, 10), (20, 10), (15, 30)]]),
                Polygon([(30 + offset, 2), (60, 5), (58, 48), (31, 50)]),
            ]
        ),
    ]
    got = _row_counts(shapes, [rows_of(s) for s in shapes])
    want = [int(m.sum()) for m in _inside_masks(shapes, [grid_over(s) for s in shapes])]
    assert got == want
    assert all(want)


def test_few_stalls_of_jagged_car_parks_are_laid_out_one_by_one(monkeypatch):
    # The bench's worst car parks: of some 8,400 stall places a car park (two
    # candidate layouts), those far from the outline are counted by
    # arithmetic and most of those along it proven out by a clear stretch; a
    # few dozen are decided one by one (every one of them was before).
    sent = []
    real = parking._inside_masks
    monkeypatch.setattr(
        parking, "_inside_masks", lambda shapes, st: sent.append(sum(map(len, st))) or real(shapes, st)
    )
    polys = [affinity.translate(jagged_star(0.01 * i), 649_200.0, 6_948_150.0) for i in range(4)]
    assert layout_counts(polys) == [2418] * 4
    places = 4 * 2 * 36 * 116
    assert sum(sent) < 0.03 * places


def test_the_lines_get_the_edges_row_by_row_left_to_right(monkeypatch):
    """The (row, edge) pairs reach each line's test (_proven_out) row by row
    and, in a row, nearly left to right, so its sort of them is a few passes
    (sorted from the edges' order around the outline, 1,000 jagged car parks
    spent a tenth of their stall count in these sorts); the counts are the
    layouts' own."""
    seen = []
    real = parking._proven_out

    def spy(y_of_row, rox, rfirst, rlast, slot_of, slots, pr, pax, pay, pex, pey, big, lo_x):
        seen.append((pr.copy(), np.minimum(pax, pex)))
        return real(y_of_row, rox, rfirst, rlast, slot_of, slots, pr, pax, pay, pex, pey, big, lo_x)

    monkeypatch.setattr(parking, "_proven_out", spy)
    polys = [
        affinity.translate(jagged_star(0.01 * i, 60, 70.0, 58.0), 649_200.0, 6_948_150.0) for i in range(6)
    ]
    assert layout_counts(polys) == [layout_polygon(p).count for p in polys]
    assert seen
    for pr, x in seen:
        assert len(pr) > 100
        assert (np.diff(pr) >= 0).all()  # row by row
        same_row = np.diff(pr) == 0
        assert (np.diff(x)[same_row] < 0).mean() < 0.2  # nearly left to right
