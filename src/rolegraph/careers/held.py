"""Paths that start from the person: the search state is (position, grade held).

A person holds one grade of their post's band (:func:`start_grade`: the grade
they say, by default the bottom of the band, stated in the answer). Every step
of a path is one of:

* **transfer at grade** -- to a post whose band contains the grade held;
* **promotion** -- to a post one grade up (at most ``max_grade_step`` grades up,
  default 1) that its band contains;
* **in-post promotion** -- the next grade of the same post's band (same role level
  or SCS role), without moving.

Each step states ``from_grade -> to_grade`` as held, so the grade changes of a
path add up to the grade gained. Default rules an adviser would defend
(:class:`~rolegraph.careers.results.Rules`):

* a promotion into another role that meets none of its skills is refused
  (``allow_reskill_promotion`` lifts it); a stated bridge is its own basis;
* a change of role raises a skill by at most ``max_skill_step`` levels (default 2:
  "new -> working" is one move, "new -> practitioner" is not; 4 lifts it). A
  **transfer at grade** that the cap blocks is reached by a **develop in post** step
  first: the person stays in the post at the grade held and raises each skill the
  transfer would take too far by at most the cap (to the destination's level less
  the cap), then transfers -- two labelled steps, each within the cap; the step in
  post costs the skills it develops plus :data:`IN_POST_COST` (:func:`wait_profile`).
  A promotion the cap blocks stays refused (``develop_in_post`` turns the step off). The
  framework's own ladder (next level, management twin) is the rung it publishes, so
  it is not capped; SCS roles' levels are an assumption (expert), so moves into SCS
  roles are not capped either;
* an SCS role is entered only along a stated bridge, from G6 (the grade below
  the SCS entry grade), as a one-grade promotion (``scs_bridge_only``);
* a grade gained costs :data:`PROMOTION_COST` level step, and a promotion into
  another role adds the role-change cost again: one's own ladder and transfers at
  grade come first.
"""
from __future__ import annotations

import heapq
from array import array
from typing import TYPE_CHECKING

from ..errors import InputError
from .engines import RELATED_DEPTH, SPARSE_MIN_POSITIONS, neighbours
from .graphs import _cached, position_values
from .model import BRIDGE, CHANGE, KINDS, LEVELS, CareerModel, fixed_cost, move_kind
from .moves import move_table, narrow

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable

    from .results import Rules

TRANSFER, PROMOTED, IN_POST = "transfer at grade", "promotion", "in-post promotion"
#: a step that stays in the post at the grade held while raising the skills a capped transfer needs
DEVELOP_IN_POST = "develop in post"
DOWN = "move down"
#: the kind of an in-post promotion (the same post, the next grade of its band)
IN_POST_KIND = "in post"
#: level steps a grade gained costs (so no route gains a grade it does not need)
PROMOTION_COST = 1
#: level steps a develop-in-post step costs on top of the skills it develops (a step of time in post, as a grade
#: gained costs PROMOTION_COST): at equal cost a route of moves, such as a rung of another ladder, comes first
IN_POST_COST = 1
NO_GRADE = -1  # the grade held when the origin's band is unknown


def start_grade(m: CareerModel, p: str, grade: str | int | None) -> tuple[int, str]:
    """The grade rank a person in *p* holds, and how it was chosen (given, or the bottom of the band).

    >>> from rolegraph.graph import RoleGraph
    >>> from .model import career_model
    >>> m = career_model(RoleGraph.load())
    >>> L = "https://w3id.org/rolegraph/ddat/level/"
    >>> start_grade(m, L + "data-engineer", None)
    (4, "default: the bottom of Data engineer's band HEO-SEO; use --grade to say the grade you hold")
    >>> start_grade(m, L + "data-engineer", "seo")
    (5, 'given')
    """
    band = m.bands[p]
    if grade is None:
        if band is None:
            return NO_GRADE, f"unknown: {m.label(p)} has no grade band"
        return band[0], (f"default: the bottom of {m.label(p)}'s band {m.grades(p)}; "
                         "use --grade to say the grade you hold")
    names = m.grade_names
    by_name = {v.casefold(): k for k, v in names.items()}
    rank = by_name.get(str(grade).strip().casefold())
    if rank is None:
        raise InputError(f'unknown grade "{str(grade)[:40]}"',
                         "grades: " + ", ".join(names[k] for k in sorted(names)))
    if band is not None and not band[0] <= rank <= band[1]:
        raise InputError(f'{m.label(p)} is published at {m.grades(p)}: grade {names[rank]} is not in that band',
                         "give a grade of its band, or leave --grade out for the bottom of the band")
    return rank, "given"


def scs_entry(m: CareerModel) -> int | None:
    """The grade rank SCS roles are entered at (the lowest grade of any SCS band)."""
    key = ("scs-entry",)
    if key not in m._succ:
        kind = position_values(m.B, "kind")
        ranks = [b[0] for p in m.positions if kind[p] == "scs" and (b := m.bands[p]) is not None]
        m._succ[key] = min(ranks) if ranks else None
    return m._succ[key]


def raw_moves(m: CareerModel, u: str, allow_down: bool) -> list[tuple]:
    """Grade-independent moves from *u*: ``(v, kind, fixed cost, band of v, other role, SCS entry, SCS target)``.

    Within a role: the next level on one's own track, the management twin, and (with
    *allow_down*) the previous level. To another role: every position (from
    :data:`SPARSE_MIN_POSITIONS` positions on, the :data:`RELATED_DEPTH` most similar plus bridges).
    """
    key = ("held", allow_down)
    cache = m._succ.setdefault(key, {})
    out = cache.get(u)
    if out is not None:
        return out
    nodes = m.B.nodes
    if len(m.positions) >= SPARSE_MIN_POSITIONS and not allow_down:  # the move table: no networkx, no index
        t = m._succ.get(("table",)) or m._succ.setdefault(("table",), move_table(m.g))
        i, pos, to, kinds, fixed_, bands_ = t.number(u), t.positions, t.to, t.kind, t.fixed, m.bands
        roles, scs_ = table_roles(m)
        ru, level = roles[i], not scs_[i]
        lo, hi = t.start[i], t.start[i + 1]   # as below, a column at a time (a search reads thousands)
        xs = to[lo:hi]
        vs = [pos[x] for x in xs]
        into_scs = [scs_[x] for x in xs]
        out = list(zip(vs, [KINDS[k] for k in kinds[lo:hi]], fixed_[lo:hi], [bands_[v] for v in vs],
                       [roles[x] != ru for x in xs], [x and level for x in into_scs], into_scs))
        cache[u] = out
        return out
    role, level = nodes[u]["role"], nodes[u]["kind"] == "level"
    own = [x for x in (m.next_level.get(u), m.twin.get(u), m.prev_level.get(u) if allow_down else None) if x]
    rest: list[tuple[str, str, bool, tuple | None]] = []
    if len(m.positions) >= SPARSE_MIN_POSITIONS:
        near = [q for q, _ in neighbours(m.g).upward.get(u, [])][:RELATED_DEPTH]
        cands = list(dict.fromkeys(own + near + [b for (o, b) in m.bridges if o == u]))
    else:   # every position of another role, after the own moves
        cands = own
        rest = m._succ.get(("held-all",)) or m._succ.setdefault(("held-all",), [
            (v, nodes[v]["role"], nodes[v]["kind"] == "scs", m.bands[v]) for v in m.positions])
    out = []
    for v in cands:
        if v != u:
            kind = move_kind(m, u, v)
            scs = nodes[v]["kind"] == "scs"
            out.append((v, kind, sum(fixed_cost(m, u, v, kind)), m.bands[v], nodes[v]["role"] != role, scs and level,
                        scs))
    change, bridges = m.change_cost, m.bridges
    for v, r, scs, band in rest:   # move_kind and fixed_cost of a move to another role, inlined (all-pairs: 44,000)
        if r != role:
            if (u, v) in bridges:
                out.append((v, BRIDGE, sum(fixed_cost(m, u, v, BRIDGE)), band, True, scs and level, scs))
            else:   # a change of role; into an SCS role from a level with no bridge: strength 0, the change again
                out.append((v, CHANGE, change + (change if scs and level else 0), band, True, scs and level, scs))
    cache[u] = out
    return out


def table_roles(m: CareerModel) -> tuple[list[int], list[bool]]:
    """By move-table number: each position's role (numbered as :func:`role_moves` numbers them) and whether it
    is an SCS role, from the node columns (so a search makes no node's dict for the positions it reaches)."""
    key = ("table-roles",)
    if key not in m._succ:
        role, kind = position_values(m.B, "role"), position_values(m.B, "kind")
        rid = {x: i for i, x in enumerate(sorted(set(role.values())))}   # as role_moves numbers them
        pos = move_table(m.g).positions
        m._succ[key] = ([rid[role[p]] for p in pos], [kind[p] == "scs" for p in pos])
    return m._succ[key]


def needs(m: CareerModel) -> dict[str, tuple[int, ...]]:
    """Bitset profiles by position: the model's, or (from SPARSE_MIN_POSITIONS on) built per position on first use
    from the move table's tokens (token ``4 * skill + level - 1``), so a search reads only what it reaches."""
    if len(m.positions) < SPARSE_MIN_POSITIONS:
        return m.need
    key = ("held-need",)
    if key not in m._succ:
        t = move_table(m.g)
        number, token, token_start = t.number, t.token, t.token_start

        class Lazy(dict):
            def __missing__(self, p: str) -> tuple[int, ...]:
                i = number(p)
                bits = [0, 0, 0, 0]
                for tok in token[token_start[i]:token_start[i + 1]]:   # the tokens of p, read where they are
                    bits[tok & 3] |= 1 << (tok >> 2)
                value = self[p] = tuple(bits)
                return value

        m._succ[key] = Lazy()
    return m._succ[key]


def search_needs(m: CareerModel, cap: int) -> dict[str, tuple[frozenset[int], ...]]:
    """What :func:`search_held` reads of each position, as sets of tokens ``4 * skill + level - 1`` (the move
    table's), built per position on first use: ``(need, skills, within, twice)``.

    *need* holds a token for each skill and each level up to the required one; *skills* the first-level
    tokens (the skills needed at all); *within* the tokens a person must hold so that no skill rises more than
    *cap* levels (token ``x - cap`` for every needed ``x`` of level above *cap*); *twice* the same for twice
    *cap*. With *held* a set of tokens, ``len(need - held)`` is :func:`~rolegraph.careers.model.develop_cost`,
    ``not within <= held`` is :func:`over_cap`, and ``not skills.isdisjoint(held)`` says a skill is shared:
    a few dozen small integers per position, where bitset profiles are 14,000 bits wide at ESCO scale.

    >>> from rolegraph.graph import RoleGraph
    >>> from .model import career_model
    >>> m = career_model(RoleGraph.load())
    >>> need, skills, within, twice = search_needs(m, 2)["https://w3id.org/rolegraph/ddat/level/data-engineer"]
    >>> len(need) == sum(n.bit_count() for n in needs(m)["https://w3id.org/rolegraph/ddat/level/data-engineer"])
    True
    >>> all(x & 3 == 0 for x in skills) and all(x + 2 in need for x in within) and not twice
    True
    """
    key = ("held-tokens", cap)
    if key not in m._succ:
        c2 = 2 * cap
        if len(m.positions) >= SPARSE_MIN_POSITIONS:
            t = move_table(m.g)
            number, token, token_start = t.number, t.token, t.token_start

            def tokens(p: str):
                i = number(p)
                return token[token_start[i]:token_start[i + 1]]
        else:
            sid = {s: i for i, s in enumerate(m.skill_ids)}
            adj = m.B.adj

            def tokens(p: str):
                return [4 * sid[s] + t - 1 for s, d in adj[p].items() for t in LEVELS if d["weight"] >= t]

        def make(p: str) -> tuple[frozenset[int], ...]:
            toks = tokens(p)
            skills, within, twice = [], [], []
            for x in toks:   # one pass (a search reads thousands of positions)
                level = x & 3
                if not level:
                    skills.append(x)
                elif level >= cap:
                    within.append(x - cap)
                    if level >= c2:
                        twice.append(x - c2)
            return frozenset(toks), frozenset(skills), frozenset(within), frozenset(twice)

        class Lazy(dict):
            def __missing__(self, p: str) -> tuple[frozenset[int], ...]:
                value = self[p] = make(p)
                return value

        m._succ[key] = Lazy()
    return m._succ[key]


def bits_to_tokens(bits: tuple[int, ...]) -> frozenset[int]:
    """A bitset profile (one int per level, bit i = skill i) as tokens ``4 * i + level - 1``.

    >>> sorted(bits_to_tokens((0b101, 0b100, 0, 0)))
    [0, 8, 9]
    """
    out = []
    for t, word in enumerate(bits):
        digits = bin(word)[:1:-1]   # bit i is digit i, lowest first
        i = digits.find("1")
        while i >= 0:
            out.append(4 * i + t)
            i = digits.find("1", i + 1)
    return frozenset(out)


def over_cap(held: tuple[int, ...], need: tuple[int, ...], cap: int) -> bool:
    """Whether a person holding *held* would raise some skill of *need* by more than *cap* levels.

    A skill needed at rank r and held at h jumps r - h > cap exactly when, for t = r,
    it is needed at t but not held at t - cap.

    >>> over_cap((0, 0, 0, 0), (1, 1, 1, 0), 2)      # new -> practitioner: 3 levels
    True
    >>> over_cap((1, 0, 0, 0), (1, 1, 1, 0), 2)      # awareness -> practitioner: 2 levels
    False
    """
    return any(need[t] & ~held[t - cap] for t in range(cap, len(need)))


def wait_profile(need: tuple[int, ...], cap: int) -> tuple[int, ...]:
    """The skills a develop-in-post step raises towards *need*: each to its needed level less *cap*.

    A skill needed at rank r is held at r - cap after the step (bit t set when r >= t + 1 + cap), so the
    transfer that follows raises it by at most *cap*; a skill needed at or below *cap* is left to the transfer.

    >>> wait_profile((0b11, 0b11, 0b01, 0b01), 2)   # skill 0 needed at expert, skill 1 at working
    (1, 1, 0, 0)
    """
    return tuple(need[t + cap] if t + cap < len(need) else 0 for t in range(len(need)))


def grade_options(g: int, band, rules: "Rules") -> list[int]:
    """The grades a person holding *g* may take a post of *band* at: the same, one up (or up to the rule), down.

    >>> from .results import Rules
    >>> grade_options(4, (4, 5), Rules()), grade_options(4, (5, 6), Rules()), grade_options(4, (6, 7), Rules())
    ([4, 5], [5], [])
    """
    if g == NO_GRADE or band is None:
        return [g]
    lo, hi = band
    out = [g] if lo <= g <= hi else []
    up = max(lo, g + 1)
    if up <= hi and up - g <= rules.max_grade_step:
        out.append(up)
    if rules.allow_down and hi < g:
        out.append(hi)
    return out


def transitions(m: CareerModel, u: str, g: int, held: tuple[int, ...], rules: "Rules"):
    """``(v, h, kind, fixed cost)`` for every step allowed from state (u, g) for someone holding *held*."""
    band_u = m.bands[u]
    if g != NO_GRADE and band_u is not None and g < band_u[1] and rules.max_grade_step >= 1:
        yield u, g + 1, IN_POST_KIND, PROMOTION_COST
    need = needs(m)
    entry = scs_entry(m) if rules.scs_bridge_only else None
    cap = rules.max_skill_step
    for v, kind, fixed, band_v, other, scs_in, scs in raw_moves(m, u, rules.allow_down):
        if scs_in and rules.scs_bridge_only and (kind != BRIDGE or entry is None or g != entry - 1):
            continue
        nv = need[v]
        if cap < 4 and not scs and other and over_cap(held, nv, cap):
            continue
        for h in grade_options(g, band_v, rules):
            if h > g and other:
                if kind != BRIDGE and not rules.allow_reskill_promotion and not held[0] & nv[0]:
                    continue
                yield v, h, kind, fixed + (h - g) * PROMOTION_COST + m.change_cost
            elif h > g:
                yield v, h, kind, fixed + (h - g) * PROMOTION_COST
            else:
                yield v, h, kind, fixed


def role_moves(m: CareerModel) -> dict:
    """The moves of the move table between roles, reversed: for each role (numbered in IRI order) the roles with a
    move into it and the least fixed cost (role change plus bridge) of such a move. Built once per graph and kept
    with a store folder (``rolegraph load`` prepares it), so :func:`lower_bound` reads 3,000 roles, not 500,000 moves.
    """
    key = ("role-moves",)
    if key not in m._succ:
        def build() -> dict:
            t = move_table(m.g)
            nodes = m.B.nodes
            roles = sorted({nodes[p]["role"] for p in t.positions})
            rid = {r: i for i, r in enumerate(roles)}
            of = [rid[nodes[p]["role"]] for p in t.positions]
            into: list[dict[int, int]] = [{} for _ in roles]
            start, to, fixed = t.start, t.to, t.fixed
            for i, a in enumerate(of):
                for j in range(start[i], start[i + 1]):
                    b = of[to[j]]
                    if a != b:
                        w, d = fixed[j], into[b]
                        if a not in d or w < d[a]:
                            d[a] = w
            begin, frm, weight = array("l", [0]), array("i"), array("i")
            for d in into:
                for a in sorted(d):
                    frm.append(a)
                    weight.append(d[a])
                begin.append(len(frm))
            least = min(weight, default=0)
            mixed = [b for b, d in enumerate(into) if any(w != least for w in d.values())]
            return {"roles": roles, "start": begin, "from": narrow(frm), "weight": narrow(weight), "least": least,
                    "mixed": mixed}

        got = _cached(m.g, "role-moves-3", build)
        m._succ[key] = got if _role_moves_fit(got) else build()   # a damaged cache file: built again (not kept)
    return m._succ[key]


def _role_moves_fit(r: object) -> bool:
    """Whether *r* has the shape :func:`role_moves` builds (a cache file read back is checked, not trusted)."""
    if type(r) is not dict or not {"roles", "start", "from", "weight", "least", "mixed"} <= r.keys():
        return False
    roles, start, frm, weight = r["roles"], r["start"], r["from"], r["weight"]
    return (type(roles) is list and all(type(a) is array for a in (start, frm, weight)) and type(r["least"]) is int
            and len(start) == len(roles) + 1 and len(frm) == len(weight) == (start[-1] if start else -1)
            and type(r["mixed"]) is list and all(type(b) is int and 0 <= b < len(roles) for b in r["mixed"]))


def lower_bound(m: CareerModel, dest: str, allow_down: bool) -> "Callable[[str, int], int | None]":
    """A lower bound of the cost still to pay from a state (position, grade held) to reach *dest* (None: never).

    It is the grades still to gain to *dest*'s band (each costs :data:`PROMOTION_COST`), plus, on the move
    table (from :data:`SPARSE_MIN_POSITIONS` positions on, without moves down), the least role-change and bridge
    cost of any chain of moves from the state's role to *dest*'s (:func:`role_moves`). Neither depends on the
    skills held, every move pays at least its drop (so it is consistent), and it is 0 at *dest*: the A* of
    :func:`search_held` takes every state that can beat or tie a state on the plain search's answer before
    that state (ties between equal offers kept as the plain search keeps them), so the answer is the same.

    >>> from rolegraph.graph import RoleGraph
    >>> from .model import career_model
    >>> m = career_model(RoleGraph.load())
    >>> L = "https://w3id.org/rolegraph/ddat/level/"
    >>> b = lower_bound(m, L + "senior-data-engineer", False)
    >>> b(L + "data-engineer", 4), b(L + "data-engineer", 5), b(L + "senior-data-engineer", 5)
    (1, 0, 0)
    """
    band = m.bands[dest]
    lo = band[0] if band is not None else None
    role_cost: dict[str, int | None] | None = None
    if len(m.positions) >= SPARSE_MIN_POSITIONS and not allow_down:
        r = role_moves(m)
        begin, frm, weight, least = r["start"], r["from"], r["weight"], r["least"]
        mixed = m._succ.get(("role-mixed",)) or m._succ.setdefault(("role-mixed",), frozenset(r["mixed"]))
        t = move_table(m.g)
        number, of_role = t.number, table_roles(m)[0]
        target = of_role[number(dest)]
        last = m._succ.get(("role-bound",))   # the last destination role's, kept: alternatives search again
        if last is None or last[0] != target:
            last = m._succ[("role-bound",)] = (target, {}, set(), {0: {target}}, [0])
        settled: dict[int, int] = last[1]
        done: set[int] = last[2]
        buckets: dict[int, set[int]] = last[3]
        costs: list[int] = last[4]

        def role_to_dest(b: int) -> int | None:
            """The least cost from role number *b* to *dest*'s: Dijkstra over the reversed role graph with a
            bucket of roles per cost (Dial's: the costs are small integers, and the moves into a role nearly
            all cost the same, so a role's are added as one set), run only as far as the roles asked about."""
            while b not in done and costs:
                c = costs[0]
                fresh = buckets[c] - done
                buckets[c] = set()
                if not fresh:
                    heapq.heappop(costs)
                    del buckets[c]
                    continue
                done.update(fresh)
                for a in fresh:
                    settled[a] = c
                    lo_, hi_ = begin[a], begin[a + 1]
                    if a in mixed:
                        for j in range(lo_, hi_):
                            _into(c + weight[j]).add(frm[j])
                    elif lo_ < hi_:
                        _into(c + least).update(frm[lo_:hi_])
            return settled.get(b)

        def _into(c: int) -> set[int]:
            got = buckets.get(c)
            if got is None:
                got = buckets[c] = set()
                heapq.heappush(costs, c)
            return got

        role_cost = {}

    def bound(p: str, g: int) -> int | None:
        extra: int | None = 0
        if role_cost is not None:
            extra = role_cost.get(p, -1)
            if extra == -1:
                extra = role_cost[p] = role_to_dest(of_role[number(p)])
            if extra is None:
                return None
        if lo is not None and g != NO_GRADE and g < lo:
            return extra + (lo - g) * PROMOTION_COST   # type: ignore[operator]
        return extra

    return bound


def search_held(m: CareerModel, origin: str, grade: int, rules: "Rules", dest: str | None = None,
                banned: frozenset = frozenset(), start: tuple[int, ...] | None = None
                ) -> tuple[dict[str, tuple], dict[tuple, tuple], dict[tuple, int]]:
    """Dijkstra over (position, grade held) states from (*origin*, *grade*), skills staying with the person.

    The moves are :func:`transitions` (inlined here: all-pairs statistics run this 210 times).
    Returns the first (cheapest) state settled at each position, predecessors of states, and their costs.
    Ties go to fewer moves, then to the smaller position and grade. *banned*: (from, to) position moves
    not to take (an in-post promotion is (p, p)). *start*: the skills the person holds (a bitset profile, as
    :func:`needs`; default *origin*'s requirements), e.g. a self-rated profile (:mod:`rolegraph.careers.person`).

    With a *dest*, states are taken in order of cost plus :func:`lower_bound` (A*) and the search stops at
    *dest*: the answer for *dest* is the one the plain search gives, which settles every state cheaper than
    it (see :func:`lower_bound`); the other positions are only those it settled on the way.
    """
    cap, step, down, reskill = rules.max_skill_step, rules.max_grade_step, rules.allow_down, \
        rules.allow_reskill_promotion
    need, bands_ = search_needs(m, cap), m.bands
    entry = scs_entry(m) if rules.scs_bridge_only else None
    change, in_post = m.change_cost, rules.develop_in_post
    bound = lower_bound(m, dest, down) if dest is not None else None
    s0 = (origin, grade)
    best: dict[tuple, tuple[int, int]] = {s0: (0, 0)}
    prof = {s0: need[origin][0] if start is None else bits_to_tokens(start)}
    prev: dict[tuple, tuple] = {}
    first: dict[str, tuple] = {}
    heap = [(0, 0, origin, grade, 0)]
    done: set = set()

    def earlier(t: tuple, s: tuple) -> bool:
        """Whether *s* would settle before the predecessor *t* already has in the plain search (a tie)."""
        p = prev[t]
        return (best[s], s) < (best[p[:2]], p[:2])

    while heap:
        _f, k, u, g, c = heapq.heappop(heap)
        s = (u, g)
        if s in done:
            continue
        done.add(s)
        if u not in first:
            first[u] = s
            if u == dest:
                break
        held = prof[s]
        k1 = k + 1
        known = g != NO_GRADE
        band_u = bands_[u]
        if known and band_u is not None and g < band_u[1] and step >= 1 and not (banned and (u, u) in banned):
            t = (u, g + 1)
            nc = c + PROMOTION_COST
            old = best.get(t)
            if t not in done and (old is None or (nc, k1) < old or bound and (nc, k1) == old and earlier(t, s)):
                f = nc if bound is None else bound(u, g + 1)
                if f is not None:
                    best[t], prev[t], prof[t] = (nc, k1), s, held
                    heapq.heappush(heap, (f if bound is None else nc + f, k1, u, g + 1, nc))
        for v, kind, fixed, band_v, other, scs_in, scs in raw_moves(m, u, down):
            if scs_in and entry is not None and (kind != BRIDGE or g != entry - 1):
                continue
            if banned and (u, v) in banned:
                continue
            if not known or band_v is None:
                stay, up, low = True, None, None
            else:   # the grades v's band admits, before reading any skill (most offers end here)
                lo, hi = band_v
                stay = lo <= g <= hi
                up = lo if lo > g + 1 else g + 1
                if up > hi or up - g > step:
                    up = None
                low = hi if down and hi < g else None
                if not stay and up is None and low is None:
                    continue
            nv, skills, within, twice = need[v]
            wait = False   # a develop-in-post step first (the cap blocks the move; a transfer at grade only)
            if not scs and cap < 4 and other and not within <= held:
                if not in_post or not twice <= held or not stay:   # more than twice the cap; not at grade
                    continue
                wait = True
                options: tuple | list = (g,)
            else:
                options = [g] if stay else []
                if up is not None and (kind == BRIDGE or not other or reskill or not skills.isdisjoint(held)):
                    options.append(up)
                if low is not None:
                    options.append(low)
            dev = -1
            kv = k1 + 1 if wait else k1   # a develop-in-post step and the transfer: two steps
            for h in options:
                t = (v, h)
                if t in done:
                    continue
                base = c + fixed + (IN_POST_COST if wait else 0)
                if h > g:
                    base += (h - g) * PROMOTION_COST + (change if other else 0)
                old = best.get(t)
                if old is not None and (base, kv) >= old and not (bound and (base, kv) == old):
                    continue
                if dev < 0:
                    dev = len(nv - held)
                nc = base + dev
                if old is None or (nc, kv) < old or bound and (nc, kv) == old and earlier(t, s):
                    f = nc if bound is None else bound(v, h)
                    if f is None:
                        continue
                    best[t], prof[t] = (nc, kv), (held | nv if dev else held)
                    prev[t] = (u, g, DEVELOP_IN_POST) if wait else s
                    heapq.heappush(heap, (f if bound is None else nc + f, kv, v, h, nc))
    return first, prev, {s: best[s][0] for s in done}


def chain(prev: dict[tuple, tuple], start: tuple, end: tuple) -> list[tuple]:
    """The states from *start* to *end* along *prev*; a develop-in-post step is its state twice in a row.

    >>> chain({("b", 4): ("a", 4, DEVELOP_IN_POST)}, ("a", 4), ("b", 4))
    [('a', 4), ('a', 4), ('b', 4)]
    """
    out = [end]
    while out[-1] != start:
        p = prev[out[-1]]
        if len(p) == 3:
            out.append(p[:2])
        out.append(p[:2])
    return out[::-1]
