"""The kiosk's lock-down: an application-wide event filter.

A visitor has a finger and nothing to type, so every key event is dropped
before any widget or shortcut sees it (Escape, Alt+F4, Ctrl+Q/W, Alt+Tab, F11
and whatever a hidden keyboard may send), as are context menus (right clicks,
long presses). Close requests are refused by the shell's ``closeEvent``; a
window that leaves full screen is put back. The filter also reports every touch
or click (``activity``), which feeds the idle clock, and detects the admin
gesture: a long press in one corner of the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent, QTouchEvent
from PySide6.QtWidgets import QWidget

BLOCKED = {
    QEvent.Type.KeyPress,
    QEvent.Type.KeyRelease,
    QEvent.Type.ShortcutOverride,
    QEvent.Type.Shortcut,
    QEvent.Type.ContextMenu,
    QEvent.Type.InputMethod,
}
PRESSES = {QEvent.Type.TouchBegin, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick}
RELEASES = {QEvent.Type.TouchEnd, QEvent.Type.TouchCancel, QEvent.Type.MouseButtonRelease}


class LockDown(QObject):
    """Install on the QApplication. ``activity`` fires on each press; ``admin_gesture``
    after a press held ``hold_ms`` in the ``corner`` region of ``window``."""

    activity = Signal()
    admin_gesture = Signal()

    def __init__(self, window: QWidget, corner: str, corner_px: int, hold_ms: int) -> None:
        super().__init__(window)
        self.window = window
        self.corner = corner
        self.corner_px = corner_px
        self.blocked_count = 0
        self._hold = QTimer(self)
        self._hold.setSingleShot(True)
        self._hold.setInterval(hold_ms)
        self._hold.timeout.connect(self.admin_gesture)
        self._last_press = 0

    def corner_rect(self) -> QRect:
        w, h, s = self.window.width(), self.window.height(), self.corner_px
        x = 0 if self.corner.endswith("left") else w - s
        y = 0 if self.corner.startswith("top") else h - s
        return QRect(x, y, s, s)

    def _in_corner(self, global_pos: QPointF) -> bool:
        local = self.window.mapFromGlobal(global_pos.toPoint())
        return self.corner_rect().contains(local)

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:
        t = ev.type()
        if t in BLOCKED:
            self.blocked_count += 1
            ev.accept()
            return True
        if t in PRESSES:
            # A touch reaches the filter twice (the touch, then its synthesised mouse press).
            stamp = getattr(ev, "timestamp", lambda: 0)()
            if stamp != self._last_press or stamp == 0:
                self._last_press = stamp
                self.activity.emit()
            pos = self._global_pos(ev)
            if pos is not None and self._in_corner(pos):
                if not self._hold.isActive():
                    self._hold.start()
            else:
                self._hold.stop()
        elif t in RELEASES:
            self._hold.stop()
        elif t in (QEvent.Type.TouchUpdate, QEvent.Type.MouseMove):
            pos = self._global_pos(ev)
            if self._hold.isActive() and pos is not None and not self._in_corner(pos):
                self._hold.stop()
        elif t == QEvent.Type.WindowStateChange and obj is self.window and self._left_fullscreen():
            QTimer.singleShot(0, self.window.showFullScreen)
        return False

    def _left_fullscreen(self) -> bool:
        wanted = bool(getattr(self.window, "fullscreen", False))
        return wanted and not self.window.windowState() & Qt.WindowState.WindowFullScreen

    @staticmethod
    def _global_pos(ev: QEvent) -> QPointF | None:
        if isinstance(ev, QTouchEvent):
            points = ev.points()
            return points[0].globalPosition() if points else None
        if isinstance(ev, QMouseEvent):
            return ev.globalPosition()
        return None
