"""Time in years: an expected range for each step of a path and for the whole path.

These are **the project's assumptions**, not published figures (the framework
states no durations, and no source is cited for them). They are stated here, in
every answer (``years_basis``) and in the README Method section, so an adviser
can check them and disagree:

* **time in grade before a promotion**: :data:`YEARS_PER_GRADE` years for each
  grade gained on a step (a one-grade promotion or an in-post promotion);
* **time to develop a skill**: :data:`YEARS_PER_LEVEL` years per level a skill
  is raised; the skills of one step develop side by side, so a step takes as
  long as its largest raise (SCS requirements, which carry no level, count as
  expert, as in the costs);
* **a move with nothing to develop and no grade gained** (a transfer at grade
  into a post whose skills you hold): up to :data:`MOVE_YEARS` years to apply
  and settle in.

A step takes the longer of its promotion and its skill development (they run
together); a path is the sum of its steps.

>>> step_years(grades=1, largest_raise=2)
(2.0, 4.0)
>>> step_years(grades=0, largest_raise=0)
(0.0, 0.5)
"""
from __future__ import annotations

#: years in a grade before a promotion, (low, high) -- the project's assumption
YEARS_PER_GRADE = (2.0, 4.0)
#: years to raise one skill by one level, (low, high) -- the project's assumption
YEARS_PER_LEVEL = (0.5, 1.0)
#: years for a move with nothing to develop and no grade gained, (low, high) -- the project's assumption
MOVE_YEARS = (0.0, 0.5)

BASIS = {
    "source": "the project's assumptions, not published figures (the framework states no durations; no source "
              "is cited); see the README Method section",
    "per_grade_gained": {"years": list(YEARS_PER_GRADE), "what": "time in grade before a promotion"},
    "per_skill_level": {"years": list(YEARS_PER_LEVEL),
                        "what": "time to raise one skill by one level; a step's skills develop side by side, so a "
                                "step takes as long as its largest raise (SCS requirements count as expert)"},
    "move_only": {"years": list(MOVE_YEARS),
                  "what": "a move with nothing to develop and no grade gained: applying and settling in"},
    "step": "the longer of the promotion time and the skill time (they run together)",
    "path": "the sum of its steps",
}


def step_years(grades: int, largest_raise: int) -> tuple[float, float]:
    """(low, high) years of a step gaining *grades* grades whose largest skill raise is *largest_raise* levels."""
    grades = max(grades, 0)
    low = max(grades * YEARS_PER_GRADE[0], largest_raise * YEARS_PER_LEVEL[0], MOVE_YEARS[0])
    high = max(grades * YEARS_PER_GRADE[1], largest_raise * YEARS_PER_LEVEL[1], MOVE_YEARS[1])
    return round(low, 1), round(high, 1)


def path_years(steps: list[tuple[float, float]]) -> tuple[float, float]:
    """(low, high) years of a path: the sum of its steps.

    >>> path_years([(2.0, 4.0), (0.5, 1.0)])
    (2.5, 5.0)
    """
    return round(sum(s[0] for s in steps), 1), round(sum(s[1] for s in steps), 1)
