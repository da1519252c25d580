"""Similarity engines: sim(A -> B) for one pair, from one origin, or for all positions at once.

**Similarity** (asymmetric, as in Nesta's *Mapping Career Causeways*): the
share of the destination's level-weighted requirements the origin already meets,

    sim(A -> B) = sum over B's skills s of min(level_A(s), level_B(s)) / sum of level_B(s)

with ``level_A(s) = 0`` when A lacks s. It is 1 when A meets all of B, and
``sim(A -> B) != sim(B -> A)``: a head of data engineering meets nearly all of a
data engineer's needs, not the reverse.

**Viability.** :func:`viability_threshold` calibrates, from the data, the
:data:`VIABILITY_PERCENTILE`-th percentile of similarity between different
positions of the same job family (pairs that share at least one skill). Moves
at or above it are *viable*, as Nesta did from within-family similarity.

Two engines give the same numbers: pure Python over an inverted index (the
framework's ~200 positions), and scipy.sparse in row blocks from
:data:`SPARSE_MIN_POSITIONS` positions on (scipy is the optional extra
``rolegraph[scale]``).
"""
from __future__ import annotations

import heapq
from collections import defaultdict
from typing import TYPE_CHECKING

from ..errors import AnalysisError
from .grades import bands, grade_change_between, grade_rule_allows
from .graphs import _cached, positions, skills_graph

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ..graph import RoleGraph

#: similar positions kept per position in the neighbour index
TOP_K = 20
#: percentile of within-family similarity used as the viability threshold
VIABILITY_PERCENTILE = 25
#: candidate moves (allowed by the default grade rules) kept per position in the neighbour index
RELATED_DEPTH = 40
#: from this many positions on, similarities are computed with scipy.sparse in row blocks
SPARSE_MIN_POSITIONS = 2000


def _allowed(band_of, B, p: str, q: str) -> bool:
    """A move the default grade rules allow to another role: not down, at most one grade up."""
    if B.nodes[p]["role"] == B.nodes[q]["role"]:
        return False
    return grade_rule_allows(grade_change_between(band_of(p), band_of(q)))


def similarity(B: "nx.Graph", origin: str, dest: str) -> float:
    """sim(origin -> dest): the share of *dest*'s level-weighted requirements *origin* already meets.

    >>> from rolegraph.graph import RoleGraph
    >>> B = skills_graph(RoleGraph.load())
    >>> L = "https://w3id.org/rolegraph/ddat/level/"
    >>> similarity(B, L + "head-of-data-engineering", L + "data-engineer") > similarity(
    ...     B, L + "data-engineer", L + "head-of-data-engineering")
    True
    """
    total = B.nodes[dest]["total"]
    if not total:
        return 0.0
    have = B.adj[origin]
    met = sum(min(have[s]["weight"], d["weight"]) for s, d in B.adj[dest].items() if s in have)
    return met / total


def similarities(B: "nx.Graph", origin: str) -> dict[str, float]:
    """sim(origin -> p) for every position p sharing at least one skill with *origin* (inverted index).

    Only the postings of *origin*'s skills are read, so the cost is the number of
    requirements on those skills, not the number of positions.

    >>> from rolegraph.graph import RoleGraph
    >>> B = skills_graph(RoleGraph.load())
    >>> sims = similarities(B, "https://w3id.org/rolegraph/ddat/role/chief-information-security-officer")
    >>> round(sims["https://w3id.org/rolegraph/ddat/role/chief-technology-officer"], 3)
    0.333
    """
    acc: dict[str, float] = defaultdict(float)
    adj = B.adj
    for skill, d in adj[origin].items():
        have = d["weight"]
        for other, e in adj[skill].items():
            w = e["weight"]
            acc[other] += have if have < w else w
    acc.pop(origin, None)
    nodes = B.nodes
    return {p: met / nodes[p]["total"] for p, met in acc.items()}


def viability_threshold(g: "RoleGraph", percentile: float = VIABILITY_PERCENTILE) -> float:
    """The *percentile*-th percentile of sim(A -> B) over distinct positions A, B of the same family sharing a skill.

    Calibrated from the data each time the data changes (cached per graph).

    >>> from rolegraph.graph import RoleGraph
    >>> 0 < viability_threshold(RoleGraph.load()) < 1
    True
    """
    def build():
        return _percentile(neighbours(g).family_values, percentile)

    return _cached(g, f"threshold-{percentile}", build)


class Neighbours:
    """Similarities every position needs, computed in one pass over all positions (see :func:`neighbours`).

    ``top[p]``: the :data:`TOP_K` positions p is most similar to, as ``(q, sim)``, best first (ties by IRI,
    larger first). ``upward[p]``: positions of other roles the default grade rules let p move to (not
    down, at most one grade up; :mod:`~rolegraph.careers.grades`), ``(q, sim)`` by falling
    similarity, at least :data:`RELATED_DEPTH` of them plus any tied with the last (all of them when
    ``complete``). ``family_values``: sim(p -> q) for every pair of distinct positions of one family
    sharing a skill, sorted (for :func:`viability_threshold`).
    """

    def __init__(self, top, upward, family_values, complete):
        self.top = top
        self.upward = upward
        self.family_values = family_values
        self.complete = complete


def neighbours(g: "RoleGraph", engine: str = "auto") -> Neighbours:
    """The :class:`Neighbours` index of *g*, built once per graph.

    *engine* ``"python"`` uses the inverted index of :func:`similarities`
    (fastest for the framework's ~200 positions: no numpy import);
    ``"sparse"`` computes sim(A -> B) for all pairs with scipy.sparse in row
    blocks, using min(a, b) = sum over t of [a >= t][b >= t] for levels 1..4, so
    met(A, B) is one sparse product of stacked level-threshold matrices; it is
    what makes ESCO-sized frameworks (12,000 positions) take seconds.
    ``"auto"`` picks sparse from :data:`SPARSE_MIN_POSITIONS` positions on.
    Both give the same numbers (tested).

    >>> from rolegraph.graph import RoleGraph
    >>> nb = neighbours(RoleGraph.load())
    >>> L = "https://w3id.org/rolegraph/ddat/level/"
    >>> nb.upward[L + "senior-data-engineer"][0][0] == L + "senior-analytics-engineer"   # other roles only
    True
    """
    def build():
        B = skills_graph(g)
        band = bands(g)
        use = engine
        if use == "auto":
            use = "sparse" if len(positions(B)) >= SPARSE_MIN_POSITIONS else "python"
        return _neighbours_sparse(B, band) if use == "sparse" else _neighbours_python(B, band)

    return _cached(g, f"neighbours-{engine}", build)


def _best(items: list[tuple[str, float]], k: int) -> list[tuple[str, float]]:
    return heapq.nlargest(k, items, key=lambda t: (t[1], t[0]))


def _upward(items: list[tuple[str, float]], depth: int | None) -> list[tuple[str, float]]:
    ranked = sorted(items, key=lambda t: (-t[1], t[0]))
    if depth is not None and len(ranked) > depth:
        cut = ranked[depth - 1][1]
        ranked = [t for t in ranked if t[1] >= cut]
    return ranked


def _neighbours_python(B: "nx.Graph", band: dict) -> Neighbours:
    nodes = B.nodes
    top, upward = {}, {}
    family_values: list[float] = []
    for p in positions(B):
        sims = similarities(B, p)
        top[p] = _best(list(sims.items()), TOP_K)
        upward[p] = _upward([(q, s) for q, s in sims.items() if _allowed(lambda x: band[x][0], B, p, q)],
                             RELATED_DEPTH)
        fam = nodes[p]["family"]
        family_values.extend(s for q, s in sims.items() if nodes[q]["family"] == fam)
    family_values.sort()
    return Neighbours(top, upward, family_values, complete=False)


def _neighbours_sparse(B: "nx.Graph", band: dict, block: int = 1000) -> Neighbours:
    try:
        import numpy as np
        import scipy.sparse as sparse
    except ImportError:
        raise AnalysisError(f"career analysis of {len(positions(B)):,} positions needs scipy "
                            f"({SPARSE_MIN_POSITIONS:,}+ positions)", 'install it with: pip install "rolegraph[scale]"'
                            ) from None

    nodes = B.nodes
    pos = positions(B)
    n = len(pos)
    index = {p: i for i, p in enumerate(pos)}
    skill_index: dict[str, int] = {}
    rows, cols, weights = [], [], []
    for p in pos:
        for s, d in B.adj[p].items():
            rows.append(index[p])
            cols.append(skill_index.setdefault(s, len(skill_index)))
            weights.append(d["weight"])
    rows_a, cols_a, w_a = np.array(rows), np.array(cols), np.array(weights)
    m = max(len(skill_index), 1)
    levels = range(1, max(weights, default=1) + 1)
    keep = [w_a >= t for t in levels]
    Y = sparse.csr_matrix(
        (np.ones(sum(int(k.sum()) for k in keep), dtype=np.int32),
         (np.concatenate([rows_a[k] for k in keep]),
          np.concatenate([cols_a[k] + i * m for i, k in enumerate(keep)]))),
        shape=(n, m * len(levels)))
    YT = Y.T.tocsr()
    total = np.array([nodes[p]["total"] for p in pos], dtype=np.float64)
    safe_total = np.where(total > 0, total, np.inf)
    bottom = np.array([np.nan if band[p][0] is None else band[p][0][0] for p in pos], dtype=np.float64)
    held = np.array([np.nan if band[p][0] is None else band[p][0][1] for p in pos], dtype=np.float64)
    role_ids: dict[str, int] = {}
    role = np.array([role_ids.setdefault(nodes[p]["role"], len(role_ids)) for p in pos])
    fam_ids: dict[object, int] = {}
    family = np.array([fam_ids.setdefault(nodes[p]["family"], len(fam_ids)) for p in pos])

    top, upward, family_values = {}, {}, []
    for start in range(0, n, block):
        stop = min(start + block, n)
        met = (Y[start:stop] @ YT).toarray()
        sim = met / safe_total[None, :]
        here = np.arange(stop - start)
        sim[here, start + here] = 0.0
        same_family = family[start:stop, None] == family[None, :]
        family_values.append(sim[same_family & (sim > 0)])
        top_a = held[start:stop, None]
        down = ((held[None, :] < top_a) | (bottom[None, :] > top_a + 1)  # grade rules; NaN (unknown) passes
                | (role[None, :] == role[start:stop, None]))
        for r in range(stop - start):
            p = pos[start + r]
            row = sim[r]
            top[p] = _best(_candidates(row, TOP_K, pos, np), TOP_K)
            up_row = np.where(down[r], 0.0, row)
            upward[p] = _upward(_candidates(up_row, RELATED_DEPTH, pos, np), RELATED_DEPTH)
    values = np.sort(np.concatenate(family_values)) if family_values else np.array([])
    return Neighbours(top, upward, values.tolist(), complete=False)


def _candidates(row, k: int, pos: list[str], np) -> list[tuple[str, float]]:
    """(position, sim) for the *k* highest positive entries of *row*, plus any tied with the k-th."""
    nz = np.flatnonzero(row > 0)
    if len(nz) > k:
        kth = np.partition(row[nz], len(nz) - k)[len(nz) - k]
        nz = nz[row[nz] >= kth]
    return [(pos[i], float(row[i])) for i in nz]


def _percentile(values: list[float], percentile: float) -> float:
    if not values:
        return 0.0
    k = (len(values) - 1) * percentile / 100
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


