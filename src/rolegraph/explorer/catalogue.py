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


#: what each skill level asks of a person, in rolegraph's own words, with "{skill}" for the skill's name; built
#: from the framework's general definitions of the four levels (ontology/schemes.ttl), not from its prose per skill
OWN_MEANINGS = {
    "awareness": "In {skill}, knows what it involves and why it matters, and takes part with guidance.",
    "working": "In {skill}, works independently in familiar situations and knows when to ask for help.",
    "practitioner": "In {skill}, handles complex and unfamiliar situations fully, and guides and supports others.",
    "expert": "In {skill}, leads practice across the organisation, sets how it is done and is a recognised "
              "authority.",
}


def _in_sentence(name: str) -> str:
    """A skill's name inside a sentence: its qualifier dropped ("Communication (security architect)" ->
    "communication") and its first letter lower-cased unless it starts an acronym (ITIL, UX)."""
    core = name.split(" (", 1)[0].strip() or name
    return core if core[1:2].isupper() else core[:1].lower() + core[1:]


def _official_notes(g: RoleGraph) -> dict[str, dict[str, str]]:
    """Each skill's official text per level, where the graph carries it: {skill name: {level: text}}."""
    def build():
        out: dict[str, dict[str, str]] = {}
        for r in g.select("SELECT ?name ?note WHERE { ?s a rg:Skill ; skos:prefLabel ?name ; skos:note ?note }"):
            head, sep, text = str(r["note"]).partition(": ")
            if sep and head.casefold() in OWN_MEANINGS and text.strip():
                out.setdefault(r["name"], {})[head.casefold()] = text.strip()
        return out
    return g.cached("explorer-level-notes", build)


def meaning(g: RoleGraph, skill: str, level: str | None) -> tuple[str | None, bool]:
    """What *level* means for the skill named *skill*, and whether the text is the framework's own (official).

    >>> meaning(RoleGraph.load(), "Communication (security architect)", "expert")[0]
    'In communication, leads practice across the organisation, sets how it is done and is a recognised authority.'
    """
    if not level:
        return None, False
    official = _official_notes(g).get(skill, {}).get(level)
    if official:
        return official, True
    own = OWN_MEANINGS.get(level)
    return (own.format(skill=_in_sentence(skill)) if own else None), False


def level_meanings(g: RoleGraph, skill: str) -> dict:
    """What each level the framework defines for *skill* means for that skill, and who needs it at that level.

    ``official`` is True when the graph carries the framework's own text for every level (a release imported from
    the official downloads keeps it as ``skos:note "Practitioner: ..."``); otherwise each meaning is rolegraph's
    own sentence (:data:`OWN_MEANINGS`) about this skill. Each level lists the role levels that need it there.

    >>> from rolegraph.graph import RoleGraph
    >>> m = level_meanings(RoleGraph.load(), "Data modelling")
    >>> m["official"], [x["level"] for x in m["levels"]]
    (False, ['working', 'practitioner', 'expert'])
    >>> m["levels"][1]["meaning"]
    'In data modelling, handles complex and unfamiliar situations fully, and guides and supports others.'
    """
    info = browse.skill_info(g, skill)
    rank = {r["name"]: int(r["rank"]) for r in g.select(
        "SELECT ?name ?rank WHERE { ?l a rg:SkillLevel ; skos:notation ?name ; rg:rank ?rank }")}
    defined = sorted(set(info["levels_defined"]) | {u["level"] for u in info["used_by"] if u["level"]},
                     key=lambda n: rank.get(n, 0))
    levels = []
    for lv in defined:
        text, official = meaning(g, info["name"], lv)
        levels.append({"level": lv, "meaning": text, "official": official,
                       "needed_by": [u for u in info["used_by"] if u["level"] == lv]})
    return {"skill": info["name"], "official": bool(levels) and all(x["official"] for x in levels),
            "levels": levels}
