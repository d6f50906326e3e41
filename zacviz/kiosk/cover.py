"""The kiosk window covers the whole screen it is on, on every X11 set-up.

``showFullScreen()`` only asks the window manager (or the Wayland compositor)
for full screen. A kiosk started by ``xinit`` has no window manager: nobody
grants the request and the window keeps Qt's default size, a rectangle in the
top-left corner. :class:`ScreenCover` therefore also sets the window's
geometry to its screen's, explicitly, and keeps doing so when the screen's
geometry changes (a rotation, a new mode) or the window moves to another screen
(a monitor plugged in). Where a window manager does honour full screen, the two
agree and nothing moves.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QCursor, QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

# Events after which the window may no longer match its screen. Not every move or
# resize: a window manager that places the window itself is not fought.
_RECHECK = {QEvent.Type.Show, QEvent.Type.WindowStateChange}


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
