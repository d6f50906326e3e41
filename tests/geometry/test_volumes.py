"""Building volumes: heights, roofs, orientation, scene origin and caching."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from zacviz.geometry import palette
from zacviz.geometry.footprint import footprint_polygon
from zacviz.geometry.lot import scene_origin
from zacviz.geometry.volumes import (
    GLAZING,
    ROOF,
    WALL,
    building_mesh,
    context_meshes,
)
from zacviz.io.site_folder import load_site
from zacviz.model.project import ROOFS, Building, PolygonFootprint, RectFootprint

ORIGIN = (649_000.0, 6_948_000.0)


def make(roof="flat", w=60.0, d=40.0, angle=15.0, h=12.0, use="warehouse", fp=None):
    fp = fp or RectFootprint(ORIGIN[0] + 50.0, ORIGIN[1] + 40.0, w, d, angle)
    return Building("b1", use, h, 1, roof, fp)


def parts(mesh, kind):
    return mesh.face_attributes["kind"] == kind


@pytest.mark.parametrize("roof", ROOFS)
@pytest.mark.parametrize("angle", [0.0, 15.0, 100.0, 230.0])
def test_every_roof_reaches_the_height_and_covers_the_footprint(roof, angle):
    b = make(roof, angle=angle)
    mesh = building_mesh(b, ORIGIN)
    assert mesh.bounds[1][2] == pytest.approx(12.0)
    assert mesh.bounds[0][2] == pytest.approx(0.0)
    # Footprint relative to the origin, seen from above: the roof covers it exactly.
    fp = shapely.transform(footprint_polygon(b.footprint), lambda xy: xy - ORIGIN)
    assert mesh.bounds[0][:2] == pytest.approx(fp.bounds[:2], abs=1e-6)
    roof_faces = parts(mesh, ROOF)
    normals = mesh.face_normals
    assert (normals[roof_faces][:, 2] > 0).all()
    projected = (mesh.area_faces[roof_faces] * normals[roof_faces][:, 2]).sum()
    assert projected == pytest.approx(fp.area, rel=1e-9)
    # Outer walls face out (a flat roof's parapet also has inner faces, facing in).
    walls = parts(mesh, WALL)
    centre = np.asarray(fp.centroid.coords[0])
    outward = ((mesh.triangles_center[walls][:, :2] - centre) * normals[walls][:, :2]).sum(axis=1)
    assert (outward > 0).sum() >= (walls.sum() // 2 if roof == "flat" else walls.sum())
    assert np.allclose(normals[walls][:, 2], 0.0, atol=1e-9)


def test_flat_roof_has_a_parapet_around_a_lower_deck():
    mesh = building_mesh(make("flat"), ORIGIN)
    z = mesh.triangles_center[parts(mesh, ROOF)][:, 2]
    assert set(np.round(z, 6)) == {11.0, 12.0}
    deck = mesh.area_faces[parts(mesh, ROOF)][np.isclose(z, 11.0)].sum()
    assert deck == pytest.approx((60 - 0.7) * (40 - 0.7))


def test_pitched_roofs_have_lower_eaves():
    gable = building_mesh(make("gable", angle=0.0), ORIGIN)
    roof_z = gable.vertices[gable.faces[parts(gable, ROOF)]].reshape(-1, 3)
    # Ridge along the longer side (x here), at mid-depth; eaves lower on both sides.
    ridge = roof_z[np.isclose(roof_z[:, 2], 12.0)]
    assert np.allclose(ridge[:, 1], 40.0)
    assert roof_z[:, 2].min() == pytest.approx(12.0 - 20.0 * math.tan(math.radians(15.0)))
    shed = building_mesh(make("shed", angle=0.0), ORIGIN)
    top = shed.vertices[np.isclose(shed.vertices[:, 2], 12.0)]
    assert np.allclose(top[:, 1], 60.0)  # high side to the north


def test_sawtooth_teeth_glaze_towards_the_north():
    mesh = building_mesh(make("sawtooth", angle=10.0), ORIGIN)
    glazing = parts(mesh, GLAZING)
    assert glazing.sum() == 2 * 3  # 40 m deep → 4 teeth → 3 inner glazed faces
    n = mesh.face_normals[glazing]
    assert (n[:, 1] > 0.9).all() and np.allclose(n[:, 2], 0.0)


def test_polygon_footprints_follow_their_longest_side():
    pts = ((0.0, 0.0), (50.0, 0.0), (50.0, 20.0), (20.0, 20.0), (20.0, 40.0), (0.0, 40.0))
    fp = PolygonFootprint(tuple((ORIGIN[0] + x, ORIGIN[1] + y) for x, y in pts))
    mesh = building_mesh(make("gable", fp=fp, h=10.0), ORIGIN)
    assert mesh.bounds.ravel() == pytest.approx([0, 0, 0, 50, 40, 10])
    roof_faces = parts(mesh, ROOF)
    projected = (mesh.area_faces[roof_faces] * mesh.face_normals[roof_faces][:, 2]).sum()
    assert projected == pytest.approx(50 * 20 + 20 * 20)


def test_meshes_are_cached_by_building_and_change_with_it():
    a = building_mesh(make(h=12.0), ORIGIN)
    assert building_mesh(make(h=12.0), ORIGIN) is a
    b = building_mesh(make(h=14.0), ORIGIN)
    assert b is not a and b.bounds[1][2] == pytest.approx(14.0)


def test_scene_origin_keeps_float32_precise(tmp_path, make_site, kit):
    context = [
        kit.feature(
            {
                "type": "Polygon",
                "coordinates": [kit.ring(kit.box(kit.X0 + 120, kit.Y0 + 20, kit.X0 + 150, kit.Y0 + 50))],
            },
            {"height_m": 9.5},
        ),
        kit.feature(
            {
                "type": "Polygon",
                "coordinates": [kit.ring(kit.box(kit.X0 + 160, kit.Y0 + 20, kit.X0 + 170, kit.Y0 + 30))],
            }
        ),
    ]
    site = load_site(make_site(tmp_path, context=context))
    origin = scene_origin(site)
    assert origin == (kit.X0 + 100.0, kit.Y0)
    mesh = context_meshes(site, origin)
    assert np.abs(mesh.vertices).max() < 200.0
    assert sorted(set(np.round(mesh.vertices[:, 2], 6))) == [0.0, 8.0, 9.5]  # 8 m by default
    # Centimetres survive the float32 buffers once the origin is subtracted.
    assert np.abs(mesh.vertices.astype(np.float32) - mesh.vertices).max() < 1e-4
    assert context_meshes(site, origin) is mesh


def test_palette_covers_every_use_and_status():
    from zacviz.model.project import USES
    from zacviz.model.site import LOT_STATUSES

    assert len({palette.use_color(u) for u in USES}) == len(USES)
    assert len({palette.lot_color(s) for s in LOT_STATUSES}) == len(LOT_STATUSES)
    base = palette.building_color("office")
    failing = palette.building_color("office", failing=True)
    assert failing[0] > base[0] and failing[2] < base[2]  # redder
    assert palette.rgba8((1.0, 0.5, 0.0, 1.0)) == (255, 128, 0, 255)
    assert palette.hex_rgb(palette.lot_color("sold")) == "#c0392b"


def test_a_footprint_with_a_courtyard_keeps_its_hole():
    from zacviz.geometry.volumes import flat_triangles, triangulate

    ring = shapely.Polygon([(0, 0), (30, 0), (30, 20), (0, 20)], [[(10, 5), (20, 5), (20, 15), (10, 15)]])
    verts, faces = triangulate(ring)
    tris = shapely.polygons(verts[faces])
    assert shapely.union_all(tris).symmetric_difference(ring).area < 1e-9
    assert sum(t.area for t in tris) == pytest.approx(30 * 20 - 10 * 10)
    up = flat_triangles(ring, 2.0)
    assert np.allclose(up[..., 2], 2.0)
    assert (np.cross(up[:, 1] - up[:, 0], up[:, 2] - up[:, 0])[:, 2] > 0).all()


def test_the_volumes_and_shadows_load_neither_trimesh_nor_scipy():
    import subprocess
    import sys

    code = (
        "import sys, zacviz.geometry.volumes, zacviz.geometry.shadows\n"
        "print(sorted(m for m in ('trimesh', 'scipy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_extrude_makes_a_closed_prism_holes_included():
    from zacviz.geometry.volumes import extrude

    ring = shapely.Polygon([(0, 0), (30, 0), (30, 20), (0, 20)], [[(10, 5), (20, 5), (20, 15), (10, 15)]])
    prism = extrude(ring, 2.0, 5.0)
    assert prism.is_closed
    assert prism.volume == pytest.approx(3.0 * ring.area)
    assert prism.bounds.ravel() == pytest.approx([0, 0, 2, 30, 20, 5])
    assert not extrude(shapely.Polygon(), 0.0, 1.0).is_closed
