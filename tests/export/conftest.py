"""Fixtures of the web export tests: the bundled site and the example projects,
loaded once per session (they are read-only)."""

from __future__ import annotations

from pathlib import Path

import pytest

from zacviz.io.project_file import load_project
from zacviz.io.site_folder import find_site, load_site
from zacviz.model.project import Project
from zacviz.model.site import Site

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def belle_assise() -> Site:
    """The bundled Belle Assise site (with its aerial image)."""
    return load_site(find_site("belle-assise"))


@pytest.fixture(scope="session")
def example_projects() -> list[Project]:
    """The example projects of ``examples/`` (one compliant, one not)."""
    return [load_project(p) for p in sorted((ROOT / "examples").glob("*.zacviz.json"))]
