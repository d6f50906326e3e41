"""The 3D view draws what it should: pixel checks on real OpenGL (Xvfb)."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from tests.ui.conftest import VIEW_3D_SIZE as SIZE
from zacviz.geometry import palette
from zacviz.geometry.sun import SunPosition
from zacviz.io.site_folder import load_site
from zacviz.model.project import Building, Project, RectFootprint

pytestmark = pytest.mark.gl

if os.environ.get("QT_QPA_PLATFORM") in ("offscreen", "minimal"):
    # pyqtgraph.opengl draws nothing there (no QOpenGLWidget): these tests need Xvfb.
    pytest.skip(
        "GL tests run in a process of their own: ZACVIZ_GL_TESTS=1 pytest -m gl", allow_module_level=True
    )


GROUND = (200, 60, 200)  # a magenta aerial image: nothing else in the scene has that colour


@pytest.fixture
def site(tmp_path, make_site, kit):
    folder = make_site(
        tmp_path,
        site_extra={"imagery": "ortho.tif"},
        context=[
            kit.feature(
                {
                    "type": "Polygon",
                    "coordinates": [kit.ring(kit.box(kit.X0 + 130, kit.Y0 + 30, kit.X0 + 160, kit.Y0 + 60))],
                },
                {"height_m": 10.0},
            ),
        ],
    )
    data = np.empty((3, 200, 400), dtype=np.uint8)
    data[:] = np.array(GROUND, dtype=np.uint8)[:, None, None]
    with rasterio.open(
        folder / "ortho.tif",
        "w",
        driver="GTiff",
        width=400,
        height=200,
        count=3,
        dtype="uint8",
        crs="EPSG:2154",
        transform=from_origin(kit.X0 - 100, kit.Y0 + 150, 1.0, 1.0),
    ) as ds:
        ds.write(data)
    return load_site(folder)


def project(kit, height=10.0, roof="flat", use="office"):
    b = Building("b1", use, height, 2, roof, RectFootprint(kit.X0 + 50, kit.Y0 + 45, 30.0, 20.0, 0.0))
    return Project(site=kit.SITE_ID, lot="A1", buildings=(b,))


def top_down(view, kit, distance=260.0):
    """Straight down on lot A1's centre, north up."""
    from PySide6 import QtGui

    cx, cy = view.to_scene(kit.X0 + 50, kit.Y0 + 45)
    view.setCameraPosition(pos=QtGui.QVector3D(cx, cy, 0), distance=distance, elevation=90, azimuth=-90)


def pixel(view, img, kit, x, y, z=0.0):
    sx, sy = view.to_scene(kit.X0 + x, kit.Y0 + y)
    col, row = view.scene_to_pixel(sx, sy, z, SIZE)
    return img[int(row), int(col), :3].astype(int)


def is_ground(rgb):
    return np.abs(rgb - GROUND).max() <= 12


def test_ground_image_lots_and_buildings_are_drawn(view, kit):
    view.set_project(project(kit), failing_ids=())
    view.set_sun(SunPosition(180.0, 89.0))  # noon overhead: no shadow beside walls
    top_down(view, kit)
    img = view.render_image(SIZE)
    assert img.shape == (SIZE[1], SIZE[0], 4)
    assert is_ground(pixel(view, img, kit, 90, 10))  # aerial image on the lot
    assert is_ground(pixel(view, img, kit, -60, 100))  # ...and around it
    assert view.ground_image.texture_shape == (200, 400)  # 1 m/px: the image's own resolution
    roof = pixel(view, img, kit, 50, 45, 10.0)
    r, g, b = roof
    office = np.array(palette.use_color("office")[:3]) * 255
    assert b > g > r and np.abs(roof - office).max() < 90, roof
    # The lot outline (available: green) along the lot's west edge.
    edge = pixel(view, img, kit, 0, 40)
    assert edge[1] > edge[0] and edge[1] > edge[2]
    # The existing building, off-white.
    ctx = pixel(view, img, kit, 145, 45, 10.0)
    assert ctx.min() > 150 and not is_ground(ctx)


def test_failing_and_selected_buildings_are_tinted(view, kit):
    view.set_sun(SunPosition(180.0, 89.0))
    top_down(view, kit)
    view.set_project(project(kit))
    plain = pixel(view, view.render_image(SIZE), kit, 50, 45, 10.0)
    view.set_project(project(kit), failing_ids={"b1"})
    failing = pixel(view, view.render_image(SIZE), kit, 50, 45, 10.0)
    assert failing[0] > plain[0] + 40 and failing[2] < plain[2]
    view.set_selected("b1")
    img = view.render_image(SIZE)
    ring = pixel(view, img, kit, 50, 45 - 11.2)  # the highlight around the footprint
    assert ring[0] > 200 and ring[1] > 170 and ring[2] < 90


def test_a_taller_building_changes_the_picture(view, kit):
    view.set_project(project(kit, height=8.0))
    view.set_sun(datetime(2024, 6, 21, 17, 0, tzinfo=ZoneInfo("Europe/Paris")))
    view.lot_view(view.site.lot("A1"))
    low = view.render_image(SIZE)
    view.set_project(project(kit, height=14.0))
    high = view.render_image(SIZE)
    changed = np.abs(low[..., :3].astype(int) - high[..., :3]).max(axis=2) > 20
    assert changed.sum() > 500

    def top_row(img):
        """The highest picture row showing the (blue) office."""
        rgb = img[..., :3].astype(int)
        blue = (rgb[..., 2] > rgb[..., 1] + 20) & (rgb[..., 1] > rgb[..., 0]) & (rgb[..., 0] < 150)
        return np.nonzero(blue.any(axis=1))[0].min()

    assert top_row(high) < top_row(low) - 5  # the roof rose in the picture


@pytest.mark.parametrize(("azimuth", "dark_side", "lit_side"), [(90.0, -25.0, 25.0), (270.0, 25.0, -25.0)])
def test_shadows_fall_away_from_the_sun(view, kit, azimuth, dark_side, lit_side):
    # Sun 30° high in the east (shadow to the west) or the west (shadow to the east);
    # the 10 m building casts a 17 m shadow from its wall, 15 m from its centre.
    view.set_project(project(kit, height=10.0))
    view.set_sun(SunPosition(azimuth, 30.0))
    top_down(view, kit)
    img = view.render_image(SIZE)
    shadowed = pixel(view, img, kit, 50 + dark_side, 45)
    sunny = pixel(view, img, kit, 50 + lit_side, 45)
    assert is_ground(sunny)
    assert shadowed.sum() < 0.75 * sunny.sum()
    # Beyond the shadow's length, the ground is lit again.
    assert is_ground(pixel(view, img, kit, 50 + np.sign(dark_side) * 35, 45))


def test_night_has_no_shadows_and_update_reuses_volumes(view, kit):
    from zacviz.geometry.volumes import building_mesh

    p = project(kit, roof="gable")
    view.set_project(p)
    mesh = building_mesh(p.buildings[0], view.origin)
    view.set_sun(SunPosition(0.0, -10.0))
    assert view.shadow_layer.triangle_count == 0
    view.set_sun(SunPosition(200.0, 40.0))
    assert view.shadow_layer.triangle_count > 0
    moved = replace(p, buildings=(replace(p.buildings[0], height_m=12.0),))
    view.set_project(moved)
    assert building_mesh(p.buildings[0], view.origin) is mesh  # cached, not rebuilt
    assert view.buildings_layer.triangle_count == len(building_mesh(moved.buildings[0], view.origin).faces)


def test_cameras_and_sun_control(view, kit, qtbot):
    from zacviz.ui.view3d import SunControl

    lot = view.site.lot("A1")
    view.pedestrian(lot)
    eye = view.cameraPosition()
    assert eye.z() == pytest.approx(1.7, abs=0.01)
    sy = eye.y() + view.origin[1]
    assert sy < kit.Y0  # standing on the road, south of the lot
    view.orbit_lot(lot)
    assert view._orbit_timer.isActive()
    view.overview()
    assert not view._orbit_timer.isActive()
    img = view.render_image(SIZE)
    assert (np.abs(img[..., :3].astype(int) - GROUND).max(axis=2) <= 12).mean() > 0.2

    control = SunControl(datetime(2024, 3, 20, 9, 0, tzinfo=ZoneInfo("Europe/Paris")))
    qtbot.addWidget(control)
    control.changed.connect(view.set_sun)
    with qtbot.waitSignal(control.changed) as sig:
        control.slider.setValue(control.slider.value() + 12)  # +3 h
    when = sig.args[0]
    assert (when.hour, when.minute, when.tzinfo.key) == (12, 0, "Europe/Paris")
    assert view.sun_time == when
    assert 160 < view.sun.azimuth_deg < 200


def test_render_3d_writes_a_png(site, kit, tmp_path, qapp):
    from PIL import Image

    from zacviz.ui.render3d import render_3d

    p = project(kit, roof="sawtooth", use="workshop")
    out = render_3d(p, site, tmp_path / "p.png", size=(400, 250), failing_ids=())
    with Image.open(out) as im:
        assert im.size == (400, 250)
        px = np.asarray(im.convert("RGB")).astype(int)
    workshop = np.array(palette.use_color("workshop")[:3]) * 255
    near = np.abs(px - workshop).max(axis=2) < 60
    assert near.sum() > 300  # the building is there, in its use colour
    assert (np.abs(px - GROUND).max(axis=2) <= 12).mean() > 0.3
    # By default the buildings the rule check names are tinted (no parking here).
    render_3d(p, site, tmp_path / "q.png", size=(400, 250))
    with Image.open(tmp_path / "q.png") as im:
        tinted = np.asarray(im.convert("RGB")).astype(int)
    assert (np.abs(tinted - workshop).max(axis=2) < 60).sum() < near.sum() / 4


def test_the_projects_lot_gets_a_finer_ground_texture(site, kit, qtbot):
    from zacviz.ui.view3d import View3D

    # A coarse site texture (64 px for the whole image), a detailed one for the lot.
    v = View3D(site, texture_px=64)
    qtbot.addWidget(v)
    v.resize(*SIZE)
    v.show()
    qtbot.waitExposed(v)
    v.set_envelope_visible(False)
    assert max(v.ground_image.texture_shape) == 64
    assert not v.ground_detail.visible()
    v.set_project(project(kit))
    assert v.ground_detail.visible()
    rows, cols = v.ground_detail.texture_shape
    # Lot A1 and 90 m around it, clipped to the image, at the image's own 1 m/px.
    minx, miny, maxx, maxy = v.site.lot("A1").polygon.bounds
    assert cols == round(min(maxx + 90, kit.X0 + 300) - max(minx - 90, kit.X0 - 100))
    assert rows == round(min(maxy + 90, kit.Y0 + 150) - max(miny - 90, kit.Y0 - 50))
    # Seen from above, the lot shows the image colour sharply; no project: no detail.
    top_down(v, kit, distance=120.0)
    assert is_ground(pixel(v, v.render_image(SIZE), kit, 20, 20))
    v.set_project(None)
    assert not v.ground_detail.visible()


def test_surfaces_lie_on_the_ground_with_their_stall_lines(view, kit):
    from zacviz.model.project import Surface

    parking = Surface("s1", "parking", RectFootprint(kit.X0 + 50, kit.Y0 + 15, 30.0, 16.0, 0.0))
    p = replace(project(kit), surfaces=(parking,))
    view.set_sun(SunPosition(180.0, 89.0))
    top_down(view, kit, distance=120.0)
    view.set_project(project(kit))
    bare = view.surfaces_layer.triangle_count
    view.set_project(p)
    assert bare == 0 and view.surfaces_layer.triangle_count > 2
    img = view.render_image(SIZE)
    # Inside the car park: asphalt grey or a white stall line, never the (magenta) image.
    samples = [pixel(view, img, kit, 50 + dx, 15 + dy) for dx in (-10, -3, 4, 11) for dy in (-5, 0, 5)]
    assert not any(is_ground(rgb) for rgb in samples)
    greys = [rgb for rgb in samples if np.ptp(rgb) < 30]
    assert len(greys) == len(samples)  # asphalt and white lines are both neutral
    assert any(rgb.mean() > 200 for rgb in samples) or any(rgb.mean() < 130 for rgb in samples)
    assert is_ground(pixel(view, img, kit, 50, 15 + 14))  # beyond its edge, the image again


def screen_frame(view) -> np.ndarray:
    """The view drawn as on screen (its own framebuffer, not an offscreen picture), RGB."""
    from PySide6 import QtGui

    img = view.grabFramebuffer().convertToFormat(QtGui.QImage.Format.Format_RGB888)
    w, h, stride = img.width(), img.height(), img.bytesPerLine()
    return np.frombuffer(img.constBits(), np.uint8).reshape(h, stride)[:, : 3 * w].reshape(h, w, 3).copy()


def test_the_ground_is_blitted_from_its_cache_while_the_camera_rests(view, kit):
    cache = view._ground_cache
    view.set_project(project(kit, height=8.0))
    view.set_sun(SunPosition(200.0, 40.0))
    view.lot_view(view.site.lot("A1"))
    direct = screen_frame(view)  # a new camera: the ground is drawn directly
    fills = cache.fills
    cached = screen_frame(view)  # the second frame in a row: cache filled, then copied
    assert cache.fills == fills + 1
    assert np.array_equal(screen_frame(view), cached) and cache.fills == fills + 1  # copied, not redrawn
    assert np.abs(direct.astype(int) - cached).max() <= 2
    assert is_ground(cached[SIZE[1] - 5, SIZE[0] // 2])  # the aerial image is there

    # An edit or a sun step keeps the cached ground: only what stands on it is drawn again.
    view.set_project(project(kit, height=14.0))
    view.set_sun(SunPosition(140.0, 35.0))
    edited = screen_frame(view)
    assert cache.fills == fills + 1
    assert (np.abs(edited.astype(int) - cached).max(axis=2) > 20).sum() > 500
    view.ground_cache_enabled = False
    assert np.abs(screen_frame(view).astype(int) - edited).max() <= 2  # as drawn without the cache
    view.ground_cache_enabled = True

    # At night the ground darkens: its key changed, it is drawn again.
    view.set_sun(SunPosition(0.0, -10.0))
    night = screen_frame(view)
    assert night[SIZE[1] - 5, SIZE[0] // 2].sum() < 0.7 * cached[SIZE[1] - 5, SIZE[0] // 2].sum()
    screen_frame(view)
    assert cache.fills == fills + 2
    # An orbit step draws directly: it never pays for a cache it would not reuse.
    view.orbit(2.0, 0.0)
    screen_frame(view)
    assert cache.fills == fills + 2


def test_ground_pixels_are_not_kept_once_uploaded_and_come_back_in_a_new_context(view, kit):
    view.set_project(project(kit))
    view.set_sun(SunPosition(180.0, 89.0))
    top_down(view, kit)
    assert view.ground_detail.holds_pixels  # read for the lot, not drawn yet
    first = screen_frame(view)
    assert not view.ground_image.holds_pixels and not view.ground_detail.holds_pixels
    assert view.ground_detail.texture_shape is not None
    # A new GL context (the pane moved to another window): the textures are read again.
    reads = []
    source = view.ground_image._source
    view.ground_image._source = lambda: reads.append(1) or source()
    view.ground_image._gl.ctx = None  # as if the program belonged to a context gone since
    view.ground_cache_enabled = False
    again = screen_frame(view)
    for frame in (first, again):  # the (magenta) aerial image under most of the view
        assert (np.abs(frame.astype(int) - GROUND).max(axis=2) <= 12).mean() > 0.3
    assert reads and not view.ground_image.holds_pixels
