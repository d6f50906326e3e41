"""PLU zoning in the CNIG PLU standard: the ``zone_urba`` layer.

The Géoportail de l'Urbanisme distributes a PLU's zones as ``zone_urba``
polygons whose ``libelle`` is the zone's short name (``UE``, ``1AUe``) and
``typezone`` its kind (``U``, ``AUc``, ``AUs``, ``A``, ``N``). zacviz reads the
layer as GeoJSON (any CRS it declares; WGS 84 when it declares none) and gives
each lot the zone that covers the largest part of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry.base import BaseGeometry

from zacviz.errors import InputError
from zacviz.model.site import Lot

#: A lot with more than this share outside its main zone is reported as astride.
ASTRIDE_SHARE = 0.01


@dataclass(frozen=True)
class UrbanZone:
    libelle: str
    typezone: str | None
    geometry: BaseGeometry


@dataclass(frozen=True)
class ZoneAssignment:
    lot_id: str
    zone: str | None  # None: the lot lies in no zone of the file
    shares: tuple[tuple[str, float], ...]  # (libelle, share of the lot's area), largest first

    @property
    def astride(self) -> bool:
        return len(self.shares) > 1 and self.shares[1][1] > ASTRIDE_SHARE


def read_zone_urba(path: str | Path, site_crs: str) -> list[UrbanZone]:
    """The zones of a ``zone_urba`` GeoJSON layer, in the site's CRS."""
    from zacviz.io.geojson import read_features

    path = Path(path)
    zones = []
    for f in read_features(path, site_crs):
        where = f"{path.name}: features[{f.index}].properties"
        props = {str(k).lower(): v for k, v in f.properties.items()}  # shapefiles write LIBELLE
        libelle = props.get("libelle")
        if not isinstance(libelle, str) or not libelle.strip():
            raise InputError(f"{where}.libelle: missing (is this a CNIG PLU zone_urba layer?)")
        typezone = props.get("typezone")
        zones.append(UrbanZone(libelle.strip(), str(typezone).strip() if typezone else None, f.geometry))
    if not zones:
        raise InputError(f"{path.name}: no zones")
    return zones


def assign_zones(lots: Sequence[Lot], zones: Sequence[UrbanZone]) -> list[ZoneAssignment]:
    """Each lot's zone: the one covering the largest part of its area."""
    tree = shapely.STRtree([z.geometry for z in zones])
    out = []
    for lot in lots:
        area = lot.polygon.area
        by_zone: dict[str, float] = {}
        for j in tree.query(lot.polygon, predicate="intersects"):
            zone = zones[int(j)]
            overlap = lot.polygon.intersection(zone.geometry).area
            if overlap > 0:
                by_zone[zone.libelle] = by_zone.get(zone.libelle, 0.0) + overlap
        shares = tuple(sorted(((z, a / area) for z, a in by_zone.items()), key=lambda s: (-s[1], s[0])))
        out.append(ZoneAssignment(lot.id, shares[0][0] if shares else None, shares))
    return out
