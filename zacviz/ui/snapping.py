"""Snapping for direct manipulation, Qt-free: edges to lines, angles to directions.

A moved footprint snaps when one of its edges runs parallel to a snap line
(lot edges, the buildable-area outline, other buildings) within a tolerance
given in metres (the view converts its pixel tolerance at the current zoom).
Two non-parallel snaps can apply at once, so a rectangle settles into a corner.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

_PARALLEL = math.sin(math.radians(1.0))


def snap_lines(geoms: Iterable[BaseGeometry], min_length: float = 1.0) -> np.ndarray:
    """The straight edges of polygons and lines, as an ``(n, 2, 2)`` array."""
    segs: list[np.ndarray] = []
    for g in geoms:
        if g is None or g.is_empty:
            continue
        for ring in _rings(g):
            pts = shapely.get_coordinates(ring)
            if len(pts) >= 2:
                segs.append(np.stack([pts[:-1], pts[1:]], axis=1))
    if not segs:
        return np.zeros((0, 2, 2))
    out = np.concatenate(segs)
    length = np.hypot(*(out[:, 1] - out[:, 0]).T)
    return out[length >= min_length]


def _rings(g: BaseGeometry) -> list[BaseGeometry]:
    kind = g.geom_type
    if kind == "Polygon":
        return [g.exterior, *g.interiors]
    if kind in ("LineString", "LinearRing"):
        return [g]
    out: list[BaseGeometry] = []
    for part in getattr(g, "geoms", []):
        out += _rings(part)
    return out


def edge_offset(
    p0: np.ndarray, p1: np.ndarray, lines: np.ndarray, tol: float
) -> tuple[float, np.ndarray] | None:
    """The smallest move along the edge's normal that puts it on a parallel line.

    Returns ``(offset, normal)``, or None if no line is parallel, near (within
    ``tol``) and facing the edge (their extents along the edge overlap).
    """
    if not len(lines):
        return None
    d = p1 - p0
    length = math.hypot(*d)
    if length < 1e-9:
        return None
    d = d / length
    n = np.array([-d[1], d[0]])
    ld = lines[:, 1] - lines[:, 0]
    llen = np.hypot(ld[:, 0], ld[:, 1])
    cross = np.abs(ld[:, 0] * d[1] - ld[:, 1] * d[0]) / np.maximum(llen, 1e-12)
    offset = (lines[:, 0] - p0) @ n
    a = (lines[:, 0] - p0) @ d
    b = (lines[:, 1] - p0) @ d
    overlap = (np.maximum(a, b) >= -tol) & (np.minimum(a, b) <= length + tol)
    ok = (cross < _PARALLEL) & (np.abs(offset) <= tol) & overlap
    if not ok.any():
        return None
    i = int(np.argmin(np.where(ok, np.abs(offset), np.inf)))
    return float(offset[i]), n


def snap_translation(polygon_coords: np.ndarray, lines: np.ndarray, tol: float) -> tuple[float, float]:
    """The correction (dx, dy) that snaps a polygon's edges onto the nearest lines."""
    pts = np.asarray(polygon_coords, dtype=float)
    if len(pts) > 1 and np.allclose(pts[0], pts[-1]):
        pts = pts[:-1]
    found: list[tuple[float, np.ndarray]] = []
    for k in range(len(pts)):
        hit = edge_offset(pts[k], pts[(k + 1) % len(pts)], lines, tol)
        if hit is not None:
            found.append(hit)
    if not found:
        return (0.0, 0.0)
    found.sort(key=lambda h: abs(h[0]))
    o1, n1 = found[0]
    for o2, n2 in found[1:]:
        if abs(float(n1 @ n2)) < 0.9:
            # Satisfy both: c·n1 = o1 and c·n2 = o2.
            m = np.array([n1, n2])
            c = np.linalg.solve(m, np.array([o1, o2]))
            return (float(c[0]), float(c[1]))
    return (float(o1 * n1[0]), float(o1 * n1[1]))


def snap_angle(angle_deg: float, directions: Iterable[float], tol_deg: float = 3.0) -> float:
    """``angle_deg`` moved onto the nearest direction (or its right angles) within ``tol_deg``."""
    best, best_gap = angle_deg, tol_deg
    for d in directions:
        gap = (angle_deg - d + 45.0) % 90.0 - 45.0
        if abs(gap) <= best_gap:
            best, best_gap = angle_deg - gap, abs(gap)
    return best


def line_directions(lines: np.ndarray) -> list[float]:
    """Directions (degrees) of the snap lines, longest first, without repeats."""
    if not len(lines):
        return []
    d = lines[:, 1] - lines[:, 0]
    length = np.hypot(d[:, 0], d[:, 1])
    angles = np.degrees(np.arctan2(d[:, 1], d[:, 0])) % 90.0
    out: list[float] = []
    for i in np.argsort(-length):
        a = float(angles[i])
        if all(abs((a - b + 45.0) % 90.0 - 45.0) > 0.2 for b in out):
            out.append(a)
    return out
