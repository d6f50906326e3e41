"""The one error type that bad input raises in the Qt-free core.

Every reader and validator turns a problem with user data into an
:class:`InputError` whose text is one line naming the field at fault, so that the
command line prints ``error: <text>`` and an open editor or kiosk shows it and
carries on. Anything else that escapes the core is a bug.
"""

from __future__ import annotations


class InputError(ValueError):
    """Bad user data: a project, a site folder, an image, a command-line value.

    Parameters
    ----------
    message:
        One line, in English, naming the file and field at fault.
    """

    def __init__(self, message: str) -> None:
        # One line, whatever the caller passed in.
        super().__init__(" ".join(str(message).split()))

    @property
    def message(self) -> str:
        return str(self.args[0])


MAX_ECHO = 80


def echo(text: object, limit: int = MAX_ECHO) -> str:
    """User text quoted in a message: one printable line of at most ``limit``
    characters, in quotes."""
    one = " ".join(str(text).split())
    one = "".join(ch if ch.isprintable() else "?" for ch in one)
    return repr(one if len(one) <= limit else one[: limit - 1] + "…")
