"""Fixtures of the kiosk's Qt tests: a small site, a kiosk shell, a touchscreen.

Widget tests run offscreen (``QT_QPA_PLATFORM=offscreen``); the GL tests are
marked ``gl`` and need a real display, so they run in a process of their own
on a virtual screen (pytest-xvfb): ``ZACVIZ_GL_TESTS=1 pytest -m gl``.
"""

from __future__ import annotations

import os

if not os.environ.get("ZACVIZ_GL_TESTS"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from zacviz.kiosk.config import hash_pin, parse_config

PIN = "2468"


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.t = 10_000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture(scope="session")
def admin_pin() -> str:
    return PIN


@pytest.fixture(scope="session")
def pin_hash() -> str:
    return hash_pin(PIN, salt=b"kiosk-test-salt!")


@pytest.fixture
def kiosk_site(tmp_path, make_site, kit):
    """Available lots (one priced, one too small for any template) and a sold one along a road."""
    x, y = kit.X0, kit.Y0
    lots = [
        kit.lot("A1", (x, y, x + 150.0, y + 120.0), status="available", price_eur_m2=35, name="Vitrine"),
        kit.lot("A2", (x + 150.0, y, x + 300.0, y + 120.0), status="sold"),
        kit.lot("A3", (x + 300.0, y, x + 420.0, y + 120.0), status="available"),
        kit.lot("A9", (x + 420.0, y, x + 445.0, y + 25.0), status="available"),  # too small to build on
    ]
    road = kit.road("r1", (x - 50.0, y - 20.0, x + 470.0, y), name="Rue des Essais")
    return make_site(tmp_path / "sites", lots=lots, roads=[road])


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def touchscreen():
    from PySide6.QtGui import QInputDevice
    from PySide6.QtTest import QTest

    return QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen)


@pytest.fixture
def make_kiosk(qtbot, tmp_path, kiosk_site, pin_hash, clock):
    """``make_kiosk(**kiosk_keys)`` → a shown :class:`~zacviz.app.Kiosk` (1280 × 800, no 3D)."""
    from zacviz.app import build_kiosk

    made = []

    def make(*, real_clock: bool = False, with_3d: bool = False, **keys):
        table = {
            "site": str(kiosk_site),
            "idle_timeout_s": 60,
            "countdown_s": 10,
            "share_url": "https://viewer.example.org/park/",
            "admin_pin_hash": pin_hash,
            "admin_hold_s": 0.5,
            **keys,
        }
        config = parse_config({"kiosk": table}, tmp_path / "kiosk.toml")
        kiosk = build_kiosk(
            config,
            with_3d=with_3d,
            fullscreen=False,
            size=(1280, 800),
            stats_dir=tmp_path / "stats",
            clock=None if real_clock else clock,
            install_excepthook=False,
        )
        made.append(kiosk)
        qtbot.addWidget(kiosk.shell)
        kiosk.shell.show()
        qtbot.waitExposed(kiosk.shell)
        return kiosk

    yield make
    from zacviz import i18n

    for kiosk in made:
        kiosk.shell.language.set("fr")
        kiosk.shell.shutdown()
        kiosk.stats.close()
    i18n.set_language("fr")


def stop_process_group(proc) -> None:
    """End a process started with ``start_new_session=True`` and all it started:
    SIGTERM to its group, SIGKILL after 10 s."""
    import signal
    import subprocess

    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
