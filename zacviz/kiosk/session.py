"""One visitor's session on the kiosk: a lot, a template, touch edits (Qt-free).

The kiosk's session is the shared :class:`~zacviz.edit.session.EditSession`
(every edit a command on its stack, so "Annuler" undoes it; the selection and
the checks cached by project) with what a kiosk adds on top: a lot to choose,
the template chosen, height and storeys by steps, a building kept selected
after undo, the sharing link, and a wipe at the end.
"""

from __future__ import annotations

import math

from zacviz.edit.session import EditSession
from zacviz.errors import InputError
from zacviz.export.share import share_url
from zacviz.model.command import ProjectDocument
from zacviz.model.project import STOREY_HEIGHT_M, Building, Project
from zacviz.model.site import Lot, Site

MIN_HEIGHT_M = 3.0
MAX_HEIGHT_M = 40.0
HEIGHT_STEP_M = 1.0
MIN_STOREYS = 1
MAX_STOREYS = 10


class KioskSession(EditSession):
    """The project being built by the visitor in front of the screen."""

    def __init__(self, site: Site, doc: ProjectDocument | None = None) -> None:
        super().__init__(site, doc)
        self.template_id: str | None = None

    # ------------------------------------------------------------ reading

    def available_lots(self) -> list[Lot]:
        return [lot for lot in self.site.lots if lot.status == "available"]

    def selected_building(self) -> Building | None:
        item = self.selected_item
        return item if isinstance(item, Building) else None

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
            self.template_id = None
            self.reset(self.blank(lot_id))
        return lot

    def choose_template(self, template_id: str) -> Project:
        """Lay the template out on the lot as one command; raises TemplateDoesNotFit."""
        self.apply_template(template_id)
        self.template_id = template_id
        return self.project

    def step_height(self, steps: int) -> None:
        b = self.selected_building()
        if b is None:
            return
        height = min(max(b.height_m + steps * HEIGHT_STEP_M, MIN_HEIGHT_M), MAX_HEIGHT_M)
        height = round(height, 2)
        storeys = b.storeys
        if storeys * STOREY_HEIGHT_M > height:
            storeys = max(MIN_STOREYS, int(math.floor(height / STOREY_HEIGHT_M)))
        self.set_params(b.id, height_m=height, storeys=storeys)

    def step_storeys(self, steps: int) -> None:
        b = self.selected_building()
        if b is None:
            return
        storeys = min(max(b.storeys + steps, MIN_STOREYS), MAX_STOREYS)
        height = max(b.height_m, storeys * STOREY_HEIGHT_M)
        self.set_params(b.id, height_m=min(height, MAX_HEIGHT_M), storeys=storeys)

    def _selection_after_change(self, project: Project) -> str | None:
        """Keep a building selected after an edit, undo or redo whenever there is one."""
        kept = super()._selection_after_change(project)
        if kept is None and project.buildings:
            return project.buildings[0].id
        return kept

    def wipe(self) -> None:
        """Forget everything the visitor did."""
        self.template_id = None
        self.reset(self.blank())
