"""The site's aerial image, opened lazily: metadata now, pixels on demand.

Opening reads the header only (size, CRS, bounds, resolution, overviews);
:meth:`Imagery.read` reads a window at the overview level that matches the
wanted output resolution, so a view never decodes more than it shows.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from zacviz.errors import InputError


@dataclass(frozen=True)
class ImageryInfo:
    path: Path
    width: int
    height: int
    count: int
    crs: str | None
    bounds: tuple[float, float, float, float]
    resolution: tuple[float, float]
    overviews: tuple[int, ...]
    block_shape: tuple[int, int]
    compression: str | None

    def describe(self) -> str:
        return (
            f"imagery {self.width}×{self.height} px, {self.resolution[0]:g} m/px, "
            f"{self.crs}, overviews {list(self.overviews)}"
        )


# GDAL keeps decoded blocks in a process-wide cache that grows, by default, to
# 5 % of the machine's memory. The plan needs a few screens of blocks (the whole
# bundled site at the level a full-HD view reads is 22 MB): bound it, in
# megabytes, unless the user has set it.
os.environ.setdefault("GDAL_CACHEMAX", "32")


@dataclass(frozen=True)
class Level:
    """One level of the image's pyramid: the full image (factor 1) or an overview."""

    factor: int
    width: int
    height: int
    index: int | None
    """``None`` for the full image, else GDAL's overview number."""


class Imagery:
    """A read-only handle on a georeferenced image; opened once, read many times.

    A handle is not shared between threads; :func:`acquire` lends handles that
    stay open for the life of the process, so GDAL's block cache (kept per
    open dataset) serves every later read of the same blocks.
    """

    def __init__(self, info: ImageryInfo) -> None:
        self.info = info
        self._ds = None
        self._levels: dict[int | None, object] = {}

    def _dataset(self):
        if self._ds is None:
            import rasterio

            self._ds = rasterio.open(self.info.path)
        return self._ds

    def _level_dataset(self, index: int | None):
        if index is None:
            return self._dataset()
        ds = self._levels.get(index)
        if ds is None:
            import rasterio

            ds = self._levels[index] = rasterio.open(self.info.path, overview_level=index)
        return ds

    def close(self) -> None:
        for ds in self._levels.values():
            ds.close()  # type: ignore[attr-defined]
        self._levels.clear()
        if self._ds is not None:
            self._ds.close()
            self._ds = None

    def level_for(self, metres_per_pixel: float) -> int:
        """The coarsest overview factor still finer than ``metres_per_pixel``."""
        best = 1
        for f in self.info.overviews:
            if self.info.resolution[0] * f <= metres_per_pixel * 1.0001:
                best = max(best, f)
        return best

    def level(self, factor: int) -> Level | None:
        """The pyramid level of ``factor`` (1: the full image), None if the file has none."""
        if factor == 1:
            return Level(1, self.info.width, self.info.height, None)
        for index, f in enumerate(self.info.overviews):
            if f == factor:
                ds = self._level_dataset(index)
                return Level(f, ds.width, ds.height, index)
        return None

    def read_level(
        self, level: Level, col: int, row: int, width: int, height: int, out: np.ndarray | None = None
    ) -> np.ndarray:
        """Pixels of ``level`` as stored, rows ``row…row+height``, columns ``col…col+width``:
        (bands, height, width) uint8, RGB (a one-band image repeated). The window
        must lie inside the level: no resampling, no padding, so GDAL only copies
        its cached blocks.

        ``out``: a C-contiguous uint8 array of at least 3 × ``height`` × ``width``
        bytes to read into, and whose start is returned, shaped. A buffer used
        again is already mapped: a fresh one costs a page fault every 4 kB, more
        than the copy itself."""
        from rasterio.windows import Window

        ds = self._level_dataset(level.index)
        bands = [1, 2, 3] if ds.count >= 3 else [1, 1, 1]
        if out is not None:
            out = out.reshape(-1)[: 3 * height * width].reshape(3, height, width)
        return ds.read(bands, window=Window(col, row, width, height), out=out)

    def read(
        self,
        bounds: tuple[float, float, float, float],
        out_shape: tuple[int, int],
        nearest: bool = False,
    ) -> np.ndarray:
        """RGB pixels (``out_shape`` rows × cols × 3, uint8) covering ``bounds``.

        GDAL picks the overview matching ``out_shape``, so only what is shown is
        decoded; it resamples bilinearly unless ``nearest``. Parts outside the
        image come out black.
        """
        from rasterio.enums import Resampling
        from rasterio.windows import Window

        rows, cols = out_shape
        out = np.zeros((rows, cols, 3), dtype=np.uint8)
        x0, y0, x1, y1 = bounds
        ix0, iy0, ix1, iy1 = self.info.bounds
        if not (x1 > x0 and y1 > y0) or x1 <= ix0 or x0 >= ix1 or y1 <= iy0 or y0 >= iy1:
            return out
        # The part of the output inside the image, on whole output pixels, and
        # the image window under it (fractional: GDAL reads sub-pixel windows).
        sx, sy = (x1 - x0) / cols, (y1 - y0) / rows
        c0 = max(0, math.ceil((ix0 - x0) / sx - 1e-6))
        c1 = min(cols, math.floor((ix1 - x0) / sx + 1e-6))
        r0 = max(0, math.ceil((y1 - iy1) / sy - 1e-6))
        r1 = min(rows, math.floor((y1 - iy0) / sy + 1e-6))
        if c1 <= c0 or r1 <= r0:
            return out
        rx, ry = self.info.resolution
        window = Window(
            (x0 + c0 * sx - ix0) / rx,
            (iy1 - (y1 - r0 * sy)) / ry,
            (c1 - c0) * sx / rx,
            (r1 - r0) * sy / ry,
        )
        ds = self._dataset()
        bands = [1, 2, 3] if ds.count >= 3 else [1, 1, 1]
        data = ds.read(
            bands,
            window=window,
            out_shape=(3, r1 - r0, c1 - c0),
            resampling=Resampling.nearest if nearest else Resampling.bilinear,
        )
        out[r0:r1, c0:c1] = np.moveaxis(data, 0, -1)
        return out


_pool_lock = threading.Lock()
_free: dict[Path, list[Imagery]] = {}


@contextmanager
def acquire(info: ImageryInfo) -> Iterator[Imagery]:
    """Borrow a handle on ``info``'s image for one thread; it goes back to the pool after.

    Handles are opened on demand (one per thread reading at the same time) and
    kept: closing one would drop its part of GDAL's block cache.
    """
    with _pool_lock:
        free = _free.setdefault(info.path, [])
        handle = free.pop() if free else None
    if handle is None or handle.info != info:
        handle = Imagery(info)
    try:
        yield handle
    finally:
        with _pool_lock:
            _free.setdefault(info.path, []).append(handle)


def open_imagery(path: str | os.PathLike[str]) -> ImageryInfo:
    """Read an image's header. InputError if it is missing, unreadable or not georeferenced."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"imagery {p.name}: no such file")
    import warnings

    import rasterio
    from rasterio.errors import NotGeoreferencedWarning, RasterioIOError

    try:
        with warnings.catch_warnings():
            # An image without georeferencing is refused just below, by name.
            warnings.simplefilter("ignore", NotGeoreferencedWarning)
            ds = rasterio.open(p)
        with ds:
            if ds.crs is None or ds.transform.is_identity:
                raise InputError(f"imagery {p.name}: not georeferenced (no CRS or no geotransform)")
            crs = ds.crs.to_string()
            ovr = tuple(ds.overviews(1)) if ds.count else ()
            return ImageryInfo(
                path=p,
                width=ds.width,
                height=ds.height,
                count=ds.count,
                crs=crs,
                bounds=tuple(ds.bounds),  # type: ignore[arg-type]
                resolution=(abs(ds.res[0]), abs(ds.res[1])),
                overviews=ovr,
                block_shape=tuple(ds.block_shapes[0]) if ds.count else (0, 0),  # type: ignore[arg-type]
                compression=ds.compression.name if ds.compression else None,
            )
    except RasterioIOError as exc:
        raise InputError(f"imagery {p.name}: cannot be read ({str(exc).splitlines()[0]})") from None
