"""Browse the framework: roles, one role, skills, one skill. Plain functions over a RoleGraph.

Each returns JSON-ready data (dicts and lists of str, int, bool, None).

>>> from rolegraph.graph import RoleGraph
>>> g = RoleGraph.load()
>>> role_info(g, "Chief technology officer")["grades"]
['SCS 1', 'SCS 2']
"""
from __future__ import annotations

from collections import defaultdict

from . import namespaces as ns
from .graph import Entity, RoleGraph

_UNVERIFIED_FIELDS = {ns.RG + "profession": "professions", ns.RG + "grade": "grades", ns.DCTERMS + "source": "source"}


def provenance(g: RoleGraph, iri: str) -> dict[str, list[str]]:
    """Which of a node's values are verified (read on its own page), inferred (by a rule or from another
    release) or unverified (a best guess), by field name; fields not listed are plain facts of the release.

    >>> provenance(RoleGraph.load(), "https://w3id.org/rolegraph/ddat/role/chief-technology-officer")  # doctest: +SKIP
    {'verified': ['grades'], 'inferred': [], 'unverified': ['professions']}
    """
    out: dict[str, list[str]] = {"verified": [], "inferred": [], "unverified": []}
    for r in g.select("""SELECT ?how ?p WHERE { VALUES ?how { rg:verifiedProperty rg:inferredProperty
                         rg:unverifiedProperty } ?n ?how ?p }""", n=iri):
        how = r["how"].rsplit("#", 1)[-1].replace("Property", "")
        prop: str = r["p"]
        out[how].append(_UNVERIFIED_FIELDS.get(prop, prop))
    return {k: sorted(v) for k, v in out.items()}


def _sorted_names(values) -> list[str]:
    return sorted(values, key=str.casefold)


def roles(g: RoleGraph, family: str | None = None) -> list[dict]:
    """Every role (optionally of one job family): name, family, number of levels, SCS or not."""
    bindings = {}
    if family:
        bindings["f"] = g.resolve(family, ("family",)).iri
    rows = g.select("""
        SELECT ?role ?name ?family ?scs (COUNT(?level) AS ?levels) WHERE {
            ?role a rg:Role ; skos:prefLabel ?name ; rg:family ?f .
            ?f skos:prefLabel ?family .
            BIND (EXISTS { ?role a rg:SeniorCivilServiceRole } AS ?scs)
            OPTIONAL { ?level rg:ofRole ?role }
        } GROUP BY ?role ?name ?family ?scs""", **bindings)
    rows.sort(key=lambda r: (r["family"].casefold(), r["name"].casefold()))
    return [{"name": r["name"], "family": r["family"], "levels": r["levels"], "scs": bool(r["scs"]),  # (Virtuoso: 0/1)
             "iri": r["role"]} for r in rows]


def role_info(g: RoleGraph, name: str) -> dict:
    """Everything about one role: family, description, source, professions, grades, levels with skills.

    *name* may also be a role level's name; the result is then its role, with
    ``matched_level`` saying which level matched.
    """
    ent = g.resolve(name, ("role", "level"))
    renamed = g.renamed(name, ent)
    matched_level = None
    if ent.kind == "level":
        matched_level = ent.label
        iri = g.select("SELECT ?r WHERE { ?l rg:ofRole ?r }", l=ent.iri)[0]["r"]
        ent = Entity(iri, "role", g.label(iri))
    role = ent.iri
    head = g.select("""
        SELECT ?family ?desc ?source ?scs WHERE {
            ?role rg:family/skos:prefLabel ?family .
            OPTIONAL { ?role dcterms:description ?desc }
            OPTIONAL { ?role dcterms:source ?source }
            BIND (EXISTS { ?role a rg:SeniorCivilServiceRole } AS ?scs)
        } LIMIT 1""", role=role)[0]
    professions = _sorted_names(r["p"] for r in g.select(
        "SELECT ?p WHERE { ?role rg:profession/skos:prefLabel ?p }", role=role))
    unverified = sorted({_UNVERIFIED_FIELDS.get(r["p"]) or r["p"] for r in g.select(
        "SELECT ?p WHERE { ?role rg:unverifiedProperty ?p }", role=role)})
    notes = [r["n"] for r in g.select("SELECT ?n WHERE { ?role skos:editorialNote ?n }", role=role)]

    levels = g.select("""
        SELECT ?level ?name ?order WHERE { ?level rg:ofRole ?role ; skos:prefLabel ?name ; rg:order ?order }
        ORDER BY ?order""", role=role)
    level_grades: dict[str, list[str]] = defaultdict(list)
    for r in g.select("""
            SELECT ?level ?grade WHERE {
                ?level rg:ofRole ?role ; rg:grade ?g . ?g skos:notation ?grade ; rg:rank ?rank }
            ORDER BY ?rank""", role=role):
        level_grades[r["level"]].append(r["grade"])
    level_skills: dict[str, list[dict]] = defaultdict(list)
    for r in g.select("""
            SELECT ?owner ?skill ?level WHERE {
                ?owner rg:ofRole? ?role ; rg:requires ?req . ?req rg:skill/skos:prefLabel ?skill .
                OPTIONAL { ?req rg:level/skos:notation ?level }
            }""", role=role):
        level_skills[r["owner"]].append({"skill": r["skill"], "level": r["level"]})
    for v in level_skills.values():
        v.sort(key=lambda s: s["skill"].casefold())

    role_grades = [r["grade"] for r in g.select("""
        SELECT ?grade WHERE { ?role rg:grade ?g . ?g skos:notation ?grade ; rg:rank ?rank } ORDER BY ?rank""",
        role=role)]
    if not head["scs"]:  # an ordinary role spans the grades of its levels
        seen = dict.fromkeys(g for lv in levels for g in level_grades[lv["level"]])
        role_grades = sorted(seen, key=_grade_rank(g).__getitem__)

    out = {
        "name": ent.label,
        "iri": role,
        "family": head["family"],
        "description": head["desc"],
        "source": head["source"],
        "scs": bool(head["scs"]),  # (Virtuoso gives EXISTS as 0/1)
        "professions": professions,
        "grades": role_grades,
        "levels": [{"name": lv["name"], "order": lv["order"], "grades": level_grades[lv["level"]],
                    "skills": level_skills[lv["level"]]} for lv in levels],
        "skills": level_skills[role],
        "unverified": unverified,
        "provenance": provenance(g, role),
        "notes": notes,
    }
    if matched_level:
        out["matched_level"] = matched_level
    if renamed:
        out["renamed"] = {k: renamed[k] for k in ("from", "to", "on")}
    return out


def _grade_rank(g: RoleGraph) -> dict[str, int]:
    rows = g.select("SELECT ?n ?rank WHERE { ?g a rg:Grade ; skos:notation ?n ; rg:rank ?rank }")
    return {r["n"]: r["rank"] for r in rows}


def skills(g: RoleGraph, role: str | None = None) -> list[dict]:
    """Every skill with the number of roles using it; with *role*, only that role's skills and levels."""
    defined = _levels_defined(g)
    if role is None:
        rows = g.select("""
            SELECT ?skill ?name ?desc ?source (COUNT(DISTINCT ?r) AS ?roles) WHERE {
                ?skill a rg:Skill ; skos:prefLabel ?name .
                OPTIONAL { ?skill dcterms:description ?desc }
                OPTIONAL { ?skill dcterms:source ?source }
                OPTIONAL { ?req rg:skill ?skill . ?owner rg:requires ?req .
                           { ?owner rg:ofRole ?r } UNION { ?owner a rg:Role BIND (?owner AS ?r) } }
            } GROUP BY ?skill ?name ?desc ?source""")
        rows.sort(key=lambda r: r["name"].casefold())
        return [{"name": r["name"], "description": r["desc"], "source": r["source"],
                 "levels_defined": defined.get(r["skill"], []), "roles": r["roles"], "iri": r["skill"]}
                for r in rows]
    ent = g.resolve(role, ("role", "level"))
    # a role's own requirements (SCS roles) or its levels' (rg:ofRole? matches both)
    rows = g.select("""
        SELECT ?skill ?name ?desc ?source ?owner ?ownerName ?order ?level WHERE {
            ?owner rg:ofRole? ?role ; rg:requires ?req ; skos:prefLabel ?ownerName .
            OPTIONAL { ?owner rg:order ?order }
            ?req rg:skill ?skill . ?skill skos:prefLabel ?name .
            OPTIONAL { ?skill dcterms:description ?desc }
            OPTIONAL { ?skill dcterms:source ?source }
            OPTIONAL { ?req rg:level/skos:notation ?level }
        } ORDER BY ?order""", role=ent.iri)
    by_skill: dict[str, dict] = {}
    for r in rows:
        s = by_skill.setdefault(r["skill"], {
            "name": r["name"], "description": r["desc"], "source": r["source"],
            "levels_defined": defined.get(r["skill"], []), "iri": r["skill"], "role_levels": []})
        s["role_levels"].append({"role_level": r["ownerName"] if r["order"] is not None else None,
                                 "level": r["level"]})
    return sorted(by_skill.values(), key=lambda s: s["name"].casefold())


def _levels_defined(g: RoleGraph) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for r in g.select("""
            SELECT ?skill ?level WHERE { ?skill rg:levelDefined ?l . ?l skos:notation ?level ; rg:rank ?rank }
            ORDER BY ?rank"""):
        out[r["skill"]].append(r["level"])
    return out


def skill_info(g: RoleGraph, name: str) -> dict:
    """One skill: description, source, the levels it is defined at, and who uses it at what level."""
    ent = g.resolve(name, ("skill",))
    renamed = g.renamed(name, ent)
    head = g.select("""
        SELECT ?desc ?source ?note WHERE {
            OPTIONAL { ?skill dcterms:description ?desc }
            OPTIONAL { ?skill dcterms:source ?source }
            OPTIONAL { ?skill skos:scopeNote ?note }
        } LIMIT 1""", skill=ent.iri)[0]
    rows = g.select("""
        SELECT ?roleName ?levelName ?order ?level WHERE {
            ?req rg:skill ?skill . ?owner rg:requires ?req .
            OPTIONAL { ?req rg:level ?lv . ?lv skos:notation ?level }
            { ?owner rg:ofRole ?role ; skos:prefLabel ?levelName ; rg:order ?order }
            UNION { ?owner a rg:SeniorCivilServiceRole BIND (?owner AS ?role) }
            ?role skos:prefLabel ?roleName .
        }""", skill=ent.iri)
    rows.sort(key=lambda r: (r["roleName"].casefold(), r["order"] or 0))
    out = {
        "name": ent.label,
        "iri": ent.iri,
        "description": head["desc"],
        "source": head["source"],
        "note": head["note"],
        "levels_defined": _levels_defined(g).get(ent.iri, []),
        "used_by": [{"role": r["roleName"], "role_level": r["levelName"], "level": r["level"]} for r in rows],
        "provenance": provenance(g, ent.iri),
    }
    if renamed:
        out["renamed"] = {k: renamed[k] for k in ("from", "to", "on")}
    return out
