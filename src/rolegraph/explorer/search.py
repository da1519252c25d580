"""Find roles, role levels and skills by what people type: names, acronyms and grades.

Ranks: the whole name, an acronym (CISO, CDIO, DevOps), a prefix of the name, a prefix of a word in it,
anywhere in it; then names that look like it (typos), as the CLI's "did you mean" (:meth:`RoleGraph.suggest`).
A grade in the query ("G7 data", "SEO", "grade 6", "SCS 2") keeps the role levels and Senior Civil Service
roles at that grade; a grade alone lists them all. Nothing is cut off: :func:`search` returns every match and
the page shows them a page at a time (:func:`page_of`).

>>> from rolegraph.graph import RoleGraph
>>> g = RoleGraph.load()
>>> [h.name for h in search(g, "chief tec")][:1]
['Chief technology officer']
>>> [h.name for h in search(g, "Chief tecnology oficer")][:1]
['Chief technology officer']
>>> [h.name for h in search(g, "CISO")][:1]
['Chief information security officer']
>>> all("G7" in h.grades for h in search(g, "G7 data")) and len(search(g, "G7 data")) > 5
True
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from ..acronyms import acronyms, grade_token
from ..graph import KIND_NAMES, Entity, RoleGraph

SEARCH_KINDS = ("role", "level", "skill")
PAGE_SIZE = 20
_ORDER = {"exact": 0, "acronym": 1, "prefix": 2, "word": 3, "contains": 4, "similar": 5, "grade": 6}
_SPLIT_GRADE = re.compile(r"\b(grade|scs)\s+(\d)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Hit:
    """One search result: the name, its kind (role, level, skill), the explorer page, how it matched, and for a
    role level its role; for role levels and Senior Civil Service roles their grades."""

    name: str
    kind: str
    url: str
    match: str  # exact, acronym, prefix, word, contains, similar or grade
    role: str | None = None
    grades: tuple[str, ...] = field(default=())

    @property
    def kind_name(self) -> str:
        return KIND_NAMES[self.kind]

    def to_dict(self) -> dict:
        return dict(asdict(self), grades=list(self.grades))


def page_url(kind: str, slug: str) -> str:
    """The explorer page of a named node: ``/level/<slug>``, ``/role/<slug>`` or ``/skill/<slug>``."""
    return {"skill": f"/skill/{slug}", "level": f"/level/{slug}"}.get(kind, f"/role/{slug}")


def positions_info(g: RoleGraph) -> dict[str, tuple[str | None, tuple[str, ...]]]:
    """Every role level's and role's IRI -> (its role's name for a level, its grades lowest first)."""
    def build():
        out: dict[str, tuple[str | None, list[str]]] = {}
        for r in g.select("""
                SELECT ?p ?role ?grade WHERE {
                    { ?p rg:ofRole ?r . ?r skos:prefLabel ?role } UNION { ?p a rg:Role }
                    OPTIONAL { ?p rg:grade ?gr . ?gr skos:notation ?grade ; rg:rank ?rank }
                } ORDER BY ?rank"""):
            role, grades = out.setdefault(r["p"], (r["role"], []))
            if r["grade"] and r["grade"] not in grades:
                grades.append(r["grade"])
        return {k: (role, tuple(grades)) for k, (role, grades) in out.items()}
    return g.cached("explorer-positions", build)


def grade_names(g: RoleGraph) -> list[str]:
    """The framework's grade notations, lowest first."""
    return g.cached("explorer-grades", lambda: [r["n"] for r in g.select(
        "SELECT ?n WHERE { ?g a rg:Grade ; skos:notation ?n ; rg:rank ?rank } ORDER BY ?rank")])


def search(g: RoleGraph, query: str, limit: int | None = None,
           kinds: tuple[str, ...] = SEARCH_KINDS) -> list[Hit]:
    """Roles, role levels and skills that match *query*, best first (all of them, or the first *limit*).

    Ties: roles before levels before skills, then alphabetically.
    """
    grades: list[str] = []
    words: list[str] = []
    for token in _SPLIT_GRADE.sub(r"\1\2", query).split():
        grade = grade_token(token, grade_names(g))
        (grades if grade else words).append(grade or token)
    key = " ".join(words).casefold()
    if not key and not grades:
        return []
    if grades:  # a grade names positions: role levels first, then (Senior Civil Service) roles
        kinds = tuple(k for k in ("level", "role") if k in kinds)
    info = positions_info(g)
    found: dict[str, tuple[tuple, Hit]] = {}

    def add(ent: Entity, match: str, closeness: int = 0) -> None:
        role, ent_grades = info.get(ent.iri, (None, ()))
        if grades and not set(grades) & set(ent_grades):
            return
        hit = Hit(ent.label, ent.kind, page_url(ent.kind, ent.slug), match, role, ent_grades)
        rank = (_ORDER[match], closeness, kinds.index(ent.kind), ent.label.casefold())
        if ent.iri not in found or rank < found[ent.iri][0]:
            found[ent.iri] = (rank, hit)

    by_label: dict[str, Entity] = {}
    for kind in kinds:
        for ent in g.entities(kind):
            by_label.setdefault(ent.label, ent)
            label = ent.label.casefold()
            if not key:
                add(ent, "grade")
            elif label == key:
                add(ent, "exact")
            elif kind == "role" and key in acronyms(ent.label):
                add(ent, "acronym")
            elif label.startswith(key):
                add(ent, "prefix")
            elif any(w.startswith(key) for w in label.replace("(", " ").split()):
                add(ent, "word")
            elif key in label:
                add(ent, "contains")
    if key and len(found) < 10:
        for i, label in enumerate(g.suggest(key, kinds, n=5)):  # best first
            named = by_label.get(label)
            if named is not None:
                add(named, "similar", i)
    hits = [hit for _, hit in sorted(found.values(), key=lambda r: r[0])]
    return hits[:limit] if limit is not None else hits


def page_of(hits: list[Hit], page: int, size: int = PAGE_SIZE) -> tuple[list[Hit], int, int]:
    """The *page* (from 1) of *hits*: ``(hits on it, page number within range, number of pages)``."""
    pages = max(1, -(-len(hits) // size))
    page = min(max(1, page), pages)
    return hits[(page - 1) * size:page * size], page, pages
