"""The idle clock: attract → active → countdown → attract."""

from __future__ import annotations

import pytest

from zacviz.kiosk.idle import IdleClock, Phase


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_a_silent_kiosk_counts_down_then_wipes():
    clock = Clock()
    idle = IdleClock(60.0, 10.0, clock)
    assert idle.tick() is None and idle.phase is Phase.ATTRACT
    idle.start_session()
    clock.t = 59.9
    assert idle.tick() is None
    clock.t = 60.0
    assert idle.tick() is Phase.COUNTDOWN
    clock.t = 63.2
    assert idle.tick() is None
    assert idle.countdown_left_s() == pytest.approx(6.8)
    clock.t = 70.0
    assert idle.tick() is Phase.ATTRACT
    assert idle.phase is Phase.ATTRACT


def test_a_touch_during_the_countdown_keeps_the_session():
    clock = Clock()
    idle = IdleClock(60.0, 10.0, clock)
    idle.start_session()
    clock.t = 65.0
    idle.tick()
    assert idle.touch() is Phase.COUNTDOWN
    assert idle.phase is Phase.ACTIVE
    clock.t = 124.0
    assert idle.tick() is None
    clock.t = 125.0
    assert idle.tick() is Phase.COUNTDOWN


def test_a_long_sleep_goes_straight_back_to_attract():
    clock = Clock()
    idle = IdleClock(60.0, 10.0, clock)
    idle.start_session()
    clock.t = 500.0
    assert idle.tick() is Phase.ATTRACT
