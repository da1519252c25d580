#!/usr/bin/env python3
"""Generate data/*.ttl from the reference facts about the framework.

Usage:  python3 scripts/build_data.py [FACTS.json] [OUTDIR]
        (defaults: ../shared/reference/ddat-facts.json and data/)

The committed Turtle in data/ is the source of truth; this script documents how
it was first produced and can regenerate it after the facts are corrected.
Only facts (names, levels, grades, relations, dates, URLs) and the facts file's
own-words summaries are used; no official prose is copied.

Layout written:
    data/release.ttl            the framework release (version, date, licence, sources)
    data/skills.ttl             every skill
    data/bridges.ttl            is NOT written here (see the career-analysis issue)
    data/families/<slug>.ttl    one file per job family: family, roles, levels, requirements
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from rolegraph.slugs import slugify  # noqa: E402  (one slug rule for data and importer)

RELEASE = "2026-10"
RELEASE_DATE = "2026-10-06"
SITE = "https://understand-digital-data-roles-skills.service.gov.uk/"
OGL = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"

PREFIXES = """\
@prefix rg:      <https://w3id.org/rolegraph/ontology#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix schema:  <https://schema.org/> .
@prefix family:  <https://w3id.org/rolegraph/ddat/family/> .
@prefix role:    <https://w3id.org/rolegraph/ddat/role/> .
@prefix level:   <https://w3id.org/rolegraph/ddat/level/> .
@prefix skill:   <https://w3id.org/rolegraph/ddat/skill/> .
@prefix req:     <https://w3id.org/rolegraph/ddat/requirement/> .
@prefix release: <https://w3id.org/rolegraph/ddat/release/> .
@prefix slevel:  <https://w3id.org/rolegraph/ddat/skill-level/> .
@prefix grade:   <https://w3id.org/rolegraph/grade/> .
@prefix prof:    <https://w3id.org/rolegraph/profession/> .
"""

# Short descriptions of the families, in our own words.
FAMILY_DESCRIPTIONS = {
    "Architecture": "Roles that design how business, data, networks, security and technology fit together.",
    "Chief digital and data": "Senior Civil Service leadership roles that set digital, data, technology and security direction for an organisation.",
    "Data": "Roles that collect, engineer, analyse, govern and model data, and that consider its ethical use.",
    "IT operations": "Roles that run, support and change live technology services and infrastructure.",
    "Product and delivery": "Roles that shape products and services and lead teams and programmes to deliver them.",
    "Quality assurance testing (QAT)": "Roles that plan and carry out testing so that services work as intended.",
    "Software development": "Roles that build, deploy and maintain software and the platforms it runs on.",
    "User-centred design": "Roles that research users' needs and design content, interactions and services around them.",
}

PROFESSIONS = {
    "Government Digital and Data": "prof:government-digital-and-data",
    "Government Security": "prof:government-security",
}


def lit(text: str, lang: str | None = "en") -> str:
    """A Turtle string literal, escaped."""
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{body}"@{lang}' if lang else f'"{body}"'


def date(value: str) -> str:
    return f'"{value}"^^xsd:date'


def grade_term(text: str) -> str:
    """'SCS 1 (Senior Civil Service 1)' -> grade:scs-1."""
    notation = text.split(" (")[0].strip()
    return "grade:" + slugify(notation)


def block(subject: str, pairs: list[tuple[str, str | list[str]]]) -> str:
    """A Turtle subject block, one predicate per line, objects comma-joined."""
    lines = []
    for pred, obj in pairs:
        if isinstance(obj, list):
            obj = list(dict.fromkeys(obj))  # drop repeats, keep order
            if not obj:
                continue
            sep = ",\n        " if len(", ".join(obj)) > 80 else ", "
            obj = sep.join(obj)
        lines.append(f"    {pred} {obj}")
    return f"{subject}\n" + " ;\n".join(lines) + " .\n"


def req_id(owner_slug: str, skill_name: str) -> str:
    return f"req:{owner_slug}--{slugify(skill_name)}"


def change_notes(role: dict) -> list[str]:
    return [lit(f"{h['date']}: {h['change']}") for h in role.get("update_history") or []]


def role_block(role: dict, family_slug: str) -> str:
    slug = role["slug"]
    scs = "scs" in role
    types = "rg:Role, rg:SeniorCivilServiceRole" if scs else "rg:Role"
    pairs: list[tuple[str, str | list[str]]] = [
        ("a", types),
        ("skos:prefLabel", lit(role["name"])),
    ]
    if slugify(role["name"]) != slug:
        # e.g. "Data and artificial intelligence (AI) ethicist" is published as data-and-ai-ethicist
        pairs.append(("skos:altLabel", lit(slug.replace("-", " ").capitalize().replace(" ai ", " AI "))))
    if role.get("renamed_from"):
        pairs.append(("skos:hiddenLabel", lit(role["renamed_from"])))
    pairs += [
        ("rg:family", f"family:{family_slug}"),
        ("dcterms:description", lit(role["summary_own_words"])),
        ("dcterms:source", f"<{role['url']}>"),
        ("rdfs:seeAlso", [f"<{u}>" for u in (role.get("url_legacy"), role.get("url_legacy_alt")) if u]),
    ]
    if role.get("first_published"):
        pairs.append(("dcterms:issued", date(role["first_published"])))
    history = role.get("update_history") or []
    if history:
        pairs.append(("dcterms:modified", date(max(h["date"] for h in history))))
    pairs.append(("skos:changeNote", change_notes(role)))
    if scs:
        info = role["scs"]
        pairs.append(("rg:profession", [PROFESSIONS[p] for p in info["professions"]]))
        pairs.append(("rg:grade", [grade_term(g) for g in info.get("grades") or []]))
        unverified = []
        if info.get("professions_unverified"):
            unverified.append("rg:profession")
        if info.get("grades_unverified") or not info.get("grades"):
            unverified.append("rg:grade")
        pairs.append(("rg:unverifiedProperty", unverified))
        notes = []
        if info.get("professions_unverified"):
            notes.append("Professions are inferred from the framework, not stated on the role page.")
        if not info.get("grades"):
            notes.append("No grade is published for this role (as of 2026-10-06).")
        elif info.get("grades_unverified"):
            notes.append("Grades are a best guess, not confirmed on the role page.")
        if notes:
            pairs.append(("skos:editorialNote", lit(" ".join(notes))))
        pairs.append(("rg:requires", [req_id(slug, s["skill"]) for s in info["skills"]]))
    pairs.append(("dcterms:isPartOf", f"release:{RELEASE}"))
    out = [block(f"role:{slug}", pairs)]
    if scs:
        for s in role["scs"]["skills"]:
            out.append(f"{req_id(slug, s['skill'])} a rg:SkillRequirement ; rg:skill skill:{slugify(s['skill'])} .\n")
    return "\n".join(out)


def level_blocks(role: dict) -> str:
    out = []
    for lv in role["levels"]:
        lslug = slugify(lv["name"])
        pairs: list[tuple[str, str | list[str]]] = [
            ("a", "rg:RoleLevel"),
            ("skos:prefLabel", lit(lv["name"])),
            ("rg:ofRole", f"role:{role['slug']}"),
            ("rg:order", str(lv["number"])),
            ("rg:grade", [grade_term(g) for g in lv.get("grade_if_stated") or []]),
        ]
        if lv.get("grade_note"):
            pairs.append(("skos:editorialNote", lit(lv["grade_note"][0].upper() + lv["grade_note"][1:] + ".")))
        pairs.append(("rg:requires", [req_id(lslug, s["skill"]) for s in lv["skills"]]))
        out.append(block(f"level:{lslug}", pairs))
        reqs = "".join(
            f"{req_id(lslug, s['skill'])} a rg:SkillRequirement ; "
            f"rg:skill skill:{slugify(s['skill'])} ; rg:level slevel:{s['level']} .\n"
            for s in lv["skills"]
        )
        out.append(reqs)
    return "\n".join(out)


def family_file(family: dict) -> str:
    fslug = slugify(family["name"])
    parts = [PREFIXES, f"# Job family: {family['name']}. Generated by scripts/build_data.py from the reference facts.\n"]
    parts.append(block(f"family:{fslug}", [
        ("a", "rg:JobFamily"),
        ("skos:prefLabel", lit(family["name"])),
        ("dcterms:description", lit(FAMILY_DESCRIPTIONS[family["name"]])),
        ("dcterms:source", f"<{SITE}>"),
        ("dcterms:isPartOf", f"release:{RELEASE}"),
    ]))
    for role in family["roles"]:
        parts.append(f"# ---------------------------------------------------------------- {role['name']}\n")
        parts.append(role_block(role, fslug))
        if role["levels"]:
            parts.append(level_blocks(role))
    return "\n".join(parts)


def skills_file(skills: list[dict]) -> str:
    parts = [PREFIXES, "# Every skill in the framework. Generated by scripts/build_data.py from the reference facts.\n"]
    for s in sorted(skills, key=lambda s: s["name"].lower()):
        sslug = slugify(s["name"])
        pairs: list[tuple[str, str | list[str]]] = [
            ("a", "rg:Skill"),
            ("skos:prefLabel", lit(s["name"])),
            ("dcterms:description", lit(re.sub(r"^\(SCS\)\s*", "", s["summary_own_words"]))),
        ]
        if s.get("gist_own_words"):
            pairs.append(("skos:scopeNote", lit(
                "Senior Civil Service skill, described by what a leader can do rather than at skill levels. "
                + s["gist_own_words"])))
        pairs += [
            ("dcterms:source", f"<{SITE}skills#{sslug}>"),
            ("rg:levelDefined", [f"slevel:{lv}" for lv in s.get("levels_defined") or []]),
            ("dcterms:isPartOf", f"release:{RELEASE}"),
        ]
        parts.append(block(f"skill:{sslug}", pairs))
    return "\n".join(parts)


def release_file(facts: dict) -> str:
    fw = facts["framework"]
    pairs: list[tuple[str, str | list[str]]] = [
        ("a", "rg:Release, prov:Entity"),
        ("skos:prefLabel", lit(f"{fw['name']}, October 2026 release")),
        ("dcterms:title", lit(fw["name"])),
        ("skos:altLabel", lit("Digital, Data and Technology (DDaT) Profession Capability Framework")),
        ("schema:version", lit(RELEASE, None)),
        ("dcterms:issued", date(RELEASE_DATE)),
        ("dcterms:publisher", lit("Government Digital Service (Department for Science, Innovation and Technology)")),
        ("dcterms:source", [f"<{SITE}>"]),
        ("prov:wasDerivedFrom", [f"<{SITE}download/roles.csv>", f"<{SITE}download/skills.csv>",
                                 f"<{SITE}download/changelog.csv>"]),
        ("rdfs:seeAlso", "<https://ddat-capability-framework.service.gov.uk/>"),
        ("dcterms:license", f"<{OGL}>"),
        ("dcterms:rights", lit(
            "Names, levels, grades and relations are facts from the framework, Crown copyright, used under the "
            "Open Government Licence v3.0. Descriptions are rolegraph's own short summaries; follow each "
            "node's dcterms:source for the official text.")),
        ("dcterms:description", lit(
            "The framework's job families, roles, role levels, skills and skill requirements as of the October "
            "2026 release, with grades where the framework publishes them.")),
    ]
    return PREFIXES + "\n" + block(f"release:{RELEASE}", pairs)


def main(argv: list[str]) -> int:
    facts_path = Path(argv[1]) if len(argv) > 1 else HERE.parent.parent / "shared/reference/ddat-facts.json"
    out = Path(argv[2]) if len(argv) > 2 else HERE.parent / "data"
    facts = json.loads(facts_path.read_text(encoding="utf-8"))
    (out / "families").mkdir(parents=True, exist_ok=True)
    (out / "release.ttl").write_text(release_file(facts), encoding="utf-8")
    (out / "skills.ttl").write_text(skills_file(facts["skills"]), encoding="utf-8")
    for fam in facts["families"]:
        (out / "families" / f"{slugify(fam['name'])}.ttl").write_text(family_file(fam), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
