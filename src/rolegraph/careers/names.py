"""Name resolution: which position (role level or SCS role) a user's name means.

A name that is both a role and a role level ("Data engineer") means the level;
another role's name means its first level; an SCS role is itself a position.
The result carries a note saying how an ambiguous name was read.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import AnalysisError, UnknownName
from .graphs import ladder, position_graph

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import RoleGraph

RESOLUTION_RULE = ("a name that is both a role and a role level means the level; another role's name means "
                   "its first level (an SCS role is itself a position)")


def resolve_position(g: "RoleGraph", name: str) -> dict:
    """The position *name* means, by :data:`RESOLUTION_RULE`: ``{"name", "iri", "label", "kind", "note"}``.

    ``note`` says how an ambiguous or role name was resolved (None when the name
    was plainly a level or SCS role).

    >>> from rolegraph.graph import RoleGraph
    >>> print(resolve_position(RoleGraph.load(), "Data engineer")["note"])  # doctest: +NORMALIZE_WHITESPACE
    resolved "Data engineer" to the role level Data engineer, not the role Data engineer
    (a name that is both means the level)
    """
    B = position_graph(g)
    if name in B and B.nodes[name].get("bipartite") == 0:  # a position's IRI: no lookup needed
        return {"name": name, "iri": name, "label": B.nodes[name]["label"], "kind": B.nodes[name]["kind"],
                "note": None}
    ent = g.resolve(name, ("level", "role"))
    note = None
    iri = ent.iri
    if ent.kind == "role" and (iri not in B or B.nodes[iri].get("bipartite") != 0):
        levels = ladder(B, iri)
        if not levels:
            raise AnalysisError(f'the role "{ent.label}" has no role levels to start from')
        iri = levels[0]
        note = f'resolved the role "{ent.label}" to its first level, {B.nodes[iri]["label"]}'
    elif ent.kind == "level":
        try:
            also_role = g.resolve(name, ("role",))
        except UnknownName:
            also_role = None
        if also_role is not None:
            note = (f'resolved "{name}" to the role level {ent.label}, not the role {also_role.label} '
                    f"(a name that is both means the level)")
    if iri not in B:
        raise AnalysisError(f'"{name}" is not a role level or Senior Civil Service role')
    return {"name": name, "iri": iri, "label": B.nodes[iri]["label"], "kind": B.nodes[iri]["kind"], "note": note}



def notes(*resolved: dict) -> list[str]:
    """The resolution notes of some :func:`resolve_position` results (those with one).

    >>> notes({"note": None}, {"note": "read as a level"})
    ['read as a level']
    """
    return [r["note"] for r in resolved if r["note"]]
