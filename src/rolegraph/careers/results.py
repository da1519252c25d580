"""Result shapes: typed career results, each with ``to_dict()`` (what the CLI prints as JSON).

Field names ending in ``_`` (``from_``) appear without it in ``to_dict()``
(``"from"``); nested results and lists of them are converted too.

>>> SkillGap("Data modelling", "working", "practitioner", 1, False).to_dict()
{'skill': 'Data modelling', 'from_level': 'working', 'to_level': 'practitioner', 'steps': 1, 'new': False}
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


def _plain(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class _Result:
    def to_dict(self) -> dict:
        """This result as plain JSON-ready data (``from_`` -> ``"from"``)."""
        return {f.name.rstrip("_"): _plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]


@dataclass
class SharedSkill(_Result):
    """A skill two positions both require, with each side's level (None: unlevelled SCS requirement)."""

    skill: str
    a_level: str | None
    b_level: str | None


@dataclass
class Shared(_Result):
    """Skills positions *a* and *b* share (:func:`rolegraph.careers.shared`)."""

    a: str
    b: str
    shared: list[SharedSkill]
    resolved: list[str] = field(default_factory=list)


@dataclass
class SkillGap(_Result):
    """A skill to develop (or met): held level -> required level; *steps* = level steps, *new* = not held."""

    skill: str
    from_level: str | None
    to_level: str | None
    steps: int = 0
    new: bool = False


@dataclass
class Gap(_Result):
    """What one position must develop to meet another (:func:`rolegraph.careers.gap`); cost in level steps."""

    from_: str
    to: str
    develop: list[SkillGap]
    met: list[SkillGap]
    cost: int
    resolved: list[str] = field(default_factory=list)


@dataclass
class Bridge(_Result):
    """A stated career bridge into an SCS role: official (published by the framework) or inferred."""

    basis: str | None
    inferred: bool
    official: bool
    method: str | None
    score: float | None
    strength: float


@dataclass
class Cost(_Result):
    """A move's cost in level steps: skills to develop, plus changing role, plus a bridge's weakness, plus
    grades gained, plus a step of time in post (a develop-in-post step)."""

    develop: int
    role_change: int = 0
    bridge: int = 0
    promotion: int = 0
    unit: str = "level steps"
    in_post: int = 0

    @property
    def total(self) -> int:
        return self.develop + self.role_change + self.bridge + self.promotion + self.in_post


@dataclass
class Step(_Result):
    """One move of a path: grades, kind, what is new to develop on this step (skills stay with the person).

    ``shared``: the destination's skills the person already meets (from the start or earlier steps);
    ``gaps``: what is new to develop on this step; ``cost`` = ``cost_parts`` summed, in level steps.
    ``from_grade`` -> ``to_grade``: the grade held before and after the step; ``grade_change`` is their
    difference, so a path's changes add up; ``move``: transfer at grade, promotion or in-post promotion.
    """

    from_: str
    to: str
    from_grades: str
    to_grades: str
    grade_change: int | None
    kind: str
    shared: list[str]
    gaps: list[SkillGap]
    cost: int
    cost_parts: Cost
    full_reskill: bool = False
    note: str | None = None
    bridge: Bridge | None = None
    from_grade: str | None = None
    to_grade: str | None = None
    move: str | None = None
    years: list[float] | None = None


@dataclass
class Route(_Result):
    """A path: its steps, total cost (level steps), everything to develop along it, and why it ranks where it does."""

    total_cost: int
    steps: list[Step]
    develop: list[SkillGap]
    moves: int
    why: list[str] = field(default_factory=list)
    years: list[float] | None = None


@dataclass
class Rules(_Result):
    """The rules a move must keep (:mod:`rolegraph.careers.held`).

    At most *max_grade_step* grades up, never down unless *allow_down*; a skill raised by at most
    *max_skill_step* levels per move; no promotion into another role meeting none of its skills unless
    *allow_reskill_promotion*; SCS roles entered only along a bridge from G6 while *scs_bridge_only*; a transfer
    at grade the skill cap blocks reached by a develop-in-post step first while *develop_in_post*.
    """

    max_grade_step: int = 1
    allow_down: bool = False
    compare: str = "the grade the person holds against the destination's band"
    max_skill_step: int = 2
    allow_reskill_promotion: bool = False
    scs_bridge_only: bool = True
    develop_in_post: bool = True


@dataclass
class Path(_Result):
    """The recommended career path (:func:`rolegraph.careers.path`) and its alternatives."""

    from_: str
    to: str
    from_grades: str
    to_grades: str
    total_cost: int
    steps: list[Step]
    develop: list[SkillGap]
    alternatives: list[Route]
    direct_cost: int | None
    rules: Rules
    resolved: list[str] = field(default_factory=list)
    grade: str | None = None
    grade_basis: str | None = None
    to_grade: str | None = None
    years: list[float] | None = None
    years_basis: dict | None = None
    why_this_route: list[str] = field(default_factory=list)
    start: str | None = None


@dataclass
class Move(_Result):
    """A related move (:func:`rolegraph.careers.related`): rank, tier, score and the reasons for them.

    ``shared``: skills both positions require (at any level); ``gaps``: what to develop; ``gap_cost``: level steps.
    """

    to: str
    rank: int
    tier: int | None
    score: float
    viable: bool
    kind: str
    to_grades: str
    grade_change: int | None
    shared: list[str]
    gaps: list[SkillGap]
    gap_cost: int
    bridge: Bridge | None = None


@dataclass
class Aim(_Result):
    """A step on one's own ladder, or an SCS role to aim for along a bridge (:func:`rolegraph.careers.related`).

    ``via``: the position the move starts from (this one, or the top rung of its role for an SCS aim);
    ``needs_grade``: for an SCS aim the grade to hold at ``via`` (G6), for a ladder step the grade the post is
    taken at; ``open_now``: whether the person can make it now, at the grade held.
    """

    to: str
    kind: str
    to_grades: str
    via: str
    needs_grade: str | None
    open_now: bool
    bridge: Bridge | None = None


@dataclass
class Related(_Result):
    """Ranked, tiered moves from one position, with the viability threshold and a note when there are few."""

    from_: str
    from_grades: str
    moves: list[Move]
    threshold: dict
    rules: Rules
    note: str | None = None
    resolved: list[str] = field(default_factory=list)
    grade: str | None = None
    grade_basis: str | None = None
    ladder: list[Aim] = field(default_factory=list)
    scs_aims: list[Aim] = field(default_factory=list)
    start: str | None = None


@dataclass
class CoreSkill(_Result):
    """A skill's transferability (:func:`rolegraph.careers.core_skills`)."""

    skill: str
    score: float
    roles: int
    families: int
    measure: str
