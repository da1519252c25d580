"""The framework in open skills formats: 1EdTech CASE 1.1 JSON, CTDL-ASN JSON-LD (Rich Skill Descriptors) and a
schema.org ``DefinedTermSet``. One writer per format (:mod:`.case`, :mod:`.ctdl`, :mod:`.schemaorg`), all fed by
:func:`content`: the framework (or one job family of it) read from the graph once, as plain data.

Every writer is deterministic: identifiers are derived from IRIs (:func:`stable_uuid`) and dates are the release's,
so exporting the same data twice gives the same bytes.

>>> from rolegraph.graph import RoleGraph
>>> c = content(RoleGraph.load(), "Data")
>>> c.family["label"], len(c.roles) > 0, all(r["family"] == c.family["iri"] for r in c.roles)
('Data', True, True)
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

from .. import namespaces as ns
from ..graph import RoleGraph

#: the formats, by the name ``rolegraph export --format`` takes
FORMATS = ("case", "ctdl", "schemaorg")
#: the IRI of the set of every skill (schema.org DefinedTermSet; JobPosting skills point into it)
SKILL_SET = ns.DDAT + "skills"


def stable_uuid(key: str) -> str:
    """A UUID derived from *key* (an IRI), the same on every run: UUID version 5 (SHA-1) in the URL namespace.

    >>> stable_uuid("https://w3id.org/rolegraph/ddat/skill/testing")
    'ccbaf849-d15c-575f-bcae-35f4cdd91edf'
    """
    return str(uuid.uuid5(uuid.NAMESPACE_URL, key))


@dataclass
class Content:
    """What the writers export: the release, and the families, roles, role levels, skills, requirements and skill
    levels in scope (all of them, or one family's and the skills its roles need). Lists are sorted by IRI."""

    release: dict
    family: dict | None
    families: list[dict] = field(default_factory=list)
    roles: list[dict] = field(default_factory=list)
    levels: list[dict] = field(default_factory=list)
    skills: list[dict] = field(default_factory=list)
    requirements: list[dict] = field(default_factory=list)   # {owner, skill, level (IRI or None)}
    skill_levels: list[dict] = field(default_factory=list)
    levels_defined: list[tuple[str, str]] = field(default_factory=list)   # (skill, skill level)

    @property
    def labels(self) -> dict[str, str]:
        return {n["iri"]: n["label"] for part in (self.families, self.roles, self.levels, self.skills,
                                                   self.skill_levels) for n in part}


def content(g: RoleGraph, family: str | None = None) -> Content:
    """The framework in *g* as plain data; with *family* (a job family's name, any case, or its IRI), only that
    family, its roles and levels and the skills they require. An unknown family raises
    :class:`~rolegraph.errors.UnknownName` with suggestions."""
    chosen = g.resolve(family, ("family",)).iri if family else None
    rel = g.select("""
        SELECT ?r ?label ?title ?publisher ?version ?issued ?licence ?source ?desc ?rights WHERE {
            ?r a rg:Release ; skos:prefLabel ?label .
            OPTIONAL { ?r dcterms:title ?title } OPTIONAL { ?r dcterms:publisher ?publisher }
            OPTIONAL { ?r schema:version ?version } OPTIONAL { ?r dcterms:issued ?issued }
            OPTIONAL { ?r dcterms:license ?licence } OPTIONAL { ?r dcterms:source ?source }
            OPTIONAL { ?r dcterms:description ?desc } OPTIONAL { ?r dcterms:rights ?rights }
        } ORDER BY ?r LIMIT 1""")
    release = dict(rel[0]) if rel else {"r": ns.DDAT + "release", "label": "Framework", "title": None,
                                        "publisher": None, "version": None, "issued": None, "licence": None,
                                        "source": None, "desc": None, "rights": None}
    release = {k: (str(v) if v is not None else None) for k, v in release.items()}
    release["iri"] = release.pop("r")

    def described(rows: list[dict]) -> list[dict]:
        out: dict[str, dict] = {}
        for r in rows:
            node = out.setdefault(r["n"], {"iri": r["n"], "label": r["label"], "description": r.get("desc"),
                                           "official": r.get("kind") == ns.RG + "OfficialText",
                                           "source": r.get("source")})
            for k, v in r.items():
                if k not in ("n", "label", "desc", "kind", "source") and v is not None:
                    node[k] = v
        return sorted(out.values(), key=lambda n: n["iri"])

    common = """OPTIONAL { ?n dcterms:description ?desc } OPTIONAL { ?n rg:descriptionKind ?kind }
                OPTIONAL { ?n dcterms:source ?source }"""
    families = described(g.select(f"""SELECT ?n ?label ?desc ?kind ?source WHERE {{
        ?n a rg:JobFamily ; skos:prefLabel ?label . {common} }}"""))
    roles = described(g.select(f"""SELECT ?n ?label ?desc ?kind ?source ?family ?scs WHERE {{
        ?n a rg:Role ; skos:prefLabel ?label ; rg:family ?family .
        BIND (EXISTS {{ ?n a rg:SeniorCivilServiceRole }} AS ?scs) {common} }}"""))
    levels = described(g.select(f"""SELECT ?n ?label ?desc ?kind ?source ?role ?order WHERE {{
        ?n a rg:RoleLevel ; skos:prefLabel ?label ; rg:ofRole ?role ; rg:order ?order . {common} }}"""))
    grades: dict[str, list[str]] = {}
    for r in g.select("""SELECT ?n ?grade WHERE { ?n rg:grade ?g . ?g skos:notation ?grade ; rg:rank ?rank }
                         ORDER BY ?n ?rank"""):
        grades.setdefault(r["n"], []).append(str(r["grade"]))
    for node in roles + levels:
        node["grades"] = grades.get(node["iri"], [])
        node["scs"] = bool(node.get("scs"))
    requirements = sorted(({"owner": r["owner"], "skill": r["skill"], "level": r["level"]} for r in g.select(
        """SELECT ?owner ?skill ?level WHERE { ?owner rg:requires ?q . ?q rg:skill ?skill .
                                               OPTIONAL { ?q rg:level ?level } }""")),
                          key=lambda q: (q["owner"], q["skill"]))
    skills = described(g.select(f"""SELECT ?n ?label ?desc ?kind ?source WHERE {{
        ?n a rg:Skill ; skos:prefLabel ?label . {common} }}"""))
    skill_levels = sorted(({"iri": r["n"], "label": str(r["label"]), "notation": str(r["notation"]),
                            "rank": int(r["rank"]), "definition": r["definition"]} for r in g.select(
        """SELECT ?n ?label ?notation ?rank ?definition WHERE { ?n a rg:SkillLevel ; skos:prefLabel ?label ;
           skos:notation ?notation ; rg:rank ?rank . OPTIONAL { ?n skos:definition ?definition } }""")),
                          key=lambda s: s["rank"])
    defined = sorted((r["s"], r["l"]) for r in g.select("SELECT ?s ?l WHERE { ?s rg:levelDefined ?l }"))

    picked = None
    if chosen:
        roles = [r for r in roles if r["family"] == chosen]
        role_iris = {r["iri"] for r in roles}
        levels = [lv for lv in levels if lv["role"] in role_iris]
        owners = role_iris | {lv["iri"] for lv in levels}
        requirements = [q for q in requirements if q["owner"] in owners]
        needed = {q["skill"] for q in requirements}
        skills = [s for s in skills if s["iri"] in needed]
        defined = [d for d in defined if d[0] in needed]
        families = [f for f in families if f["iri"] == chosen]
        picked = families[0]
    return Content(release=release, family=picked, families=families, roles=roles, levels=levels, skills=skills,
                   requirements=requirements, skill_levels=skill_levels, levels_defined=defined)


def provenance_note(node: dict) -> str | None:
    """Where a node's description comes from, in words (None when it has no description)."""
    if not node.get("description"):
        return None
    if node.get("official"):
        return "Description: the framework's own text (Crown copyright, Open Government Licence v3.0)."
    where = f" The official text is at {node['source']}." if node.get("source") else ""
    return "Description: rolegraph's own short summary, not the framework's text." + where


def export(g: RoleGraph, fmt: str, family: str | None = None) -> bytes:
    """The framework (or one *family*) as *fmt* (one of :data:`FORMATS`), UTF-8 JSON ending in a newline."""
    from . import case, ctdl, schemaorg

    writers = {"case": case.package, "ctdl": ctdl.framework, "schemaorg": schemaorg.term_set}
    doc = writers[fmt](content(g, family))
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


__all__ = ["FORMATS", "SKILL_SET", "Content", "content", "export", "stable_uuid", "provenance_note"]
