"""The aerial image under the plan: tiles of a pyramid, read off the UI thread.

Level ``L`` has pixels of ``2**L`` times the image resolution; the view shows
the coarsest level whose pixels are still no larger than the screen's, so the
image stays crisp at every zoom while a zoomed-out view never decodes more than
it shows. A tile is one block of the overview of that level, copied as stored
(no resampling, no padding: GDAL's own speed), by a :class:`QThreadPool` whose
workers borrow rasterio handles that stay open, so GDAL's block cache serves
the next view too. Tiles are kept in a bounded LRU cache; while finer tiles
load, the coarser ones already there stay visible underneath. Drawn shrunk,
each screen pixel takes its nearest image pixel, like GIS software.

In the plan the tiles are not items of their own: the site layer over them
(:attr:`ImageryLayer.canvas`) paints them under its polygons, so its one cached
picture holds both, and a repaint after an edit blits it once instead of a
picture per tile and one more for the polygons over them.
"""

from __future__ import annotations

import math
import sys
import threading
import weakref
from collections import OrderedDict

import numpy as np
from PySide6.QtCore import QObject, QRectF, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QGraphicsItem

from zacviz.io.imagery import ImageryInfo, acquire

TILE_PX = 512
"""Tiles as large as GDAL's usual blocks: one tile, one block to decode."""
Z_BASE = -1000.0

TileKey = tuple[int, int, int]  # level, column, row
_LITTLE_ENDIAN = sys.byteorder == "little"


def tile_image(data: np.ndarray) -> QImage:
    """(bands, rows, cols) RGB from the image (row 0 north) → a QImage whose row 0 is
    south, for a painter whose y axis points up. Flipping costs a pass over the
    pixels: the plan's tiles use :func:`north_up_image` and flip when painting."""
    return north_up_image(np.ascontiguousarray(data[:, ::-1]))


def north_up_image(data: np.ndarray, buffers: TileBuffers | None = None) -> QImage:
    """(bands, rows, cols) RGB → a QImage of the same pixels in the same order (row 0
    north), without copying them again. RGB32 (``0xffRRGGBB`` words) is the format
    Qt paints without converting.

    ``buffers``: where to take the pixels' memory from (and give it back when the
    image is gone); else a new array. Their words' alpha bytes are 0xff already
    (:meth:`TileBuffers.take`): three byte copies instead of four."""
    _, h, w = data.shape
    opaque = False  # whether the alpha bytes are 0xff already
    if buffers is not None and h <= TILE_PX and w <= TILE_PX:
        whole = buffers.take()
        words = whole[:h, :w]
        stride = 4 * TILE_PX
        opaque = True
    else:
        whole = words = np.empty((h, w), dtype=np.uint32)
        stride = 4 * w
    if _LITTLE_ENDIAN:  # 0xffRRGGBB is B, G, R, 0xff in memory: byte copies
        rows = whole.shape[0]
        channels = whole.view(np.uint8).reshape(rows, -1, 4)[:h, :w]
        channels[..., 0] = data[2]
        channels[..., 1] = data[1]
        channels[..., 2] = data[0]
        if not opaque:
            channels[..., 3] = 255
    else:
        np.left_shift(data[0], 16, out=words, dtype=np.uint32)
        words |= np.left_shift(data[1], 8, dtype=np.uint32)
        words |= data[2]
        words |= np.uint32(0xFF000000)
    image = QImage(whole.data, w, h, stride, QImage.Format.Format_RGB32)
    image.ndarray = whole  # type: ignore[attr-defined]  # the pixels live as long as the image
    if buffers is not None and whole.shape == (TILE_PX, TILE_PX):
        weakref.finalize(image, buffers.give, whole)
    return image


class TileBuffers:
    """Pixel memory for tiles, used again once their image is gone.

    A new megabyte costs the kernel 256 page faults: on a busy machine, more than
    reading a tile from GDAL's cache and converting it. The plan's tiles come and
    go (a view read again, a picture drawn again, the cache evicting): their
    buffers wait here, up to ``keep`` of them, for the next tiles.
    Qt never keeps a tile's QImage beyond the image object (it paints it and
    forgets it), so a buffer is free again when the image is collected.
    """

    def __init__(self, keep: int = 32) -> None:
        self.keep = keep
        self._free: list[np.ndarray] = []
        self._lock = threading.Lock()

    def take(self) -> np.ndarray:
        """A (TILE_PX, TILE_PX) uint32 array whose words are 0xff?????? (opaque, of
        unspecified colour). A tile only writes their colour bytes, and Qt only
        reads a tile's image: the alpha bytes set for a new buffer stay 0xff
        while it goes round, and are not written again for each tile."""
        with self._lock:
            if self._free:
                return self._free.pop()
        return np.full((TILE_PX, TILE_PX), 0xFF000000, dtype=np.uint32)

    def give(self, buffer: np.ndarray) -> None:
        with self._lock:
            if len(self._free) < self.keep:
                self._free.append(buffer)

    @property
    def free(self) -> int:
        return len(self._free)


BUFFERS = TileBuffers()
"""The tile buffers every imagery layer of the process shares (32 MB at most)."""


class TileItem(QGraphicsItem):
    """One tile: an image painted into its rectangle of the plan.

    ``north_up``: the image's row 0 is the rectangle's north edge (its largest y),
    as :func:`north_up_image` makes it; else its south edge, as :func:`tile_image`.
    """

    def __init__(self, image: QImage, rect: QRectF, north_up: bool = False) -> None:
        super().__init__()
        self._image = image
        self._rect = rect
        self._north_up = north_up
        self.shown = False
        """Painted by the layer's canvas (when it has one: the tile is then no item of the scene)."""
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, False)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_cached(self, on: bool) -> None:
        """Keep the tile's scaled pixels (edits and pans blit them instead of scaling
        the image again); off, the cache's memory is freed."""
        mode = QGraphicsItem.CacheMode.DeviceCoordinateCache if on else QGraphicsItem.CacheMode.NoCache
        if self.cacheMode() != mode:
            self.setCacheMode(mode)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option, widget=None) -> None:
        # Edges not on whole pixels would be antialiased into faint seams between
        # tiles: paint without antialiasing, each tile grown by half a screen pixel.
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        # Each screen pixel takes its nearest image pixel, as GIS software draws
        # rasters: as crisp as the image, and Qt's fastest path.
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        t = painter.worldTransform()
        sx, sy = abs(t.m11()), abs(t.m22())
        gx = 0.5 / max(sx, 1e-12)
        gy = 0.5 / max(sy, 1e-12)
        if self._north_up:
            # The plan's y axis points up: mirror the rectangle onto itself, so
            # the image's first row lands on its north edge. The view already
            # flips y, so Qt then scales the image without mirroring it.
            r = self._rect
            painter.translate(0.0, r.top() + r.bottom())
            painter.scale(1.0, -1.0)
        painter.drawImage(self._rect.adjusted(-gx, -gy, gx, gy), self._image)


_local = threading.local()


def _scratch() -> np.ndarray:
    """This thread's buffer for one tile's bands, read again and again (see read_level)."""
    buf = getattr(_local, "scratch", None)
    if buf is None:
        buf = _local.scratch = np.empty(3 * TILE_PX * TILE_PX, dtype=np.uint8)
    return buf


class _Signals(QObject):
    loaded = Signal(object, object)  # key, QImage (or None on failure)


class _TileJob(QRunnable):
    def __init__(self, layer: ImageryLayer, key: TileKey) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.signals = layer._signals
        self.info = layer.info
        self.wanted = layer._wanted
        self.key = key
        self.window = layer.tile_window(key)
        self.bounds = layer.tile_bounds(key)
        self.level_shape = layer.level_shape(key[0])

    def run(self) -> None:
        if self.key not in self.wanted:
            self.signals.loaded.emit(self.key, None)
            return
        try:
            self.signals.loaded.emit(self.key, self.image())
        except Exception:  # a bad read leaves a hole, never a crash
            self.signals.loaded.emit(self.key, None)

    def image(self) -> QImage:
        """The tile, read and converted for painting (its memory from :data:`BUFFERS`)."""
        return north_up_image(self.read(), BUFFERS)

    def read(self) -> np.ndarray:
        """The tile's pixels, (bands, rows, cols); when read from an overview, they lie
        in this thread's scratch buffer, valid until the thread's next read."""
        col, row, w, h = self.window
        with acquire(self.info) as reader:
            level = reader.level(2 ** self.key[0])
            if level is not None and (level.width, level.height) == self.level_shape:
                return reader.read_level(level, col, row, w, h, out=_scratch())
            # No overview of that size in the file: GDAL subsamples a finer one.
            return np.moveaxis(reader.read(self.bounds, (h, w), nearest=True), -1, 0)


class ImageryLayer(QObject):
    """Tiles of ``info`` drawn in ``viewbox``, whose coordinates are the site's minus ``origin``."""

    def __init__(self, viewbox, info: ImageryInfo, origin: tuple[float, float], max_tiles: int = 48) -> None:
        super().__init__()
        self.viewbox = viewbox
        self.info = info
        self.origin = origin
        self.max_tiles = max_tiles
        self.cache_tiles = True
        """Tiles shown at their level keep their scaled pixels between paints (an
        offscreen picture painted once need not)."""
        self.canvas: QGraphicsItem | None = None
        """An item of the view box that paints the shown tiles (:meth:`paint_shown`)
        under its own content, in its own cache; None: each tile is an item."""
        self._screen_m = info.resolution[0]
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(2)
        self._signals = _Signals()
        self._signals.loaded.connect(self._on_loaded)
        self._tiles: OrderedDict[TileKey, TileItem] = OrderedDict()
        self._pending: set[TileKey] = set()
        self._wanted: set[TileKey] = set()
        self._level = 0
        self.visible = True
        x0, y0, x1, y1 = info.bounds
        self._res = info.resolution[0]
        self.max_level = max(0, math.ceil(math.log2(max(x1 - x0, y1 - y0) / self._res / TILE_PX)))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(15)
        self._timer.timeout.connect(self.update_view)
        viewbox.sigRangeChanged.connect(self.schedule)
        viewbox.sigResized.connect(self.schedule)

    # ------------------------------------------------------------ geometry

    def level_for(self, metres_per_px: float) -> int:
        if metres_per_px <= self._res:
            return 0
        return min(self.max_level, int(math.floor(math.log2(metres_per_px / self._res) + 1e-9)))

    def level_shape(self, level: int) -> tuple[int, int]:
        """Columns and rows of the image at ``level``, as GDAL sizes an overview."""
        f = 2**level
        return (-(-self.info.width // f), -(-self.info.height // f))

    def _pixel(self, level: int) -> tuple[float, float]:
        """The size of a pixel of ``level`` in metres (x, y): the level spans the image."""
        x0, y0, x1, y1 = self.info.bounds
        w, h = self.level_shape(level)
        return (x1 - x0) / w, (y1 - y0) / h

    def tile_window(self, key: TileKey) -> tuple[int, int, int, int]:
        """The tile's pixels in its level (column, row, width, height): whole blocks,
        cut at the image's edge (what lies outside would read as black)."""
        level, i, j = key
        w, h = self.level_shape(level)
        col, row = i * TILE_PX, j * TILE_PX
        return col, row, min(TILE_PX, w - col), min(TILE_PX, h - row)

    def tile_bounds(self, key: TileKey) -> tuple[float, float, float, float]:
        """The tile's rectangle on the site."""
        col, row, w, h = self.tile_window(key)
        px, py = self._pixel(key[0])
        x0, _, _, y1 = self.info.bounds
        return (x0 + col * px, y1 - (row + h) * py, x0 + (col + w) * px, y1 - row * py)

    def tile_shape(self, key: TileKey) -> tuple[int, int]:
        """Rows and columns of a tile: TILE_PX for a whole one, fewer at the edge."""
        _, _, w, h = self.tile_window(key)
        return h, w

    def visible_keys(self) -> tuple[int, list[TileKey]]:
        vb = self.viewbox
        if vb.width() <= 0 or vb.height() <= 0:  # not laid out yet: nothing is shown
            return self._level, []
        (vx0, vx1), (vy0, vy1) = vb.viewRange()
        px = vb.viewPixelSize()[0]
        dpr = vb.scene().views()[0].devicePixelRatioF() if vb.scene() and vb.scene().views() else 1.0
        self._screen_m = px / max(dpr, 1.0)
        level = self.level_for(self._screen_m)
        ox, oy = self.origin
        x0, y0, x1, y1 = self.info.bounds
        px, py = self._pixel(level)
        span_x, span_y = TILE_PX * px, TILE_PX * py
        gx0, gx1 = max(vx0 + ox, x0), min(vx1 + ox, x1)
        gy0, gy1 = max(vy0 + oy, y0), min(vy1 + oy, y1)
        if gx1 <= gx0 or gy1 <= gy0:
            return level, []
        i0, i1 = int((gx0 - x0) // span_x), int(math.ceil((gx1 - x0) / span_x))
        j0, j1 = int((y1 - gy1) // span_y), int(math.ceil((y1 - gy0) / span_y))
        keys = [(level, i, j) for j in range(j0, j1) for i in range(i0, i1)]
        # Load from the centre out: what the eye looks at comes first.
        ci, cj = (i0 + i1) / 2.0, (j0 + j1) / 2.0
        keys.sort(key=lambda k: (k[1] + 0.5 - ci) ** 2 + (k[2] + 0.5 - cj) ** 2)
        return level, keys

    # ------------------------------------------------------------- loading

    def schedule(self, *args) -> None:
        self._timer.start()

    def update_view(self) -> None:
        if not self.visible:
            return
        level, keys = self.visible_keys()
        self._level = level
        self._wanted.clear()
        self._wanted.update(keys)
        for key in keys:
            if key in self._tiles:
                self._tiles.move_to_end(key)
            elif key not in self._pending:
                self._pending.add(key)
                self.pool.start(_TileJob(self, key))
        self._update_visibility()
        self._evict()

    def _update_visibility(self) -> None:
        """Show the current level; coarser tiles only while some of it is missing.

        Only the tiles of the current level drawn shrunk (or 1:1) keep a cache:
        their scaled pixels take no more memory than the screen they cover,
        while a tile blown up would cache many times its own size.
        """
        complete = all(k in self._tiles for k in self._wanted)
        shrunk = self._res * 2**self._level <= self._screen_m * 1.0001
        canvas = self.canvas
        for key, tile in self._tiles.items():
            if not self.visible:
                show = False
            elif key[0] == self._level:
                show = True
            else:
                show = key[0] > self._level and not complete
            if canvas is not None:
                if tile.shown != show:
                    self._changed(tile.boundingRect())
                tile.shown = show
                continue
            tile.shown = show
            tile.setVisible(show)
            tile.set_cached(self.cache_tiles and show and shrunk and key[0] == self._level)

    def _on_loaded(self, key: TileKey, image: QImage | None) -> None:
        self._pending.discard(key)
        if image is None or key in self._tiles:
            return
        x0, y0, x1, y1 = self.tile_bounds(key)
        ox, oy = self.origin
        item = TileItem(image, QRectF(x0 - ox, y0 - oy, x1 - x0, y1 - y0), north_up=True)
        item.setZValue(Z_BASE + (self.max_level - key[0]))
        item.setVisible(False)
        if self.canvas is None:
            self.viewbox.addItem(item, ignoreBounds=True)
        self._tiles[key] = item
        self._update_visibility()
        self._evict()

    def _evict(self) -> None:
        if len(self._tiles) <= self.max_tiles:
            return
        for key in list(self._tiles):
            if len(self._tiles) <= self.max_tiles:
                break
            if key in self._wanted:
                continue
            self._remove(self._tiles.pop(key))

    def _changed(self, rect: QRectF) -> None:
        """The canvas paints again where a tile came or went.

        A canvas more than 1.2 times as large as the view (zoomed in) has only
        the part in view cached by Qt: the rest is painted when it comes into
        view. The rectangle is then cut to the view: Qt paints a changed part
        into a scratch picture of that part's size on screen, and a tile blown
        up, or the tiles around the view, made it hundreds of megabytes."""
        canvas = self.canvas
        assert canvas is not None
        view = self.viewbox.viewRect()
        bounds = canvas.boundingRect()
        if bounds.width() > 1.2 * view.width() or bounds.height() > 1.2 * view.height():
            rect = rect.intersected(view)
            if rect.isEmpty():
                return
        canvas.update(rect)

    def _remove(self, item: TileItem) -> None:
        if item.shown and self.canvas is not None:
            self._changed(item.boundingRect())
        item.shown = False
        if item.scene() is not None:
            self.viewbox.removeItem(item)

    def clear(self) -> None:
        """Forget every tile read (they are read again, from GDAL's cache, when next shown)."""
        for item in self._tiles.values():
            self._remove(item)
        self._tiles.clear()

    def set_visible(self, on: bool) -> None:
        self.visible = on
        self._update_visibility()
        if on:
            self.schedule()

    def wait(self, timeout_ms: int = 30000) -> bool:
        """Load what the view shows now and wait for it (offscreen rendering, tests)."""
        from PySide6.QtCore import QCoreApplication

        self.update_view()
        done = self.pool.waitForDone(timeout_ms)
        QCoreApplication.processEvents()
        return done

    def paint_tiles(self, painter: QPainter, view) -> None:
        """Paint the tiles shown now, bottom to top, as ``view`` (a QGraphicsView
        of the plan) shows them, onto ``painter`` (a picture of its viewport)."""
        to_viewport = view.viewportTransform()
        shown = [tile for tile in self._tiles.values() if tile.shown]
        for tile in sorted(shown, key=lambda t: t.zValue()):
            painter.save()
            # Tiles painted by the canvas are no items: they lie in its coordinates.
            item = tile if self.canvas is None else self.canvas
            painter.setTransform(item.deviceTransform(to_viewport), True)
            tile.paint(painter, None)
            painter.restore()

    def paint_shown(self, painter: QPainter, exposed: QRectF) -> None:
        """Paint the tiles shown now that meet ``exposed``, bottom to top, onto
        ``painter`` (that of :attr:`canvas`, in the view box's coordinates)."""
        shown = [t for t in self._tiles.values() if t.shown and t.boundingRect().intersects(exposed)]
        for tile in sorted(shown, key=lambda t: t.zValue()):
            painter.save()
            tile.paint(painter, None)
            painter.restore()

    @property
    def tile_count(self) -> int:
        return len(self._tiles)

    def shutdown(self) -> None:
        self._timer.stop()
        self._wanted.clear()
        self.pool.clear()
        self.pool.waitForDone(5000)
