"""Career analysis on the framework, with networkx: shared skills, gaps, related moves, paths, core skills.

Every graph here is built with networkx from the RDF graph (``g.select``), never
from the data files.

**Positions.** A career move goes from a *position* to a position: a role level
(``Senior data engineer``) or a Senior Civil Service (SCS) role (``Chief
technology officer``), which has no levels.

**Graphs.**

* :func:`skills_graph` -- bipartite: positions (``bipartite=0``) and skills
  (``bipartite=1``); an edge per requirement, ``weight`` = the required skill
  level's rank (awareness 1, working 2, practitioner 3, expert 4). Positions
  carry their role, family, ladder order and grade rank.
* :func:`move_graph` -- directed, positions only: *ladder* edges (a level to
  the next level of its role), *similar* edges (each position's ``top_k`` most
  similar positions, found with an inverted index -- no dense projection) and
  *bridge* edges (stated in the data as ``rg:CareerBridge``; they are how
  ordinary levels reach SCS roles, whose skills no ordinary role shares).
  A ladder edge costs its gap cost; a role change (similar or bridge edge)
  costs its gap cost plus :func:`role_change_cost`.
* :func:`cooccurrence_graph` -- skills linked when one role requires both.

**Similarity** (asymmetric, as in Nesta's *Mapping Career Causeways*): the
share of the destination's level-weighted requirements the origin already meets,

    sim(A -> B) = sum over B's skills s of min(level_A(s), level_B(s)) / sum of level_B(s)

with ``level_A(s) = 0`` when A lacks s. It is 1 when A meets all of B, and
``sim(A -> B) != sim(B -> A)``: a head of data engineering meets nearly all of a
data engineer's needs, not the reverse.

**SCS assumption.** SCS roles' requirements carry no skill level in the
framework. rolegraph treats each as required at an assumed level of *expert*
(rank 4, :data:`SCS_ASSUMED_RANK`) -- SCS roles sit above G6, where ordinary
ladders top out at expert -- for similarity and gap cost; outputs still show
those levels as ``None`` (unlevelled). Between two SCS roles this amounts to
counting shared skills.

**Gap cost.** The number of level steps to develop: a raised skill costs
``to_rank - from_rank`` (awareness -> practitioner = 2 steps), a new skill costs
its full rank (new at practitioner = 3 steps).

**Path cost.** Promotion along one's own ladder costs its gap cost. Changing
role costs its gap cost plus a fixed *role change cost*, calibrated from the
data as the median gap cost of a ladder step ("changing role is as hard as a
typical promotion": new context, colleagues and ways of working). So a path
follows a published ladder unless leaving it saves more than that, and a big
jump costs more than the ladder it skips.

**Grades.** A role level's grade rank is its highest published grade (the
ceiling you move on from); an SCS role's is SCS 1, the grade the Senior Civil
Service starts at (its lowest published grade). Levels with no published grade
have rank ``None``; their grade change is unknown and ``max_grade_step`` does not
block them.

**Viability.** :func:`viability_threshold` calibrates, from the data, the
:data:`VIABILITY_PERCENTILE`-th percentile of similarity between different
positions of the same job family (pairs that share at least one skill). Moves
at or above it are *viable*, as Nesta did from within-group similarity.

>>> from rolegraph.graph import RoleGraph
>>> g = RoleGraph.load()
>>> [s["skill"] for s in shared(g, "Chief information security officer", "Chief technology officer")["shared"]]
['Capability building for digital, data and technology', 'Innovation in digital, data and technology']
"""
from __future__ import annotations

import heapq
from collections import defaultdict
from itertools import islice
from typing import TYPE_CHECKING

from . import namespaces as ns
from .errors import AnalysisError, InputError, UnknownName

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from .graph import RoleGraph

#: rank assumed for an SCS role's unlevelled requirements (expert)
SCS_ASSUMED_RANK = 4
#: similar positions kept per position in the move graph
TOP_K = 20
#: percentile of within-family similarity used as the viability threshold
VIABILITY_PERCENTILE = 25
#: related-move tiers, as O*NET's related occupations: (tier, first rank, last rank)
TIERS = ((1, 1, 5), (2, 6, 10), (3, 11, 20))
#: upward candidates kept per position for related moves (more are computed on demand)
RELATED_DEPTH = 40
#: from this many positions on, similarities are computed with scipy.sparse in row blocks
SPARSE_MIN_POSITIONS = 2000
#: the grade rank of SCS 1, where SCS roles are entered
SCS_ENTRY_GRADE = ns.GRADE + "scs-1"

RESOLUTION_RULE = ("a name that is both a role and a role level means the level; another role's name means "
                   "its first level (an SCS role is itself a position)")


def _cached(g: "RoleGraph", key: str, build):
    return g.cached("analysis:" + key, build)  # dropped when data is added to g


# ---------------------------------------------------------------------------- graphs

def skills_graph(g: "RoleGraph") -> "nx.Graph":
    """The bipartite position/skill graph of *g*, edges weighted by required level rank.

    Position nodes (role levels and SCS roles) have ``bipartite=0``, ``kind``
    (``"level"`` or ``"scs"``), ``label``, ``role``, ``role_label``, ``family``,
    ``order`` (None for SCS roles), ``grade`` (rank or None), ``grade_label``
    and ``total`` (sum of requirement weights). Skill nodes have ``bipartite=1``
    and ``label``. Edges have ``weight`` (rank; :data:`SCS_ASSUMED_RANK` for SCS)
    and ``level`` (notation, None when unlevelled). Built once per graph.

    >>> from rolegraph.graph import RoleGraph
    >>> B = skills_graph(RoleGraph.load())
    >>> B.edges["https://w3id.org/rolegraph/ddat/level/senior-data-engineer",
    ...         "https://w3id.org/rolegraph/ddat/skill/data-modelling"]["level"]
    'practitioner'
    """
    return _cached(g, "skills", lambda: _build_skills_graph(g))


def _build_skills_graph(g: "RoleGraph") -> "nx.Graph":
    import networkx as nx

    B = nx.Graph()
    grades = {r["g"]: (r["rank"], r["n"]) for r in g.select(
        "SELECT ?g ?n ?rank WHERE { ?g a rg:Grade ; skos:notation ?n ; rg:rank ?rank }")}
    pos_grades: dict[str, list[str]] = defaultdict(list)
    for r in g.select("SELECT ?p ?g WHERE { ?p rg:grade ?g . "
                      "{ ?p a rg:RoleLevel } UNION { ?p a rg:SeniorCivilServiceRole } }"):
        if r["g"] in grades:
            pos_grades[r["p"]].append(r["g"])
    for r in g.select("""
            SELECT ?p ?label ?role ?roleLabel ?family ?order ?scs WHERE {
                { ?p a rg:RoleLevel ; rg:ofRole ?role ; rg:order ?order . BIND (false AS ?scs) }
                UNION { ?p a rg:SeniorCivilServiceRole . BIND (?p AS ?role) BIND (true AS ?scs) }
                ?p skos:prefLabel ?label .
                ?role skos:prefLabel ?roleLabel .
                OPTIONAL { ?role rg:family/skos:prefLabel ?family }
            }"""):
        published = sorted((grades[x] for x in pos_grades[r["p"]]), key=lambda t: t[0])
        if r["scs"]:
            grade = published[0] if published else grades.get(SCS_ENTRY_GRADE, (None, None))
        else:
            grade = published[-1] if published else (None, None)
        B.add_node(r["p"], bipartite=0, kind="scs" if r["scs"] else "level", label=r["label"], role=r["role"],
                   role_label=r["roleLabel"], family=r["family"], order=r["order"], grade=grade[0],
                   grade_label=grade[1], grades=[n for _, n in published], total=0)
    for r in g.select("SELECT ?s ?label WHERE { ?s a rg:Skill ; skos:prefLabel ?label }"):
        B.add_node(r["s"], bipartite=1, label=r["label"])
    for r in g.select("""
            SELECT ?p ?skill ?level ?rank WHERE {
                ?p rg:requires ?req . ?req rg:skill ?skill .
                OPTIONAL { ?req rg:level ?l . ?l skos:notation ?level ; rg:rank ?rank }
            }"""):
        if r["p"] not in B or B.nodes[r["p"]].get("bipartite") != 0:
            continue
        if r["skill"] not in B:
            B.add_node(r["skill"], bipartite=1, label=g.label(r["skill"]))
        weight = r["rank"] if r["rank"] is not None else SCS_ASSUMED_RANK
        B.add_edge(r["p"], r["skill"], weight=weight, level=r["level"])
        B.nodes[r["p"]]["total"] += weight
    return B


def positions(B: "nx.Graph") -> list[str]:
    """The position nodes (role levels and SCS roles) of the bipartite graph *B*.

    >>> from rolegraph.graph import RoleGraph
    >>> len(positions(skills_graph(RoleGraph.load())))
    210
    """
    return [n for n, d in B.nodes(data=True) if d.get("bipartite") == 0]


def ladder(B: "nx.Graph", role: str) -> list[str]:
    """The levels of *role* (an IRI), in ladder order; ``[role]`` for an SCS role.

    >>> from rolegraph.graph import RoleGraph
    >>> B = skills_graph(RoleGraph.load())
    >>> [B.nodes[n]["label"] for n in ladder(B, "https://w3id.org/rolegraph/ddat/role/data-engineer")]
    ['Data engineer', 'Senior data engineer', 'Lead data engineer', 'Head of data engineering']
    """
    levels = [(d["order"], n) for n, d in B.nodes(data=True)
              if d.get("bipartite") == 0 and d["role"] == role]
    return [n for _, n in sorted(levels, key=lambda t: (t[0] or 0))]


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
    larger first). ``upward[p]``: positions that are not a move down from p, ``(q, sim)`` by falling
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
    >>> nb.upward[L + "senior-data-engineer"][0][0] == L + "lead-data-engineer"
    True
    """
    def build():
        B = skills_graph(g)
        use = engine
        if use == "auto":
            use = "sparse" if len(positions(B)) >= SPARSE_MIN_POSITIONS else "python"
        return _neighbours_sparse(B) if use == "sparse" else _neighbours_python(B)

    return _cached(g, f"neighbours-{engine}", build)


def _best(items: list[tuple[str, float]], k: int) -> list[tuple[str, float]]:
    return heapq.nlargest(k, items, key=lambda t: (t[1], t[0]))


def _upward(items: list[tuple[str, float]], depth: int | None) -> list[tuple[str, float]]:
    ranked = sorted(items, key=lambda t: (-t[1], t[0]))
    if depth is not None and len(ranked) > depth:
        cut = ranked[depth - 1][1]
        ranked = [t for t in ranked if t[1] >= cut]
    return ranked


def _neighbours_python(B: "nx.Graph") -> Neighbours:
    nodes = B.nodes
    top, upward = {}, {}
    family_values: list[float] = []
    for p in positions(B):
        sims = similarities(B, p)
        top[p] = _best(list(sims.items()), TOP_K)
        upward[p] = _upward([(q, s) for q, s in sims.items() if not _downward(B, p, q)], RELATED_DEPTH)
        fam = nodes[p]["family"]
        family_values.extend(s for q, s in sims.items() if nodes[q]["family"] == fam)
    family_values.sort()
    return Neighbours(top, upward, family_values, complete=False)


def _neighbours_sparse(B: "nx.Graph", block: int = 1000) -> Neighbours:
    try:
        import numpy as np
        import scipy.sparse as sparse
    except ImportError:
        raise AnalysisError(f"this framework has {len(positions(B)):,} positions: comparing them all needs scipy",
                            "install it with: pip install 'rolegraph[scale]'") from None

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
    grade = np.array([np.nan if nodes[p]["grade"] is None else nodes[p]["grade"] for p in pos], dtype=np.float64)
    role_ids: dict[str, int] = {}
    role = np.array([role_ids.setdefault(nodes[p]["role"], len(role_ids)) for p in pos])
    order = np.array([nodes[p]["order"] or 0 for p in pos])
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
        down = (grade[None, :] < grade[start:stop, None]) | (
            (role[None, :] == role[start:stop, None]) & (order[None, :] < order[start:stop, None]))
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


def bridges(g: "RoleGraph") -> list[dict]:
    """The career bridges stated in *g* (``rg:CareerBridge``): from, to, basis, inferred, method, score.

    >>> from rolegraph.graph import RoleGraph
    >>> all(b["inferred"] for b in bridges(RoleGraph.load()))
    True
    """
    return _cached(g, "bridges", lambda: g.select("""
        SELECT ?bridge ?from ?to ?basis ?inferred ?method ?score WHERE {
            ?bridge a rg:CareerBridge ; rg:bridgeFrom ?from ; rg:bridgeTo ?to .
            OPTIONAL { ?bridge rg:basis ?basis }
            OPTIONAL { ?bridge rg:inferred ?inferred }
            OPTIONAL { ?bridge rg:method ?method }
            OPTIONAL { ?bridge rg:score ?score }
        } ORDER BY ?bridge"""))


def gap_cost(B: "nx.Graph", origin: str, dest: str) -> int:
    """Level steps *origin* must develop to meet *dest* (a new skill costs its full rank).

    >>> from rolegraph.graph import RoleGraph
    >>> B = skills_graph(RoleGraph.load())
    >>> R = "https://w3id.org/rolegraph/ddat/role/"
    >>> gap_cost(B, R + "chief-information-security-officer", R + "chief-technology-officer")
    16
    """
    have = B.adj[origin]
    cost = 0
    for s, d in B.adj[dest].items():
        h = have[s]["weight"] if s in have else 0
        if d["weight"] > h:
            cost += d["weight"] - h
    return cost


def grade_change(B: "nx.Graph", origin: str, dest: str) -> int | None:
    """Grade rank of *dest* minus that of *origin* (None when either has no published grade)."""
    a, b = B.nodes[origin]["grade"], B.nodes[dest]["grade"]
    return None if a is None or b is None else b - a


def move_graph(g: "RoleGraph", top_k: int = TOP_K) -> "nx.DiGraph":
    """The directed graph of career moves between positions, each edge with its ``cost``.

    Edges: ``kind="ladder"`` (next level of the same role), ``kind="similar"``
    (the *top_k* positions origin is most similar to, sim > 0) and
    ``kind="bridge"`` (``rg:CareerBridge`` in the data, with its ``bridge``
    record). Every edge has ``similarity``, ``gap`` (gap cost), ``cost`` (gap,
    plus :func:`role_change_cost` unless a ladder edge) and ``grade_change``.
    Built once per graph.

    >>> from rolegraph.graph import RoleGraph
    >>> M = move_graph(RoleGraph.load())
    >>> L = "https://w3id.org/rolegraph/ddat/level/"
    >>> M.edges[L + "data-engineer", L + "senior-data-engineer"]["kind"]
    'ladder'
    """
    return _cached(g, f"moves-{top_k}", lambda: _build_move_graph(g, top_k))


def _build_move_graph(g: "RoleGraph", top_k: int) -> "nx.DiGraph":
    import networkx as nx

    B = skills_graph(g)
    M = nx.DiGraph()
    pos = positions(B)
    M.add_nodes_from((p, B.nodes[p]) for p in pos)

    change = role_change_cost(g)

    def add(a: str, b: str, kind: str, sim: float | None = None, **extra) -> None:
        if a == b or (kind == "similar" and M.has_edge(a, b)):  # ladder and bridge edges win
            return
        sim = similarity(B, a, b) if sim is None else sim
        gap = gap_cost(B, a, b)
        M.add_edge(a, b, kind=kind, similarity=sim, gap=gap, cost=gap + (0 if kind == "ladder" else change),
                   grade_change=grade_change(B, a, b), **extra)

    for a, b in _ladder_steps(B):
        add(a, b, "ladder")
    for br in bridges(g):
        if br["from"] in M and br["to"] in M:
            add(br["from"], br["to"], "bridge", bridge=br)
    nb = neighbours(g) if top_k <= TOP_K else None
    for p in pos:
        best = nb.top[p][:top_k] if nb else _best(list(similarities(B, p).items()), top_k)
        for q, s in best:
            add(p, q, "similar", s)
    return M


def _ladder_steps(B: "nx.Graph") -> list[tuple[str, str]]:
    by_role: dict[str, list[str]] = defaultdict(list)
    for p in positions(B):
        if B.nodes[p]["kind"] == "level":
            by_role[B.nodes[p]["role"]].append(p)
    steps: list[tuple[str, str]] = []
    for levels in by_role.values():
        levels.sort(key=lambda n: B.nodes[n]["order"])
        steps.extend(zip(levels, levels[1:]))
    return steps


def role_change_cost(g: "RoleGraph") -> int:
    """The fixed cost of changing role on a path: the median gap cost of a ladder step in *g*.

    >>> from rolegraph.graph import RoleGraph
    >>> role_change_cost(RoleGraph.load()) > 0
    True
    """
    def build():
        B = skills_graph(g)
        gaps = sorted(gap_cost(B, a, b) for a, b in _ladder_steps(B))
        return gaps[len(gaps) // 2] if gaps else 1

    return _cached(g, "role-change", build)


def cooccurrence_graph(g: "RoleGraph") -> "nx.Graph":
    """Skills linked when one role requires both (at any of its levels); ``weight`` = number of such roles.

    >>> from rolegraph.graph import RoleGraph
    >>> C = cooccurrence_graph(RoleGraph.load())
    >>> C.number_of_nodes() > 100
    True
    """
    def build():
        import networkx as nx

        B = skills_graph(g)
        by_role: dict[str, set[str]] = defaultdict(set)
        for p in positions(B):
            by_role[B.nodes[p]["role"]].update(B.adj[p])
        C = nx.Graph()
        C.add_nodes_from((n, {"label": d["label"]}) for n, d in B.nodes(data=True) if d.get("bipartite") == 1)
        for role, skills in by_role.items():
            ordered = sorted(skills)
            for i, a in enumerate(ordered):
                C.nodes[a].setdefault("roles", set()).add(role)
                for b in ordered[i + 1:]:
                    if C.has_edge(a, b):
                        C.edges[a, b]["weight"] += 1
                    else:
                        C.add_edge(a, b, weight=1)
        return C

    return _cached(g, "cooccurrence", build)


# ---------------------------------------------------------------------------- names

def resolve_position(g: "RoleGraph", name: str) -> dict:
    """The position *name* means, by :data:`RESOLUTION_RULE`: ``{"name", "iri", "label", "kind", "note"}``.

    ``note`` says how an ambiguous or role name was resolved (None when the name
    was plainly a level or SCS role).

    >>> from rolegraph.graph import RoleGraph
    >>> note = resolve_position(RoleGraph.load(), "Data engineer")["note"]
    >>> note.split(" (")[0]
    'resolved "Data engineer" to the role level Data engineer, not the role Data engineer'
    """
    B = skills_graph(g)
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


# ---------------------------------------------------------------------------- analyses

def _level(d: dict) -> str | None:
    return d["level"]


def shared(g: "RoleGraph", a: str, b: str) -> dict:
    """Skills positions *a* and *b* share, with each side's level (None = unlevelled SCS requirement).

    >>> from rolegraph.graph import RoleGraph
    >>> r = shared(RoleGraph.load(), "Data engineer", "Senior data engineer")
    >>> r["shared"][0]
    {'skill': 'Communicating between the technical and non-technical', 'a_level': 'awareness', 'b_level': 'working'}
    """
    B = skills_graph(g)
    pa, pb = resolve_position(g, a), resolve_position(g, b)
    adj_a, adj_b = B.adj[pa["iri"]], B.adj[pb["iri"]]
    rows = [{"skill": B.nodes[s]["label"], "a_level": _level(adj_a[s]), "b_level": _level(adj_b[s])}
            for s in adj_a if s in adj_b]
    rows.sort(key=lambda r: r["skill"].casefold())
    return {"a": pa["label"], "b": pb["label"], "shared": rows, "resolved": _notes(pa, pb)}


def _notes(*resolved: dict) -> list[str]:
    return [r["note"] for r in resolved if r["note"]]


def _gap_rows(B: "nx.Graph", origin: str, dest: str) -> tuple[list[dict], list[dict], int]:
    have, need = B.adj[origin], B.adj[dest]
    develop, met = [], []
    cost = 0
    for s, d in need.items():
        h = have.get(s)
        h_rank = h["weight"] if h else 0
        row = {"skill": B.nodes[s]["label"], "from_level": _level(h) if h else None, "to_level": _level(d)}
        if d["weight"] > h_rank:
            row["steps"] = d["weight"] - h_rank
            row["new"] = h is None
            cost += row["steps"]
            develop.append(row)
        else:
            met.append(row)
    develop.sort(key=lambda r: (-r["steps"], r["skill"].casefold()))
    met.sort(key=lambda r: r["skill"].casefold())
    return develop, met, cost


def gap(g: "RoleGraph", origin: str, dest: str) -> dict:
    """What *origin* must develop to meet *dest*: new skills and level increases, skills met, one cost.

    ``develop`` rows have ``steps`` (awareness -> practitioner = 2; a new skill
    costs its full rank) and ``new``; ``cost`` is the sum of steps.

    >>> from rolegraph.graph import RoleGraph
    >>> r = gap(RoleGraph.load(), "Chief information security officer", "Chief technology officer")
    >>> len(r["develop"]), len(r["met"]), r["cost"]
    (4, 2, 16)
    """
    B = skills_graph(g)
    pa, pb = resolve_position(g, origin), resolve_position(g, dest)
    develop, met, cost = _gap_rows(B, pa["iri"], pb["iri"])
    return {"from": pa["label"], "to": pb["label"], "develop": develop, "met": met, "cost": cost,
            "resolved": _notes(pa, pb)}


def _tier(rank: int) -> int | None:
    for tier, first, last in TIERS:
        if first <= rank <= last:
            return tier
    return None


def _move(B: "nx.Graph", a: str, b: str, score: float, rank: int, kind: str, bridge: dict | None = None) -> dict:
    develop, _, cost = _gap_rows(B, a, b)
    shared_skills = sorted((B.nodes[s]["label"] for s in B.adj[a] if s in B.adj[b]), key=str.casefold)
    move = {"to": B.nodes[b]["label"], "score": round(score, 4), "tier": _tier(rank), "shared": shared_skills,
            "gaps": [{k: r[k] for k in ("skill", "from_level", "to_level", "steps")} for r in develop],
            "grade_change": grade_change(B, a, b), "rank": rank, "kind": kind, "gap_cost": cost}
    if bridge:
        move["bridge"] = {"basis": bridge["basis"], "inferred": bridge["inferred"], "method": bridge["method"],
                          "score": bridge["score"]}
    return move


def _downward(B: "nx.Graph", a: str, b: str) -> bool:
    """True for a move down: to a lower grade, or to a lower level of the same role."""
    change = grade_change(B, a, b)
    if change is not None and change < 0:
        return True
    da, db = B.nodes[a], B.nodes[b]
    return da["role"] == db["role"] and (db["order"] or 0) < (da["order"] or 0)


def related_moves(g: "RoleGraph", origin: str, top: int = 20) -> list[tuple[str, float, str]]:
    """Ranked ``(position, score, kind)`` moves from the position IRI *origin*, best first.

    Candidates are every viable position (sim >= :func:`viability_threshold`)
    that is not a move down (to a lower grade or a lower level of the same role),
    the next level of origin's ladder and origin's bridges. Score is sim(origin
    -> move); a bridge's score is the bridge's own ``rg:score`` (SCS skills are
    shared with no ordinary role, so similarity cannot see those moves). Ties break
    by smaller gap cost, then label.

    >>> from rolegraph.graph import RoleGraph
    >>> g = RoleGraph.load()
    >>> L = "https://w3id.org/rolegraph/ddat/level/"
    >>> L + "senior-data-engineer" in [m for m, _, _ in related_moves(g, L + "data-engineer", 5)]
    True
    """
    B = skills_graph(g)
    M = move_graph(g)
    threshold = viability_threshold(g)
    special = [(q, d) for _, q, d in M.out_edges(origin, data=True) if d["kind"] in ("ladder", "bridge")]
    listed = neighbours(g).upward.get(origin)
    if listed is None or top > RELATED_DEPTH - len(special):  # not enough precomputed: compute them all
        listed = [(q, s) for q, s in similarities(B, origin).items() if not _downward(B, origin, q)]
    cands: dict[str, tuple[float, str]] = {q: (s, "similar") for q, s in listed if s >= threshold}
    for q, d in special:
        if d["kind"] == "ladder":
            cands[q] = (d["similarity"], "ladder")
        else:
            score = d["bridge"]["score"]
            cands[q] = (float(score) if score is not None else d["similarity"], "bridge")
    by_score = sorted(cands.items(), key=lambda t: -t[1][0])
    if len(by_score) > top:  # only those that can make the cut need their gap cost for tie-breaking
        cut = by_score[top - 1][1][0]
        by_score = [t for t in by_score if t[1][0] >= cut]

    def gap_of(q: str) -> int:
        return M.edges[origin, q]["gap"] if M.has_edge(origin, q) else gap_cost(B, origin, q)

    ranked = sorted(by_score, key=lambda t: (-t[1][0], gap_of(t[0]), B.nodes[t[0]]["label"]))
    return [(q, s, kind) for q, (s, kind) in ranked[:top]]


def related(g: "RoleGraph", origin: str, top: int = 20) -> dict:
    """Ranked, tiered moves from *origin* (a role level or SCS role name) with their reasons.

    Each move: ``to``, ``score`` (similarity), ``tier`` (1: ranks 1-5, 2: 6-10,
    3: 11-20, None beyond), ``shared`` skills, ``gaps``, ``grade_change``, plus
    ``kind`` (similar, ladder or bridge) and ``gap_cost``.

    >>> from rolegraph.graph import RoleGraph
    >>> r = related(RoleGraph.load(), "Senior data engineer", top=5)
    >>> [m["tier"] for m in r["moves"]]
    [1, 1, 1, 1, 1]
    """
    if top < 1:
        raise InputError("--top must be at least 1")
    B = skills_graph(g)
    M = move_graph(g)
    p = resolve_position(g, origin)
    moves = []
    for rank, (q, s, kind) in enumerate(related_moves(g, p["iri"], top), 1):
        edge = M.edges[p["iri"], q] if M.has_edge(p["iri"], q) else {}
        moves.append(_move(B, p["iri"], q, s, rank, kind, edge.get("bridge")))
    return {"from": p["label"], "moves": moves,
            "threshold": {"value": round(viability_threshold(g), 4), "percentile": VIABILITY_PERCENTILE,
                          "of": "similarity between different positions of the same job family"},
            "resolved": _notes(p)}


def _step(B: "nx.Graph", M: "nx.DiGraph", a: str, b: str) -> dict:
    develop, _, cost = _gap_rows(B, a, b)
    d = M.edges[a, b]
    step = {"from": B.nodes[a]["label"], "to": B.nodes[b]["label"],
            "shared": sorted((B.nodes[s]["label"] for s in B.adj[a] if s in B.adj[b]), key=str.casefold),
            "gaps": [{k: r[k] for k in ("skill", "from_level", "to_level")} for r in develop],
            "grade_change": d["grade_change"], "cost": d["cost"], "kind": d["kind"]}
    if d["kind"] == "bridge":
        br = d["bridge"]
        step["bridge"] = {"basis": br["basis"], "inferred": br["inferred"], "method": br["method"],
                          "score": br["score"]}
    return step


def path_between(M: "nx.DiGraph", origin: str, dest: str, alternatives: int = 0,
                 max_grade_step: int | None = None) -> list[list[str]]:
    """The cheapest paths (lists of position IRIs) from *origin* to *dest* in the move graph *M*.

    The first is the Dijkstra-cheapest by edge ``cost``; then up to
    *alternatives* next-cheapest simple paths (Yen's algorithm,
    ``nx.shortest_simple_paths``). With *max_grade_step*, moves raising the
    grade by more than that many grades are left out. Raises
    :class:`~rolegraph.errors.AnalysisError` when *dest* cannot be reached.

    >>> from rolegraph.graph import RoleGraph
    >>> M = move_graph(RoleGraph.load())
    >>> R = "https://w3id.org/rolegraph/ddat/role/"
    >>> path_between(M, R + "chief-information-security-officer", R + "chief-technology-officer")
    [['https://w3id.org/rolegraph/ddat/role/chief-information-security-officer', 'https://w3id.org/rolegraph/ddat/role/chief-technology-officer']]
    """
    import networkx as nx

    if origin == dest:
        raise AnalysisError("the start and the destination are the same position")
    view = M
    if max_grade_step is not None:
        view = nx.subgraph_view(M, filter_edge=lambda a, b: (M.edges[a, b]["grade_change"] is None
                                                             or M.edges[a, b]["grade_change"] <= max_grade_step))
    try:
        if alternatives <= 0:
            return [nx.dijkstra_path(view, origin, dest, weight="cost")]
        return list(islice(nx.shortest_simple_paths(view, origin, dest, weight="cost"), alternatives + 1))
    except nx.NetworkXNoPath:
        limit = f" with at most {max_grade_step} grade(s) up per move" if max_grade_step is not None else ""
        raise AnalysisError(f'no career path from "{M.nodes[origin]["label"]}" to "{M.nodes[dest]["label"]}"'
                            f"{limit}") from None


def path(g: "RoleGraph", origin: str, dest: str, alternatives: int = 0, max_grade_step: int | None = None) -> dict:
    """The cheapest career path from *origin* to *dest* (names), each step with shared skills, gaps, grade change.

    ``alternatives`` holds up to *alternatives* further paths, each as
    ``{"total_cost", "steps"}``.

    >>> from rolegraph.graph import RoleGraph
    >>> r = path(RoleGraph.load(), "Chief information security officer", "Chief technology officer")
    >>> len(r["steps"][0]["shared"]), len(r["steps"][0]["gaps"])
    (2, 4)
    """
    if alternatives < 0:
        raise InputError("--alternatives must be 0 or more")
    if max_grade_step is not None and max_grade_step < 0:
        raise InputError("--max-grade-step must be 0 or more")
    B = skills_graph(g)
    M = move_graph(g)
    pa, pb = resolve_position(g, origin), resolve_position(g, dest)
    found = path_between(M, pa["iri"], pb["iri"], alternatives, max_grade_step)

    def render(nodes: list[str]) -> dict:
        steps = [_step(B, M, a, b) for a, b in zip(nodes, nodes[1:])]
        return {"total_cost": sum(s["cost"] for s in steps), "steps": steps}

    best = render(found[0])
    return {"from": pa["label"], "to": pb["label"], "total_cost": best["total_cost"], "steps": best["steps"],
            "alternatives": [render(p) for p in found[1:]], "resolved": _notes(pa, pb)}


CORE_MEASURE = ("degree centrality on the skill co-occurrence graph: the share of all other skills a skill "
                "is required together with, by at least one role")


def core_skills(g: "RoleGraph", top: int | None = 20) -> list[dict]:
    """Skills ranked by transferability: degree centrality on :func:`cooccurrence_graph`.

    A skill needed alongside many different skills is needed in many different
    kinds of work (Nesta's "core" skills sit in the middle of this network). Each
    row: ``skill``, ``score`` (centrality, 0-1), ``roles`` and ``families``
    requiring it, ``measure``. Ties break by more roles, then name.

    >>> from rolegraph.graph import RoleGraph
    >>> core_skills(RoleGraph.load(), top=1)[0]["skill"]
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
        rows.append({"skill": C.nodes[s]["label"], "score": round(c, 4), "roles": len(C.nodes[s].get("roles", ())),
                     "families": len(families), "measure": CORE_MEASURE})
    rows.sort(key=lambda r: (-r["score"], -r["roles"], r["skill"].casefold()))
    return rows[:top] if top else rows


__all__ = [
    "skills_graph", "positions", "ladder", "similarity", "similarities", "viability_threshold", "bridges",
    "gap_cost", "grade_change", "move_graph", "cooccurrence_graph", "resolve_position", "shared", "gap",
    "related_moves", "related", "path_between", "path", "core_skills",
    "role_change_cost", "SCS_ASSUMED_RANK", "TOP_K", "VIABILITY_PERCENTILE", "TIERS",
]
