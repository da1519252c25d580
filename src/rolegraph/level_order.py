"""The order of a role's levels, which the CSV downloads do not give (their rows are sorted by level name).

Rule: "Head of ..." and "Chief ..." levels come last; the others go by the
mean skill level they require (awareness 1 ... expert 4); ties are broken by
the title word (apprentice < trainee < junior < associate < none < senior <
lead < principal), then by row order. On the 2025-10 files this gives the
bundled order for every one of the 46 roles whose levels kept their names.

>>> from rolegraph.csv_release import Level, Role
>>> role = Role("Widget engineer", "Widgets", "")
>>> role.levels = {"Senior widget engineer": Level("Senior widget engineer", "", 2, {"x": "practitioner"}),
...                "Widget engineer": Level("Widget engineer", "", 3, {"x": "working"})}
>>> order_levels(role)
>>> [(lv.name, lv.order) for lv in role.levels.values()]
[('Senior widget engineer', 2), ('Widget engineer', 1)]
"""
from __future__ import annotations

from .csv_release import SKILL_LEVELS, Role

_TITLE_RANK = (("apprentice", 1), ("trainee", 2), ("junior", 3), ("associate", 4), ("senior", 6),
               ("lead", 7), ("principal", 8))


def order_levels(role: Role) -> None:
    """Set ``rg:order`` 1..n on the role's levels (see the module docstring for the rule)."""
    rank = {lv: i for i, lv in enumerate(SKILL_LEVELS, 1)}

    def key(item):
        index, level = item
        low = level.name.casefold()
        head = low.startswith(("head of", "head ", "chief "))
        mean = sum(rank[v] for v in level.requirements.values()) / max(len(level.requirements), 1)
        title = next((r for word, r in _TITLE_RANK if low.startswith(word + " ")), 5)
        return (head, mean, title, index)

    for order, (_, level) in enumerate(sorted(enumerate(role.levels.values()), key=key), 1):
        level.order = order
