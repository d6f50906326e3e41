"""Site folders (SPEC §1): ``site.toml`` with its zones, and the GeoJSON layers.

:func:`load_site` reads what a check needs and refuses bad data with one line
naming the file and field; the imagery is only located here, never read (see
:mod:`zacviz.io.imagery`). :func:`find_site` looks a site id up among the
bundled sites; :func:`validate_site` adds the slower checks staff run after an
edit (overlaps, frontage, imagery coverage).
"""

from __future__ import annotations

import math
import os
import re
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from zacviz.errors import InputError, echo
from zacviz.io.files import read_regular_file, show_path
from zacviz.io.geojson import normalise_crs, read_features
from zacviz.model.site import (
    LOT_STATUSES,
    ContextBuilding,
    LandscapeFeature,
    Lot,
    Road,
    RuleSet,
    Site,
)

if TYPE_CHECKING:
    from rasterio.crs import CRS

SITE_FILE = "site.toml"
_RATIO_KEYS = {"max_coverage", "min_green_ratio"}
_SITE_KEYS = ("id", "name", "crs", "imagery", "lots", "roads", "context", "landscape")


_EPSG_NAME = re.compile(r"^(EPSG:\d{1,9}|OGC:CRS84)$")


# Projected CRSs in metres known without asking PROJ (whose import through
# rasterio costs a quarter of a second): Lambert-93 and the CC zones, Web Mercator, UTM.
_KNOWN_PROJECTED = {2154, 3857, *range(3942, 3951), *range(32601, 32661), *range(32701, 32761)}
_KNOWN_GEOGRAPHIC = {"OGC:CRS84", "EPSG:4326", "EPSG:4258", "EPSG:4171", "EPSG:4230"}


def check_projected_crs(name: str, where: str) -> None:
    """Refuse a CRS that is unknown or not projected (rules measure in metres)."""
    norm = normalise_crs(name)
    if norm in _KNOWN_GEOGRAPHIC:
        raise InputError(f"{where}: {echo(name)} is a geographic CRS; a projected CRS in metres is needed")
    if _EPSG_NAME.match(norm) and norm.startswith("EPSG:") and int(norm[5:]) in _KNOWN_PROJECTED:
        return
    if not _check_crs(name).is_projected:
        raise InputError(f"{where}: {echo(name)} is a geographic CRS; a projected CRS in metres is needed")


def _check_crs(name: str) -> CRS:
    """Refuse a CRS name PROJ does not know, naming site.crs (not a layer)."""
    from zacviz.geometry.crs import UnknownCRSError, parse_crs

    try:
        return parse_crs(name)
    except UnknownCRSError:
        raise InputError(f"{SITE_FILE}: site.crs: unknown CRS {echo(name)} (e.g. EPSG:2154)") from None


# Upper bounds of rule values: beyond them a value is a typing mistake, and
# geometry built from it (a 1e308 m buffer) would fail or never end.
_MAX_LENGTH_M = 10_000.0  # setbacks, spacing, heights
_MAX_AREA_M2 = 1.0e9  # floor areas, prices
_MIN_M2_PER_STALL = 1.0  # a stall takes at least 1 m² of floor area
_MAX_M2_PER_STALL = 1.0e6
_MAX_RATIO = 100.0  # side_setback_height_ratio
_RULE_MAX = {
    "side_setback_height_ratio": _MAX_RATIO,
    "max_floor_area_m2": _MAX_AREA_M2,
    "price_eur_m2": _MAX_AREA_M2,
}
# Site files are small; a larger one (or a device, a pipe) is refused unread.
MAX_SITE_TOML_BYTES = 1024 * 1024
MAX_LAYER_BYTES = 64 * 1024 * 1024


def _val(value: Any) -> str:
    """A value as echoed in a message: short, one line, never a 5,000-digit number."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**30:
        return "a huge number"
    text = " ".join(repr(value).split())
    return text if len(text) <= 80 else text[:79] + "…"


def _finite_number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{where}: must be a finite number (got {_val(value)})")
    try:
        x = float(value)
    except OverflowError:
        raise InputError(f"{where}: number out of range") from None
    if not math.isfinite(x):
        raise InputError(f"{where}: must be a finite number (got {_val(value)})")
    return x


def _rule_value(key: str, value: Any, where: str) -> Any:
    """Validate one rule parameter (zone entry or lot override)."""
    if key == "parking_m2_per_stall":
        if not isinstance(value, dict):
            raise InputError(f"{where}: must be a table of use = m² per stall")
        out = {}
        for use, per in value.items():
            x = _positive(per, f"{where}.{str(use)[:80]}")
            if not _MIN_M2_PER_STALL <= x <= _MAX_M2_PER_STALL:
                raise InputError(
                    f"{where}.{str(use)[:80]}: must be between {_MIN_M2_PER_STALL:g} and "
                    f"{_MAX_M2_PER_STALL:g} m² per stall (got {_val(per)})"
                )
            out[str(use)] = x
        return MappingProxyType(out)
    x = _finite_number(value, where)
    if x > _RULE_MAX.get(key, _MAX_LENGTH_M):
        raise InputError(
            f"{where}: {_val(value)} is out of range (at most {_RULE_MAX.get(key, _MAX_LENGTH_M):g})"
        )
    if x < 0:
        raise InputError(f"{where}: must not be negative (got {value!r})")
    if key in _RATIO_KEYS and x > 1.0:
        raise InputError(f"{where}: is a share of the lot, between 0 and 1 (got {value!r})")
    return x


def _positive(value: Any, where: str) -> float:
    try:
        x = _finite_number(value, where)
    except InputError:
        x = -1.0
    if x <= 0 or x > _MAX_AREA_M2:
        raise InputError(f"{where}: must be a number greater than 0 (got {_val(value)})")
    return x


def parse_rules(table: Mapping[str, Any], where: str) -> dict[str, Any]:
    """The rule parameters of a zone table; unknown keys are refused (typos)."""
    if not isinstance(table, dict):
        raise InputError(f"{where}: must be a table")
    known = RuleSet.keys()
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key not in known:
            raise InputError(f"{where}.{key}: unknown rule (known: {', '.join(known)})")
        out[key] = _rule_value(key, value, f"{where}.{key}")
    return out


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{where}: must be a non-empty string (got {value!r})")
    return value


def _opt_number(props: Mapping[str, Any], key: str, where: str) -> float | None:
    if props.get(key) is None:
        return None
    return _rule_value(key, props[key], f"{where}.{key}")


def _read_toml(folder: Path) -> dict[str, Any]:
    path = folder / SITE_FILE
    try:
        is_dir = folder.is_dir()
    except OSError:
        is_dir = False
    if not is_dir:
        raise InputError(f"{show_path(folder)}: not a site folder (no such folder)")
    if not os.path.lexists(path):
        raise InputError(f"{show_path(folder)}: not a site folder (no {SITE_FILE})")
    data = read_regular_file(path, MAX_SITE_TOML_BYTES, what=f"a {SITE_FILE}")
    try:
        return tomllib.loads(data.decode("utf-8"))
    except RecursionError:
        raise InputError(f"{SITE_FILE}: nested too deeply") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{SITE_FILE}: not valid TOML ({str(exc)[:80]})") from None


def load_site(folder: str | os.PathLike[str], *, with_context: bool = True) -> Site:
    """Read a site folder. Raises InputError naming the file and field at fault.

    ``with_context=False`` skips the drawing-only layers (existing buildings,
    landscape) that a rule check does not need.
    """
    folder = Path(folder)
    doc = _read_toml(folder)
    head = doc.get("site")
    if not isinstance(head, dict):
        raise InputError(f"{SITE_FILE}: missing [site] table")
    site_id = _string(head.get("id"), f"{SITE_FILE}: site.id")
    name = head.get("name") or site_id
    crs = _string(head.get("crs"), f"{SITE_FILE}: site.crs")
    check_projected_crs(crs, f"{SITE_FILE}: site.crs")
    zones_raw = doc.get("zones", {})
    if not isinstance(zones_raw, dict) or not zones_raw:
        raise InputError(f"{SITE_FILE}: zones: at least one [zones.NAME] table is needed")
    zones = {z: parse_rules(t, f"{SITE_FILE}: zones.{z}") for z, t in zones_raw.items()}

    def layer(key: str, default: str | None) -> Path | None:
        rel = head.get(key, default)
        if rel is None:
            return None
        return folder / _string(rel, f"{SITE_FILE}: site.{key}")

    lots = _load_lots(layer("lots", "lots.geojson"), crs, zones)  # type: ignore[arg-type]
    roads = _load_roads(layer("roads", "roads.geojson"), crs)  # type: ignore[arg-type]
    context_path = layer("context", None) if with_context else None
    context = _load_context(context_path, crs) if context_path else ()
    landscape_path = layer("landscape", None) if with_context else None
    landscape = _load_landscape(landscape_path, crs) if landscape_path else ()
    imagery = layer("imagery", None)
    settings = {k: v for k, v in head.items() if k not in _SITE_KEYS}
    return Site(
        id=site_id,
        name=str(name),
        crs=crs,
        folder=folder,
        zones=MappingProxyType({z: RuleSet(**r) for z, r in zones.items()}),
        lots=lots,
        roads=roads,
        context=context,
        landscape=landscape,
        imagery_path=_resolved(imagery) if imagery else None,
        settings=settings,
    )


def _resolved(path: Path) -> Path:
    """``path`` made absolute; a symlink loop stays unresolved, for the imagery
    reader to refuse in one line."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        return Path(os.path.abspath(path))


def _load_lots(path: Path, crs: str, zones: Mapping[str, dict[str, Any]]) -> tuple[Lot, ...]:
    out: list[Lot] = []
    seen: set[str] = set()
    for f in read_features(path, crs):
        where = f"{path.name}: features[{f.index}].properties"
        props = f.properties
        geom = f.geometry
        if geom.geom_type == "MultiPolygon":
            # Cadastre exports often wrap a single parcel in a MultiPolygon.
            if len(geom.geoms) != 1:
                raise InputError(f"{path.name}: features[{f.index}].geometry: a lot must be one polygon")
            geom = geom.geoms[0]
        if props.get("id") is None:
            raise InputError(f"{where}.id: missing")
        if isinstance(props["id"], bool) or not isinstance(props["id"], (str, int)):
            raise InputError(f"{where}.id: must be a string (got {props['id']!r})")
        lot_id = str(props["id"]).strip()
        if not lot_id:
            raise InputError(f"{where}.id: must not be empty")
        if lot_id in seen:
            raise InputError(f"{where}.id: duplicate lot id {lot_id!r}")
        seen.add(lot_id)
        zone = props.get("zone")
        if not isinstance(zone, str) or zone not in zones:
            raise InputError(f"{where}.zone: {zone!r} is not a zone of site.toml ({', '.join(zones)})")
        status = props.get("status", "available")
        if status not in LOT_STATUSES:
            raise InputError(f"{where}.status: must be one of {', '.join(LOT_STATUSES)} (got {status!r})")
        rules = dict(zones[str(zone)])
        for key in RuleSet.keys():
            if props.get(key) is not None:
                value = _rule_value(key, props[key], f"{where}.{key}")
                if key == "parking_m2_per_stall" and rules.get(key):
                    value = MappingProxyType({**rules[key], **value})
                rules[key] = value
        price = _opt_number(props, "price_eur_m2", where)
        out.append(
            Lot(
                id=lot_id,
                zone=str(zone),
                status=str(status),
                polygon=geom,  # type: ignore[arg-type]
                rules=RuleSet(**rules),
                name=props.get("name"),
                price_eur_m2=price,
                properties=MappingProxyType(dict(props)),
            )
        )
    if not out:
        raise InputError(f"{path.name}: no lots")
    return tuple(out)


def _feature_id(f: Any, prefix: str) -> str:
    return f.id if f.id is not None else f"{prefix}{f.index + 1}"


def _load_roads(path: Path, crs: str) -> tuple[Road, ...]:
    roads = []
    seen: set[str] = set()
    for f in read_features(path, crs):
        where = f"{path.name}: features[{f.index}].properties"
        rid = _feature_id(f, "road")
        if rid in seen:
            raise InputError(f"{where}.id: duplicate road id {rid!r}")
        seen.add(rid)
        setback = f.properties.get("setback_m")
        if setback is not None:
            setback = _rule_value("setback_m", setback, f"{where}.setback_m")
        name = f.properties.get("name")
        roads.append(Road(id=rid, polygon=f.geometry, name=str(name) if name else None, setback_m=setback))
    return tuple(roads)


def _load_context(path: Path, crs: str) -> tuple[ContextBuilding, ...]:
    out = []
    for f in read_features(path, crs):
        where = f"{path.name}: features[{f.index}].properties"
        height = f.properties.get("height_m")
        if height is not None:
            height = _positive(height, f"{where}.height_m")
        parts = list(getattr(f.geometry, "geoms", [f.geometry]))
        for k, part in enumerate(parts):
            cid = _feature_id(f, "ctx") + (f"-{k + 1}" if len(parts) > 1 else "")
            out.append(ContextBuilding(id=cid, polygon=part, height_m=height, name=f.properties.get("name")))
    return tuple(out)


def _load_landscape(path: Path, crs: str) -> tuple[LandscapeFeature, ...]:
    return tuple(
        LandscapeFeature(
            id=_feature_id(f, "land"), kind=str(f.properties.get("kind", "green_strip")), polygon=f.geometry
        )
        for f in read_features(path, crs)
    )


# ------------------------------------------------------------------ lookup


def site_roots() -> list[Path]:
    """Folders holding site folders: ``$ZACVIZ_SITES``, ./plots, the bundled plots/."""
    roots: list[Path] = []
    env = os.environ.get("ZACVIZ_SITES")
    if env:
        roots += [Path(p) for p in env.split(os.pathsep) if p]
    roots.append(Path.cwd() / "plots")
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        roots.append(Path(bundle) / "plots")
    roots.append(Path(__file__).resolve().parents[2] / "plots")
    seen: list[Path] = []
    for r in roots:
        if r not in seen:
            seen.append(r)
    return seen


def find_site(site_id: str) -> Path:
    """The folder of the bundled site with this id (SPEC §2: an id, never a path)."""
    from zacviz.io.project_file import site_id as check_site_id

    check_site_id(site_id)
    for root in site_roots():
        direct = root / site_id / SITE_FILE
        if direct.is_file():
            return direct.parent
    for root in site_roots():
        if not root.is_dir():
            continue
        for candidate in sorted(root.glob(f"*/{SITE_FILE}")):
            try:
                with candidate.open("rb") as fh:
                    if tomllib.load(fh).get("site", {}).get("id") == site_id:
                        return candidate.parent
            except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError, AttributeError):
                continue
    raise InputError(f"site: no bundled site {site_id!r} (use --site DIR)")


def list_sites() -> list[Path]:
    out: list[Path] = []
    for root in site_roots():
        if root.is_dir():
            out += [p.parent for p in sorted(root.glob(f"*/{SITE_FILE}")) if p.parent not in out]
    return out


# -------------------------------------------------------------- validation


@dataclass
class SiteReport:
    site: Site | None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.site is not None and not self.problems


def validate_site(folder: str | os.PathLike[str]) -> SiteReport:
    """Load a site and run the checks a data edit can break.

    Raises InputError when the folder cannot be loaded at all; otherwise lists
    every problem found (overlapping lots, lots over roads, imagery that is
    missing, in another CRS or not covering the lots...).
    """
    return check_site(load_site(folder))


def check_site(site: Site) -> SiteReport:
    """The checks of :func:`validate_site` on a site already loaded (or built in
    memory, as the data import commands do before they write anything)."""
    import shapely

    report = SiteReport(site)
    lots = list(site.lots)
    polys = [lot.polygon for lot in lots]
    tree = shapely.STRtree(polys)
    a, b = tree.query(polys, predicate="intersects")
    for i, j in zip(a, b):
        if i < j:
            area = polys[i].intersection(polys[j]).area
            if area > 0.01:
                report.problems.append(f"lots {lots[i].id} and {lots[j].id} overlap by {area:.2f} m²")
    road_union = shapely.union_all([r.polygon for r in site.roads]) if site.roads else None
    from zacviz.geometry.lot import lot_geometry

    for lot in lots:
        if road_union is not None:
            area = lot.polygon.intersection(road_union).area
            if area > 0.01:
                report.problems.append(f"lot {lot.id} overlaps a road by {area:.2f} m²")
        if lot_geometry(site, lot).frontage.length < 0.01:
            report.notes.append(f"lot {lot.id} has no road frontage")
    from zacviz.geometry.crs import UnknownCRSError, parse_crs

    try:
        crs = parse_crs(site.crs)
    except UnknownCRSError as exc:
        report.problems.append(f"site.crs {site.crs} is not a known CRS ({exc})")
    else:
        if not crs.is_projected:
            report.problems.append(f"site.crs {site.crs} is not a projected CRS in metres")
    if site.imagery_path is None:
        report.notes.append("no imagery (site.imagery) — the plan shows no aerial view")
    else:
        from zacviz.io.imagery import open_imagery

        try:
            info = open_imagery(site.imagery_path)
        except InputError as exc:
            report.problems.append(exc.message)
        else:
            if normalise_crs(info.crs or "") != normalise_crs(site.crs):
                report.problems.append(f"imagery is in {info.crs}, the site in {site.crs}")
            else:
                minx, miny, maxx, maxy = site.bounds
                ix0, iy0, ix1, iy1 = info.bounds
                if minx < ix0 or miny < iy0 or maxx > ix1 or maxy > iy1:
                    report.problems.append("imagery does not cover all the lots and roads")
            if not info.overviews:
                report.notes.append("imagery has no overviews: zooming out will be slow")
            report.notes.append(info.describe())
    return report
