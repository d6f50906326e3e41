"""Sharing links (SPEC §5): a project survives the trip through a URL, and a
damaged link gives one readable line, never a traceback."""

from __future__ import annotations

import base64
import json
import zlib

import pytest

from zacviz.errors import InputError
from zacviz.export.share import (
    MAX_PROJECT_BYTES,
    decode_fragment,
    decode_payload,
    encode_payload,
    project_json,
    project_json_pieces,
    share_fragment,
    share_url,
)
from zacviz.io.project_file import project_to_dict


def test_round_trip_keeps_every_field(example_projects):
    for project in example_projects:
        url = share_url(project, "https://example.org/parc/index.html#old")
        assert url.startswith("https://example.org/parc/index.html#p=")
        back = decode_fragment(url)
        assert project_to_dict(back) == project_to_dict(project)


def test_format_is_raw_deflate_base64url_without_padding(example_projects):
    project = example_projects[0]
    fragment = share_fragment(project)
    payload = fragment.removeprefix("p=")
    assert set(payload) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    text = zlib.decompress(raw, -15).decode("utf-8")  # raw DEFLATE: no zlib header
    assert json.loads(text) == project_to_dict(project)
    assert text == project_json(project)
    # Compact enough for a QR code.
    assert len(fragment) < 1200


def test_the_json_a_piece_at_a_time_is_the_links_json(example_projects):
    """The pieces the sheet compresses until it knows a link is too long for a
    QR code are the text of the link, unicode, unknown keys and floats included."""
    from zacviz.io.project_file import loads

    for project in example_projects:
        doc = project_to_dict(project)
        doc["title"] = "Atelier « Léa » 🏭 <b>x</b>"
        doc["x-future"] = {"kept": [1, 2.5e-7, None, True], "é": "\u2028"}
        doc["buildings"][0]["height_m"] = 12.345678901234567
        project = loads(json.dumps(doc))
        pieces = list(project_json_pieces(project))
        assert len(pieces) > 10
        assert "".join(pieces) == project_json(project)


def test_unknown_keys_and_unicode_travel(example_projects):
    doc = project_to_dict(example_projects[0])
    doc["title"] = "Atelier « Léa » 🏭 <b>x</b>"
    doc["x-future"] = {"kept": [1, 2]}
    text = json.dumps(doc, ensure_ascii=False)
    back = decode_fragment("#p=" + encode_payload(text))
    assert back.title == doc["title"]
    assert back.extra["x-future"] == {"kept": [1, 2]}


def test_fragment_among_other_parameters(example_projects):
    fragment = share_fragment(example_projects[0])
    assert decode_fragment(f"viewer.html#lang=en&{fragment}").lot == example_projects[0].lot
    assert decode_fragment(fragment.removeprefix("p=")).lot == example_projects[0].lot


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("https://x.org/#", "link: the project part is empty"),
        ("#p=", "link: the project part is empty"),
        ("#lang=en", "link: no project in it"),
        ("#p=not*base64", "link: damaged (not base64url text)"),
        ("#p=" + encode_payload("{}")[:-3], "link: damaged (truncated)"),
        ("#p=AAAA", "link: damaged"),
        ("#p=" + encode_payload("not json"), "link: not valid JSON"),
        ("#p=" + encode_payload('{"format": "zacviz-project", "version": 1}'), "link: site: missing"),
        ("#p=" + encode_payload('{"format": "other"}'), "link: format:"),
    ],
)
def test_damaged_links_give_one_readable_line(text, message):
    with pytest.raises(InputError) as info:
        decode_fragment(text)
    assert info.value.message.startswith(message)
    assert "\n" not in info.value.message


def test_not_utf8_is_refused():
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = deflate.compress(b"\xff\xfe{") + deflate.flush()
    payload = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    with pytest.raises(InputError, match="not UTF-8"):
        decode_payload(payload)


def test_zip_bomb_is_refused_without_inflating_it():
    payload = encode_payload(" " * (MAX_PROJECT_BYTES + 10))
    assert len(payload) < 10_000
    with pytest.raises(InputError, match="too large"):
        decode_payload(payload)


def test_too_long_link_is_refused():
    with pytest.raises(InputError, match="too long"):
        decode_payload("A" * 2_000_001)
