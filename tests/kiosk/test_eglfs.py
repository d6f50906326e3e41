"""``zacviz kiosk`` straight on the framebuffer: Qt's ``eglfs`` (GPU) and ``linuxfb`` (no GL).

Where the device is missing, Qt's eglfs aborts the process and linuxfb starts
with no screen (then crashes in the first widget); the kiosk says why in one
``error:`` line and exits 2 instead. The platforms themselves need a GPU or a
framebuffer: with one, the kiosk covers it like any screen (``cover.py``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from zacviz.kiosk.cover import framebuffer_problem


def fake_dev(tmp_path: Path, *names: str) -> str:
    dev = tmp_path / "dev"
    for name in names:
        (dev / name).parent.mkdir(parents=True, exist_ok=True)
        (dev / name).touch()
    dev.mkdir(exist_ok=True)
    return str(dev)


def test_eglfs_needs_a_gpu_or_a_framebuffer(tmp_path: Path):
    bare = fake_dev(tmp_path)
    problem = framebuffer_problem({"QT_QPA_PLATFORM": "eglfs"}, dev=bare)
    assert problem is not None and problem.startswith("QT_QPA_PLATFORM=eglfs: no graphics device")
    with_gpu = fake_dev(tmp_path / "gpu", "dri/card0")
    assert framebuffer_problem({"QT_QPA_PLATFORM": "eglfs"}, dev=with_gpu) is None
    with_fb = fake_dev(tmp_path / "fb", "fb0")
    assert framebuffer_problem({"QT_QPA_PLATFORM": "eglfs"}, dev=with_fb) is None


def test_linuxfb_needs_its_framebuffer(tmp_path: Path):
    dev = fake_dev(tmp_path, "fb1")
    assert framebuffer_problem({"QT_QPA_PLATFORM": "linuxfb"}, dev=dev) == (
        f"QT_QPA_PLATFORM=linuxfb: no framebuffer {dev}/fb0 on this machine"
    )
    assert framebuffer_problem({"QT_QPA_PLATFORM": f"linuxfb:fb={dev}/fb1"}, dev=dev) is None
    # Other platforms are not this check's business.
    for platform in ("", "xcb", "wayland", "offscreen"):
        assert framebuffer_problem({"QT_QPA_PLATFORM": platform}, dev=str(tmp_path / "none")) is None


def run_kiosk(tmp_path: Path, platform: str) -> subprocess.CompletedProcess:
    config = tmp_path / "kiosk.toml"
    config.write_text('[kiosk]\nsite = "belle-assise"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "WAYLAND", "DISPLAY"))}
    env.update(QT_QPA_PLATFORM=platform, XDG_DATA_HOME=str(tmp_path / "data"))
    return subprocess.run(
        [sys.executable, "-m", "zacviz", "kiosk", "--config", str(config)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_linuxfb_without_its_framebuffer_is_one_error_line(tmp_path: Path):
    missing = tmp_path / "fb7"
    done = run_kiosk(tmp_path, f"linuxfb:fb={missing}")
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == f"error: QT_QPA_PLATFORM=linuxfb: no framebuffer {missing} on this machine"


def test_linuxfb_on_a_device_that_is_no_framebuffer_is_one_error_line(tmp_path: Path):
    # Qt starts with no screen ("linuxfb: Failed to initialize screen"): the
    # kiosk stops there, before any widget.
    done = run_kiosk(tmp_path, "linuxfb:fb=/dev/null")
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "error: no screen: Qt's linuxfb platform found none"
    assert "Traceback" not in done.stderr and "Fatal Python error" not in done.stderr


@pytest.mark.skipif(
    bool(framebuffer_problem({"QT_QPA_PLATFORM": "eglfs"}) is None),
    reason="this machine has a GPU or a framebuffer: eglfs may start for real",
)
def test_eglfs_without_a_device_is_one_error_line(tmp_path: Path):
    done = run_kiosk(tmp_path, "eglfs")
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().startswith("error: QT_QPA_PLATFORM=eglfs: no graphics device")
