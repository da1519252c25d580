"""The career model: which moves are allowed, what kind each is, and what it costs.

**Moves** (:func:`successors`) from a position P, under :class:`~rolegraph.careers.results.Rules`:

* *promotion*: P's next level on its own track ("X - management" levels form a
  track beside the plain levels; within a role you move one level at a time);
* *sideways*: between a level and its management twin ("X" <-> "X - management");
* *change of role*: to any position of another role -- also when the two share
  no skill (a full reskill);
* *bridge*: from an ordinary level into an SCS role along a stated
  ``rg:CareerBridge`` (data/bridges.ttl, or official edges added as data).

Every move must keep the grade rules for some grade of the origin's band (the
person's grade is chosen by the path search, :mod:`rolegraph.careers.held`): at
most ``max_grade_step`` grades above the band's top, and never below its bottom
unless ``allow_down`` (:func:`rolegraph.careers.grades.open_from_band`; own-role
moves by :func:`allowed`).

**Cost** of a move, in *level steps* (awareness -> practitioner is 2 steps; a
new skill costs its full level, awareness 1 .. expert 4):

* *develop*: the level steps the person has not developed yet -- on this path,
  skills stay with the person, so what an earlier step developed is not paid
  again (:func:`develop_cost` against the profile held so far);
* *role change*: a fixed :func:`role_change_cost` for a change of role or a
  bridge: the median gap of a ladder step ("changing role is as hard as a
  typical promotion");
* *bridge*: a bridge of strength s (0..1) adds ``ceil(role change x (1 - s))``;
  official bridges have strength 1 (nothing added), inferred ones at most 0.9,
  and a move into an SCS role with no bridge counts as strength 0.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .engines import RELATED_DEPTH, SPARSE_MIN_POSITIONS, neighbours
from .grades import Band, band_label, bands, grade_change_between, open_from_band, twin_of
from .graphs import PositionGraph, _cached, grade_names, position_graph, positions, skills_graph
from .results import Bridge, Rules

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ..graph import RoleGraph

#: levels of the bitset profiles (skill level ranks 1..4)
LEVELS = (1, 2, 3, 4)
#: strength of an official bridge (rg:inferred false) whose data states no score
OFFICIAL_STRENGTH = 1.0
#: the most an inferred bridge counts for, so an official edge is always preferred
MAX_INFERRED_STRENGTH = 0.9

PROMOTION, SIDEWAYS, CHANGE, BRIDGE = "promotion", "sideways", "change of role", "bridge"
#: the kinds of move, numbered in this order by the move table (:mod:`rolegraph.careers.moves`)
KINDS = (PROMOTION, SIDEWAYS, CHANGE, BRIDGE)


@dataclass
class CareerModel:
    """Everything a path or related-move search needs about one graph (built once, :func:`career_model`)."""

    g: "RoleGraph"
    B: "nx.Graph"
    positions: list[str]
    bands: dict[str, Band | None]
    band_rules: dict[str, str]
    grade_names: dict[int, str]
    index: dict[str, int]
    skill_ids: list[str]
    change_cost: int
    bridges: dict[tuple[str, str], Bridge]
    next_level: dict[str, str]
    prev_level: dict[str, str]
    twin: dict[str, str]
    _need: dict[str, tuple[int, ...]] | None = None
    _succ: dict = field(default_factory=dict)
    _labels: dict = field(default_factory=dict)

    @property
    def need(self) -> dict[str, tuple[int, ...]]:
        """Each position's bitset profile (one int per level, bit i = ``skill_ids[i]``), built on first use."""
        if self._need is None:
            sid = {s: i for i, s in enumerate(self.skill_ids)}
            self._need = {}
            for p in self.positions:
                bits = [0, 0, 0, 0]
                for s, d in self.B.adj[p].items():
                    for t in LEVELS:
                        if d["weight"] >= t:
                            bits[t - 1] |= 1 << sid[s]
                self._need[p] = tuple(bits)
        return self._need

    @property
    def threshold(self) -> float:
        """The viability threshold of related moves (computed on first use: paths do not need it).

        Below SPARSE_MIN_POSITIONS positions related moves are scored by meaning
        (:mod:`rolegraph.careers.meaning`), so the threshold is calibrated on meaning similarity.
        """
        from .engines import viability_threshold
        from .meaning import meaning_threshold

        if len(self.positions) < SPARSE_MIN_POSITIONS:
            return meaning_threshold(self.g)
        return viability_threshold(self.g)

    def band(self, p: str) -> Band | None:
        """The grade band (bottom, top) of position *p*."""
        return self.bands[p]

    def grades(self, p: str) -> str:
        """*p*'s band as text, e.g. ``"HEO-SEO"``."""
        text = self._labels.get(p)
        if text is None:
            text = self._labels[p] = band_label(self.bands[p], self.grade_names)
        return text

    def label(self, p: str) -> str:
        return self.B.nodes[p]["label"]


def career_model(g: "RoleGraph") -> CareerModel:
    """The :class:`CareerModel` of *g*, built once per graph.

    >>> from rolegraph.graph import RoleGraph
    >>> m = career_model(RoleGraph.load())
    >>> m.grades("https://w3id.org/rolegraph/ddat/level/data-engineer")
    'HEO-SEO'
    """
    return _cached(g, "career-model", lambda: _build(g))


def _build(g: "RoleGraph") -> CareerModel:
    B = position_graph(g)
    nodes = B.nodes
    pos = positions(B)
    if isinstance(B, PositionGraph):   # at scale: bands and tracks as columns by position (see _columns)
        c = _cached(g, "model-columns-1", lambda: _columns(g, B, pos))
        if not _columns_fit(c, len(pos), len(nodes)):   # a damaged cache file: build them again (not kept)
            c = _columns(g, B, pos)
        skill_ids = [nodes.keys_list[i] for i in c["skills"]]
        band_of = {p: None if lo is None else (lo, hi) for p, lo, hi in zip(pos, c["lo"], c["hi"])}
        rule_of = dict(zip(pos, c["rule"]))
        nxt, prev, twin = ({pos[i]: pos[j] for i, j in enumerate(c[k]) if j >= 0} for k in ("next", "prev", "twin"))
    else:
        band_info = bands(g)
        skill_ids = sorted(n for n, d in nodes(data=True) if d.get("bipartite") == 1)
        band_of, rule_of = {p: band_info[p][0] for p in pos}, {p: band_info[p][1] for p in pos}
        nxt, prev, twin = _cached(g, "tracks", lambda: _tracks(B, pos))
    model = CareerModel(g=g, B=B, positions=pos, bands=band_of, band_rules=rule_of, grade_names=grade_names(g),
                        index={p: i for i, p in enumerate(pos)}, skill_ids=skill_ids,
                        change_cost=role_change_cost(g), bridges={}, next_level=nxt, prev_level=prev, twin=twin)
    model.bridges = _bridges(g, model)
    return model


def _columns_fit(c: object, n: int, nodes: int) -> bool:
    """Whether *c* has the shape :func:`_columns` gives for *n* positions of *nodes* nodes (a cache file read back
    is checked, not trusted)."""
    def of(v: object, *types: type) -> bool:   # every item of one of *types* (map and set: no Python loop)
        return type(v) is list and set(map(type, v)) <= set(types)

    def numbers(v: Any, lo: int, hi: int) -> bool:
        return of(v, int) and (not v or lo <= min(v) and max(v) < hi)

    if type(c) is not dict:
        return False
    try:
        return (all(len(c[k]) == n for k in ("lo", "hi", "rule", "next", "prev", "twin"))
                and of(c["lo"], int, type(None)) and of(c["hi"], int, type(None)) and of(c["rule"], str)
                and all(numbers(c[k], -1, n) for k in ("next", "prev", "twin")) and numbers(c["skills"], 0, nodes))
    except (KeyError, TypeError):
        return False


def _columns(g: "RoleGraph", B: PositionGraph, pos: list[str]) -> dict:
    """What the model holds of each position at scale, as lists by position (and node numbers), which a store's
    cache reads ~3x faster than the same as one object per position: band bottom and top (None: unknown) and
    rule, next and previous level and twin (position numbers, -1: none), and the skills (node numbers, in
    IRI order)."""
    info = bands(g)
    number = {p: i for i, p in enumerate(pos)}
    tracks = _tracks(B, pos)
    band = [info[p][0] for p in pos]
    keys = B.nodes.keys_list
    return {"lo": [b[0] if b else None for b in band], "hi": [b[1] if b else None for b in band],
            "rule": [info[p][1] for p in pos],
            **{k: [number[t[p]] if p in t else -1 for p in pos] for k, t in zip(("next", "prev", "twin"), tracks)},
            "skills": sorted((i for i, b in enumerate(B.nodes.column("bipartite")) if b == 1), key=keys.__getitem__)}


def _tracks(B, pos: list[str]) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Next and previous level on each position's own track, and management twins."""
    nodes = B.nodes
    by_role: dict[str, list[str]] = defaultdict(list)
    for p in pos:
        if nodes[p]["kind"] == "level":
            by_role[nodes[p]["role"]].append(p)
    nxt: dict[str, str] = {}
    prev: dict[str, str] = {}
    twin: dict[str, str] = {}
    for levels in by_role.values():
        levels.sort(key=lambda n: nodes[n]["order"])
        by_label = {nodes[p]["label"]: p for p in levels}
        plain = [p for p in levels if twin_of(nodes[p]["label"]) not in by_label]
        managed = {by_label[twin_of(nodes[p]["label"])]: p for p in levels if p not in plain}
        for p, m in managed.items():
            twin[p], twin[m] = m, p
        for a, b in zip(plain, plain[1:]):
            nxt[a] = b
            if a in managed:  # the management track: to the next level's management twin, else the next level
                nxt[managed[a]] = managed.get(b, b)
    for a, b in sorted(nxt.items(), key=lambda t: twin_of(nodes[t[0]]["label"]) is not None):
        prev.setdefault(b, a)  # a plain level's previous level is plain
    return nxt, prev, twin


def role_change_cost(g: "RoleGraph") -> int:
    """The fixed cost of changing role: the median gap cost of a ladder step (next level of a role) in *g*.

    >>> from rolegraph.graph import RoleGraph
    >>> role_change_cost(RoleGraph.load())
    6
    """
    def build():
        B = skills_graph(g)
        nxt, _, _ = _tracks(B, positions(B))
        gaps = sorted(gap_cost(B, a, b) for a, b in nxt.items())
        return gaps[len(gaps) // 2] if gaps else 1

    return _cached(g, "role-change", build)


def gap_cost(B, origin: str, dest: str) -> int:
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


def develop_cost(held: tuple[int, ...], need: tuple[int, ...]) -> int:
    """Level steps of *need* not in *held* (both bitset profiles: one int per level, bit = skill).

    A skill needed at level r and held at h < r costs r - h: one for each level
    threshold t in h+1..r, i.e. ``popcount(need_t & ~held_t)`` summed over t.

    >>> develop_cost((0b01, 0, 0, 0), (0b11, 0b11, 0, 0))   # hold skill 0 at 1; need skills 0 and 1 at 2
    3
    """
    return sum((n & ~h).bit_count() for h, n in zip(held, need))


def union(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    """The profile holding everything in *a* and in *b* (each skill at the higher level).

    >>> union((1, 0, 0, 0), (2, 2, 0, 0))
    (3, 2, 0, 0)
    """
    return tuple(x | y for x, y in zip(a, b))


def _bridges(g: "RoleGraph", m: CareerModel) -> dict[tuple[str, str], Bridge]:
    """Stated bridges, keyed (from position, to position); a bridge from a role starts at its top levels."""
    out: dict[tuple[str, str], Bridge] = {}
    B = m.B
    for br in stated_bridges(g):
        dest = br["to"]
        if dest not in B.nodes or B.nodes[dest].get("bipartite") != 0:
            continue
        start = br["from"]
        if start in m.index:
            origins = [start]
        else:  # a role: its highest levels (an official "could lead to" edge names a role)
            levels = [p for p in m.positions if B.nodes[p]["role"] == start and B.nodes[p]["kind"] == "level"]
            known = {p: band for p in levels if (band := m.bands[p]) is not None}
            top = max((band[1] for band in known.values()), default=None)
            origins = [p for p, band in known.items() if band[1] == top]
        inferred = br["inferred"] is not False
        score = float(br["score"]) if br["score"] is not None else None
        strength = min(score if score is not None else 0.0, MAX_INFERRED_STRENGTH) if inferred else (
            score if score is not None else OFFICIAL_STRENGTH)
        bridge = Bridge(basis=br["basis"], inferred=inferred, official=not inferred, method=br["method"],
                        score=score, strength=round(strength, 3))
        for o in origins:
            old = out.get((o, dest))
            if old is None or (bridge.official, bridge.strength) > (old.official, old.strength):
                out[(o, dest)] = bridge
    return out


def stated_bridges(g: "RoleGraph") -> list[dict]:
    """The career bridges stated in *g* (``rg:CareerBridge``): from, to, basis, inferred, method, score.

    >>> from rolegraph.graph import RoleGraph
    >>> all(b["inferred"] for b in stated_bridges(RoleGraph.load()))
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


def move_kind(m: CareerModel, a: str, b: str) -> str:
    """promotion, sideways, change of role or bridge (see the module docstring).

    >>> from rolegraph.graph import RoleGraph
    >>> m = career_model(RoleGraph.load())
    >>> L = "https://w3id.org/rolegraph/ddat/level/"
    >>> move_kind(m, L + "senior-developer", L + "senior-developer-management")
    'sideways'
    """
    if m.next_level.get(a) == b or m.prev_level.get(a) == b:
        return PROMOTION
    if m.twin.get(a) == b:
        return SIDEWAYS
    if (a, b) in m.bridges:
        return BRIDGE
    return CHANGE


def fixed_cost(m: CareerModel, a: str, b: str, kind: str) -> tuple[int, int]:
    """(role change, bridge) parts of the cost of a move a -> b of *kind* (see the module docstring).

    >>> from rolegraph.graph import RoleGraph
    >>> m = career_model(RoleGraph.load())
    >>> L, R = "https://w3id.org/rolegraph/ddat/level/", "https://w3id.org/rolegraph/ddat/role/"
    >>> fixed_cost(m, L + "head-of-data-engineering", R + "chief-technology-officer", BRIDGE)  # strength 0.6
    (6, 3)
    """
    if kind in (PROMOTION, SIDEWAYS):
        return 0, 0
    extra = 0
    nodes = m.B.nodes
    if nodes[b]["kind"] == "scs" and nodes[a]["kind"] == "level":
        strength = m.bridges[(a, b)].strength if kind == BRIDGE else 0.0
        extra = math.ceil(m.change_cost * (1 - strength) - 1e-9)
    return m.change_cost, extra


def allowed(m: CareerModel, a: str, b: str, rules: Rules) -> bool:
    """Whether the move a -> b is allowed under *rules* (grade rules; one level at a time in one's own role).

    >>> from rolegraph.graph import RoleGraph
    >>> m = career_model(RoleGraph.load())
    >>> L = "https://w3id.org/rolegraph/ddat/level/"
    >>> allowed(m, L + "lead-developer", L + "senior-developer", Rules())
    False
    """
    if a == b:
        return False
    nodes = m.B.nodes
    if nodes[a]["role"] == nodes[b]["role"]:
        own = m.next_level.get(a) == b or m.twin.get(a) == b or (rules.allow_down and m.prev_level.get(a) == b)
        if not own:
            return False
    change = grade_change_between(m.bands[a], m.bands[b])
    if change is None:
        return True
    return change <= rules.max_grade_step and (rules.allow_down or change >= 0)


def successors(m: CareerModel, a: str, rules: Rules) -> list[tuple[str, str, int, int]]:
    """Allowed moves from *a*: ``(b, kind, role_change_cost, bridge_cost)``, cached per rules.

    From :data:`~rolegraph.careers.engines.SPARSE_MIN_POSITIONS` positions on,
    changes of role are limited to the RELATED_DEPTH most similar allowed
    positions (plus own-track moves and bridges), so one search stays fast.

    >>> from rolegraph.graph import RoleGraph
    >>> m = career_model(RoleGraph.load())
    >>> L = "https://w3id.org/rolegraph/ddat/level/"
    >>> [k for b, k, _, _ in successors(m, L + "data-engineer", Rules()) if b == L + "senior-data-engineer"]
    ['promotion']
    """
    key = (rules.max_grade_step, rules.allow_down)
    cache = m._succ.setdefault(key, {})
    if a not in cache:
        if len(m.positions) >= SPARSE_MIN_POSITIONS:
            near = [q for q, _ in neighbours(m.g).upward.get(a, [])][:RELATED_DEPTH]
            own = [x for x in (m.next_level.get(a), m.prev_level.get(a), m.twin.get(a)) if x]
            cands = list(dict.fromkeys(near + own + [b for (o, b) in m.bridges if o == a]))
        else:
            cands = m.positions
        out = []
        nodes, bands_ = m.B.nodes, m.bands
        role, band_a = nodes[a]["role"], bands_[a]
        for b in cands:
            if nodes[b]["role"] != role:  # own-role moves are checked in full by allowed()
                if not open_from_band(band_a, bands_[b], rules.max_grade_step, rules.allow_down):
                    continue
            elif not allowed(m, a, b, rules):
                continue
            kind = move_kind(m, a, b)
            out.append((b, kind) + fixed_cost(m, a, b, kind))
        cache[a] = out
    return cache[a]


def move_graph(g: "RoleGraph", rules: Rules | None = None):
    """The directed graph of allowed moves under *rules* (default: the default grade rules), for export.

    Nodes are positions (with ``label``, ``kind``, ``grades``); edges have
    ``kind``, ``gap`` (level steps from the origin's own skills), ``cost`` (gap
    plus role-change and bridge parts: a one-move path's cost) and ``grade_change``.

    >>> from rolegraph.graph import RoleGraph
    >>> M = move_graph(RoleGraph.load())
    >>> L = "https://w3id.org/rolegraph/ddat/level/"
    >>> M.edges[L + "data-engineer", L + "senior-data-engineer"]["kind"]
    'promotion'
    """
    import networkx as nx

    rules = rules or Rules()
    m = career_model(g)
    M = nx.DiGraph()
    for p in m.positions:
        d = m.B.nodes[p]
        M.add_node(p, label=d["label"], kind=d["kind"], role=d["role_label"], family=d["family"] or "",
                   grades=m.grades(p), band_rule=m.band_rules[p])
    for a in m.positions:
        for b, kind, change, bridge in successors(m, a, rules):
            gap = develop_cost(m.need[a], m.need[b])
            M.add_edge(a, b, kind=kind, gap=gap, cost=gap + change + bridge,
                       grade_change=grade_change_between(m.bands[a], m.bands[b]))
    return M
