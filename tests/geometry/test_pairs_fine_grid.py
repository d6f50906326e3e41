"""The fine grids of the overlap bound (``grid_table``): kept sparse and built
a few polygons at a time, they stay bounds of the area GEOS measures, and on
stacks of turned jagged outlines they leave few pairs to intersect."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from shapely.geometry import box

from tests.rules.test_bounded_pairs import counted_intersections, stacked_yards, worst_pair
from tests.rules.test_engine import make_site, rule
from zacviz.geometry import pairs
from zacviz.geometry.pairs import cell_areas, grid_overlap_bounds, grid_table, table_overlap_bounds
from zacviz.rules import engine
from zacviz.rules.engine import check_project

# Lambert-93 magnitudes: the cell areas must stay exact far from the origin.
X0, Y0 = 649_000.0, 6_948_000.0


def _jagged(cx, cy, teeth, r_out, r_in, turn):
    return [
        (
            cx + (r_out if k % 2 == 0 else r_in) * math.cos(turn + math.pi * k / teeth),
            cy + (r_out if k % 2 == 0 else r_in) * math.sin(turn + math.pi * k / teeth),
        )
        for k in range(2 * teeth)
    ]


def _random_concave_stack(seed, n):
    rng = np.random.default_rng(seed)
    polys = [
        shapely.Polygon(
            _jagged(
                X0 + 60 + rng.uniform(-3, 3),
                Y0 + 60 + rng.uniform(-3, 3),
                int(rng.integers(20, 150)),
                rng.uniform(40, 55),
                rng.uniform(25, 39),
                rng.uniform(0, 7),
            )
        )
        for _ in range(n)
    ]
    polys += [
        shapely.Polygon(_jagged(X0 + 60, Y0 + 60, 90, 50, 42, 0.3)).reverse(),  # clockwise
        shapely.box(X0 + 20, Y0 + 20, X0 + 100, Y0 + 100).difference(
            shapely.box(X0 + 40, Y0 + 40, X0 + 80, Y0 + 70)
        ),
        shapely.box(X0 + 60, Y0 + 60, X0 + 61, Y0 + 61),  # far smaller than a coarse cell
    ]
    polys = np.array(polys, dtype=object)
    assert shapely.is_valid(polys).all()
    return polys


@pytest.mark.parametrize("seed", [1, 2])
def test_fine_grid_bounds_never_fall_below_the_shared_area(seed, monkeypatch):
    polys = _random_concave_stack(seed, 40)
    i, j = np.triu_indices(len(polys), 1)
    shared = shapely.area(shapely.intersection(polys[i], polys[j]))
    smaller = np.minimum(shapely.area(polys[i]), shapely.area(polys[j]))
    smaller += 1e-9 * smaller  # GEOS's shared area of a shape inside another is its area, to float noise
    bounds = shapely.total_bounds(polys)
    last = None
    for g in (16, 32, 64, 128, 256):
        table, constant = grid_table(polys, bounds, g)
        bound = table_overlap_bounds(table, constant, i, j, smaller)
        assert (bound >= shared).all()
        assert (bound <= smaller).all()
        if g <= 64:  # the same as the dense cells give
            dense = grid_overlap_bounds(cell_areas(polys, bounds, g), i, j, smaller)
            assert np.abs(bound - dense).max() <= 1e-6 * smaller.max()
        if last is not None:  # each cell of the last grid split in four: never looser
            assert (bound <= last + 1e-3).all()
        last = bound
    # Built a few polygons at a time (chunks of 7 here), the table is the same.
    monkeypatch.setattr(pairs, "_TABLE_CELLS", 7 * 128 * 128)
    chunked = table_overlap_bounds(*grid_table(polys, bounds, 128), i, j, smaller)
    table, constant = grid_table(polys[:0], bounds, 128)
    assert table.shape == (0, 0)
    monkeypatch.undo()
    assert np.array_equal(chunked, table_overlap_bounds(*grid_table(polys, bounds, 128), i, j, smaller))
    # Between turned jagged outlines, a fine grid tells the teeth from the gaps.
    stars = j < 40
    assert np.median((smaller - last)[stars]) > 3 * np.median(
        (smaller - grid_overlap_bounds(cell_areas(polys, bounds, 16), i, j, smaller))[stars]
    )


def test_a_stack_of_jagged_outlines_is_settled_by_few_intersections(monkeypatch):
    # 80 jagged 240-vertex outlines on one spot, each turned 0.01 rad from the
    # last (teeth 0.026 rad apart): every pair overlaps; the pair sharing most
    # is found exactly, intersecting few of the 3,160 pairs (a 32 × 32 grid
    # alone leaves some 600).
    polys = np.array(
        [shapely.Polygon(_jagged(X0 + 200, Y0 + 150, 120, 100, 86, 0.01 * k)) for k in range(80)],
        dtype=object,
    )
    ids = [f"s{k}" for k in range(len(polys))]
    i, j = np.triu_indices(len(polys), 1)
    # Batches of 16 pairs, as 256 are for a stack of 1,000.
    monkeypatch.setattr(engine, "_OVERLAP_BATCH", 16)
    with counted_intersections(monkeypatch) as intersected:
        r = engine._overlap(polys, ids, 0, np.vstack([i, j]), shapely.area(polys), draw=False)
    value, bi, bj = worst_pair(polys)
    assert r.value == value
    assert r.items == (f"s{bi}", f"s{bj}")
    assert sum(intersected) <= 150


def test_the_overlap_of_jagged_outlines_in_a_project_is_the_pair_sharing_most():
    p, polys = stacked_yards([_jagged(200, 150, 60, 60, 50, 0.013 * k) for k in range(70)])
    r = rule(check_project(p, make_site(lot=box(0, 0, 400, 300))), "overlap")
    i, j = np.triu_indices(len(polys), 1)
    shared = shapely.area(shapely.intersection(polys[i], polys[j]))
    best = int(np.lexsort((j, i, -shared))[0])
    assert r.value == pytest.approx(shared[best], rel=1e-12)
    assert r.items == ("b1" if i[best] == 0 else f"s{i[best] - 1}", f"s{j[best] - 1}")


def test_finer_grids_are_made_only_while_intersecting_the_pairs_left_costs_more(monkeypatch):
    """The finer grids pay where exact intersections are dear (jagged outlines
    of hundreds of vertices), not where they are cheap (a stack of 60-vertex
    stars intersected faster than a 256-cell grid is made): given the time an
    intersection took, ``refined`` stops before a grid that costs more than the
    intersections it would spare; the bounds it keeps are still bounds."""
    polys = np.array(
        [shapely.Polygon(_jagged(X0 + 200, Y0 + 150, 120, 100, 86, 0.01 * k)) for k in range(80)],
        dtype=object,
    )
    areas = shapely.area(polys)
    i, j = np.triu_indices(len(polys), 1)
    bounds = engine._OverlapBounds(polys, areas, i, j)
    k = np.arange(len(i))
    cheap = np.minimum(areas[i], areas[j])
    coarse = bounds.coarse(k, cheap)
    monkeypatch.setattr(engine, "_OVERLAP_BATCH", 16)
    made = []
    real = engine.grid_table
    monkeypatch.setattr(engine, "grid_table", lambda *a, **kw: made.append(a[2]) or real(*a, **kw))
    floor = float(np.quantile(coarse, 0.5))

    kept_cheap, b_cheap = bounds.refined(k, coarse, floor, pair_s=1e-12)
    assert made == []  # intersections nearly free: no finer grid
    kept_dear, b_dear = bounds.refined(k, coarse, floor, pair_s=1.0)
    assert made and made[0] == engine._FINE_GRIDS[0]
    assert len(kept_dear) < len(kept_cheap)
    shared = shapely.area(shapely.intersection(polys[i], polys[j]))
    assert (b_cheap >= shared[kept_cheap] - 1e-6).all() and (b_dear >= shared[kept_dear] - 1e-6).all()
