"""Anonymous visit statistics kept on the kiosk (Qt-free).

Only daily counts are stored — sessions started, lots looked at, templates
chosen, QR codes shown — never a session trail, a time of day, a project or
anything a visitor typed (they type nothing). The store is a small SQLite file,
so a power cut loses at most the event being written; the admin panel exports
it as CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("zacviz.kiosk")

EVENTS = ("session", "lot", "template", "qr")
CSV_HEADER = ("date", "event", "value", "count")
DB_NAME = "statistics.sqlite3"


def csv_cell(value: object) -> object:
    """A cell a spreadsheet will not run: text starting with = + - @ (or a tab or
    carriage return) gets a leading apostrophe (OWASP CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class Statistics:
    """Daily counters by event and value (a lot id, a template id...).

    ``today`` is injectable for tests. A store that cannot be written (full
    disk, read-only medium) logs once and keeps counting in memory: statistics
    must never stop the kiosk.
    """

    def __init__(self, folder: Path | None, today: Callable[[], dt.date] = dt.date.today) -> None:
        self.today = today
        self.path = folder / DB_NAME if folder is not None else None
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        if self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, isolation_level=None)
                self._schema(db)
                return db
            except (OSError, sqlite3.Error) as exc:
                log.warning("statistics: %s cannot be used (%s); counting in memory", self.path, exc)
        db = sqlite3.connect(":memory:", isolation_level=None)
        self._schema(db)
        return db

    @staticmethod
    def _schema(db: sqlite3.Connection) -> None:
        db.execute(
            "CREATE TABLE IF NOT EXISTS counts (day TEXT NOT NULL, event TEXT NOT NULL, "
            "value TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (day, event, value))"
        )

    def record(self, event: str, value: str = "") -> None:
        """Count one ``event`` (one of :data:`EVENTS`) for today."""
        if event not in EVENTS:
            raise ValueError(f"unknown statistics event {event!r}")
        try:
            self._db.execute(
                "INSERT INTO counts VALUES (?, ?, ?, 1) "
                "ON CONFLICT (day, event, value) DO UPDATE SET n = n + 1",
                (self.today().isoformat(), event, value[:64]),
            )
        except sqlite3.Error as exc:
            log.warning("statistics: not recorded (%s)", exc)

    def rows(self) -> list[tuple[str, str, str, int]]:
        """(date, event, value, count), by date, then event, then value."""
        cur = self._db.execute("SELECT day, event, value, n FROM counts ORDER BY day, event, value")
        return [(str(d), str(e), str(v), int(n)) for d, e, v, n in cur.fetchall()]

    def totals(self) -> dict[str, int]:
        """Count of each event over all days."""
        out = dict.fromkeys(EVENTS, 0)
        for event, n in self._db.execute("SELECT event, SUM(n) FROM counts GROUP BY event"):
            out[str(event)] = int(n)
        return out

    def top(self, event: str, limit: int = 5) -> list[tuple[str, int]]:
        """The most frequent values of ``event`` over all days."""
        cur = self._db.execute(
            "SELECT value, SUM(n) AS total FROM counts WHERE event = ? GROUP BY value "
            "ORDER BY total DESC, value LIMIT ?",
            (event, limit),
        )
        return [(str(v), int(n)) for v, n in cur.fetchall()]

    def csv_text(self) -> str:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        writer.writerows(tuple(csv_cell(c) for c in row) for row in self.rows())
        return buf.getvalue()

    def export_csv(self, folder: Path, now: dt.datetime | None = None) -> Path:
        """Write ``statistiques-<date>-<time>.csv`` into ``folder`` and return its path."""
        now = now or dt.datetime.now()
        folder.mkdir(parents=True, exist_ok=True)
        out = folder / f"statistiques-{now:%Y%m%d-%H%M%S}.csv"
        out.write_text(self.csv_text(), encoding="utf-8")
        return out

    def close(self) -> None:
        self._db.close()
