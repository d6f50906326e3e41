"""The aerial photograph under the kiosk's maps: read off the UI thread at the
widget's size, drawn under the plan, and never a reason to fail."""

from __future__ import annotations

import numpy as np
import pytest

PHOTO_RGB = (200, 40, 190)  # a colour no plan layer uses


def write_photo(kit, path, box, rgb=PHOTO_RGB, res=0.5):
    x0, y0, x1, y1 = box
    data = np.empty((3, int((y1 - y0) / res), int((x1 - x0) / res)), np.uint8)
    data[:] = np.array(rgb, np.uint8)[:, None, None]
    kit.write_geotiff(path, data, x0, y1, res, overviews=(2, 4, 8))


@pytest.fixture
def photo_site(tmp_path, make_site, kit):
    x, y = kit.X0, kit.Y0
    lots = [
        kit.lot("A1", (x, y, x + 150.0, y + 120.0), status="available"),
        kit.lot("A2", (x + 150.0, y, x + 300.0, y + 120.0), status="sold"),
    ]
    road = kit.road("r1", (x - 50.0, y - 20.0, x + 320.0, y))
    folder = make_site(tmp_path / "sites", lots=lots, roads=[road], site_extra={"imagery": "photo.tif"})
    write_photo(kit, folder / "photo.tif", (x - 400.0, y - 400.0, x + 700.0, y + 500.0))
    return folder


def colour_at(image, x, y):
    c = image.pixelColor(x, y)
    return np.array([c.red(), c.green(), c.blue()])


def test_the_lot_plan_is_drawn_over_the_photograph(qtbot, photo_site):
    from zacviz.io.site_folder import load_site
    from zacviz.kiosk.canvas import TouchPlan
    from zacviz.kiosk.theme import Theme

    site = load_site(photo_site)
    plan = TouchPlan(site, Theme(unit=1.0, dpi=96.0))
    qtbot.addWidget(plan)
    plan.resize(800, 500)
    plan.set_state(site.lot("A1"), None, frozenset(), None)
    plan.show()
    qtbot.waitExposed(plan)
    assert plan.on_photo
    plan.grab()  # the first paint asks for the picture; it is read on the pool's thread
    plan.aerial.wait()
    qtbot.waitUntil(lambda: plan.aerial.version > 0, timeout=5000)
    image = plan.grab().toImage()
    # The read matched the widget: its bounds are what the plan shows.
    assert plan.aerial._shown == (tuple(round(v, 3) for v in plan.view_bounds()), (500, 800))
    # A corner far from any outline shows the photograph under a light veil.
    corner = colour_at(image, 12, 12)
    assert corner[0] > 150 and corner[2] > 140 and corner[1] < 80, corner
    # The chosen lot is not painted over: its middle is still the photograph's hue.
    mid = plan.frame.to_px(*site.lot("A1").polygon.centroid.coords[0])
    inside = colour_at(image, int(mid.x()), int(mid.y()))
    assert inside[0] > 150 and inside[2] > 140 and inside[1] < 110, inside


def test_the_site_map_reads_once_per_view_and_again_after_a_resize(qtbot, photo_site):
    from zacviz.io.site_folder import load_site
    from zacviz.kiosk.canvas import SiteMap
    from zacviz.kiosk.theme import Theme

    site = load_site(photo_site)
    m = SiteMap(site, Theme(unit=1.0, dpi=96.0))
    qtbot.addWidget(m)
    m.resize(600, 400)
    m.show()
    qtbot.waitExposed(m)
    m.grab()
    m.aerial.wait()
    qtbot.waitUntil(lambda: m.aerial.version == 1, timeout=5000)
    for _ in range(5):
        m.grab()  # redraws of the same view read nothing more
    assert m.aerial.reads == 1
    m.resize(900, 500)
    m.grab()
    m.aerial.wait()
    qtbot.waitUntil(lambda: m.aerial.version == 2, timeout=5000)
    assert m.aerial.reads == 2
    assert m.aerial._picture is not None
    assert m.aerial._picture[1].width() == 900


def test_an_unreadable_photograph_leaves_the_plain_plan(qtbot, photo_site, caplog):
    from zacviz.io.site_folder import load_site
    from zacviz.kiosk.canvas import TouchPlan
    from zacviz.kiosk.theme import BACKGROUND, Theme

    (photo_site / "photo.tif").write_bytes(b"not a tiff at all")
    site = load_site(photo_site)
    plan = TouchPlan(site, Theme(unit=1.0, dpi=96.0))
    qtbot.addWidget(plan)
    plan.resize(600, 400)
    plan.set_state(site.lot("A1"), None, frozenset(), None)
    plan.show()
    assert not plan.on_photo
    assert "aerial image not shown" in caplog.text
    corner = colour_at(plan.grab().toImage(), 5, 5)
    assert tuple(corner) == (BACKGROUND.red(), BACKGROUND.green(), BACKGROUND.blue())


def test_a_read_that_fails_later_keeps_the_plan_up(qtbot, photo_site, monkeypatch):
    from zacviz.io import imagery
    from zacviz.io.site_folder import load_site
    from zacviz.kiosk.canvas import TouchPlan
    from zacviz.kiosk.theme import Theme

    site = load_site(photo_site)
    plan = TouchPlan(site, Theme(unit=1.0, dpi=96.0))
    qtbot.addWidget(plan)

    def broken(self, *a, **k):
        raise OSError("disk gone")

    monkeypatch.setattr(imagery.Imagery, "read", broken)
    plan.resize(500, 300)
    plan.set_state(site.lot("A1"), None, frozenset(), None)
    plan.show()
    plan.grab()
    plan.aerial.wait()
    assert plan.aerial.version == 0
    plan.grab()  # still draws


def test_a_large_picture_comes_after_a_quick_preview(qtbot, photo_site, monkeypatch):
    from zacviz.io.site_folder import load_site
    from zacviz.kiosk import aerial as aerial_module
    from zacviz.kiosk.canvas import SiteMap
    from zacviz.kiosk.theme import Theme

    monkeypatch.setattr(aerial_module, "PREVIEW_ABOVE_PX", 100_000)  # 600 × 400 counts as large
    site = load_site(photo_site)
    m = SiteMap(site, Theme(unit=1.0, dpi=96.0))
    qtbot.addWidget(m)
    m.resize(600, 400)
    m.show()
    qtbot.waitExposed(m)
    sizes = []
    m.aerial.changed.connect(lambda: sizes.append(m.aerial._picture[1].width()))
    m.grab()
    m.aerial.wait()
    qtbot.waitUntil(lambda: len(sizes) == 2, timeout=5000)
    assert sizes == [150, 600]  # the preview, then the sharp picture
    m.grab()
    m.aerial.wait()
    assert m.aerial.reads == 1 and sizes == [150, 600]  # nothing read again for the same view
