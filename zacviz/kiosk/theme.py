"""Sizes and colours of the kiosk: large type and finger-sized targets.

Everything is sized from the screen. ``unit`` is 1.0 on a 1920 × 1080
landscape screen and on a 1080 × 1920 portrait one (sizes are in logical
pixels: a 3840 × 2160 screen at device pixel ratio 2 is laid out as
1920 × 1080). No touch target is smaller than 12 mm at the screen's physical
size, nor than 88 design pixels.

The physical size is Qt's when it knows it (a screen that reports a diagonal
between 10 and 110 inches). Otherwise — a virtual screen, a TV whose EDID
says nothing — the kiosk assumes the smallest usual screen of its class
(:func:`assumed_diagonal_in`), which errs towards larger targets:

=========================  ============  ==================================
screen (device pixels)     diagonal      typical stand screen
=========================  ============  ==================================
portrait, any size         43"           totem (1080 × 1920, 2160 × 3840)
landscape, 3000 px wide+   55"           stand screen (3840 × 2160)
landscape, 1700 px wide+   24"           monitor (1920 × 1080)
landscape, smaller         15.6"         panel PC, laptop (1366 × 768, 1280 × 720)
=========================  ============  ==================================
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtGui import QColor, QGuiApplication

MIN_TARGET_MM = 12.0
PLAUSIBLE_DIAGONAL_IN = (10.0, 110.0)

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


def assumed_diagonal_in(width_px: int, height_px: int) -> float:
    """The diagonal assumed for a screen of this many device pixels (module docstring)."""
    if height_px > width_px:
        return 43.0
    if width_px >= 3000:
        return 55.0
    if width_px >= 1700:
        return 24.0
    return 15.6


def dots_per_inch(width_px: float, height_px: float, diagonal_in: float) -> float:
    """Pixels per inch of a screen of ``width_px`` × ``height_px`` with that diagonal."""
    return math.hypot(width_px, height_px) / diagonal_in


@dataclass(frozen=True)
class Theme:
    unit: float
    dpi: float
    """Logical pixels per inch (device pixels per inch / device pixel ratio)."""
    portrait: bool = False

    def px(self, x: float) -> int:
        """``x`` pixels of the 1920 × 1080 design, on this screen."""
        return max(1, round(x * self.unit))

    def mm(self, x: float) -> int:
        return round(x * self.dpi / 25.4)

    @property
    def target(self) -> int:
        """The least side of anything a finger must hit: 12 mm, and 88 design pixels."""
        return max(math.ceil(MIN_TARGET_MM * self.dpi / 25.4), self.px(88))

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


def screen_diagonal_in(width: int, height: int, ratio: float) -> tuple[float, str]:
    """The primary screen's diagonal in inches, and where it comes from ("qt" or "assumed")."""
    screen = QGuiApplication.primaryScreen()
    app = QGuiApplication.instance()
    virtual = app is not None and QGuiApplication.platformName() in ("offscreen", "minimal")
    if screen is not None and not virtual:
        size = screen.physicalSize()
        diagonal = math.hypot(size.width(), size.height()) / 25.4
        if PLAUSIBLE_DIAGONAL_IN[0] <= diagonal <= PLAUSIBLE_DIAGONAL_IN[1]:
            return diagonal, "qt"
    return assumed_diagonal_in(round(width * ratio), round(height * ratio)), "assumed"


def make_theme(
    width: int | None = None,
    height: int | None = None,
    *,
    ratio: float | None = None,
    diagonal_in: float | None = None,
) -> Theme:
    """The theme for a window of ``width`` × ``height`` logical pixels (default: the
    primary screen) at device pixel ratio ``ratio``, on a screen of ``diagonal_in``
    inches (default: Qt's physical size, else the assumed one)."""
    screen = QGuiApplication.primaryScreen()
    if width is None or height is None:
        if screen is not None:
            geo = screen.geometry()
            width, height = geo.width(), geo.height()
        else:
            width, height = 1920, 1080
    if ratio is None:
        ratio = screen.devicePixelRatio() if screen is not None else 1.0
    if diagonal_in is None:
        diagonal_in, _ = screen_diagonal_in(width, height, ratio)
    portrait = height > width
    if portrait:
        unit = min(width / 1080.0, height / 1920.0)
    else:
        unit = min(width / 1920.0, height / 1080.0)
    return Theme(unit=max(0.5, unit), dpi=dots_per_inch(width, height, diagonal_in), portrait=portrait)


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
    QPushButton[role="tile"] {{ padding: {t.px(20)}px; font-weight: normal;
        background: rgba(34, 64, 92, 230); }}
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
