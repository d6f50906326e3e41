"""Reading input files that may be hostile: regular files only, of bounded size.

A path named in a project or a site folder may be a FIFO (reading it hangs), a
device (``/dev/zero`` never ends), a symlink loop or a name too long for the
file system. :func:`read_regular_file` refuses each with one line naming the
file, and reads at most ``limit`` bytes.

Writing is the mirror: :func:`write_atomically` (projects, site files,
TERRAIN-ECO tables) never writes through a file planted beside the target and
never leaves half a file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from zacviz.errors import MAX_ECHO, InputError


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


def write_atomically(
    path: str | os.PathLike[str], data: bytes, check: Callable[[Path], None] | None = None
) -> Path:
    """Write ``data`` to ``path`` atomically and safely; InputError naming the file.

    The bytes go to a new file with a random name in the target's folder,
    created exclusively without following symlinks (so a file planted there
    cannot redirect the write), flushed to disk, given the target's permissions
    (a new file: what the umask gives) and renamed over the target; the folder
    is flushed too. When the target is a symlink, the file it points to is
    updated and the link kept. ``check(tmp)``, if given, runs on the written
    temporary file before the rename: an InputError it raises leaves the target
    untouched and names the target, not the temporary file.
    """
    p = Path(path)
    try:
        _write_atomically(p, data, check)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError(f"{show_path(p)}: cannot be written ({reason})") from None
    return p


def _write_atomically(path: Path, data: bytes, check: Callable[[Path], None] | None) -> None:
    import secrets  # only a save needs it (hashlib: milliseconds at every start of zacviz check)

    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    folder = target.parent
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _attempt in range(16):
        tmp = folder / f".{target.name[:64]}.{secrets.token_hex(8)}.tmp"
        try:
            fd = os.open(tmp, flags, 0o600 if mode is None else mode & 0o777)
        except FileExistsError:
            continue
        break
    else:
        raise FileExistsError(errno.EEXIST, "no free temporary file name", str(folder))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if mode is not None:
                os.fchmod(fh.fileno(), mode)
            else:  # a new file: what the user's umask gives
                umask = os.umask(0)
                os.umask(umask)
                os.fchmod(fh.fileno(), 0o666 & ~umask)
            os.fsync(fh.fileno())
        if check is not None:
            try:
                check(tmp)
            except InputError as exc:
                raise InputError(exc.message.replace(tmp.name, path.name)) from None
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # some platforms cannot open a folder; the rename is done
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
