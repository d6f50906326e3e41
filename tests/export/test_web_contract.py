"""The web export's data for the page's editor (the data contract with web/src):
templates laid out by Python for every available lot, close imagery of each
lot, the site's contact and address, the page weight."""

from __future__ import annotations

import base64
import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image
from shapely.geometry import box

from zacviz.design.templates import TEMPLATES, TemplateDoesNotFit, apply_template
from zacviz.errors import InputError
from zacviz.export.web import (
    CLOSE_MARGIN_M,
    Origin,
    build_close_imagery,
    build_web_data,
    close_imagery_window,
    write_web_export,
)
from zacviz.i18n import CATALOGUE
from zacviz.io.imagery import open_imagery
from zacviz.io.project_file import project_to_dict
from zacviz.io.site_folder import load_site

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(2)>\u2028"
LOT_SCRIPT = re.compile(
    r'\(window\.ZACVIZ_LOT_IMAGERY = window\.ZACVIZ_LOT_IMAGERY \|\| \{\}\)\[("(?:[^"\\]|\\.)*")\] = '
    r'("data:image/jpeg;base64,[A-Za-z0-9+/=]+");\n'
)


def read_global(path: Path, name: str):
    text = path.read_text(encoding="utf-8")
    prefix = f"window.{name} = "
    assert text.startswith(prefix) and text.endswith(";\n")
    return json.loads(text[len(prefix) : -2])


@pytest.fixture(scope="module")
def showcase(tmp_path_factory, belle_assise):
    return write_web_export(belle_assise, [], tmp_path_factory.mktemp("showcase"))


@pytest.fixture(scope="module")
def data(showcase):
    return read_global(showcase.folder / "data.js", "ZACVIZ_DATA")


# ------------------------------------------------------------------ shape


def test_templates_list_names_every_python_template_in_both_languages(data):
    assert [t["id"] for t in data["templates"]] == list(TEMPLATES)
    for template in data["templates"]:
        for key in ("label", "blurb"):
            assert set(template[key]) == {"fr", "en"}
            assert all(isinstance(v, str) and v for v in template[key].values())
    warehouse = data["templates"][0]
    assert warehouse["label"] == {"fr": "Entrepôt logistique", "en": "Logistics warehouse"}


def test_every_available_lot_carries_every_template_and_others_none(data):
    assert any(lot["status"] == "available" for lot in data["lots"])
    for lot in data["lots"]:
        if lot["status"] != "available":
            assert lot["templates"] is None and lot["close_imagery"] is None, lot["id"]
            continue
        assert set(lot["templates"]) == set(TEMPLATES), lot["id"]
        for layout in lot["templates"].values():
            assert set(layout) in ({"buildings", "surfaces"}, {"error"})


def test_site_carries_its_contact_and_address(data, belle_assise):
    assert data["site"]["contact_email"] == belle_assise.settings["contact_email"]
    assert data["site"]["contact_email"].endswith("@example.org")  # illustrative site
    assert data["site"]["viewer_url"] is None  # not set in the bundled site


def test_template_layout_is_what_apply_template_gives(data):
    # A site loaded afresh: nothing cached from the export.
    site = load_site(ROOT / "plots" / "belle-assise")
    lot = site.lot("B3")
    assert lot is not None and lot.status == "available"
    exported = next(lot for lot in data["lots"] if lot["id"] == "B3")["templates"]
    for template_id in TEMPLATES:
        doc = project_to_dict(apply_template(site, lot, template_id))
        assert exported[template_id] == {"buildings": doc["buildings"], "surfaces": doc["surfaces"]}
    # SPEC §2 items in site coordinates (Lambert-93), not relative to the origin.
    assert exported["warehouse"]["buildings"][0]["footprint"]["rect"]["cx"] > 600_000


def test_a_template_that_does_not_fit_gives_its_error_in_both_languages(tmp_path, make_site, kit):
    tiny = kit.lot("T1", (kit.X0 + 200, kit.Y0, kit.X0 + 216, kit.Y0 + 16), status="available")
    site = load_site(make_site(tmp_path, lots=[kit.lot("A1", kit.LOT_A1, status="available"), tiny]))
    with pytest.raises(TemplateDoesNotFit):
        apply_template(site, site.lot("T1"), "warehouse")
    lots = {lot["id"]: lot for lot in build_web_data(site)["lots"]}
    for template_id in TEMPLATES:
        error = lots["T1"]["templates"][template_id]["error"]
        assert "T1" in error["fr"] and "trop petit" in error["fr"]
        assert "T1" in error["en"] and "too small" in error["en"]
    assert "buildings" in lots["A1"]["templates"]["warehouse"]


def test_templates_are_laid_out_once_per_site(belle_assise, monkeypatch):
    build_web_data(belle_assise)  # fills the site's cache (if not already)
    import zacviz.export.web as web

    def fail(*args, **kwargs):
        raise AssertionError("laid out again")

    monkeypatch.setattr(web, "apply_template", fail)
    again = build_web_data(belle_assise)
    assert any(lot["templates"] for lot in again["lots"])


def test_template_names_are_the_desktop_editor_and_kiosk_ones():
    """One source of words: the core catalogue says what the Qt catalogues say."""

    def translations(path: Path) -> dict[str, str]:
        tree = ET.parse(path)
        return {m.findtext("source"): m.findtext("translation") for m in tree.iter("message")}

    editor = translations(ROOT / "zacviz" / "ui" / "i18n" / "zacviz_en.ts")
    kiosk = translations(ROOT / "zacviz" / "kiosk" / "i18n" / "kiosk_en.ts")
    labels = (ROOT / "zacviz" / "ui" / "labels.py").read_text(encoding="utf-8")
    screens = (ROOT / "zacviz" / "kiosk" / "screens.py").read_text(encoding="utf-8")
    for template_id in TEMPLATES:
        label = CATALOGUE[f"template.{template_id}"]
        assert f'"{template_id}": translate("labels", "{label["fr"]}")' in labels
        assert editor[label["fr"]] == label["en"]
        blurb = CATALOGUE[f"template.{template_id}.blurb"]
        assert f'"{template_id}": translate("kiosk", "{blurb["fr"]}")' in screens
        assert kiosk[blurb["fr"]] == blurb["en"]
    fit = CATALOGUE["template.does_not_fit"]
    qt_fit = "Le lot %1 est trop petit pour le modèle « %2 »."
    assert fit["fr"] == qt_fit.replace("%1", "{lot}").replace("%2", "{template}")
    assert fit["en"] == editor[qt_fit].replace("%1", "{lot}").replace("%2", "{template}")


# ------------------------------------------------------------- close imagery


def test_close_imagery_is_a_jpeg_of_the_stated_size_covering_the_lot(showcase, data, belle_assise):
    origin = Origin(*data["site"]["origin"])
    resolution = open_imagery(belle_assise.imagery_path).resolution[0]
    scripts = sorted(p.name for p in (showcase.folder / "lots").iterdir())
    checked = 0
    for index, lot in enumerate(data["lots"]):
        close = lot["close_imagery"]
        if lot["status"] != "available":
            continue
        assert close["script"] == f"lots/{index}.js"  # an index, never the lot id
        match = LOT_SCRIPT.fullmatch((showcase.folder / close["script"]).read_text(encoding="utf-8"))
        assert match, close["script"]
        assert json.loads(match.group(1)) == lot["id"]
        src = json.loads(match.group(2))
        image = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))
        assert image.format == "JPEG" and image.mode == "RGB"
        assert image.size == (close["width"], close["height"])
        x0, y0, x1, y1 = close["bounds"]
        # The image's own resolution: one output pixel per pixel of the image.
        assert (x1 - x0) / close["width"] == pytest.approx(resolution, rel=1e-6)
        assert (y1 - y0) / close["height"] == pytest.approx(resolution, rel=1e-6)
        lx0, ly0, lx1, ly1 = belle_assise.lot(lot["id"]).polygon.bounds
        lot_box = box(lx0 - origin.x, ly0 - origin.y, lx1 - origin.x, ly1 - origin.y)
        assert box(x0, y0, x1, y1).contains(lot_box.buffer(CLOSE_MARGIN_M - 2 * resolution))
        assert (x1 - x0) < (lx1 - lx0) + 2 * CLOSE_MARGIN_M + 2 * resolution
        checked += 1
    assert checked == sum(lot["status"] == "available" for lot in data["lots"])
    assert len(scripts) == checked


def test_close_imagery_of_a_huge_lot_is_capped(belle_assise):
    info = open_imagery(belle_assise.imagery_path)
    lot = belle_assise.lot("A1")
    huge = replace(lot, polygon=box(*info.bounds).buffer(5_000))  # far wider than the image
    bounds, width, height = close_imagery_window(huge, info, max_px=256)
    assert max(width, height) == 256
    assert bounds[0] >= info.bounds[0] - 1e-6 and bounds[2] <= info.bounds[2] + 1e-6
    small = build_close_imagery(replace(belle_assise, lots=(huge,)), Origin(0.0, 0.0), max_px=128, quality=50)
    ((index, placement, jpeg),) = list(small)
    assert index == 0
    assert max(placement["width"], placement["height"]) == 128
    assert max(Image.open(io.BytesIO(jpeg)).size) == 128


def test_a_lot_the_image_does_not_reach_has_no_close_imagery(belle_assise):
    info = open_imagery(belle_assise.imagery_path)
    far = replace(belle_assise.lot("A1"), polygon=box(0, 0, 100, 100))
    assert close_imagery_window(far, info) is None


def test_a_second_export_leaves_no_stale_lot_script(tmp_path, belle_assise):
    out = tmp_path / "out"
    (out / "lots").mkdir(parents=True)
    (out / "lots" / "999.js").write_text("stale")
    (out / "lots" / "notes.txt").write_text("mine")
    export = write_web_export(belle_assise, [], out)
    assert not (out / "lots" / "999.js").exists()
    assert (out / "lots" / "notes.txt").exists()  # not ours: left alone
    assert all(p.exists() for p in export.files)


# ------------------------------------------------------------- page weight


def test_whole_export_of_the_bundled_site_stays_within_4_mb(showcase):
    on_disk = {p for p in showcase.folder.rglob("*") if p.is_file()}
    assert on_disk == set(showcase.files)  # every file written is counted
    total = sum(p.stat().st_size for p in on_disk)
    assert total <= 4_000_000, f"{total} bytes"


# ------------------------------------------------------------- hostile input


def test_hostile_site_text_cannot_close_the_script(tmp_path, belle_assise):
    settings = {**belle_assise.settings, "notice": HOSTILE, "council": HOSTILE}
    site = replace(belle_assise, name=HOSTILE, settings=settings)
    export = write_web_export(site, [], tmp_path / "out")
    for path in export.files:
        if path.suffix == ".js" and path.name != "viewer.js":
            text = path.read_text(encoding="utf-8")
            assert "</script" not in text.lower() and "\u2028" not in text, path.name
    data = read_global(export.folder / "data.js", "ZACVIZ_DATA")
    assert data["site"]["name"] == HOSTILE and data["site"]["notice"] == HOSTILE


@pytest.mark.parametrize(
    "value",
    ["<script>alert(1)</script>", "a@b.fr?bcc=everyone@c.fr", "not an address", "x@y", 42, "a@b.fr\n"],
)
def test_a_bad_contact_email_is_a_clear_error(tmp_path, belle_assise, value):
    site = replace(belle_assise, settings={**belle_assise.settings, "contact_email": value})
    with pytest.raises(InputError, match=r"site\.contact_email"):
        build_web_data(site)


@pytest.mark.parametrize("value", ["javascript:alert(1)", "file:///etc/passwd", "https://a b.fr/", "zac", 3])
def test_a_bad_viewer_url_is_a_clear_error(belle_assise, value):
    site = replace(belle_assise, settings={**belle_assise.settings, "viewer_url": value})
    with pytest.raises(InputError, match=r"site\.viewer_url"):
        build_web_data(site)


def test_a_good_viewer_url_is_carried(belle_assise):
    url = "https://www.example.org/zac/?v=1"
    site = replace(belle_assise, settings={**belle_assise.settings, "viewer_url": url})
    assert build_web_data(site)["site"]["viewer_url"] == url


def test_cli_refuses_a_bad_contact_email_in_one_line_and_writes_nothing(tmp_path, make_site):
    import subprocess
    import sys

    folder = make_site(tmp_path, site_extra={"contact_email": "<script>alert(1)</script>"})
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "zacviz", "export-web", "--site", str(folder), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "site.contact_email" in lines[0], lines
    assert not out.exists()


def test_a_hostile_lot_id_stays_text_in_its_image_script(tmp_path, belle_assise):
    index = next(i for i, lot in enumerate(belle_assise.lots) if lot.status == "available")
    lots = list(belle_assise.lots)
    lots[index] = replace(lots[index], id=HOSTILE)
    export = write_web_export(replace(belle_assise, lots=tuple(lots)), [], tmp_path / "out")
    script = (export.folder / "lots" / f"{index}.js").read_text(encoding="utf-8")
    assert "</script" not in script.lower() and "\u2028" not in script
    match = LOT_SCRIPT.fullmatch(script)
    assert match and json.loads(match.group(1)) == HOSTILE
