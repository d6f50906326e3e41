"""Where a new building or surface goes: free space on the lot.

A new building goes where its rules let it stand (inside the buildable area for
its height) and keeps the spacing from the buildings already there; a new
surface goes inside the lot. Neither lands on top of an existing item. Among
the places that fit, the one nearest ``near`` (the middle of the view, say) is
taken, else the one nearest the buildings already there (a car park beside the
building), else the middle of the free space.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from zacviz.design.templates import road_direction
from zacviz.geometry.envelope import buildable_area
from zacviz.geometry.footprint import footprint_polygon
from zacviz.model.project import Project, RectFootprint, rect_angle
from zacviz.model.site import Lot, Site

GAP_M = 1.0
"""Room kept between a new surface and what is already there."""

GRID_STEP_M = 1.0
MAX_CANDIDATES = 40_000
SHRINK = (1.0, 0.85, 0.7, 0.55)
"""Sizes tried, largest first, when the full size finds no room."""


def free_region(site: Site, lot: Lot, project: Project, *, building_height: float | None) -> BaseGeometry:
    """Where a new item may lie: a building (``building_height`` given) inside the
    buildable area, spaced from the buildings; a surface inside the lot; both clear
    of every existing item."""
    if building_height is not None:
        region = buildable_area(site, lot, building_height)
        spacing = lot.rules.min_building_spacing_m or 0.0
    else:
        region = lot.polygon.buffer(-GAP_M / 2.0, join_style="mitre")
        spacing = 0.0
    taken = [footprint_polygon(b.footprint).buffer(max(spacing, GAP_M)) for b in project.buildings]
    taken += [footprint_polygon(s.footprint).buffer(GAP_M) for s in project.surfaces]
    if taken:
        region = region.difference(shapely.union_all(taken))
    return region


def free_spot(
    site: Site,
    lot: Lot,
    project: Project,
    width: float,
    depth: float,
    *,
    building_height: float | None = None,
    near: tuple[float, float] | None = None,
) -> RectFootprint | None:
    """A rectangle along the lot's road (or across it) in free space: ``width`` ×
    ``depth`` if it fits, else a smaller one (down to 55 %, sides to 0.1 m); None
    when nothing fits."""
    angle = rect_angle(road_direction(site, lot))
    region = free_region(site, lot, project, building_height=building_height)
    if region.is_empty:
        return None
    shapely.prepare(region)
    target = _target(region, project, near)
    for k in SHRINK:
        w, d = round(width * k, 1), round(depth * k, 1)
        best: tuple[float, RectFootprint] | None = None
        for turn in (0.0, 90.0):
            found = _nearest_fit(region, w, d, rect_angle(angle + turn), target)
            if found is not None and (best is None or found[0] < best[0] - 1e-6):
                best = found
        if best is not None:
            return best[1]
    return None


def _target(region: BaseGeometry, project: Project, near: tuple[float, float] | None) -> tuple[float, float]:
    if near is not None and region.contains(Point(near)):
        return near
    if project.buildings:
        c = shapely.union_all([footprint_polygon(b.footprint) for b in project.buildings]).centroid
        return (c.x, c.y)
    if near is not None:
        return near
    p = region.representative_point()
    return (p.x, p.y)


def _nearest_fit(
    region: BaseGeometry, width: float, depth: float, angle: float, target: tuple[float, float]
) -> tuple[float, RectFootprint] | None:
    """The rectangle nearest ``target`` on a grid of centres that lies in ``region``,
    with its squared distance to ``target``."""
    x0, y0, x1, y1 = region.bounds
    step = GRID_STEP_M
    while ((x1 - x0) / step + 1) * ((y1 - y0) / step + 1) > MAX_CANDIDATES:
        step *= 1.5
    xs, ys = np.meshgrid(np.arange(x0, x1 + step, step), np.arange(y0, y1 + step, step))
    cx, cy = xs.ravel(), ys.ravel()
    a = math.radians(angle)
    c, s = math.cos(a), math.sin(a)
    hw, hd = width / 2.0, depth / 2.0
    local = ((-hw, -hd), (hw, -hd), (hw, hd), (-hw, hd))
    corners = np.stack(
        [np.stack([cx + u * c - v * s, cy + u * s + v * c], axis=-1) for u, v in local], axis=1
    )
    fits = shapely.covers(region, shapely.polygons(corners))
    if not fits.any():
        return None
    cx, cy = cx[fits], cy[fits]
    dist = (cx - target[0]) ** 2 + (cy - target[1]) ** 2
    k = int(np.argmin(dist))
    fp = RectFootprint(round(float(cx[k]), 3), round(float(cy[k]), 3), width, depth, angle)
    return float(dist[k]), fp
