"""Reading input files that may be hostile: regular files only, of bounded size.

A path named in a project or a site folder may be a FIFO (reading it hangs), a
device (``/dev/zero`` never ends), a symlink loop or a name too long for the
file system. :func:`read_regular_file` refuses each with one line naming the
file, and reads at most ``limit`` bytes.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from zacviz.errors import InputError

MAX_ECHO = 80


def show_path(path: str | os.PathLike[str]) -> str:
    """A path as echoed in a message: at most 80 characters, the end kept."""
    text = " ".join(os.fspath(path).split())
    return text if len(text) <= MAX_ECHO else "…" + text[-(MAX_ECHO - 1) :]


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "too many levels of symbolic links"
    return exc.strerror or type(exc).__name__


def open_regular(path: str | os.PathLike[str], limit: int, *, what: str = "a file") -> int:
    """A read-only descriptor on ``path`` after checking it is a regular file of
    at most ``limit`` bytes. Opening never blocks (a FIFO without writer)."""
    shown = show_path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{shown}: is a folder, not {what}") from None
    except (OSError, ValueError) as exc:
        reason = _reason(exc) if isinstance(exc, OSError) else "invalid file name"
        raise InputError(f"{shown}: cannot be read ({reason})") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InputError(f"{shown}: is a folder, not {what}")
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{shown}: is not a regular file (a device, pipe or socket), not {what}")
        if st.st_size > limit:
            raise InputError(f"{shown}: too large ({st.st_size} bytes, at most {limit}) for {what}")
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular_file(path: str | os.PathLike[str], limit: int, *, what: str = "a file") -> bytes:
    """The bytes of the regular file ``path``, refused beyond ``limit`` bytes."""
    fd = open_regular(path, limit, what=what)
    try:
        with os.fdopen(fd, "rb", closefd=True) as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(f"{show_path(path)}: cannot be read ({_reason(exc)})") from None
    if len(data) > limit:  # the file grew while being read
        raise InputError(f"{show_path(path)}: too large (more than {limit} bytes) for {what}")
    return data


def regular_file_path(path: Path, limit: int, *, what: str = "a file") -> Path:
    """``path`` after checking it is a regular file of at most ``limit`` bytes
    (for readers, such as GDAL's, that open the file themselves)."""
    os.close(open_regular(path, limit, what=what))
    return path
