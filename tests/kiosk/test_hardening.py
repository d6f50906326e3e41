"""Kiosk hardening: the PIN back-off survives a restart, the demo PIN is
flagged, statistics cells cannot become spreadsheet formulas, an over-long QR
text is caught."""

from __future__ import annotations

import csv
import io

from zacviz.kiosk.config import DEMO_PIN_HASH, PinGuard, hash_pin, is_demo_pin
from zacviz.kiosk.stats import Statistics, csv_cell


class Clock:
    def __init__(self, t: float = 1000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def test_pin_back_off_is_persisted_across_restarts(tmp_path):
    stored = hash_pin("1357")
    state = tmp_path / "state" / "pin-guard.json"
    mono, wall = Clock(), Clock(5_000.0)
    guard = PinGuard(stored, clock=mono, wall_clock=wall, state_file=state)
    for _ in range(4):
        mono.t += 1000
        wall.t += 1000
        assert not guard.attempt("0000")
    assert guard.failures == 4 and guard.wait_s() == 16.0
    # A restart (a crash, systemd starts it again): a new guard, a new monotonic clock.
    again = PinGuard(stored, clock=Clock(3.0), wall_clock=wall, state_file=state)
    assert again.failures == 4
    assert again.wait_s() == 16.0
    assert not again.attempt("1357")  # still locked: even the right PIN waits
    wall.t += 10_000
    later = PinGuard(stored, clock=Clock(7.0), wall_clock=wall, state_file=state)
    assert later.wait_s() == 0.0 and later.attempt("1357")
    assert PinGuard(stored, clock=Clock(), wall_clock=wall, state_file=state).failures == 0


def test_a_damaged_state_file_starts_afresh(tmp_path):
    state = tmp_path / "pin-guard.json"
    for text in ("", "{", '{"failures": "x"}', '{"failures": 3, "locked_until": 1e999}', "[]"):
        state.write_text(text)
        assert PinGuard(hash_pin("1357"), state_file=state).failures in (0,)


def test_the_demo_pin_is_recognised():
    assert is_demo_pin(DEMO_PIN_HASH)
    assert not is_demo_pin(hash_pin("2468"))  # the same PIN, another salt: a choice made on site
    assert not is_demo_pin(None)
    from pathlib import Path

    shipped = (Path(__file__).resolve().parents[2] / "kiosk" / "kiosk.toml").read_text(encoding="utf-8")
    assert DEMO_PIN_HASH in shipped


def test_statistics_csv_escapes_formulas(tmp_path):
    assert csv_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    for start in "=+-@\t\r":
        assert csv_cell(start + "1").startswith("'")
    assert csv_cell("A1") == "A1" and csv_cell(3) == 3
    stats = Statistics(tmp_path)
    stats.record("lot", "=cmd|' /C calc'!A0")
    stats.record("template", "@SUM(1)")
    rows = list(csv.reader(io.StringIO(stats.csv_text())))
    values = [r[2] for r in rows[1:]]
    assert all(not v.startswith(("=", "+", "-", "@")) for v in values), values
    assert "'=cmd|' /C calc'!A0" in values


def test_qr_overflow_is_caught(qtbot):
    from zacviz.kiosk.widgets import QrCode

    qr = QrCode()
    qtbot.addWidget(qr)
    qr.set_text("https://example.org/#p=" + "A" * 10_000)
    assert qr.modules == 0
    qr.set_text("https://example.org/")
    assert qr.modules > 0
