"""Where a building may stand on a lot: the buildable area and its 3D envelope.

The buildable area for a building of height ``H`` is what the setback rules
(SPEC §3) leave of the lot: the lot minus each road's setback band (the road
polygon grown by that road's setback) minus the band along the side boundary
(grown by ``max(min_setback_side_m, side_setback_height_ratio × H)``). A
rectangle drawn inside it passes ``road_setback`` and ``side_setback``.

Bands are buffered with many segments per quarter circle so that the chords of
their rounded ends stay within the rules' 0.01 m tolerance of the true distance
(for a 35 m setback at 64 segments the sagitta is 1.3 mm).

The envelope stacks one extruded slice per height step: a slice from ``h₀`` to
``h₁`` takes the buildable area for ``h₁``, so the side setback grows with
height above ``min_setback_side_m / side_setback_height_ratio``.
"""

from __future__ import annotations

import math
from typing import cast

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from zacviz.geometry.lot import lot_geometry
from zacviz.geometry.volumes import Mesh, concatenate, extrude
from zacviz.model.site import Lot, Site

QUAD_SEGS = 64
DEFAULT_MAX_HEIGHT_M = 25.0
"""Envelope top for a lot whose rules set no height limit."""


def _road_bands(site: Site, lot: Lot) -> BaseGeometry:
    def compute() -> BaseGeometry:
        lg = lot_geometry(site, lot)
        bands = [
            g.buffer(float(d), quad_segs=QUAD_SEGS) for g, d in zip(lg.road_geoms, lg.road_setbacks) if d > 0
        ]
        return shapely.union_all(bands) if bands else shapely.GeometryCollection()

    return cast(BaseGeometry, site.cached(("road_bands", lot.id), compute, lot))


def side_setback_m(lot: Lot, height_m: float) -> float:
    """The side setback a building of ``height_m`` needs on ``lot`` (0 if unchecked)."""
    value = lot.rules.side_setback_for(height_m)
    return 0.0 if value is None else float(value)


def buildable_area(site: Site, lot: Lot, height_m: float) -> BaseGeometry:
    """The part of ``lot`` a building ``height_m`` tall may cover (Polygon or MultiPolygon).

    Empty when the setbacks leave nothing. Cached on ``site`` by lot and height.
    """
    key = ("buildable_area", lot.id, round(float(height_m), 4))
    return cast(BaseGeometry, site.cached(key, lambda: _buildable_area(site, lot, height_m), lot))


def _buildable_area(site: Site, lot: Lot, height_m: float) -> BaseGeometry:
    lg = lot_geometry(site, lot)
    area: BaseGeometry = lg.polygon
    bands = _road_bands(site, lot)
    if not bands.is_empty:
        area = area.difference(bands)
    side = side_setback_m(lot, height_m)
    if side > 0 and not lg.side_boundary.is_empty:
        area = area.difference(lg.side_boundary.buffer(side, quad_segs=QUAD_SEGS))
    area = _polygonal(area)
    shapely.prepare(area)
    return area


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Keep the polygon parts of a difference (drop slivers of lower dimension)."""
    if isinstance(geom, (Polygon, MultiPolygon)):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon) and not g.is_empty]
    if not parts:
        return Polygon()
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def envelope_levels(lot: Lot, step_m: float = 1.0) -> list[float]:
    """The slice tops of the envelope, from the lowest to ``max_height_m``.

    Below the height where ``ratio × H`` overtakes the minimum side setback the
    area does not change, so one slice covers it; above, one slice per step.
    """
    if step_m <= 0:
        raise ValueError("step_m must be positive")
    top = lot.rules.max_height_m or DEFAULT_MAX_HEIGHT_M
    ratio = lot.rules.side_setback_height_ratio or 0.0
    base = lot.rules.min_setback_side_m or 0.0
    knee = base / ratio if ratio > 0 else top
    if knee >= top:
        return [top]
    levels = [knee] if knee > 0 else []
    n = math.ceil((top - knee) / step_m - 1e-9)
    levels += [min(top, knee + step_m * (i + 1)) for i in range(n)]
    return levels


def envelope_mesh(site: Site, lot: Lot, step_m: float = 1.0) -> Mesh:
    """The volume a building may fill on ``lot``: stacked extruded slices.

    Coordinates are in the site CRS (x, y) and metres above ground (z); views
    subtract their own origin. Empty mesh when the setbacks leave nothing.
    """
    meshes = []
    bottom = 0.0
    for top in envelope_levels(lot, step_m):
        area = buildable_area(site, lot, top)
        for poly in getattr(area, "geoms", [area]):
            if poly.is_empty or poly.area <= 1e-6:
                continue
            meshes.append(extrude(poly, bottom, top))
        bottom = top
    return concatenate(meshes)
