"""Etalab cadastre parcels (SPEC §7): a lot made of one or more parcels.

The parcel files of cadastre.data.gouv.fr are GeoJSON FeatureCollections in
WGS 84 (``cadastre-<INSEE>-parcelles.json``, often ``.json.gz``); each parcel's
``id`` is its 14-character cadastral reference (INSEE code, prefix, section,
number: ``60104000ZC0012``). Only the parcels asked for are decoded and
reprojected.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Sequence
from pathlib import Path

import shapely
from shapely.geometry import Polygon, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from zacviz.errors import InputError
from zacviz.io.files import read_regular_file

#: Larger files are refused (a commune's parcels take a few MB; a département ~1 GB).
MAX_BYTES = 512 * 1024 * 1024
PARCEL_ID = re.compile(r"^\d{2}[0-9AB]\d{2}[0-9]{3}[0-9A-Z]{2}\d{4}$")
#: Gaps narrower than this between parcels that should touch (reprojection
#: noise, digitising) are closed when parcels are merged.
SLIVER_M = 0.05


def parse_parcel_ids(text: str) -> list[str]:
    """``--parcels``: comma-separated cadastral references, upper-cased, in order."""
    ids = [p.strip().upper() for p in text.split(",") if p.strip()]
    if not ids:
        raise InputError("--parcels: give at least one parcel id (e.g. 60104000ZC0012)")
    for pid in ids:
        if not PARCEL_ID.match(pid):
            raise InputError(
                f"--parcels: {pid!r} is not a 14-character cadastral reference (e.g. 60104000ZC0012)"
            )
    if len(set(ids)) != len(ids):
        raise InputError("--parcels: a parcel is named twice")
    return ids


def _read_json(path: Path) -> object:
    """The JSON of an Etalab file, gzipped or not, at most ``MAX_BYTES`` either way."""
    raw = read_regular_file(path, MAX_BYTES, what="a GeoJSON file")
    if raw[:2] == b"\x1f\x8b":  # .json.gz: inflated as a stream, stopped past the bound
        try:
            inflater = zlib.decompressobj(wbits=31)
            raw = inflater.decompress(raw, MAX_BYTES + 1)
        except zlib.error as exc:
            raise InputError(f"{path.name}: cannot be read ({exc})") from None
        if len(raw) > MAX_BYTES:
            raise InputError(f"{path.name}: more than {MAX_BYTES // 2**20} MB once decompressed")
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise InputError(f"{path.name}: not valid JSON ({exc})") from None


def read_parcels(path: str | Path, ids: Sequence[str], site_crs: str) -> dict[str, Polygon]:
    """The parcels ``ids`` of an Etalab file, as polygons in ``site_crs``.

    Refuses a parcel id the file lacks, a file that is not in WGS 84, and a
    parcel of more than one part.
    """
    from zacviz.io.geojson import _declared_crs, normalise_crs, reproject

    path = Path(path)
    doc = _read_json(path)
    name = path.name
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise InputError(f"{name}: must be a GeoJSON FeatureCollection of parcels")
    feats = doc.get("features")
    if not isinstance(feats, list):
        raise InputError(f"{name}: features must be a list")
    wanted = set(ids)
    found: dict[str, tuple[int, dict]] = {}
    for i, f in enumerate(feats):
        if not isinstance(f, dict):
            continue
        props = f.get("properties")
        props = props if isinstance(props, dict) else {}
        pid = props.get("id", f.get("id"))
        if isinstance(pid, str) and pid.upper() in wanted:
            found[pid.upper()] = (i, f)
    missing = [pid for pid in ids if pid not in found]
    if missing:
        sample = next(
            (
                str(f.get("properties", {}).get("id"))
                for f in feats
                if isinstance(f, dict) and isinstance(f.get("properties"), dict)
            ),
            None,
        )
        hint = f" (its ids look like {sample})" if sample else " (it has no parcels)"
        raise InputError(f"{name}: no parcel {', '.join(missing)}{hint}")
    src = _declared_crs(doc, name) or "OGC:CRS84"
    geoms: list[BaseGeometry] = []
    for pid in ids:
        i, f = found[pid]
        where = f"{name}: features[{i}] ({pid}).geometry"
        gj = f.get("geometry")
        if not isinstance(gj, dict) or gj.get("type") not in ("Polygon", "MultiPolygon"):
            raise InputError(f"{where}: must be a Polygon")
        try:
            geom = shape(gj)
        except (ValueError, TypeError, IndexError, KeyError, AttributeError, shapely.errors.ShapelyError):
            raise InputError(f"{where}: malformed coordinates") from None
        if geom.is_empty:
            raise InputError(f"{where}: empty")
        if geom.geom_type == "MultiPolygon":
            if len(geom.geoms) != 1:
                raise InputError(f"{where}: a parcel in {len(geom.geoms)} parts cannot make a lot")
            geom = geom.geoms[0]
        geoms.append(geom)
    if normalise_crs(src) == "OGC:CRS84":
        minx, miny, maxx, maxy = shapely.total_bounds(geoms)
        if not (minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90):
            raise InputError(
                f"{name}: coordinates ({minx:.0f}, {miny:.0f}) are not longitude/latitude: the Etalab "
                "cadastre is in WGS 84 (a file in another CRS must say so in its crs member)"
            )
    if normalise_crs(src) != normalise_crs(site_crs):
        geoms = reproject(geoms, src, site_crs, name)
    out: dict[str, Polygon] = {}
    for pid, geom in zip(ids, geoms):
        if not geom.is_valid:
            raise InputError(f"{name}: parcel {pid}: invalid polygon ({shapely.is_valid_reason(geom)})")
        out[pid] = geom  # type: ignore[assignment]
    return out


def merge_parcels(parcels: dict[str, Polygon]) -> Polygon:
    """One simple polygon from adjoining parcels, or an InputError saying why not.

    Gaps and overlaps narrower than :data:`SLIVER_M` (the noise of two parcels
    digitised apart) are closed; a hole or a separate piece is refused.
    """
    polys = list(parcels.values())
    merged = shapely.union_all(polys)
    if not _simple(merged):
        d = SLIVER_M
        merged = shapely.union_all([p.buffer(d, join_style="mitre") for p in polys]).buffer(
            -d, join_style="mitre"
        )
    merged = shapely.make_valid(merged) if not merged.is_valid else merged
    if merged.geom_type == "MultiPolygon":
        pieces = [
            ", ".join(pid for pid, p in parcels.items() if p.intersects(piece.buffer(SLIVER_M)))
            for piece in merged.geoms
        ]
        raise InputError(
            f"--parcels: they do not make one piece but {len(merged.geoms)} ({' / '.join(pieces)}): "
            "a lot must be one polygon"
        )
    if merged.geom_type != "Polygon":
        raise InputError(f"--parcels: merging them gives a {merged.geom_type}, not one polygon")
    if len(merged.interiors) > 0:
        raise InputError(
            "--parcels: merged, they enclose a hole (a parcel left out?): a lot must be one polygon"
        )
    return orient(shapely.simplify(merged, 0.001), sign=1.0)  # exterior counter-clockwise (RFC 7946)


def _simple(geom: BaseGeometry) -> bool:
    return geom.geom_type == "Polygon" and len(geom.interiors) == 0 and geom.is_valid  # type: ignore[attr-defined]
