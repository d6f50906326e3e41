"""The plan's aerial image: tiles read off the UI thread, the right level, a bounded cache."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QThread

from zacviz.io.imagery import open_imagery
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
    threads = []
    read = imagery_layer.Imagery.read

    def spy(self, bounds, shape):
        threads.append(QThread.currentThread())
        return read(self, bounds, shape)

    monkeypatch.setattr(imagery_layer.Imagery, "read", spy)
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
    # Pixels of the level shown are never larger than the screen's, nor half as large.
    mpp = plan.vb.viewPixelSize()[0]
    assert layer.info.resolution[0] * 2**level_out <= mpp < layer.info.resolution[0] * 2 ** (level_out + 1)
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
