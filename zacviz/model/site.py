"""A business park: its lots for sale, public roads, existing buildings and rules."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any

from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

#: ``not_for_sale``: a plot the park's inventory lists with no sale under way
#: (CNIG TERRAIN-ECO "non commercialisé", "non commercialisable"...).
LOT_STATUSES = ("available", "reserved", "sold", "not_for_sale")


@dataclass(frozen=True)
class RuleSet:
    """The planning rules that apply to one lot (a zone, with lot overrides).

    Every parameter is optional: a rule whose parameter is None is not checked.
    """

    max_coverage: float | None = None
    max_height_m: float | None = None
    min_setback_road_m: float | None = None
    min_setback_side_m: float | None = None
    side_setback_height_ratio: float | None = None
    min_building_spacing_m: float | None = None
    min_green_ratio: float | None = None
    parking_m2_per_stall: Mapping[str, float] | None = None
    max_floor_area_m2: float | None = None

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def side_setback_for(self, height_m: float) -> float | None:
        """The side setback a building of this height needs, or None if unchecked."""
        if self.min_setback_side_m is None and self.side_setback_height_ratio is None:
            return None
        base = self.min_setback_side_m or 0.0
        ratio = self.side_setback_height_ratio or 0.0
        return max(base, ratio * height_m)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in self.keys():
            value = getattr(self, key)
            if value is not None:
                out[key] = dict(value) if isinstance(value, Mapping) else value
        return out


@dataclass(frozen=True)
class Lot:
    """A plot for sale; ``rules`` already merges its zone with its own overrides."""

    id: str
    zone: str
    status: str
    polygon: Polygon
    rules: RuleSet
    name: str | None = None
    price_eur_m2: float | None = None
    properties: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def area_m2(self) -> float:
        return float(self.polygon.area)

    @property
    def max_floor_area_m2(self) -> float | None:
        return self.rules.max_floor_area_m2

    @property
    def price_estimate_eur(self) -> float | None:
        if self.price_eur_m2 is None:
            return None
        return self.price_eur_m2 * self.area_m2


@dataclass(frozen=True)
class Road:
    """A public road polygon; its edge is the alignment setbacks are measured from."""

    id: str
    polygon: BaseGeometry
    name: str | None = None
    setback_m: float | None = None

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass(frozen=True)
class ContextBuilding:
    """An existing building of the park, drawn for context and casting shadows."""

    id: str
    polygon: Polygon
    height_m: float | None = None
    name: str | None = None


@dataclass(frozen=True)
class LandscapeFeature:
    """A landscaped strip, hedge or stormwater basin (drawing only)."""

    id: str
    kind: str
    polygon: BaseGeometry


@dataclass
class Site:
    """A loaded site folder. The lots, roads and rules are read-only in the app."""

    id: str
    name: str
    crs: str
    folder: Path
    zones: Mapping[str, RuleSet]
    lots: tuple[Lot, ...]
    roads: tuple[Road, ...]
    context: tuple[ContextBuilding, ...] = ()
    landscape: tuple[LandscapeFeature, ...] = ()
    imagery_path: Path | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)
    _lots_by_id: dict[str, Lot] = field(default_factory=dict, repr=False)
    # Per-lot derived geometry (side boundary, prepared shapes...) built once.
    cache: dict[Any, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._lots_by_id = {lot.id: lot for lot in self.lots}

    def lot(self, lot_id: str) -> Lot | None:
        return self._lots_by_id.get(lot_id)

    def cached(self, key: Any, compute: Callable[[], Any], lot: Lot | None = None) -> Any:
        """The value kept under ``key``, made by ``compute()`` on first use.

        With ``lot``, the entry serves only that very Lot object: a lot with the
        same id but other data (a reloaded site, a test) gets its own.
        """
        hit = self.cache.get(key)
        if hit is not None and hit[0] is lot:
            return hit[1]
        value = compute()
        self.cache[key] = (lot, value)
        return value

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """Extent of the lots and roads (minx, miny, maxx, maxy)."""
        import shapely

        geoms = [lot.polygon for lot in self.lots] + [r.polygon for r in self.roads]
        b = shapely.total_bounds(geoms)
        return (float(b[0]), float(b[1]), float(b[2]), float(b[3]))

    @property
    def illustrative(self) -> bool:
        return bool(self.settings.get("illustrative", False))

    def notice(self, lang: str) -> str:
        """The site's own warning in ``lang``: ``notice_en`` in English when the
        site gives one, else ``notice`` (in the site's words); empty if none."""
        if lang != "fr" and self.settings.get(f"notice_{lang}"):
            return str(self.settings[f"notice_{lang}"])
        return str(self.settings.get("notice", "") or "")
