"""``zacviz kiosk`` on the command line: the PIN helper and bad configurations."""

from __future__ import annotations

import io

from zacviz.cli import main
from zacviz.kiosk.config import verify_pin


def test_hash_pin_prints_a_line_to_paste(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("97531\n"))
    assert main(["kiosk", "--hash-pin"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith('admin_pin_hash = "scrypt$') and line.endswith('"')
    assert verify_pin("97531", line.split('"')[1])


def test_a_bad_pin_is_refused(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("12\n"))
    assert main(["kiosk", "--hash-pin"]) == 2
    assert capsys.readouterr().err.startswith("error: PIN")


def test_a_missing_configuration_is_one_error_line(tmp_path, capsys):
    assert main(["kiosk", "--config", str(tmp_path / "none.toml")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "no such kiosk configuration" in err and err.count("\n") == 1
