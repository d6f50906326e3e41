"""What the editor's data costs the web export, on this machine.

Prints, for the bundled site (showcase, no project), medians over ``--repeat``
runs:

- the anchor: ``write_web_export`` with the template layouts already laid out
  (a second export of the same site object, which keeps them);
- the whole export from a freshly loaded site (layouts computed), and the ratio;
- the parts: the template layouts of every available lot alone (wall and CPU
  time: the machine may be busy), the close imagery of every available lot alone;
- the weight of the export and of its lot images (goal: all ≤ 4 MB).

    python benchmarks/bench_web_data.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from zacviz.export.web import Origin, build_close_imagery, lot_templates, write_web_export
from zacviz.io.site_folder import find_site, load_site

GOAL_BYTES = 4_000_000


def median_time(
    fn: Callable[[], object], repeat: int, clock: Callable[[], float] = time.perf_counter
) -> float:
    times = []
    for _ in range(repeat):
        t0 = clock()
        fn()
        times.append(clock() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = find_site("belle-assise")
    out = Path(tempfile.mkdtemp(prefix="zacviz-bench-"))

    warm = load_site(folder)
    write_web_export(warm, [], out)  # lays the templates out once, warms imports and caches
    anchor = median_time(lambda: write_web_export(warm, [], out), args.repeat)
    fresh = median_time(lambda: write_web_export(load_site(folder), [], out), args.repeat)

    def templates_only() -> None:
        site = load_site(folder)
        for lot in site.lots:
            lot_templates(site, lot)

    layouts = median_time(templates_only, args.repeat)
    layouts_cpu = median_time(templates_only, args.repeat, time.process_time)  # less hit by a busy machine
    origin = Origin.for_site(warm)
    close = median_time(lambda: list(build_close_imagery(warm, origin)), args.repeat)

    export = write_web_export(warm, [], out)
    total = export.total_bytes
    lots = sum(p.stat().st_size for p in export.files if p.parent.name == "lots")
    available = sum(lot.status == "available" for lot in warm.lots)
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    print(f"anchor  export, layouts kept      {anchor * 1000:8.0f} ms")
    print(f"figure  export, fresh site        {fresh * 1000:8.0f} ms   ratio {fresh / anchor:.2f}")
    cpu = f"({layouts_cpu * 1000:.0f} ms CPU)"
    print(f"part    template layouts ({available} lots × 5) {layouts * 1000:8.0f} ms {cpu}")
    print(f"part    close imagery ({available} lots)  {close * 1000:8.0f} ms")
    goal = GOAL_BYTES / 1e6
    print(f"weight  {total / 1e6:.2f} MB in all (goal ≤ {goal:.0f} MB), lot images {lots / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
