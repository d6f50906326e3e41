"""Surfaces stacked on the ground: drawn from the top layer down, each pixel
once, they give the picture of drawing them in order (Xvfb)."""

from __future__ import annotations

import math
import os

import numpy as np
import pytest

from tests.ui.conftest import VIEW_3D_SIZE as SIZE
from zacviz.geometry import palette
from zacviz.geometry.sun import SunPosition
from zacviz.model.project import Building, PolygonFootprint, Project, RectFootprint, Surface

pytestmark = pytest.mark.gl

if os.environ.get("QT_QPA_PLATFORM") in ("offscreen", "minimal"):
    pytest.skip(
        "GL tests run in a process of their own: ZACVIZ_GL_TESTS=1 pytest -m gl", allow_module_level=True
    )


@pytest.fixture
def site(tmp_path, make_site):
    from zacviz.io.site_folder import load_site

    return load_site(make_site(tmp_path))


def stacked(kit) -> Project:
    """Car parks with stall lines, turned over one another, a yard and a storage
    area over them, a concave car park, and a building whose shadow falls on them."""
    x, y = kit.X0 + 75, kit.Y0 + 60
    star = tuple(
        (
            x + (30.0 if k % 2 == 0 else 22.0) * math.cos(math.pi * k / 10),
            y + (30.0 if k % 2 == 0 else 22.0) * math.sin(math.pi * k / 10),
        )
        for k in range(20)
    )
    return Project(
        site=kit.SITE_ID,
        lot="A1",
        buildings=(Building("b1", "warehouse", 14.0, 1, "flat", RectFootprint(x - 45, y + 30, 20, 14, 0.0)),),
        surfaces=(
            Surface("p1", "parking", RectFootprint(x - 10, y, 60, 34, 0.0)),
            Surface("p2", "parking", RectFootprint(x, y + 5, 60, 34, 25.0)),
            Surface("y1", "yard", RectFootprint(x - 20, y - 5, 18, 18, 10.0)),
            Surface("p3", "parking", PolygonFootprint(star)),
            Surface("s1", "storage", RectFootprint(x + 10, y - 10, 14, 9, 0.0)),
        ),
    )


def test_stacked_surfaces_and_the_shadows_on_them_look_as_drawn_in_order(view, kit):
    from PySide6 import QtGui

    p = stacked(kit)
    view.set_project(p)
    view.set_sun(SunPosition(300.0, 25.0))  # the building's shadow reaches over the car parks
    cx, cy = view.to_scene(kit.X0 + 70, kit.Y0 + 60)
    view.setCameraPosition(pos=QtGui.QVector3D(cx, cy, 0), distance=140, elevation=60, azimuth=-100)
    layer = view.surfaces_layer
    assert layer.mode == "ground_top"
    # A paving and a lines layer for each car park, a paving for the others.
    assert len(layer._layer_starts) == 2 * 3 + 2
    top_first = view.render_image(SIZE)
    layer.mode = "ground"  # every triangle in order, blended over the ones before
    in_order = view.render_image(SIZE)
    np.testing.assert_array_equal(top_first, in_order)
    if os.environ.get("ZACVIZ_SAVE_PICTURE"):
        from PIL import Image

        Image.fromarray(top_first[..., :3]).save(os.environ["ZACVIZ_SAVE_PICTURE"])

    # The picture holds what the check needs: the storage area over the car parks,
    # stall lines, the shadow over both.
    def count(color) -> int:
        rgb = np.asarray(np.round(np.asarray(color[:3]) * 255), dtype=int)
        return int((np.abs(top_first[..., :3].astype(int) - rgb).max(axis=2) <= 2).sum())

    assert count(palette.surface_color("storage")) > 500
    assert count(palette.surface_color("yard")) > 200  # partly under the concave car park
    assert count(palette.STALL_LINE_COLOR) > 500
    shadowed = tuple(
        (1 - palette.SHADOW_COLOR[3]) * c + palette.SHADOW_COLOR[3] * s
        for c, s in zip(palette.surface_color("parking")[:3], palette.SHADOW_COLOR[:3])
    )
    assert count(shadowed) > 200  # the shadow on the asphalt, blended once

    # Drawn in the reverse order, the first car park would lie on top: not the same picture.
    layer.set_triangles(*_reversed(layer))
    layer.mode = "ground"
    assert (np.abs(view.render_image(SIZE).astype(int) - top_first).max(axis=2) > 20).sum() > 500


def _reversed(layer):
    tris, _, colors = layer.vertex_data
    return tris.reshape(-1, 3, 3)[::-1], colors.reshape(-1, 3, 4)[::-1].reshape(-1, 4)


def test_without_layers_the_top_mode_draws_in_order(view, kit):
    """Triangles set without their layers (no painter's order known) are drawn
    as they come."""
    p = stacked(kit)
    view.set_project(p)
    view.set_sun(SunPosition(135.0, 25.0))
    view.lot_view(view.site.lot("A1"))
    with_layers = view.render_image(SIZE)
    tris, _, colors = view.surfaces_layer.vertex_data
    view.surfaces_layer.set_triangles(tris.reshape(-1, 3, 3), colors)
    assert view.surfaces_layer._layer_starts is None
    np.testing.assert_array_equal(view.render_image(SIZE), with_layers)


def test_the_picture_checks_for_the_failing_ids_alone(site, kit, tmp_path, qapp, monkeypatch):
    """render_3d tints the buildings the check names, from a check that makes no
    geometry at fault (it draws none)."""
    from PIL import Image

    import zacviz.rules.engine
    from zacviz.ui.render3d import render_3d

    checks = []
    check = zacviz.rules.engine.check_project

    def recorded(*args, **kwargs):
        checks.append(kwargs.get("at_fault", True))
        return check(*args, **kwargs)

    monkeypatch.setattr(zacviz.rules.engine, "check_project", recorded)
    b = Building(
        "b1", "workshop", 10.0, 2, "sawtooth", RectFootprint(kit.X0 + 50, kit.Y0 + 45, 30.0, 20.0, 0.0)
    )
    p = Project(site=kit.SITE_ID, lot="A1", buildings=(b,))  # no parking for it: it fails
    workshop = np.array(palette.use_color("workshop")[:3]) * 255

    def near_workshop(png) -> int:
        with Image.open(png) as im:
            px = np.asarray(im.convert("RGB")).astype(int)
        return int((np.abs(px - workshop).max(axis=2) < 60).sum())

    plain = near_workshop(render_3d(p, site, tmp_path / "p.png", size=(400, 250), failing_ids=()))
    assert plain > 300 and checks == []
    tinted = near_workshop(render_3d(p, site, tmp_path / "q.png", size=(400, 250)))
    assert checks == [False]
    assert tinted < plain / 4
