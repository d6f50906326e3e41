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
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from zacviz.errors import MAX_ECHO, InputError, echo
from zacviz.io.files import read_regular_file, show_path, write_atomically
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
# SPEC §2 limits: a file beyond one is refused like any invalid file, so that
# every check, picture and sheet of an accepted project has a bounded cost.
MAX_BUILDINGS = 1_000
MAX_SURFACES = 1_000
MAX_ID_CHARS = 64
MAX_TITLE_CHARS = 200
MAX_REACH_M = 10_000.0  # every vertex within this distance of the lot
# JSON nesting: a project is 5 levels deep; unknown keys may add a few. The page
# refuses past the same depth (web/src/project.js).
MAX_DEPTH = 64
# A project file is a few kB; a file of more than 16 MB is not one we wrote.
MAX_FILE_BYTES = 16 * 1024 * 1024
# SPEC §2: a site id is a name, never a path.
SITE_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,63})$")
# Echoed input is cut to this many characters.

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
    """``value`` as it is echoed in a message: JSON text, at most 40 characters."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**30:
        return f"a {len(str(abs(value)))}-digit number" if abs(value) < 10**4000 else "a huge number"
    if isinstance(value, (dict, list)) and len(value) > 8:
        return "{...}" if isinstance(value, dict) else "[...]"
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError, RecursionError):
        text = type(value).__name__
    return text if len(text) <= 40 else text[:37] + "..."


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
    if abs(value) > 10**15:
        raise InputError(f"{where}: must be between {minimum} and {maximum} (got {_show(value)})")
    n = int(value)
    if n < minimum or n > maximum:
        raise InputError(f"{where}: must be between {minimum} and {maximum} (got {n})")
    return n


def _string(value: Any, where: str, *, allow_empty: bool = False, limit: int | None = None) -> str:
    if not isinstance(value, str):
        raise InputError(f"{where}: must be a string (got {_show(value)})")
    if not allow_empty and not value.strip():
        raise InputError(f"{where}: must not be empty")
    if limit is not None and len(value) > limit:
        raise InputError(f"{where}: too long ({len(value)} characters, at most {limit})")
    return value


def site_id(value: Any, where: str = "site") -> str:
    """A site id (SPEC §2): lowercase letters, digits and hyphens, at most 64
    characters. It names a site; it is never used as a path."""
    text = _string(value, where)
    if not SITE_ID.match(text):
        raise InputError(
            f"{where}: {echo(text)} is not a site id (lowercase letters, digits and hyphens, "
            f"at most {MAX_ID_CHARS} characters)"
        )
    return text


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
    import numpy as np
    import shapely

    xy = _points(value, where)
    closed = len(xy) > 1 and bool((xy[0] == xy[-1]).all())
    if closed:
        xy = xy[:-1]
    if len(xy) < 3:
        raise InputError(f"{where}: a polygon needs at least 3 distinct points")
    if float(np.max(xy.max(axis=0) - xy.min(axis=0))) > MAX_SIZE_M:
        raise InputError(f"{where}: polygon is larger than {MAX_SIZE_M:g} m")
    if not ring_is_simple(xy):
        raise InputError(f"{where}: self-intersecting polygon")
    if shapely.area(shapely.polygons(xy)) <= 1e-6:
        raise InputError(f"{where}: polygon has no area")
    return PolygonFootprint(tuple(map(tuple, xy.tolist())), closed_in_file=closed)


def _points(value: list[Any], where: str) -> Any:
    """The ``[x, y]`` points of ``value`` as an ``(n, 2)`` float array.

    Points are checked all at once (a 10,000-vertex outline is 20,000 numbers);
    at the first sign of a bad one the points are read one by one, so that the
    message names the first bad field exactly as a point-by-point reader would.
    """
    import numpy as np

    if all(type(p) is list and len(p) == 2 for p in value) and all(
        (type(p[0]) is float or type(p[0]) is int) and (type(p[1]) is float or type(p[1]) is int)
        for p in value
    ):
        try:
            xy = np.array(value, dtype=np.float64).reshape(len(value), 2)
        except OverflowError:  # an integer of hundreds of digits
            pass
        else:
            if np.isfinite(xy).all() and float(np.abs(xy).max(initial=0.0)) <= MAX_COORD:
                return xy
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
    return np.array(pts, dtype=np.float64).reshape(len(pts), 2)


# Rings of more vertices than this are first tried for a proof of simplicity in
# numpy; GEOS's own test of a 10,000-vertex jagged outline takes tens of ms.
_PROVE_SIMPLE_FROM = 200
# Shewchuk's bound on the rounding error of a 2D orientation determinant
# computed in double precision (his ``ccwerrboundA``): beyond it, the sign is exact.
_CCW_ERR_BOUND = (3.0 + 16.0 * 2.0**-53) * 2.0**-53


def ring_is_simple(xy: Any) -> bool:
    """Whether the closed ring through the points ``xy`` (``(n, 2)``, no closing
    vertex) is simple, as GEOS's ``is_simple`` says.

    A ring of many vertices is first tried for a quick proof: seen from some
    point c, each of its edges turns strictly the same way (a sign the rounding
    of the determinant cannot flip) and the turns add up to one full turn. Its
    edges then lie in sectors around c that follow each other without
    overlapping, so no two edges meet except neighbours at their shared vertex:
    the ring is simple (a star-shaped outline). Without a proof GEOS decides.
    """
    import shapely

    if len(xy) >= _PROVE_SIMPLE_FROM:
        lo, hi = xy.min(axis=0), xy.max(axis=0)
        for c in (xy.mean(axis=0), (lo + hi) / 2.0):
            if _winds_once_around(xy, c):
                return True
    return bool(shapely.is_simple(shapely.linearrings(xy)))


def _winds_once_around(xy: Any, c: Any) -> bool:
    """Whether every edge of the ring ``xy`` turns provably the same way around
    the point ``c`` and the ring goes once around it."""
    import numpy as np

    ax, ay = xy[:, 0] - c[0], xy[:, 1] - c[1]
    bx, by = np.roll(ax, -1), np.roll(ay, -1)
    left, right = ax * by, ay * bx
    det = left - right
    bound = _CCW_ERR_BOUND * (np.abs(left) + np.abs(right))
    if (det > bound).all():
        sign = 1.0
    elif (det < -bound).all():
        sign = -1.0
    else:
        return False
    # Each turn is strictly between 0 and π; their sum is 2π × the winding number.
    turn = float(np.arctan2(sign * det, ax * bx + ay * by).sum())
    return abs(turn - 2.0 * math.pi) < math.pi


_BUILDING_KEYS = ("id", "use", "height_m", "storeys", "roof", "footprint")
_SURFACE_KEYS = ("id", "kind", "stalls", "footprint")
_PROJECT_KEYS = ("format", "version", "site", "lot", "title", "buildings", "surfaces")


def _parse_building(value: Any, where: str) -> Building:
    obj = _object(value, where)
    return Building(
        id=_string(_require(obj, "id", where), f"{where}.id", limit=MAX_ID_CHARS),
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
        id=_string(_require(obj, "id", where), f"{where}.id", limit=MAX_ID_CHARS),
        kind=kind,
        footprint=parse_footprint(_require(obj, "footprint", where), f"{where}.footprint"),
        stalls=stalls,
        extra=frozen_extra(_rest(obj, _SURFACE_KEYS)),
    )


def project_from_dict(doc: Any) -> Project:
    """Validate a decoded project document and build the :class:`Project`."""
    check_depth(doc)
    return _project_from_scanned(doc)


def _project_from_scanned(doc: Any) -> Project:
    """:func:`project_from_dict` of a document whose depth is known to be fine."""
    obj = _object(doc, "project")
    if obj.get("format") != FORMAT:
        raise InputError(f"format: must be {FORMAT!r} (got {_show(obj.get('format'))})")
    obj = migrate(dict(obj))
    site = site_id(_require(obj, "site", ""))
    lot = _string(_require(obj, "lot", ""), "lot", limit=MAX_ID_CHARS)
    title = _string(obj.get("title", ""), "title", allow_empty=True, limit=MAX_TITLE_CHARS)
    buildings_raw = obj.get("buildings", [])
    surfaces_raw = obj.get("surfaces", [])
    if not isinstance(buildings_raw, list):
        raise InputError("buildings: must be a list")
    if not isinstance(surfaces_raw, list):
        raise InputError("surfaces: must be a list")
    if len(buildings_raw) > MAX_BUILDINGS:
        raise InputError(f"buildings: too many ({len(buildings_raw)}, at most {MAX_BUILDINGS})")
    if len(surfaces_raw) > MAX_SURFACES:
        raise InputError(f"surfaces: too many ({len(surfaces_raw)}, at most {MAX_SURFACES})")
    buildings = tuple(_parse_building(b, f"buildings[{i}]") for i, b in enumerate(buildings_raw))
    surfaces = tuple(_parse_surface(s, f"surfaces[{i}]") for i, s in enumerate(surfaces_raw))
    seen: dict[str, str] = {}
    for where, item in [(f"buildings[{i}]", b) for i, b in enumerate(buildings)] + [
        (f"surfaces[{i}]", s) for i, s in enumerate(surfaces)
    ]:
        if item.id in seen:
            raise InputError(f"{where}.id: duplicate id {echo(item.id)} (also {seen[item.id]})")
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
    """Parse project JSON text (a leading byte order mark is allowed)."""
    # A document is a tree of fresh objects with no cycle: the cyclic garbage
    # collector, run again and again as they are made, would only slow the
    # reading (a 10,000-vertex outline is tens of thousands of objects).
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        return _loads(text)
    finally:
        if collecting:
            gc.enable()


def _loads(text: str | bytes) -> Project:
    if isinstance(text, bytes):
        text = text.removeprefix(b"\xef\xbb\xbf")
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError("not valid JSON: not UTF-8 text") from None
    text = text.removeprefix("\ufeff")
    try:
        doc = json.loads(text)
    except RecursionError:
        raise InputError(f"project: nested too deeply (more than {MAX_DEPTH} levels)") from None
    except ValueError as exc:
        raise InputError(f"not valid JSON: {str(exc)[:MAX_ECHO]}") from None
    if not _scan(doc):
        _check_values(doc, "")  # names the field
    return _project_from_scanned(doc)


def check_depth(doc: Any, limit: int = MAX_DEPTH) -> None:
    """Refuse a document nested deeper than ``limit`` (without recursing)."""
    level = [doc] if type(doc) is list or type(doc) is dict else []
    for _depth in range(limit):
        nxt: list[Any] = []
        for value in level:
            children = value.values() if type(value) is dict else value
            nxt += [v for v in children if type(v) is list or type(v) is dict]
        if not nxt:
            return
        level = nxt
    raise InputError(f"project: nested too deeply (more than {limit} levels)")


def _scan(doc: Any, limit: int = MAX_DEPTH) -> bool:
    """One walk over the document, level by level: refuse it if it is nested
    deeper than ``limit`` (as :func:`check_depth`), and say whether its values
    are all fine for JSON: no non-finite number, no lone surrogate (fast, no
    paths; :func:`_check_values` names the field)."""
    ok = True
    level = [doc]
    for _depth in range(limit):
        nxt: list[Any] = []
        for value in level:
            t = type(value)
            if t is dict:
                for k in value:
                    if type(k) is str and not k.isascii() and not _utf8_ok(k):
                        ok = False
                children = value.values()
            elif t is list:
                children = value
            else:  # the document itself is not a container
                children = (value,)
            for v in children:
                t = type(v)
                if t is float:
                    if v - v != 0.0:  # inf or nan
                        ok = False
                elif t is list or t is dict:
                    nxt.append(v)
                elif t is str and not v.isascii() and not _utf8_ok(v):
                    ok = False
        if not nxt:
            return ok
        level = nxt
    raise InputError(f"project: nested too deeply (more than {limit} levels)")


def _utf8_ok(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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


def check_reach(project: Project, lot_polygon: Any, limit: float = MAX_REACH_M) -> None:
    """Refuse a project with a vertex farther than ``limit`` from its lot (SPEC §2),
    naming the first such item."""
    import numpy as np
    import shapely

    from zacviz.geometry.footprint import footprint_polygons

    items = [("buildings", i, b.footprint) for i, b in enumerate(project.buildings)]
    items += [("surfaces", i, s.footprint) for i, s in enumerate(project.surfaces)]
    if not items:
        return
    # The footprints' polygons (kept in the footprint cache for the check that
    # follows): their vertices are the footprints' vertices.
    polys = footprint_polygons([fp for _, _, fp in items])
    # Every vertex lies in the box around them all; a lot vertex within
    # ``limit`` of the box's four corners is within ``limit`` of the whole box.
    x0, y0, x1, y1 = shapely.total_bounds(polys)
    vx, vy = shapely.get_coordinates(lot_polygon)[0]
    if max(math.hypot(x - vx, y - vy) for x in (x0, x1) for y in (y0, y1)) <= limit:
        return
    xy, owner = shapely.get_coordinates(polys, return_index=True)
    shapely.prepare(lot_polygon)
    far = np.flatnonzero(shapely.distance(lot_polygon, shapely.points(xy)) > limit)
    if len(far):
        kind, i, _ = items[int(owner[far[0]])]
        raise InputError(f"{kind}[{i}].footprint: more than {limit / 1000:g} km from lot {echo(project.lot)}")


def load_project(path: str | os.PathLike[str]) -> Project:
    """Read and validate a project file; errors name the file and the field."""
    p = Path(path)
    data = read_regular_file(p, MAX_FILE_BYTES, what="a project file")
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
    """Write ``project`` to ``path`` atomically and safely.

    The text goes to a new file with a random name in the target's folder,
    created exclusively without following symlinks (so a file planted there
    cannot redirect the write), flushed to disk, given the target's permissions
    and renamed over the target; the folder is flushed too. When the target is
    a symlink, the file it points to is updated and the link kept. Every
    failure is one InputError naming the file.
    """
    p = Path(path)
    try:
        data = dumps(project).encode("utf-8")
    except (ValueError, UnicodeEncodeError) as exc:
        raise InputError(f"{show_path(p)}: cannot be written ({exc})") from None
    write_atomically(p, data)
