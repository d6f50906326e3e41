"""Exports for the company's architect (``zacviz export --format glb|geojson|cityjson``).

Builder + writers, writers in a registry (STYLE):

- :func:`build_architect_model` turns a project on its site into an
  :class:`ArchitectModel`: the lot, the project's buildings and surfaces, and
  the existing buildings around the lot, as shapely polygons in the site CRS
  with their heights and attributes;
- each writer registered with :func:`exporter` turns that into one file:

  ``glb``       the project in its context as a binary glTF (Y up, metres,
                relative to the site's scene origin, which the scene's extras
                give with the CRS), roofs as the 3D view draws them;
  ``geojson``   footprints with heights, in the site CRS, declared the way
                GDAL and QGIS write it (SPEC §1), so QGIS places them;
  ``cityjson``  CityJSON 2.0, LoD1 buildings (each footprint extruded to its
                highest point) with ground, wall and roof semantics.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from shapely import affinity
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from zacviz.errors import InputError
from zacviz.geometry.footprint import footprint_polygon
from zacviz.model.project import Building, Project
from zacviz.model.site import ContextBuilding, Site
from zacviz.rules.engine import building_floor_area, resolve_lot

# Existing buildings within this distance of the lot go with the project.
CONTEXT_RADIUS_M = 250.0
DEFAULT_CONTEXT_HEIGHT_M = 8.0


@dataclass(frozen=True)
class Volume:
    """A building footprint with its height: one of the project's, or an existing one."""

    id: str
    polygon: Polygon
    height_m: float
    existing: bool
    attributes: dict[str, Any] = field(default_factory=dict)
    building: Building | None = None  # the project building (for its roof), if any


@dataclass(frozen=True)
class FlatArea:
    """A flat area on the ground: the lot, a parking, a yard."""

    id: str
    role: str
    polygon: BaseGeometry
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ArchitectModel:
    """The project on its lot, with its surroundings, in the site CRS."""

    site_id: str
    site_name: str
    crs: str
    title: str
    lot: FlatArea
    buildings: tuple[Volume, ...]
    surfaces: tuple[FlatArea, ...]
    context: tuple[Volume, ...]
    origin: tuple[float, float]


def build_architect_model(
    project: Project, site: Site, context_radius_m: float = CONTEXT_RADIUS_M
) -> ArchitectModel:
    """The plain data every architect export writes."""
    from zacviz.geometry.lot import scene_origin

    lot = resolve_lot(project, site)
    buildings = []
    for b in project.buildings:
        poly = footprint_polygon(b.footprint)
        buildings.append(
            Volume(
                id=b.id,
                polygon=poly,
                height_m=float(b.height_m),
                existing=False,
                attributes={
                    "use": b.use,
                    "height_m": float(b.height_m),
                    "storeys": int(b.storeys),
                    "roof": b.roof,
                    "footprint_m2": round(float(poly.area), 2),
                    "floor_area_m2": building_floor_area(b),
                },
                building=b,
            )
        )
    surfaces = []
    for s in project.surfaces:
        attrs: dict[str, Any] = {"kind": s.kind, "area_m2": 0.0}
        poly = footprint_polygon(s.footprint)
        attrs["area_m2"] = round(float(poly.area), 2)
        if s.stalls is not None:
            attrs["stalls"] = int(s.stalls)
        surfaces.append(FlatArea(s.id, "surface", poly, attrs))
    near = lot.polygon.buffer(context_radius_m)
    context = tuple(
        _context_volume(c) for c in site.context if c.polygon.intersects(near) and c.polygon.area > 0
    )
    lot_attrs: dict[str, Any] = {"zone": lot.zone, "area_m2": round(lot.area_m2, 2)}
    if lot.name:
        lot_attrs["name"] = lot.name
    return ArchitectModel(
        site_id=site.id,
        site_name=site.name,
        crs=site.crs,
        title=project.title,
        lot=FlatArea(lot.id, "lot", lot.polygon, lot_attrs),
        buildings=tuple(buildings),
        surfaces=tuple(surfaces),
        context=context,
        origin=scene_origin(site),
    )


def _context_volume(c: ContextBuilding) -> Volume:
    height = float(c.height_m) if c.height_m else DEFAULT_CONTEXT_HEIGHT_M
    attrs: dict[str, Any] = {"height_m": height, "height_known": c.height_m is not None}
    if c.name:
        attrs["name"] = c.name
    return Volume(id=c.id, polygon=c.polygon, height_m=height, existing=True, attributes=attrs)


# ---------------------------------------------------------------- registry

Writer = Callable[[ArchitectModel, Path], Path]


@dataclass(frozen=True)
class Exporter:
    name: str
    suffix: str
    description: str
    write: Writer


EXPORTERS: dict[str, Exporter] = {}


def exporter(name: str, suffix: str, description: str) -> Callable[[Writer], Writer]:
    """Register a writer under a format name."""

    def deco(write: Writer) -> Writer:
        EXPORTERS[name] = Exporter(name, suffix, description, write)
        return write

    return deco


def export_project(fmt: str, project: Project, site: Site, out: str | os.PathLike[str]) -> Path:
    """Write ``project`` on ``site`` in format ``fmt`` to ``out``; returns the path."""
    chosen = EXPORTERS.get(fmt)
    if chosen is None:
        raise InputError(f"--format: unknown format {fmt!r} (use {', '.join(EXPORTERS)})")
    out = Path(out)
    if not out.parent.is_dir():
        raise InputError(f"--out: folder {out.parent} does not exist")
    model = build_architect_model(project, site)
    try:
        return chosen.write(model, out)
    except OSError as exc:
        raise InputError(f"--out: cannot write {out} ({exc.strerror or exc})") from None


def crs_urn(crs: str) -> str:
    """``EPSG:2154`` → ``urn:ogc:def:crs:EPSG::2154``, the form GDAL and QGIS write."""
    from zacviz.io.geojson import normalise_crs

    name = normalise_crs(crs)
    if name.upper().startswith("EPSG:"):
        return f"urn:ogc:def:crs:EPSG::{name.split(':', 1)[1]}"
    if name == "OGC:CRS84":
        return "urn:ogc:def:crs:OGC:1.3:CRS84"
    return name


def _polygons(geom: BaseGeometry) -> list[Polygon]:
    return [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, Polygon) and not g.is_empty]


# ----------------------------------------------------------------- GeoJSON


def _ring(coords, digits: int = 3) -> list[list[float]]:
    return [[round(float(x), digits), round(float(y), digits)] for x, y, *_ in coords]


def geojson_geometry(geom: BaseGeometry) -> dict[str, Any]:
    """A (multi)polygon as GeoJSON, exterior rings counter-clockwise (RFC 7946), to the mm."""
    polys = [shapely.orient_polygons(p) for p in _polygons(geom)]
    rings = [[_ring(p.exterior.coords), *(_ring(i.coords) for i in p.interiors)] for p in polys]
    if len(rings) == 1:
        return {"type": "Polygon", "coordinates": rings[0]}
    return {"type": "MultiPolygon", "coordinates": rings}


@exporter("geojson", ".geojson", "footprints with heights, in the site CRS (QGIS)")
def write_geojson(model: ArchitectModel, out: Path) -> Path:
    features = []

    def add(role: str, fid: str, geom: BaseGeometry, props: dict[str, Any]) -> None:
        features.append(
            {
                "type": "Feature",
                "id": f"{role}:{fid}",
                "properties": {"role": role, "id": fid, **props},
                "geometry": geojson_geometry(geom),
            }
        )

    add("lot", model.lot.id, model.lot.polygon, model.lot.attributes)
    for v in model.buildings:
        add("building", v.id, v.polygon, v.attributes)
    for s in model.surfaces:
        add("surface", s.id, s.polygon, s.attributes)
    for v in model.context:
        add("existing_building", v.id, v.polygon, v.attributes)
    doc = {
        "type": "FeatureCollection",
        "name": f"{model.site_id}-{model.lot.id}",
        "crs": {"type": "name", "properties": {"name": crs_urn(model.crs)}},
        "features": features,
    }
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return out


# -------------------------------------------------------------------- GLB

# Colours (RGBA 0-255): the project light, what exists grey, the ground greens.
_COLOURS = {
    "building": (236, 228, 212, 255),
    "existing": (170, 170, 168, 255),
    "lot": (168, 196, 132, 255),
    "surface": (120, 120, 124, 255),
}
# Z up (site) → Y up (glTF): x stays east, y becomes up, z points south.
_Z_UP_TO_Y_UP = [[1, 0, 0, 0], [0, 0, 1, 0], [0, -1, 0, 0], [0, 0, 0, 1]]


def _material(role: str):
    from trimesh.visual.material import PBRMaterial

    return PBRMaterial(
        name=role, baseColorFactor=list(_COLOURS[role]), metallicFactor=0.0, roughnessFactor=0.9
    )


def _clean_mesh(vertices, faces, role: str):
    import numpy as np
    import trimesh

    mesh = trimesh.Trimesh(vertices=np.asarray(vertices, dtype=float), faces=faces, process=True)
    mesh.apply_transform(np.asarray(_Z_UP_TO_Y_UP, dtype=float))
    mesh.visual = trimesh.visual.TextureVisuals(material=_material(role))
    return mesh


@exporter("glb", ".glb", "the project in its context, binary glTF (Blender, SketchUp, Revit)")
def write_glb(model: ArchitectModel, out: Path) -> Path:
    import numpy as np
    import trimesh

    from zacviz.geometry.volumes import building_mesh, flat_triangles

    origin = model.origin
    scene = trimesh.Scene()

    def add_flat(name: str, geom: BaseGeometry, z: float, role: str) -> None:
        tris = flat_triangles(affinity.translate(geom, -origin[0], -origin[1]), z)
        if len(tris):
            verts = tris.reshape(-1, 3)
            faces = np.arange(len(verts)).reshape(-1, 3)
            scene.add_geometry(_clean_mesh(verts, faces, role), node_name=name, geom_name=name)

    add_flat(f"lot:{model.lot.id}", model.lot.polygon, 0.02, "lot")
    for s in model.surfaces:
        add_flat(f"surface:{s.id}", s.polygon, 0.04, "surface")
    for v in model.buildings:
        assert v.building is not None
        m = building_mesh(v.building, origin)  # cached and shared: copied by _clean_mesh
        name = f"building:{v.id}"
        mesh = _clean_mesh(m.vertices, m.faces, "building")
        mesh.metadata.update({"id": v.id, **v.attributes})
        scene.add_geometry(mesh, node_name=name, geom_name=name)
    for v in model.context:
        poly = affinity.translate(v.polygon, -origin[0], -origin[1])
        prism = trimesh.creation.extrude_polygon(shapely.orient_polygons(poly), v.height_m, engine="earcut")
        name = f"existing:{v.id}"
        mesh = _clean_mesh(prism.vertices, prism.faces, "existing")
        mesh.metadata.update({"id": v.id, **v.attributes})
        scene.add_geometry(mesh, node_name=name, geom_name=name)
    scene.metadata.update(
        {
            "generator": "zacviz",
            "site": model.site_id,
            "lot": model.lot.id,
            "title": model.title,
            "crs": model.crs,
            # Add these to x (east) and -z (north) to get site coordinates, in metres.
            "origin_east_m": origin[0],
            "origin_north_m": origin[1],
            "up_axis": "Y",
        }
    )
    out.write_bytes(scene.export(file_type="glb"))
    return out


# --------------------------------------------------------------- CityJSON

CITYJSON_VERSION = "2.0"
CITYJSON_SCALE = 0.001  # millimetres


class _Vertices:
    """Shared, de-duplicated vertices, as integers of the CityJSON transform."""

    def __init__(self, translate: tuple[float, float, float]) -> None:
        self.translate = translate
        self.index: dict[tuple[int, int, int], int] = {}
        self.items: list[list[int]] = []

    def __call__(self, x: float, y: float, z: float) -> int:
        key = (
            int(round((x - self.translate[0]) / CITYJSON_SCALE)),
            int(round((y - self.translate[1]) / CITYJSON_SCALE)),
            int(round((z - self.translate[2]) / CITYJSON_SCALE)),
        )
        i = self.index.get(key)
        if i is None:
            i = self.index[key] = len(self.items)
            self.items.append(list(key))
        return i


def _ring_xy(ring) -> list[tuple[float, float]]:
    """The ring's points without the closing one, repeated points (at the mm) dropped."""
    pts: list[tuple[float, float]] = []
    for x, y, *_ in list(ring.coords)[:-1]:
        p = (round(float(x), 3), round(float(y), 3))
        if not pts or p != pts[-1]:
            pts.append(p)
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    return pts


def lod1_solid(poly: Polygon, height: float, vertex: _Vertices) -> tuple[list, list[int]]:
    """The LoD1 block of a footprint: boundaries of one outward-facing shell and
    the semantic value (0 ground, 1 roof, 2 wall) of each of its surfaces."""
    poly = shapely.orient_polygons(shapely.make_valid(poly) if not poly.is_valid else poly)
    if not isinstance(poly, Polygon):
        poly = max(_polygons(poly), key=lambda p: p.area)
    rings = [_ring_xy(poly.exterior), *(_ring_xy(r) for r in poly.interiors)]
    rings = [r for r in rings if len(r) >= 3]
    shell: list[list[list[int]]] = []
    kinds: list[int] = []
    # Ground: seen from below, so the exterior runs clockwise from above.
    shell.append([[vertex(x, y, 0.0) for x, y in reversed(r)] for r in rings])
    kinds.append(0)
    # Roof: counter-clockwise from above (exterior), holes clockwise.
    shell.append([[vertex(x, y, height) for x, y in r] for r in rings])
    kinds.append(1)
    # Walls: along each ring in its own direction, normals outward.
    for r in rings:
        for (x0, y0), (x1, y1) in zip(r, r[1:] + r[:1]):
            shell.append(
                [[vertex(x0, y0, 0.0), vertex(x1, y1, 0.0), vertex(x1, y1, height), vertex(x0, y0, height)]]
            )
            kinds.append(2)
    return [shell], kinds


@exporter("cityjson", ".city.json", "CityJSON 2.0, LoD1 buildings (3D city models, FME, QGIS)")
def write_cityjson(model: ArchitectModel, out: Path) -> Path:
    volumes = [*model.buildings, *model.context]
    if volumes:
        bounds = shapely.total_bounds([v.polygon for v in volumes])
        translate = (float(math.floor(bounds[0])), float(math.floor(bounds[1])), 0.0)
    else:
        minx, miny, _, _ = model.lot.polygon.bounds
        translate = (float(math.floor(minx)), float(math.floor(miny)), 0.0)
    vertex = _Vertices(translate)
    semantics = {"surfaces": [{"type": "GroundSurface"}, {"type": "RoofSurface"}, {"type": "WallSurface"}]}
    city_objects: dict[str, Any] = {}
    for v in volumes:
        boundaries, kinds = lod1_solid(v.polygon, v.height_m, vertex)
        key = f"existing-{v.id}" if v.existing else f"project-{v.id}"
        attributes: dict[str, Any] = {
            "measuredHeight": round(v.height_m, 3),
            "zacviz_status": "existing" if v.existing else "projected",
        }
        for k, value in v.attributes.items():
            if k == "storeys":
                attributes["storeysAboveGround"] = value
            elif k != "height_m":
                attributes[f"zacviz_{k}"] = value
        if not v.existing:
            attributes["zacviz_lot"] = model.lot.id
        city_objects[key] = {
            "type": "Building",
            "attributes": attributes,
            "geographicalExtent": _extent(v.polygon, v.height_m),
            "geometry": [
                {
                    "type": "Solid",
                    "lod": "1",
                    "boundaries": boundaries,
                    "semantics": {**semantics, "values": [kinds]},
                }
            ],
        }
    all_polys = [v.polygon for v in volumes] or [model.lot.polygon]
    top = max((v.height_m for v in volumes), default=0.0)
    metadata: dict[str, Any] = {
        "referenceSystem": _reference_system(model.crs),
        "title": f"{model.site_name} — {model.lot.id}" + (f" — {model.title}" if model.title else ""),
        "geographicalExtent": _extent(shapely.union_all(all_polys), top),
    }
    doc = {
        "type": "CityJSON",
        "version": CITYJSON_VERSION,
        "transform": {"scale": [CITYJSON_SCALE] * 3, "translate": list(translate)},
        "metadata": metadata,
        "CityObjects": city_objects,
        "vertices": vertex.items,
    }
    out.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return out


def _extent(geom: BaseGeometry, height: float) -> list[float]:
    minx, miny, maxx, maxy = geom.bounds
    return [round(minx, 3), round(miny, 3), 0.0, round(maxx, 3), round(maxy, 3), round(height, 3)]


def _reference_system(crs: str) -> str:
    """``EPSG:2154`` → the OGC URL CityJSON asks for."""
    from zacviz.io.geojson import normalise_crs

    name = normalise_crs(crs)
    if name.upper().startswith("EPSG:"):
        return f"https://www.opengis.net/def/crs/EPSG/0/{name.split(':', 1)[1]}"
    return name
