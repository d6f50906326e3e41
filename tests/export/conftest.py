"""Fixtures of the web export tests: the bundled site and the example projects,
loaded once per session (they are read-only); Debian's Chromium, one per
module; a quiet localhost server for a folder."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from zacviz.io.project_file import load_project
from zacviz.io.site_folder import find_site, load_site
from zacviz.model.project import Project
from zacviz.model.site import Site

ROOT = Path(__file__).resolve().parents[2]

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--enable-unsafe-swiftshader",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def wait_until(page, expression: str, timeout_s: float = 30.0) -> None:
    """Evaluate ``expression`` in the page until it is true.

    Playwright's ``wait_for_function`` polls with ``eval``, which the page's CSP
    (``script-src 'self'``) forbids; ``page.evaluate`` goes through the
    debugging protocol, which the CSP does not govern.
    """
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout_s:.0f} s: {expression}"
        page.wait_for_timeout(50)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium through Playwright (never a downloaded one)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """``folder`` over http on localhost, for as long as the block lasts: its URL."""
    handler = functools.partial(_Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


@pytest.fixture(scope="session")
def belle_assise() -> Site:
    """The bundled Belle Assise site (with its aerial image)."""
    return load_site(find_site("belle-assise"))


@pytest.fixture(scope="session")
def example_projects() -> list[Project]:
    """The example projects of ``examples/`` (one compliant, one not)."""
    return [load_project(p) for p in sorted((ROOT / "examples").glob("*.zacviz.json"))]
