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
    # The plan's aerial tiles are cached as device pixmaps (scaled once per zoom):
    # Qt's default 10 MB cache holds fewer tiles than a full-HD plan shows, and a
    # cache that thrashes rescales every tile on every repaint.
    from PySide6.QtGui import QPixmapCache

    QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), 96 * 1024))
    return app


def data_dir() -> Path:
    """Where the editor keeps its autosave (the platform's per-user data folder)."""
    from PySide6.QtCore import QStandardPaths

    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) if base else Path.home() / ".zacviz"
