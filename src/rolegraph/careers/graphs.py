"""Graph building: the bipartite position/skill graph and the skill co-occurrence graph, from the RDF graph.

Every graph here is built with networkx from the RDF graph (``g.select``),
never from the data files, and cached per :class:`~rolegraph.graph.RoleGraph`.

**Positions.** A career move goes from a *position* to a position: a role level
(``Senior data engineer``) or a Senior Civil Service (SCS) role (``Chief
technology officer``), which has no levels.

**SCS assumption.** SCS roles' requirements carry no skill level in the
framework. rolegraph treats each as required at an assumed level of *expert*
(rank 4, :data:`SCS_ASSUMED_RANK`) -- SCS roles sit above G6, where ordinary
ladders top out at expert -- for similarity and gap cost; outputs still show
those levels as ``None`` (unlevelled).
"""
from __future__ import annotations

import zlib
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from .. import namespaces as ns

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ..graph import RoleGraph

#: rank assumed for an SCS role's unlevelled requirements (expert)
SCS_ASSUMED_RANK = 4
#: the grade SCS roles are entered at
SCS_ENTRY_GRADE = ns.GRADE + "scs-1"

def _cached(g: "RoleGraph", key: str, build):
    return g.cached("careers:" + key, build)  # dropped when data is added to g


def skills_graph(g: "RoleGraph") -> "nx.Graph":
    """The bipartite position/skill graph of *g*, edges weighted by required level rank.

    Position nodes (role levels and SCS roles) have ``bipartite=0``, ``kind``
    (``"level"`` or ``"scs"``), ``label``, ``role``, ``role_label``, ``family``,
    ``order`` (None for SCS roles), ``grades`` and ``ranks`` (the published
    grades' notations and ranks, lowest first), ``grade`` (the highest
    published rank, SCS 1 for an SCS role, or None) and ``grade_label``, and
    ``total`` (sum of requirement weights). Career moves compare grade *bands*
    (:mod:`rolegraph.careers.grades`), not ``grade``. Skill nodes have ``bipartite=1``
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
                   grade_label=grade[1], grades=[n for _, n in published], ranks=[k for k, _ in published],
                   total=0)
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


#: from this many positions on, :func:`position_graph` reads each position's skills from one of
#: :data:`SKILL_SHARDS` pieces kept with the store instead of loading the whole skills graph
LIGHT_MIN_POSITIONS = 2000
#: pieces the positions' skills are kept in (by CRC-32 of the position IRI, as the name index)
SKILL_SHARDS = 256


class _Nodes(dict):
    """Node -> attributes, also callable as networkx's ``B.nodes(data=True)``; kept as columns (one list per
    attribute, so a store's cache holds no object per node, which JSON reads ~3x slower), each node's dict made
    on first use: a path reads a few thousand of 26,000 nodes at ESCO scale. Iterating makes them all."""

    def __init__(self, columns: dict):
        super().__init__()
        self._cols = columns
        self.keys_list: list[str] = columns["node"]
        self._row = {n: i for i, n in enumerate(self.keys_list)}
        self._all = False

    def __missing__(self, n: str) -> dict:
        i = self._row[n]   # a KeyError, as a dict's
        values, c = self._cols["values"], self._cols
        d = self[n] = {k: values[k][i] for k in c["shapes"][c["shape"][i]]}
        return d

    def __contains__(self, n: object) -> bool:
        return n in self._row

    def __len__(self) -> int:
        return len(self._row)

    def __iter__(self):
        return iter(self._row)

    def get(self, n: str, default=None):
        return self[n] if n in self._row else default

    def _every(self) -> None:
        if not self._all:
            for n in self._row:
                if not dict.__contains__(self, n):
                    self.__missing__(n)
            self._all = True

    def keys(self):
        return self._row.keys()

    def items(self):
        self._every()
        return {n: self[n] for n in self._row}.items()   # in node order, whatever order they were made in

    def values(self):
        return [d for _, d in self.items()]

    def column(self, key: str) -> list:
        """Attribute *key* of every node, in node order (None where a node has none), making no dicts."""
        return self._cols["values"].get(key) or [None] * len(self._row)

    def __call__(self, data: bool = False):
        return self.items() if data else self.keys()


def _well_formed(c: object) -> bool:
    """Whether *c* has the shape :func:`_node_columns` gives (a cache file read back is checked, not trusted).

    >>> _well_formed({"node": ["a"], "shape": [0], "shapes": [["label"]], "values": {"label": ["A"]}})
    True
    >>> _well_formed({"node": ["a"], "shape": [1], "shapes": [["label"]], "values": {"label": ["A"]}})
    False
    """
    if type(c) is not dict or not {"node", "shape", "shapes", "values"} <= c.keys():
        return False
    node, shape, shapes, values = c["node"], c["shape"], c["shapes"], c["values"]
    if not (type(node) is list and type(shape) is list and type(shapes) is list and type(values) is dict):
        return False
    n = len(node)
    return (len(shape) == n and set(map(type, node)) <= {str} and set(map(type, shape)) <= {int}
            and (not shape or 0 <= min(shape) and max(shape) < len(shapes))
            and all(type(v) is list and len(v) == n for v in values.values())
            and all(type(t) is list and all(type(k) is str and k in values for k in t) for t in shapes))


def _node_columns(g: "RoleGraph") -> dict:
    """:func:`skills_graph`'s nodes as columns: ``node`` (in its order), ``values`` (attribute -> one value per
    node), ``shapes`` (the attribute lists nodes have) and ``shape`` (each node's), for :class:`_Nodes`."""
    nodes = list(skills_graph(g).nodes(data=True))
    shapes: dict[tuple, int] = {}
    shape = [shapes.setdefault(tuple(d), len(shapes)) for _, d in nodes]
    keys = list(dict.fromkeys(k for t in shapes for k in t))
    return {"node": [n for n, _ in nodes], "shape": shape, "shapes": [list(t) for t in shapes],
            "values": {k: [d.get(k) for _, d in nodes] for k in keys}}


class _PositionSkills(dict):
    """Position -> {skill: {"weight", "level"}}, each read from its piece on first use."""

    def __init__(self, g: "RoleGraph"):
        super().__init__()
        self.g = g

    def __missing__(self, p: str) -> dict[str, dict]:
        shard = zlib.crc32(p.encode("utf-8")) % SKILL_SHARDS
        piece = _cached(self.g, f"skill-shard:{shard}", lambda: _skill_shards(self.g)[shard])
        if p not in piece:
            raise KeyError(p)
        got = self[p] = {s: {"weight": w, "level": level} for s, w, level in piece[p]}
        return got


class PositionGraph:
    """A read-only stand-in for :func:`skills_graph` at scale: ``nodes`` and ``p in G`` as networkx's,
    and ``adj[p]`` for positions only (not skills), read per piece (see :func:`position_graph`)."""

    def __init__(self, g: "RoleGraph", nodes: _Nodes):
        self.nodes = nodes
        self.adj = _PositionSkills(g)

    def __contains__(self, n: object) -> bool:
        return n in self.nodes


def position_graph(g: "RoleGraph"):
    """:func:`skills_graph`, or from :data:`LIGHT_MIN_POSITIONS` positions on a :class:`PositionGraph`
    that loads every node's attributes but only the skills of the positions an answer reads.

    >>> from rolegraph.graph import RoleGraph
    >>> G = position_graph(RoleGraph.load())
    >>> G.nodes["https://w3id.org/rolegraph/ddat/level/senior-data-engineer"]["label"]
    'Senior data engineer'
    """
    columns = _cached(g, "node-columns-1", lambda: _node_columns(g))
    if not _well_formed(columns):   # a damaged cache file: build them again (not kept)
        columns = _node_columns(g)
    if columns["values"].get("bipartite", []).count(0) < LIGHT_MIN_POSITIONS:
        return skills_graph(g)
    return PositionGraph(g, _Nodes(columns))


def _skill_shards(g: "RoleGraph") -> list[dict[str, tuple]]:
    """Each position's skills as ``(skill, weight, level)``, split into :data:`SKILL_SHARDS` pieces, all kept."""
    B = skills_graph(g)
    shards: list[dict[str, tuple]] = [{} for _ in range(SKILL_SHARDS)]
    for p in positions(B):
        shards[zlib.crc32(p.encode("utf-8")) % SKILL_SHARDS][p] = tuple(
            (s, d["weight"], d["level"]) for s, d in B.adj[p].items())
    for i, piece in enumerate(shards):  # stored all at once, so later look-ups never rebuild
        _cached(g, f"skill-shard:{i}", lambda piece=piece: piece)
    return shards


def position_values(B, key: str) -> dict[str, Any]:
    """Attribute *key* of every position of *B* (a networkx graph or a :class:`PositionGraph`, whose columns
    are read without making a dict for each node).

    >>> from rolegraph.graph import RoleGraph
    >>> position_values(skills_graph(RoleGraph.load()), "kind")["https://w3id.org/rolegraph/ddat/role/chief-data-officer"]
    'scs'
    """
    nodes = B.nodes
    if isinstance(nodes, _Nodes):
        return {n: v for n, b, v in zip(nodes.keys(), nodes.column("bipartite"), nodes.column(key)) if b == 0}
    return {n: d[key] for n, d in nodes(data=True) if d.get("bipartite") == 0}


def positions(B: "nx.Graph") -> list[str]:
    """The position nodes (role levels and SCS roles) of the bipartite graph *B*.

    >>> from rolegraph.graph import RoleGraph
    >>> len(positions(skills_graph(RoleGraph.load())))
    210
    """
    nodes = B.nodes
    if isinstance(nodes, _Nodes):   # a PositionGraph: from the columns, making no node's dict
        return [n for n, b in zip(nodes.keys(), nodes.column("bipartite")) if b == 0]
    return [n for n, d in nodes(data=True) if d.get("bipartite") == 0]



def ladder(B: "nx.Graph", role: str) -> list[str]:
    """The levels of *role* (an IRI), in ladder order; ``[role]`` for an SCS role.

    >>> from rolegraph.graph import RoleGraph
    >>> B = skills_graph(RoleGraph.load())
    >>> [B.nodes[n]["label"] for n in ladder(B, "https://w3id.org/rolegraph/ddat/role/data-engineer")]
    ['Data engineer', 'Senior data engineer', 'Lead data engineer', 'Head of data engineering']
    """
    nodes = B.nodes
    if isinstance(nodes, _Nodes):   # a PositionGraph: the role column, then only its levels' dicts
        levels = [(nodes[n]["order"], n) for n, b, r in zip(nodes.keys(), nodes.column("bipartite"),
                                                             nodes.column("role")) if b == 0 and r == role]
    else:
        levels = [(d["order"], n) for n, d in nodes(data=True) if d.get("bipartite") == 0 and d["role"] == role]
    return [n for _, n in sorted(levels, key=lambda t: (t[0] or 0))]


def grade_names(g: "RoleGraph") -> dict[int, str]:
    """Grade rank -> notation (``{3: "EO", ...}``) for every grade in *g*.

    >>> from rolegraph.graph import RoleGraph
    >>> grade_names(RoleGraph.load())[7]
    'G6'
    """
    return _cached(g, "grade-names", lambda: {r["rank"]: r["n"] for r in g.select(
        "SELECT ?n ?rank WHERE { ?g a rg:Grade ; skos:notation ?n ; rg:rank ?rank }")})


def cooccurrence_graph(g: "RoleGraph") -> "nx.Graph":
    """Skills linked when one role requires both (at any of its levels); ``weight`` = number of such roles.

    >>> from rolegraph.graph import RoleGraph
    >>> C = cooccurrence_graph(RoleGraph.load())
    >>> C.number_of_nodes() > 100
    True
    """
    def build() -> "nx.Graph":
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


