"""The plan: the business park over its aerial image, and the project being edited.

A pyqtgraph plot with a locked aspect ratio whose coordinates are the site's
(Lambert-93) minus a site origin, so that float precision never shows. The view
holds no project state of its own: it draws what :meth:`PlanView.set_project`
gives it and reports what the user does through signals (a lot picked, an item
selected, an edit finished). During a drag it draws only a cheap preview; the
edit is reported once, on release.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import pyqtgraph as pg
import shapely
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsItem, QGraphicsPathItem, QGraphicsRectItem
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from zacviz.geometry.footprint import footprint_polygon
from zacviz.geometry.parking import stall_layout, stall_lines_drawn
from zacviz.i18n import fmt_number
from zacviz.model.project import Building, Footprint, Project, RectFootprint, Surface, wrap_angle
from zacviz.model.site import Site
from zacviz.rules.results import CheckResult
from zacviz.ui import style
from zacviz.ui.snapping import line_directions, snap_angle, snap_lines, snap_translation

HANDLE_PX = 9
ROTATE_HANDLE_PX = 28
SNAP_PX = 10
MIN_SIZE_M = 1.0

SIZE_STEP_M = 0.1

# The eight resize handles, as the signs of their local (x, y) position.
RESIZE_HANDLES = ((-1, -1), (0, -1), (1, -1), (1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0))


def site_origin(site: Site) -> tuple[float, float]:
    """A round point south-west of the site; plan coordinates are relative to it."""
    minx, miny, _, _ = site.bounds
    return (math.floor(minx / 100.0) * 100.0, math.floor(miny / 100.0) * 100.0)


def geom_path(geom: BaseGeometry | None, origin: tuple[float, float]) -> QPainterPath:
    """A painter path of any shapely geometry, shifted by ``-origin``."""
    path = QPainterPath()
    if geom is None or geom.is_empty:
        return path
    ox, oy = origin
    stack = [geom]
    while stack:
        g = stack.pop()
        kind = g.geom_type
        if kind == "Polygon":
            for ring in (g.exterior, *g.interiors):
                pts = shapely.get_coordinates(ring)
                path.addPolygon(QPolygonF([QPointF(x - ox, y - oy) for x, y in pts]))
                path.closeSubpath()
        elif kind in ("LineString", "LinearRing"):
            pts = shapely.get_coordinates(g)
            if len(pts):
                path.moveTo(pts[0][0] - ox, pts[0][1] - oy)
                for x, y in pts[1:]:
                    path.lineTo(x - ox, y - oy)
        elif hasattr(g, "geoms"):
            stack.extend(g.geoms)
    return path


# Up to this many vertices in all, the shapes of a layer are united by GEOS
# before drawing, so that each outline is stroked once; past it (rules failing
# on 10,000-vertex outlines: a union took minutes), see union_path.
UNION_VERTEX_LIMIT = 20_000


def union_path(geoms: list[BaseGeometry], origin: tuple[float, float]) -> QPainterPath:
    """A painter path filling the union of ``geoms``, in bounded time.

    Small layers are united by GEOS. Past ``UNION_VERTEX_LIMIT`` vertices the
    polygons are oriented (exteriors counter-clockwise, holes clockwise) and
    the path fills by winding: a point is filled when it lies in any of them,
    which is the same union; only the outlines of overlaps are stroked too.
    """
    if not geoms:
        return QPainterPath()
    if sum(int(shapely.get_num_coordinates(g)) for g in geoms) <= UNION_VERTEX_LIMIT:
        return geom_path(shapely.union_all(geoms), origin)
    path = geom_path(shapely.orient_polygons(shapely.GeometryCollection(geoms)), origin)
    path.setFillRule(Qt.FillRule.WindingFill)
    return path


def _boxes_path(boxes: np.ndarray, origin: tuple[float, float]) -> QPainterPath:
    path = QPainterPath()
    ox, oy = origin
    for quad in boxes:
        path.addPolygon(QPolygonF([QPointF(x - ox, y - oy) for x, y in quad]))
        path.closeSubpath()
    return path


def _set_path(item: QGraphicsPathItem, path: QPainterPath) -> None:
    """Give ``item`` its new path, unless it already has it: a new path repaints
    the item and throws its cached pixels away, and most of an edit's outlines
    (the buildable area, the rule at fault) stay as they were."""
    if item.path() != path:
        item.setPath(path)


# A path of more elements than this is drawn without antialiasing: SPEC §2
# allows 10,000-vertex outlines, whose edges lie closer than a pixel at any
# zoom of the plan, and antialiasing them (with the outlines of the rules they
# fail) took over ten seconds a picture.
SMOOTH_ELEMENT_LIMIT = 5_000


class PathItem(QGraphicsPathItem):
    """A path item that leaves antialiasing out for paths past ``SMOOTH_ELEMENT_LIMIT``
    elements, and for the areas deep in a pile (see :func:`deep_in_pile`)."""

    deep = False
    """Set by the plan for a picture: the area lies under ``PILE_DEPTH`` others."""

    def paint(self, painter, option, widget=None) -> None:
        uncached = self.cacheMode() == QGraphicsItem.CacheMode.NoCache
        if self.path().elementCount() <= SMOOTH_ELEMENT_LIMIT and not (self.deep and uncached):
            if (
                uncached
                and painter.testRenderHint(QPainter.RenderHint.Antialiasing)
                and outline_hides_edge(self.pen())
            ):
                # A picture: the fill aliased under its antialiased outline, as the site's polygons.
                painter.save()
                paint_shape(painter, self.path(), self.pen(), self.brush(), True)
                painter.restore()
                return
            super().paint(painter, option, widget)
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        super().paint(painter, option, widget)
        painter.restore()


# SPEC §2 allows 1,000 car parks piled on one spot: their antialiased outlines
# cost ~1 µs a pixel of outline in Qt's rasteriser (20 s for 1,000 jagged
# 300-vertex outlines), and under five fills of alpha 200 or more what lies
# beneath no longer shows (less than half a colour level) but at the pile's
# ragged edge. A picture draws the areas that deep without antialiasing.
PILE_DEPTH = 5
PILE_MIN_ITEMS = 16
"""Fewer buildings and surfaces than this are never looked at as a pile."""


def deep_in_pile(polys: list[BaseGeometry]) -> list[bool]:
    """For areas painted in this order, whether each lies under ``PILE_DEPTH``
    later ones that each cover its centre point.

    A centre is tested against the later areas whose boxes hold it, the
    nearest in the order first: in a pile the next few answer (testing every
    pair of 1,000 piled 300-vertex areas took 3 s)."""
    n = len(polys)
    if n <= PILE_DEPTH:
        return [False] * n
    geoms = np.empty(n, dtype=object)
    geoms[:] = polys
    xy = shapely.get_coordinates(shapely.point_on_surface(geoms))
    i, j = shapely.STRtree(geoms).query(shapely.points(xy))
    later = j > i
    i, j = i[later], j[later]
    order = np.lexsort((j, i))
    i, j = i[order], j[order]
    # Each pair's rank among its centre's later areas, nearest first.
    first = np.searchsorted(i, i, side="left")
    rank = np.arange(len(i)) - first
    counts = np.zeros(n, int)
    near = rank < 4 * PILE_DEPTH
    for pick in (near, ~near):
        if pick is not near:
            pick = pick & (counts[i] < PILE_DEPTH)  # the centres the nearest left open
        ii, jj = i[pick], j[pick]
        hit = shapely.contains_xy(geoms[jj], xy[ii, 0], xy[ii, 1])
        counts += np.bincount(ii[hit], minlength=n)
    return [bool(c >= PILE_DEPTH) for c in counts]


def _path_item(path: QPainterPath, pen, brush, z: float) -> QGraphicsPathItem:
    item = PathItem(path)
    item.setPen(pen)
    item.setBrush(brush)
    item.setZValue(z)
    item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
    return item


class LabelItem(QGraphicsItem):
    """A short text on a dark plate, centred on its position, the same size at every zoom."""

    def __init__(self, text: str, z: float, size: int = 9) -> None:
        super().__init__()
        self._font = QFont()
        self._font.setPointSize(size)
        self._font.setBold(True)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(z)
        self._text = ""
        self._rect = QRectF()
        self.setText(text)

    def setText(self, text: str) -> None:
        if text == self._text and not self._rect.isNull():
            return  # the same text: its cached pixels stay good (an edit moves, never renames)
        self.prepareGeometryChange()
        self._text = text
        metrics = QFontMetricsF(self._font)
        w, h = metrics.horizontalAdvance(text) + 8.0, metrics.height() + 2.0
        self._rect = QRectF(-w / 2.0, -h / 2.0, w, h)
        self.update()

    def text(self) -> str:
        return self._text

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option, widget=None) -> None:
        if not self._text:
            return
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(20, 20, 20, 160))
        painter.drawRoundedRect(self._rect, 3.0, 3.0)
        painter.setPen(QColor(255, 255, 255))
        painter.setFont(self._font)
        painter.drawText(self._rect, Qt.AlignmentFlag.AlignCenter, self._text)


def _label(text: str, z: float, size: int = 9) -> LabelItem:
    return LabelItem(text, z, size)


class SiteLayer(QGraphicsItem):
    """The site's polygons (landscape, roads, existing buildings, lots), painted in
    the order they were added, by one item.

    They only change when a lot is restyled. As one item, the editor keeps one
    cached picture of them: a repaint after an edit blits it once instead of one
    translucent, viewport-sized pixmap per polygon; and a picture drawn once walks
    one item and skips the polygons outside what is painted.

    The aerial image's tiles, under the polygons, are painted by this item too
    (:meth:`set_underlay`): the cached picture is then the whole base of the
    plan, one opaque blit per repaint where the image covers the view.
    """

    def __init__(self, z: float = -30.0) -> None:
        super().__init__()
        self._shapes: list[tuple[QPainterPath, QPen, QBrush]] = []
        self._rects: list[QRectF] = []
        self._rect = QRectF()
        self._bounds = QRectF()
        self._underlay = None
        self._underlay_rect = QRectF()
        self.last_painted = 0
        """How many polygons the last paint drew (the others lay outside it)."""
        self.setZValue(z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        # option.exposedRect is then what is painted, not the whole site.
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)

    def add(self, path: QPainterPath, pen: QPen, brush: QBrush) -> int:
        """Add a polygon on top of the others; returns its index (for :meth:`set_style`)."""
        self.prepareGeometryChange()
        self._shapes.append((path, pen, brush))
        rect = path.controlPointRect()
        self._rects.append(rect)
        united = self._rect.united(rect) if not self._rect.isNull() else QRectF(rect)
        # The outlines are cosmetic (pixels, not metres): room for them at any zoom
        # at which the site is still a few pixels wide.
        m = 0.05 * max(united.width(), united.height()) + 1.0
        self._rect = united
        self._bounds = united.adjusted(-m, -m, m, m)
        if not self._underlay_rect.isNull():
            self._bounds = self._bounds.united(self._underlay_rect)
        return len(self._shapes) - 1

    def set_underlay(self, paint, rect: QRectF) -> None:
        """Paint ``paint(painter, exposed)`` under the polygons, within ``rect``
        (None: nothing), such as the aerial image's tiles."""
        self.prepareGeometryChange()
        self._underlay = paint
        self._underlay_rect = QRectF(rect) if paint is not None else QRectF()
        if self._shapes:
            m = 0.05 * max(self._rect.width(), self._rect.height()) + 1.0
            self._bounds = self._rect.adjusted(-m, -m, m, m)
        else:
            self._bounds = QRectF()
        if not self._underlay_rect.isNull():
            self._bounds = (
                self._bounds.united(self._underlay_rect) if not self._bounds.isNull() else self._underlay_rect
            )
        self.update()

    def set_style(self, index: int, pen: QPen, brush: QBrush) -> None:
        path, old_pen, old_brush = self._shapes[index]
        if pen == old_pen and brush == old_brush:
            return
        self._shapes[index] = (path, pen, brush)
        self.update(self._rects[index])

    def style_of(self, index: int) -> tuple[QPen, QBrush]:
        _, pen, brush = self._shapes[index]
        return pen, brush

    def __len__(self) -> int:
        return len(self._shapes)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option, widget=None) -> None:
        exposed = option.exposedRect
        t = painter.worldTransform()
        device = painter.device()
        inverse, invertible = t.inverted()
        if device is not None and invertible:
            # Cached, the item is painted whole (its exposed rectangle is the site)
            # into a picture of the viewport's size: only that picture's area counts.
            dpr = device.devicePixelRatioF() or 1.0
            exposed = exposed.intersected(
                inverse.mapRect(QRectF(0, 0, device.width() / dpr, device.height() / dpr))
            )
        if self._underlay is not None:
            painter.save()
            self._underlay(painter, exposed)
            painter.restore()
        self.last_painted = paint_polygons(painter, self._shapes, self._rects, exposed)

    def polygons(self) -> tuple[list[tuple[QPainterPath, QPen, QBrush]], list[QRectF]]:
        """The polygons as they are styled now, and their rectangles: a copy, for
        :func:`paint_polygons` in another thread (Qt's paths, pens and brushes
        are implicitly shared, safe to read there)."""
        return list(self._shapes), list(self._rects)


CLIP_MARGIN_PX = 12.0
"""How far beyond the painted area (screen pixels) a polygon is cut: past the
4 px an outline reaches and the antialiasing of its cut edge."""


def cut_path(path: QPainterPath, window: QPainterPath) -> QPainterPath:
    """The part of ``path`` inside ``window`` (a rectangle's path)."""
    return path.intersected(window)


def outline_hides_edge(pen: QPen) -> bool:
    """Whether ``pen``'s outline covers the edge of the fill under it: an opaque,
    solid, cosmetic line at least a pixel wide, centred on the edge, so that the
    half pixel where an antialiased and an aliased fill differ lies under it."""
    return (
        pen.style() == Qt.PenStyle.SolidLine
        and pen.isCosmetic()
        and pen.widthF() >= 1.0
        and pen.brush().style() == Qt.BrushStyle.SolidPattern
        and pen.color().alpha() == 255
    )


def paint_shape(painter: QPainter, path: QPainterPath, pen: QPen, brush: QBrush, outlined: bool) -> None:
    """Fill and outline ``path``. ``outlined`` (:func:`outline_hides_edge` of
    ``pen``, on an antialiasing painter): the fill is painted without
    antialiasing, its edge hidden by the antialiased outline; Qt's antialiased
    fill of a translucent polygon costs three to four times the aliased one,
    half of the site's polygons' time. Same picture: the edge pixels differ by a
    few levels under the outline (at most a tenth of the range)."""
    if not outlined:
        painter.setPen(pen)
        painter.setBrush(brush)
        painter.drawPath(path)
        return
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(brush)
    painter.drawPath(path)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)


def paint_polygons(
    painter: QPainter, shapes: list[tuple[QPainterPath, QPen, QBrush]], rects: list[QRectF], exposed: QRectF
) -> int:
    """Paint ``shapes`` in order, skipping those whose rectangle (``rects``) lies
    outside ``exposed`` (the painter's coordinates); returns how many were painted.
    Only QPainter calls: it may run in a thread of its own, onto a QImage.

    A polygon reaching beyond ``exposed`` is cut to it first, grown by
    ``CLIP_MARGIN_PX`` (as a GIS clips features to the extent it draws): Qt
    strokes and fills the whole outline of a path, and zoomed on a lot most of
    the neighbours' outlines lie outside the picture; the cut edges lie beyond
    the picture's edge by more than the widest outline. A polygon whose outline
    hides its fill's edge has its fill painted without antialiasing (see
    :func:`paint_shape`).
    """
    t = painter.worldTransform()
    sx = max(math.hypot(t.m11(), t.m12()), 1e-12)
    sy = max(math.hypot(t.m21(), t.m22()), 1e-12)
    # Outlines reach a few pixels beyond their path: grow what is painted by that.
    grown = exposed.adjusted(-4.0 / sx, -4.0 / sy, 4.0 / sx, 4.0 / sy)
    cut = exposed.adjusted(
        -CLIP_MARGIN_PX / sx, -CLIP_MARGIN_PX / sy, CLIP_MARGIN_PX / sx, CLIP_MARGIN_PX / sy
    )
    window: QPainterPath | None = None
    painted = 0
    smooth = painter.testRenderHint(QPainter.RenderHint.Antialiasing)
    for (path, pen, brush), rect in zip(shapes, rects):
        if not rect.intersects(grown):
            continue
        painted += 1
        if not cut.contains(rect):
            if window is None:
                window = QPainterPath()
                window.addRect(cut)
            path = cut_path(path, window)
        paint_shape(painter, path, pen, brush, smooth and outline_hides_edge(pen))
    return painted


def rect_handles(fp: RectFootprint, rotate_offset_m: float) -> dict[object, tuple[float, float]]:
    """World positions of the resize handles (by sign pair) and of the rotation handle."""
    a = math.radians(fp.angle_deg)
    c, s = math.cos(a), math.sin(a)
    hw, hd = fp.width / 2.0, fp.depth / 2.0
    out: dict[object, tuple[float, float]] = {}
    for sx, sy in RESIZE_HANDLES:
        x, y = sx * hw, sy * hd
        out[(sx, sy)] = (fp.cx + x * c - y * s, fp.cy + x * s + y * c)
    y = hd + rotate_offset_m
    out["rotate"] = (fp.cx - y * s, fp.cy + y * c)
    return out


def resized(
    fp: RectFootprint, handle: tuple[int, int], world: tuple[float, float], step: float | None = None
) -> RectFootprint:
    """``fp`` with the side(s) of ``handle`` dragged to ``world``; the opposite side
    stays. ``step`` rounds the dragged sizes (0.1 m for a hand on a handle)."""
    sx, sy = handle
    a = math.radians(fp.angle_deg)
    c, s = math.cos(a), math.sin(a)
    dx, dy = world[0] - fp.cx, world[1] - fp.cy
    lx, ly = dx * c + dy * s, -dx * s + dy * c
    hw, hd = fp.width / 2.0, fp.depth / 2.0
    width, depth, mx, my = fp.width, fp.depth, 0.0, 0.0
    if sx:
        anchor = -sx * hw
        width = max(MIN_SIZE_M, sx * (lx - anchor))
        if step:
            width = max(MIN_SIZE_M, round(round(width / step) * step, 6))
        mx = anchor + sx * width / 2.0
    if sy:
        anchor = -sy * hd
        depth = max(MIN_SIZE_M, sy * (ly - anchor))
        if step:
            depth = max(MIN_SIZE_M, round(round(depth / step) * step, 6))
        my = anchor + sy * depth / 2.0
    return RectFootprint(
        fp.cx + mx * c - my * s, fp.cy + mx * s + my * c, width, depth, fp.angle_deg, extra=fp.extra
    )


def rotated(fp: RectFootprint, start: tuple[float, float], world: tuple[float, float]) -> float:
    """The angle ``fp`` takes when its rotation handle moves from ``start`` to ``world``."""
    a0 = math.atan2(start[1] - fp.cy, start[0] - fp.cx)
    a1 = math.atan2(world[1] - fp.cy, world[0] - fp.cx)
    angle = fp.angle_deg + math.degrees(a1 - a0)
    return wrap_angle(angle)


HOLD_PX = 60
"""How far (screen pixels) the pointer goes past a setback line before a
building dragged out of its buildable area follows it."""
HOLD_TOL_M = 0.01


def held_inside(fp: Footprint, dx: float, dy: float, area: BaseGeometry, hold_m: float) -> Footprint:
    """``fp`` moved by (dx, dy), but stopped where it would leave ``area`` (the
    setback lines, before the lot's edge) unless the move goes more than
    ``hold_m`` beyond that point."""
    moved = fp.moved(dx, dy)
    if area.covers(footprint_polygon(moved)):
        return moved
    lo, hi = 0.0, 1.0  # lo: still inside; hi: outside
    for _ in range(24):
        mid = (lo + hi) / 2.0
        if area.covers(footprint_polygon(fp.moved(dx * mid, dy * mid))):
            lo = mid
        else:
            hi = mid
    overshoot = (1.0 - lo) * math.hypot(dx, dy)
    return fp.moved(dx * lo, dy * lo) if overshoot <= hold_m else moved


@dataclass
class _Drag:
    item_id: str
    mode: str  # move | resize | rotate
    footprint: Footprint
    start: tuple[float, float]
    handle: tuple[int, int] | None = None
    lines: np.ndarray = field(default_factory=lambda: np.zeros((0, 2, 2)))
    directions: list[float] = field(default_factory=list)
    current: Footprint | None = None
    # The buildable area a dragged building started in: it holds there (snapping on).
    hold: BaseGeometry | None = None


class PlanViewBox(pg.ViewBox):
    """The plan's view box: left clicks and drags go to the plan first, else pan."""

    def __init__(self) -> None:
        super().__init__(lockAspect=True, enableMenu=False, invertY=False)
        self.plan: PlanView | None = None

    def mouseClickEvent(self, ev) -> None:
        if self.plan is not None and ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            self.plan._on_click(self.mapToView(ev.pos()))
            return
        super().mouseClickEvent(ev)

    def mouseDragEvent(self, ev, axis=None) -> None:
        if self.plan is not None and ev.button() == Qt.MouseButton.LeftButton and self.plan._on_drag(ev):
            return
        super().mouseDragEvent(ev, axis)


class PlanView(pg.PlotWidget):
    """The plan widget. Signals carry lot and item ids and edited footprints."""

    lot_clicked = Signal(str)
    item_clicked = Signal(object)  # item id or None
    edit_finished = Signal(str, object, str)  # item id, new footprint, mode
    edit_preview = Signal(str, object)  # item id, footprint while dragging (not an edit yet)
    nudge = Signal(float, float)
    cursor_moved = Signal(float, float)  # site CRS

    def __init__(self, site: Site, imagery=None, parent=None, interactive: bool = True) -> None:
        self.vb = PlanViewBox()
        super().__init__(parent=parent, viewBox=self.vb, background=style.BACKGROUND)
        self.vb.plan = self if interactive else None
        pi = self.getPlotItem()
        pi.hideAxis("left")
        pi.hideAxis("bottom")
        pi.hideButtons()
        pi.setMenuEnabled(False)
        pi.layout.setContentsMargins(0, 0, 0, 0)
        self.setAntialiasing(True)
        self.interactive = interactive
        self.snapping = True
        self.imagery_layer = None
        self._site_items: list[QGraphicsItem] = []
        self._drawn: dict[str, tuple[Building | Surface, list[QGraphicsItem]]] = {}
        self._lined: set[str] = set()  # the car parks drawn with their stalls
        self._styled_lot: str | None = None
        self._handles: dict[object, QGraphicsItem] = {}
        self._project: Project | None = None
        self._result: CheckResult | None = None
        self._selected: str | None = None
        self._drag: _Drag | None = None
        self._buildable: BaseGeometry | None = None
        self._overlays: dict[tuple, QPixmap] = {}  # scale bar and north arrow, drawn once
        self.site: Site
        self.origin = (0.0, 0.0)

        self._shadow_item = _path_item(
            QPainterPath(), QPen(Qt.PenStyle.NoPen), style.brush(QColor(10, 14, 30), 95), 4
        )
        self._buildable_item = _path_item(
            QPainterPath(),
            style.pen(style.BUILDABLE, 2, Qt.PenStyle.DashLine),
            style.brush(style.BUILDABLE, 28),
            5,
        )
        self._highlight_item = _path_item(
            QPainterPath(), style.pen(style.HIGHLIGHT, 3), style.brush(style.HIGHLIGHT, 110), 30
        )
        self._selection_item = _path_item(
            QPainterPath(), style.pen(style.SELECTION, 2.5), QBrush(Qt.BrushStyle.NoBrush), 40
        )
        # Every building or surface at fault in a failing rule, outlined in red
        # without clicking a rule (as the 3D view and the PDF show them).
        self._failing_item = _path_item(
            QPainterPath(),
            style.pen(style.HIGHLIGHT, 3, Qt.PenStyle.DashLine),
            QBrush(Qt.BrushStyle.NoBrush),
            28,
        )
        self.failing_ids: frozenset[str] = frozenset()
        self._preview_item = _path_item(
            QPainterPath(),
            style.pen(QColor(255, 255, 255), 2, Qt.PenStyle.DashLine),
            style.brush(style.SELECTION, 90),
            42,
        )
        self._rotate_line = _path_item(
            QPainterPath(), style.pen(style.SELECTION, 1.5), QBrush(Qt.BrushStyle.NoBrush), 44
        )
        self._preview_label = _label("", 60, 10)
        for item in (
            self._shadow_item,
            self._buildable_item,
            self._highlight_item,
            self._failing_item,
            self._selection_item,
            self._preview_item,
            self._rotate_line,
            self._preview_label,
        ):
            self.vb.addItem(item, ignoreBounds=True)
        for item in (self._shadow_item, self._buildable_item, self._highlight_item, self._failing_item):
            # Changed by edits only: the dashed, antialiased outlines were redrawn on every repaint.
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._preview_item.hide()
        self._preview_label.hide()
        self._make_handles()
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.vb.sigRangeChanged.connect(self._update_handles)
        self.set_site(site, imagery)

    # ----------------------------------------------------------------- site

    def set_site(self, site: Site, imagery=None) -> None:
        """Draw a site (lots, roads, existing buildings) and its aerial image."""
        for item in self._site_items:
            self.vb.removeItem(item)
        self._site_items = []
        if self.imagery_layer is not None:
            self.imagery_layer.shutdown()
            self.imagery_layer = None
        for _, items in self._drawn.values():
            for item in items:
                self.vb.removeItem(item)
        self._drawn = {}
        self._lined = set()
        self._styled_lot = None
        self.site = site
        self.origin = site_origin(site)
        o = self.origin
        # The site's polygons, bottom to top, in one item (see SiteLayer).
        layer = self._site_layer = SiteLayer()
        for feat in site.landscape:
            layer.add(
                geom_path(feat.polygon, o), style.pen(style.LANDSCAPE, 1), style.brush(style.LANDSCAPE, 90)
            )
        if site.roads:
            roads = shapely.union_all([r.polygon for r in site.roads])
            layer.add(geom_path(roads, o), style.pen(QColor(30, 30, 30), 1), style.brush(style.ROAD, 170))
        for ctx in site.context:
            layer.add(
                geom_path(ctx.polygon, o), style.pen(QColor(90, 90, 90), 1), style.brush(style.CONTEXT, 215)
            )
        self._lot_shapes: dict[str, int] = {}
        for lot in site.lots:
            colour = style.LOT_STATUS_COLOURS.get(lot.status, style.LOT_STATUS_COLOURS["sold"])
            self._lot_shapes[lot.id] = layer.add(
                geom_path(lot.polygon, o), style.pen(colour, 2), style.brush(colour, 85)
            )
        self._add_site(layer)
        for lot in site.lots:
            label = _label(lot.id, 15, 10)  # under the buildings, over the surfaces
            p = lot.polygon.representative_point()
            label.setPos(p.x - o[0], p.y - o[1])
            self._add_site(label)
        if imagery is not None:
            from zacviz.ui.imagery_layer import ImageryLayer

            tiles = self.imagery_layer = ImageryLayer(self.vb, imagery, self.origin)
            # Its tiles are painted by the site layer, under the polygons: one cached picture.
            tiles.canvas = layer
            x0, y0, x1, y1 = imagery.bounds
            layer.set_underlay(tiles.paint_shown, QRectF(x0 - o[0], y0 - o[1], x1 - x0, y1 - y0))
        self.zoom_to_site()

    @property
    def site_layer(self) -> SiteLayer:
        """The one item painting the site's polygons (and the image's tiles under them)."""
        return self._site_layer

    def _add_site(self, item: QGraphicsItem) -> None:
        # Static between edits: rendered once per zoom level, then blitted.
        item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.vb.addItem(item, ignoreBounds=True)
        self._site_items.append(item)

    def zoom_to_bounds(self, bounds: tuple[float, float, float, float], margin: float = 0.08) -> None:
        x0, y0, x1, y1 = bounds
        ox, oy = self.origin
        mx, my = (x1 - x0) * margin, (y1 - y0) * margin
        self.vb.setRange(QRectF(x0 - ox - mx, y0 - oy - my, x1 - x0 + 2 * mx, y1 - y0 + 2 * my), padding=0)

    def zoom_to_site(self) -> None:
        self.zoom_to_bounds(self.site.bounds, 0.03)

    def zoom_to_lot(self, lot_id: str) -> None:
        lot = self.site.lot(lot_id)
        if lot is not None:
            self.zoom_to_bounds(lot.polygon.bounds, 0.25)

    def set_imagery_visible(self, on: bool) -> None:
        if self.imagery_layer is not None:
            self.imagery_layer.set_visible(on)

    # -------------------------------------------------------------- project

    def set_project(self, project: Project | None, result: CheckResult | None = None) -> None:
        """Draw ``project`` (buildings, surfaces, stalls) on its lot.

        Items are kept by id and redrawn only when their building or surface
        changed, so an edit costs the items it touches.
        """
        self._project = project
        self._result = result
        self.style_project_lot(project.lot if project is not None else None)
        wanted: dict[str, Building | Surface] = {}
        lined: set[str] = set()  # the car parks drawn with their stalls (a bounded number of stalls)
        if project is not None:
            wanted = {it.id: it for it in (*project.surfaces, *project.buildings)}
            parks = [s for s in project.surfaces if s.kind == "parking"]
            drawn = stall_lines_drawn([s.footprint for s in parks])
            lined = {s.id for s, d in zip(parks, drawn, strict=True) if d}
        for item_id in list(self._drawn):
            obj, items = self._drawn[item_id]
            new = wanted.get(item_id)
            stalls = item_id in lined
            if new == obj and type(new) is type(obj) and stalls == (item_id in self._lined):
                continue
            if new is not None and type(new) is type(obj) and self._update_item(new, items, stalls):
                self._drawn[item_id] = (new, items)  # moved or reshaped: the same items, new shapes
                continue
            for item in items:
                self.vb.removeItem(item)
            del self._drawn[item_id]
        for item_id, obj in wanted.items():
            if item_id not in self._drawn:
                self._drawn[item_id] = (obj, self._draw_item(obj, item_id in lined))
        self._lined = lined
        self._mark_piles()
        failing = {i for r in result.failing for i in r.items} if result is not None else set()
        self.failing_ids = frozenset(i for i in failing if i in wanted)
        outlines = [footprint_polygon(wanted[i].footprint) for i in sorted(self.failing_ids)]
        _set_path(self._failing_item, union_path(outlines, self.origin))
        self._update_selection()

    def _mark_piles(self) -> None:
        """Mark the buildings' and surfaces' areas deep in a pile (see :func:`deep_in_pile`)."""
        areas = {id(items[0]): obj for obj, items in self._drawn.values() if isinstance(items[0], PathItem)}
        # The editor's items paint through their caches, antialiased anyway:
        # only a picture (not interactive, uncached) reads the marks.
        if len(areas) < PILE_MIN_ITEMS or self.interactive:
            for _, items in self._drawn.values():
                if isinstance(items[0], PathItem):
                    items[0].deep = False
            return
        # In the order they paint: by height (surfaces, then buildings), then as added.
        order = [it for it in self.vb.childGroup.childItems() if id(it) in areas]
        deep = deep_in_pile([footprint_polygon(areas[id(it)].footprint) for it in order])
        for it, d in zip(order, deep, strict=True):
            cast(PathItem, it).deep = d

    @property
    def _project_items(self) -> list[QGraphicsItem]:
        return [item for _, items in self._drawn.values() for item in items]

    def style_project_lot(self, lot_id: str | None) -> None:
        """Draw ``lot_id`` as the project's lot (None: no project), the others by status."""
        if lot_id != self._styled_lot:
            self._style_lots(lot_id)

    def _style_lots(self, lot_id: str | None) -> None:
        self._styled_lot = lot_id
        for lid, index in self._lot_shapes.items():
            lot = self.site.lot(lid)
            colour = (
                style.LOT_STATUS_COLOURS.get(lot.status, style.LOT_STATUS_COLOURS["sold"])
                if lot
                else QColor()
            )
            if lid == lot_id:
                self._site_layer.set_style(index, style.pen(style.PROJECT_LOT, 3), style.brush(colour, 35))
            else:
                self._site_layer.set_style(index, style.pen(colour, 2), style.brush(colour, 85))

    def _draw_item(self, obj: Building | Surface, stalls: bool = True) -> list[QGraphicsItem]:
        o = self.origin
        items: list[QGraphicsItem] = []
        poly = footprint_polygon(obj.footprint)
        if isinstance(obj, Surface):
            colour = style.SURFACE_COLOURS.get(obj.kind, style.SURFACE_COLOURS["storage"])
            items.append(
                _path_item(
                    geom_path(poly, o), style.pen(colour.lighter(150), 1.5), style.brush(colour, 200), 10
                )
            )
            if obj.kind == "parking" and stalls:
                layout = stall_layout(obj.footprint)
                if layout.count:
                    stalls = _boxes_path(layout.stalls, o)
                    items.append(
                        _path_item(
                            stalls, style.pen(QColor(240, 240, 240), 1), QBrush(Qt.BrushStyle.NoBrush), 11
                        )
                    )
        else:
            colour = style.USE_COLOURS.get(obj.use, QColor(200, 200, 200))
            items.append(
                _path_item(
                    geom_path(poly, o), style.pen(colour.darker(160), 1.5), style.brush(colour, 235), 20
                )
            )
            label = _label(obj.id, 25, 9)
            c = poly.centroid
            label.setPos(c.x - o[0], c.y - o[1])
            items.append(label)
        for item in items:
            # Unchanged between edits (an edited item is made anew): painted once
            # per zoom level with antialiasing, then blitted.
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            self.vb.addItem(item, ignoreBounds=True)
        return items

    def _update_item(self, obj: Building | Surface, items: list[QGraphicsItem], stalls: bool = True) -> bool:
        """Give ``obj``'s items (made by :meth:`_draw_item`) its new shape and colour in
        place; False when it needs other items (a car park gaining or losing stalls).
        ``stalls``: whether a car park's stalls are drawn (within MAX_STALLS_DRAWN).

        Removing and adding items to the view box costs more than the shapes."""
        o = self.origin
        poly = footprint_polygon(obj.footprint)
        if isinstance(obj, Surface):
            layout = stall_layout(obj.footprint) if obj.kind == "parking" and stalls else None
            with_stalls = layout is not None and layout.count > 0
            if len(items) != (2 if with_stalls else 1):
                return False
            colour = style.SURFACE_COLOURS.get(obj.kind, style.SURFACE_COLOURS["storage"])
            area = cast(QGraphicsPathItem, items[0])
            area.setPath(geom_path(poly, o))
            area.setPen(style.pen(colour.lighter(150), 1.5))
            area.setBrush(style.brush(colour, 200))
            if with_stalls:
                assert layout is not None
                cast(QGraphicsPathItem, items[1]).setPath(_boxes_path(layout.stalls, o))
            return True
        if len(items) != 2:
            return False
        colour = style.USE_COLOURS.get(obj.use, QColor(200, 200, 200))
        body = cast(QGraphicsPathItem, items[0])
        body.setPath(geom_path(poly, o))
        body.setPen(style.pen(colour.darker(160), 1.5))
        body.setBrush(style.brush(colour, 235))
        label = cast(LabelItem, items[1])
        label.setText(obj.id)
        c = poly.centroid
        label.setPos(c.x - o[0], c.y - o[1])
        return True

    def set_selection(self, item_id: str | None) -> None:
        self._selected = item_id
        self._update_selection()

    def set_highlight(self, geom: BaseGeometry | None) -> None:
        """Show the geometry at fault of a rule (None clears it)."""
        _set_path(self._highlight_item, geom_path(geom, self.origin))

    def set_highlights(self, geoms: list[BaseGeometry]) -> None:
        """Show the geometries at fault of several rules, as one (an empty list clears it)."""
        _set_path(self._highlight_item, union_path(geoms, self.origin))

    def set_shadows(self, geom: BaseGeometry | None) -> None:
        """Shadows cast on the ground (site CRS; None or empty clears them)."""
        _set_path(self._shadow_item, geom_path(geom, self.origin))

    def set_buildable(self, geom: BaseGeometry | None) -> None:
        if geom is self._buildable and geom is not None:
            return  # the same area (buildable_area keeps its answers): nothing to draw again
        self._buildable = geom
        _set_path(self._buildable_item, geom_path(geom, self.origin))

    # ------------------------------------------------------------ selection

    def _selected_item(self) -> Building | Surface | None:
        if self._project is None or self._selected is None:
            return None
        return self._project.item(self._selected)

    def _make_handles(self) -> None:
        h = HANDLE_PX
        for key in RESIZE_HANDLES:
            item = QGraphicsRectItem(-h / 2, -h / 2, h, h)
            self._handles[key] = item
        self._handles["rotate"] = QGraphicsEllipseItem(-h / 2 - 1, -h / 2 - 1, h + 2, h + 2)
        for item in self._handles.values():
            item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
            item.setPen(style.pen(QColor(30, 30, 30), 1))
            item.setBrush(QBrush(style.SELECTION))
            item.setZValue(45)
            item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            item.hide()
            self.vb.addItem(item, ignoreBounds=True)

    def _metres_per_px(self) -> float:
        px = self.vb.viewPixelSize()[0]
        return px if px > 0 and math.isfinite(px) else 1.0

    def _update_selection(self) -> None:
        item = self._selected_item()
        if item is None or self._drag is not None:
            if item is None:
                self._selection_item.setPath(QPainterPath())
            for h in self._handles.values():
                h.hide()
            self._rotate_line.setPath(QPainterPath())
            return
        _set_path(self._selection_item, geom_path(footprint_polygon(item.footprint), self.origin))
        self._update_handles()

    def _update_handles(self, *args) -> None:
        item = self._selected_item()
        fp = item.footprint if item is not None else None
        if not isinstance(fp, RectFootprint) or self._drag is not None or not self.interactive:
            for h in self._handles.values():
                h.hide()
            self._rotate_line.setPath(QPainterPath())
            return
        ox, oy = self.origin
        positions = rect_handles(fp, ROTATE_HANDLE_PX * self._metres_per_px())
        for key, (x, y) in positions.items():
            self._handles[key].setPos(x - ox, y - oy)
            self._handles[key].show()
        top = positions[(0, 1)]
        rot = positions["rotate"]
        path = QPainterPath(QPointF(top[0] - ox, top[1] - oy))
        path.lineTo(rot[0] - ox, rot[1] - oy)
        self._rotate_line.setPath(path)

    # ----------------------------------------------------------- hit tests

    def items_at(self, world: tuple[float, float], tol_px: float = 3.0) -> list[str]:
        """The ids of every building, then surface, under a site point, topmost first."""
        if self._project is None:
            return []
        pt = Point(world)
        tol = tol_px * self._metres_per_px()
        return [
            it.id
            for group in (self._project.buildings, self._project.surfaces)
            for it in reversed(group)
            if footprint_polygon(it.footprint).distance(pt) <= tol
        ]

    def item_at(self, world: tuple[float, float], tol_px: float = 3.0) -> str | None:
        """The item a press there takes: the selected one if it is under the
        point (even beneath another), else the topmost."""
        stack = self.items_at(world, tol_px)
        if self._selected in stack:
            return self._selected
        return stack[0] if stack else None

    def lot_at(self, world: tuple[float, float]) -> str | None:
        pt = Point(world)
        for lot in self.site.lots:
            if lot.polygon.covers(pt):
                return lot.id
        return None

    def handle_at(self, scene_pos: QPointF, tol_px: float = HANDLE_PX) -> object | None:
        if self._selected_item() is None:
            return None
        best, best_d = None, tol_px
        for key, item in self._handles.items():
            if not item.isVisible():
                continue
            p = self.vb.mapViewToScene(item.pos())
            d = math.hypot(p.x() - scene_pos.x(), p.y() - scene_pos.y())
            if d <= best_d:
                best, best_d = key, d
        return best

    def _world(self, view_pt: QPointF) -> tuple[float, float]:
        return (view_pt.x() + self.origin[0], view_pt.y() + self.origin[1])

    # -------------------------------------------------------------- mouse

    def _on_click(self, view_pt: QPointF) -> None:
        world = self._world(view_pt)
        stack = self.items_at(world)
        if stack:
            # Clicking again where items are stacked selects the next one down:
            # a car park under a building can be reached.
            k = stack.index(self._selected) + 1 if self._selected in stack else 0
            self.item_clicked.emit(stack[k % len(stack)])
            return
        self.item_clicked.emit(None)
        lot_id = self.lot_at(world)
        if lot_id is not None:
            self.lot_clicked.emit(lot_id)

    def _on_drag(self, ev) -> bool:
        if ev.isStart():
            self._drag = self._start_drag(ev)
            if self._drag is None:
                return False
            self._update_selection()
        if self._drag is None:
            return False
        ev.accept()
        d = self._drag
        world = self._world(self.vb.mapToView(ev.pos()))
        d.current = self._dragged(d, world)
        self._show_preview(d)
        if d.current is not None and not ev.isFinish():
            self.edit_preview.emit(d.item_id, d.current)
        if ev.isFinish():
            self._drag = None
            self._preview_item.hide()
            self._preview_label.hide()
            fp = d.current
            if fp is not None and fp != d.footprint:
                self.edit_finished.emit(d.item_id, fp, d.mode)
            self._update_selection()
        return True

    def _start_drag(self, ev) -> _Drag | None:
        if self._project is None:
            return None
        start = self._world(self.vb.mapToView(ev.buttonDownPos()))
        handle = self.handle_at(ev.buttonDownScenePos())
        selected = self._selected_item()
        if handle is not None and selected is not None:
            mode = "rotate" if handle == "rotate" else "resize"
            item_id = selected.id
        else:
            item_id = self.item_at(start)
            if item_id is None:
                return None
            mode = "move"
            if item_id != self._selected:
                self.item_clicked.emit(item_id)
        item = self._project.item(item_id)
        if item is None:
            return None
        lines = self._snap_lines_for(item)
        hold = None
        if isinstance(item, Building) and self._buildable is not None and not self._buildable.is_empty:
            area = self._buildable.buffer(HOLD_TOL_M)
            if area.covers(footprint_polygon(item.footprint)):
                hold = area
        return _Drag(
            hold=hold,
            item_id=item_id,
            mode=mode,
            footprint=item.footprint,
            start=start,
            handle=handle if mode == "resize" else None,  # type: ignore[arg-type]
            lines=lines,
            directions=self._directions(lines),
        )

    def _snap_lines_for(self, item: Building | Surface) -> np.ndarray:
        geoms: list[BaseGeometry] = []
        lot = self.site.lot(self._project.lot) if self._project is not None else None
        if lot is not None:
            geoms.append(lot.polygon)
        if isinstance(item, Building) and self._buildable is not None:
            geoms.append(self._buildable)
        if self._project is not None:
            for other in (*self._project.buildings, *self._project.surfaces):
                if other.id != item.id:
                    geoms.append(footprint_polygon(other.footprint))
        return snap_lines(geoms)

    def _directions(self, lines: np.ndarray) -> list[float]:
        dirs = []
        lot = self.site.lot(self._project.lot) if self._project is not None else None
        if lot is not None:
            from zacviz.design.templates import road_direction

            dirs.append(road_direction(self.site, lot))
        return dirs + line_directions(lines)

    def _dragged(self, d: _Drag, world: tuple[float, float]) -> Footprint:
        fp = d.footprint
        tol = SNAP_PX * self._metres_per_px()
        if d.mode == "move":
            moved = fp.moved(world[0] - d.start[0], world[1] - d.start[1])
            if self.snapping and d.hold is not None:
                moved = held_inside(
                    fp, world[0] - d.start[0], world[1] - d.start[1], d.hold, HOLD_PX * (tol / SNAP_PX)
                )
            if self.snapping:
                coords = shapely.get_coordinates(footprint_polygon(moved).exterior)
                dx, dy = snap_translation(coords, d.lines, tol)
                moved = moved.moved(dx, dy)
            return moved
        assert isinstance(fp, RectFootprint)
        if d.mode == "rotate":
            angle = rotated(fp, d.start, world)
            if self.snapping:
                angle = snap_angle(angle, d.directions)
            return RectFootprint(fp.cx, fp.cy, fp.width, fp.depth, round(angle, 6), extra=fp.extra)
        assert d.handle is not None
        # Sizes by the hand to 0.1 m; a side snapped onto a line keeps the line exactly.
        out = resized(fp, d.handle, world, SIZE_STEP_M)
        if self.snapping:
            out = self._snap_resize(out, d, tol)
        return out

    def _snap_resize(self, fp: RectFootprint, d: _Drag, tol: float) -> RectFootprint:
        """Snap the dragged side(s) onto parallel snap lines."""
        from zacviz.ui.snapping import edge_offset

        assert d.handle is not None
        sx, sy = d.handle
        corners = np.array(fp.corners())  # (-,-), (+,-), (+,+), (-,+)
        target = fp
        if sx:
            edge = (corners[1], corners[2]) if sx > 0 else (corners[0], corners[3])
            hit = edge_offset(edge[0], edge[1], d.lines, tol)
            if hit is not None:
                off, n = hit
                a = math.radians(fp.angle_deg)
                ux = np.array([math.cos(a), math.sin(a)]) * sx
                grow = off * float(n @ ux)
                target = resized(target, (sx, 0), self._side_point(target, sx, 0, grow))
        if sy:
            corners = np.array(target.corners())
            edge = (corners[2], corners[3]) if sy > 0 else (corners[0], corners[1])
            hit = edge_offset(edge[0], edge[1], d.lines, tol)
            if hit is not None:
                off, n = hit
                a = math.radians(fp.angle_deg)
                uy = np.array([-math.sin(a), math.cos(a)]) * sy
                grow = off * float(n @ uy)
                target = resized(target, (0, sy), self._side_point(target, 0, sy, grow))
        return target

    @staticmethod
    def _side_point(fp: RectFootprint, sx: int, sy: int, grow: float) -> tuple[float, float]:
        """The world point of side (sx, sy) of ``fp`` pushed out by ``grow`` metres."""
        a = math.radians(fp.angle_deg)
        c, s = math.cos(a), math.sin(a)
        lx = sx * (fp.width / 2.0 + grow)
        ly = sy * (fp.depth / 2.0 + grow)
        return (fp.cx + lx * c - ly * s, fp.cy + lx * s + ly * c)

    def _show_preview(self, d: _Drag) -> None:
        if d.current is None:
            return
        poly = footprint_polygon(d.current)
        self._preview_item.setPath(geom_path(poly, self.origin))
        self._preview_item.show()
        fp = d.current
        if isinstance(fp, RectFootprint):
            if d.mode == "rotate":
                text = f"{fmt_number(fp.angle_deg, 1)}°"
            else:
                text = f"{fmt_number(fp.width, 1)} × {fmt_number(fp.depth, 1)} m"
        else:
            text = ""
        if text:
            c = poly.centroid
            self._preview_label.setText(text)
            self._preview_label.setPos(c.x - self.origin[0], c.y - self.origin[1])
            self._preview_label.show()

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        view = self.vb.mapSceneToView(scene_pos)
        world = self._world(view)
        self.cursor_moved.emit(world[0], world[1])
        if not self.interactive or self._drag is not None:
            return
        handle = self.handle_at(scene_pos)
        if handle == "rotate":
            self.setCursor(Qt.CursorShape.CrossCursor)
        elif handle is not None:
            sx, sy = handle  # type: ignore[misc]
            shape = Qt.CursorShape.SizeAllCursor
            if sx and sy:
                shape = Qt.CursorShape.SizeFDiagCursor if sx * sy < 0 else Qt.CursorShape.SizeBDiagCursor
            elif sx:
                shape = Qt.CursorShape.SizeHorCursor
            else:
                shape = Qt.CursorShape.SizeVerCursor
            self.setCursor(shape)
        elif self.item_at(world) is not None:
            self.setCursor(Qt.CursorShape.SizeAllCursor)
        elif self.lot_at(world) is not None:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.unsetCursor()

    # ------------------------------------------------------------ keyboard

    def keyPressEvent(self, ev) -> None:
        key = ev.key()
        steps = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, 1),
            Qt.Key.Key_Down: (0, -1),
        }
        if key in steps and self._selected is not None and self.interactive:
            step = 5.0 if ev.modifiers() & Qt.KeyboardModifier.ShiftModifier else 0.5
            dx, dy = steps[key]
            self.nudge.emit(dx * step, dy * step)
            ev.accept()
            return
        super().keyPressEvent(ev)

    # ------------------------------------------------------- scale, north

    def drawForeground(self, painter: QPainter, rect) -> None:
        super().drawForeground(painter, rect)
        painter.save()
        painter.resetTransform()
        # Both are drawn once into a pixmap and blitted: their antialiased
        # shapes and text cost more than the rest of a repaint.
        mpp = self._metres_per_px()
        target = 140 * mpp
        exp = 10 ** math.floor(math.log10(target)) if target > 0 else 1
        length = exp
        for m in (1, 2, 5, 10):
            if m * exp <= target:
                length = m * exp
        px = length / mpp
        h, w = self.viewport().height(), self.viewport().width()
        text = f"{fmt_number(length, 0)} m" if length >= 1 else f"{fmt_number(length, 1)} m"
        bar = self._overlay(
            ("scale", text, round(px, 1)),
            math.ceil(px) + 20,
            40,
            lambda p, _w, height: self._draw_scale_bar(p, px, text, height),
        )
        painter.drawPixmap(QPointF(6.0, h - 48.0), bar)
        arrow = self._overlay(("north",), 48, 70, self._draw_north_arrow)
        painter.drawPixmap(QPointF(w - 58.0, 2.0), arrow)
        painter.restore()

    def _overlay(self, key: tuple, width: int, height: int, draw) -> QPixmap:
        """A transparent pixmap drawn by ``draw(painter, width, height)``, kept by ``key``."""
        dpr = self.devicePixelRatioF()
        full = (*key, dpr)
        cache = self._overlays
        pixmap = cache.get(full)
        if pixmap is None:
            if len(cache) > 32:
                cache.clear()
            pixmap = QPixmap(max(1, round(width * dpr)), max(1, round(height * dpr)))
            pixmap.setDevicePixelRatio(dpr)
            pixmap.fill(Qt.GlobalColor.transparent)
            p = QPainter(pixmap)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            draw(p, width, height)
            p.end()
            cache[full] = pixmap
        return pixmap

    def _draw_scale_bar(self, painter: QPainter, px: float, text: str, height: int) -> None:
        """A scale bar ``px`` long, labelled ``text``, in a pixmap ``height`` high."""
        x0, y0 = 10.0, height - 14.0
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 140))
        painter.drawRoundedRect(QRectF(x0 - 8, y0 - 24, px + 16, 36), 4, 4)
        for k in range(4):
            painter.setBrush(QColor(255, 255, 255) if k % 2 == 0 else QColor(30, 30, 30))
            painter.drawRect(QRectF(x0 + k * px / 4, y0, px / 4, 6))
        painter.setPen(QColor(255, 255, 255))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(x0, y0, px, 6))
        font = QFont()
        font.setPointSize(9)
        painter.setFont(font)
        painter.drawText(QRectF(x0, y0 - 20, px, 16), Qt.AlignmentFlag.AlignCenter, text)

    def _draw_north_arrow(self, painter: QPainter, width: int, height: int) -> None:
        cx, cy = 24.0, 42.0
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 140))
        painter.drawEllipse(QPointF(cx, cy), 22, 22)
        arrow = QPolygonF(
            [QPointF(cx, cy - 16), QPointF(cx + 8, cy + 10), QPointF(cx, cy + 5), QPointF(cx - 8, cy + 10)]
        )
        painter.setBrush(QColor(255, 255, 255))
        painter.drawPolygon(arrow)
        painter.setPen(QColor(255, 255, 255))
        font = QFont()
        font.setPointSize(9)
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(QRectF(cx - 10, cy - 40, 20, 16), Qt.AlignmentFlag.AlignCenter, "N")

    def shutdown(self) -> None:
        if self.imagery_layer is not None:
            self.imagery_layer.shutdown()
