"""The fuzz families' tally: how many inputs each family tried, the slowest
one and, for the processes, the largest peak memory, printed at the end of
the run (the figures a long run is made for)."""

from __future__ import annotations

import resource

import pytest

_TALLY = pytest.StashKey[dict]()


@pytest.fixture(scope="session")
def tally(request):
    """``tally(family, seconds, mb=0.0, size=None)`` counts one input of
    ``family`` (``size``: its length in characters, kept for the slowest)."""
    table: dict[str, list[float]] = request.config.stash.setdefault(_TALLY, {})

    def record(family: str, seconds: float, mb: float = 0.0, size: int | None = None) -> None:
        row = table.setdefault(family, [0, 0.0, 0.0, -1])
        row[0] += 1
        if seconds > row[1]:
            row[1], row[3] = seconds, -1 if size is None else size
        row[2] = max(row[2], mb)

    return record


def pytest_terminal_summary(terminalreporter, config) -> None:
    table = config.stash.get(_TALLY, None)
    if not table:
        return
    terminalreporter.section("fuzz: inputs tried per family")
    for family, (count, seconds, mb, size) in table.items():
        of = f" ({size:,.0f} characters)" if size >= 0 else ""
        memory = f", largest peak {mb:.0f} MB" if mb else ""
        terminalreporter.write_line(f"{family}: {count:.0f} inputs, slowest {seconds:.2f} s{of}{memory}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    terminalreporter.write_line(f"peak memory of the test process: {peak:.0f} MB")
