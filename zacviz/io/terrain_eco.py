"""CNIG Standard Sites Économiques, class TERRAIN-ECO (SPEC §7).

A TERRAIN-ECO table is a CSV file (``;`` or ``,``, UTF-8 with or without BOM)
whose rows are the economic plots of a business park; ``terr_geomsurf`` holds
each plot's outline as a GeoJSON geometry. The table schema published by the
CNIG (version v1.0.1) is vendored in ``schemas/terrain-eco/`` and every table
read or written here is validated against it with the ``frictionless`` library,
imported only when a table is validated (it takes a second to load).

The published schema places most of its lists of values (``terr_stade_comm``,
``terr_maitrise_fonc``...) beside ``constraints`` instead of inside it, where the
Frictionless validator does not look: :func:`validate_table` checks them too.

Status mapping (``terr_stade_comm`` → lot ``status``), documented in docs/DATA.md:

- ``en vente``, ``en vente avec contraintes`` → ``available``
- ``réservé par option de réservation``, ``réservé par une délibération de
  l'EPCI`` → ``reserved``
- ``vendu, commercialisation achevée`` → ``sold``
- every other value (no sale meaning) → ``not_for_sale``

An export writes the first value of each group (and ``non commercialisé`` for
``not_for_sale``) unless the lot keeps the exact value in its ``terr_stade_comm``
property.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Polygon, shape

from zacviz.errors import InputError

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas" / "terrain-eco"
SCHEMA_PATH = SCHEMA_DIR / "schema.json"

#: Larger tables are refused: a park has tens of plots, a département thousands.
MAX_BYTES = 64 * 1024 * 1024
MAX_ROWS = 200_000

STATUS_FROM_STADE: Mapping[str, str] = {
    "en vente": "available",
    "en vente avec contraintes": "available",
    "réservé par option de réservation": "reserved",
    "réservé par une délibération de l'EPCI": "reserved",
    "vendu, commercialisation achevée": "sold",
}
NOT_FOR_SALE = "not_for_sale"
STADE_FROM_STATUS: Mapping[str, str] = {
    "available": "en vente",
    "reserved": "réservé par option de réservation",
    "sold": "vendu, commercialisation achevée",
    NOT_FOR_SALE: "non commercialisé",
}

#: Lambert-93's area of use (metres), with a margin: outside it a "Lambert-93"
#: coordinate is a wrong guess or a wrong --crs.
_L93_BOUNDS = (-400_000.0, 5_900_000.0, 1_400_000.0, 7_300_000.0)
L93 = "EPSG:2154"
WGS84 = "OGC:CRS84"


def status_for(stade: str) -> str:
    """The lot status that a ``terr_stade_comm`` value means."""
    return STATUS_FROM_STADE.get(stade, NOT_FOR_SALE)


@cache
def schema_descriptor() -> dict[str, Any]:
    """The vendored TERRAIN-ECO table schema (a JSON object)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def schema_version() -> str:
    return str(schema_descriptor().get("version", "?"))


def field_names() -> list[str]:
    return [f["name"] for f in schema_descriptor()["fields"]]


def field_enum(name: str) -> list[str] | None:
    """The list of values a field accepts, wherever the schema puts it."""
    for f in schema_descriptor()["fields"]:
        if f["name"] == name:
            values = f.get("constraints", {}).get("enum") or f.get("enum")
            return list(values) if values else None
    raise KeyError(name)


def required_fields() -> list[str]:
    return [f["name"] for f in schema_descriptor()["fields"] if f.get("constraints", {}).get("required")]


# ------------------------------------------------------------------ reading


@dataclass(frozen=True)
class Table:
    """A TERRAIN-ECO CSV file decoded: its separator and its rows as dicts."""

    path: Path
    delimiter: str
    header: list[str]
    rows: list[dict[str, str]]  # row["_line"] is the line number (header = 1)


def _read_text(path: Path) -> str:
    from zacviz.io.files import read_regular_file

    raw = read_regular_file(path, MAX_BYTES, what="a TERRAIN-ECO table")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path.name}: not UTF-8 text (byte {exc.start}); save the CSV as UTF-8") from None


def sniff_delimiter(header_line: str) -> str:
    """``;`` or ``,``: whichever separates the header's field names."""
    names = set(field_names())
    best, best_hits = ";", -1
    for sep in (";", ","):
        hits = sum(1 for cell in header_line.split(sep) if cell.strip().strip('"') in names)
        if hits > best_hits:
            best, best_hits = sep, hits
    return best


def read_table(path: str | Path) -> Table:
    """Decode a TERRAIN-ECO CSV (no validation: see :func:`validate_table`)."""
    path = Path(path)
    text = _read_text(path)
    first = text.split("\n", 1)[0]
    if not first.strip():
        raise InputError(f"{path.name}: empty file, or no header line")
    delimiter = sniff_delimiter(first)
    # A detailed outline is a long cell: the csv module's default limit is 128 kB.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
        rows: list[dict[str, str]] = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise InputError(f"{path.name}: more than {MAX_ROWS} rows")
            row = dict(zip(header, (v.strip() for v in values)))
            row["_line"] = str(reader.line_num)
            rows.append(row)
    except csv.Error as exc:
        raise InputError(f"{path.name}: line {reader.line_num}: not valid CSV ({exc})") from None
    missing = [n for n in ("terr_id", "terr_stade_comm", "terr_geomsurf") if n not in header]
    if missing:
        raise InputError(
            f"{path.name}: not a TERRAIN-ECO table: no column {', '.join(missing)} "
            f"(separator {delimiter!r}, columns: {', '.join(header[:6])}...)"
        )
    return Table(path, delimiter, header, rows)


def validate_table(table: Table) -> None:
    """Refuse, with one line, a table the published schema does not accept.

    The ``frictionless`` validator checks types, required fields, patterns and
    the GeoJSON of ``terr_geomsurf``; the lists of values the schema keeps beside
    its constraints are checked here.
    """
    from frictionless import Dialect, Resource, Schema, formats

    schema = Schema.from_descriptor(schema_descriptor())
    dialect = Dialect(controls=[formats.CsvControl(delimiter=table.delimiter)])
    path = table.path.resolve()
    resource = Resource(
        path=path.name, basepath=str(path.parent), schema=schema, dialect=dialect, encoding="utf-8-sig"
    )
    report = resource.validate(limit_errors=20)
    name = table.path.name
    if not report.valid:
        errors = [e for task in report.tasks for e in task.errors] or list(report.errors)
        if errors:
            raise InputError(f"{name}: {_describe(errors[0], len(errors))}")
        raise InputError(f"{name}: refused by the TERRAIN-ECO schema {schema_version()}")
    for row in table.rows:
        for field in table.header:
            values = field_enum(field) if field in field_names() else None
            value = row.get(field, "")
            missing = schema_descriptor().get("missingValues", [])
            if values and value and value not in missing and value not in values:
                raise InputError(
                    f"{name}: line {row['_line']}, {field}: {value!r} is not a value of the "
                    f"TERRAIN-ECO schema {schema_version()} ({' | '.join(values)})"
                )


def _describe(error: Any, count: int) -> str:
    """One line for a frictionless error: where, which field, what."""
    parts = []
    row = getattr(error, "row_number", None)
    if row:
        parts.append(f"line {row}")
    field = getattr(error, "field_name", None)
    if field:
        parts.append(str(field))
    where = ", ".join(parts)
    title = str(getattr(error, "title", "") or getattr(error, "type", "error")).lower()
    note = str(getattr(error, "note", "") or "")
    if note.startswith('type is "geojson'):
        note = "not a valid GeoJSON geometry"
    text = f"{title} ({note})" if note else title
    more = f" (and {count - 1} more)" if count > 1 else ""
    head = f"{where}: " if where else ""
    return f"{head}{text}{more} — TERRAIN-ECO schema {schema_version()}"


# ---------------------------------------------------------------- geometry


@dataclass(frozen=True)
class TerrainRow:
    """One validated TERRAIN-ECO row, its outline in the site CRS."""

    line: int
    terr_id: str
    site_id: str
    stade_comm: str
    status: str
    price_eur_m2: float | None
    refcad: str | None
    surface_ha: float | None
    polygon: Polygon


def parse_geometry(text: str, where: str) -> Polygon:
    """A ``terr_geomsurf`` cell: one Polygon (or a MultiPolygon of one part)."""
    try:
        gj = json.loads(text)
    except ValueError:
        raise InputError(f"{where}: not valid GeoJSON") from None
    if not isinstance(gj, dict) or gj.get("type") not in ("Polygon", "MultiPolygon"):
        kind = gj.get("type") if isinstance(gj, dict) else type(gj).__name__
        raise InputError(f"{where}: must be a Polygon (got {kind})")
    try:
        geom = shape(gj)
    except (ValueError, TypeError, IndexError, KeyError, AttributeError, shapely.errors.ShapelyError):
        raise InputError(f"{where}: malformed coordinates") from None
    if geom.geom_type == "MultiPolygon":
        if len(geom.geoms) != 1:
            raise InputError(f"{where}: a plot must be one polygon (got {len(geom.geoms)} parts)")
        geom = geom.geoms[0]
    coords = shapely.get_coordinates(geom)
    if geom.is_empty or len(coords) < 4 or not bool((abs(coords) < 1e9).all()):
        raise InputError(f"{where}: empty, too short or non-finite coordinates")
    return geom  # type: ignore[return-value]


def guess_crs(polygons: Sequence[Polygon], where: str) -> str:
    """WGS 84 when every coordinate is a longitude/latitude, else Lambert-93."""
    geographic = [
        bool(minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90)
        for minx, miny, maxx, maxy in (p.bounds for p in polygons)
    ]
    if all(geographic):
        return WGS84
    if any(geographic):
        line = geographic.index(True)
        raise InputError(
            f"{where}: row {line + 1} is in longitude/latitude, others are not: one CRS per file "
            "(or give --crs)"
        )
    return L93


def to_site_crs(polygons: list[Polygon], src: str, site_crs: str, where: str) -> list[Polygon]:
    """Reproject (and check that Lambert-93 coordinates are in France)."""
    from zacviz.io.geojson import normalise_crs, reproject

    if normalise_crs(src) == L93:
        minx, miny, maxx, maxy = shapely.total_bounds(polygons)
        x0, y0, x1, y1 = _L93_BOUNDS
        if minx < x0 or maxx > x1 or miny < y0 or maxy > y1:
            raise InputError(
                f"{where}: coordinates ({minx:.0f}, {miny:.0f}) are not Lambert-93 (EPSG:2154) "
                "nor longitude/latitude: give the file's CRS with --crs"
            )
    if normalise_crs(src) == normalise_crs(site_crs):
        return polygons
    out = reproject(list(polygons), src, site_crs, where)
    if not bool(np.isfinite(shapely.get_coordinates(out)).all()):
        raise InputError(
            f"{where}: the coordinates are not in {src}: they do not reproject (give the right --crs)"
        )
    return out  # type: ignore[return-value]


def _number(text: str, where: str) -> float | None:
    if text in ("", "NA", "NaN", "N/A"):
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{where}: not a number ({text!r})") from None
    if not math.isfinite(value) or value < 0:
        raise InputError(f"{where}: must be a positive number ({text!r})")
    return value


def read_terrain_eco(
    path: str | Path, site_crs: str, crs: str | None = None, site_id: str | None = None
) -> list[TerrainRow]:
    """Read and validate a TERRAIN-ECO table; outlines reprojected to ``site_crs``.

    ``crs`` is the CRS of ``terr_geomsurf`` when given, else guessed
    (longitude/latitude → WGS 84, otherwise Lambert-93). ``site_id`` keeps the
    rows of that SITE-ECO only (a council's inventory lists all its parks);
    without it the table must hold one site.
    """
    table = read_table(path)
    validate_table(table)
    name = table.path.name
    sites = sorted({row.get("site_id", "") for row in table.rows})
    if site_id is not None:
        rows = [row for row in table.rows if row.get("site_id", "") == site_id]
        if not rows:
            raise InputError(
                f"{name}: no row with site_id {site_id!r} (the table has: {', '.join(sites[:5])})"
            )
        table = Table(table.path, table.delimiter, table.header, rows)
    elif len(sites) > 1:
        raise InputError(
            f"{name}: rows of {len(sites)} sites ({', '.join(sites[:5])}): say which is this one with "
            "--site-id, or set cnig_site_id in site.toml"
        )
    polygons: list[Polygon] = []
    seen: dict[str, str] = {}
    for row in table.rows:
        where = f"{name}: line {row['_line']}, terr_geomsurf"
        polygons.append(parse_geometry(row.get("terr_geomsurf", ""), where))
        tid = row.get("terr_id", "")
        if tid in seen:
            raise InputError(f"{name}: line {row['_line']}, terr_id: {tid!r} already on line {seen[tid]}")
        seen[tid] = row["_line"]
    if not polygons:
        raise InputError(f"{name}: no rows")
    src = crs if crs is not None else guess_crs(polygons, name)
    polygons = to_site_crs(polygons, src, site_crs, name)
    out = []
    for row, poly in zip(table.rows, polygons):
        where = f"{name}: line {row['_line']}"
        if not poly.is_valid:
            reason = shapely.is_valid_reason(poly)
            raise InputError(f"{where}, terr_geomsurf: invalid polygon ({reason})")
        if poly.area <= 0:
            raise InputError(f"{where}, terr_geomsurf: the polygon has no area")
        stade = row.get("terr_stade_comm", "")
        out.append(
            TerrainRow(
                line=int(row["_line"]),
                terr_id=row["terr_id"],
                site_id=row.get("site_id", ""),
                stade_comm=stade,
                status=status_for(stade),
                price_eur_m2=_number(row.get("terr_m2_prix", ""), f"{where}, terr_m2_prix"),
                refcad=row.get("terr_refcad") or None,
                surface_ha=_number(row.get("terr_surf_brute", ""), f"{where}, terr_surf_brute"),
                polygon=poly,
            )
        )
    return out


# ------------------------------------------------------------------ writing


def geometry_text(polygon: Polygon, decimals: int = 3) -> str:
    """``terr_geomsurf``: the polygon as compact GeoJSON, to the millimetre."""

    def ring(coords: Iterable[Sequence[float]]) -> list[list[float]]:
        return [[round(float(x), decimals), round(float(y), decimals)] for x, y, *_ in coords]

    rings = [ring(polygon.exterior.coords)] + [ring(r.coords) for r in polygon.interiors]
    return json.dumps({"type": "Polygon", "coordinates": rings}, separators=(",", ":"))


def number_text(value: float | None, decimals: int | None = None) -> str:
    if value is None:
        return ""
    if decimals is not None:
        value = round(value, decimals)
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def write_table(rows: Sequence[Mapping[str, str]], out: str | Path) -> None:
    """Write TERRAIN-ECO rows as the standard's example does (``;``, UTF-8),
    atomically, after checking the result against the schema."""
    from zacviz.io.files import write_atomically

    out = Path(out)
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=field_names(), delimiter=";", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k, "") for k in field_names()})

    def check(tmp: Path) -> None:
        table = read_table(tmp)
        validate_table(table)

    write_atomically(out, buf.getvalue().encode("utf-8"), check=check)
