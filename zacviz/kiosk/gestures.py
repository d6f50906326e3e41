"""What a finger does to a building footprint (Qt-free, in site metres).

One finger moves the footprint by its displacement. Two fingers act on it as
on a photo: the change of their distance scales it (width and depth alike),
the change of their direction turns it, the move of their midpoint moves it.
Sizes are clamped to what a building on a business-park lot can be.
"""

from __future__ import annotations

import math
from dataclasses import replace

from zacviz.model.project import Footprint, PolygonFootprint, wrap_angle

Point = tuple[float, float]

MIN_SIDE_M = 8.0
MAX_SIDE_M = 400.0
ANGLE_SNAP_DEG = 3.0


def moved(fp: Footprint, start: Point, now: Point) -> Footprint:
    """``fp`` moved by the finger's displacement from ``start`` to ``now``."""
    return fp.moved(now[0] - start[0], now[1] - start[1])


def pinch_parameters(start: tuple[Point, Point], now: tuple[Point, Point]) -> tuple[float, float, Point]:
    """(scale, rotation in degrees counter-clockwise, midpoint displacement) of two fingers."""
    (a0, b0), (a1, b1) = start, now
    d0 = math.dist(a0, b0)
    d1 = math.dist(a1, b1)
    scale = d1 / d0 if d0 > 1e-9 else 1.0
    t0 = math.atan2(b0[1] - a0[1], b0[0] - a0[0])
    t1 = math.atan2(b1[1] - a1[1], b1[0] - a1[0])
    turn = math.degrees(t1 - t0)
    turn = wrap_angle(turn)
    m0 = ((a0[0] + b0[0]) / 2.0, (a0[1] + b0[1]) / 2.0)
    m1 = ((a1[0] + b1[0]) / 2.0, (a1[1] + b1[1]) / 2.0)
    return scale, turn, (m1[0] - m0[0], m1[1] - m0[1])


def pinched(
    fp: Footprint,
    start: tuple[Point, Point],
    now: tuple[Point, Point],
    *,
    snap_to: tuple[float, ...] = (),
) -> Footprint:
    """``fp`` scaled, turned and moved by two fingers going from ``start`` to ``now``.

    The angle snaps to any of ``snap_to`` (and their right angles) within
    :data:`ANGLE_SNAP_DEG`, so a building squares up with the road easily.
    A polygon footprint only moves.
    """
    scale, turn, (dx, dy) = pinch_parameters(start, now)
    if isinstance(fp, PolygonFootprint):
        return fp.moved(dx, dy)
    # Scale both sides by the same factor, clamped so that neither leaves its bounds.
    lo = max(MIN_SIDE_M / fp.width, MIN_SIDE_M / fp.depth)
    hi = min(MAX_SIDE_M / fp.width, MAX_SIDE_M / fp.depth)
    k = min(max(scale, lo), hi) if lo <= hi else 1.0
    angle = snap_angle(fp.angle_deg + turn, snap_to)
    return replace(
        fp,
        cx=fp.cx + dx,
        cy=fp.cy + dy,
        width=round(fp.width * k, 3),
        depth=round(fp.depth * k, 3),
        angle_deg=angle,
    )


def snap_angle(angle: float, directions: tuple[float, ...]) -> float:
    """``angle`` or, within :data:`ANGLE_SNAP_DEG`, the nearest multiple of 90° of a direction."""
    best, best_d = angle, ANGLE_SNAP_DEG
    for base in directions:
        for k in range(4):
            target = base + 90.0 * k
            d = abs(wrap_angle(angle - target))
            if d <= best_d:
                best, best_d = target, d
    return wrap_angle(best)


def clamp_centre(fp: Footprint, bounds: tuple[float, float, float, float], margin: float) -> Footprint:
    """``fp`` moved back so that its centre stays within ``bounds`` grown by ``margin``."""
    cx, cy = fp.centre
    x0, y0, x1, y1 = bounds
    nx = min(max(cx, x0 - margin), x1 + margin)
    ny = min(max(cy, y0 - margin), y1 + margin)
    if (nx, ny) == (cx, cy):
        return fp
    return fp.moved(nx - cx, ny - cy)
