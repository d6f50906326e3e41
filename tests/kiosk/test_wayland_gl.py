"""``zacviz kiosk`` inside a real Wayland kiosk compositor: cage (the stand's), and weston's kiosk-shell.

Each case starts the compositor, then the kiosk's own launcher
(``kiosk/zacviz-kiosk``) on a config that names only the site, as a client of
the compositor's socket, with ``ZACVIZ_KIOSK_PROBE`` on: the kiosk writes its Qt
platform, its screen's and window's geometry and a grab of its own window.

- *headless* (``WLR_BACKENDS=headless`` for cage, ``headless-backend.so`` for
  weston): Qt runs on ``wayland``, the window covers the compositor's output
  (cage's size read from a ``grim`` screenshot of the output, weston's set on
  its command line) and the grab is that size.
- *nested in Xvfb* (cage's ``x11`` backend, weston's ``x11-backend.so``): the
  compositor's output is a window on a virtual X server. The headless backends
  have no input device at all, and cage 0.1.4 offers no virtual-pointer or
  virtual-keyboard protocol (``wtype``: "Compositor does not support the
  virtual keyboard protocol"); so a pointer click is sent to the X window with
  ``xdotool``, the compositor turns it into a Wayland pointer event on its seat
  and the kiosk must leave its attract screen. Pointer, not touch: XTEST cannot
  make touch events. The kiosk's touch handling is the same code for both
  (``QEvent.TouchEnd`` or ``MouseButtonRelease``, see the attract screen).

cage refuses to run as root ("Unable to drop root"): run as root (CI), the
compositor runs as ``nobody`` and the kiosk connects to its socket by path.
A compositor that cannot start here skips its cases with its own last message.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import struct
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.kiosk.conftest import stop_process_group

pytestmark = [pytest.mark.gl, pytest.mark.wayland]

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = ROOT / "kiosk" / "zacviz-kiosk"
WESTON_SIZE = (1366, 768)


def as_compositor_user() -> list[str]:
    """The command prefix that runs the compositor as an ordinary user (cage refuses root)."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root needs setpriv (util-linux) to start the compositor as nobody")
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is no PNG"
    return struct.unpack(">II", head[16:24])


def png_colours(path: Path) -> int:
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    step = max(1, image.width() // 64)
    return len(
        {image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)}
    )


@dataclass
class Compositor:
    name: str
    proc: subprocess.Popen
    socket: Path
    log: Path
    display: str | None = None  # the X server it is nested in
    x_server: subprocess.Popen | None = None
    env: dict[str, str] = field(default_factory=dict)

    def stop(self) -> None:
        self._stop()
        shutil.rmtree(self.socket.parent, ignore_errors=True)

    def _stop(self) -> None:
        for proc in (self.proc, self.x_server):
            if proc is not None:
                stop_process_group(proc)


def start_xvfb(width: int, height: int) -> tuple[subprocess.Popen, str]:
    if not shutil.which("Xvfb"):
        pytest.skip("needs Xvfb (Debian xvfb)")
    read, write = os.pipe()
    server = subprocess.Popen(
        # -ac: the compositor runs as another user; the server is this test's own, local only.
        ["Xvfb", "-displayfd", str(write), "-ac", "-nolisten", "tcp", "-screen", "0", f"{width}x{height}x24"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    os.close(write)
    with os.fdopen(read) as fh:
        number = fh.readline().strip()
    assert number.isdigit(), "Xvfb did not start"
    return server, f":{number}"


def start_compositor(name: str, backend: str, tmp_path: Path) -> Compositor:
    exe = shutil.which(name)
    if exe is None:
        pytest.skip(f"{name} is not installed (Debian package {name})")
    prefix = as_compositor_user()
    # Outside tmp_path, whose parents only the test's own user may enter.
    runtime = Path(tempfile.mkdtemp(prefix=f"zacviz-{name}-"))
    if prefix:
        shutil.chown(runtime, "nobody", "nogroup")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(runtime), "XDG_RUNTIME_DIR": str(runtime)}
    x_server, display = None, None
    if backend == "x11":
        x_server, display = start_xvfb(1600, 1000)
        env["DISPLAY"] = display
    if name == "cage":
        env.update(WLR_BACKENDS=backend, WLR_LIBINPUT_NO_DEVICES="1", WLR_RENDERER="pixman")
        # cage ends with its one application: this one only keeps it up; the kiosk joins by socket.
        cmd = [exe, "-d", "--", "/bin/sh", "-c", "exec sleep 600"]
    else:
        w, h = WESTON_SIZE
        cmd = [
            exe,
            f"--backend={backend}-backend.so",
            "--use-pixman",
            "--shell=kiosk-shell.so",
            f"--width={w}",
            f"--height={h}",
            "--socket=wayland-0",
            "--idle-time=0",
        ]
    log = tmp_path / f"{name}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            prefix + cmd,
            env=env,
            cwd=runtime,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    comp = Compositor(name, proc, runtime / "wayland-0", log, display, x_server, env)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and proc.poll() is None and not comp.socket.exists():
        time.sleep(0.1)
    if not comp.socket.exists():
        comp._stop()
        said = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
        shutil.rmtree(runtime, ignore_errors=True)
        pytest.skip(f"{name} ({backend}) did not start: {said[-1] if said else 'no message'}")
    return comp


@dataclass
class KioskRun:
    proc: subprocess.Popen
    probe: Path
    log: Path

    def state(self) -> dict:
        try:
            return json.loads((self.probe / "state.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def wait_for(self, test, timeout: float = 90) -> dict:
        deadline = time.monotonic() + timeout
        state: dict = {}
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text(errors="replace")
            state = self.state()
            if state and test(state):
                return state
            time.sleep(0.25)
        raise AssertionError(f"kiosk state never came: {state}\n{self.log.read_text(errors='replace')}")


def start_kiosk(comp: Compositor, tmp_path: Path) -> KioskRun:
    config = tmp_path / "kiosk.toml"
    config.write_text('[kiosk]\nsite = "belle-assise"\n', encoding="utf-8")
    own_runtime = tmp_path / "kiosk-runtime"
    own_runtime.mkdir(mode=0o700)
    probe = tmp_path / "probe"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "WAYLAND", "DISPLAY", "XDG_"))}
    env.update(
        # The compositor's socket by path: it runs as another user, in its own runtime folder.
        WAYLAND_DISPLAY=str(comp.socket),
        XDG_RUNTIME_DIR=str(own_runtime),
        XDG_DATA_HOME=str(tmp_path / "data"),
        ZACVIZ_KIOSK_CONFIG=str(config),
        ZACVIZ_KIOSK_PROBE=str(probe),
    )
    log = tmp_path / "kiosk.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(LAUNCHER)], env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    return KioskRun(proc, probe, log)


@pytest.fixture
def running() -> Iterator[list]:
    things: list = []
    yield things
    for thing in reversed(things):
        if isinstance(thing, Compositor):
            thing.stop()
        elif thing.proc.poll() is None:
            thing.proc.send_signal(signal.SIGTERM)
            try:
                thing.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(thing.proc.pid, signal.SIGKILL)
                thing.proc.wait()


def covering(state: dict) -> bool:
    return bool(state.get("visible") and state.get("grab") and state.get("window") == state.get("screen"))


@pytest.mark.parametrize("name", ["cage", "weston"])
def test_the_kiosk_runs_on_wayland_and_covers_the_output(tmp_path: Path, running: list, name: str):
    comp = start_compositor(name, "headless", tmp_path)
    running.append(comp)
    kiosk = start_kiosk(comp, tmp_path)
    running.append(kiosk)
    state = kiosk.wait_for(covering)
    assert state["platform"] == "wayland", state  # Qt's Wayland platform, not xcb through Xwayland
    assert state["shown"] == "attract"
    if name == "cage":
        # The output as the compositor composes it, read back through wlr-screencopy.
        shot = presented(comp, tmp_path / "grim.png")
        output = png_size(shot)
    else:
        output = WESTON_SIZE
    assert state["screen"] == [0, 0, *output], state
    assert state["window"] == [0, 0, *output], state
    assert state["grab_size"] == list(output), state  # the kiosk draws the whole output
    assert png_colours(kiosk.probe / state["grab"]) > 16


def presented(comp: Compositor, shot: Path) -> Path:
    """A ``grim`` screenshot of cage's output (wlr-screencopy) once it shows the kiosk.

    The first frames may still be black: the kiosk grabs itself before it has
    presented anything to the compositor.
    """
    deadline = time.monotonic() + 30
    while True:
        subprocess.run(
            ["grim", str(shot)],
            env={**comp.env, "WAYLAND_DISPLAY": str(comp.socket)},
            check=True,
            timeout=30,
        )
        if png_colours(shot) > 16:
            return shot
        assert time.monotonic() < deadline, "cage's output shows nothing of the kiosk"
        time.sleep(0.5)


def biggest_x_window(display: str) -> tuple[int, int, int, int]:
    import re

    env = {**os.environ, "DISPLAY": display}
    tree = subprocess.run(
        ["xwininfo", "-root", "-children"], env=env, capture_output=True, text=True, timeout=10
    ).stdout
    best = (0, 0, 0, 0)
    for win_id in re.findall(r"^\s+(0x[0-9a-f]+) ", tree, re.M):
        info = subprocess.run(["xwininfo", "-id", win_id], env=env, capture_output=True, text=True).stdout
        if "IsViewable" not in info:
            continue
        x, y, w, h = (
            int(re.search(rf"{k}:\s+(-?\d+)", info).group(1))
            for k in ("Absolute upper-left X", "Absolute upper-left Y", "Width", "Height")
        )
        if w * h > best[2] * best[3]:
            best = (x, y, w, h)
    return best


@pytest.mark.parametrize("name", ["cage", "weston"])
def test_a_click_through_the_compositor_starts_a_session(tmp_path: Path, running: list, name: str):
    if not (shutil.which("xdotool") and shutil.which("xwininfo")):
        pytest.skip("needs xdotool and xwininfo (Debian xdotool, x11-utils)")
    comp = start_compositor(name, "x11", tmp_path)
    running.append(comp)
    kiosk = start_kiosk(comp, tmp_path)
    running.append(kiosk)
    state = kiosk.wait_for(covering)
    assert state["platform"] == "wayland", state
    assert state["shown"] == "attract"
    x, y, w, h = biggest_x_window(comp.display)
    assert (w, h) == tuple(state["screen"][2:]), "the compositor's output is its X window"
    if name == "cage":
        presented(comp, tmp_path / "before.png")  # the kiosk's surface is on the output
    # A visitor's tap, as the compositor's seat delivers it: move, press and release
    # mid-screen. Tapped again if the compositor had not shown the kiosk yet (weston's
    # headless screenshots are black, so its first frame cannot be waited for).
    env = {**os.environ, "DISPLAY": comp.display}
    for _ in range(4):
        for action in (
            ["mousemove", str(x + w // 2), str(y + h // 2 + 40)],
            ["mousedown", "1"],
            ["mouseup", "1"],
        ):
            subprocess.run(["xdotool", *action], env=env, check=True, timeout=10)
            time.sleep(0.3)
        try:
            state = kiosk.wait_for(lambda s: s.get("shown") == "lots", timeout=10)
            break
        except AssertionError:
            continue
    assert state.get("shown") == "lots", (
        f"no tap reached the kiosk: {state}\n{kiosk.log.read_text(errors='replace')}"
    )
    assert state["platform"] == "wayland"
    assert state["window"] == state["screen"]
