"""Building volumes as triangle meshes, in scene coordinates.

A volume is the footprint extruded to a roof: ``flat`` (a deck behind a
parapet, the acrotère, whose top is ``height_m``), ``shed`` (mono-pitch, high
side to the north so the slope faces the sun), ``gable`` (ridge along the
longer side) or ``sawtooth`` (north-light teeth whose ridges run along the
longer side). ``height_m`` is always the highest point, as the rules measure it.

Every roof is a height field that is linear across the building's short axis
between break lines (ridge, teeth), so the footprint is cut into strips along
those lines, each strip's piece triangulated (earcut) and lifted onto its
plane; walls follow the boundary, split at the break lines; sawtooth teeth add
their vertical glazed faces.

Coordinates are relative to a scene ``origin`` (x, y): Lambert-93 values
(~7e6 m) lose centimetres in the float32 buffers of OpenGL. Meshes are cached
by (building, origin); buildings are immutable and hashable.

A :class:`Mesh` is plain numpy arrays, triangulated with mapbox-earcut: the
editor's 3D pane never loads trimesh (and the scipy it pulls in, 80 MB and a
second); the GLB export builds its trimesh scenes from these arrays.
"""

from __future__ import annotations

import itertools
import math
from functools import lru_cache
from typing import cast

import numpy as np
import shapely
from mapbox_earcut import triangulate_float64
from shapely import affinity
from shapely.geometry import Polygon, box
from shapely.geometry.base import BaseGeometry

from zacviz.geometry.footprint import footprint_polygon
from zacviz.model.project import Building, RectFootprint
from zacviz.model.site import ContextBuilding, Site

Origin = tuple[float, float]

DEFAULT_CONTEXT_HEIGHT_M = 8.0
PARAPET_M = 1.0
PARAPET_THICKNESS_M = 0.35
# Outlines of more vertices get a flat roof without a parapet: GEOS insets a
# jagged outline of 2,000 vertices in half a second and one of 10,000 in a
# minute (SPEC §2 bounds a picture of 40 of them to 20 s).
MAX_PARAPET_VERTICES = 1_000
SHED_PITCH_DEG = 8.0
GABLE_PITCH_DEG = 15.0
SAWTOOTH_PITCH_DEG = 25.0
SAWTOOTH_TOOTH_M = 9.0
MIN_EAVE_RATIO = 0.55
"""A pitched roof never takes more than 45 % of the height (low buildings, wide spans)."""

# Face kinds, kept per face so views can shade roofs and walls differently.
WALL, ROOF, GLAZING = 0, 1, 2


# ---------------------------------------------------------------- frames


def _axes(building: Building, poly: Polygon) -> tuple[float, float, float]:
    """Centre (x, y) and the angle (radians) of the footprint's longer side."""
    fp = building.footprint
    if isinstance(fp, RectFootprint):
        angle = math.radians(fp.angle_deg) + (0.0 if fp.width >= fp.depth else math.pi / 2)
        return fp.cx, fp.cy, angle
    rect = poly.minimum_rotated_rectangle
    xy = np.asarray(rect.exterior.coords)[:4]
    edges = np.diff(np.vstack([xy, xy[:1]]), axis=0)
    k = int(np.argmax(np.hypot(edges[:, 0], edges[:, 1])))
    c = rect.centroid
    return c.x, c.y, math.atan2(edges[k, 1], edges[k, 0])


def _north_up(angle: float) -> float:
    """The long-axis angle turned by π if need be so that local +v points north-ish.

    Local v = (−sin a, cos a); its north component is cos a.
    """
    return angle if math.cos(angle) >= 0 else angle + math.pi


# ---------------------------------------------------------- roof profiles


def _profile(roof: str, h: float, v0: float, v1: float) -> tuple[list[float], list[tuple[float, float]]]:
    """Break lines and, for each strip between them, the plane ``z = a + b·v``.

    Returns (breaks, planes) with ``len(planes) == len(breaks) - 1`` and breaks
    spanning [v0, v1].
    """
    span = v1 - v0
    low = MIN_EAVE_RATIO * h
    if roof == "shed":
        rise = min(span * math.tan(math.radians(SHED_PITCH_DEG)), h - low)
        b = rise / span
        return [v0, v1], [(h - b * v1, b)]  # high at v1 (north)
    if roof == "gable":
        mid = (v0 + v1) / 2.0
        rise = min(span / 2.0 * math.tan(math.radians(GABLE_PITCH_DEG)), h - low)
        b = rise / (span / 2.0)
        return [v0, mid, v1], [(h - b * mid, b), (h + b * mid, -b)]
    if roof == "sawtooth":
        n = max(1, round(span / SAWTOOTH_TOOTH_M))
        width = span / n
        rise = min(width * math.tan(math.radians(SAWTOOTH_PITCH_DEG)), h - low)
        b = rise / width
        breaks = [v0 + i * width for i in range(n + 1)]
        breaks[-1] = v1
        # Each tooth rises northwards to h, then drops: the glazing faces north.
        planes = [(h - b * breaks[i + 1], b) for i in range(n)]
        return breaks, planes
    return [v0, v1], [(h, 0.0)]


# ---------------------------------------------------------------- meshes


class Mesh:
    """Triangles as vertices and faces, with per-face attributes (``kind``, ``part``).

    The few properties the views, the shadows and the export use, with trimesh's
    names; vertices are not merged (each face has its own three).
    """

    __slots__ = ("face_attributes", "faces", "metadata", "vertices")

    def __init__(self, vertices: np.ndarray, faces: np.ndarray) -> None:
        self.vertices = np.asarray(vertices, dtype=float).reshape(-1, 3)
        self.faces = np.asarray(faces, dtype=np.int64).reshape(-1, 3)
        self.face_attributes: dict[str, np.ndarray] = {}
        self.metadata: dict[str, object] = {}

    @property
    def triangles(self) -> np.ndarray:
        """(n, 3, 3): each face's corners."""
        return self.vertices[self.faces]

    @property
    def is_empty(self) -> bool:
        return not len(self.faces)

    @property
    def bounds(self) -> np.ndarray:
        """[[xmin, ymin, zmin], [xmax, ymax, zmax]] of the vertices used by faces."""
        used = self.vertices[self.faces.ravel()] if len(self.faces) else np.zeros((1, 3))
        return np.stack([used.min(axis=0), used.max(axis=0)])

    def _cross(self) -> np.ndarray:
        t = self.triangles
        return np.cross(t[:, 1] - t[:, 0], t[:, 2] - t[:, 0])

    @property
    def area_faces(self) -> np.ndarray:
        return np.linalg.norm(self._cross(), axis=1) / 2.0

    @property
    def face_normals(self) -> np.ndarray:
        """Unit normals by the right-hand rule; zero for a face without area."""
        cross = self._cross()
        norm = np.linalg.norm(cross, axis=1)
        out = np.zeros_like(cross)
        ok = norm > 1e-12
        out[ok] = cross[ok] / norm[ok, None]
        return out

    @property
    def triangles_center(self) -> np.ndarray:
        return self.triangles.mean(axis=1)

    @property
    def volume(self) -> float:
        """The enclosed volume of a closed mesh whose faces face out (divergence theorem)."""
        t = self.triangles
        return float(np.einsum("ij,ij->i", t[:, 0], np.cross(t[:, 1], t[:, 2])).sum() / 6.0)

    @property
    def is_closed(self) -> bool:
        """Every edge is shared by exactly two faces that run along it in opposite
        directions (a watertight, consistently wound surface)."""
        if not len(self.faces):
            return False
        t = np.round(self.triangles, 9)
        a = t.reshape(-1, 3)
        b = np.roll(t, -1, axis=1).reshape(-1, 3)
        edges = np.concatenate([a, b], axis=1)
        reverse = np.concatenate([b, a], axis=1)
        forward = {tuple(e) for e in edges}
        return len(forward) == len(edges) and all(tuple(e) in forward for e in reverse)


def triangulate(poly: Polygon) -> tuple[np.ndarray, np.ndarray]:
    """A polygon (holes included) cut into triangles by earcut: (vertices (n, 2), faces (m, 3))."""
    rings = [np.asarray(poly.exterior.coords)[:, :2]]
    rings.extend(np.asarray(r.coords)[:, :2] for r in poly.interiors)
    verts = np.vstack(rings).astype(np.float64)
    ends = np.cumsum([len(r) for r in rings]).astype(np.uint32)
    faces = triangulate_float64(verts, ends).astype(np.int64).reshape(-1, 3)
    return verts, faces


# ------------------------------------------------------------- builders


class _Builder:
    """Accumulates triangles (in local u, v, z) with a kind per face."""

    def __init__(self) -> None:
        self.tris: list[np.ndarray] = []
        self.kinds: list[np.ndarray] = []
        self.parts: list[np.ndarray] = []
        self.convex = False

    def add(self, tris: np.ndarray, kind: int, part: int | np.ndarray = 0) -> None:
        if len(tris):
            self.tris.append(np.asarray(tris, dtype=float).reshape(-1, 3, 3))
            self.kinds.append(np.full(len(self.tris[-1]), kind, dtype=np.int8))
            self.parts.append(np.broadcast_to(np.asarray(part, dtype=np.int16), len(self.tris[-1])).copy())

    def add_quad_strip(self, a0, a1, b0, b1, kind: int, part: int | np.ndarray = 0) -> None:
        """Quads a0-a1 (bottom edge) to b0-b1 (top edge), arrays (n, 3)."""
        t1 = np.stack([a0, a1, b1], axis=1)
        t2 = np.stack([a0, b1, b0], axis=1)
        parts = np.concatenate([np.broadcast_to(part, len(t1)), np.broadcast_to(part, len(t2))])
        self.add(np.concatenate([t1, t2]), kind, parts)

    def add_flat(self, geom: BaseGeometry, z_of_v, kind: int, up: bool = True, part: int = 0) -> None:
        """Triangulate a (multi)polygon in (u, v) and lift it by ``z_of_v(v)``."""
        for poly in getattr(geom, "geoms", [geom]):
            if not isinstance(poly, Polygon) or poly.is_empty or poly.area < 1e-6:
                continue
            verts, faces = triangulate(poly)
            if not len(faces):
                continue
            v3 = np.column_stack([verts, z_of_v(verts[:, 1])])
            tris = v3[faces]
            n_z = np.cross(tris[:, 1] - tris[:, 0], tris[:, 2] - tris[:, 0])[:, 2]
            flip = (n_z < 0) if up else (n_z > 0)
            tris[flip] = tris[flip][:, ::-1]
            self.add(tris, kind, part)

    def add_walls(
        self, geom: BaseGeometry, z_bottom, z_top, breaks: list[float], inward: bool = False
    ) -> None:
        """Vertical walls along every ring of ``geom`` (oriented so normals face out)."""
        for poly in getattr(geom, "geoms", [geom]):
            if not isinstance(poly, Polygon) or poly.is_empty:
                continue
            poly = shapely.orient_polygons(poly)
            for ring in (poly.exterior, *poly.interiors):
                pts = _split_ring(np.asarray(ring.coords)[:, :2], breaks)
                if inward:
                    pts = pts[::-1]
                a, b = pts[:-1], pts[1:]
                keep = np.hypot(*(b - a).T) > 1e-9
                a, b = a[keep], b[keep]
                za0, zb0 = z_bottom(a[:, 1]), z_bottom(b[:, 1])
                za1, zb1 = z_top(a[:, 1]), z_top(b[:, 1])
                self.add_quad_strip(
                    np.column_stack([a, za0]),
                    np.column_stack([b, zb0]),
                    np.column_stack([a, za1]),
                    np.column_stack([b, zb1]),
                    WALL,
                )

    def mesh(self, centre: tuple[float, float], angle: float, origin: Origin) -> Mesh:
        tris = np.concatenate(self.tris) if self.tris else np.zeros((0, 3, 3))
        kinds = np.concatenate(self.kinds) if self.kinds else np.zeros(0, dtype=np.int8)
        parts = np.concatenate(self.parts) if self.parts else np.zeros(0, dtype=np.int16)
        c, s = math.cos(angle), math.sin(angle)
        u, v = tris[..., 0], tris[..., 1]
        world = np.empty_like(tris)
        world[..., 0] = centre[0] - origin[0] + u * c - v * s
        world[..., 1] = centre[1] - origin[1] + u * s + v * c
        world[..., 2] = tris[..., 2]
        mesh = Mesh(world.reshape(-1, 3), np.arange(len(world) * 3).reshape(-1, 3))
        mesh.face_attributes["kind"] = kinds
        mesh.face_attributes["part"] = parts
        mesh.metadata["convex_parts"] = self.convex
        return mesh


def _split_ring(pts: np.ndarray, breaks: list[float]) -> np.ndarray:
    """Insert a vertex wherever a ring edge crosses one of the lines v = break."""
    inner = breaks[1:-1]
    if not inner:
        return pts
    out = [pts[0]]
    for p, q in itertools.pairwise(pts):
        dv = q[1] - p[1]
        if abs(dv) > 1e-12:
            ts = sorted((b - p[1]) / dv for b in inner if 0.0 < (b - p[1]) / dv < 1.0)
            out.extend(p + t * (q - p) for t in ts)
        out.append(q)
    return np.asarray(out)


def _to_local(poly: Polygon, cx: float, cy: float, angle: float) -> Polygon:
    moved = affinity.translate(poly, -cx, -cy)
    return affinity.rotate(moved, -angle, origin=(0.0, 0.0), use_radians=True)


def _pitched(builder: _Builder, local: Polygon, roof: str, h: float) -> None:
    minx, v0, maxx, v1 = local.bounds
    breaks, planes = _profile(roof, h, v0, v1)
    zero = lambda v: np.zeros_like(v)  # noqa: E731
    # Walls, split at the break lines, each piece under its own strip's plane.
    for poly in getattr(local, "geoms", [local]):
        ring_pts = []
        for ring in (shapely.orient_polygons(poly).exterior, *shapely.orient_polygons(poly).interiors):
            ring_pts.append(_split_ring(np.asarray(ring.coords)[:, :2], breaks))
        for pts in ring_pts:
            a, b = pts[:-1], pts[1:]
            keep = np.hypot(*(b - a).T) > 1e-9
            a, b = a[keep], b[keep]
            mid = (a[:, 1] + b[:, 1]) / 2.0
            k = np.searchsorted(np.asarray(breaks[1:-1]), mid)
            pa = np.asarray([planes[i] for i in k])
            za = pa[:, 0] + pa[:, 1] * a[:, 1]
            zb = pa[:, 0] + pa[:, 1] * b[:, 1]
            builder.add_quad_strip(
                np.column_stack([a, zero(a[:, 1])]),
                np.column_stack([b, zero(b[:, 1])]),
                np.column_stack([a, za]),
                np.column_stack([b, zb]),
                WALL,
                k,
            )
    # Roof planes, strip by strip.
    pad = 1.0
    for k, ((va, vb), (pa0, pb)) in enumerate(zip(itertools.pairwise(breaks), planes)):
        piece = local.intersection(box(minx - pad, va, maxx + pad, vb))
        builder.add_flat(piece, lambda v, pa0=pa0, pb=pb: pa0 + pb * v, ROOF, part=k)
    # Sawtooth: the vertical glazed faces at the inner breaks, facing north (+v).
    if roof == "sawtooth":
        for k, vk in enumerate(breaks[1:-1]):
            top = planes[k][0] + planes[k][1] * vk
            low = planes[k + 1][0] + planes[k + 1][1] * vk
            line = local.intersection(shapely.LineString([(minx - pad, vk), (maxx + pad, vk)]))
            for seg in getattr(line, "geoms", [line]):
                if seg.is_empty or seg.length < 1e-6 or seg.geom_type != "LineString":
                    continue
                (ua, _), (ub, _) = np.asarray(seg.coords)[[0, -1]]
                # Bottom edge from +u to −u so that the face's normal is +v (north).
                u0, u1 = max(ua, ub), min(ua, ub)
                builder.add_quad_strip(
                    np.array([[u0, vk, low]]),
                    np.array([[u1, vk, low]]),
                    np.array([[u0, vk, top]]),
                    np.array([[u1, vk, top]]),
                    GLAZING,
                    k,
                )


def _flat(builder: _Builder, local: Polygon, h: float, parapet: bool) -> None:
    zero = lambda v: np.zeros_like(v)  # noqa: E731
    top = lambda v: np.full_like(v, h)  # noqa: E731
    builder.add_walls(local, zero, top, [])
    p = min(PARAPET_M, 0.2 * h)
    parapet = parapet and shapely.get_num_coordinates(local) <= MAX_PARAPET_VERTICES + 1
    inner = local.buffer(-PARAPET_THICKNESS_M, join_style="mitre") if parapet else Polygon()
    if not parapet or inner.is_empty or inner.area < 0.5 * local.area:
        builder.add_flat(local, top, ROOF)
        return
    deck = lambda v: np.full_like(v, h - p)  # noqa: E731
    builder.add_flat(local.difference(inner), top, ROOF)
    builder.add_walls(inner, deck, top, [], inward=True)
    builder.add_flat(inner, deck, ROOF)


def make_building_mesh(building: Building, origin: Origin = (0.0, 0.0)) -> Mesh:
    """The volume of a project building, relative to ``origin``, built anew
    (:func:`building_mesh` is the cached one).

    Faces carry ``mesh.face_attributes["kind"]`` (WALL, ROOF, GLAZING) and
    ``["part"]``: the roof strip (tooth, slope) they bound; over a convex
    footprint each part is a convex volume. For a caller that keeps its own
    arrays derived from the mesh (the 3D view keeps float32 ones): the float64
    mesh of 40 outlines of 10,000 vertices weighs 115 MB, once is enough.
    """
    poly = footprint_polygon(building.footprint)
    cx, cy, angle = _axes(building, poly)
    angle = _north_up(angle)
    local = _to_local(poly, cx, cy, angle)
    builder = _Builder()
    builder.convex = bool(poly.convex_hull.area - poly.area < 1e-6 * max(poly.area, 1.0))
    h = float(building.height_m)
    if building.roof in ("shed", "gable", "sawtooth"):
        _pitched(builder, local, building.roof, h)
    else:
        _flat(builder, local, h, parapet=True)
    return builder.mesh((cx, cy), angle, origin)


building_mesh = lru_cache(maxsize=2048)(make_building_mesh)
"""The volume of a project building, relative to ``origin``, cached by
(building, origin): see :func:`make_building_mesh`. The returned mesh is shared
by the cache: do not modify it."""


def context_height(ctx: ContextBuilding) -> float:
    return float(ctx.height_m) if ctx.height_m else DEFAULT_CONTEXT_HEIGHT_M


def context_mesh(ctx: ContextBuilding, origin: Origin = (0.0, 0.0)) -> Mesh:
    """An existing building: its polygon extruded flat to its height."""
    builder = _Builder()
    poly = shapely.orient_polygons(ctx.polygon)
    _flat(builder, poly, context_height(ctx), parapet=False)
    return builder.mesh((0.0, 0.0), 0.0, origin)


def context_meshes(site: Site, origin: Origin) -> Mesh:
    """All existing buildings of the site in one mesh (cached on the site)."""
    return cast(
        Mesh,
        site.cached(
            ("context_mesh", origin), lambda: concatenate([context_mesh(c, origin) for c in site.context])
        ),
    )


def concatenate(meshes: list[Mesh]) -> Mesh:
    """Meshes joined, face kinds kept."""
    meshes = [m for m in meshes if len(m.faces)]
    if not meshes:
        mesh = Mesh(np.zeros((0, 3)), np.zeros((0, 3), dtype=np.int64))
        mesh.face_attributes["kind"] = np.zeros(0, dtype=np.int8)
        mesh.face_attributes["part"] = np.zeros(0, dtype=np.int16)
        return mesh
    verts = np.concatenate([m.vertices for m in meshes])
    offsets = np.cumsum([0] + [len(m.vertices) for m in meshes[:-1]])
    faces = np.concatenate([m.faces + o for m, o in zip(meshes, offsets)])
    mesh = Mesh(verts, faces)
    mesh.face_attributes["kind"] = np.concatenate([m.face_attributes["kind"] for m in meshes])
    mesh.face_attributes["part"] = np.concatenate([m.face_attributes["part"] for m in meshes])
    return mesh


def extrude(geom: BaseGeometry, bottom: float, top: float) -> Mesh:
    """A (multi)polygon extruded from ``bottom`` to ``top``: a closed prism, faces out."""
    zb = lambda v: np.full_like(v, bottom)  # noqa: E731
    zt = lambda v: np.full_like(v, top)  # noqa: E731
    builder = _Builder()
    for poly in getattr(geom, "geoms", [geom]):
        if not isinstance(poly, Polygon) or poly.is_empty or poly.area <= 1e-9:
            continue
        builder.add_walls(poly, zb, zt, [])
        builder.add_flat(poly, zt, ROOF)
        builder.add_flat(poly, zb, WALL, up=False)
    return builder.mesh((0.0, 0.0), 0.0, (0.0, 0.0))


def flat_triangles(geom: BaseGeometry, z: float = 0.0) -> np.ndarray:
    """A (multi)polygon triangulated (earcut) at height ``z``: (n, 3, 3), facing up.

    Shadows, lot outlines and highlights on the ground are drawn from these.
    """
    builder = _Builder()
    polys = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, Polygon)]
    for poly in polys:
        builder.add_flat(poly, lambda v: np.full_like(v, z), ROOF)
    return np.concatenate(builder.tris) if builder.tris else np.zeros((0, 3, 3))
