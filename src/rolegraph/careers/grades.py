"""Grade bands: every position gets one, and every move's grade change is measured the same way.

**Band.** A position's band is ``(bottom, top)``, grade ranks (AO 2 ... G6 7,
SCS 1 8) of the lowest and highest grade it is published at. A position with no
published grade takes a band by the first rule that applies (:data:`BAND_RULES`):

1. ``management twin``: "X - management" takes the band of X, the level it sits
   beside (management is a parallel track at the same grade, not a rung).
2. ``ladder neighbours``: from the top of the nearest graded level below it in
   its role to the bottom of the nearest graded level above (either alone when
   only one exists) -- never higher than where the next level starts.
3. ``title``: the most common band of levels whose title starts with the same
   word ("Senior", "Lead", ...) in the same family, else in the framework.
4. ``SCS``: an SCS role takes the span of the published SCS roles' bands
   (SCS 1 when none is published).

**Grade change** of a move A -> B (:func:`grade_change`) compares *the grade
you hold when you move on* -- the top of A's band -- with B's band: the number
of grades B's band starts above it (a promotion), 0 when B's band contains it
(a sideways move: you keep your grade), or minus the number of grades B's band
ends below it (a demotion). So a trainee at EO (band AO-EO) moving to an HEO-SEO
post is one grade up, and no ungraded position is a way round the limit: every
position has a band.

>>> grade_change_between((4, 5), (5, 6))   # HEO-SEO -> SEO-G7: an SEO can take it
0
>>> grade_change_between((2, 3), (4, 5))   # AO-EO -> HEO-SEO: one grade up
1
>>> grade_change_between((6, 7), (5, 6))   # G7-G6 -> SEO-G7: one grade down
-1
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from .graphs import _cached, positions, skills_graph

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import RoleGraph

Band = tuple[int, int]

#: how a position with no published grade gets its band, in the order tried
BAND_RULES = ("published", "management twin", "ladder neighbours", "title", "SCS")
MANAGEMENT_SUFFIX = " - management"


def grade_change_between(a: Band | None, b: Band | None) -> int | None:
    """The grade change of a move from band *a* to band *b*: top of *a* against *b*'s band (None if unknown).

    >>> grade_change_between((7, 7), (8, 9))   # G6 -> SCS 1-2
    1
    """
    if a is None or b is None:
        return None
    held = a[1]
    if b[0] > held:
        return b[0] - held
    if b[1] < held:
        return b[1] - held
    return 0


def grade_rule_allows(change: int | None, max_grade_step: int = 1, allow_down: bool = False) -> bool:
    """The grade rule every move keeps (defaults: the default rules, :class:`rolegraph.careers.Rules`): at most
    *max_grade_step* grades up, never down unless *allow_down*; a move whose grade change is unknown (None) is
    allowed.

    >>> grade_rule_allows(1), grade_rule_allows(2), grade_rule_allows(-1), grade_rule_allows(None)
    (True, False, False, True)
    """
    if change is None:
        return True
    return change <= max_grade_step and (allow_down or change >= 0)


def twin_of(label: str) -> str | None:
    """The label of the level a management variant sits beside ("X - management" -> "X"), else None.

    >>> twin_of("Senior developer - management")
    'Senior developer'
    >>> twin_of("Senior developer") is None
    True
    """
    return label[: -len(MANAGEMENT_SUFFIX)] if label.endswith(MANAGEMENT_SUFFIX) else None


def bands(g: "RoleGraph") -> dict[str, tuple[Band | None, str]]:
    """Every position's ``(band, rule)``: its grade band and which of :data:`BAND_RULES` gave it.

    >>> from rolegraph.graph import RoleGraph
    >>> b = bands(RoleGraph.load())
    >>> L = "https://w3id.org/rolegraph/ddat/level/"
    >>> b[L + "senior-developer-management"] == (b[L + "senior-developer"][0], "management twin")
    True
    """
    return _cached(g, "bands", lambda: _build_bands(g))


def _build_bands(g: "RoleGraph") -> dict[str, tuple[Band | None, str]]:
    B = skills_graph(g)
    nodes = B.nodes
    out: dict[str, tuple[Band | None, str]] = {}
    for p in positions(B):
        ranks = nodes[p]["ranks"]
        if ranks:
            out[p] = ((min(ranks), max(ranks)), "published")
    by_label = {nodes[p]["label"]: p for p in positions(B) if nodes[p]["kind"] == "level"}
    for p in positions(B):  # 1. management twin
        twin = twin_of(nodes[p]["label"])
        if p not in out and twin in by_label and by_label[twin] in out:
            out[p] = (out[by_label[twin]][0], "management twin")
    by_role: dict[str, list[str]] = defaultdict(list)
    for p in positions(B):
        if nodes[p]["kind"] == "level":
            by_role[nodes[p]["role"]].append(p)
    for levels in by_role.values():  # 2. ladder neighbours
        levels.sort(key=lambda n: nodes[n]["order"])
        graded = [(i, band) for i, p in enumerate(levels)
                  if p in out and out[p][1] == "published" and (band := out[p][0]) is not None]
        for i, p in enumerate(levels):
            if p in out or not graded:
                continue
            below = [b for j, b in graded if j < i]
            above = [b for j, b in graded if j > i]
            lo = below[-1][1] if below else above[0][0]
            hi = above[0][0] if above else below[-1][1]
            out[p] = ((min(lo, hi), max(lo, hi)), "ladder neighbours")
    common: dict[tuple, Counter] = defaultdict(Counter)  # 3. title
    for p, (band, rule) in out.items():
        if rule == "published" and nodes[p]["kind"] == "level":
            word = _first_word(nodes[p]["label"])
            common[(nodes[p]["family"], word)][band] += 1
            common[(None, word)][band] += 1
    for p in positions(B):
        if p in out or nodes[p]["kind"] != "level":
            continue
        word = _first_word(nodes[p]["label"])
        for key in ((nodes[p]["family"], word), (None, word)):
            if common.get(key):
                band = max(common[key].items(), key=lambda kv: (kv[1], -kv[0][0], -kv[0][1]))[0]
                out[p] = (band, "title")
                break
        else:
            out[p] = (None, "unknown")
    scs = [band for p in positions(B)  # 4. SCS
           if nodes[p]["kind"] == "scs" and p in out and (band := out[p][0]) is not None]
    span = (min(b[0] for b in scs), max(b[1] for b in scs)) if scs else None
    for p in positions(B):
        if nodes[p]["kind"] == "scs" and p not in out:
            out[p] = (span or _scs_entry(B), "SCS")
    return out


def _scs_entry(B) -> Band | None:
    ranks = [d["grade"] for _, d in B.nodes(data=True) if d.get("kind") == "scs" and d.get("grade") is not None]
    return (min(ranks), min(ranks)) if ranks else None


def _first_word(label: str) -> str:
    m = re.match(r"\w+", label)
    return m.group(0).casefold() if m else ""


def band_label(band: Band | None, names: dict[int, str]) -> str:
    """``"HEO-SEO"``, ``"G7"`` or ``"unknown"`` for a band, with grade notations from *names*.

    >>> band_label((4, 5), {4: "HEO", 5: "SEO"})
    'HEO-SEO'
    """
    if band is None:
        return "unknown"
    lo, hi = names.get(band[0], str(band[0])), names.get(band[1], str(band[1]))
    return lo if band[0] == band[1] else f"{lo}-{hi}"
