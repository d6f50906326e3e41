"""The one error channel: exceptions become notices that a shell shows.

Qt-free on purpose (psygnal only): the editor shows a notice in a message box,
the kiosk a calm line, the command line a one-line ``error:``, and the log keeps
the trace. :class:`~zacviz.errors.InputError` is bad data, told as it is; any
other exception is a bug, told as an internal error with its trace attached.
"""

from __future__ import annotations

import logging
import sys
import traceback
from dataclasses import dataclass
from types import TracebackType

from psygnal import Signal

from zacviz.errors import InputError

log = logging.getLogger("zacviz")


@dataclass(frozen=True)
class Notice:
    """Something to tell the user: ``kind`` is ``"input"`` (bad data) or ``"bug"``."""

    kind: str
    text: str
    details: str = ""


class Notifier:
    """Receives exceptions and messages; ``notice`` fires with a :class:`Notice`."""

    notice = Signal(object)

    def __init__(self) -> None:
        self.history: list[Notice] = []

    def report(self, exc: BaseException, tb: TracebackType | None = None) -> Notice:
        if isinstance(exc, InputError):
            n = Notice("input", exc.message)
            log.warning("%s", exc.message)
        else:
            details = "".join(traceback.format_exception(type(exc), exc, tb or exc.__traceback__))
            n = Notice("bug", f"{type(exc).__name__}: {exc}", details)
            log.error("internal error\n%s", details)
        self._emit(n)
        return n

    def tell(self, text: str) -> Notice:
        """A plain message (no exception), e.g. a file that could not be restored."""
        n = Notice("input", text)
        self._emit(n)
        return n

    def _emit(self, n: Notice) -> None:
        self.history.append(n)
        del self.history[:-50]
        self.notice.emit(n)

    def excepthook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        """A ``sys.excepthook``: uncaught exceptions go to the notifier, not to a crash."""
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        try:
            self.report(exc, tb)
        except Exception:  # the hook itself must never raise
            sys.__excepthook__(exc_type, exc, tb)
