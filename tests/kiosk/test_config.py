"""The kiosk configuration and its admin PIN (no display needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from zacviz.errors import InputError
from zacviz.kiosk import config as kiosk_config_module
from zacviz.kiosk.config import (
    _KNOWN_KEYS,
    KioskConfig,
    PinGuard,
    hash_pin,
    kiosk_config,
    load_config,
    parse_config,
    parse_pin_hash,
    verify_pin,
)

SHIPPED = Path(__file__).resolve().parents[2] / "kiosk" / "kiosk.toml"


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture(scope="module")
def pin_hash() -> str:
    return hash_pin("2468", salt=b"0123456789abcdef")


def test_the_shipped_configuration_is_valid_and_names_the_bundled_site():
    config = load_config(SHIPPED)
    assert config.site == "belle-assise"
    assert config.idle_timeout_s == 90
    assert config.share_url.startswith("https://")
    assert config.site_folder().name == "belle-assise"
    assert config.admin_pin_hash is not None and verify_pin("2468", config.admin_pin_hash)
    assert config.hide_cursor is True  # a touchscreen shows no pointer


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("[kiosk]\nidle_timeout_s = 30\n", "kiosk.site"),
        ('[kiosk]\nsite = "x"\nidle_timeout_s = "soon"\n', "kiosk.idle_timeout_s"),
        ('[kiosk]\nsite = "x"\nidle_timeout_s = 0\n', "kiosk.idle_timeout_s"),
        ('[kiosk]\nsite = "x"\nidle_timeout_s = 30\ncolour = "red"\n', "kiosk.colour"),
        ('[kiosk]\nsite = "x"\nidle_timeout_s = 30\nshare_url = "ftp://x"\n', "kiosk.share_url"),
        ('[kiosk]\nsite = "x"\nidle_timeout_s = 30\nlanguages = ["fr", "de"]\n', "kiosk.languages"),
        ('[kiosk]\nsite = "x"\nidle_timeout_s = 30\nadmin_pin_hash = "1234"\n', "kiosk.admin_pin_hash"),
        ('[kiosk]\nsite = "x"\nidle_timeout_s = 30\nadmin_corner = "middle"\n', "kiosk.admin_corner"),
        ('[kiosk]\nsite = "x"\nidle_timeout_s = 30\nhide_cursor = "yes"\n', "kiosk.hide_cursor"),
        ("[kiosk\n", "not valid TOML"),
        ("[other]\n", "[kiosk]"),
    ],
)
def test_a_bad_file_is_refused_in_one_line_naming_the_key(tmp_path, body, field):
    with pytest.raises(InputError) as err:
        load_config(write(tmp_path, body))
    assert field in err.value.message
    assert "\n" not in err.value.message


def test_a_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such kiosk configuration"):
        load_config(tmp_path / "nope.toml")


def test_paths_are_relative_to_the_file(tmp_path, make_site):
    folder = make_site(tmp_path / "sites")
    config = load_config(
        write(tmp_path, f'[kiosk]\nsite = "sites/{folder.name}"\nidle_timeout_s = 30\nstats_dir = "stats"\n')
    )
    assert config.site_folder() == tmp_path / "sites" / folder.name
    assert config.statistics_dir() == tmp_path / "stats"
    with pytest.raises(InputError, match=r"kiosk\.site"):
        parse_config(
            {"kiosk": {"site": "sites/none", "idle_timeout_s": 30}}, tmp_path / "k.toml"
        ).site_folder()


def test_statistics_default_to_the_systemd_state_directory(monkeypatch):
    monkeypatch.setenv("STATE_DIRECTORY", "/var/lib/zacviz-kiosk")
    config = parse_config({"kiosk": {"site": "belle-assise", "idle_timeout_s": 30}})
    assert config.statistics_dir() == Path("/var/lib/zacviz-kiosk")


def test_pins_are_salted_hashes_that_verify(pin_hash):
    assert pin_hash.startswith("scrypt$")
    assert "2468" not in pin_hash
    assert verify_pin("2468", pin_hash)
    assert not verify_pin("2469", pin_hash)
    assert not verify_pin("", pin_hash)
    assert hash_pin("2468") != hash_pin("2468")  # a fresh salt each time
    n, r, p, salt, digest = parse_pin_hash(pin_hash)
    assert (n, r, p, salt, len(digest)) == (2**14, 8, 1, b"0123456789abcdef", 32)


@pytest.mark.parametrize("pin", ["123", "12a4", "1234567890123", "１２３４"])
def test_a_pin_is_4_to_12_ascii_digits(pin):
    with pytest.raises(InputError):
        hash_pin(pin)


def test_wrong_pins_make_the_next_attempt_wait_longer_and_longer(pin_hash):
    clock = Clock()
    guard = PinGuard(pin_hash, clock=clock)
    assert guard.wait_s() == 0
    waits = []
    for _ in range(4):
        assert not guard.attempt("0000")
        waits.append(guard.wait_s())
        clock.t += guard.wait_s()
    assert waits == [2.0, 4.0, 8.0, 16.0]
    assert not guard.attempt("1111")
    # Even the right PIN is refused while the keypad is locked...
    assert not guard.attempt("2468")
    assert guard.failures == 6
    clock.t += guard.wait_s()
    # ...and accepted once the wait is over, which resets the count.
    assert guard.attempt("2468")
    assert guard.failures == 0 and guard.wait_s() == 0


def test_the_wait_is_capped(pin_hash):
    guard = PinGuard(pin_hash, clock=Clock())
    assert guard.delay_after(30) == 300.0


def test_without_a_hash_nothing_unlocks():
    guard = PinGuard(None, clock=Clock())
    assert not guard.enabled
    assert not guard.attempt("2468")


# ------------------------------------------------------------------ defaults


def test_a_config_with_only_the_site_takes_every_default(tmp_path):
    config = load_config(write(tmp_path, '[kiosk]\nsite = "belle-assise"\n'))
    assert config == KioskConfig(site="belle-assise", path=(tmp_path / "kiosk.toml").resolve())
    assert config.idle_timeout_s == 90 and config.countdown_s == 10
    assert config.languages == ("fr", "en") and config.default_language == "fr"
    assert config.admin_pin_hash is None and config.admin_corner == "top-left"
    assert config.show_3d is True and config.hide_cursor is True
    assert config.site_folder().name == "belle-assise"


def test_the_default_language_is_the_first_one_offered(tmp_path):
    config = load_config(write(tmp_path, '[kiosk]\nsite = "x"\nlanguages = ["en", "fr"]\n'))
    assert config.default_language == "en"


def _comment_block(lines: list[str], key: str) -> str:
    """The comments above ``key`` (set or commented out) up to the previous blank line."""
    index = next(i for i, line in enumerate(lines) if line.lstrip("# ").split(" ")[0] == key and "=" in line)
    block = []
    for line in reversed(lines[:index]):
        if not line.strip():
            break
        block.append(line)
    return "\n".join(block)


@pytest.mark.parametrize("key", sorted(_KNOWN_KEYS - {"site"}))
def test_the_shipped_file_documents_the_default_of_every_key(key):
    lines = SHIPPED.read_text(encoding="utf-8").splitlines()
    assert "Défaut" in _comment_block(lines, key), f"{key}: no documented default in kiosk.toml"


def test_the_documented_defaults_are_the_real_ones():
    text = SHIPPED.read_text(encoding="utf-8")
    default = KioskConfig(site="x")
    assert f"Défaut : {default.idle_timeout_s:g} " in text
    assert f"Défaut : {default.countdown_s:g} " in text
    assert f'Défaut : "{default.share_url}"' in text
    assert f'Défaut : "{default.admin_corner}" et {default.admin_hold_s:g} secondes' in text
    assert f"Défaut : {list(default.languages)}".replace("'", '"') in text


def test_without_any_config_file_the_kiosk_runs_on_the_bundled_site(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(kiosk_config_module, "default_config_path", lambda: tmp_path / "kiosk" / "kiosk.toml")
    config = kiosk_config()
    assert config == KioskConfig(site="belle-assise")
    assert config.site_folder().name == "belle-assise"


def test_without_config_option_the_default_file_is_read(tmp_path, monkeypatch):
    (tmp_path / "kiosk").mkdir()
    (tmp_path / "kiosk" / "kiosk.toml").write_text('[kiosk]\nsite = "belle-assise"\ncountdown_s = 4\n')
    monkeypatch.chdir(tmp_path)
    assert kiosk_config().countdown_s == 4


def test_an_explicit_config_must_exist(tmp_path):
    with pytest.raises(InputError, match="no such kiosk configuration"):
        kiosk_config(tmp_path / "missing.toml")
