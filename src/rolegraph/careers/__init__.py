"""Career analysis on the framework: grade bands, moves, paths, related moves, shared skills and gaps.

One job per module:

* :mod:`~rolegraph.careers.graphs` -- graph building (position/skill graph, skill co-occurrence)
* :mod:`~rolegraph.careers.engines` -- similarity engines (pure Python, scipy.sparse at scale)
* :mod:`~rolegraph.careers.grades` -- grade bands and the grade change of a move
* :mod:`~rolegraph.careers.model` -- which moves are allowed, their kind and cost; bridges
* :mod:`~rolegraph.careers.held` -- the person's grade: (position, grade held) states, the steps and rules
* :mod:`~rolegraph.careers.paths` -- the cheapest path, skills staying with the person
* :mod:`~rolegraph.careers.related` -- ranked, tiered related moves
* :mod:`~rolegraph.careers.skills` -- shared skills, gaps, core skills
* :mod:`~rolegraph.careers.names` -- which position a name means
* :mod:`~rolegraph.careers.results` -- typed results with ``to_dict()``

>>> from rolegraph.graph import RoleGraph
>>> g = RoleGraph.load()
>>> [s.skill for s in shared(g, "Chief information security officer", "Chief technology officer").shared]
['Capability building for digital, data and technology', 'Innovation in digital, data and technology']
"""
from __future__ import annotations

from .engines import (
    SPARSE_MIN_POSITIONS,
    TOP_K,
    VIABILITY_PERCENTILE,
    neighbours,
    similarities,
    similarity,
    viability_threshold,
)
from .grades import BAND_RULES, band_label, bands, grade_change_between, twin_of
from .graphs import SCS_ASSUMED_RANK, cooccurrence_graph, grade_names, ladder, positions, skills_graph
from .held import IN_POST, IN_POST_KIND, PROMOTED, PROMOTION_COST, TRANSFER, start_grade
from .model import (
    BRIDGE,
    CHANGE,
    PROMOTION,
    SIDEWAYS,
    CareerModel,
    allowed,
    career_model,
    develop_cost,
    gap_cost,
    move_graph,
    move_kind,
    role_change_cost,
    stated_bridges,
    successors,
)
from .names import RESOLUTION_RULE, resolve_position
from .paths import HeldRoute, direct_move, grade_routes_from, path, path_between, route, routes_from, search
from .related import TIERS, Ranked, related, related_moves, tier
from .results import (
    Bridge,
    CoreSkill,
    Cost,
    Gap,
    Move,
    Path,
    Related,
    Route,
    Rules,
    Shared,
    SharedSkill,
    SkillGap,
    Step,
)
from .skills import CORE_MEASURE, core_skills, gap, shared

__all__ = [
    "BAND_RULES", "band_label", "bands", "grade_change_between", "twin_of",
    "SCS_ASSUMED_RANK", "cooccurrence_graph", "grade_names", "ladder", "positions", "skills_graph",
    "BRIDGE", "CHANGE", "PROMOTION", "SIDEWAYS", "CareerModel", "allowed", "career_model", "develop_cost",
    "gap_cost", "move_graph", "move_kind", "role_change_cost", "stated_bridges", "successors",
    "RESOLUTION_RULE", "resolve_position",
    "IN_POST", "IN_POST_KIND", "PROMOTED", "PROMOTION_COST", "TRANSFER", "start_grade",
    "HeldRoute", "grade_routes_from", "direct_move", "path", "path_between", "route", "routes_from", "search",
    "TIERS", "Ranked", "related", "related_moves", "tier",
    "Bridge", "CoreSkill", "Cost", "Gap", "Move", "Path", "Related", "Route", "Rules", "Shared", "SharedSkill",
    "SkillGap", "Step",
    "SPARSE_MIN_POSITIONS", "TOP_K", "VIABILITY_PERCENTILE", "neighbours", "similarities", "similarity",
    "viability_threshold",
    "CORE_MEASURE", "core_skills", "gap", "shared",
]
