"""What the data commands change in a site: plans built from the standards' files.

- :func:`plan_terrain_eco`: a TERRAIN-ECO table becomes the site's lot set;
- :func:`terrain_eco_rows`: the site's lots as TERRAIN-ECO rows (the export);
- :func:`plan_cadastre_lot`: Etalab parcels merged into one lot, added or replaced;
- :func:`plan_zones`: each lot given the PLU zone covering most of it.

A plan is checked (:func:`zacviz.io.site_update.check_plan`) and written only
when asked (:func:`zacviz.io.site_update.write_plan`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from shapely.geometry import Polygon

from zacviz.errors import InputError
from zacviz.io.plu import UrbanZone, assign_zones
from zacviz.io.site_update import (
    SitePlan,
    add_zone_tables,
    check_near_site,
    feature_polygon,
    polygon_json,
    replace_features,
    same_outline,
    site_toml_text,
    start_plan,
)
from zacviz.io.terrain_eco import STADE_FROM_STATUS, TerrainRow, number_text, status_for
from zacviz.model.site import Site


def zone_for_new_lot(site: Site, zone: str | None, what: str) -> str:
    """``--zone``, or the site's only zone; refuses a zone site.toml lacks."""
    if zone is not None:
        if zone not in site.zones:
            raise InputError(f"--zone: {zone!r} is not a zone of site.toml ({', '.join(site.zones)})")
        return zone
    if len(site.zones) == 1:
        return next(iter(site.zones))
    raise InputError(f"{what}: a new lot needs a zone: give --zone ({' | '.join(site.zones)})")


def _set(props: dict[str, Any], key: str, value: Any) -> None:
    """Set a property, keeping the stored value when it is the same number."""
    old = props.get(key)
    if value is None:
        props.pop(key, None)
    elif not (
        isinstance(old, (int, float))
        and isinstance(value, (int, float))
        and not isinstance(old, bool)
        and float(old) == float(value)
    ):
        props[key] = value


# ------------------------------------------------------------- TERRAIN-ECO


def plan_terrain_eco(site: Site, rows: Sequence[TerrainRow], zone: str | None, source: str) -> SitePlan:
    """The site's lots made to match a TERRAIN-ECO table, row for row.

    A row is the lot whose ``terr_id`` property, or else whose ``id``, is its
    ``terr_id``; a lot no row names is removed; a row no lot matches is a new
    lot named by its ``terr_id``. Status, price, parcels and outline come from
    the row; the zone, name and rule overrides stay the lot's.
    """
    check_near_site(site, [row.polygon for row in rows], source)
    plan = start_plan(site)
    by_terr: dict[str, dict[str, Any]] = {}
    for f in plan.features:
        props = f["properties"]
        by_terr.setdefault(str(props.get("terr_id") or props.get("id")), f)
    new_features: list[dict[str, Any]] = []
    used: set[int] = set()
    for row in rows:
        old = by_terr.get(row.terr_id)
        if old is None or id(old) in used:
            lot_zone = zone_for_new_lot(site, zone, f"{source}: line {row.line} ({row.terr_id})")
            feature: dict[str, Any] = {
                "type": "Feature",
                "properties": {"id": row.terr_id, "zone": lot_zone},
                "geometry": polygon_json(row.polygon),
            }
        else:
            used.add(id(old))
            feature = dict(old, properties=dict(old["properties"]))
            if not same_outline(feature_polygon(old), row.polygon):
                feature["geometry"] = polygon_json(row.polygon)
        props = feature["properties"]
        lot_id = str(props["id"])
        if "status" in props or row.status != "available":
            props["status"] = row.status
        _set(props, "price_eur_m2", row.price_eur_m2)
        _set(props, "terr_id", row.terr_id if row.terr_id != lot_id else None)
        _set(props, "terr_refcad", row.refcad)
        canonical = STADE_FROM_STATUS[row.status]
        _set(props, "terr_stade_comm", row.stade_comm if row.stade_comm != canonical else None)
        if row.surface_ha is not None:
            area_ha = row.polygon.area / 10_000
            if abs(row.surface_ha - area_ha) > max(0.05 * area_ha, 0.001):
                plan.notes.append(
                    f"{source}: line {row.line}: terr_surf_brute says {row.surface_ha:g} ha, the outline "
                    f"measures {area_ha:.4f} ha (the outline is kept)"
                )
        new_features.append(feature)
    replace_features(plan, new_features)
    return plan


@dataclass(frozen=True)
class ExportOptions:
    """The TERRAIN-ECO fields zacviz does not keep, for lots whose properties lack them."""

    site_id: str
    date: str  # ISO date: terr_actu_date, and terr_identif_date by default
    maitrise_fonc: str = "inconnu"
    stade_amngt: str = "inconnu"
    etat_occup: str = "inconnu"
    usage: str = "inconnu"


#: Optional TERRAIN-ECO columns copied from a lot property of the same name.
_COPIED = (
    "terr_utile",
    "terr_url_cartofriches",
    "terr_cle_en_main",
    "terr_acquereur",
    "terr_cession_date",
    "terr_vente_montant",
)


def terrain_eco_rows(site: Site, options: ExportOptions) -> list[dict[str, str]]:
    """The site's lots as TERRAIN-ECO rows (outlines in the site's CRS, Lambert-93 here)."""
    from zacviz.io.terrain_eco import geometry_text

    rows = []
    for lot in site.lots:
        props: Mapping[str, Any] = lot.properties
        stade = props.get("terr_stade_comm")
        if not isinstance(stade, str) or status_for(stade) != lot.status:
            stade = STADE_FROM_STATUS[lot.status]

        def text(key: str, default: str = "", props: Mapping[str, Any] = props) -> str:
            value = props.get(key)
            return default if value is None else str(value)

        row = {
            "terr_id": text("terr_id", lot.id),
            "site_id": options.site_id,
            "terr_refcad": text("terr_refcad"),
            "terr_surf_brute": number_text(lot.polygon.area / 10_000, 4),
            "terr_identif_date": text("terr_identif_date", options.date),
            "terr_actu_date": options.date,
            "terr_maitrise_fonc": text("terr_maitrise_fonc", options.maitrise_fonc),
            "terr_stade_amngt": text("terr_stade_amngt", options.stade_amngt),
            "terr_stade_comm": stade,
            "terr_etat_occup": text("terr_etat_occup", options.etat_occup),
            "terr_usage": text("terr_usage", options.usage),
            "terr_geomsurf": geometry_text(lot.polygon),
            "terr_m2_prix": number_text(lot.price_eur_m2),
        }
        for key in _COPIED:
            row[key] = text(key)
        rows.append(row)
    return rows


# ---------------------------------------------------------------- cadastre


def plan_cadastre_lot(
    site: Site, lot_id: str, polygon: Polygon, parcel_ids: Sequence[str], zone: str | None
) -> SitePlan:
    """Add the lot ``lot_id`` with this outline, or give an existing lot this outline."""
    lot_id = lot_id.strip()
    if not lot_id:
        raise InputError("--id: the lot needs an id (e.g. A3)")
    check_near_site(site, [polygon], "--parcels")
    plan = start_plan(site)
    refcad = "|".join(parcel_ids)
    features = []
    found = False
    for f in plan.features:
        if str(f["properties"].get("id")) == lot_id:
            found = True
            f = dict(f, properties=dict(f["properties"]), geometry=polygon_json(polygon))
            f["properties"]["terr_refcad"] = refcad
            if zone is not None:
                f["properties"]["zone"] = zone_for_new_lot(site, zone, "--zone")
        features.append(f)
    if not found:
        props = {"id": lot_id, "zone": zone_for_new_lot(site, zone, f"lot {lot_id}"), "status": "available"}
        props["terr_refcad"] = refcad
        features.append({"type": "Feature", "properties": props, "geometry": polygon_json(polygon)})
    replace_features(plan, features)
    return plan


# ------------------------------------------------------------------- zones


def plan_zones(site: Site, zones: Sequence[UrbanZone], source: str) -> SitePlan:
    """Each lot in the zone covering most of it; missing zone tables added (rules commented out)."""
    plan = start_plan(site)
    typezones: dict[str, str | None] = {}
    for z in zones:
        typezones.setdefault(z.libelle, z.typezone)
    assigned = {a.lot_id: a for a in assign_zones(site.lots, zones)}
    features = []
    needed: list[str] = []
    for f in plan.features:
        f = dict(f, properties=dict(f["properties"]))
        lot_id = str(f["properties"].get("id"))
        a = assigned.get(lot_id)
        if a is None or a.zone is None:
            plan.notes.append(
                f"lot {lot_id} lies in no zone of {source}: it keeps zone {f['properties'].get('zone')}"
            )
        else:
            if a.astride:
                shares = " and ".join(f"{z} ({share * 100:.1f} %)" for z, share in a.shares)
                plan.notes.append(f"lot {lot_id} is astride {shares}: given {a.zone}, the larger part")
            f["properties"]["zone"] = a.zone
            if a.zone not in site.zones and a.zone not in needed:
                needed.append(a.zone)
        features.append(f)
    replace_features(plan, features)
    if needed:
        plan.site_toml = add_zone_tables(
            site_toml_text(site), [(z, typezones.get(z)) for z in needed], source
        )
        plan.zones_added = needed
    return plan
