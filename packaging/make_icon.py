"""Draw the zacviz icon: packaging/icons/zacviz.svg and a 256 px zacviz.png.

One description (shapes on a 256 × 256 canvas) feeds both files, so they stay
alike. Run it after changing the shapes: ``python packaging/make_icon.py``.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent / "icons"
SIZE = 256

BACKGROUND = "#0d5c4a"  # the council green of the project sheet
# (fill, points): a road, the lot, a building and its shaded side.
SHAPES = [
    ("#6b7075", [(0, 188), (256, 158), (256, 198), (0, 228)]),
    ("#b9d48c", [(40, 60), (212, 40), (222, 150), (50, 172)]),
    ("#fbf7ef", [(82, 84), (160, 75), (166, 128), (88, 137)]),
    ("#d8cfbd", [(88, 137), (166, 128), (166, 140), (88, 149)]),
]
LOT_EDGE = "#ffffff"


def svg() -> str:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}"'
        f' viewBox="0 0 {SIZE} {SIZE}">',
        '<clipPath id="r"><rect width="256" height="256" rx="44"/></clipPath>',
        '<g clip-path="url(#r)">',
        f'<rect width="256" height="256" fill="{BACKGROUND}"/>',
    ]
    for i, (fill, pts) in enumerate(SHAPES):
        d = " ".join(f"{x},{y}" for x, y in pts)
        stroke = f' stroke="{LOT_EDGE}" stroke-width="5"' if i == 1 else ""
        parts.append(f'<polygon points="{d}" fill="{fill}"{stroke}/>')
    parts.append("</g></svg>")
    return "\n".join(parts) + "\n"


def png() -> Image.Image:
    scale = 4  # drawn large, then scaled down: smooth edges
    big = Image.new("RGBA", (SIZE * scale, SIZE * scale), (0, 0, 0, 0))
    draw = ImageDraw.Draw(big)
    draw.rounded_rectangle((0, 0, SIZE * scale - 1, SIZE * scale - 1), radius=44 * scale, fill=BACKGROUND)
    mask = Image.new("L", big.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle(
        (0, 0, SIZE * scale - 1, SIZE * scale - 1), radius=44 * scale, fill=255
    )
    layer = Image.new("RGBA", big.size, (0, 0, 0, 0))
    ld = ImageDraw.Draw(layer)
    for i, (fill, pts) in enumerate(SHAPES):
        scaled = [(x * scale, y * scale) for x, y in pts]
        ld.polygon(scaled, fill=fill)
        if i == 1:
            ld.line([*scaled, scaled[0]], fill=LOT_EDGE, width=5 * scale, joint="curve")
    big.alpha_composite(Image.composite(layer, Image.new("RGBA", big.size, (0, 0, 0, 0)), mask))
    return big.resize((SIZE, SIZE), Image.Resampling.LANCZOS)


if __name__ == "__main__":
    HERE.mkdir(exist_ok=True)
    (HERE / "zacviz.svg").write_text(svg(), encoding="utf-8")
    png().save(HERE / "zacviz.png", optimize=True)
    print(f"ok: {HERE / 'zacviz.svg'}, {HERE / 'zacviz.png'}")
