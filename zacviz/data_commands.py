"""``zacviz lots`` and ``zacviz zones``: the park's data in the French standards.

- ``zacviz lots import --from cnig-terrain-eco FILE.csv --site DIR``
- ``zacviz lots import --from cadastre FILE.json[.gz] --parcels ID,ID --id A3 --site DIR``
- ``zacviz lots export --to cnig-terrain-eco --site DIR --out FILE.csv``
- ``zacviz zones import FILE.geojson --site DIR``

Imports print what would change and write nothing without ``--write``; every
result is checked as ``validate-site`` checks a site before it is written.
Readers are found in :data:`LOT_SOURCES`, a registry.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from zacviz.errors import InputError

#: ``--from`` names → readers that build a plan from the parsed arguments.
LOT_SOURCES: dict[str, Callable[[argparse.Namespace], object]] = {}


def lot_source(name: str) -> Callable[[Callable[[argparse.Namespace], object]], Callable]:
    def deco(fn: Callable[[argparse.Namespace], object]) -> Callable[[argparse.Namespace], object]:
        LOT_SOURCES[name] = fn
        return fn

    return deco


# ------------------------------------------------------------------ parsers


def configure_lots(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    sub.required = True
    imp = sub.add_parser("import", help="update the site's lots from a TERRAIN-ECO table or cadastre parcels")
    imp.add_argument("file", metavar="FILE", help="TERRAIN-ECO CSV, or Etalab parcels (.json, .json.gz)")
    imp.add_argument("--from", dest="source", required=True, choices=("cnig-terrain-eco", "cadastre"))
    imp.add_argument("--site", metavar="DIR", required=True, help="site folder (holding site.toml)")
    imp.add_argument("--zone", metavar="Z", help="zone of new lots (default: the site's only zone)")
    imp.add_argument(
        "--crs", metavar="CRS", help="CRS of terr_geomsurf (default: guessed, Lambert-93 or WGS 84)"
    )
    imp.add_argument(
        "--site-id",
        metavar="ID",
        help="cnig-terrain-eco: take the rows of this site_id (default: cnig_site_id in site.toml)",
    )
    imp.add_argument("--parcels", metavar="ID,ID", help="cadastre: the parcels that make the lot")
    imp.add_argument("--merge", action="store_true", help="cadastre: merge several parcels into one lot")
    imp.add_argument("--id", dest="lot_id", metavar="LOT", help="cadastre: the lot to add or replace")
    imp.add_argument("--write", action="store_true", help="write the changes (default: only show them)")
    _lang_option(imp)
    exp = sub.add_parser("export", help="write the site's lots as a TERRAIN-ECO table")
    exp.add_argument("--to", dest="target", required=True, choices=("cnig-terrain-eco",))
    exp.add_argument("--site", metavar="DIR", required=True, help="site folder (holding site.toml)")
    exp.add_argument("--out", metavar="FILE.csv", required=True, help="the table to write")
    exp.add_argument(
        "--site-id",
        metavar="ID",
        help="site_id of the SITE-ECO (default: cnig_site_id in site.toml, else the site id)",
    )
    exp.add_argument("--date", metavar="YYYY-MM-DD", help="terr_actu_date (default: today)")
    for flag, what in (
        ("--maitrise-fonc", "terr_maitrise_fonc"),
        ("--stade-amngt", "terr_stade_amngt"),
        ("--etat-occup", "terr_etat_occup"),
        ("--usage", "terr_usage"),
    ):
        exp.add_argument(
            flag, metavar="VALUE", default="inconnu", help=f"{what} of lots without one (inconnu)"
        )
    _lang_option(exp)


def configure_zones(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    sub.required = True
    imp = sub.add_parser("import", help="give each lot its PLU zone (CNIG zone_urba, GeoJSON)")
    imp.add_argument("file", metavar="FILE", help="zone_urba layer as GeoJSON (libelle, typezone)")
    imp.add_argument("--site", metavar="DIR", required=True, help="site folder (holding site.toml)")
    imp.add_argument("--write", action="store_true", help="write the changes (default: only show them)")
    _lang_option(imp)


def _lang_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=("fr", "en"), default=None, help="language of messages (default: fr)")


# -------------------------------------------------------------------- runs


def run_lots(args: argparse.Namespace) -> int:
    if args.action == "export":
        return _export(args)
    from zacviz.io.site_folder import load_site

    site = load_site(args.site)
    if args.source != "cadastre" and (args.parcels or args.lot_id or args.merge):
        raise InputError("--parcels, --id and --merge go with --from cadastre")
    if args.source == "cadastre" and (args.crs or args.site_id):
        raise InputError("--crs and --site-id go with --from cnig-terrain-eco")
    plan = LOT_SOURCES[args.source](argparse.Namespace(**vars(args), site_obj=site))
    return _finish(plan, args.write)


def run_zones(args: argparse.Namespace) -> int:
    from zacviz.io.lot_import import plan_zones
    from zacviz.io.plu import read_zone_urba
    from zacviz.io.site_folder import load_site

    site = load_site(args.site)
    zones = read_zone_urba(args.file, site.crs)
    return _finish(plan_zones(site, zones, Path(args.file).name), args.write)


@lot_source("cnig-terrain-eco")
def _from_terrain_eco(args: argparse.Namespace) -> object:
    from zacviz.io.lot_import import plan_terrain_eco
    from zacviz.io.terrain_eco import read_terrain_eco

    site = args.site_obj
    if args.crs is not None:
        _check_crs_option(args.crs)
    site_id = args.site_id or site.settings.get("cnig_site_id")
    rows = read_terrain_eco(args.file, site.crs, crs=args.crs, site_id=site_id)
    return plan_terrain_eco(site, rows, args.zone, Path(args.file).name)


@lot_source("cadastre")
def _from_cadastre(args: argparse.Namespace) -> object:
    from zacviz.io.cadastre import merge_parcels, parse_parcel_ids, read_parcels
    from zacviz.io.lot_import import plan_cadastre_lot

    if not args.parcels or not args.lot_id:
        raise InputError("--from cadastre needs --parcels ID,ID... and --id LOT")
    ids = parse_parcel_ids(args.parcels)
    if len(ids) > 1 and not args.merge:
        raise InputError(f"--parcels: {len(ids)} parcels make one lot only with --merge")
    parcels = read_parcels(args.file, ids, args.site_obj.crs)
    polygon = merge_parcels(parcels) if len(ids) > 1 else next(iter(parcels.values()))
    return plan_cadastre_lot(args.site_obj, args.lot_id, polygon, ids, args.zone)


def _check_crs_option(crs: str) -> None:
    from zacviz.geometry.crs import UnknownCRSError, parse_crs

    try:
        parse_crs(crs)
    except UnknownCRSError:
        raise InputError(f"--crs: unknown CRS {crs!r} (e.g. EPSG:2154, EPSG:4326)") from None


def _finish(plan, write: bool) -> int:
    from zacviz.i18n import tr
    from zacviz.io.site_update import check_plan, write_plan

    report = check_plan(plan)  # refuses a result validate-site would refuse
    touched = {f"lot {c.lot_id} " for c in plan.changes if c.kind != "removed"}
    site_notes = [n for n in report.notes if any(n.startswith(t) for t in touched)]
    for note in [*plan.notes, *site_notes]:  # validate-site's notes on the lots this changes
        print(f"note: {note}")
    for line in describe_plan(plan):
        print(line)
    if not plan.changed:
        print(tr("data.no_change"))
        return 0
    if not write:
        print(tr("data.dry_run"))
        return 0
    for path in write_plan(plan):
        print(tr("data.written", path=path))
    site = report.site
    assert site is not None
    print(tr("data.valid", site=site.id, lots=len(site.lots)))
    return 0


def describe_plan(plan) -> list[str]:
    """One line a lot added or removed; one line a field for a lot changed."""
    from zacviz.i18n import tr
    from zacviz.io.site_update import describe_value

    lines = []
    for zone in plan.zones_added:
        lines.append(tr("data.zone_added", zone=zone))
    for change in plan.changes:
        if change.kind == "added":
            fields = ", ".join(f"{f.name} {describe_value(f.name, f.new)}" for f in change.fields)
            lines.append(f"+ {tr('data.added', lot=change.lot_id)}: {fields}")
        elif change.kind == "removed":
            lines.append(f"- {tr('data.removed', lot=change.lot_id)}")
        else:
            lines.append(f"~ {tr('data.changed', lot=change.lot_id)}:")
            for f in change.fields:
                lines.append(
                    f"    {f.name}: {describe_value(f.name, f.old)} → {describe_value(f.name, f.new)}"
                )
    counts = {k: sum(1 for c in plan.changes if c.kind == k) for k in ("added", "changed", "removed")}
    if plan.changes:
        lines.append(tr("data.summary", **counts))
    return lines


def _export(args: argparse.Namespace) -> int:
    from zacviz.i18n import tr
    from zacviz.io.lot_import import ExportOptions, terrain_eco_rows
    from zacviz.io.site_folder import load_site
    from zacviz.io.terrain_eco import field_enum, write_table

    site = load_site(args.site)
    date = args.date or dt.date.today().isoformat()
    try:
        dt.date.fromisoformat(date)
    except ValueError:
        raise InputError(f"--date: {date!r} is not a date YYYY-MM-DD") from None
    site_id = args.site_id or site.settings.get("cnig_site_id") or site.id
    if not isinstance(site_id, str) or not site_id.strip():
        raise InputError("site.toml: site.cnig_site_id: must be a non-empty string")
    options = ExportOptions(
        site_id=site_id,
        date=date,
        maitrise_fonc=args.maitrise_fonc,
        stade_amngt=args.stade_amngt,
        etat_occup=args.etat_occup,
        usage=args.usage,
    )
    for flag, name, value in (
        ("--maitrise-fonc", "terr_maitrise_fonc", options.maitrise_fonc),
        ("--stade-amngt", "terr_stade_amngt", options.stade_amngt),
        ("--etat-occup", "terr_etat_occup", options.etat_occup),
        ("--usage", "terr_usage", options.usage),
    ):
        values = field_enum(name) or []
        if value not in values:
            raise InputError(f"{flag}: {value!r} is not a value of {name} ({' | '.join(values)})")
    rows = terrain_eco_rows(site, options)
    out = Path(args.out)
    write_table(rows, out)
    if not (args.site_id or site.settings.get("cnig_site_id")):
        print(tr("data.site_id_fallback", site_id=site_id))
    print(tr("data.exported", path=out, lots=len(rows)))
    return 0
