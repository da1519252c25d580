"""Related by meaning: positions compared by the framework's own text, not only by skill names.

Each position is a document: the names and descriptions of the skills it
requires (each counted once per level of its requirement, so an expert skill
weighs four times an awareness one) and its job family's name. Documents are
compared with TF-IDF and cosine similarity (pure Python; the framework has ~200
positions), so "Data analysis and synthesis" and "Applying statistical and
analytical tools" bring a data analyst near a data scientist although the two
share few skills by name.

``related`` ranks moves to other roles by this meaning similarity (below
:data:`~rolegraph.careers.engines.SPARSE_MIN_POSITIONS` positions; at scale it
keeps the skill similarity of the neighbour index), with a viability threshold
calibrated the same way as the skill one (:func:`meaning_threshold`).
``benchmarks/careers.py`` measures which of skill similarity, meaning and their
mean (:func:`blended`) agrees better with the project's adviser checks
(:data:`ADVISER_CHECKS`): on the bundled data meaning puts 6 of 10 expected
moves in the top 10 moves to other roles, skills 4, the mean 4.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from typing import TYPE_CHECKING

from .engines import similarities
from .graphs import _cached, positions, skills_graph

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import RoleGraph

#: words too common to tell positions apart
STOP = frozenset("""a an and are as at be by for from in into is it its of on or such that the their this to
with within using use used across between how what who will your you""".split())

#: the project's adviser checks: (from, a move an adviser expects among the top 10 related moves)
ADVISER_CHECKS = (
    ("Data analyst", "Data scientist"),
    ("Data analyst", "Performance analyst"),
    ("Data engineer", "Analytics engineer"),
    ("Content designer", "Technical writer"),
    ("User researcher", "Service designer"),
    ("Developer", "DevOps engineer"),
    ("Business analyst", "Product manager"),
    ("Network architect", "Security architect"),
    ("Test engineer", "Quality assurance test analyst"),
    ("Interaction designer", "Service designer"),
)


def _tokens(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]+", text.casefold()) if len(w) > 2 and w not in STOP]


def _vectors(g: "RoleGraph") -> dict[str, dict[str, float]]:
    B = skills_graph(g)
    described = {r["s"]: str(r["d"]) for r in g.select(
        "SELECT ?s ?d WHERE { ?s a rg:Skill ; dcterms:description ?d }")}
    nodes = B.nodes
    docs: dict[str, Counter] = {}
    for p in positions(B):
        c: Counter = Counter()
        for s, d in B.adj[p].items():
            words = _tokens(nodes[s]["label"] + " " + described.get(s, ""))
            for w in words:
                c[w] += d["weight"]
        c.update(_tokens(str(nodes[p].get("family") or "").rsplit("/", 1)[-1].replace("-", " ")))
        docs[p] = c
    n = len(docs)
    df: Counter = Counter(w for c in docs.values() for w in c)
    out = {}
    for p, c in docs.items():
        v = {w: (1 + math.log(tf)) * math.log((1 + n) / (1 + df[w])) for w, tf in c.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        out[p] = {w: x / norm for w, x in v.items()}
    return out


def vectors(g: "RoleGraph") -> dict[str, dict[str, float]]:
    """Each position's TF-IDF vector (unit length), built once per graph."""
    return _cached(g, "meaning-vectors", lambda: _vectors(g))


def meaning(g: "RoleGraph", origin: str) -> dict[str, float]:
    """Cosine similarity of *origin*'s document with every other position's.

    >>> from rolegraph.graph import RoleGraph
    >>> g = RoleGraph.load()
    >>> L = "https://w3id.org/rolegraph/ddat/level/"
    >>> m = meaning(g, L + "data-analyst")
    >>> m[L + "data-scientist"] > m[L + "security-architect"]
    True
    """
    vs = vectors(g)
    a = vs[origin]
    return {p: sum(x * v.get(w, 0.0) for w, x in a.items()) for p, v in vs.items() if p != origin}


def meaning_threshold(g: "RoleGraph", percentile: float | None = None) -> float:
    """The *percentile*-th percentile of meaning similarity between distinct positions of one job family.

    >>> from rolegraph.graph import RoleGraph
    >>> 0 < meaning_threshold(RoleGraph.load()) < 1
    True
    """
    from .engines import VIABILITY_PERCENTILE, _percentile

    pct = VIABILITY_PERCENTILE if percentile is None else percentile

    def build() -> float:
        B = skills_graph(g)
        nodes = B.nodes
        values = sorted(s for p in positions(B) for q, s in meaning(g, p).items()
                        if s > 0 and nodes[q]["family"] == nodes[p]["family"])
        return _percentile(values, pct)

    return _cached(g, f"meaning-threshold-{pct}", build)


def blended(g: "RoleGraph", origin: str) -> dict[str, float]:
    """The mean of skill similarity (exact skills, level-weighted, asymmetric) and meaning similarity."""
    skill = similarities(skills_graph(g), origin)
    return {p: (skill.get(p, 0.0) + s) / 2 for p, s in meaning(g, origin).items()}
