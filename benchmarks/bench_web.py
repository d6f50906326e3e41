"""The web export on this machine: export time, page weight, first frame.

Prints, for the park showcase (no project) and for the example projects:

- the median time of ``write_web_export`` (in process) and the wall time of
  ``zacviz export-web`` as a process;
- the total weight of the folder (goal: showcase ≤ 4 MB) and its parts;
- the time from navigation to the first frame drawn with the aerial image, in
  headless Debian Chromium (software GL), from file:// and from a localhost
  server (goal ≤ 2 s), and the same for a shared ``#p=`` link, which the page
  checks with the JavaScript rule engine before drawing.

    python benchmarks/bench_web.py [--repeat N]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from zacviz.export.share import share_fragment
from zacviz.export.web import write_web_export
from zacviz.io.project_file import load_project
from zacviz.io.site_folder import find_site, load_site

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--enable-unsafe-swiftshader",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
GOAL_BYTES = 4_000_000
GOAL_FIRST_FRAME_S = 2.0


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def first_frame(browser, url: str, repeat: int) -> tuple[float, float]:
    """Median (wall time to the first frame with the image, the page's own figure), seconds."""
    walls, own = [], []
    for _ in range(repeat):
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        page = context.new_page()
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_selector("body[data-state=ready]", timeout=30_000)
        walls.append(time.perf_counter() - t0)
        own.append(float(page.evaluate("document.body.dataset.firstFrameMs")) / 1000.0)
        context.close()
    return statistics.median(walls), statistics.median(own)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    site = load_site(find_site("belle-assise"))
    examples = sorted((ROOT / "examples").glob("*.zacviz.json"))
    projects = [load_project(p) for p in examples]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        showcase = write_web_export(site, [], root / "showcase")
        with_projects = write_web_export(site, projects, root / "projects")
        t_showcase = median_time(lambda: write_web_export(site, [], root / "showcase"), args.repeat)
        t_projects = median_time(lambda: write_web_export(site, projects, root / "projects"), args.repeat)
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "zacviz", "export-web", *map(str, examples), "--out", str(root / "cli")],
            check=True,
            capture_output=True,
        )
        t_cli = time.perf_counter() - t0
        print(f"export, showcase:            {t_showcase * 1000:7.0f} ms (median of {args.repeat})")
        print(f"export, {len(projects)} projects:          {t_projects * 1000:7.0f} ms")
        print(f"zacviz export-web (process): {t_cli * 1000:7.0f} ms")
        for name, export in (("showcase", showcase), ("with projects", with_projects)):
            parts = ", ".join(f"{p.name} {p.stat().st_size / 1e3:.0f} kB" for p in export.files)
            print(f"page weight, {name}: {export.total_bytes / 1e6:.2f} MB ({parts})")
        ok &= showcase.total_bytes <= GOAL_BYTES

        from playwright.sync_api import sync_playwright

        handler = functools.partial(_Quiet, directory=tmp)
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_address[1]}"
        link = share_fragment(projects[-1])
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                first_frame(browser, showcase.index.as_uri(), 1)  # warm the disk cache and the GL shaders
                for label, url in (
                    ("file://, showcase", showcase.index.as_uri()),
                    ("http, showcase", f"{base}/showcase/index.html"),
                    ("http, 2 projects", f"{base}/projects/index.html"),
                    ("http, shared #p= link", f"{base}/showcase/index.html#{link}"),
                ):
                    wall, own = first_frame(browser, url, args.repeat)
                    print(f"first frame, {label:22s} {wall:5.2f} s (page's own measure {own:5.2f} s)")
                    ok &= wall <= GOAL_FIRST_FRAME_S
                browser.close()
        finally:
            httpd.shutdown()
            httpd.server_close()
    print("goals (≤ 4 MB showcase, ≤ 2 s first frame):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
