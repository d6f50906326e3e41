"""The kiosk window follows its screen (offscreen: the logic; on bare X see test_cover_gl)."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QWidget

from zacviz.kiosk.cover import ScreenCover


def test_the_window_is_sized_to_its_screen_and_put_back_when_the_screen_changes(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    cover = ScreenCover(window, hide_cursor=True)
    cover.show()
    qtbot.waitExposed(window)
    screen = cover.screen()
    assert screen is not None
    assert window.geometry() == screen.geometry()
    assert window.cursor().shape() == Qt.CursorShape.BlankCursor

    # Anything that leaves the window short of its screen (a mode change, a
    # rotation) is corrected on the screen's signal, from the event loop.
    window.setGeometry(QRect(0, 0, 640, 360))
    before = cover.applied
    screen.geometryChanged.emit(screen.geometry())
    qtbot.waitUntil(lambda: window.geometry() == screen.geometry())
    assert cover.applied == before + 1

    # Moving to another screen is followed the same way.
    window.setGeometry(QRect(10, 10, 300, 200))
    window.windowHandle().screenChanged.emit(screen)
    qtbot.waitUntil(lambda: window.geometry() == screen.geometry())
    QApplication.processEvents()


def test_the_cursor_stays_visible_when_the_config_says_so(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    ScreenCover(window, hide_cursor=False).show()
    qtbot.waitExposed(window)
    assert window.cursor().shape() != Qt.CursorShape.BlankCursor
