"""Errors a user can cause. Library code raises these; the CLI prints them as one line.

Each error carries the exit code the CLI uses: 2 for unusable input (a missing
file, bad Turtle, an unknown name, a bad query), 1 for data that loads but fails
a check.
"""
from __future__ import annotations


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
        super().__init__(f'unknown {kind} "{name}"', hint)


class QueryError(RolegraphError):
    """A SPARQL query that cannot be parsed or run, or a bad parameter."""


class AnalysisError(RolegraphError):
    """A career analysis that cannot be done (e.g. an unreachable target)."""
