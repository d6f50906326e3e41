"""What fingers do to a footprint (site metres, no display)."""

from __future__ import annotations

import math

import pytest

from zacviz.kiosk.gestures import MIN_SIDE_M, clamp_centre, moved, pinch_parameters, pinched, snap_angle
from zacviz.model.project import PolygonFootprint, RectFootprint

FP = RectFootprint(100.0, 200.0, 40.0, 20.0, 10.0)


def test_one_finger_moves_by_its_displacement():
    assert moved(FP, (0.0, 0.0), (5.0, -3.0)) == RectFootprint(105.0, 197.0, 40.0, 20.0, 10.0)


def test_two_fingers_spreading_scale_both_sides():
    out = pinched(FP, ((90.0, 200.0), (110.0, 200.0)), ((80.0, 200.0), (120.0, 200.0)))
    assert (out.width, out.depth, out.angle_deg, out.cx, out.cy) == (80.0, 40.0, 10.0, 100.0, 200.0)


def test_two_fingers_twisting_turn_it_counter_clockwise():
    a = math.radians(30)
    start = ((90.0, 200.0), (110.0, 200.0))
    now = ((100 - 10 * math.cos(a), 200 - 10 * math.sin(a)), (100 + 10 * math.cos(a), 200 + 10 * math.sin(a)))
    scale, turn, shift = pinch_parameters(start, now)
    assert scale == pytest.approx(1.0) and turn == pytest.approx(30.0) and shift == pytest.approx((0.0, 0.0))
    out = pinched(FP, start, now)
    assert out.angle_deg == pytest.approx(40.0)
    assert out.width == pytest.approx(40.0)


def test_the_midpoint_carries_the_building():
    out = pinched(FP, ((0.0, 0.0), (10.0, 0.0)), ((3.0, 4.0), (13.0, 4.0)))
    assert (out.cx, out.cy) == (103.0, 204.0)


def test_sizes_stay_within_bounds():
    tiny = pinched(FP, ((0.0, 0.0), (100.0, 0.0)), ((0.0, 0.0), (1.0, 0.0)))
    assert min(tiny.width, tiny.depth) == pytest.approx(MIN_SIDE_M)
    assert tiny.width / tiny.depth == pytest.approx(2.0)


def test_angles_snap_to_the_road_and_its_right_angles():
    assert snap_angle(12.0, (10.0,)) == 10.0
    assert snap_angle(98.5, (10.0,)) == 100.0
    assert snap_angle(-169.0, (10.0,)) == -170.0
    assert snap_angle(20.0, (10.0,)) == 20.0


def test_a_polygon_only_moves():
    poly = PolygonFootprint(((0.0, 0.0), (10.0, 0.0), (0.0, 10.0)))
    out = pinched(poly, ((0.0, 0.0), (1.0, 0.0)), ((2.0, 0.0), (5.0, 0.0)))
    assert out == poly.moved(3.0, 0.0)


def test_a_building_cannot_be_dragged_off_the_map():
    far = clamp_centre(FP.moved(1000.0, 0.0), (0.0, 0.0, 150.0, 250.0), 10.0)
    assert far.centre == (160.0, 200.0)
    assert clamp_centre(FP, (0.0, 0.0, 150.0, 250.0), 10.0) is FP
