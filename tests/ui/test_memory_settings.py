"""What keeps the editor's memory down: the pixmap cache, malloc, the 3D pane's texture."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QSize

from zacviz.ui.application import PIXMAP_CACHE_KB, application, fixed_mmap_threshold
from zacviz.ui.panel3d import site_texture_px


class _Screen:
    def __init__(self, w: int, h: int) -> None:
        self._size = QSize(w, h)

    def size(self) -> QSize:
        return self._size


@pytest.mark.parametrize(
    "size, px",
    [
        ((1366, 768), 1024),
        ((1920, 1080), 1024),
        ((1080, 1920), 1024),
        ((2560, 1440), 2048),
        ((3840, 2160), 2048),
    ],
)
def test_the_site_texture_follows_the_screen(size, px):
    assert site_texture_px(_Screen(*size)) == px


def test_no_screen_gets_the_small_texture():
    assert site_texture_px(None) == 1024


def test_the_pixmap_cache_is_set_once_and_kept_bounded(qapp):
    from PySide6.QtGui import QPixmapCache

    application()
    assert QPixmapCache.cacheLimit() == max(10 * 1024, PIXMAP_CACHE_KB)
    assert PIXMAP_CACHE_KB <= 64 * 1024


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_the_mmap_threshold_is_fixed_on_linux():
    assert fixed_mmap_threshold() is True
