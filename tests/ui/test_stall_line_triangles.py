"""The 3D view's stall lines, meshed with numpy: the strips GEOS's grown union
of the stall outlines gave, each shared side once, no display needed."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from zacviz.geometry.parking import layout_polygon
from zacviz.ui.view3d import STALL_LINE_WIDTH_M, stall_line_triangles


def union_of(tris: np.ndarray):
    return shapely.union_all(shapely.polygons(tris[:, :, :2]))


def geos_lines(stalls: np.ndarray):
    """What the view drew before: the union of the outlines, grown by half the width."""
    lines = shapely.union_all([p.boundary for p in shapely.polygons(stalls)])
    return lines.buffer(STALL_LINE_WIDTH_M / 2.0, cap_style="flat")


def signed_areas(tris: np.ndarray) -> np.ndarray:
    a, b, c = tris[:, 0, :2], tris[:, 1, :2], tris[:, 2, :2]
    return 0.5 * ((b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0]))


def test_two_stalls_side_by_side_give_seven_strips_facing_up():
    stalls = np.array(
        [
            [(0.0, 0.0), (2.5, 0.0), (2.5, 5.0), (0.0, 5.0)],
            [(2.5, 0.0), (5.0, 0.0), (5.0, 5.0), (2.5, 5.0)],
        ]
    )
    tris = stall_line_triangles(stalls)
    assert tris.shape == (14, 3, 3)  # 7 sides, the shared one once, two triangles each
    assert not tris[:, :, 2].any()
    assert (signed_areas(tris) > 0).all()
    shape = union_of(tris)
    expected = geos_lines(stalls)
    # The same strips; only the outer corners differ (square here, round there).
    assert shape.symmetric_difference(expected).area < 4 * STALL_LINE_WIDTH_M**2
    assert shape.area == pytest.approx(expected.area, rel=0.01)


@pytest.mark.parametrize("angle", [0.0, 17.0, 90.0])
def test_the_lines_of_a_laid_out_car_park_cover_what_geos_grew(angle):
    """A turned concave car park: every strip GEOS grew is covered, and no more
    than its square corners besides."""
    star = [
        (
            (30.0 if k % 2 == 0 else 24.0) * np.cos(np.pi * k / 9),
            (30.0 if k % 2 == 0 else 24.0) * np.sin(np.pi * k / 9),
        )
        for k in range(18)
    ]
    outline = shapely.affinity.rotate(shapely.Polygon(star), angle, origin=(0, 0))
    layout = layout_polygon(outline)
    assert layout.count > 40
    tris = stall_line_triangles(layout.stalls)
    shape = union_of(tris)
    expected = geos_lines(layout.stalls)
    assert expected.difference(shape).area < 1e-3
    corners = 4 * layout.count * (1 - np.pi / 4) * (STALL_LINE_WIDTH_M / 2.0) ** 2
    assert shape.difference(expected).area <= corners + 1e-3
    # Each side once: fewer strips than four per stall (rows share sides).
    assert len(tris) < 2 * 4 * layout.count * 0.85


def test_no_stalls_no_triangles():
    assert stall_line_triangles(np.zeros((0, 4, 2))).shape == (0, 3, 3)
