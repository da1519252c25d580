#!/usr/bin/env python3
"""Generate data/*.ttl from the facts committed in data/sources/.

Usage:  python3 scripts/build_data.py [--facts FILE] [--out DIR] [--refresh [SHARED_FACTS]]

Reads (all committed, so a clean clone regenerates data/ on its own):
    data/sources/ddat-facts.json   the facts used, a trimmed copy of the reference facts
                                   (names, levels, grades, relations, dates, URLs, own-words summaries)
    data/sources/summaries.json    rolegraph's rewritten own-words summaries (override the facts' ones)
    data/sources/renames.csv       known renames: become skos:hiddenLabel and rg:formerName

``--refresh`` first rewrites data/sources/ddat-facts.json from the reference facts
(default ../shared/reference/ddat-facts.json), keeping only the fields used here.
No official prose is copied: the framework's descriptions stay on its pages.

Layout written:
    data/release.ttl            the framework release (version, date, licence, how it was assembled)
    data/skills.ttl             every skill
    data/bridges.ttl            is NOT written here (see the career-analysis issue)
    data/families/<slug>.ttl    one file per job family: family, roles, levels, requirements
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from rolegraph import namespaces as ns  # noqa: E402
from rolegraph import turtle  # noqa: E402  (one Turtle writer for the project)
from rolegraph.slugs import slugify  # noqa: E402  (one slug rule for data and importer)

SOURCES = ROOT / "data" / "sources"
SHARED_FACTS = ROOT.parent / "shared" / "reference" / "ddat-facts.json"
RELEASE = "2026-10"
RELEASE_DATE = "2026-10-06"
SITE = ns.FRAMEWORK_SITE
OGL = ns.OGL_V3

PREFIXES = turtle.prefix_block(["rg", "rdfs", "xsd", "skos", "dcterms", "prov", "schema", "family", "role",
                                 "level", "skill", "req", "release", "slevel", "grade", "prof"])

PROFESSIONS = {
    "Government Digital and Data": "prof:government-digital-and-data",
    "Government Security": "prof:government-security",
}


class Sources:
    """The committed inputs besides the facts: own-words summaries, known renames, anchors seen."""

    def __init__(self, facts: dict, folder: Path = SOURCES):
        self.summaries = json.loads((folder / "summaries.json").read_text(encoding="utf-8"))
        self.renames: dict[tuple[str, str], list[dict]] = {}
        with (folder / "renames.csv").open(encoding="utf-8", newline="") as f:
            rows = csv.DictReader(line for line in f if not line.startswith("#"))
            for row in rows:
                self.renames.setdefault((row["kind"], row["new"]), []).append(row)
        # official pages that were actually read (only these anchors are verified)
        self.pages_seen = {p["url"].split("://", 1)[-1].split("/", 1)[-1] for p in facts.get("pages_observed", [])}

    def role_summary(self, role: dict) -> str:
        return self.summaries["roles"].get(role["name"], role["summary_own_words"])

    def family_summary(self, name: str) -> str:
        return self.summaries["families"][name]

    def former_names(self, kind: str, name: str) -> list[tuple[str, str]]:
        """hiddenLabel and rg:formerName pairs for the renames of node *name* of *kind*."""
        pairs: list[tuple[str, str]] = []
        for r in self.renames.get((kind, name), []):
            pairs.append(("skos:hiddenLabel", lit(r["old"])))
            former = [("a", "rg:FormerName"), ("rg:name", lit(r["old"]))]
            if r["date"]:
                former.append(("dcterms:date", date(r["date"])))
            former.append(("skos:note", lit(r["evidence"])))
            pairs.append(("rg:formerName", "[ " + " ; ".join(f"{p} {o}" for p, o in former) + " ]"))
        return pairs


def lit(text: str, lang: str | None = "en") -> str:
    """A Turtle string literal, escaped by rolegraph.turtle."""
    return turtle.literal(text, lang=lang)


def date(value: str) -> str:
    return f'"{value}"^^xsd:date'


def grade_term(text: str) -> str:
    """'SCS 1 (Senior Civil Service 1)' -> grade:scs-1."""
    notation = text.split(" (")[0].strip()
    return "grade:" + slugify(notation)


def block(subject: str, pairs: list[tuple[str, str | list[str]]]) -> str:
    """A Turtle subject block (rolegraph.turtle), one predicate per line; long object lists one per line."""
    laid_out = []
    for pred, obj in pairs:
        if isinstance(obj, list):
            obj = list(dict.fromkeys(obj))  # drop repeats, keep order
            if not obj:
                continue
            obj = (",\n        " if len(", ".join(obj)) > 80 else ", ").join(obj)
        laid_out.append((pred, obj))
    return turtle.block(subject, laid_out)


def req_id(owner_slug: str, skill_name: str) -> str:
    return f"req:{owner_slug}--{slugify(skill_name)}"


def change_notes(role: dict) -> list[str]:
    return [lit(f"{h['date']}: {h['change']}") for h in role.get("update_history") or []]


def role_block(role: dict, family_slug: str, src: Sources) -> str:
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
    pairs += src.former_names("role", role["name"])
    pairs += [
        ("rg:family", f"family:{family_slug}"),
        ("dcterms:description", lit(src.role_summary(role))),
        ("rg:descriptionKind", "rg:OwnSummary"),
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
        unverified, inferred, verified = [], [], []
        (unverified if info.get("professions_unverified") else verified).append("rg:profession")
        if info.get("grades_unverified") or not info.get("grades"):
            unverified.append("rg:grade")
        else:
            (verified if info.get("grades_verified") else inferred).append("rg:grade")
        pairs.append(("rg:unverifiedProperty", unverified))
        pairs.append(("rg:inferredProperty", inferred))
        pairs.append(("rg:verifiedProperty", verified))
        notes = []
        if info.get("professions_unverified"):
            notes.append("Professions are implied by the framework, not stated on the role page (unverified).")
        else:
            notes.append("Professions are as stated on the role page.")
        if not info.get("grades"):
            notes.append("Grades unknown: this role's page was not read (it was not among the pages seen on "
                         "2026-10-06), so whether it publishes grades is not known.")
        elif info.get("grades_unverified"):
            notes.append(f"Grades are a best guess, not confirmed on the role page (from {info['grades_source']}).")
        elif not info.get("grades_verified"):
            notes.append(f"Grades are inferred from the wording of {info['grades_source']}; the page's grade list "
                         "itself was not seen.")
        else:
            notes.append(f"Grades are as read on the role page ({info['grades_source']}).")
        if notes:
            pairs.append(("skos:editorialNote", lit(" ".join(notes))))
        pairs.append(("rg:requires", [req_id(slug, s["skill"]) for s in info["skills"]]))
    pairs.append(("dcterms:isPartOf", f"release:{RELEASE}"))
    out = [block(f"role:{slug}", pairs)]
    if scs:
        for s in role["scs"]["skills"]:
            out.append(f"{req_id(slug, s['skill'])} a rg:SkillRequirement ; rg:skill skill:{slugify(s['skill'])} .\n")
    return "\n".join(out)


def level_blocks(role: dict, src: Sources) -> str:
    out = []
    for lv in role["levels"]:
        lslug = slugify(lv["name"])
        pairs: list[tuple[str, str | list[str]]] = [
            ("a", "rg:RoleLevel"),
            ("skos:prefLabel", lit(lv["name"])),
            *src.former_names("level", lv["name"]),
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


def family_file(family: dict, src: Sources) -> str:
    fslug = slugify(family["name"])
    parts = [PREFIXES,
             f"# Job family: {family['name']}. Generated by scripts/build_data.py from the reference facts.\n"]
    parts.append(block(f"family:{fslug}", [
        ("a", "rg:JobFamily"),
        ("skos:prefLabel", lit(family["name"])),
        ("dcterms:description", lit(src.family_summary(family["name"]))),
        ("rg:descriptionKind", "rg:OwnSummary"),
        ("dcterms:source", f"<{SITE}>"),
        ("dcterms:isPartOf", f"release:{RELEASE}"),
    ]))
    for role in family["roles"]:
        parts.append(f"# ---------------------------------------------------------------- {role['name']}\n")
        parts.append(role_block(role, fslug, src))
        if role["levels"]:
            parts.append(level_blocks(role, src))
    return "\n".join(parts)


def skills_file(skills: list[dict], src: Sources) -> str:
    parts = [PREFIXES, "# Every skill in the framework. Generated by scripts/build_data.py from the reference facts.\n"]
    for s in sorted(skills, key=lambda s: s["name"].lower()):
        sslug = slugify(s["name"])
        pairs: list[tuple[str, str | list[str]]] = [
            ("a", "rg:Skill"),
            ("skos:prefLabel", lit(s["name"])),
            *src.former_names("skill", s["name"]),
            ("dcterms:description", lit(re.sub(r"^\(SCS\)\s*", "", s["summary_own_words"]))),
            ("rg:descriptionKind", "rg:OwnSummary"),
        ]
        if s.get("gist_own_words"):
            pairs.append(("skos:scopeNote", lit(
                "Senior Civil Service skill, described by what a leader can do rather than at skill levels. "
                + s["gist_own_words"])))
        pairs += [
            ("dcterms:source", f"<{SITE}skills#{sslug}>"),
            # the anchor follows the site's slug pattern; it is verified only where that page was seen
            ("rg:verifiedProperty" if f"skills#{sslug}" in src.pages_seen else "rg:unverifiedProperty",
             "dcterms:source"),
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
        # what the facts were assembled from (the editorial notes say how): the 2025-10 export (a copy in
        # navatrack) as the base for unchanged roles, the 2026 downloads and change log, grades from the role
        # pages (the roles-skills copy)
        ("prov:wasDerivedFrom", ["<https://github.com/joelparkerhenderson/navatrack>",
                                 f"<{SITE}download/roles.csv>", f"<{SITE}download/skills.csv>",
                                 f"<{SITE}download/changelog.csv>", "<https://github.com/roles-skills/roles-skills>"]),
        ("rdfs:seeAlso", "<https://ddat-capability-framework.service.gov.uk/>"),
        ("dcterms:license", f"<{OGL}>"),
        ("dcterms:rights", lit(
            "Names, levels, grades and relations are facts from the framework, Crown copyright, used under the "
            "Open Government Licence v3.0. Descriptions are rolegraph's own short summaries; follow each "
            "node's dcterms:source for the official text.")),
        ("dcterms:description", lit(
            "The framework's job families, roles, role levels, skills and skill requirements as of the October "
            "2026 release, with grades where the framework publishes them.")),
        ("skos:editorialNote", [lit(n) for n in assembly_notes(facts)]),
    ]
    return PREFIXES + "\n" + block(f"release:{RELEASE}", pairs)


def assembly_notes(facts: dict) -> list[str]:
    """How this release was put together, and how sure each kind of value is."""
    return [
        "How this release was assembled: it is not one download. Its role levels and skill requirements are "
        "the framework's October 2025 CSV export with the changes the framework's change log records from "
        "November 2025 to September 2026 applied (checked against the 2026 downloads where a copy was "
        "available); grades were read from the role pages (the CSVs carry none). "
        f"Data as of: {facts['framework']['data_as_of']}.",
        "Sources behind the facts: " + "; ".join(facts.get("sources", [])) + ".",
        "Verified, inferred, unverified: names, levels, requirements and level grades are facts from the sources "
        "above. rg:verifiedProperty marks values read on the node's own official page; rg:unverifiedProperty "
        "marks best guesses (each skill's dcterms:source anchor follows the site's pattern but only one anchor "
        "was seen on the site; SCS professions other than the CISO's; SCS grades not confirmed on their "
        "pages). Descriptions are rolegraph's own summaries (rg:descriptionKind rg:OwnSummary).",
    ]


def refresh_facts(shared: Path, target: Path) -> None:
    """Rewrite *target* from the reference facts at *shared*, keeping only the fields this script uses."""
    facts = json.loads(shared.read_text(encoding="utf-8"))
    role_keys = ("name", "slug", "url", "url_legacy", "url_legacy_alt", "summary_own_words", "first_published",
                 "update_history", "levels")
    scs_keys = ("professions", "professions_unverified", "professions_note", "grades", "grades_unverified",
                "grades_verified", "grades_source", "page_status")
    trimmed = {
        "_about": f"Trimmed copy of the reference facts ({shared.name}) made by scripts/build_data.py --refresh: "
                  "facts and own-words summaries only, no official prose.",
        "framework": {k: facts["framework"][k] for k in ("name", "data_as_of", "counts")},
        "sources": facts.get("sources", []),
        "pages_observed": [{"url": p["url"]} for p in facts.get("pages_observed", [])],
        "families": [{"name": fam["name"], "roles": [
            {**{k: r[k] for k in role_keys if k in r},
             **({"scs": {**{k: r["scs"].get(k) for k in scs_keys},
                         "skills": [{"skill": x["skill"]} for x in r["scs"]["skills"]]}} if "scs" in r else {})}
            for r in fam["roles"]]} for fam in facts["families"]],
        "skills": [{k: sk[k] for k in ("name", "summary_own_words", "gist_own_words", "levels_defined") if k in sk}
                   for sk in facts["skills"]],
        "update_history": facts.get("update_history", []),
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(trimmed, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description="Generate data/*.ttl from the facts committed in data/sources/.")
    ap.add_argument("--facts", type=Path, default=SOURCES / "ddat-facts.json", help="facts file to read")
    ap.add_argument("--out", type=Path, default=ROOT / "data", help="data folder to write")
    ap.add_argument("--refresh", nargs="?", const=SHARED_FACTS, type=Path, metavar="SHARED_FACTS",
                    help="first rewrite the facts file from the reference facts (default ../shared/reference/...)")
    args = ap.parse_args(argv[1:])
    if args.refresh:
        refresh_facts(args.refresh, args.facts)
    facts = json.loads(args.facts.read_text(encoding="utf-8"))
    src = Sources(facts)
    out = args.out
    (out / "families").mkdir(parents=True, exist_ok=True)
    (out / "release.ttl").write_text(release_file(facts), encoding="utf-8")
    (out / "skills.ttl").write_text(skills_file(facts["skills"], src), encoding="utf-8")
    for fam in facts["families"]:
        (out / "families" / f"{slugify(fam['name'])}.ttl").write_text(family_file(fam, src), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
