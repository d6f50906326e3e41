"""zacviz.ui.snapping (Qt-free): edges onto lines, angles onto directions."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import box

from zacviz.ui.snapping import edge_offset, line_directions, snap_angle, snap_lines, snap_translation


def coords(geom) -> np.ndarray:
    return shapely.get_coordinates(geom.exterior)


def test_snap_lines_keeps_long_edges_of_polygons_and_holes():
    ring = box(0, 0, 10, 10).difference(box(4, 4, 6, 6))
    lines = snap_lines([ring, None, box(20, 0, 20.5, 5)], min_length=1.0)
    assert len(lines) == 4 + 4 + 2  # outer, hole, and the two long sides of the sliver


def test_translation_snaps_into_a_corner():
    lot = snap_lines([box(0, 0, 100, 80)])
    rect = box(1.2, 0.7, 21.2, 10.7)
    dx, dy = snap_translation(coords(rect), lot, tol=2.0)
    assert (dx, dy) == pytest.approx((-1.2, -0.7))


def test_translation_ignores_far_and_non_parallel_lines():
    lot = snap_lines([box(0, 0, 100, 80)])
    assert snap_translation(coords(box(5, 5, 25, 15)), lot, tol=2.0) == (0.0, 0.0)
    turned = shapely.affinity.rotate(box(1, 1, 21, 11), 20)
    assert snap_translation(coords(turned), lot, tol=2.0) == (0.0, 0.0)


def test_edge_offset_needs_the_line_to_face_the_edge():
    line = np.array([[[50.0, 0.0], [60.0, 0.0]]])
    assert edge_offset(np.array([0.0, 1.0]), np.array([10.0, 1.0]), line, 2.0) is None
    off, normal = edge_offset(np.array([55.0, 1.0]), np.array([65.0, 1.0]), line, 2.0)
    assert off * normal[1] == pytest.approx(-1.0)


def test_snap_angle_to_road_direction_and_its_right_angles():
    assert snap_angle(31.5, [30.0]) == pytest.approx(30.0)
    assert snap_angle(118.0, [30.0]) == pytest.approx(120.0)
    assert snap_angle(36.0, [30.0]) == 36.0
    assert snap_angle(-61.0, [30.0, 0.0]) == pytest.approx(-60.0)


def test_line_directions_are_unique_modulo_90():
    lines = snap_lines([box(0, 0, 100, 10), shapely.affinity.rotate(box(0, 0, 5, 5), 15)])
    dirs = line_directions(lines)
    assert dirs[0] == pytest.approx(0.0)
    assert any(d == pytest.approx(15.0) for d in dirs)
    assert len(dirs) == 2
