"""The editor's 3D pane, live with the plan: real OpenGL (Xvfb), marked gl."""

from __future__ import annotations

import os
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from zacviz.model.project import RectFootprint

pytestmark = pytest.mark.gl

if os.environ.get("QT_QPA_PLATFORM") in ("offscreen", "minimal"):
    pytest.skip(
        "GL tests run in a process of their own: ZACVIZ_GL_TESTS=1 pytest -m gl", allow_module_level=True
    )


@pytest.fixture
def editor3d(qtbot, site_dir, tmp_path):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMessageBox

    from zacviz.app import build_editor

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    ed = build_editor(
        None,
        site_dir,
        settings=settings,
        user_dir=tmp_path / "data",
        lang="fr",
        install_excepthook=False,
        with_3d=True,
    )
    w = ed.window
    w.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    w.ask_restore = lambda: False
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    w.start_project("A1")
    w.apply_template("warehouse")
    w.plan.zoom_to_lot("A1")
    w.act_snap.setChecked(False)
    qtbot.waitUntil(lambda: w.scene3d.view is not None and w.scene3d.view.isVisible())
    yield ed
    w.doc.clean_index = len(w.doc.undo_stack)
    w.plan.shutdown()


def grab(view) -> np.ndarray:
    return view.render_image((view.width(), view.height()))


def centre_pixel(view, building) -> QPoint:
    fp = building.footprint
    sx, sy = view.to_scene(fp.cx, fp.cy)
    col, row = view.scene_to_pixel(sx, sy, building.height_m, (view.width(), view.height()))
    return QPoint(round(col), round(row))


def test_an_edit_shows_in_3d_on_the_next_turn_and_undo_restores_the_picture(editor3d, qtbot):
    w = editor3d.window
    view = w.scene3d.view
    b = w.doc.project.buildings[0]
    before = grab(view)
    triangles = view.buildings_layer.triangle_count
    assert triangles > 0
    w.edit("Hauteur", replace(w.doc.project, buildings=(replace(b, height_m=b.height_m + 6.0),)))
    # The plan and the checks answer first; the 3D scene follows on the event
    # loop's next turn (a zero timer), once however many changes came together.
    assert w.plan._project.buildings[0].height_m == b.height_m + 6.0
    assert view.buildings[0].height_m == b.height_m
    shown = []
    view.buildings_layer.set_triangles = _spy(view.buildings_layer.set_triangles, shown)
    QApplication.processEvents()
    assert view.buildings[0].height_m == b.height_m + 6.0
    assert len(shown) == 1
    taller = grab(view)
    assert (np.abs(taller[..., :3].astype(int) - before[..., :3]).max(axis=2) > 20).sum() > 300
    # A failing building is tinted: too tall now? (15 m limit in the test zone)
    if not w.result.rule("height").ok:
        assert b.id in view.failing_ids
    w.act_undo.trigger()
    QApplication.processEvents()
    assert view.buildings[0].height_m == b.height_m
    assert np.array_equal(grab(view), before)


def _spy(method, calls: list):
    def wrapper(*args, **kwargs):
        calls.append(args)
        return method(*args, **kwargs)

    return wrapper


def test_clicking_a_building_in_3d_selects_it_everywhere(editor3d, qtbot):
    w = editor3d.window
    view = w.scene3d.view
    w.select(None)
    b = w.doc.project.buildings[0]
    view.lot_view(w.site.lot("A1"))
    p = centre_pixel(view, b)
    assert view.pick(p.x(), p.y()) == b.id
    QTest.mouseClick(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p)
    assert w.selected == b.id
    assert w.plan._selected == b.id
    assert view.selected_id == b.id
    # The sky picks nothing.
    assert view.pick(view.width() / 2, 2) is None


def plan_pixel(window, x: float, y: float) -> QPoint:
    """Where a site point is on the plan's viewport."""
    from PySide6.QtCore import QPointF

    ox, oy = window.plan.origin
    return window.plan.mapFromScene(window.plan.vb.mapViewToScene(QPointF(x - ox, y - oy)))


def test_a_drag_in_the_plan_moves_the_volume_before_the_release(editor3d, qtbot):
    w = editor3d.window
    view = w.scene3d.view
    fp = w.doc.project.buildings[0].footprint
    assert isinstance(fp, RectFootprint)
    viewport = w.plan.viewport()
    p0, p1 = plan_pixel(w, fp.cx, fp.cy), plan_pixel(w, fp.cx + 12.0, fp.cy)
    depth = len(w.doc.undo_stack)
    QTest.mouseMove(viewport, p0)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p0)
    for k in range(1, 7):
        QTest.qWait(40)
        QTest.mouseMove(viewport, QPoint(round(p0.x() + (p1.x() - p0.x()) * k / 6), p0.y()))
    # Still dragging: the 3D volume follows, the document has no new command yet.
    shown = view.buildings[0].footprint
    assert shown.cx == pytest.approx(fp.cx + 12.0, abs=2.5)
    assert len(w.doc.undo_stack) == depth
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p1)
    assert len(w.doc.undo_stack) == depth + 1
    QApplication.processEvents()
    assert view.buildings[0].footprint == w.doc.project.buildings[0].footprint


def test_presets_sun_and_plan_shadows(editor3d):
    w = editor3d.window
    pane = w.scene3d
    pane.btn_pedestrian.click()
    assert pane.view.cameraPosition().z() == pytest.approx(1.7, abs=0.01)
    pane.btn_orbit.setChecked(True)
    assert pane.view._orbit_timer.isActive()
    pane.btn_overview.click()
    assert not pane.view._orbit_timer.isActive() and not pane.btn_orbit.isChecked()
    assert w.plan._shadow_item.path().isEmpty()
    pane.plan_shadows_box.setChecked(True)
    lit = w.plan._shadow_item.path().boundingRect()
    assert lit.width() > 1 and lit.height() > 1
    # Sunset: no shadows anywhere.
    from datetime import datetime
    from zoneinfo import ZoneInfo

    pane.set_sun_time(datetime(2026, 12, 21, 22, 0, tzinfo=ZoneInfo("Europe/Paris")))
    assert pane.view.shadow_layer.triangle_count == 0
    assert w.plan._shadow_item.path().isEmpty()
    assert "couché" in pane.sun_info.text()
    # Hiding the pane hides its shadows on the plan too.
    pane.set_sun_time(datetime(2026, 6, 21, 10, 0, tzinfo=ZoneInfo("Europe/Paris")))
    assert not w.plan._shadow_item.path().isEmpty()
    w.act_3d.trigger()
    assert not pane.isVisible() and w.plan._shadow_item.path().isEmpty()


def test_render_3d_command_draws_a_project(render_3d_cli):
    proc, _out, img = render_3d_cli(unset=("QT_QPA_PLATFORM",))  # on pytest-xvfb's screen
    assert proc.returncode == 0, proc.stderr
    assert img.shape == (200, 320, 3)
    assert img.std() > 10  # a picture, not a blank frame


def _on_screen(view) -> np.ndarray:
    """The pane's pixels as the X server shows them (RGB), where they are on the
    screen (pytest-xvfb's screen is smaller than the editor's window)."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtGui import QImage

    corner = view.mapToGlobal(QPoint(0, 0))
    shown = QRect(corner.x(), corner.y(), view.width(), view.height()).intersected(view.screen().geometry())
    image = (
        view.screen()
        .grabWindow(0, shown.x(), shown.y(), shown.width(), shown.height())  # from the root window
        .toImage()
        .convertToFormat(QImage.Format.Format_RGB888)
    )
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : 3 * image.width()].reshape(image.height(), image.width(), 3).copy()


def _settle(view, quiet_s: float = 0.4, timeout_s: float = 5.0) -> None:
    """Run the event loop until the view has drawn nothing for ``quiet_s`` (the
    window laid out, the ground cache filled)."""
    import time

    start = last = time.monotonic()
    swaps = view.frames_swapped
    while time.monotonic() - last < quiet_s and time.monotonic() - start < timeout_s:
        QApplication.processEvents()
        time.sleep(0.01)
        if view.frames_swapped != swaps:
            swaps, last = view.frames_swapped, time.monotonic()
    assert swaps > 0, "the pane never reached the screen"


def test_the_pane_draws_straight_to_its_window_on_the_next_turn(editor3d, qtbot):
    """The pane's view is a window of its own (no composition with the widgets):
    an update draws and swaps on the event loop's next turn, once however many
    updates came together, and what reaches the screen is the scene, drawn with
    its depth and stencil buffers as offscreen."""
    from zacviz.ui.view3d import View3DWindow

    w = editor3d.window
    view = w.scene3d.view
    assert isinstance(view, View3DWindow)
    _settle(view)
    swaps = view.frames_swapped
    view.update()
    view.update()
    QApplication.processEvents()  # no 5 ms wait for QWindow.requestUpdate's timer
    assert view.frames_swapped == swaps + 1
    QApplication.processEvents()
    assert view.frames_swapped == swaps + 1
    shown = _on_screen(view)
    rows, cols = shown.shape[:2]
    assert rows > 100 and cols > 100
    drawn = grab(view)[:rows, :cols, :3]  # the view's top left corner is on the screen
    differ = np.abs(shown.astype(int) - drawn).max(axis=2) > 24
    assert differ.mean() < 0.01


def test_an_edit_draws_the_pane_once(editor3d, qtbot):
    """The pane draws an edit as soon as the plan has answered; the updates its
    items posted while they changed must not draw the same frame a second time
    on the next turn (that was a whole llvmpipe frame per edit)."""
    w = editor3d.window
    view = w.scene3d.view
    _settle(view)
    for step in (2.0, -2.0, 2.0):
        b = w.doc.project.buildings[0]
        drawn = view.frames_drawn
        moved = replace(b, footprint=b.footprint.moved(step, 0.0))
        w.edit("Déplacer", replace(w.doc.project, buildings=(moved,)))
        qtbot.waitUntil(lambda drawn=drawn: view.frames_drawn > drawn)
        for _ in range(5):
            QApplication.processEvents()
        assert view.frames_drawn == drawn + 1
        assert view.buildings[0].footprint == w.doc.project.buildings[0].footprint


def test_the_pane_view_belongs_to_its_holder(site, qtbot):
    """Deleting the pane deletes its GL window with the holder, once: Python does
    not own the window too (it would delete it a second time at exit: a crash)."""
    import shiboken6
    from PySide6.QtCore import QEvent

    from zacviz.ui.panel3d import Scene3DPanel

    pane = Scene3DPanel(site)
    pane.resize(400, 300)
    pane.show()
    qtbot.waitExposed(pane)
    view = pane.ensure_view()
    assert pane.view_host.isAncestorOf(pane.view_holder)
    assert not shiboken6.ownedByPython(view)
    _settle(view)
    pane.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(view)


def test_a_drag_in_the_pane_orbits_the_camera_and_selects_nothing(editor3d, qtbot):
    w = editor3d.window
    view = w.scene3d.view
    w.select(None)
    azimuth, elevation = view.opts["azimuth"], view.opts["elevation"]
    p0 = QPoint(view.width() // 2, view.height() // 2)
    QTest.mousePress(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p0)
    for k in range(1, 6):
        QTest.mouseMove(view, QPoint(p0.x() + 12 * k, p0.y() + 3 * k))
    QTest.mouseRelease(
        view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(p0.x() + 60, p0.y() + 15)
    )
    assert view.opts["azimuth"] != pytest.approx(azimuth)
    assert view.opts["elevation"] != pytest.approx(elevation)
    assert w.selected is None
