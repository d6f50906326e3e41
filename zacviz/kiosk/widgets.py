"""Small touch widgets of the kiosk: stepper, QR code, template pictograms."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import segno
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPaintDevice, QPainter, QPainterPath, QPaintEvent, QPixmap, QPolygonF
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from zacviz.kiosk.theme import Theme


@contextmanager
def painting(device: QPaintDevice) -> Iterator[QPainter]:
    """A painter that is ended even when drawing raises (a live painter would crash Qt later)."""
    p = QPainter(device)
    try:
        yield p
    finally:
        p.end()


def button(text: str = "", role: str | None = None, parent: QWidget | None = None) -> QPushButton:
    b = QPushButton(text, parent)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # nothing to type: no focus frames either
    b.setAutoDefault(False)
    if role:
        b.setProperty("role", role)
    return b


def label(text: str = "", role: str | None = None, wrap: bool = False) -> QLabel:
    lab = QLabel(text)
    if role:
        lab.setProperty("role", role)
    lab.setWordWrap(wrap)
    return lab


class Stepper(QWidget):
    """``−  value  +`` with finger-sized buttons; emits ``stepped(±1)``."""

    stepped = Signal(int)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = label("", "soft")
        self.minus = button("−")
        self.plus = button("+")
        self.value = label("")
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.value.setMinimumWidth(theme.px(110))
        self.value.setProperty("role", "heading")
        self.value.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        side = max(theme.target, theme.px(84))
        for b in (self.minus, self.plus):
            b.setFixedSize(side, side)
            b.setStyleSheet(f"font-size: {theme.font_title}px; padding: 0;")
        self.minus.clicked.connect(lambda: self.stepped.emit(-1))
        self.plus.clicked.connect(lambda: self.stepped.emit(1))
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(theme.px(6))
        col.addWidget(self.title)
        row = QHBoxLayout()
        row.setSpacing(theme.px(4))
        row.addWidget(self.minus)
        row.addWidget(self.value, 1)
        row.addWidget(self.plus)
        col.addLayout(row)

    def set_value(self, text: str, can_down: bool, can_up: bool) -> None:
        self.value.setText(text)
        self.minus.setEnabled(can_down)
        self.plus.setEnabled(can_up)


class Tile(QPushButton):
    """A large button holding a picture, a name and a line of explanation (wrapped)."""

    def __init__(self, theme: Theme, icon: QPixmap | None = None) -> None:
        super().__init__()
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setProperty("role", "tile")
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if icon is not None:
            self.picture.setPixmap(icon)
        self.name = label("", "tile_name", wrap=True)
        self.name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.blurb = label("", "soft", wrap=True)
        self.blurb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(theme.px(20), theme.px(20), theme.px(20), theme.px(20))
        lay.setSpacing(theme.px(10))
        lay.addWidget(self.picture, 1)
        lay.addWidget(self.name)
        lay.addWidget(self.blurb)
        for child in (self.picture, self.name, self.blurb):
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)

    def set_texts(self, name: str, blurb: str) -> None:
        self.name.setText(name)
        self.blurb.setText(blurb)


class QrCode(QWidget):
    """A QR code drawn module by module (crisp at any size), dark on white."""

    QUIET_ZONE = 4

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = ""
        self._matrix: list[list[bool]] = []

    def set_text(self, text: str) -> None:
        self.text = text
        if not text:
            self._matrix = []
        else:
            try:
                qr = segno.make_qr(text, error="m", boost_error=False)
            except segno.DataOverflowError:  # too long for any QR code: none shown, as the report does
                self._matrix = []
            else:
                self._matrix = [[bool(v) for v in row] for row in qr.matrix]
        self.update()

    @property
    def modules(self) -> int:
        return len(self._matrix)

    def sizeHint(self) -> QSize:
        return QSize(600, 600)

    def paintEvent(self, ev: QPaintEvent) -> None:
        with painting(self) as p:
            side = min(self.width(), self.height())
            x0 = (self.width() - side) / 2.0
            y0 = (self.height() - side) / 2.0
            p.fillRect(QRectF(x0, y0, side, side), QColor("white"))
            n = len(self._matrix)
            if n:
                # Whole pixels per module: a scanner reads sharp edges best.
                cell = int(side // (n + 2 * self.QUIET_ZONE))
                offset_x = x0 + (side - cell * n) / 2.0
                offset_y = y0 + (side - cell * n) / 2.0
                path = QPainterPath()
                for r, row in enumerate(self._matrix):
                    for c, dark in enumerate(row):
                        if dark:
                            path.addRect(QRectF(offset_x + c * cell, offset_y + r * cell, cell, cell))
                p.fillPath(path, QColor("black"))


# ------------------------------------------------------------- pictograms


def template_icon(template_id: str, size: QSize) -> QPixmap:
    """A flat drawing of each template's building, white lines on transparent."""
    pm = QPixmap(size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    w, h = size.width(), size.height()
    ground = h * 0.88
    fill = QColor(255, 255, 255, 235)
    dim = QColor(255, 255, 255, 140)
    dark = QColor(24, 44, 64)

    def box(x0: float, x1: float, top: float, colour: QColor = fill) -> None:
        p.fillRect(QRectF(w * x0, h * top, w * (x1 - x0), ground - h * top), colour)

    def poly(points: list[tuple[float, float]], colour: QColor = fill) -> None:
        path = QPainterPath()
        path.addPolygon(QPolygonF([QPointF(w * x, h * y) for x, y in points]))
        p.fillPath(path, colour)

    if template_id == "warehouse":
        box(0.05, 0.95, 0.40)
        for i in range(4):
            x = 0.14 + i * 0.2
            p.fillRect(QRectF(w * x, h * 0.60, w * 0.12, ground - h * 0.60), dark)
    elif template_id == "workshop":
        box(0.08, 0.92, 0.48)
        for i in range(3):
            x = 0.08 + i * 0.28
            poly([(x, 0.48), (x + 0.28, 0.48), (x + 0.28, 0.26)])
        p.fillRect(QRectF(w * 0.40, h * 0.62, w * 0.2, ground - h * 0.62), dark)
    elif template_id == "offices":
        box(0.25, 0.75, 0.12)
        for row in range(4):
            for col in range(3):
                p.fillRect(QRectF(w * (0.31 + col * 0.15), h * (0.20 + row * 0.16), w * 0.08, h * 0.08), dark)
    elif template_id == "retail":
        box(0.10, 0.90, 0.42)
        poly([(0.06, 0.42), (0.94, 0.42), (0.86, 0.30), (0.14, 0.30)], dim)
        p.fillRect(QRectF(w * 0.18, h * 0.56, w * 0.64, h * 0.18), dark)
    else:  # mixed
        box(0.32, 0.95, 0.45)
        for i in range(2):
            x = 0.32 + i * 0.315
            poly([(x, 0.45), (x + 0.315, 0.45), (x + 0.315, 0.27)])
        box(0.05, 0.32, 0.22, dim)
        for row in range(3):
            p.fillRect(QRectF(w * 0.11, h * (0.30 + row * 0.17), w * 0.15, h * 0.07), dark)
    p.fillRect(QRectF(0, ground, w, h * 0.03), dim)
    p.end()
    return pm
