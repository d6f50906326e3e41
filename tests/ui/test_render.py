"""``zacviz render``: the plan drawn offscreen into a PNG."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from zacviz.cli import main
from zacviz.design.templates import apply_template
from zacviz.geometry import palette
from zacviz.io.project_file import save_project
from zacviz.ui.render import parse_size


def blend(fg: tuple[int, int, int], alpha: int, bg: tuple[int, int, int]) -> np.ndarray:
    a = alpha / 255.0
    return np.array([f * a + b * (1 - a) for f, b in zip(fg, bg, strict=True)])


def share_near(pixels: np.ndarray, colour: np.ndarray, tol: float = 10.0) -> float:
    return float((np.abs(pixels - colour).max(axis=-1) <= tol).mean())


@pytest.fixture
def project_file(tmp_path, site):
    # On lot A2 (reserved): the frame shows A1 (available) to the west, A3 (sold) to the east.
    project = apply_template(site, site.lot("A2"), "warehouse")
    path = tmp_path / "a2.zacviz.json"
    save_project(project, path)
    return path


def test_render_writes_the_plan_with_the_lot_colours(qapp, project_file, site_dir, tmp_path, capsys):
    out = tmp_path / "plan.png"
    code = main(
        [
            "render",
            str(project_file),
            "--view",
            "plan",
            "--out",
            str(out),
            "--site",
            str(site_dir),
            "--size",
            "800x500",
        ]
    )
    assert code == 0
    assert "ok:" in capsys.readouterr().out
    image = Image.open(out).convert("RGB")
    assert image.size == (800, 500)
    pixels = np.asarray(image, dtype=float)
    ortho = (70, 90, 60)  # the test site's imagery colour
    available = blend((46, 170, 80), 85, ortho)
    sold = blend((150, 150, 150), 85, ortho)
    warehouse = blend(
        palette.rgba8(palette.use_color("warehouse"))[:3], 235, blend((240, 150, 30), 35, ortho)
    )
    assert share_near(pixels, available) > 0.05
    assert share_near(pixels, sold) > 0.02
    assert share_near(pixels, warehouse) > 0.02
    # The aerial image was loaded before the picture was taken.
    assert share_near(pixels, np.array(ortho, float), 4) > 0.02


def test_render_3d_without_opengl_is_one_line(project_file, site_dir, tmp_path, capsys):
    # These tests run on Qt's offscreen platform, which draws no OpenGL: the 3D
    # picture is refused in one line (the GL tests render it under Xvfb).
    code = main(
        [
            "render",
            str(project_file),
            "--view",
            "3d",
            "--out",
            str(tmp_path / "x.png"),
            "--site",
            str(site_dir),
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: 3D rendering") and "xvfb-run" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "x.png").exists()


@pytest.mark.parametrize("bad", ["12", "axb", "0x100", "100000x10", "10x10x10"])
def test_bad_size_is_one_error_line(bad, project_file, site_dir, tmp_path, capsys):
    code = main(
        [
            "render",
            str(project_file),
            "--out",
            str(tmp_path / "x.png"),
            "--site",
            str(site_dir),
            "--size",
            bad,
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --size") and err.count("\n") == 1


def test_parse_size():
    assert parse_size("1600x1000") == (1600, 1000)
    assert parse_size("640×480") == (640, 480)


def _render(project_file, site_dir, out, *extra):
    return main(
        ["render", str(project_file), "--out", str(out), "--site", str(site_dir), "--size", "400x250", *extra]
    )


def test_extent_frames_the_site_the_lot_or_a_rectangle(qapp, project_file, site, site_dir, tmp_path):
    pictures = {}
    x0, y0, x1, y1 = site.lot("A2").polygon.bounds
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    for name, extent in (
        ("lot", "lot"),
        ("site", "site"),
        ("box", f"{cx - 5},{cy - 5},{cx + 5},{cy + 5}"),
    ):
        out = tmp_path / f"{name}.png"
        assert _render(project_file, site_dir, out, "--extent", extent) == 0
        pictures[name] = np.asarray(Image.open(out).convert("RGB"), dtype=float)
    warehouse = palette.rgba8(palette.use_color("warehouse"))[:3]
    near = lambda p: share_near(p, blend(warehouse, 235, blend((240, 150, 30), 35, (70, 90, 60))))  # noqa: E731
    # The whole site shows the warehouse smaller than its lot does; 10 m in the
    # middle of the lot are the warehouse wall to wall.
    assert 0 < near(pictures["site"]) < near(pictures["lot"]) < near(pictures["box"])
    assert near(pictures["box"]) > 0.9


@pytest.mark.parametrize(
    "bad",
    [
        "park",
        "1,2,3",
        "1,2,3,x",
        "0,0,nan,1",
        "5,0,1,1",
        "0,0,1e6,1",
        "9000000,9000000,9000010,9000010",
        "0,0,1,inf",
    ],
)
def test_bad_extent_is_one_error_line(bad, project_file, site_dir, tmp_path, capsys):
    assert _render(project_file, site_dir, tmp_path / "x.png", "--extent", bad) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --extent") and err.count("\n") == 1
    assert not (tmp_path / "x.png").exists()


def test_the_picture_in_layers_is_the_plan_painted_at_once(qapp, site, project_file, monkeypatch):
    """The picture paints what lies over the site's polygons while the image's
    tiles are read and another thread paints the polygons, then lays the three
    one on the other: the same pixels as the plan painted in one pass."""
    import threading

    from PySide6.QtWidgets import QGraphicsItem

    from zacviz.io.project_file import load_project
    from zacviz.ui import plan_view
    from zacviz.ui.render import PlanPicture

    threads = []
    paint_polygons = plan_view.paint_polygons

    def spy(*args):
        threads.append(threading.current_thread())
        return paint_polygons(*args)

    project = load_project(project_file)
    picture = PlanPicture(site, (400, 250))
    try:
        for extent in ("lot", "site"):
            threads.clear()
            monkeypatch.setattr(plan_view, "paint_polygons", spy)
            layered, _ = picture.draw(project, extent)
            monkeypatch.setattr(plan_view, "paint_polygons", paint_polygons)
            assert threads and all(t is not threading.main_thread() for t in threads), extent
            view = picture.view
            assert view.imagery_layer is not None and view.imagery_layer.tile_count > 0
            for item in view.scene().items():
                item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
            view.setUpdatesEnabled(True)
            at_once = view.grab().toImage()
            view.setUpdatesEnabled(False)
            assert (layered.width(), layered.height()) == (at_once.width(), at_once.height())
            a = _pixels(layered)
            b = _pixels(at_once)
            diff = np.abs(a - b)
            assert diff.mean() < 0.5, extent
            assert (diff.max(axis=-1) > 8).mean() < 0.002, extent
    finally:
        picture.close()


def _pixels(image) -> np.ndarray:
    from PySide6.QtGui import QImage

    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h = rgb.width(), rgb.height()
    data = np.frombuffer(rgb.constBits(), np.uint8, count=rgb.bytesPerLine() * h)
    return data.reshape(h, rgb.bytesPerLine())[:, : 3 * w].reshape(h, w, 3).astype(float)


def test_the_sheet_and_its_pictures_check_the_project_once(qapp, site, monkeypatch):
    """The sheet hands its check to its pictures: for the worst valid projects a
    check takes seconds, and the plan and the 3D view checked again each."""
    from zacviz.export.report import build_report
    from zacviz.rules import engine
    from zacviz.ui.report_pictures import qt_renderer

    project = apply_template(site, site.lot("A1"), "warehouse")
    checked = []
    real = engine.check_project

    def counting(p, s):
        checked.append(p)
        return real(p, s)

    monkeypatch.setattr(engine, "check_project", counting)
    result = engine.check_project(project, site)
    data = build_report(project, site, lang="fr", renderer=qt_renderer(project, site, result), result=result)
    assert [p.view for p in data.pictures] == ["plan"]  # offscreen: no 3D, the sheet says so
    assert checked == [project]


def test_a_picture_given_up_half_way_leaves_the_next_one_whole(qapp, site, project_file, monkeypatch):
    """The site's polygons are painted by a thread while the project is checked:
    when the check fails, the next picture waits for that thread before
    painting into the same memory."""
    import time

    from zacviz.io.project_file import load_project
    from zacviz.rules import engine
    from zacviz.ui import plan_view
    from zacviz.ui.render import PlanPicture

    project = load_project(project_file)
    picture = PlanPicture(site, (400, 250))
    try:
        expected, _ = picture.draw(project, "lot")
        expected = _pixels(expected)
        paint_polygons = plan_view.paint_polygons

        def slow(*args):
            time.sleep(0.3)
            return paint_polygons(*args)

        def refused(*args, **kwargs):
            raise RuntimeError("refused")

        monkeypatch.setattr(plan_view, "paint_polygons", slow)
        monkeypatch.setattr(engine, "check_project", refused)
        with pytest.raises(RuntimeError):
            picture.draw(project, "lot")
        monkeypatch.undo()
        again, _ = picture.draw(project, "lot")
        assert np.abs(_pixels(again) - expected).max() <= 3
    finally:
        picture.close()


def test_a_picture_let_go_lends_its_memory_to_the_next_and_one_held_is_never_painted_over(
    qapp, site, project_file
):
    """New memory costs a page fault per 4 kB: the next picture is painted into
    the memory of one its caller has let go; a picture still held keeps its pixels."""
    import gc

    from PySide6.QtGui import QImage

    from zacviz.io.project_file import load_project
    from zacviz.ui.render import PlanPicture

    def address(image) -> int:
        return np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes()).ctypes.data

    project = load_project(project_file)
    picture = PlanPicture(site, (400, 250))
    try:
        first, _ = picture.draw(project, "site")
        held = _pixels(first)
        second, _ = picture.draw(project, "lot")  # the site picture is still held
        assert address(second) != address(first)
        assert np.array_equal(_pixels(first), held)
        lot = _pixels(second)
        third, _ = picture.draw(project, "lot")  # both held: new memory again
        assert address(third) not in (address(first), address(second))
        assert np.array_equal(_pixels(first), held) and np.array_equal(_pixels(second), lot)
        assert np.abs(_pixels(third) - lot).max() <= 3
        reused = address(second)
        del second
        gc.collect()
        # Memory freed would go to the next allocation of its size: this one.
        other = QImage(400, 250, QImage.Format.Format_RGB32)
        other.fill(0)
        assert address(other) != reused  # the picture's memory was kept for the next
        fourth, _ = picture.draw(project, "site")
        assert address(fourth) == reused  # painted where the let-go picture was
        assert np.abs(_pixels(fourth) - held).max() <= 3
        assert np.array_equal(_pixels(first), held) and np.abs(_pixels(third) - lot).max() <= 3
    finally:
        picture.close()


def test_only_the_command_line_check_and_the_report_unite_with_numpy(
    qapp, site, site_dir, project_file, tmp_path, monkeypatch
):
    """In a process with Qt's views made, union_area's numpy merges ran twice as
    slow as without them (and slower than GEOS): the plan picture (like the
    editor) checks with GEOS; ``zacviz check`` and the report ask for them."""
    from zacviz.rules import engine
    from zacviz.ui.render import plan_picture

    asked = []
    real = engine.check_project

    def recording(p, s, **kw):
        asked.append(kw.get("numpy_union", False))
        return real(p, s, **kw)

    monkeypatch.setattr(engine, "check_project", recording)
    plan_picture(apply_template(site, site.lot("A1"), "warehouse"), site, (320, 200))
    assert asked and not any(asked)
    asked.clear()
    main(["check", str(project_file), "--site", str(site_dir)])
    main(["report", str(project_file), "--site", str(site_dir), "--out", str(tmp_path / "r.pdf")])
    assert asked == [True, True]
