"""People and teams: a person's self-assessment against the framework, and a team's capability map.

Profiles and rosters are personal data. They are read into their own small objects
(:mod:`~rolegraph.people.profiles`), never into the framework's graph, a store folder or a cache;
nothing in this package logs or prints.

* :mod:`~rolegraph.people.profiles` -- the one reader/writer of profiles (Turtle, JSON, CSV/TSV)
* :mod:`~rolegraph.people.assess` -- fit, gaps, readiness and a development plan for one profile
* :mod:`~rolegraph.people.team` -- a team's coverage, heatmap, single points of failure, succession, hiring
* :mod:`~rolegraph.people.render` -- text, Markdown and HTML through the one template factory
"""
from __future__ import annotations

from . import assess, render, team
from .profiles import SCALE, Profile, Rating, parse_profile, profile_from_levels, read_profile, write_profile

__all__ = ["assess", "render", "team", "SCALE", "Profile", "Rating", "parse_profile", "profile_from_levels",
           "read_profile",
           "write_profile"]
