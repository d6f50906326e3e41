"""Areas piled on one spot: those deep in the pile are painted without antialiasing
in a picture, and the picture looks the same."""

from __future__ import annotations

import math

import numpy as np
import shapely

from tests.ui.conftest import X0, Y0


def _star(cx: float, cy: float, turn: float, r_in: float = 20.0, r_out: float = 28.0, points: int = 40):
    return tuple(
        (
            cx + (r_out if k % 2 == 0 else r_in) * math.cos(turn + math.pi * k / points),
            cy + (r_out if k % 2 == 0 else r_in) * math.sin(turn + math.pi * k / points),
        )
        for k in range(2 * points)
    )


def test_an_area_is_deep_under_five_later_areas_over_its_centre():
    from zacviz.ui.plan_view import PILE_DEPTH, deep_in_pile

    square = shapely.box(0, 0, 10, 10)
    assert PILE_DEPTH == 5
    # Eight on one spot: the first three lie under five later ones.
    assert deep_in_pile([square] * 8) == [True, True, True, False, False, False, False, False]
    # Side by side, nothing is deep.
    assert not any(deep_in_pile([shapely.box(20 * i, 0, 20 * i + 10, 10) for i in range(8)]))
    # Five later areas that miss the centre (a ring around it) leave it on top.
    ring = shapely.box(-5, -5, 15, 15).difference(shapely.box(2, 2, 8, 8))
    assert deep_in_pile([square, *([ring] * 5)]) == [False] * 6
    # Four over the centre are not enough.
    assert deep_in_pile([square] * 5) == [False] * 5


def _pile(n: int):
    from zacviz.model.project import PolygonFootprint, Project, Surface

    return Project(
        site="test-park",
        lot="A1",
        surfaces=tuple(
            Surface(
                f"s{i}", "parking" if i % 2 else "yard", PolygonFootprint(_star(X0 + 75, Y0 + 60, 0.013 * i))
            )
            for i in range(n)
        ),
    )


def test_a_picture_of_a_pile_paints_the_deep_areas_plain_and_looks_the_same(qapp, site, monkeypatch):
    """40 turned stars on one spot: the 35 under five others are marked deep
    (in the order they paint), the top five are not; painted uncached, as a
    picture is, the plan differs from the one painted all antialiased only
    along the pile's ragged edge (its teeth, aliased), not in its heart."""
    from PySide6.QtWidgets import QGraphicsItem

    from zacviz.ui import plan_view
    from zacviz.ui.plan_view import PathItem, PlanView

    project = _pile(40)
    view = PlanView(site, interactive=False)
    view.resize(480, 320)
    view.show()
    qapp.processEvents()

    def picture() -> np.ndarray:
        view.set_project(None)
        view.set_project(project)
        view.zoom_to_bounds((X0 + 40, Y0 + 25, X0 + 110, Y0 + 95), 0.0)
        for item in view.scene().items():
            item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        qapp.processEvents()
        return _pixels(view.grab().toImage())

    try:
        piled = picture()
        areas = [
            it for it in view.vb.childGroup.childItems() if isinstance(it, PathItem) and it.zValue() == 10
        ]
        assert [view._drawn[f"s{i}"][1][0] for i in range(40)] == areas  # the order they paint
        assert [it.deep for it in areas] == [True] * 35 + [False] * 5
        monkeypatch.setattr(plan_view, "PILE_MIN_ITEMS", 10_000)
        smooth = picture()
        assert not any(view._drawn[f"s{i}"][1][0].deep for i in range(40))
    finally:
        view.close()
        view.deleteLater()
    diff = np.abs(piled - smooth).max(axis=2)
    assert diff.any()  # the deep areas were painted otherwise
    # Only the antialiasing of the teeth sticking out of the pile differs (5.6 %
    # of this picture's pixels, 2.2 % by more than 16 levels, zoomed on the pile).
    assert (diff > 0).mean() < 0.08
    assert (diff > 16).mean() < 0.035
    inside = diff[120:200, 200:280]  # the pile's heart, under all 40: the same
    assert inside.max() <= 2


def _pixels(image) -> np.ndarray:
    from PySide6.QtGui import QImage

    image = image.convertToFormat(QImage.Format.Format_RGB32)
    w, h = image.width(), image.height()
    data = np.frombuffer(image.constBits(), np.uint8, count=image.bytesPerLine() * h)
    return data.reshape(h, image.bytesPerLine())[:, : 4 * w].reshape(h, w, 4)[:, :, :3].astype(int).copy()


def _pixels_alpha(image) -> np.ndarray:
    w, h = image.width(), image.height()
    data = np.frombuffer(image.constBits(), np.uint8, count=image.bytesPerLine() * h)
    return data.reshape(h, image.bytesPerLine())[:, : 4 * w].reshape(h, w, 4)[:, :, 3]


def test_a_few_areas_or_the_editor_never_lose_their_antialiasing(qapp, site):
    """Under 16 areas nothing is looked at as a pile; and the editor's items,
    painted into their own cached pixels, are painted smooth whatever their depth."""
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

    from zacviz.ui.plan_view import PathItem, PlanView

    view = PlanView(site, interactive=False)
    try:
        view.set_project(_pile(15))
        assert not any(items[0].deep for _, items in view._drawn.values())
        view.set_project(_pile(40))
        area = view._drawn["s0"][1][0]
        assert isinstance(area, PathItem) and area.deep
        assert area.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache
        rect = area.boundingRect()

        def levels() -> int:
            """How many alpha levels painting the area gives: a few without antialiasing."""
            image = QImage(64, 64, QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(0)
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.scale(64 / rect.width(), 64 / rect.height())
            painter.translate(-rect.left(), -rect.top())
            area.paint(painter, QStyleOptionGraphicsItem())
            painter.end()
            return len(np.unique(_pixels_alpha(image)))

        assert levels() > 10  # cached: smooth
        area.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        assert levels() <= 3  # as a picture paints it: none, the fill, the pen
    finally:
        view.close()
        view.deleteLater()
    # The editor's view does not even look for piles (0.2 s an edit at 1,000 areas).
    editor = PlanView(site)
    try:
        editor.set_project(_pile(40))
        assert not any(items[0].deep for _, items in editor._drawn.values())
    finally:
        editor.close()
        editor.deleteLater()
