"""Anonymous statistics: daily counts only, exported as CSV."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from zacviz.kiosk.stats import CSV_HEADER, Statistics


class Today:
    def __init__(self) -> None:
        self.day = dt.date(2026, 11, 30)

    def __call__(self) -> dt.date:
        return self.day


def test_counts_are_kept_by_day_event_and_value(tmp_path):
    today = Today()
    stats = Statistics(tmp_path, today)
    stats.record("session")
    stats.record("lot", "A1")
    stats.record("lot", "A1")
    stats.record("lot", "B2")
    today.day = dt.date(2026, 12, 1)
    stats.record("session")
    stats.record("template", "warehouse")
    stats.record("qr", "A1")
    assert stats.totals() == {"session": 2, "lot": 3, "template": 1, "qr": 1}
    assert stats.top("lot") == [("A1", 2), ("B2", 1)]
    stats.close()
    # The counts survive a restart (a power cut at the fair).
    again = Statistics(tmp_path, today)
    assert again.rows()[0] == ("2026-11-30", "lot", "A1", 2)
    assert again.totals()["session"] == 2


def test_the_csv_export_holds_only_counts(tmp_path):
    stats = Statistics(tmp_path, Today())
    stats.record("session")
    stats.record("template", "offices")
    path = stats.export_csv(tmp_path / "export", dt.datetime(2026, 11, 30, 17, 5, 0))
    assert path.name == "statistiques-20261130-170500.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows == [
        list(CSV_HEADER),
        ["2026-11-30", "session", "", "1"],
        ["2026-11-30", "template", "offices", "1"],
    ]


def test_an_unknown_event_is_a_programming_error(tmp_path):
    with pytest.raises(ValueError, match="unknown statistics event"):
        Statistics(tmp_path, Today()).record("email", "someone@example.org")


def test_an_unwritable_folder_still_counts_in_memory(tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    stats = Statistics(blocker / "stats", Today())
    stats.record("session")
    assert stats.totals()["session"] == 1
    assert "counting in memory" in caplog.text
