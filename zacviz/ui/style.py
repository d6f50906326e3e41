"""Colours and pens of the plan, shared by the editor and the offscreen render."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPen

from zacviz.geometry import palette

LOT_STATUS_COLOURS = {
    "available": QColor(46, 170, 80),
    "reserved": QColor(240, 150, 30),
    "sold": QColor(150, 150, 150),
    "not_for_sale": QColor(150, 150, 150),
}


def _qcolor(c: palette.RGBA) -> QColor:
    return QColor(*palette.rgba8(c)[:3])


# Uses and surfaces take the colours of the 3D view and the kiosk (one palette).
USE_COLOURS = {use: _qcolor(c) for use, c in palette.USE_COLORS.items()}
SURFACE_COLOURS = {kind: _qcolor(c) for kind, c in palette.SURFACE_COLORS.items()}
BACKGROUND = QColor(48, 52, 56)
ROAD = QColor(80, 80, 84)
CONTEXT = QColor(215, 208, 196)
LANDSCAPE = QColor(120, 170, 90)
BUILDABLE = QColor(0, 220, 255)
HIGHLIGHT = QColor(255, 40, 40)
SELECTION = QColor(255, 230, 0)
PROJECT_LOT = QColor(255, 255, 255)


def pen(colour: QColor, width: float = 1.0, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    """A cosmetic pen: its width is in screen pixels whatever the zoom."""
    p = QPen(colour, width, style)
    p.setCosmetic(True)
    p.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    return p


def brush(colour: QColor, alpha: int) -> QBrush:
    c = QColor(colour)
    c.setAlpha(alpha)
    return QBrush(c)
