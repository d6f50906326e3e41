"""The rule table: every rule of SPEC §3 named once.

Each entry says what a rule is, not how it is checked: its id (the SPEC §4
``id``, also the key of its title ``rule.<id>``), whether its limit is a maximum
or a minimum, the unit of its value, the message keys its results may carry and
the visitor's plain words. The engine runs one check function per entry, in the
table's order; the results, the report, the kiosk, the command line and the
tests read the rest from here. Adding a rule means one entry here, one check
function in :mod:`zacviz.rules.engine`, its messages in :mod:`zacviz.i18n` and
the JavaScript port (kept honest by the shared vectors).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from zacviz.i18n import fmt_number, fmt_percent, tr

Sense = Literal["max", "min"]


@dataclass(frozen=True)
class Unit:
    """How a value in this unit is written."""

    id: str
    json_digits: int  # decimals kept in the JSON output
    message_digits: int  # decimals in sentences and tables
    symbol: str  # as the JSON ``unit`` field and the tables write it


UNITS: dict[str, Unit] = {
    "m": Unit("m", 4, 1, "m"),
    "m2": Unit("m2", 3, 0, "m²"),
    "ratio": Unit("ratio", 6, 1, "ratio"),
    "stalls": Unit("stalls", 0, 0, "stalls"),
}


@dataclass(frozen=True)
class Rule:
    """One rule of the lot's regulations."""

    id: str
    sense: Sense
    unit: str
    # The message endings its results use: ``<id>.<ending>`` in the catalogue.
    outcomes: tuple[str, ...] = ("ok", "fail")

    @property
    def is_maximum(self) -> bool:
        return self.sense == "max"

    @property
    def title_key(self) -> str:
        return f"rule.{self.id}"

    @property
    def message_keys(self) -> tuple[str, ...]:
        return tuple(f"{self.id}.{o}" for o in self.outcomes)

    def plain_key(self, ok: bool) -> str:
        """The catalogue key of the visitor's plain words for a verdict."""
        return f"plain.{self.id}.{'ok' if ok else 'fail'}"

    def title(self, lang: str | None = None) -> str:
        return tr(self.title_key, lang)

    def margin(self, value: float, limit: float) -> float:
        """How far ``value`` stays inside ``limit`` (negative: violated)."""
        return limit - value if self.is_maximum else value - limit

    def limit_text(self, limit: float | None, lang: str | None = None) -> str:
        """``≤ 12,0 m`` / ``≥ 15,0 %``: the limit with its sense, or a dash."""
        if limit is None:
            return "—"
        return f"{'≤' if self.is_maximum else '≥'} {quantity(limit, self.unit, lang)}"


RULES: tuple[Rule, ...] = (
    Rule("inside_lot", "max", "m2"),
    Rule("coverage", "max", "ratio"),
    Rule("height", "max", "m", ("ok", "fail", "none")),
    Rule("road_setback", "min", "m", ("ok", "fail", "none")),
    Rule("side_setback", "min", "m", ("ok", "fail", "none")),
    Rule("building_spacing", "min", "m", ("ok", "fail", "overlap", "none")),
    Rule("green_ratio", "min", "ratio"),
    Rule("parking", "min", "stalls"),
    Rule("floor_area", "max", "m2"),
    Rule("overlap", "max", "m2"),
)

RULE_IDS: tuple[str, ...] = tuple(r.id for r in RULES)
_BY_ID = {r.id: r for r in RULES}
MAXIMA = frozenset(r.id for r in RULES if r.is_maximum)


def rule(rule_id: str) -> Rule:
    """The table entry of ``rule_id`` (KeyError for an unknown id)."""
    return _BY_ID[rule_id]


def quantity(value: float | None, unit: str, lang: str | None = None, *, brief: bool = False) -> str:
    """A value with its unit, as tables and plain words write it.

    ``brief`` is the kiosk's way: whole percentages, stalls as a bare number.
    """
    if value is None:
        return "—"
    if unit == "ratio":
        return fmt_percent(value, 0 if brief else 1, lang)
    if unit == "stalls":
        n = int(round(value))
        return str(n) if brief else tr("report.stalls", lang, n=n)
    if unit == "m2":
        return f"{fmt_number(value, UNITS['m2'].message_digits, lang)} m²"
    return f"{fmt_number(value, UNITS['m'].message_digits, lang)} m"


def plain_words(
    result_id: str, ok: bool, value: float | None, limit: float | None, lang: str | None = None
) -> str:
    """A verdict as a visitor would say it, figures written the brief way."""
    r = rule(result_id)
    return tr(
        r.plain_key(ok),
        lang,
        v=quantity(value, r.unit, lang, brief=True),
        l=quantity(limit, r.unit, lang, brief=True),
    )
