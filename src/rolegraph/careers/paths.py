"""Career paths: the cheapest route between two positions, skills staying with the person.

The search is Dijkstra over the allowed moves of :mod:`rolegraph.careers.model`,
where each position reached carries the skill profile of the path that reached
it (bitsets, one per skill level): a move costs only what that profile lacks,
plus its role-change and bridge parts. The direct move, when allowed, is priced
from the start's own profile, so a path never costs more than the direct move.
Ties go to fewer moves. Alternatives: the cheapest routes that avoid one move of
the recommended path each (as Yen's algorithm starts), best first.
"""
from __future__ import annotations

import heapq
from pathlib import PurePath
from typing import TYPE_CHECKING, Callable, Iterable, NamedTuple, TypeVar

from ..errors import AnalysisError, InputError
from .engines import SPARSE_MIN_POSITIONS
from .grades import grade_change_between
from .held import (
    DEVELOP_IN_POST,
    DOWN,
    IN_POST,
    IN_POST_COST,
    IN_POST_KIND,
    NO_GRADE,
    PROMOTED,
    PROMOTION_COST,
    TRANSFER,
    chain,
    needs,
    search_held,
    start_grade,
    transitions,
    wait_profile,
)
from .model import (
    BRIDGE,
    CHANGE,
    CareerModel,
    career_model,
    develop_cost,
    fixed_cost,
    move_kind,
    successors,
    union,
)
from .moves import move_table
from .names import notes, resolve_position
from .person import FROM_PROFILE
from .results import Cost, Path, Route, Rules, SkillGap, Step
from .years import BASIS as YEARS_BASIS
from .years import path_years, step_years

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import RoleGraph
    from ..people.profiles import Profile
    from .person import Start

N = TypeVar("N")  # a position: its IRI, or its number in the move table
P = TypeVar("P")  # a skill profile


def search(m: CareerModel, origin: str, rules: Rules | None = None, dest: str | None = None,
           banned: frozenset = frozenset()) -> tuple[dict[str, int], dict[str, str]]:
    """Cheapest costs and predecessors from *origin* (stopping at *dest* when given), skipping *banned* moves.

    From :data:`~rolegraph.careers.engines.SPARSE_MIN_POSITIONS` positions on, the default rules'
    moves are read from the move table (:mod:`rolegraph.careers.moves`; same moves, same answers).

    >>> from rolegraph.graph import RoleGraph
    >>> m = career_model(RoleGraph.load())
    >>> L = "https://w3id.org/rolegraph/ddat/level/"
    >>> cost, prev = search(m, L + "data-engineer", dest=L + "lead-data-engineer")
    >>> prev[L + "lead-data-engineer"] == L + "senior-data-engineer"
    True
    """
    rules = rules or Rules()
    if not _use_table(m, rules):
        def moves(u: str) -> list[tuple[str, int]]:
            return [(v, change + bridge) for v, _kind, change, bridge in successors(m, u, rules)]

        def develop(held: tuple[int, ...], v: str) -> int:
            return develop_cost(held, m.need[v])

        return cheapest(origin, moves, m.need.__getitem__, develop, union, dest, banned)
    t = move_table(m.g)
    num, pos, needs = t.number, t.positions, t.needs()

    sizes = [len(n) for n in needs]

    def lacks(held: frozenset[int], v: int) -> int:  # = len(needs[v] - held), which builds a bigger set
        return sizes[v] - len(held.intersection(needs[v]))

    dist, prev = cheapest(num(origin), t.targets, needs.__getitem__, lacks, t.join,
                          None if dest is None else num(dest), frozenset((num(a), num(b)) for a, b in banned))
    return {pos[p]: c for p, c in dist.items()}, {pos[v]: pos[u] for v, u in prev.items()}


def cheapest(origin: N, moves: Callable[[N], Iterable[tuple[N, int]]], need: Callable[[N], P],
             develop: Callable[[P, N], int], join: Callable[[P, P], P], dest: N | None = None,
             banned: frozenset = frozenset()) -> tuple[dict[N, int], dict[N, N]]:
    """Dijkstra where each position reached carries the skill profile of the path that reached it.

    *moves(u)* gives ``(v, fixed cost)`` pairs, *need(v)* v's profile, *develop(held, v)* the
    level steps a person holding *held* develops for v, *join(held, need)* the profile after the
    move. Ties go to fewer moves, then to the smaller node. Returns costs of the positions settled
    and predecessors (of the settled positions; with *dest*, moves that could only reach a position
    after *dest* is settled are not tried).

    >>> moves = {"a": [("b", 1), ("c", 0)], "b": [], "c": [("b", 0)]}
    >>> need = {"a": {1}, "b": {1, 2, 3}, "c": {2}}
    >>> cost, prev = cheapest("a", moves.__getitem__, need.__getitem__, lambda h, v: len(need[v] - h), set.union)
    >>> sorted(cost.items()), prev["b"]
    ([('a', 0), ('b', 2), ('c', 1)], 'c')
    """
    best, prev, prof = {origin: (0, 0)}, {}, {origin: need(origin)}  # best: (cost, moves)
    heap = [(0, 0, origin)]
    done: set = set()
    while heap:
        c, k, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        if u == dest:
            break
        held = prof[u]
        k1 = k + 1
        cap = best.get(dest) if dest is not None else None  # only falls: a move above it settles after dest
        for v, fixed in moves(u):
            base = c + fixed
            if cap is not None and (base, k1) > cap:
                continue
            old = best.get(v)
            if old is not None and (base, k1) >= old:
                continue  # developing is never negative: no better (this skips settled positions too)
            if banned and (u, v) in banned:
                continue
            nc = base + develop(held, v)
            if old is None or (nc, k1) < old:
                best[v], prev[v], prof[v] = (nc, k1), u, join(held, need(v))
                heapq.heappush(heap, (nc, k1, v))
    return {p: best[p][0] for p in done}, prev


def _use_table(m: CareerModel, rules: Rules) -> bool:
    """Whether searches read the move table: default rules, from SPARSE_MIN_POSITIONS positions on."""
    return (rules.max_grade_step, rules.allow_down) == (1, False) and len(m.positions) >= SPARSE_MIN_POSITIONS


def _chain(prev: dict[str, str], origin: str, dest: str) -> list[str]:
    nodes = [dest]
    while nodes[-1] != origin:
        nodes.append(prev[nodes[-1]])
    return nodes[::-1]


def path_between(m: CareerModel, origin: str, dest: str, alternatives: int = 0,
                 rules: Rules | None = None, grade: int | None = None,
                 start: tuple[int, ...] | None = None) -> list[list[tuple[str, int]]]:
    """The cheapest path from *origin* to *dest* as (position IRI, grade held) states, then up to *alternatives* more.

    The person starts at *grade* (a rank; default the bottom of *origin*'s band) holding the skills *start*
    (a bitset profile; default *origin*'s requirements). Raises
    :class:`~rolegraph.errors.AnalysisError` when *dest* cannot be reached under *rules*.

    >>> from rolegraph.graph import RoleGraph
    >>> m = career_model(RoleGraph.load())
    >>> R = "https://w3id.org/rolegraph/ddat/role/"
    >>> [len(p) for p in path_between(m, R + "chief-information-security-officer", R + "chief-technology-officer")]
    [2]
    """
    rules = rules or Rules()
    if origin == dest:
        raise AnalysisError("the start and the destination are the same position")
    if grade is None:
        grade = start_grade(m, origin, None)[0]
    s0 = (origin, grade)
    first, prev, dist = search_held(m, origin, grade, rules, dest, start=start)
    if dest not in first:
        held = m.grade_names.get(grade, "an unknown grade")
        why = (f"at most {rules.max_grade_step} grade(s) up per move"
               + ("" if rules.allow_down else ", never down (--allow-down permits moves down)")
               + f", a skill raised at most {rules.max_skill_step} levels per move (--max-skill-step"
               + ("; a transfer at grade may develop skills in post first)" if rules.develop_in_post else ")")
               + ("" if rules.allow_reskill_promotion else
                  ", no promotion into a role meeting none of its skills (--allow-reskill-promotion)")
               + (", SCS roles only along a bridge from G6" if rules.scs_bridge_only else ""))
        raise AnalysisError(f'no career path from "{m.label(origin)}" at {held} ({m.grades(origin)}) to '
                            f'"{m.label(dest)}" ({m.grades(dest)}) with {why}')
    best = chain(prev, s0, first[dest])
    found = [best]
    if alternatives > 0:
        seen = {tuple(best)}
        cands = []
        for a, b in zip(best, best[1:]):
            f2, p2, d2 = search_held(m, origin, grade, rules, dest, banned=frozenset({(a[0], b[0])}),
                                     start=start)
            if dest in f2:
                states = chain(p2, s0, f2[dest])
                if tuple(states) not in seen and not _leaves_and_returns(states):
                    seen.add(tuple(states))
                    cands.append((d2[f2[dest]], len(states), states))
        found += [states for _, _, states in sorted(cands)[:alternatives]]
    return found


def _leaves_and_returns(states: list[tuple[str, int]]) -> bool:
    """Whether a route leaves a position and comes back to it later (a detour no adviser offers as an
    alternative: a move away to be promoted, then back). Steps within one post (in-post promotion, developing
    in post) stay at the position and are no return.

    >>> _leaves_and_returns([("a", 4), ("b", 4), ("b", 5), ("a", 5), ("c", 6)])
    True
    >>> _leaves_and_returns([("a", 4), ("a", 5), ("c", 6)])
    False
    """
    seen, last = set(), None
    for pos, _ in states:
        if pos != last:
            if pos in seen:
                return True
            seen.add(pos)
            last = pos
    return False


def _gap_rows(m: CareerModel, held: dict[str, tuple[int, str | None]], dest: str) -> tuple[list, list, int]:
    """(develop, met, cost) for someone holding *held* (skill -> (rank, level)) moving to *dest*."""
    B = m.B
    develop, met, cost = [], [], 0
    for s, d in B.adj[dest].items():
        h_rank, h_level = held.get(s, (0, None))
        row = SkillGap(B.nodes[s]["label"], h_level, d["level"])
        if d["weight"] > h_rank:
            row.steps, row.new = d["weight"] - h_rank, s not in held
            cost += row.steps
            develop.append(row)
        else:
            met.append(row)
    develop.sort(key=lambda r: (-r.steps, r.skill.casefold()))
    met.sort(key=lambda r: r.skill.casefold())
    return develop, met, cost


def profile(m: CareerModel, p: str) -> dict[str, tuple[int, str | None]]:
    """Skill -> (rank, level) that position *p* requires (SCS requirements: rank 4, level None).

    >>> from rolegraph.graph import RoleGraph
    >>> m = career_model(RoleGraph.load())
    >>> profile(m, "https://w3id.org/rolegraph/ddat/level/senior-data-engineer")[
    ...     "https://w3id.org/rolegraph/ddat/skill/data-modelling"]
    (3, 'practitioner')
    """
    return {s: (d["weight"], d["level"]) for s, d in m.B.adj[p].items()}


def _merge(held: dict, p_held: dict) -> dict:
    out = dict(held)
    for s, v in p_held.items():
        if s not in out or v[0] > out[s][0]:
            out[s] = v
    return out


def _states(m: CareerModel, nodes: list) -> list[tuple[str, int]]:
    """(position, grade held) states of *nodes*: states as given, or positions walked from the bottom of the band."""
    if not nodes or not isinstance(nodes[0], str):
        return [tuple(s) for s in nodes]
    g = start_grade(m, nodes[0], None)[0]
    out = [(nodes[0], g)]
    for v in nodes[1:]:
        band = m.bands[v]
        if g != NO_GRADE and band is not None:
            g = g if band[0] <= g <= band[1] else (band[0] if g < band[0] else band[1])
        out.append((v, g))
    return out


def _step_parts(m: CareerModel, a: str, g: int, b: str, h: int) -> tuple[str, str, Cost]:
    """(kind, move, cost without the develop part) of the step (a, g) -> (b, h)."""
    up = max(h - g, 0) if NO_GRADE not in (g, h) else 0
    if a == b and h == g:
        return IN_POST_KIND, DEVELOP_IN_POST, Cost(0, in_post=IN_POST_COST)
    if a == b:
        return IN_POST_KIND, IN_POST, Cost(0, promotion=up * PROMOTION_COST)
    kind = move_kind(m, a, b)
    change, bridge = fixed_cost(m, a, b, kind)
    other = m.B.nodes[a]["role"] != m.B.nodes[b]["role"]
    promo = up * PROMOTION_COST + (m.change_cost if up and other else 0)
    move = PROMOTED if up else (DOWN if NO_GRADE not in (g, h) and h < g else TRANSFER)
    return kind, move, Cost(0, change, bridge, promo)


def _grade(m: CareerModel, g: int) -> str | None:
    return None if g == NO_GRADE else m.grade_names.get(g, str(g))


def _in_post_rows(m: CareerModel, held: dict[str, tuple[int, str | None]], target: str,
                  cap: int) -> tuple[list[SkillGap], dict[str, tuple[int, str | None]]]:
    """What a develop-in-post step raises before a transfer to *target* (each skill to its level less *cap*):
    the rows, and the skills raised as skill -> (rank, level)."""
    from ..people.profiles import SCALE

    rows: list[SkillGap] = []
    raised: dict[str, tuple[int, str | None]] = {}
    for s, d in m.B.adj[target].items():
        h_rank, h_level = held.get(s, (0, None))
        goal = (d["weight"] or 0) - cap
        if goal > h_rank:
            rows.append(SkillGap(m.B.nodes[s]["label"], h_level, SCALE[goal], goal - h_rank, s not in held))
            raised[s] = (goal, SCALE[goal])
    rows.sort(key=lambda r: (-r.steps, r.skill.casefold()))
    return rows, raised


def route(m: CareerModel, nodes: list, start: dict[str, tuple[int, str | None]] | None = None,
          cap: int = 2) -> Route:
    """The :class:`Route` of a list of states (position, grade held) -- or positions, walked from the bottom.

    Each step: its grades as held, kind, move (transfer at grade, promotion, in-post promotion), new gaps
    and cost; and the whole-path list. *start*: the skills held at the start (skill -> (rank, level); default
    the origin's requirements). A state repeated is a develop-in-post step before the transfer that follows
    it, raising skills to the destination's levels less *cap* (the rules' ``max_skill_step``).

    >>> from rolegraph.graph import RoleGraph
    >>> m = career_model(RoleGraph.load())
    >>> R = "https://w3id.org/rolegraph/ddat/role/"
    >>> r = route(m, [R + "chief-information-security-officer", R + "chief-technology-officer"])
    >>> r.steps[0].kind, r.steps[0].move, len(r.steps[0].shared), len(r.steps[0].gaps)
    ('change of role', 'transfer at grade', 2, 4)
    """
    states = _states(m, nodes)
    origin, dest = states[0][0], states[-1][0]
    start = profile(m, origin) if start is None else start
    held = start
    direct_gaps = {r.skill for r in _gap_rows(m, start, dest)[0]}
    steps = []
    spans: list[tuple[float, float]] = []
    for i, ((a, g), (b, h)) in enumerate(zip(states, states[1:])):
        kind, move, cost = _step_parts(m, a, g, b, h)
        target = states[i + 2][0] if move == DEVELOP_IN_POST and i + 2 < len(states) else None
        raised: dict[str, tuple[int, str | None]] = {}
        develop: list[SkillGap] = []
        met: list[SkillGap] = []
        if target is not None:
            develop, raised = _in_post_rows(m, held, target, cap)
            cost.develop = sum(r.steps for r in develop)
        elif a != b:
            develop, met, cost.develop = _gap_rows(m, held, b)
        shares = bool(met) or len(develop) < len(m.B.adj[b]) or any(not r.new for r in develop)
        step = Step(from_=m.label(a), to=m.label(b), from_grades=m.grades(a), to_grades=m.grades(b),
                    grade_change=None if NO_GRADE in (g, h) else h - g, kind=kind, shared=[r.skill for r in met],
                    gaps=develop, cost=cost.total, cost_parts=cost,
                    full_reskill=not shares and bool(develop) and kind not in (BRIDGE, IN_POST_KIND),
                    bridge=m.bridges.get((a, b)) if kind == BRIDGE else None,
                    from_grade=_grade(m, g), to_grade=_grade(m, h), move=move)
        notes_ = []
        if step.full_reskill:
            notes_.append(f"full reskill: develop all {len(develop)} skills")
        if b != dest and kind in (CHANGE, BRIDGE):  # a stepping stone: say what it brings
            covered = sorted({r.skill for r in develop} & direct_gaps)
            if covered:
                notes_.append(f"{m.label(b)} first: its {len(m.B.adj[b])} skills develop {len(covered)} of "
                              f"{m.label(dest)}'s {len(direct_gaps)} gaps, fully or in part")
        if target is not None:
            notes_.append(f"stay in post at {_grade(m, g) or 'your grade'} and develop "
                          + ", ".join(f"{r.skill} to {r.to_level}" for r in develop)
                          + f", so that the transfer to {m.label(target)} raises no skill more than {cap} levels")
        if kind == CHANGE and m.B.nodes[b]["kind"] == "scs" and m.B.nodes[a]["kind"] == "level":
            notes_.append(f"no bridge into {m.label(b)} from here: +{cost.bridge} level steps")
        step.note = "; ".join(notes_) or None
        spans.append(step_years(step.grade_change or 0, max((r.steps for r in develop), default=0)))
        step.years = list(spans[-1])
        steps.append(step)
        if target is not None:
            held = _merge(held, raised)
        if a != b:
            held = _merge(held, profile(m, b))
    return Route(total_cost=sum(s.cost for s in steps), steps=steps, develop=_whole(m, start, held),
                 moves=len(steps), years=list(path_years(spans)))


def _whole(m: CareerModel, start: dict, end: dict) -> list[SkillGap]:
    """Everything developed along a path: each skill from its level at the start to its level at the end."""
    B = m.B
    rows = []
    for s, (rank, level) in end.items():
        h_rank, h_level = start.get(s, (0, None))
        if rank > h_rank:
            rows.append(SkillGap(B.nodes[s]["label"], h_level, level, rank - h_rank, s not in start))
    rows.sort(key=lambda r: (-r.steps, r.skill.casefold()))
    return rows


def _change(m: CareerModel, a: str, b: str) -> int | None:
    return grade_change_between(m.bands[a], m.bands[b])


class HeldRoute(NamedTuple):
    """A recommended route for all-pairs statistics: its states and light steps (no skill lists)."""

    nodes: list[str]
    held: list[int]
    steps: list[Step]
    total_cost: int


def grade_routes_from(m: CareerModel, origin: str, grade: int | str | None = None,
                      rules: Rules | None = None) -> dict[str, HeldRoute]:
    """The recommended route from *origin*, for a person holding *grade*, to every position it can reach.

    >>> from rolegraph.graph import RoleGraph
    >>> m = career_model(RoleGraph.load())
    >>> L = "https://w3id.org/rolegraph/ddat/level/"
    >>> r = grade_routes_from(m, L + "data-engineer")[L + "senior-data-engineer"]
    >>> [(s.from_grade, s.to_grade, s.move) for s in r.steps]
    [('HEO', 'SEO', 'promotion')]
    """
    rules = rules or Rules()
    g = grade if isinstance(grade, int) else start_grade(m, origin, grade)[0]
    first, prev, dist = search_held(m, origin, g, rules)
    s0 = (origin, g)
    need = needs(m)
    out = {}
    for p, end in first.items():
        if p == origin:
            continue
        states = chain(prev, s0, end)
        steps, held = [], need[origin]
        for i, ((a, ga), (b, gb)) in enumerate(zip(states, states[1:])):
            kind, move, cost = _step_parts(m, a, ga, b, gb)
            if move == DEVELOP_IN_POST:
                w = wait_profile(need[states[i + 2][0]], rules.max_skill_step)
                cost.develop = develop_cost(held, w)
                held = union(held, w)
            elif a != b:
                cost.develop = develop_cost(held, need[b])
                held = union(held, need[b])
            steps.append(Step(m.label(a), m.label(b), m.grades(a), m.grades(b),
                              None if NO_GRADE in (ga, gb) else gb - ga, kind, [], [], cost.total, cost,
                              from_grade=_grade(m, ga), to_grade=_grade(m, gb), move=move))
        out[p] = HeldRoute([s[0] for s in states], [s[1] for s in states], steps, dist[end])
    return out


def routes_from(m: CareerModel, origin: str, rules: Rules | None = None) -> dict[str, Route]:
    """The recommended :class:`Route` from *origin* (held at the bottom of its band) to every position it reaches.

    >>> from rolegraph.graph import RoleGraph
    >>> m = career_model(RoleGraph.load())
    >>> R = "https://w3id.org/rolegraph/ddat/role/"
    >>> R + "chief-data-officer" in routes_from(m, R + "chief-technology-officer")
    True
    """
    return {p: Route(total_cost=r.total_cost, steps=r.steps, develop=[], moves=len(r.steps))
            for p, r in grade_routes_from(m, origin, None, rules).items()}


def direct_move(m: CareerModel, origin: str, dest: str, rules: Rules | None = None,
                grade: int | None = None, start: "Start | None" = None) -> Route | None:
    """The one-move route from *origin* to *dest* for someone holding *grade*, or None when the rules refuse it.

    >>> from rolegraph.graph import RoleGraph
    >>> m = career_model(RoleGraph.load())
    >>> L = "https://w3id.org/rolegraph/ddat/level/"
    >>> direct_move(m, L + "data-engineer", L + "head-of-data-engineering") is None   # skips two levels
    True
    """
    rules = rules or Rules()
    g = start_grade(m, origin, None)[0] if grade is None else grade
    bits = needs(m)[origin] if start is None else start.bits
    options = sorted((fixed, h) for v, h, _k, fixed in transitions(m, origin, g, bits, rules) if v == dest)
    if not options:
        return None
    return route(m, [(origin, g), (dest, options[0][1])], None if start is None else start.held)


def _why_this(m: CareerModel, best: Route, direct: Route | None, basis: str,
              person: "Start | None" = None) -> list[str]:
    """Why this route, in plain words: where it starts, what kind of steps, why not the direct move, how long."""
    steps = best.steps
    first, last = steps[0], steps[-1]
    if person is not None:
        out = [f"You start {FROM_PROFILE} at {first.from_grade}: {person.origin_basis}; the skills you rated "
               f"count as held, so what you already meet is not to develop."]
    else:
        out = [f"You start as {first.from_} at {first.from_grade or 'an unknown grade'}"
               + (" (the bottom of its band; say your grade if it is higher)." if basis.startswith("default")
                  else ".")]
    counts = {k: sum(1 for s in steps if s.move == k) for k in (PROMOTED, IN_POST, TRANSFER, DEVELOP_IN_POST)}
    ladder = sum(1 for s in steps if s.kind in ("promotion", "sideways"))
    changes = sum(1 for s in steps if s.kind in (CHANGE, BRIDGE))
    parts = [f"{n} {what}" for n, what in ((counts[PROMOTED], "promotion(s) of one grade"),
                                           (counts[IN_POST], "in-post promotion(s)"),
                                           (counts[TRANSFER], "transfer(s) at grade"),
                                           (counts[DEVELOP_IN_POST], "step(s) developing skills in post "
                                            "before a transfer the skill cap would block")) if n]
    out.append(f"It takes {len(steps)} step(s): {', '.join(parts)}; {ladder} on your own ladder and {changes} "
               f"change(s) of role. One's own ladder and transfers at grade are preferred to a promotion into "
               f"another role, and no move raises a skill more than the rules allow.")
    if len(steps) > 1 and direct is None:
        out.append(f"The direct move from {first.from_} to {last.to} is not open to you: "
                   + ("the Senior Civil Service is entered only along a bridge, from G6."
                      if any(s.kind == BRIDGE for s in steps) else
                      "it would skip a level of your own ladder, gain more than one grade, raise a skill too far in "
                      "one move, or be a promotion into a role meeting none of its skills."))
    elif len(steps) > 1 and direct is not None:
        out.append(f"The direct move would cost {direct.total_cost} level steps against {best.total_cost} "
                   f"this way.")
    for s in steps:
        if s.bridge:
            kind = "an official" if s.bridge.official else "an inferred"
            out.append(f"It enters {s.to} from {s.from_} at {s.from_grade} along {kind} bridge (strength "
                       f"{s.bridge.strength}).")
    if best.years:
        out.append(f"Expected time: {best.years[0]:g} to {best.years[1]:g} years, on the project's stated "
                   f"assumptions (years_basis).")
    return out


def _why(best: Route, alt: Route) -> list[str]:
    """Why the recommended route beats an alternative, in words."""
    out = []
    if best.total_cost < alt.total_cost:
        out.append(f"costs {alt.total_cost - best.total_cost} level steps less ({best.total_cost} vs {alt.total_cost})")
    if best.moves < alt.moves:
        out.append(f"fewer moves ({best.moves} vs {alt.moves})")
    dev_b, dev_a = sum(r.steps for r in best.develop), sum(r.steps for r in alt.develop)
    if dev_b < dev_a:
        out.append(f"smaller gap to develop ({dev_b} vs {dev_a} level steps)")
    ch_b = sum(1 for s in best.steps if s.cost_parts.role_change)
    ch_a = sum(1 for s in alt.steps if s.cost_parts.role_change)
    if ch_b < ch_a:
        out.append(f"fewer changes of role ({ch_b} vs {ch_a})")
    off_b = any(s.bridge and s.bridge.official for s in best.steps)
    off_a = any(s.bridge and s.bridge.official for s in alt.steps)
    if off_b and not off_a:
        out.append("uses an official bridge")
    return out or ["equal cost; the recommended path was found first"]


def path(g: "RoleGraph", origin: str | None, dest: str, alternatives: int = 0, max_grade_step: int = 1,
         allow_down: bool = False, grade: str | None = None, max_skill_step: int = 2,
         allow_reskill_promotion: bool = False, profile: "Profile | dict | str | PurePath | None" = None) -> Path:
    """The recommended career path from *origin* to *dest* (names) for a person holding *grade*, with alternatives.

    *grade* is the grade the person holds in *origin* (a notation such as ``"SEO"``; default: the
    bottom of *origin*'s band, stated in ``grade_basis``). Each step has the grades held before and
    after it (they add up), its kind and move (transfer at grade, promotion, in-post promotion), what is
    new to develop (skills stay with the person), and its cost in level steps; ``develop`` lists
    everything to develop along the whole path; each alternative says why the recommended path beats it.

    With *profile* (a :class:`rolegraph.people.Profile`, a ``{skill: level}`` dict or a profile file's path)
    instead of *origin* (give exactly one), the path
    starts from the person (:mod:`rolegraph.careers.person`): their grade (the profile's, or *grade*), their
    role level or the best-fitting one (``start`` says which), and the skills they rated.

    >>> from rolegraph.graph import RoleGraph
    >>> r = path(RoleGraph.load(), "Chief information security officer", "Chief technology officer")
    >>> len(r.steps[0].shared), len(r.steps[0].gaps)
    (2, 4)
    """
    if alternatives < 0:
        raise InputError("--alternatives must be 0 or more")
    if max_grade_step < 0:
        raise InputError("--max-grade-step must be 0 or more")
    if not 1 <= max_skill_step <= 4:
        raise InputError("--max-skill-step must be 1 to 4 (4: any jump, e.g. new -> expert in one move)")
    rules = Rules(max_grade_step=max_grade_step, allow_down=allow_down, max_skill_step=max_skill_step,
                  allow_reskill_promotion=allow_reskill_promotion)
    m = career_model(g)
    person = _person(m, origin, profile, grade)
    pb = resolve_position(g, dest)
    if person is None:
        pa = resolve_position(g, origin)  # type: ignore[arg-type]
        held, basis = start_grade(m, pa["iri"], grade)
        a, resolved = pa["iri"], notes(pa, pb)
    else:
        a, held, basis, resolved = person.origin, person.grade, person.grade_basis, notes(pb)
        if a == pb["iri"]:
            raise AnalysisError(f'you already start at "{m.label(a)}" ({person.origin_basis})')
    bits = None if person is None else person.bits
    start = None if person is None else person.held
    found = path_between(m, a, pb["iri"], alternatives, rules, held, bits)
    best = route(m, found[0], start, rules.max_skill_step)
    alts = [route(m, states, start, rules.max_skill_step) for states in found[1:]]
    for alt in alts:
        alt.why = _why(best, alt)
    direct = direct_move(m, a, pb["iri"], rules, held, person)
    return Path(from_=m.label(a), to=pb["label"], from_grades=m.grades(a), to_grades=m.grades(pb["iri"]),
                total_cost=best.total_cost, steps=best.steps, develop=best.develop, alternatives=alts,
                direct_cost=None if direct is None else direct.total_cost, rules=rules,
                resolved=resolved, grade=_grade(m, held), grade_basis=basis,
                to_grade=_grade(m, found[0][-1][1]), years=best.years, years_basis=YEARS_BASIS,
                why_this_route=_why_this(m, best, direct, basis, person),
                start=None if person is None else f"{FROM_PROFILE}: {person.origin_basis}")


def _person(m: CareerModel, origin: str | None, profile: "Profile | dict | str | PurePath | None",
            grade: str | None) -> "Start | None":
    """The person's :class:`~rolegraph.careers.person.Start` when *profile* is given; exactly one of the two.

    *profile*: a :class:`rolegraph.people.Profile`, a ``{skill: level}`` dict or a profile file's path."""
    if profile is not None and origin is not None:
        raise InputError("give a starting role level or a profile, not both")
    if profile is None and origin is None:
        raise InputError("give a starting role level or a profile (--profile)")
    if profile is None:
        return None
    from ..people import profile_from_levels, read_profile
    from .person import person_start

    if isinstance(profile, dict):   # as RoleGraph.assess: {skill: level}, or a profile file's path
        profile = profile_from_levels(m.g, profile)
    elif isinstance(profile, (str, PurePath)):
        profile = read_profile(m.g, str(profile))
    return person_start(m, profile, grade)
