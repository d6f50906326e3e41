"""The edit session: what the editor and the kiosk both edit, without Qt.

An :class:`EditSession` owns the project document and its command stack, the
selection, the highlighted rule and the check result of the current project
(cached per project state, so undo is instant). Its named edits are labelled
commands on the stack. Views subscribe to its signals:

- ``project_changed(project)`` after every edit, undo, redo or reset; the
  selection and the result are already up to date then (views re-read both);
- ``result_changed(result)`` right after, with the new check result (or None);
- ``selection_changed(item_id)`` when only the selection changed;
- ``rule_changed(rule_id)`` when the highlighted rule changed.

It lives above ``design`` (templates, free-space placement) and ``rules``.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace
from typing import Any

from psygnal import Signal

from zacviz.design.placement import free_spot
from zacviz.design.templates import TEMPLATES, apply_template, road_direction
from zacviz.errors import InputError
from zacviz.geometry.envelope import buildable_area
from zacviz.i18n import tr
from zacviz.model.command import ProjectDocument
from zacviz.model.project import (
    NO_LOT,
    Building,
    Footprint,
    Project,
    RectFootprint,
    Surface,
    rect_angle,
    storeys_within,
    wrap_angle,
)
from zacviz.model.site import Lot, Site
from zacviz.rules.engine import check_project
from zacviz.rules.results import CheckResult

Item = Building | Surface

NEW_BUILDING_M = (30.0, 20.0)
NEW_SURFACE_M = {"parking": (30.0, 16.5), "yard": (20.0, 20.0), "storage": (20.0, 20.0)}
NEW_BUILDING_HEIGHT_M = 9.0
DUPLICATE_GAP_M = 6.0
SIZE_STEP_M = 0.1
MAX_TITLE_CHARS = 200  # SPEC §2
_CACHED_RESULTS = 16


class EditSession:
    """The project being edited, its selection and its verdicts."""

    project_changed = Signal(object)
    result_changed = Signal(object)
    selection_changed = Signal(object)
    rule_changed = Signal(object)

    def __init__(self, site: Site, doc: ProjectDocument | None = None) -> None:
        self.site = site
        self.doc = doc if doc is not None else ProjectDocument(self.blank())
        self.selected: str | None = None
        self.highlighted_rule: str | None = None
        self._results: list[tuple[Project, CheckResult | None]] = []
        self.changed_at = time.perf_counter()
        self._result = self.check()
        self.doc.changed.connect(self._on_doc_changed)

    def blank(self, lot_id: str = NO_LOT) -> Project:
        return Project(site=self.site.id, lot=lot_id)

    # ------------------------------------------------------------ reading

    @property
    def project(self) -> Project:
        return self.doc.project

    @property
    def lot(self) -> Lot | None:
        return self.site.lot(self.project.lot) if self.project.lot else None

    @property
    def result(self) -> CheckResult | None:
        """The check result of the current project (None without a lot)."""
        return self._result

    @property
    def selected_item(self) -> Item | None:
        return self.project.item(self.selected) if self.selected else None

    def check(self, project: Project | None = None) -> CheckResult | None:
        """The checks of ``project`` (default: the current one), cached per
        project state; None when it is on no lot of the site."""
        project = project if project is not None else self.project
        for known, result in self._results:
            if known is project:
                return result
        result = None
        if project.lot and self.site.lot(project.lot) is not None:
            result = check_project(project, self.site)
        self._results.append((project, result))
        del self._results[:-_CACHED_RESULTS]
        return result

    def failing_items(self) -> set[str]:
        """Ids of the buildings and surfaces at fault in any failing rule."""
        if self._result is None:
            return set()
        ids = self.project.ids()
        return {i for r in self._result.failing for i in r.items if i in ids}

    def highlighted_geometry(self) -> Any:
        """The geometry at fault of the highlighted rule, if it fails."""
        rule = self._result.rule(self.highlighted_rule) if self._result and self.highlighted_rule else None
        return rule.geometry if rule is not None and not rule.ok else None

    def road_directions(self) -> tuple[float, ...]:
        lot = self.lot
        return (road_direction(self.site, lot),) if lot is not None else ()

    # ------------------------------------------------ selection and rules

    def select(self, item_id: str | None) -> None:
        if item_id is not None and self.project.item(item_id) is None:
            item_id = None
        if item_id != self.selected:
            self.selected = item_id
            self.selection_changed.emit(item_id)

    def highlight_rule(self, rule_id: str | None) -> None:
        if rule_id != self.highlighted_rule:
            self.highlighted_rule = rule_id
            self.rule_changed.emit(rule_id)

    # ------------------------------------------------------------ history

    def reset(self, project: Project) -> None:
        """Start over on ``project`` (new, open, kiosk wipe): history cleared."""
        self.selected = None
        self.doc.reset(project)

    def undo(self) -> bool:
        return self.doc.undo()

    def redo(self) -> bool:
        return self.doc.redo()

    def _on_doc_changed(self, project: Project) -> None:
        self.changed_at = time.perf_counter()  # views time their refresh from here, check included
        self.selected = self._selection_after_change(project)
        self._result = self.check(project)
        self.project_changed.emit(project)
        self.result_changed.emit(self._result)

    def _selection_after_change(self, project: Project) -> str | None:
        """What stays selected once the project changed (the item if it is still there)."""
        return self.selected if self.selected and project.item(self.selected) is not None else None

    def _commit(self, label: str, project: Project, select: str | None) -> None:
        """The one way the session changes the project: one undoable command.

        ``select`` is selected once the command is done (silently: views read
        the selection on ``project_changed``)."""
        before = self.selected
        self.selected = select
        if project == self.project and project.extra == self.project.extra:
            self.selected = before
            self.select(select)  # nothing to do but perhaps a selection
            return
        self.doc.apply(label, project)

    # ---------------------------------------------------------- the edits

    def replace_project(self, label: str, project: Project) -> None:
        """Replace the whole project as one undoable command labelled ``label``
        (scripts, tests); the selection stays if its item is still there."""
        self._commit(label, project, self.selected if self.selected and project.item(self.selected) else None)

    def replaced(self, item_id: str, new_item: Item, project: Project | None = None) -> Project:
        """``project`` (the current one) with the item ``item_id`` replaced by
        ``new_item``: the one place an item is replaced, for edits and previews.
        InputError when ``new_item`` takes an id another item has."""
        p = project if project is not None else self.project
        if new_item.id != item_id and new_item.id in p.ids():
            raise InputError(tr("edit.id_taken", id=new_item.id))
        if isinstance(new_item, Building):
            return replace(p, buildings=tuple(new_item if b.id == item_id else b for b in p.buildings))
        return replace(p, surfaces=tuple(new_item if s.id == item_id else s for s in p.surfaces))

    def with_footprint(self, item_id: str, footprint: Footprint) -> Project:
        """The current project with one item's footprint replaced (a drag's preview)."""
        item = self.project.item(item_id)
        if item is None:
            return self.project
        return self.replaced(item_id, replace(item, footprint=footprint))

    def apply_template(self, template_id: str, name: str | None = None) -> Project:
        """Lay template ``template_id`` out on the lot (raises TemplateDoesNotFit);
        the project keeps its title. ``name`` is the template's name in the label."""
        lot = self.lot
        if lot is None:
            raise InputError("lot: choose a lot first")
        if template_id not in TEMPLATES:
            raise InputError(f"template: unknown template {template_id!r}")
        project = apply_template(self.site, lot, template_id, self.project)
        project = replace(project, title=self.project.title)
        first = project.buildings[0].id if project.buildings else None
        self._commit(tr("edit.template", name=name or template_id), project, first)
        return self.project

    def _new_footprint(
        self, width: float, depth: float, building_height: float | None, near: tuple[float, float] | None
    ) -> RectFootprint | None:
        lot = self.lot
        if lot is None:
            return None
        fp = free_spot(self.site, lot, self.project, width, depth, building_height=building_height, near=near)
        if fp is not None:
            return fp
        # Nowhere free: the middle of where it may stand; the checks will say what is wrong.
        area = buildable_area(self.site, lot, building_height or 0.0)
        where = area.representative_point() if not area.is_empty else lot.polygon.representative_point()
        return RectFootprint(where.x, where.y, width, depth, rect_angle(road_direction(self.site, lot)))

    def add_building(self, near: tuple[float, float] | None = None) -> str | None:
        """A new office building in free space; its id (None without a lot)."""
        lot = self.lot
        if lot is None:
            return None
        height = min(NEW_BUILDING_HEIGHT_M, lot.rules.max_height_m or NEW_BUILDING_HEIGHT_M)
        fp = self._new_footprint(*NEW_BUILDING_M, height, near)
        if fp is None:
            return None
        p = self.project
        b = Building(p.new_id("b"), "office", height, min(2, storeys_within(height)), "flat", fp)
        self._commit(tr("edit.add", id=b.id), replace(p, buildings=(*p.buildings, b)), b.id)
        return b.id

    def add_surface(self, kind: str, near: tuple[float, float] | None = None) -> str | None:
        """A new surface of ``kind`` in free space; its id (None without a lot)."""
        if self.lot is None:
            return None
        if kind not in NEW_SURFACE_M:
            raise InputError(f"kind: unknown surface kind {kind!r}")
        fp = self._new_footprint(*NEW_SURFACE_M[kind], None, near)
        if fp is None:
            return None
        p = self.project
        s = Surface(p.new_id("s"), kind, fp)
        self._commit(tr("edit.add", id=s.id), replace(p, surfaces=(*p.surfaces, s)), s.id)
        return s.id

    def duplicate(self, item_id: str | None = None) -> str | None:
        """A copy of the item (default: the selected one) beside it; the copy's id."""
        p = self.project
        item = p.item(item_id or self.selected or "")
        if item is None:
            return None
        fp = item.footprint
        if isinstance(fp, RectFootprint):
            a = math.radians(fp.angle_deg)
            step = fp.width + DUPLICATE_GAP_M
            moved: Footprint = fp.moved(step * math.cos(a), step * math.sin(a))
        else:
            moved = fp.moved(10.0, -10.0)
        if isinstance(item, Building):
            building = replace(item, id=p.new_id("b"), footprint=moved)
            project, copy_id = replace(p, buildings=(*p.buildings, building)), building.id
        else:
            surface = replace(item, id=p.new_id("s"), footprint=moved)
            project, copy_id = replace(p, surfaces=(*p.surfaces, surface)), surface.id
        self._commit(tr("edit.duplicate", id=item.id), project, copy_id)
        return copy_id

    def delete(self, item_id: str | None = None) -> bool:
        """Remove the item (default: the selected one)."""
        p = self.project
        item_id = item_id or self.selected
        if item_id is None or p.item(item_id) is None:
            return False
        project = replace(
            p,
            buildings=tuple(b for b in p.buildings if b.id != item_id),
            surfaces=tuple(s for s in p.surfaces if s.id != item_id),
        )
        self._commit(tr("edit.delete", id=item_id), project, None)
        return True

    def set_footprint(self, item_id: str, footprint: Footprint, mode: str = "move") -> None:
        """Replace an item's footprint (a drag, a pinch, a handle), labelled by
        ``mode``: ``move``, ``rotate`` or ``resize``. A rectangle's angle is kept
        within [-180°, 180°) (new items get theirs within (-90°, 90°])."""
        item = self.project.item(item_id)
        if item is None:
            return
        if isinstance(footprint, RectFootprint):
            footprint = replace(footprint, angle_deg=wrap_angle(footprint.angle_deg))
        key = {"rotate": "edit.rotate", "resize": "edit.resize"}.get(mode, "edit.move")
        self._commit(tr(key, id=item_id), self.replaced(item_id, replace(item, footprint=footprint)), item_id)

    def move(self, item_id: str, dx: float, dy: float) -> None:
        item = self.project.item(item_id)
        if item is not None:
            self.set_footprint(item_id, item.footprint.moved(dx, dy), "move")

    def rotate(self, item_id: str, angle_deg: float) -> None:
        """Turn a rectangle to ``angle_deg`` (polygons do not turn)."""
        item = self.project.item(item_id)
        if item is not None and isinstance(item.footprint, RectFootprint):
            self.set_footprint(item_id, replace(item.footprint, angle_deg=angle_deg), "rotate")

    def resize(self, item_id: str, width: float, depth: float) -> None:
        """Give a rectangle new sides (rounded to 0.1 m) about its centre."""
        item = self.project.item(item_id)
        if item is not None and isinstance(item.footprint, RectFootprint):
            fp = replace(item.footprint, width=round_size(width), depth=round_size(depth))
            self.set_footprint(item_id, fp, "resize")

    def set_params(self, item_id: str, label: str | None = None, **changes: Any) -> None:
        """Change an item's fields (``use``, ``height_m``, ``storeys``, ``kind``,
        ``stalls``, ``id``...). InputError when a new id is taken."""
        item = self.project.item(item_id)
        if item is None:
            return
        new_item = replace(item, **changes)
        self.set_item(item_id, new_item, label)

    def set_item(self, item_id: str, new_item: Item, label: str | None = None) -> None:
        """Replace the item by ``new_item`` (the panels' edits). InputError when
        ``new_item`` takes an id another item has."""
        project = self.replaced(item_id, new_item)
        self._commit(label or tr("edit.params", id=item_id), project, new_item.id)

    def set_title(self, title: str) -> None:
        """The project's title (spaces tidied); InputError beyond SPEC's length."""
        title = " ".join(title.split())
        if len(title) > MAX_TITLE_CHARS:
            raise InputError(tr("edit.title_too_long", n=MAX_TITLE_CHARS))
        if title != self.project.title:
            self._commit(tr("edit.title"), replace(self.project, title=title), self.selected)


def round_size(x: float) -> float:
    """A side length to 0.1 m (at least 0.1 m)."""
    return max(SIZE_STEP_M, round(round(x / SIZE_STEP_M) * SIZE_STEP_M, 6))
