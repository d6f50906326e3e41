"""Pictures without a window: the plan drawn offscreen into a PNG (``zacviz render``).

The same :class:`~zacviz.ui.plan_view.PlanView` as the editor draws it, framed
on the project's lot (or the whole site, or any rectangle: ``--extent``), with
the aerial image loaded at the matching level before the picture is taken, and
the geometry at fault of failing rules in red. The PNG is written with zlib's
fastest level: a picture is drawn to be looked at, not archived.
"""

from __future__ import annotations

import math
import os
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

from zacviz.errors import InputError
from zacviz.model.project import Project
from zacviz.model.site import Site
from zacviz.rules.results import CheckResult

if TYPE_CHECKING:
    from concurrent.futures import Future

    from PySide6.QtGui import QImage

MAX_SIZE_PX = 8192
MAX_EXTENT_M = 20_000.0
"""An explicit extent is at most this wide and lies within this of the site."""
PNG_QUALITY = 85
"""Qt's PNG ``quality`` for zlib level 1: a fifth of the default level's time, 15 % larger."""

Extent = str | tuple[float, float, float, float]


def parse_size(text: str) -> tuple[int, int]:
    """``"1600x1000"`` → ``(1600, 1000)``; InputError for anything else."""
    parts = text.lower().replace("×", "x").split("x")
    try:
        w, h = (int(p) for p in parts)
    except ValueError:
        raise InputError(
            f"--size: expected WIDTHxHEIGHT in pixels, such as 1600x1000 (got {text!r})"
        ) from None
    if not (16 <= w <= MAX_SIZE_PX and 16 <= h <= MAX_SIZE_PX):
        raise InputError(f"--size: each side must be between 16 and {MAX_SIZE_PX} pixels (got {text!r})")
    return w, h


def parse_extent(text: str) -> Extent:
    """``site``, ``lot`` or ``X0,Y0,X1,Y1`` (site coordinates, metres); InputError otherwise."""
    word = text.strip().lower()
    if word in ("site", "lot"):
        return word
    parts = text.split(",")
    try:
        x0, y0, x1, y1 = (float(p) for p in parts)
    except ValueError:
        raise InputError(f"--extent: expected site, lot or X0,Y0,X1,Y1 in metres (got {text!r})") from None
    if not all(math.isfinite(v) for v in (x0, y0, x1, y1)):
        raise InputError(f"--extent: coordinates must be finite numbers (got {text!r})")
    if not (x1 > x0 and y1 > y0):
        raise InputError(f"--extent: X1 must exceed X0 and Y1 exceed Y0 (got {text!r})")
    if max(x1 - x0, y1 - y0) > MAX_EXTENT_M:
        raise InputError(f"--extent: at most {MAX_EXTENT_M / 1000:g} km wide (got {text!r})")
    return (x0, y0, x1, y1)


def extent_bounds(
    extent: Extent, project: Project, site: Site
) -> tuple[tuple[float, float, float, float], float]:
    """The rectangle to frame and the margin around it (a fraction of its size)."""
    if extent == "site":
        return site.bounds, 0.03
    if extent == "lot":
        from zacviz.rules.engine import resolve_lot

        return resolve_lot(project, site).polygon.bounds, 0.2
    assert isinstance(extent, tuple)
    sx0, sy0, sx1, sy1 = site.bounds
    x0, y0, x1, y1 = extent
    if (
        x1 < sx0 - MAX_EXTENT_M
        or x0 > sx1 + MAX_EXTENT_M
        or y1 < sy0 - MAX_EXTENT_M
        or y0 > sy1 + MAX_EXTENT_M
    ):
        raise InputError(f"--extent: more than {MAX_EXTENT_M / 1000:g} km away from the site")
    return extent, 0.0


def render_plan(
    project: Project,
    site: Site,
    out: str | os.PathLike[str],
    size: tuple[int, int] = (1600, 1000),
    extent: Extent = "lot",
    result: CheckResult | None = None,
) -> Path:
    """Draw ``project`` on ``site`` into the PNG ``out``, framed on ``extent``
    (``"lot"``: the project's lot, ``"site"``: the whole park, or a rectangle),
    with its check ``result`` (None: checked here)."""
    out = Path(out)
    if not out.parent.is_dir():
        raise InputError(f"--out: folder {out.parent} does not exist")
    image, _ = plan_picture(project, site, size, extent, result)
    if not image.save(str(out), "PNG", PNG_QUALITY):
        raise InputError(f"--out: cannot write {out}")
    return out


def plan_picture(
    project: Project,
    site: Site,
    size: tuple[int, int] = (1600, 1000),
    extent: Extent = "lot",
    result: CheckResult | None = None,
) -> tuple[QImage, tuple[float, float, float, float]]:
    """The plan as a picture, and the rectangle of the site it shows (x0, y0, x1, y1)."""
    picture = PlanPicture(site, size)
    try:
        return picture.draw(project, extent, result)
    finally:
        picture.close()


class PlanPicture:
    """An offscreen plan of ``site``, ready to draw projects on it again and again.

    The site's layers (lots, roads, labels, the image's tiles already read) stay
    loaded between pictures, as in a GIS; nothing is painted until the picture
    is taken, and then once, in layers painted at the same time, as a GIS
    renders its layers in parallel: the image's tiles are read by the imagery
    layer's workers; the site's polygons are painted by a thread of this
    picture as soon as the view is framed, while this thread checks the project
    and paints what lies over them; then the layers are laid one on the other.
    """

    def __init__(self, site: Site, size: tuple[int, int] = (1600, 1000)) -> None:
        from PySide6.QtCore import Qt

        from zacviz.io.imagery import open_imagery
        from zacviz.ui.application import application
        from zacviz.ui.plan_view import PlanView

        self.app = application()
        self.site = site
        imagery = None
        if site.imagery_path is not None:
            try:
                imagery = open_imagery(site.imagery_path)
            except InputError:
                imagery = None  # the plan without its photo is still a plan
        view = self.view = PlanView(site, imagery, interactive=False)
        view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        # Painted only by grab(): intermediate states are never drawn.
        view.setUpdatesEnabled(False)
        view.resize(*size)
        if view.imagery_layer is not None:
            view.imagery_layer.cache_tiles = False  # see draw(): painted once per picture
        self._shown = False
        self._over: QImage | None = None  # what lies over the site's polygons
        self._site: QImage | None = None  # the site's polygons, painted by self._painter
        # The pictures' memory, each with (a weak reference to) the copy handed out.
        self._outputs: list[tuple[QImage, weakref.ref[QImage]]] = []
        from concurrent.futures import ThreadPoolExecutor

        self._painter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="plan-picture")
        # The thread's last job: its picture is in use until it is done.
        self._painting: Future[None] | None = None

    def draw(
        self, project: Project, extent: Extent = "lot", result: CheckResult | None = None
    ) -> tuple[QImage, tuple[float, float, float, float]]:
        from zacviz.rules.engine import check_project, resolve_lot

        site, view = self.site, self.view
        resolve_lot(project, site)
        bounds, margin = extent_bounds(extent, project, site)
        if not self._shown:
            view.show()
            self._shown = True
            self.app.processEvents()  # laid out: the view box knows its size in pixels
        view.zoom_to_bounds(bounds, margin)
        layer = view.imagery_layer
        if layer is not None:
            # The image's tiles are read by the workers while this thread checks
            # the project and builds its shapes.
            layer.update_view()
        # The site's polygons, styled for this project's lot, are painted meanwhile.
        view.style_project_lot(project.lot)
        site_job = self._paint_site_layer() if layer is not None and layer.visible else None
        if result is None:
            result = check_project(project, site)
        view.set_project(project, result)
        failing = [r.geometry for r in result.rules if not r.ok and r.geometry is not None]
        view.set_highlights(failing)
        # The editor's items keep their scaled pixels between repaints; a picture
        # is painted once per framing, so filling those caches would only cost.
        from PySide6.QtWidgets import QGraphicsItem

        for item in view.scene().items():
            if item.cacheMode() != QGraphicsItem.CacheMode.NoCache:
                item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        if layer is None or not layer.visible:
            self.app.processEvents()
            view.setUpdatesEnabled(True)
            image = view.grab().toImage()
            view.setUpdatesEnabled(False)
        else:
            assert site_job is not None
            image = self._layered(layer, site_job)
        (vx0, vx1), (vy0, vy1) = view.vb.viewRange()
        ox, oy = view.origin
        return image, (vx0 + ox, vy0 + oy, vx1 + ox, vy1 + oy)

    def _canvas(self, attr: str) -> QImage:
        """A transparent picture of the viewport's size, kept for the next picture:
        new memory costs the kernel a page fault per 4 kB, more than painting
        into it on a busy machine."""
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QImage

        view = self.view
        viewport = view.viewport()
        dpr = view.devicePixelRatioF()
        w, h = round(viewport.width() * dpr), round(viewport.height() * dpr)
        image = getattr(self, attr)
        if image is None or (image.width(), image.height()) != (w, h):
            image = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
            setattr(self, attr, image)
        image.setDevicePixelRatio(dpr)
        image.fill(Qt.GlobalColor.transparent)
        return image

    def _site_transform(self):
        """The site layer's coordinates → the viewport's, as the view frames it now."""
        view = self.view
        view.scene().prepareForPaint()  # the view box applies its new range
        return view.site_layer.deviceTransform(view.viewportTransform())

    def _paint_site_layer(self):
        """Start painting the site's polygons, as framed now, in this picture's
        thread; returns (future, transform used).

        PySide6 keeps the GIL through each QPainter call: the polygons painted
        here overlap what lets the GIL go (GDAL's reads and numpy's copies in
        the imagery layer's workers, the waits), never the calling thread's own
        painting. Painted in the calling thread instead, the picture took as
        long (25 interleaved rounds: 1.05x for the site, 0.92x for a lot)."""
        from concurrent.futures import wait

        from PySide6.QtCore import QRectF
        from PySide6.QtGui import QPainter

        from zacviz.ui.plan_view import paint_polygons

        view = self.view
        if self._painting is not None:
            # A picture given up half-way (its project refused) may still be painting.
            wait([self._painting])
        image = self._canvas("_site")
        transform = self._site_transform()
        shapes, rects = view.site_layer.polygons()
        hints = view.renderHints()
        viewport = view.viewport()
        inverse, _ = transform.inverted()
        exposed = inverse.mapRect(QRectF(0.0, 0.0, viewport.width(), viewport.height()))

        def paint() -> None:
            painter = QPainter(image)
            painter.setRenderHints(hints)
            painter.setTransform(transform)
            paint_polygons(painter, shapes, rects, exposed)
            painter.end()

        self._painting = self._painter.submit(paint)
        return self._painting, transform

    def _layered(self, layer, site_job) -> QImage:
        """The picture in three layers, as a GIS draws in parallel: everything
        over the site's polygons is painted onto a transparent picture while the
        workers still read the image's tiles and this picture's thread paints
        the polygons (see :meth:`_paint_site_layer`); then the tiles, the
        polygons over them and that picture over both. (Source-over is
        associative: the same pixels as painting it all at once.)"""
        from PySide6.QtCore import QRectF, Qt
        from PySide6.QtGui import QBrush, QImage, QPainter

        view = self.view
        self.app.processEvents()
        viewport = view.viewport()
        dpr = view.devicePixelRatioF()
        w, h = round(viewport.width() * dpr), round(viewport.height() * dpr)
        over = self._canvas("_over")
        background = view.backgroundBrush()
        layer.set_visible(False)  # the tiles already read wait, hidden; the others are still read
        site_layer = view.site_layer
        site_layer.setVisible(False)  # painted by the thread
        view.setBackgroundBrush(QBrush(Qt.BrushStyle.NoBrush))
        future, transform = site_job
        if self._site_transform() != transform:  # framed anew meanwhile (a late layout)
            future.result()
            future, _ = self._paint_site_layer()
        painter = QPainter(over)
        painter.setRenderHints(view.renderHints())
        rect = QRectF(0.0, 0.0, viewport.width(), viewport.height())
        view.render(painter, rect, rect.toRect())
        painter.end()
        view.setBackgroundBrush(background)
        site_layer.setVisible(True)
        layer.set_visible(True)
        layer.wait()
        image = self._output(w, h)
        image.setDevicePixelRatio(dpr)
        image.fill(background.color())
        painter = QPainter(image)
        layer.paint_tiles(painter, view)
        painter.resetTransform()
        future.result()
        assert self._site is not None
        painter.drawImage(0, 0, self._site)
        painter.drawImage(0, 0, over)
        painter.end()
        handed = QImage(image)  # shares the pixels until either side paints
        self._outputs.insert(0, (image, weakref.ref(handed)))
        return handed

    def _output(self, w: int, h: int) -> QImage:
        """Memory for the next picture: that of a picture drawn before and let go
        by its caller, when there is one (a new picture costs the kernel a page
        fault per 4 kB: on a busy machine, 2 ms of a 1600×1000 picture); else new.
        Two are kept, for a caller that holds a picture while asking for the next.

        A picture still held is never painted over: QImage copies on write, so
        painting into memory still shared would copy it first; it is only passed over."""
        from PySide6.QtGui import QImage

        for i, (image, handed) in enumerate(self._outputs):
            if handed() is None and (image.width(), image.height()) == (w, h):
                del self._outputs[i]
                return image
        del self._outputs[1:]  # at most two once this one is handed out
        return QImage(w, h, QImage.Format.Format_RGB32)

    def close(self) -> None:
        self._painter.shutdown(wait=True)
        view = self.view
        view.shutdown()
        view.close()
        view.deleteLater()
        self.app.processEvents()
