"""Heavy shared links within SPEC §2's limits, in Debian's Chromium: the page
draws its first frame and stays responsive while the rule engine checks the
project in a Web Worker, then shows the same verdicts as Python. A link past
the limits is refused at once.

Sizes are cut for CI where the full size takes long on a busy machine;
``benchmarks/bench_web.py`` builds the same families (from this module) at
full size and prints how long the page takes to answer.
"""

from __future__ import annotations

import json
import math

import pytest

from zacviz.export.share import FRAGMENT_KEY, encode_payload, share_fragment
from zacviz.io.project_file import project_from_dict

from .conftest import serve
from .test_web_browser import python_verdicts

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def showcase(tmp_path_factory, belle_assise):
    from zacviz.export.web import write_web_export

    return write_web_export(belle_assise, [], tmp_path_factory.mktemp("heavy"))


@pytest.fixture(scope="module")
def server(showcase):
    with serve(showcase.folder) as url:
        yield url


def url_of(where: str, showcase, server: str) -> str:
    return showcase.index.as_uri() if where == "file" else f"{server}/{showcase.index.name}"


# The page's answer: a verdict (a link refused says so in its error card).
ANSWERED = "#verdict[data-compliant=true], #verdict[data-compliant=false], #link-error"


def big_lot(site):
    return max((lot for lot in site.lots if lot.status == "available"), key=lambda lot: lot.area_m2)


def lot_middle(site) -> tuple[float, float]:
    """The point of the lot farthest from its edges."""
    from shapely.ops import polylabel

    c = polylabel(big_lot(site).polygon, tolerance=0.5)
    return c.x, c.y


def _building(bid, cx, cy, w, d, angle=0.0):
    rect = {"cx": round(cx, 2), "cy": round(cy, 2), "width": w, "depth": d, "angle_deg": angle}
    return {
        "id": bid,
        "use": "workshop",
        "height_m": 8.0,
        "storeys": 1,
        "roof": "flat",
        "footprint": {"rect": rect},
    }


def _surface(sid, kind, footprint):
    return {"id": sid, "kind": kind, "footprint": footprint}


def _document(site, buildings, surfaces=()):
    return {
        "format": "zacviz-project",
        "version": 1,
        "site": site.id,
        "lot": big_lot(site).id,
        "title": "Lien lourd",
        "buildings": list(buildings),
        "surfaces": list(surfaces),
    }


def grid_document(site, n=1000):
    """n 9 m buildings 0.9 m apart from the lot's corner (past its edges): every rule measured."""
    x0, y0, _, _ = big_lot(site).polygon.bounds
    return _document(
        site,
        [_building(f"b{i}", x0 + 5 + (i % 40) * 9.9, y0 + 5 + (i // 40) * 9.9, 9.0, 9.0) for i in range(n)],
    )


def stacked_surfaces_document(site, n=1000):
    """n car parks about 50 × 30 m in the middle of the lot, each turned 0.3°
    from the last and 1 cm wider (no two pairs share exactly as much), and a
    building under them."""
    cx, cy = lot_middle(site)
    rects = [
        {"cx": cx, "cy": cy, "width": round(50 + 0.01 * i, 2), "depth": 30.0, "angle_deg": round(i * 0.3, 1)}
        for i in range(n)
    ]
    surfaces = [_surface(f"s{i}", "parking", {"rect": rect}) for i, rect in enumerate(rects)]
    return _document(site, [_building("b0", cx, cy, 10.0, 10.0)], surfaces)


def many_vertices_document(site, n=4):
    """n star-shaped buildings of 10,000 vertices, 1 m apart, in rows of up to
    three around the middle of the lot."""
    mx, my = lot_middle(site)
    rows = (n + 2) // 3
    buildings = []
    for k in range(n):
        cx = mx + 37 * (k % 3 - 1)
        cy = my + 37 * (k // 3 - (rows - 1) / 2)
        ring = [
            [
                round(cx + (18 if i % 2 else 16) * math.cos(2 * math.pi * i / 10_000), 2),
                round(cy + (18 if i % 2 else 16) * math.sin(2 * math.pi * i / 10_000), 2),
            ]
            for i in range(10_000)
        ]
        b = _building(f"v{k}", cx, cy, 1.0, 1.0)
        b["footprint"] = {"polygon": ring}
        buildings.append(b)
    return _document(site, buildings)


def stacked_stars_document(site, n=1000):
    """n concave 60-vertex stars (30 tips 60 m out, 35 m in) stacked as yards
    in the middle of the lot, each turned 0.01 rad from the last (every pair
    overlaps, their union has an outline of tens of thousands of pieces), and a
    building under them."""
    cx, cy = lot_middle(site)

    def star(turn: float) -> list[list[float]]:
        return [
            [
                round(cx + (35 if k % 2 else 60) * math.cos(turn + math.pi * k / 30), 2),
                round(cy + (35 if k % 2 else 60) * math.sin(turn + math.pi * k / 30), 2),
            ]
            for k in range(60)
        ]

    surfaces = [_surface(f"s{i}", "yard", {"polygon": star(0.01 * i)}) for i in range(n)]
    return _document(site, [_building("b0", cx, cy, 10.0, 10.0)], surfaces)


def picking_document(site):
    """Three 16 m buildings in a row through the middle of the lot's box and
    their car park, the middle one too tall (the only item at fault): the 3D
    view draws it in the second group of its batched mesh, after the two sound ones."""
    x0, y0, x1, y1 = big_lot(site).polygon.bounds
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    buildings = [_building(f"b{k}", cx + dx, cy, 16.0, 16.0) for k, dx in enumerate((-45, 0, 45))]
    buildings[1]["height_m"] = 20.0
    parking = {  # their stalls, north of them
        "id": "s0",
        "kind": "parking",
        "footprint": {"rect": {"cx": cx, "cy": cy + 35, "width": 40.0, "depth": 20.0, "angle_deg": 0.0}},
    }
    return _document(site, buildings, [parking])


def page_rules(page):
    return [
        tuple(r)
        for r in page.eval_on_selector_all(
            "#rules li",
            "els => els.map(e => [e.dataset.rule, e.classList.contains('ok'),"
            " e.querySelector('p').textContent])",
        )
    ]


def fragment_of(doc: dict) -> str:
    return f"{FRAGMENT_KEY}={encode_payload(json.dumps(doc, separators=(',', ':')))}"


# Every main-thread task longer than 50 ms, from the page's start (Chromium's Long Tasks API).
LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); })
  .observe({ type: 'longtask', buffered: true });
"""


def open_heavy(browser, url: str):
    """Open `url`; returns the page once it has answered, and what it saw on the way."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(LONG_TASKS)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_selector("body[data-state=ready]", timeout=60_000)
    return context, page, errors


@pytest.mark.parametrize(
    ("family", "build"),
    [
        ("1,000 buildings 0.9 m apart", lambda site: grid_document(site, 1000)),
        ("300 turned car parks on one spot", lambda site: stacked_surfaces_document(site, 300)),
        ("four 10,000-vertex buildings 1 m apart", lambda site: many_vertices_document(site, 4)),
        ("200 stacked stars on one spot", lambda site: stacked_stars_document(site, 200)),
    ],
)
@pytest.mark.parametrize("where", ["file", "http"])
def test_a_heavy_link_is_checked_in_a_worker_and_agrees_with_python(
    family, build, where, browser, showcase, server, belle_assise
):
    doc = build(belle_assise)
    project = project_from_dict(doc)  # within the limits: Python loads it
    url = f"{url_of(where, showcase, server)}#{share_fragment(project)}"
    context, page, errors = open_heavy(browser, url)
    try:
        # The first frame is drawn, checked or not yet ("pending"): the check runs in the worker.
        assert page.get_attribute("#verdict", "data-compliant") in ("pending", "true", "false")
        # The page answers while the worker checks: it turns to English and back.
        page.click("#lang")
        assert page.get_attribute("html", "lang") == "en" or page.text_content("#lang") == "FR"
        page.click("#lang")
        page.wait_for_selector(ANSWERED, timeout=120_000)
        # A link past 4,000 characters is inflated, validated and checked in the
        # worker from the page's start; a shorter one is opened in the page.
        opened_by = "worker" if len(url.split("#", 1)[1]) > 4000 else "page"
        assert page.evaluate("document.body.dataset.linkOpenedBy") == opened_by
        assert page.evaluate("document.body.dataset.checkedBy") == "worker"
        compliant, rules = python_verdicts(project, belle_assise)
        assert page.get_attribute("#verdict", "data-compliant") == str(compliant).lower()
        assert page_rules(page) == rules
        assert errors == []
    finally:
        context.close()


def test_an_edit_during_a_check_shows_the_result_of_the_latest(browser, showcase, server, belle_assise):
    doc = grid_document(belle_assise, 1000)
    url = f"{url_of('http', showcase, server)}#{share_fragment(project_from_dict(doc))}"
    context, page, errors = open_heavy(browser, url)
    try:
        # The panel lists the first 100 items and says how many more there are.
        assert page.locator("#item-list button").count() == 100
        assert "900" in page.text_content("#item-more").replace("\u202f", "").replace(" ", "")
        # b0 is deleted while the link's own check may still run: that result is dropped.
        page.click("#item-b0")
        page.click("#delete")
        page.wait_for_selector(ANSWERED, timeout=120_000)
        doc["buildings"] = doc["buildings"][1:]
        _, rules = python_verdicts(project_from_dict(doc), belle_assise)
        assert page_rules(page) == rules
        assert "b0," not in page.text_content("#rules")
        assert errors == []
    finally:
        context.close()


def test_a_big_links_share_link_is_made_in_the_worker_and_gives_its_project(
    browser, showcase, server, belle_assise
):
    from zacviz.export.share import decode_fragment

    project = project_from_dict(grid_document(belle_assise, 1000))
    context, page, errors = open_heavy(
        browser, f"{url_of('http', showcase, server)}#{share_fragment(project)}"
    )
    try:
        page.wait_for_selector(ANSWERED, timeout=120_000)
        wait = "document.getElementById('share-link').value !== ''"
        for _ in range(200):
            if page.evaluate(wait):
                break
            page.wait_for_timeout(100)
        # Deflated in the worker after its check, not in the page (a long task there).
        assert page.evaluate("document.body.dataset.shareLinkBy") == "worker"
        link = page.input_value("#share-link")
        assert decode_fragment(link) == project
        assert errors == []
    finally:
        context.close()


def test_a_link_of_10000_buildings_is_refused_at_once(browser, showcase, server, belle_assise):
    doc = grid_document(belle_assise, 1000)
    doc["buildings"] = [
        _building(f"b{i}", b["footprint"]["rect"]["cx"], b["footprint"]["rect"]["cy"], 2.0, 2.0)
        for i, b in enumerate(doc["buildings"] * 10)
    ]
    context, page, errors = open_heavy(browser, f"{url_of('http', showcase, server)}#{fragment_of(doc)}")
    try:
        page.wait_for_selector("#link-error", timeout=10_000)
        assert errors == []
        assert "1000" in page.text_content("#link-error").replace(",", "").replace("\u202f", "")
        assert page.locator("#verdict").count() == 0
    finally:
        context.close()


def _far(doc: dict) -> dict:
    """`doc` with its first building 20 km east of where it was (SPEC §2: out of reach)."""
    first = doc["buildings"][0]
    rect = {**first["footprint"]["rect"], "cx": first["footprint"]["rect"]["cx"] + 20_000}
    return {**doc, "buildings": [{**first, "footprint": {"rect": rect}}, *doc["buildings"][1:]]}


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda doc: {**doc, "site": "autre-parc"}, id="another site"),
        pytest.param(lambda doc: {**doc, "lot": "ZZ9"}, id="an unknown lot"),
        pytest.param(_far, id="out of reach"),
    ],
)
def test_a_big_link_the_page_refuses_says_why_as_a_small_one_does(
    change, browser, showcase, server, belle_assise
):
    # A big link is opened in the worker, a small one in the page: both refusals read the same.
    small = change(grid_document(belle_assise, 3))
    big = change(grid_document(belle_assise, 1000))
    assert len(fragment_of(small)) < 4000 < len(fragment_of(big))
    said = {}
    for name, doc in (("small", small), ("big", big)):
        context, page, errors = open_heavy(browser, f"{url_of('http', showcase, server)}#{fragment_of(doc)}")
        try:
            page.wait_for_selector("#link-error", timeout=30_000)
            opened_by = page.evaluate("document.body.dataset.linkOpenedBy")
            said[name] = (opened_by, page.text_content("#link-error .code"))
            assert page.locator("#verdict").count() == 0
            assert errors == []
        finally:
            context.close()
    assert said["small"][0] == "page" and said["big"][0] == "worker", said
    assert said["small"][1] == said["big"][1], said


def test_a_damaged_big_link_gives_the_line_python_gives(browser, showcase, server, belle_assise):
    from zacviz.errors import InputError
    from zacviz.export.share import decode_payload

    payload = share_fragment(project_from_dict(grid_document(belle_assise, 1000))).split("=", 1)[1]
    damaged = payload[:-1000]  # cut short
    assert len(damaged) > 4000  # opened in the worker
    with pytest.raises(InputError) as python:
        decode_payload(damaged)
    context, page, errors = open_heavy(
        browser, f"{url_of('http', showcase, server)}#{FRAGMENT_KEY}={damaged}"
    )
    try:
        page.wait_for_selector("#link-error", timeout=30_000)
        assert page.evaluate("document.body.dataset.linkOpenedBy") == "worker"
        assert page.text_content("#link-error .code") == python.value.message
        assert errors == []
    finally:
        context.close()


# SPEC §2's worst cases at full size. The goals (the answer within 2 s, no
# main-thread task over 1 s, quiet machine) are measured by
# benchmarks/bench_web.py --heavy-only, which prints every family's figures next
# to Python's check of the same project. These tests hold only against a
# regression to a frozen tab (before the Web Worker, such links froze the page
# for over a minute): their bounds are ten times the goals, so that a loaded CI
# runner (seen: 8 s answers at load 16 on 2 cores) does not fail them.
ANSWER_BOUND_S = 10 * 2.0
LONG_TASK_BOUND_MS = 10 * 1000

FULL_SIZE = [
    ("1,000 buildings 0.9 m apart", lambda site: grid_document(site, 1000)),
    ("1,000 turned car parks on one spot", lambda site: stacked_surfaces_document(site, 1000)),
    ("six 10,000-vertex buildings 1 m apart", lambda site: many_vertices_document(site, 6)),
]


def answer_of(browser, url: str, warm_url: str) -> tuple[float, float, str]:
    """Seconds from navigation to the page's answer, its longest main-thread task (ms), the verdict."""
    import time

    warm = browser.new_context()
    warm.new_page().goto(warm_url)  # the scripts compiled and cached once
    warm.close()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(LONG_TASKS)
    page = context.new_page()
    try:
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_selector(ANSWERED, timeout=120_000)
        answered = time.perf_counter() - t0
        return (
            answered,
            page.evaluate("Math.max(0, ...window.__longTasks)"),
            page.get_attribute("#verdict", "data-compliant"),
        )
    finally:
        context.close()


@pytest.mark.parametrize(("family", "build"), FULL_SIZE)
def test_a_heavy_link_at_full_size_never_holds_the_page_long(
    family, build, browser, showcase, server, belle_assise
):
    url = f"{url_of('http', showcase, server)}#{share_fragment(project_from_dict(build(belle_assise)))}"
    _, longest, verdict = answer_of(browser, url, url_of("http", showcase, server))
    assert verdict in ("true", "false")
    assert longest <= LONG_TASK_BOUND_MS, f"{family}: a main-thread task of {longest:.0f} ms"


def test_the_1000_building_link_answers_in_time(browser, showcase, server, belle_assise):
    doc = grid_document(belle_assise, 1000)
    url = f"{url_of('http', showcase, server)}#{share_fragment(project_from_dict(doc))}"
    answered, longest, verdict = answer_of(browser, url, url_of("http", showcase, server))
    assert verdict == "false"
    assert answered <= ANSWER_BOUND_S, f"answered after {answered:.2f} s"
    assert longest <= LONG_TASK_BOUND_MS, f"a main-thread task of {longest:.0f} ms"


def test_the_1000_stacked_stars_link_gets_the_verdict_python_gives(browser, showcase, server, belle_assise):
    # The union of the stars' outlines once took JSTS minutes (its snapping
    # fallback): the worker never answered. No bound on the main thread's tasks
    # here: the plan draws 1,000 hatched concave yards in one task of seconds.
    doc = stacked_stars_document(belle_assise, 1000)
    project = project_from_dict(doc)
    url = f"{url_of('http', showcase, server)}#{share_fragment(project)}"
    _, _, verdict = answer_of(browser, url, url_of("http", showcase, server))
    compliant, _ = python_verdicts(project, belle_assise)
    assert verdict == str(compliant).lower()


def test_a_tap_on_a_building_in_the_3d_view_selects_it(browser, showcase, server, belle_assise):
    doc = picking_document(belle_assise)
    context, page, errors = open_heavy(browser, f"{url_of('http', showcase, server)}#{fragment_of(doc)}")
    try:
        page.wait_for_selector(ANSWERED, timeout=30_000)
        # The middle building is at fault (too tall), the two others are not.
        assert "⚠" in page.text_content("#item-b1") and "⚠" not in page.text_content("#item-b0")
        page.wait_for_timeout(500)  # the 3D view has drawn the project
        # The building at fault is the only red thing of the 3D view: tap its middle.
        import io

        import numpy as np
        from PIL import Image

        box = page.locator("#scene").bounding_box()
        rgb = np.asarray(Image.open(io.BytesIO(page.locator("#scene").screenshot())).convert("RGB")).astype(
            int
        )
        red = (rgb[..., 0] > 170) & (rgb[..., 1] < 110) & (rgb[..., 2] < 110)
        assert red.sum() > 50, "the building at fault is not drawn in red"
        ys, xs = np.nonzero(red)
        scale = box["width"] / rgb.shape[1]
        page.mouse.click(box["x"] + float(np.median(xs)) * scale, box["y"] + float(np.median(ys)) * scale)
        page.wait_for_selector("#selection-editor[data-item=b1]", timeout=5_000)
        assert errors == []
    finally:
        context.close()
