"""Fixtures of the editor's tests: a small site folder built here, offscreen Qt.

The site is three lots (available, reserved, sold) along a road, an existing
building, and a small GeoTIFF with overviews whose colours are known, so that
pictures can be checked pixel by pixel.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

# Qt picks its platform once per process. Widget tests run offscreen; the GL
# tests (marked `gl`) need a real X server, which pytest-xvfb provides, so they
# run in a process of their own: ZACVIZ_GL_TESTS=1 pytest -m gl.
if not os.environ.get("ZACVIZ_GL_TESTS"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest

X0, Y0 = 650_000.0, 6_860_000.0
CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}}
# Imagery: 1 m pixels, 100 m of margin around the site.
IMG_BOX = (X0 - 100.0, Y0 - 100.0, X0 + 500.0, Y0 + 300.0)
IMG_RGB = (70, 90, 60)

SITE_TOML = """\
[site]
id = "test-park"
name = "Parc d'essai"
crs = "EPSG:2154"
imagery = "ortho.tif"
lots = "lots.geojson"
roads = "roads.geojson"
context = "context.geojson"

[zones.UE]
max_coverage = 0.60
max_height_m = 15.0
min_setback_road_m = 10.0
min_setback_side_m = 5.0
side_setback_height_ratio = 0.5
min_building_spacing_m = 6.0
min_green_ratio = 0.15
[zones.UE.parking_m2_per_stall]
office = 40
workshop = 100
warehouse = 250
retail = 30
"""


def _square(x0: float, y0: float, x1: float, y1: float) -> list:
    return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]


def _collection(features: list) -> dict:
    return {"type": "FeatureCollection", "crs": CRS, "features": features}


def _feature(coords: list, **props) -> dict:
    return {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": coords}}


def write_site(folder: Path, write_geotiff) -> Path:
    """Write the test site into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    lots = [
        _feature(
            _square(X0, Y0, X0 + 150, Y0 + 120), id="A1", zone="UE", status="available", price_eur_m2=35
        ),
        _feature(_square(X0 + 150, Y0, X0 + 300, Y0 + 120), id="A2", zone="UE", status="reserved"),
        _feature(_square(X0 + 300, Y0, X0 + 400, Y0 + 120), id="A3", zone="UE", status="sold"),
        _feature(
            _square(X0, Y0 + 140, X0 + 200, Y0 + 220), id="B1", zone="UE", status="available", name="Lot B1"
        ),
    ]
    roads = [
        _feature(_square(X0 - 50, Y0 - 20, X0 + 450, Y0), id="r1", name="Rue des Artisans"),
        _feature(_square(X0 - 50, Y0 + 120, X0 + 450, Y0 + 140), id="r2", name="Allée des Tilleuls"),
    ]
    context = [_feature(_square(X0 + 330, Y0 + 30, X0 + 370, Y0 + 80), id="c1", height_m=8.0)]
    for name, feats in (("lots", lots), ("roads", roads), ("context", context)):
        (folder / f"{name}.geojson").write_text(json.dumps(_collection(feats)), encoding="utf-8")
    write_ortho(folder / "ortho.tif", write_geotiff)
    return folder


def write_ortho(path: Path, write_geotiff) -> None:
    x0, y0, x1, y1 = IMG_BOX
    data = np.empty((3, int(y1 - y0), int(x1 - x0)), np.uint8)
    data[:] = np.array(IMG_RGB, np.uint8)[:, None, None]
    write_geotiff(path, data, x0, y1, 1.0, overviews=(2, 4), resampling="average")


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory, kit) -> Path:
    return write_site(tmp_path_factory.mktemp("site") / "test-park", kit.write_geotiff)


@pytest.fixture(scope="session")
def site(site_dir):
    from zacviz.io.site_folder import load_site

    return load_site(site_dir)


@pytest.fixture
def editor(qtbot, site_dir, tmp_path):
    """A built editor window on the test site, with its own settings and data folder."""
    from PySide6.QtCore import QSettings

    from zacviz import i18n
    from zacviz.app import build_editor

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    ed = build_editor(
        None, site_dir, settings=settings, user_dir=tmp_path / "data", lang="fr", install_excepthook=False
    )
    w = ed.window
    # pytest-qt closes the window before this fixture's teardown: never block on a dialog.
    from PySide6.QtWidgets import QMessageBox

    w.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    w.ask_restore = lambda: False
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    yield ed
    w.doc.clean_index = len(w.doc.undo_stack)  # no "save changes?" on teardown
    w.plan.shutdown()
    ed.language.set("fr")
    i18n.set_language("fr")


@pytest.fixture
def with_project(editor):
    """The editor with the warehouse template laid out on lot A1, zoomed on it."""
    w = editor.window
    w.start_project("A1")
    w.apply_template("warehouse")
    w.plan.zoom_to_lot("A1")
    w.act_snap.setChecked(False)  # exact figures; snapping has its own test
    return editor


@pytest.fixture
def render_3d_cli(tmp_path, site_dir, site):
    """Run ``zacviz render --view 3d`` on an offices template of lot A1 in a child
    process whose environment drops ``unset``; returns (process, picture or None)."""
    import subprocess
    import sys

    from PIL import Image

    from zacviz.design.templates import apply_template
    from zacviz.io.project_file import save_project

    project = tmp_path / "p.zacviz.json"
    save_project(apply_template(site, site.lot("A1"), "offices"), project)
    out = tmp_path / "p.png"

    def run(unset: tuple[str, ...]):
        env = {k: v for k, v in os.environ.items() if k not in unset}
        env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
        cmd = [sys.executable, "-m", "zacviz", "render", str(project), "--view", "3d", "--out", str(out)]
        cmd += ["--size", "320x200", "--site", str(site_dir)]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        image = np.asarray(Image.open(out).convert("RGB")).astype(int) if out.exists() else None
        return proc, out, image

    return run


VIEW_3D_SIZE = (320, 240)


@pytest.fixture
def view(qtbot, site):
    """A shown 3D view of the requesting module's ``site`` (envelope hidden), VIEW_3D_SIZE pixels."""
    from zacviz.ui.view3d import View3D

    v = View3D(site)
    qtbot.addWidget(v)
    v.resize(*VIEW_3D_SIZE)
    v.show()
    qtbot.waitExposed(v)
    v.set_envelope_visible(False)
    return v
