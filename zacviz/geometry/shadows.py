"""Shadows cast on flat ground by the project's and the park's buildings.

A volume's shadow is its projection along the sun's rays onto the ground.
For a prism (a footprint extruded to ``h``) that is the union of the footprint
and, for every edge, the convex hull of the edge and its copy moved by
``h / tan(elevation)`` away from the sun. A pitched roof is projected face by
face (the shadow of a solid is the projection of its surface). No shadow when
the sun is below the horizon.

Coordinates are whatever the input is in (scene coordinates for meshes); the
sun is a :class:`zacviz.geometry.sun.SunPosition`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from zacviz.geometry.footprint import footprint_polygon
from zacviz.geometry.sun import SunPosition
from zacviz.geometry.volumes import Mesh, Origin, building_mesh, context_height
from zacviz.model.project import Building
from zacviz.model.site import ContextBuilding

MIN_ELEVATION_DEG = 0.5
"""Below this the shadows run to the horizon: none are drawn."""
MAX_SHADOW_FACTOR = 40.0
"""Longest shadow, in building heights (the sun at ~1.4°)."""

EMPTY = shapely.GeometryCollection()


def shadow_vector(sun: SunPosition) -> tuple[float, float] | None:
    """Ground displacement per metre of height, away from the sun; None at night."""
    if sun.elevation_deg < MIN_ELEVATION_DEG:
        return None
    k = min(1.0 / math.tan(math.radians(sun.elevation_deg)), MAX_SHADOW_FACTOR)
    az = math.radians(sun.azimuth_deg)
    return (-math.sin(az) * k, -math.cos(az) * k)


def prism_shadow(polygon: BaseGeometry, height_m: float, sun: SunPosition) -> BaseGeometry:
    """The shadow of ``polygon`` extruded to ``height_m`` (footprint included)."""
    vec = shadow_vector(sun)
    if vec is None or polygon.is_empty:
        return EMPTY
    offset = np.array([vec[0] * height_m, vec[1] * height_m])
    parts: list[BaseGeometry] = [polygon]
    for poly in getattr(polygon, "geoms", [polygon]):
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            a, b = xy[:-1], xy[1:]
            quads = np.stack([a, b, b + offset, a + offset], axis=1)
            parts.extend(shapely.convex_hull(shapely.multipoints(quads)))
    return _union(parts)


def mesh_shadow(mesh: Mesh, sun: SunPosition) -> BaseGeometry:
    """The shadow of a closed volume: its triangles projected onto z = 0."""
    vec = shadow_vector(sun)
    if vec is None or not len(mesh.faces):
        return EMPTY
    tris = mesh.triangles
    proj = tris[..., :2] + tris[..., 2:3] * np.asarray(vec)
    if mesh.metadata.get("convex_parts"):
        # Each part is a convex volume: its shadow is the hull of its projected
        # corners and footprint, far cheaper than a union of every face.
        part = mesh.face_attributes["part"]
        hulls = []
        for k in np.unique(part):
            sel = part == k
            pts = np.concatenate([proj[sel].reshape(-1, 2), tris[sel][..., :2].reshape(-1, 2)])
            hulls.append(shapely.convex_hull(shapely.multipoints(pts)))
        return _union(hulls)
    # Projected triangles with (almost) no area add nothing but noise to the union.
    d1 = proj[:, 1] - proj[:, 0]
    d2 = proj[:, 2] - proj[:, 0]
    area = np.abs(d1[:, 0] * d2[:, 1] - d1[:, 1] * d2[:, 0]) / 2.0
    proj = proj[area > 1e-6]
    if not len(proj):
        return EMPTY
    return _union(list(shapely.polygons(proj)))


LIT_FACE_MIN_COS = -0.02
"""Faces whose normal is this far from facing the sun still throw their shadow:
room for normals rounded to bytes (1/127) in the 3D view; a face turned a
little away from the sun adds nothing wrong, its shadow lies within the others'."""


def projected_triangles(
    triangles: np.ndarray, sun: SunPosition, normals: np.ndarray | None = None
) -> np.ndarray:
    """The ground triangles ``(n, 3, 3)`` (z = 0) of closed volumes' shadows, all at once.

    ``triangles`` are the volumes' surfaces, any number of meshes concatenated.
    The shadow of a closed solid is the union of its faces' projections along
    the rays, so each face is projected as it is: no union, no triangulation,
    one numpy expression whatever the count. The triangles overlap (the 3D
    view's stencil draws each ground pixel once); triangles that project to
    (almost) nothing — faces lying along the rays — are dropped. None at night.

    ``normals`` (n, 3), the faces' outward normals: then only the faces lit by
    the sun are projected. Their projections alone cover the shadow (a ray from
    a shadowed point towards the sun last leaves the volume, or its open
    underside, through a lit face): about half the walls of a building.
    """
    vec = shadow_vector(sun)
    if vec is None or not len(triangles):
        return np.zeros((0, 3, 3), dtype=np.float32)
    tris = np.asarray(triangles, dtype=np.float32).reshape(-1, 3, 3)
    if normals is not None:
        lit = np.asarray(normals, dtype=np.float32).reshape(-1, 3) @ np.asarray(sun.direction(), np.float32)
        tris = tris[lit > LIT_FACE_MIN_COS]
    out = np.empty_like(tris)
    z = tris[..., 2]
    out[..., 0] = tris[..., 0] + z * np.float32(vec[0])
    out[..., 1] = tris[..., 1] + z * np.float32(vec[1])
    out[..., 2] = 0.0
    d1 = out[:, 1, :2] - out[:, 0, :2]
    d2 = out[:, 2, :2] - out[:, 0, :2]
    keep = np.abs(d1[:, 0] * d2[:, 1] - d1[:, 1] * d2[:, 0]) > 1e-6
    return out[keep]


def building_shadow(building: Building, sun: SunPosition, origin: Origin = (0.0, 0.0)) -> BaseGeometry:
    """A project building's shadow, relative to ``origin`` like its mesh."""
    if building.roof in ("shed", "gable", "sawtooth"):
        return mesh_shadow(building_mesh(building, origin), sun)
    poly = shapely.transform(footprint_polygon(building.footprint), lambda xy: xy - np.asarray(origin))
    return prism_shadow(poly, building.height_m, sun)


def context_shadow(ctx: ContextBuilding, sun: SunPosition, origin: Origin = (0.0, 0.0)) -> BaseGeometry:
    poly = shapely.transform(ctx.polygon, lambda xy: xy - np.asarray(origin))
    return prism_shadow(poly, context_height(ctx), sun)


def shadows(
    buildings: Iterable[Building],
    context: Iterable[ContextBuilding],
    sun: SunPosition,
    origin: Origin = (0.0, 0.0),
) -> BaseGeometry:
    """Every shadow in one (multi)polygon, so overlaps are not darkened twice."""
    if shadow_vector(sun) is None:
        return EMPTY
    parts = [building_shadow(b, sun, origin) for b in buildings]
    parts += [context_shadow(c, sun, origin) for c in context]
    return _union(parts)


def _union(parts: list[BaseGeometry]) -> BaseGeometry:
    parts = [p for p in parts if not p.is_empty]
    if not parts:
        return EMPTY
    merged = shapely.union_all(parts)
    # Keep polygons only (touching hulls may leave lines or points).
    polys = [g for g in getattr(merged, "geoms", [merged]) if isinstance(g, Polygon) and g.area > 1e-6]
    if len(polys) == 1:
        return polys[0]
    return shapely.MultiPolygon(polys) if polys else EMPTY
