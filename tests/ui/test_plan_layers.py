"""The plan's static layers and what an edit redraws (or leaves alone)."""

from __future__ import annotations

from dataclasses import replace

from tests.ui.conftest import X0, Y0


def _pixel(plan, x: float, y: float):
    """The colour the plan shows at site point (x, y)."""
    from PySide6.QtCore import QPointF

    image = plan.viewport().grab().toImage()
    ox, oy = plan.origin
    scene = plan.vb.mapViewToScene(QPointF(x - ox, y - oy))
    view = plan.mapFromScene(scene)
    return image.pixelColor(view.x(), view.y())


def test_the_site_layer_restyles_the_project_lot_and_shows_it(editor, qtbot):
    """The lots are drawn by one cached item: starting a project on A1 outlines
    it in white with a lighter fill, and leaving it gives A1 its status colours
    back, on screen too (not a stale cache)."""
    w = editor.window
    plan = w.plan
    layer, index = plan._site_layer, plan._lot_shapes["A1"]
    assert layer.style_of(index)[0].widthF() == 2
    w.start_project("A1")
    plan.zoom_to_lot("A1")
    qtbot.wait(10)
    pen, brush = layer.style_of(index)
    assert pen.widthF() == 3 and brush.color().alpha() == 35
    inside = (X0 + 75.0, Y0 + 60.0)
    project_look = _pixel(plan, *inside)
    plan.set_project(None)  # the same view, no project: A1 is an available lot again
    assert layer.style_of(index)[0].widthF() == 2
    assert _pixel(plan, *inside) != project_look  # more of the lot's green over the photo
    assert layer.style_of(plan._lot_shapes["A2"])[0].widthF() == 2


def test_the_site_layer_paints_an_outline_whose_path_is_just_outside(editor):
    """Polygons outside what is painted are skipped, but not one whose cosmetic
    outline still reaches into it: lot A2 (reserved, orange) just right of the view.
    Painted without a cache, as a picture is (the editor's cache is painted whole)."""
    from PySide6.QtWidgets import QGraphicsItem

    plan = editor.window.plan
    plan._site_layer.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    plan.zoom_to_bounds((X0, Y0, X0 + 150.0, Y0 + 120.0), 0.05)
    (_, vx1), _ = plan.vb.viewRange()
    mpp = plan._metres_per_px()
    # A2's left edge (X0 + 150) 0.4 pixel beyond the right border: its 2-pixel
    # outline still covers most of the last column.
    plan.vb.translateBy(x=(X0 + 150.0 - plan.origin[0]) - 0.4 * mpp - vx1)
    image = plan.viewport().grab().toImage()
    column = image.width() - 1
    reds = [image.pixelColor(column, y).red() for y in range(image.height() // 3, image.height() // 2)]
    assert min(reds) > 120  # orange over the lot's green outline (red 46) and the photo (70)


def test_an_edit_does_not_redraw_the_outlines_it_leaves_alone(with_project):
    """Moving a building keeps the buildable area and the rule highlight: their
    cached, dashed outlines are not given a new path (which would repaint them)."""
    w = with_project.window
    plan = w.plan
    w.select(w.doc.project.buildings[0].id)
    calls = []
    for name in ("_buildable_item", "_highlight_item", "_shadow_item"):
        item = getattr(plan, name)
        original = item.setPath
        item.setPath = lambda path, name=name, original=original: (calls.append(name), original(path))
    b = w.doc.project.buildings[0]
    for step in (0.5, -0.5):
        b = w.doc.project.buildings[0]
        w.doc.apply(
            "move",
            replace(
                w.doc.project,
                buildings=(replace(b, footprint=b.footprint.moved(step, 0.0)), *w.doc.project.buildings[1:]),
            ),
        )
    assert calls == []
    # A taller building needs a wider setback: that area is drawn anew.
    b = w.doc.project.buildings[0]
    w.doc.apply(
        "taller",
        replace(
            w.doc.project, buildings=(replace(b, height_m=b.height_m + 4.0), *w.doc.project.buildings[1:])
        ),
    )
    assert "_buildable_item" in calls


def test_the_undo_keys_filter_watches_the_focused_field_only(with_project, qtbot):
    from PySide6.QtWidgets import QApplication

    w = with_project.window
    w.activateWindow()
    w.select(w.doc.project.buildings[0].id)
    watcher = w._undo_in_fields
    box = w.item_panel.height_box
    box.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is box)
    assert watcher.field is box
    w.title_field.edit.setFocus()
    qtbot.waitUntil(lambda: watcher.field is w.title_field.edit)
    w.plan.setFocus()
    qtbot.waitUntil(lambda: watcher.field is None)


def _grab_list(panel, delegate=None):
    """The checks list's rows as an array, painted by its own delegate or ``delegate``."""
    import numpy as np
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    lst = panel.list
    own = lst.itemDelegate()
    if delegate is not None:
        lst.setItemDelegate(delegate)
    lst.doItemsLayout()  # a new delegate lays the rows out later, else
    lst.scrollToTop()
    QApplication.processEvents()
    image = lst.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    if delegate is not None:
        lst.setItemDelegate(own)
        lst.doItemsLayout()
    w, h = image.width(), image.height()
    data = np.frombuffer(image.constBits(), np.uint8, count=image.bytesPerLine() * h)
    return data.reshape(h, image.bytesPerLine())[:, : 3 * w].astype(int)


def test_the_checks_list_rows_are_the_styles_and_follow_the_verdicts(with_project):
    """The rows painted from kept pictures are the style's rows, both when a
    row's picture is drawn (a fresh delegate) and when it is reused, and a
    verdict that changes (a building too tall) shows at once, in red."""
    from PySide6.QtWidgets import QStyledItemDelegate

    from zacviz.ui.panels import _RowPictures

    w = with_project.window
    panel = w.checks_panel
    panel.list.setCurrentRow(1)
    style = _grab_list(panel, QStyledItemDelegate())
    assert abs(_grab_list(panel, _RowPictures(panel.list)) - style).max() <= 2
    before = _grab_list(panel)
    assert abs(before - _grab_list(panel, QStyledItemDelegate())).max() <= 2
    b = w.doc.project.buildings[0]
    tall = replace(b, height_m=40.0)
    w.doc.apply("tall", replace(w.doc.project, buildings=(tall, *w.doc.project.buildings[1:])))
    after = _grab_list(panel)
    assert abs(after - _grab_list(panel, QStyledItemDelegate())).max() <= 2
    assert (abs(after - before) > 40).any()
    reds = (after[:, 0::3] > 150) & (after[:, 1::3] < 90) & (after[:, 2::3] < 90)
    assert reds.sum() > 20  # the failing rule's text


def test_the_cached_site_layer_paints_only_the_polygons_in_view(editor, qtbot):
    """In the editor the layer is cached whole-item, in a picture of the
    viewport's size: zoomed on a lot, the lots and buildings beyond the view are
    not painted into it (a pan or zoom costs what is seen)."""
    plan = editor.window.plan
    layer = plan._site_layer
    plan.zoom_to_site()
    plan.viewport().grab()
    everything = layer.last_painted
    assert everything == len(layer)
    plan.zoom_to_bounds((X0 + 20.0, Y0 + 20.0, X0 + 60.0, Y0 + 50.0), 0.0)  # inside lot A1
    plan.viewport().grab()
    assert 0 < layer.last_painted < everything


def test_a_union_past_its_vertex_limit_fills_the_same_area(monkeypatch):
    """Shapes at fault are drawn as their union: by GEOS for a small layer, by
    winding fill past the vertex limit (10,000-vertex outlines: a GEOS union
    took minutes). Both fill the same points, overlaps and holes included."""
    import numpy as np
    import shapely
    from PySide6.QtCore import QPointF, Qt

    from zacviz.ui import plan_view

    ring = shapely.Polygon([(0, 0), (40, 0), (40, 40), (0, 40)], [[(10, 10), (10, 30), (30, 30), (30, 10)]])
    shapes = [
        ring,  # a square with a hole...
        shapely.box(15, 15, 25, 25),  # ...a shape inside the hole...
        shapely.box(25, 25, 60, 35).reverse(),  # ...and one across hole and edge, turned clockwise
        shapely.MultiPolygon([shapely.box(70, 0, 80, 10), shapely.box(75, 5, 90, 20)]),
    ]
    union = shapely.union_all(shapes)
    small = plan_view.union_path(shapes, (0.0, 0.0))
    monkeypatch.setattr(plan_view, "UNION_VERTEX_LIMIT", 0)
    large = plan_view.union_path(shapes, (0.0, 0.0))
    assert large.fillRule() == Qt.FillRule.WindingFill
    rng = np.random.default_rng(7)
    for x, y in rng.uniform(-5, 95, size=(2000, 2)):
        inside = union.contains(shapely.Point(x, y))
        if union.boundary.distance(shapely.Point(x, y)) < 1e-6:
            continue
        assert small.contains(QPointF(x, y)) == inside, (x, y)
        assert large.contains(QPointF(x, y)) == inside, (x, y)
    assert plan_view.union_path([], (0.0, 0.0)).isEmpty()


def test_a_path_of_many_vertices_is_drawn_without_antialiasing(qapp):
    """Past SMOOTH_ELEMENT_LIMIT elements (SPEC §2 allows 10,000-vertex outlines)
    a path is drawn hard-edged, which took ten seconds off a picture of such
    buildings; a small path keeps its smooth edges."""
    import math

    import numpy as np
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen, QPolygonF
    from PySide6.QtWidgets import QStyleOptionGraphicsItem

    from zacviz.ui import plan_view

    def greys(vertices: int) -> int:
        pts = [
            QPointF(
                50 + 40 * math.cos(2 * math.pi * i / vertices), 50 + 40 * math.sin(2 * math.pi * i / vertices)
            )
            for i in range(vertices)
        ]
        path = QPainterPath()
        path.addPolygon(QPolygonF(pts))
        item = plan_view._path_item(path, QPen(Qt.PenStyle.NoPen), QColor(0, 0, 0), 0)
        image = QImage(100, 100, QImage.Format.Format_RGB32)
        image.fill(QColor(255, 255, 255))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        item.paint(painter, QStyleOptionGraphicsItem())
        assert painter.testRenderHint(QPainter.RenderHint.Antialiasing)  # given back as it was
        painter.end()
        values = np.frombuffer(image.constBits(), np.uint8).reshape(100, 100, 4)[..., 0]
        return int(((values > 0) & (values < 255)).sum())

    assert greys(plan_view.SMOOTH_ELEMENT_LIMIT // 2) > 50
    assert greys(plan_view.SMOOTH_ELEMENT_LIMIT * 2) == 0
