"""The 3D view takes the adjust screen's whole stage with one tap, and gives it back,
on real OpenGL (Xvfb): the checks stay visible, the idle reset returns to the
plan, and toggling many times keeps one GL context and bounded memory."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication

pytestmark = pytest.mark.gl

if os.environ.get("QT_QPA_PLATFORM") in ("offscreen", "minimal"):
    pytest.skip(
        "GL tests run in a process of their own: ZACVIZ_GL_TESTS=1 pytest -m gl", allow_module_level=True
    )


def tap(widget, device):
    from PySide6.QtTest import QTest

    assert widget.isVisible(), "a finger cannot touch what is not on screen"
    window = widget.window()
    for action in ("press", "release"):
        seq = QTest.touchEvent(window, device)
        getattr(seq, action)(0, widget.mapTo(window, widget.rect().center()))
        seq.commit()
        QApplication.processEvents()


def to_adjust(kiosk, device):
    shell = kiosk.shell
    tap(shell.attract.cover, device)
    tap(shell.lots.cards["A1"], device)
    tap(shell.lots.go, device)
    tap(shell.templates.cards["warehouse"], device)
    assert shell.current_screen == "adjust"


def rss_kb() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def rect_in(widget, ancestor) -> QRect:
    return QRect(widget.mapTo(ancestor, widget.rect().topLeft()), widget.size())


def test_one_tap_gives_the_stage_to_3d_and_back(make_kiosk, touchscreen, qtbot):
    kiosk = make_kiosk(with_3d=True)
    shell = kiosk.shell
    to_adjust(kiosk, touchscreen)
    adjust, view = shell.adjust, shell.adjust_view
    QApplication.processEvents()
    plan_rect = rect_in(adjust.plan, adjust)
    assert adjust.stage_button.isVisible() and adjust.stage_button.text() == "Voir en 3D en grand"
    thumb = rect_in(view, adjust)
    # A thumbnail in the side panel, beside the plan.
    assert thumb.width() * thumb.height() < plan_rect.width() * plan_rect.height() / 4
    assert thumb.left() > plan_rect.right()

    tap(adjust.stage_button, touchscreen)
    assert shell.stage_3d and adjust.stage_button.text() == "Revenir au plan"
    assert rect_in(view, adjust) == plan_rect  # the 3D view has the whole stage
    assert not adjust.plan.isVisible()
    assert adjust.verdict.isVisible() and adjust.scroll.isVisible()  # the live checks stay
    shell.session.step_height(+1)  # and still follow the project
    assert view.project.buildings[0].height_m == shell.session.project.buildings[0].height_m
    shell.set_language("en")
    assert adjust.stage_button.text() == "Back to the plan"

    tap(adjust.stage_button, touchscreen)
    assert not shell.stage_3d and adjust.plan.isVisible()
    assert rect_in(view, adjust) == thumb


def test_the_idle_reset_returns_to_the_plan_stage(make_kiosk, touchscreen, clock):
    kiosk = make_kiosk(with_3d=True)
    shell = kiosk.shell
    to_adjust(kiosk, touchscreen)
    shell.set_stage_3d(True)
    clock.advance(shell.config.idle_timeout_s + shell.config.countdown_s + 1)
    shell.tick()
    shell.tick()
    assert shell.current_screen == "attract"
    assert not shell.stage_3d
    to_adjust(kiosk, touchscreen)
    assert shell.adjust.plan.isVisible()


def test_toggling_the_stage_200_times_keeps_one_context_and_bounded_memory(make_kiosk, touchscreen):
    kiosk = make_kiosk(with_3d=True)
    shell = kiosk.shell
    to_adjust(kiosk, touchscreen)
    view = shell.adjust_view
    QApplication.processEvents()
    context = view.context()
    items = len(view.items)
    children = len(shell.adjust.findChildren(object))

    def toggle_twice():
        for on in (True, False):
            shell.set_stage_3d(on)
            view.repaint()  # a real frame at each size, on the GL context
            QApplication.processEvents()

    for _ in range(10):  # warm-up: caches and the first frames at both sizes
        toggle_twice()
    before = rss_kb()
    for _ in range(100):  # 200 toggles
        toggle_twice()
    grown = rss_kb() - before
    assert view.context() is context and view.context().isValid()
    assert len(view.items) == items
    assert len(shell.adjust.findChildren(object)) == children
    assert grown < 20_000, f"memory grew {grown} kB over 200 toggles"
