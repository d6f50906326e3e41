"""The kiosk window covers the whole screen it is on, on every X11 set-up.

``showFullScreen()`` only asks the window manager (or the Wayland compositor)
for full screen. A kiosk started by ``xinit`` has no window manager: nobody
grants the request and the window keeps Qt's default size, a rectangle in the
top-left corner. :class:`ScreenCover` therefore also sets the window's
geometry to its screen's, explicitly, and keeps doing so when the screen's
geometry changes (a rotation, a new mode) or the window moves to another screen
(a monitor plugged in). Where a window manager does honour full screen, the two
agree and nothing moves.

The same holds on every display stack: under a Wayland kiosk compositor (cage,
weston's kiosk-shell) the compositor sizes the window and the two agree; on
Qt's ``eglfs`` (OpenGL straight on the GPU, no window system) the window is the
screen; on ``linuxfb`` (the bare framebuffer, no OpenGL: no 3D) the geometry
set here is what makes it cover. :func:`framebuffer_problem` says beforehand
why ``eglfs`` or ``linuxfb`` cannot start, where Qt would abort.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QCursor, QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

# Events after which the window may no longer match its screen. Not every move or
# resize: a window manager that places the window itself is not fought.
_RECHECK = {QEvent.Type.Show, QEvent.Type.WindowStateChange}

# Qt platforms without OpenGL widgets: the kiosk runs there without its 3D view.
NO_GL_PLATFORMS = ("offscreen", "minimal", "linuxfb", "vnc")


def framebuffer_problem(environ: Mapping[str, str] = os.environ, dev: str = "/dev") -> str | None:
    """Why Qt's ``eglfs`` or ``linuxfb`` platform (``QT_QPA_PLATFORM``) cannot start here, or None.

    Without a device Qt's eglfs aborts the process ("Could not initialize egl
    display") and linuxfb starts with no screen at all; this is said first, in one line.
    """
    platform, _, options = environ.get("QT_QPA_PLATFORM", "").partition(":")
    if platform == "eglfs":
        if not (glob.glob(f"{dev}/dri/card*") or glob.glob(f"{dev}/fb[0-9]*")):
            return (
                f"QT_QPA_PLATFORM=eglfs: no graphics device ({dev}/dri/card* or {dev}/fb*) "
                "on this machine; use linuxfb, or a compositor (cage)"
            )
    elif platform == "linuxfb":
        fb = next((o[3:] for o in options.split(":") if o.startswith("fb=")), f"{dev}/fb0")
        if not os.path.exists(fb):
            return f"QT_QPA_PLATFORM=linuxfb: no framebuffer {fb} on this machine"
    return None


class ScreenCover(QObject):
    """Keeps ``window`` full screen on its screen; ``hide_cursor`` blanks the pointer on it."""

    def __init__(self, window: QWidget, *, hide_cursor: bool = True) -> None:
        super().__init__(window)
        self.window = window
        self.hide_cursor = hide_cursor
        self.applied = 0  # how many times the geometry had to be put right
        self._screen: QScreen | None = None
        self._pending = False
        window.installEventFilter(self)

    def screen(self) -> QScreen | None:
        handle = self.window.windowHandle()
        screen = handle.screen() if handle is not None else self.window.screen()
        return screen or QGuiApplication.primaryScreen()

    def target(self) -> QRect:
        """The rectangle the window must fill: its screen's geometry."""
        screen = self.screen()
        return screen.geometry() if screen is not None else QRect(self.window.geometry())

    def show(self) -> None:
        """Show the window full screen, sized to its screen even with no window manager."""
        self._follow(self.screen())
        self.window.setGeometry(self.target())
        if self.hide_cursor:
            self.window.setCursor(QCursor(Qt.CursorShape.BlankCursor))
        self.window.showFullScreen()
        handle = self.window.windowHandle()
        if handle is not None:
            handle.screenChanged.connect(self._on_screen_changed)
        self.cover()

    def cover(self) -> None:
        """Put the window over its whole screen if it is not there already."""
        self._pending = False
        if not self.window.isVisible():
            return
        target = self.target()
        if self.window.geometry() != target:
            self.applied += 1
            self.window.setGeometry(target)

    def _follow(self, screen: QScreen | None) -> None:
        if screen is self._screen:
            return
        if self._screen is not None:
            self._screen.geometryChanged.disconnect(self._on_geometry_changed)
        self._screen = screen
        if screen is not None:
            screen.geometryChanged.connect(self._on_geometry_changed)

    def _on_screen_changed(self, screen: QScreen | None) -> None:
        self._follow(screen)
        self._later()

    def _on_geometry_changed(self, _rect: QRect) -> None:
        self._later()

    def _later(self) -> None:
        # From the event loop: the window system finishes its own change first.
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self.cover)

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:
        if obj is self.window and ev.type() in _RECHECK:
            self._later()
        return False
