"""zacviz.io.project_file against SPEC §2: refusals name the field, round trips are exact."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from zacviz.errors import InputError
from zacviz.io import project_file as pf
from zacviz.io.project_file import (
    dumps,
    load_project,
    loads,
    project_from_dict,
    project_to_dict,
    save_project,
)
from zacviz.model.project import PolygonFootprint, RectFootprint

X0, Y0 = 649_000.0, 6_948_000.0

# A file using everything SPEC §2 allows: rect and polygon footprints, a polygon
# with and without its closing vertex, both orientations, unknown keys at every
# level that keeps them.
FULL: dict[str, Any] = {
    "format": "zacviz-project",
    "version": 1,
    "site": "test-site",
    "lot": "A1",
    "title": "Plateforme Dupont",
    "buildings": [
        {
            "id": "b1",
            "use": "warehouse",
            "height_m": 12.0,
            "storeys": 1,
            "roof": "flat",
            "footprint": {
                "rect": {
                    "cx": X0 + 50.0,
                    "cy": Y0 + 45.0,
                    "width": 30.0,
                    "depth": 20.0,
                    "angle_deg": 15.0,
                    "x_corner_radius": 0.5,
                }
            },
            "x_colour": "#c0ffee",
        },
        {
            "id": "b2",
            "use": "office",
            "height_m": 9.5,
            "storeys": 3,
            "roof": "gable",
            # clockwise, no closing vertex
            "footprint": {
                "polygon": [
                    [X0 + 10.0, Y0 + 60.0],
                    [X0 + 10.0, Y0 + 75.0],
                    [X0 + 30.0, Y0 + 75.0],
                    [X0 + 30.0, Y0 + 60.0],
                ]
            },
        },
    ],
    "surfaces": [
        {
            "id": "s1",
            "kind": "parking",
            "stalls": 24,
            # counter-clockwise, closed
            "footprint": {
                "polygon": [
                    [X0 + 60.0, Y0 + 12.0],
                    [X0 + 95.0, Y0 + 12.0],
                    [X0 + 95.0, Y0 + 30.0],
                    [X0 + 60.0, Y0 + 30.0],
                    [X0 + 60.0, Y0 + 12.0],
                ]
            },
            "x_surface_note": {"paint": "white", "lines": [1, 2, 3]},
        },
        {
            "id": "s2",
            "kind": "yard",
            "footprint": {
                "rect": {"cx": X0 + 20.0, "cy": Y0 + 20.0, "width": 10.0, "depth": 8.0, "angle_deg": -30.0}
            },
        },
        {
            "id": "s3",
            "kind": "storage",
            # clockwise, closed
            "footprint": {
                "polygon": [
                    [X0 + 5.0, Y0 + 5.0],
                    [X0 + 5.0, Y0 + 9.0],
                    [X0 + 9.0, Y0 + 5.0],
                    [X0 + 5.0, Y0 + 5.0],
                ]
            },
        },
    ],
    "x_top": {"made_with": "zacviz 9", "layers": ["a", "b"]},
}

DELETE = object()


def full() -> dict[str, Any]:
    return copy.deepcopy(FULL)


def mutated(path: str, value: Any) -> dict[str, Any]:
    """FULL with the value at a dotted path (list indices as numbers) replaced or deleted."""
    doc = full()
    *parents, last = path.split(".")
    node: Any = doc
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    key: Any = int(last) if isinstance(node, list) else last
    if value is DELETE:
        del node[key]
    else:
        node[key] = value
    return doc


def text_with(path: str, literal: str) -> str:
    """FULL as JSON text with the value at ``path`` replaced by a raw JSON literal."""
    marker = "__LITERAL__"
    return json.dumps(mutated(path, marker)).replace(f'"{marker}"', literal)


def bowtie(x: float, y: float) -> list[list[float]]:
    return [[x, y], [x + 10.0, y + 10.0], [x + 10.0, y], [x, y + 10.0]]


# (case id, document or raw text, the field the message must name)
BAD: list[tuple[str, Any, str]] = [
    # syntax
    ("bad json", "{this is not json", "not valid JSON"),
    ("truncated json", json.dumps(FULL)[: len(json.dumps(FULL)) // 2], "not valid JSON"),
    ("empty file", "", "not valid JSON"),
    ("not utf-8", b"\xff\xfe\x00garbage", "not valid JSON"),
    ("deeply nested", "[" * 100_000, "project"),
    # the document
    ("not an object (list)", [FULL], "project"),
    ("not an object (string)", '"zacviz-project"', "project"),
    ("wrong format", mutated("format", "zacviz-site"), "format"),
    ("missing format", mutated("format", DELETE), "format"),
    ("newer version", mutated("version", 2), "version"),
    ("old version without migration", mutated("version", 0), "version"),
    ("negative version", mutated("version", -1), "version"),
    ("string version", mutated("version", "1"), "version"),
    ("float version", mutated("version", 1.5), "version"),
    ("integral float version", mutated("version", 1.0), "version"),
    ("bool version", mutated("version", True), "version"),
    ("missing version", mutated("version", DELETE), "version"),
    ("missing site", mutated("site", DELETE), "site"),
    ("missing lot", mutated("lot", DELETE), "lot"),
    ("empty lot", mutated("lot", " "), "lot"),
    ("numeric lot", mutated("lot", 3), "lot"),
    ("title not a string", mutated("title", ["x"]), "title"),
    ("buildings not a list", mutated("buildings", {"b1": FULL["buildings"][0]}), "buildings"),
    ("surfaces not a list", mutated("surfaces", "s1"), "surfaces"),
    ("building not an object", mutated("buildings.0", "b1"), "buildings[0]"),
    ("surface not an object", mutated("surfaces.1", None), "surfaces[1]"),
    # building fields: types
    ("missing building id", mutated("buildings.0.id", DELETE), "buildings[0].id"),
    ("empty building id", mutated("buildings.1.id", ""), "buildings[1].id"),
    ("numeric building id", mutated("buildings.1.id", 7), "buildings[1].id"),
    ("string height", mutated("buildings.0.height_m", "12"), "buildings[0].height_m"),
    ("missing height", mutated("buildings.0.height_m", DELETE), "buildings[0].height_m"),
    ("null height", mutated("buildings.0.height_m", None), "buildings[0].height_m"),
    ("bool height", mutated("buildings.0.height_m", True), "buildings[0].height_m"),
    ("bool storeys", mutated("buildings.1.storeys", True), "buildings[1].storeys"),
    ("float storeys", mutated("buildings.1.storeys", 1.5), "buildings[1].storeys"),
    ("string storeys", mutated("buildings.1.storeys", "3"), "buildings[1].storeys"),
    ("storeys 0", mutated("buildings.1.storeys", 0), "buildings[1].storeys"),
    ("negative storeys", mutated("buildings.1.storeys", -2), "buildings[1].storeys"),
    ("absurd storeys", mutated("buildings.1.storeys", 10_000), "buildings[1].storeys"),
    ("unknown use", mutated("buildings.0.use", "nuclear_plant"), "buildings[0].use"),
    ("missing use", mutated("buildings.0.use", DELETE), "buildings[0].use"),
    ("unknown roof", mutated("buildings.1.roof", "dome"), "buildings[1].roof"),
    # sizes: non-finite, non-positive, absurd
    (
        "width 1e400 (inf)",
        text_with("buildings.0.footprint.rect.width", "1e400"),
        "buildings[0].footprint.rect.width",
    ),
    ("height -1e400 (-inf)", text_with("buildings.0.height_m", "-1e400"), "buildings[0].height_m"),
    ("cx 1e400 (inf)", text_with("buildings.0.footprint.rect.cx", "1e400"), "buildings[0].footprint.rect.cx"),
    (
        "polygon x 1e400 (inf)",
        text_with("surfaces.0.footprint.polygon.2.0", "1e400"),
        "surfaces[0].footprint.polygon[2][0]",
    ),
    ("width 0", mutated("buildings.0.footprint.rect.width", 0), "buildings[0].footprint.rect.width"),
    ("depth -3", mutated("buildings.0.footprint.rect.depth", -3), "buildings[0].footprint.rect.depth"),
    ("height 0", mutated("buildings.0.height_m", 0), "buildings[0].height_m"),
    ("negative height", mutated("buildings.1.height_m", -9.5), "buildings[1].height_m"),
    ("width 1e9 m", mutated("buildings.0.footprint.rect.width", 1e9), "buildings[0].footprint.rect.width"),
    ("depth 1e9 m", mutated("buildings.0.footprint.rect.depth", 1e9), "buildings[0].footprint.rect.depth"),
    ("height 1e9 m", mutated("buildings.0.height_m", 1e9), "buildings[0].height_m"),
    ("cx 1e9", mutated("buildings.0.footprint.rect.cx", 1e9), "buildings[0].footprint.rect.cx"),
    ("cy -1e9", mutated("buildings.0.footprint.rect.cy", -1e9), "buildings[0].footprint.rect.cy"),
    (
        "polygon y 1e9",
        mutated("surfaces.0.footprint.polygon.1.1", 1e9),
        "surfaces[0].footprint.polygon[1][1]",
    ),
    (
        "polygon 1e9 m across (coordinates within range)",
        mutated(
            "buildings.1.footprint.polygon",
            [[-4e7, 0.0], [4e7, 0.0], [4e7, 1.0], [-4e7, 1.0]],
        ),
        "buildings[1].footprint.polygon",
    ),
    (
        "angle not a number",
        mutated("buildings.0.footprint.rect.angle_deg", "15"),
        "buildings[0].footprint.rect.angle_deg",
    ),
    (
        "absurd angle",
        mutated("buildings.0.footprint.rect.angle_deg", 1e12),
        "buildings[0].footprint.rect.angle_deg",
    ),
    (
        "rect without width",
        mutated("buildings.0.footprint.rect.width", DELETE),
        "buildings[0].footprint.rect.width",
    ),
    ("rect without cx", mutated("buildings.0.footprint.rect.cx", DELETE), "buildings[0].footprint.rect.cx"),
    ("rect not an object", mutated("buildings.0.footprint.rect", [1, 2]), "buildings[0].footprint.rect"),
    # polygons
    (
        "bow-tie polygon",
        mutated("buildings.1.footprint.polygon", bowtie(X0, Y0)),
        "buildings[1].footprint.polygon",
    ),
    (
        "closed bow-tie polygon",
        mutated("surfaces.0.footprint.polygon", [*bowtie(X0, Y0), [X0, Y0]]),
        "surfaces[0].footprint.polygon",
    ),
    (
        "polygon with 2 distinct points (closed)",
        mutated("buildings.1.footprint.polygon", [[X0, Y0], [X0 + 5.0, Y0 + 5.0], [X0, Y0]]),
        "buildings[1].footprint.polygon",
    ),
    (
        "polygon with 2 points",
        mutated("buildings.1.footprint.polygon", [[X0, Y0], [X0 + 5.0, Y0 + 5.0]]),
        "buildings[1].footprint.polygon",
    ),
    (
        "polygon with 2 distinct points out of 3",
        mutated("buildings.1.footprint.polygon", [[X0, Y0], [X0, Y0], [X0 + 5.0, Y0 + 5.0]]),
        "buildings[1].footprint.polygon",
    ),
    ("empty polygon", mutated("buildings.1.footprint.polygon", []), "buildings[1].footprint.polygon"),
    (
        "zero-area polygon (collinear)",
        mutated("buildings.1.footprint.polygon", [[X0, Y0], [X0 + 5.0, Y0], [X0 + 10.0, Y0]]),
        "buildings[1].footprint.polygon",
    ),
    (
        "zero-area polygon (there and back)",
        mutated(
            "surfaces.2.footprint.polygon",
            [[X0, Y0], [X0 + 5.0, Y0 + 5.0], [X0 + 10.0, Y0 + 10.0], [X0 + 5.0, Y0 + 5.0]],
        ),
        "surfaces[2].footprint.polygon",
    ),
    (
        "polygon point not a pair",
        mutated("buildings.1.footprint.polygon.2", [X0, Y0, 3.0]),
        "buildings[1].footprint.polygon[2]",
    ),
    (
        "polygon point a string",
        mutated("buildings.1.footprint.polygon.0.1", "6948060"),
        "buildings[1].footprint.polygon[0][1]",
    ),
    (
        "polygon not a list",
        mutated("buildings.1.footprint.polygon", {"x": 1}),
        "buildings[1].footprint.polygon",
    ),
    # footprint kinds
    (
        "both rect and polygon",
        mutated("buildings.0.footprint.polygon", FULL["buildings"][1]["footprint"]["polygon"]),
        "buildings[0].footprint",
    ),
    ("neither rect nor polygon", mutated("buildings.0.footprint", {}), "buildings[0].footprint"),
    ("unknown footprint kind", mutated("buildings.0.footprint", {"L": {"cx": X0}}), "buildings[0].footprint"),
    ("missing footprint", mutated("surfaces.1.footprint", DELETE), "surfaces[1].footprint"),
    ("footprint not an object", mutated("surfaces.1.footprint", "rect"), "surfaces[1].footprint"),
    # surfaces
    ("unknown surface kind", mutated("surfaces.0.kind", "helipad"), "surfaces[0].kind"),
    ("missing surface kind", mutated("surfaces.0.kind", DELETE), "surfaces[0].kind"),
    ("stalls on a yard", mutated("surfaces.1.stalls", 4), "surfaces[1].stalls"),
    ("stalls on a storage area", mutated("surfaces.2.stalls", 1), "surfaces[2].stalls"),
    ("negative stalls", mutated("surfaces.0.stalls", -1), "surfaces[0].stalls"),
    ("fractional stalls", mutated("surfaces.0.stalls", 2.5), "surfaces[0].stalls"),
    ("string stalls", mutated("surfaces.0.stalls", "24"), "surfaces[0].stalls"),
    ("absurd stalls", mutated("surfaces.0.stalls", 10**9), "surfaces[0].stalls"),
    # ids
    ("duplicate building ids", mutated("buildings.1.id", "b1"), "buildings[1].id"),
    ("building and surface ids clash", mutated("surfaces.0.id", "b2"), "surfaces[0].id"),
    ("duplicate surface ids", mutated("surfaces.2.id", "s1"), "surfaces[2].id"),
]


def _one_line(message: str) -> None:
    assert message.strip(), "empty message"
    assert "\n" not in message and "\r" not in message
    assert "Traceback" not in message


def _raw(doc: Any) -> str | bytes:
    return doc if isinstance(doc, (str, bytes)) else json.dumps(doc)


@pytest.mark.parametrize(("doc", "field"), [pytest.param(d, f, id=i) for i, d, f in BAD])
def test_bad_input_is_refused_naming_the_field(doc: Any, field: str) -> None:
    with pytest.raises(InputError) as info:
        loads(_raw(doc))
    message = info.value.message
    _one_line(message)
    if field == "not valid JSON":
        assert message.startswith("not valid JSON"), message
    else:
        assert f"{field}:" in message, message


@pytest.mark.parametrize(("doc", "field"), [pytest.param(d, f, id=i) for i, d, f in BAD])
def test_bad_file_is_refused_naming_file_and_field(
    tmp_path: Path, write_project, doc: Any, field: str
) -> None:
    path = write_project(tmp_path / "bad.zacviz.json", doc)
    with pytest.raises(InputError) as info:
        load_project(path)
    message = info.value.message
    _one_line(message)
    assert message.startswith("bad.zacviz.json: "), message
    assert field in message, message


@pytest.mark.parametrize(
    ("literal", "path"),
    [
        ("NaN", "buildings.0.height_m"),
        ("Infinity", "buildings.0.footprint.rect.width"),
        ("-Infinity", "surfaces.0.footprint.polygon.0.0"),
    ],
)
def test_nan_and_infinity_literals_are_refused(literal: str, path: str) -> None:
    with pytest.raises(InputError) as info:
        loads(text_with(path, literal))
    _one_line(info.value.message)
    assert literal.lstrip("-") in info.value.message


@pytest.mark.parametrize(
    ("literal", "path", "field"),
    [
        ("NaN", "buildings.0.height_m", "buildings[0].height_m"),
        ("Infinity", "buildings.0.footprint.rect.width", "buildings[0].footprint.rect.width"),
    ],
)
def test_nan_and_infinity_literals_name_the_field(literal: str, path: str, field: str) -> None:
    with pytest.raises(InputError) as info:
        loads(text_with(path, literal))
    assert field in info.value.message


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("buildings.0.footprint.rect.width", "buildings[0].footprint.rect.width"),
        ("buildings.0.footprint.rect.cx", "buildings[0].footprint.rect.cx"),
        ("buildings.0.height_m", "buildings[0].height_m"),
        ("surfaces.0.footprint.polygon.0.0", "surfaces[0].footprint.polygon[0][0]"),
    ],
)
def test_huge_integer_literal_is_refused_naming_the_field(path: str, field: str) -> None:
    with pytest.raises(InputError) as info:
        loads(text_with(path, "1" + "0" * 400))
    assert f"{field}:" in info.value.message


def test_huge_integer_storeys_is_refused() -> None:
    with pytest.raises(InputError, match=r"buildings\[1\]\.storeys:"):
        loads(text_with("buildings.1.storeys", "1" + "0" * 400))


def test_project_from_dict_refuses_non_mappings() -> None:
    for doc in (None, 3, "x", [], ()):
        with pytest.raises(InputError, match=r"^project: must be an object"):
            project_from_dict(doc)


def test_message_is_one_line_even_for_multiline_values() -> None:
    with pytest.raises(InputError) as info:
        loads(json.dumps(mutated("buildings.0.use", "ware\nhouse\r\nbig")))
    _one_line(info.value.message)
    assert "buildings[0].use:" in info.value.message


# ------------------------------------------------------------- round trips


def test_full_file_round_trips_exactly() -> None:
    project = project_from_dict(full())
    assert project_to_dict(project) == FULL
    assert json.loads(dumps(project)) == FULL


def test_round_trip_keeps_polygon_closing_and_orientation() -> None:
    project = project_from_dict(full())
    b2 = project.buildings[1].footprint
    s1 = project.surfaces[0].footprint
    s3 = project.surfaces[2].footprint
    assert (
        isinstance(b2, PolygonFootprint)
        and isinstance(s1, PolygonFootprint)
        and isinstance(s3, PolygonFootprint)
    )
    # points are kept as given, the closing vertex dropped from the model
    assert [list(p) for p in b2.points] == FULL["buildings"][1]["footprint"]["polygon"]
    assert [list(p) for p in s1.points] == FULL["surfaces"][0]["footprint"]["polygon"][:-1]
    assert [list(p) for p in s3.points] == FULL["surfaces"][2]["footprint"]["polygon"][:-1]
    out = project_to_dict(project)
    assert out["buildings"][1]["footprint"]["polygon"] == FULL["buildings"][1]["footprint"]["polygon"]
    assert out["surfaces"][0]["footprint"]["polygon"] == FULL["surfaces"][0]["footprint"]["polygon"]
    assert out["surfaces"][2]["footprint"]["polygon"] == FULL["surfaces"][2]["footprint"]["polygon"]


def test_model_values() -> None:
    project = project_from_dict(full())
    assert (project.site, project.lot, project.title, project.version) == (
        "test-site",
        "A1",
        "Plateforme Dupont",
        1,
    )
    b1 = project.buildings[0]
    assert isinstance(b1.footprint, RectFootprint)
    assert (b1.footprint.width, b1.footprint.depth, b1.footprint.angle_deg) == (30.0, 20.0, 15.0)
    assert b1.storeys == 1 and isinstance(b1.storeys, int)
    assert project.surfaces[0].stalls == 24
    assert project.surfaces[1].stalls is None


def test_defaults_of_optional_keys() -> None:
    doc = full()
    del doc["title"]
    del doc["buildings"][0]["storeys"]
    del doc["buildings"][0]["roof"]
    del doc["buildings"][0]["footprint"]["rect"]["angle_deg"]
    del doc["buildings"]
    del doc["surfaces"]
    project = project_from_dict(doc)
    assert project.title == "" and project.buildings == () and project.surfaces == ()
    doc = full()
    del doc["buildings"][0]["storeys"]
    del doc["buildings"][0]["roof"]
    del doc["buildings"][0]["footprint"]["rect"]["angle_deg"]
    b = project_from_dict(doc).buildings[0]
    assert b.storeys == 1 and b.roof == "flat" and b.footprint.angle_deg == 0.0


def test_integral_float_storeys_is_an_integer() -> None:
    project = project_from_dict(mutated("buildings.1.storeys", 3.0))
    assert project.buildings[1].storeys == 3 and isinstance(project.buildings[1].storeys, int)


def test_unknown_keys_are_kept_at_every_level() -> None:
    project = project_from_dict(full())
    assert dict(project.extra) == {"x_top": FULL["x_top"]}
    assert dict(project.buildings[0].extra) == {"x_colour": "#c0ffee"}
    assert dict(project.buildings[0].footprint.extra) == {"x_corner_radius": 0.5}
    assert dict(project.surfaces[0].extra) == {"x_surface_note": FULL["surfaces"][0]["x_surface_note"]}
    assert dict(project.buildings[1].extra) == {}


def test_unknown_keys_are_written_back_by_dumps_and_save(tmp_path: Path) -> None:
    project = project_from_dict(full())
    for doc in (json.loads(dumps(project)), _saved(project, tmp_path / "p.zacviz.json")):
        assert doc["x_top"] == FULL["x_top"]
        assert doc["buildings"][0]["x_colour"] == "#c0ffee"
        assert doc["buildings"][0]["footprint"]["rect"]["x_corner_radius"] == 0.5
        assert doc["surfaces"][0]["x_surface_note"] == FULL["surfaces"][0]["x_surface_note"]


def _saved(project, path: Path) -> dict:
    save_project(project, path)
    return json.loads(path.read_text(encoding="utf-8"))


def test_save_then_load_is_identity(tmp_path: Path) -> None:
    project = project_from_dict(full())
    path = tmp_path / "p.zacviz.json"
    save_project(project, path)
    again = load_project(path)
    assert again == project
    assert project_to_dict(again) == FULL
    assert path.read_text(encoding="utf-8") == dumps(project)


def test_dumps_is_strict_json_text() -> None:
    text = dumps(project_from_dict(full()))
    assert text.endswith("\n")
    json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} in output"))


def test_non_ascii_text_round_trips(tmp_path: Path) -> None:
    doc = mutated("title", "Entrepôt « Dupont » – ZAC de l'Étang 🏭")
    project = project_from_dict(doc)
    path = tmp_path / "é.zacviz.json"
    save_project(project, path)
    assert load_project(path).title == doc["title"]


# ------------------------------------------------------------------ saving


def test_save_is_atomic_and_leaves_no_temp_file(tmp_path: Path) -> None:
    project = project_from_dict(full())
    path = tmp_path / "p.zacviz.json"
    path.write_text("old content", encoding="utf-8")
    save_project(project, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.zacviz.json"]
    assert json.loads(path.read_text(encoding="utf-8")) == FULL
    save_project(project_from_dict(mutated("title", "v2")), path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.zacviz.json"]
    assert load_project(path).title == "v2"


def test_save_into_missing_folder_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "p.zacviz.json"
    with pytest.raises(InputError) as info:
        save_project(project_from_dict(full()), path)
    _one_line(info.value.message)
    assert "p.zacviz.json" in info.value.message
    assert list(tmp_path.iterdir()) == []


def test_failed_replace_keeps_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.zacviz.json"
    path.write_text("old content", encoding="utf-8")

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(pf.os, "replace", refuse)
    with pytest.raises(InputError) as info:
        save_project(project_from_dict(full()), path)
    assert "p.zacviz.json" in info.value.message
    assert path.read_text(encoding="utf-8") == "old content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.zacviz.json"]


def test_lone_surrogate_is_refused_or_saved(tmp_path: Path) -> None:
    text = json.dumps(mutated("title", "A\ud800B"))  # ensure_ascii: written as the \ud800 escape
    try:
        project = loads(text)
    except InputError as exc:
        assert "title" in exc.message
        return
    path = tmp_path / "p.zacviz.json"
    try:
        save_project(project, path)
    finally:
        assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert load_project(path).title == project.title


# ----------------------------------------------------------------- loading


def test_load_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_project(tmp_path / "absent.zacviz.json")
    _one_line(info.value.message)
    assert "absent.zacviz.json" in info.value.message


def test_load_folder_names_it(tmp_path: Path) -> None:
    folder = tmp_path / "folder.zacviz.json"
    folder.mkdir()
    with pytest.raises(InputError) as info:
        load_project(folder)
    _one_line(info.value.message)
    assert "folder.zacviz.json" in info.value.message


def test_loads_accepts_bytes_and_text() -> None:
    text = json.dumps(FULL)
    assert loads(text) == loads(text.encode("utf-8"))


# --------------------------------------------------------------- migration


def _version0() -> dict[str, Any]:
    doc = full()
    doc["version"] = 0
    doc["plot"] = doc.pop("lot")  # the (imaginary) version-0 name of "lot"
    return doc


def _upgrade_0(doc: dict[str, Any]) -> dict[str, Any]:
    doc = dict(doc)
    doc["lot"] = doc.pop("plot")
    doc["version"] = 1
    return doc


def test_migration_upgrades_version_0(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(pf.MIGRATIONS, 0, _upgrade_0)
    project = project_from_dict(_version0())
    assert project.lot == "A1" and project.version == 1
    out = project_to_dict(project)
    assert out == FULL
    assert "plot" not in out


def test_register_migration_decorator(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pf, "MIGRATIONS", {})
    assert pf.register_migration(0)(_upgrade_0) is _upgrade_0
    assert {0: _upgrade_0} == pf.MIGRATIONS
    assert project_from_dict(_version0()).lot == "A1"


def test_migration_does_not_touch_the_callers_document(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(pf.MIGRATIONS, 0, _upgrade_0)
    doc = _version0()
    before = copy.deepcopy(doc)
    project_from_dict(doc)
    assert doc == before


def test_migrated_document_is_still_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(pf.MIGRATIONS, 0, _upgrade_0)
    doc = _version0()
    doc["buildings"][0]["height_m"] = -1
    with pytest.raises(InputError, match=r"buildings\[0\]\.height_m:"):
        project_from_dict(doc)


def test_version_0_without_migration_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pf, "MIGRATIONS", {})
    with pytest.raises(InputError, match=r"^version: 0"):
        project_from_dict(_version0())


def test_unknown_keys_beside_the_footprint_kind_are_kept() -> None:
    doc = {
        "format": "zacviz-project",
        "version": 1,
        "site": "s",
        "lot": "A1",
        "title": "",
        "buildings": [
            {
                "id": "b1",
                "use": "office",
                "height_m": 9.0,
                "storeys": 2,
                "roof": "flat",
                "footprint": {
                    "rect": {"cx": 1.0, "cy": 2.0, "width": 10.0, "depth": 8.0, "angle_deg": 0.0},
                    "source": "sketch",
                },
            }
        ],
        "surfaces": [
            {"id": "s1", "kind": "yard", "footprint": {"polygon": [[0, 0], [5, 0], [5, 5]], "layer": 2}}
        ],
    }
    assert project_to_dict(project_from_dict(doc)) == doc
