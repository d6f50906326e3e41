"""The page against WCAG 2.1 A/AA as axe-core (npm, web/node_modules) measures
it, on every state a visitor meets — showcase, a lot's details, the template
choice, editing with a failing rule shown and its take-aways, the print sheet,
a shared link, a broken link, no WebGL — on a desktop and a phone viewport.

The figures are those of ``web/accessibility.json``, which the export's
accessibility statement quotes: ``ZACVIZ_UPDATE_A11Y=1`` rewrites it from
this run; otherwise the test fails when the file no longer says what was
measured.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from zacviz.export.share import share_fragment

from .test_web_browser import READY, url_of
from .test_web_editor import server, site_export  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
REPORT = ROOT / "web" / "accessibility.json"
RULESETS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS: dict[str, dict[str, object]] = {"1440x900": {"viewport": {"width": 1440, "height": 900}}}
VIEWPORTS["390x844"] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
STATES = [
    "showcase",
    "lot details",
    "template choice",
    "editing, failing rule shown, refused value",
    "share link and QR code",
    "print sheet",
    "shared link",
    "broken link",
    "no WebGL",
]
LIMITS = [
    {
        "fr": "La vue 3D est une image : son contenu (lots, bâtiments) est donné en texte dans le panneau.",
        "en": "The 3D view is a picture: what it shows (lots, buildings) is given as text in the panel.",
    },
    {
        "fr": "Le plan se modifie aussi au clavier (flèches, Alt + flèches, [ et ])"
        " et par les champs du panneau.",
        "en": "The plan is also edited with the keyboard (arrows, Alt + arrows, [ and ])"
        " and with the panel's fields.",
    },
    {
        "fr": "Tests automatiques (axe-core) : ils ne couvrent pas tous les critères du RGAA 4.1.",
        "en": "Automated tests (axe-core): they do not cover every RGAA 4.1 criterion.",
    },
]


def axe_version() -> str:
    return json.loads((AXE.parent / "package.json").read_text())["version"]


def violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        RULESETS,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def new_page(chromium, viewport: str, *, webgl: bool = True):
    # axe-core is injected as a script: this context only lets it past the page's CSP.
    context = chromium.new_context(bypass_csp=True, **VIEWPORTS[viewport])
    page = context.new_page()
    page.set_default_timeout(10_000)
    if not webgl:
        page.add_init_script(
            "const g = HTMLCanvasElement.prototype.getContext;"
            "HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {"
            "  return /webgl/.test(kind) ? null : g.call(this, kind, ...rest); };"
        )
    return context, page


@pytest.fixture(scope="module")
def measured(browser, site_export, server, example_projects):  # noqa: F811
    """Every state on both viewports: {viewport: {state: [violations]}}."""
    out: dict[str, dict[str, list[dict]]] = {}
    base = url_of("http", site_export, server)
    for viewport in VIEWPORTS:
        found: dict[str, list[dict]] = {}
        context, page = new_page(browser, viewport)
        page.goto(base)
        page.wait_for_selector(READY, timeout=20_000)
        found["showcase"] = violations(page)
        page.click("#lot-list button[data-lot=B3]")
        found["lot details"] = violations(page)
        page.click("#start-project")
        found["template choice"] = violations(page)
        page.click("#template-picker [data-template=warehouse]")
        page.focus("#plan")
        page.keyboard.press("Enter")
        for _ in range(3):
            page.keyboard.press("Shift+ArrowUp")
        page.click("#rules li[data-rule=road_setback] button.show-fault")
        page.fill("#field-height_m", "500")
        page.press("#field-height_m", "Enter")
        found["editing, failing rule shown, refused value"] = violations(page)
        page.locator("#takeaways").scroll_into_view_if_needed()
        page.click("#copy-link")
        page.locator("#qr-box canvas.qr").wait_for()
        found["share link and QR code"] = violations(page)
        page.emulate_media(media="print")
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        found["print sheet"] = violations(page)
        context.close()

        context, page = new_page(browser, viewport)
        page.goto(f"{base}#{share_fragment(example_projects[1])}")
        page.wait_for_selector("#verdict", timeout=20_000)
        found["shared link"] = violations(page)
        page.goto("about:blank")
        page.goto(f"{base}#p=AAAA-damaged")
        page.wait_for_selector("#link-error", timeout=20_000)
        found["broken link"] = violations(page)
        context.close()

        context, page = new_page(browser, viewport, webgl=False)
        page.goto(base)
        page.wait_for_selector("body[data-state=nowebgl]", timeout=20_000)
        found["no WebGL"] = violations(page)
        context.close()
        out[viewport] = found
    return out


def test_every_state_on_both_viewports_has_no_wcag_violation(measured):
    found = {f"{vp} / {state}": v for vp, states in measured.items() for state, v in states.items() if v}
    assert found == {}


def test_the_accessibility_report_says_what_was_measured(measured):
    assert [s for s in measured["1440x900"]] == STATES
    count = sum(len(v) for states in measured.values() for v in states.values())
    report = {
        "audited": dt.date.today().isoformat(),
        "tool": f"axe-core {axe_version()}",
        "rulesets": RULESETS,
        "viewports": list(VIEWPORTS),
        "states": STATES,
        "violations": count,
        "limits": LIMITS,
    }
    if os.environ.get("ZACVIZ_UPDATE_A11Y") == "1":
        REPORT.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    committed = json.loads(REPORT.read_text(encoding="utf-8"))
    assert {k: v for k, v in committed.items() if k != "audited"} == {
        k: v for k, v in report.items() if k != "audited"
    }
    dt.date.fromisoformat(committed["audited"])
