"""The overlap rule on stacks of turned jagged outlines: the first fine grid
is 64 cells across (a 32 grid cost more than the sums it spared) and pairs
are intersected 64 at a time (the search stops closer to the last pair that
can beat the best); the answer is the same, with fewer intersections."""

from __future__ import annotations

import math
import types

import numpy as np
import shapely

from tests.geometry.test_pairs_fine_grid import X0, Y0, _jagged
from tests.rules.test_bounded_pairs import counted_intersections
from zacviz.rules import engine


def _bench_outline(turn: float) -> list[tuple[float, float]]:
    # benchmarks/bench_check.py concave_car_parks: 150 teeth 20 m deep.
    return [
        (
            X0 + 200 + (145.0 if k % 2 == 0 else 125.0) * math.cos(turn + math.pi * k / 150),
            Y0 + 150 + (145.0 if k % 2 == 0 else 125.0) * math.sin(turn + math.pi * k / 150),
        )
        for k in range(300)
    ]


def _dear_intersections(monkeypatch) -> None:
    """The rule's clock, as it reads it to weigh a finer grid against the
    intersections it would spare, made to say what it says on a quiet machine
    for these outlines (a pair's intersection dearer than a shape's grid): one
    millisecond a pair intersected, nothing for the rest. The search then does
    not depend on how busy the machine is (under CI's load, a grid timed while
    the process was descheduled made the rule intersect 142 pairs, not 64)."""
    now = [0.0]
    intersect = shapely.intersection

    def timed(a, b, **kw):
        now[0] += 1e-3 * np.size(a)
        return intersect(a, b, **kw)

    monkeypatch.setattr(shapely, "intersection", timed)
    monkeypatch.setattr(engine, "time", types.SimpleNamespace(perf_counter=lambda: now[0]))


def _overlap(polys):
    i, j = np.triu_indices(len(polys), 1)
    ids = [f"s{k}" for k in range(len(polys))]
    return engine._overlap(polys, ids, 0, np.vstack([i, j]), shapely.area(polys), draw=False)


def _former_settings(monkeypatch) -> None:
    monkeypatch.setattr(engine, "_FINE_GRIDS", (32, 64, 128, 256))
    monkeypatch.setattr(engine, "_FINE_CELLS", 50_000_000)
    monkeypatch.setattr(engine, "_OVERLAP_BATCH", 256)


def test_a_jagged_stack_is_settled_by_few_intersections_and_no_32_grid(monkeypatch):
    polys = np.array(
        [shapely.Polygon(_jagged(X0 + 200, Y0 + 150, 120, 100, 86, 0.01 * k)) for k in range(80)],
        dtype=object,
    )
    made = []
    real = engine.grid_table
    monkeypatch.setattr(engine, "grid_table", lambda *a, **kw: made.append(a[2]) or real(*a, **kw))
    _dear_intersections(monkeypatch)
    with counted_intersections(monkeypatch) as intersected:
        r = _overlap(polys)
    # The pair sharing most, by brute force, is in test_pairs_fine_grid; here
    # the same answer as with the former grids and batches, which made 256
    # intersections and grids of 32 then 64 cells.
    assert sum(intersected) <= 100
    assert made and 32 not in made
    _former_settings(monkeypatch)
    former = _overlap(polys)
    assert (r.value, r.items) == (former.value, former.items)


def test_a_stack_of_the_bench_car_parks_gives_the_former_answer(monkeypatch):
    # 200 of the bench's 300-vertex outlines (19,900 pairs): the same shared
    # area and pair as with the former grids and batches, fewer intersections.
    polys = np.array([shapely.Polygon(_bench_outline(0.01 * k)) for k in range(200)], dtype=object)
    _dear_intersections(monkeypatch)
    with counted_intersections(monkeypatch) as now:
        r = _overlap(polys)
    _former_settings(monkeypatch)
    with counted_intersections(monkeypatch) as before:
        former = _overlap(polys)
    assert (r.value, r.items) == (former.value, former.items)
    assert r.value > 50_000.0
    assert sum(now) < sum(before)
