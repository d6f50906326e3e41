"""Coordinate reference systems through GDAL's PROJ (rasterio), imported on use.

The aerial image already needs rasterio, which brings GDAL and PROJ: naming a
CRS and moving points between two goes through it too, so the application
carries one PROJ (the frozen bundle 16 MB lighter than with pyproj's own).

GDAL's messages go nowhere but into the exceptions: every call runs inside a
``rasterio.Env``, without which GDAL prints ``ERROR 1: ...`` on stderr beside
the program's one ``error:`` line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from rasterio.crs import CRS


class UnknownCRSError(ValueError):
    """A CRS name PROJ does not know (its message is PROJ's reason)."""


def parse_crs(name: str) -> CRS:
    """The CRS ``name`` stands for (``EPSG:2154``, a URN, WKT, PROJ string...).

    Raises :class:`UnknownCRSError` when PROJ does not know it.
    """
    import rasterio
    from rasterio._err import CPLE_BaseError
    from rasterio.crs import CRS
    from rasterio.errors import CRSError

    try:
        with rasterio.Env():
            return CRS.from_user_input(name)
    except (CRSError, CPLE_BaseError, TypeError, ValueError) as exc:
        raise UnknownCRSError(str(exc) or f"unknown CRS {name!r}") from None


def transform_xy(src: CRS, dst: CRS, x: npt.ArrayLike, y: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Points from ``src`` to ``dst``, in east, north order whatever the CRSs' axes.

    A point PROJ cannot transform (a latitude beyond the pole for a conic
    projection...) comes out as ``(inf, inf)``. GDAL refuses a whole call for
    one such point, so a refused call is bisected to its first failing point:
    the points before it are transformed, it and every point after it come out
    ``(inf, inf)``. Every caller refuses a geometry with a non-finite
    coordinate, the first one in order, so those after it never show.
    At most ``log2(len(x)) + 1`` calls to GDAL.
    """
    import rasterio
    from rasterio._err import CPLE_BaseError
    from rasterio.errors import TransformError
    from rasterio.warp import transform

    xs = np.asarray(x, dtype=float)
    ys = np.asarray(y, dtype=float)
    out_x = np.full(xs.shape, np.inf)
    out_y = np.full(ys.shape, np.inf)
    if xs.size == 0:
        return out_x, out_y

    def attempt(stop: int) -> bool:
        try:
            tx, ty = transform(src, dst, xs[:stop], ys[:stop])
        except (CPLE_BaseError, TransformError):
            return False
        out_x[:stop] = tx
        out_y[:stop] = ty
        return True

    with rasterio.Env():
        if attempt(xs.size):
            return out_x, out_y
        # The longest prefix that transforms: `good` points do, `bad` do not.
        good, bad = 0, xs.size
        while bad - good > 1:
            mid = (good + bad) // 2
            if attempt(mid):
                good = mid
            else:
                bad = mid
        # attempt() wrote the prefix of the last success; the rest is inf.
        out_x[good:] = np.inf
        out_y[good:] = np.inf
    return out_x, out_y
