"""Footprint parameters → shapely polygons, cached by the (immutable) parameters."""

from __future__ import annotations

from functools import lru_cache

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
