"""``zacviz kiosk`` on a bare X server (xinit, no window manager) covers the whole screen.

Each case starts a virtual X server of its own at a stand screen's size, with no
window manager, runs the real command on a config that names only the site, and
measures the kiosk's top-level window with ``xwininfo``, as the X server sees it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from zacviz.ui.virtual_screen import virtual_screen

pytestmark = pytest.mark.gl

if not (shutil.which("Xvfb") and shutil.which("xwininfo")):
    pytest.skip("needs Xvfb and xwininfo (Debian xvfb, x11-utils)", allow_module_level=True)


def top_level_windows(display: str) -> list[tuple[int, int, int, int, bool]]:
    """(x, y, width, height, mapped) of every child of the root window."""
    env = {**os.environ, "DISPLAY": display}
    tree = subprocess.run(
        ["xwininfo", "-root", "-children"], env=env, capture_output=True, text=True, timeout=10
    ).stdout
    out = []
    for win_id in re.findall(r"^\s+(0x[0-9a-f]+) ", tree, re.M):
        info = subprocess.run(
            ["xwininfo", "-id", win_id], env=env, capture_output=True, text=True, timeout=10
        ).stdout
        if "Absolute upper-left X" not in info:
            continue  # the window went away between the two calls

        def field(name: str, text: str = info) -> int:
            return int(re.search(rf"{name}:\s+(-?\d+)", text).group(1))

        out.append(
            (
                field("Absolute upper-left X"),
                field("Absolute upper-left Y"),
                field("Width"),
                field("Height"),
                "IsViewable" in info,
            )
        )
    return out


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1080, 1920), (3840, 2160)])
def test_the_kiosk_covers_a_bare_x_screen(tmp_path: Path, width: int, height: int):
    config = tmp_path / "kiosk.toml"
    config.write_text('[kiosk]\nsite = "belle-assise"\n', encoding="utf-8")  # everything else by default
    with virtual_screen((width, height)) as display:
        kiosk_covers(tmp_path, config, display, width, height)


def kiosk_covers(tmp_path: Path, config: Path, display: str, width: int, height: int) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "WAYLAND"))}
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", XDG_DATA_HOME=str(tmp_path / "data"))
    log = (tmp_path / "kiosk.log").open("wb")
    kiosk = subprocess.Popen(
        [sys.executable, "-m", "zacviz", "kiosk", "--config", str(config)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        shown: list[tuple[int, int, int, int, bool]] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and kiosk.poll() is None:
            shown = [w for w in top_level_windows(display) if w[4]]
            if any(w[:4] == (0, 0, width, height) for w in shown):
                break
            time.sleep(0.5)
        assert kiosk.poll() is None, (tmp_path / "kiosk.log").read_text(errors="replace")
        assert shown, "the kiosk mapped no window"
        time.sleep(1.0)  # and it stays there
        shown = [w for w in top_level_windows(display) if w[4]]
        biggest = max(shown, key=lambda w: w[2] * w[3])
        # The kiosk's window lies over the whole screen: not a 1286 × 637
        # rectangle in the top-left corner.
        assert biggest[:4] == (0, 0, width, height), shown
    finally:
        kiosk.send_signal(signal.SIGTERM)
        try:
            kiosk.wait(timeout=10)
        except subprocess.TimeoutExpired:
            kiosk.kill()
            kiosk.wait()
        log.close()
