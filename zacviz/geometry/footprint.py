"""Footprint parameters → shapely polygons, cached by the (immutable) parameters."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import shapely
from shapely.geometry import Polygon

from zacviz.model.project import Footprint, PolygonFootprint, RectFootprint


@lru_cache(maxsize=4096)
def footprint_polygon(fp: Footprint) -> Polygon:
    """The polygon of a footprint, counter-clockwise, in the site CRS."""
    if isinstance(fp, RectFootprint):
        return shapely.polygons(fp.corners())
    if isinstance(fp, PolygonFootprint):
        return shapely.orient_polygons(shapely.polygons(fp.points))
    raise TypeError(f"unknown footprint {type(fp).__name__}")  # pragma: no cover


def footprint_area(fp: Footprint) -> float:
    if isinstance(fp, RectFootprint):
        return fp.width * fp.depth
    return float(footprint_polygon(fp).area)


def footprint_polygons(fps: Sequence[Footprint]) -> np.ndarray:
    """The polygons of many footprints at once (an object array).

    Rectangles are built in one vectorised call, which is what a check after an
    edit needs: the moved footprints are new, so no cache would hold them.
    """
    out = np.empty(len(fps), dtype=object)
    rects = [(i, fp) for i, fp in enumerate(fps) if isinstance(fp, RectFootprint)]
    if rects:
        rect_idx = [i for i, _ in rects]
        p = np.array([(f.cx, f.cy, f.width, f.depth, f.angle_deg) for _, f in rects], dtype=np.float64)
        a = np.radians(p[:, 4])
        c, s = np.cos(a)[:, None], np.sin(a)[:, None]
        hw, hd = p[:, 2:3] / 2.0, p[:, 3:4] / 2.0
        lx = np.hstack([-hw, hw, hw, -hw])
        ly = np.hstack([-hd, -hd, hd, hd])
        coords = np.stack([p[:, 0:1] + lx * c - ly * s, p[:, 1:2] + lx * s + ly * c], axis=-1)
        out[rect_idx] = shapely.polygons(coords)
    for i, fp in enumerate(fps):
        if not isinstance(fp, RectFootprint):
            out[i] = footprint_polygon(fp)
    return out
