"""The editor, driven like a user: clicks and drags on the plan, keys, files, language.

Each test gets a fresh window on the test site of conftest.py (offscreen Qt).
"""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from zacviz.io.project_file import load_project, save_project
from zacviz.model.project import RectFootprint

# The south-west corner of the test site's lot A1 (conftest.py).
X0, Y0 = 650_000.0, 6_860_000.0


def to_pixel(window, x: float, y: float) -> QPoint:
    """The viewport pixel of a site point."""
    plan = window.plan
    ox, oy = plan.origin
    scene = plan.vb.mapViewToScene(QPointF(x - ox, y - oy))
    return plan.mapFromScene(scene)


def drag(qtbot, window, start: tuple[float, float], end: tuple[float, float], steps: int = 6) -> None:
    """A real left-button drag on the plan's viewport, from one site point to another."""
    viewport = window.plan.viewport()
    p0, p1 = to_pixel(window, *start), to_pixel(window, *end)
    QTest.mouseMove(viewport, p0)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p0)
    for k in range(1, steps + 1):
        t = k / steps
        QTest.qWait(12)  # pyqtgraph drops moves closer than 10 ms (mouseRateLimit)
        QTest.mouseMove(
            viewport, QPoint(round(p0.x() + (p1.x() - p0.x()) * t), round(p0.y() + (p1.y() - p0.y()) * t))
        )
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p1)


def click(window, x: float, y: float) -> None:
    p = to_pixel(window, x, y)
    viewport = window.plan.viewport()
    QTest.mouseMove(viewport, p)
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p)


def test_clicking_an_available_lot_starts_a_project(editor):
    w = editor.window
    assert w.doc.project.lot == ""
    assert w.result is None
    click(w, X0 + 75, Y0 + 60)  # inside lot A1
    assert w.doc.project.lot == "A1"
    assert w.result is not None and w.result.compliant
    assert w.lot_panel.values["area"].text().startswith("18")
    # A reserved lot is shown, not taken.
    w.plan.zoom_to_site()
    QTest.qWait(QApplication.doubleClickInterval() + 50)  # two clicks, not a double click
    click(w, X0 + 225, Y0 + 60)
    assert w.doc.project.lot == "A1"
    assert w.lot_panel.lot.id == "A2"
    assert not w.lot_panel.start_button.isEnabled()


def test_template_project_is_compliant_and_drawn(with_project):
    w = with_project.window
    assert w.result.compliant
    assert [b.use for b in w.doc.project.buildings] == ["warehouse"]
    assert w.checks_panel.list.count() == len(w.result.rules)
    assert w.checks_panel.list.item(0).text().startswith("✔")
    assert w.doc.undo_label.startswith("Modèle")


def test_dragging_a_building_moves_it_as_one_command_and_updates_the_checks(qtbot, with_project):
    w = with_project.window
    b = w.doc.project.buildings[0]
    fp = b.footprint
    assert isinstance(fp, RectFootprint)
    depth_before = len(w.doc.undo_stack)
    # Drag the building 20 m towards the road (south): into the 10 m setback band.
    drag(qtbot, w, (fp.cx, fp.cy), (fp.cx, fp.cy - 20.0))
    moved = w.doc.project.buildings[0].footprint
    assert len(w.doc.undo_stack) == depth_before + 1
    assert w.doc.undo_label == "Déplacer b1"
    assert moved.cy == pytest.approx(fp.cy - 20.0, abs=0.5 * w.plan._metres_per_px() + 0.05)
    assert moved.cx == pytest.approx(fp.cx, abs=0.5 * w.plan._metres_per_px() + 0.05)
    assert not w.result.rule("road_setback").ok
    assert w.checks_panel.summary.text().startswith("✘")
    # Undo restores the geometry exactly; redo brings the move back exactly.
    w.act_undo.trigger()
    assert w.doc.project.buildings[0].footprint == fp
    assert w.result.compliant
    w.act_redo.trigger()
    assert w.doc.project.buildings[0].footprint == moved


def test_dragging_empty_ground_pans_and_edits_nothing(qtbot, with_project):
    w = with_project.window
    before = w.doc.project
    range_before = w.plan.vb.viewRange()
    drag(qtbot, w, (X0 + 140, Y0 + 115), (X0 + 100, Y0 + 90))
    assert w.doc.project is before
    assert w.plan.vb.viewRange() != range_before


def test_resize_and_rotate_handles(qtbot, with_project):
    w = with_project.window
    w.select("b1")
    fp = w.doc.project.buildings[0].footprint
    handles = w.plan._handles
    # East side handle: 10 m narrower, the west side stays.
    east = handles[(1, 0)].pos()
    ox, oy = w.plan.origin
    ex, ey = east.x() + ox, east.y() + oy
    drag(qtbot, w, (ex, ey), (ex - 10.0, ey))
    new = w.doc.project.buildings[0].footprint
    tol = 0.5 * w.plan._metres_per_px() + 0.05
    assert new.width == pytest.approx(fp.width - 10.0, abs=tol)
    assert new.cx - new.width / 2 == pytest.approx(fp.cx - fp.width / 2, abs=1e-6)
    assert new.depth == fp.depth
    assert new.width * 10 == pytest.approx(round(new.width * 10), abs=1e-6)  # a hand's size: to 0.1 m
    assert w.doc.undo_label == "Redimensionner b1"
    # Rotation handle: a quarter turn about the centre.
    rot = handles["rotate"].pos()
    rx, ry = rot.x() + ox, rot.y() + oy
    r = math.hypot(rx - new.cx, ry - new.cy)
    drag(qtbot, w, (rx, ry), (new.cx - r, new.cy), steps=10)
    turned = w.doc.project.buildings[0].footprint
    assert turned.angle_deg == pytest.approx(new.angle_deg + 90.0, abs=1.0)
    assert (turned.cx, turned.cy) == (new.cx, new.cy)
    assert w.doc.undo_label == "Pivoter b1"


def test_snapping_puts_a_dragged_item_on_a_lot_edge(qtbot, with_project):
    w = with_project.window
    # A surface (no setback holds it): drop its west side 1 m inside the lot's
    # west edge (x = X0): it snaps onto the edge.
    s = next(s for s in w.doc.project.surfaces if s.kind == "parking")
    w.select(s.id)
    fp = s.footprint
    dx = (X0 + 1.0) - (fp.cx - fp.width / 2)
    w.act_snap.setChecked(True)
    drag(qtbot, w, (fp.cx, fp.cy), (fp.cx + dx, fp.cy))
    new = w.doc.project.item(s.id).footprint
    assert new.cx - new.width / 2 == pytest.approx(X0, abs=1e-6)
    assert w.result.rule("inside_lot").ok
    # A building is held at the side setback line first, then snaps onto the lot
    # edge once dragged on well past it.
    w.undo()
    w.select("b1")
    b = w.doc.project.buildings[0].footprint
    dx = (X0 + 1.0) - (b.cx - b.width / 2)
    drag(qtbot, w, (b.cx, b.cy), (b.cx + dx, b.cy))
    new = w.doc.project.buildings[0].footprint
    assert new.cx - new.width / 2 == pytest.approx(X0 + 6.0, abs=0.02)  # the 6 m side setback of lot A1
    assert w.result.rule("side_setback").ok
    w.undo()
    # Without snapping it stays where it was dropped (to the pixel).
    w.act_snap.setChecked(False)
    drag(qtbot, w, (b.cx, b.cy), (b.cx + dx, b.cy))
    new = w.doc.project.buildings[0].footprint
    assert new.cx - new.width / 2 == pytest.approx(X0 + 1.0, abs=0.5 * w.plan._metres_per_px() + 0.05)
    assert new.cx - new.width / 2 != pytest.approx(X0, abs=0.01)
    assert not w.result.rule("side_setback").ok


def test_arrow_keys_nudge_the_selection(qtbot, with_project):
    w = with_project.window
    w.select("b1")
    fp = w.doc.project.buildings[0].footprint
    QTest.keyClick(w.plan, Qt.Key.Key_Right)
    assert w.doc.project.buildings[0].footprint.cx == pytest.approx(fp.cx + 0.5)
    QTest.keyClick(w.plan, Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)
    assert w.doc.project.buildings[0].footprint.cy == pytest.approx(fp.cy + 5.0)
    w.undo()
    w.undo()
    assert w.doc.project.buildings[0].footprint == fp


def test_parameter_panel_edits_are_commands(with_project):
    w = with_project.window
    w.select("b1")
    panel = w.item_panel
    panel.height_box.setValue(20.0)
    assert w.doc.project.buildings[0].height_m == 20.0
    assert w.doc.undo_label == "Hauteur de b1"
    assert not w.result.rule("height").ok
    panel.width_box.setValue(30.0)
    assert w.doc.project.buildings[0].footprint.width == 30.0
    w.undo()
    w.undo()
    assert w.result.compliant
    assert panel.height_box.value() == w.doc.project.buildings[0].height_m


def test_add_duplicate_delete(with_project):
    w = with_project.window
    n = len(w.doc.project.buildings)
    w.act_add_building.trigger()
    assert len(w.doc.project.buildings) == n + 1
    new_id = w.selected
    w.act_duplicate.trigger()
    assert len(w.doc.project.buildings) == n + 2
    assert w.selected not in (new_id, None)
    w.act_delete.trigger()
    assert len(w.doc.project.buildings) == n + 1
    w.act_add_parking.trigger()
    s = w.doc.project.item(w.selected)
    assert s.kind == "parking"
    assert w.item_panel.stalls_label.text() == str(w.result.stalls_by_surface[s.id])


def test_selecting_a_failing_rule_highlights_its_geometry(with_project):
    w = with_project.window
    b = w.doc.project.buildings[0]
    w.edit("too high", replace(w.doc.project, buildings=(replace(b, height_m=30.0),)))
    assert w.plan._highlight_item.path().isEmpty()
    w.checks_panel.select_rule("height")
    assert not w.plan._highlight_item.path().isEmpty()
    w.checks_panel.select_rule("coverage")  # passing: nothing to show
    assert w.plan._highlight_item.path().isEmpty()


def test_bad_id_is_refused_with_a_message_and_nothing_changes(with_project):
    w = with_project.window
    w.select("b1")
    before = w.doc.project
    w.item_panel.id_edit.setText("s1")  # the parking's id
    w.item_panel.id_edit.editingFinished.emit()
    assert w.doc.project is before
    assert with_project.notifier.history[-1].kind == "input"
    assert w.item_panel.id_edit.text() == "b1"


def test_file_round_trip_and_broken_file(with_project, tmp_path):
    ed = with_project
    w = ed.window
    path = tmp_path / "dupont.zacviz.json"
    assert w.save_to(path)
    assert not w.doc.modified
    assert str(path) in w.recent_files()
    saved = w.doc.project
    assert load_project(path) == saved
    w.new_project()
    assert w.doc.project.lot == ""
    assert w.open_path(path)
    assert w.doc.project == saved
    assert w.windowTitle().startswith("dupont.zacviz.json")
    broken = tmp_path / "broken.zacviz.json"
    broken.write_text(
        '{"format": "zacviz-project", "version": 1, "site": "test-park", "lot": "A1", "buildings": [{}]}'
    )
    assert not w.open_path(broken)
    assert w.doc.project == saved
    assert "buildings[0]" in ed.notifier.history[-1].text


def test_unsaved_changes_prompt(with_project, monkeypatch):
    w = with_project.window
    assert w.doc.modified
    monkeypatch.setattr(w, "ask_save_changes", lambda: QMessageBox.StandardButton.Cancel)
    w.new_project()
    assert w.doc.project.lot == "A1"
    monkeypatch.setattr(w, "ask_save_changes", lambda: QMessageBox.StandardButton.Discard)
    w.new_project()
    assert w.doc.project.lot == ""


def test_autosave_is_offered_back_after_a_crash(with_project, qtbot, site_dir, tmp_path):
    from zacviz.app import build_editor
    from zacviz.ui.main_window import LIVE_AUTOSAVES

    w = with_project.window
    assert w.autosave()
    lost = w.doc.project
    # A second editor on the same data folder, as after a crash (the first
    # window's autosave no longer owned by a live window).
    LIVE_AUTOSAVES.discard(w.autosave_path)
    ed2 = build_editor(None, site_dir, settings=w.settings, user_dir=w.data_dir, install_excepthook=False)
    qtbot.addWidget(ed2.window)
    ed2.window.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    ed2.window.ask_restore = lambda: True
    assert ed2.window.offer_restore()
    assert ed2.doc.project == lost
    assert ed2.doc.modified
    ed2.doc.clean_index = len(ed2.doc.undo_stack)
    ed2.window.plan.shutdown()
    # A clean close removes the autosave.
    w.doc.mark_saved()
    w.close()
    assert not w.autosave_path.exists()


def test_each_window_has_its_own_autosave(with_project, qtbot, site_dir):
    from zacviz.app import build_editor

    w = with_project.window
    assert w.autosave()
    ed2 = build_editor(None, site_dir, settings=w.settings, user_dir=w.data_dir, install_excepthook=False)
    qtbot.addWidget(ed2.window)
    # The first window lives: its autosave is not offered to the second.
    assert not ed2.window.offer_restore()
    assert ed2.window.autosave_path != w.autosave_path
    ed2.window.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    ed2.window.plan.shutdown()
    ed2.window.close()
    assert w.autosave_path.exists()  # closing the other window kept it
    w.doc.mark_saved()
    w.close()
    assert not w.autosave_path.exists()


def test_language_switch_changes_the_window_texts(with_project):
    w = with_project.window
    assert w.menu_file.title() == "&Fichier"
    assert w.checks_panel.metrics_heading.text() == "Chiffres du projet"
    w.set_language("en")
    assert w.menu_file.title() == "&File"
    assert w.menu_edit.title() == "&Edit"
    assert w.act_add_building.text() == "Add a building"
    assert w.checks_panel.metrics_heading.text() == "Project figures"
    assert w.lot_panel.rules_heading.text() == "Lot rules"
    assert "Site coverage" in w.checks_panel.list.item(1).text()
    assert w.settings.value("language") == "en"
    w.set_language("fr")
    assert w.menu_file.title() == "&Fichier"
    assert "Emprise au sol" in w.checks_panel.list.item(1).text()


def test_cursor_coordinates_in_the_status_bar(with_project):
    w = with_project.window
    p = to_pixel(w, X0 + 12.0, Y0 + 34.0)
    QTest.mouseMove(w.plan.viewport(), p)
    text = w.coords_label.text()
    assert "650\u202f01" in text and "6\u202f860\u202f03" in text


def test_save_project_on_disk_opens_from_the_command_line(qtbot, site_dir, tmp_path, site):
    from PySide6.QtCore import QSettings

    from zacviz.app import build_editor
    from zacviz.design.templates import apply_template

    project = apply_template(site, site.lot("B1"), "retail")
    path = tmp_path / "b1.zacviz.json"
    save_project(project, path)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    ed = build_editor(path, site_dir, settings=settings, user_dir=tmp_path / "d", install_excepthook=False)
    qtbot.addWidget(ed.window)
    ed.window.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    assert ed.doc.project == project
    assert not ed.doc.modified
    assert ed.window.result.compliant
    ed.window.plan.shutdown()


def test_a_selection_change_checks_nothing_and_rebuilds_no_scene(with_project, monkeypatch):
    w = with_project.window
    calls: list[str] = []
    monkeypatch.setattr(w, "_refresh_3d", lambda: calls.append("3d"))
    monkeypatch.setattr(w.plan, "set_project", lambda *a: calls.append("plan"))
    result = w.result
    w.select("b1")
    w.select(None)
    w.select("s1")
    assert calls == [] and w.result is result
    assert w.item_panel.isEnabled() or w.selected == "s1"
    w.session.move("s1", 1.0, 0.0)
    assert calls == ["plan", "3d"]  # an edit: one refresh of each


def test_the_toolbar_does_not_shift_after_an_edit(with_project, qtbot):
    w = with_project.window
    bar = w.toolbar

    def positions():
        return [bar.widgetForAction(a).geometry().x() for a in bar.actions() if bar.widgetForAction(a)]

    qtbot.wait(10)
    before = positions()
    undo_button = bar.widgetForAction(w.act_undo)
    w.session.move("b1", 1.0, 0.0)
    w.session.set_title("Un titre assez long pour décaler la barre")
    qtbot.wait(10)
    assert positions() == before
    assert undo_button.text() == "Annuler"
    assert w.act_undo.text() == "Annuler « Titre du projet »"  # the menu names it
    assert "Titre du projet" in undo_button.toolTip()


def test_undo_and_redo_keys_work_inside_a_panel_field(with_project, qtbot):
    from PySide6.QtCore import Qt

    w = with_project.window
    w.activateWindow()
    w.select("b1")
    before = w.doc.project
    box = w.item_panel.height_box
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "11")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert w.doc.project.item("b1").height_m == 11.0
    qtbot.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.doc.project is before
    assert box.value() == before.item("b1").height_m  # the field shows the project again
    qtbot.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert w.doc.project.item("b1").height_m == 11.0
    title = w.title_field.edit
    title.setFocus()
    qtbot.keyClicks(title, "Plateforme Dupont")
    qtbot.keyClick(title, Qt.Key.Key_Return)
    assert w.doc.project.title == "Plateforme Dupont"
    assert w.doc.undo_label == "Titre du projet"
    qtbot.keyClick(title, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.doc.project.title == "" and title.text() == ""


def test_a_typed_value_out_of_range_is_refused_with_a_message(with_project, qtbot):
    from PySide6.QtCore import Qt

    w = with_project.window
    told = []
    w.notifier.notice.connect(lambda n: told.append(n.text))
    w.select("b1")
    width = w.doc.project.item("b1").footprint.width
    box = w.item_panel.width_box
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "-10")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert w.doc.project.item("b1").footprint.width == width  # not 10 m, not clamped: refused
    assert box.value() == pytest.approx(width, abs=0.01)
    assert len(told) == 1 and "Largeur" in told[0] and "-10" in told[0]
    storeys = w.item_panel.storeys_box
    storeys.setFocus()
    storeys.selectAll()
    qtbot.keyClicks(storeys, "0")
    qtbot.keyClick(storeys, Qt.Key.Key_Return)
    assert len(told) == 2 and "Niveaux" in told[1]


def test_failing_items_are_outlined_on_the_plan_without_clicking_a_rule(with_project):
    w = with_project.window
    assert w.result.compliant and w.plan.failing_ids == frozenset()
    assert w.plan._failing_item.path().isEmpty()
    b = w.doc.project.item("b1")
    w.edit("too high", replace(w.doc.project, buildings=(replace(b, height_m=30.0),)))
    assert w.plan.failing_ids == frozenset({"b1"})
    assert not w.plan._failing_item.path().isEmpty()
    assert w.checks_panel.list.currentItem() is None  # no rule clicked
    w.undo()
    assert w.plan.failing_ids == frozenset() and w.plan._failing_item.path().isEmpty()


def test_dragging_toward_the_road_stops_at_the_setback_line(qtbot, with_project):
    w = with_project.window
    w.select("b1")
    w.session.move("b1", 0.0, 8.0)  # room between the building and the setback line
    w.act_snap.setChecked(True)
    fp = w.doc.project.buildings[0].footprint
    before = w.result.rule("road_setback").value
    assert before == pytest.approx(18.0, abs=0.1)
    drag(qtbot, w, (fp.cx, fp.cy), (fp.cx, fp.cy - 20.0))
    road = w.result.rule("road_setback")
    assert road.ok and road.value == pytest.approx(10.0, abs=0.02)  # held at the dashed line, not 0 m
    moved = w.doc.project.buildings[0].footprint
    assert moved.cy == pytest.approx(fp.cy - (before - 10.0), abs=0.05)
    # Dragged on well past the line, it follows the hand into the setback band.
    w.undo()
    far = (before - 10.0) + 80.0 * w.plan._metres_per_px()  # 80 px past the line (it holds 60)
    drag(qtbot, w, (fp.cx, fp.cy), (fp.cx, fp.cy - far))
    assert not w.result.rule("road_setback").ok


def test_clicks_cycle_through_stacked_items(qtbot, with_project):
    w = with_project.window
    b = w.doc.project.item("b1")
    s = next(s for s in w.doc.project.surfaces if s.kind == "parking")
    # The car park slid under the building (the overlap rule will say so).
    w.edit(
        "under",
        w.session.replaced(
            s.id, replace(s, footprint=replace(s.footprint, cx=b.footprint.cx, cy=b.footprint.cy))
        ),
    )
    x, y = b.footprint.cx, b.footprint.cy
    w.select(None)
    click(w, x, y)
    assert w.selected == "b1"  # the topmost first
    click(w, x, y)
    assert w.selected == s.id  # the hidden surface is reachable
    click(w, x, y)
    assert w.selected == "b1"
    # A press on the stack drags what is selected, even the one beneath.
    click(w, x, y)
    assert w.selected == s.id
    drag(qtbot, w, (x, y), (x + 5.0, y))
    assert w.doc.project.item(s.id).footprint.cx == pytest.approx(b.footprint.cx + 5.0, abs=0.5)
    assert w.doc.project.item("b1").footprint == b.footprint


def test_p_and_b_place_new_items_in_free_space(qtbot, with_project):
    from zacviz.geometry.footprint import footprint_polygon

    w = with_project.window
    w.plan.setFocus()
    QTest.keyClick(w, Qt.Key.Key_P)
    new = w.selected
    assert new is not None and new.startswith("s") and w.doc.undo_label == f"Ajouter {new}"
    QTest.keyClick(w, Qt.Key.Key_B)
    added = w.selected
    assert added.startswith("b") and added != "b1"
    p = w.doc.project
    for item_id in (new, added):
        mine = footprint_polygon(p.item(item_id).footprint)
        others = [o for o in (*p.buildings, *p.surfaces) if o.id != item_id]
        assert all(footprint_polygon(o.footprint).intersection(mine).area < 0.01 for o in others), item_id
    assert w.result.rule("overlap").ok and w.result.rule("inside_lot").ok
