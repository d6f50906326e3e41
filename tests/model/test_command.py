"""The Qt-free command stack: do, undo, redo, labels, saved state."""

from __future__ import annotations

from dataclasses import replace

from zacviz.model.command import ProjectDocument
from zacviz.model.project import Building, Project, RectFootprint


def doc_with_building() -> ProjectDocument:
    b = Building("b1", "warehouse", 10.0, 1, "flat", RectFootprint(0.0, 0.0, 20.0, 10.0, 0.0))
    return ProjectDocument(Project(site="s", lot="A1", buildings=(b,)))


def moved(p: Project, dx: float) -> Project:
    b = p.buildings[0]
    return replace(p, buildings=(replace(b, footprint=b.footprint.moved(dx, 0.0)),))


def test_undo_redo_restore_exact_geometry_and_notify():
    doc = doc_with_building()
    original = doc.project
    seen: list[Project] = []
    doc.changed.connect(seen.append)
    doc.apply("Déplacer b1", moved(doc.project, 3.3))
    doc.apply("Déplacer b1", moved(doc.project, 0.1))
    assert doc.undo_label == "Déplacer b1"
    assert doc.undo() and doc.undo()
    assert doc.project == original
    assert doc.project.buildings[0].footprint.cx == 0.0
    assert not doc.undo()
    assert doc.redo() and doc.redo()
    assert doc.project.buildings[0].footprint.cx == 3.3 + 0.1
    assert len(seen) == 6


def test_modified_tracks_the_saved_state():
    doc = doc_with_building()
    assert not doc.modified
    doc.apply("a", moved(doc.project, 1))
    assert doc.modified
    doc.mark_saved()
    assert not doc.modified
    doc.undo()
    assert doc.modified
    doc.apply("b", moved(doc.project, 2))  # the saved state is gone for good
    assert doc.modified
    doc.undo()
    assert doc.modified


def test_no_op_edit_is_not_recorded_and_new_edit_clears_redo():
    doc = doc_with_building()
    doc.apply("same", doc.project)
    assert doc.undo_label is None
    doc.apply("a", moved(doc.project, 1))
    doc.undo()
    assert doc.redo_label == "a"
    doc.apply("b", moved(doc.project, 2))
    assert doc.redo_label is None


def test_reset_clears_history():
    doc = doc_with_building()
    doc.apply("a", moved(doc.project, 1))
    doc.reset(Project(site="s", lot="A2"))
    assert doc.undo_label is None and not doc.modified and doc.project.lot == "A2"
