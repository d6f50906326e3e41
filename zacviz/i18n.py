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
    "rule.overlap": {"fr": "Chevauchements", "en": "Overlaps"},
    # --- the kiosk's plain words for each verdict ({v} the value, {l} the limit)
    "plain.inside_lot.ok": {
        "fr": "Tout tient dans le terrain.",
        "en": "Everything fits on the plot.",
    },
    "plain.inside_lot.fail": {
        "fr": "Une partie dépasse du terrain : ramenez-la à l'intérieur.",
        "en": "Part of it sticks out of the plot: bring it back inside.",
    },
    "plain.coverage.ok": {
        "fr": "Le bâti couvre {v} du terrain (maximum {l}).",
        "en": "Buildings cover {v} of the plot (at most {l}).",
    },
    "plain.coverage.fail": {
        "fr": "Le bâti couvre {v} du terrain : c'est trop, {l} au plus. Réduisez-le.",
        "en": "Buildings cover {v} of the plot: too much, {l} at most. Make it smaller.",
    },
    "plain.height.ok": {
        "fr": "Hauteur {v} : c'est permis (maximum {l}).",
        "en": "Height {v}: allowed (at most {l}).",
    },
    "plain.height.fail": {
        "fr": "Trop haut : {v} pour {l} autorisés.",
        "en": "Too tall: {v} where {l} is allowed.",
    },
    "plain.road_setback.ok": {
        "fr": "Assez loin de la route : {v} (il faut {l}).",
        "en": "Far enough from the road: {v} ({l} needed).",
    },
    "plain.road_setback.fail": {
        "fr": "Trop près de la route : {v}, il faut {l}.",
        "en": "Too close to the road: {v}, {l} needed.",
    },
    "plain.side_setback.ok": {
        "fr": "Assez loin des voisins : {v} (il faut {l}).",
        "en": "Far enough from the neighbours: {v} ({l} needed).",
    },
    "plain.side_setback.fail": {
        "fr": "Trop près d'un voisin : {v}, il faut {l}.",
        "en": "Too close to a neighbour: {v}, {l} needed.",
    },
    "plain.building_spacing.ok": {
        "fr": "Bâtiments assez espacés : {v} (il faut {l}).",
        "en": "Buildings far enough apart: {v} ({l} needed).",
    },
    "plain.building_spacing.fail": {
        "fr": "Bâtiments trop proches : {v}. Écartez-les de {l} ou accolez-les.",
        "en": "Buildings too close: {v}. Keep them {l} apart or join them.",
    },
    "plain.green_ratio.ok": {
        "fr": "{v} du terrain reste en verdure (il faut {l}).",
        "en": "{v} of the plot stays green ({l} needed).",
    },
    "plain.green_ratio.fail": {
        "fr": "Pas assez de verdure : {v}, il faut {l}.",
        "en": "Not enough green space: {v}, {l} needed.",
    },
    "plain.parking.ok": {
        "fr": "{v} places de parking pour {l} nécessaires.",
        "en": "{v} parking spaces for {l} needed.",
    },
    "plain.parking.fail": {
        "fr": "Il manque des places : {v} prévues, {l} nécessaires.",
        "en": "Not enough parking: {v} planned, {l} needed.",
    },
    "plain.floor_area.ok": {
        "fr": "Surface de plancher {v} (maximum {l}).",
        "en": "Floor area {v} (at most {l}).",
    },
    "plain.floor_area.fail": {
        "fr": "Trop de surface de plancher : {v} pour {l} au plus.",
        "en": "Too much floor area: {v} where {l} is the most.",
    },
    "plain.overlap.ok": {
        "fr": "Rien ne se superpose.",
        "en": "Nothing overlaps.",
    },
    "plain.overlap.fail": {
        "fr": "Un parking ou une cour passe sous un bâtiment : écartez-les.",
        "en": "A car park or a yard lies under a building: move them apart.",
    },
    "app.cannot_start": {
        "fr": "zacviz ne peut pas démarrer :\n{error}",
        "en": "zacviz cannot start:\n{error}",
    },
    # --- the edit session's command labels and refusals
    "edit.add": {"fr": "Ajouter {id}", "en": "Add {id}"},
    "edit.duplicate": {"fr": "Dupliquer {id}", "en": "Duplicate {id}"},
    "edit.delete": {"fr": "Supprimer {id}", "en": "Delete {id}"},
    "edit.move": {"fr": "Déplacer {id}", "en": "Move {id}"},
    "edit.rotate": {"fr": "Pivoter {id}", "en": "Turn {id}"},
    "edit.resize": {"fr": "Redimensionner {id}", "en": "Resize {id}"},
    "edit.params": {"fr": "Modifier {id}", "en": "Change {id}"},
    "edit.template": {"fr": "Modèle : {name}", "en": "Template: {name}"},
    "edit.title": {"fr": "Titre du projet", "en": "Project title"},
    "edit.id_taken": {"fr": "L'identifiant « {id} » est déjà pris", "en": "The id “{id}” is already taken"},
    "edit.title_too_long": {
        "fr": "Titre : {n} caractères au plus",
        "en": "Title: {n} characters at most",
    },
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
    # --- overlap (a car park drawn under a building provides no stalls)
    "overlap.ok": {
        "fr": "Aucune surface ne chevauche un bâtiment ou une autre surface",
        "en": "No surface overlaps a building or another surface",
    },
    "overlap.fail": {
        "fr": (
            "Chevauchement de {value} m² ({items}) : une surface ne se superpose "
            "ni à un bâtiment ni à une autre surface"
        ),
        "en": "{value} m² of overlap ({items}): a surface may not overlap a building or another surface",
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
    # --- data commands (zacviz lots / zones)
    "data.added": {"fr": "lot {lot} ajouté", "en": "lot {lot} added"},
    "data.removed": {"fr": "lot {lot} supprimé", "en": "lot {lot} removed"},
    "data.changed": {"fr": "lot {lot} modifié", "en": "lot {lot} changed"},
    "data.zone_added": {
        "fr": "+ site.toml : table [zones.{zone}] ajoutée, règles en commentaire (à renseigner)",
        "en": "+ site.toml: table [zones.{zone}] added, its rules commented out (to fill in)",
    },
    "data.summary": {
        "fr": "{added} lot(s) ajouté(s), {changed} modifié(s), {removed} supprimé(s)",
        "en": "{added} lot(s) added, {changed} changed, {removed} removed",
    },
    "data.no_change": {
        "fr": "aucun changement : le site est déjà à jour",
        "en": "no change: the site is up to date",
    },
    "data.dry_run": {
        "fr": "essai à blanc : rien n'est écrit (ajoutez --write pour enregistrer)",
        "en": "dry run: nothing written (add --write to save)",
    },
    "data.written": {"fr": "écrit : {path}", "en": "written: {path}"},
    "data.valid": {"fr": "ok : site {site} valide, {lots} lots", "en": "ok: site {site} valid, {lots} lots"},
    "data.exported": {
        "fr": "ok : {path} ({lots} terrains TERRAIN-ECO, validé par le schéma publié)",
        "en": "ok: {path} ({lots} TERRAIN-ECO plots, validated against the published schema)",
    },
    "data.site_id_fallback": {
        "fr": "note : site_id = {site_id} (donnez --site-id ou cnig_site_id dans site.toml)",
        "en": "note: site_id = {site_id} (give --site-id or set cnig_site_id in site.toml)",
    },
    "report.status.not_for_sale": {"fr": "hors commercialisation", "en": "not for sale"},
    # --- printable project sheet (zacviz report)
    "report.title": {"fr": "Fiche projet", "en": "Project sheet"},
    "report.subtitle": {"fr": "Étude d'implantation indicative", "en": "Indicative site study"},
    "report.date": {"fr": "Édité le {date}", "en": "Printed on {date}"},
    "report.months": {
        "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
        "en": "January February March April May June July August September October November December",
    },
    "report.untitled": {"fr": "Projet sans titre", "en": "Untitled project"},
    "report.lot_heading": {"fr": "Le lot", "en": "The lot"},
    "report.lot": {"fr": "Lot", "en": "Lot"},
    "report.lot_name": {"fr": "Nom", "en": "Name"},
    "report.zone": {"fr": "Zone du règlement", "en": "Planning zone"},
    "report.lot_area": {"fr": "Surface du lot", "en": "Lot area"},
    "report.status": {"fr": "Disponibilité", "en": "Availability"},
    "report.status.available": {"fr": "disponible", "en": "available"},
    "report.status.reserved": {"fr": "réservé", "en": "reserved"},
    "report.status.sold": {"fr": "vendu", "en": "sold"},
    "report.price_m2": {"fr": "Prix indicatif", "en": "Indicative price"},
    "report.price_estimate": {"fr": "Estimation du prix du lot", "en": "Estimated price of the lot"},
    "report.price_estimate_note": {
        "fr": "{area} m² × {price} €/m²",
        "en": "{area} m² × €{price}/m²",
    },
    "report.price_on_request": {"fr": "sur demande", "en": "on request"},
    "report.metrics_heading": {"fr": "Le projet en chiffres", "en": "The project in figures"},
    "report.buildings_count": {"fr": "Bâtiments", "en": "Buildings"},
    "report.more_buildings": {"fr": "… et {n} autre(s)", "en": "… and {n} more"},
    "report.building": {"fr": "{id} — {use}", "en": "{id} — {use}"},
    "report.building_figures": {
        "fr": "{height} m · {storeys} · {area} m²",
        "en": "{height} m · {storeys} · {area} m²",
    },
    "report.storeys_one": {"fr": "1 niveau", "en": "1 storey"},
    "report.storeys_many": {"fr": "{n} niveaux", "en": "{n} storeys"},
    "report.use.office": {"fr": "bureaux", "en": "offices"},
    "report.use.workshop": {"fr": "atelier", "en": "workshop"},
    "report.use.warehouse": {"fr": "entrepôt", "en": "warehouse"},
    "report.use.retail": {"fr": "commerce", "en": "retail"},
    "report.stalls": {"fr": "{n} places", "en": "{n} stalls"},
    "report.plan_caption": {
        "fr": "Plan du lot — en rouge, ce qui ne respecte pas le règlement",
        "en": "Plan of the lot — in red, what breaks the rules",
    },
    "report.view3d_caption": {
        "fr": "Vue 3D du projet sur son lot",
        "en": "3D view of the project on its lot",
    },
    "report.no_3d": {
        "fr": "Vue 3D non disponible sur cet ordinateur (pas d'affichage OpenGL) : seul le plan est montré.",
        "en": "3D view not available on this computer (no OpenGL display): only the plan is shown.",
    },
    "report.no_plan": {
        "fr": "Plan non disponible sur cet ordinateur ({reason}).",
        "en": "Plan not available on this computer ({reason}).",
    },
    "report.rules_heading": {"fr": "Vérification des règles d'urbanisme", "en": "Planning rules check"},
    "report.col_rule": {"fr": "Règle", "en": "Rule"},
    "report.col_value": {"fr": "Projet", "en": "Project"},
    "report.col_limit": {"fr": "Règlement", "en": "Rule limit"},
    "report.col_result": {"fr": "Résultat", "en": "Result"},
    "report.col_explanation": {"fr": "Explication", "en": "Explanation"},
    "report.pass": {"fr": "respectée", "en": "met"},
    "report.fail": {"fr": "NON RESPECTÉE", "en": "NOT MET"},
    "report.verdict_ok": {
        "fr": "Projet conforme aux {n} règles vérifiées",
        "en": "The project meets the {n} rules checked",
    },
    "report.verdict_fail": {
        "fr": "Projet non conforme : {n} règle(s) sur {total} à revoir",
        "en": "Project not compliant: {n} of {total} rule(s) to revise",
    },
    "report.qr_caption": {
        "fr": "Scannez ce code pour voir le projet en 3D sur votre téléphone",
        "en": "Scan this code to see the project in 3D on your phone",
    },
    "report.qr_too_large": {
        "fr": "Projet trop détaillé pour tenir dans un QR code : ouvrez son fichier dans zacviz.",
        "en": "The project is too detailed for a QR code: open its file in zacviz.",
    },
    "report.disclaimer": {
        "fr": "Vérification indicative, établie d'après le projet saisi : elle ne vaut pas autorisation "
        "d'urbanisme. Le règlement d'urbanisme en vigueur prévaut ; seule l'instruction du permis de "
        "construire fait foi.",
        "en": "Indicative check, made from the project as entered: it is not a planning permission. "
        "The planning rules in force prevail; only the examination of the building permit is binding.",
    },
    "report.page": {"fr": "page {n}", "en": "page {n}"},
    "report.menu": {"fr": "Exporter la fiche &PDF…", "en": "Export &PDF sheet…"},
    "report.dialog_title": {"fr": "Exporter la fiche projet (PDF)", "en": "Export the project sheet (PDF)"},
    "report.saved": {"fr": "Fiche PDF enregistrée : {path}", "en": "PDF sheet saved: {path}"},
    "report.no_project": {
        "fr": "Choisissez d'abord un lot et placez-y un projet.",
        "en": "Choose a lot and place a project on it first.",
    },
    # --- starting templates (zacviz.design.templates): the desktop editor's and
    # the kiosk's names (tests/export/test_web_templates.py keeps them equal)
    "template.warehouse": {"fr": "Entrepôt logistique", "en": "Logistics warehouse"},
    "template.workshop": {"fr": "Atelier", "en": "Workshop"},
    "template.offices": {"fr": "Bureaux", "en": "Offices"},
    "template.retail": {"fr": "Showroom / commerce", "en": "Showroom / retail"},
    "template.mixed": {"fr": "Mixte : atelier + bureaux", "en": "Mixed: workshop + offices"},
    "template.warehouse.blurb": {
        "fr": "Grand volume de stockage, quais et cour camions",
        "en": "Large storage volume, docks and truck yard",
    },
    "template.workshop.blurb": {
        "fr": "Production ou maintenance, avec une cour",
        "en": "Production or maintenance, with a yard",
    },
    "template.offices.blurb": {"fr": "Bureaux sur plusieurs niveaux", "en": "Offices on several floors"},
    "template.retail.blurb": {
        "fr": "Magasin ou showroom ouvert au public",
        "en": "Shop or showroom open to the public",
    },
    "template.mixed.blurb": {
        "fr": "Un atelier et ses bureaux accolés",
        "en": "A workshop with its offices attached",
    },
    "template.does_not_fit": {
        "fr": "Le lot {lot} est trop petit pour le modèle « {template} ».",
        "en": "Lot {lot} is too small for the “{template}” template.",
    },
    # --- accessibility statement of the web export (RGAA 4.1 structure)
    "a11y.title": {"fr": "Déclaration d'accessibilité", "en": "Accessibility statement"},
    "a11y.page_title": {
        "fr": "Déclaration d'accessibilité — {park}",
        "en": "Accessibility statement — {park}",
    },
    "a11y.skip": {"fr": "Aller au contenu", "en": "Skip to content"},
    "a11y.back": {"fr": "Retour à la visite du parc", "en": "Back to the park tour"},
    "a11y.other_language": {"fr": "English version", "en": "Version française"},
    "a11y.nav": {"fr": "Navigation", "en": "Navigation"},
    "a11y.illustrative": {"fr": "Données illustratives", "en": "Illustrative data"},
    "a11y.commitment": {
        "fr": "L'éditeur de cette page, {council}, s'engage à rendre ses sites internet, intranet, "
        "extranet et ses progiciels accessibles conformément à l'article 47 de la loi n° 2005-102 du "
        "11 février 2005.",
        "en": "The publisher of this page, {council}, is committed to making its websites, intranets, "
        "extranets and software accessible in accordance with article 47 of French law no. 2005-102 "
        "of 11 February 2005.",
    },
    "a11y.scope": {
        "fr": "Cette déclaration d'accessibilité s'applique à la page « {park} — visite 3D et "
        "préparation de projet ».",
        "en": "This accessibility statement applies to the page “{park} — 3D tour and project preparation”.",
    },
    "a11y.scope_url": {"fr": "Adresse de la page :", "en": "Address of the page:"},
    "a11y.status_heading": {"fr": "État de conformité", "en": "Compliance status"},
    "a11y.status": {
        "fr": "La page « {park} » est non conforme avec le référentiel général d'amélioration de "
        "l'accessibilité (RGAA), version 4.1 : aucun audit de conformité au RGAA n'a encore été "
        "réalisé.",
        "en": "The page “{park}” is not compliant with the French accessibility standard RGAA "
        "(référentiel général d'amélioration de l'accessibilité), version 4.1: no RGAA compliance "
        "audit has been carried out yet.",
    },
    "a11y.results_heading": {"fr": "Résultats des tests", "en": "Test results"},
    "a11y.not_audited": {
        "fr": "Non audité : aucun contrôle d'accessibilité, automatique ou manuel, n'a encore été "
        "enregistré pour cette page.",
        "en": "Not audited: no accessibility test, automatic or manual, has been recorded for this page yet.",
    },
    "a11y.automatic": {
        "fr": "Contrôle automatique du {date} avec {tool} (règles {rulesets}) : {violations} "
        "non-conformité(s) relevée(s).",
        "en": "Automatic test of {date} with {tool} (rules {rulesets}): {violations} violation(s) found.",
    },
    "a11y.automatic_states": {
        "fr": "États de la page contrôlés : {states}.",
        "en": "States of the page tested: {states}.",
    },
    "a11y.automatic_limit": {
        "fr": "Un contrôle automatique ne vérifie qu'une partie des critères du RGAA : il ne remplace "
        "pas un audit et ne permet pas de calculer un taux de conformité.",
        "en": "An automatic test checks only part of the RGAA criteria: it does not replace an audit "
        "and gives no compliance rate.",
    },
    "a11y.unknown": {"fr": "non précisé", "en": "not stated"},
    "a11y.inaccessible_heading": {"fr": "Contenus non accessibles", "en": "Non-accessible content"},
    "a11y.non_compliance_heading": {"fr": "Non-conformités", "en": "Non-compliance"},
    "a11y.no_known_issue": {
        "fr": "Aucune non-conformité relevée par le dernier contrôle automatique.",
        "en": "No violation found by the latest automatic test.",
    },
    "a11y.issues_not_known": {
        "fr": "Non audité : les non-conformités de la page ne sont pas encore connues.",
        "en": "Not audited: the page's non-compliances are not known yet.",
    },
    "a11y.derogations_heading": {
        "fr": "Dérogations pour charge disproportionnée",
        "en": "Disproportionate burden",
    },
    "a11y.derogations": {"fr": "Aucune dérogation n'est invoquée.", "en": "No exemption is claimed."},
    "a11y.exempt_heading": {
        "fr": "Contenus non soumis à l'obligation d'accessibilité",
        "en": "Content not subject to the accessibility requirements",
    },
    "a11y.exempt": {
        "fr": "La vue 3D et l'image aérienne du parc sont des contenus cartographiques. Les "
        "informations essentielles qu'elles portent (lots, surfaces, disponibilité, règles "
        "d'urbanisme, résultat des contrôles) sont aussi données en texte dans le panneau de la page.",
        "en": "The 3D view and the aerial image of the park are map content. The essential "
        "information they carry (lots, areas, availability, planning rules, results of the checks) "
        "is also given as text in the page's panel.",
    },
    "a11y.making_heading": {
        "fr": "Établissement de cette déclaration d'accessibilité",
        "en": "Preparation of this accessibility statement",
    },
    "a11y.made_on": {
        "fr": "Cette déclaration a été établie le {date}, à la publication de la page, à partir du "
        "dernier contrôle enregistré.",
        "en": "This statement was prepared on {date}, when the page was published, from the latest "
        "recorded test.",
    },
    "a11y.technologies_heading": {
        "fr": "Technologies utilisées pour la réalisation de la page",
        "en": "Technologies used to build the page",
    },
    "a11y.environment_heading": {"fr": "Environnement de test", "en": "Test environment"},
    "a11y.viewports": {"fr": "Tailles d'écran : {viewports}", "en": "Screen sizes: {viewports}"},
    "a11y.browser": {"fr": "Navigateur : {browser}", "en": "Browser: {browser}"},
    "a11y.tools_heading": {
        "fr": "Outils pour évaluer l'accessibilité",
        "en": "Tools used to evaluate accessibility",
    },
    "a11y.none_yet": {"fr": "Non audité : aucun à ce jour.", "en": "Not audited: none so far."},
    "a11y.contact_heading": {"fr": "Retour d'information et contact", "en": "Feedback and contact"},
    "a11y.contact": {
        "fr": "Si vous n'arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter le "
        "responsable du site ({council}) pour être orienté vers une alternative accessible ou obtenir "
        "le contenu sous une autre forme.",
        "en": "If you cannot access a piece of content or a service, you can contact the site's "
        "manager ({council}) to be directed to an accessible alternative or to obtain the content in "
        "another form.",
    },
    "a11y.email": {"fr": "Courriel :", "en": "E-mail:"},
    "a11y.no_email": {
        "fr": "Courriel : non renseigné (adresse à déclarer dans la configuration du site).",
        "en": "E-mail: not given (the address is to be set in the site's configuration).",
    },
    "a11y.recourse_heading": {"fr": "Voies de recours", "en": "Remedies"},
    "a11y.recourse": {
        "fr": "Cette procédure est à utiliser dans le cas suivant : vous avez signalé au responsable "
        "du site un défaut d'accessibilité qui vous empêche d'accéder à un contenu ou à un des "
        "services et vous n'avez pas obtenu de réponse satisfaisante.",
        "en": "Use this procedure if you have reported to the site's manager an accessibility defect "
        "that prevents you from accessing a piece of content or a service, and you have not received "
        "a satisfactory answer.",
    },
    "a11y.recourse_form": {
        "fr": "Écrire un message au Défenseur des droits",
        "en": "Write a message to the Défenseur des droits (French rights ombudsman)",
    },
    "a11y.recourse_delegate": {
        "fr": "Contacter le délégué du Défenseur des droits dans votre région",
        "en": "Contact the Défenseur des droits delegate in your region",
    },
    "a11y.recourse_mail": {
        "fr": "Envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) :",
        "en": "Send a letter by post (free of charge, no stamp needed):",
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
