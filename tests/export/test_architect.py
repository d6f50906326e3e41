"""Exports for the architect: CityJSON that validates, GeoJSON that lands in the
right place, a GLB with every building, all from one registry and one command.

CityJSON is validated with ``cityjson-lib`` (the CityJSON 2.0 reader of the
cityjson.org maintainers, from PyPI: it refuses unknown object and geometry
types, bad nesting, out-of-range vertex indices, dangling children), then
checked for what a reader does not check: integer vertices under a transform,
no duplicate or unused vertices, and closed, outward-facing LoD1 shells whose
volume is footprint × height.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import shapely
import trimesh
from shapely.geometry import Polygon

from zacviz.cli import main
from zacviz.export.architect import EXPORTERS, build_architect_model, export_project
from zacviz.geometry.footprint import footprint_polygon
from zacviz.io.geojson import read_features
from zacviz.io.project_file import load_project
from zacviz.io.site_folder import find_site, load_site

cityjson_lib = pytest.importorskip("cityjson_lib")

ROOT = Path(__file__).resolve().parents[2]
FAILING = ROOT / "examples" / "entrepot-non-conforme.zacviz.json"


@pytest.fixture(scope="module")
def site():
    return load_site(find_site("belle-assise"))


@pytest.fixture(scope="module")
def project():
    return load_project(FAILING)


@pytest.fixture(scope="module")
def model(project, site):
    return build_architect_model(project, site)


def test_registry_holds_the_three_formats():
    assert set(EXPORTERS) == {"glb", "geojson", "cityjson"}
    assert {e.suffix for e in EXPORTERS.values()} == {".glb", ".geojson", ".city.json"}


def test_model_has_the_project_and_the_buildings_around_the_lot(model, project, site):
    assert [v.id for v in model.buildings] == [b.id for b in project.buildings]
    assert 0 < len(model.context) <= len(site.context)
    assert model.lot.id == "B3"


# ------------------------------------------------------------------ CityJSON


def _shell_checks(shell: list, vertices: np.ndarray) -> float:
    """Closed and consistently oriented (each directed edge once, its reverse once);
    returns the signed volume (positive when the faces look outward)."""
    edges: Counter = Counter()
    volume = 0.0
    for surface in shell:
        for ring in surface:
            assert len(ring) >= 3 and len(set(ring)) == len(ring)
            for a, b in zip(ring, ring[1:] + ring[:1]):
                edges[(a, b)] += 1
        # Signed volume by the divergence theorem, over a fan of the exterior ring.
        outer = vertices[surface[0]]
        for i in range(1, len(outer) - 1):
            volume += np.dot(outer[0], np.cross(outer[i], outer[i + 1])) / 6.0
        # Holes take away from the face: their fans run the other way.
        for hole in surface[1:]:
            pts = vertices[hole]
            for i in range(1, len(pts) - 1):
                volume += np.dot(pts[0], np.cross(pts[i], pts[i + 1])) / 6.0
    for (a, b), n in edges.items():
        assert n == 1, f"edge {a}->{b} used {n} times"
        assert edges.get((b, a)) == 1, f"edge {a}->{b} has no twin: the shell is open or flipped"
    return volume


def test_cityjson_validates_and_is_a_sound_lod1_model(tmp_path, project, site, model):
    out = export_project("cityjson", project, site, tmp_path / "b3.city.json")
    raw = out.read_bytes()
    summary = cityjson_lib.CityModel.parse_document_bytes(raw).summary()
    assert summary.version == cityjson_lib.Version.V2_0
    assert summary.cityobject_count == len(model.buildings) + len(model.context)
    assert summary.has_transform and summary.has_metadata

    doc = json.loads(raw)
    assert doc["metadata"]["referenceSystem"] == "https://www.opengis.net/def/crs/EPSG/0/2154"
    ints = doc["vertices"]
    assert all(isinstance(c, int) for v in ints for c in v)
    assert len({tuple(v) for v in ints}) == len(ints), "duplicate vertices"
    scale = np.array(doc["transform"]["scale"])
    translate = np.array(doc["transform"]["translate"])
    vertices = np.array(ints, dtype=float) * scale + translate
    used = set()
    for key, obj in doc["CityObjects"].items():
        assert obj["type"] == "Building"
        (geom,) = obj["geometry"]
        assert geom["type"] == "Solid" and geom["lod"] == "1"
        (shell,) = geom["boundaries"]
        used |= {i for surface in shell for ring in surface for i in ring}
        kinds = [geom["semantics"]["surfaces"][k]["type"] for k in geom["semantics"]["values"][0]]
        assert kinds.count("GroundSurface") == 1 and kinds.count("RoofSurface") == 1
        assert len(kinds) == len(shell)
        volume = _shell_checks(shell, vertices)
        height = obj["attributes"]["measuredHeight"]
        zs = vertices[[i for s in shell for r in s for i in r], 2]
        assert zs.min() == pytest.approx(0.0) and zs.max() == pytest.approx(height, abs=1e-3)
        if key.startswith("project-"):
            b = project.item(key.removeprefix("project-"))
            area = footprint_polygon(b.footprint).area
            assert height == b.height_m
            assert volume == pytest.approx(area * b.height_m, rel=1e-4)
            assert obj["attributes"]["zacviz_lot"] == "B3"
    assert used == set(range(len(ints))), "unused vertices"
    assert {k for k in doc["CityObjects"] if k.startswith("project-")} == {"project-b1", "project-b2"}


def test_the_validator_does_refuse_a_broken_model(tmp_path, project, site):
    # The check above is only worth something if the reader refuses bad files.
    doc = json.loads(export_project("cityjson", project, site, tmp_path / "b3.city.json").read_text())
    doc["CityObjects"]["project-b1"]["geometry"][0]["boundaries"][0][0][0][0] = len(doc["vertices"]) + 5
    with pytest.raises(Exception, match="out of range"):
        cityjson_lib.CityModel.parse_document_bytes(json.dumps(doc, ensure_ascii=False).encode())
    doc = json.loads((tmp_path / "b3.city.json").read_text())
    doc["CityObjects"]["project-b1"]["type"] = "Batiment"
    with pytest.raises(Exception, match="CityObject type"):
        cityjson_lib.CityModel.parse_document_bytes(json.dumps(doc, ensure_ascii=False).encode())


def test_cityjson_solid_of_a_footprint_with_a_courtyard(tmp_path):
    from zacviz.export.architect import _Vertices, lod1_solid

    ring = Polygon([(0, 0), (30, 0), (30, 20), (0, 20)], holes=[[(10, 5), (20, 5), (20, 15), (10, 15)]])
    vertex = _Vertices((0.0, 0.0, 0.0))
    (shell,), kinds = lod1_solid(ring, 6.0, vertex)
    vertices = np.array(vertex.items, dtype=float) * 0.001
    assert _shell_checks(shell, vertices) == pytest.approx(ring.area * 6.0)
    assert kinds.count(2) == 8  # four outer and four inner walls


# ------------------------------------------------------------------- GeoJSON


def test_geojson_reads_back_in_the_site_crs_with_the_right_areas(tmp_path, project, site):
    out = export_project("geojson", project, site, tmp_path / "b3.geojson")
    doc = json.loads(out.read_text())
    assert doc["crs"] == {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}}
    features = read_features(out, site.crs)  # would reproject if the declared CRS differed
    by_id = {f.id: f for f in features}
    lot = site.lot("B3")
    assert by_id["lot:B3"].geometry.area == pytest.approx(lot.area_m2, abs=0.05)
    assert by_id["lot:B3"].geometry.hausdorff_distance(lot.polygon) < 1e-3
    for b in project.buildings:
        f = by_id[f"building:{b.id}"]
        expected = footprint_polygon(b.footprint)
        assert f.geometry.area == pytest.approx(expected.area, abs=expected.length * 1e-3)
        assert f.geometry.hausdorff_distance(expected) < 1e-3  # written to the millimetre
        assert f.properties["height_m"] == b.height_m
        assert f.properties["storeys"] == b.storeys
    for s in project.surfaces:
        assert by_id[f"surface:{s.id}"].properties["kind"] == s.kind
    existing = [f for f in features if f.properties["role"] == "existing_building"]
    assert existing and all(f.properties["height_m"] > 0 for f in existing)
    # In geographic coordinates the lot is in Breteuil (Oise), where QGIS will put it.
    lon, lat = read_features(out, "OGC:CRS84")[0].geometry.centroid.coords[0]
    assert 2.2 < lon < 2.4 and 49.5 < lat < 49.7


# ----------------------------------------------------------------------- GLB


def test_glb_loads_back_with_every_building_in_place(tmp_path, project, site, model):
    out = export_project("glb", project, site, tmp_path / "b3.glb")
    scene = trimesh.load(out, file_type="glb")
    assert isinstance(scene, trimesh.Scene)
    names = scene.graph.nodes_geometry
    buildings = sorted(n for n in names if n.startswith("building:"))
    assert buildings == ["building:b1", "building:b2"]
    assert sum(n.startswith("existing:") for n in names) == len(model.context)
    assert "lot:B3" in names and "surface:s1" in names
    meta = scene.metadata
    assert meta["crs"] == "EPSG:2154" and meta["up_axis"] == "Y"
    origin = np.array([meta["origin_east_m"], meta["origin_north_m"]])
    for b in project.buildings:
        mesh = scene.geometry[f"building:{b.id}"]
        transform, _ = scene.graph[f"building:{b.id}"]
        v = trimesh.transformations.transform_points(mesh.vertices, transform)
        # Y up: the top is the building's height; east is x, north is -z.
        assert v[:, 1].min() == pytest.approx(0.0, abs=1e-3)
        assert v[:, 1].max() == pytest.approx(b.height_m, abs=1e-3)
        fp = footprint_polygon(b.footprint)
        ground = shapely.MultiPoint(np.column_stack([v[:, 0] + origin[0], -v[:, 2] + origin[1]]))
        assert ground.convex_hull.symmetric_difference(fp.convex_hull).area < 0.5


# ---------------------------------------------------------------- command line


def test_export_command(tmp_path, capsys):
    out = tmp_path / "b3.geojson"
    assert main(["export", str(FAILING), "--format", "geojson", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"ok: {out}"
    assert json.loads(out.read_text())["type"] == "FeatureCollection"


def test_export_command_refuses_an_unknown_format(tmp_path, capsys):
    assert main(["export", str(FAILING), "--format", "dwg", "--out", str(tmp_path / "x.dwg")]) == 2
    assert capsys.readouterr().err.startswith("error:")
