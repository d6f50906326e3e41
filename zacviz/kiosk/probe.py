"""What the kiosk is showing, written out for a stand technician and the display-stack tests.

With ``ZACVIZ_KIOSK_PROBE=<folder>`` in its environment, the kiosk writes into
that folder:

- ``state.json``: the process id, the Qt platform (``wayland``, ``xcb``, ``eglfs``…), the
  geometry of its screen and of its own window, the device pixel ratio, the
  screen shown (``attract``, ``lots``…), rewritten whenever one of them changes;
- ``<n>-<screen>.png``: a grab of its own window, each time the screen shown or
  the window's geometry changes (the grab is the window as the kiosk draws it,
  whatever the compositor lets a screenshot tool see).

The probe only writes: it reads nothing from the folder and adds no way in to
the locked-down kiosk. Without the variable nothing is written.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

ENV = "ZACVIZ_KIOSK_PROBE"
PERIOD_MS = 250
MAX_GRABS = 200  # a kiosk left running with the probe on does not fill the disk

log = logging.getLogger("zacviz.kiosk")


def probe_folder() -> Path | None:
    value = os.environ.get(ENV, "")
    return Path(value) if value else None


class Probe(QObject):
    """Writes the kiosk window's state (and grabs of it) into ``folder``."""

    def __init__(self, window: QWidget, folder: Path, screen_name: Any) -> None:
        super().__init__(window)
        self.window = window
        self.folder = folder
        self.screen_name = screen_name  # () -> the name of the screen shown
        self.grabs = 0
        self._last: dict[str, Any] | None = None
        self._last_shot: tuple[Any, ...] | None = None
        self._grab: dict[str, Any] = {}
        folder.mkdir(parents=True, exist_ok=True)
        self.timer = QTimer(self)
        self.timer.setInterval(PERIOD_MS)
        self.timer.timeout.connect(self.write)
        self.timer.start()

    def state(self) -> dict[str, Any]:
        app = QGuiApplication.instance()
        handle = self.window.windowHandle()
        screen = handle.screen() if handle is not None else QGuiApplication.primaryScreen()
        g = self.window.geometry()
        out: dict[str, Any] = {
            "pid": os.getpid(),
            "platform": QGuiApplication.platformName() if app is not None else "",
            "visible": self.window.isVisible(),
            "full_screen": self.window.isFullScreen(),
            "window": [g.x(), g.y(), g.width(), g.height()],
            "screen_name": "",
            "screen": None,
            "device_pixel_ratio": self.window.devicePixelRatioF(),
            "shown": self.screen_name(),
        }
        if screen is not None:
            s = screen.geometry()
            out["screen_name"] = screen.name()
            out["screen"] = [s.x(), s.y(), s.width(), s.height()]
        return out

    def write(self) -> None:
        try:
            state = self.state()
            shot_key = (state["shown"], tuple(state["window"]), state["visible"])
            if state["visible"] and shot_key != self._last_shot and self.grabs < MAX_GRABS:
                self._last_shot = shot_key
                self.grabs += 1
                name = f"{self.grabs:03d}-{state['shown'] or 'window'}.png"
                pixmap = self.window.grab()
                if pixmap.save(str(self.folder / name)):
                    self._grab = {"grab": name, "grab_size": [pixmap.width(), pixmap.height()]}
            state.update(self._grab)
            if state != self._last:
                self._last = state
                tmp = self.folder / "state.json.tmp"
                tmp.write_text(json.dumps(state, indent=1), encoding="utf-8")
                os.replace(tmp, self.folder / "state.json")
        except OSError as exc:  # a full or removed folder stops the probe, never the kiosk
            log.warning("kiosk probe stopped: %s", exc)
            self.timer.stop()
