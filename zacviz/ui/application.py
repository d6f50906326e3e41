"""The Qt application itself: made once, for the editor, the kiosk and the renderers.

Kept apart from the composition root (:mod:`zacviz.app`) so that the views and
the offscreen renderers can have a QApplication without reaching up to it.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

from zacviz.errors import InputError

ORGANISATION = "zacviz"
APPLICATION = "zacviz"


def ensure_display() -> None:
    """Refuse politely when there is no screen, instead of letting Qt abort."""
    from zacviz.ui.virtual_screen import has_screen

    if not os.environ.get("QT_QPA_PLATFORM") and not has_screen():
        raise InputError(
            "no screen found (DISPLAY is not set): run the editor under xvfb-run, "
            "or use 'zacviz render' for a picture"
        )


def offscreen_if_headless() -> None:
    """Draw offscreen when there is no screen (render command, tests)."""
    from zacviz.ui.virtual_screen import has_screen

    if not os.environ.get("QT_QPA_PLATFORM") and not has_screen():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def configure_logging() -> None:
    """Our own messages from INFO up (the kiosk's journal reads them); libraries' from WARNING."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("zacviz").setLevel(logging.INFO)


def application() -> Any:
    """The QApplication (made once), with pyqtgraph set up for the plan."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else "zacviz"])
        app.setOrganizationName(ORGANISATION)
        app.setApplicationName(APPLICATION)
        app.setApplicationDisplayName("zacviz")
    pg.setConfigOptions(antialias=True, imageAxisOrder="row-major")
    # The plan's aerial tiles and its static items are cached as device pixmaps
    # (painted once per zoom): Qt's default 10 MB cache holds fewer than a full-HD
    # plan shows, and a cache that thrashes repaints every tile on every repaint.
    # 48 MB holds a full-HD plan's tiles and items several times over (96 MB
    # only added peak memory).
    from PySide6.QtGui import QPixmapCache

    QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), PIXMAP_CACHE_KB))
    fixed_mmap_threshold()
    return app


PIXMAP_CACHE_KB = 48 * 1024
MMAP_THRESHOLD = 128 * 1024
_M_MMAP_THRESHOLD = -3  # glibc's malloc.h


def fixed_mmap_threshold() -> bool:
    """Keep glibc's malloc from raising its mmap threshold (Linux only).

    glibc raises the threshold each time a large block is freed, up to 32 MB, so
    that tile images, textures and vertex arrays end up in the heap, which
    does not shrink while anything sits above them: the process keeps every
    peak it ever reached. Fixed at its 128 KB default, large blocks are mapped
    and returned to the system when freed. Returns whether it was set.
    """
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt  # the process's own C library
    except (OSError, AttributeError):  # musl and others have no mallopt
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD))


def data_dir() -> Path:
    """Where the editor keeps its autosave (the platform's per-user data folder)."""
    from PySide6.QtCore import QStandardPaths

    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) if base else Path.home() / ".zacviz"
