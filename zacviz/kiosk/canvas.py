"""The kiosk's two drawn maps, painted with QPainter (fast, and fine without GL).

:class:`SiteMap` is the park seen from above, lots coloured by status; a tap
picks a lot. :class:`TouchPlan` is one lot and the visitor's project: one
finger drags the selected building, two fingers pinch it to resize and twist it
to rotate. While fingers move only a preview is drawn and reported
(``preview``); the edit is reported once, when the last finger lifts
(``committed``), and becomes one command.

Both draw the site's aerial photograph underneath when the site has one
(:mod:`zacviz.kiosk.aerial`); over a photograph, lots, roads and the project
are outlines with dark halos and light veils, so that they read on any
ground, and the photograph stays visible.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import shapely
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
    QTouchEvent,
)
from PySide6.QtWidgets import QWidget
from shapely.geometry.base import BaseGeometry

from zacviz.geometry import palette
from zacviz.geometry.envelope import buildable_area
from zacviz.geometry.footprint import footprint_polygon
from zacviz.geometry.parking import stall_layout
from zacviz.kiosk import gestures
from zacviz.kiosk.aerial import Aerial
from zacviz.kiosk.theme import BACKGROUND, SELECTION, TEXT, Theme
from zacviz.kiosk.widgets import painting
from zacviz.model.project import Building, Footprint, Project, RectFootprint
from zacviz.model.site import Lot, Site

HIT_SLOP_PX = 36
TAP_SLOP_PX = 30


def qcolor(rgba: tuple[float, float, float, float], alpha: int | None = None) -> QColor:
    r, g, b, a = palette.rgba8(rgba)
    return QColor(r, g, b, a if alpha is None else alpha)


def status_colour(status: str, alpha: int | None = None) -> QColor:
    return qcolor(palette.lot_color(status), alpha)


def use_colour(use: str, alpha: int | None = None) -> QColor:
    return qcolor(palette.use_color(use), alpha)


@dataclass
class Frame:
    """World (site metres) ↔ widget pixels, north up, uniform scale."""

    scale: float = 1.0
    ox: float = 0.0
    oy: float = 0.0
    cx: float = 0.0
    cy: float = 0.0

    @classmethod
    def fit(cls, bounds: tuple[float, float, float, float], rect: QRectF, margin: float) -> Frame:
        x0, y0, x1, y1 = bounds
        w, h = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
        scale = min(rect.width() / (w * (1 + 2 * margin)), rect.height() / (h * (1 + 2 * margin)))
        return cls(scale, (x0 + x1) / 2.0, (y0 + y1) / 2.0, rect.center().x(), rect.center().y())

    def to_px(self, x: float, y: float) -> QPointF:
        return QPointF(self.cx + (x - self.ox) * self.scale, self.cy - (y - self.oy) * self.scale)

    def to_world(self, p: QPointF) -> tuple[float, float]:
        return (self.ox + (p.x() - self.cx) / self.scale, self.oy - (p.y() - self.cy) / self.scale)

    def path(self, geom: BaseGeometry | None) -> QPainterPath:
        path = QPainterPath()
        if geom is None or geom.is_empty:
            return path
        path.setFillRule(Qt.FillRule.OddEvenFill)
        stack = [geom]
        while stack:
            g = stack.pop()
            if g.geom_type == "Polygon":
                for ring in (g.exterior, *g.interiors):
                    xy = shapely.get_coordinates(ring)
                    px = self.cx + (xy[:, 0] - self.ox) * self.scale
                    py = self.cy - (xy[:, 1] - self.oy) * self.scale
                    path.addPolygon(QPolygonF([QPointF(a, b) for a, b in zip(px, py)]))
                    path.closeSubpath()
            elif hasattr(g, "geoms"):
                stack.extend(g.geoms)
        return path


def _pen(colour: QColor, width: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(colour, width, style)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


HALO = QColor(10, 18, 28, 190)


def halo_stroke(
    p: QPainter, path: QPainterPath, colour: QColor, width: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine
) -> None:
    """An outline with a dark halo under it: legible on a bright field as on a dark roof."""
    p.strokePath(path, _pen(HALO, width + max(3.0, width)))
    p.strokePath(path, _pen(colour, width, style))


def halo_text(p: QPainter, rect: QRectF, text: str, colour: QColor = TEXT) -> None:
    """``text`` centred in ``rect``, white on a dark halo."""
    fm = p.fontMetrics()
    x = rect.center().x() - fm.horizontalAdvance(text) / 2.0
    y = rect.center().y() + (fm.ascent() - fm.descent()) / 2.0
    path = QPainterPath()
    path.addText(QPointF(x, y), p.font(), text)
    p.strokePath(path, _pen(HALO, max(3.0, p.font().pixelSize() / 5.0)))
    p.fillPath(path, colour)


class _Canvas(QWidget):
    def __init__(self, site: Site, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.site = site
        self.theme = theme
        self.frame = Frame()
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self._roads: BaseGeometry | None = None
        self._background: tuple[object, QPixmap] | None = None
        self.veil = 40
        """How much the photograph is dimmed (0–255) for the plan to read over it."""
        self.aerial = self._make_aerial(site)

    def _make_aerial(self, site: Site) -> Aerial:
        aerial = Aerial(site.imagery_path)
        aerial.changed.connect(self._on_aerial)
        return aerial

    @property
    def on_photo(self) -> bool:
        """Whether the plan is drawn over the aerial photograph."""
        return self.aerial.available

    def _on_aerial(self) -> None:
        self._background = None
        self.update()

    def set_site(self, site: Site) -> None:
        self.site = site
        self._roads = None
        self._background = None
        self.aerial.changed.disconnect(self._on_aerial)
        self.aerial = self._make_aerial(site)
        self._refit()
        self.update()

    def view_bounds(self) -> tuple[float, float, float, float]:
        """The part of the site the widget shows (site metres)."""
        x0, y1 = self.frame.to_world(QPointF(0, 0))
        x1, y0 = self.frame.to_world(QPointF(self.width(), self.height()))
        return x0, y0, x1, y1

    def _paint_photo(self, p: QPainter) -> None:
        """The aerial picture under the plan (the last one read, where it belongs)."""
        ratio = self.devicePixelRatioF()
        size = (round(self.width() * ratio), round(self.height() * ratio))
        picture = self.aerial.picture(self.view_bounds(), size)
        if picture is None:
            return
        (x0, y0, x1, y1), image = picture
        p.save()
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        p.drawImage(QRectF(self.frame.to_px(x0, y1), self.frame.to_px(x1, y0)), image)
        # A light veil: the photograph stays the ground, the plan reads over it.
        p.fillRect(QRectF(self.rect()), QColor(15, 29, 43, self.veil))
        p.restore()

    def _bounds(self) -> tuple[float, float, float, float]:
        return self.site.bounds

    def _margin(self) -> float:
        return 0.04

    def _refit(self) -> None:
        self.frame = Frame.fit(self._bounds(), QRectF(self.rect()), self._margin())

    def resizeEvent(self, ev) -> None:
        self._refit()
        super().resizeEvent(ev)

    def _draw_background(self, p: QPainter, key: object, draw: Callable[[QPainter], None]) -> None:
        """Draw what ``draw`` paints, from a picture kept until ``key`` (or the size or frame) changes.

        The site under a finger does not move: drawing it once keeps a drag smooth.
        """
        full_key = (key, self.size().toTuple(), self.frame, self.aerial.version)
        if self._background is None or self._background[0] != full_key:
            ratio = self.devicePixelRatioF()
            pm = QPixmap(self.size() * ratio)
            pm.setDevicePixelRatio(ratio)
            pm.fill(BACKGROUND)
            with painting(pm) as bp:
                bp.setRenderHint(QPainter.RenderHint.Antialiasing)
                if self.on_photo:
                    self._paint_photo(bp)
                draw(bp)
            self._background = (full_key, pm)
        p.drawPixmap(0, 0, self._background[1])

    def _paint_site(self, p: QPainter, lot_alpha: int, label_lots: bool, faint_lots: bool = False) -> None:
        self._paint_ground(p)
        self._paint_lots(p, lot_alpha, label_lots, faint_lots)

    def _paint_ground(self, p: QPainter) -> None:
        f = self.frame
        if self._roads is None:
            self._roads = shapely.union_all([r.polygon for r in self.site.roads]) if self.site.roads else None
        if self.on_photo:
            # The photograph shows the ground: the roads only get their edges.
            if self._roads is not None:
                roads = f.path(self._roads)
                p.fillPath(roads, QColor(40, 46, 54, 70))
                p.strokePath(roads, _pen(QColor(235, 235, 235, 150), max(1.0, self.theme.px(2))))
            return
        for feat in self.site.landscape:
            p.fillPath(f.path(feat.polygon), QColor(74, 120, 70, 150))
        if self._roads is not None:
            p.fillPath(f.path(self._roads), QColor(58, 66, 76))
        for ctx in self.site.context:
            p.fillPath(f.path(ctx.polygon), QColor(205, 200, 190, 200))

    def _paint_lots(self, p: QPainter, lot_alpha: int, label_lots: bool, faint_lots: bool = False) -> None:
        f = self.frame
        font = QFont(self.font())
        font.setPixelSize(self.theme.font_small)
        font.setBold(True)
        p.setFont(font)
        photo = self.on_photo
        for lot in self.site.lots:
            path = f.path(lot.polygon)
            alpha = lot_alpha // 3 if faint_lots or lot.status != "available" else lot_alpha
            if photo:
                # A veil light enough to see the field through, an outline with a halo.
                p.fillPath(path, status_colour(lot.status, alpha // 2))
                halo_stroke(p, path, status_colour(lot.status), max(2.0, self.theme.px(4)))
            else:
                p.fillPath(path, status_colour(lot.status, alpha))
                p.strokePath(path, _pen(status_colour(lot.status), max(2.0, self.theme.px(3))))
            if label_lots:
                c = lot.polygon.representative_point()
                pt = f.to_px(c.x, c.y)
                rect = QRectF(pt.x() - 60, pt.y() - 20, 120, 40)
                if photo:
                    halo_text(p, rect, lot.id)
                else:
                    p.setPen(TEXT)
                    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, lot.id)


class SiteMap(_Canvas):
    """The park from above; tapping a lot emits ``lot_tapped(lot_id)``."""

    lot_tapped = Signal(str)

    def __init__(self, site: Site, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(site, theme, parent)
        self.selected_lot: str | None = None
        self.pulse = False
        self._phase = 0.0
        self._press: QPointF | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(50)
        self._timer.timeout.connect(self._animate)

    def set_pulse(self, on: bool) -> None:
        """Make the available lots breathe (the attract screen without 3D)."""
        self.pulse = on
        if on:
            self._timer.start()
        else:
            self._timer.stop()
        self.update()

    def _animate(self) -> None:
        self._phase = (self._phase + 0.05) % 1.0
        self.update()

    def select_lot(self, lot_id: str | None) -> None:
        self.selected_lot = lot_id
        self.update()

    def lot_at(self, pos: QPointF) -> str | None:
        x, y = self.frame.to_world(pos)
        pt = shapely.Point(x, y)
        for lot in self.site.lots:
            if lot.polygon.covers(pt):
                return lot.id
        return None

    def mousePressEvent(self, ev: QMouseEvent) -> None:
        self._press = ev.position()
        ev.accept()

    def mouseReleaseEvent(self, ev: QMouseEvent) -> None:
        start, self._press = self._press, None
        if start is None:
            return
        d = ev.position() - start
        if math.hypot(d.x(), d.y()) <= TAP_SLOP_PX:
            lot_id = self.lot_at(ev.position())
            if lot_id is not None:
                self.lot_tapped.emit(lot_id)
        ev.accept()

    def paintEvent(self, ev: QPaintEvent) -> None:
        with painting(self) as p:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            if self.pulse:
                alpha = int(90 + 110 * (0.5 + 0.5 * math.sin(self._phase * 2 * math.pi)))
                self._draw_background(p, "ground", self._paint_ground)
                self._paint_lots(p, alpha, label_lots=False)
            else:
                self._draw_background(p, "site", lambda bp: self._paint_site(bp, 110, label_lots=True))
            if self.selected_lot is not None:
                lot = self.site.lot(self.selected_lot)
                if lot is not None:
                    halo_stroke(p, self.frame.path(lot.polygon), SELECTION, self.theme.px(7))


@dataclass
class _Gesture:
    item_id: str
    original: Footprint
    base: Footprint
    start: dict[int, tuple[float, float]]
    current: Footprint
    pinched: bool = False


class TouchPlan(_Canvas):
    """One lot and the visitor's project, edited with the fingers."""

    selected = Signal(object)  # building id or None
    preview = Signal(str, object)  # building id, footprint being dragged
    committed = Signal(str, object, str)  # building id, final footprint, "move" | "pinch"

    MOUSE_ID = -1

    def __init__(self, site: Site, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(site, theme, parent)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.lot: Lot | None = None
        self.project: Project | None = None
        self.failing: frozenset[str] = frozenset()
        self.selected_id: str | None = None
        self.snap_directions: tuple[float, ...] = ()
        self.gesture: _Gesture | None = None
        self._buildable: tuple[tuple[str, float], BaseGeometry] | None = None

    # ------------------------------------------------------------- state

    def _bounds(self) -> tuple[float, float, float, float]:
        if self.lot is None:
            return self.site.bounds
        return self.lot.polygon.bounds

    def _margin(self) -> float:
        return 0.12

    def set_state(
        self,
        lot: Lot | None,
        project: Project | None,
        failing: frozenset[str],
        selected_id: str | None,
        snap_directions: tuple[float, ...] = (),
    ) -> None:
        lot_changed = lot is not self.lot
        self.lot, self.project, self.failing, self.selected_id = lot, project, failing, selected_id
        self.snap_directions = snap_directions
        if lot_changed:
            self.gesture = None
            self._refit()
        self.update()

    def building(self, item_id: str | None) -> Building | None:
        if self.project is None or item_id is None:
            return None
        for b in self.project.buildings:
            if b.id == item_id:
                return b
        return None

    def building_at(self, pos: QPointF) -> str | None:
        """The building under a finger (topmost first), with a finger's slop."""
        if self.project is None:
            return None
        x, y = self.frame.to_world(pos)
        pt = shapely.Point(x, y)
        slop = self.theme.px(HIT_SLOP_PX) / self.frame.scale
        best, best_d = None, slop
        for b in reversed(self.project.buildings):
            d = footprint_polygon(b.footprint).distance(pt)
            if d <= best_d:
                best, best_d = b.id, d
                if d == 0:
                    break
        return best

    def footprint_centre_px(self, item_id: str) -> QPointF:
        b = self.building(item_id)
        if b is None:
            raise KeyError(item_id)
        c = footprint_polygon(b.footprint).centroid
        return self.frame.to_px(c.x, c.y)

    # ------------------------------------------------------------- input

    def event(self, ev: QEvent) -> bool:
        t = ev.type()
        if t in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd):
            assert isinstance(ev, QTouchEvent)
            active = {
                p.id(): p.position()
                for p in ev.points()
                if p.state() != p.State.Released and t != QEvent.Type.TouchEnd
            }
            self._fingers(active)
            ev.accept()
            return True
        if t == QEvent.Type.TouchCancel:
            self.cancel_gesture()
            ev.accept()
            return True
        return super().event(ev)

    def mousePressEvent(self, ev: QMouseEvent) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:
            self._fingers({self.MOUSE_ID: ev.position()})
        ev.accept()

    def mouseMoveEvent(self, ev: QMouseEvent) -> None:
        if ev.buttons() & Qt.MouseButton.LeftButton and self.gesture is not None:
            self._fingers({self.MOUSE_ID: ev.position()})
        ev.accept()

    def mouseReleaseEvent(self, ev: QMouseEvent) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:
            self._fingers({})
        ev.accept()

    def cancel_gesture(self) -> None:
        """Drop a gesture in progress (a cancelled touch, a session reset)."""
        if self.gesture is not None:
            self.gesture = None
            self.update()

    def _fingers(self, active: dict[int, QPointF]) -> None:
        """Follow the fingers on the plan: ``active`` maps touch ids to positions."""
        world = {i: self.frame.to_world(p) for i, p in active.items()}
        g = self.gesture
        if g is None:
            if not world:
                return
            ids = sorted(world)
            item_id: str | None = None
            if len(ids) == 1:
                item_id = self.building_at(active[ids[0]])
                if item_id is not None and item_id != self.selected_id:
                    self.selected_id = item_id
                    self.selected.emit(item_id)
            else:
                item_id = self.selected_id
            b = self.building(item_id)
            if b is None:
                return
            self.gesture = _Gesture(b.id, b.footprint, b.footprint, dict(world), b.footprint)
            self.update()
            return
        if not world:
            self.gesture = None
            self.update()
            if g.current != g.original:
                self.committed.emit(g.item_id, g.current, "pinch" if g.pinched else "move")
            return
        if set(world) != set(g.start):
            # A finger came or went: carry on from where the building is now.
            g.base, g.start = g.current, dict(world)
            return
        ids = sorted(world)
        if len(ids) == 1:
            fp = gestures.moved(g.base, g.start[ids[0]], world[ids[0]])
        else:
            a, b2 = ids[0], ids[1]
            fp = gestures.pinched(
                g.base, (g.start[a], g.start[b2]), (world[a], world[b2]), snap_to=self.snap_directions
            )
            g.pinched = True
        if self.lot is not None:
            fp = gestures.clamp_centre(fp, self.lot.polygon.bounds, 10.0)
        if fp != g.current:
            g.current = fp
            self.preview.emit(g.item_id, fp)
            self.update()

    # ------------------------------------------------------------- drawing

    def _buildable_area(self) -> BaseGeometry | None:
        if self.lot is None:
            return None
        tallest = max((b.height_m for b in self.project.buildings), default=0.0) if self.project else 0.0
        key = (self.lot.id, round(tallest, 1))
        if self._buildable is None or self._buildable[0] != key:
            try:
                area = buildable_area(self.site, self.lot, tallest)
            except Exception:  # a drawing aid only: never break the plan for it
                area = None
            self._buildable = (key, area) if area is not None else None
            return area
        return self._buildable[1]

    def paintEvent(self, ev: QPaintEvent) -> None:
        with painting(self) as p:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            area = self._buildable_area()
            key = (self.lot.id if self.lot else None, self._buildable[0] if self._buildable else None)
            self._draw_background(p, key, lambda bp: self._paint_lot(bp, area))
            if self.project is not None:
                self._paint_project(p)

    def _paint_lot(self, p: QPainter, area: BaseGeometry | None) -> None:
        """The site, faint, and the chosen lot with its buildable area (dashed)."""
        f, t = self.frame, self.theme
        self._paint_site(p, 50, label_lots=False, faint_lots=True)
        if self.lot is None:
            return
        lot_path = f.path(self.lot.polygon)
        if self.on_photo:
            # The visitor's field, seen on the photograph: lit, not painted over.
            p.fillPath(lot_path, QColor(255, 255, 255, 28))
            if area is not None:
                area_path = f.path(area)
                p.fillPath(area_path, QColor(120, 220, 255, 38))
                halo_stroke(p, area_path, QColor(140, 225, 255), t.px(3), Qt.PenStyle.DashLine)
            halo_stroke(p, lot_path, QColor(255, 255, 255), t.px(5))
            return
        p.fillPath(lot_path, QColor(72, 110, 60))
        if area is not None:
            p.setBrush(QBrush(QColor(120, 220, 255, 30)))
            p.setPen(_pen(QColor(140, 225, 255), t.px(3), Qt.PenStyle.DashLine))
            p.drawPath(f.path(area))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(_pen(QColor(255, 255, 255), t.px(5)))
        p.drawPath(lot_path)

    def _paint_project(self, p: QPainter) -> None:
        assert self.project is not None
        f, t = self.frame, self.theme
        for s in self.project.surfaces:
            path = f.path(footprint_polygon(s.footprint))
            colour = QColor(95, 100, 112) if s.kind == "parking" else QColor(170, 156, 128)
            p.fillPath(path, colour)
            if s.kind == "parking" and f.scale > 2.0:
                layout = stall_layout(s.footprint)
                if layout.count:
                    boxes = np.asarray(layout.stalls)
                    stalls = QPainterPath()
                    for quad in boxes:
                        stalls.addPolygon(QPolygonF([f.to_px(x, y) for x, y in quad]))
                        stalls.closeSubpath()
                    p.strokePath(stalls, _pen(QColor(235, 235, 235, 170), 1.0))
        g = self.gesture
        font = QFont(self.font())
        font.setPixelSize(t.font_small)
        font.setBold(True)
        p.setFont(font)
        for b in self.project.buildings:
            fp = g.current if g is not None and g.item_id == b.id else b.footprint
            poly = footprint_polygon(fp)
            path = f.path(poly)
            failing = b.id in self.failing and g is None
            p.fillPath(path, use_colour(b.use, 235))
            if failing:
                p.fillPath(path, QBrush(QColor(255, 60, 50, 120), Qt.BrushStyle.BDiagPattern))
            outline = SELECTION if b.id == self.selected_id else QColor(30, 30, 30)
            width = t.px(6) if b.id == self.selected_id else t.px(2)
            if failing and b.id != self.selected_id:
                outline, width = QColor(255, 80, 70), t.px(4)
            if self.on_photo and outline != QColor(30, 30, 30):
                halo_stroke(p, path, outline, width)
            else:
                p.strokePath(path, _pen(outline, width))
            if isinstance(fp, RectFootprint):
                self._paint_size(p, fp)

    def _paint_size(self, p: QPainter, fp: RectFootprint) -> None:
        """The building's size on a plate at its centre, if the plate fits inside it."""
        f, t = self.frame, self.theme
        text = f"{fp.width:.0f} × {fp.depth:.0f} m"
        w = p.fontMetrics().horizontalAdvance(text) + t.px(24)
        h = t.px(44)
        if min(fp.width, fp.depth) * f.scale < 1.5 * h or max(fp.width, fp.depth) * f.scale < w + t.px(16):
            return  # a narrow annex: the plate would hide it
        c = f.to_px(fp.cx, fp.cy)
        rect = QRectF(c.x() - w / 2, c.y() - h / 2, w, h)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(15, 29, 43, 190))
        p.drawRoundedRect(rect, t.px(10), t.px(10))
        p.setPen(TEXT)
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
