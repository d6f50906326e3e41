"""The side panels: the lot, the selected building or surface, the live checks.

Panels show what the window gives them and report edits as signals; they never
keep a copy of the project. Model → widget updates block the widgets' signals so
that showing a value never writes it back.
"""

from __future__ import annotations

import math
from dataclasses import replace

from PySide6.QtCore import QEvent, QRect, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from zacviz.design.templates import TEMPLATES
from zacviz.geometry.footprint import footprint_area
from zacviz.geometry.parking import stall_layout
from zacviz.i18n import fmt_number, fmt_percent, language
from zacviz.model.project import ROOFS, SURFACE_KINDS, USES, Building, RectFootprint, Surface, wrap_angle
from zacviz.model.site import Lot
from zacviz.rules.results import CheckResult
from zacviz.ui.labels import roof_label, status_label, surface_label, template_label, use_label

OK_COLOUR = QColor(30, 150, 60)
FAIL_COLOUR = QColor(200, 40, 40)


def _title(text: str = "") -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.15)
    label.setFont(font)
    return label


TYPING_RANGE = 1e6
"""What a size box lets one type: any figure, so that one out of its limits is
refused with a message rather than silently clamped ("-10" is not 10 m)."""


def _spin(decimals: int, lo: float, hi: float, suffix: str, step: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setDecimals(decimals)
    box.setRange(-TYPING_RANGE, TYPING_RANGE)
    box.setProperty("limits", (lo, hi))
    box.setSuffix(suffix)
    box.setSingleStep(step)
    box.setKeyboardTracking(False)
    box.setAccelerated(True)
    return box


class LotPanel(QWidget):
    """The lot shown (clicked on the plan): figures, rules, templates."""

    start_project = Signal(str)
    template_requested = Signal(str)

    def __init__(self, parent=None, notices: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self.lot: Lot | None = None
        self.project_lot: str | None = None
        layout = QVBoxLayout(self)
        self.heading = _title()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        self.form = QFormLayout()
        self.values: dict[str, QLabel] = {}
        self.names: dict[str, QLabel] = {}
        for key in ("id", "name", "area", "zone", "status", "price", "estimate"):
            self.names[key] = QLabel()
            self.values[key] = QLabel()
            self.values[key].setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.form.addRow(self.names[key], self.values[key])
        layout.addLayout(self.form)
        self.rules_heading = _title()
        self.rules = QLabel()
        self.rules.setWordWrap(True)
        self.rules.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.rules_heading)
        layout.addWidget(self.rules)
        self.start_button = QPushButton()
        self.start_button.clicked.connect(self._on_start)
        layout.addWidget(self.start_button)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        layout.addWidget(line)
        self.template_heading = _title()
        layout.addWidget(self.template_heading)
        row = QHBoxLayout()
        self.template_box = QComboBox()
        for tid in TEMPLATES:
            self.template_box.addItem("", tid)
        self.template_button = QPushButton()
        self.template_button.clicked.connect(self._on_template)
        row.addWidget(self.template_box, 1)
        row.addWidget(self.template_button)
        layout.addLayout(row)
        layout.addStretch(1)
        # The site's own warning (illustrative data...), in the site's words,
        # by language (the English one when the site gives it).
        self.notices = dict(notices or {})
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #b35c00; font-style: italic;")
        layout.addWidget(self.notice)
        self.retranslate()

    def changeEvent(self, ev) -> None:
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)

    def retranslate(self) -> None:
        notice = self.notices.get(language(), "")
        self.notice.setText(notice)
        self.notice.setVisible(bool(notice))
        self.rules_heading.setText(self.tr("Règles du lot"))
        self.template_heading.setText(self.tr("Partir d'un modèle"))
        self.template_button.setText(self.tr("Appliquer"))
        self.template_button.setToolTip(
            self.tr("Remplace les bâtiments et surfaces du projet par un modèle conforme")
        )
        self.start_button.setText(self.tr("Nouveau projet sur ce lot"))
        names = {
            "id": self.tr("Lot"),
            "name": self.tr("Nom"),
            "area": self.tr("Surface"),
            "zone": self.tr("Zone"),
            "status": self.tr("Statut"),
            "price": self.tr("Prix"),
            "estimate": self.tr("Estimation"),
        }
        for key, label in self.names.items():
            label.setText(names[key])
        for i in range(self.template_box.count()):
            self.template_box.setItemText(i, template_label(self.template_box.itemData(i)))
        self.show_lot(self.lot, self.project_lot)

    def show_lot(self, lot: Lot | None, project_lot: str | None) -> None:
        self.lot = lot
        self.project_lot = project_lot
        has = lot is not None
        for key in self.values:
            self.names[key].setVisible(has)
            self.values[key].setVisible(has)
        self.rules_heading.setVisible(has)
        self.rules.setVisible(has)
        on_project = has and lot.id == project_lot
        self.template_box.setEnabled(bool(project_lot))
        self.template_button.setEnabled(bool(project_lot))
        if lot is None:
            self.heading.setText(self.tr("Aucun lot choisi"))
            self.hint.setText(self.tr("Cliquez sur un lot disponible (en vert) pour y démarrer un projet."))
            self.hint.show()
            self.start_button.hide()
            return
        self.heading.setText(lot.name or self.tr("Lot %1").replace("%1", lot.id))
        if on_project:
            self.hint.setText(self.tr("Le projet est sur ce lot."))
        elif lot.status != "available":
            self.hint.setText(self.tr("Ce lot n'est pas disponible."))
        else:
            self.hint.setText(self.tr("Lot disponible."))
        self.hint.show()
        self.start_button.setVisible(not on_project)
        self.start_button.setEnabled(lot.status == "available")
        v = self.values
        v["id"].setText(lot.id)
        v["name"].setText(lot.name or "—")
        v["area"].setText(f"{fmt_number(lot.area_m2, 0)} m²")
        v["zone"].setText(lot.zone)
        v["status"].setText(status_label(lot.status))
        if lot.price_eur_m2 is not None:
            v["price"].setText(f"{fmt_number(lot.price_eur_m2, 0)} €/m²")
            v["estimate"].setText(
                self.tr("%1 € HT").replace("%1", fmt_number(lot.price_estimate_eur or 0.0, 0))
            )
        else:
            v["price"].setText("—")
            v["estimate"].setText("—")
        self.rules.setText(self._rules_text(lot))

    def _rules_text(self, lot: Lot) -> str:
        r = lot.rules
        rows = []
        if r.max_coverage is not None:
            rows.append(self.tr("Emprise au sol max. : %1").replace("%1", fmt_percent(r.max_coverage, 0)))
        if r.max_height_m is not None:
            rows.append(self.tr("Hauteur max. : %1 m").replace("%1", fmt_number(r.max_height_m, 1)))
        if r.min_setback_road_m is not None:
            rows.append(self.tr("Recul sur voie : %1 m").replace("%1", fmt_number(r.min_setback_road_m, 1)))
        if r.side_setback_for(0.0) is not None:
            text = self.tr("Recul sur limites : %1 m").replace(
                "%1", fmt_number(r.min_setback_side_m or 0.0, 1)
            )
            if r.side_setback_height_ratio:
                text += self.tr(" et H × %1").replace("%1", fmt_number(r.side_setback_height_ratio, 2))
            rows.append(text)
        if r.min_building_spacing_m is not None:
            rows.append(
                self.tr("Distance entre bâtiments : %1 m").replace(
                    "%1", fmt_number(r.min_building_spacing_m, 1)
                )
            )
        if r.min_green_ratio is not None:
            rows.append(self.tr("Espaces verts min. : %1").replace("%1", fmt_percent(r.min_green_ratio, 0)))
        if r.max_floor_area_m2 is not None:
            rows.append(
                self.tr("Surface de plancher max. : %1 m²").replace("%1", fmt_number(r.max_floor_area_m2, 0))
            )
        if r.parking_m2_per_stall:
            parts = [
                f"{use_label(u)} {fmt_number(m2, 0)} m²" for u, m2 in sorted(r.parking_m2_per_stall.items())
            ]
            rows.append(self.tr("Une place par : %1").replace("%1", ", ".join(parts)))
        return "<br>".join(f"• {row}" for row in rows)

    def _on_start(self) -> None:
        if self.lot is not None:
            self.start_project.emit(self.lot.id)

    def _on_template(self) -> None:
        self.template_requested.emit(self.template_box.currentData())


class TitleField(QWidget):
    """The project's title (the PDF sheet's heading), edited as one command."""

    title_edited = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.edit = QLineEdit()
        self.edit.setObjectName("project_title")
        self.edit.setMaxLength(200)  # SPEC §2
        self.edit.setClearButtonEnabled(True)
        self.edit.editingFinished.connect(lambda: self.title_edited.emit(self.edit.text()))
        layout.addWidget(self.label)
        layout.addWidget(self.edit, 1)
        self.retranslate()

    def changeEvent(self, ev) -> None:
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)

    def retranslate(self) -> None:
        self.label.setText(self.tr("Titre"))
        self.edit.setPlaceholderText(self.tr("Titre du projet (en tête de la fiche PDF)"))

    def show_title(self, title: str, enabled: bool) -> None:
        """Show the project's title (signals blocked: showing never edits)."""
        blocker = QSignalBlocker(self.edit)
        if self.edit.text() != title:
            self.edit.setText(title)
        self.edit.setEnabled(enabled)
        del blocker


class ItemPanel(QWidget):
    """Parameters of the selected building or surface."""

    edited = Signal(str, object)  # command label, the new Building or Surface
    refused = Signal(str)  # a typed value out of its limits, said in a sentence
    duplicate_requested = Signal()
    delete_requested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.item: Building | Surface | None = None
        self.stalls_count: int | None = None
        layout = QVBoxLayout(self)
        self.heading = _title()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        self.form = QFormLayout()
        self.id_edit = QLineEdit()
        self.id_edit.editingFinished.connect(self._on_id)
        self.use_box = QComboBox()
        for u in USES:
            self.use_box.addItem("", u)
        self.use_box.activated.connect(self._on_use)
        self.kind_box = QComboBox()
        for k in SURFACE_KINDS:
            self.kind_box.addItem("", k)
        self.kind_box.activated.connect(self._on_kind)
        self.width_box = _spin(2, 1.0, 2000.0, " m", 0.5)
        self.depth_box = _spin(2, 1.0, 2000.0, " m", 0.5)
        self.angle_box = _spin(1, -180.0, 180.0, " °", 1.0)
        self.angle_box.setRange(-180.0, 180.0)  # any angle is an angle: it wraps
        self.angle_box.setProperty("limits", None)
        self.angle_box.setWrapping(True)
        self.height_box = _spin(2, 0.5, 200.0, " m", 0.5)
        self.storeys_box = QSpinBox()
        self.storeys_box.setRange(-int(TYPING_RANGE), int(TYPING_RANGE))
        self.storeys_box.setProperty("limits", (1, 60))
        self.storeys_box.setKeyboardTracking(False)
        self.roof_box = QComboBox()
        for r in ROOFS:
            self.roof_box.addItem("", r)
        self.roof_box.activated.connect(self._on_roof)
        self.stalls_label = QLabel()
        self.area_label = QLabel()
        for box, name in (
            (self.width_box, "width"),
            (self.depth_box, "depth"),
            (self.angle_box, "angle_deg"),
        ):
            box.valueChanged.connect(lambda value, n=name: self._on_rect(n, value))
        self.height_box.valueChanged.connect(self._on_height)
        self.storeys_box.valueChanged.connect(self._on_storeys)
        self.rows: dict[str, tuple[QLabel, QWidget]] = {}
        for key, widget in (
            ("id", self.id_edit),
            ("use", self.use_box),
            ("kind", self.kind_box),
            ("width", self.width_box),
            ("depth", self.depth_box),
            ("angle", self.angle_box),
            ("height", self.height_box),
            ("storeys", self.storeys_box),
            ("roof", self.roof_box),
            ("area", self.area_label),
            ("stalls", self.stalls_label),
        ):
            label = QLabel()
            self.rows[key] = (label, widget)
            self.form.addRow(label, widget)
        layout.addLayout(self.form)
        buttons = QHBoxLayout()
        self.duplicate_button = QPushButton()
        self.delete_button = QPushButton()
        self.duplicate_button.clicked.connect(self.duplicate_requested)
        self.delete_button.clicked.connect(self.delete_requested)
        buttons.addWidget(self.duplicate_button)
        buttons.addWidget(self.delete_button)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.retranslate()

    def changeEvent(self, ev) -> None:
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)

    def retranslate(self) -> None:
        names = {
            "id": self.tr("Identifiant"),
            "use": self.tr("Usage"),
            "kind": self.tr("Type"),
            "width": self.tr("Largeur"),
            "depth": self.tr("Profondeur"),
            "angle": self.tr("Orientation"),
            "height": self.tr("Hauteur"),
            "storeys": self.tr("Niveaux"),
            "roof": self.tr("Toiture"),
            "area": self.tr("Surface"),
            "stalls": self.tr("Places (calepinage)"),
        }
        for key, (label, _) in self.rows.items():
            label.setText(names[key])
        for i in range(self.use_box.count()):
            self.use_box.setItemText(i, use_label(self.use_box.itemData(i)))
        for i in range(self.kind_box.count()):
            self.kind_box.setItemText(i, surface_label(self.kind_box.itemData(i)))
        for i in range(self.roof_box.count()):
            self.roof_box.setItemText(i, roof_label(self.roof_box.itemData(i)))
        self.duplicate_button.setText(self.tr("Dupliquer"))
        self.delete_button.setText(self.tr("Supprimer"))
        self.show_item(self.item, self.stalls_count)

    def _set_row(self, key: str, visible: bool) -> None:
        label, widget = self.rows[key]
        label.setVisible(visible)
        widget.setVisible(visible)

    def show_item(self, item: Building | Surface | None, stalls: int | None = None) -> None:
        """Show ``item`` (signals blocked: showing never edits)."""
        self.item = item
        self.stalls_count = stalls
        blockers = [
            QSignalBlocker(w)
            for w in (
                self.id_edit,
                self.use_box,
                self.kind_box,
                self.width_box,
                self.depth_box,
                self.angle_box,
                self.height_box,
                self.storeys_box,
                self.roof_box,
            )
        ]
        try:
            self._fill(item, stalls)
        finally:
            del blockers

    def _fill(self, item: Building | Surface | None, stalls: int | None) -> None:
        if item is None:
            self.heading.setText(self.tr("Aucune sélection"))
            self.hint.setText(
                self.tr(
                    "Cliquez sur un bâtiment ou une surface pour le modifier ; faites-le glisser pour le déplacer, tirez ses poignées pour le redimensionner ou le pivoter."  # noqa: E501
                )
            )
            self.hint.show()
            for key in self.rows:
                self._set_row(key, False)
            self.duplicate_button.setEnabled(False)
            self.delete_button.setEnabled(False)
            return
        self.hint.hide()
        self.duplicate_button.setEnabled(True)
        self.delete_button.setEnabled(True)
        is_building = isinstance(item, Building)
        fp = item.footprint
        is_rect = isinstance(fp, RectFootprint)
        if is_building:
            self.heading.setText(self.tr("Bâtiment %1").replace("%1", item.id))
        else:
            self.heading.setText(self.tr("Surface %1").replace("%1", item.id))
        self.id_edit.setText(item.id)
        for key in ("use", "height", "storeys", "roof"):
            self._set_row(key, is_building)
        self._set_row("kind", not is_building)
        for key in ("width", "depth", "angle"):
            self._set_row(key, is_rect)
        self._set_row("id", True)
        self._set_row("area", True)
        if is_rect:
            self.width_box.setValue(fp.width)
            self.depth_box.setValue(fp.depth)
            self.angle_box.setValue(wrap_angle(fp.angle_deg))
        area = footprint_area(fp)
        if isinstance(item, Building):
            self.use_box.setCurrentIndex(max(0, self.use_box.findData(item.use)))
            self.height_box.setValue(item.height_m)
            self.storeys_box.setValue(item.storeys)
            self.roof_box.setCurrentIndex(max(0, self.roof_box.findData(item.roof)))
            self.area_label.setText(
                self.tr("%1 m² au sol, %2 m² de plancher")
                .replace("%1", fmt_number(area, 0))
                .replace("%2", fmt_number(area * item.storeys, 0))
            )
            self._set_row("stalls", False)
        else:
            self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(item.kind)))
            self.area_label.setText(f"{fmt_number(area, 0)} m²")
            parking = item.kind == "parking"
            self._set_row("stalls", parking)
            if parking:
                laid = stall_layout(fp).count
                if item.stalls is not None and item.stalls != laid:
                    self.stalls_label.setText(
                        self.tr("%1 (déclarées ; %2 au calepinage)")
                        .replace("%1", str(item.stalls))
                        .replace("%2", str(laid))
                    )
                else:
                    self.stalls_label.setText(str(laid))

    # ------------------------------------------------------ widget → model

    def _emit(self, label: str, new_item: Building | Surface) -> None:
        if self.item is not None and new_item != self.item:
            self.edited.emit(label, new_item)

    def _on_id(self) -> None:
        if self.item is None:
            return
        text = self.id_edit.text().strip()
        if not text or text == self.item.id:
            self.id_edit.setText(self.item.id)
            return
        self._emit(self.tr("Renommer %1").replace("%1", self.item.id), replace(self.item, id=text))

    def _on_use(self, index: int) -> None:
        if isinstance(self.item, Building):
            label = self.tr("Usage de %1").replace("%1", self.item.id)
            self._emit(label, replace(self.item, use=self.use_box.itemData(index)))

    def _on_kind(self, index: int) -> None:
        if isinstance(self.item, Surface):
            kind = self.kind_box.itemData(index)
            stalls = self.item.stalls if kind == "parking" else None
            label = self.tr("Type de %1").replace("%1", self.item.id)
            self._emit(label, replace(self.item, kind=kind, stalls=stalls))

    def _on_roof(self, index: int) -> None:
        if isinstance(self.item, Building):
            label = self.tr("Toiture de %1").replace("%1", self.item.id)
            self._emit(label, replace(self.item, roof=self.roof_box.itemData(index)))

    def _within_limits(self, box: QDoubleSpinBox | QSpinBox, name: str, value: float) -> bool:
        """True if ``value`` is within the box's limits; else say so and show the item again."""
        limits = box.property("limits")
        if limits is None:
            return True
        lo, hi = limits
        if lo <= value <= hi:
            return True
        decimals = box.decimals() if isinstance(box, QDoubleSpinBox) else 0
        self.refused.emit(
            self.tr("%1 : %2 refusé, entre %3 et %4")
            .replace("%1", name)
            .replace("%2", fmt_number(value, decimals))
            .replace("%3", fmt_number(lo, decimals))
            .replace("%4", fmt_number(hi, decimals))
        )
        self.show_item(self.item, self.stalls_count)
        return False

    def _on_rect(self, name: str, value: float) -> None:
        if self.item is None or not isinstance(self.item.footprint, RectFootprint):
            return
        box = {"width": self.width_box, "depth": self.depth_box, "angle_deg": self.angle_box}[name]
        label_key = {"width": "width", "depth": "depth", "angle_deg": "angle"}[name]
        if not self._within_limits(box, self.rows[label_key][0].text(), value):
            return
        fp = self.item.footprint
        if math.isclose(getattr(fp, name), value, abs_tol=1e-9):
            return
        labels = {
            "width": self.tr("Largeur de %1"),
            "depth": self.tr("Profondeur de %1"),
            "angle_deg": self.tr("Orientation de %1"),
        }
        self._emit(
            labels[name].replace("%1", self.item.id),
            replace(self.item, footprint=replace(fp, **{name: value})),
        )

    def _on_height(self, value: float) -> None:
        if isinstance(self.item, Building) and self._within_limits(
            self.height_box, self.rows["height"][0].text(), value
        ):
            label = self.tr("Hauteur de %1").replace("%1", self.item.id)
            self._emit(label, replace(self.item, height_m=value))

    def _on_storeys(self, value: int) -> None:
        if isinstance(self.item, Building) and self._within_limits(
            self.storeys_box, self.rows["storeys"][0].text(), value
        ):
            label = self.tr("Niveaux de %1").replace("%1", self.item.id)
            self._emit(label, replace(self.item, storeys=int(value)))


_TEXT = QPalette.ColorRole.Text
_HIGHLIGHT = QPalette.ColorRole.Highlight
_HIGHLIGHTED_TEXT = QPalette.ColorRole.HighlightedText
_ROW = QStyle.ControlElement.CE_ItemViewItem


class _RowPictures(QStyledItemDelegate):
    """Paints each row of a list from a picture of it, drawn by the style and
    kept while its text, size, state and colours stay the same.

    A word-wrapped row is laid out again each time it is painted: the checks
    list took as long to repaint after an edit as the plan. The rows an edit
    changes are drawn anew, the others blitted."""

    KEEP = 64

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._pictures: dict[tuple, QPixmap] = {}

    def paint(self, painter: QPainter, option, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        rect = QRect(opt.rect)  # a copy: opt.rect is set below, and the row is drawn at ``rect``
        dpr = painter.device().devicePixelRatioF()
        pal = opt.palette
        key = (
            opt.text,
            rect.width(),
            rect.height(),
            opt.state,
            opt.features,
            opt.font.key(),
            pal.color(_TEXT).rgba(),  # the row's colour (its foreground), then the selection's
            pal.color(_HIGHLIGHT).rgba(),
            pal.color(_HIGHLIGHTED_TEXT).rgba(),
            dpr,
        )
        picture = self._pictures.get(key)
        if picture is None:
            if len(self._pictures) >= self.KEEP:
                self._pictures.clear()
            picture = QPixmap(max(1, round(rect.width() * dpr)), max(1, round(rect.height() * dpr)))
            picture.setDevicePixelRatio(dpr)
            picture.fill(Qt.GlobalColor.transparent)
            p = QPainter(picture)
            opt.rect = rect.translated(-rect.topLeft())
            style = widget.style() if widget is not None else QApplication.style()
            style.drawControl(_ROW, opt, p, widget)
            p.end()
            self._pictures[key] = picture
        painter.drawPixmap(rect.topLeft(), picture)


class ChecksPanel(QWidget):
    """Each rule with ✔/✘ and its message, and the project's figures."""

    rule_selected = Signal(object)  # rule id or None

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.result: CheckResult | None = None
        layout = QVBoxLayout(self)
        self.summary = _title()
        layout.addWidget(self.summary)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.list.setSpacing(2)
        self.list.setItemDelegate(_RowPictures(self.list))
        self.list.currentItemChanged.connect(self._on_current)
        layout.addWidget(self.list, 1)
        self.metrics_heading = _title()
        layout.addWidget(self.metrics_heading)
        self.metrics_form = QFormLayout()
        self.metric_names: dict[str, QLabel] = {}
        self.metric_values: dict[str, QLabel] = {}
        for key in ("footprint", "floor", "green", "parking"):
            self.metric_names[key] = QLabel()
            self.metric_values[key] = QLabel()
            self.metrics_form.addRow(self.metric_names[key], self.metric_values[key])
        layout.addLayout(self.metrics_form)
        self.disclaimer = QLabel()
        self.disclaimer.setWordWrap(True)
        font = QFont(self.disclaimer.font())
        font.setItalic(True)
        font.setPointSizeF(font.pointSizeF() * 0.9)
        self.disclaimer.setFont(font)
        layout.addWidget(self.disclaimer)
        self.retranslate()

    def changeEvent(self, ev) -> None:
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)

    def retranslate(self) -> None:
        self.metrics_heading.setText(self.tr("Chiffres du projet"))
        self.metric_names["footprint"].setText(self.tr("Emprise au sol"))
        self.metric_names["floor"].setText(self.tr("Surface de plancher"))
        self.metric_names["green"].setText(self.tr("Espaces verts"))
        self.metric_names["parking"].setText(self.tr("Places requises / prévues"))
        self.disclaimer.setText(
            self.tr("Vérification indicative : le règlement d'urbanisme en vigueur prévaut.")
        )
        self.set_result(self.result)

    def set_result(self, result: CheckResult | None) -> None:
        """Show a check (None: no project yet); keeps the selected rule if it is still there."""
        self.result = result
        current = self.selected_rule()
        if result is None:
            blocker = QSignalBlocker(self.list)
            self.list.clear()
            self.summary.setText(self.tr("Pas encore de projet"))
            for label in self.metric_values.values():
                label.setText("—")
            del blocker
            return
        failing = len(result.failing)
        if failing == 0:
            self._set_summary(self.tr("✔ Projet conforme"), OK_COLOUR)
        else:
            self._set_summary(self.tr("✘ %n règle(s) non respectée(s)", "", failing), FAIL_COLOUR)
        rows = []
        for r in result.rules:
            mark = "✔" if r.ok else "✘"
            message = r.message()
            rows.append((r.id, f"{mark} {r.title}\n{message}", message, r.ok))
        blocker = QSignalBlocker(self.list)
        same_rules = self.list.count() == len(rows) and all(
            self.list.item(i).data(Qt.ItemDataRole.UserRole) == row[0] for i, row in enumerate(rows)
        )
        if same_rules:
            # An edit changes a few verdicts: the rows are updated in place (a
            # cleared list lays out every word-wrapped row again).
            for i, (_, text, message, ok) in enumerate(rows):
                item = self.list.item(i)
                if item.text() != text or item.toolTip() != message or item.font().bold() == ok:
                    self._fill_rule_item(item, text, message, ok)
            restore = None
        else:
            self.list.clear()
            restore = None
            for rule_id, text, message, ok in rows:
                item = QListWidgetItem()
                item.setData(Qt.ItemDataRole.UserRole, rule_id)
                self._fill_rule_item(item, text, message, ok)
                self.list.addItem(item)
                if rule_id == current:
                    restore = item
            if restore is not None:
                self.list.setCurrentItem(restore)
        del blocker
        m = result.metrics
        self.metric_values["footprint"].setText(
            f"{fmt_number(m.footprint_m2, 0)} m² ({fmt_percent(m.coverage)})"
        )
        self.metric_values["floor"].setText(f"{fmt_number(m.floor_area_m2, 0)} m²")
        self.metric_values["green"].setText(
            f"{fmt_number(m.lot_area_m2 - m.sealed_m2, 0)} m² ({fmt_percent(m.green_ratio)})"
        )
        self.metric_values["parking"].setText(f"{m.parking_required} / {m.parking_provided}")
        if not same_rules and restore is None and current is not None:
            self.rule_selected.emit(None)

    def _set_summary(self, text: str, colour: QColor) -> None:
        self.summary.setText(text)
        sheet = f"color: {colour.name()}"
        if self.summary.styleSheet() != sheet:  # a new style sheet restyles the label
            self.summary.setStyleSheet(sheet)

    @staticmethod
    def _fill_rule_item(item: QListWidgetItem, text: str, message: str, ok: bool) -> None:
        item.setText(text)
        item.setForeground(QBrush(OK_COLOUR if ok else FAIL_COLOUR))
        font = item.font()
        font.setBold(not ok)
        item.setFont(font)
        item.setToolTip(message)

    def selected_rule(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def select_rule(self, rule_id: str | None) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == rule_id:
                self.list.setCurrentItem(item)
                return
        self.list.setCurrentItem(None)

    def _on_current(self, current, previous) -> None:
        self.rule_selected.emit(current.data(Qt.ItemDataRole.UserRole) if current is not None else None)
