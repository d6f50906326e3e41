"""Sizes and colours of the kiosk: large type and finger-sized targets.

Everything is sized from the screen: ``unit`` is 1.0 on a 1920 × 1080 screen,
and no touch target is smaller than 12 mm at the screen's physical density
(nor than 88 px where the screen misreports its size).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QGuiApplication

MIN_TARGET_MM = 12.0

BACKGROUND = QColor("#0f1d2b")
PANEL = QColor("#182c40")
PANEL_LIGHT = QColor("#22405c")
TEXT = QColor("#ffffff")
TEXT_SOFT = QColor("#b9c8d8")
ACCENT = QColor("#1fa35c")
ACCENT_DARK = QColor("#157a44")
OK = QColor("#3ccf78")
FAIL = QColor("#ff6b5f")
WARN = QColor("#f4b13e")
AVAILABLE = QColor("#2fd17a")
RESERVED = QColor("#f0a030")
SOLD = QColor("#7d8794")
SELECTION = QColor("#ffd400")

STATUS_COLOURS = {"available": AVAILABLE, "reserved": RESERVED, "sold": SOLD, "not_for_sale": SOLD}


@dataclass(frozen=True)
class Theme:
    unit: float
    dpi: float

    def px(self, x: float) -> int:
        """``x`` pixels of the 1920 × 1080 design, on this screen."""
        return max(1, round(x * self.unit))

    def mm(self, x: float) -> int:
        return round(x * self.dpi / 25.4)

    @property
    def target(self) -> int:
        """The least side of anything a finger must hit."""
        return max(self.mm(MIN_TARGET_MM), self.px(88), 88 if self.unit >= 0.5 else 44)

    @property
    def font(self) -> int:
        return self.px(28)

    @property
    def font_small(self) -> int:
        return self.px(23)

    @property
    def font_large(self) -> int:
        return self.px(40)

    @property
    def font_title(self) -> int:
        return self.px(64)


def make_theme(width: int | None = None, height: int | None = None) -> Theme:
    """The theme for the primary screen (or for a given window size)."""
    screen = QGuiApplication.primaryScreen()
    if width is None or height is None:
        if screen is not None:
            geo = screen.geometry()
            width, height = geo.width(), geo.height()
        else:
            width, height = 1920, 1080
    dpi = screen.physicalDotsPerInch() if screen is not None else 96.0
    if not 40.0 <= dpi <= 400.0:
        dpi = 96.0
    unit = max(0.5, min(width / 1920.0, height / 1080.0))
    return Theme(unit=unit, dpi=dpi)


def stylesheet(t: Theme) -> str:
    r = t.px(18)
    return f"""
    QWidget#kiosk {{ background: {BACKGROUND.name()}; }}
    QWidget {{ color: {TEXT.name()}; font-size: {t.font}px; font-family: "DejaVu Sans", sans-serif; }}
    QLabel {{ background: transparent; }}
    QLabel[role="title"] {{ font-size: {t.font_title}px; font-weight: bold; }}
    QLabel[role="heading"] {{ font-size: {t.font_large}px; font-weight: bold; }}
    QLabel[role="soft"] {{ color: {TEXT_SOFT.name()}; font-size: {t.font_small}px; }}
    QLabel[role="verdict_ok"] {{ background: {ACCENT_DARK.name()}; border-radius: {r}px;
        padding: {t.px(12)}px {t.px(20)}px; font-size: {t.px(32)}px; font-weight: bold; }}
    QLabel[role="verdict_fail"] {{ background: #8a3a22; border-radius: {r}px;
        padding: {t.px(12)}px {t.px(20)}px; font-size: {t.px(32)}px; font-weight: bold; }}
    QFrame[role="panel"] {{ background: {PANEL.name()}; border-radius: {r}px; }}
    QFrame[role="topbar"] {{ background: {PANEL.name()}; }}
    QPushButton {{ background: {PANEL_LIGHT.name()}; border: none; border-radius: {r}px;
        min-height: {t.target}px; min-width: {t.target}px; padding: 0 {t.px(30)}px;
        font-size: {t.font}px; font-weight: bold; }}
    QPushButton:pressed {{ background: #2f5679; }}
    QPushButton:disabled {{ color: #6c7f92; background: #1d3246; }}
    QPushButton[role="primary"] {{ background: {ACCENT.name()}; }}
    QPushButton[role="primary"]:pressed {{ background: {ACCENT_DARK.name()}; }}
    QPushButton[role="primary"]:disabled {{ background: #2b4a3b; color: #86a395; }}
    QPushButton[role="card"] {{ text-align: left; padding: {t.px(12)}px {t.px(26)}px;
        font-weight: normal; }}
    QPushButton[role="card"]:checked {{ background: #2d5a40; border: {t.px(4)}px solid {SELECTION.name()}; }}
    QPushButton[role="lang"] {{ min-width: {t.target}px; padding: 0 {t.px(16)}px; }}
    QPushButton[role="lang"]:checked {{ background: {TEXT.name()}; color: {BACKGROUND.name()}; }}
    QPushButton[role="key"], QPushButton[role="keyok"] {{ font-size: {t.font_large}px;
        min-width: {t.px(130)}px; min-height: {max(t.target, t.px(110))}px; }}
    QPushButton[role="keyok"] {{ background: {ACCENT.name()}; }}
    QPushButton[role="tile"] {{ padding: {t.px(20)}px; font-weight: normal; }}
    QPushButton[role="tile"]:pressed {{ background: #2d5a40; }}
    QLabel[role="brand"] {{ font-size: {t.px(32)}px; font-weight: bold; }}
    QLabel[role="steps"] {{ font-size: {t.font_small}px; }}
    QLabel[role="tile_name"] {{ font-size: {t.px(36)}px; font-weight: bold; }}
    QScrollArea {{ background: transparent; border: none; }}
    QScrollArea > QWidget > QWidget {{ background: transparent; }}
    QScrollBar:vertical {{ width: {t.px(14)}px; background: transparent; }}
    QScrollBar::handle:vertical {{ background: #3b5a78; border-radius: {t.px(7)}px; min-height: 40px; }}
    QScrollBar::add-line, QScrollBar::sub-line {{ height: 0; }}
    """
