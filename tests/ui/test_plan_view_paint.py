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
            painter.setPen(pen)
            painter.setBrush(brush)
            painter.drawPath(path)
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
