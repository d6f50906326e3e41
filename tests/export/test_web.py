"""The static web export without a browser: what the builder gives, what the
writer writes, the page's security rules and the command line."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from zacviz.errors import InputError
from zacviz.export.web import (
    DATA_FORMAT,
    FIRST_TEXTURE_PX,
    VIEWER_FILES,
    Origin,
    build_web_data,
    first_imagery,
    viewer_dir,
    write_web_export,
)
from zacviz.rules.engine import check_project

HOSTILE = "<img src=x onerror=alert(1)></script><script>alert(2)</script>\u2028"


def read_global(path: Path, name: str):
    """The value a data.js/imagery.js script assigns to ``window.<name>``."""
    text = path.read_text(encoding="utf-8")
    prefix = f"window.{name} = "
    assert text.startswith(prefix) and text.endswith(";\n")
    return json.loads(text[len(prefix) : -2])


@pytest.fixture(scope="module")
def showcase(tmp_path_factory, belle_assise):
    return write_web_export(belle_assise, [], tmp_path_factory.mktemp("showcase"))


def test_builder_gives_plain_data_relative_to_the_origin(belle_assise, example_projects):
    data = build_web_data(belle_assise, example_projects)
    json.dumps(data, allow_nan=False)  # plain JSON data only
    assert data["format"] == DATA_FORMAT
    ox, oy = data["site"]["origin"]
    assert ox == int(ox) and oy == int(oy)
    # Every coordinate is small: float32 GL buffers keep centimetres.
    for lot in data["lots"]:
        for x, y in lot["polygon"][0]:
            assert abs(x) < 2000 and abs(y) < 2000
        assert lot["status"] in ("available", "reserved", "sold")
        assert lot["rules"]["max_height_m"] > 0
    assert {lot["id"] for lot in data["lots"]} == {lot.id for lot in belle_assise.lots}


def test_lot_label_point_lies_inside_the_lot(belle_assise):
    from shapely.geometry import Point, Polygon

    data = build_web_data(belle_assise)
    for lot in data["lots"]:
        assert Polygon(lot["polygon"][0]).contains(Point(lot["label"])), lot["id"]


def test_project_data_carries_python_verdicts_in_both_languages(belle_assise, example_projects):
    data = build_web_data(belle_assise, example_projects)
    for project, exported in zip(example_projects, data["projects"], strict=True):
        result = check_project(project, belle_assise)
        assert exported["check"]["fr"] == result.to_dict("fr")
        assert exported["check"]["en"] == result.to_dict("en")
        assert exported["title"] == project.title
        assert [b["id"] for b in exported["buildings"]] == [b.id for b in project.buildings]


def test_rectangle_corners_are_shifted_by_the_origin(belle_assise, example_projects):
    from zacviz.geometry.footprint import footprint_polygon

    data = build_web_data(belle_assise, example_projects[:1])
    origin = Origin(*data["site"]["origin"])
    building = example_projects[0].buildings[0]
    poly = footprint_polygon(building.footprint)
    ring = data["projects"][0]["buildings"][0]["polygon"][0]
    assert len(ring) == 4
    for (x, y), (px, py) in zip(ring, list(poly.exterior.coords)[:4], strict=True):
        assert x == pytest.approx(px - origin.x, abs=1e-3)
        assert y == pytest.approx(py - origin.y, abs=1e-3)


def test_project_on_an_unknown_lot_is_refused(belle_assise, example_projects):
    with pytest.raises(InputError, match="lot"):
        build_web_data(belle_assise, [replace(example_projects[0], lot="ZZ9")])


def test_writer_writes_the_page_the_data_and_the_image(showcase, belle_assise):
    names = sorted(p.name for p in showcase.folder.iterdir())
    pages = ["accessibilite.html", "accessibility.html", "statement.css"]
    assert names == sorted(["data.js", "imagery.js", "imagery-first.js", "lots", *pages, *VIEWER_FILES])
    data = read_global(showcase.folder / "data.js", "ZACVIZ_DATA")
    assert data["site"]["id"] == belle_assise.id
    assert data["projects"] == []
    placement = data["imagery"]
    assert max(placement["width"], placement["height"]) <= 2048
    src = read_global(showcase.folder / "imagery.js", "ZACVIZ_IMAGERY")
    assert src.startswith("data:image/jpeg;base64,")
    import base64
    import io

    from PIL import Image, ImageChops, ImageStat

    image = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))
    assert image.format == "JPEG"
    assert image.size == (placement["width"], placement["height"])
    # The first frame's copy: the same extent, at most 1024 px long, smaller than the image.
    first_src = read_global(showcase.folder / "imagery-first.js", "ZACVIZ_IMAGERY_FIRST")
    first = Image.open(io.BytesIO(base64.b64decode(first_src.split(",", 1)[1])))
    assert first.format == "JPEG"
    assert first.size == (placement["first"]["width"], placement["first"]["height"])
    assert max(first.size) == FIRST_TEXTURE_PX < max(image.size)
    assert abs(first.width / first.height - image.width / image.height) < 0.01
    # Of the picture, not another one: close to the image scaled down.
    reference = image.convert("L").resize(first.size)
    difference = ImageChops.difference(reference, first.convert("L"))
    assert ImageStat.Stat(difference).mean[0] < 8
    # The showcase goal: at most 4 MB in all.
    assert showcase.total_bytes <= 4_000_000


def test_first_frame_image_is_the_image_scaled_down_or_none():
    import io

    from PIL import Image

    def jpeg(width, height):
        buffer = io.BytesIO()
        Image.new("RGB", (width, height), (90, 140, 60)).save(buffer, "JPEG")
        return buffer.getvalue()

    small = Image.open(io.BytesIO(first_imagery(jpeg(3000, 1000))))
    assert small.size == (FIRST_TEXTURE_PX, round(FIRST_TEXTURE_PX / 3))
    assert first_imagery(jpeg(FIRST_TEXTURE_PX, 700)) is None  # small already: the page uses it as is


def test_text_from_a_project_cannot_close_the_script(tmp_path, belle_assise, example_projects):
    project = replace(example_projects[0], title=HOSTILE)
    export = write_web_export(belle_assise, [project], tmp_path / "out")
    text = (export.folder / "data.js").read_text(encoding="utf-8")
    assert "</script>" not in text.lower() and "\u2028" not in text
    data = read_global(export.folder / "data.js", "ZACVIZ_DATA")
    assert data["projects"][0]["title"] == HOSTILE


def test_page_has_a_strict_content_security_policy(showcase):
    html = (showcase.folder / "index.html").read_text(encoding="utf-8")
    match = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert match, "no CSP meta element"
    policy = {d.split()[0]: d.split()[1:] for d in match.group(1).split(";") if d.strip()}
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert "'unsafe-inline'" not in match.group(1) and "'unsafe-eval'" not in match.group(1)
    assert policy["img-src"] == ["data:"]  # the aerial image and the icon are data: URLs
    # No inline script or style: the policy would block it.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"


def test_viewer_never_builds_html_from_text_nor_evaluates_code(showcase):
    # The page's bundle and the rule engine's worker (checker.js).
    bundle = "".join(
        (showcase.folder / name).read_text(encoding="utf-8")
        for name in ("viewer.js", "editor.js", "checker.js")
    )
    for forbidden in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
    ):
        assert forbidden not in bundle, forbidden
    sources = Path(viewer_dir()).parents[0] / "src"
    for source in sources.glob("*.js"):
        assert "innerHTML" not in source.read_text(encoding="utf-8"), source.name


def test_missing_viewer_is_a_clear_error(tmp_path, belle_assise):
    with pytest.raises(InputError, match="not built"):
        write_web_export(belle_assise, [], tmp_path / "out", viewer=tmp_path / "nowhere")


def test_out_must_be_a_folder(tmp_path, belle_assise):
    target = tmp_path / "file.txt"
    target.write_text("x")
    with pytest.raises(InputError, match="not a folder"):
        write_web_export(belle_assise, [], target)


def test_progress_is_reported_up_to_the_end(tmp_path, belle_assise):
    steps: list[float] = []
    write_web_export(belle_assise, [], tmp_path / "out", progress=lambda f, label: steps.append(f))
    assert steps[0] == 0.0 and steps[-1] == 1.0 and steps == sorted(steps)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zacviz", *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_cli_exports_projects(tmp_path):
    root = Path(__file__).resolve().parents[2]
    examples = sorted(str(p) for p in (root / "examples").glob("*.zacviz.json"))
    out = tmp_path / "site"
    done = run_cli("export-web", *examples, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok: ") and "2 project(s)" in done.stdout
    data = read_global(out / "data.js", "ZACVIZ_DATA")
    assert len(data["projects"]) == 2


def test_cli_refuses_a_bad_project_in_one_line(tmp_path):
    bad = tmp_path / "bad.zacviz.json"
    bad.write_text('{"format": "zacviz-project", "version": 1, "site": "belle-assise", "lot": "ZZ9"}')
    done = run_cli("export-web", str(bad), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "ZZ9" in lines[0]
    assert not (tmp_path / "out").exists()
