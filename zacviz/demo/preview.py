"""A picture of a site for the README: ``python -m zacviz.demo.preview --out docs/belle-assise.png``.

The aerial image (read at the overview level that fits), the lots outlined and
tinted by status with their ids, the public roads; made through the project's
own readers (:func:`zacviz.io.site_folder.load_site`, :class:`zacviz.io.imagery.Imagery`),
so it shows the site exactly as the application loads it.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from zacviz.io.imagery import Imagery, open_imagery
from zacviz.io.site_folder import load_site
from zacviz.model.site import Site

REPO = Path(__file__).resolve().parents[2]
STATUS_STYLE = {
    # status: (outline RGB, label)
    "available": ((70, 220, 90), "Disponible"),
    "reserved": ((255, 170, 30), "Réservé"),
    "sold": ((235, 60, 55), "Vendu"),
}


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans (found by name in the system font folders) for the accents, else Pillow's own."""
    for name in ("DejaVuSans-Bold.ttf", "Arial Bold.ttf") if bold else ("DejaVuSans.ttf", "Arial.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def render_preview(site: Site, width: int = 1200, margin_m: float = 40.0) -> Image.Image:
    """The site picture: aerial image, lots by status with ids, roads, legend."""
    minx, miny, maxx, maxy = site.bounds
    minx, miny, maxx, maxy = minx - margin_m, miny - margin_m, maxx + margin_m, maxy + margin_m
    scale = width / (maxx - minx)  # pixels per metre
    height = int(round((maxy - miny) * scale))
    if site.imagery_path is not None and site.imagery_path.is_file():
        imagery = Imagery(open_imagery(site.imagery_path))
        try:
            base = Image.fromarray(imagery.read((minx, miny, maxx, maxy), (height, width)))
        finally:
            imagery.close()
    else:
        base = Image.new("RGB", (width, height), (128, 128, 128))

    def px(coords) -> list[tuple[float, float]]:
        c = np.asarray(coords)
        return [(float(x), float(y)) for x, y in zip((c[:, 0] - minx) * scale, (maxy - c[:, 1]) * scale)]

    overlay = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for road in site.roads:
        for part in getattr(road.polygon, "geoms", [road.polygon]):
            for ring in (part.exterior, *part.interiors):
                draw.line(px(ring.coords), fill=(255, 255, 255, 150), width=1)
    for lot in site.lots:
        colour, _ = STATUS_STYLE.get(lot.status, ((200, 200, 200), lot.status))
        draw.polygon(px(lot.polygon.exterior.coords), fill=(*colour, 48))
    for lot in site.lots:
        colour, _ = STATUS_STYLE.get(lot.status, ((200, 200, 200), lot.status))
        draw.line(px(lot.polygon.exterior.coords), fill=(*colour, 255), width=2, joint="curve")
    picture = Image.alpha_composite(base.convert("RGBA"), overlay)

    draw = ImageDraw.Draw(picture)
    label_font = _font(max(12, width // 75), bold=True)
    for lot in site.lots:
        p = lot.polygon.representative_point()
        ((x, y),) = px([(p.x, p.y)])
        draw.text(
            (x, y),
            lot.id,
            font=label_font,
            fill=(255, 255, 255),
            anchor="mm",
            stroke_width=3,
            stroke_fill=(20, 20, 20),
        )
    # Title and legend, on translucent panels.
    title_font = _font(max(14, width // 60), bold=True)
    small = _font(max(11, width // 90))
    title = f"{site.name} — plan de démonstration"
    if site.illustrative:
        title += " (données illustratives)"
    panel = Image.new("RGBA", picture.size, (0, 0, 0, 0))
    pd = ImageDraw.Draw(panel)
    tb = pd.textbbox((16, 14), title, font=title_font)
    pd.rounded_rectangle((tb[0] - 8, tb[1] - 6, tb[2] + 8, tb[3] + 6), 6, fill=(0, 0, 0, 150))
    rows = [(c, label) for c, label in STATUS_STYLE.values()]
    line_h = int(small.size * 1.6) if hasattr(small, "size") else 16
    lx, ly = 16, picture.size[1] - 16 - line_h * (len(rows) + 1)
    pd.rounded_rectangle((lx - 8, ly - 8, lx + 230, picture.size[1] - 10), 6, fill=(0, 0, 0, 150))
    picture = Image.alpha_composite(picture, panel)
    draw = ImageDraw.Draw(picture)
    draw.text((16, 14), title, font=title_font, fill=(255, 255, 255))
    for i, (colour, label) in enumerate(rows):
        y = ly + i * line_h
        draw.rectangle((lx, y + 2, lx + 22, y + line_h - 4), fill=(*colour, 90), outline=colour, width=2)
        n = sum(1 for lot in site.lots if STATUS_STYLE.get(lot.status, (None, ""))[1] == label)
        draw.text(
            (lx + 32, y + line_h / 2 - 1),
            f"{label} ({n} lots)",
            font=small,
            fill=(255, 255, 255),
            anchor="lm",
        )
    y = ly + len(rows) * line_h
    draw.line((lx, y + line_h / 2, lx + 22, y + line_h / 2), fill=(255, 255, 255), width=1)
    draw.text((lx + 32, y + line_h / 2 - 1), "Voirie publique", font=small, fill=(255, 255, 255), anchor="lm")
    # North arrow: the image is north-up.
    nx, ny = picture.size[0] - 36, 58
    draw.polygon([(nx, ny - 26), (nx - 9, ny), (nx + 9, ny)], fill=(255, 255, 255), outline=(20, 20, 20))
    draw.text(
        (nx, ny + 12),
        "N",
        font=small,
        fill=(255, 255, 255),
        anchor="mm",
        stroke_width=2,
        stroke_fill=(20, 20, 20),
    )
    return picture.convert("RGB")


def save_png(picture: Image.Image, out: str | os.PathLike[str]) -> Path:
    """Save as an optimised PNG with an adaptive palette (an aerial picture in < 1 MB)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    quantised = picture.quantize(
        colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.FLOYDSTEINBERG
    )
    quantised.save(out, optimize=True)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m zacviz.demo.preview", description=__doc__.split("\n\n")[0])
    p.add_argument("--site", type=Path, default=REPO / "plots" / "belle-assise", help="site folder")
    p.add_argument("--out", type=Path, required=True, help="PNG to write")
    p.add_argument("--width", type=int, default=1200, help="width in pixels (1200)")
    args = p.parse_args(argv)
    picture = render_preview(load_site(args.site), args.width)
    out = save_png(picture, args.out)
    print(f"{out}: {picture.size[0]}×{picture.size[1]} px, {out.stat().st_size / 1e3:.0f} kB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
