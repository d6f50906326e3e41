"""A screen turned to portrait (or a larger one plugged in): the kiosk lays itself out
again for it, the session ends, and the next visitor gets through."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication


def rect_in(widget, ancestor):
    from PySide6.QtCore import QRect

    return QRect(widget.mapTo(ancestor, widget.rect().topLeft()), widget.size())


def test_a_rotated_screen_gets_the_portrait_arrangement(make_kiosk, qtbot):
    kiosk = make_kiosk()
    shell = kiosk.shell
    shell.follow_screen = True  # as the fullscreen kiosk does
    shell.set_language("en")
    shell.start_session()
    shell.choose_lot("A1")
    assert not shell.theme.portrait
    shell.resize(800, 1280)
    qtbot.waitUntil(lambda: shell.theme.portrait, timeout=3000)
    QApplication.processEvents()
    assert shell.current_screen == "attract"  # the session ended with the turn
    assert not shell.session.project.lot
    assert shell.lang_buttons["en"].isChecked() and shell.restart_button.text() == "Start over"
    shell.start_session()
    QApplication.processEvents()
    # The map above the list, not beside it.
    lots = shell.lots
    assert rect_in(lots.map, lots).bottom() < rect_in(lots.go, lots).top()
    shell.choose_lot("A1")
    shell.choose_template("warehouse")
    QApplication.processEvents()
    adjust = shell.adjust
    assert rect_in(adjust.plan, adjust).bottom() < rect_in(adjust.verdict, adjust).top()
    assert adjust.plan.width() > 0.9 * (shell.width() - 2 * shell.theme.px(24))


def test_a_small_change_keeps_the_layout(make_kiosk, qtbot):
    kiosk = make_kiosk()
    shell = kiosk.shell
    shell.follow_screen = True
    shell.start_session()
    shell.choose_lot("A1")
    before = shell.adjust
    shell.resize(1300, 820)  # 2 %: the same screen
    qtbot.wait(50)
    assert shell.adjust is before and shell.current_screen == "templates"


def test_a_window_that_does_not_follow_its_screen_keeps_its_layout(make_kiosk, qtbot):
    shell = make_kiosk().shell  # a windowed kiosk (tests, --windowed)
    shell.resize(800, 1280)
    qtbot.wait(50)
    assert not shell.theme.portrait
