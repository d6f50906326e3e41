"""The kiosk shell, driven the way a visitor drives it: by touch (offscreen Qt)."""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QCloseEvent, QContextMenuEvent, QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from zacviz.export.share import decode_fragment
from zacviz.kiosk.session import MAX_HEIGHT_M
from zacviz.model.project import RectFootprint


def touch(widget: QWidget, device, action: str, points: list[QPoint]) -> None:
    """Fingers 0, 1... doing ``action`` (press, move, release) at ``points`` of ``widget``.

    The touches go to the window, as a touchscreen's do (positions mapped here:
    PySide's ``QTest.touchEvent`` takes them in window coordinates).
    """
    window = widget.window()
    seq = QTest.touchEvent(window, device)
    for i, p in enumerate(points):
        getattr(seq, action)(i, widget.mapTo(window, p))
    seq.commit()
    QApplication.processEvents()


def tap(widget: QWidget, device, pos: QPoint | None = None) -> None:
    """A finger touching and leaving ``widget`` (its centre by default)."""
    assert widget.isVisible(), "a finger cannot touch what is not on screen"
    pos = pos if pos is not None else widget.rect().center()
    touch(widget, device, "press", [pos])
    touch(widget, device, "release", [pos])


def drag(widget: QWidget, device, path: list[list[QPoint]]) -> None:
    """Fingers following ``path``: one list of points per frame, one point per finger."""
    touch(widget, device, "press", path[0])
    for frame in path[1:]:
        touch(widget, device, "move", frame)
    touch(widget, device, "release", path[-1])


def to_adjust(kiosk, device, template: str = "warehouse"):
    """Walk from the attract screen to the adjust screen by touch alone."""
    shell = kiosk.shell
    tap(shell.attract.cover, device)
    assert shell.current_screen == "lots"
    tap(shell.lots.cards["A1"], device)
    tap(shell.lots.go, device)
    assert shell.current_screen == "templates"
    tap(shell.templates.cards[template], device)
    assert shell.current_screen == "adjust"
    return shell


def building(shell):
    b = shell.session.selected_building()
    assert b is not None and isinstance(b.footprint, RectFootprint)
    return b


# ------------------------------------------------------------------ the visitor's path


def test_a_whole_session_by_touch_alone(make_kiosk, touchscreen):
    kiosk = make_kiosk()
    shell = to_adjust(kiosk, touchscreen)
    assert shell.session.project.lot == "A1"
    assert shell.adjust.verdict.isVisible()
    assert "respecte" in shell.adjust.verdict.text()
    height = building(shell).height_m
    tap(shell.adjust.height_stepper.plus, touchscreen)
    assert building(shell).height_m == height + 1
    tap(shell.adjust.undo_button, touchscreen)
    assert building(shell).height_m == height
    tap(shell.adjust.share_button, touchscreen)
    assert shell.current_screen == "share"
    assert "règlement d'urbanisme en vigueur prévaut" in shell.share.privacy.text()
    tap(shell.share.finish_button, touchscreen)
    assert shell.current_screen == "attract"
    assert shell.session.project.buildings == ()
    assert kiosk.stats.totals() == {"session": 1, "lot": 1, "template": 1, "qr": 1}


def test_a_sold_lot_cannot_be_chosen(make_kiosk, touchscreen):
    shell = make_kiosk().shell
    tap(shell.attract.cover, touchscreen)
    while not shell.lots.cards["A2"].isVisible():  # sold lots come last
        tap(shell.lots.next_page, touchscreen)
    tap(shell.lots.cards["A2"], touchscreen)
    assert shell.lots.current == "A2"
    assert not shell.lots.go.isEnabled()
    assert "plus disponible" in shell.lots.detail.text()
    # The map picks lots too.
    centre = shell.lots.map.frame.to_px(*shell.session.site.lot("A3").polygon.centroid.coords[0])
    tap(shell.lots.map, touchscreen, centre.toPoint())
    assert shell.lots.current == "A3" and shell.lots.go.isEnabled()


def test_english_at_a_touch(make_kiosk, touchscreen):
    shell = make_kiosk().shell
    tap(shell.attract.cover, touchscreen)
    tap(shell.lang_buttons["en"], touchscreen)
    assert shell.restart_button.text() == "Start over"
    assert shell.lots.heading.text() == "Choose a plot"
    tap(shell.lang_buttons["fr"], touchscreen)
    assert shell.lots.heading.text() == "Choisissez un terrain"


# ------------------------------------------------------------------ touch on the plan


def test_one_finger_drags_the_building_as_one_command(make_kiosk, touchscreen, qtbot):
    shell = to_adjust(make_kiosk(), touchscreen)
    plan = shell.adjust.plan
    before = building(shell).footprint
    stack = len(shell.session.doc.undo_stack)
    c = plan.footprint_centre_px("b1").toPoint()
    frames = [[c + QPoint(12 * k, 0)] for k in range(11)]
    drag(plan, touchscreen, frames)
    after = building(shell).footprint
    assert after.cx - before.cx == pytest.approx(120 / plan.frame.scale, rel=1e-6)
    assert after.cy == pytest.approx(before.cy)
    assert (after.width, after.depth, after.angle_deg) == (before.width, before.depth, before.angle_deg)
    assert len(shell.session.doc.undo_stack) == stack + 1


def test_the_checks_are_live_while_the_finger_moves(make_kiosk, touchscreen, qtbot):
    shell = to_adjust(make_kiosk(), touchscreen)
    plan = shell.adjust.plan
    before = shell.session.project
    c = plan.footprint_centre_px("b1").toPoint()
    touch(plan, touchscreen, "press", [c])
    touch(plan, touchscreen, "move", [c + QPoint(0, plan.height())])
    # Pulled half out of the lot: the checks say so before the finger lifts...
    qtbot.waitUntil(lambda: "revoir" in shell.adjust.verdict.text(), timeout=2000)
    assert shell.session.project is before  # ...and nothing is committed yet.
    touch(plan, touchscreen, "release", [c + QPoint(0, plan.height())])
    assert shell.session.project is not before
    assert not shell.session.check().compliant


def test_two_fingers_pinch_to_resize(make_kiosk, touchscreen):
    shell = to_adjust(make_kiosk(), touchscreen)
    plan = shell.adjust.plan
    before = building(shell).footprint
    c = plan.footprint_centre_px("b1").toPoint()
    frames = [[c - QPoint(20 + 4 * k, 0), c + QPoint(20 + 4 * k, 0)] for k in range(6)]  # 40 px → 80 px apart
    drag(plan, touchscreen, frames)
    after = building(shell).footprint
    assert after.width == pytest.approx(before.width * 2, abs=0.01)
    assert after.depth == pytest.approx(before.depth * 2, abs=0.01)
    assert after.angle_deg == pytest.approx(before.angle_deg)
    assert (after.cx, after.cy) == pytest.approx((before.cx, before.cy), abs=0.5)
    assert len(shell.session.doc.undo_stack) == 2


def test_two_fingers_twist_to_rotate(make_kiosk, touchscreen):
    shell = to_adjust(make_kiosk(), touchscreen)
    plan = shell.adjust.plan
    before = building(shell).footprint
    c = plan.footprint_centre_px("b1")
    r = 60.0
    frames = []
    for k in range(7):
        a = math.radians(5 * k)  # up to 30°, anticlockwise as seen on the screen
        d = QPointF(r * math.cos(a), -r * math.sin(a))
        frames.append([(c - d).toPoint(), (c + d).toPoint()])
    drag(plan, touchscreen, frames)
    after = building(shell).footprint
    turn = (after.angle_deg - before.angle_deg + 180) % 360 - 180
    assert turn == pytest.approx(30.0, abs=1.5)  # whole pixels: a little rounding
    assert after.width == pytest.approx(before.width, rel=0.03)


def test_a_cancelled_touch_changes_nothing(make_kiosk, touchscreen):
    shell = to_adjust(make_kiosk(), touchscreen)
    plan = shell.adjust.plan
    before = shell.session.project
    c = plan.footprint_centre_px("b1").toPoint()
    touch(plan, touchscreen, "press", [c])
    touch(plan, touchscreen, "move", [c + QPoint(50, 0)])
    QApplication.sendEvent(plan, QEvent(QEvent.Type.TouchCancel))
    touch(plan, touchscreen, "release", [c + QPoint(80, 0)])
    assert shell.session.project is before


def test_steppers_clamp_and_keep_storeys_under_the_roof(make_kiosk, touchscreen):
    shell = to_adjust(make_kiosk(), touchscreen, "offices")
    for _ in range(40):
        tap(shell.adjust.height_stepper.plus, touchscreen)
    assert building(shell).height_m == MAX_HEIGHT_M
    assert not shell.adjust.height_stepper.plus.isEnabled()
    tap(shell.adjust.storeys_stepper.plus, touchscreen)
    assert building(shell).storeys == 4


# ------------------------------------------------------------------ QR code


def test_the_qr_code_holds_the_sessions_project(make_kiosk, touchscreen):
    import zxingcpp

    shell = to_adjust(make_kiosk(), touchscreen, "mixed")
    drag(
        shell.adjust.plan,
        touchscreen,
        [[shell.adjust.plan.footprint_centre_px("b1").toPoint() + QPoint(d, 0)] for d in range(0, 40, 8)],
    )
    tap(shell.adjust.share_button, touchscreen)
    image = (
        shell.share.qr.grab()
        .toImage()
        .convertToFormat(shell.share.qr.grab().toImage().Format.Format_Grayscale8)
    )
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(height, stride)[:, :width].copy()
    found = zxingcpp.read_barcodes(pixels)
    assert len(found) == 1
    link = found[0].text
    assert link.startswith("https://viewer.example.org/park/#p=")
    assert decode_fragment(link) == shell.session.project


# ------------------------------------------------------------------ lock-down

KEYS = [
    ("Escape", Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
    ("Alt+F4", Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
    ("Ctrl+Q", Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
    ("Ctrl+W", Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
    ("Alt+Tab", Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier),
    ("F11", Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier),
]


@pytest.mark.parametrize(("name", "key", "modifier"), KEYS, ids=[k[0] for k in KEYS])
@pytest.mark.parametrize("where", ["attract", "adjust"])
def test_every_way_out_by_keyboard_is_ignored(make_kiosk, touchscreen, qtbot, name, key, modifier, where):
    kiosk = make_kiosk()
    shell = kiosk.shell
    if where == "adjust":
        to_adjust(kiosk, touchscreen)
    # A shortcut that would fire if the key got through.
    fired = []
    sentinel = QShortcut(QKeySequence(name), shell)
    sentinel.setContext(Qt.ShortcutContext.ApplicationShortcut)
    sentinel.activated.connect(lambda: fired.append(name))
    quits = []
    QApplication.instance().aboutToQuit.connect(lambda: quits.append(1))
    blocked = shell.lockdown.blocked_count
    shell.activateWindow()
    for target in (shell, shell.stack.currentWidget()):
        QTest.keyClick(target, key, modifier)
    QApplication.processEvents()
    assert fired == []
    assert shell.lockdown.blocked_count > blocked
    assert shell.isVisible() and shell.current_screen == where
    assert quits == []


def test_close_requests_are_refused(make_kiosk):
    shell = make_kiosk().shell
    assert shell.close() is False
    ev = QCloseEvent()
    QApplication.sendEvent(shell, ev)
    assert not ev.isAccepted()
    assert shell.isVisible()


def test_context_menus_never_open(make_kiosk, touchscreen):
    shell = to_adjust(make_kiosk(), touchscreen)
    plan = shell.adjust.plan
    asked = []
    plan.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    plan.customContextMenuRequested.connect(lambda pos: asked.append(pos))
    for reason in (QContextMenuEvent.Reason.Mouse, QContextMenuEvent.Reason.Keyboard):
        QApplication.sendEvent(
            plan, QContextMenuEvent(reason, QPoint(50, 50), plan.mapToGlobal(QPoint(50, 50)))
        )
    assert asked == []


def test_a_long_press_away_from_the_corner_does_nothing_special(make_kiosk, touchscreen, qtbot):
    shell = to_adjust(make_kiosk(), touchscreen)
    stack = len(shell.session.doc.undo_stack)
    pos = shell.adjust.plan.rect().center() + QPoint(300, 200)
    touch(shell.adjust.plan, touchscreen, "press", [pos])
    qtbot.wait(800)  # longer than admin_hold_s
    touch(shell.adjust.plan, touchscreen, "release", [pos])
    assert not shell.pin.isVisible() and not shell.admin.isVisible()
    assert len(shell.session.doc.undo_stack) == stack
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog)]


def test_the_window_stays_full_screen(make_kiosk, qtbot):
    shell = make_kiosk().shell
    shell.fullscreen = True
    shell.showFullScreen()
    qtbot.waitUntil(lambda: bool(shell.windowState() & Qt.WindowState.WindowFullScreen))
    shell.showNormal()
    qtbot.waitUntil(lambda: bool(shell.windowState() & Qt.WindowState.WindowFullScreen), timeout=2000)


# ------------------------------------------------------------------ idle


def test_an_idle_kiosk_counts_down_and_returns_to_attract(make_kiosk, touchscreen, qtbot):
    shell = to_adjust(make_kiosk(real_clock=True, idle_timeout_s=1.0, countdown_s=1.0), touchscreen)
    qtbot.waitUntil(shell.countdown.isVisible, timeout=3000)
    assert shell.countdown.seconds.text() == "1"
    qtbot.waitUntil(lambda: shell.current_screen == "attract", timeout=3000)
    assert not shell.countdown.isVisible()
    assert shell.session.project.lot == "" and not shell.session.doc.undo_stack


def test_a_touch_during_the_countdown_keeps_the_project(make_kiosk, touchscreen, clock):
    shell = to_adjust(make_kiosk(), touchscreen)
    project = shell.session.project
    clock.advance(61)
    shell.tick()
    assert shell.countdown.isVisible() and shell.countdown.seconds.text() == "9"
    tap(shell.countdown, touchscreen)
    assert not shell.countdown.isVisible()
    clock.advance(65)
    shell.tick()
    assert shell.current_screen == "adjust" and shell.session.project is project
    clock.advance(10)
    shell.tick()
    assert shell.current_screen == "attract"


# ------------------------------------------------------------------ admin


def long_press_corner(shell, device, qtbot, hold_ms: int = 700) -> None:
    touch(shell, device, "press", [QPoint(8, 8)])
    qtbot.wait(hold_ms)
    touch(shell, device, "release", [QPoint(8, 8)])


def enter(shell, pin: str) -> None:
    for digit in pin:
        QTest.mouseClick(shell.pin.keys[digit], Qt.MouseButton.LeftButton)
    QTest.mouseClick(shell.pin.keys["OK"], Qt.MouseButton.LeftButton)


def test_admin_pin_wrong_then_right_with_a_delay(make_kiosk, touchscreen, qtbot, clock, admin_pin):
    shell = make_kiosk().shell
    long_press_corner(shell, touchscreen, qtbot)
    assert shell.pin.isVisible()
    enter(shell, "1111")
    assert not shell.admin.isVisible()
    assert not shell.pin.keys["1"].isEnabled()
    assert "2 s" in shell.pin.status.text()
    enter(shell, admin_pin)  # the keypad is locked: these taps do nothing
    assert not shell.admin.isVisible() and shell.guard.failures == 1
    clock.advance(2.1)
    qtbot.waitUntil(lambda: shell.pin.keys["1"].isEnabled(), timeout=2000)
    enter(shell, "9999")
    assert "4 s" in shell.pin.status.text()
    clock.advance(4.1)
    qtbot.waitUntil(lambda: shell.pin.keys["1"].isEnabled(), timeout=2000)
    enter(shell, admin_pin)
    assert shell.admin.isVisible() and not shell.pin.isVisible()


def test_a_short_press_in_the_corner_does_not_open_the_pin(make_kiosk, touchscreen, qtbot):
    shell = make_kiosk().shell
    long_press_corner(shell, touchscreen, qtbot, hold_ms=100)
    qtbot.wait(600)
    assert not shell.pin.isVisible()


def test_admin_panel_exports_statistics_and_exits(make_kiosk, touchscreen, qtbot, monkeypatch, tmp_path):
    kiosk = make_kiosk(stats_dir=str(tmp_path / "kiosk-stats"))
    shell = to_adjust(kiosk, touchscreen)
    tap(shell.adjust.share_button, touchscreen)
    shell._open_admin()
    assert "Visites : 1" in shell.admin.stats.text()
    QTest.mouseClick(shell.admin.export_button, Qt.MouseButton.LeftButton)
    exported = list((tmp_path / "kiosk-stats" / "export").glob("statistiques-*.csv"))
    assert len(exported) == 1
    assert exported[0].read_text(encoding="utf-8").splitlines()[0] == "date,event,value,count"
    quit_calls = []
    monkeypatch.setattr("zacviz.kiosk.shell.QCoreApplication.quit", lambda: quit_calls.append(1))
    QTest.mouseClick(shell.admin.exit_button, Qt.MouseButton.LeftButton)
    assert quit_calls == [1] and not shell.isVisible()


def test_admin_reload_site(make_kiosk, touchscreen, kiosk_site):
    shell = to_adjust(make_kiosk(), touchscreen)
    text = (kiosk_site / "site.toml").read_text(encoding="utf-8")
    (kiosk_site / "site.toml").write_text(text.replace("Site de test", "Parc rechargé"), encoding="utf-8")
    assert shell.reload_site()
    assert shell.current_screen == "attract" and shell.brand.text() == "Parc rechargé"
    to_adjust(type("K", (), {"shell": shell})(), touchscreen)  # the new screens work
    (kiosk_site / "lots.geojson").write_text("{", encoding="utf-8")
    assert not shell.reload_site()
    assert "Rechargement impossible" in shell.admin.result.text()
    assert shell.current_screen == "adjust"  # a bad reload leaves the visitor alone


# ------------------------------------------------------------------ robustness


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_handler_resets_calmly(make_kiosk, touchscreen, monkeypatch, caplog):
    kiosk = make_kiosk()
    shell = to_adjust(kiosk, touchscreen)
    monkeypatch.setattr(sys, "excepthook", shell.excepthook)

    def broken(_steps):
        raise RuntimeError("stepper exploded")

    shell.adjust.height_stepper.stepped.disconnect()
    shell.adjust.height_stepper.stepped.connect(broken)
    tap(shell.adjust.height_stepper.plus, touchscreen)
    QApplication.processEvents()
    assert shell.current_screen == "attract"
    assert shell.toast.isVisible() and "souci" in shell.toast.text.text()
    assert "stepper exploded" in caplog.text
    assert shell.isVisible()


@pytest.mark.qt_no_exception_capture
def test_an_exception_while_painting_resets_calmly(make_kiosk, touchscreen, monkeypatch, qtbot):
    kiosk = make_kiosk()
    shell = to_adjust(kiosk, touchscreen)
    monkeypatch.setattr(sys, "excepthook", shell.excepthook)
    monkeypatch.setattr(type(shell.adjust.plan), "_paint_project", lambda self, p: 1 / 0)
    shell.adjust.plan.update()  # painted by the event loop, as in the field
    qtbot.waitUntil(lambda: shell.current_screen == "attract", timeout=2000)
    assert len(shell.errors) >= 1
    # The kiosk carries on: a new visitor can start.
    monkeypatch.undo()
    to_adjust(kiosk, touchscreen)


def test_lots_come_in_pages_that_follow_the_map(make_kiosk, touchscreen):
    shell = make_kiosk(site="belle-assise").shell  # the bundled park: 24 lots
    tap(shell.attract.cover, touchscreen)
    lots = shell.lots
    assert lots.pages > 1
    first = {lot_id for lot_id, card in lots.cards.items() if card.isVisible()}
    assert len(first) == lots.page_size
    list_bottom = lots.list_widget.mapTo(shell, lots.list_widget.rect().bottomLeft()).y()
    for card in lots.cards.values():
        if card.isVisible():  # whole cards only, none cut by the panel
            assert card.mapTo(shell, card.rect().bottomLeft()).y() <= list_bottom
    tap(lots.next_page, touchscreen)
    second = {lot_id for lot_id, card in lots.cards.items() if card.isVisible()}
    assert second and not second & first
    last_id = lots.order[-1]
    centre = lots.map.frame.to_px(*shell.session.site.lot(last_id).polygon.representative_point().coords[0])
    tap(lots.map, touchscreen, centre.toPoint())
    assert lots.current == last_id
    assert lots.cards[last_id].isVisible() and lots.cards[last_id].isChecked()
    assert lots.page == lots.pages - 1 and not lots.next_page.isEnabled()


def test_the_admin_gesture_on_the_attract_screen_starts_no_session(make_kiosk, touchscreen, qtbot):
    kiosk = make_kiosk()
    shell = kiosk.shell
    long_press_corner(shell, touchscreen, qtbot)
    assert shell.pin.isVisible()
    assert shell.current_screen == "attract" and kiosk.stats.totals()["session"] == 0


def test_a_template_that_does_not_fit_is_said_calmly(make_kiosk, touchscreen):
    shell = make_kiosk().shell
    tap(shell.attract.cover, touchscreen)
    centre = shell.lots.map.frame.to_px(*shell.session.site.lot("A9").polygon.centroid.coords[0])
    tap(shell.lots.map, touchscreen, centre.toPoint())
    tap(shell.lots.go, touchscreen)
    tap(shell.templates.cards["warehouse"], touchscreen)
    assert shell.current_screen == "templates"
    assert shell.toast.isVisible() and "ne tient pas" in shell.toast.text.text()
    assert shell.session.project.buildings == () and not shell.errors


def test_an_admin_panel_left_open_closes_itself(make_kiosk, touchscreen, qtbot, clock, admin_pin):
    shell = make_kiosk().shell
    long_press_corner(shell, touchscreen, qtbot)
    enter(shell, admin_pin)
    assert shell.admin.isVisible()
    clock.advance(59)
    shell.tick()
    assert shell.admin.isVisible()
    clock.advance(2)
    shell.tick()
    assert not shell.admin.isVisible() and shell.current_screen == "attract"


def test_every_target_is_finger_sized(make_kiosk, touchscreen, qtbot, admin_pin):
    from PySide6.QtWidgets import QPushButton

    shell = make_kiosk().shell
    target = shell.theme.target
    assert target >= shell.theme.mm(12)
    small = []

    def check(where: str) -> None:
        QApplication.processEvents()
        for b in shell.findChildren(QPushButton):
            if b.isVisible() and min(b.width(), b.height()) < target:
                small.append((where, b.text(), b.width(), b.height()))

    tap(shell.attract.cover, touchscreen)
    check("lots")
    shell.lots.view_lot("A1")
    tap(shell.lots.go, touchscreen)
    check("templates")
    tap(shell.templates.cards["offices"], touchscreen)
    check("adjust")
    tap(shell.adjust.share_button, touchscreen)
    check("share")
    long_press_corner(shell, touchscreen, qtbot)
    check("pin")
    enter(shell, admin_pin)
    check("admin")
    assert small == []


def test_undo_and_a_tap_refresh_the_adjust_screen_once(make_kiosk, touchscreen, monkeypatch):
    shell = to_adjust(make_kiosk(), touchscreen)
    shows: list[object] = []
    real = shell.adjust.show_project
    monkeypatch.setattr(shell.adjust, "show_project", lambda *a: (shows.append(a), real(*a)))
    tap(shell.adjust.height_stepper.plus, touchscreen)
    assert len(shows) == 1
    tap(shell.adjust.undo_button, touchscreen)
    assert len(shows) == 2  # one refresh per undo, not two
    assert shell.session.doc.redo_stack and shell.adjust.redo_button.isEnabled(), shows[-1][4:6]
    tap(shell.adjust.redo_button, touchscreen)
    assert len(shows) == 3


def test_a_selection_change_recolours_the_3d_view_without_rebuilding_it(make_kiosk, touchscreen):
    shell = to_adjust(make_kiosk(), touchscreen)

    class Recorder:
        def __init__(self) -> None:
            self.calls: list[str] = []

        def set_project(self, *args) -> None:
            self.calls.append("set_project")

        def set_selected(self, selected) -> None:
            self.calls.append(f"set_selected {selected}")

    view = Recorder()
    shell.adjust_view = view
    shell.session.select(None)
    shell.session.select("b1")
    assert view.calls == ["set_selected None", "set_selected b1"]
    assert shell.adjust.undo_button.isEnabled() is bool(shell.session.doc.undo_stack)
    shell.session.step_height(+1)
    assert view.calls[-1] == "set_project"  # an edit rebuilds the scene, once
    shell.adjust_view = None
