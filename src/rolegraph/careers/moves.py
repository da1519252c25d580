"""The move table: every position's allowed moves under the default rules, as integers, for fast searches.

From :data:`~rolegraph.careers.engines.SPARSE_MIN_POSITIONS` positions on, a
path search settles thousands of positions and a related-move list needs one
position's moves; both read this table instead of the networkx graphs and the
whole neighbour index. It holds exactly what :func:`~rolegraph.careers.model.successors`
gives under the default :class:`~rolegraph.careers.results.Rules` (same moves,
same order), so answers are identical; it is built once per graph and kept
with a store folder as flat arrays, which load in milliseconds.

Positions are numbered in IRI order, so ties broken by number break as ties
broken by IRI. A position's *tokens* are its level-threshold profile: token
``4 * skill + (t - 1)`` for each required skill and each level t up to the
required rank, so the level steps a person holding tokens H must develop for
a position needing N are ``len(N - H)`` (the same count as
:func:`~rolegraph.careers.model.develop_cost` on bitsets).
"""
from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .engines import neighbours
from .graphs import _cached
from .model import KINDS, LEVELS, CareerModel, successors
from .results import Rules

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable

    from ..graph import RoleGraph


@dataclass
class MoveTable:
    """Allowed moves of every position (default rules), numbered; see the module docstring.

    The moves of position ``i`` are entries ``start[i]`` up to ``start[i + 1]`` of
    ``to`` (position number), ``fixed`` (role-change plus bridge cost), ``kind``
    (index into :data:`~rolegraph.careers.model.KINDS`) and ``score`` (sim(i -> to)
    from the neighbour index, 0.0 when not there). The scores are kept apart (a path
    never reads them: 4 MB of a store's 13 MB table) and read on first use.
    """

    positions: list[str]
    start: array
    to: array
    fixed: array
    kind: array
    token_start: array
    token: array
    _index: dict[str, int] = field(default_factory=dict, repr=False, compare=False)
    _need: list[frozenset[int]] = field(default_factory=list, repr=False, compare=False)
    _score: array | None = field(default=None, repr=False, compare=False)
    _scores: "Callable[[], array] | None" = field(default=None, repr=False, compare=False)

    @property
    def score(self) -> array:
        """The similarity of every move (see above), read on first use."""
        if self._score is None:
            self._score = self._scores() if self._scores is not None else array("d")
        return self._score

    def number(self, p: str) -> int:
        """The number of position *p*."""
        if not self._index:
            self._index = {q: i for i, q in enumerate(self.positions)}
        return self._index[p]

    def needs(self) -> list[frozenset[int]]:
        """The tokens each position needs, by number (built on first use)."""
        if not self._need:
            token, start = self.token, self.token_start
            self._need = [frozenset(token[start[i]:start[i + 1]]) for i in range(len(self.positions))]
        return self._need

    def need(self, i: int) -> frozenset[int]:
        """The tokens position number *i* needs."""
        return self.needs()[i]

    def targets(self, i: int) -> "zip[tuple[int, int]]":
        """``(to, fixed cost)`` of every allowed move from position number *i*, in :func:`successors` order."""
        lo, hi = self.start[i], self.start[i + 1]
        return zip(self.to[lo:hi], self.fixed[lo:hi])

    def develop(self, held: frozenset[int], i: int) -> int:
        """Level steps someone holding the tokens *held* must develop for position number *i*."""
        return len(self.needs()[i] - held)

    @staticmethod
    def join(held: frozenset[int], need: frozenset[int]) -> frozenset[int]:
        """The tokens held after moving to a position needing *need*."""
        return held | need

    def moves(self, p: str) -> list[tuple[str, str, float]]:
        """``(to, kind, score)`` of every allowed move from position *p*, in :func:`successors` order."""
        i = self.number(p)
        pos = self.positions
        return [(pos[self.to[j]], KINDS[self.kind[j]], self.score[j]) for j in range(self.start[i], self.start[i + 1])]

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _index={}, _need=[], _score=None, _scores=None)


def move_table(g: "RoleGraph") -> MoveTable:
    """The :class:`MoveTable` of *g*, built once per graph (and kept with a store folder).

    >>> from rolegraph.graph import RoleGraph
    >>> t = move_table(RoleGraph.load())
    >>> L = "https://w3id.org/rolegraph/ddat/level/"
    >>> [k for b, k, _ in t.moves(L + "data-engineer") if b == L + "senior-data-engineer"]
    ['promotion']
    """
    def build(keep: bool) -> tuple[MoveTable, array]:
        from .model import career_model

        m = career_model(g)
        t, score = _build(m, dict(neighbours(g).upward) if _sparse(m) else {})
        if keep:   # stored with the table, so a later read of the scores never rebuilds it
            _cached(g, "move-scores-1", lambda: score)
        return t, score

    t = _cached(g, "move-table-4", lambda: build(True)[0])  # -N: the layout's version (caches outlive code)
    if t._scores is None:
        t._scores = lambda: _cached(g, "move-scores-1", lambda: build(False)[1])
    return t


def _sparse(m: CareerModel) -> bool:
    from .engines import SPARSE_MIN_POSITIONS

    return len(m.positions) >= SPARSE_MIN_POSITIONS


def _build(m: CareerModel, upward: dict[str, list[tuple[str, float]]]) -> tuple[MoveTable, array]:
    pos = sorted(m.positions)
    index = {p: i for i, p in enumerate(pos)}
    sid = {s: i for i, s in enumerate(m.skill_ids)}
    start, to, fixed, kind, score = array("l", [0]), array("i"), array("i"), array("b"), array("d")
    token_start, token = array("l", [0]), array("i")
    rules = Rules()
    for p in pos:
        sims = dict(upward.get(p, []))
        for b, k, change, bridge in successors(m, p, rules):
            to.append(index[b])
            fixed.append(change + bridge)
            kind.append(KINDS.index(k))
            score.append(sims.get(b, 0.0))
        start.append(len(to))
        for s, d in m.B.adj[p].items():
            token.extend(4 * sid[s] + t - 1 for t in LEVELS if d["weight"] >= t)
        token_start.append(len(token))
    to, fixed = narrow(to), narrow(fixed)   # fewer bytes to read where the numbers fit (ESCO: 11,945 positions)
    return MoveTable(pos, start, to, fixed, kind, token_start, token, _score=score), score


def narrow(a: array) -> array:
    """*a* as 1- or 2-byte integers when every value fits, else *a*.

    >>> [narrow(array("i", v)).typecode for v in ([1, 127], [-1, 128], [32768])]
    ['b', 'h', 'i']
    """
    lo, hi = min(a, default=0), max(a, default=0)
    for code, bits in (("b", 7), ("h", 15)):
        if -(1 << bits) <= lo and hi < 1 << bits:
            return array(code, a)
    return a
