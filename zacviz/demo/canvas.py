"""A band of the aerial image being painted: pixels, heights and helpers.

The generator paints the image in horizontal bands with a margin (``halo``)
around each, so that shadows and blurs near a band edge see what lies beyond
it; only the band's core is kept. All drawing is in map coordinates, so the
band split never shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from rasterio import features
from rasterio.transform import Affine
from shapely.geometry.base import BaseGeometry

from zacviz.demo.noise import hash2

Colour = tuple[float, float, float]


def rgb(c: Iterable[float]) -> np.ndarray:
    """An 8-bit colour as a float32 triple in [0, 1]."""
    return np.asarray(list(c), np.float32) / np.float32(255.0)


@dataclass
class Window:
    """A sub-rectangle of the canvas (row and column slices) and its map coordinates."""

    rows: slice
    cols: slice
    xs: np.ndarray
    ys: np.ndarray
    transform: Affine

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.ys), len(self.xs))


@dataclass
class Canvas:
    """Pixels of one band: colour, object heights and canopy, in map coordinates.

    Parameters
    ----------
    left, top:
        Map coordinates of the band's top-left corner (halo included).
    res:
        Pixel size in metres.
    height, width:
        Size in pixels.
    row0, col0:
        Position of the band's first pixel in the whole image (for per-pixel
        noise that does not depend on the band split).
    """

    left: float
    top: float
    res: float
    height: int
    width: int
    row0: int
    col0: int
    image: np.ndarray = field(init=False)
    objects: np.ndarray = field(init=False)  # height above ground of buildings, vehicles...
    canopy: np.ndarray = field(init=False)  # height of tree crowns
    canopy_tint: np.ndarray = field(init=False)
    relief: np.ndarray = field(init=False)  # small slopes that catch the light (roof pitches)
    xs: np.ndarray = field(init=False)  # map x of the column centres
    ys: np.ndarray = field(init=False)  # map y of the row centres

    def __post_init__(self) -> None:
        shape = (self.height, self.width)
        self.image = np.zeros((*shape, 3), np.float32)
        self.objects = np.zeros(shape, np.float32)
        self.canopy = np.zeros(shape, np.float32)
        self.canopy_tint = np.zeros(shape, np.float32)
        self.relief = np.zeros(shape, np.float32)
        self.xs = self.left + (np.arange(self.width) + 0.5) * self.res
        self.ys = self.top - (np.arange(self.height) + 0.5) * self.res

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return (self.left, self.top - self.height * self.res, self.left + self.width * self.res, self.top)

    def window(self, bounds: tuple[float, float, float, float], pad_m: float = 0.0) -> Window | None:
        """The part of the canvas covering ``bounds`` (None if outside)."""
        minx, miny, maxx, maxy = bounds
        c0 = max(0, int(np.floor((minx - pad_m - self.left) / self.res)))
        c1 = min(self.width, int(np.ceil((maxx + pad_m - self.left) / self.res)))
        r0 = max(0, int(np.floor((self.top - maxy - pad_m) / self.res)))
        r1 = min(self.height, int(np.ceil((self.top - miny + pad_m) / self.res)))
        if c0 >= c1 or r0 >= r1:
            return None
        t = Affine(self.res, 0.0, self.left + c0 * self.res, 0.0, -self.res, self.top - r0 * self.res)
        return Window(slice(r0, r1), slice(c0, c1), self.xs[c0:c1], self.ys[r0:r1], t)

    def full(self) -> Window:
        t = Affine(self.res, 0.0, self.left, 0.0, -self.res, self.top)
        return Window(slice(0, self.height), slice(0, self.width), self.xs, self.ys, t)

    def coverage(self, geoms: Iterable[BaseGeometry], win: Window, supersample: int = 2) -> np.ndarray:
        """Share of each pixel of ``win`` covered by ``geoms`` (float32, anti-aliased)."""
        shapes = [(g, 1) for g in geoms if g is not None and not g.is_empty]
        h, w = win.shape
        if not shapes:
            return np.zeros((h, w), np.float32)
        s = max(1, int(supersample))
        t = win.transform @ Affine.scale(1.0 / s)
        burnt = features.rasterize(shapes, out_shape=(h * s, w * s), transform=t, fill=0, dtype="uint8")
        if s == 1:
            return burnt.astype(np.float32)
        total = np.zeros((h, w), np.uint16)
        for i in range(s):
            for j in range(s):
                total += burnt[i::s, j::s]
        return total.astype(np.float32) * np.float32(1.0 / (s * s))

    def mask_of(
        self, geoms: BaseGeometry | list[BaseGeometry], pad_m: float = 0.0, supersample: int = 2
    ) -> tuple[Window, np.ndarray] | None:
        """Window and coverage of some geometries, or None when they miss the band."""
        items = geoms if isinstance(geoms, list) else [geoms]
        items = [g for g in items if g is not None and not g.is_empty]
        if not items:
            return None
        minx = min(g.bounds[0] for g in items)
        miny = min(g.bounds[1] for g in items)
        maxx = max(g.bounds[2] for g in items)
        maxy = max(g.bounds[3] for g in items)
        win = self.window((minx, miny, maxx, maxy), pad_m)
        if win is None:
            return None
        alpha = self.coverage(items, win, supersample)
        if not alpha.any():
            return None
        return win, alpha

    def paint(self, win: Window, alpha: np.ndarray, colour: np.ndarray) -> None:
        """Blend ``colour`` (a triple or an image of the window) over the canvas."""
        dst = self.image[win.rows, win.cols]
        a = alpha[..., None]
        dst += (colour - dst) * a

    def pixel_noise(self, win: Window, seed: int) -> np.ndarray:
        """White noise in [-1, 1], one value per image pixel (independent of the bands)."""
        rows = np.arange(win.rows.start, win.rows.stop) + self.row0
        cols = np.arange(win.cols.start, win.cols.stop) + self.col0
        return hash2(cols[None, :], rows[:, None], seed) * 2.0 - 1.0

    def grids(self, win: Window) -> tuple[np.ndarray, np.ndarray]:
        """Map x and y of every pixel centre of ``win`` (2-D, float64)."""
        return np.meshgrid(win.xs, win.ys)
