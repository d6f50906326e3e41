"""The printable project sheet: what a company takes home must say what fails, and why.

The PDF is read back with poppler's ``pdftotext``/``pdfimages``/``pdfinfo``
(Debian's poppler-utils). The core tests pass a stand-in picture renderer (PIL
squares), so they need no display; the command-line tests run ``zacviz report``
in a process of its own, once without any display (plan only, and the sheet
says so) and, with a display, with the real 3D view.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from zacviz.export.report import (
    DEFAULT_VIEWER_URL,
    VIEWER_URL_ENV,
    _qr_drawing,
    build_report,
    format_date,
    viewer_url_for,
    write_report_pdf,
)
from zacviz.export.share import decode_fragment
from zacviz.i18n import fmt_number
from zacviz.io.project_file import load_project
from zacviz.io.site_folder import find_site, load_site

ROOT = Path(__file__).resolve().parents[2]
FAILING = ROOT / "examples" / "entrepot-non-conforme.zacviz.json"
PASSING = ROOT / "examples" / "entrepot-conforme.zacviz.json"
DAY = dt.date(2026, 11, 30)

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)
pytestmark = needs_poppler


@pytest.fixture(scope="module")
def site():
    return load_site(find_site("belle-assise"))


@pytest.fixture(scope="module")
def failing():
    return load_project(FAILING)


def fake_renderer(calls: list[str], fail_3d: bool = False):
    """Plain coloured PNGs in place of the Qt views; optionally no 3D, as without a display."""

    def render(view: str, out: Path, size: tuple[int, int]) -> Path:
        calls.append(view)
        if view == "3d" and fail_3d:
            raise RuntimeError("3D rendering needs a display")
        colour = (40, 120, 60) if view == "plan" else (150, 60, 40)
        Image.new("RGB", size, colour).save(out, "PNG")
        return out

    return render


def pdf_text(path: Path) -> str:
    """The PDF's text with every kind of space made one plain space."""
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return re.sub(r"[\s\u00a0\u202f]+", " ", out.stdout.decode("utf-8"))


def pdf_pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def pdf_images(path: Path) -> int:
    out = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, check=True, text=True).stdout
    return len(out.strip().splitlines()) - 2  # two header lines


def plain(s: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", s)


def test_sheet_of_a_failing_project_names_the_lot_the_failures_and_their_figures(tmp_path, site, failing):
    calls: list[str] = []
    data = build_report(failing, site, lang="fr", renderer=fake_renderer(calls), today=DAY)
    out = write_report_pdf(data, tmp_path / "fiche.pdf")
    text = pdf_text(out)
    lot = site.lot("B3")

    # The council's heading, the park, the date.
    assert "Communauté de Communes de l'Oise Picarde" in text
    assert "ZAC de la Belle Assise" in text
    assert "30 novembre 2026" in text
    # The lot: id, zone, area, price estimate = area × price per m².
    assert "Lot B3" in text
    assert "Zone du règlement UE" in text
    assert f"Surface du lot {plain(fmt_number(lot.area_m2, 0, 'fr'))} m²" in text
    estimate = plain(fmt_number(lot.area_m2 * lot.price_eur_m2, 0, "fr"))
    assert f"Estimation du prix du lot {estimate} €" in text
    # The verdict, and each failing rule with its figure and its limit.
    assert "Projet non conforme : 2 règle(s) sur 9 à revoir" in text
    assert re.search(r"Hauteur 17,0 m ≤ 15,0 m NON RESPECTÉE Hauteur 17,0 m > 15,0 m autorisés \(b1\)", text)
    assert re.search(
        r"Recul sur voie 7,5 m ≥ 10,0 m NON RESPECTÉE Recul de 7,5 m seulement sur Rue de la", text
    )
    assert text.count("NON RESPECTÉE") == 2
    assert text.count("respectée") == 7  # the rules met (the count is case-sensitive)
    # The buildings by the ids the messages use, and the metrics.
    assert "b1 — entrepôt 17,0 m · 1 niveau · 2 000 m²" in text
    assert "b2 — bureaux 8,0 m · 2 niveaux · 240 m²" in text
    assert "Emprise au sol 2 240 m² (25,1 %)" in text
    assert "Places requises / prévues 20 / 40" in text
    # What the check is worth, and the illustrative data warning of this site.
    assert "Le règlement d'urbanisme en vigueur prévaut" in text
    assert "Données ILLUSTRATIVES" in text
    assert "Scannez ce code" in text
    # One A4 page with both pictures.
    assert calls == ["plan", "3d"]
    assert pdf_pages(out) == 1
    assert pdf_images(out) == 2


def test_sheet_in_english(tmp_path, site, failing):
    data = build_report(failing, site, lang="en", renderer=fake_renderer([]), today=DAY)
    text = pdf_text(write_report_pdf(data, tmp_path / "sheet.pdf"))
    assert "Project not compliant: 2 of 9 rule(s) to revise" in text
    assert re.search(r"Height 17\.0 m ≤ 15\.0 m NOT MET Height 17\.0 m > 15\.0 m allowed \(b1\)", text)
    assert "Printed on 30 November 2026" in text
    assert "The planning rules in force prevail" in text
    assert "Communauté de Communes de l'Oise Picarde" in text  # a name is not translated


def test_without_a_3d_picture_the_sheet_says_so_and_keeps_the_plan(tmp_path, site, failing):
    calls: list[str] = []
    data = build_report(failing, site, lang="fr", renderer=fake_renderer(calls, fail_3d=True), today=DAY)
    assert [p.view for p in data.pictures] == ["plan"]
    out = write_report_pdf(data, tmp_path / "fiche.pdf")
    text = pdf_text(out)
    assert "Vue 3D non disponible sur cet ordinateur" in text
    assert "NON RESPECTÉE" in text
    assert pdf_pages(out) == 1
    assert pdf_images(out) == 1


def test_compliant_project_sheet(tmp_path, site):
    project = load_project(PASSING)
    data = build_report(project, site, lang="fr", today=DAY)
    assert data.compliant
    text = pdf_text(write_report_pdf(data, tmp_path / "ok.pdf"))
    assert "Projet conforme aux" in text
    assert "NON RESPECTÉE" not in text


def test_the_qr_code_carries_the_sharing_link(site, failing, monkeypatch):
    monkeypatch.delenv(VIEWER_URL_ENV, raising=False)
    data = build_report(failing, site, lang="fr", viewer_url="https://viewer.test/zac/", today=DAY)
    assert data.share_url.startswith("https://viewer.test/zac/#p=")
    assert decode_fragment(data.share_url) == failing
    drawing = _qr_drawing(data.share_url, 85.0)
    assert drawing is not None and len(drawing.contents) > 50
    # Far beyond what a QR code holds: no code, and the sheet says why instead.
    assert _qr_drawing("https://viewer.test/#p=" + "A" * 8000, 85.0) is None


def test_a_link_longer_than_any_qr_code_is_not_given_to_the_encoder(monkeypatch):
    """The encoder takes seconds per megabyte to find a link too long: a link
    longer than the most a QR code holds (digits, level M) never reaches it."""
    import segno

    from zacviz.export.report import QR_MAX_CHARS

    assert _qr_drawing("1" * QR_MAX_CHARS, 85.0) is not None  # the bound is not too tight
    with pytest.raises(segno.DataOverflowError):
        segno.make_qr("1" * (QR_MAX_CHARS + 1), error="m")
    calls, real = [], segno.make_qr
    monkeypatch.setattr(segno, "make_qr", lambda *a, **k: calls.append(a) or real(*a, **k))
    assert _qr_drawing("https://viewer.test/#p=" + "A" * 3_000_000, 85.0) is None
    assert calls == []


def jagged(project, buildings: int, vertices: int):
    """``project`` with its first building replaced by ``buildings`` jagged
    outlines of ``vertices`` vertices (16–18 m), side by side."""
    import math
    from dataclasses import replace

    from zacviz.geometry.footprint import footprint_polygon
    from zacviz.model.project import PolygonFootprint

    b0 = project.buildings[0]
    centre = footprint_polygon(b0.footprint).centroid
    cx, cy = centre.x, centre.y
    feet = []
    for k in range(buildings):
        x, y = cx + 40.0 * k, cy
        feet.append(
            PolygonFootprint(
                tuple(
                    (
                        x + (18.0 if i % 2 else 16.0) * math.cos(2 * math.pi * i / vertices),
                        y + (18.0 if i % 2 else 16.0) * math.sin(2 * math.pi * i / vertices),
                    )
                    for i in range(vertices)
                )
            )
        )
    return replace(project, buildings=tuple(replace(b0, id=f"j{k}", footprint=f) for k, f in enumerate(feet)))


@pytest.mark.parametrize(
    ("buildings", "vertices"), [(1, 4), (1, 60), (1, 200), (2, 300), (3, 1000), (5, 2000), (40, 2000)]
)
def test_a_link_too_long_for_a_qr_code_is_found_without_compressing_it_whole(failing, buildings, vertices):
    """Said too long only when it is; a megabyte project is found so in its first pieces."""
    from zacviz.export.report import QR_MAX_CHARS, _link_too_long_for_qr
    from zacviz.export.share import share_url

    project = jagged(failing, buildings, vertices)
    viewer = "https://viewer.test/zac/"
    too_long = _link_too_long_for_qr(project, viewer)
    length = len(share_url(project, viewer))
    if too_long:
        assert length > QR_MAX_CHARS
    if buildings * vertices >= 10_000:  # megabytes: the compressor has put out blocks early
        assert too_long
    if vertices <= 60:
        assert not too_long and length <= QR_MAX_CHARS


def test_a_link_too_long_for_a_qr_code_is_found_without_writing_its_json_whole(failing, monkeypatch):
    """The JSON of a 12 MB project took a second to write whole: only its start is written."""
    import zacviz.export.share
    from zacviz.export.report import _link_too_long_for_qr

    monkeypatch.setattr(
        zacviz.export.share, "project_json", lambda *a: pytest.fail("the whole JSON was made")
    )
    written = []
    pieces = zacviz.export.share.project_json_pieces

    def counted(project):
        for piece in pieces(project):
            written.append(len(piece))
            yield piece

    monkeypatch.setattr(zacviz.export.share, "project_json_pieces", counted)
    big = jagged(failing, 40, 2000)
    assert _link_too_long_for_qr(big, "https://viewer.test/zac/")
    assert 0 < sum(written) < 400_000  # of 3 MB
    small = jagged(failing, 1, 4)
    written.clear()
    assert not _link_too_long_for_qr(small, "https://viewer.test/zac/")
    assert sum(written) == len("".join(pieces(small)))  # a small one is read to its end


def test_the_sheet_of_a_project_too_big_for_a_qr_code_says_so(site, failing, monkeypatch, tmp_path):
    """No link is made for it (compressing it whole takes seconds), and the sheet says why."""
    import zacviz.export.share

    monkeypatch.delenv(VIEWER_URL_ENV, raising=False)
    monkeypatch.setattr(zacviz.export.share, "share_url", lambda *a: pytest.fail("the whole link was made"))
    big = jagged(failing, 4, 2000)
    data = build_report(big, site, lang="fr", today=DAY)
    assert data.share_link_too_long and data.share_url is None
    text = pdf_text(write_report_pdf(data, tmp_path / "big.pdf"))
    assert "trop détaillé pour tenir dans un QR code" in text


def test_viewer_url_option_then_environment_then_site_then_default(site, monkeypatch):
    monkeypatch.delenv(VIEWER_URL_ENV, raising=False)
    assert viewer_url_for(site) == DEFAULT_VIEWER_URL
    monkeypatch.setitem(site.settings, "viewer_url", "https://site.test/")
    assert viewer_url_for(site) == "https://site.test/"
    monkeypatch.setenv(VIEWER_URL_ENV, "https://env.test/")
    assert viewer_url_for(site) == "https://env.test/"
    assert viewer_url_for(site, "https://option.test/") == "https://option.test/"


def test_dates_in_both_languages():
    assert format_date(dt.date(2026, 8, 1), "fr") == "1 août 2026"
    assert format_date(dt.date(2026, 8, 1), "en") == "1 August 2026"


# ------------------------------------------------------------ command line


def run_cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "zacviz", *args], capture_output=True, text=True, env=env, timeout=120
    )


def headless_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.pop(VIEWER_URL_ENV, None)
    return env


def test_report_command_without_a_display_makes_the_sheet_with_the_plan(tmp_path):
    out = tmp_path / "fiche.pdf"
    # No screen and no Xvfb on the PATH: the sheet keeps the plan and says why 3D is missing.
    env = dict(headless_env(), PATH=str(tmp_path))
    proc = run_cli(["report", str(FAILING), "--out", str(out)], env)
    assert proc.returncode == 0, proc.stderr
    assert "Vue 3D non disponible" in proc.stderr
    text = pdf_text(out)
    assert "Lot B3" in text and text.count("NON RESPECTÉE") == 2
    assert "Vue 3D non disponible sur cet ordinateur" in text
    assert pdf_images(out) == 1  # the plan, drawn offscreen


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="needs Debian's xvfb")
def test_report_command_without_a_display_draws_3d_on_a_private_xvfb(tmp_path):
    out = tmp_path / "fiche.pdf"
    proc = run_cli(["report", str(FAILING), "--out", str(out)], headless_env())
    assert proc.returncode == 0, proc.stderr
    assert "non disponible" not in pdf_text(out)
    assert pdf_images(out) == 2  # the plan and the 3D view


def test_report_command_refuses_a_missing_folder(tmp_path):
    proc = run_cli(
        ["report", str(FAILING), "--out", str(tmp_path / "nope" / "f.pdf"), "--no-pictures"], headless_env()
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: --out: folder")


@pytest.mark.gl
@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="the 3D picture needs an X display (Xvfb)")
def test_report_command_with_a_display_has_the_3d_picture(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    out = tmp_path / "fiche.pdf"
    proc = run_cli(["report", str(FAILING), "--out", str(out), "--lang", "en"], env)
    assert proc.returncode == 0, proc.stderr
    assert "3D view not available" not in pdf_text(out)
    assert pdf_images(out) == 2


# ------------------------------------------------------------------ editor


def test_editor_file_menu_exports_the_sheet(tmp_path, qtbot):
    from PySide6.QtCore import QSettings

    from zacviz import i18n
    from zacviz.app import build_editor

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    editor = build_editor(
        FAILING, settings=settings, user_dir=tmp_path, lang="fr", install_excepthook=False, with_3d=False
    )
    window = editor.window
    qtbot.addWidget(window)
    try:
        actions = window.menu_file.actions()
        export = window.act_export_pdf
        assert export in actions and actions.index(export) < actions.index(window.act_quit)
        assert export.text() == "Exporter la fiche &PDF…"
        editor.language.set("en")
        assert export.text() == "Export &PDF sheet…"
        out = window.export_pdf(tmp_path / "sheet.pdf")
        assert out == tmp_path / "sheet.pdf"
        text = pdf_text(out)
        assert "Lot B3" in text and "NOT MET" in text  # in the language of the interface
        assert pdf_images(out) >= 1
    finally:
        editor.language.set("fr")
        i18n.set_language("fr")
        window.close()


def test_the_site_notice_in_the_sheets_language(site, failing):
    from dataclasses import replace

    noted = replace(site, settings={**site.settings, "illustrative": True, "notice_en": "Made-up data"})
    fr = build_report(failing, noted, lang="fr", renderer=fake_renderer([]), today=DAY)
    en = build_report(failing, noted, lang="en", renderer=fake_renderer([]), today=DAY)
    assert list(fr.notes) == [site.settings["notice"]]
    assert list(en.notes) == ["Made-up data"]
    plain_site = replace(site, settings={**site.settings, "illustrative": True, "notice_en": ""})
    assert list(
        build_report(failing, plain_site, lang="en", renderer=fake_renderer([]), today=DAY).notes
    ) == [site.settings["notice"]]
