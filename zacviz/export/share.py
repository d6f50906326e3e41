"""Sharing links (SPEC §5): a project in a URL fragment, nothing uploaded.

The fragment is ``p=`` followed by the base64url text (no padding) of the
raw-DEFLATE-compressed (zlib ``wbits=-15``) UTF-8 project JSON. The web viewer
decodes the same text with ``fflate`` and validates it like any other input.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from collections.abc import Iterator

from zacviz.errors import InputError
from zacviz.io.project_file import loads, project_to_dict
from zacviz.model.project import Project

FRAGMENT_KEY = "p"
# A project is a few kB; anything that inflates beyond this is not one (zip bomb).
MAX_PROJECT_BYTES = 2_000_000
# Browsers keep URLs up to about 2 MB; a longer fragment is not a link we made.
MAX_FRAGMENT_CHARS = 2_000_000
_BASE64URL = re.compile(r"([A-Za-z0-9_-]*)={0,2}")


def _encoder() -> json.JSONEncoder:
    return json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def project_json(project: Project) -> str:
    """The compact JSON the link carries (no indentation: every byte counts in a QR code)."""
    return _encoder().encode(project_to_dict(project))


def project_json_pieces(project: Project) -> Iterator[str]:
    """:func:`project_json`'s text, a piece at a time, made as it is read: the
    start of a 12 MB project without the second it takes to write it whole."""
    return _encoder().iterencode(project_to_dict(project))


def encode_payload(text: str) -> str:
    """base64url, without padding, of raw DEFLATE of ``text`` in UTF-8."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    raw = deflate.compress(text.encode("utf-8")) + deflate.flush()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def share_fragment(project: Project) -> str:
    """The URL fragment (without ``#``) that carries ``project``: ``p=...``."""
    return f"{FRAGMENT_KEY}={encode_payload(project_json(project))}"


def share_url(project: Project, viewer_url: str) -> str:
    """``viewer_url`` with the project's fragment (any fragment it had is replaced)."""
    return f"{viewer_url.split('#', 1)[0]}#{share_fragment(project)}"


def _payload(text: str) -> str:
    """The base64url part of a URL, a fragment (``#p=...``, ``p=...``) or the bare text."""
    text = text.strip()
    if "#" in text:
        text = text.split("#", 1)[1]
    for part in text.split("&"):
        key, sep, value = part.partition("=")
        if sep and key == FRAGMENT_KEY:
            return value
    if "=" in text.rstrip("="):
        raise InputError("link: no project in it (expected #p=...)")
    return text


def decode_payload(payload: str) -> str:
    """The project JSON text of a base64url payload; InputError if it is damaged."""
    if not payload:
        raise InputError("link: the project part is empty")
    if len(payload) > MAX_FRAGMENT_CHARS:
        raise InputError("link: too long to be a project")
    # Padding is not written (SPEC §5) but tolerated, as the page does.
    match = _BASE64URL.fullmatch(payload)
    if match is None or len(match.group(1)) % 4 == 1:
        raise InputError("link: damaged (not base64url text)")
    body = match.group(1)
    try:
        raw = base64.b64decode(body + "=" * (-len(body) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise InputError("link: damaged (not base64url text)") from None
    # Inflate as a stream, never more than the limit (a decompression bomb
    # stops at 2 MB, whatever it would grow to).
    inflate = zlib.decompressobj(-15)
    try:
        data = inflate.decompress(raw, MAX_PROJECT_BYTES + 1)
    except zlib.error:
        raise InputError("link: damaged (cannot be decompressed)") from None
    if len(data) > MAX_PROJECT_BYTES:
        raise InputError("link: the project is too large")
    if not inflate.eof:
        raise InputError("link: damaged (truncated)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("link: damaged (not UTF-8 text)") from None


def decode_fragment(text: str) -> Project:
    """The project carried by a sharing link, its fragment or its payload.

    Validates it exactly like a project file; errors are one-line InputErrors.
    """
    try:
        return loads(decode_payload(_payload(text)))
    except InputError as exc:
        message = exc.message
        raise InputError(message if message.startswith("link:") else f"link: {message}") from None
