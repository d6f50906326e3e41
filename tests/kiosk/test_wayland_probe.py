"""The kiosk's probe (``ZACVIZ_KIOSK_PROBE``): what the Wayland tests read, checked offscreen."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QWidget

from zacviz.kiosk import probe as probe_module
from zacviz.kiosk.cover import ScreenCover
from zacviz.kiosk.probe import Probe, probe_folder


def test_the_probe_is_off_unless_asked(monkeypatch, tmp_path: Path):
    monkeypatch.delenv(probe_module.ENV, raising=False)
    assert probe_folder() is None
    monkeypatch.setenv(probe_module.ENV, str(tmp_path))
    assert probe_folder() == tmp_path


def test_the_probe_writes_the_window_state_and_a_grab_per_screen(qtbot, tmp_path: Path):
    window = QWidget()
    qtbot.addWidget(window)
    shown = ["attract"]
    probe = Probe(window, tmp_path / "probe", lambda: shown[0])
    ScreenCover(window).show()
    qtbot.waitExposed(window)

    def state() -> dict:
        path = tmp_path / "probe" / "state.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    qtbot.waitUntil(lambda: state().get("grab") == "001-attract.png", timeout=5000)
    s = state()
    screen = window.screen().geometry()
    assert s["platform"] == "offscreen"
    assert s["screen"] == [screen.x(), screen.y(), screen.width(), screen.height()]
    assert s["window"] == s["screen"] and s["visible"]
    assert s["grab_size"] == [screen.width(), screen.height()]
    assert (tmp_path / "probe" / "001-attract.png").stat().st_size > 0

    shown[0] = "lots"
    qtbot.waitUntil(lambda: state().get("shown") == "lots" and state().get("grab") == "002-lots.png")
    # A window short of its screen is seen as such (and grabbed again).
    window.setGeometry(QRect(0, 0, 320, 200))
    qtbot.waitUntil(lambda: state().get("window") == [0, 0, 320, 200], timeout=5000)
    assert probe.grabs == 3
    probe.timer.stop()


def test_a_folder_that_goes_away_stops_the_probe_not_the_kiosk(qtbot, tmp_path: Path):
    window = QWidget()
    qtbot.addWidget(window)
    folder = tmp_path / "probe"
    probe = Probe(window, folder, lambda: "attract")
    folder.rmdir()
    folder.write_text("not a folder", encoding="utf-8")
    window.show()
    qtbot.waitUntil(lambda: not probe.timer.isActive(), timeout=5000)
