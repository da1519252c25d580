"""Related moves: the next moves from one position, ranked and tiered, by the same rules as paths.

Candidates are the moves open to a person holding a grade of the position
(:mod:`rolegraph.careers.held`: never down, at most one grade up; one level at
a time in one's own role; a skill raised at most two levels; SCS roles only
along a bridge from G6): positions of other roles that are *viable* (sim >=
:func:`~rolegraph.careers.engines.viability_threshold`) plus the position's
next level, its management twin and its bridges into SCS roles. Nothing below
the threshold is listed (no padding: a short list says why). The own next
level ranks first; then by score, smaller gap, name. Score is sim(origin ->
move); a bridge's score is its strength. Tiers follow O*NET's related
occupations (1: ranks 1-5, 2: 6-10, 3: 11-20).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from ..errors import InputError
from .engines import RELATED_DEPTH, SPARSE_MIN_POSITIONS, VIABILITY_PERCENTILE
from .held import NO_GRADE, grade_options, needs, raw_moves, scs_entry, start_grade, transitions
from .meaning import meaning
from .model import BRIDGE, CHANGE, CareerModel, career_model, develop_cost, move_kind
from .moves import move_table
from .names import notes, resolve_position
from .paths import _gap_rows, _person
from .paths import profile as profile_of
from .person import FROM_PROFILE
from .results import Aim, Move, Related, Rules

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import RoleGraph
    from ..people.profiles import Profile
    from .person import Start

#: related-move tiers, as O*NET's related occupations: (tier, first rank, last rank)
TIERS = ((1, 1, 5), (2, 6, 10), (3, 11, 20))


def tier(rank: int, viable: bool = True) -> int | None:
    """The tier of a move at *rank* (1-based); a move below the viability threshold is never tier 1.

    >>> tier(3), tier(3, viable=False), tier(21)
    (1, 2, None)
    """
    for t, first, last in TIERS:
        if first <= rank <= last:
            return t if viable or t > 1 else 2
    return None


class Ranked(NamedTuple):
    """One ranked related move, before its reasons are spelled out: position IRI, score, kind, tier."""

    to: str
    score: float
    kind: str
    viable: bool
    rank: int
    tier: int | None
    gap_cost: int


def related_moves(m: CareerModel, origin: str, top: int = 20, grade: int | None = None,
                  start: "Start | None" = None) -> list[Ranked]:
    """Ranked moves from the position IRI *origin*, best first (:class:`Ranked`; :func:`related` adds reasons).

    *start*: a person's skills (:mod:`rolegraph.careers.person`) instead of *origin*'s requirements, for the
    skill cap and the gaps.

    >>> from rolegraph.graph import RoleGraph
    >>> m = career_model(RoleGraph.load())
    >>> L = "https://w3id.org/rolegraph/ddat/level/"
    >>> [(m.label(x.to), x.kind, x.tier) for x in related_moves(m, L + "data-engineer", 20) if x.kind == "promotion"]
    [('Senior data engineer', 'promotion', 1)]
    """
    rules = Rules()
    B = m.B
    held_grade = start_grade(m, origin, None)[0] if grade is None else grade
    # the moves a person holding that grade may make (issue #23): grade options, skill cap, SCS entry
    bits = needs(m)[origin] if start is None else start.bits
    open_ = {v for v, _h, _k, _f in transitions(m, origin, held_grade, bits, rules) if v != origin}
    if len(m.positions) >= SPARSE_MIN_POSITIONS:  # the move table: sim from the neighbour index
        t = move_table(m.g)
        moves = t.moves(origin)
        held = t.need(t.number(origin)) if start is None else start.tokens()

        def gap(b: str) -> int:
            return t.develop(held, t.number(b))
    else:
        sims = meaning(m.g, origin)  # by meaning: the framework's own text (rolegraph.careers.meaning)
        moves = [(b, kind, sims.get(b, 0.0)) for b, kind, *_ in raw_moves(m, origin, False)]
        have = bits

        def gap(b: str) -> int:
            return develop_cost(have, m.need[b])
    cands = []
    for b, kind, sim in moves:
        if b not in open_:
            continue
        if kind == BRIDGE:
            score = m.bridges[(origin, b)].strength
        elif kind == CHANGE:
            if B.nodes[b]["kind"] == "scs" and B.nodes[origin]["kind"] == "level":
                continue  # into the SCS only along a bridge
            score = sim
            if score <= 0:
                continue  # nothing in common: a full reskill, possible on a path but not a related move
        else:
            score = sim
        cands.append((b, kind, score))
    threshold = m.threshold
    nxt = m.next_level.get(origin)
    own = {x for x in (nxt, m.twin.get(origin)) if x}
    rows = sorted(((score >= threshold, score, gap(b), B.nodes[b]["label"], b, kind)
                   for b, kind, score in cands if score >= threshold or b in own or kind == BRIDGE),
                  key=lambda r: (r[4] != nxt, not r[0], -r[1], r[2], r[3]))
    return [Ranked(b, score, kind, viable, rank, tier(rank, viable or b == nxt), cost)
            for rank, (viable, score, cost, _, b, kind) in enumerate(rows[:top], 1)]


def _aims(m: CareerModel, a: str, g_held: int, bits: tuple[int, ...] | None = None) -> tuple[list[Aim], list[Aim]]:
    """Own-ladder steps (next level, management twin) and SCS roles to aim for along a bridge from the top rung
    of *a*'s role (entered from G6), each saying whether it is open at the grade held."""
    rules = Rules()
    nodes, names = m.B.nodes, m.grade_names
    open_ = {v for v, _h, _k, _f in transitions(m, a, g_held, needs(m)[a] if bits is None else bits, rules)}
    ladder = []
    for b in (m.next_level.get(a), m.twin.get(a)):
        if b:
            band = m.bands[b]
            options = grade_options(g_held, band, rules) if band is not None else []
            taken = min(options) if options else band[0] if band is not None else None
            ladder.append(Aim(to=m.label(b), kind=move_kind(m, a, b), to_grades=m.grades(b), via=m.label(a),
                              needs_grade=None if taken is None else names.get(taken), open_now=b in open_))
    entry = scs_entry(m)
    role = nodes[a]["role"]
    scs_aims = []
    for (o, b), br in sorted(m.bridges.items(), key=lambda t: (m.label(t[0][1]), m.label(t[0][0]))):
        if nodes[o]["role"] != role or nodes[a]["kind"] != "level":
            continue
        scs_aims.append(Aim(to=m.label(b), kind=BRIDGE, to_grades=m.grades(b), via=m.label(o),
                            needs_grade=names.get(entry - 1) if entry else None,
                            open_now=o == a and b in open_, bridge=br))
    return ladder, scs_aims


def _score_name(m: CareerModel) -> str:
    if len(m.positions) >= SPARSE_MIN_POSITIONS:
        return "skill similarity (the share of requirements met)"
    return "meaning similarity (TF-IDF cosine of the skills' names and descriptions)"


def related(g: "RoleGraph", origin: str | None, top: int = 20, grade: str | None = None,
            profile: "Profile | dict | str | None" = None) -> Related:
    """Ranked, tiered moves from *origin* (a role level or SCS role name) for a person holding *grade*.

    *grade* defaults to the bottom of *origin*'s band (stated in ``grade_basis``); a move's
    ``grade_change`` is from the grade held (0: a transfer at grade, 1: a promotion). With *profile*
    instead of *origin* (exactly one), the moves start from the person (:mod:`rolegraph.careers.person`):
    their grade, their role level or the best-fitting one (``start`` says which), and the skills they
    rated (shared skills and gaps are theirs).

    >>> from rolegraph.graph import RoleGraph
    >>> r = related(RoleGraph.load(), "Senior data engineer", top=5)
    >>> [(x.to, x.tier) for x in r.moves][0], r.grade
    (('Lead data engineer', 1), 'SEO')
    """
    if top < 1:
        raise InputError("--top must be at least 1")
    m = career_model(g)
    person = _person(m, origin, profile, grade)
    B = m.B
    if person is None:
        p = resolve_position(g, origin)  # type: ignore[arg-type]
        a, resolved = p["iri"], notes(p)
        g_held, basis = start_grade(m, a, grade)
        held = profile_of(m, a)
    else:
        a, resolved, g_held, basis, held = person.origin, [], person.grade, person.grade_basis, person.held
    moves = []
    for r in related_moves(m, a, top, g_held, person):
        b = r.to
        options = grade_options(g_held, m.bands[b], Rules())
        change = None if g_held == NO_GRADE or not options or m.bands[b] is None else min(options) - g_held
        moves.append(Move(to=m.label(b), rank=r.rank, tier=r.tier, score=round(r.score, 4), viable=r.viable,
                          kind=r.kind, to_grades=m.grades(b), grade_change=change,
                          shared=sorted((B.nodes[s]["label"] for s in held if s in B.adj[b]), key=str.casefold),
                          gaps=_gap_rows(m, held, b)[0], gap_cost=r.gap_cost,
                          bridge=m.bridges.get((a, b)) if r.kind == BRIDGE else None))
    note = None
    if len(moves) < top:
        note = (f"only {len(moves)} move(s): no other position open at the grade held or one grade up meets the "
                f"viability threshold ({m.threshold:.3f}) within the default rules (a skill raised at most two "
                f"levels per move; the SCS only along a bridge from G6); moves down and moves below the "
                f"threshold are not listed")
    ladder, scs_aims = _aims(m, a, g_held, None if person is None else person.bits)
    return Related(from_=m.label(a), from_grades=m.grades(a), moves=moves, ladder=ladder, scs_aims=scs_aims,
                   threshold={"value": round(m.threshold, 4), "percentile": VIABILITY_PERCENTILE,
                              "of": (f"{_score_name(m)} between different positions of the same job family")},
                   rules=Rules(), note=note, resolved=resolved, grade=m.grade_names.get(g_held), grade_basis=basis,
                   start=None if person is None else f"{FROM_PROFILE}: {person.origin_basis}")


__all__ = ["TIERS", "Ranked", "tier", "related_moves", "related", "RELATED_DEPTH"]
