"""The accessibility statement of the web export (``accessibilite.html`` in
French, ``accessibility.html`` in English), in the structure the RGAA 4.1
expects of a French public body's website.

Builder + writer, like the rest of the export:

- :func:`load_audit` reads what the browser accessibility test recorded
  (``web/accessibility.json``) and refuses a malformed file by field;
- :func:`statement_html` fills the statement from the site (council, park,
  contact address) and that record, in one language;
- :func:`write_statements` writes both pages and their small style sheet.

Every text from the site or the record is escaped; the pages carry the same
Content-Security-Policy as the viewer (no inline script or style), link the
viewer's style sheet, and link each other and the viewer.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zacviz.errors import InputError
from zacviz.export.report import DEFAULT_COUNCIL, format_date
from zacviz.i18n import tr
from zacviz.model.site import Site

AUDIT_FILE = "accessibility.json"
PAGES = {"fr": "accessibilite.html", "en": "accessibility.html"}
STYLESHEET = "statement.css"
# Same policy as the viewer's index.html (used when that file carries none).
DEFAULT_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src data:; worker-src blob:; "
    "base-uri 'none'; form-action 'none'"
)
TECHNOLOGIES = ("HTML5", "CSS", "JavaScript", "WebGL")
RECOURSE_FORM_URL = "https://formulaire.defenseurdesdroits.fr/"
RECOURSE_DELEGATE_URL = "https://www.defenseurdesdroits.fr/saisir/delegues"
RECOURSE_POSTAL = ("Défenseur des droits", "Libre réponse 71120", "75342 Paris CEDEX 07")
_MAX_AUDIT_BYTES = 1_000_000
_MAX_ITEMS = 200

# The statement's own layout: the viewer's sheet is made for a full-screen
# app (no page scrolling), a statement is a document.
STATEMENT_CSS = """\
/* The accessibility statement pages: a readable document over viewer.css. */
html, body { height: auto; overflow: auto; }
body.statement {
  background: var(--paper, #fff); color: var(--ink, #1d2327); font-size: 16px; line-height: 1.55;
}
.statement .skip { position: absolute; left: -9999px; top: 0; }
.statement .skip:focus { left: 8px; top: 8px; z-index: 10; background: #fff; padding: 8px 12px; }
.statement header, .statement footer { background: var(--brand, #17423a); color: #fff; padding: 12px 16px; }
.statement header ul, .statement footer ul {
  list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 8px 24px;
}
.statement header a, .statement footer a {
  color: #fff; display: inline-block; min-height: 24px; padding: 2px 0;
}
.statement main { max-width: 46rem; margin: 0 auto; padding: 16px 16px 48px; }
.statement h1 { font-size: 1.75rem; margin: 16px 0 12px; line-height: 1.25; }
.statement h2 { font-size: 1.3rem; margin: 32px 0 8px; color: var(--brand, #17423a); }
.statement h3 { font-size: 1.08rem; margin: 20px 0 6px; }
.statement p, .statement ul { margin: 0 0 10px; }
.statement li { margin: 4px 0; }
.statement main a { color: #0b5cad; overflow-wrap: anywhere; }
.statement .note {
  font-size: 0.95rem; background: #fff4d6; color: #3b2b00; border-radius: 8px; padding: 8px 12px;
}
.statement address { font-style: normal; }
@media print { .statement header, .statement footer, .statement .skip { display: none; } }
"""


@dataclass(frozen=True)
class Audit:
    """What the accessibility test recorded (``web/accessibility.json``)."""

    audited: dt.date | None = None
    tool: str | None = None
    rulesets: tuple[str, ...] = ()
    viewports: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    violations: int | None = None
    browser: str | None = None
    limits: tuple[dict[str, str], ...] = ()


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > _MAX_ITEMS or not all(isinstance(v, str) for v in value):
        raise InputError(f"{where}: a list of strings is expected")
    return tuple(value)


def _text(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{where}: a string is expected")
    return value


def parse_audit(doc: Any, name: str = AUDIT_FILE) -> Audit:
    """An :class:`Audit` from the decoded JSON; InputError naming the bad field."""
    if not isinstance(doc, dict):
        raise InputError(f"{name}: a JSON object is expected")
    audited = None
    if doc.get("audited") is not None:
        raw = doc["audited"]
        try:
            if not isinstance(raw, str):
                raise ValueError
            audited = dt.date.fromisoformat(raw)
        except ValueError:
            raise InputError(f"{name}: audited: a date YYYY-MM-DD is expected") from None
    violations = doc.get("violations")
    if violations is not None and (
        isinstance(violations, bool) or not isinstance(violations, int) or violations < 0
    ):
        raise InputError(f"{name}: violations: a whole number ≥ 0 is expected")
    limits_raw = doc.get("limits") or []
    if not isinstance(limits_raw, list) or len(limits_raw) > _MAX_ITEMS:
        raise InputError(f"{name}: limits: a list is expected")
    limits = []
    for i, item in enumerate(limits_raw):
        if not isinstance(item, dict) or not all(isinstance(item.get(lang), str) for lang in PAGES):
            raise InputError(f"{name}: limits[{i}]: an object with fr and en texts is expected")
        limits.append({lang: str(item[lang]) for lang in PAGES})
    return Audit(
        audited=audited,
        tool=_text(doc.get("tool"), f"{name}: tool"),
        rulesets=_strings(doc.get("rulesets"), f"{name}: rulesets"),
        viewports=_strings(doc.get("viewports"), f"{name}: viewports"),
        states=_strings(doc.get("states"), f"{name}: states"),
        violations=violations,
        browser=_text(doc.get("browser"), f"{name}: browser"),
        limits=tuple(limits),
    )


def load_audit(candidates: Sequence[Path]) -> Audit:
    """The record in the first of ``candidates`` that exists; an empty record
    (nothing audited) when none does."""
    for path in candidates:
        if not path.is_file():
            continue
        try:
            if path.stat().st_size > _MAX_AUDIT_BYTES:
                raise InputError(f"{path.name}: larger than {_MAX_AUDIT_BYTES // 1_000_000} MB")
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise InputError(f"{path.name}: cannot be read as JSON ({exc})") from None
        return parse_audit(doc, path.name)
    return Audit()


# ------------------------------------------------------------------ builder


def council_name(site: Site) -> str:
    value = site.settings.get("council")
    return str(value) if value else DEFAULT_COUNCIL


def page_csp(index_html: str | None) -> str:
    """The viewer page's Content-Security-Policy, so that both pages keep the same."""
    if index_html:
        match = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', index_html)
        if match:
            return match.group(1)
    return DEFAULT_CSP


def statement_html(
    site: Site,
    audit: Audit,
    lang: str,
    *,
    today: dt.date,
    contact_email: str | None,
    viewer_url: str | None,
    csp: str = DEFAULT_CSP,
) -> str:
    """The statement page in ``lang`` (``fr`` or ``en``)."""

    def e(text: str) -> str:  # element content
        return html.escape(text, quote=False)

    a = html.escape  # attribute values
    council = council_name(site)
    park = site.name

    def t(key: str, **fields: Any) -> str:
        return e(tr(key, lang, **fields))

    other = "en" if lang == "fr" else "fr"
    out: list[str] = [
        "<!doctype html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{a(csp)}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="color-scheme" content="light">',
        f"<title>{t('a11y.page_title', park=park)}</title>",
        '<link rel="icon" href="data:,">',
        '<link rel="stylesheet" href="viewer.css">',
        f'<link rel="stylesheet" href="{STYLESHEET}">',
        f'<link rel="alternate" hreflang="{other}" href="{PAGES[other]}">',
        "</head>",
        '<body class="statement">',
        f'<a class="skip" href="#main">{t("a11y.skip")}</a>',
    ]
    links = [
        "<ul>",
        f'<li><a href="index.html">{t("a11y.back")}</a></li>',
        f'<li><a href="{PAGES[other]}" hreflang="{other}" lang="{other}">{t("a11y.other_language")}</a></li>',
        "</ul>",
    ]
    out += [
        "<header>",
        f'<nav aria-label="{a(tr("a11y.nav", lang))}">',
        *links,
        "</nav>",
        "</header>",
        '<main id="main">',
        f"<h1>{t('a11y.title')}</h1>",
    ]
    if site.illustrative:
        notice = site.settings.get("notice")
        text = t("a11y.illustrative") + (f" — {e(str(notice))}" if notice else "")
        out.append(f'<p class="note">{text}</p>')
    out.append(f"<p>{t('a11y.commitment', council=council)}</p>")
    out.append(f"<p>{t('a11y.scope', park=park)}</p>")
    if viewer_url:
        out.append(f'<p>{t("a11y.scope_url")} <a href="{a(viewer_url)}">{e(viewer_url)}</a></p>')

    out += [f"<h2>{t('a11y.status_heading')}</h2>", f"<p>{t('a11y.status', park=park)}</p>"]

    out.append(f"<h2>{t('a11y.results_heading')}</h2>")
    unknown = tr("a11y.unknown", lang)
    if audit.audited is None:
        out.append(f"<p>{t('a11y.not_audited')}</p>")
    else:
        out.append(
            "<p>"
            + t(
                "a11y.automatic",
                date=format_date(audit.audited, lang),
                tool=audit.tool or unknown,
                rulesets=", ".join(audit.rulesets) or unknown,
                violations=unknown if audit.violations is None else audit.violations,
            )
            + "</p>"
        )
        if audit.states:
            out.append(f"<p>{t('a11y.automatic_states', states=', '.join(audit.states))}</p>")
        out.append(f"<p>{t('a11y.automatic_limit')}</p>")

    out += [f"<h2>{t('a11y.inaccessible_heading')}</h2>", f"<h3>{t('a11y.non_compliance_heading')}</h3>"]
    if audit.audited is None:
        out.append(f"<p>{t('a11y.issues_not_known')}</p>")
    elif audit.violations == 0 and not audit.limits:
        out.append(f"<p>{t('a11y.no_known_issue')}</p>")
    if audit.limits:
        out.append("<ul>" + "".join(f"<li>{e(limit[lang])}</li>" for limit in audit.limits) + "</ul>")
    out += [
        f"<h3>{t('a11y.derogations_heading')}</h3>",
        f"<p>{t('a11y.derogations')}</p>",
        f"<h3>{t('a11y.exempt_heading')}</h3>",
        f"<p>{t('a11y.exempt')}</p>",
    ]

    out += [
        f"<h2>{t('a11y.making_heading')}</h2>",
        f"<p>{t('a11y.made_on', date=format_date(today, lang))}</p>",
        f"<h3>{t('a11y.technologies_heading')}</h3>",
        "<ul>" + "".join(f"<li>{e(name)}</li>" for name in TECHNOLOGIES) + "</ul>",
        f"<h3>{t('a11y.environment_heading')}</h3>",
    ]
    if audit.audited is None:
        out.append(f"<p>{t('a11y.none_yet')}</p>")
    else:
        env = []
        if audit.browser:
            env.append(t("a11y.browser", browser=audit.browser))
        env.append(t("a11y.viewports", viewports=", ".join(audit.viewports) or unknown))
        out.append("<ul>" + "".join(f"<li>{item}</li>" for item in env) + "</ul>")
    out.append(f"<h3>{t('a11y.tools_heading')}</h3>")
    if audit.audited is None or not audit.tool:
        out.append(f"<p>{t('a11y.none_yet')}</p>")
    else:
        out.append(f"<ul><li>{e(audit.tool)}</li></ul>")

    out += [f"<h2>{t('a11y.contact_heading')}</h2>", f"<p>{t('a11y.contact', council=council)}</p>"]
    if contact_email:
        out.append(
            f'<ul><li>{t("a11y.email")} <a href="mailto:{a(contact_email)}">{e(contact_email)}</a></li></ul>'
        )
    else:
        out.append(f"<ul><li>{t('a11y.no_email')}</li></ul>")

    postal = "<br>".join(e(line) for line in RECOURSE_POSTAL)
    out += [
        f"<h2>{t('a11y.recourse_heading')}</h2>",
        f"<p>{t('a11y.recourse')}</p>",
        "<ul>",
        f'<li><a href="{RECOURSE_FORM_URL}">{t("a11y.recourse_form")}</a></li>',
        f'<li><a href="{RECOURSE_DELEGATE_URL}">{t("a11y.recourse_delegate")}</a></li>',
        f"<li>{t('a11y.recourse_mail')}<br><address>{postal}</address></li>",
        "</ul>",
        "</main>",
        "<footer>",
        *links,
        "</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ writer


def write_statements(
    site: Site,
    folder: Path,
    audit: Audit,
    *,
    today: dt.date,
    contact_email: str | None,
    viewer_url: str | None,
    index_html: str | None = None,
) -> list[Path]:
    """Write both statement pages and their style sheet into ``folder``."""
    csp = page_csp(index_html)
    written = []
    for lang, name in PAGES.items():
        path = folder / name
        text = statement_html(
            site, audit, lang, today=today, contact_email=contact_email, viewer_url=viewer_url, csp=csp
        )
        path.write_text(text, encoding="utf-8")
        written.append(path)
    css = folder / STYLESHEET
    css.write_text(STATEMENT_CSS, encoding="utf-8")
    written.append(css)
    return written
