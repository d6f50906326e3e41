"""The documented stall layout: counts on rectangles, stalls inside the surface."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon

from zacviz.geometry.parking import AISLE_M, STALL_DEPTH_M, STALL_WIDTH_M, layout_polygon, stall_layout
from zacviz.model.project import PolygonFootprint, RectFootprint


def rect_poly(w, d, angle=0.0, cx=649_100.0, cy=6_948_400.0):
    return Polygon(RectFootprint(cx, cy, w, d, angle).corners())


def best_rect_count(w: float, d: float) -> int:
    """Brute force over every row/aisle stacking, both directions."""
    best = 0
    for length, depth in ((w, d), (d, w)):
        per_row = math.floor(length / STALL_WIDTH_M + 1e-9)
        for aisles in range(0, 40):
            for rows in range(0, 2 * aisles + 1):
                if aisles * AISLE_M + rows * STALL_DEPTH_M <= depth + 1e-9:
                    best = max(best, rows * per_row)
    return best


@pytest.mark.parametrize(
    ("w", "d", "expected"),
    [
        (50, 16, 40),  # one double bay: 2 rows of 20
        (50, 11, 24),  # one single bay gives 20; 6 rows of 4 across give 24
        (50, 10.9, 24),  # too shallow along the edge: 6 rows of 4 across it
        (50, 27, 60),  # double + single bay: 3 rows of 20
        (50, 32, 80),  # two double bays
        (10, 4, 0),  # too small for any stall and its aisle
    ],
)
def test_counts_on_rectangles(w, d, expected):
    assert layout_polygon(rect_poly(w, d)).count == expected


@pytest.mark.parametrize("w", [12.0, 23.5, 40.0, 61.0])
@pytest.mark.parametrize("d", [11.0, 17.0, 33.3, 48.0])
def test_rectangle_count_is_the_best_row_layout(w, d):
    assert layout_polygon(rect_poly(w, d, angle=27.0)).count == best_rect_count(max(w, d), min(w, d))


def test_stalls_are_inside_aligned_and_disjoint():
    poly = rect_poly(60, 40, angle=33.0)
    lay = layout_polygon(poly)
    stalls = lay.stall_polygons()
    assert len(stalls) == lay.count > 0
    assert all(poly.buffer(1e-6).contains(s) for s in stalls)
    assert shapely.union_all(stalls).area == pytest.approx(lay.count * STALL_WIDTH_M * STALL_DEPTH_M)
    # Aligned with the longest edge (60 m at 33°), up to a quarter turn.
    assert (lay.angle_deg - 33.0) % 90.0 == pytest.approx(0.0, abs=1e-6) or (
        (lay.angle_deg - 33.0) % 90.0 == pytest.approx(90.0, abs=1e-6)
    )
    for s in stalls:
        assert s.area == pytest.approx(12.5)


def test_irregular_polygon_keeps_only_stalls_inside():
    # An L-shaped surface.
    pts = ((0, 0), (60, 0), (60, 20), (20, 20), (20, 50), (0, 50))
    poly = Polygon(pts)
    lay = stall_layout(PolygonFootprint(pts))
    assert lay.count > 0
    assert all(poly.buffer(1e-6).contains(s) for s in lay.stall_polygons())
    assert lay.stalls.shape == (lay.count, 4, 2)
    assert np.isfinite(lay.stalls).all()


def test_stall_lines_are_drawn_for_a_bounded_number_of_stalls(monkeypatch):
    """The 3D view draws the stall lines of the car parks that fit in
    MAX_STALLS_DRAWN, in the project's order; a car park too big for what is
    left is paved ground, and a smaller one after it still gets its lines."""
    from zacviz.geometry import parking
    from zacviz.model.project import RectFootprint

    big = RectFootprint(0.0, 0.0, 100.0, 34.0, 0.0)
    small = RectFootprint(0.0, 0.0, 25.0, 17.0, 0.0)
    n_big, n_small = parking.stall_layout(big).count, parking.stall_layout(small).count
    assert n_big > 2 * n_small > 0
    monkeypatch.setattr(parking, "MAX_STALLS_DRAWN", n_big + n_small)
    assert parking.stall_lines_drawn([big, big, small, small]) == [True, False, True, False]
    assert parking.stall_lines_drawn([]) == []


def test_the_stall_bound_and_the_check_share_one_batch_of_counts(monkeypatch):
    """Which car parks get their lines is decided from the batch of counts,
    without a layout per car park (1,000 concave car parks were 1,000 layouts
    for the pictures besides the check's batch); the check's counts in a lot
    that covers them reuse those counts."""
    from zacviz.geometry import parking

    def star(k: int) -> PolygonFootprint:
        pts = []
        for i in range(40):
            r = 60.0 if i % 2 else 45.0
            a = 2 * math.pi * i / 40 + 0.01 * k
            pts.append((1000.0 + r * math.cos(a), 2000.0 + r * math.sin(a)))
        return PolygonFootprint(tuple(pts))

    parks = [star(k) for k in range(6)]
    parking.stall_layout.cache_clear()
    parking._COUNTS.clear()
    drawn = parking.stall_lines_drawn(parks)
    assert parking.stall_layout.cache_info().currsize == 0
    counts = parking.stall_counts(parks)
    assert counts == [layout_polygon(Polygon(fp.points)).count for fp in parks]
    assert 0 < sum(counts) <= parking.MAX_STALLS_DRAWN
    assert drawn == [True] * len(parks)
    calls = []
    real = parking.layout_counts
    monkeypatch.setattr(
        parking, "layout_counts", lambda polys, lot: calls.append(len(polys)) or real(polys, lot)
    )
    lot = Polygon([(800, 1800), (1200, 1800), (1200, 2200), (800, 2200)])
    assert parking.stall_counts(parks, lot) == counts
    assert sum(calls) == 0
