"""The editor's command-line forms (as the README gives them) and its start-up errors."""

from __future__ import annotations

import pytest

from zacviz import app, cli
from zacviz.errors import InputError


@pytest.fixture
def started(monkeypatch):
    """The arguments the editor would start with, without starting it."""
    calls: list[tuple] = []
    monkeypatch.setattr(app, "run_editor", lambda *a: calls.append(a) or 0)
    return calls


@pytest.mark.parametrize(
    ("argv", "want"),
    [
        ([], (None, None, None)),
        (["p.zacviz.json"], ("p.zacviz.json", None, None)),
        (["--lang", "en"], (None, None, "en")),
        (["--lang", "en", "p.zacviz.json"], ("p.zacviz.json", None, "en")),
        (["p.zacviz.json", "--lang", "en"], ("p.zacviz.json", None, "en")),
        (["--site", "SITE"], (None, "SITE", None)),
        (["--site", "SITE", "--lang", "en", "p.zacviz.json"], ("p.zacviz.json", "SITE", "en")),
    ],
)
def test_editor_forms_of_the_readme(started, tmp_path, argv, want):
    argv = [str(tmp_path) if a == "SITE" else a for a in argv]
    want = tuple(str(tmp_path) if w == "SITE" else w for w in want)
    assert cli.main(argv) == 0
    assert started == [want]


def test_unknown_editor_options_and_missing_site_are_refused(started, capsys, tmp_path):
    assert cli.main(["--colour"]) == 2
    assert cli.main(["--site", str(tmp_path / "nowhere")]) == 2
    assert cli.main(["--lang", "de"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 3 and all(line.startswith("error:") for line in err)
    assert "--colour" in err[0] and "--site" in err[1] and "--lang" in err[2]
    assert started == []


def test_help_shows_the_editor_form(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "usage: zacviz [PROJECT] [--site DIR] [--lang fr|en]" in out
    assert "--site DIR" in out and "check" in out


def test_a_bad_project_is_said_in_a_dialog_too(qapp, monkeypatch, tmp_path, site_dir):
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda parent, title, text: shown.append(text)))
    bad = tmp_path / "bad.txt"
    bad.write_text("not a project", encoding="utf-8")
    with pytest.raises(InputError) as err:
        app.run_editor(str(bad), str(site_dir), "en")
    assert len(shown) == 1
    assert shown[0].startswith("zacviz cannot start:") and err.value.message in shown[0]
