"""Project files (``*.zacviz.json``, SPEC §2): read, validate, migrate, write.

The reader is strict about what it understands and keeps what it does not: every
problem raises :class:`~zacviz.errors.InputError` with one line naming the field
(``buildings[1].footprint.rect.width: ...``), and unknown keys travel in the
``extra`` mappings so that saving writes them back.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from zacviz.errors import InputError
from zacviz.model.project import (
    ROOFS,
    SURFACE_KINDS,
    USES,
    Building,
    PolygonFootprint,
    Project,
    RectFootprint,
    Surface,
    frozen_extra,
)

FORMAT = "zacviz-project"
VERSION = 1

# Sizes beyond these are typing mistakes, not buildings (SPEC §2 "absurd sizes").
MAX_SIZE_M = 5_000.0
MAX_HEIGHT_M = 1_000.0
MAX_STOREYS = 200
MAX_STALLS = 100_000
# Coordinates of any projected CRS in metres stay well within this.
MAX_COORD = 1.0e8
MAX_VERTICES = 10_000

# version -> function upgrading a document of that version to version + 1.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def register_migration(
    from_version: int,
) -> Callable[[Callable[[dict[str, Any]], dict[str, Any]]], Callable[[dict[str, Any]], dict[str, Any]]]:
    """Register the upgrade of a project document from ``from_version`` to the next."""

    def deco(fn: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable[[dict[str, Any]], dict[str, Any]]:
        MIGRATIONS[from_version] = fn
        return fn

    return deco


def migrate(doc: dict[str, Any]) -> dict[str, Any]:
    """Bring a document up to :data:`VERSION` through the registered migrations."""
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise InputError(f"version: must be an integer (got {_show(version)})")
    if version > VERSION:
        raise InputError(
            f"version: {version} is newer than this zacviz understands ({VERSION}); update zacviz"
        )
    while version < VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise InputError(f"version: {version} is not supported (expected {VERSION})")
        doc = step(dict(doc))
        version = doc["version"]
    return doc


# ---------------------------------------------------------------- reading


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, allow_nan=True) if _jsonable(value) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _jsonable(value: Any) -> bool:
    try:
        json.dumps(value, allow_nan=True)
    except (TypeError, ValueError):
        return False
    return True


def _number(value: Any, where: str, *, positive: bool = False, limit: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{where}: must be a number (got {_show(value)})")
    try:
        x = float(value)
    except OverflowError:  # an integer literal with hundreds of digits
        raise InputError(f"{where}: number out of range") from None
    if not math.isfinite(x):
        raise InputError(f"{where}: must be a finite number (got {_show(value)})")
    if positive and x <= 0.0:
        raise InputError(f"{where}: must be greater than 0 (got {_show(value)})")
    if limit is not None and abs(x) > limit:
        raise InputError(f"{where}: {_show(value)} is out of range (at most {limit:g})")
    return x


def _integer(value: Any, where: str, *, minimum: int, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{where}: must be an integer (got {_show(value)})")
    if isinstance(value, float) and (not math.isfinite(value) or not value.is_integer()):
        raise InputError(f"{where}: must be an integer (got {_show(value)})")
    n = int(value)
    if n < minimum or n > maximum:
        raise InputError(f"{where}: must be between {minimum} and {maximum} (got {n})")
    return n


def _string(value: Any, where: str, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise InputError(f"{where}: must be a string (got {_show(value)})")
    if not allow_empty and not value.strip():
        raise InputError(f"{where}: must not be empty")
    return value


def _choice(value: Any, where: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise InputError(f"{where}: must be one of {', '.join(choices)} (got {_show(value)})")
    return str(value)


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise InputError(f"{where}: must be an object (got {_show(value)})")
    return value


def _require(obj: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in obj:
        raise InputError(f"{where}.{key}: missing" if where else f"{key}: missing")
    return obj[key]


def _rest(obj: Mapping[str, Any], known: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k not in known}


_RECT_KEYS = ("cx", "cy", "width", "depth", "angle_deg")


def parse_footprint(value: Any, where: str) -> RectFootprint | PolygonFootprint:
    """A footprint object (``{"rect": {...}}`` or ``{"polygon": [...]}``)."""
    obj = _object(value, where)
    kinds = [k for k in ("rect", "polygon") if k in obj]
    if len(kinds) != 1:
        raise InputError(f"{where}: must have exactly one of rect, polygon")
    kind = kinds[0]
    outer = frozen_extra(_rest(obj, (kind,)))
    if kind == "rect":
        w = f"{where}.rect"
        rect = _object(obj["rect"], w)
        cx = _number(_require(rect, "cx", w), f"{w}.cx", limit=MAX_COORD)
        cy = _number(_require(rect, "cy", w), f"{w}.cy", limit=MAX_COORD)
        width = _number(_require(rect, "width", w), f"{w}.width", positive=True, limit=MAX_SIZE_M)
        depth = _number(_require(rect, "depth", w), f"{w}.depth", positive=True, limit=MAX_SIZE_M)
        angle = _number(rect.get("angle_deg", 0.0), f"{w}.angle_deg", limit=1.0e6)
        extra = frozen_extra(_rest(rect, _RECT_KEYS))
        return RectFootprint(cx, cy, width, depth, angle, extra=extra, outer=outer)
    return replace(_parse_polygon(obj["polygon"], f"{where}.polygon"), outer=outer)


def _parse_polygon(value: Any, where: str) -> PolygonFootprint:
    if not isinstance(value, list):
        raise InputError(f"{where}: must be a list of [x, y] points")
    if len(value) > MAX_VERTICES:
        raise InputError(f"{where}: too many vertices ({len(value)} > {MAX_VERTICES})")
    pts: list[tuple[float, float]] = []
    for i, p in enumerate(value):
        if not isinstance(p, list) or len(p) != 2:
            raise InputError(f"{where}[{i}]: must be a point [x, y] (got {_show(p)})")
        pts.append(
            (
                _number(p[0], f"{where}[{i}][0]", limit=MAX_COORD),
                _number(p[1], f"{where}[{i}][1]", limit=MAX_COORD),
            )
        )
    closed = len(pts) > 1 and pts[0] == pts[-1]
    if closed:
        pts = pts[:-1]
    if len(pts) < 3:
        raise InputError(f"{where}: a polygon needs at least 3 distinct points")
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    if max(max(xs) - min(xs), max(ys) - min(ys)) > MAX_SIZE_M:
        raise InputError(f"{where}: polygon is larger than {MAX_SIZE_M:g} m")
    from shapely.geometry import LinearRing, Polygon

    ring = LinearRing(pts)
    if not ring.is_simple:
        raise InputError(f"{where}: self-intersecting polygon")
    if Polygon(ring).area <= 1e-6:
        raise InputError(f"{where}: polygon has no area")
    return PolygonFootprint(tuple(pts), closed_in_file=closed)


_BUILDING_KEYS = ("id", "use", "height_m", "storeys", "roof", "footprint")
_SURFACE_KEYS = ("id", "kind", "stalls", "footprint")
_PROJECT_KEYS = ("format", "version", "site", "lot", "title", "buildings", "surfaces")


def _parse_building(value: Any, where: str) -> Building:
    obj = _object(value, where)
    return Building(
        id=_string(_require(obj, "id", where), f"{where}.id"),
        use=_choice(_require(obj, "use", where), f"{where}.use", USES),
        height_m=_number(
            _require(obj, "height_m", where), f"{where}.height_m", positive=True, limit=MAX_HEIGHT_M
        ),
        storeys=_integer(obj.get("storeys", 1), f"{where}.storeys", minimum=1, maximum=MAX_STOREYS),
        roof=_choice(obj.get("roof", "flat"), f"{where}.roof", ROOFS),
        footprint=parse_footprint(_require(obj, "footprint", where), f"{where}.footprint"),
        extra=frozen_extra(_rest(obj, _BUILDING_KEYS)),
    )


def _parse_surface(value: Any, where: str) -> Surface:
    obj = _object(value, where)
    kind = _choice(_require(obj, "kind", where), f"{where}.kind", SURFACE_KINDS)
    stalls = None
    if obj.get("stalls") is not None:
        if kind != "parking":
            raise InputError(f"{where}.stalls: only a parking surface has stalls (kind is {kind})")
        stalls = _integer(obj["stalls"], f"{where}.stalls", minimum=0, maximum=MAX_STALLS)
    return Surface(
        id=_string(_require(obj, "id", where), f"{where}.id"),
        kind=kind,
        footprint=parse_footprint(_require(obj, "footprint", where), f"{where}.footprint"),
        stalls=stalls,
        extra=frozen_extra(_rest(obj, _SURFACE_KEYS)),
    )


def project_from_dict(doc: Any) -> Project:
    """Validate a decoded project document and build the :class:`Project`."""
    obj = _object(doc, "project")
    if obj.get("format") != FORMAT:
        raise InputError(f"format: must be {FORMAT!r} (got {_show(obj.get('format'))})")
    obj = migrate(dict(obj))
    site = _string(_require(obj, "site", ""), "site")
    lot = _string(_require(obj, "lot", ""), "lot")
    title = _string(obj.get("title", ""), "title", allow_empty=True)
    buildings_raw = obj.get("buildings", [])
    surfaces_raw = obj.get("surfaces", [])
    if not isinstance(buildings_raw, list):
        raise InputError("buildings: must be a list")
    if not isinstance(surfaces_raw, list):
        raise InputError("surfaces: must be a list")
    buildings = tuple(_parse_building(b, f"buildings[{i}]") for i, b in enumerate(buildings_raw))
    surfaces = tuple(_parse_surface(s, f"surfaces[{i}]") for i, s in enumerate(surfaces_raw))
    seen: dict[str, str] = {}
    for where, item in [(f"buildings[{i}]", b) for i, b in enumerate(buildings)] + [
        (f"surfaces[{i}]", s) for i, s in enumerate(surfaces)
    ]:
        if item.id in seen:
            raise InputError(f"{where}.id: duplicate id {item.id!r} (also {seen[item.id]})")
        seen[item.id] = where
    return Project(
        site=site,
        lot=lot,
        title=title,
        buildings=buildings,
        surfaces=surfaces,
        version=int(obj["version"]),
        extra=frozen_extra(_rest(obj, _PROJECT_KEYS)),
    )


def loads(text: str | bytes) -> Project:
    """Parse project JSON text."""
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise InputError(f"not valid JSON: {exc}") from None
    _check_values(doc, "")
    return project_from_dict(doc)


def _check_values(value: Any, where: str) -> None:
    """Refuse what JSON cannot carry back out, naming the field: the NaN and
    Infinity literals Python's reader accepts, and lone UTF-16 surrogates."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(f"{where or 'project'}: must be a finite number (got {json.dumps(value)})")
    elif isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise InputError(f"{where or 'project'}: text holds an invalid character") from None
    elif isinstance(value, dict):
        for k, v in value.items():
            _check_values(k, where)
            _check_values(v, f"{where}.{k}" if where else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _check_values(v, f"{where}[{i}]")


def load_project(path: str | os.PathLike[str]) -> Project:
    """Read and validate a project file; errors name the file and the field."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{p}: is a folder, not a project file") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror or exc})") from None
    try:
        return loads(data)
    except InputError as exc:
        raise InputError(f"{p.name}: {exc.message}") from None


# ---------------------------------------------------------------- writing


def footprint_to_dict(fp: RectFootprint | PolygonFootprint) -> dict[str, Any]:
    if isinstance(fp, RectFootprint):
        rect: dict[str, Any] = {
            "cx": fp.cx,
            "cy": fp.cy,
            "width": fp.width,
            "depth": fp.depth,
            "angle_deg": fp.angle_deg,
        }
        rect.update(fp.extra)
        return {"rect": rect, **fp.outer}
    pts = [[x, y] for x, y in fp.points]
    if fp.closed_in_file:
        pts.append(list(pts[0]))
    return {"polygon": pts, **fp.outer}


def project_to_dict(project: Project) -> dict[str, Any]:
    """The JSON document of a project, unknown keys included."""
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "site": project.site,
        "lot": project.lot,
        "title": project.title,
    }
    buildings = []
    for b in project.buildings:
        d: dict[str, Any] = {
            "id": b.id,
            "use": b.use,
            "height_m": b.height_m,
            "storeys": b.storeys,
            "roof": b.roof,
            "footprint": footprint_to_dict(b.footprint),
        }
        d.update(b.extra)
        buildings.append(d)
    surfaces = []
    for s in project.surfaces:
        d = {"id": s.id, "kind": s.kind}
        if s.stalls is not None:
            d["stalls"] = s.stalls
        d["footprint"] = footprint_to_dict(s.footprint)
        d.update(s.extra)
        surfaces.append(d)
    doc["buildings"] = buildings
    doc["surfaces"] = surfaces
    doc.update(project.extra)
    return doc


def dumps(project: Project) -> str:
    return json.dumps(project_to_dict(project), ensure_ascii=False, indent=2) + "\n"


def save_project(project: Project, path: str | os.PathLike[str]) -> None:
    """Write atomically: a crash while saving never leaves a truncated file."""
    p = Path(path)
    tmp = p.with_name(f".{p.name}.tmp")
    try:
        tmp.write_text(dumps(project), encoding="utf-8")
        os.replace(tmp, p)
    except (OSError, ValueError) as exc:
        tmp.unlink(missing_ok=True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InputError(f"{p}: cannot be written ({reason})") from None
