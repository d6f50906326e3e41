"""A private virtual screen (Xvfb) for pictures that need OpenGL on a server.

pyqtgraph.opengl draws nothing on Qt's offscreen platform, so ``zacviz render
--view 3d`` and the 3D picture of ``zacviz report`` need an X server. On a
machine with no screen at all, :func:`virtual_screen` starts Debian's ``Xvfb``
for the length of the command (as ``xvfb-run`` would), points ``DISPLAY`` at
it and stops it afterwards. Nothing here is used by the editor or the kiosk,
which run on a real screen.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

START_TIMEOUT_S = 15.0


def has_screen() -> bool:
    """Whether Qt can open a window here (an X or Wayland display, or not Linux)."""
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


@contextmanager
def virtual_screen(size: tuple[int, int] = (1920, 1080)) -> Iterator[str]:
    """Run the body with ``DISPLAY`` on a fresh Xvfb server; yields the display name.

    Raises RuntimeError (one line, for the command line) when Xvfb is not
    installed or does not start.
    """
    exe = shutil.which("Xvfb")
    if exe is None:
        raise RuntimeError(
            "3D pictures need a screen or Xvfb: install the xvfb package, or run under xvfb-run"
        )
    read_fd, write_fd = os.pipe()
    try:
        # -displayfd: the server picks a free display and writes its number when ready.
        proc = subprocess.Popen(
            [exe, "-displayfd", str(write_fd), "-screen", "0", f"{size[0]}x{size[1]}x24", "-nolisten", "tcp"],
            pass_fds=(write_fd,),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    finally:
        os.close(write_fd)
    try:
        number = _read_display_number(read_fd, proc)
    except RuntimeError:
        proc.kill()
        proc.wait()
        raise
    finally:
        os.close(read_fd)
    display = f":{number}"
    saved = {k: os.environ.get(k) for k in ("DISPLAY", "QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    os.environ["DISPLAY"] = display
    os.environ.pop("WAYLAND_DISPLAY", None)
    if saved["QT_QPA_PLATFORM"] in ("offscreen", "minimal"):
        os.environ.pop("QT_QPA_PLATFORM")
    try:
        yield display
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _read_display_number(fd: int, proc: subprocess.Popen) -> int:
    text = b""
    while not text.endswith(b"\n"):
        ready, _, _ = select.select([fd], [], [], START_TIMEOUT_S)
        chunk = os.read(fd, 64) if ready else b""
        if not chunk:
            code = proc.poll()
            why = f"exited with status {code}" if code is not None else "did not answer"
            raise RuntimeError(f"the virtual screen (Xvfb) {why}")
        text += chunk
    return int(text.strip())


__all__ = ["has_screen", "virtual_screen"]
