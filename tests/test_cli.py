"""The ``zacviz`` command line against SPEC §4, run as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

METRIC_KEYS = {
    "lot_area_m2",
    "footprint_m2",
    "coverage",
    "floor_area_m2",
    "sealed_m2",
    "green_ratio",
    "parking_required",
    "parking_provided",
}
RULE_KEYS = {"id", "ok", "value", "limit", "margin", "unit", "items", "message"}
HEAVY = ("PySide6", "shiboken6", "pyqtgraph", "OpenGL", "rasterio", "trimesh", "pyproj", "frictionless")


# The checkout under test, first on the path even where zacviz is not installed.
REPO = Path(__file__).resolve().parents[1]


def _env(sites: Path | None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZACVIZ_")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    if sites is not None:
        env["ZACVIZ_SITES"] = str(sites)
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(extra)
    return env


def zacviz(
    *args: str | Path, cwd: Path, sites: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """``python -m zacviz ARGS`` in ``cwd`` with ``ZACVIZ_SITES=sites``."""
    return subprocess.run(
        [sys.executable, "-m", "zacviz", *map(str, args)],
        cwd=cwd,
        env=_env(sites, **env),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def assert_bad_input(proc: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Exit 2, exactly one stderr line starting ``error:``, no traceback; returns the line."""
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: "), proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "internal error" not in lines[0], lines[0]
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def env(tmp_path: Path, make_site, write_project, kit):
    """A sites root with the default test site, a working folder and two projects."""
    sites = tmp_path / "sites"
    site = make_site(sites)
    work = tmp_path / "work"
    work.mkdir()
    good = write_project(work / "good.zacviz.json", kit.compliant_project())
    tall = kit.building(height_m=20.0)
    bad = write_project(work / "bad.zacviz.json", kit.project_doc([tall], [kit.surface()]))
    return SimpleNamespace(sites=sites, site=site, work=work, good=good, bad=bad)


# ------------------------------------------------------------------- check


def test_compliant_project_exits_0(env) -> None:
    proc = zacviz("check", env.good, cwd=env.work, sites=env.sites)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert "Projet conforme" in proc.stdout
    assert "Lot A1" in proc.stdout


def test_compliant_project_with_explicit_site(env) -> None:
    proc = zacviz("check", env.good, "--site", env.site, cwd=env.work, sites=None)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


def test_not_compliant_project_exits_1(env) -> None:
    proc = zacviz("check", env.bad, cwd=env.work, sites=env.sites)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ""
    assert "Projet non conforme" in proc.stdout
    assert "Hauteur 20,0 m > 15,0 m autorisés (b1)" in proc.stdout
    # Each line: the verdict, the rule's title and its limit with its sense (from the rule table).
    assert "[NON] Hauteur (≤ 15,0 m) : " in proc.stdout
    assert "[OK ] Espaces verts (≥ 15,0\u00a0%) : " in proc.stdout


def test_json_output_has_the_spec_keys(env) -> None:
    proc = zacviz("check", env.bad, "--format", "json", cwd=env.work, sites=env.sites)
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout, parse_constant=lambda c: pytest.fail(f"{c} in JSON output"))
    assert set(doc) == {"lot", "compliant", "metrics", "rules"}
    assert doc["lot"] == "A1" and doc["compliant"] is False
    assert set(doc["metrics"]) == METRIC_KEYS
    assert doc["metrics"]["lot_area_m2"] == 8000.0
    assert doc["metrics"]["parking_required"] == 5 and doc["metrics"]["parking_provided"] == 10
    assert isinstance(doc["metrics"]["parking_required"], int)
    ids = [r["id"] for r in doc["rules"]]
    assert ids == [
        "inside_lot",
        "coverage",
        "height",
        "road_setback",
        "side_setback",
        "building_spacing",
        "green_ratio",
        "parking",
        "overlap",
    ]
    for rule in doc["rules"]:
        assert set(rule) == RULE_KEYS
        assert isinstance(rule["ok"], bool) and isinstance(rule["items"], list)
        assert isinstance(rule["message"], str) and rule["message"]
        if rule["ok"]:
            assert rule["items"] == []
        else:
            assert rule["items"]
    height = doc["rules"][ids.index("height")]
    assert height == {
        "id": "height",
        "ok": False,
        "value": 20.0,
        "limit": 15.0,
        "margin": -5.0,
        "unit": "m",
        "items": ["b1"],
        "message": "Hauteur 20,0 m > 15,0 m autorisés (b1)",
    }


def test_json_output_of_a_compliant_project(env) -> None:
    proc = zacviz("check", env.good, "--format", "json", cwd=env.work, sites=env.sites)
    assert proc.returncode == 0
    doc = json.loads(proc.stdout)
    assert doc["compliant"] is True and all(r["ok"] for r in doc["rules"])


def test_lang_en_gives_english_messages(env) -> None:
    proc = zacviz("check", env.bad, "--lang", "en", cwd=env.work, sites=env.sites)
    assert proc.returncode == 1
    assert "Height 20.0 m > 15.0 m allowed (b1)" in proc.stdout
    assert "Project not compliant" in proc.stdout
    assert "Hauteur" not in proc.stdout
    proc = zacviz("check", env.bad, "--lang", "en", "--format", "json", cwd=env.work, sites=env.sites)
    rules = {r["id"]: r for r in json.loads(proc.stdout)["rules"]}
    assert rules["height"]["message"] == "Height 20.0 m > 15.0 m allowed (b1)"
    assert rules["parking"]["message"] == "Parking: 10 stalls provided ≥ 5 required"


def test_zacviz_lang_environment_variable(env) -> None:
    proc = zacviz("check", env.good, cwd=env.work, sites=env.sites, ZACVIZ_LANG="en")
    assert proc.returncode == 0 and "Compliant project" in proc.stdout
    proc = zacviz("check", env.good, "--lang", "fr", cwd=env.work, sites=env.sites, ZACVIZ_LANG="en")
    assert "Projet conforme" in proc.stdout


def test_project_for_another_site_warns_on_stderr(env, make_site, write_project, kit) -> None:
    other = make_site(env.work, site_id="other-site")
    proc = zacviz("check", env.good, "--site", other, cwd=env.work, sites=env.sites)
    assert proc.returncode == 0
    assert proc.stderr.startswith("warning:") and "other-site" in proc.stderr


# --------------------------------------------------------------- bad input


def test_missing_project_file(env) -> None:
    assert_bad_input(
        zacviz("check", "absent.zacviz.json", cwd=env.work, sites=env.sites), "absent.zacviz.json"
    )


def test_bad_json(env, write_project) -> None:
    path = write_project(env.work / "broken.zacviz.json", '{"format": "zacviz-project", "version": 1,')
    assert_bad_input(zacviz("check", path, cwd=env.work, sites=env.sites), "broken.zacviz.json", "JSON")


def test_invalid_project_names_the_field(env, write_project, kit) -> None:
    doc = kit.project_doc([kit.building(width=0)])
    path = write_project(env.work / "p.zacviz.json", doc)
    assert_bad_input(
        zacviz("check", path, cwd=env.work, sites=env.sites), "buildings[0].footprint.rect.width"
    )


def test_unknown_lot(env, write_project, kit) -> None:
    path = write_project(env.work / "p.zacviz.json", kit.compliant_project(lot="Z99"))
    assert_bad_input(zacviz("check", path, cwd=env.work, sites=env.sites), "lot", "Z99")


def test_missing_site(env, write_project, kit) -> None:
    path = write_project(env.work / "p.zacviz.json", kit.compliant_project(site="nowhere-park"))
    assert_bad_input(zacviz("check", path, cwd=env.work, sites=env.sites), "site", "nowhere-park")


def test_site_option_pointing_nowhere(env) -> None:
    assert_bad_input(
        zacviz("check", env.good, "--site", env.work / "nope", cwd=env.work, sites=env.sites), "nope"
    )


def test_broken_site_folder(env) -> None:
    toml = env.site / "site.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("max_height_m", "max_heigth_m"), encoding="utf-8"
    )
    assert_bad_input(zacviz("check", env.good, cwd=env.work, sites=env.sites), "site.toml", "max_heigth_m")


def test_bad_format_option(env) -> None:
    assert_bad_input(zacviz("check", env.good, "--format", "xml", cwd=env.work, sites=env.sites), "--format")


def test_bad_lang_option(env) -> None:
    assert_bad_input(zacviz("check", env.good, "--lang", "de", cwd=env.work, sites=env.sites), "--lang")


def test_check_without_arguments(env) -> None:
    assert_bad_input(zacviz("check", cwd=env.work, sites=env.sites), "project")


def test_unknown_option(env) -> None:
    assert_bad_input(zacviz("check", env.good, "--colour", cwd=env.work, sites=env.sites), "--colour")


def test_editor_without_a_screen_is_one_line(env) -> None:
    # `zacviz` alone starts the editor; with no screen at all it must say so in
    # one line instead of letting Qt abort the process.
    screenless = {
        k: v for k, v in _env(env.sites).items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    proc = subprocess.run(
        [sys.executable, "-m", "zacviz"],
        cwd=env.work,
        env=screenless,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert_bad_input(proc, "no screen")


def test_unexpected_failure_is_still_one_line(env, write_project, kit) -> None:
    # A width too large for a float: whatever the core makes of it, never a traceback.
    text = json.dumps(kit.compliant_project()).replace('"width": 20.0', '"width": 1' + "0" * 400)
    path = write_project(env.work / "huge.zacviz.json", text)
    proc = zacviz("check", path, cwd=env.work, sites=env.sites)
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "Traceback" not in proc.stderr


def test_bad_input_on_another_site_is_still_one_line(env, make_site, write_project, kit) -> None:
    other = make_site(env.work, site_id="other-site")
    path = write_project(env.work / "p.zacviz.json", kit.compliant_project(lot="Z99"))
    assert_bad_input(zacviz("check", path, "--site", other, cwd=env.work, sites=env.sites), "Z99")


def test_version_option(env) -> None:
    proc = zacviz("--version", cwd=env.work, sites=env.sites)
    assert proc.returncode == 0 and proc.stdout.startswith("zacviz ")


# ----------------------------------------------------------- validate-site


def test_validate_good_site_exits_0(env) -> None:
    proc = zacviz("validate-site", env.site, cwd=env.work, sites=env.sites)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert "ok: site test-site" in proc.stdout


def test_validate_site_with_problems_exits_2(env, make_site, kit) -> None:
    x0, y0, x1, y1 = kit.LOT_A2
    broken = make_site(
        env.work, site_id="broken", lots=[kit.lot("A1", kit.LOT_A1), kit.lot("A2", (x0 - 10, y0, x1, y1))]
    )
    proc = zacviz("validate-site", broken, cwd=env.work, sites=env.sites)
    line = assert_bad_input(proc, "A1", "A2")
    assert "overlap" in line
    assert "problem:" in proc.stdout


def test_validate_unloadable_site_exits_2(env) -> None:
    (env.site / "site.toml").write_text("[site\n", encoding="utf-8")
    assert_bad_input(zacviz("validate-site", env.site, cwd=env.work, sites=env.sites), "site.toml")


def test_validate_missing_folder_exits_2(env) -> None:
    assert_bad_input(zacviz("validate-site", env.work / "nope", cwd=env.work, sites=env.sites), "nope")


def test_validate_site_without_argument(env) -> None:
    assert_bad_input(zacviz("validate-site", cwd=env.work, sites=env.sites))


# ------------------------------------------------------------------ imports

_IMPORT_PROBE = """
import json, sys
from zacviz.cli import main
rc = main(sys.argv[1:])
heavy = sorted(m for m in sys.modules if m.split('.')[0] in set(json.loads({heavy!r})))
print(json.dumps({{"rc": rc, "heavy": heavy}}))
"""


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_check_imports_no_qt_opengl_raster_or_pyproj(env, fmt: str) -> None:
    """A check on a site in EPSG:2154 with layers in EPSG:2154 needs none of the heavy modules."""
    code = _IMPORT_PROBE.format(heavy=json.dumps(HEAVY))
    proc = subprocess.run(
        [sys.executable, "-c", code, "check", str(env.bad), "--site", str(env.site), "--format", fmt],
        cwd=env.work,
        env=_env(env.sites),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["rc"] == 1, proc.stderr
    assert result["heavy"] == []


# ------------------------------------------------------- pictures on Xvfb


@pytest.mark.parametrize(
    "argv", [["render", "p.json", "--view", "3d", "--out", "x.png"], ["report", "p.json", "--out", "x.pdf"]]
)
def test_a_rerun_on_a_virtual_screen_reads_the_project_once(monkeypatch, argv) -> None:
    """Where the 3D picture needs a private Xvfb, the command runs again there
    and that run reads the project: the first process does not read it too (a
    16 MB project took seconds to read)."""
    import zacviz.cli as cli

    reads = []
    monkeypatch.setattr(cli, "load_project_and_site", lambda *a, **k: reads.append(a) or pytest.fail("read"))
    monkeypatch.setattr(cli, "_rerun_on_virtual_screen", lambda args: 0)
    assert cli.main(argv) == 0
    assert reads == []
