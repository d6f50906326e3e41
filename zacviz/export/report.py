"""The printable project sheet (``zacviz report``, File → Export PDF): one A4 page.

Builder + writer (STYLE "Export = builder + writer"):

- :func:`build_report` turns a project, its site and its check into a
  :class:`ReportData` of plain strings, numbers and PNG bytes, in one language;
- :func:`write_report_pdf` lays that out with reportlab and draws the QR code
  of the sharing link (SPEC §5) as vector squares with segno.

The pictures come in through a :data:`PictureRenderer` callable the caller
passes in (the command line and the editor pass one built on the Qt views), so
this module stays Qt-free. A renderer that cannot draw (no OpenGL display for
the 3D view) raises; the sheet is still made, without that picture, and says so.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import tempfile
import unicodedata
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from zacviz import i18n
from zacviz.errors import InputError
from zacviz.geometry.footprint import footprint_area
from zacviz.i18n import fmt_number, fmt_percent, tr
from zacviz.model.project import Project
from zacviz.model.site import Site
from zacviz.rules import table
from zacviz.rules.engine import check_project, resolve_lot
from zacviz.rules.results import CheckResult, RuleResult

DEFAULT_COUNCIL = "Communauté de Communes de l'Oise Picarde"
# Where the web viewer (``zacviz export-web``) is published. A site sets its own
# with ``viewer_url`` in site.toml; ``--viewer-url`` or $ZACVIZ_VIEWER_URL override it.
DEFAULT_VIEWER_URL = "https://www.cc-oisepicarde.fr/zac-belle-assise/"
VIEWER_URL_ENV = "ZACVIZ_VIEWER_URL"

PictureRenderer = Callable[[str, Path, tuple[int, int]], Path]
"""``renderer(view, out_png, (width, height))`` draws ``"plan"`` or ``"3d"`` into
``out_png`` and returns the path; it raises when it cannot draw that view."""

VIEWS = ("plan", "3d")
MAX_BUILDING_LINES = 4
# 5:3, so the sheet keeps its one page with room for every rule of the table.
PICTURE_PX = (1200, 720)


@dataclass(frozen=True)
class RuleRow:
    """One line of the rule table, already formatted."""

    id: str
    title: str
    ok: bool
    value: str
    limit: str
    message: str


@dataclass(frozen=True)
class Picture:
    view: str
    caption: str
    png: bytes


@dataclass(frozen=True)
class ReportData:
    """Everything the sheet shows, as text in one language and PNG bytes."""

    lang: str
    council: str
    park: str
    title: str
    subtitle: str
    project_title: str
    date: str
    lot_heading: str
    lot_facts: tuple[tuple[str, str], ...]
    metrics_heading: str
    metrics: tuple[tuple[str, str], ...]
    compliant: bool
    verdict: str
    rules_heading: str
    columns: tuple[str, str, str, str, str]
    rules: tuple[RuleRow, ...]
    pass_label: str
    fail_label: str
    pictures: tuple[Picture, ...]
    # (view, why it is missing) for each picture the renderer could not draw.
    missing_pictures: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]
    share_url: str | None
    qr_caption: str
    disclaimer: str
    page_label: str
    meta: dict[str, Any] = field(default_factory=dict)
    # The sharing link is longer than a QR code holds: no link, no code; the sheet says why.
    share_link_too_long: bool = False


# ----------------------------------------------------------------- builder


def viewer_url_for(site: Site, override: str | None = None) -> str:
    """The web viewer's address: ``override``, $ZACVIZ_VIEWER_URL, the site's
    ``viewer_url`` setting, else :data:`DEFAULT_VIEWER_URL`."""
    for candidate in (override, os.environ.get(VIEWER_URL_ENV), site.settings.get("viewer_url")):
        if candidate:
            return str(candidate)
    return DEFAULT_VIEWER_URL


def format_date(day: dt.date, lang: str) -> str:
    """``30 novembre 2026`` / ``30 November 2026``."""
    month = tr("report.months", lang).split()[day.month - 1]
    return f"{day.day} {month} {day.year}"


# Ids named in a rule's line of the sheet: a layout failing everywhere names
# a thousand buildings, a table cell taller than the page (ReportLab refuses it).
MAX_ITEMS_SHOWN = 12


def rule_row(rule: RuleResult, lang: str) -> RuleRow:
    """A rule result as a table line: figures with units, the limit with its
    sense, at most MAX_ITEMS_SHOWN ids named (then how many more)."""
    entry = table.rule(rule.id)
    if len(rule.items) > MAX_ITEMS_SHOWN:
        more = len(rule.items) - MAX_ITEMS_SHOWN
        rule = replace(rule, items=(*rule.items[:MAX_ITEMS_SHOWN], f"… (+{fmt_number(more, 0, lang)})"))
    return RuleRow(
        id=rule.id,
        title=entry.title(lang),
        ok=rule.ok,
        value=table.quantity(rule.value, rule.unit, lang),
        limit=entry.limit_text(rule.limit, lang),
        message=rule.message(lang),
    )


def _euros(amount: float, lang: str) -> str:
    whole = amount >= 100 or abs(amount - round(amount)) < 0.005
    text = fmt_number(amount, 0 if whole else 2, lang)
    return f"{text} €" if lang == "fr" else f"€{text}"


def _pictures(renderer: PictureRenderer | None, lang: str) -> tuple[list[Picture], list[tuple[str, str]]]:
    """Draw the plan and the 3D view; a view that cannot be drawn becomes a
    (view, explanation) pair that the sheet shows in its place."""
    pictures: list[Picture] = []
    notes: list[tuple[str, str]] = []
    if renderer is None:
        return pictures, []
    captions = {"plan": tr("report.plan_caption", lang), "3d": tr("report.view3d_caption", lang)}
    with tempfile.TemporaryDirectory(prefix="zacviz-report-") as tmp:
        for view in VIEWS:
            out = Path(tmp) / f"{view}.png"
            try:
                written = renderer(view, out, PICTURE_PX)
                png = Path(written).read_bytes()
            except Exception as exc:  # a picture is a bonus: the sheet goes on without it
                if view == "3d":
                    notes.append((view, tr("report.no_3d", lang)))
                else:
                    notes.append((view, tr("report.no_plan", lang, reason=str(exc) or type(exc).__name__)))
                continue
            if not png.startswith(b"\x89PNG"):
                notes.append((view, tr("report.no_plan", lang, reason=f"{view}: not a PNG picture")))
                continue
            pictures.append(Picture(view, captions[view], png))
    return pictures, notes


def build_report(
    project: Project,
    site: Site,
    *,
    lang: str | None = None,
    renderer: PictureRenderer | None = None,
    viewer_url: str | None = None,
    today: dt.date | None = None,
    result: CheckResult | None = None,
) -> ReportData:
    """The content of the project sheet, as plain data.

    ``renderer`` draws the plan and 3D pictures (None: no pictures);
    ``viewer_url`` is the web viewer the QR code opens (see :func:`viewer_url_for`);
    ``result`` reuses a check already made.
    """
    from zacviz.export.share import share_url

    lang = lang or i18n.language()
    if lang not in i18n.LANGUAGES:
        raise InputError(f"--lang: unknown language {lang!r}")
    lot = resolve_lot(project, site)
    result = result if result is not None else check_project(project, site)
    m = result.metrics
    day = today or dt.date.today()

    facts: list[tuple[str, str]] = [(tr("report.lot", lang), lot.id)]
    if lot.name:
        facts.append((tr("report.lot_name", lang), lot.name))
    facts.append((tr("report.zone", lang), lot.zone))
    facts.append((tr("report.lot_area", lang), f"{fmt_number(lot.area_m2, 0, lang)} m²"))
    if lot.status:
        facts.append((tr("report.status", lang), tr(f"report.status.{lot.status}", lang)))
    if lot.price_eur_m2 is not None and lot.price_estimate_eur is not None:
        price = _euros(lot.price_eur_m2, lang)
        facts.append((tr("report.price_m2", lang), f"{price}/m²"))
        facts.append((tr("report.price_estimate", lang), _euros(lot.price_estimate_eur, lang)))
    else:
        facts.append((tr("report.price_m2", lang), tr("report.price_on_request", lang)))

    # Each building by its id (the plan and the rule messages name them so), up to a few.
    shown = project.buildings[:MAX_BUILDING_LINES]
    building_lines = tuple(
        (
            tr("report.building", lang, id=b.id, use=tr(f"report.use.{b.use}", lang)),
            tr(
                "report.building_figures",
                lang,
                height=fmt_number(b.height_m, 1, lang),
                storeys=(
                    tr("report.storeys_one", lang)
                    if b.storeys == 1
                    else tr("report.storeys_many", lang, n=b.storeys)
                ),
                area=fmt_number(footprint_area(b.footprint), 0, lang),
            ),
        )
        for b in shown
    )
    if len(project.buildings) > len(shown):
        rest = tr("report.more_buildings", lang, n=len(project.buildings) - len(shown))
        building_lines += ((rest, ""),)
    if not shown:
        building_lines = ((tr("report.buildings_count", lang), "0"),)
    metrics = (
        *building_lines,
        (
            tr("cli.metric.footprint_m2", lang),
            f"{fmt_number(m.footprint_m2, 0, lang)} m² ({fmt_percent(m.coverage, 1, lang)})",
        ),
        (tr("cli.metric.floor_area_m2", lang), f"{fmt_number(m.floor_area_m2, 0, lang)} m²"),
        (tr("cli.metric.sealed_m2", lang), f"{fmt_number(m.sealed_m2, 0, lang)} m²"),
        (tr("cli.metric.green_ratio", lang), fmt_percent(m.green_ratio, 1, lang)),
        (tr("cli.metric.parking", lang), f"{m.parking_required} / {m.parking_provided}"),
    )
    rows = tuple(rule_row(r, lang) for r in result.rules)
    n_fail = sum(1 for r in rows if not r.ok)
    verdict = (
        tr("report.verdict_ok", lang, n=len(rows))
        if result.compliant
        else tr("report.verdict_fail", lang, n=n_fail, total=len(rows))
    )
    pictures, missing = _pictures(renderer, lang)
    notes = []
    if site.illustrative and site.notice(lang):
        notes.append(site.notice(lang))
    viewer = viewer_url or viewer_url_for(site)
    too_long = _link_too_long_for_qr(project, viewer)
    url = None if too_long else share_url(project, viewer)
    return ReportData(
        lang=lang,
        council=str(site.settings.get("council") or DEFAULT_COUNCIL),
        park=site.name,
        title=tr("report.title", lang),
        subtitle=tr("report.subtitle", lang),
        project_title=project.title or tr("report.untitled", lang),
        date=tr("report.date", lang, date=format_date(day, lang)),
        lot_heading=tr("report.lot_heading", lang),
        lot_facts=tuple(facts),
        metrics_heading=tr("report.metrics_heading", lang),
        metrics=metrics,
        compliant=result.compliant,
        verdict=verdict,
        rules_heading=tr("report.rules_heading", lang),
        columns=(
            tr("report.col_rule", lang),
            tr("report.col_value", lang),
            tr("report.col_limit", lang),
            tr("report.col_result", lang),
            tr("report.col_explanation", lang),
        ),
        rules=rows,
        pass_label=tr("report.pass", lang),
        fail_label=tr("report.fail", lang),
        pictures=tuple(pictures),
        missing_pictures=tuple(missing),
        notes=tuple(notes),
        share_url=url,
        share_link_too_long=too_long,
        qr_caption=tr("report.qr_caption", lang),
        disclaimer=tr("report.disclaimer", lang),
        page_label=tr("report.page", lang, n="{n}"),
        meta={
            "qr_too_large": tr("report.qr_too_large", lang),
            "pdf_title": f"{tr('report.title', lang)} — {project.title or lot.id} — {site.name}",
            "site_id": site.id,
            "lot": lot.id,
        },
    )


# ------------------------------------------------------------------ writer

# The council's colours: a deep green for headings, a red for what fails.
_INK = (0.13, 0.16, 0.20)
_ACCENT = (0.05, 0.36, 0.29)
_FAIL = (0.70, 0.11, 0.11)
_FAIL_BG = (0.99, 0.91, 0.90)
_PASS = (0.10, 0.45, 0.22)
_MUTED = (0.38, 0.41, 0.45)
_RULE_LINE = (0.80, 0.82, 0.84)

_FONT_CANDIDATES = (
    # (regular, bold) TrueType files with ≤, ≥, ², € and the narrow no-break space.
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    ("C:/Windows/Fonts/arial.ttf", "C:/Windows/Fonts/arialbd.ttf"),
    ("/Library/Fonts/Arial.ttf", "/Library/Fonts/Arial Bold.ttf"),
)
# Stand-ins for characters a fallback font lacks.
_STAND_INS = {"\u202f": "\u00a0", "≤": "<=", "≥": ">=", "—": "-", "€": "EUR", "²": "2", "×": "x", "…": "..."}


# Terminal colour codes and other escape sequences (ESC [ ... letter).
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]")


def display_text(s: str) -> str:
    """``s`` as drawn on the sheet: one line without control characters (an ESC
    would print as ``[31m``), Arabic letters joined and right-to-left runs
    (Hebrew, Arabic) in display order."""
    s = _ANSI.sub("", s)
    s = "".join(
        " " if ch in "\t\n\r\v\f" else ch
        for ch in s
        if unicodedata.category(ch) != "Cc" or ch in "\t\n\r\v\f"
    )
    if not any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in s):
        return s
    import arabic_reshaper
    from bidi import get_display

    # The sheet is French or English: the line runs left to right, each
    # right-to-left run within it reads right to left.
    return str(get_display(arabic_reshaper.reshape(s), base_dir="L"))


def fit_width(text: str, font: str, size: float, width: float, fonts: _Fonts | None = None) -> str:
    """``text`` cut with an ellipsis to fit ``width`` points in ``font`` (its
    symbols measured in the fallback font of ``fonts``, when given)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def measure(s: str) -> float:
        return fonts.width(s, font, size) if fonts is not None else stringWidth(s, font, size)

    if measure(text) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if measure(text[:mid] + "...") <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "..."


# Symbol and emoji fonts, per platform: monochrome outlines ReportLab embeds.
_SYMBOL_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf",  # Debian fonts-symbola
    "/usr/share/fonts/truetype/noto/NotoSansSymbols2-Regular.ttf",  # Debian fonts-noto-core
    "C:/Windows/Fonts/seguisym.ttf",  # Segoe UI Symbol
)
# What a character no font has becomes: visible, the same everywhere.
_NO_GLYPH = "\ufffd"


def _invisible(ch: str) -> bool:
    """Formatting characters drawn as nothing: emoji variation selectors, zero
    width joiners, skin-tone modifiers, tag characters."""
    o = ord(ch)
    return (
        unicodedata.category(ch) == "Cf"
        or 0xFE00 <= o <= 0xFE0F
        or 0xE0100 <= o <= 0xE01EF
        or 0x1F3FB <= o <= 0x1F3FF
    )


def _no_symbols(ch: str) -> bool:
    return False


@dataclass
class _Fonts:
    regular: str
    bold: str
    missing: Callable[[str], bool]
    symbols: str | None = None
    in_symbols: Callable[[str], bool] = _no_symbols

    def text(self, s: str) -> str:
        """``s`` ready to draw: control characters removed, right-to-left runs
        shaped and put in display order, characters the font lacks replaced by
        a stand-in, else left to the symbol font when it has them, else shown as
        \ufffd; formatting characters that draw as nothing (emoji variation
        selectors, joiners, skin tones) dropped."""
        s = "".join(ch for ch in display_text(s) if not _invisible(ch))
        if not any(self.missing(ch) for ch in s):
            return s
        out = []
        for ch in s:
            if self.missing(ch):
                if ch in _STAND_INS:
                    ch = _STAND_INS[ch]
                    if self.missing(ch[0]):
                        ch = " " if ch == "\u00a0" else _STAND_INS.get(ch, ch)
                elif self.in_symbols(ch):
                    pass
                else:
                    ch = _NO_GLYPH if not self.missing(_NO_GLYPH) else "?"
            out.append(ch)
        return "".join(out)

    def runs(self, s: str) -> list[tuple[str, bool]]:
        """``s`` (as ``text`` gives it) cut into runs: (run, drawn in the symbol font)."""
        out: list[tuple[str, bool]] = []
        for ch in s:
            sym = self.symbols is not None and self.missing(ch) and self.in_symbols(ch)
            if out and out[-1][1] == sym:
                out[-1] = (out[-1][0] + ch, sym)
            else:
                out.append((ch, sym))
        return out

    def width(self, s: str, font: str, size: float) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return sum(stringWidth(run, self.symbols if sym else font, size) for run, sym in self.runs(s))

    def markup(self, s: str) -> str:
        """``s`` as paragraph markup: escaped, symbols in the symbol font."""
        from xml.sax.saxutils import escape

        return "".join(
            f'<font face="{self.symbols}">{escape(run)}</font>' if sym else escape(run)
            for run, sym in self.runs(self.text(s))
        )

    def draw(
        self, canvas, x: float, y: float, s: str, font: str, size: float, *, right: bool = False
    ) -> None:
        """Draw ``s`` (as ``text`` gives it) at ``x``, ``y`` (its right end there
        when ``right``), each run in its font."""
        if right:
            x -= self.width(s, font, size)
        for run, sym in self.runs(s):
            face = self.symbols if sym else font
            canvas.setFont(face, size)
            canvas.drawString(x, y, run)
            x += canvas.stringWidth(run, face, size)


def _register_fonts() -> _Fonts:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pairs = [p for p in _FONT_CANDIDATES if Path(p[0]).is_file() and Path(p[1]).is_file()]
    import reportlab

    vera = Path(reportlab.__file__).parent / "fonts"
    pairs.append((str(vera / "Vera.ttf"), str(vera / "VeraBd.ttf")))
    regular_path, bold_path = pairs[0]
    if "ZacvizSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("ZacvizSans", regular_path))
        pdfmetrics.registerFont(TTFont("ZacvizSans-Bold", bold_path))
    face = pdfmetrics.getFont("ZacvizSans").face
    cmap = face.charToGlyph

    def missing(ch: str) -> bool:
        return ord(ch) >= 0x80 and ord(ch) not in cmap

    symbols = None
    in_symbols = _no_symbols
    if "ZacvizSymbols" not in pdfmetrics.getRegisteredFontNames():
        for path in _SYMBOL_FONT_CANDIDATES:
            if Path(path).is_file():
                try:
                    pdfmetrics.registerFont(TTFont("ZacvizSymbols", path))
                except Exception:  # a font ReportLab cannot read: the next one
                    continue
                break
    if "ZacvizSymbols" in pdfmetrics.getRegisteredFontNames():
        symbols = "ZacvizSymbols"
        sym_cmap = pdfmetrics.getFont(symbols).face.charToGlyph

        def in_symbols(ch: str) -> bool:
            return ord(ch) in sym_cmap and not unicodedata.category(ch).startswith(("C", "Z"))

    return _Fonts("ZacvizSans", "ZacvizSans-Bold", missing, symbols, in_symbols)


QR_MAX_CHARS = 5_596
"""The most characters a QR code holds at error level M (version 40, digits
only): a longer link cannot fit whatever its characters, and the encoder takes
seconds per megabyte to find that out (a project of 40 outlines of 10,000
vertices makes a link of megabytes)."""


def _link_too_long_for_qr(project: Project, viewer_url: str) -> bool:
    """Whether the sharing link of ``project`` is surely longer than a QR code
    holds (:data:`QR_MAX_CHARS`).

    The project is compressed as the link compresses it (raw DEFLATE, level 9),
    a piece at a time, only until the output alone passes what the code could
    hold: what a compressor has put out stays in its stream. Compressing the
    10 MB of a project of 40 outlines of 10,000 vertices whole takes seconds,
    and the link would be of no use on the sheet.
    """
    from zacviz.export.share import project_json_pieces

    room = (QR_MAX_CHARS - len(viewer_url) - len("#p=")) * 3 // 4  # base64: 4 characters for 3 bytes
    if room <= 0:
        return True
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    out = 0
    piece: list[str] = []
    held = 0
    # The text is written only as far as it is compressed (12 MB of it took a second).
    for text in itertools.chain(project_json_pieces(project), [""]):
        piece.append(text)
        held += len(text)
        if held < 1 << 15 and text:
            continue
        out += len(deflate.compress("".join(piece).encode("utf-8")))
        piece, held = [], 0
        if out > room:
            return True
    return False


def _qr_drawing(url: str, size_pt: float):
    """The QR code of ``url`` as a vector drawing ``size_pt`` wide, or None if too long."""
    if len(url) > QR_MAX_CHARS:
        return None
    import segno
    from reportlab.graphics.shapes import Drawing, Rect
    from reportlab.lib.colors import black

    try:
        qr = segno.make_qr(url, error="m")
    except segno.DataOverflowError:
        return None
    matrix = list(qr.matrix)
    n = len(matrix)
    quiet = 2
    cell = size_pt / (n + 2 * quiet)
    drawing = Drawing(size_pt, size_pt)
    for r, row in enumerate(matrix):
        c = 0
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                # One rectangle per run of dark modules: fewer shapes, no hairline gaps.
                drawing.add(
                    Rect(
                        (quiet + start) * cell,
                        size_pt - (quiet + r + 1) * cell,
                        (c - start) * cell,
                        cell,
                        fillColor=black,
                        strokeColor=None,
                        strokeWidth=0,
                    )
                )
            else:
                c += 1
    return drawing


def write_report_pdf(data: ReportData, out: str | os.PathLike[str]) -> Path:
    """Write the A4 sheet of ``data`` to ``out`` (PDF); returns the path."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import (
        Image,
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    out = Path(out)
    if not out.parent.is_dir():
        raise InputError(f"--out: folder {out.parent} does not exist")
    fonts = _register_fonts()
    t = fonts.text

    esc = fonts.markup

    ink = colors.Color(*_INK)
    accent = colors.Color(*_ACCENT)
    muted = colors.Color(*_MUTED)
    line = colors.Color(*_RULE_LINE)

    def style(name: str, size: float, *, bold: bool = False, color=ink, leading: float | None = None, **kw):
        return ParagraphStyle(
            name,
            fontName=fonts.bold if bold else fonts.regular,
            fontSize=size,
            leading=leading or size * 1.25,
            textColor=color,
            alignment=TA_LEFT,
            **kw,
        )

    s_title = style("title", 15, bold=True, leading=18)
    s_h2 = style("h2", 10.5, bold=True, color=accent, spaceBefore=2, spaceAfter=3)
    s_body = style("body", 8.6)
    s_small = style("small", 7.4, color=muted)
    s_cell = style("cell", 7.8, leading=9.6)
    s_cell_b = style("cellb", 7.8, bold=True, leading=9.6)
    s_head = style("head", 7.6, bold=True, color=colors.white, leading=9.4)
    s_verdict = style("verdict", 10.5, bold=True, color=colors.white, leading=13)

    page_w, page_h = A4
    margin = 14 * mm
    header_h = 24 * mm
    footer_h = 12 * mm
    frame_w = page_w - 2 * margin

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        # Heading band: the council and the park, the date on the right.
        canvas.setFillColor(accent)
        canvas.rect(0, page_h - header_h, page_w, header_h, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        # Long names are cut to their share of the band, never under each other.
        left_w, right_w = (page_w - 2 * margin) * 0.58, (page_w - 2 * margin) * 0.38

        def put(
            x: float, y: float, s: str, font: str, size: float, width: float, right: bool = False
        ) -> None:
            text = fit_width(t(s), font, size, width, fonts)
            fonts.draw(canvas, x, y, text, font, size, right=right)

        put(margin, page_h - 9 * mm, data.council, fonts.regular, 9, left_w)
        put(margin, page_h - 17 * mm, data.park, fonts.bold, 16, left_w)
        put(page_w - margin, page_h - 9 * mm, data.title, fonts.bold, 11, right_w, right=True)
        put(page_w - margin, page_h - 14 * mm, data.subtitle, fonts.regular, 8.5, right_w, right=True)
        put(page_w - margin, page_h - 19 * mm, data.date, fonts.regular, 8.5, right_w, right=True)
        # Footer: the disclaimer on every page, and the page number.
        canvas.setStrokeColor(line)
        canvas.setLineWidth(0.6)
        canvas.line(margin, footer_h, page_w - margin, footer_h)
        canvas.setFillColor(muted)
        footer_w = (page_w - 2 * margin) * 0.8
        put(margin, footer_h - 4 * mm, f"{data.council} — {data.park}", fonts.regular, 6.8, footer_w)
        page = data.page_label.format(n=doc.page)
        put(page_w - margin, footer_h - 4 * mm, page, fonts.regular, 6.8, footer_w, right=True)
        canvas.restoreState()

    story: list[Any] = []
    story.append(Paragraph(esc(data.project_title), s_title))
    story.append(Spacer(1, 2.5 * mm))
    verdict = Table([[Paragraph(esc(data.verdict), s_verdict)]], colWidths=[frame_w])
    verdict.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colors.Color(*(_PASS if data.compliant else _FAIL))),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 3.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
            ]
        )
    )
    story.append(verdict)
    story.append(Spacer(1, 4 * mm))

    # Lot and figures, side by side.
    def facts_table(rows: tuple[tuple[str, str], ...], width: float) -> Table:
        table = Table(
            [[Paragraph(esc(k), s_cell), Paragraph(esc(v), s_cell_b)] for k, v in rows],
            colWidths=[width * 0.46, width * 0.54],
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -2), 0.4, line),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return table

    gap = 8 * mm
    col = (frame_w - gap) / 2
    lot_block = [Paragraph(esc(data.lot_heading), s_h2), facts_table(data.lot_facts, col)]
    fig_block = [Paragraph(esc(data.metrics_heading), s_h2), facts_table(data.metrics, col)]
    top = Table([[lot_block, "", fig_block]], colWidths=[col, gap, col])
    top.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story.append(top)
    story.append(Spacer(1, 4 * mm))

    # Pictures: plan and 3D side by side; a picture that could not be drawn
    # leaves its place to the reason, so the layout (and one page) holds.
    pic_gap = 4 * mm
    pic_w = (frame_w - pic_gap) / 2
    pic_h = pic_w * PICTURE_PX[1] / PICTURE_PX[0]
    by_view = {p.view: p for p in data.pictures}
    why = dict(data.missing_pictures)
    if by_view or why:
        cells: list[Any] = []
        captions: list[Any] = []
        for view in VIEWS:
            pic = by_view.get(view)
            if pic is not None:
                jpeg = _as_jpeg(pic.png)
                reader = ImageReader(_bytes_io(jpeg))
                iw, ih = reader.getSize()
                w, h = pic_w, pic_w * ih / iw
                if h > pic_h:
                    w, h = pic_w * pic_h / h, pic_h
                cells.append(Image(_bytes_io(jpeg), width=w, height=h))
                captions.append(Paragraph(esc(pic.caption), s_small))
            else:
                box = Table(
                    [[Paragraph(esc(why.get(view, "")), s_body)]], colWidths=[pic_w], rowHeights=[pic_h]
                )
                box.setStyle(
                    TableStyle(
                        [
                            ("BOX", (0, 0), (-1, -1), 0.6, line),
                            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                            ("BACKGROUND", (0, 0), (-1, -1), colors.Color(0.96, 0.96, 0.95)),
                            ("LEFTPADDING", (0, 0), (-1, -1), 10),
                            ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                        ]
                    )
                )
                cells.append(box)
                captions.append("")
        pics = Table([cells, captions], colWidths=[pic_w + pic_gap, pic_w], hAlign="LEFT")
        pics.setStyle(
            TableStyle(
                [
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 1), (-1, 1), 1.5),
                ]
            )
        )
        story.append(pics)
    for note in data.notes:
        story.append(Spacer(1, 1.2 * mm))
        story.append(Paragraph(esc(note), s_small))
    story.append(Spacer(1, 3.5 * mm))

    # The rule table: failing rules first catch the eye (red text, tinted row).
    widths = [31 * mm, 16 * mm, 19 * mm, 28 * mm]
    widths.append(frame_w - sum(widths))
    rows: list[list[Any]] = [[Paragraph(esc(c), s_head) for c in data.columns]]
    styles: list[tuple] = [
        ("BACKGROUND", (0, 0), (-1, 0), accent),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, line),
        ("TOPPADDING", (0, 0), (-1, -1), 2.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for i, r in enumerate(data.rules, start=1):
        verdict_style = style(
            f"v{i}", 7.8, bold=True, color=colors.Color(*(_PASS if r.ok else _FAIL)), leading=9.6
        )
        rows.append(
            [
                Paragraph(esc(r.title), s_cell_b),
                Paragraph(esc(r.value), s_cell_b if not r.ok else s_cell),
                Paragraph(esc(r.limit), s_cell),
                Paragraph(esc(data.pass_label if r.ok else data.fail_label), verdict_style),
                Paragraph(esc(r.message), s_cell),
            ]
        )
        if not r.ok:
            styles.append(("BACKGROUND", (0, i), (-1, i), colors.Color(*_FAIL_BG)))
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(styles))
    story.append(KeepTogether([Paragraph(esc(data.rules_heading), s_h2), table]))
    story.append(Spacer(1, 4 * mm))

    # The QR code of the sharing link, beside the disclaimer.
    qr_size = 30 * mm
    qr = _qr_drawing(data.share_url, qr_size) if data.share_url and not data.share_link_too_long else None
    text_w = frame_w - qr_size - 5 * mm
    disclaimer = [
        Paragraph(esc(data.disclaimer), style("disc", 8, bold=True, color=ink, leading=10)),
        Spacer(1, 2 * mm),
    ]
    if qr is not None:
        disclaimer.append(Paragraph(esc(data.qr_caption), s_body))
        disclaimer.append(Paragraph(esc(_short_url(data.share_url or "")), s_small))
        bottom = Table([[disclaimer, qr]], colWidths=[text_w, qr_size + 5 * mm])
    else:
        if data.share_url or data.share_link_too_long:
            disclaimer.append(Paragraph(esc(str(data.meta.get("qr_too_large", ""))), s_small))
        bottom = Table([[disclaimer]], colWidths=[frame_w])
    bottom.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOX", (0, 0), (-1, -1), 0.6, line),
                ("LEFTPADDING", (0, 0), (0, 0), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    story.append(KeepTogether([bottom]))

    doc = SimpleDocTemplate(
        str(out),
        pagesize=A4,
        # The frame pads its content by 6 pt: start it there so text lines up with the heading.
        leftMargin=margin - 6,
        rightMargin=margin - 6,
        topMargin=header_h + 6 * mm,
        bottomMargin=footer_h + 4 * mm,
        title=t(str(data.meta.get("pdf_title", data.title))),
        author=t(data.council),
        subject=t(data.subtitle),
        creator="zacviz",
        lang=data.lang,
    )
    try:
        doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    except OSError as exc:
        raise InputError(f"--out: cannot write {out} ({exc.strerror or exc})") from None
    return out


def _bytes_io(data: bytes):
    import io

    return io.BytesIO(data)


def _as_jpeg(png: bytes, quality: int = 88) -> bytes:
    """A picture as JPEG: photos (aerial image, 3D) weigh ten times less than in PNG."""
    import io

    from PIL import Image as PILImage

    with PILImage.open(io.BytesIO(png)) as im:
        buf = io.BytesIO()
        im.convert("RGB").save(buf, "JPEG", quality=quality, optimize=True)
    return buf.getvalue()


def _short_url(url: str) -> str:
    """The viewer's address without the (long) project fragment, for the eye."""
    return url.split("#", 1)[0]


def export_report(
    project: Project,
    site: Site,
    out: str | os.PathLike[str],
    *,
    lang: str | None = None,
    renderer: PictureRenderer | None = None,
    viewer_url: str | None = None,
    today: dt.date | None = None,
    result: CheckResult | None = None,
) -> tuple[Path, ReportData]:
    """Build and write the sheet in one call (command line, editor)."""
    data = build_report(
        project, site, lang=lang, renderer=renderer, viewer_url=viewer_url, today=today, result=result
    )
    return write_report_pdf(data, out), data
