"""Geometry derived from a lot and the roads around it, built once per lot.

The rule engine and the envelope views both need the lot's road frontage, its
side boundary (the outline minus the parts within 0.5 m of a road, SPEC §3) and
each road's setback; they are computed on first use and kept on the site.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from zacviz.model.site import Lot, Road, Site

FRONTAGE_TOLERANCE_M = 0.5


@dataclass(frozen=True)
class LotGeometry:
    lot: Lot
    polygon: Polygon
    area_m2: float
    # Roads that carry a setback for this lot, with it.
    roads: tuple[Road, ...]
    road_geoms: np.ndarray
    road_setbacks: np.ndarray
    # Lot outline minus its road frontage; empty when the lot is all frontage.
    side_boundary: BaseGeometry
    frontage: BaseGeometry


def lot_geometry(site: Site, lot: Lot) -> LotGeometry:
    """The derived geometry of ``lot``, cached on ``site``."""
    result: LotGeometry = site.cached(("lot_geometry", lot.id), lambda: _lot_geometry(site, lot), lot)
    return result


def _lot_geometry(site: Site, lot: Lot) -> LotGeometry:
    poly = lot.polygon
    shapely.prepare(poly)
    default = lot.rules.min_setback_road_m
    roads = []
    setbacks = []
    for road in site.roads:
        limit = road.setback_m if road.setback_m is not None else default
        if limit is not None:
            roads.append(road)
            setbacks.append(float(limit))
    geoms = np.array([r.polygon for r in roads], dtype=object)
    for g in geoms:
        shapely.prepare(g)
    outline = poly.boundary
    if site.roads:
        near_roads = shapely.union_all([r.polygon for r in site.roads]).buffer(FRONTAGE_TOLERANCE_M)
        side = outline.difference(near_roads)
        frontage = outline.intersection(near_roads)
    else:
        side, frontage = outline, shapely.GeometryCollection()
    shapely.prepare(side)
    result = LotGeometry(
        lot=lot,
        polygon=poly,
        area_m2=float(poly.area),
        roads=tuple(roads),
        road_geoms=geoms,
        road_setbacks=np.array(setbacks, dtype=float),
        side_boundary=side,
        frontage=frontage,
    )
    return result


def scene_origin(site: Site) -> tuple[float, float]:
    """The site's scene origin, subtracted before coordinates reach float32 GL
    buffers (the 3D view, the web viewer, the GLB): the centre of its bounds,
    rounded to 100 m so that the source data's millimetres survive exactly."""
    minx, miny, maxx, maxy = site.bounds
    return (round((minx + maxx) / 200.0) * 100.0, round((miny + maxy) / 200.0) * 100.0)
