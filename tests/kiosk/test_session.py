"""A visitor's session: every edit a command, the link carries the project."""

from __future__ import annotations

import pytest

from zacviz.errors import InputError
from zacviz.export.share import decode_fragment
from zacviz.io.site_folder import load_site
from zacviz.kiosk.session import MAX_HEIGHT_M, KioskSession
from zacviz.model.project import STOREY_HEIGHT_M


@pytest.fixture
def site(tmp_path, make_site, kit):
    lots = [
        kit.lot("A1", (kit.X0, kit.Y0, kit.X0 + 150.0, kit.Y0 + 120.0), status="available", price_eur_m2=30),
        kit.lot("A2", (kit.X0 + 150.0, kit.Y0, kit.X0 + 300.0, kit.Y0 + 120.0), status="sold"),
    ]
    return load_site(make_site(tmp_path, lots=lots))


def test_a_template_is_one_undoable_command(site):
    s = KioskSession(site)
    s.choose_lot("A1")
    assert s.project.lot == "A1" and s.project.buildings == ()
    s.choose_template("warehouse")
    assert len(s.doc.undo_stack) == 1
    assert s.selected == "b1"
    assert s.check().compliant
    s.undo()
    assert s.project.buildings == ()
    s.redo()
    assert s.selected == "b1"


def test_steppers_change_the_selected_building_through_the_stack(site):
    s = KioskSession(site)
    s.choose_lot("A1")
    s.choose_template("offices")
    b = s.selected_building()
    assert b is not None
    s.step_height(+2)
    assert s.selected_building().height_m == b.height_m + 2
    s.step_storeys(+3)
    raised = s.selected_building()
    assert raised.storeys == b.storeys + 3
    assert raised.height_m >= raised.storeys * STOREY_HEIGHT_M  # more storeys lift the roof
    s.step_height(+100)
    assert s.selected_building().height_m == MAX_HEIGHT_M
    s.step_height(-100)
    low = s.selected_building()
    assert low.height_m == 3.0 and low.storeys == 1  # a lower roof removes storeys
    assert len(s.doc.undo_stack) == 5
    for _ in range(4):
        s.undo()
    assert s.selected_building() == b


def test_a_footprint_edit_and_the_checks_follow(site):
    s = KioskSession(site)
    s.choose_lot("A1")
    s.choose_template("warehouse")
    b = s.selected_building()
    s.set_footprint("b1", b.footprint.moved(0.0, -200.0), "move")
    result = s.check()
    assert not result.compliant and "b1" in result.rule("inside_lot").items


def test_the_link_carries_exactly_the_project(site):
    s = KioskSession(site)
    s.choose_lot("A1")
    s.choose_template("mixed")
    link = s.link("https://viewer.example.org/park/#old")
    assert link.startswith("https://viewer.example.org/park/#p=")
    assert decode_fragment(link) == s.project


def test_wipe_forgets_everything(site):
    s = KioskSession(site)
    s.choose_lot("A1")
    s.choose_template("workshop")
    s.wipe()
    assert s.project.lot == "" and not s.doc.undo_stack and s.selected is None and s.check() is None


def test_an_unknown_lot_or_template_is_refused(site):
    s = KioskSession(site)
    with pytest.raises(InputError):
        s.choose_lot("Z9")
    with pytest.raises(InputError, match="choose a lot"):
        s.choose_template("warehouse")
    s.choose_lot("A1")
    with pytest.raises(InputError, match="unknown template"):
        s.choose_template("castle")
