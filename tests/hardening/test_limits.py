"""SPEC §2 limits and SPEC §5 links under hostile-but-plausible input: each
refusal is one line naming the field; the page reads the same vectors
(web/tests/vectors.json, checked by tests/export/test_web_vectors.py)."""

from __future__ import annotations

import json
import os
import stat
import zlib

import pytest

from zacviz.errors import InputError
from zacviz.export.share import decode_fragment, encode_payload, share_fragment
from zacviz.io.project_file import (
    check_reach,
    load_project,
    loads,
    project_from_dict,
    save_project,
)
from zacviz.io.site_folder import find_site


def _refused(doc, field: str) -> str:
    with pytest.raises(InputError) as info:
        loads(doc if isinstance(doc, (str, bytes)) else json.dumps(doc))
    message = info.value.message
    assert "\n" not in message and "internal" not in message
    assert message.startswith(field), message
    assert len(message) < 300, message
    return message


def test_spec_limits_are_refused_naming_the_field(kit):
    good = kit.compliant_project()
    many = [
        kit.building(f"b{i}", cx=kit.X0 + 10 + (i % 30) * 3, cy=kit.Y0 + 10 + i // 30) for i in range(1001)
    ]
    _refused({**good, "buildings": many}, "buildings: too many (1001, at most 1000)")
    _refused({**good, "surfaces": [kit.surface(f"s{i}") for i in range(1001)]}, "surfaces: too many")
    _refused({**good, "title": "t" * 201}, "title: too long")
    _refused({**good, "lot": "A" * 65}, "lot: too long")
    _refused({**good, "buildings": [kit.building("b" * 65)]}, "buildings[0].id: too long")
    _refused({**good, "surfaces": [kit.surface("s" * 1400)]}, "surfaces[0].id: too long")
    # At the limits: accepted.
    assert len(loads(json.dumps({**good, "title": "é" * 200})).title) == 200
    assert loads(json.dumps({**good, "buildings": [kit.building("b" * 64)]})).buildings[0].id == "b" * 64


@pytest.mark.parametrize(
    "site", ["../../../../tmp/x", "/etc", "Belle-Assise", "s" * 65, "a/b", "-x", "x y", "é", "."]
)
def test_a_site_id_is_never_a_path(kit, site):
    message = _refused({**kit.compliant_project(), "site": site}, "site: ")
    assert "is not a site id" in message
    with pytest.raises(InputError, match=r"^site: "):
        find_site(site)


def test_a_300_character_site_id_is_one_line(kit, tmp_path, write_project):
    path = write_project(tmp_path / "p.zacviz.json", {**kit.compliant_project(), "site": "s" * 300})
    with pytest.raises(InputError) as info:
        load_project(path)
    assert "not a site id" in info.value.message and len(info.value.message) < 300


def test_nesting_huge_integers_and_bom(kit):
    good = kit.compliant_project()
    _refused(json.dumps(good)[:-1] + ', "x": ' + "[" * 2000 + "]" * 2000 + "}", "project: nested too deeply")
    _refused("[" * 100_000, "project: nested too deeply")
    _refused({**good, "x": json.loads("[" * 65 + "]" * 65)}, "project: nested too deeply")
    loads(json.dumps({**good, "x": json.loads("[" * 60 + "]" * 60)}))  # within the limit
    text = json.dumps(good)
    for field, value in (("storeys", "9" * 400), ("height_m", "9" * 400), ("height_m", "-" + "9" * 400)):
        bad = text.replace(f'"{field}": {good["buildings"][0][field]}', f'"{field}": {value}', 1)
        assert bad != text
        _refused(bad, f"buildings[0].{field}: ")
    _refused(text.replace('"stalls": 10', '"stalls": ' + "9" * 5000, 1), "not valid JSON")
    assert loads("\ufeff" + text).lot == "A1"
    assert loads(b"\xef\xbb\xbf" + text.encode()).lot == "A1"


def test_every_vertex_within_10_km_of_the_lot(kit):
    from shapely.geometry import box

    lot = box(kit.X0, kit.Y0, kit.X0 + 100, kit.Y0 + 80)
    near = project_from_dict(kit.project_doc([kit.building(cx=kit.X0 + 9_000, cy=kit.Y0 + 40)]))
    check_reach(near, lot)
    far = project_from_dict(
        kit.project_doc(
            [kit.building()], [kit.surface("s9", (kit.X0 + 10_200, kit.Y0, kit.X0 + 10_300, kit.Y0 + 10))]
        )
    )
    with pytest.raises(InputError, match=r"^surfaces\[0\]\.footprint: more than 10 km from lot 'A1'$"):
        check_reach(far, lot)


def test_links_read_like_files_bom_padding_bomb(kit):
    project = project_from_dict(kit.compliant_project())
    fragment = share_fragment(project)
    text = json.dumps(kit.compliant_project())
    assert decode_fragment("p=" + encode_payload("\ufeff" + text)).lot == "A1"
    for pad in ("", "=", "=="):
        assert decode_fragment(fragment + pad).lot == "A1"
    with pytest.raises(InputError, match=r"^link: damaged"):
        decode_fragment(fragment + "===")
    with pytest.raises(InputError, match=r"^link: damaged"):
        decode_fragment(fragment.replace("-", "+").replace("_", "/") + "+/")
    # A 1 MB link inflating to 1 GB: stopped at 2 MB.
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b" " * (1 << 20)
    raw = b"".join(deflate.compress(chunk) for _ in range(1024)) + deflate.flush()
    import base64

    bomb = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    import resource
    import time

    t0 = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(InputError, match=r"^link: the project is too large$"):
        decode_fragment("p=" + bomb)
    assert time.perf_counter() - t0 < 2.0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # kB


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_project_that_is_a_fifo_or_device_is_refused(tmp_path):
    fifo = tmp_path / "p.zacviz.json"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        load_project(fifo)
    if os.path.exists("/dev/zero"):
        with pytest.raises(InputError, match="not a regular file"):
            load_project("/dev/zero")
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    with pytest.raises(InputError, match="symbolic links"):
        load_project(loop)
    big = tmp_path / "big.zacviz.json"
    with big.open("wb") as fh:
        fh.truncate(17 * 1024 * 1024)
    with pytest.raises(InputError, match="too large"):
        load_project(big)


# ------------------------------------------------------------ safe saves


def test_save_ignores_a_planted_temporary_symlink(kit, tmp_path):
    project = project_from_dict(kit.compliant_project())
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    target = tmp_path / "p.zacviz.json"
    (tmp_path / ".p.zacviz.json.tmp").symlink_to(victim)  # the old predictable name
    save_project(project, target)
    assert victim.read_text() == "keep me"
    assert not target.is_symlink() and load_project(target).lot == "A1"
    assert [
        p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp") and p.name != ".p.zacviz.json.tmp"
    ] == []


def test_save_keeps_permissions_and_follows_a_symlinked_target(kit, tmp_path):
    project = project_from_dict(kit.compliant_project())
    real = tmp_path / "real" / "p.zacviz.json"
    real.parent.mkdir()
    real.write_text("{}")
    real.chmod(0o640)
    link = tmp_path / "link.zacviz.json"
    link.symlink_to(real)
    save_project(project, link)
    assert link.is_symlink()
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert load_project(real).lot == "A1"


def test_every_save_error_is_one_message(kit, tmp_path):
    project = project_from_dict(kit.compliant_project())
    for path in (tmp_path / ("x" * 252 + ".zacviz.json"), tmp_path / "missing" / "p.json", tmp_path):
        with pytest.raises(InputError) as info:
            save_project(project, path)
        assert info.value.message.count("\n") == 0 and "cannot be written" in info.value.message
        assert len(info.value.message) < 200
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
