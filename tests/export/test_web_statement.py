"""The accessibility statement pages of the web export (RGAA 4.1 structure),
in French and English: their sections, what fills them, their security rules."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from zacviz.errors import InputError
from zacviz.export.statement import (
    PAGES,
    RECOURSE_DELEGATE_URL,
    RECOURSE_FORM_URL,
    Audit,
    load_audit,
    parse_audit,
    statement_html,
)
from zacviz.export.web import write_web_export

ROOT = Path(__file__).resolve().parents[2]
DAY = dt.date(2026, 12, 2)
HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
SECTIONS = {
    "fr": [
        "Déclaration d'accessibilité",
        "État de conformité",
        "Résultats des tests",
        "Contenus non accessibles",
        "Non-conformités",
        "Dérogations pour charge disproportionnée",
        "Contenus non soumis à l'obligation d'accessibilité",
        "Établissement de cette déclaration d'accessibilité",
        "Technologies utilisées pour la réalisation de la page",
        "Environnement de test",
        "Outils pour évaluer l'accessibilité",
        "Retour d'information et contact",
        "Voies de recours",
    ],
    "en": [
        "Accessibility statement",
        "Compliance status",
        "Test results",
        "Non-accessible content",
        "Non-compliance",
        "Disproportionate burden",
        "Content not subject to the accessibility requirements",
        "Preparation of this accessibility statement",
        "Technologies used to build the page",
        "Test environment",
        "Tools used to evaluate accessibility",
        "Feedback and contact",
        "Remedies",
    ],
}
AUDITED = {
    "audited": "2026-12-01",
    "tool": "axe-core 4.10.2",
    "rulesets": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
    "viewports": ["1440x900", "390x844"],
    "states": ["showcase", "lot details"],
    "violations": 0,
    "limits": [{"fr": "Limite connue", "en": "Known limit"}],
}


class Page(HTMLParser):
    """Headings, text, links and elements of one page."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.links: list[dict[str, str | None]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._heading: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("h1", "h2", "h3"):
            self._heading = []
        if tag == "a":
            self.links.append(dict(attrs))

    def handle_endtag(self, tag):
        if tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None

    def handle_data(self, data):
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


@pytest.fixture(scope="module")
def export(tmp_path_factory, belle_assise):
    return write_web_export(belle_assise, [], tmp_path_factory.mktemp("statement"), today=DAY)


@pytest.fixture(scope="module")
def pages(export) -> dict[str, Page]:
    return {lang: Page((export.folder / name).read_text(encoding="utf-8")) for lang, name in PAGES.items()}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_statement_has_the_rgaa_sections_in_order(pages, lang):
    headings = pages[lang].headings
    assert [h for h in headings if h in SECTIONS[lang]] == SECTIONS[lang]
    assert ("html", {"lang": lang}) in pages[lang].tags


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_statement_is_filled_from_the_site(pages, belle_assise, lang):
    text = pages[lang].all_text
    email = belle_assise.settings["contact_email"]
    assert belle_assise.name in text and "Communauté de Communes de l'Oise Picarde" in text
    assert {"href": f"mailto:{email}"} in pages[lang].links
    assert "2 décembre 2026" in text if lang == "fr" else "2 December 2026" in text
    hrefs = [link["href"] for link in pages[lang].links]
    assert RECOURSE_FORM_URL in hrefs and RECOURSE_DELEGATE_URL in hrefs
    assert "Libre réponse 71120" in text and "75342 Paris CEDEX 07" in text
    assert "loi n° 2005-102" in text if lang == "fr" else "law no. 2005-102" in text


def test_statement_reports_the_committed_audit(pages):
    # web/accessibility.json is what the browser accessibility test measured.
    audit = load_audit([ROOT / "web" / "accessibility.json"])
    assert audit.audited is not None and audit.violations == 0
    assert "Non audité" not in pages["fr"].all_text and "Not audited" not in pages["en"].all_text
    assert "0 non-conformité(s)" in pages["fr"].all_text and "0 violation(s)" in pages["en"].all_text
    for limit in audit.limits:
        assert limit["fr"] in pages["fr"].all_text and limit["en"] in pages["en"].all_text


def test_statement_reports_a_recorded_automatic_test(belle_assise):
    audit = parse_audit(AUDITED)
    kwargs = {"today": DAY, "contact_email": None, "viewer_url": "https://www.example.org/zac/"}
    fr = Page(statement_html(belle_assise, audit, "fr", **kwargs)).all_text
    en = Page(statement_html(belle_assise, audit, "en", **kwargs)).all_text
    assert "1 décembre 2026 avec axe-core 4.10.2" in fr and "0 non-conformité(s)" in fr
    assert "1 December 2026 with axe-core 4.10.2" in en and "0 violation(s)" in en
    assert "1440x900, 390x844" in fr and "showcase, lot details" in en
    assert "ne remplace pas un audit" in fr and "Limite connue" in fr and "Known limit" in en
    assert "Non audité" not in fr
    assert "non renseigné" in fr and "not given" in en  # no contact_email
    assert "https://www.example.org/zac/" in fr


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_pages_link_each_other_and_the_viewer(pages, lang):
    other = "en" if lang == "fr" else "fr"
    hrefs = [link["href"] for link in pages[lang].links]
    assert "index.html" in hrefs and PAGES[other] in hrefs
    assert "#main" in hrefs  # skip link


def test_pages_keep_the_viewer_content_security_policy(export):
    index = (export.folder / "index.html").read_text(encoding="utf-8")
    pattern = r'http-equiv="Content-Security-Policy" content="([^"]+)"'
    policy = re.search(pattern, index).group(1)  # type: ignore[union-attr]
    for name in PAGES.values():
        html = (export.folder / name).read_text(encoding="utf-8")
        page = Page(html)
        metas = [a for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
        assert [m["content"] for m in metas] == [policy]
        assert not any(t == "script" for t, _ in page.tags)
        assert not any(t == "style" or "style" in a for t, a in page.tags)
        assert not any(k.startswith("on") for _, a in page.tags for k in a)
        sheets = [a["href"] for t, a in page.tags if t == "link" and a.get("rel") == "stylesheet"]
        assert sheets == ["viewer.css", "statement.css"]
        assert all((export.folder / s).is_file() for s in sheets)


def test_hostile_site_text_is_escaped_in_the_pages(tmp_path, belle_assise):
    settings = {**belle_assise.settings, "council": HOSTILE, "notice": HOSTILE}
    site = replace(belle_assise, name=HOSTILE, settings=settings)
    export = write_web_export(site, [], tmp_path / "out", today=DAY)
    for name in PAGES.values():
        html = (export.folder / name).read_text(encoding="utf-8")
        assert "<script" not in html.lower() and "</script" not in html.lower()
        assert "<img" not in html.lower()
        page = Page(html)
        assert HOSTILE in page.all_text  # shown as text
        assert not any(t in ("script", "img") for t, _ in page.tags)


def test_hostile_audit_text_is_escaped(belle_assise):
    audit = parse_audit({**AUDITED, "tool": HOSTILE, "limits": [{"fr": HOSTILE, "en": HOSTILE}]})
    html = statement_html(belle_assise, audit, "fr", today=DAY, contact_email=None, viewer_url=None)
    assert "<script" not in html.lower() and HOSTILE in Page(html).all_text


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        ([], "a JSON object"),
        ({"audited": "yesterday"}, "audited"),
        ({"audited": 20261201}, "audited"),
        ({"violations": -1}, "violations"),
        ({"violations": True}, "violations"),
        ({"violations": "0"}, "violations"),
        ({"tool": ["axe"]}, "tool"),
        ({"viewports": "1440x900"}, "viewports"),
        ({"states": [1, 2]}, "states"),
        ({"limits": [{"fr": "seulement"}]}, r"limits\[0\]"),
        ({"limits": "aucune"}, "limits"),
    ],
)
def test_a_malformed_audit_record_is_refused_by_field(doc, field):
    with pytest.raises(InputError, match=f"accessibility.json: {field}"):
        parse_audit(doc)


def test_audit_record_is_read_from_the_first_file_found(tmp_path):
    assert load_audit([tmp_path / "none.json"]) == Audit()
    first = tmp_path / "a.json"
    first.write_text(json.dumps(AUDITED), encoding="utf-8")
    assert load_audit([tmp_path / "none.json", first]).tool == "axe-core 4.10.2"
    broken = tmp_path / "accessibility.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"accessibility\.json"):
        load_audit([broken])


def test_committed_audit_record_is_valid():
    doc = json.loads((ROOT / "web" / "accessibility.json").read_text(encoding="utf-8"))
    assert set(doc) == {"audited", "tool", "rulesets", "viewports", "states", "violations", "limits"}
    parse_audit(doc)


@pytest.mark.browser
def test_statement_opens_from_file_without_csp_errors(export, tmp_path):
    from playwright.sync_api import sync_playwright

    from .conftest import ARGS, CHROMIUM

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            messages: list[str] = []
            page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
            page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
            page.goto((export.folder / PAGES["fr"]).as_uri())
            page.wait_for_load_state("load")
            assert page.title().startswith("Déclaration d'accessibilité")
            # The style sheets applied: the page scrolls (viewer.css alone forbids it).
            assert page.evaluate("getComputedStyle(document.body).overflow") != "hidden"
            assert page.evaluate("document.documentElement.scrollHeight > innerHeight")
            page.screenshot(path=str(tmp_path / "statement-fr.png"), full_page=True)
            page.get_by_role("link", name="English version").first.click()
            page.wait_for_load_state("load")
            assert page.url.endswith("/accessibility.html")
            assert page.locator("h1").inner_text() == "Accessibility statement"
            page.get_by_role("link", name="Back to the park tour").first.click()
            page.wait_for_load_state("load")
            assert page.url.endswith("/index.html")
            errors = [m for m in messages if m.startswith(("error", "pageerror")) and "index.html" not in m]
            assert not [m for m in messages if "Content Security Policy" in m], messages
            assert not errors, errors
        finally:
            browser.close()
