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
