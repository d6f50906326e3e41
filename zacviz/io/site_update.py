"""Changes to a site folder's lots and zones, planned, checked, then written.

The data commands (``zacviz lots import``, ``zacviz zones import``) build a
:class:`SitePlan`: the new ``lots.geojson`` features (and ``site.toml`` text),
with the list of lots added, removed and changed. :func:`check_plan` runs the
checks of ``validate-site`` on the result in memory; :func:`write_plan` writes
it, each file through a temporary file and a rename. Features keep every
property the import does not own, and the file keeps its layout (one feature a
line, as GDAL writes it).
"""

from __future__ import annotations

import dataclasses
import json
import re
import tempfile
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import shapely
from shapely.geometry import Polygon, shape

from zacviz.errors import InputError
from zacviz.io.files import write_atomically
from zacviz.io.geojson import _declared_crs, normalise_crs
from zacviz.io.site_folder import SITE_FILE, SiteReport, check_site, parse_rules
from zacviz.model.site import RuleSet, Site

#: Two outlines closer than this everywhere are the same outline (export rounds to the mm).
SAME_OUTLINE_M = 0.01


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: Any
    new: Any


@dataclass(frozen=True)
class LotChange:
    kind: str  # "added" | "removed" | "changed"
    lot_id: str
    fields: tuple[FieldChange, ...] = ()


@dataclass
class SitePlan:
    site: Site
    lots_path: Path
    doc: dict[str, Any]  # the lots file, features replaced by ``features``
    features: list[dict[str, Any]]
    changes: list[LotChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    site_toml: str | None = None  # new site.toml text, when the zones change
    zones_added: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes or self.zones_added)


# ------------------------------------------------------------- lots file


def lots_path(site: Site) -> Path:
    rel = site_toml_doc(site).get("site", {}).get("lots", "lots.geojson")
    return site.folder / str(rel)


def site_toml_doc(site: Site) -> dict[str, Any]:
    return tomllib.loads(site_toml_text(site))


def site_toml_text(site: Site) -> str:
    try:
        return (site.folder / SITE_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{SITE_FILE}: cannot be read ({exc})") from None


def start_plan(site: Site) -> SitePlan:
    """A plan that changes nothing yet: the site's lots file as it is."""
    path = lots_path(site)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path.name}: cannot be read ({exc})") from None
    features = [dict(f, properties=dict(f.get("properties") or {})) for f in doc.get("features", [])]
    declared = _declared_crs(doc, path.name)
    if declared is None or declared != normalise_crs(site.crs):
        # The file was reprojected on load: the plan writes it in the site CRS.
        features = [_feature_in_site_crs(f, site) for f in features]
        doc["crs"] = crs_member(site.crs)
    return SitePlan(site, path, doc, features)


def _feature_in_site_crs(feature: dict[str, Any], site: Site) -> dict[str, Any]:
    lot = site.lot(str(feature["properties"].get("id", "")).strip())
    if lot is None:
        return feature
    return dict(feature, geometry=polygon_json(lot.polygon))


def crs_member(crs: str) -> dict[str, Any]:
    norm = normalise_crs(crs)
    name = f"urn:ogc:def:crs:EPSG::{norm.split(':')[1]}" if norm.startswith("EPSG:") else crs
    return {"type": "name", "properties": {"name": name}}


def polygon_json(polygon: Polygon) -> dict[str, Any]:
    """A polygon as GeoJSON, to the millimetre (as the bundled files are)."""

    def ring(coords: Any) -> list[list[float]]:
        return [[round(float(x), 3), round(float(y), 3)] for x, y, *_ in coords]

    return {
        "type": "Polygon",
        "coordinates": [ring(polygon.exterior.coords)] + [ring(r.coords) for r in polygon.interiors],
    }


def feature_polygon(feature: Mapping[str, Any]) -> Polygon:
    geom = shape(feature["geometry"])
    if geom.geom_type == "MultiPolygon" and len(geom.geoms) == 1:  # type: ignore[attr-defined]
        geom = geom.geoms[0]  # type: ignore[attr-defined]
    return geom  # type: ignore[return-value]


def same_outline(a: Polygon, b: Polygon) -> bool:
    return bool(shapely.hausdorff_distance(a, b) < SAME_OUTLINE_M)


def lots_text(doc: Mapping[str, Any], features: Sequence[Mapping[str, Any]]) -> str:
    """The lots file as GDAL lays it out: the head, then one feature a line."""
    head = {k: v for k, v in doc.items() if k != "features"}
    lines = ["{"] + [f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in head.items()]
    lines.append('"features": [')
    feats = [json.dumps(f, ensure_ascii=False) for f in features]
    lines.append(",\n".join(feats))
    lines.append("]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def describe_value(name: str, value: Any) -> str:
    if value is None:
        return "—"
    if name == "geometry":
        return f"{value:,.0f} m²".replace(",", " ")
    return str(value)


def diff_feature(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    """The fields that differ between two versions of one lot (geometry as its area)."""
    changes = []
    oldp, newp = old.get("properties", {}), new.get("properties", {})
    for key in list(oldp) + [k for k in newp if k not in oldp]:
        a, b = oldp.get(key), newp.get(key)
        if a != b and not (_numeric(a) and _numeric(b) and float(a) == float(b)):
            changes.append(FieldChange(key, a, b))
    if old.get("geometry") != new.get("geometry"):
        pa, pb = feature_polygon(old), feature_polygon(new)
        if not same_outline(pa, pb):
            changes.append(FieldChange("geometry", round(pa.area), round(pb.area)))
    return tuple(changes)


def _numeric(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def replace_features(plan: SitePlan, new_features: list[dict[str, Any]]) -> None:
    """Set the plan's features and list what changed, lot by lot."""
    old = {str(f["properties"].get("id")): f for f in plan.features}
    new = {str(f["properties"].get("id")): f for f in new_features}
    changes = []
    for lot_id, f in new.items():
        if lot_id not in old:
            changes.append(LotChange("added", lot_id, summary_fields(f)))
        else:
            fields = diff_feature(old[lot_id], f)
            if fields:
                changes.append(LotChange("changed", lot_id, fields))
    changes += [LotChange("removed", lot_id) for lot_id in old if lot_id not in new]
    plan.changes = changes
    plan.features = new_features


def summary_fields(feature: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    props = feature["properties"]
    out = [FieldChange(k, None, v) for k, v in props.items() if k != "id"]
    out.append(FieldChange("geometry", None, round(feature_polygon(feature).area)))
    return tuple(out)


#: Outlines farther than this from the site's lots and roads are in a wrong CRS.
NEAR_SITE_M = 20_000.0


def check_near_site(site: Site, polygons: Sequence[Polygon], where: str) -> None:
    """Refuse outlines that land far from the site: the file's CRS is not what it seems."""
    minx, miny, maxx, maxy = shapely.total_bounds(list(polygons))
    distance = shapely.box(*site.bounds).distance(shapely.box(minx, miny, maxx, maxy))
    if distance > NEAR_SITE_M:
        raise InputError(
            f"{where}: the outlines lie {distance / 1000:.0f} km from the site's lots: "
            "the coordinates are not in the CRS assumed (give the right one with --crs)"
        )


# ------------------------------------------------------------ zones text


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")

#: The rule keys of a new zone table, with what the staff copy there (French:
#: the text of site.toml is read by the council's staff).
ZONE_KEY_HINTS = {
    "max_coverage": "emprise au sol maximale, part du lot (0.60 = 60 %)",
    "max_height_m": "hauteur maximale (acrotère ou faîtage), m",
    "min_setback_road_m": "recul par rapport aux voies et emprises publiques, m",
    "min_setback_side_m": "recul par rapport aux limites séparatives, m",
    "side_setback_height_ratio": "et au moins ce multiple de la hauteur (0.5 = H/2)",
    "min_building_spacing_m": "distance entre deux bâtiments non contigus, m",
    "min_green_ratio": "part non imperméabilisée minimale (0.15 = 15 %)",
    "max_floor_area_m2": "surface de plancher maximale, m²",
}


def toml_key(name: str) -> str:
    return name if _BARE_KEY.match(name) else json.dumps(name, ensure_ascii=False)


def zone_table_text(zone: str, typezone: str | None, source: str) -> str:
    """A ``[zones.X]`` table whose rule keys are commented out, for the staff to fill."""
    key = toml_key(zone)
    kind = f", typezone {typezone}" if typezone else ""
    lines = [
        "",
        f"# Zone {zone}{kind} : ajoutée par « zacviz zones import {source} ».",
        "# Reportez ici les valeurs du règlement du PLU, puis retirez le « # » en tête",
        "# de ligne ; une règle laissée en commentaire n'est pas contrôlée.",
        f"[zones.{key}]",
    ]
    width = max(len(k) for k in ZONE_KEY_HINTS) + 3
    for k, hint in ZONE_KEY_HINTS.items():
        lines.append(f"# {(k + ' =').ljust(width)}   # {hint}")
    lines += [
        f"# [zones.{key}.parking_m2_per_stall]   # stationnement : m² de plancher par place",
        "# office =",
        "# workshop =",
        "# warehouse =",
        "# retail =",
    ]
    return "\n".join(lines) + "\n"


def add_zone_tables(text: str, zones: Sequence[tuple[str, str | None]], source: str) -> str:
    """``site.toml`` with new zone tables appended; the rest of the text unchanged."""
    if not zones:
        return text
    out = text if text.endswith("\n") else text + "\n"
    for zone, typezone in zones:
        out += zone_table_text(zone, typezone, source)
    return out


# ---------------------------------------------------------------- checks


def plan_site(plan: SitePlan) -> Site:
    """The site as it would load after the plan is written (in memory)."""
    from zacviz.io.site_folder import _load_lots

    site = plan.site
    zones_raw = (
        tomllib.loads(plan.site_toml).get("zones", {})
        if plan.site_toml is not None
        else {z: r.as_dict() for z, r in site.zones.items()}
    )
    zones = {z: parse_rules(t, f"{SITE_FILE}: zones.{z}") for z, t in zones_raw.items()}
    with tempfile.TemporaryDirectory(prefix="zacviz-plan-") as tmp:
        path = Path(tmp) / plan.lots_path.name
        path.write_text(lots_text(plan.doc, plan.features), encoding="utf-8")
        lots = _load_lots(path, site.crs, zones)
    return dataclasses.replace(
        site,
        zones=MappingProxyType({z: RuleSet(**r) for z, r in zones.items()}),
        lots=lots,
        _lots_by_id={},
        cache={},
    )


def check_plan(plan: SitePlan) -> SiteReport:
    """Run validate-site's checks on the planned site; refuse it if it has a problem."""
    if plan.site_toml is not None:
        try:
            tomllib.loads(plan.site_toml)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"{SITE_FILE}: the new text would not be valid TOML ({exc})") from None
    report = check_site(plan_site(plan))
    if report.problems:
        more = f" (and {len(report.problems) - 1} more)" if len(report.problems) > 1 else ""
        raise InputError(f"the result would not be a valid site: {report.problems[0]}{more}; nothing written")
    return report


def write_plan(plan: SitePlan) -> list[Path]:
    """Write the planned files (site.toml first: extra zones harm no lot)."""
    written = []
    if plan.site_toml is not None and plan.zones_added:
        written.append(write_atomically(plan.site.folder / SITE_FILE, plan.site_toml.encode("utf-8")))
    if plan.changes:
        written.append(write_atomically(plan.lots_path, lots_text(plan.doc, plan.features).encode("utf-8")))
    return written
