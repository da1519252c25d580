"""Find roles, role levels and skills by name: exact, then prefix, then word prefix, then typo-tolerant.

The typo-tolerant part is the CLI's "did you mean" (:meth:`RoleGraph.suggest`), so a
name the CLI would suggest is found here too.

>>> from rolegraph.graph import RoleGraph
>>> g = RoleGraph.load()
>>> [h.name for h in search(g, "chief tec")][:1]
['Chief technology officer']
>>> [h.name for h in search(g, "Chief tecnology oficer")][:1]
['Chief technology officer']
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from ..graph import KIND_NAMES, Entity, RoleGraph

SEARCH_KINDS = ("role", "level", "skill")


@dataclass(frozen=True)
class Hit:
    """One search result: the name, its kind (role, level, skill), the explorer page and how it matched."""

    name: str
    kind: str
    url: str
    match: str  # exact, prefix, word, contains or similar

    @property
    def kind_name(self) -> str:
        return KIND_NAMES[self.kind]

    def to_dict(self) -> dict:
        return asdict(self)


def page_url(kind: str, slug: str) -> str:
    """The explorer page of a named node: ``/role/<slug>`` for roles and levels, ``/skill/<slug>`` for skills."""
    return f"/skill/{slug}" if kind == "skill" else f"/role/{slug}"


def search(g: RoleGraph, query: str, limit: int = 30, kinds: tuple[str, ...] = SEARCH_KINDS) -> list[Hit]:
    """Roles, role levels and skills whose name matches *query*, best first (at most *limit*).

    Ranks: the whole name, a prefix of the name, a prefix of a word in it, anywhere in
    it; then names that look like it (typos), as the CLI's suggestions. Ties: roles
    before levels before skills, then alphabetically.
    """
    key = " ".join(query.casefold().split())
    if not key:
        return []
    order = {"exact": 0, "prefix": 1, "word": 2, "contains": 3, "similar": 4}
    found: dict[str, tuple[int, int, int, str, Hit]] = {}

    def add(ent, match: str, closeness: int = 0) -> None:
        hit = Hit(ent.label, ent.kind, page_url(ent.kind, ent.slug), match)
        rank = (order[match], closeness, kinds.index(ent.kind), ent.label.casefold(), hit)
        if ent.iri not in found or rank < found[ent.iri]:
            found[ent.iri] = rank

    by_label: dict[str, Entity] = {}
    for kind in kinds:
        for ent in g.entities(kind):
            by_label.setdefault(ent.label, ent)
            label = ent.label.casefold()
            if label == key:
                add(ent, "exact")
            elif label.startswith(key):
                add(ent, "prefix")
            elif any(w.startswith(key) for w in label.replace("(", " ").split()):
                add(ent, "word")
            elif key in label:
                add(ent, "contains")
    if len(found) < limit:
        for i, label in enumerate(g.suggest(query, kinds, n=5)):  # best first
            named = by_label.get(label)
            if named is not None:
                add(named, "similar", i)
    return [r[-1] for r in sorted(found.values(), key=lambda r: r[:-1])][:limit]
