"""Atomic writes: a temporary file beside the target, then one rename.

A reader (the kiosk, a web export running at the same time) sees the old file
or the new one, never half of one; a failed check leaves the old file alone.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from zacviz.errors import InputError


def atomic_write_text(
    path: str | os.PathLike[str], text: str, check: Callable[[Path], None] | None = None
) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file and a rename.

    ``check(tmp)`` runs on the written temporary file before the rename; an
    :class:`InputError` it raises names ``path``, and the target is untouched.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if check is not None:
            try:
                check(tmp)
            except InputError as exc:
                raise InputError(exc.message.replace(tmp.name, path.name)) from None
        if path.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        raise InputError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    finally:
        if tmp.exists():
            tmp.unlink()
    return path
