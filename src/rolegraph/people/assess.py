"""Assessing one profile: the role levels that fit best, the gaps, readiness for the next level, a plan.

**Fit rule** (:data:`FIT_RULE`). A role level requires each of its skills at a level (rank 1-4; a Senior
Civil Service role's unlevelled requirements count as expert, 4, as in :mod:`rolegraph.careers`). A skill
held at *h* towards a requirement *r* counts ``min(h, r)``; **fit = sum of min(h, r) / sum of r**, 0 to 1:
1.0 means every requirement is met. Levels with the same fit are ranked by how much of the person's own
profile they use (sum of min(h, r) / sum of h: a level that needs what you hold beats one that needs less),
then the person's own role level first, then by name.

For each level: skills **met** (held at or above the level required), **below** (held, with the level steps
still to go) and **missing** (not held). **Readiness** is the fit with the next level of the person's own
role. The **development plan** raises one skill at a time to the next level a target needs (the targets are
the next level of the person's own role and the best-fitting levels not yet met that are no step down: not
below the person's grade, nor a lower level of their own role), choosing each time the step
that completes the most targets, then closes the most skill gaps across the targets, then costs the fewest
level steps ("what unlocks most").

>>> from rolegraph.graph import RoleGraph
>>> from rolegraph.people import profile_from_levels
>>> g = RoleGraph.load()
>>> a = assess(g, profile_from_levels(g, {"data-modelling": 3}))
>>> 0 < a.fits[0].fit <= 1
True
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..careers.grades import grade_change_between
from ..careers.graphs import SCS_ASSUMED_RANK
from ..careers.model import career_model
from ..careers.results import _Result
from .profiles import SCALE, Profile, names

if TYPE_CHECKING:  # pragma: no cover
    from ..careers.model import CareerModel
    from ..graph import RoleGraph

FIT_RULE = ("fit = sum over the level's required skills of min(held, required) / sum of required "
            "(levels 1-4; an SCS role's unlevelled requirements count as expert); ties go to the level "
            "that uses more of your profile, then your own role level")
#: how many best-fitting levels an assessment lists by default
TOP = 10
#: how many of the best-fitting levels not yet met the development plan aims at (besides the next level)
PLAN_TARGETS = 5
#: the most steps a plan lists
PLAN_STEPS = 15
#: readiness from this fit on counts as "ready" (every requirement met)
READY_FIT = 1.0


@dataclass
class SkillStatus(_Result):
    """One requirement of a level against the profile: held and required level names, level steps to go."""

    skill: str
    required: str | None
    held: str
    to_go: int = 0


@dataclass
class LevelFit(_Result):
    """How a profile fits one role level (or SCS role): fit 0-1, and its skills met, below and missing."""

    level: str
    iri: str
    role: str
    grades: str
    grade_change: int | None
    fit: float
    use: float
    steps_to_go: int
    met: list[SkillStatus] = field(default_factory=list)
    below: list[SkillStatus] = field(default_factory=list)
    missing: list[SkillStatus] = field(default_factory=list)


@dataclass
class Readiness(_Result):
    """Readiness for the next level of the person's own role (``next`` None at the top of a ladder)."""

    current: str
    next: str | None
    fit: float | None
    ready: bool
    gaps: list[SkillStatus] = field(default_factory=list)
    note: str | None = None


@dataclass
class PlanStep(_Result):
    """One step of the development plan: raise *skill* from one level to another; what it closes and completes."""

    skill: str
    from_level: str
    to_level: str
    steps: int
    closes: list[str] = field(default_factory=list)
    completes: list[str] = field(default_factory=list)


@dataclass
class Assessment(_Result):
    """The result of :func:`assess`."""

    rule: str
    grade: str | None
    role_level: str | None
    rated: int
    held: int
    fits: list[LevelFit]
    readiness: Readiness | None
    plan: list[PlanStep]
    targets: list[str]
    meanings: dict[str, str]
    ratings: list[dict]
    notes: list[str] = field(default_factory=list)


def _need(m: "CareerModel", p: str) -> dict[str, int]:
    return {s: int(d["weight"] or SCS_ASSUMED_RANK) for s, d in m.B.adj[p].items()}


def level_fit(m: "CareerModel", p: str, held: dict[str, int], held_total: int, grade_rank: int | None,
              detail: bool = True) -> LevelFit:
    """The :class:`LevelFit` of position *p* for skills *held* (IRI -> level)."""
    nodes, labels = m.B.nodes, m.B.nodes
    need = _need(m, p)
    total = sum(need.values())
    got = 0
    met: list[SkillStatus] = []
    below: list[SkillStatus] = []
    missing: list[SkillStatus] = []
    to_go = 0
    for s, r in need.items():
        h = held.get(s, 0)
        got += min(h, r)
        if h < r:
            to_go += r - h
        if detail:
            req_level = m.B.adj[p][s]["level"]
            status = SkillStatus(labels[s]["label"] if s in labels else s, req_level, SCALE[h], max(0, r - h))
            (met if h >= r else below if h else missing).append(status)
    for group in (met, below, missing):
        group.sort(key=lambda x: (-x.to_go, x.skill.casefold()))
    band = m.bands.get(p)
    change = grade_change_between((grade_rank, grade_rank), band) if grade_rank is not None else None
    return LevelFit(nodes[p]["label"], p, nodes[p]["role_label"], m.grades(p), change,
                    round(got / total, 4) if total else 0.0, round(got / held_total, 4) if held_total else 0.0,
                    to_go, met, below, missing)


def requirement_index(g: "RoleGraph") -> tuple[list[str], list[int], dict[str, tuple[list[int], list[int]]]]:
    """(positions, each one's total requirement weight, skill -> (position numbers, weights)): the framework's
    requirements inverted, built once per graph (kept with a store folder; framework data only, no profile),
    so scoring a profile touches only the positions that need a skill it holds."""
    def build():
        m = career_model(g)
        totals, inverted = [], {}
        for i, p in enumerate(m.positions):
            total = 0
            for s, d in m.B.adj[p].items():
                r = int(d["weight"] or SCS_ASSUMED_RANK)
                total += r
                entry = inverted.setdefault(s, ([], []))
                entry[0].append(i)
                entry[1].append(r)
            totals.append(total)
        return list(m.positions), totals, inverted

    return g.cached("people:requirement-index", build)


def _scores(g: "RoleGraph", held: dict[str, int]) -> dict[str, tuple[float, float, int]]:
    """Position -> (fit, use, steps to go) for every position that needs a skill held (the others fit 0)."""
    positions, totals, inverted = requirement_index(g)
    held_total = sum(held.values())
    got: dict[int, int] = {}
    for s, h in held.items():
        entry = inverted.get(s)
        if entry is None:
            continue
        for i, r in zip(*entry):
            got[i] = got.get(i, 0) + (h if h < r else r)
    return {positions[i]: (n / totals[i] if totals[i] else 0.0, n / held_total if held_total else 0.0,
                           totals[i] - n) for i, n in got.items()}


def assess(g: "RoleGraph", profile: Profile, top: int = TOP) -> Assessment:
    """Assess *profile* against every role level of *g* (see the module docstring for the rules)."""
    m = career_model(g)
    held = profile.held()
    held_total = sum(held.values())
    scores = _scores(g, held)
    own = profile.role_level if profile.role_level in m.index else None
    order = sorted(scores, key=lambda p: (-round(scores[p][0], 9), -round(scores[p][1], 9), p != own,
                                          m.label(p).casefold()))
    if len(order) < max(top, PLAN_TARGETS + 1):   # a profile that holds few skills: the rest fit 0, by name
        order += sorted((p for p in m.positions if p not in scores), key=lambda p: (p != own, m.label(p).casefold()))
        positions, totals, _ = requirement_index(g)
        scores.update({p: (0.0, 0.0, t) for p, t in zip(positions, totals) if p not in scores})
    fits = [level_fit(m, p, held, held_total, profile.grade_rank) for p in order[:top]]
    readiness = _readiness(m, profile, held, held_total)
    targets = ([m.next_level[own]] if own and own in m.next_level else [])
    ahead = [p for p in order if scores[p][0] < 1 and p not in targets and _not_down(m, profile, p)]
    targets += ahead[:PLAN_TARGETS]
    plan = development_plan(m, held, targets)
    meanings = {SCALE[0]: "You do not hold this skill yet."} | {
        SCALE[k]: v for k, v in sorted(names(g).meanings.items()) if 0 < k < len(SCALE)}
    return Assessment(FIT_RULE, profile.grade_label, profile.role_level_label, len(profile.ratings), len(held),
                      fits, readiness, plan, [m.label(t) for t in targets], meanings,
                      [r.to_dict() for r in profile.ratings.values()], list(profile.notes))


def _not_down(m: "CareerModel", profile: Profile, p: str) -> bool:
    """Whether *p* is no step down for the person: not below their grade, nor below their level in their role."""
    if profile.grade_rank is not None:
        change = grade_change_between((profile.grade_rank, profile.grade_rank), m.bands.get(p))
        if change is not None and change < 0:
            return False
    own = profile.role_level
    if own in m.index and m.B.nodes[p]["role"] == m.B.nodes[own]["role"]:
        return (m.B.nodes[p]["order"] or 0) > (m.B.nodes[own]["order"] or 0)
    return True


def _readiness(m: "CareerModel", profile: Profile, held: dict[str, int], held_total: int) -> Readiness | None:
    own = profile.role_level
    if not own:
        return None
    if own not in m.index:
        return Readiness(profile.role_level_label or own, None, None, False, [],
                         "your role level is not a position of this framework")
    nxt = m.next_level.get(own)
    if nxt is None:
        return Readiness(m.label(own), None, None, False, [], "the top of your role's ladder: there is no next level")
    f = level_fit(m, nxt, held, held_total, profile.grade_rank)
    return Readiness(m.label(own), m.label(nxt), f.fit, f.fit >= READY_FIT, f.below + f.missing)


def development_plan(m: "CareerModel", held: dict[str, int], targets: list[str],
                     limit: int = PLAN_STEPS) -> list[PlanStep]:
    """Greedy steps that close the gaps of *targets* (positions), the one that unlocks most first."""
    have = dict(held)
    needs = {t: _need(m, t) for t in targets}
    open_targets = {t for t, need in needs.items() if any(have.get(s, 0) < r for s, r in need.items())}
    plan: list[PlanStep] = []
    while open_targets and len(plan) < limit:
        options: dict[tuple[str, int], tuple[list[str], list[str]]] = {}
        for t in open_targets:
            for s, r in needs[t].items():
                h = have.get(s, 0)
                if h < r:
                    # the next level any target needs above what is held
                    nxt = min(rr for tt in open_targets for ss, rr in needs[tt].items() if ss == s and rr > h)
                    options.setdefault((s, nxt), ([], []))
        if not options:
            break
        for (s, lvl), (closes, completes) in options.items():
            for t in open_targets:
                r = needs[t].get(s, 0)
                if have.get(s, 0) < r <= lvl:
                    closes.append(t)
                    if all(have.get(s2, 0) >= r2 for s2, r2 in needs[t].items() if s2 != s):
                        completes.append(t)
        (s, lvl), (closes, completes) = min(
            options.items(), key=lambda kv: (-len(kv[1][1]), -len(kv[1][0]), kv[0][1] - have.get(kv[0][0], 0),
                                             m.B.nodes[kv[0][0]]["label"].casefold()))
        h = have.get(s, 0)
        plan.append(PlanStep(m.B.nodes[s]["label"], SCALE[h], SCALE[lvl], lvl - h,
                             sorted(m.label(t) for t in closes), sorted(m.label(t) for t in completes)))
        have[s] = lvl
        open_targets -= set(completes)
    return plan
