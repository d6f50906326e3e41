"""Colours and pens of the plan, shared by the editor and the offscreen render."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPen

LOT_STATUS_COLOURS = {
    "available": QColor(46, 170, 80),
    "reserved": QColor(240, 150, 30),
    "sold": QColor(150, 150, 150),
}
USE_COLOURS = {
    "office": QColor(70, 130, 220),
    "workshop": QColor(150, 95, 200),
    "warehouse": QColor(40, 150, 160),
    "retail": QColor(225, 85, 120),
}
SURFACE_COLOURS = {
    "parking": QColor(95, 100, 110),
    "yard": QColor(175, 160, 130),
    "storage": QColor(140, 110, 80),
}
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
