"""The edit session, without Qt: every named edit a labelled command, the
selection and the verdicts kept in step, new items placed in free space."""

from __future__ import annotations

from dataclasses import replace

import pytest
import shapely

from zacviz.edit.session import EditSession
from zacviz.errors import InputError
from zacviz.geometry.envelope import buildable_area
from zacviz.geometry.footprint import footprint_polygon
from zacviz.i18n import set_language
from zacviz.io.site_folder import find_site, load_site
from zacviz.model.project import Building, RectFootprint


@pytest.fixture(scope="module")
def site():
    return load_site(find_site("belle-assise"))


@pytest.fixture(autouse=True)
def french():
    set_language("fr")
    yield
    set_language("fr")


class Recorder:
    """Every signal of a session, in order."""

    def __init__(self, session: EditSession) -> None:
        self.events: list[tuple[str, object]] = []
        for name in ("project_changed", "result_changed", "selection_changed", "rule_changed"):
            getattr(session, name).connect(lambda value, name=name: self.events.append((name, value)))

    def names(self) -> list[str]:
        names = [n for n, _ in self.events]
        self.events.clear()
        return names


@pytest.fixture
def session(site):
    s = EditSession(site)
    s.reset(s.blank("B3"))
    return s


def overlaps(session: EditSession, item_id: str) -> list[str]:
    """Ids of the items whose footprints share area with ``item_id``'s."""
    p = session.project
    mine = footprint_polygon(p.item(item_id).footprint)
    return [
        o.id
        for o in (*p.buildings, *p.surfaces)
        if o.id != item_id and footprint_polygon(o.footprint).intersection(mine).area > 0.01
    ]


def test_a_template_is_one_labelled_command_and_selects_the_building(session):
    rec = Recorder(session)
    session.apply_template("warehouse", "Entrepôt")
    assert rec.names() == ["project_changed", "result_changed"]
    assert session.doc.undo_label == "Modèle : Entrepôt"
    assert session.selected == "b1" and session.result is not None
    assert session.result is session.check()  # cached for this project state
    session.undo()
    assert session.project.buildings == () and session.selected is None
    assert rec.names() == ["project_changed", "result_changed"]  # one refresh per undo


def test_a_template_without_a_lot_or_unknown_changes_nothing(site):
    s = EditSession(site)
    s.reset(s.blank())
    with pytest.raises(InputError, match="lot"):
        s.apply_template("warehouse")  # no lot yet
    s.reset(s.blank("B3"))
    with pytest.raises(InputError, match="unknown template"):
        s.apply_template("castle")
    assert not s.doc.undo_stack
    assert s.add_building() is not None  # on a lot, an edit does happen


def test_no_edit_without_a_lot(site):
    s = EditSession(site)
    assert s.add_building() is None and s.add_surface("parking") is None
    assert s.result is None and not s.doc.undo_stack


def test_undo_returns_the_cached_result_of_the_earlier_state(session):
    session.apply_template("warehouse")
    first = session.result
    session.move("b1", 3.0, 0.0)
    assert session.result is not first
    session.undo()
    assert session.result is first


def test_new_building_goes_in_free_buildable_space_not_on_the_template(session, site):
    session.apply_template("warehouse")
    new = session.add_building()
    assert new == "b2" and session.selected == "b2"
    assert session.doc.undo_label == "Ajouter b2"
    assert overlaps(session, "b2") == []
    b2 = session.project.item("b2")
    area = buildable_area(site, site.lot("B3"), b2.height_m)
    assert area.buffer(0.01).covers(footprint_polygon(b2.footprint))
    spacing = site.lot("B3").rules.min_building_spacing_m
    assert footprint_polygon(b2.footprint).distance(
        footprint_polygon(session.project.item("b1").footprint)
    ) >= (spacing - 0.01)


def test_a_car_park_goes_beside_the_building_inside_the_lot(session, site):
    session.apply_template("warehouse")
    before = {s.id for s in session.project.surfaces}
    new = session.add_surface("parking")
    assert new not in before and session.selected == new
    assert overlaps(session, new) == []
    lot = site.lot("B3").polygon
    assert lot.covers(footprint_polygon(session.project.item(new).footprint))
    assert session.result.rule("overlap").ok and session.result.rule("inside_lot").ok


def test_new_items_keep_the_road_direction_within_a_half_turn(session):
    for make in (session.add_building, lambda: session.add_surface("yard")):
        new = make()
        item = session.project.item(new)
        assert isinstance(item.footprint, RectFootprint)
        assert -90.0 < item.footprint.angle_deg <= 90.0


def test_duplicate_and_delete(session):
    session.apply_template("warehouse")
    copy = session.duplicate()
    assert copy == "b2" and session.selected == "b2"
    assert session.doc.undo_label == "Dupliquer b1"
    assert session.delete()
    assert session.selected is None and session.project.item("b2") is None
    assert session.doc.undo_label == "Supprimer b2"
    assert not session.delete("nothing")


def test_move_rotate_resize_are_labelled_and_tidy(session):
    session.apply_template("warehouse")
    b = session.project.item("b1")
    session.move("b1", 2.0, -1.0)
    assert session.doc.undo_label == "Déplacer b1"
    assert session.project.item("b1").footprint.cx == pytest.approx(b.footprint.cx + 2.0)
    session.rotate("b1", 270.0)
    assert session.doc.undo_label == "Pivoter b1"
    assert session.project.item("b1").footprint.angle_deg == pytest.approx(-90.0)
    session.resize("b1", 40.04, 25.06)
    fp = session.project.item("b1").footprint
    assert (fp.width, fp.depth) == (40.0, 25.1)  # handle sizes rounded to 0.1 m
    assert session.doc.undo_label == "Redimensionner b1"
    session.set_footprint("b1", replace(fp, angle_deg=540.0), "rotate")
    assert session.project.item("b1").footprint.angle_deg == -180.0


def test_set_params_and_id_clash(session):
    session.apply_template("warehouse")
    session.add_building()
    session.set_params("b2", height_m=11.0, use="workshop")
    b2 = session.project.item("b2")
    assert isinstance(b2, Building) and b2.height_m == 11.0 and b2.use == "workshop"
    assert session.doc.undo_label == "Modifier b2"
    with pytest.raises(InputError, match="b1"):
        session.set_params("b2", id="b1")
    session.set_params("b2", id="atelier")
    assert session.selected == "atelier" and session.project.item("b2") is None


def test_title_is_an_undoable_edit_kept_by_templates(session):
    session.set_title("  Plateforme   Dupont ")
    assert session.project.title == "Plateforme Dupont"
    assert session.doc.undo_label == "Titre du projet"
    session.apply_template("warehouse")
    assert session.project.title == "Plateforme Dupont"
    with pytest.raises(InputError, match="200"):
        session.set_title("x" * 201)
    n = len(session.doc.undo_stack)
    session.set_title("Plateforme Dupont")  # unchanged: no command
    assert len(session.doc.undo_stack) == n


def test_selection_and_rule_signals(session):
    session.apply_template("warehouse")
    rec = Recorder(session)
    session.select("b1")
    assert rec.names() == []  # already selected
    session.select(None)
    session.select("nope")  # unknown: nothing selected
    session.select("b1")
    assert rec.names() == ["selection_changed", "selection_changed"]
    session.highlight_rule("height")
    session.highlight_rule("height")
    assert rec.names() == ["rule_changed"]


def test_failing_items_and_highlight(session):
    session.apply_template("warehouse")
    b1 = session.project.item("b1")
    session.set_params("b1", height_m=60.0)
    assert "b1" in session.failing_items()
    session.highlight_rule("height")
    assert session.highlighted_geometry() is not None
    assert shapely.area(session.highlighted_geometry()) == pytest.approx(
        footprint_polygon(b1.footprint).area, rel=1e-6
    )
    session.highlight_rule("coverage")
    assert session.highlighted_geometry() is None  # a passing rule has nothing at fault


def test_preview_replaces_without_a_command(session):
    session.apply_template("warehouse")
    fp = session.project.item("b1").footprint.moved(5.0, 0.0)
    preview = session.with_footprint("b1", fp)
    assert preview.item("b1").footprint == fp
    assert session.project.item("b1").footprint != fp and len(session.doc.undo_stack) == 1


def test_english_labels(session):
    set_language("en")
    session.apply_template("warehouse", "Warehouse")
    new = session.add_surface("parking")
    assert session.doc.undo_label == f"Add {new}"
    session.set_title("Dupont")
    assert session.doc.undo_label == "Project title"


def test_replace_project_is_one_command_keeping_the_selection(session):
    session.apply_template("warehouse")
    p = session.project
    b = p.item("b1")
    session.replace_project("script", replace(p, buildings=(replace(b, height_m=13.0),)))
    assert session.doc.undo_label == "script" and session.selected == "b1"
    session.replace_project("none", replace(session.project, buildings=()))
    assert session.selected is None
    session.undo()
    session.undo()
    assert session.project is p
