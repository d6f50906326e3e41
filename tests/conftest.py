"""Shared helpers: small site folders and project files written in ``tmp_path``.

Test modules reach the helpers through fixtures (with ``--import-mode=importlib``
a test cannot ``import conftest``). All of them are session-scoped plain
functions, so hypothesis tests may use them too.

``make_site(root, *, lots=None, roads=None, zone=None, zones=None, ...) -> Path``
    Writes ``root/<site_id>/`` with ``site.toml``, ``lots.geojson`` and
    ``roads.geojson`` (GeoJSON in the site CRS, declared the GDAL way) and
    returns the folder. ``lots``/``roads`` are lists of GeoJSON features, most
    easily built with ``kit.lot(...)`` and ``kit.road(...)``; ``None`` gives the
    default layout below. ``zone`` replaces the rules of the single zone ``UE``;
    ``zones`` gives several zones ``{name: rules}``. See its docstring for the
    rest (site id, CRS, context layer, extra ``[site]`` keys).

``write_project(path, doc) -> Path``
    Writes a project dict as JSON (``str``/``bytes`` are written as they are,
    for broken files) and returns the path.

``kit``
    A namespace with the constants and dict builders: ``X0``, ``Y0`` (a corner
    in Lambert-93), ``SITE_ID``, ``ZONE_UE`` (the SPEC §1 rules), ``LOT_A1``
    and ``LOT_A2`` (bboxes), ``ROAD_SOUTH``, ``box``, ``ring``, ``lot``,
    ``road``, ``feature``, ``feature_collection``, ``write_json``,
    ``building``, ``surface``, ``project_doc``, ``compliant_project``,
    ``make_site`` and ``write_project``.

Default layout (metres, Lambert-93, origin ``(X0, Y0)``)::

    y=80  +--------------+--------------+
          |  lot A1      |  lot A2      |      zone UE (SPEC §1 rules)
          |  8000 m²     |  8000 m²     |
    y=0   +--------------+--------------+
          |   road r1 "Rue du Test" (12 m wide, x from -50 to 250)  |
    y=-12 +---------------------------------------------------------+
          x=0           x=100          x=200

``compliant_project()`` is a project on A1 that passes every rule of zone UE.
"""

from __future__ import annotations

import json
import math
import types
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

X0 = 649_000.0
Y0 = 6_948_000.0
SITE_ID = "test-site"
CRS = "EPSG:2154"

ZONE_UE: dict[str, Any] = {
    "max_coverage": 0.60,
    "max_height_m": 15.0,
    "min_setback_road_m": 10.0,
    "min_setback_side_m": 5.0,
    "side_setback_height_ratio": 0.5,
    "min_building_spacing_m": 6.0,
    "min_green_ratio": 0.15,
    "parking_m2_per_stall": {"office": 40, "workshop": 100, "warehouse": 250, "retail": 30},
}

# Bounding boxes (x0, y0, x1, y1) of the default lots and road.
LOT_A1 = (X0, Y0, X0 + 100.0, Y0 + 80.0)
LOT_A2 = (X0 + 100.0, Y0, X0 + 200.0, Y0 + 80.0)
ROAD_SOUTH = (X0 - 50.0, Y0 - 12.0, X0 + 250.0, Y0)

Box = Sequence[float]


# ------------------------------------------------------------------ geometry


def box(x0: float, y0: float, x1: float, y1: float) -> list[list[float]]:
    """The four corners of an axis-aligned box, counter-clockwise, not closed."""
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]


def ring(points: Iterable[Sequence[float]]) -> list[list[float]]:
    """A closed GeoJSON ring from points (closed or not)."""
    pts = [[float(x), float(y)] for x, y in points]
    if pts and pts[0] != pts[-1]:
        pts.append(list(pts[0]))
    return pts


def _polygon_geometry(bbox: Box | None, polygon: Sequence[Sequence[float]] | None) -> dict[str, Any]:
    if (bbox is None) == (polygon is None):
        raise TypeError("give exactly one of bbox, polygon")
    pts = box(*bbox) if bbox is not None else polygon
    return {"type": "Polygon", "coordinates": [ring(pts)]}


def feature(
    geometry: Mapping[str, Any] | None, properties: Mapping[str, Any] | None = None, **members: Any
) -> dict:
    """A GeoJSON Feature (``members`` adds top-level members such as ``id``)."""
    return {"type": "Feature", **members, "properties": dict(properties or {}), "geometry": geometry}


def lot(
    lot_id: Any = "A1",
    bbox: Box | None = None,
    *,
    polygon: Sequence[Sequence[float]] | None = None,
    zone: Any = "UE",
    **props: Any,
) -> dict:
    """A lot feature: a bbox or a polygon, ``id``/``zone`` and any other property.

    ``lot_id=None`` or ``zone=None`` leaves that property out.
    """
    properties: dict[str, Any] = {}
    if lot_id is not None:
        properties["id"] = lot_id
    if zone is not None:
        properties["zone"] = zone
    properties.update(props)
    return feature(_polygon_geometry(bbox, polygon), properties)


def road(
    road_id: str | None = "r1",
    bbox: Box | None = ROAD_SOUTH,
    *,
    polygon: Sequence[Sequence[float]] | None = None,
    **props: Any,
) -> dict:
    """A road feature (feature-level ``id``), optional ``name``/``setback_m`` properties."""
    if polygon is not None:
        bbox = None
    members = {"id": road_id} if road_id is not None else {}
    return feature(_polygon_geometry(bbox, polygon), props, **members)


def feature_collection(features: Iterable[Mapping[str, Any]], crs: str | None = CRS) -> dict:
    """A FeatureCollection declaring ``crs`` as GDAL writes it (``None``: no crs member)."""
    doc: dict[str, Any] = {"type": "FeatureCollection"}
    if crs is not None:
        if crs.upper().startswith("EPSG:"):
            name = f"urn:ogc:def:crs:EPSG::{crs.split(':')[-1]}"
        else:
            name = crs
        doc["crs"] = {"type": "name", "properties": {"name": name}}
    doc["features"] = list(features)
    return doc


def write_geotiff(
    path: Path,
    data: Any,
    west: float,
    north: float,
    res: float,
    *,
    block: int = 256,
    overviews: Sequence[int] = (),
    resampling: str = "nearest",
) -> Path:
    """A tiled RGB GeoTIFF in Lambert-93: ``data`` (3, rows, cols) uint8 from
    (``west``, ``north``) at ``res`` m/px, with the given overviews."""
    import rasterio
    from rasterio.enums import Resampling
    from rasterio.transform import from_origin

    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=data.shape[2],
        height=data.shape[1],
        count=3,
        dtype="uint8",
        crs=CRS,
        transform=from_origin(west, north, res, res),
        tiled=True,
        blockxsize=block,
        blockysize=block,
    ) as dst:
        dst.write(data)
        if overviews:
            dst.build_overviews(list(overviews), Resampling[resampling])
    return path


def write_json(path: Path, doc: Any) -> Path:
    """Write ``doc`` as JSON (``str``/``bytes`` as they are); parents are created."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(doc, bytes):
        path.write_bytes(doc)
    elif isinstance(doc, str):
        path.write_text(doc, encoding="utf-8")
    else:
        path.write_text(json.dumps(doc, indent=1, ensure_ascii=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------------- TOML


def _toml_key(key: str) -> str:
    return key if key and all(c.isalnum() or c in "-_" for c in key) else json.dumps(key)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML for {value!r}")


def _toml_table(header: str, table: Mapping[str, Any]) -> list[str]:
    lines = [f"[{header}]"]
    subtables = []
    for key, value in table.items():
        if isinstance(value, Mapping):
            subtables.append((key, value))
        else:
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    lines.append("")
    for key, value in subtables:
        lines += _toml_table(f"{header}.{_toml_key(key)}", value)
    return lines


def site_toml(site: Mapping[str, Any], zones: Mapping[str, Mapping[str, Any]]) -> str:
    """The text of a ``site.toml`` with a ``[site]`` table and ``[zones.*]`` tables."""
    lines = _toml_table("site", site)
    for name, rules in zones.items():
        lines += _toml_table(f"zones.{_toml_key(name)}", rules)
    return "\n".join(lines)


# --------------------------------------------------------------------- sites


def make_site(
    root: Path,
    *,
    lots: list[Mapping[str, Any]] | None = None,
    roads: list[Mapping[str, Any]] | None = None,
    zone: Mapping[str, Any] | None = None,
    zones: Mapping[str, Mapping[str, Any]] | None = None,
    site_id: str | None = SITE_ID,
    crs: str | None = CRS,
    name: str | None = "Site de test",
    context: list[Mapping[str, Any]] | None = None,
    site_extra: Mapping[str, Any] | None = None,
    folder_name: str | None = None,
) -> Path:
    """Write a site folder under ``root`` and return it.

    - ``lots``: lot features (default: A1 and A2 in zone UE).
    - ``roads``: road features (default: road r1 south of both lots; ``[]`` for none).
    - ``zone``: the rules of zone ``UE`` (default :data:`ZONE_UE`); ``zones``
      replaces the whole ``[zones]`` table instead.
    - ``site_id``/``crs``/``name``: the ``[site]`` values (``None`` leaves the key out).
    - ``context``: features of a ``context.geojson`` layer (none by default).
    - ``site_extra``: more ``[site]`` keys (``imagery``, ``illustrative``...).
    - ``folder_name``: the folder's name (default: the site id).

    The GeoJSON files declare ``crs`` (the site CRS).
    """
    folder = Path(root) / (folder_name or site_id or "site")
    folder.mkdir(parents=True, exist_ok=True)
    head: dict[str, Any] = {}
    for key, value in (("id", site_id), ("name", name), ("crs", crs)):
        if value is not None:
            head[key] = value
    head["lots"] = "lots.geojson"
    head["roads"] = "roads.geojson"
    if context is not None:
        head["context"] = "context.geojson"
    head.update(site_extra or {})
    if zones is None:
        zones = {"UE": dict(ZONE_UE if zone is None else zone)}
    (folder / "site.toml").write_text(site_toml(head, zones), encoding="utf-8")
    if lots is None:
        lots = [lot("A1", LOT_A1), lot("A2", LOT_A2)]
    if roads is None:
        roads = [road("r1", ROAD_SOUTH, name="Rue du Test")]
    layer_crs = crs or CRS
    write_json(folder / "lots.geojson", feature_collection(lots, layer_crs))
    write_json(folder / "roads.geojson", feature_collection(roads, layer_crs))
    if context is not None:
        write_json(folder / "context.geojson", feature_collection(context, layer_crs))
    return folder


# ------------------------------------------------------------------ projects


def building(
    building_id: str = "b1",
    cx: float = X0 + 50.0,
    cy: float = Y0 + 45.0,
    width: float = 20.0,
    depth: float = 10.0,
    angle_deg: float = 0.0,
    *,
    polygon: Sequence[Sequence[float]] | None = None,
    use: str = "office",
    height_m: float = 8.0,
    storeys: int = 1,
    roof: str = "flat",
    **extra: Any,
) -> dict:
    """A building dict: a rect footprint (default: 20 × 10 m mid-lot A1) or ``polygon``."""
    if polygon is not None:
        footprint: dict[str, Any] = {"polygon": [list(p) for p in polygon]}
    else:
        footprint = {"rect": {"cx": cx, "cy": cy, "width": width, "depth": depth, "angle_deg": angle_deg}}
    return {
        "id": building_id,
        "use": use,
        "height_m": height_m,
        "storeys": storeys,
        "roof": roof,
        "footprint": footprint,
        **extra,
    }


def surface(
    surface_id: str = "s1",
    bbox: Box | None = (X0 + 20.0, Y0 + 15.0, X0 + 80.0, Y0 + 30.0),
    *,
    polygon: Sequence[Sequence[float]] | None = None,
    kind: str = "parking",
    stalls: int | None = 10,
    **extra: Any,
) -> dict:
    """A surface dict: a polygon footprint from ``bbox`` or ``polygon`` (``stalls=None``: omitted)."""
    pts = [list(p) for p in polygon] if polygon is not None else box(*bbox)  # type: ignore[misc]
    out: dict[str, Any] = {"id": surface_id, "kind": kind}
    if stalls is not None:
        out["stalls"] = stalls
    out["footprint"] = {"polygon": pts}
    out.update(extra)
    return out


def project_doc(
    buildings: Iterable[Mapping[str, Any]] = (),
    surfaces: Iterable[Mapping[str, Any]] = (),
    *,
    lot: str = "A1",
    site: str = SITE_ID,
    title: str = "Projet de test",
    **extra: Any,
) -> dict:
    """A project document (version 1) on ``site``/``lot``."""
    return {
        "format": "zacviz-project",
        "version": 1,
        "site": site,
        "lot": lot,
        "title": title,
        "buildings": [dict(b) for b in buildings],
        "surfaces": [dict(s) for s in surfaces],
        **extra,
    }


def compliant_project(**kw: Any) -> dict:
    """One office (20 × 10 m, 8 m, 5 stalls needed) and a 10-stall parking on A1."""
    return project_doc([building()], [surface()], **kw)


def write_project(path: Path, doc: Any) -> Path:
    """Write a project document (dict, or raw ``str``/``bytes``) and return ``path``."""
    return write_json(Path(path), doc)


# ------------------------------------------------------------------ fixtures

_KIT = types.SimpleNamespace(
    X0=X0,
    Y0=Y0,
    SITE_ID=SITE_ID,
    CRS=CRS,
    ZONE_UE=ZONE_UE,
    LOT_A1=LOT_A1,
    LOT_A2=LOT_A2,
    ROAD_SOUTH=ROAD_SOUTH,
    box=box,
    ring=ring,
    feature=feature,
    lot=lot,
    road=road,
    feature_collection=feature_collection,
    write_json=write_json,
    write_geotiff=write_geotiff,
    site_toml=site_toml,
    make_site=make_site,
    building=building,
    surface=surface,
    project_doc=project_doc,
    compliant_project=compliant_project,
    write_project=write_project,
)


@pytest.fixture(scope="session")
def kit() -> types.SimpleNamespace:
    """Constants and builders of this module (see the module docstring)."""
    return _KIT


@pytest.fixture(scope="session", name="make_site")
def make_site_fixture():
    """``make_site(root, *, lots=None, roads=None, zone=None, ...) -> Path``."""
    return make_site


@pytest.fixture(scope="session", name="write_project")
def write_project_fixture():
    """``write_project(path, doc) -> Path``."""
    return write_project
