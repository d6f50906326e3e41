"""The site's aerial image, opened lazily: metadata now, pixels on demand.

Opening reads the header only (size, CRS, bounds, resolution, overviews);
:meth:`Imagery.read` reads a window at the overview level that matches the
wanted output resolution, so a view never decodes more than it shows.
"""

from __future__ import annotations

import os
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


class Imagery:
    """A read-only handle on a georeferenced image; opened once, read many times."""

    def __init__(self, info: ImageryInfo) -> None:
        self.info = info
        self._ds = None

    def _dataset(self):
        if self._ds is None:
            import rasterio

            self._ds = rasterio.open(self.info.path)
        return self._ds

    def close(self) -> None:
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

    def read(
        self,
        bounds: tuple[float, float, float, float],
        out_shape: tuple[int, int],
    ) -> np.ndarray:
        """RGB pixels (``out_shape`` rows × cols × 3, uint8) covering ``bounds``.

        GDAL picks the overview matching ``out_shape``, so only what is shown is
        decoded. Parts outside the image come out black.
        """
        from rasterio.enums import Resampling
        from rasterio.windows import from_bounds

        ds = self._dataset()
        window = from_bounds(*bounds, transform=ds.transform)
        bands = [1, 2, 3] if ds.count >= 3 else [1, 1, 1]
        data = ds.read(
            bands,
            window=window,
            out_shape=(3, out_shape[0], out_shape[1]),
            boundless=True,
            fill_value=0,
            resampling=Resampling.bilinear,
        )
        return np.ascontiguousarray(np.moveaxis(data, 0, -1))


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
