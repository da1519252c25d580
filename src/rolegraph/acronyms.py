"""The short forms people type for roles and grades: CISO, CTO, CDIO, "G7", "grade 7", "SCS1".

A role's acronym is the initials of its name's words, leaving out small joining words ("and", "of") and
anything in brackets; the bracketed part ("DevOps", "AI") is a short form too. Grades are the framework's
notations (G7, SEO, SCS 1, ...) in any case and spacing, or "grade 7".

>>> acronyms("Chief digital and information officer")
['cdio']
>>> acronyms("Development operations (DevOps) engineer")
['doe', 'devops']
>>> [grade_token(t, ["G7", "SEO", "SCS 1"]) for t in ("g7", "Seo", "scs1", "data")]
['G7', 'SEO', 'SCS 1', None]
"""
from __future__ import annotations

import re
from typing import Iterable

SMALL_WORDS = frozenset({"and", "of", "the", "for", "in", "to", "a", "an", "&"})
_BRACKETS = re.compile(r"\(([^)]*)\)")


def acronyms(name: str) -> list[str]:
    """The short forms of *name*, lower case: its initials (two letters or more) and any bracketed word."""
    inside = [w.casefold() for part in _BRACKETS.findall(name) for w in part.split()]
    words = [w for w in _BRACKETS.sub(" ", name).split() if w.casefold() not in SMALL_WORDS]
    out = []
    if len(words) >= 2:
        out.append("".join(w[0] for w in words).casefold())
    out += [w for w in inside if len(w) >= 2 and w not in out]
    return out


def _grade_key(text: str) -> str:
    key = re.sub(r"[\s_-]+", "", text.casefold())
    return "g" + key[5:] if key.startswith("grade") and key[5:].isdigit() else key


def grade_token(token: str, grades: Iterable[str]) -> str | None:
    """The grade notation among *grades* that *token* names ("g7", "grade 7", "scs1"), or None."""
    key = _grade_key(token)
    for g in grades:
        if _grade_key(g) == key:
            return g
    return None
