"""Import real aerial imagery (IGN BD ORTHO tiles) as the site's background image.

:func:`import_ortho` mosaics any number of georeferenced tiles (GeoTIFF, JPEG 2000,
anything GDAL reads, in any CRS), reprojects them to the site CRS, clips them to
the site extent plus a margin and writes one GeoTIFF: 3-band RGB ``uint8``,
512×512 tiles, JPEG compression in YCbCr, internal overviews. The work goes one
output block at a time, so memory stays bounded whatever the size of the mosaic,
and the image is written to a temporary file beside the target and renamed at the
end, so a failure never leaves a half-written image or harms the existing one.

Choices worth knowing:

* Pixels that no tile covers are filled with mid grey (:data:`FILL_RGB`): it reads
  as "no photograph here" under the site drawing, unlike black, which looks like
  shadow, water or a dark roof, and a flat grey costs almost nothing in JPEG.
* Where tiles overlap, the tile given first wins.
* Only 8-bit images are accepted. One band is greyscale (or a palette, expanded
  through its colour table), three bands are RGB (an IRC false-colour tile too),
  four bands are RGBA when the fourth is alpha and RGB + near infra-red otherwise
  (the infra-red is dropped). Alpha, nodata values and internal masks all mark
  pixels as missing.
* Tiles that do not reach the clipped area are skipped (and listed in the
  report) so that a whole folder of tiles can be passed; it is an error only when
  none of them overlaps the site extent.

rasterio is imported inside the function so that importing this module (and
starting the command line) stays fast.
"""

from __future__ import annotations

import math
import os
import secrets
import warnings
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zacviz.errors import InputError

if TYPE_CHECKING:
    import numpy as np
    from rasterio.crs import CRS
    from rasterio.enums import Resampling
    from rasterio.io import DatasetReader
    from rasterio.transform import Affine
    from rasterio.windows import Window

__all__ = ["FILL_RGB", "ImportReport", "import_ortho"]

# Neutral fill of the areas no tile covers (see the module docstring).
FILL_RGB: tuple[int, int, int] = (128, 128, 128)

# Output layout. Processing blocks are whole multiples of the TIFF tiles so that
# every JPEG tile is compressed exactly once (a partial write would make GDAL
# decompress and recompress it, losing quality and bloating the file).
TILE_PX = 512
BLOCK_PX = 4 * TILE_PX
JPEG_QUALITY = 85
# Beyond this the resolution is almost certainly a typing mistake: 1 Gpx is a
# 6 km square at the 0.2 m of BD ORTHO.
MAX_PIXELS = 1_000_000_000

# GDAL's block cache, which otherwise grows to 5 % of the RAM. 256 MiB keeps the
# whole process under about 0.5 GB whatever the mosaic size, and still holds
# enough of a freshly written image for overviews to be built without decoding
# it again and again.
CACHE_BYTES = 256 * 1024 * 1024

# Progress milestones: inspecting tiles, warping blocks, building overviews.
_P_INSPECT = 0.05
_P_WARP = 0.85
_P_OVERVIEWS = 0.98

ProgressFn = Callable[[float, str], None]


@dataclass(frozen=True)
class ImportReport:
    """What :func:`import_ortho` wrote.

    Attributes
    ----------
    out_path:
        The GeoTIFF written.
    width, height:
        Its size in pixels.
    resolution:
        Its pixel size, in site CRS units (metres for Lambert-93).
    bounds:
        Its extent ``(minx, miny, maxx, maxy)`` in the site CRS: the site extent
        plus the margin, widened to whole pixels.
    tiles_used:
        How many tiles reach that extent.
    tiles_skipped:
        The tiles given that do not reach it.
    """

    out_path: Path
    width: int
    height: int
    resolution: float
    bounds: tuple[float, float, float, float]
    tiles_used: int
    tiles_skipped: tuple[Path, ...] = ()


@dataclass(frozen=True)
class _Tile:
    """One readable input tile and how to turn its bands into RGB."""

    path: Path
    dataset: DatasetReader
    colour_bands: tuple[int, ...]  # 1 (grey or palette) or 3 (RGB) band indexes
    alpha_band: int  # 0 when none
    palette: np.ndarray | None  # (256, 4) uint8 lookup table for a palette band
    footprint: tuple[float, float, float, float]  # in the site CRS
    resolution: float  # native pixel size, in site CRS units
    same_crs: bool  # already in the site CRS


def import_ortho(
    tiles: Sequence[str | os.PathLike[str]],
    out_path: str | os.PathLike[str],
    *,
    crs: str,
    bounds: tuple[float, float, float, float],
    margin_m: float = 150.0,
    resolution_m: float | None = None,
    progress: ProgressFn | None = None,
) -> ImportReport:
    """Mosaic aerial image tiles into one clipped, reprojected GeoTIFF.

    Parameters
    ----------
    tiles:
        Georeferenced 8-bit images (GeoTIFF, JPEG 2000, ...), in any CRS.
    out_path:
        The GeoTIFF to write; an existing file is replaced only on success.
    crs:
        The site CRS (projected), e.g. ``"EPSG:2154"``.
    bounds:
        The site extent ``(minx, miny, maxx, maxy)`` in the site CRS.
    margin_m:
        Margin added around the site extent, in metres.
    resolution_m:
        Output pixel size in metres; None keeps the finest tile resolution.
    progress:
        Called with a fraction in ``[0, 1]`` and a short label as work goes on.

    Returns
    -------
    ImportReport
        The file written, its size, resolution and extent, and the tiles used.

    Raises
    ------
    InputError
        For any bad input: no tiles, an unreadable, non-image, ungeoreferenced,
        non-8-bit or oddly banded tile, tiles missing the site, a bad CRS, extent
        or resolution, an output folder that is missing or not writable.
    """
    report = progress if progress is not None else _no_progress
    site_crs, unit_m = _site_crs(crs)
    site_bounds = _check_bounds(bounds)
    margin = _check_length("margin_m", margin_m, allow_zero=True) / unit_m
    resolution = None
    if resolution_m is not None:
        resolution = _check_length("resolution_m", resolution_m, allow_zero=False) / unit_m
    if not tiles:
        raise InputError("tiles: no image tiles given")
    out = Path(os.fspath(out_path))
    _check_output_folder(out)

    report(0.0, "reading tiles")
    with ExitStack() as stack:
        area = (
            site_bounds[0] - margin,
            site_bounds[1] - margin,
            site_bounds[2] + margin,
            site_bounds[3] + margin,
        )
        used: list[_Tile] = []
        skipped: list[Path] = []
        reaches_site = False
        for i, tile_path in enumerate(tiles):
            tile = _open_tile(Path(os.fspath(tile_path)), site_crs, stack)
            if _intersects(tile.footprint, area):
                used.append(tile)
                reaches_site = reaches_site or _intersects(tile.footprint, site_bounds)
            else:
                tile.dataset.close()
                skipped.append(tile.path)
            report(_P_INSPECT * (i + 1) / len(tiles), "reading tiles")
        if not reaches_site:
            names = ", ".join(os.fspath(t) for t in tiles[:3]) + (", ..." if len(tiles) > 3 else "")
            raise InputError(
                f"{names}: none of the {len(tiles)} tile(s) overlaps the site extent "
                f"{_fmt_bounds(site_bounds)} in {crs}"
            )

        if resolution is None:
            resolution = _round_sig(min(t.resolution for t in used))
        grid_bounds, width, height = _grid(area, resolution)
        if width * height > MAX_PIXELS:
            raise InputError(
                f"resolution_m: {resolution * unit_m:g} m gives a {width}×{height} px "
                f"image, too large; choose a coarser resolution"
            )
        _write(out, used, site_crs, grid_bounds, resolution, width, height, report)

    report(1.0, "done")
    return ImportReport(
        out_path=out,
        width=width,
        height=height,
        resolution=resolution,
        bounds=grid_bounds,
        tiles_used=len(used),
        tiles_skipped=tuple(skipped),
    )


# ---------------------------------------------------------------------------
# Checking arguments


def _no_progress(fraction: float, label: str) -> None:
    """Progress sink used when the caller passes none."""


def _site_crs(text: str) -> tuple[CRS, float]:
    """The site CRS and the size of its unit in metres."""
    from rasterio.crs import CRS
    from rasterio.errors import CRSError

    try:
        site = CRS.from_user_input(text)
    except (CRSError, TypeError, ValueError) as exc:
        raise InputError(f"crs: {text!r} is not a known CRS ({_short(exc)})") from None
    if not site.is_projected:
        # Margins and resolutions are lengths: a geographic CRS has none.
        raise InputError(f"crs: {text!r} is not a projected CRS (site CRS must be in metres)")
    _, factor = site.linear_units_factor
    return site, float(factor)


def _check_bounds(bounds: Any) -> tuple[float, float, float, float]:
    try:
        minx, miny, maxx, maxy = (float(v) for v in bounds)
    except (TypeError, ValueError):
        raise InputError(f"bounds: expected (minx, miny, maxx, maxy), got {bounds!r}") from None
    if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):
        raise InputError(f"bounds: not finite numbers: {bounds!r}")
    if not (minx < maxx and miny < maxy):
        raise InputError(f"bounds: empty extent {bounds!r} (need minx < maxx and miny < maxy)")
    return minx, miny, maxx, maxy


def _check_length(name: str, value: Any, *, allow_zero: bool) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name}: not a number: {value!r}") from None
    if not math.isfinite(number) or number < 0 or (number == 0 and not allow_zero):
        raise InputError(f"{name}: must be {'>= 0' if allow_zero else '> 0'}, got {value!r}")
    return number


def _check_output_folder(out: Path) -> None:
    folder = out.parent
    if out.is_dir():
        raise InputError(f"{out}: is a folder, not an image file name")
    if not folder.is_dir():
        raise InputError(f"{out}: output folder {folder} does not exist")
    # Create (then remove) a file rather than trust os.access, which ignores
    # ACLs, read-only mounts and the like.
    probe = folder / f".{out.name}.{secrets.token_hex(4)}.probe"
    try:
        probe.open("xb").close()
        probe.unlink()
    except OSError as exc:
        raise InputError(f"{out}: output folder {folder} is not writable ({exc.strerror})") from None


# ---------------------------------------------------------------------------
# Inspecting tiles


def _open_tile(path: Path, site_crs: CRS, stack: ExitStack) -> _Tile:
    """Open one tile, check it and work out its bands, footprint and resolution."""
    import rasterio
    from rasterio.enums import ColorInterp
    from rasterio.errors import NotGeoreferencedWarning

    name = str(path)
    if not name.startswith("/vsi"):
        if not path.exists():
            raise InputError(f"{path}: no such file")
        if path.is_dir():
            raise InputError(f"{path}: is a folder, not an image")
    try:
        with warnings.catch_warnings():
            # Not being georeferenced is checked below, with a proper message.
            warnings.simplefilter("ignore", NotGeoreferencedWarning)
            ds = stack.enter_context(rasterio.open(path))
    except _gdal_errors() as exc:
        raise InputError(f"{path}: not a readable image ({_short(exc)})") from None

    if ds.count == 0:
        raise InputError(f"{path}: has no image bands")
    # GDAL reports a missing geotransform as the identity.
    no_transform = ds.transform.is_identity
    if no_transform and ds.gcps[0]:
        raise InputError(f"{path}: georeferenced by control points only; rectify it first (gdalwarp)")
    missing = [
        what for what, absent in (("no CRS", ds.crs is None), ("no geotransform", no_transform)) if absent
    ]
    if missing:
        raise InputError(f"{path}: not georeferenced ({', '.join(missing)})")
    deep = [dtype for dtype in ds.dtypes if dtype != "uint8"]
    if deep:
        raise InputError(f"{path}: {deep[0]} pixels; only 8-bit images are supported")

    interp = ds.colorinterp
    alpha = next((i + 1 for i, ci in enumerate(interp) if ci == ColorInterp.alpha), 0)
    colour = tuple(b for b in range(1, ds.count + 1) if b != alpha)
    palette = None
    if len(colour) == 1:
        if interp[colour[0] - 1] == ColorInterp.palette:
            palette = _palette_lut(ds, colour[0])
    elif len(colour) in (3, 4):
        colour = colour[:3]  # RGB, or RGB + near infra-red whose NIR is dropped
    else:
        raise InputError(f"{path}: {ds.count} bands; expected 1 (grey), 3 (RGB) or 4 (RGBA or RGB+NIR)")

    footprint, resolution = _footprint(ds, site_crs, path)
    return _Tile(path, ds, colour, alpha, palette, footprint, resolution, ds.crs == site_crs)


def _palette_lut(ds: DatasetReader, band: int) -> np.ndarray:
    """A (256, 4) RGBA lookup table from a palette band's colour table."""
    import numpy as np

    try:
        cmap = ds.colormap(band)
    except ValueError:
        raise InputError(f"{ds.name}: palette image without a colour table") from None
    lut = np.zeros((256, 4), np.uint8)  # indexes missing from the table: transparent
    for index, rgba in cmap.items():
        if 0 <= index < 256:
            lut[index] = rgba
    return lut


def _footprint(
    ds: DatasetReader, site_crs: CRS, path: Path
) -> tuple[tuple[float, float, float, float], float]:
    """The tile's bounding box and native pixel size, both in site CRS units."""
    from rasterio.warp import transform, transform_bounds

    t = ds.transform
    # The corners, not ds.bounds, so that a rotated geotransform is still right.
    corners = [_apply(t, c, r) for c, r in ((0, 0), (ds.width, 0), (0, ds.height), (ds.width, ds.height))]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    own = (min(xs), min(ys), max(xs), max(ys))
    try:
        if ds.crs == site_crs:
            box = own
        else:
            box = transform_bounds(ds.crs, site_crs, *own, densify_pts=21)
        if ds.crs == site_crs and t.b == 0 and t.d == 0:
            resolution = min(abs(t.a), abs(t.e))
        else:
            # Measure a pixel at the centre of the tile in the site CRS: step k
            # pixels along a row and along a column (k > 1 to beat rounding).
            k = max(1, min(ds.width, ds.height) // 4)
            col, row = ds.width / 2, ds.height / 2
            points = [_apply(t, col, row), _apply(t, col + k, row), _apply(t, col, row + k)]
            xs, ys = transform(ds.crs, site_crs, [p[0] for p in points], [p[1] for p in points])
            along_row = math.hypot(xs[1] - xs[0], ys[1] - ys[0]) / k
            along_col = math.hypot(xs[2] - xs[0], ys[2] - ys[0]) / k
            resolution = min(along_row, along_col)
    except _gdal_errors() as exc:
        raise InputError(f"{path}: cannot transform its extent to the site CRS ({_short(exc)})") from None
    if not all(math.isfinite(v) for v in (*box, resolution)) or resolution <= 0:
        raise InputError(f"{path}: cannot transform its extent to the site CRS")
    return (float(box[0]), float(box[1]), float(box[2]), float(box[3])), float(resolution)


def _apply(t: Affine, col: float, row: float) -> tuple[float, float]:
    """Map coordinates of a pixel position.

    Spelled out because ``Affine * tuple`` (used by several rasterio helpers)
    warns with affine 3.
    """
    return t.a * col + t.b * row + t.c, t.d * col + t.e * row + t.f


# ---------------------------------------------------------------------------
# Output grid and writing


def _grid(
    area: tuple[float, float, float, float], resolution: float
) -> tuple[tuple[float, float, float, float], int, int]:
    """Widen ``area`` to whole pixels on a grid anchored at multiples of ``resolution``.

    Anchoring at multiples of the pixel size keeps the output pixels on the same
    grid as BD ORTHO tiles (whose corners are whole multiples of 0.2 m or 0.5 m),
    so at native resolution pixels are copied, not resampled.
    """
    eps = 1e-6  # absorbs float noise such as 3249999.9999999995
    col0 = math.floor(area[0] / resolution + eps)
    row0 = math.floor(area[1] / resolution + eps)
    col1 = math.ceil(area[2] / resolution - eps)
    row1 = math.ceil(area[3] / resolution - eps)
    width, height = max(col1 - col0, 1), max(row1 - row0, 1)
    box = (
        col0 * resolution,
        row0 * resolution,
        (col0 + width) * resolution,
        (row0 + height) * resolution,
    )
    return box, width, height


def _overview_factors(width: int, height: int) -> list[int]:
    """2, 4, 8, ... until the smallest side drops below one TIFF tile."""
    side = min(width, height)
    factors: list[int] = []
    factor = 1
    while math.ceil(side / factor) >= TILE_PX:
        factor *= 2
        factors.append(factor)
    return factors


def _write(
    out: Path,
    tiles: list[_Tile],
    site_crs: CRS,
    box: tuple[float, float, float, float],
    resolution: float,
    width: int,
    height: int,
    report: ProgressFn,
) -> None:
    """Warp the tiles block by block into a temporary GeoTIFF, then rename it."""
    import rasterio
    from rasterio.enums import Resampling
    from rasterio.transform import Affine
    from rasterio.windows import Window

    transform = Affine(resolution, 0.0, box[0], 0.0, -resolution, box[3])
    profile = {
        "driver": "GTiff",
        "width": width,
        "height": height,
        "count": 3,
        "dtype": "uint8",
        "crs": site_crs,
        "transform": transform,
        "tiled": True,
        "blockxsize": TILE_PX,
        "blockysize": TILE_PX,
        "compress": "JPEG",
        "photometric": "YCBCR",  # needs pixel interleaving; ~3x smaller than RGB JPEG
        "interleave": "pixel",
        "jpeg_quality": JPEG_QUALITY,
        "bigtiff": "IF_SAFER",
    }
    env = {
        "GDAL_CACHEMAX": CACHE_BYTES,
        # Internal overviews in the same layout as the full-resolution image.
        "GDAL_TIFF_OVR_BLOCKSIZE": TILE_PX,
        "COMPRESS_OVERVIEW": "JPEG",
        "PHOTOMETRIC_OVERVIEW": "YCBCR",
        "INTERLEAVE_OVERVIEW": "PIXEL",
        "JPEG_QUALITY_OVERVIEW": JPEG_QUALITY,
    }
    blocks = [
        Window(col, row, min(BLOCK_PX, width - col), min(BLOCK_PX, height - row))
        for row in range(0, height, BLOCK_PX)
        for col in range(0, width, BLOCK_PX)
    ]
    tmp = out.with_name(f".{out.name}.{secrets.token_hex(4)}.part.tif")
    try:
        try:
            # Create it ourselves so that it gets the usual permissions (umask).
            tmp.open("xb").close()
        except OSError as exc:
            raise InputError(f"{out}: cannot create a file beside it ({exc.strerror})") from None
        with rasterio.Env(**env):
            try:
                dst = rasterio.open(tmp, "w", **profile)
            except _gdal_errors() as exc:
                raise InputError(f"{out}: cannot write the image ({_short(exc)})") from None
            with dst:
                for i, window in enumerate(blocks):
                    rgb = _render_block(tiles, window, transform, site_crs)
                    try:
                        dst.write(rgb, window=window)
                    except _gdal_errors() as exc:
                        raise InputError(f"{out}: cannot write the image ({_short(exc)})") from None
                    report(_P_INSPECT + (_P_WARP - _P_INSPECT) * (i + 1) / len(blocks), "warping")
                factors = _overview_factors(width, height)
                if factors:
                    report(_P_WARP, "building overviews")
                    try:
                        dst.build_overviews(factors, Resampling.average)
                    except _gdal_errors() as exc:
                        raise InputError(f"{out}: cannot write overviews ({_short(exc)})") from None
                    dst.update_tags(ns="rio_overview", resampling="average")
        report(_P_OVERVIEWS, "finishing")
        try:
            os.replace(tmp, out)
        except OSError as exc:
            raise InputError(f"{out}: cannot replace it ({exc.strerror})") from None
    except BaseException:
        # Includes KeyboardInterrupt: never leave a half-written image behind.
        for leftover in (tmp, tmp.with_name(tmp.name + ".aux.xml")):
            leftover.unlink(missing_ok=True)
        raise
    # GDAL may leave side-car metadata named after the temporary file.
    tmp.with_name(tmp.name + ".aux.xml").unlink(missing_ok=True)


def _render_block(
    tiles: list[_Tile],
    window: Window,
    transform: Affine,
    site_crs: CRS,
) -> np.ndarray:
    """The RGB pixels of one output block: tiles painted in order over the fill."""
    import numpy as np
    import rasterio
    from rasterio.transform import Affine
    from rasterio.warp import reproject

    h, w = int(window.height), int(window.width)
    rgb = np.empty((3, h, w), np.uint8)
    rgb[:] = np.array(FILL_RGB, np.uint8)[:, None, None]
    filled = np.zeros((h, w), bool)
    # The block's own georeferencing; no rasterio.windows helpers, which warn
    # with affine 3 (see _apply).
    x0, y0 = _apply(transform, window.col_off, window.row_off)
    x1, y1 = _apply(transform, window.col_off + w, window.row_off + h)
    block_box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    block_transform = Affine(transform.a, transform.b, x0, transform.d, transform.e, y0)

    for tile in tiles:
        if not _intersects(tile.footprint, block_box):
            continue
        resampling = _resampling(tile, transform)
        n = len(tile.colour_bands)
        # The last band receives the warper's validity (alpha, nodata, masks).
        warped = np.zeros((n + 1, h, w), np.uint8)
        try:
            reproject(
                rasterio.band(tile.dataset, list(tile.colour_bands)),
                warped,
                src_alpha=tile.alpha_band,
                dst_transform=block_transform,
                dst_crs=site_crs,
                dst_alpha=n + 1,
                resampling=resampling,
            )
        except _gdal_errors() as exc:
            raise InputError(
                f"{tile.path}: cannot read image data, the file may be truncated or corrupt ({_short(exc)})"
            ) from None

        valid = warped[n] > 0
        if tile.palette is not None:
            looked_up = tile.palette[warped[0]]  # (h, w, 4)
            valid &= looked_up[..., 3] > 0
            colours = np.moveaxis(looked_up[..., :3], -1, 0)
        elif n == 1:
            colours = np.broadcast_to(warped[0], (3, h, w))
        else:
            colours = warped[:3]
        paint = valid & ~filled
        # copyto with a mask, not boolean indexing: several times faster on
        # millions of pixels.
        np.copyto(rgb, colours, where=paint)
        filled |= paint
        if filled.all():
            break
    return rgb


def _resampling(tile: _Tile, grid: Affine) -> Resampling:
    """How to resample ``tile`` onto the output ``grid``."""
    from rasterio.enums import Resampling

    if tile.palette is not None:
        return Resampling.nearest  # palette indexes cannot be averaged
    t = tile.dataset.transform
    same_size = math.isclose(t.a, grid.a, rel_tol=1e-9) and math.isclose(t.e, grid.e, rel_tol=1e-9)
    if tile.same_crs and t.b == 0 and t.d == 0 and same_size:
        cols = (t.c - grid.c) / grid.a
        rows = (t.f - grid.f) / grid.e
        if abs(cols - round(cols)) < 1e-6 and abs(rows - round(rows)) < 1e-6:
            # Same pixel grid (BD ORTHO at native resolution): a plain copy, which
            # is what bilinear would give too, only faster.
            return Resampling.nearest
    if grid.a >= 2 * tile.resolution:
        return Resampling.average  # downsampling: average every pixel, do not alias
    return Resampling.bilinear


# ---------------------------------------------------------------------------
# Small helpers


def _intersects(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """Whether two (minx, miny, maxx, maxy) boxes share some area."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _gdal_errors() -> tuple[type[BaseException], ...]:
    """The exceptions rasterio raises for data GDAL cannot handle."""
    from rasterio.errors import RasterioError

    errors: tuple[type[BaseException], ...] = (RasterioError, OSError)
    try:
        # GDAL's own errors do not derive from RasterioError; the class lives in a
        # private module, hence the guard.
        from rasterio._err import CPLE_BaseError

        errors += (CPLE_BaseError,)
    except ImportError:  # pragma: no cover - depends on the rasterio release
        pass
    return errors


def _short(exc: BaseException) -> str:
    """An exception's message on one line, short enough for an error line."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def _round_sig(value: float) -> float:
    """``value`` to 6 significant digits: 0.2000000001 is 0.2."""
    return float(f"{value:.6g}")


def _fmt_bounds(box: tuple[float, ...]) -> str:
    return "(" + ", ".join(f"{v:.1f}" for v in box) + ")"
