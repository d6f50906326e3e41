"""A fuzz suite of hostile-but-plausible inputs (the families of SPEC §2 and
§5): mutated projects, sharing links and site folders, in process and through
``zacviz`` as a process.

Every input must end in a result or in one ``InputError`` line naming a
field (``error:`` and exit 2 for the command line; 0 or 1 for ``check``),
never another exception, within the time and memory bounds.

CI runs a small budget. A longer run::

    ZACVIZ_FUZZ_EXAMPLES=2000 pytest tests/fuzz -p no:cacheprovider
"""

from __future__ import annotations

import copy
import json
import math
import os
import resource
import subprocess
import sys
import time
import zlib
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zacviz.errors import InputError
from zacviz.export.share import decode_fragment, encode_payload
from zacviz.io.project_file import check_reach, loads
from zacviz.io.site_folder import load_site
from zacviz.rules.engine import check_project, resolve_lot

# A failing input of 1,000 items is reported by its size, not by a 200 kB repr
# (which hypothesis warns about, and the warning, an error here, hid the failure).
pytestmark = pytest.mark.filterwarnings(
    "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning"
)

EXAMPLES = int(os.environ.get("ZACVIZ_FUZZ_EXAMPLES", "25"))
# Per input, in process: far above what a valid input takes (SPEC §2: 2 s),
# for a shared machine.
SECONDS = float(os.environ.get("ZACVIZ_FUZZ_SECONDS", "6"))

SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,  # timed below, with our own bound
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
    derandomize=os.environ.get("ZACVIZ_FUZZ_RANDOM") is None,
)

# Values an attacker or a broken tool would put anywhere.
HOSTILE = st.one_of(
    st.sampled_from(
        [
            None,
            True,
            0,
            -1,
            1e308,
            -1e308,
            1e-320,
            10**400,
            -(10**400),
            "",
            " ",
            "\x1b[31m",
            "../../../../tmp/x",
            "/dev/zero",
            "\u202eevil",
            "x" * 300,
            "A" * 100_000,
            [],
            {},
            [[[[[[[[]]]]]]]],
            [0, 0],
            {"rect": {}},
            {"polygon": [[0, 0], [1, 1], [1, 0], [0, 1]]},
        ]
    ),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=80),
)


def _paths(doc: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, (*prefix, i))
    return out


def _set(doc: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    target = doc
    for k in path[:-1]:
        target = target[k]
    target[path[-1]] = value
    return doc


def _turned_surface(i: int) -> dict:
    """Surface ``i`` of a stack in the middle of the kit's lot A1 (its corner at
    649,000 / 6,948,000), turned 0.37 rad from the last."""
    x0, y0 = 649_000.0, 6_948_000.0
    c, s = math.cos(i * 0.37), math.sin(i * 0.37)
    corners = [
        (x * c - y * s + x0 + 50, x * s + y * c + y0 + 40)
        for x, y in ((-20, -8), (20, -8), (20, 8), (-20, 8))
    ]
    return {"id": f"t{i}", "kind": "yard", "footprint": {"polygon": [list(p) for p in corners]}}


def _turned_star(i: int) -> dict:
    """Surface ``i`` of a stack of concave 60-vertex stars on the same spot,
    turned 0.01 rad from the last (hulls bound nothing there)."""
    x0, y0 = 649_000.0 + 50, 6_948_000.0 + 40
    ring = [
        (
            x0 + (30 if k % 2 == 0 else 18) * math.cos(0.01 * i + math.pi * k / 30),
            y0 + (30 if k % 2 == 0 else 18) * math.sin(0.01 * i + math.pi * k / 30),
        )
        for k in range(60)
    ]
    return {"id": f"t{i}", "kind": "yard", "footprint": {"polygon": [list(p) for p in ring]}}


@st.composite
def mutated_projects(draw, base: dict) -> str:
    """A project document with 1 to 4 values replaced, keys added or dropped,
    items multiplied up to the limits, or a deep nesting; as JSON text."""
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(doc)
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["set", "set", "drop", "multiply", "turn", "nest"]))
        if action == "set":
            # A copy: the sampled lists and dicts are module constants, and a
            # later action may write into what was set (a shared constant grown
            # from one input to the next, or made to hold itself).
            doc = _set(doc, path, copy.deepcopy(draw(HOSTILE)))
        elif action == "drop" and path:
            parent = doc
            for k in path[:-1]:
                parent = parent[k]
            if isinstance(parent, dict):
                parent.pop(path[-1], None)
        elif action == "multiply" and isinstance(doc, dict) and isinstance(doc.get("buildings"), list):
            n = draw(st.sampled_from([2, 50, 999, 1000, 1001]))
            items = doc["buildings"][:1] * n
            doc["buildings"] = [
                {**b, "id": f"b{i}"} if isinstance(b, dict) else b for i, b in enumerate(items)
            ]
        elif action == "turn" and isinstance(doc, dict):
            # A stack of surfaces, each turned from the last (the overlap
            # rule's worst case), over whatever buildings are there.
            n = draw(st.sampled_from([2, 50, 300]))
            shape = draw(st.sampled_from([_turned_surface, _turned_star]))
            doc["surfaces"] = [shape(i) for i in range(n)]
        elif action == "nest":
            depth = draw(st.sampled_from([10, 63, 65, 2000]))
            doc = _set(doc, path, json.loads("[" * depth + "]" * depth) if depth < 900 else 0)
            if depth >= 900 and isinstance(doc, dict):
                return json.dumps(doc)[:-1] + ', "deep": ' + "[" * depth + "]" * depth + "}"
    text = json.dumps(doc)
    if draw(st.booleans()) and draw(st.booleans()):
        text = "\ufeff" + text
    return text


def _one_line(exc: InputError) -> None:
    message = exc.message
    assert "\n" not in message and message.strip() == message, message
    assert "internal error" not in message, message
    assert len(message) <= 400, message[:400]


@pytest.fixture(scope="module")
def fuzz_site(tmp_path_factory, kit):
    root = tmp_path_factory.mktemp("fuzz-site")
    folder = kit.make_site(root)
    return folder, load_site(folder)


def _bounded(fn, tally, family: str, size: int | None = None) -> None:
    t0 = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - t0
    tally(family, elapsed, size=size)
    of = f" for {size:,} characters" if size is not None else ""
    assert elapsed <= SECONDS, f"{family}: {elapsed:.1f} s{of}"


def test_fuzz_projects_in_process(fuzz_site, kit, tally):
    _, site = fuzz_site
    base = kit.compliant_project()

    @SETTINGS
    @given(mutated_projects(base))
    def run(text: str) -> None:
        def once() -> None:
            try:
                project = loads(text)
                lot = resolve_lot(project, site)
                check_reach(project, lot.polygon)
                result = check_project(project, site)
            except InputError as exc:
                _one_line(exc)
                return
            json.dumps(result.to_dict(), allow_nan=False)

        _bounded(once, tally, "projects, checked in process", len(text))

    run()


@st.composite
def hostile_links(draw, good: str) -> str:
    kind = draw(st.sampled_from(["bytes", "cut", "flip", "pad", "bomb", "json", "text"]))
    if kind == "bytes":
        return "p=" + draw(st.text(alphabet="ABCDEFabcdef0123456789-_=+/*%", max_size=200))
    if kind == "cut":
        return good[: draw(st.integers(0, len(good)))]
    if kind == "flip":
        i = draw(st.integers(2, len(good) - 1))
        return good[:i] + draw(st.sampled_from("A_-9z=")) + good[i + 1 :]
    if kind == "pad":
        return good + "=" * draw(st.integers(1, 3))
    if kind == "bomb":
        size = draw(st.sampled_from([2_000_000, 2_000_001, 50_000_000]))
        deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
        chunk = b" " * 1_000_000
        raw = b"".join(
            deflate.compress(chunk[: min(len(chunk), size - k)]) for k in range(0, size, len(chunk))
        )
        import base64

        return "p=" + base64.urlsafe_b64encode(raw + deflate.flush()).decode().rstrip("=")
    if kind == "json":
        return "p=" + encode_payload(draw(mutated_projects(json.loads(json.dumps(GOOD_DOC)))))
    return draw(st.text(max_size=300))


GOOD_DOC: dict = {}


def test_fuzz_links(kit, tally):
    GOOD_DOC.clear()
    GOOD_DOC.update(kit.compliant_project())
    good = "p=" + encode_payload(json.dumps(GOOD_DOC))

    @SETTINGS
    @given(hostile_links(good))
    def run(text: str) -> None:
        def once() -> None:
            try:
                decode_fragment(text)
            except InputError as exc:
                _one_line(exc)
                assert exc.message.startswith("link:"), exc.message

        _bounded(once, tally, "sharing links, decoded", len(text))

    run()


RULE_KEYS = [
    "max_coverage",
    "max_height_m",
    "min_setback_road_m",
    "min_setback_side_m",
    "side_setback_height_ratio",
    "min_building_spacing_m",
    "min_green_ratio",
    "max_floor_area_m2",
]


def test_fuzz_site_folders(tmp_path_factory, kit, tally):
    root = tmp_path_factory.mktemp("fuzz-sites")
    counter = iter(range(10**9))

    values = st.one_of(
        st.sampled_from([10**400, 1e308, 1e-320, -1.0, 0, 1e12]),
        st.floats(allow_nan=False, allow_infinity=False),
        st.integers(),
    )

    @SETTINGS
    @given(
        st.dictionaries(st.sampled_from(RULE_KEYS), values, max_size=3),
        st.one_of(st.none(), st.sampled_from([1e-320, 10**400, 0.5, -3, 1e9])),
        st.sampled_from(
            ["EPSG:2154", "EPSG:4326", "OGC:CRS84", "EPSG:" + "9" * 5000, "EPSG:99999", "nonsense"]
        ),
    )
    def run(zone_changes, per_stall, crs) -> None:
        zone = {**kit.ZONE_UE, **zone_changes}
        if per_stall is not None:
            zone["parking_m2_per_stall"] = {"office": per_stall}
        folder = kit.make_site(root / str(next(counter)), zone=zone, crs=crs)

        def once() -> None:
            try:
                site = load_site(folder)
                project = loads(json.dumps(kit.compliant_project()))
                check_project(project, site)
            except InputError as exc:
                _one_line(exc)

        _bounded(once, tally, "site folders, loaded and checked")

    run()


def _cli(args: list[str]) -> tuple[subprocess.CompletedProcess, float, float]:
    code = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "cmd = [sys.executable, '-m', 'zacviz', *sys.argv[1:]]\n"
        "p = subprocess.run(cmd, capture_output=True, text=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(p.returncode, time.perf_counter() - t, peak)\n"
        "sys.stdout.write(p.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    head, _, stderr = out.stdout.partition("\n")
    rc, dt, rss_kb = head.split()
    return subprocess.CompletedProcess(args, int(rc), "", stderr), float(dt), float(rss_kb) / 1024


def test_fuzz_check_as_a_process(fuzz_site, kit, tmp_path, tally):
    folder, _ = fuzz_site
    base = kit.compliant_project()
    counter = iter(range(10**9))

    @settings(SETTINGS, max_examples=max(3, EXAMPLES // 5))
    @given(mutated_projects(base))
    def run(text: str) -> None:
        path = tmp_path / f"p{next(counter)}.zacviz.json"
        path.write_text(text, encoding="utf-8")
        proc, seconds, mb = _cli(["check", str(path), "--site", str(folder)])
        tally("projects, `zacviz check` as a process", seconds, mb, len(text))
        assert proc.returncode in (0, 1, 2), proc
        lines = proc.stderr.splitlines()
        if proc.returncode == 2:
            assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
            assert "internal error" not in lines[0], lines[0]
        else:
            assert all(line.startswith("warning: ") for line in lines), proc.stderr
        assert seconds <= SECONDS + 2, f"{seconds:.1f} s"
        assert mb <= 1024, f"{mb:.0f} MB"

    run()


def test_peak_memory_of_this_process_stays_bounded():
    # Runs after the families above in this module: their peak is this process's.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 < 2048
