"""``kiosk/zacviz-kiosk-session``, the service's display stack: cage, else weston, else the framebuffer.

The session is run as the service runs it (no display in its environment),
with a config that names only the site and the kiosk's probe on. cage is made
to fail at start (as root it refuses to run; otherwise an unknown wlroots
backend), so the session must say so and fall back to weston's kiosk-shell,
here on its headless backend at a portrait 1080 × 1920. The kiosk's own exit
status must come back through weston: it tells systemd a crash from the admin
panel's "quit".
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.kiosk.conftest import stop_process_group
from zacviz.kiosk.cover import framebuffer_problem

pytestmark = [pytest.mark.gl, pytest.mark.wayland]

SESSION = Path(__file__).resolve().parents[2] / "kiosk" / "zacviz-kiosk-session"


def session_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    config = tmp_path / "kiosk.toml"
    config.write_text('[kiosk]\nsite = "belle-assise"\n', encoding="utf-8")
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "WAYLAND", "DISPLAY", "XDG_"))}
    env.update(
        XDG_RUNTIME_DIR=str(runtime),
        XDG_DATA_HOME=str(tmp_path / "data"),
        ZACVIZ_KIOSK_CONFIG=str(config),
        ZACVIZ_KIOSK_PROBE=str(tmp_path / "probe"),
        **extra,
    )
    return env


def run_session(tmp_path: Path, stack: str, timeout: float) -> subprocess.CompletedProcess:
    """The session script asked for one display stack, run to its end."""
    return subprocess.run(
        [str(SESSION)],
        env=session_env(tmp_path, ZACVIZ_KIOSK_STACK=stack),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_the_session_falls_back_to_weston_when_cage_cannot_start(tmp_path: Path):
    if not (shutil.which("cage") and shutil.which("weston")):
        pytest.skip("needs cage and weston (Debian packages cage, xwayland, weston)")
    env = session_env(
        tmp_path,
        WLR_BACKENDS="headless" if os.geteuid() == 0 else "no-such-backend",
        WLR_LIBINPUT_NO_DEVICES="1",
        WLR_RENDERER="pixman",
        ZACVIZ_KIOSK_WESTON_ARGS="--backend=headless-backend.so --use-pixman --width=1080 --height=1920",
    )
    log_path = tmp_path / "session.log"
    with log_path.open("wb") as log:
        session = subprocess.Popen(
            [str(SESSION)], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        state: dict = {}
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and session.poll() is None:
            try:
                state = json.loads((tmp_path / "probe" / "state.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                state = {}
            if state.get("grab") and state.get("window") == state.get("screen"):
                break
            time.sleep(0.25)
        log = log_path.read_text(errors="replace")
        assert session.poll() is None, log
        assert "zacviz-kiosk-session: cage ended (status " in log, log
        assert ") before the kiosk started" in log, log
        assert state["platform"] == "wayland", state
        assert state["window"] == [0, 0, 1080, 1920], state  # weston's portrait output, covered
        assert "(Qt platform: wayland)" in log
        # A crash of the kiosk (here a SIGTERM to it alone) is the session's status:
        # systemd restarts it. weston ends with its one application.
        os.kill(state["pid"], signal.SIGTERM)
        assert session.wait(timeout=30) == 128 + signal.SIGTERM
    finally:
        stop_process_group(session)


@pytest.mark.skipif(
    framebuffer_problem({"QT_QPA_PLATFORM": "linuxfb"}) is None
    or framebuffer_problem({"QT_QPA_PLATFORM": "eglfs"}) is None,
    reason="this machine has a GPU or a framebuffer: the kiosk could start on it for real",
)
def test_the_framebuffer_stack_without_a_framebuffer_says_why(tmp_path: Path):
    done = run_session(tmp_path, "framebuffer", timeout=120)
    assert done.returncode == 2, done.stderr
    assert "(Qt platform: linuxfb)" in done.stderr
    assert "error: QT_QPA_PLATFORM=linuxfb: no framebuffer /dev/fb0 on this machine" in done.stderr


def test_an_unknown_stack_is_refused(tmp_path: Path):
    done = run_session(tmp_path, "x11", timeout=30)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "zacviz-kiosk-session: error: ZACVIZ_KIOSK_STACK=x11: use auto, cage, weston or framebuffer"
    )
