"""Where a person starts: paths and related moves from a self-rated profile instead of a role level.

A profile (:class:`rolegraph.people.Profile`) gives the person's real skills, their grade and optionally
their current role level. The start of a search is then:

* **the grade held**: the profile's grade, or the grade given (``--grade``, which wins and is stated), and
  an :class:`~rolegraph.errors.InputError` asking for it when there is neither;
* **the position**: the profile's role level when it names one; otherwise "you" at the best-fitting role
  level whose band contains the grade held (fit as :data:`rolegraph.people.assess.FIT_RULE`), said in the
  answer;
* **the skills held**: the profile's ratings only (not the position's requirements), so what the person
  already meets is not "to develop", and the skill-step cap is measured from their real level.

A profile is personal data: it is read into these objects only, never into the graph, a cache
(``RoleGraph.cached``), a store folder or a log.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import InputError
from .held import start_grade

if TYPE_CHECKING:  # pragma: no cover
    from ..people.profiles import Profile
    from .model import CareerModel

#: what answers from a profile say about their start
FROM_PROFILE = "from your profile"


@dataclass
class Start:
    """A person's start: position IRI, grade rank held, how both were chosen, and the skills held.

    ``held``: skill IRI -> (rank, level name), as :func:`rolegraph.careers.paths.profile` gives for a
    position; ``bits``: the same as a bitset profile (one int per level, bit i = ``m.skill_ids[i]``).
    """

    origin: str
    grade: int
    grade_basis: str
    origin_basis: str
    held: dict[str, tuple[int, str | None]]
    bits: tuple[int, ...]

    def tokens(self) -> frozenset[int]:
        """The skills held as move-table tokens (``4 * skill + level - 1``)."""
        out = []
        for t, word in enumerate(self.bits):
            i = 0
            while word:
                if word & 1:
                    out.append(4 * i + t)
                word >>= 1
                i += 1
        return frozenset(out)


def person_start(m: "CareerModel", profile: "Profile", grade: str | None = None) -> Start:
    """The :class:`Start` of the person whose self-assessment is *profile* (see the module docstring).

    >>> from rolegraph.graph import RoleGraph
    >>> from rolegraph.people import profile_from_levels
    >>> from .model import career_model
    >>> g = RoleGraph.load()
    >>> s = person_start(career_model(g), profile_from_levels(g, {"data-modelling": 3}, grade="SEO"))
    >>> s.grade_basis, s.origin_basis.startswith("you: the best-fitting role level at SEO")
    ('from your profile', True)
    """
    from ..people.profiles import SCALE

    sid = {s: i for i, s in enumerate(m.skill_ids)}
    held: dict[str, tuple[int, str | None]] = {}
    bits = [0, 0, 0, 0]
    for s, r in profile.ratings.items():
        if r.level > 0 and s in sid:
            held[s] = (r.level, SCALE[r.level])
            for t in range(r.level):
                bits[t] |= 1 << sid[s]
    names = m.grade_names
    if grade is not None:
        by_name = {v.casefold(): k for k, v in names.items()}
        rank = by_name.get(str(grade).strip().casefold())
        if rank is None:
            raise InputError(f'unknown grade "{str(grade)[:40]}"',
                             "grades: " + ", ".join(names[k] for k in sorted(names)))
        basis = "given (--grade)" + (f"; your profile says {profile.grade_label}"
                                     if profile.grade_label and profile.grade_rank != rank else "")
    elif profile.grade_rank is not None and profile.grade_rank in names:
        rank, basis = profile.grade_rank, FROM_PROFILE
    else:
        raise InputError("your profile does not say the grade you hold",
                         'add a "# grade: SEO" line (CSV/TSV) or "grade" (JSON), or give --grade')
    if profile.role_level is not None:
        if profile.role_level not in m.index:
            raise InputError(f'your profile\'s role level "{profile.role_level_label or profile.role_level}" '
                             "is not a position of this framework")
        origin = profile.role_level
        start_grade(m, origin, names[rank])  # the grade must be one of its band: one clear error otherwise
        why = f"your role level from your profile: {m.label(origin)} at {names[rank]}"
    else:
        origin, fit = _best_fit(m, held, rank)
        why = (f"you: the best-fitting role level at {names[rank]} for your profile is {m.label(origin)} "
               f"(fit {fit:.2f}); name your role level in the profile to start from it instead")
    return Start(origin, rank, basis, why, held, tuple(bits))


def _best_fit(m: "CareerModel", held: dict[str, tuple[int, str | None]], rank: int) -> tuple[str, float]:
    """The best-fitting position whose band contains grade *rank*, and its fit (people.assess's rule)."""
    from ..people.assess import _scores

    scores = _scores(m.g, {s: h for s, (h, _) in held.items()})
    fitting = [p for p in scores if (b := m.bands.get(p)) is None or b[0] <= rank <= b[1]]
    if not fitting:
        raise InputError(f"no role level published at {m.grade_names.get(rank, rank)} requires a skill your "
                         "profile holds", 'name your role level in the profile ("# role level: NAME")')
    best = min(fitting, key=lambda p: (-round(scores[p][0], 9), -round(scores[p][1], 9), m.label(p).casefold()))
    return best, scores[best][0]
