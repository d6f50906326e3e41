"""The kiosk's configuration file and its admin PIN (Qt-free).

``kiosk.toml`` has one ``[kiosk]`` table. Only ``site`` is required; every
other key has the default of :class:`KioskConfig`, documented key by key in the
shipped ``kiosk/kiosk.toml``. Without any configuration file the kiosk runs on
the bundled site (:func:`kiosk_config`). Relative paths are relative to the
file's folder. A bad file is refused with one line naming the key, like every
other input.

The PIN is never stored: only a salted scrypt hash
(``scrypt$<n>$<r>$<p>$<salt>$<hash>``, base64url), made by
``zacviz kiosk --hash-pin``. :class:`PinGuard` makes the visitor wait longer
after each wrong attempt.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
import os
import secrets
import time
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zacviz.errors import InputError

LANGUAGES = ("fr", "en")
CORNERS = ("top-left", "top-right", "bottom-left", "bottom-right")

# scrypt at 2^14 × 8 costs ~16 MB and ~50 ms: cheap for one admin, slow for a guesser.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 12
BUNDLED_SITE = "belle-assise"

_KNOWN_KEYS = {
    "site",
    "idle_timeout_s",
    "countdown_s",
    "share_url",
    "languages",
    "default_language",
    "admin_pin_hash",
    "admin_corner",
    "admin_hold_s",
    "stats_dir",
    "show_3d",
    "hide_cursor",
}


@dataclass(frozen=True)
class KioskConfig:
    """What ``kiosk.toml`` says, validated, with paths resolved."""

    site: str
    idle_timeout_s: float = 90.0
    countdown_s: float = 10.0
    share_url: str = "https://zacviz.example.org/"
    languages: tuple[str, ...] = LANGUAGES
    default_language: str = "fr"
    admin_pin_hash: str | None = None
    admin_corner: str = "top-left"
    admin_hold_s: float = 3.0
    stats_dir: Path | None = None
    show_3d: bool = True
    hide_cursor: bool = True
    path: Path | None = None

    def site_folder(self) -> Path:
        """The site folder: a path (relative to the config file) or a bundled site id."""
        from zacviz.io.site_folder import find_site

        base = self.path.parent if self.path is not None else Path.cwd()
        candidate = Path(self.site)
        if not candidate.is_absolute():
            candidate = base / candidate
        if candidate.is_dir():
            return candidate
        if "/" in self.site or os.sep in self.site:
            raise InputError(f"kiosk.site: no site folder at {self.site!r}")
        return find_site(self.site)

    def statistics_dir(self) -> Path:
        """Where statistics live: ``stats_dir``, else systemd's state folder, else the user's."""
        if self.stats_dir is not None:
            return self.stats_dir
        state = os.environ.get("STATE_DIRECTORY", "").split(":")[0]
        if state:
            return Path(state)
        data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        return Path(data) / "zacviz" / "kiosk"


def _number(table: Mapping[str, Any], key: str, default: float, lo: float, hi: float) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(f"kiosk.{key}: must be a number of seconds, got {value!r}")
    if not lo <= value <= hi:
        raise InputError(f"kiosk.{key}: must be between {lo:g} and {hi:g}, got {value:g}")
    return float(value)


def parse_config(data: Mapping[str, Any], path: Path | None = None) -> KioskConfig:
    """Validate the parsed TOML of a kiosk configuration."""
    table = data.get("kiosk")
    if not isinstance(table, dict):
        raise InputError("kiosk: the file needs a [kiosk] table")
    unknown = sorted(set(table) - _KNOWN_KEYS)
    if unknown:
        raise InputError(f"kiosk.{unknown[0]}: unknown key (known: {', '.join(sorted(_KNOWN_KEYS))})")
    site = table.get("site")
    if not isinstance(site, str) or not site.strip():
        raise InputError('kiosk.site: required, a site id (e.g. "belle-assise") or a site folder')
    idle = _number(table, "idle_timeout_s", KioskConfig.idle_timeout_s, 1.0, 3600.0)
    countdown = _number(table, "countdown_s", KioskConfig.countdown_s, 0.0, 120.0)
    hold = _number(table, "admin_hold_s", KioskConfig.admin_hold_s, 0.5, 30.0)
    share = table.get("share_url", KioskConfig.share_url)
    if not isinstance(share, str) or not share.startswith(("https://", "http://")):
        raise InputError(f"kiosk.share_url: must be an http(s) URL, got {share!r}")
    languages = table.get("languages", list(LANGUAGES))
    if (
        not isinstance(languages, list)
        or not languages
        or any(lang not in LANGUAGES for lang in languages)
        or len(set(languages)) != len(languages)
    ):
        raise InputError(f"kiosk.languages: a list drawn from {list(LANGUAGES)}, got {languages!r}")
    default_lang = table.get("default_language", languages[0])
    if default_lang not in languages:
        raise InputError(f"kiosk.default_language: must be one of {languages}, got {default_lang!r}")
    pin_hash = table.get("admin_pin_hash")
    if pin_hash is not None:
        if not isinstance(pin_hash, str):
            raise InputError("kiosk.admin_pin_hash: must be a string made by 'zacviz kiosk --hash-pin'")
        parse_pin_hash(pin_hash)
    corner = table.get("admin_corner", KioskConfig.admin_corner)
    if corner not in CORNERS:
        raise InputError(f"kiosk.admin_corner: one of {', '.join(CORNERS)}, got {corner!r}")
    stats_dir = table.get("stats_dir")
    stats_path: Path | None = None
    if stats_dir is not None:
        if not isinstance(stats_dir, str) or not stats_dir.strip():
            raise InputError("kiosk.stats_dir: must be a folder path")
        stats_path = Path(stats_dir).expanduser()
        if not stats_path.is_absolute() and path is not None:
            stats_path = path.parent / stats_path
    show_3d = table.get("show_3d", KioskConfig.show_3d)
    if not isinstance(show_3d, bool):
        raise InputError(f"kiosk.show_3d: true or false, got {show_3d!r}")
    hide_cursor = table.get("hide_cursor", KioskConfig.hide_cursor)
    if not isinstance(hide_cursor, bool):
        raise InputError(f"kiosk.hide_cursor: true or false, got {hide_cursor!r}")
    return KioskConfig(
        site=site.strip(),
        idle_timeout_s=idle,
        countdown_s=countdown,
        share_url=share,
        languages=tuple(languages),
        default_language=str(default_lang),
        admin_pin_hash=pin_hash,
        admin_corner=corner,
        admin_hold_s=hold,
        stats_dir=stats_path,
        show_3d=show_3d,
        hide_cursor=hide_cursor,
        path=path,
    )


def load_config(path: str | os.PathLike[str]) -> KioskConfig:
    """Read and validate a ``kiosk.toml``; InputError (one line) if it is bad."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{p}: no such kiosk configuration file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{p}: cannot be read ({exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{p}: not valid TOML ({exc})") from None
    try:
        return parse_config(data, p.resolve())
    except InputError as exc:
        raise InputError(f"{p}: {exc.message}") from None


def default_config_path() -> Path:
    """``kiosk/kiosk.toml`` in the working folder, else the one shipped beside the package."""
    here = Path("kiosk") / "kiosk.toml"
    if here.is_file():
        return here
    shipped = Path(__file__).resolve().parents[2] / "kiosk" / "kiosk.toml"
    return shipped if shipped.is_file() else here


def kiosk_config(path: str | os.PathLike[str] | None = None) -> KioskConfig:
    """The configuration ``zacviz kiosk`` runs with.

    An explicit ``--config`` must exist. Without one, the default file
    (:func:`default_config_path`) is read when there is one; when there is none
    (an installed package run from any folder) every key takes its default on
    the bundled site.
    """
    if path is not None:
        return load_config(path)
    default = default_config_path()
    if default.is_file():
        return load_config(default)
    return KioskConfig(site=BUNDLED_SITE)


# ------------------------------------------------------------------- the PIN


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def valid_pin(pin: str) -> bool:
    return pin.isdigit() and pin.isascii() and PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """The salted scrypt hash of a PIN of 4 to 12 digits, as stored in the config."""
    if not valid_pin(pin):
        raise InputError(f"PIN: {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits")
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode("ascii"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def parse_pin_hash(stored: str) -> tuple[int, int, int, bytes, bytes]:
    """(n, r, p, salt, digest) of a stored hash; InputError if it is not one of ours."""
    parts = stored.split("$")
    bad = InputError("kiosk.admin_pin_hash: not a hash made by 'zacviz kiosk --hash-pin'")
    if len(parts) != 6 or parts[0] != "scrypt":
        raise bad
    try:
        n, r, p = (int(x) for x in parts[1:4])
        salt, digest = _unb64(parts[4]), _unb64(parts[5])
    except (ValueError, binascii.Error):
        raise bad from None
    # Bounds keep a hand-edited file from asking scrypt for gigabytes.
    if not (2 <= n <= 2**20 and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16):
        raise bad
    if len(salt) < 8 or len(digest) < 16:
        raise bad
    return n, r, p, salt, digest


def verify_pin(pin: str, stored: str) -> bool:
    """Whether ``pin`` matches the stored hash (constant-time comparison)."""
    if not valid_pin(pin):
        return False
    n, r, p, salt, digest = parse_pin_hash(stored)
    trial = hashlib.scrypt(
        pin.encode("ascii"), salt=salt, n=n, r=r, p=p, dklen=len(digest), maxmem=256 * 1024 * 1024
    )
    return hmac.compare_digest(trial, digest)


# The hash of the demonstration PIN shipped in kiosk/kiosk.toml (2468): a kiosk
# still configured with it warns loudly at every start.
DEMO_PIN_HASH = "scrypt$16384$8$1$6dk9O2d0v7-vEJ13-rKAbA$_UbICK16cR2Al0rA9lIbPFMjklDxc350OI1YYtDwCp8"
PIN_STATE_FILE = "pin-guard.json"


def is_demo_pin(stored_hash: str | None) -> bool:
    return stored_hash is not None and hmac.compare_digest(stored_hash, DEMO_PIN_HASH)


class PinGuard:
    """Checks PIN attempts and makes the next one wait after each failure.

    After ``k`` wrong attempts in a row the keypad is locked for
    ``min(first_delay_s × 2^(k-1), max_delay_s)``; a right PIN resets it.
    With ``state_file`` the count and the lock survive a restart (systemd
    restarts a crashed kiosk): they are written there after every attempt.
    """

    def __init__(
        self,
        stored_hash: str | None,
        *,
        first_delay_s: float = 2.0,
        max_delay_s: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
        state_file: Path | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.stored_hash = stored_hash
        self.first_delay_s = first_delay_s
        self.max_delay_s = max_delay_s
        self.clock = clock
        self.wall_clock = wall_clock
        self.state_file = state_file
        self.failures = 0
        self._locked_until = 0.0
        self._load()

    def _load(self) -> None:
        if self.state_file is None:
            return
        try:
            data = json.loads(self.state_file.read_text(encoding="utf-8"))
            failures = int(data["failures"])
            until_wall = float(data["locked_until"])
        except (OSError, ValueError, TypeError, KeyError, OverflowError):
            return  # no state yet, or unreadable: start afresh
        if not math.isfinite(until_wall) or failures < 0:
            return
        self.failures = min(failures, 10_000)
        remaining = min(max(0.0, until_wall - self.wall_clock()), self.max_delay_s)
        self._locked_until = self.clock() + remaining

    def _save(self) -> None:
        if self.state_file is None:
            return
        data = {"failures": self.failures, "locked_until": self.wall_clock() + self.wait_s()}
        try:
            self.state_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.state_file.with_name(f".{self.state_file.name}.{secrets.token_hex(6)}")
            tmp.write_text(json.dumps(data), encoding="utf-8")
            os.replace(tmp, self.state_file)
        except OSError:
            pass  # a read-only medium: the back-off still holds until the next restart

    @property
    def enabled(self) -> bool:
        return self.stored_hash is not None

    def wait_s(self) -> float:
        """Seconds before another attempt is accepted (0: now)."""
        return max(0.0, self._locked_until - self.clock())

    def delay_after(self, failures: int) -> float:
        if failures <= 0:
            return 0.0
        return min(self.first_delay_s * 2.0 ** (failures - 1), self.max_delay_s)

    def attempt(self, pin: str) -> bool:
        """True for the right PIN. A wrong one, or any try while locked, counts as a failure."""
        if self.stored_hash is None:
            return False
        locked = self.wait_s() > 0
        ok = not locked and verify_pin(pin, self.stored_hash)
        if ok:
            self.failures = 0
            self._locked_until = 0.0
            self._save()
            return True
        self.failures += 1
        self._locked_until = self.clock() + self.delay_after(self.failures)
        self._save()
        return False


def read_new_pin() -> str:
    """Ask for a new PIN twice on the terminal (no echo); InputError if they differ."""
    import getpass
    import sys

    if not sys.stdin.isatty():
        pin = sys.stdin.readline().strip()
    else:
        pin = getpass.getpass("PIN (4 à 12 chiffres) : ")
        if getpass.getpass("Encore une fois : ") != pin:
            raise InputError("PIN: the two entries differ")
    if not valid_pin(pin):
        raise InputError(f"PIN: {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits")
    return pin
