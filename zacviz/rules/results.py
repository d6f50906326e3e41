"""What a check returns: metrics and one result per rule, as plain data.

A :class:`RuleResult` keeps the message as an id and its figures, so the same
result reads in French or English; it also carries the geometry at fault (the
part of a building inside a setback band, the overlap of two buildings...) for
the views to highlight. Nothing here raises or draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shapely.geometry.base import BaseGeometry

from zacviz.i18n import fmt_number, fmt_percent, tr
from zacviz.rules.table import UNITS


def _clean(x: float | None, digits: int) -> float | int | None:
    if x is None:
        return None
    if digits == 0:
        return int(round(x))
    r = round(float(x), digits)
    return 0.0 if r == 0 else r


@dataclass(frozen=True)
class RuleResult:
    """The verdict of one rule, for its worst case.

    ``margin`` is ``limit - value`` for a maximum, ``value - limit`` for a
    minimum; negative means violated. ``value``/``limit``/``margin`` are None
    when nothing was there to measure (no building, no side boundary...).
    """

    id: str
    ok: bool
    value: float | None
    limit: float | None
    margin: float | None
    unit: str
    items: tuple[str, ...] = ()
    message_key: str = ""
    message_fields: dict[str, Any] = field(default_factory=dict, compare=False)
    geometry: BaseGeometry | None = field(default=None, compare=False, repr=False)

    @property
    def title(self) -> str:
        return tr(f"rule.{self.id}")

    def message(self, lang: str | None = None) -> str:
        """The plain-language explanation in ``lang``."""
        fields = {k: _format_field(v, self.unit, lang) for k, v in self.message_fields.items()}
        fields.setdefault("value", _format_field(self.value, self.unit, lang))
        fields.setdefault("limit", _format_field(self.limit, self.unit, lang))
        fields.setdefault("items", ", ".join(self.items))
        return tr(self.message_key, lang, **fields)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        digits = UNITS[self.unit].json_digits
        return {
            "id": self.id,
            "ok": self.ok,
            "value": _clean(self.value, digits),
            "limit": _clean(self.limit, digits),
            "margin": _clean(self.margin, digits),
            "unit": UNITS[self.unit].symbol,
            "items": list(self.items),
            "message": self.message(lang),
        }


@dataclass(frozen=True)
class Quantity:
    """A figure to format in a message with its own unit (not the rule's)."""

    value: float
    unit: str


def _format_field(v: Any, unit: str, lang: str | None) -> Any:
    if isinstance(v, Quantity):
        return _format_field(v.value, v.unit, lang)
    if v is None:
        return "—"
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return v
    if unit == "ratio":
        return fmt_percent(v, 1, lang)
    if unit == "stalls":
        return str(int(round(v)))
    return fmt_number(float(v), UNITS[unit].message_digits if unit in UNITS else 1, lang)


@dataclass(frozen=True)
class Metrics:
    lot_area_m2: float
    footprint_m2: float
    coverage: float
    floor_area_m2: float
    sealed_m2: float
    green_ratio: float
    parking_required: int
    parking_provided: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "lot_area_m2": _clean(self.lot_area_m2, 3),
            "footprint_m2": _clean(self.footprint_m2, 3),
            "coverage": _clean(self.coverage, 6),
            "floor_area_m2": _clean(self.floor_area_m2, 3),
            "sealed_m2": _clean(self.sealed_m2, 3),
            "green_ratio": _clean(self.green_ratio, 6),
            "parking_required": int(self.parking_required),
            "parking_provided": int(self.parking_provided),
        }


@dataclass(frozen=True)
class CheckResult:
    """Everything a check found for a project on its lot."""

    lot: str
    metrics: Metrics
    rules: tuple[RuleResult, ...]
    # Stall counts of each parking surface (stated or laid out), by surface id.
    stalls_by_surface: dict[str, int] = field(default_factory=dict, compare=False)

    @property
    def compliant(self) -> bool:
        return all(r.ok for r in self.rules)

    @property
    def failing(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.rules if not r.ok)

    def rule(self, rule_id: str) -> RuleResult | None:
        for r in self.rules:
            if r.id == rule_id:
                return r
        return None

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """The SPEC §4 JSON object."""
        return {
            "lot": self.lot,
            "compliant": self.compliant,
            "metrics": self.metrics.to_dict(),
            "rules": [r.to_dict(lang) for r in self.rules],
        }
