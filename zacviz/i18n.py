"""Translation of the core's user-visible text (French first, English second).

The Qt-free core (rule messages, command-line output) keeps its catalogue here:
message ids map to a French and an English template, filled with numbers
formatted the way each language writes them. The Qt interface loads the same
language choice into Qt's translators; both follow :func:`set_language`.
"""

from __future__ import annotations

import math
import os
from typing import Any

LANGUAGES = ("fr", "en")
_current = "fr"

_NBSP = "\u202f"  # narrow no-break space, the French thousands separator


def default_language() -> str:
    """``ZACVIZ_LANG`` if it names a known language, else French."""
    env = os.environ.get("ZACVIZ_LANG", "").strip().lower()[:2]
    return env if env in LANGUAGES else "fr"


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    _current = lang


def language() -> str:
    return _current


def fmt_number(x: float, decimals: int = 1, lang: str | None = None) -> str:
    """``1234.5`` → ``1 234,5`` in French, ``1,234.5`` in English."""
    lang = lang or _current
    if not math.isfinite(x):
        return "∞" if x > 0 else "-∞"
    text = f"{x:,.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0.0:
        text = text[1:]
    if lang == "fr":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", _NBSP)
    return text


def fmt_percent(ratio: float, decimals: int = 1, lang: str | None = None) -> str:
    lang = lang or _current
    sep = "\u00a0" if lang == "fr" else ""
    return f"{fmt_number(ratio * 100.0, decimals, lang)}{sep}%"


def fmt_list(items: list[str] | tuple[str, ...], lang: str | None = None) -> str:
    return ", ".join(items)


# message id -> {lang: template}. Templates use str.format fields.
CATALOGUE: dict[str, dict[str, str]] = {
    # --- rule names
    "rule.inside_lot": {"fr": "Dans le lot", "en": "Inside the lot"},
    "rule.coverage": {"fr": "Emprise au sol", "en": "Site coverage"},
    "rule.height": {"fr": "Hauteur", "en": "Height"},
    "rule.road_setback": {"fr": "Recul sur voie", "en": "Road setback"},
    "rule.side_setback": {"fr": "Recul sur limites séparatives", "en": "Side setback"},
    "rule.building_spacing": {"fr": "Distance entre bâtiments", "en": "Building spacing"},
    "rule.green_ratio": {"fr": "Espaces verts", "en": "Green space"},
    "rule.parking": {"fr": "Stationnement", "en": "Parking"},
    "rule.floor_area": {"fr": "Surface de plancher", "en": "Floor area"},
    # --- inside_lot
    "inside_lot.ok": {
        "fr": "Tous les bâtiments et surfaces sont dans le lot",
        "en": "Every building and surface lies inside the lot",
    },
    "inside_lot.fail": {
        "fr": "{value} m² hors du lot ({items})",
        "en": "{value} m² outside the lot ({items})",
    },
    # --- coverage
    "coverage.ok": {
        "fr": "Emprise au sol {value} ≤ {limit} autorisés",
        "en": "Site coverage {value} ≤ {limit} allowed",
    },
    "coverage.fail": {
        "fr": "Emprise au sol {value} > {limit} autorisés ({items})",
        "en": "Site coverage {value} > {limit} allowed ({items})",
    },
    # --- height
    "height.ok": {
        "fr": "Hauteur {value} m ≤ {limit} m autorisés",
        "en": "Height {value} m ≤ {limit} m allowed",
    },
    "height.fail": {
        "fr": "Hauteur {value} m > {limit} m autorisés ({items})",
        "en": "Height {value} m > {limit} m allowed ({items})",
    },
    "height.none": {
        "fr": "Aucun bâtiment ; hauteur maximale {limit} m",
        "en": "No building; height limit {limit} m",
    },
    # --- road setback
    "road_setback.ok": {
        "fr": "Recul sur voie {value} m ≥ {limit} m exigés ({road})",
        "en": "Road setback {value} m ≥ {limit} m required ({road})",
    },
    "road_setback.fail": {
        "fr": "Recul de {value} m seulement sur {road} : {limit} m exigés ({items})",
        "en": "Only {value} m from {road}: {limit} m required ({items})",
    },
    "road_setback.none": {
        "fr": "Aucun bâtiment à éloigner des voies",
        "en": "No building to keep from the roads",
    },
    # --- side setback
    "side_setback.ok": {
        "fr": "Recul sur limites séparatives {value} m ≥ {limit} m exigés",
        "en": "Side setback {value} m ≥ {limit} m required",
    },
    "side_setback.fail": {
        "fr": "Recul de {value} m seulement sur une limite séparative : {limit} m exigés ({items})",
        "en": "Only {value} m from a side boundary: {limit} m required ({items})",
    },
    "side_setback.none": {
        "fr": "Aucune limite séparative à respecter",
        "en": "No side boundary to keep from",
    },
    # --- building spacing
    "building_spacing.ok": {
        "fr": "Distance entre bâtiments {value} m ≥ {limit} m exigés",
        "en": "Building spacing {value} m ≥ {limit} m required",
    },
    "building_spacing.fail": {
        "fr": "Bâtiments à {value} m l'un de l'autre : {limit} m exigés, ou accolés ({items})",
        "en": "Buildings {value} m apart: {limit} m required, or joined ({items})",
    },
    "building_spacing.overlap": {
        "fr": "Bâtiments qui se chevauchent sur {overlap} m² ({items})",
        "en": "Buildings overlap by {overlap} m² ({items})",
    },
    "building_spacing.none": {
        "fr": "Pas de bâtiments séparés à espacer",
        "en": "No separate buildings to space",
    },
    # --- green ratio
    "green_ratio.ok": {
        "fr": "Espaces verts {value} du lot ≥ {limit} exigés",
        "en": "Green space {value} of the lot ≥ {limit} required",
    },
    "green_ratio.fail": {
        "fr": "Espaces verts {value} du lot seulement : {limit} exigés",
        "en": "Only {value} of the lot left green: {limit} required",
    },
    # --- parking
    "parking.ok": {
        "fr": "Stationnement : {value} places prévues ≥ {limit} exigées",
        "en": "Parking: {value} stalls provided ≥ {limit} required",
    },
    "parking.fail": {
        "fr": "Stationnement : {value} places prévues < {limit} exigées ({items})",
        "en": "Parking: {value} stalls provided < {limit} required ({items})",
    },
    # --- floor area
    "floor_area.ok": {
        "fr": "Surface de plancher {value} m² ≤ {limit} m² autorisés",
        "en": "Floor area {value} m² ≤ {limit} m² allowed",
    },
    "floor_area.fail": {
        "fr": "Surface de plancher {value} m² > {limit} m² autorisés ({items})",
        "en": "Floor area {value} m² > {limit} m² allowed ({items})",
    },
    # --- command line
    "cli.compliant": {"fr": "Projet conforme", "en": "Compliant project"},
    "cli.not_compliant": {"fr": "Projet non conforme", "en": "Project not compliant"},
    "cli.lot": {"fr": "Lot {lot} ({area} m², zone {zone})", "en": "Lot {lot} ({area} m², zone {zone})"},
    "cli.metric.footprint_m2": {"fr": "Emprise au sol", "en": "Footprint"},
    "cli.metric.floor_area_m2": {"fr": "Surface de plancher", "en": "Floor area"},
    "cli.metric.sealed_m2": {"fr": "Surface imperméabilisée", "en": "Sealed area"},
    "cli.metric.green_ratio": {"fr": "Espaces verts", "en": "Green space"},
    "cli.metric.parking": {"fr": "Places requises / prévues", "en": "Stalls required / provided"},
    "cli.disclaimer": {
        "fr": "Vérification indicative : le règlement d'urbanisme en vigueur prévaut.",
        "en": "Indicative check: the planning rules in force prevail.",
    },
}


def tr(key: str, lang: str | None = None, **fields: Any) -> str:
    """The text of ``key`` in ``lang`` (current language by default)."""
    lang = lang or _current
    entry = CATALOGUE.get(key)
    if entry is None:
        return key
    template = entry.get(lang) or entry["fr"]
    return template.format(**fields) if fields else template
