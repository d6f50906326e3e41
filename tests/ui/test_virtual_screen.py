"""3D pictures on a machine with no screen: a private Xvfb for the command's length."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from zacviz.ui.virtual_screen import virtual_screen

pytestmark = pytest.mark.skipif(shutil.which("Xvfb") is None, reason="needs Debian's xvfb")


def test_virtual_screen_sets_display_and_cleans_up(monkeypatch):
    monkeypatch.setenv("DISPLAY", ":4242")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    with virtual_screen((320, 200)) as display:
        assert os.environ["DISPLAY"] == display != ":4242"
        assert "QT_QPA_PLATFORM" not in os.environ  # offscreen would draw no OpenGL
        socket = Path(f"/tmp/.X11-unix/X{display[1:]}")
        assert socket.exists()
    assert os.environ["DISPLAY"] == ":4242" and os.environ["QT_QPA_PLATFORM"] == "offscreen"
    assert not socket.exists()  # the server is gone


def test_render_3d_without_any_screen(render_3d_cli):
    proc, out, img = render_3d_cli(unset=("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"ok: {out}"  # printed once, by the rerun
    assert img.shape == (200, 320, 3) and img.std() > 10
