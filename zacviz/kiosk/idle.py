"""When an unattended kiosk gives up on its visitor (Qt-free).

``attract`` → a touch starts a session (``active``) → after ``timeout_s``
without a touch, a visible ``countdown`` of ``countdown_s`` → a touch goes back
to ``active``; the end of the countdown wipes the session (``attract``).
The shell calls :meth:`IdleClock.tick` a few times a second and acts on what it
returns; the clock is injectable so tests need not wait.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import Enum


class Phase(Enum):
    ATTRACT = "attract"
    ACTIVE = "active"
    COUNTDOWN = "countdown"


class IdleClock:
    def __init__(
        self, timeout_s: float, countdown_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.timeout_s = timeout_s
        self.countdown_s = countdown_s
        self.clock = clock
        self.phase = Phase.ATTRACT
        self._last_touch = clock()

    def start_session(self) -> None:
        self.phase = Phase.ACTIVE
        self._last_touch = self.clock()

    def touch(self) -> Phase:
        """A touch anywhere: the session goes on. Returns the phase before the touch."""
        before = self.phase
        self._last_touch = self.clock()
        if self.phase is Phase.COUNTDOWN:
            self.phase = Phase.ACTIVE
        return before

    def end_session(self) -> None:
        self.phase = Phase.ATTRACT

    def idle_s(self) -> float:
        return self.clock() - self._last_touch

    def countdown_left_s(self) -> float:
        """Seconds left on the visible countdown (the full countdown outside it)."""
        if self.phase is not Phase.COUNTDOWN:
            return self.countdown_s
        return max(0.0, self.timeout_s + self.countdown_s - self.idle_s())

    def tick(self) -> Phase | None:
        """Advance; returns the new phase when it changed (``ATTRACT``: wipe the session)."""
        if self.phase is Phase.ATTRACT:
            return None
        idle = self.idle_s()
        if idle >= self.timeout_s + self.countdown_s:
            self.phase = Phase.ATTRACT
            return Phase.ATTRACT
        if self.phase is Phase.ACTIVE and idle >= self.timeout_s:
            self.phase = Phase.COUNTDOWN
            return Phase.COUNTDOWN
        return None
