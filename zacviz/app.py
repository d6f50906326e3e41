"""Composition root: the only module that builds the Qt application.

It wires the Qt-free core (site, project document, checks, notifier) to the
views: the QApplication, the error hook, the interface language, the site and
its imagery, the :class:`~zacviz.model.command.ProjectDocument` and the main
window. Nothing else knows both sides.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zacviz.errors import InputError

ORGANISATION = "zacviz"
APPLICATION = "zacviz"
DEFAULT_SITE = "belle-assise"


@dataclass
class Editor:
    """What :func:`build_editor` made (for the entry point, tests and benchmarks)."""

    app: Any
    window: Any
    doc: Any
    notifier: Any
    language: Any


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


def load_site_for(project_site: str | None, site_dir: str | os.PathLike[str] | None):
    from zacviz.io.site_folder import find_site, load_site

    folder = site_dir if site_dir is not None else find_site(project_site or DEFAULT_SITE)
    return load_site(folder)


def build_editor(
    project_path: str | os.PathLike[str] | None = None,
    site_dir: str | os.PathLike[str] | None = None,
    *,
    settings: Any = None,
    user_dir: Path | None = None,
    lang: str | None = None,
    install_excepthook: bool = True,
    with_3d: bool | None = None,
) -> Editor:
    """Build the editor (application, site, document, window) without running it.

    Raises InputError for a project or site that cannot be read at all: there
    is no window yet to keep.
    """
    from PySide6.QtCore import QSettings

    from zacviz import i18n
    from zacviz.io.imagery import open_imagery
    from zacviz.io.project_file import load_project
    from zacviz.model.command import ProjectDocument
    from zacviz.model.project import Project
    from zacviz.ui.language import Language
    from zacviz.ui.main_window import NO_LOT, MainWindow
    from zacviz.ui.notifier import Notifier

    app = application()
    notifier = Notifier()
    if install_excepthook:
        sys.excepthook = notifier.excepthook
    settings = settings if settings is not None else QSettings()
    language = Language()
    chosen = lang or str(settings.value("language", "") or "") or i18n.default_language()
    language.set(chosen if chosen in i18n.LANGUAGES else "fr")

    project = load_project(project_path) if project_path is not None else None
    site = load_site_for(project.site if project else None, site_dir)
    if project is not None:
        from zacviz.io.project_file import check_reach, echo

        lot = site.lot(project.lot)
        if lot is None:
            raise InputError(f"lot: unknown lot {echo(project.lot)} in site {echo(site.id)}")
        check_reach(project, lot.polygon)
    imagery = None
    if site.imagery_path is not None:
        try:
            imagery = open_imagery(site.imagery_path)
        except InputError as exc:
            notifier.report(exc)  # shown once the window is up; the plan works without it
    doc = ProjectDocument(project or Project(site=site.id, lot=NO_LOT))
    # The 3D pane needs a real OpenGL surface: none on Qt's offscreen platform.
    if with_3d is None:
        with_3d = app.platformName() not in ("offscreen", "minimal")
    window = MainWindow(
        site, doc, notifier, settings, user_dir or data_dir(), language, imagery, with_3d=with_3d
    )
    if project_path is not None:
        window.path = Path(project_path).resolve()
        window._add_recent(window.path)
        window._update_title()
    return Editor(app, window, doc, notifier, language)


def run_editor(argv: list[str]) -> int:
    """``zacviz [PROJECT] [--site DIR] [--lang fr|en]``: the desktop editor."""
    parser = argparse.ArgumentParser(prog="zacviz", description="the zacviz desktop editor")
    parser.add_argument("project", nargs="?", help="project file (*.zacviz.json)")
    parser.add_argument("--site", metavar="DIR", help="site folder (default: the bundled site)")
    parser.add_argument("--lang", choices=("fr", "en"), default=None)
    args, _unknown = parser.parse_known_args(argv)
    ensure_display()
    configure_logging()
    editor = build_editor(args.project, args.site, lang=args.lang)
    # Notices raised while building (imagery unreadable...) are shown now.
    for notice in editor.notifier.history:
        editor.window._show_notice(notice)
    editor.window.show()
    editor.window.offer_restore()
    return int(editor.app.exec())


# ------------------------------------------------------------------ kiosk


@dataclass
class Kiosk:
    """What :func:`build_kiosk` made (for the entry point, tests and the soak benchmark)."""

    app: Any
    shell: Any
    notifier: Any
    stats: Any


def build_kiosk(
    config: Any,
    *,
    with_3d: bool | None = None,
    fullscreen: bool = True,
    size: tuple[int, int] | None = None,
    stats_dir: Path | None = None,
    clock: Any = None,
    install_excepthook: bool = True,
) -> Kiosk:
    """Build the kiosk shell on ``config`` (a :class:`~zacviz.kiosk.config.KioskConfig`), not shown.

    ``with_3d`` defaults to the config's ``show_3d``, off where Qt draws
    offscreen (no OpenGL there). Raises InputError if the site cannot be read.
    """
    import time

    from zacviz.io.site_folder import load_site
    from zacviz.kiosk.shell import KioskShell
    from zacviz.kiosk.stats import Statistics
    from zacviz.kiosk.theme import make_theme
    from zacviz.ui.language import Language
    from zacviz.ui.notifier import Notifier

    app = application()
    app.setQuitOnLastWindowClosed(False)  # only the admin panel's "exit" ends the kiosk
    notifier = Notifier()
    site = load_site(config.site_folder())
    stats = Statistics(stats_dir if stats_dir is not None else config.statistics_dir())
    if with_3d is None:
        with_3d = config.show_3d and app.platformName() not in ("offscreen", "minimal")
    factory = None
    if with_3d:
        from zacviz.ui.view3d import View3D

        def factory(s):
            return View3D(s)

    theme = make_theme(*size) if size is not None else make_theme()
    shell = KioskShell(
        config,
        site,
        notifier,
        Language(),
        stats,
        view3d_factory=factory,
        theme=theme,
        clock=clock or time.monotonic,
        fullscreen=fullscreen,
    )
    if size is not None:
        shell.resize(*size)
    if install_excepthook:
        sys.excepthook = shell.excepthook
    return Kiosk(app, shell, notifier, stats)


def run_kiosk(config_path: str | os.PathLike[str] | None = None, *, windowed: bool = False) -> int:
    """``zacviz kiosk [--config FILE]``: the fullscreen touch kiosk, until the admin exits it."""
    import faulthandler

    from zacviz.kiosk.config import default_config_path, load_config

    config = load_config(config_path if config_path is not None else default_config_path())
    ensure_display()
    configure_logging()
    faulthandler.enable()  # a hard crash still leaves its trace in the journal
    kiosk = build_kiosk(config, fullscreen=not windowed)
    if windowed:
        kiosk.shell.resize(1920, 1080)
    elif config.hide_cursor:
        # A touchscreen has no pointer to show: a stray arrow in mid-screen looks broken.
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QCursor

        kiosk.app.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
    # Shown from the event loop: an error on the first frame (a GPU without the
    # OpenGL the 3D view needs) then goes to the kiosk's hook, which carries on in 2D.
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, kiosk.shell.show if windowed else kiosk.shell.showFullScreen)
    logging.getLogger("zacviz.kiosk").info("kiosk started on site %s", config.site)
    return int(kiosk.app.exec())
