"""Suggested mappings: candidates from names and descriptions, for a person to confirm.

Each framework skill (its name and description) and role level (its name, its role's name and description)
is a document; so is each target of a small committed list (``targets/esco.tsv``: ESCO occupations and
skills with their English labels; ``targets/sfia.tsv``: SFIA codes with keywords in rolegraph's own words,
never SFIA's licensed text). Documents are compared with TF-IDF and cosine similarity, with the words of
the names counted twice, using the tokens of :mod:`rolegraph.careers.meaning`. Skills are compared with
ESCO skills, role levels with ESCO occupations; both with SFIA codes.

A suggestion is never a mapping: as SSSOM its justification is ``semapv:LexicalMatching``, its predicate
``skos:relatedMatch`` (the weakest claim), its confidence the score, and its comment says to confirm it.

>>> from rolegraph.graph import RoleGraph
>>> s = suggest(RoleGraph.load(), "esco", "Data scientist", top=1)
>>> s.items[0].object_label
'data scientist'
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import namespaces as ns
from ..errors import InputError
from .model import SEMAPV, Mapping, MappingSet

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import RoleGraph

TARGETS = ("esco", "sfia")
#: rolegraph's namespace for SFIA codes (``.../sfia/DENG``) and code-level pairs (``.../sfia/DENG-4``):
#: SFIA publishes no IRIs for them
SFIA = ns.BASE + "sfia/"
SUGGESTIONS = ns.BASE + "crosswalk/suggestions/"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
_HERE = Path(__file__).resolve().parent / "targets"


@dataclass(frozen=True)
class Target:
    iri: str
    kind: str        # "occupation", "skill" (ESCO) or "code" (SFIA)
    label: str
    text: str        # the words compared


@dataclass(frozen=True)
class Suggestion:
    """One candidate: *subject* (a skill or role level) might map to *object* (score 0-1)."""

    subject: str
    subject_label: str
    subject_kind: str
    object: str
    object_label: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"subject": self.subject, "subject_label": self.subject_label, "subject_kind": self.subject_kind,
                "object": self.object, "object_label": self.object_label, "score": round(self.score, 3)}


@dataclass(frozen=True)
class Suggestions:
    """Suggestions to the target framework *to*, best first for each subject; never confirmed mappings."""

    to: str
    items: list[Suggestion]

    def to_dict(self) -> dict[str, Any]:
        return {"to": self.to, "status": "suggestions: confirm each one before you use it",
                "justification": SEMAPV + "LexicalMatching", "suggestions": [s.to_dict() for s in self.items]}

    def mapping_set(self) -> MappingSet:
        """The suggestions as an SSSOM mapping set (``semapv:LexicalMatching``, ``skos:relatedMatch``)."""
        prefixes = {"level": ns.LEVEL, "skill": ns.SKILL}
        if self.to == "esco":
            prefixes.update({"ESCO_OCC": "http://data.europa.eu/esco/occupation/",
                             "ESCO_SKILL": "http://data.europa.eu/esco/skill/"})
        else:
            prefixes["SFIA"] = SFIA
        mappings = [Mapping(s.subject, ns.SKOS + "relatedMatch", s.object, SEMAPV + "LexicalMatching",
                            {"subject_label": s.subject_label, "object_label": s.object_label,
                             "confidence": round(s.score, 3),
                             "comment": "suggestion from names and descriptions (TF-IDF): confirm the object and "
                                        "choose the predicate before using it"})
                    for s in self.items]
        meta = {"mapping_set_title": f"Suggested mappings to {self.to.upper()} (unconfirmed)",
                "mapping_set_description": "Candidates from `rolegraph crosswalk suggest`, for a person to confirm; "
                                           "not mappings until confirmed.",
                "license": LICENSE, "creator_label": ("rolegraph crosswalk suggest",)}
        return MappingSet(SUGGESTIONS + self.to, prefixes, meta, mappings)   # type: ignore[arg-type]


def _tokens(text: str) -> list[str]:
    from ..careers.meaning import _tokens as words

    return [w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith("ss") else w for w in words(text)]


@cache
def targets(to: str) -> tuple[Target, ...]:
    """The committed target list of *to* (``esco`` or ``sfia``)."""
    path = _HERE / f"{to}.tsv"
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")][1:]
    if to == "esco":
        return tuple(Target(iri, kind, label, label) for iri, kind, label in rows)
    return tuple(Target(SFIA + code, "code", f"SFIA {code} (levels {levels})", keywords)
                 for code, levels, keywords in rows)


def _subjects(g: "RoleGraph", name: str | None) -> list[tuple[str, str, str, str]]:
    """(iri, kind, label, text) of the framework's skills and role levels (or the one called *name*)."""
    described = {str(r["n"]): str(r["d"]) for r in g.select(
        "SELECT ?n ?d WHERE { VALUES ?t { rg:Skill rg:Role } ?n a ?t ; dcterms:description ?d }")}
    role_of = {str(r["l"]): str(r["r"]) for r in g.select("SELECT ?l ?r WHERE { ?l a rg:RoleLevel ; rg:ofRole ?r }")}
    if name is not None:
        ents = [g.resolve(name, ("level", "skill"))]
    else:
        ents = g.entities("skill") + g.entities("level")
    out = []
    for e in ents:
        if e.kind == "skill":
            out.append((e.iri, "skill", e.label, f"{e.label} {e.label} {described.get(e.iri, '')}"))
        else:
            role = role_of.get(e.iri, "")
            out.append((e.iri, "level", e.label,
                        f"{e.label} {e.label} {g.label(role) if role else ''} {described.get(role, '')}"))
    return out


def _vector(counts: Counter, idf: dict[str, float]) -> dict[str, float]:
    v = {w: (1 + math.log(tf)) * idf.get(w, 0.0) for w, tf in counts.items()}
    norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
    return {w: x / norm for w, x in v.items() if x}


def suggest(g: "RoleGraph", to: str, name: str | None = None, top: int = 3, min_score: float = 0.1) -> Suggestions:
    """Up to *top* candidates in *to* (``esco`` or ``sfia``) for each skill and role level of *g* (or the one
    called *name*) scoring at least *min_score*."""
    if to not in TARGETS:
        raise InputError(f"unknown target framework {to!r}", "use esco or sfia")
    goal = targets(to)
    subjects = _subjects(g, name)
    target_docs = [Counter(_tokens(f"{t.label} {t.label} {t.text}" if to == "esco" else t.text)) for t in goal]
    subject_docs = [Counter(_tokens(text)) for _, _, _, text in subjects]
    every = target_docs + [Counter(_tokens(text)) for _, _, _, text in _subjects(g, None)] if name else (
        target_docs + subject_docs)
    df: Counter = Counter(w for doc in every for w in doc)
    n = len(every)
    idf = {w: math.log((1 + n) / (1 + c)) + 1.0 for w, c in df.items()}
    tvecs = [_vector(d, idf) for d in target_docs]
    items: list[Suggestion] = []
    for (iri, kind, label, _), doc in zip(subjects, subject_docs):
        sv = _vector(doc, idf)
        fits = [i for i, t in enumerate(goal)
                if to == "sfia" or (t.kind == "skill") == (kind == "skill")]
        scored = sorted(((sum(x * tvecs[i].get(w, 0.0) for w, x in sv.items()), i) for i in fits),
                        key=lambda p: (-p[0], goal[p[1]].iri))
        for score, i in scored[:top]:
            if score >= min_score:
                items.append(Suggestion(iri, label, kind, goal[i].iri, goal[i].label, min(score, 1.0)))
    return Suggestions(to, items)
