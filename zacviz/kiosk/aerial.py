"""The site's aerial photograph under a kiosk map, read off the UI thread.

A kiosk map shows one fixed view at a time (the park, or one lot), so it asks
for one picture: the part of the image its widget covers, at the widget's
pixel size (device pixels). The read goes through the editor's overview reader
(:func:`zacviz.io.imagery.acquire`: GDAL picks the overview that matches the
size, so a 4K screen never decodes the full-resolution image of the whole
park), on a worker thread; until it arrives the map draws the previous picture
where it belongs, or none. A picture that fails to read leaves the plan on its
plain background: the photograph is a backdrop, never a reason to stop.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QImage

from zacviz.io.imagery import ImageryInfo, acquire, open_imagery

log = logging.getLogger("zacviz.kiosk")

Bounds = tuple[float, float, float, float]
Request = tuple[Bounds, tuple[int, int]]  # site bounds, (rows, cols)

MAX_SIDE_PX = 4096
"""No picture larger than this on a side (a 4K screen's width): bounded memory."""
PREVIEW_ABOVE_PX = 1_500_000
"""A picture of more pixels than this (a 4K screen's map) takes seconds to decode:
a quarter-size one is read first, and shown while the sharp one comes."""

_pool: QThreadPool | None = None


def reader_pool() -> QThreadPool:
    """One worker for every kiosk map: pictures are read one at a time, newest wanted first.

    Owned by the application, which waits for a read in progress when it ends.
    """
    global _pool
    if _pool is None:
        _pool = QThreadPool(QCoreApplication.instance())
        _pool.setMaxThreadCount(1)
    return _pool


def to_qimage(rgb: np.ndarray) -> QImage:
    """(rows, cols, 3) uint8, row 0 north → a QImage that owns its pixels."""
    rows, cols, _ = rgb.shape
    data = np.ascontiguousarray(rgb)
    return QImage(data.data, cols, rows, 3 * cols, QImage.Format.Format_RGB888).copy()


class _Signals(QObject):
    loaded = Signal(object, object)  # request, QImage or None


class _Read(QRunnable):
    def __init__(self, aerial: Aerial, request: Request) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.signals = aerial._signals
        self.info = aerial.info
        self.aerial_wants = aerial._wanted
        self.request = request

    def run(self) -> None:
        if self.request not in self.aerial_wants:  # superseded before it started
            return
        bounds, shape = self.request
        try:
            assert self.info is not None
            with acquire(self.info) as reader:
                image = to_qimage(reader.read(bounds, shape))
        except Exception as exc:  # a hole in the backdrop, never a crash
            log.warning("aerial image: cannot read %s (%s)", self.info.path.name if self.info else "", exc)
            image = None
        self.signals.loaded.emit(self.request, image)


class Aerial(QObject):
    """The aerial image of a site for one kiosk map; ``changed`` when a new picture is in."""

    changed = Signal()

    def __init__(self, path: Path | None) -> None:
        super().__init__()
        self.info: ImageryInfo | None = None
        if path is not None:
            try:
                self.info = open_imagery(path)
            except Exception as exc:  # unreadable: the maps keep their plain background
                log.warning("aerial image not shown: %s", getattr(exc, "message", exc))
        self._signals = _Signals()
        self._signals.loaded.connect(self._on_loaded)
        self._wanted: set[Request] = set()
        self._picture: tuple[Bounds, QImage] | None = None
        self._shown: Request | None = None
        self.reads = 0
        self.version = 0
        """Bumped with each new picture (maps key their cached drawing on it)."""

    @property
    def available(self) -> bool:
        return self.info is not None

    def picture(self, bounds: Bounds, size: tuple[int, int]) -> tuple[Bounds, QImage] | None:
        """The picture to draw now (the last one read, with its own bounds), and a read
        of ``bounds`` at ``size`` (cols, rows device pixels) started if it is not that one."""
        if self.info is None:
            return None
        cols, rows = size
        k = max(1.0, max(cols, rows) / MAX_SIDE_PX)
        request: Request = (tuple(round(v, 3) for v in bounds), (int(rows / k), int(cols / k)))  # type: ignore[assignment]
        if request[1][0] < 1 or request[1][1] < 1:
            return self._picture
        if request != self._shown and request not in self._wanted:
            self._wanted.clear()  # only the newest view matters
            rows, cols = request[1]
            if rows * cols > PREVIEW_ABOVE_PX and (self._picture is None or self._picture[0] != request[0]):
                preview: Request = (request[0], (max(1, rows // 4), max(1, cols // 4)))
                self._wanted.add(preview)
                reader_pool().start(_Read(self, preview))  # one worker: it comes first
            self._wanted.add(request)
            self.reads += 1
            reader_pool().start(_Read(self, request))
        return self._picture

    def _on_loaded(self, request: Request, image: QImage | None) -> None:
        self._wanted.discard(request)
        if image is None:
            return
        self._picture = (request[0], image)
        self._shown = request
        self.version += 1
        self.changed.emit()

    def wait(self, timeout_ms: int = 30000) -> bool:
        """Wait for the reads asked for (tests, screenshots)."""
        done = reader_pool().waitForDone(timeout_ms)
        QCoreApplication.processEvents()
        return done
