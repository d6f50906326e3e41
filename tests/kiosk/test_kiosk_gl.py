"""The kiosk's 3D views on real OpenGL (Xvfb): the orbiting park shows the lots for sale."""

from __future__ import annotations

import os

import numpy as np
import pytest

pytestmark = pytest.mark.gl

if os.environ.get("QT_QPA_PLATFORM") in ("offscreen", "minimal"):
    pytest.skip(
        "GL tests run in a process of their own: ZACVIZ_GL_TESTS=1 pytest -m gl", allow_module_level=True
    )


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
