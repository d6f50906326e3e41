"""The screens of a visitor's path: attract, lot, template, adjust, share.

Screens draw what the shell gives them and report taps through signals; they
hold no project state of their own (the session's document is the truth).
Texts are French source strings translated by Qt (``kiosk`` context), and each
screen's :meth:`retranslate` refreshes them after a language switch.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QRectF, QSize, QSizeF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QLinearGradient, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from zacviz.design.templates import TEMPLATES
from zacviz.i18n import fmt_number
from zacviz.i18n import tr as core_tr
from zacviz.kiosk.canvas import SiteMap, TouchPlan
from zacviz.kiosk.theme import FAIL, OK, Theme
from zacviz.kiosk.widgets import QrCode, Stepper, Tile, button, label, painting, template_icon
from zacviz.model.project import Project, RectFootprint
from zacviz.model.site import Lot, Site
from zacviz.rules import table
from zacviz.rules.results import CheckResult, RuleResult
from zacviz.ui.labels import status_label, template_label, use_label

translate = QCoreApplication.translate


def panel(theme: Theme) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setProperty("role", "panel")
    lay = QVBoxLayout(frame)
    m = theme.px(26)
    lay.setContentsMargins(m, m, m, m)
    lay.setSpacing(theme.px(16))
    return frame, lay


def direction(theme: Theme) -> QBoxLayout.Direction:
    """Side by side on a landscape screen, stage above controls on a portrait one."""
    return QBoxLayout.Direction.TopToBottom if theme.portrait else QBoxLayout.Direction.LeftToRight


def kinetic(scroll: QScrollArea) -> QScrollArea:
    """A list that scrolls under the finger, without a scroll bar to aim at."""
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    QScroller.grabGesture(scroll.viewport(), QScroller.ScrollerGestureType.TouchGesture)
    return scroll


def lot_title(lot: Lot) -> str:
    name = f" · {lot.name}" if lot.name else ""
    return translate("kiosk", "Lot {id}").format(id=lot.id) + name


def lot_facts(lot: Lot) -> str:
    parts = [f"{fmt_number(lot.area_m2, 0)} m²"]
    if lot.price_eur_m2 is not None:
        parts.append(translate("kiosk", "{price} €/m²").format(price=fmt_number(lot.price_eur_m2, 0)))
    parts.append(status_label(lot.status))
    return "  ·  ".join(parts)


# ------------------------------------------------------------------ attract


class _AttractCover(QWidget):
    """The invitation painted over the orbiting park; any touch starts a session."""

    touched = Signal()

    def __init__(self, theme: Theme, parent: QWidget) -> None:
        super().__init__(parent)
        self.theme = theme
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.title = ""
        self.lines: tuple[str, str] = ("", "")
        self._pressed = False
        self._phase = 0
        self._timer = QTimer(self)
        self._timer.setInterval(60)
        self._timer.timeout.connect(self._tick)

    def set_running(self, on: bool) -> None:
        if on:
            self._timer.start()
        else:
            self._timer.stop()

    def _tick(self) -> None:
        self._phase = (self._phase + 1) % 50
        self.update()

    def event(self, ev: QEvent) -> bool:
        # On release (a finger held in the admin corner opens the PIN pad, not a
        # session), and only of a press made here (not a finger lifted from a
        # screen that has just gone).
        if ev.type() in (QEvent.Type.TouchEnd, QEvent.Type.MouseButtonRelease):
            ev.accept()
            if self._pressed:
                self._pressed = False
                self.touched.emit()
            return True
        if ev.type() in (QEvent.Type.TouchBegin, QEvent.Type.MouseButtonPress):
            ev.accept()
            self._pressed = True
            return True
        if ev.type() == QEvent.Type.TouchUpdate:
            ev.accept()
            return True
        return super().event(ev)

    def paintEvent(self, ev: QPaintEvent) -> None:
        with painting(self) as p:
            self._paint(p)

    def font_for(self, part: str) -> QFont:
        t = self.theme
        font = QFont(self.font())
        size, bold = {"title": (84, True), "subtitle": (40, False), "button": (44, True)}[part]
        font.setPixelSize(t.px(size))
        font.setBold(bold)
        return font

    def text_flags(self) -> int:
        return int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)

    def layout(self) -> dict[str, QRectF]:
        """Where the title, the subtitle and the button go, laid out from the bottom up:
        the button's height, a gap, the subtitle as many lines as it wraps to, the
        title likewise; so that no text ever runs under another, in any orientation.
        The button's rectangle includes its breathing."""
        t = self.theme
        w, h = self.width(), self.height()
        side = t.px(60)
        room = max(1, w - 2 * side)
        flags = self.text_flags()
        grow = t.px(10)

        def wrapped(part: str, text: str, width: int) -> QSizeF:
            fm = QFontMetricsF(self.font_for(part))
            return fm.boundingRect(QRectF(0, 0, width, 100000), flags, text).size()

        pill_h = t.px(120)
        label_w = wrapped("button", self.lines[1], room - 2 * t.px(50)).width()
        pill_w = min(room - 2 * grow, max(t.px(820), label_w + 2 * t.px(60)))
        text = wrapped("button", self.lines[1], int(pill_w - 2 * t.px(40)))
        pill_h = max(pill_h, text.height() + 2 * t.px(20))
        y = h - t.px(70) - pill_h
        pill = QRectF((w - pill_w) / 2, y, pill_w, pill_h)
        sub = wrapped("subtitle", self.lines[0], room)
        sub_rect = QRectF(side, y - grow - t.px(36) - sub.height(), room, sub.height())
        title = wrapped("title", self.title, room)
        title_rect = QRectF(side, sub_rect.top() - t.px(12) - title.height(), room, title.height())
        return {
            "title": title_rect,
            "subtitle": sub_rect,
            "button": pill,
            "breath": pill.adjusted(-grow, -grow, grow, grow),
        }

    def _paint(self, p: QPainter) -> None:
        t = self.theme
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        h = self.height()
        rects = self.layout()
        top = max(0.0, min(h * 0.45, rects["title"].top() - t.px(120)))
        band = QLinearGradient(0, top, 0, h)
        band.setColorAt(0.0, QColor(15, 29, 43, 0))
        band.setColorAt(0.3, QColor(15, 29, 43, 215))
        band.setColorAt(1.0, QColor(15, 29, 43, 245))
        p.fillRect(QRectF(0, top, self.width(), h - top), band)
        flags = self.text_flags()
        p.setPen(QColor("white"))
        p.setFont(self.font_for("title"))
        p.drawText(rects["title"], flags, self.title)
        p.setFont(self.font_for("subtitle"))
        p.drawText(rects["subtitle"], flags, self.lines[0])
        # The call to touch breathes, so that the screen looks alive from afar.
        k = abs(self._phase - 25) / 25.0
        pill = rects["button"]
        grow = t.px(10) * k
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(31, 163, 92, int(180 + 75 * k)))
        radius = min(pill.height(), t.px(120)) / 2
        p.drawRoundedRect(pill.adjusted(-grow, -grow, grow, grow), radius, radius)
        p.setFont(self.font_for("button"))
        p.setPen(QColor("white"))
        p.drawText(pill.adjusted(t.px(40), 0, -t.px(40), 0), flags, self.lines[1])


def highlight_available_lots(view3d: QWidget, site: Site) -> None:
    """Lay a translucent green over the lots for sale in a 3D view of the site."""
    import numpy as np
    import shapely

    from zacviz.geometry.volumes import flat_triangles
    from zacviz.ui.view3d import SceneMesh

    origin = np.asarray(view3d.origin)  # type: ignore[attr-defined]
    lots = [lot.polygon for lot in site.lots if lot.status == "available"]
    if not lots:
        return
    ground = shapely.transform(shapely.union_all(lots), lambda xy: xy - origin)
    tris = flat_triangles(ground, 0.0)
    layer = SceneMesh(lit=False, mode="ground")
    layer.set_triangles(tris, np.tile((0.18, 0.85, 0.45, 0.33), (len(tris), 1)))
    layer.setDepthValue(3.5)  # over the image and shadows, under the volumes
    view3d.addItem(layer)  # type: ignore[attr-defined]


class AttractScreen(QWidget):
    """The park (orbiting in 3D, or breathing on the map) and an invitation to touch."""

    start = Signal()

    def __init__(self, site: Site, theme: Theme, view3d: QWidget | None = None) -> None:
        super().__init__()
        self.site = site
        self.view3d = view3d
        self.map: SiteMap | None = None
        back: QWidget
        if view3d is not None:
            highlight_available_lots(view3d, site)
            back = view3d
        else:
            self.map = SiteMap(site, theme)
            back = self.map
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(back)
        self.cover = _AttractCover(theme, self)
        self.cover.setProperty("floating", True)  # the invitation, painted over the park
        self.cover.touched.connect(self.start)
        self._orbit = QTimer(self)
        self._orbit.setInterval(40)
        self._orbit.timeout.connect(self._step_orbit)
        self.retranslate()

    def set_site(self, site: Site) -> None:
        self.site = site
        if self.map is not None:
            self.map.set_site(site)
        self.retranslate()

    def resizeEvent(self, ev) -> None:
        self.cover.setGeometry(self.rect())
        super().resizeEvent(ev)

    def showEvent(self, ev) -> None:
        self.cover.setGeometry(self.rect())
        super().showEvent(ev)

    def set_running(self, on: bool) -> None:
        """Animate only while shown: an idle kiosk costs little."""
        self.cover.set_running(on)
        if self.map is not None:
            self.map.set_pulse(on)
        if self.view3d is not None:
            if on:
                self.view3d.overview()  # type: ignore[attr-defined]
                self._orbit.start()
            else:
                self._orbit.stop()
        self.cover.raise_()

    def _step_orbit(self) -> None:
        assert self.view3d is not None
        self.view3d.orbit(0.25, 0)  # type: ignore[attr-defined]

    def retranslate(self) -> None:
        self.cover.title = self.site.name
        self.cover.lines = (
            translate("kiosk", "Imaginez votre entreprise ici, en quelques gestes"),
            translate("kiosk", "Touchez l'écran pour commencer"),
        )
        self.cover.update()


# ------------------------------------------------------------------ lots


class LotScreen(QWidget):
    """Choose a lot on the map or in the list; ``lot_viewed`` and ``chosen`` carry its id."""

    lot_viewed = Signal(str)
    chosen = Signal(str)

    def __init__(self, site: Site, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.site = site
        self.current: str | None = None
        self.map = SiteMap(site, theme)
        self.map.lot_tapped.connect(self.view_lot)
        self.heading = label("", "heading")
        self.hint = label("", "soft", wrap=True)
        # Pages rather than a scrolled list: a tap is never taken for a scroll.
        self.list_widget = QWidget()
        self.list_layout = QVBoxLayout(self.list_widget)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.setSpacing(theme.px(12))
        self.page = 0
        self.page_size = 4
        self.order: list[str] = []
        # The list never asks for height: it shows as many cards as fit (resizeEvent).
        self.list_widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.list_widget.installEventFilter(self)
        self.prev_page = button("‹")
        self.next_page = button("›")
        self.page_label = label("", "soft")
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prev_page.clicked.connect(lambda: self.show_page(self.page - 1))
        self.next_page.clicked.connect(lambda: self.show_page(self.page + 1))
        self.detail = label("", wrap=True)
        self.detail.setMinimumHeight(theme.px(70))
        self.go = button("", "primary")
        self.go.clicked.connect(self._go)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.cards: dict[str, object] = {}

        side, col = panel(theme)
        head = QHBoxLayout()
        head.addWidget(self.heading, 1)
        head.addWidget(self.prev_page)
        head.addWidget(self.page_label)
        head.addWidget(self.next_page)
        col.addLayout(head)
        col.addWidget(self.hint)
        col.addWidget(self.list_widget, 1)
        col.addWidget(self.detail)
        col.addWidget(self.go)
        # The map beside the list; on a portrait screen, the map above it.
        lay = QBoxLayout(direction(theme), self)
        m = theme.px(24)
        lay.setContentsMargins(m, m, m, m)
        lay.setSpacing(m)
        lay.addWidget(self.map, 3 if not theme.portrait else 5)
        lay.addWidget(side, 2 if not theme.portrait else 4)
        self._fill()
        self.retranslate()

    def set_site(self, site: Site) -> None:
        self.site = site
        self.map.set_site(site)
        self._fill()
        self.retranslate()

    def _fill(self) -> None:
        for b in list(self.group.buttons()):
            self.group.removeButton(b)
            b.deleteLater()
        while self.list_layout.count():
            item = self.list_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        order = {"available": 0, "reserved": 1, "sold": 2, "not_for_sale": 3}
        self.cards = {}
        lots = sorted(self.site.lots, key=lambda lot: (order.get(lot.status, 3), lot.id))
        self.order = [lot.id for lot in lots]
        for lot in lots:
            card = button("", "card")
            card.setCheckable(True)
            card.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            card.clicked.connect(lambda _=False, lot_id=lot.id: self.view_lot(lot_id))
            self.group.addButton(card)
            self.list_layout.addWidget(card)
            self.cards[lot.id] = card
        self.list_layout.addStretch(1)
        self.show_page(0)

    @property
    def card_height(self) -> int:
        """A card's height as its style makes it (a finger's target plus padding)."""
        card = next(iter(self.cards.values()), None)
        if card is None:
            return self.theme.target
        card.ensurePolished()  # type: ignore[attr-defined]
        return int(card.sizeHint().height())  # type: ignore[attr-defined]

    def eventFilter(self, obj, ev) -> bool:
        if obj is self.list_widget and ev.type() == QEvent.Type.Resize:
            fits = (self.list_widget.height() + self.theme.px(12)) // (self.card_height + self.theme.px(12))
            if max(1, fits) != self.page_size:
                current = self.order.index(self.current) if self.current in self.order else 0
                self.page_size = max(1, fits)
                self.show_page(current // self.page_size)
        return False

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.order) // self.page_size))

    def show_page(self, page: int) -> None:
        self.page = min(max(page, 0), self.pages - 1)
        shown = set(self.order[self.page * self.page_size : (self.page + 1) * self.page_size])
        for lot_id, card in self.cards.items():
            card.setVisible(lot_id in shown)  # type: ignore[attr-defined]
        self.prev_page.setEnabled(self.page > 0)
        self.next_page.setEnabled(self.page < self.pages - 1)
        self.page_label.setText(f"{self.page + 1} / {self.pages}")

    def reset(self) -> None:
        self.current = None
        self.map.select_lot(None)
        self.group.setExclusive(False)
        for b in self.group.buttons():
            b.setChecked(False)
        self.group.setExclusive(True)
        self.show_page(0)
        self.retranslate()

    def view_lot(self, lot_id: str) -> None:
        lot = self.site.lot(lot_id)
        if lot is None:
            return
        self.current = lot_id
        self.map.select_lot(lot_id)
        card = self.cards.get(lot_id)
        if card is not None:
            card.setChecked(True)  # type: ignore[attr-defined]
            self.show_page(self.order.index(lot_id) // self.page_size)
        self.lot_viewed.emit(lot_id)
        self.retranslate()

    def _go(self) -> None:
        if self.current is not None:
            lot = self.site.lot(self.current)
            if lot is not None and lot.status == "available":
                self.chosen.emit(self.current)

    def retranslate(self) -> None:
        self.heading.setText(translate("kiosk", "Choisissez un terrain"))
        self.hint.setText(
            translate("kiosk", "Touchez un lot sur le plan ou dans la liste. En vert : disponible.")
        )
        for lot_id, card in self.cards.items():
            lot = self.site.lot(lot_id)
            if lot is not None:
                card.setText(f"{lot_title(lot)}\n{lot_facts(lot)}")  # type: ignore[attr-defined]
        lot = self.site.lot(self.current) if self.current else None
        if lot is None:
            self.detail.setText(translate("kiosk", "Aucun lot choisi pour l'instant."))
            self.go.setEnabled(False)
        elif lot.status != "available":
            self.detail.setText(
                translate("kiosk", "{lot} n'est plus disponible : choisissez un lot en vert.").format(
                    lot=lot_title(lot)
                )
            )
            self.go.setEnabled(False)
        else:
            price = lot.price_estimate_eur
            text = f"{lot_title(lot)} — {fmt_number(lot.area_m2, 0)} m²"
            if price is not None:
                text += "\n" + translate("kiosk", "Prix indicatif : {price} € HT").format(
                    price=fmt_number(price, 0)
                )
            self.detail.setText(text)
            self.go.setEnabled(True)
        self.go.setText(translate("kiosk", "Continuer avec ce terrain  ›"))


# ------------------------------------------------------------------ templates


def template_blurb(template_id: str) -> str:
    return {
        "warehouse": translate("kiosk", "Grand volume de stockage, quais et cour camions"),
        "workshop": translate("kiosk", "Production ou maintenance, avec une cour"),
        "offices": translate("kiosk", "Bureaux sur plusieurs niveaux"),
        "retail": translate("kiosk", "Magasin ou showroom ouvert au public"),
        "mixed": translate("kiosk", "Un atelier et ses bureaux accolés"),
    }.get(template_id, "")


class TemplateScreen(QWidget):
    """Choose a starting layout; ``chosen`` carries the template id.

    The chosen lot is shown on the aerial photograph: as the screen's backdrop,
    under a veil, on a landscape screen; above the tiles on a portrait one. The
    visitor picks a building while looking at their field.
    """

    chosen = Signal(str)
    back = Signal()

    def __init__(self, theme: Theme, site: Site | None = None) -> None:
        super().__init__()
        self.theme = theme
        self.lot: Lot | None = None
        self.backdrop: TouchPlan | None = None
        if site is not None:
            self.backdrop = TouchPlan(site, theme, self)
            self.backdrop.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
            if not theme.portrait:
                self.backdrop.veil = 150
                self.backdrop.setProperty("floating", True)  # behind the tiles on purpose
                self.backdrop.lower()
        self.heading = label("", "title", wrap=True)
        self.sub = label("", "soft", wrap=True)
        self.cards: dict[str, Tile] = {}
        grid = QGridLayout()
        grid.setSpacing(theme.px(24))
        icon = QSize(theme.px(240), theme.px(160))
        # Three on top, two centred below (a 6-column grid, two columns a tile);
        # two a row on a portrait screen, the fifth centred.
        across = 2 if theme.portrait else 3
        for i, tid in enumerate(TEMPLATES):
            card = Tile(theme, template_icon(tid, icon))
            card.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            card.setMinimumHeight(theme.px(200))
            card.clicked.connect(lambda _=False, t=tid: self.chosen.emit(t))
            row, col = divmod(i, across)
            last_row_count = len(TEMPLATES) - row * across
            offset = (across - last_row_count) if last_row_count < across else 0
            grid.addWidget(card, row, 2 * col + offset, 1, 2)
            self.cards[tid] = card
        self.back_button = button("")
        self.back_button.clicked.connect(self.back)
        lay = QVBoxLayout(self)
        m = theme.px(40)
        lay.setContentsMargins(m, theme.px(30), m, m)
        lay.setSpacing(theme.px(16))
        # The title on a dark plate: legible over any part of the photograph.
        plate = QFrame()
        plate.setObjectName("plate")
        plate.setStyleSheet(
            f"QFrame#plate {{ background: rgba(15, 29, 43, 200); border-radius: {theme.px(18)}px; }}"
        )
        head = QVBoxLayout(plate)
        head.setContentsMargins(theme.px(24), theme.px(12), theme.px(24), theme.px(14))
        head.setSpacing(theme.px(6))
        head.addWidget(self.heading)
        head.addWidget(self.sub)
        lay.addWidget(plate)
        if theme.portrait and self.backdrop is not None:
            lay.addWidget(self.backdrop, 2)
        lay.addLayout(grid, 3 if theme.portrait else 1)
        row = QHBoxLayout()
        row.addWidget(self.back_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.retranslate()

    def set_lot(self, lot: Lot | None) -> None:
        self.lot = lot
        if self.backdrop is not None:
            self.backdrop.set_state(lot, None, frozenset(), None)
        self.retranslate()

    def resizeEvent(self, ev) -> None:
        if self.backdrop is not None and not self.theme.portrait:
            self.backdrop.setGeometry(self.rect())
        super().resizeEvent(ev)

    def retranslate(self) -> None:
        self.heading.setText(translate("kiosk", "Que voulez-vous construire ?"))
        if self.lot is not None:
            self.sub.setText(
                translate(
                    "kiosk", "{lot} — {area} m². Choisissez un point de départ, vous l'ajusterez ensuite."
                ).format(lot=lot_title(self.lot), area=fmt_number(self.lot.area_m2, 0))
            )
        for tid, card in self.cards.items():
            card.set_texts(template_label(tid), template_blurb(tid))
        self.back_button.setText(translate("kiosk", "‹  Changer de terrain"))


# ------------------------------------------------------------------ checks


def plain_words(r: RuleResult) -> str:
    """A rule's verdict as a visitor would say it (figures from the result)."""
    if r.value is None:
        return r.message()
    return table.plain_words(r.id, r.ok, r.value, r.limit)


class CheckRow(QWidget):
    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.mark = QLabel()
        self.mark.setFixedWidth(theme.px(56))
        self.mark.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.mark.setStyleSheet(f"font-size: {theme.font_large}px; font-weight: bold;")
        self.title = label("", "soft", wrap=True)
        self.text = label("", wrap=True)
        col = QVBoxLayout()
        col.setSpacing(0)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.title)
        col.addWidget(self.text)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, theme.px(4), 0, theme.px(4))
        row.addWidget(self.mark)
        row.addLayout(col, 1)

    def show_result(self, r: RuleResult) -> None:
        self.mark.setText("✓" if r.ok else "✗")
        self.mark.setStyleSheet(
            self.mark.styleSheet().split("color:")[0] + f"color: {(OK if r.ok else FAIL).name()};"
        )
        self.title.setText(r.title)
        self.text.setText(plain_words(r))


# ------------------------------------------------------------------ adjust


class AdjustScreen(QWidget):
    """The touch plan, the steppers and the live checks.

    The stage (the large area) shows the plan over the aerial photograph, or the
    3D view (:meth:`set_stage_3d`); the live checks stay beside it either way.
    The 3D view is never reparented (a GL widget moved to another parent loses
    its context and makes a new one): it is a child of the screen, laid over
    its thumbnail slot in the side panel, or over the plan's place on the stage.
    """

    undo = Signal()
    redo = Signal()
    change_template = Signal()
    share = Signal()
    stage_toggled = Signal(bool)  # the visitor asks for the 3D stage (True) or the plan (False)

    def __init__(self, site: Site, theme: Theme, view3d: QWidget | None = None) -> None:
        super().__init__()
        self.theme = theme
        self.view3d = view3d
        self.stage_3d = False
        self.plan = TouchPlan(site, theme)
        keep = self.plan.sizePolicy()
        keep.setRetainSizeWhenHidden(True)  # the 3D stage takes the plan's place, not its size
        self.plan.setSizePolicy(keep)
        self.view3d_slot = QWidget()
        self.stage_button = button("", "stage")
        self.stage_button.clicked.connect(lambda: self.stage_toggled.emit(not self.stage_3d))
        self.hint = label("", "soft")
        self.hint.setProperty("floating", True)  # over the plan, on purpose
        self.hint.setStyleSheet(
            f"background: rgba(15,29,43,200); border-radius: {theme.px(14)}px;"
            f" padding: {theme.px(10)}px {theme.px(18)}px;"
        )
        self.height_stepper = Stepper(theme)
        self.storeys_stepper = Stepper(theme)
        self.building_title = label("", "heading")
        self.verdict = label("", "verdict_ok", wrap=True)
        self.rows: list[CheckRow] = []
        self.rows_widget = QWidget()
        self.rows_layout = QVBoxLayout(self.rows_widget)
        self.rows_layout.setContentsMargins(0, 0, theme.px(8), 0)
        self.rows_layout.setSpacing(theme.px(4))
        self.rows_layout.addStretch(1)
        self.scroll = kinetic(QScrollArea())
        self.scroll.setWidget(self.rows_widget)
        self.undo_button = button("")
        self.redo_button = button("")
        self.template_button = button("")
        self.share_button = button("", "primary")
        self.undo_button.clicked.connect(self.undo)
        self.redo_button.clicked.connect(self.redo)
        self.template_button.clicked.connect(self.change_template)
        self.share_button.clicked.connect(self.share)

        side, col = panel(theme)
        if view3d is not None:
            self.view3d_slot.setMinimumHeight(theme.px(240))
            self.view3d_slot.setMaximumHeight(theme.px(260))
            view3d.setParent(self)
            view3d.setProperty("floating", True)  # laid over its slot, or over the plan
            for w in (self.view3d_slot, self.plan):
                w.installEventFilter(self)
        else:
            self.stage_button.hide()
        self.building_title.setWordWrap(True)
        # Side by side; one above the other in a portrait screen's narrower column.
        steppers = QBoxLayout(
            QBoxLayout.Direction.TopToBottom if theme.portrait else QBoxLayout.Direction.LeftToRight
        )
        steppers.setSpacing(theme.px(24) if not theme.portrait else theme.px(12))
        steppers.addWidget(self.height_stepper)
        steppers.addWidget(self.storeys_stepper)
        body = QBoxLayout(direction(theme))
        body.setSpacing(theme.px(24))
        body.addWidget(self.plan, 1)
        bar = QGridLayout()
        bar.setSpacing(theme.px(18))
        if theme.portrait:
            # The stage above, the controls below it in two columns: the building
            # (3D thumbnail, size, steppers) and the checks.
            building = QVBoxLayout()
            building.setSpacing(theme.px(16))
            if view3d is not None:
                building.addWidget(self.view3d_slot)
            building.addWidget(self.building_title)
            building.addLayout(steppers)
            building.addStretch(1)
            checks = QVBoxLayout()
            checks.setSpacing(theme.px(16))
            checks.addWidget(self.verdict)
            checks.addWidget(self.scroll, 1)
            two = QHBoxLayout()
            two.setSpacing(theme.px(24))
            two.addLayout(building, 1)
            two.addLayout(checks, 1)
            col.addLayout(two, 1)
            side.setMinimumHeight(theme.px(640))
            body.setStretch(0, 5)
            body.addWidget(side, 4)
            # Two rows of buttons: four across a portrait screen would be cut.
            bar.addWidget(self.undo_button, 0, 0)
            bar.addWidget(self.redo_button, 0, 1)
            bar.addWidget(self.stage_button, 0, 2)
            bar.addWidget(self.template_button, 1, 0, 1, 2)
            bar.addWidget(self.share_button, 1, 2)
        else:
            side.setFixedWidth(theme.px(720))
            if view3d is not None:
                col.addWidget(self.view3d_slot)
            col.addWidget(self.building_title)
            col.addLayout(steppers)
            col.addWidget(self.verdict)
            col.addWidget(self.scroll, 1)
            body.addWidget(side)
            for i, b in enumerate(
                (self.undo_button, self.redo_button, self.template_button, self.stage_button)
            ):
                bar.addWidget(b, 0, i)
            bar.setColumnStretch(4, 1)
            bar.addWidget(self.share_button, 0, 5)
        lay = QVBoxLayout(self)
        m = theme.px(24)
        lay.setContentsMargins(m, m, m, m)
        lay.setSpacing(m)
        lay.addLayout(body, 1)
        lay.addLayout(bar)
        self.hint.setParent(self.plan)
        self.retranslate()

    def resizeEvent(self, ev) -> None:
        super().resizeEvent(ev)
        self._place_hint()
        self._place_view3d()

    def eventFilter(self, obj, ev) -> bool:
        if ev.type() in (QEvent.Type.Resize, QEvent.Type.Move, QEvent.Type.Show):
            self._place_view3d()
        return False

    def set_stage_3d(self, on: bool) -> None:
        """The 3D view on the whole stage (``True``) or as the side panel's thumbnail."""
        on = bool(on) and self.view3d is not None
        if on:
            self.plan.cancel_gesture()
        self.stage_3d = on
        self.plan.setVisible(not on)
        self.view3d_slot.setVisible(not on)
        self._place_view3d()
        self.retranslate_stage()

    def _place_view3d(self) -> None:
        if self.view3d is None:
            return
        anchor = self.plan if self.stage_3d else self.view3d_slot
        top_left = anchor.mapTo(self, anchor.rect().topLeft())
        self.view3d.setGeometry(top_left.x(), top_left.y(), anchor.width(), anchor.height())
        self.view3d.raise_()

    def retranslate_stage(self) -> None:
        if self.stage_3d:
            self.stage_button.setText(translate("kiosk", "Revenir au plan"))
        else:
            self.stage_button.setText(translate("kiosk", "Voir en 3D en grand"))

    def _place_hint(self) -> None:
        self.hint.adjustSize()
        self.hint.move(self.theme.px(16), self.theme.px(16))

    def show_project(
        self,
        lot: Lot | None,
        project: Project,
        result: CheckResult | None,
        selected: str | None,
        can_undo: bool,
        can_redo: bool,
        snap: tuple[float, ...] = (),
    ) -> None:
        failing = frozenset(i for r in (result.failing if result else ()) for i in r.items)
        self.plan.set_state(lot, project, failing, selected, snap)
        b = next((x for x in project.buildings if x.id == selected), None)
        if b is not None:
            size = ""
            if isinstance(b.footprint, RectFootprint):
                size = f" — {b.footprint.width:.0f} × {b.footprint.depth:.0f} m"
            self.building_title.setText(f"{use_label(b.use)}{size}")
            self.height_stepper.set_value(
                f"{fmt_number(b.height_m, 0)} m", b.height_m > 3.0, b.height_m < 40.0
            )
            self.storeys_stepper.set_value(str(b.storeys), b.storeys > 1, b.storeys < 10)
        else:
            self.building_title.setText(translate("kiosk", "Touchez un bâtiment pour le choisir"))
            self.height_stepper.set_value("—", False, False)
            self.storeys_stepper.set_value("—", False, False)
        self.undo_button.setEnabled(can_undo)
        self.redo_button.setEnabled(can_redo)
        self.show_checks(result)

    def show_checks(self, result: CheckResult | None) -> None:
        rules = result.rules if result is not None else ()
        while len(self.rows) < len(rules):
            row = CheckRow(self.theme)
            self.rows_layout.insertWidget(len(self.rows), row)
            self.rows.append(row)
        # Failing rules first: they are what the visitor should look at.
        ordered = sorted(rules, key=lambda r: r.ok)
        for row, r in zip(self.rows, ordered):
            row.show_result(r)
            row.show()
        for row in self.rows[len(rules) :]:
            row.hide()
        if result is None:
            self.verdict.hide()
            return
        self.verdict.show()
        n = len(result.failing)
        if n == 0:
            self.verdict.setProperty("role", "verdict_ok")
            self.verdict.setText(translate("kiosk", "✓  Votre projet respecte les règles du terrain"))
        else:
            self.verdict.setProperty("role", "verdict_fail")
            text = (
                translate("kiosk", "Encore un point à revoir")
                if n == 1
                else translate("kiosk", "Encore {n} points à revoir").format(n=n)
            )
            self.verdict.setText(text)
        self.verdict.style().unpolish(self.verdict)
        self.verdict.style().polish(self.verdict)

    def retranslate(self) -> None:
        self.hint.setText(translate("kiosk", "Un doigt : déplacer   ·   Deux doigts : agrandir, tourner"))
        self._place_hint()
        self.height_stepper.title.setText(translate("kiosk", "Hauteur"))
        self.storeys_stepper.title.setText(translate("kiosk", "Niveaux"))
        self.undo_button.setText(translate("kiosk", "↶  Annuler"))
        self.redo_button.setText(translate("kiosk", "↷  Refaire"))
        self.template_button.setText(translate("kiosk", "Changer de modèle"))
        self.share_button.setText(translate("kiosk", "Emporter mon projet  ›"))
        self.retranslate_stage()


# ------------------------------------------------------------------ share


class ShareScreen(QWidget):
    """The QR code of the sharing link, and how to use it."""

    back = Signal()
    finish = Signal()

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.qr = QrCode()
        side = theme.px(720)
        self.qr.setFixedSize(side, side)
        self.heading = label("", "title")
        self.steps = label("", wrap=True)
        self.summary = label("", "heading", wrap=True)
        self.privacy = label("", "soft", wrap=True)
        self.back_button = button("")
        self.finish_button = button("", "primary")
        self.back_button.clicked.connect(self.back)
        self.finish_button.clicked.connect(self.finish)
        self._summary_parts: tuple[Lot | None, Project | None, CheckResult | None] = (None, None, None)
        text = QVBoxLayout()
        text.setSpacing(theme.px(28))
        text.addStretch(1)
        text.addWidget(self.heading)
        text.addWidget(self.steps)
        text.addWidget(self.summary)
        text.addWidget(self.privacy)
        text.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.back_button)
        row.addStretch(1)
        row.addWidget(self.finish_button)
        text.addLayout(row)
        # The code beside the explanation; above it on a portrait screen.
        lay = QBoxLayout(direction(theme), self)
        m = theme.px(60)
        lay.setContentsMargins(m, m, m, m)
        lay.setSpacing(m)
        lay.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignCenter)
        lay.addLayout(text, 1)
        self.retranslate()

    def show_link(self, link: str, lot: Lot | None, project: Project, result: CheckResult | None) -> None:
        self.qr.set_text(link)
        self._summary_parts = (lot, project, result)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(translate("kiosk", "Emportez votre projet"))
        self.steps.setText(
            translate(
                "kiosk",
                "1.  Ouvrez l'appareil photo de votre téléphone.\n"
                "2.  Visez ce code.\n"
                "3.  Touchez le lien : votre projet s'ouvre en 3D.",
            )
        )
        self.privacy.setText(
            translate("kiosk", "Rien n'est envoyé ni enregistré : tout le projet tient dans le lien.")
            + "\n"
            + core_tr("cli.disclaimer")
        )
        lot, project, result = self._summary_parts
        if lot is not None and project is not None:
            floor = result.metrics.floor_area_m2 if result is not None else 0.0
            verdict = (
                translate("kiosk", "conforme aux règles")
                if result is not None and result.compliant
                else translate("kiosk", "encore à ajuster")
            )
            self.summary.setText(
                translate("kiosk", "{lot} · {floor} m² de plancher · {verdict}").format(
                    lot=lot_title(lot), floor=fmt_number(floor, 0), verdict=verdict
                )
            )
        self.back_button.setText(translate("kiosk", "‹  Revenir au projet"))
        self.finish_button.setText(translate("kiosk", "Terminer"))


__all__ = [
    "AdjustScreen",
    "AttractScreen",
    "LotScreen",
    "ShareScreen",
    "TemplateScreen",
    "plain_words",
]
