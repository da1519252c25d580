"""Build ahead what the career commands read first, so the first ``path`` after ``load`` is not the slow one.

Everything here is cached with :meth:`~rolegraph.graph.RoleGraph.cached`, so on a
store folder it is kept in the store's cache for its content and later processes
read it instead of building it (issue 26: at ESCO scale the first ``path`` after a
load took 27 s, later ones 0.4 s).

>>> from rolegraph.graph import RoleGraph
>>> prepare(RoleGraph.load())
['name index', 'career model', 'move table', 'role moves', 'paths', 'related moves']
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import RoleGraph


def prepare(g: "RoleGraph") -> list[str]:
    """Build the caches ``path``, ``related``, ``gap`` and the name look-ups use; what was prepared, for people.

    One real ``path`` and ``related`` from the first position (by IRI) are computed, so whatever they read
    lazily is built too, not only the parts named here.
    """
    from .held import role_moves
    from .model import Rules, career_model, successors
    from .moves import move_table
    from .paths import path
    from .related import related

    m = career_model(g)
    if not m.positions:
        return []
    origin = min(m.positions)
    g.resolve(m.B.nodes[origin]["label"], ("level", "role"))   # the name index (shards on a store)
    move_table(g)
    role_moves(m)   # what the A* of a path with a destination reads (held.lower_bound)
    nxt = [b for b, *_ in successors(m, origin, Rules())]
    if nxt:
        path(g, origin, min(nxt))
    related(g, origin)
    return ["name index", "career model", "move table", "role moves", "paths", "related moves"]
