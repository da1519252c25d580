"""The explorer's lists: every skill A to Z, and every role level, each filtered by job family and grade.

>>> from rolegraph.graph import RoleGraph
>>> g = RoleGraph.load()
>>> s = skills_a_to_z(g)
>>> len(s) == len(g.entities("skill")) and s[0]["letter"] == "A"
True
>>> all("Data" in x["families"] for x in skills_a_to_z(g, family="Data"))
True
>>> all("G7" in p["grades"] for p in positions(g, grade="G7"))
True
"""
from __future__ import annotations

from .. import browse
from ..errors import UnknownName
from ..graph import RoleGraph
from ..slugs import slugify
from .search import page_url, positions_info


def _skill_families(g: RoleGraph) -> dict[str, set[str]]:
    def build():
        out: dict[str, set[str]] = {}
        for r in g.select("""
                SELECT DISTINCT ?skill ?family WHERE {
                    ?req rg:skill ?skill . ?owner rg:requires ?req .
                    { ?owner rg:ofRole ?r } UNION { ?owner a rg:Role BIND (?owner AS ?r) }
                    ?r rg:family/skos:prefLabel ?family }"""):
            out.setdefault(r["skill"], set()).add(r["family"])
        return out
    return g.cached("explorer-skill-families", build)


def families(g: RoleGraph) -> list[str]:
    """The job families' names, A to Z."""
    return [e.label for e in g.entities("family")]


def check_family(g: RoleGraph, family: str | None) -> str | None:
    """The job family called *family* (any case), None for none; :class:`UnknownName` when there is none such."""
    if not family:
        return None
    return g.resolve(family, ("family",)).label


def skills_a_to_z(g: RoleGraph, family: str | None = None) -> list[dict]:
    """Every skill A to Z (only those a *family*'s roles need, with *family*): name, page, first letter,
    description, how many roles need it and the families whose roles do."""
    fams = _skill_families(g)
    out = []
    for s in browse.skills(g):
        used_in = sorted(fams.get(s["iri"], set()), key=str.casefold)
        if family and family not in used_in:
            continue
        out.append({"name": s["name"], "url": page_url("skill", slugify(s["name"])),
                    "letter": s["name"][:1].upper(), "description": s["description"], "roles": s["roles"],
                    "families": used_in})
    return out


def positions(g: RoleGraph, family: str | None = None, grade: str | None = None) -> list[dict]:
    """Every role level and Senior Civil Service role (of *family*, at *grade*), grouped by role A to Z, each
    level in ladder order: name, page, role, family, grades."""
    info = positions_info(g)
    out = []
    for r in browse.roles(g, family):
        if r["scs"]:
            members = [(r["iri"], r["name"], "role")]
        else:
            members = [(row["level"], row["name"], "level") for row in g.select(
                "SELECT ?level ?name WHERE { ?level rg:ofRole ?role ; skos:prefLabel ?name ; rg:order ?o } "
                "ORDER BY ?o", role=r["iri"])]
        for iri, name, kind in members:
            grades = list(info.get(iri, (None, ()))[1])
            if grade and grade not in grades:
                continue
            out.append({"name": name, "url": page_url(kind, g.resolve(iri, (kind,)).slug), "role": r["name"],
                        "family": r["family"], "grades": grades, "scs": r["scs"]})
    return out


__all__ = ["skills_a_to_z", "positions", "families", "check_family", "UnknownName"]
