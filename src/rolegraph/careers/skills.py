"""Skill comparisons: what two positions share, what one must develop to meet another, core skills."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import InputError
from .graphs import cooccurrence_graph, skills_graph
from .model import career_model
from .names import notes, resolve_position
from .paths import _gap_rows, profile
from .results import CoreSkill, Gap, Shared, SharedSkill

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import RoleGraph

CORE_MEASURE = ("degree centrality on the skill co-occurrence graph: the share of all other skills a skill "
                "is required together with, by at least one role")


def shared(g: "RoleGraph", a: str, b: str) -> Shared:
    """Skills positions *a* and *b* share, with each side's level (None = unlevelled SCS requirement).

    >>> from rolegraph.graph import RoleGraph
    >>> r = shared(RoleGraph.load(), "Data engineer", "Senior data engineer")
    >>> r.shared[0].to_dict()
    {'skill': 'Communicating between the technical and non-technical', 'a_level': 'awareness', 'b_level': 'working'}
    """
    B = skills_graph(g)
    pa, pb = resolve_position(g, a), resolve_position(g, b)
    adj_a, adj_b = B.adj[pa["iri"]], B.adj[pb["iri"]]
    rows = [SharedSkill(B.nodes[s]["label"], adj_a[s]["level"], adj_b[s]["level"]) for s in adj_a if s in adj_b]
    rows.sort(key=lambda r: r.skill.casefold())
    return Shared(a=pa["label"], b=pb["label"], shared=rows, resolved=notes(pa, pb))


def gap(g: "RoleGraph", origin: str, dest: str) -> Gap:
    """What *origin* must develop to meet *dest*: new skills and level increases, skills met, one cost.

    ``develop`` rows have ``steps`` (awareness -> practitioner = 2; a new skill
    costs its full rank) and ``new``; ``cost`` is the sum of steps.

    >>> from rolegraph.graph import RoleGraph
    >>> r = gap(RoleGraph.load(), "Chief information security officer", "Chief technology officer")
    >>> len(r.develop), len(r.met), r.cost
    (4, 2, 16)
    """
    m = career_model(g)
    pa, pb = resolve_position(g, origin), resolve_position(g, dest)
    develop, met, cost = _gap_rows(m, profile(m, pa["iri"]), pb["iri"])
    return Gap(from_=pa["label"], to=pb["label"], develop=develop, met=met, cost=cost, resolved=notes(pa, pb))


def core_skills(g: "RoleGraph", top: int | None = 20) -> list[CoreSkill]:
    """Skills ranked by transferability: degree centrality on :func:`~rolegraph.careers.graphs.cooccurrence_graph`.

    A skill needed alongside many different skills is needed in many different
    kinds of work (Nesta's "core" skills sit in the middle of this network).
    Ties break by more roles, then name.

    >>> from rolegraph.graph import RoleGraph
    >>> core_skills(RoleGraph.load(), top=1)[0].skill
    'Stakeholder relationship management'
    """
    import networkx as nx

    if top is not None and top < 1:
        raise InputError("--top must be at least 1")
    C = cooccurrence_graph(g)
    B = skills_graph(g)
    cent = nx.degree_centrality(C)
    rows = []
    for s, c in cent.items():
        families = {B.nodes[p]["family"] for p in B.adj[s]}
        rows.append(CoreSkill(C.nodes[s]["label"], round(c, 4), len(C.nodes[s].get("roles", ())), len(families),
                              CORE_MEASURE))
    rows.sort(key=lambda r: (-r.score, -r.roles, r.skill.casefold()))
    return rows[:top] if top else rows
