"""Every edit is a command on a pure, Qt-free undo stack.

A command knows how to do and undo itself and carries a label for the Edit
menu. Edits of a project replace it as a whole (it is immutable), so the
generic :class:`ReplaceProject` covers moves, resizes, additions and deletions
alike; a drag pushes one command, on release.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from psygnal import Signal

from zacviz.model.project import Project


class Command(Protocol):
    label: str

    def do(self, doc: ProjectDocument) -> None: ...

    def undo(self, doc: ProjectDocument) -> None: ...


@dataclass
class ReplaceProject:
    """Swap the document's project for another (the edit's result)."""

    label: str
    before: Project
    after: Project

    def do(self, doc: ProjectDocument) -> None:
        doc._set(self.after)

    def undo(self, doc: ProjectDocument) -> None:
        doc._set(self.before)


@dataclass
class ProjectDocument:
    """The project being edited: the single source of truth the views observe.

    ``changed`` fires with the new project after every do, undo and redo;
    ``stack_changed`` when what can be undone or redone changes.
    """

    project: Project
    undo_stack: list[Command] = field(default_factory=list)
    redo_stack: list[Command] = field(default_factory=list)
    clean_index: int | None = 0
    limit: int = 500

    changed = Signal(object)
    stack_changed = Signal()

    def _set(self, project: Project) -> None:
        self.project = project
        self.changed.emit(project)

    def push(self, command: Command) -> None:
        """Do ``command`` and record it for undo.

        The stacks are settled before the command runs, so that whoever hears
        ``changed`` already sees what can be undone and redone."""
        self.undo_stack.append(command)
        if len(self.undo_stack) > self.limit:
            del self.undo_stack[0]
            if self.clean_index is not None:
                self.clean_index -= 1
                if self.clean_index < 0:
                    self.clean_index = None
        if self.clean_index is not None and self.clean_index > len(self.undo_stack) - 1:
            self.clean_index = None  # the saved state was on the redo side
        self.redo_stack.clear()
        command.do(self)
        self.stack_changed.emit()

    def apply(self, label: str, project: Project) -> None:
        """Replace the project by ``project`` as one undoable edit (no-op if equal)."""
        if project == self.project and project.extra == self.project.extra:
            return
        self.push(ReplaceProject(label, self.project, project))

    def undo(self) -> bool:
        if not self.undo_stack:
            return False
        cmd = self.undo_stack.pop()
        self.redo_stack.append(cmd)
        cmd.undo(self)
        self.stack_changed.emit()
        return True

    def redo(self) -> bool:
        if not self.redo_stack:
            return False
        cmd = self.redo_stack.pop()
        self.undo_stack.append(cmd)
        cmd.do(self)
        self.stack_changed.emit()
        return True

    @property
    def undo_label(self) -> str | None:
        return self.undo_stack[-1].label if self.undo_stack else None

    @property
    def redo_label(self) -> str | None:
        return self.redo_stack[-1].label if self.redo_stack else None

    @property
    def modified(self) -> bool:
        return self.clean_index != len(self.undo_stack)

    def mark_saved(self) -> None:
        self.clean_index = len(self.undo_stack)
        self.stack_changed.emit()

    def reset(self, project: Project) -> None:
        """Start over on another project (open, new, kiosk reset): history cleared."""
        self.undo_stack.clear()
        self.redo_stack.clear()
        self.clean_index = 0
        self._set(project)
        self.stack_changed.emit()
