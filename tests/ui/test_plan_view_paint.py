"""The site layer's polygons painted as a GIS draws them: cut to what is shown."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPolygonF, QTransform

from zacviz.ui import plan_view, style


def _polygon(points) -> QPainterPath:
    from PySide6.QtCore import QPointF

    path = QPainterPath()
    path.addPolygon(QPolygonF([QPointF(x, y) for x, y in points]))
    path.closeSubpath()
    return path


def _paint(shapes, transform: QTransform, size=(300, 200), cut: bool = True) -> np.ndarray:
    image = QImage(*size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setTransform(transform)
    inverse, _ = transform.inverted()
    exposed = inverse.mapRect(QRectF(0, 0, *size))
    if cut:
        plan_view.paint_polygons(painter, shapes, [p.controlPointRect() for p, _, _ in shapes], exposed)
    else:
        for path, pen, brush in shapes:
            plan_view.paint_shape(painter, path, pen, brush, plan_view.outline_hides_edge(pen))
    painter.end()
    bits = image.constBits()
    return np.frombuffer(bits, np.uint8, count=image.sizeInBytes()).reshape(size[1], size[0], 4).astype(int)


def test_polygons_reaching_beyond_the_view_are_cut_and_look_the_same(monkeypatch):
    """Zoomed on a corner of a large lot, the lot is cut to the view (its far
    outline is never stroked) and the picture is the one of the whole lot;
    a polygon wholly in view is painted as it is."""
    cuts = []
    cut_path = plan_view.cut_path

    def spy(path, window):
        cuts.append(path)
        return cut_path(path, window)

    monkeypatch.setattr(plan_view, "cut_path", spy)
    big = _polygon([(0, 0), (1000, 30), (980, 900), (-20, 870)])  # a lot, metres
    small = _polygon([(20, 20), (40, 22), (38, 35), (19, 33)])  # a building in view
    ring = _polygon([(10, 10), (400, 10), (400, 400), (10, 400)])
    ring.addPath(_polygon([(30, 30), (300, 30), (300, 300), (30, 300)]))  # with a hole in view
    colour = QColor(200, 60, 40)
    shapes = [
        (big, style.pen(colour, 2), style.brush(colour, 85)),
        (ring, style.pen(QColor(30, 30, 30), 1), style.brush(QColor(90, 90, 90), 170)),
        (small, style.pen(QColor(20, 20, 20), 3), style.brush(QColor(250, 200, 90), 235)),
    ]
    # 5 px a metre, y up, the view's corner on (-10, -5): about 60 m × 40 m shown.
    view = QTransform(5.0, 0.0, 0.0, -5.0, 50.0, 175.0)
    cut = _paint(shapes, view)
    whole = _paint(shapes, view, cut=False)
    assert len(cuts) == 2 and cuts[0] is big and cuts[1] is ring  # the building was in view
    assert np.abs(cut - whole).max() <= 3  # rounding of the antialiased edges only
    assert (cut[..., 3] > 0).mean() > 0.5  # and the view is painted (the lot from x = 0 m on)


class _Recorder(QPainter):
    """A painter that notes, for each path drawn, whether it was antialiased and
    whether it was filled and outlined."""

    def __init__(self, image: QImage) -> None:
        super().__init__(image)
        self.calls: list[tuple[bool, bool, bool]] = []

    def drawPath(self, path) -> None:
        self.calls.append(
            (
                self.testRenderHint(QPainter.RenderHint.Antialiasing),
                self.brush().style() != Qt.BrushStyle.NoBrush,
                self.pen().style() != Qt.PenStyle.NoPen,
            )
        )
        super().drawPath(path)


def test_a_fill_under_an_opaque_outline_is_painted_without_antialiasing():
    """The outline (opaque, at least a pixel wide) covers the fill's edge: the
    fill is painted aliased, the outline antialiased; a fill whose edge shows
    (a translucent or dashed outline, or none) stays antialiased."""
    lot = _polygon([(10, 10), (120, 14), (115, 90), (8, 85)])
    colour = QColor(200, 60, 40)
    see_through = QColor(colour)
    see_through.setAlpha(120)
    shapes = [
        (lot, style.pen(colour, 2), style.brush(colour, 85)),
        (lot, style.pen(colour, 1), style.brush(colour, 85)),
        (lot, style.pen(see_through, 2), style.brush(colour, 85)),
        (lot, style.pen(colour, 2, Qt.PenStyle.DashLine), style.brush(colour, 85)),
        (lot, style.pen(colour, 0.5), style.brush(colour, 85)),
    ]
    rects = [p.controlPointRect() for p, _, _ in shapes]
    image = QImage(200, 120, QImage.Format.Format_ARGB32_Premultiplied)

    def calls(shapes, rects, smooth: bool) -> list[tuple[bool, bool, bool]]:
        painter = _Recorder(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, smooth)
            plan_view.paint_polygons(painter, shapes, rects, QRectF(0, 0, 200, 120))
            # the painter is left as it was
            assert painter.testRenderHint(QPainter.RenderHint.Antialiasing) == smooth
        finally:
            painter.end()
        return painter.calls

    assert calls(shapes, rects, True) == [
        (False, True, False),  # fill, aliased
        (True, False, True),  # outline, antialiased
        (False, True, False),
        (True, False, True),
        (True, True, True),  # translucent outline: as before, in one antialiased path
        (True, True, True),  # dashed
        (True, True, True),  # thinner than a pixel
    ]
    # A painter without antialiasing paints each shape at once, aliased.
    assert calls(shapes[:1], rects[:1], False) == [(False, True, True)]


def test_the_polygons_look_as_when_their_fills_were_antialiased():
    """Painted with aliased fills under their outlines, the site's polygons
    differ from wholly antialiased ones only on a few edge pixels, by little."""
    lots = [
        _polygon([(0, 0), (47.3, 1.2), (46.1, 31.7), (-0.8, 30.2)]),
        _polygon([(47.3, 1.2), (90.6, 3.9), (88.2, 33.3), (46.1, 31.7)]),
        _polygon([(5, 35), (40, 36.5), (20, 58)]),  # acute corners
    ]
    colour = QColor(120, 170, 90)
    shapes = [
        (
            lot,
            style.pen(colour if i else QColor(30, 30, 30), 1 + i),
            style.brush(colour if i else QColor(90, 90, 90), 85 + 60 * i),
        )
        for i, lot in enumerate(lots)
    ]
    view = QTransform(3.0, 0.0, 0.0, -3.0, 12.0, 190.0)
    ours = _paint(shapes, view)
    image = QImage(300, 200, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setTransform(view)
    for path, pen, brush in shapes:
        painter.setPen(pen)
        painter.setBrush(brush)
        painter.drawPath(path)
    painter.end()
    smooth = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes()).reshape(200, 300, 4)
    diff = np.abs(ours - smooth.astype(int)).max(axis=-1)
    assert (ours[..., 3] > 0).mean() > 0.3  # painted
    assert diff.max() <= 40
    assert (diff > 8).mean() < 0.01
    assert diff.mean() < 0.2


def test_a_picture_paints_a_project_item_as_the_site_polygons():
    """Painted uncached (a picture), a building or surface under an opaque
    outline gets its fill aliased and its outline antialiased, as the site's
    polygons; the editor's cached items are painted by Qt as before."""
    from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

    colour = QColor(200, 60, 40)
    item = plan_view.PathItem(_polygon([(10, 10), (120, 14), (115, 90), (8, 85)]))
    item.setPen(style.pen(colour, 1.5))
    item.setBrush(style.brush(colour, 200))
    image = QImage(200, 120, QImage.Format.Format_ARGB32_Premultiplied)

    def calls() -> list[tuple[bool, bool, bool]]:
        painter = _Recorder(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            item.paint(painter, QStyleOptionGraphicsItem())
            assert painter.testRenderHint(QPainter.RenderHint.Antialiasing)
        finally:
            painter.end()
        return painter.calls

    item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    assert calls() == [(False, True, False), (True, False, True)]
    item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    assert calls() == []  # Qt's own paint, antialiased, not through these calls
