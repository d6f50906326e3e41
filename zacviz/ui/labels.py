"""Display names of the model's codes (uses, roofs, surfaces, statuses, templates).

Looked up at call time so that a language switch shows through at once.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate


def use_label(use: str) -> str:
    return {
        "office": translate("labels", "Bureaux"),
        "workshop": translate("labels", "Atelier"),
        "warehouse": translate("labels", "Entrepôt"),
        "retail": translate("labels", "Commerce / showroom"),
    }.get(use, use)


def roof_label(roof: str) -> str:
    return {
        "flat": translate("labels", "Toit plat"),
        "shed": translate("labels", "Monopente"),
        "gable": translate("labels", "Deux pentes"),
        "sawtooth": translate("labels", "Sheds"),
    }.get(roof, roof)


def surface_label(kind: str) -> str:
    return {
        "parking": translate("labels", "Stationnement"),
        "yard": translate("labels", "Cour"),
        "storage": translate("labels", "Stockage"),
    }.get(kind, kind)


def status_label(status: str) -> str:
    return {
        "available": translate("labels", "Disponible"),
        "reserved": translate("labels", "Réservé"),
        "sold": translate("labels", "Vendu"),
        "not_for_sale": translate("labels", "Hors commercialisation"),
    }.get(status, status)


def template_label(template_id: str) -> str:
    return {
        "warehouse": translate("labels", "Entrepôt logistique"),
        "workshop": translate("labels", "Atelier"),
        "offices": translate("labels", "Bureaux"),
        "retail": translate("labels", "Showroom / commerce"),
        "mixed": translate("labels", "Mixte : atelier + bureaux"),
    }.get(template_id, template_id)
