"""The kiosk's 3D views on real OpenGL (Xvfb): the orbiting park shows the lots for sale."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

pytestmark = pytest.mark.gl

if os.environ.get("QT_QPA_PLATFORM") in ("offscreen", "minimal"):
    pytest.skip(
        "GL tests run in a process of their own: ZACVIZ_GL_TESTS=1 pytest -m gl", allow_module_level=True
    )


def tap(widget, device, pos=None):
    from PySide6.QtTest import QTest

    assert widget.isVisible(), "a finger cannot touch what is not on screen"
    pos = pos if pos is not None else widget.rect().center()
    window = widget.window()
    for action in ("press", "release"):
        seq = QTest.touchEvent(window, device)
        getattr(seq, action)(0, widget.mapTo(window, pos))
        seq.commit()
        QApplication.processEvents()


def to_adjust(kiosk, device):
    shell = kiosk.shell
    tap(shell.attract.cover, device)
    tap(shell.lots.cards["A1"], device)
    tap(shell.lots.go, device)
    tap(shell.templates.cards["warehouse"], device)
    assert shell.current_screen == "adjust"


def pixel(view, x: float, y: float) -> np.ndarray:
    img = view.grabFramebuffer()
    w, h = img.width(), img.height()
    sx, sy = view.to_scene(x, y)
    col, row = view.scene_to_pixel(sx, sy, 0.0, (w, h))
    c = img.pixelColor(int(col), int(row))
    return np.array([c.red(), c.green(), c.blue()], dtype=int)


def test_the_attract_screen_highlights_the_lots_for_sale(make_kiosk, qtbot):
    kiosk = make_kiosk(with_3d=True)
    shell = kiosk.shell
    view = shell.attract.view3d
    assert view is not None
    shell.attract.set_running(False)  # hold the camera still
    view.overview()
    qtbot.wait(200)
    site = shell.session.site
    available = pixel(view, *site.lot("A1").polygon.centroid.coords[0])
    sold = pixel(view, *site.lot("A2").polygon.centroid.coords[0])
    # The green veil lifts green over red on A1 only.
    assert available[1] - available[0] > sold[1] - sold[0] + 30


def test_the_adjust_view_follows_the_project(make_kiosk, qtbot):
    shell = make_kiosk(with_3d=True).shell
    shell.start_session()
    shell.choose_lot("A1")
    shell.choose_template("warehouse")
    view = shell.adjust_view
    assert view.project is shell.session.project
    assert view.buildings_layer.triangle_count > 0
    shell.session.step_height(+1)
    assert view.project.buildings[0].height_m == shell.session.project.buildings[0].height_m


@pytest.mark.qt_no_exception_capture
def test_a_failing_3d_view_leaves_the_kiosk_in_2d(make_kiosk, touchscreen, monkeypatch):
    from PySide6.QtOpenGLWidgets import QOpenGLWidget

    class BrokenView(QOpenGLWidget):
        origin = (0.0, 0.0)

        def addItem(self, item):
            pass

        def overview(self):
            pass

        def orbit(self, azim, elev):
            pass

        def lot_view(self, lot):
            pass

        def set_project(self, project, failing=(), selected=None):
            if project is not None and project.buildings:  # fails on its first building
                raise RuntimeError("pyqtgraph.opengl: Requires >= OpenGL 2.1")

    kiosk = make_kiosk()
    shell = kiosk.shell
    monkeypatch.setattr(sys, "excepthook", shell.excepthook)
    shell.view3d_factory = lambda site: BrokenView()
    shell._rebuild(shell.session.site, "test")
    QApplication.processEvents()  # the new screens are laid out
    assert shell.adjust.view3d is not None
    tap(shell.attract.cover, touchscreen)
    tap(shell.lots.cards["A1"], touchscreen)
    tap(shell.lots.go, touchscreen)
    tap(shell.templates.cards["warehouse"], touchscreen)  # the 3D view fails here
    QApplication.processEvents()
    assert shell.view3d_factory is None and shell.adjust.view3d is None
    assert shell.current_screen == "attract"
    to_adjust(kiosk, touchscreen)  # and the next visitor gets through, in 2D
    assert shell.session.project.buildings
