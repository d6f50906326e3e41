"""The unions' areas of a heavy stack are measured in a thread beside the
rules that do not read the metrics: the verdicts are those of the one-thread
check, in the table's order, and those rules do not wait for the union."""

from __future__ import annotations

import math
import threading

import numpy as np
import pytest
import shapely

from tests.rules.test_engine import LOT, bld, make_site, project
from zacviz.geometry.footprint import footprint_polygons
from zacviz.model.project import PolygonFootprint, Surface
from zacviz.rules import engine
from zacviz.rules.engine import check_project


def _star(cx, cy, turn, points=20, r_in=8.0, r_out=14.0):
    return tuple(
        (
            cx + (r_out if k % 2 == 0 else r_in) * math.cos(turn + math.pi * k / points),
            cy + (r_out if k % 2 == 0 else r_in) * math.sin(turn + math.pi * k / points),
        )
        for k in range(2 * points)
    )


def _stack():
    """Overlapping buildings, a turned stack of yards and car parks, one
    reaching out of the lot (the sealed area is the union's part inside it)."""
    buildings = [bld(f"b{i}", PolygonFootprint(_star(30, 40, 0.07 * i)), use="office") for i in range(6)]
    surfaces = [
        Surface(f"s{i}", "parking" if i % 3 == 0 else "yard", PolygonFootprint(_star(60, 45, 0.05 * i)))
        for i in range(30)
    ]
    surfaces.append(Surface("out", "yard", PolygonFootprint(_star(95, 40, 0.3))))
    return project(*buildings, surfaces=tuple(surfaces))


def test_threaded_unions_give_the_one_thread_verdicts(monkeypatch):
    p, site = _stack(), make_site()
    threads = []
    measure = engine._union_areas

    def recorded(*args, **kw):
        threads.append(threading.current_thread() is threading.main_thread())
        return measure(*args, **kw)

    monkeypatch.setattr(engine, "_union_areas", recorded)
    monkeypatch.setattr(engine, "_UNION_IN_THREAD_FROM", 10**12)
    inline = check_project(p, site)
    monkeypatch.setattr(engine, "_UNION_IN_THREAD_FROM", 0)
    monkeypatch.setattr(engine, "_AREAS_ONLY_FROM", 0)  # the areas by union_area
    threaded = check_project(p, site)
    assert threads == [True, False]
    assert threaded.to_dict("fr") == inline.to_dict("fr")
    assert threaded.stalls_by_surface == inline.stalls_by_surface
    # The areas are GEOS's unions: the buildings', and everything's in the lot.
    polys = footprint_polygons([b.footprint for b in p.buildings] + [s.footprint for s in p.surfaces])
    m = threaded.metrics
    assert m.footprint_m2 == pytest.approx(shapely.union_all(polys[:6]).area, rel=1e-12)
    assert m.sealed_m2 == pytest.approx(shapely.union_all(polys).intersection(LOT).area, rel=1e-12)
    assert m.coverage == pytest.approx(m.footprint_m2 / LOT.area, rel=1e-12)
    assert [r.id for r in threaded.rules] == [r.id for r in inline.rules]


def test_rules_without_metrics_do_not_wait_for_the_union(monkeypatch):
    # The union is held until the overlap rule (last in the table, after the
    # rules reading the metrics) has run: a check waiting for the union before
    # it would never let it go.
    overlap_ran = threading.Event()
    waited = []
    measure = engine._union_areas
    check_overlap = engine.CHECKS["overlap"]

    def held(*args, **kw):
        waited.append(overlap_ran.wait(timeout=10.0))
        return measure(*args, **kw)

    def overlap(ctx):
        overlap_ran.set()
        return check_overlap(ctx)

    monkeypatch.setattr(engine, "_union_areas", held)
    monkeypatch.setitem(engine.CHECKS, "overlap", overlap)
    monkeypatch.setattr(engine, "_UNION_IN_THREAD_FROM", 0)
    monkeypatch.setattr(engine, "_AREAS_ONLY_FROM", 0)  # the areas by union_area
    result = check_project(_stack(), make_site())
    assert waited == [True]
    ids = [r.id for r in result.rules]
    assert ids.index("coverage") < ids.index("overlap")  # reported in the table's order
    assert result.rule("coverage").value == pytest.approx(result.metrics.coverage)


def test_an_error_in_the_union_reaches_the_caller(monkeypatch):
    def broken(*args, **kw):
        raise shapely.errors.GEOSException("TopologyException: side location conflict")

    monkeypatch.setattr(engine, "_union_areas", broken)
    monkeypatch.setattr(engine, "_UNION_IN_THREAD_FROM", 0)
    monkeypatch.setattr(engine, "_AREAS_ONLY_FROM", 0)  # the areas by union_area
    with pytest.raises(shapely.errors.GEOSException):
        check_project(_stack(), make_site())


def test_small_projects_stay_on_one_thread(monkeypatch):
    started = []
    real = engine.ThreadPoolExecutor

    def counting(*args, **kwargs):
        started.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "ThreadPoolExecutor", counting)
    p = _stack()
    check_project(p, make_site())
    assert not started
    polys = footprint_polygons([s.footprint for s in p.surfaces] + [b.footprint for b in p.buildings])
    assert np.sum(shapely.get_num_coordinates(polys)) < engine._UNION_IN_THREAD_FROM


@pytest.mark.parametrize("threshold", [0, 10**12])
def test_a_failing_green_share_draws_the_union_already_measured(monkeypatch, threshold):
    """The green share's shape at fault is the union of every shape in the lot,
    the one measured for the sealed area: GEOS unites the stack once, not twice
    (1,000 stacked concave car parks: 8 s a union)."""
    from dataclasses import replace

    from tests.rules.test_engine import UE

    p = _stack()
    site = make_site(rules=replace(UE, min_green_ratio=0.99))
    calls = []
    unite = engine._union

    def counted(geoms):
        calls.append(len(geoms))
        return unite(geoms)

    monkeypatch.setattr(engine, "_union", counted)
    monkeypatch.setattr(engine, "_UNION_IN_THREAD_FROM", threshold)
    monkeypatch.setattr(engine, "_AREAS_ONLY_FROM", threshold)
    result = check_project(p, site, numpy_union=True)
    green = next(r for r in result.rules if r.id == "green_ratio")
    assert not green.ok and green.geometry is not None
    polys = footprint_polygons([b.footprint for b in p.buildings] + [s.footprint for s in p.surfaces])
    expected = shapely.union_all(polys).intersection(site.lots[0].polygon)
    assert shapely.symmetric_difference(green.geometry, expected).area < 1e-9 * expected.area
    if threshold:
        # the buildings' union, then everything's (from the buildings' union): no third for the green share
        assert len(calls) == 2
    else:
        # in the thread the areas are measured without a union: one, for the shape drawn
        assert calls == [len(polys)]
