"""zacviz.design.templates: every template gives a compliant project on every lot big enough.

The site is built in memory with lots of several shapes (straight, turned by
30°, trapezoid, L-shaped, narrow, tiny) along roads, a departmental road with a
35 m setback and a lot with a floor-area cap; the bundled site is used too when
it is there.
"""

from __future__ import annotations

import math
from pathlib import Path
from types import MappingProxyType

import pytest
import shapely
from shapely import affinity
from shapely.geometry import Polygon, box

from zacviz.design.templates import (
    TEMPLATES,
    TemplateDoesNotFit,
    apply_template,
    fits,
    largest_rectangle,
    road_frame,
)
from zacviz.geometry.envelope import buildable_area
from zacviz.model.project import RectFootprint
from zacviz.model.site import Lot, Road, RuleSet, Site
from zacviz.rules.engine import check_project

X0, Y0 = 650_000.0, 6_860_000.0
UE = RuleSet(
    max_coverage=0.6,
    max_height_m=15.0,
    min_setback_road_m=10.0,
    min_setback_side_m=5.0,
    side_setback_height_ratio=0.5,
    min_building_spacing_m=6.0,
    min_green_ratio=0.15,
    parking_m2_per_stall=MappingProxyType(
        {"office": 40.0, "workshop": 100.0, "warehouse": 250.0, "retail": 30.0}
    ),
)


def memory_site() -> Site:
    road = Road("r1", box(X0 - 100, Y0 - 20, X0 + 700, Y0), name="Rue des Artisans")
    rd = Road("rd", box(X0 + 700, Y0 - 400, X0 + 730, Y0 + 300), name="RD 12", setback_m=35.0)
    # A lot and its road turned by 30°, well away from the others.
    pivot = (X0 - 500, Y0 - 500)
    turned = affinity.rotate(box(X0 - 570, Y0 - 640, X0 - 430, Y0 - 520), 30, origin=pivot)
    road2 = Road("r2", affinity.rotate(box(X0 - 640, Y0 - 520, X0 - 360, Y0 - 500), 30, origin=pivot))
    lots = [
        ("A1", box(X0, Y0, X0 + 120, Y0 + 90), {}),
        ("A2", box(X0 + 120, Y0, X0 + 300, Y0 + 140), {}),
        ("A3", Polygon([(X0 + 300, Y0), (X0 + 480, Y0), (X0 + 450, Y0 + 160), (X0 + 320, Y0 + 120)]), {}),
        (
            "A4",
            Polygon(
                [
                    (X0 + 480, Y0),
                    (X0 + 700, Y0),
                    (X0 + 700, Y0 + 200),
                    (X0 + 620, Y0 + 200),
                    (X0 + 620, Y0 + 80),
                    (X0 + 480, Y0 + 80),
                ]
            ),
            {},
        ),
        ("A5", box(X0, Y0 + 90, X0 + 18, Y0 + 108), {}),  # no frontage, tiny
        ("B1", turned, {}),
        ("B2", box(X0 - 100, Y0, X0, Y0 + 200), {"max_floor_area_m2": 3000.0}),
    ]
    out = []
    for lot_id, poly, overrides in lots:
        rules = RuleSet(**{**UE.as_dict(), "parking_m2_per_stall": UE.parking_m2_per_stall, **overrides})
        out.append(Lot(lot_id, "UE", "available", poly, rules))
    return Site(
        "memory",
        "Memory",
        "EPSG:2154",
        folder=Path("."),
        zones={"UE": UE},
        lots=tuple(out),
        roads=(road, rd, road2),
    )


SITE = memory_site()


def bundled_site() -> Site | None:
    from zacviz.errors import InputError
    from zacviz.io.site_folder import find_site, load_site

    try:
        return load_site(find_site("belle-assise"))
    except InputError:
        return None


@pytest.mark.parametrize("template_id", sorted(TEMPLATES))
@pytest.mark.parametrize("lot_id", ["A1", "A2", "A3", "A4", "B1", "B2"])
def test_template_is_compliant_on_every_big_enough_lot(template_id, lot_id):
    lot = SITE.lot(lot_id)
    assert fits(SITE, lot)
    project = apply_template(SITE, lot, template_id)
    result = check_project(project, SITE)
    assert result.compliant, [r.message() for r in result.failing]
    tpl = TEMPLATES[template_id]
    assert project.buildings[0].use == tpl.use
    assert any(s.kind == "parking" for s in project.surfaces)
    assert result.metrics.parking_provided >= max(2, result.metrics.parking_required)
    # Plausible, not a token building: at least a fifth of what the template aims at.
    assert result.metrics.footprint_m2 >= 0.2 * tpl.share * lot.area_m2 or result.metrics.footprint_m2 >= 400


def test_buildings_are_aligned_with_the_road_frontage():
    lot = SITE.lot("B1")
    project = apply_template(SITE, lot, "warehouse")
    angle = project.buildings[0].footprint.angle_deg
    assert math.isclose(angle % 90.0, 30.0, abs_tol=1e-4)
    frame = road_frame(SITE, lot)
    # The building stands at the front: right behind the road setback line.
    fp = project.buildings[0].footprint
    local = frame.to_local(shapely.Polygon(fp.corners()))
    area = frame.to_local(buildable_area(SITE, lot, project.buildings[0].height_m))
    assert local.bounds[1] - area.bounds[1] < 1.0


def test_floor_area_cap_is_respected():
    project = apply_template(SITE, SITE.lot("B2"), "offices")
    result = check_project(project, SITE)
    assert result.metrics.floor_area_m2 <= 3000.0
    assert result.compliant


def test_mixed_template_joins_an_office_block_to_the_workshop():
    project = apply_template(SITE, SITE.lot("A2"), "mixed")
    uses = sorted(b.use for b in project.buildings)
    assert uses == ["office", "workshop"]
    a, b = (shapely.Polygon(x.footprint.corners()) for x in project.buildings)
    assert a.distance(b) <= 0.01 and a.intersection(b).area <= 0.01


def test_tiny_lot_is_refused_with_a_message():
    lot = SITE.lot("A5")
    assert not fits(SITE, lot)
    with pytest.raises(TemplateDoesNotFit, match="A5"):
        apply_template(SITE, lot, "warehouse")


def test_template_keeps_title_and_replaces_content():
    lot = SITE.lot("A1")
    first = apply_template(SITE, lot, "offices")
    titled = first.__class__(site=first.site, lot=first.lot, title="Dupont", buildings=first.buildings)
    second = apply_template(SITE, lot, "warehouse", titled)
    assert second.title == "Dupont"
    assert [b.use for b in second.buildings] == ["warehouse"]


def test_largest_rectangle_fills_a_rectangle_and_stays_inside_a_polygon():
    r = largest_rectangle(box(0, 0, 37.3, 12.1))
    assert r == pytest.approx((0, 0, 37.3, 12.1), abs=0.01)
    tri = Polygon([(0, 0), (100, 0), (0, 100)])
    r = largest_rectangle(tri)
    assert tri.buffer(1e-6).covers(box(*r))
    assert (r[2] - r[0]) * (r[3] - r[1]) == pytest.approx(2500, rel=0.05)  # the best is 50 × 50
    assert largest_rectangle(Polygon()) is None


def test_template_rects_are_rect_footprints():
    project = apply_template(SITE, SITE.lot("A3"), "workshop")
    assert all(isinstance(it.footprint, RectFootprint) for it in (*project.buildings, *project.surfaces))


def test_every_template_on_the_bundled_site():
    site = bundled_site()
    if site is None:
        pytest.skip("the bundled site plots/belle-assise is not there")
    checked = 0
    for lot in site.lots:
        if lot.status != "available" or not fits(site, lot, 40.0):
            continue
        for template_id in TEMPLATES:
            try:
                project = apply_template(site, lot, template_id)
            except TemplateDoesNotFit:
                pytest.fail(f"{template_id} does not fit on lot {lot.id} although it holds a 40 m square")
            result = check_project(project, site)
            assert result.compliant, (lot.id, template_id, [r.message() for r in result.failing])
            checked += 1
    assert checked > 0
