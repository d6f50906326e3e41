"""GeoJSON feature collections in a site's CRS.

Files declare their CRS the way GDAL and QGIS write it (``"crs": {"type":
"name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}}``). A file in
another CRS is reprojected on load (through GDAL's PROJ, imported only then, so
a check on a well-formed site stays quick to start).
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from zacviz.errors import InputError
from zacviz.io.files import read_regular_file

# A layer of a site folder is at most this large (the bundled lots are 20 kB).
MAX_LAYER_BYTES = 64 * 1024 * 1024

_EPSG_PATTERNS = (
    re.compile(r"^urn:ogc:def:crs:EPSG:[\d.]{0,20}:(\d{1,9})$", re.I),
    re.compile(r"^EPSG:+(\d{1,9})$", re.I),
    re.compile(r"^https?://www\.opengis\.net/def/crs/EPSG/[^/]{1,20}/(\d{1,9})$", re.I),
)
_CRS84 = re.compile(
    r"^(urn:ogc:def:crs:OGC:1\.3:CRS84|OGC:CRS84|EPSG:4326|urn:ogc:def:crs:EPSG::4326)$", re.I
)


def normalise_crs(name: str) -> str:
    """``urn:ogc:def:crs:EPSG::2154`` → ``EPSG:2154``; other names unchanged."""
    text = name.strip()
    if _CRS84.match(text):
        return "OGC:CRS84"
    for pat in _EPSG_PATTERNS:
        m = pat.match(text)
        if m:
            return f"EPSG:{int(m.group(1))}"
    return text


@dataclass(frozen=True)
class Feature:
    index: int
    id: str | None
    geometry: BaseGeometry
    properties: Mapping[str, Any]


def _declared_crs(doc: Mapping[str, Any], where: str) -> str | None:
    crs = doc.get("crs")
    if crs is None:
        return None
    try:
        name = crs["properties"]["name"]
    except (TypeError, KeyError):
        raise InputError(
            f"{where}: crs: expected {{'type': 'name', 'properties': {{'name': ...}}}}"
        ) from None
    if not isinstance(name, str):
        raise InputError(f"{where}: crs: name must be a string")
    return normalise_crs(name)


def _looks_geographic(geoms: list[BaseGeometry]) -> bool:
    if not geoms:
        return False
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    return minx >= -180.0 and maxx <= 180.0 and miny >= -90.0 and maxy <= 90.0


def reproject(geoms: list[BaseGeometry], src: str, dst: str, where: str) -> list[BaseGeometry]:
    """Geometries from CRS ``src`` to ``dst`` (x/y order: east, north).

    A point that does not transform becomes ``(inf, inf)`` (see
    :func:`zacviz.geometry.crs.transform_xy`): the callers refuse it.
    """
    from zacviz.geometry.crs import UnknownCRSError, parse_crs, transform_xy

    try:
        src_crs, dst_crs = parse_crs(src), parse_crs(dst)
    except UnknownCRSError as exc:
        raise InputError(f"{where}: cannot reproject from {src} to {dst} ({exc})") from None

    def fn(coords):
        x, y = transform_xy(src_crs, dst_crs, coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    # One call for all the coordinates: GDAL's set-up costs more than the points.
    return list(shapely.transform(np.asarray(geoms, dtype=object), fn))


def read_features(
    path: Path,
    site_crs: str,
    *,
    allowed: tuple[str, ...] = ("Polygon", "MultiPolygon"),
) -> list[Feature]:
    """The features of a GeoJSON file, valid, in ``site_crs``."""
    where = path.name
    data = read_regular_file(path, MAX_LAYER_BYTES, what="a GeoJSON layer")
    try:
        doc = json.loads(data)
    except RecursionError:
        raise InputError(f"{where}: nested too deeply") from None
    except ValueError as exc:
        raise InputError(f"{where}: not valid JSON ({str(exc)[:80]})") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise InputError(f"{where}: must be a GeoJSON FeatureCollection")
    raw = doc.get("features")
    if not isinstance(raw, list):
        raise InputError(f"{where}: features must be a list")
    features: list[Feature] = []
    for i, f in enumerate(raw):
        fw = f"{where}: features[{i}]"
        if not isinstance(f, dict) or f.get("type") != "Feature":
            raise InputError(f"{fw}: must be a Feature")
        props = f.get("properties") or {}
        if not isinstance(props, dict):
            raise InputError(f"{fw}.properties: must be an object")
        gj = f.get("geometry")
        if not isinstance(gj, dict) or gj.get("type") not in allowed:
            kind = gj.get("type") if isinstance(gj, dict) else gj
            raise InputError(f"{fw}.geometry: must be a {' or '.join(allowed)} (got {kind})")
        try:
            with warnings.catch_warnings():  # NaN coordinates: refused below, in one line
                warnings.simplefilter("ignore", RuntimeWarning)
                geom = shape(gj)
                bad = geom.is_empty or not _finite(geom)
        except (
            ValueError,
            TypeError,
            IndexError,
            KeyError,
            AttributeError,
            RecursionError,
            OverflowError,
            shapely.errors.ShapelyError,
        ):
            raise InputError(f"{fw}.geometry: malformed coordinates") from None
        if bad:
            raise InputError(f"{fw}.geometry: empty or non-finite coordinates")
        fid = f.get("id", props.get("id"))
        features.append(Feature(i, None if fid is None else str(fid), geom, props))

    declared = _declared_crs(doc, where)
    site_norm = normalise_crs(site_crs)
    geoms = [f.geometry for f in features]
    src = declared
    if src is None and _looks_geographic(geoms) and site_norm != "OGC:CRS84":
        src = "OGC:CRS84"  # RFC 7946: GeoJSON without a crs member is WGS 84
    if src is not None and src != site_norm:
        geoms = reproject(geoms, src, site_crs, where)
        features = [Feature(f.index, f.id, g, f.properties) for f, g in zip(features, geoms)]
    for f in features:
        if not f.geometry.is_valid:
            reason = shapely.is_valid_reason(f.geometry)
            raise InputError(f"{where}: features[{f.index}].geometry: invalid polygon ({reason})")
    return features


def _finite(geom: BaseGeometry) -> bool:
    return bool(np.isfinite(shapely.get_coordinates(geom)).all())
