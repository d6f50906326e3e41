"""Composition root: the only module that builds the Qt application.

It wires the Qt-free core (site, project, commands, checks) to the views. The
desktop editor is not part of this release yet; the entry point says so in one
line instead of failing with a traceback.
"""

from __future__ import annotations

from zacviz.errors import InputError


def run_editor(argv: list[str]) -> int:
    raise InputError("the desktop editor is not available in this build; use 'zacviz check PROJECT'")
