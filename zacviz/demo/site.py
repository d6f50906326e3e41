"""Generate the illustrative demo site: ``python -m zacviz.demo.site``.

Writes the vector layers of ``plots/belle-assise`` (from
:mod:`zacviz.demo.layout`) and paints the matching aerial image
``assets/belle-assise/ortho.tif``: a GeoTIFF in Lambert-93, 512 px tiles, JPEG
in YCbCr, internal overviews, covering the park and 150 m around it.

The image is painted in bands of whole tile rows, each with a margin so that
shadows and blurs cross band edges seamlessly; every texture is anchored to map
coordinates and every random draw is seeded, so a run always gives the same
pixels. ``--out PATH --resolution 2.0`` writes a small version quickly (tests).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from scipy import ndimage

from zacviz.demo import layout as lay
from zacviz.demo.canvas import Canvas
from zacviz.demo.scene import paint_band

REPO = Path(__file__).resolve().parents[2]
DEFAULT_IMAGE = Path("assets") / "belle-assise" / "ortho.tif"
DEFAULT_SITE = Path("plots") / "belle-assise"
RESOLUTION_M = 0.2  # as IGN BD ORTHO
MARGIN_M = 150.0
TILE_PX = 512
JPEG_QUALITY = 80
HALO_M = 24.0  # longer than the longest shadow (22 m / tan 50°) plus the blurs

Progress = Callable[[float, str], None]


def image_grid(resolution: float = RESOLUTION_M, margin_m: float = MARGIN_M) -> tuple[float, float, int, int]:
    """Left, top, width and height (pixels) of the image: lots and roads plus a margin.

    The corners sit on multiples of the pixel size, like BD ORTHO tiles.
    """
    minx, miny, maxx, maxy = lay.build_layout().bounds()
    col0 = math.floor((minx - margin_m) / resolution)
    row0 = math.floor((miny - margin_m) / resolution)
    col1 = math.ceil((maxx + margin_m) / resolution)
    row1 = math.ceil((maxy + margin_m) / resolution)
    return col0 * resolution, row1 * resolution, col1 - col0, row1 - row0


def _finish(cv: Canvas) -> np.ndarray:
    """The camera: slight blur, haze, sensor grain; 8-bit RGB."""
    img = cv.image
    sigma = max(0.35, 0.1 / cv.res)
    img = ndimage.gaussian_filter(img, (sigma, sigma, 0))
    # Aerial film and haze: colours a little muted, blacks lifted, bluish.
    grey = img.mean(axis=2, keepdims=True)
    img = grey + (img - grey) * np.float32(0.82)
    # Haze lifts the blacks and lowers contrast a little, bluish.
    img = img * np.float32(0.93) + np.array([0.030, 0.036, 0.048], np.float32)
    grain = cv.pixel_noise(cv.full(), 99)
    img *= (1.0 + 0.012 * grain)[..., None]
    return np.clip(np.rint(img * 255.0), 0, 255).astype(np.uint8)


def render_band(left: float, top: float, res: float, rows: int, cols: int, row0: int) -> np.ndarray:
    """RGB pixels (rows × cols × 3) of a band of the image starting at image row ``row0``."""
    halo = int(math.ceil(HALO_M / res))
    cv = Canvas(
        left=left - halo * res,
        top=top + halo * res,
        res=res,
        height=rows + 2 * halo,
        width=cols + 2 * halo,
        row0=row0 - halo,
        col0=-halo,
    )
    paint_band(cv)
    out = _finish(cv)
    return out[halo : halo + rows, halo : halo + cols]


def _render_job(job: tuple[float, float, float, int, int, int]) -> np.ndarray:
    return render_band(*job)


def _overview_factors(width: int, height: int) -> list[int]:
    factors, f = [], 1
    while math.ceil(min(width, height) / f) > TILE_PX // 2:
        f *= 2
        factors.append(f)
    return factors


def write_image(
    out: str | os.PathLike[str],
    resolution: float = RESOLUTION_M,
    margin_m: float = MARGIN_M,
    quality: int = JPEG_QUALITY,
    progress: Progress | None = None,
    workers: int | None = None,
) -> Path:
    """Paint the aerial image and write it as a tiled JPEG/YCbCr GeoTIFF with overviews.

    Bands are painted by ``workers`` processes (default: up to 2); the result
    does not depend on how many.
    """
    import rasterio
    from rasterio.enums import Resampling
    from rasterio.transform import Affine

    if not resolution > 0:
        raise ValueError("resolution must be > 0")
    out = Path(out)
    left, top, width, height = image_grid(resolution, margin_m)
    transform = Affine(resolution, 0.0, left, 0.0, -resolution, top)
    profile = {
        "driver": "GTiff",
        "width": width,
        "height": height,
        "count": 3,
        "dtype": "uint8",
        "crs": lay.CRS,
        "transform": transform,
        "tiled": True,
        "blockxsize": TILE_PX,
        "blockysize": TILE_PX,
        "compress": "JPEG",
        "photometric": "YCBCR",
        "interleave": "pixel",
        "jpeg_quality": quality,
    }
    env = {
        "GDAL_TIFF_OVR_BLOCKSIZE": TILE_PX,
        "COMPRESS_OVERVIEW": "JPEG",
        "PHOTOMETRIC_OVERVIEW": "YCBCR",
        "INTERLEAVE_OVERVIEW": "PIXEL",
        "JPEG_QUALITY_OVERVIEW": quality,
    }
    # Bands of whole tile rows: every JPEG tile is compressed exactly once.
    band_rows = 2 * TILE_PX
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.part.tif")
    jobs = [
        (left, top - r * resolution, resolution, min(band_rows, height - r), width, r)
        for r in range(0, height, band_rows)
    ]
    if workers is None:
        workers = min(2, os.cpu_count() or 1)
    pool = ProcessPoolExecutor(min(workers, len(jobs))) if workers > 1 and len(jobs) > 1 else None
    try:
        bands = pool.map(_render_job, jobs) if pool else map(_render_job, jobs)
        with rasterio.Env(**env), rasterio.open(tmp, "w", **profile) as dst:
            for (_, _, _, rows, _, row0), pixels in zip(jobs, bands):
                dst.write(np.moveaxis(pixels, -1, 0), window=((row0, row0 + rows), (0, width)))
                if progress:
                    progress((row0 + rows) / height * 0.95, "painting")
            factors = _overview_factors(width, height)
            if factors:
                dst.build_overviews(factors, Resampling.average)
                dst.update_tags(ns="rio_overview", resampling="average")
            dst.update_tags(
                TIFFTAG_IMAGEDESCRIPTION="ILLUSTRATIVE image painted by zacviz.demo.site, not a photograph",
                TIFFTAG_SOFTWARE="zacviz.demo.site",
            )
        os.replace(tmp, out)
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".aux.xml").unlink(missing_ok=True)
    if progress:
        progress(1.0, "done")
    return out


def _is_illustrative(folder: Path) -> bool:
    """Whether a site folder may be overwritten: absent, or marked ``illustrative = true``."""
    import tomllib

    toml = folder / "site.toml"
    if not toml.is_file():
        return True
    try:
        with toml.open("rb") as fh:
            return bool(tomllib.load(fh).get("site", {}).get("illustrative", False))
    except (OSError, tomllib.TOMLDecodeError):
        return False


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: regenerate the demo site's vectors and image."""
    p = argparse.ArgumentParser(prog="python -m zacviz.demo.site", description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=None, help=f"image to write (default: {DEFAULT_IMAGE})")
    p.add_argument("--resolution", type=float, default=RESOLUTION_M, help="metres per pixel (0.2)")
    p.add_argument("--quality", type=int, default=JPEG_QUALITY, help="JPEG quality (80)")
    p.add_argument(
        "--site-dir",
        type=Path,
        default=None,
        help=f"where to write the vector layers (default: {DEFAULT_SITE} when --out is not given)",
    )
    p.add_argument("--no-image", action="store_true", help="write the vector layers only")
    p.add_argument("--force", action="store_true", help="overwrite a site folder that holds real data")
    args = p.parse_args(argv)
    from zacviz.demo.vectors import write_site_folder

    site_dir = args.site_dir if args.site_dir is not None else (None if args.out else REPO / DEFAULT_SITE)
    guarded = site_dir if site_dir is not None else (REPO / DEFAULT_SITE if args.out is None else None)
    if guarded is not None and not args.force and not _is_illustrative(guarded):
        print(
            f"error: {guarded} holds real data (no 'illustrative = true' in site.toml); "
            "not overwriting it (use --force, or --out/--site-dir elsewhere)",
            file=sys.stderr,
        )
        return 2
    if site_dir is not None:
        written = write_site_folder(site_dir)
        print(f"vectors: {', '.join(p.name for p in written)} in {site_dir}")
    if not args.no_image:
        out = args.out if args.out is not None else REPO / DEFAULT_IMAGE
        t0 = time.perf_counter()

        def bar(fraction: float, label: str) -> None:
            print(f"\r{label} {fraction * 100:5.1f} %", end="", file=sys.stderr, flush=True)

        write_image(out, args.resolution, quality=args.quality, progress=bar)
        print(file=sys.stderr)
        size = out.stat().st_size / 1e6
        print(f"image: {out} ({size:.1f} MB, {args.resolution:g} m/px, {time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
