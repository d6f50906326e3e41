"""Parking stall layout for a parking surface that does not state its stalls.

Method
------
Stalls are 2.5 m wide and 5.0 m deep, parked at right angles to 6.0 m aisles.
The grid is aligned with the footprint's longest edge. Across the grid, bays are
stacked as *double* modules (row 5 m + aisle 6 m + row 5 m = 16 m) and, when the
remaining depth allows, one *single* module (row + aisle = 11 m); every stall
row thus opens onto an aisle inside the surface. For a depth ``D`` the number of
rows is ``max over k aisles of min(2k, floor((D - 6k) / 5))`` and each row holds
``floor(L / 2.5)`` stalls for a length ``L``. Both ways of laying the rows (along
the longest edge, or across it) are tried and the one with more stalls wins, so
for a rectangle the count is the best any such row-and-aisle layout can reach.
The layout is centred in the surface.

For any other polygon the same candidate layouts are laid over its bounding box
in the rotated frame and only the stalls lying wholly inside the polygon are
kept; the best candidate wins. That is a good, not an optimal, layout.

A surface reaching out of its lot counts only the stalls of that layout lying
wholly inside the lot (SPEC §2): the grid is then laid only over the lot's
extent, so a 5 km surface costs what the lot does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from zacviz.geometry.footprint import footprint_polygon
from zacviz.model.project import Footprint, RectFootprint

STALL_WIDTH_M = 2.5
STALL_DEPTH_M = 5.0
AISLE_M = 6.0
_EPS = 1e-6
# Beyond this many grid cells a surface is not laid out stall by stall (the
# drawing would hold millions of boxes; no lot is that large).
MAX_LAYOUT_STALLS = 20_000


@dataclass(frozen=True)
class StallLayout:
    """The stalls laid out in a parking surface.

    ``stalls`` holds the rectangles in the site CRS (``(n, 4, 2)`` corner array,
    counter-clockwise), ``aisles`` the aisle rectangles, ready for the views.
    """

    count: int
    stalls: np.ndarray
    aisles: np.ndarray
    angle_deg: float

    def stall_polygons(self) -> list[Polygon]:
        return list(shapely.polygons(self.stalls)) if self.count else []


def _rows_for_depth(depth: float) -> tuple[int, int]:
    """(rows, aisles) maximising the stall rows that fit across ``depth``."""
    best = (0, 0)
    k = 1
    while AISLE_M * k + STALL_DEPTH_M <= depth + _EPS:
        rows = min(2 * k, math.floor((depth - AISLE_M * k) / STALL_DEPTH_M + _EPS))
        if rows > best[0]:
            best = (rows, k)
        k += 1
    return best


def _bands(rows: int, aisles: int) -> list[tuple[str, float]]:
    """The sequence of (kind, size) bands across the layout, from y = 0."""
    bands: list[tuple[str, float]] = []
    left = rows
    for _ in range(aisles):
        if left >= 2:
            bands += [("row", STALL_DEPTH_M), ("aisle", AISLE_M), ("row", STALL_DEPTH_M)]
            left -= 2
        elif left == 1:
            bands += [("row", STALL_DEPTH_M), ("aisle", AISLE_M)]
            left -= 1
    return bands


def _grid(
    length: float,
    depth: float,
    x0: float,
    y0: float,
    centre: bool,
    window: tuple[float, float, float, float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Stall and aisle rectangles (local frame, ``(n, 4, 2)`` corner arrays,
    counter-clockwise) of the best layout for a box; with ``window`` (minx,
    miny, maxx, maxy), only those meeting it."""
    rows, aisles = _rows_for_depth(depth)
    per_row = math.floor(length / STALL_WIDTH_M + _EPS)
    if rows == 0 or per_row == 0:
        return np.zeros((0, 4, 2)), np.zeros((0, 4, 2))
    bands = _bands(rows, aisles)
    used_y = sum(size for _, size in bands)
    used_x = per_row * STALL_WIDTH_M
    ox = x0 + ((length - used_x) / 2.0 if centre else 0.0)
    y = y0 + ((depth - used_y) / 2.0 if centre else 0.0)
    first, last = 0, per_row
    ax0, ax1 = ox, ox + used_x
    if window is not None:
        first = max(0, math.floor((window[0] - ox) / STALL_WIDTH_M))
        last = min(per_row, math.ceil((window[2] - ox) / STALL_WIDTH_M))
        ax0, ax1 = max(ax0, window[0]), min(ax1, window[2])
    row_y: list[float] = []
    aisle_boxes = []
    for kind, size in bands:
        if window is not None and (y > window[3] or y + size < window[1]):
            y += size
            continue
        if kind == "row":
            row_y.append(y)
        elif ax1 > ax0:
            aisle_boxes.append(((ax0, y), (ax1, y), (ax1, y + size), (ax0, y + size)))
        y += size
    # Every row's stalls at once, row by row, left to right.
    xs = ox + np.arange(first, max(first, last)) * STALL_WIDTH_M
    sx, sy = np.meshgrid(xs, np.asarray(row_y, dtype=float))
    sx, sy = sx.ravel(), sy.ravel()
    stalls = np.empty((len(sx), 4, 2))
    stalls[:, 0, 0], stalls[:, 0, 1] = sx, sy
    stalls[:, 1, 0], stalls[:, 1, 1] = sx + STALL_WIDTH_M, sy
    stalls[:, 2, 0], stalls[:, 2, 1] = sx + STALL_WIDTH_M, sy + STALL_DEPTH_M
    stalls[:, 3, 0], stalls[:, 3, 1] = sx, sy + STALL_DEPTH_M
    return stalls, np.asarray(aisle_boxes, dtype=float).reshape(-1, 4, 2)


def _inside(shape: BaseGeometry, stalls: np.ndarray) -> np.ndarray:
    """The stalls lying wholly inside ``shape`` (up to 1e-6 m), through a
    prepared shape: GEOS prepares an unprepared one again for every stall
    (a thousand stalls in a 60-vertex outline: 0.16 s, prepared 1 ms)."""
    grown = shape.buffer(1e-6)
    shapely.prepare(grown)
    return stalls[shapely.contains_properly(grown, shapely.polygons(stalls))]


def _longest_edge_angle(poly: Polygon) -> float:
    coords = np.asarray(poly.exterior.coords)
    d = np.diff(coords, axis=0)
    lengths = np.hypot(d[:, 0], d[:, 1])
    i = int(np.argmax(lengths))
    return math.degrees(math.atan2(d[i, 1], d[i, 0]))


def _to_world(boxes: np.ndarray, angle: float, origin: tuple[float, float]) -> np.ndarray:
    if not len(boxes):
        return np.zeros((0, 4, 2))
    arr = np.asarray(boxes, dtype=float)
    a = math.radians(angle)
    c, s = math.cos(a), math.sin(a)
    x, y = arr[..., 0], arr[..., 1]
    return np.stack([origin[0] + x * c - y * s, origin[1] + x * s + y * c], axis=-1)


def layout_polygon(poly: Polygon, clip: BaseGeometry | None = None) -> StallLayout:
    """Lay out stalls inside any polygon (see the module docstring); with
    ``clip`` (the lot), keep only the stalls wholly inside it too."""
    angle = _longest_edge_angle(poly)
    origin = (poly.centroid.x, poly.centroid.y)
    local = affinity.rotate(poly, -angle, origin=origin, use_radians=False)
    local = affinity.translate(local, -origin[0], -origin[1])
    clip_local = None
    if clip is not None:
        clip_local = affinity.translate(
            affinity.rotate(clip, -angle, origin=origin, use_radians=False), -origin[0], -origin[1]
        )
    minx, miny, maxx, maxy = local.bounds
    w, h = maxx - minx, maxy - miny
    is_rect = abs(local.area - w * h) <= 1e-6 * max(w * h, 1.0)
    if clip is None and w * h / (STALL_WIDTH_M * STALL_DEPTH_M) > MAX_LAYOUT_STALLS:
        # Larger than any lot (25 ha of stalls): not laid out for drawing; a
        # check counts only the stalls inside the lot (stall_count_in_lot).
        empty = np.zeros((0, 4, 2))
        return StallLayout(
            count=rectangle_count(w, h) if is_rect else 0, stalls=empty, aisles=empty, angle_deg=angle
        )
    empty = np.zeros((0, 4, 2))
    best: tuple[int, np.ndarray, np.ndarray, float] = (0, empty, empty, angle)
    # Rows along the longest edge, then rows across it (the frame turned 90°).
    for turn in (0.0, 90.0):
        clip_frame = None
        if clip_local is not None:
            clip_frame = clip_local if turn == 0.0 else affinity.rotate(clip_local, -90.0, origin=(0, 0))
        window = clip_frame.bounds if clip_frame is not None else None
        if turn == 0.0:
            stalls, aisles = _grid(w, h, minx, miny, centre=True, window=window)
            frame = local
        else:
            frame = affinity.rotate(local, -90.0, origin=(0, 0))
            fx0, fy0, fx1, fy1 = frame.bounds
            stalls, aisles = _grid(fx1 - fx0, fy1 - fy0, fx0, fy0, centre=True, window=window)
        if not is_rect and len(stalls):
            stalls = _inside(frame, stalls)
        if clip_frame is not None and len(stalls):
            stalls = _inside(clip_frame, stalls)
        if len(stalls) > best[0]:
            best = (len(stalls), stalls, aisles, angle + turn)
    count, stalls, aisles, final_angle = best
    return StallLayout(
        count=count,
        stalls=_to_world(stalls, final_angle, origin),
        aisles=_to_world(aisles, final_angle, origin),
        angle_deg=final_angle,
    )


def rectangle_count(width: float, depth: float) -> int:
    """Stalls the layout gives a ``width`` × ``depth`` rectangle, by arithmetic alone."""
    best = 0
    for length, across in ((width, depth), (depth, width)):
        rows, _ = _rows_for_depth(across)
        best = max(best, rows * math.floor(length / STALL_WIDTH_M + _EPS))
    return best


@lru_cache(maxsize=4096)
def stall_count(fp: Footprint) -> int:
    """The number of stalls :func:`stall_layout` lays out, without drawing them
    when the footprint is a rectangle (the check needs only the count)."""
    if isinstance(fp, RectFootprint):
        return rectangle_count(fp.width, fp.depth)
    return stall_layout(fp).count


@lru_cache(maxsize=1024)
def stall_count_in_lot(fp: Footprint, lot: BaseGeometry) -> int:
    """The stalls of the footprint's layout lying wholly inside ``lot`` (SPEC §2):
    :func:`stall_count` when the lot covers the footprint."""
    poly = footprint_polygon(fp)
    if lot.covers(poly):
        return stall_count(fp)
    return layout_polygon(poly, clip=lot).count


@lru_cache(maxsize=1024)
def stall_layout(fp: Footprint) -> StallLayout:
    """The stall layout of a parking footprint, cached by its parameters."""
    return layout_polygon(footprint_polygon(fp))
