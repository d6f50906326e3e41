"""Composition root: the only module that builds the Qt application.

It wires the Qt-free core (site, project document, checks, notifier) to the
views: the QApplication, the error hook, the interface language, the site and
its imagery, the :class:`~zacviz.model.command.ProjectDocument` and the main
window. Nothing else knows both sides.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zacviz.errors import InputError
from zacviz.ui.application import application, configure_logging, data_dir, ensure_display

DEFAULT_SITE = "belle-assise"


@dataclass
class Editor:
    """What :func:`build_editor` made (for the entry point, tests and benchmarks)."""

    app: Any
    window: Any
    doc: Any
    session: Any
    notifier: Any
    language: Any


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
    from zacviz.edit.session import EditSession
    from zacviz.io.imagery import open_imagery
    from zacviz.io.project_file import load_project
    from zacviz.model.command import ProjectDocument
    from zacviz.model.project import NO_LOT, Project
    from zacviz.ui.language import Language
    from zacviz.ui.main_window import MainWindow
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
    session = EditSession(site, doc)
    # The 3D pane needs a real OpenGL surface: none on Qt's offscreen platform.
    if with_3d is None:
        with_3d = app.platformName() not in ("offscreen", "minimal")
    window = MainWindow(
        site, session, notifier, settings, user_dir or data_dir(), language, imagery, with_3d=with_3d
    )
    if project_path is not None:
        window.path = Path(project_path).resolve()
        window._add_recent(window.path)
        window._update_title()
    return Editor(app, window, doc, session, notifier, language)


def run_editor(
    project: str | os.PathLike[str] | None = None,
    site: str | os.PathLike[str] | None = None,
    lang: str | None = None,
) -> int:
    """``zacviz [PROJECT] [--site DIR] [--lang fr|en]``: the desktop editor.

    A project or site that cannot be opened is said in a dialog (a desktop
    launcher has no terminal) and raised for the command line's ``error:`` line.
    """
    ensure_display()
    configure_logging()
    try:
        editor = build_editor(project, site, lang=lang)
    except InputError as exc:
        startup_error(exc.message, lang)
        raise
    # Notices raised while building (imagery unreadable...) are shown now.
    for notice in editor.notifier.history:
        editor.window._show_notice(notice)
    editor.window.show()
    editor.window.offer_restore()
    return int(editor.app.exec())


def startup_error(message: str, lang: str | None = None) -> None:
    """Say in a dialog why the editor cannot start (as well as on stderr)."""
    from PySide6.QtWidgets import QMessageBox

    from zacviz.i18n import LANGUAGES, default_language
    from zacviz.i18n import tr as core_text  # not "tr": lupdate would take it for a Qt text

    application()
    lang = lang if lang in LANGUAGES else default_language()
    QMessageBox.critical(None, "zacviz", core_text("app.cannot_start", lang, error=message))


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
    from zacviz.kiosk.cover import NO_GL_PLATFORMS
    from zacviz.kiosk.shell import KioskShell
    from zacviz.kiosk.stats import Statistics
    from zacviz.kiosk.theme import make_theme
    from zacviz.ui.language import Language
    from zacviz.ui.notifier import Notifier

    app = application()
    app.setQuitOnLastWindowClosed(False)  # only the admin panel's "exit" ends the kiosk
    if app.primaryScreen() is None:  # linuxfb without a framebuffer, a display that went away
        raise InputError(f"no screen: Qt's {app.platformName()} platform found none")
    notifier = Notifier()
    site = load_site(config.site_folder())
    stats = Statistics(stats_dir if stats_dir is not None else config.statistics_dir())
    if with_3d is None:
        with_3d = config.show_3d and app.platformName() not in NO_GL_PLATFORMS
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

    from zacviz.kiosk.config import kiosk_config
    from zacviz.kiosk.cover import framebuffer_problem

    config = kiosk_config(config_path)
    problem = framebuffer_problem()
    if problem:
        raise InputError(problem)
    ensure_display()
    configure_logging()
    faulthandler.enable()  # a hard crash still leaves its trace in the journal
    kiosk = build_kiosk(config, fullscreen=not windowed)
    from PySide6.QtCore import QTimer

    if windowed:
        kiosk.shell.resize(1920, 1080)
        show = kiosk.shell.show
    else:
        # Sized to its screen explicitly, and kept so: with no window manager
        # (a kiosk started by xinit) showFullScreen() alone leaves a small window.
        from zacviz.kiosk.cover import ScreenCover

        cover = ScreenCover(kiosk.shell, hide_cursor=config.hide_cursor)
        show = cover.show
        if config.hide_cursor:
            # A touchscreen has no pointer to show: a stray arrow in mid-screen looks broken.
            from PySide6.QtCore import Qt
            from PySide6.QtGui import QCursor

            kiosk.app.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
    from zacviz.kiosk.probe import Probe, probe_folder

    folder = probe_folder()
    if folder is not None:  # what the kiosk shows, for the display-stack tests
        Probe(kiosk.shell, folder, lambda: kiosk.shell.current_screen)
    # Shown from the event loop: an error on the first frame (a GPU without the
    # OpenGL the 3D view needs) then goes to the kiosk's hook, which carries on in 2D.
    QTimer.singleShot(0, show)
    logging.getLogger("zacviz.kiosk").info("kiosk started on site %s", config.site)
    return int(kiosk.app.exec())
