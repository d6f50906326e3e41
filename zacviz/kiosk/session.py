"""One visitor's session on the kiosk: a lot, a template, touch edits (Qt-free).

Every edit goes through the :class:`~zacviz.model.command.ProjectDocument`
command stack (so "Annuler" undoes it); the session only adds what a kiosk
needs on top: which building is selected, the checks of the current project
(cached by project), the sharing link, and a wipe at the end.
"""

from __future__ import annotations

import math
from dataclasses import replace

from zacviz.design.templates import TEMPLATES, apply_template, road_direction
from zacviz.errors import InputError
from zacviz.export.share import share_url
from zacviz.model.command import ProjectDocument
from zacviz.model.project import NO_LOT, STOREY_HEIGHT_M, Building, Footprint, Project
from zacviz.model.site import Lot, Site
from zacviz.rules.engine import check_project
from zacviz.rules.results import CheckResult

MIN_HEIGHT_M = 3.0
MAX_HEIGHT_M = 40.0
HEIGHT_STEP_M = 1.0
MIN_STOREYS = 1
MAX_STOREYS = 10


class KioskSession:
    """The project being built by the visitor in front of the screen."""

    def __init__(self, site: Site, doc: ProjectDocument | None = None) -> None:
        self.site = site
        self.doc = doc if doc is not None else ProjectDocument(self.blank())
        self.template_id: str | None = None
        self.selected: str | None = None
        self._checked: tuple[Project, CheckResult] | None = None

    def blank(self, lot_id: str = NO_LOT) -> Project:
        return Project(site=self.site.id, lot=lot_id)

    # ------------------------------------------------------------ reading

    @property
    def project(self) -> Project:
        return self.doc.project

    @property
    def lot(self) -> Lot | None:
        return self.site.lot(self.project.lot) if self.project.lot else None

    def available_lots(self) -> list[Lot]:
        return [lot for lot in self.site.lots if lot.status == "available"]

    def selected_building(self) -> Building | None:
        for b in self.project.buildings:
            if b.id == self.selected:
                return b
        return None

    def check(self, project: Project | None = None) -> CheckResult | None:
        """The checks of ``project`` (default: the current one); None without a lot."""
        project = project if project is not None else self.project
        if not project.lot or self.site.lot(project.lot) is None:
            return None
        if self._checked is not None and self._checked[0] is project:
            return self._checked[1]
        result = check_project(project, self.site)
        if project is self.project:
            self._checked = (project, result)
        return result

    def road_directions(self) -> tuple[float, ...]:
        lot = self.lot
        return (road_direction(self.site, lot),) if lot is not None else ()

    def link(self, viewer_url: str) -> str:
        """The SPEC §5 sharing link of the current project."""
        return share_url(self.project, viewer_url)

    # ------------------------------------------------------------ editing

    def choose_lot(self, lot_id: str) -> Lot:
        """Start over on ``lot_id`` (an empty project; history wiped)."""
        lot = self.site.lot(lot_id)
        if lot is None:
            raise InputError(f"lot: unknown lot {lot_id!r}")
        if lot_id != self.project.lot:
            self.doc.reset(self.blank(lot_id))
            self.template_id = None
            self.selected = None
        return lot

    def choose_template(self, template_id: str) -> Project:
        """Lay the template out on the lot as one command; raises TemplateDoesNotFit."""
        lot = self.lot
        if lot is None:
            raise InputError("lot: choose a lot first")
        if template_id not in TEMPLATES:
            raise InputError(f"template: unknown template {template_id!r}")
        project = apply_template(self.site, lot, template_id, self.project)
        self.doc.apply(f"template {template_id}", replace(project, title=self.project.title))
        self.template_id = template_id
        self.selected = project.buildings[0].id if project.buildings else None
        return self.project

    def select(self, item_id: str | None) -> None:
        self.selected = item_id if item_id is None or self.project.item(item_id) is not None else None

    def set_footprint(self, building_id: str, footprint: Footprint, label: str = "move") -> None:
        """Replace a building's footprint (a drag or pinch, pushed on release)."""
        self._replace_building(building_id, f"{label} {building_id}", footprint=footprint)

    def step_height(self, steps: int) -> None:
        b = self.selected_building()
        if b is None:
            return
        height = min(max(b.height_m + steps * HEIGHT_STEP_M, MIN_HEIGHT_M), MAX_HEIGHT_M)
        height = round(height, 2)
        storeys = b.storeys
        if storeys * STOREY_HEIGHT_M > height:
            storeys = max(MIN_STOREYS, int(math.floor(height / STOREY_HEIGHT_M)))
        self._replace_building(b.id, f"height {b.id}", height_m=height, storeys=storeys)

    def step_storeys(self, steps: int) -> None:
        b = self.selected_building()
        if b is None:
            return
        storeys = min(max(b.storeys + steps, MIN_STOREYS), MAX_STOREYS)
        height = max(b.height_m, storeys * STOREY_HEIGHT_M)
        self._replace_building(b.id, f"storeys {b.id}", height_m=min(height, MAX_HEIGHT_M), storeys=storeys)

    def _replace_building(self, building_id: str, label: str, **changes: object) -> None:
        p = self.project
        buildings = tuple(replace(b, **changes) if b.id == building_id else b for b in p.buildings)  # type: ignore[arg-type]
        self.doc.apply(label, replace(p, buildings=buildings))

    def undo(self) -> bool:
        done = self.doc.undo()
        self._reselect()
        return done

    def redo(self) -> bool:
        done = self.doc.redo()
        self._reselect()
        return done

    def _reselect(self) -> None:
        """Keep a building selected after undo/redo whenever there is one."""
        self.select(self.selected)
        if self.selected is None and self.project.buildings:
            self.selected = self.project.buildings[0].id

    def wipe(self) -> None:
        """Forget everything the visitor did."""
        self.doc.reset(self.blank())
        self.template_id = None
        self.selected = None
        self._checked = None
