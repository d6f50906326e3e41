"""Colours shared by the 2D and 3D views: buildings by use, lots by status.

Colours are RGBA tuples of floats in 0..1 (what OpenGL takes); :func:`rgba8`
gives the 0..255 integers QColor and Pillow take. Keeping them here, Qt-free,
means the plan, the 3D view, the web export and the PDF sheet agree.
"""

from __future__ import annotations

RGBA = tuple[float, float, float, float]


def _hex(code: str, alpha: float = 1.0) -> RGBA:
    code = code.lstrip("#")
    r, g, b = (int(code[i : i + 2], 16) / 255.0 for i in (0, 2, 4))
    return (r, g, b, alpha)


# One colour per use for the plan, the 3D view and the kiosk, chosen to stand
# out from the aerial image and from the park's existing (off-white) buildings.
USE_COLORS: dict[str, RGBA] = {
    "office": _hex("#5b8fd9"),  # blue
    "workshop": _hex("#e0a458"),  # ochre
    "warehouse": _hex("#3f9ea6"),  # teal cladding
    "retail": _hex("#dd6f8c"),  # rose
}
DEFAULT_USE_COLOR: RGBA = _hex("#c8c8c8")

# Roofs read a little darker than walls in the 3D view and the web export.
ROOF_SHADE = 0.86

SURFACE_COLORS: dict[str, RGBA] = {
    "parking": _hex("#5b6068"),  # asphalt
    "yard": _hex("#aaa69c"),  # concrete
    "storage": _hex("#8d8373"),  # gravel
}
STALL_LINE_COLOR: RGBA = _hex("#f2f2f2")

LOT_STATUS_COLORS: dict[str, RGBA] = {
    "available": _hex("#2e9e4f"),  # green: for sale
    "reserved": _hex("#f0a020"),  # amber: under option
    "sold": _hex("#c0392b"),  # red
    "not_for_sale": _hex("#8a8f96"),  # grey: listed, not offered
}
DEFAULT_LOT_COLOR: RGBA = _hex("#ffffff")

FAILING_TINT: RGBA = _hex("#e02020")
"""Blended into a building that breaks a rule."""
FAILING_TINT_STRENGTH = 0.55

SELECTION_COLOR: RGBA = _hex("#ffd400")
"""Outline / glow of the selected building or surface."""

CONTEXT_BUILDING_COLOR: RGBA = _hex("#e6e1d8")
"""Existing buildings of the park: a neutral off-white, so the project stands out."""

SHADOW_COLOR: RGBA = (0.04, 0.05, 0.12, 0.55)
ENVELOPE_COLOR: RGBA = (0.35, 0.75, 1.0, 0.14)
SKY_COLOR: RGBA = _hex("#cfe3f3")
GROUND_COLOR: RGBA = _hex("#9aa58a")
"""Ground where the site has no imagery."""


def use_color(use: str) -> RGBA:
    """The colour of a building of this use (a neutral grey for unknown uses)."""
    return USE_COLORS.get(use, DEFAULT_USE_COLOR)


def lot_color(status: str) -> RGBA:
    return LOT_STATUS_COLORS.get(status, DEFAULT_LOT_COLOR)


def mix(a: RGBA, b: RGBA, t: float) -> RGBA:
    """``a`` blended towards ``b`` by ``t`` (0 = a, 1 = b); alpha from ``a``."""
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t, a[3])


def building_color(use: str, *, failing: bool = False, selected: bool = False) -> RGBA:
    """The body colour of a project building in the views."""
    c = use_color(use)
    if failing:
        c = mix(c, FAILING_TINT, FAILING_TINT_STRENGTH)
    if selected:
        c = mix(c, SELECTION_COLOR, 0.45)
    return c


def rgba8(c: RGBA) -> tuple[int, int, int, int]:
    """0..255 integers (QColor, Pillow)."""
    return tuple(max(0, min(255, round(v * 255))) for v in c)  # type: ignore[return-value]


def hex_rgb(c: RGBA) -> str:
    """``#rrggbb`` (web export, SVG)."""
    r, g, b, _ = rgba8(c)
    return f"#{r:02x}{g:02x}{b:02x}"


def surface_color(kind: str) -> RGBA:
    """The ground colour of a project surface (parking, yard, storage)."""
    return SURFACE_COLORS.get(kind, SURFACE_COLORS["storage"])
