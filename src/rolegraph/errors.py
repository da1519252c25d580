"""Errors a user can cause. Library code raises these; the CLI prints them as one line.

Each error carries the exit code the CLI uses: 2 for unusable input (a missing
file, bad Turtle, an unknown name, a bad query), 1 for data that loads but fails
a check.
"""
from __future__ import annotations

import re
import unicodedata

#: echoed input longer than this is cut (with a note of its length)
ECHO_LIMIT = 200
#: no message line is longer than this
MESSAGE_LIMIT = 1000

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# C0/C1 controls, bidirectional marks and overrides, zero-width and other invisible format characters,
# line/paragraph separators, lone surrogates (undecodable bytes from the command line)
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f"
                     "\ufeff\ufff9-\ufffb\ud800-\udfff]")


def _escape_char(m: re.Match) -> str:
    c = m.group()
    if c in _ESCAPES:
        return _ESCAPES[c]
    n = ord(c)
    if 0xDC80 <= n <= 0xDCFF:      # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{n - 0xDC00:02x}"
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def escape(text: str) -> str:
    r"""*text* safe for one terminal line: controls, bidi overrides and invisible characters as escapes.

    >>> print(escape("a\nError: forged\u202e"))
    a\nError: forged\u202e
    """
    text = _UNSAFE.sub(_escape_char, text)
    if any(unicodedata.category(c) in ("Cf", "Co", "Cn", "Zl", "Zp") for c in text if ord(c) > 0x7e):
        text = "".join(c if ord(c) <= 0x7e or unicodedata.category(c) not in ("Cf", "Co", "Cn", "Zl", "Zp")
                       else f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}" for c in text)
    return text


def shorten(text: str, limit: int = ECHO_LIMIT) -> str:
    """*text* cut to *limit* characters, saying how long it was.

    >>> shorten("x" * 500, 10)
    'xxxxxxxxxx... (500 characters)'
    """
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"


def shown(value: str, limit: int = ECHO_LIMIT) -> str:
    """User input as it may be echoed in a message: escaped, then cut to *limit* characters."""
    return shorten(escape(str(value)), limit)


def one_line(message: str) -> str:
    """A whole message as one safe line of at most :data:`MESSAGE_LIMIT` characters."""
    return shorten(escape(message), MESSAGE_LIMIT - 60)   # room for "Error: " and the length note


class RolegraphError(Exception):
    """Base class: a problem the user can fix. ``str(err)`` is a one-line message."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} ({self.hint})"


class InputError(RolegraphError):
    """A file or folder that is missing, unreadable or not valid RDF."""


class UnknownName(RolegraphError):
    """A role, role level, skill or family name that matches nothing."""

    def __init__(self, kind: str, name: str, suggestions: list[str]):
        self.kind = kind
        self.name = name
        self.suggestions = suggestions
        hint = ("did you mean " + ", ".join(f'"{s}"' for s in suggestions) + "?") if suggestions else None
        super().__init__(f'unknown {kind} "{shown(name)}"', hint)


class AmbiguousName(RolegraphError):
    """A name that fits several nodes of the same kind: the candidates are listed, none is picked."""

    def __init__(self, kind: str, name: str, candidates: list[str]):
        self.kind = kind
        self.name = name
        self.candidates = candidates
        listed = ", ".join(f"<{c}>" for c in candidates[:5]) + (" ..." if len(candidates) > 5 else "")
        super().__init__(f'the {kind} name "{shown(name)}" is ambiguous: it names {len(candidates)} nodes '
                         f'({listed})', "give the IRI of the one you mean")


class QueryError(RolegraphError):
    """A SPARQL query that cannot be parsed or run, or a bad parameter."""


class AnalysisError(RolegraphError):
    """A career analysis that cannot be done (e.g. an unreachable target)."""


class OutputError(RolegraphError):
    """Output that cannot be written: a full disk, a file-size limit, a closed or unwritable destination."""


class QueryTimeout(QueryError):
    """A query (or analysis) that ran past its time limit and was stopped."""


class Interrupted(RolegraphError):
    """Ctrl-C (SIGINT) or SIGTERM: the command stopped; anything half-written has been removed."""

    def __init__(self, signum: int = 2):
        import signal

        self.signum = signum
        self.exit_code = 128 + signum
        name = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
        super().__init__(f"interrupted ({name}); nothing was left half-written")
