"""3D pictures on a machine with no screen: a private Xvfb for the command's length."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from zacviz.ui.virtual_screen import virtual_screen

REPO = Path(__file__).resolve().parents[2]

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


def test_render_3d_without_any_screen(tmp_path, site_dir, site):
    from PIL import Image

    from zacviz.io.project_file import save_project
    from zacviz.model.templates import apply_template

    project = tmp_path / "p.zacviz.json"
    save_project(apply_template(site, site.lot("A1"), "warehouse"), project)
    out = tmp_path / "p.png"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(REPO)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "zacviz",
            "render",
            str(project),
            "--view",
            "3d",
            "--out",
            str(out),
            "--size",
            "320x200",
            "--site",
            str(site_dir),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"ok: {out}"  # printed once, by the rerun
    img = np.asarray(Image.open(out).convert("RGB")).astype(int)
    assert img.shape == (200, 320, 3) and img.std() > 10
