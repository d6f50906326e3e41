"""``check_project(..., at_fault=False)``: the same verdicts, no geometry at fault."""

from __future__ import annotations

from zacviz.model.project import Surface
from zacviz.rules.engine import check_project

from .test_engine import UE, bld, make_site, project, rect


def _failing_everything():
    # Too tall, too close to the road and the side, too close to each other,
    # overlapping a yard, outside the lot, too much covered, no parking.
    return project(
        bld("b1", rect(8, 6, 14, 10), h=30.0, storeys=20, use="office"),
        bld("b2", rect(20, 6, 8, 10), h=9.0, storeys=30, use="office"),
        bld("b3", rect(60, 45, 90, 60), h=9.0),
        surfaces=(
            Surface("s1", "yard", rect(10, 8, 10, 10)),
            Surface("s2", "parking", rect(98, 70, 10, 10)),
        ),
    )


def test_the_verdicts_are_the_same_without_geometry():
    site = make_site(UE)
    drawn = check_project(_failing_everything(), site)
    bare = check_project(_failing_everything(), site, at_fault=False)
    failing = [r.id for r in drawn.rules if not r.ok]
    assert {"height", "road_setback", "side_setback", "building_spacing", "overlap", "inside_lot"} <= set(
        failing
    )
    assert bare.to_dict() == drawn.to_dict()
    assert bare.metrics == drawn.metrics
    assert [r.geometry for r in bare.rules] == [None] * len(bare.rules)
    for rule_id in ("height", "road_setback", "side_setback", "building_spacing", "overlap", "inside_lot"):
        assert drawn.rule(rule_id).geometry is not None, rule_id
