"""The exported page in Debian's Chromium (through Playwright), opened by
double-click (file://) and from a web server: it draws, shows lot details on a
tap, opens shared projects with the verdicts of the Python engine, keeps
hostile text as text and explains a broken link.

One browser and one export per module; each test opens its own page.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace

import pytest

from zacviz.export.share import share_fragment
from zacviz.export.web import write_web_export
from zacviz.model.project import Building, RectFootprint
from zacviz.rules.engine import check_project

from .conftest import serve, wait_until

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=alert(1)>"
READY = "body[data-state=ready], body[data-state=nowebgl], body[data-state=error]"


@pytest.fixture(scope="module")
def export(tmp_path_factory, belle_assise, example_projects):
    """The examples, plus one whose title is hostile HTML."""
    hostile = replace(example_projects[0], title=HOSTILE)
    return write_web_export(belle_assise, [*example_projects, hostile], tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def showcase(tmp_path_factory, belle_assise):
    return write_web_export(belle_assise, [], tmp_path_factory.mktemp("showcase"))


@pytest.fixture(scope="module")
def server(export, showcase) -> Iterator[str]:
    """A localhost server with the export at /projects/ and the showcase at /showcase/."""
    root = export.folder.parent
    assert showcase.folder.parent == root
    with serve(root) as url:
        yield url


def url_of(which, export_, server_url: str) -> str:
    index = export_.index
    if which == "file":
        return index.as_uri()
    rel = index.relative_to(index.parent.parent)
    return f"{server_url}/{rel.as_posix()}"


class Page:
    """A page with its console errors and dialogs recorded."""

    def __init__(self, browser, *, phone: bool = False, webgl: bool = True):
        if phone:
            self.context = browser.new_context(
                viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
            )
        else:
            self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        if not webgl:
            self.page.add_init_script(
                "const g = HTMLCanvasElement.prototype.getContext;"
                "HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {"
                "  return /webgl/.test(kind) ? null : g.call(this, kind, ...rest); };"
            )

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, url: str) -> Page:
        self.page.goto(url)
        self.page.wait_for_selector(READY, timeout=20_000)
        return self

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_page(browser):
    pages: list[Page] = []

    def opener(url: str, **kw) -> Page:
        page = Page(browser, **kw)
        pages.append(page)
        return page.open(url)

    yield opener
    for page in pages:
        page.close()


def canvas_is_drawn(page) -> bool:
    from PIL import Image, ImageStat

    png = page.locator("#scene").screenshot()
    image = Image.open(io.BytesIO(png)).convert("RGB").resize((64, 40))
    stddev = ImageStat.Stat(image).stddev
    colours = image.getcolors(maxcolors=64 * 40) or []
    return len(colours) > 200 and min(stddev) > 10


def python_verdicts(project, site, lang="fr"):
    result = check_project(project, site).to_dict(lang)
    return result["compliant"], [(r["id"], r["ok"], r["message"]) for r in result["rules"]]


def page_verdicts(page):
    compliant = page.get_attribute("#verdict", "data-compliant") == "true"
    rows = page.eval_on_selector_all(
        "#rules li",
        "els => els.map(e => [e.dataset.rule, e.classList.contains('ok'), e.querySelector('p').textContent])",
    )
    return compliant, [tuple(r) for r in rows]


@pytest.mark.parametrize("where", ["file", "http"])
def test_page_draws_the_park_without_errors(where, showcase, server, open_page):
    p = open_page(url_of(where, showcase, server))
    assert p.page.get_attribute("body", "data-state") == "ready"
    assert canvas_is_drawn(p.page)
    assert p.page.text_content("#site-name") == "ZAC de la Belle Assise"
    # The list of lots for sale, each a keyboard-reachable button.
    buttons = p.page.locator("#lot-list button")
    assert buttons.count() >= 5
    assert p.errors == []


@pytest.mark.parametrize("where", ["file", "http"])
def test_exported_projects_show_python_verdicts(
    where, export, server, open_page, belle_assise, example_projects
):
    p = open_page(url_of(where, export, server))
    assert page_verdicts(p.page) == python_verdicts(example_projects[0], belle_assise)
    p.page.locator("nav.projects button").nth(1).click()
    assert page_verdicts(p.page) == python_verdicts(example_projects[1], belle_assise)
    assert p.errors == []


def test_tap_on_a_lot_shows_its_details(showcase, server, open_page):
    p = open_page(url_of("http", showcase, server), phone=True)
    page = p.page
    canvas = page.locator("#scene").bounding_box()
    controls = page.locator(".view-controls").bounding_box()
    # A lot whose label is well inside the view and away from the buttons.
    target = None
    for label in page.locator(".lot-label:not([hidden])").all():
        box = label.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        inside = (
            canvas["x"] + 20 < x < canvas["x"] + canvas["width"] - 20
            and canvas["y"] + 20 < y < canvas["y"] + canvas["height"] - 60
        )
        if inside and x > controls["x"] + controls["width"] + 20:
            target = (label.get_attribute("data-lot"), x, y)
            break
    assert target, "no lot label in view"
    lot_id, x, y = target
    page.touchscreen.tap(x, y)
    details = page.locator(f"section.selection[data-lot='{lot_id}']")
    details.wait_for(timeout=5000)
    assert details.locator("h2").text_content() == f"Lot {lot_id}"
    assert "m²" in details.text_content()
    assert p.errors == []


def never_seen_project(example_projects):
    """A project no export holds: the failing example with a third building too tall."""
    base = example_projects[1]
    first = base.buildings[0].footprint
    assert isinstance(first, RectFootprint)
    extra = Building(
        "b9", "office", 16.5, 3, "flat", RectFootprint(first.cx + 3, first.cy - 4, 9.0, 9.0, 33.0)
    )
    return replace(base, title="Projet jamais vu", buildings=(*base.buildings, extra))


@pytest.mark.parametrize("where", ["file", "http"])
def test_shared_link_shows_its_project_with_the_python_verdicts(
    where, showcase, server, open_page, belle_assise, example_projects
):
    project = never_seen_project(example_projects)
    p = open_page(f"{url_of(where, showcase, server)}#{share_fragment(project)}")
    page = p.page
    assert page.text_content("#project-title") == "Projet jamais vu"
    compliant, rows = page_verdicts(page)
    assert (compliant, rows) == python_verdicts(project, belle_assise)
    assert not compliant
    # In English too, after the language switch.
    page.click("#lang")
    assert page.get_attribute("html", "lang") == "en"
    assert page_verdicts(page) == python_verdicts(project, belle_assise, "en")
    assert canvas_is_drawn(page)
    assert p.errors == []


def marks(page) -> dict[str, float]:
    """The page's performance marks (the first of each name), ms from navigation."""
    return page.evaluate(
        "Object.fromEntries(performance.getEntriesByType('mark').reverse().map(m => [m.name, m.startTime]))"
    )


@pytest.mark.parametrize("where", ["file", "http"])
def test_first_frame_is_drawn_before_the_editor_opens(where, showcase, server, open_page, example_projects):
    # A shared link, what the kiosk's QR code opens: the park is drawn over its
    # aerial image first; editor.js (the link's decoder, the editor, the rule
    # engine) runs only then, and the link's project opens after it.
    project = never_seen_project(example_projects)
    p = open_page(f"{url_of(where, showcase, server)}#{share_fragment(project)}", phone=True)
    page = p.page
    page.wait_for_selector("#verdict")
    at = marks(page)
    order = [
        "zacviz-imagery",
        "zacviz-first-frame",
        "zacviz-first-frame-shown",
        "zacviz-tools",
        "zacviz-link",
    ]
    assert all(name in at for name in order), at
    assert [at[name] for name in order] == sorted(at[name] for name in order), at
    assert int(page.get_attribute("body", "data-first-frame-ms")) >= 0
    assert page.text_content("#project-title") == "Projet jamais vu"
    # Then the full aerial image replaces the first frame's smaller copy.
    wait_until(page, "performance.getEntriesByName('zacviz-imagery-full').length === 1")
    assert p.errors == []


def test_a_page_that_draws_no_frame_still_opens_its_link(showcase, server, browser, example_projects):
    # A background tab runs no animation frame: the link opens all the same, a few seconds on.
    project = never_seen_project(example_projects)
    p = Page(browser)
    try:
        p.page.add_init_script("window.requestAnimationFrame = () => 0;")
        p.open(f"{url_of('http', showcase, server)}#{share_fragment(project)}")
        assert p.page.text_content("#project-title") == "Projet jamais vu"
        assert p.page.get_attribute("body", "data-first-frame-ms") is None
        assert "zacviz-first-frame" not in marks(p.page)
        assert p.errors == []
    finally:
        p.close()


def test_showcase_runs_the_editor_after_its_first_frame(showcase, server, open_page):
    p = open_page(url_of("http", showcase, server))
    at = marks(p.page)
    assert at["zacviz-first-frame"] < at["zacviz-tools"], at
    # The editor is there once the page is ready: a lot's "start a project" opens it.
    p.page.locator("#lot-list button").first.click()
    p.page.click("#start-project")
    p.page.locator("#template-picker button[data-template=empty]").click()
    p.page.wait_for_selector("body[data-mode=edit]")
    assert p.errors == []


def test_hostile_title_stays_text(export, showcase, server, open_page, example_projects):
    hostile = replace(example_projects[0], title=HOSTILE + "<script>alert(2)</script>")
    p = open_page(f"{url_of('http', showcase, server)}#{share_fragment(hostile)}")
    assert p.page.text_content("#project-title") == hostile.title
    assert p.page.locator("#panel img, #panel script").count() == 0
    # The exported project with the same kind of title, in the list of projects.
    q = open_page(url_of("file", export, server))
    assert HOSTILE in q.page.text_content("nav.projects")
    assert q.page.locator("#panel img").count() == 0
    assert p.dialogs == [] and q.dialogs == []
    assert p.errors == [] and q.errors == []


@pytest.mark.parametrize("fragment", ["p=AAAA-damaged", "p=", "p=" + "x" * 40])
def test_broken_link_shows_a_readable_message(fragment, showcase, server, open_page):
    p = open_page(f"{url_of('file', showcase, server)}#{fragment}")
    alert = p.page.locator("#link-error")
    assert alert.get_attribute("role") == "alert"
    assert "Ce lien de projet ne peut pas être ouvert" in alert.text_content()
    assert alert.locator(".code").text_content().startswith("link: ")
    # The park is still there.
    assert p.page.get_attribute("body", "data-state") == "ready"
    assert p.page.locator("#lot-list button").count() >= 5
    assert p.errors == []


def test_link_to_another_site_is_explained(showcase, server, open_page, example_projects):
    other = replace(example_projects[0], site="autre-parc")
    p = open_page(f"{url_of('http', showcase, server)}#{share_fragment(other)}")
    assert "autre-parc" in p.page.text_content("#link-error")


def test_link_reaching_past_10_km_is_refused_like_python(
    showcase, server, open_page, example_projects, belle_assise
):
    from zacviz.errors import InputError
    from zacviz.io.project_file import check_reach

    project = example_projects[0]
    b = project.buildings[0]
    far = replace(b, footprint=b.footprint.moved(20_000.0, 0.0))
    stray = replace(project, buildings=(far, *project.buildings[1:]))
    with pytest.raises(InputError, match="km"):
        check_reach(stray, belle_assise.lot(stray.lot).polygon)
    p = open_page(f"{url_of('http', showcase, server)}#{share_fragment(stray)}")
    assert "buildings[0].footprint" in p.page.text_content("#link-error")
    assert "km" in p.page.text_content("#link-error")


def test_keyboard_reaches_the_lots_and_the_view(showcase, server, open_page):
    p = open_page(url_of("http", showcase, server))
    page = p.page
    first = page.locator("#lot-list button").first
    lot_id = first.get_attribute("data-lot")
    first.focus()
    page.keyboard.press("Enter")
    page.locator(f"section.selection[data-lot='{lot_id}']").wait_for(timeout=5000)
    # The view's buttons and the canvas take the focus and have names.
    for button in page.locator(".view-controls button").all():
        assert button.get_attribute("aria-label")
    page.focus("#scene")
    page.click("#view-reset")
    page.focus("#scene")
    next_frames(page)  # the labels follow the reset view on the next frame: measure that one
    before = label_positions(page)
    page.keyboard.press("+")
    page.keyboard.press("+")
    next_frames(page)
    after = label_positions(page)
    common = sorted(set(before) & set(after))
    assert len(common) >= 2
    assert label_spread(after, common) > 1.3 * label_spread(before, common)  # "+" comes closer
    page.keyboard.press("ArrowLeft")  # OrbitControls: arrows pan
    next_frames(page)
    moved = label_positions(page)
    assert any(moved[k] != after[k] for k in set(moved) & set(after))
    assert page.evaluate("document.activeElement.id") == "scene"
    assert p.errors == []


def test_without_webgl_a_clear_message_and_the_lists_remain(showcase, server, open_page):
    p = open_page(url_of("http", showcase, server), webgl=False)
    page = p.page
    assert page.get_attribute("body", "data-state") == "nowebgl"
    assert page.locator("#nowebgl").is_visible()
    assert "WebGL" in page.text_content("#nowebgl")
    assert page.locator("#lot-list button").count() >= 5
    assert p.errors == []


def next_frames(page) -> None:
    """Wait until the page has drawn two more frames (the view and its labels follow input on the next)."""
    page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def label_positions(page) -> dict[str, tuple[float, float]]:
    return {
        k: tuple(v)
        for k, v in page.eval_on_selector_all(
            ".lot-label:not([hidden])",
            "els => Object.fromEntries(els.map(e => { const r = e.getBoundingClientRect();"
            " return [e.dataset.lot, [r.x + r.width / 2, r.y + r.height / 2]]; }))",
        ).items()
    }


def label_spread(pos, keys) -> float:
    """The mean distance of these labels from their centre, in pixels."""
    xs = [pos[k][0] for k in keys]
    ys = [pos[k][1] for k in keys]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum(((x - mx) ** 2 + (y - my) ** 2) ** 0.5 for x, y in zip(xs, ys, strict=True)) / len(xs)


def touch_gesture(cdp, page, starts, ends, steps: int = 8) -> None:
    """Fingers from ``starts`` to ``ends`` (lists of (x, y)), as a phone sends them."""

    def points(t: float):
        return [
            {"x": sx + (ex - sx) * t, "y": sy + (ey - sy) * t, "id": i}
            for i, ((sx, sy), (ex, ey)) in enumerate(zip(starts, ends, strict=True))
        ]

    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": points(0.0)})
    for k in range(1, steps + 1):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": points(k / steps)})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    next_frames(page)


def test_one_finger_orbits_and_two_fingers_zoom(showcase, server, open_page):
    p = open_page(url_of("http", showcase, server), phone=True)
    page = p.page
    cdp = p.context.new_cdp_session(page)
    box = page.locator("#scene").bounding_box()
    cx, cy = box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.5
    page.click("#view-in")  # closer: more lots are wide enough for their label
    next_frames(page)

    before = label_positions(page)
    touch_gesture(cdp, page, [(cx - 10, cy)], [(cx + 10, cy)])  # about 20°
    after = label_positions(page)
    common = sorted(set(before) & set(after))
    assert len(common) >= 3, (before, after)
    moves = [(after[k][0] - before[k][0], after[k][1] - before[k][1]) for k in common]
    mean = (sum(m[0] for m in moves) / len(moves), sum(m[1] for m in moves) / len(moves))
    # An orbit turns the labels around the centre: not one common shift as a pan would be.
    assert max(abs(m[0] - mean[0]) + abs(m[1] - mean[1]) for m in moves) > 15
    assert "gone" in (page.get_attribute("#hint", "class") or "")

    before = label_positions(page)
    touch_gesture(cdp, page, [(cx - 20, cy), (cx + 20, cy)], [(cx - 110, cy), (cx + 110, cy)])
    after = label_positions(page)
    common = sorted(set(before) & set(after))
    assert len(common) >= 2
    assert label_spread(after, common) > 1.3 * label_spread(before, common)  # spread fingers: closer view
    assert p.errors == []


def test_the_page_leads_to_its_accessibility_statement(showcase, server, open_page):
    p = open_page(url_of("http", showcase, server))
    page = p.page
    link = page.locator("#a11y-statement")
    assert link.get_attribute("href") == "accessibilite.html"
    assert "Accessibilité : non conforme" in link.inner_text()
    page.click("#lang")
    assert page.locator("#a11y-statement").get_attribute("href") == "accessibility.html"
    page.click("#a11y-statement")
    page.wait_for_load_state()
    assert page.url.endswith("/accessibility.html")
    assert "Accessibility statement" in page.locator("h1").inner_text()
    assert not p.errors
