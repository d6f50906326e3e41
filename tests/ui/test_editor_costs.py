"""What keeps the editor small and quick: caches, malloc, the 3D texture, in-place updates."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QSize

from zacviz.ui.application import PIXMAP_CACHE_KB, application, fixed_mmap_threshold
from zacviz.ui.panel3d import site_texture_px


class _Screen:
    def __init__(self, w: int, h: int) -> None:
        self._size = QSize(w, h)

    def size(self) -> QSize:
        return self._size


@pytest.mark.parametrize(
    "size, px",
    [
        ((1366, 768), 1024),
        ((1920, 1080), 1024),
        ((1080, 1920), 1024),
        ((2560, 1440), 2048),
        ((3840, 2160), 2048),
    ],
)
def test_the_site_texture_follows_the_screen(size, px):
    assert site_texture_px(_Screen(*size)) == px


def test_no_screen_gets_the_small_texture():
    assert site_texture_px(None) == 1024


def test_the_pixmap_cache_is_set_once_and_kept_bounded(qapp):
    from PySide6.QtGui import QPixmapCache

    application()
    assert QPixmapCache.cacheLimit() == max(10 * 1024, PIXMAP_CACHE_KB)
    assert PIXMAP_CACHE_KB <= 64 * 1024


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_the_mmap_threshold_is_fixed_on_linux():
    assert fixed_mmap_threshold() is True


def test_the_plan_scale_bar_and_north_arrow_are_drawn_once_and_follow_the_zoom(editor):
    plan = editor.window.plan
    plan.zoom_to_site()
    first = plan.grab().toImage()
    keys = {k[0]: k for k in plan._overlays}
    assert set(keys) == {"scale", "north"}
    plan.grab()
    assert len(plan._overlays) == 2  # the same view: nothing drawn again
    # The north arrow's white needle and the scale bar's white first quarter are on the picture.
    w, h = first.width(), first.height()
    needle = first.pixelColor(w - 34, 44 - 8)
    assert min(needle.red(), needle.green(), needle.blue()) > 230
    bar = first.pixelColor(16 + 3, h - 22 + 3)
    assert min(bar.red(), bar.green(), bar.blue()) > 230
    plan.zoom_to_lot("A1")
    plan.grab()
    scales = [k for k in plan._overlays if k[0] == "scale"]
    assert len(scales) == 2 and scales[0][1] != scales[1][1]  # another length, another label


def test_an_edit_updates_the_checks_list_in_place(editor):
    from dataclasses import replace

    from PySide6.QtCore import Qt

    w = editor.window
    w.start_project("A1")
    w.apply_template("warehouse")
    panel = w.checks_panel
    rows = panel.list.count()
    assert rows > 3
    marker = Qt.ItemDataRole.UserRole + 7
    for i in range(rows):
        panel.list.item(i).setData(marker, i)
    panel.list.setCurrentRow(1)
    b = w.doc.project.buildings[0]
    w.edit(
        "Hauteur", replace(w.doc.project, buildings=(replace(b, height_m=40.0), *w.doc.project.buildings[1:]))
    )
    assert not w.result.rule("height").ok
    assert [panel.list.item(i).data(marker) for i in range(rows)] == list(range(rows))  # not made anew
    k = [r.id for r in w.result.rules].index("height")
    item = panel.list.item(k)
    assert item.text().startswith("✘") and item.font().bold()
    assert item.toolTip() == w.result.rule("height").message()
    assert panel.list.currentRow() == 1
    assert "✘" in panel.summary.text()
    w.act_undo.trigger()
    assert panel.list.item(k).text().startswith("✔") and not panel.list.item(k).font().bold()
    assert "✔" in panel.summary.text()


def test_a_moved_building_keeps_its_plan_items_and_a_car_park_gains_its_stalls(editor):
    from dataclasses import replace

    from zacviz.model.project import RectFootprint, Surface

    w = editor.window
    w.start_project("A1")
    w.apply_template("warehouse")
    b = w.doc.project.buildings[0]
    items = w.plan._drawn[b.id][1]
    before = items[0].path().boundingRect()
    w.edit("Déplacer", replace(w.doc.project, buildings=(replace(b, footprint=b.footprint.moved(3.0, 0.0)),)))
    assert w.plan._drawn[b.id][1] is items  # updated in place, not made anew
    after = items[0].path().boundingRect()
    assert after.left() - before.left() == pytest.approx(3.0, abs=1e-6)
    assert items[1].pos().x() - before.center().x() == pytest.approx(3.0, abs=0.5)
    # A car park too small for a stall has one item; grown, it gets its stall lines.
    fp = b.footprint
    tiny = Surface("p9", "parking", RectFootprint(fp.cx, fp.cy + 60.0, 3.0, 3.0, 0.0))
    w.edit("Parking", replace(w.doc.project, surfaces=(*w.doc.project.surfaces, tiny)))
    assert len(w.plan._drawn["p9"][1]) == 1
    big = replace(tiny, footprint=RectFootprint(fp.cx, fp.cy + 60.0, 30.0, 16.5, 0.0))
    others = tuple(s for s in w.doc.project.surfaces if s.id != "p9")
    w.edit("Parking", replace(w.doc.project, surfaces=(*others, big)))
    assert len(w.plan._drawn["p9"][1]) == 2
    assert not w.plan._drawn["p9"][1][1].path().isEmpty()


def test_beside_the_3d_pane_the_plan_keeps_smaller_imagery_caches(qapp):
    from types import SimpleNamespace

    from PySide6.QtGui import QPixmapCache

    from zacviz.ui.panel3d import PIXMAP_CACHE_WITH_3D_KB, PLAN_TILES_WITH_3D, make_room_for_3d

    before = QPixmapCache.cacheLimit()
    plan = SimpleNamespace(imagery_layer=SimpleNamespace(max_tiles=48))
    try:
        QPixmapCache.setCacheLimit(48 * 1024)
        make_room_for_3d(plan)
        assert plan.imagery_layer.max_tiles == PLAN_TILES_WITH_3D < 48
        assert QPixmapCache.cacheLimit() == PIXMAP_CACHE_WITH_3D_KB < 48 * 1024
        make_room_for_3d(SimpleNamespace(imagery_layer=None))  # a site without imagery
    finally:
        QPixmapCache.setCacheLimit(before)


def test_the_plan_draws_the_stalls_of_a_bounded_number_of_car_parks(editor, monkeypatch):
    """Past MAX_STALLS_DRAWN the car parks are drawn without their stalls (two
    million stalls took the plan picture a minute and a gigabyte); removing
    the first car park gives an unchanged one after it its stalls back."""
    from dataclasses import replace

    from zacviz.geometry import parking
    from zacviz.model.project import RectFootprint, Surface

    w = editor.window
    w.start_project("A1")
    w.apply_template("warehouse")
    fp = w.doc.project.buildings[0].footprint
    parks = tuple(
        Surface(f"p{k}", "parking", RectFootprint(fp.cx, fp.cy + 60.0 + 20.0 * k, 30.0, 16.5, 0.0))
        for k in range(3)
    )
    monkeypatch.setattr(parking, "MAX_STALLS_DRAWN", parking.stall_layout(parks[0].footprint).count)
    w.edit("Parkings", replace(w.doc.project, surfaces=parks))
    assert [len(w.plan._drawn[p.id][1]) for p in parks] == [2, 1, 1]
    w.edit("Supprimer", replace(w.doc.project, surfaces=parks[1:]))
    assert [len(w.plan._drawn[p.id][1]) for p in parks[1:]] == [2, 1]
