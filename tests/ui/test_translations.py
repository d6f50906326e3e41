"""The English catalogue of the interface: complete, up to date, compiled.

The French source texts live in the code (``self.tr``); ``zacviz_en.ts`` holds
their English translations and ``zacviz_en.qm`` is what Qt loads. These tests
fail when a text was added without translation or the .qm was not rebuilt.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[2] / "zacviz" / "ui"
TS = UI / "i18n" / "zacviz_en.ts"
QM = UI / "i18n" / "zacviz_en.qm"


def tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).with_name(name))
    if not Path(found).exists():
        pytest.skip(f"{name} is not installed")
    return found


def sources(ts: Path) -> set[tuple[str, str]]:
    root = ET.parse(ts).getroot()
    return {
        (ctx.findtext("name"), msg.findtext("source"))
        for ctx in root.iter("context")
        for msg in ctx.iter("message")
    }


def test_every_text_is_translated():
    root = ET.parse(TS).getroot()
    unfinished = [
        msg.findtext("source")
        for msg in root.iter("message")
        if msg.find("translation").get("type") in ("unfinished", "obsolete", "vanished")
        or not (msg.findtext("translation") or msg.find("translation").findall("numerusform"))
    ]
    assert unfinished == []


def test_catalogue_matches_the_code(tmp_path):
    lupdate = tool("pyside6-lupdate")
    fresh = tmp_path / "fresh.ts"
    files = [str(p) for p in sorted(UI.glob("*.py"))] + [str(UI.parent / "app.py")]
    subprocess.run(
        [lupdate, *files, "-ts", str(fresh), "-locations", "none"], check=True, capture_output=True
    )
    assert sources(fresh) == sources(TS), "run pyside6-lupdate (see zacviz/ui/language.py) and translate"


def test_compiled_catalogue_is_up_to_date(tmp_path):
    lrelease = tool("pyside6-lrelease")
    out = tmp_path / "en.qm"
    subprocess.run([lrelease, str(TS), "-qm", str(out)], check=True, capture_output=True)
    assert out.read_bytes() == QM.read_bytes(), "run pyside6-lrelease on zacviz_en.ts"
