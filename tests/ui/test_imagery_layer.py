"""The plan's aerial image: tiles read off the UI thread, the right level, a bounded cache."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QThread

from zacviz.io.imagery import Imagery, open_imagery
from zacviz.ui import imagery_layer
from zacviz.ui.plan_view import PlanView


@pytest.fixture
def plan(qtbot, site):
    view = PlanView(site, open_imagery(site.imagery_path), interactive=False)
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    yield view
    view.shutdown()


def test_tiles_load_in_worker_threads_and_show_the_image(plan, monkeypatch):
    layer = plan.imagery_layer
    # The view shown has started reading its tiles already: they are read again below.
    assert layer.wait()
    layer.clear()
    threads = []
    read = Imagery.read_level

    def spy(self, *args, **kwargs):
        threads.append(QThread.currentThread())
        return read(self, *args, **kwargs)

    monkeypatch.setattr(Imagery, "read_level", spy)
    layer.update_view()
    assert layer.wait()
    assert layer.tile_count > 0
    assert threads and all(t is not plan.thread() for t in threads)
    tile = next(iter(layer._tiles.values()))
    rgb = np.array(tile._image.pixelColor(10, 10).getRgb()[:3])
    assert tuple(rgb) == (70, 90, 60)


def test_level_follows_the_zoom(plan):
    layer = plan.imagery_layer
    plan.zoom_to_bounds((649_000.0, 6_859_000.0, 651_000.0, 6_861_000.0), 0.0)  # ~3 m per pixel
    level_out, _ = layer.visible_keys()
    # Pixels of the level shown are never larger than the screen's, nor half as
    # large, unless the whole image already fits one tile at a finer level.
    mpp = plan.vb.viewPixelSize()[0]
    assert layer.info.resolution[0] * 2**level_out <= mpp
    assert mpp < layer.info.resolution[0] * 2 ** (level_out + 1) or level_out == layer.max_level
    assert max(layer.level_shape(layer.max_level)) <= imagery_layer.TILE_PX
    plan.zoom_to_bounds((650_000.0, 6_860_000.0, 650_040.0, 6_860_030.0), 0.0)
    level_in, keys = layer.visible_keys()
    assert level_in == 0 < level_out
    assert keys


def test_cache_is_bounded(plan):
    layer = plan.imagery_layer
    layer.max_tiles = 6
    for x in range(0, 400, 40):
        plan.zoom_to_bounds((649_900.0 + x, 6_859_900.0, 649_960.0 + x, 6_859_940.0), 0.0)
        layer.wait()
        assert layer.tile_count <= max(6, len(layer._wanted))


def test_tiles_stop_at_the_image_edge(plan):
    """The last column and row of a level overhang the image: they are clipped,
    not padded with black."""
    layer = plan.imagery_layer
    plan.zoom_to_bounds(layer.info.bounds, 0.3)
    assert layer.wait()
    x0, y0, x1, y1 = layer.info.bounds
    assert layer._tiles
    for key, tile in layer._tiles.items():
        tx0, ty0, tx1, ty1 = layer.tile_bounds(key)
        assert x0 - 1e-6 <= tx0 < tx1 <= x1 + 1e-6 and y0 - 1e-6 <= ty0 < ty1 <= y1 + 1e-6
        rows, cols = layer.tile_shape(key)
        assert (tile._image.height(), tile._image.width()) == (rows, cols)
        # Every pixel is the image's colour, up to the edges.
        for c, r in ((0, 0), (cols - 1, rows - 1), (cols - 1, 0), (0, rows - 1)):
            assert tuple(tile._image.pixelColor(c, r).getRgb()[:3]) == (70, 90, 60)


def _pattern_tiff(kit, path, w=1301, h=777, res=0.5, overviews=(2, 4)):
    """An image whose every pixel is different, with overviews of odd sizes."""
    yy, xx = np.mgrid[0:h, 0:w]
    data = np.stack([(xx * 7 + yy * 3 + 50 * b) % 256 for b in range(3)]).astype(np.uint8)
    return kit.write_geotiff(path, data, 649_700.0, 6_860_300.0, res, block=512, overviews=overviews)


@pytest.fixture
def pattern_plan(qtbot, site, tmp_path, kit):
    view = PlanView(site, open_imagery(_pattern_tiff(kit, tmp_path / "p.tif")), interactive=False)
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    yield view
    view.shutdown()


def test_a_tile_is_the_overview_as_stored(pattern_plan, tmp_path):
    import rasterio
    from rasterio.windows import Window

    layer = pattern_plan.imagery_layer
    key = (1, 1, 0)  # level 1 (the ×2 overview, 651 × 389 px): its second column of tiles
    col, row, w, h = layer.tile_window(key)
    assert (col, row, w, h) == (512, 0, 651 - 512, 389)
    data = imagery_layer._TileJob(layer, key).read()
    with rasterio.open(tmp_path / "p.tif", overview_level=0) as ovr:
        assert (ovr.width, ovr.height) == layer.level_shape(1)
        expected = ovr.read([1, 2, 3], window=Window(col, row, w, h))
    assert np.array_equal(data, expected)
    # In the QImage, row 0 is south (the plan's y axis points up).
    image = imagery_layer.tile_image(data)
    for c, r in ((0, 0), (w - 1, 5), (17, h - 1)):
        assert image.pixelColor(c, h - 1 - r).getRgb()[:3] == tuple(int(v) for v in expected[:, r, c])


def test_a_north_up_tile_is_painted_north_up(pattern_plan, tmp_path):
    """The plan's tiles keep the image's row order (no flip when read) and are
    mirrored when painted, under the plan's y axis pointing up."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter, QTransform

    layer = pattern_plan.imagery_layer
    key = (1, 1, 0)
    data = imagery_layer._TileJob(layer, key).read()
    _, h, w = data.shape
    image = imagery_layer.north_up_image(data)
    assert (image.width(), image.height()) == (w, h)
    for c, r in ((0, 0), (w - 1, 5), (17, h - 1)):
        assert image.pixelColor(c, r).getRgb() == (*(int(v) for v in data[:, r, c]), 255)
    # Painted blown up 4 times into its rectangle under a y-up transform, as the
    # plan does: the middle of each 4×4 square is the pixel of the same place.
    item = imagery_layer.TileItem(image, QRectF(0.0, 0.0, w, h), north_up=True)
    canvas = QImage(4 * w, 4 * h, QImage.Format.Format_RGB32)
    canvas.fill(0)
    painter = QPainter(canvas)
    painter.setWorldTransform(QTransform(4.0, 0.0, 0.0, -4.0, 0.0, 4.0 * h))
    item.paint(painter, None)
    painter.end()
    for c, r in ((0, 0), (w - 1, 5), (17, h - 1), (w // 2, h // 2)):
        assert canvas.pixelColor(4 * c + 2, 4 * r + 2).getRgb()[:3] == tuple(int(v) for v in data[:, r, c])


def test_tile_buffers_are_used_again_once_their_image_is_gone(pattern_plan):
    import gc

    layer = pattern_plan.imagery_layer
    data = imagery_layer._TileJob(layer, (1, 1, 0)).read()  # an edge tile: 139 × 389
    _, h, w = data.shape
    buffers = imagery_layer.TileBuffers(keep=1)
    image = imagery_layer.north_up_image(data, buffers)
    assert (image.width(), image.height()) == (w, h) and buffers.free == 0
    for c, r in ((0, 0), (w - 1, 5), (17, h - 1)):
        assert image.pixelColor(c, r).getRgb() == (*(int(v) for v in data[:, r, c]), 255)
    memory = image.ndarray
    # Qt's RGB32 wants every word's alpha byte at 0xff: a buffer's are set once, when
    # it is made, and stay so (a tile writes its colour bytes only).
    assert (memory >> 24 == 0xFF).all()
    del image
    gc.collect()
    assert buffers.free == 1
    again = imagery_layer.north_up_image(data[:, :10, :20], buffers)
    assert again.ndarray is memory and buffers.free == 0
    assert again.pixelColor(19, 9).getRgb()[:3] == tuple(int(v) for v in data[:, 9, 19])
    assert (memory >> 24 == 0xFF).all()
    assert (imagery_layer.TileBuffers().take() >> 24 == 0xFF).all()  # a new one too
    other = imagery_layer.north_up_image(data, buffers)  # none free: a new one
    assert other.ndarray is not memory
    del again, other
    gc.collect()
    assert buffers.free == 1  # no more than it keeps


def test_tiles_meet_and_end_at_the_image_edge(pattern_plan):
    layer = pattern_plan.imagery_layer
    x0, y0, x1, y1 = layer.info.bounds
    for level in range(layer.max_level + 1):
        cols, rows = layer.level_shape(level)
        n_i, n_j = -(-cols // imagery_layer.TILE_PX), -(-rows // imagery_layer.TILE_PX)
        last = layer.tile_bounds((level, n_i - 1, n_j - 1))
        assert last[2] == pytest.approx(x1) and last[1] == pytest.approx(y0)
        assert layer.tile_bounds((level, 0, 0))[0] == pytest.approx(x0)
        assert layer.tile_bounds((level, 0, 0))[3] == pytest.approx(y1)
        if n_i > 1:
            assert layer.tile_bounds((level, 0, 0))[2] == pytest.approx(layer.tile_bounds((level, 1, 0))[0])


def test_a_level_without_overview_is_subsampled_by_gdal(qtbot, site, tmp_path, kit):
    import rasterio

    path = _pattern_tiff(kit, tmp_path / "p2.tif", overviews=(2,))
    view = PlanView(site, open_imagery(path), interactive=False)
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    layer = view.imagery_layer
    try:
        key = (2, 0, 0)  # no ×4 overview in the file
        assert layer.max_level == 2
        data = imagery_layer._TileJob(layer, key).read()
        assert data.shape == (3, *layer.tile_shape(key)) == (3, 195, 326)
        # Nearest: every pixel is one of the image's own.
        with rasterio.open(path) as ds:
            full = ds.read()
        assert np.array_equal(data[:, 0, 0], full[:, 1, 1]) or np.array_equal(data[:, 0, 0], full[:, 0, 0])
    finally:
        view.shutdown()


def test_as_items_only_tiles_drawn_shrunk_keep_a_cache(plan):
    """An imagery layer without a canvas makes each tile an item of the view box."""
    from PySide6.QtCore import QRectF
    from PySide6.QtWidgets import QGraphicsItem

    layer = plan.imagery_layer
    plan._site_layer.set_underlay(None, QRectF())
    layer.canvas = None
    layer.clear()
    cached = QGraphicsItem.CacheMode.DeviceCoordinateCache
    plan.zoom_to_bounds(layer.info.bounds, 0.0)  # the image's pixels smaller than the screen's
    assert layer.wait()
    shown = [t for k, t in layer._tiles.items() if k[0] == layer._level]
    assert shown and all(t.scene() is plan.scene() and t.isVisible() for t in shown)
    assert all(t.cacheMode() == cached for t in shown)
    x0, y0, _, _ = layer.info.bounds
    plan.zoom_to_bounds((x0 + 100, y0 + 100, x0 + 130, y0 + 120), 0.0)  # blown up past 1 m/px
    assert layer.wait()
    assert layer._level == 0
    # Blown up, or hidden: no cache (it would hold many times the tile's size).
    assert all(t.cacheMode() != cached for t in layer._tiles.values())


def _colour_at(plan, x: float, y: float) -> tuple[int, int, int]:
    """The plan's colour at a site point, as the viewport shows it now."""
    from PySide6.QtCore import QPointF

    ox, oy = plan.origin
    p = plan.mapFromScene(plan.vb.mapViewToScene(QPointF(x - ox, y - oy)))
    image = plan.viewport().grab().toImage()
    dpr = image.devicePixelRatio()
    return image.pixelColor(round(p.x() * dpr), round(p.y() * dpr)).getRgb()[:3]


def test_the_plan_paints_its_tiles_in_the_site_layer_picture(pattern_plan, tmp_path):
    """In the plan the tiles are no items: the site layer paints them under its
    polygons, into its one cached picture (a repaint after an edit blits one
    picture, not one per tile and one more over them); a tile read later is
    painted into that picture where it lies, and the image's switch empties it."""
    import rasterio
    from PySide6.QtWidgets import QGraphicsItem

    plan = pattern_plan
    layer, site_layer = plan.imagery_layer, plan._site_layer
    assert layer.canvas is site_layer
    assert site_layer.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache
    x0, _, _, y1 = layer.info.bounds
    # Outside every polygon of the site, within the image: 2 m × 2 m at 0.5 m a pixel.
    corner = (x0 + 1.0, y1 - 1.0)
    plan.zoom_to_bounds((x0, y1 - 2.0, x0 + 2.0, y1), 0.0)
    background = _colour_at(plan, *corner)  # painted before any tile is read: no image yet
    assert layer.wait()
    assert layer._tiles and all(t.scene() is None for t in layer._tiles.values())
    with rasterio.open(tmp_path / "p.tif") as ds:
        row, col = ds.index(*corner)
        expected = tuple(int(v) for v in ds.read([1, 2, 3], window=((row, row + 1), (col, col + 1)))[:, 0, 0])
    assert _colour_at(plan, *corner) == expected != background
    plan.set_imagery_visible(False)
    assert _colour_at(plan, *corner) == background
    plan.set_imagery_visible(True)
    assert layer.wait()
    assert _colour_at(plan, *corner) == expected


def test_zoomed_in_a_tile_read_repaints_only_the_view(pattern_plan):
    """Zoomed in, Qt caches only the part of the site layer in view; the part a
    tile changes is cut to the view (Qt painted a changed part into a scratch
    picture of its size on screen: a blown-up tile took hundreds of megabytes)."""
    plan = pattern_plan
    layer, site_layer = plan.imagery_layer, plan.site_layer
    x0, _, _, y1 = layer.info.bounds
    plan.zoom_to_bounds((x0 + 3.0, y1 - 5.0, x0 + 9.0, y1 - 1.0), 0.0)  # 6 m of a 256 m tile
    updates = []
    site_layer.update = lambda *rect: updates.append(rect)
    assert layer.wait()
    view = plan.vb.viewRect()
    assert updates and all(len(r) == 1 and view.contains(r[0]) for r in updates)
    plan.zoom_to_bounds(layer.info.bounds, 0.5)  # the whole layer in view: as it is
    updates.clear()
    assert layer.wait()
    tiles = {(t.boundingRect().x(), t.boundingRect().y()) for t in layer._tiles.values() if t.shown}
    assert updates and all(len(r) == 1 for r in updates)
    assert {(r[0].x(), r[0].y()) for r in updates} >= tiles
