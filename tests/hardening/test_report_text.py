"""The PDF sheet with real-world text: control characters and escape codes
removed, right-to-left text shaped and ordered, long names cut to fit, a
200-character title on one page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest

from zacviz.export.report import build_report, display_text, fit_width, write_report_pdf
from zacviz.io.project_file import load_project
from zacviz.io.site_folder import find_site, load_site

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_control_characters_and_escape_codes_are_removed():
    assert display_text("Atelier\x1b[31m rouge\x1b[0m\x07\x00") == "Atelier rouge"
    assert display_text("a\tb\nc") == "a b c"
    assert display_text("Plateforme « Léa »") == "Plateforme « Léa »"


def test_right_to_left_text_is_shaped_and_in_display_order():
    hebrew = display_text("שלום")
    assert hebrew == "םולש"  # drawn left to right, it reads right to left
    arabic = display_text("مرحبا")
    # Joined letters: Arabic presentation forms, not the isolated code points.
    assert all(
        unicodedata.name(ch).startswith("ARABIC LETTER") and "FORM" in unicodedata.name(ch) for ch in arabic
    )
    # The Unicode bidirectional algorithm: a number after Hebrew joins its run.
    assert display_text("Lot שלום 12") == "Lot 12 םולש"
    assert display_text("Lot A3 שלום") == "Lot A3 םולש"


def test_fit_width_cuts_with_an_ellipsis():
    from zacviz.export.report import _register_fonts

    fonts = _register_fonts()
    long = "Zone d'activités " * 20
    cut = fit_width(long, fonts.bold, 16, 200)
    assert cut.endswith("...") and len(cut) < len(long)
    assert fit_width("court", fonts.bold, 16, 200) == "court"


def test_a_200_character_hostile_title_and_a_long_site_name_fit_one_page(tmp_path):
    site = load_site(find_site("belle-assise"))
    project = load_project(sorted(EXAMPLES.glob("*.zacviz.json"))[0])
    title = ("שלום עולם — مرحبا بالعالم \x1b[31m Plateforme " + "très longue désignation " * 10)[:200]
    project = dataclasses.replace(project, title=title)
    site = dataclasses.replace(site, name="Zone d'activités économiques intercommunale " * 3)
    data = build_report(project, site, lang="fr", today=dt.date(2026, 12, 2))
    out = write_report_pdf(data, tmp_path / "fiche.pdf")
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "[31m" not in text and "\x1b" not in text
    assert "Plateforme" in text and "..." in text  # the park's name cut in the heading band


def test_emoji_and_symbols_print_as_glyphs_and_nothing_prints_as_a_question_mark(tmp_path):
    from zacviz.export.report import _register_fonts

    fonts = _register_fonts()
    if fonts.symbols is None:
        pytest.skip("no symbol font installed (Debian: fonts-symbola, from scripts/setup.sh)")
    # The truck and the sun come from the symbol font; the variation selector
    # and the skin tone draw as nothing; a Han character no font here has is
    # shown as U+FFFD, never as "?".
    text = fonts.text("Entrepôt 🚚 ☀\ufe0f 👍🏽 漢 ≤ fin")
    assert text == "Entrepôt 🚚 ☀ 👍 \ufffd ≤ fin"
    runs = fonts.runs(text)
    assert ("🚚", True) in runs and ("Entrepôt ", False) in runs
    assert '<font face="ZacvizSymbols">🚚</font>' in fonts.markup("Entrepôt 🚚 & co")
    assert "&amp; co" in fonts.markup("Entrepôt 🚚 & co")

    site = load_site(find_site("belle-assise"))
    project = load_project(sorted(EXAMPLES.glob("*.zacviz.json"))[0])
    project = dataclasses.replace(project, title="Entrepôt 🚚 logistique ☀️ 漢")
    site = dataclasses.replace(site, name="Zone ⚡ Belle Assise 🌳")
    data = build_report(project, site, lang="fr", today=dt.date(2026, 12, 2))
    out = write_report_pdf(data, tmp_path / "fiche.pdf")
    fonts_used = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert "Symbola" in fonts_used or "Symbol" in fonts_used, fonts_used
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Entrepôt" in text and "⚡" in text and "\ufffd" in text
    assert "?" not in text.split("Entrepôt", 1)[1].splitlines()[0]


def test_a_rule_failing_for_a_thousand_buildings_names_a_few_and_counts_the_rest(tmp_path, kit):
    # 1,000 buildings 0.9 m apart: every one of them fails the spacing rule; the
    # sheet's line named them all, a cell taller than the page (ReportLab refused it).
    site = load_site(
        kit.make_site(tmp_path, lots=[kit.lot("A1", (kit.X0, kit.Y0, kit.X0 + 400, kit.Y0 + 300))])
    )
    buildings = [
        kit.building(f"batiment-{i:04d}", kit.X0 + 5 + (i % 40) * 9.9, kit.Y0 + 5 + (i // 40) * 9.9, 9.0, 9.0)
        for i in range(1000)
    ]
    path = kit.write_project(tmp_path / "p.zacviz.json", kit.project_doc(buildings))
    data = build_report(load_project(path), site, today=dt.date(2026, 1, 5))
    spacing = next(row for row in data.rules if row.id == "building_spacing")
    assert "batiment-0000" in spacing.message and "batiment-0500" not in spacing.message
    assert "(+988)" in spacing.message
    out = write_report_pdf(data, tmp_path / "fiche.pdf")
    assert out.stat().st_size > 0
