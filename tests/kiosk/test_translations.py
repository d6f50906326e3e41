"""The kiosk's English catalogue: complete, matching the code, compiled."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

KIOSK = Path(__file__).resolve().parents[2] / "zacviz" / "kiosk"
TS = KIOSK / "i18n" / "kiosk_en.ts"
QM = KIOSK / "i18n" / "kiosk_en.qm"


def tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).with_name(name))
    if not Path(found).exists():
        pytest.skip(f"{name} is not installed")
    return found


def sources(ts: Path) -> set[tuple[str | None, str | None]]:
    root = ET.parse(ts).getroot()
    return {
        (c.findtext("name"), m.findtext("source")) for c in root.iter("context") for m in c.iter("message")
    }


def test_every_text_is_translated():
    root = ET.parse(TS).getroot()
    untranslated = [
        m.findtext("source")
        for m in root.iter("message")
        if m.find("translation").get("type") is not None or not m.findtext("translation")
    ]
    assert untranslated == []


def test_the_catalogue_matches_the_code(tmp_path):
    fresh = tmp_path / "fresh.ts"
    files = [str(p) for p in sorted(KIOSK.glob("*.py"))]
    subprocess.run(
        [tool("pyside6-lupdate"), *files, "-ts", str(fresh), "-locations", "none"],
        check=True,
        capture_output=True,
    )
    assert sources(fresh) == sources(TS), "run pyside6-lupdate on zacviz/kiosk/*.py and translate"


def test_the_compiled_catalogue_is_up_to_date(tmp_path):
    out = tmp_path / "en.qm"
    subprocess.run([tool("pyside6-lrelease"), str(TS), "-qm", str(out)], check=True, capture_output=True)
    assert out.read_bytes() == QM.read_bytes(), "run pyside6-lrelease on kiosk_en.ts"


def test_format_fields_survive_translation():
    root = ET.parse(TS).getroot()
    import re

    for m in root.iter("message"):
        src, dst = m.findtext("source") or "", m.findtext("translation") or ""
        assert sorted(re.findall(r"\{\w+\}", src)) == sorted(re.findall(r"\{\w+\}", dst)), src
