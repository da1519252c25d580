"""Writing an imported release (:class:`~rolegraph.csv_release.Release`) as Turtle files in the model of ``data/``.

Every term is written by :mod:`rolegraph.turtle`. IRIs follow
:func:`rolegraph.slugs.slugify`, except where a known release (the bundled data
by default) publishes a node under an IRI that is not the slug of its label: a
CSV name equal to that node's preferred or alternative label reuses that IRI.
Every description is marked ``rg:descriptionKind rg:OfficialText``. Values the
CSV cannot express (SCS professions, grades) are written with where they came
from: a ``skos:editorialNote`` per node, and ``rg:inferredProperty`` when they
were carried over from another release or set by a rule.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path

from . import namespaces as ns
from . import turtle
from .csv_release import Level, Release, Role
from .errors import InputError, shown
from .level_order import order_levels
from .slugs import slugify

SITE = ns.FRAMEWORK_SITE
FRAMEWORK = "Government Digital and Data Profession Capability Framework"
SCS_PROFESSION = "government-digital-and-data"

#: The Turtle prefixes of data/ (those of rolegraph.namespaces that data files use).
PREFIXES = turtle.prefix_block(["rg", "rdfs", "xsd", "skos", "dcterms", "prov", "schema", "family", "role", "level",
                                "skill", "req", "release", "slevel", "grade", "prof"])


@dataclass
class KnownRelease:
    """What a known release (the bundled data, or ``--previous``) says that the CSVs cannot: pinned IRIs,
    grades and professions by name."""

    version: str | None = None
    slugs: dict[tuple[str, str], str] = field(default_factory=dict)       # (kind, folded label) -> IRI local name
    grades: dict[str, list[str]] = field(default_factory=dict)            # folded level/SCS role name -> grade slugs
    professions: dict[str, list[str]] = field(default_factory=dict)       # folded SCS role name -> profession slugs


def known_release(data: Path | None = None) -> KnownRelease:
    """Read a release (default: the bundled data) for the facts the importer keeps."""
    from .graph import RoleGraph

    g = RoleGraph.load([data] if data else None)
    rel = g.select("SELECT ?v WHERE { ?r a rg:Release ; schema:version ?v } ORDER BY DESC(?v) LIMIT 1")
    known = KnownRelease(rel[0]["v"] if rel else None)
    for kind in ("role", "level", "skill", "family"):
        for e in g.entities(kind):
            if slugify(e.label) != e.slug:
                known.slugs[(kind, e.label.casefold())] = e.slug
    rows = g.select("""SELECT ?n ?type ?l WHERE {
        VALUES ?type { rg:Role rg:RoleLevel rg:Skill rg:JobFamily } ?n a ?type ; skos:altLabel ?l }""")
    kinds = {"Role": "role", "RoleLevel": "level", "Skill": "skill", "JobFamily": "family"}
    for r in rows:
        known.slugs.setdefault((kinds[r["type"].rsplit("#", 1)[1]], r["l"].casefold()),
                               r["n"].rstrip("/").rsplit("/", 1)[1])
    for r in g.select("""SELECT ?name ?g ?rank WHERE { ?n skos:prefLabel ?name ; rg:grade ?g .
                         ?g rg:rank ?rank FILTER NOT EXISTS { ?n rg:inferredProperty rg:grade } } ORDER BY ?rank"""):
        known.grades.setdefault(r["name"].casefold(), []).append(r["g"].rsplit("/", 1)[1])
    for r in g.select("SELECT ?name ?p WHERE { ?n a rg:SeniorCivilServiceRole ; "
                      "skos:prefLabel ?name ; rg:profession ?p }"):
        known.professions.setdefault(r["name"].casefold(), []).append(r["p"].rsplit("/", 1)[1])
    return known


def lit(text: str) -> str:
    """An English literal; several lines are kept as a long string."""
    return turtle.literal(text, lang="en", long=True)


def block(subject: str, pairs: list) -> str:
    """A subject block; lists of several objects are written one per line."""
    laid_out = []
    for pred, obj in pairs:
        if isinstance(obj, list):
            obj = list(dict.fromkeys(obj))
            if not obj:
                continue
            obj = ",\n        ".join(obj)
        laid_out.append((pred, obj))
    return turtle.block(subject, laid_out)


def _slug(kind: str, name: str, known: KnownRelease) -> str:
    slug = known.slugs.get((kind, name.casefold())) or slugify(name)
    if not slug:   # "***": no letters or digits, so the IRI would be the bare namespace
        raise InputError(f'the {"role level" if kind == "level" else kind} name "{shown(name)}" has no letters or '
                         "digits to make an IRI from")
    return slug


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _provenance(node: Role | Level, what: str, prop: str) -> tuple[list, list[str]]:
    """(pairs, notes) saying where a node's grades or professions came from."""
    source = getattr(node, f"{what}_from")
    if not source:
        return [], []
    pairs = [("rg:inferredProperty", prop)] if getattr(node, f"{what}_inferred", True) else []
    return pairs, [f"{what.capitalize()}: {source}."]


def _grades_note(rel: Release, graded: bool, known: KnownRelease) -> str:
    nodes: list[Role | Level] = [*rel.roles.values()]
    nodes += [lv for r in rel.roles.values() for lv in r.levels.values()]
    carried = sum(1 for n in nodes if n.grades_inferred)
    if carried:
        return (f"The CSV downloads carry no grades: {carried} role levels and roles keep the grades of the earlier "
                f"release {known.version} (rg:inferredProperty rg:grade; diff does not count them as changes)"
                + ("; the others come from a grades file given to the importer." if graded else "."))
    if graded:
        return "Grades come from a grades file given to the importer."
    return "The CSV downloads carry no grades, so this release has none."


def render(rel: Release, version: str, issued: str, sources: list[Path], graded: bool,
           known: KnownRelease) -> dict[str, str]:
    """The release as Turtle files: relative path -> text."""
    release = f"release:{version}"
    files: dict[str, str] = {}
    for skill in rel.skills.values():
        skill.slug = _slug("skill", skill.name, known)
    level_owner: dict[str, str] = {}
    for role in rel.roles.values():
        role.slug = _slug("role", role.name, known)
        order_levels(role)
        for level in role.levels.values():
            level.slug = _slug("level", level.name, known)
            if level_owner.setdefault(level.slug, role.name) != role.name:
                raise InputError(f"the role level \"{level.name}\" appears under two roles "
                                 f"(\"{level_owner[level.slug]}\" and \"{role.name}\")")
    scs_note = ("Senior Civil Service role: the CSV download lists it with NOT IN USE role and skill levels, so "
                "its requirements have no skill level. The CSV has no profession or grade column.")

    by_family: dict[str, list[Role]] = {f: [] for f in rel.families}
    for role in rel.roles.values():
        by_family[role.family].append(role)
    for family, roles in by_family.items():
        fslug = _slug("family", family, known)
        parts = [PREFIXES, f"# Job family: {family}. Imported by `rolegraph import` from the official CSV "
                           f"downloads (release {version}); contains public sector information licensed under "
                           "the Open Government Licence v3.0.\n"]
        parts.append(block(f"family:{fslug}", [
            ("a", "rg:JobFamily"), ("skos:prefLabel", lit(family)),
            ("dcterms:source", turtle.iri(SITE)), ("dcterms:isPartOf", release)]))
        for role in roles:
            parts.append(f"# ---------------------------------------------------------------- {role.name}\n")
            pairs: list[tuple[str, str | list[str]] | None] = [
                ("a", "rg:Role, rg:SeniorCivilServiceRole" if role.scs else "rg:Role"),
                ("skos:prefLabel", lit(role.name)),
                ("rg:family", f"family:{fslug}"),
                ("dcterms:description", lit(role.description)) if role.description else None,
                ("rg:descriptionKind", "rg:OfficialText") if role.description else None,
                ("dcterms:source", turtle.iri(f"{SITE}role/{role.slug}/")),
            ]
            if role.scs:
                prof_pairs, prof_notes = _provenance(role, "professions", "rg:profession")
                grade_pairs, grade_notes = _provenance(role, "grades", "rg:grade")
                pairs += [("rg:profession", [f"prof:{p}" for p in role.professions]),
                          ("rg:grade", [f"grade:{g}" for g in role.grades]),
                          *prof_pairs, *grade_pairs,
                          ("skos:editorialNote", lit(" ".join([scs_note, *prof_notes, *grade_notes]))),
                          ("rg:requires", [f"req:{role.slug}--{rel.skills[s].slug}" for s in role.scs_skills])]
            pairs.append(("dcterms:isPartOf", release))
            parts.append(block(f"role:{role.slug}", [p for p in pairs if p]))
            if role.scs:
                parts.append("".join(f"req:{role.slug}--{rel.skills[s].slug} a rg:SkillRequirement ; "
                                     f"rg:skill skill:{rel.skills[s].slug} .\n" for s in role.scs_skills))
            for level in sorted(role.levels.values(), key=lambda lv: lv.order):
                reqs = sorted(level.requirements.items(), key=lambda kv: rel.skills[kv[0]].slug)
                lpairs: list[tuple[str, str | list[str]]] = [
                    ("a", "rg:RoleLevel"),
                    ("skos:prefLabel", lit(level.name)),
                    ("rg:ofRole", f"role:{role.slug}"),
                    ("rg:order", str(level.order)),
                    ("rg:grade", [f"grade:{g}" for g in level.grades]),
                ]
                grade_pairs, grade_notes = _provenance(level, "grades", "rg:grade")
                lpairs += grade_pairs + [("skos:editorialNote", lit(n)) for n in grade_notes]
                if level.description:
                    lpairs += [("dcterms:description", lit(level.description)),
                               ("rg:descriptionKind", "rg:OfficialText")]
                lpairs.append(("rg:requires", [f"req:{level.slug}--{rel.skills[s].slug}" for s, _ in reqs]))
                parts.append(block(f"level:{level.slug}", lpairs))
                parts.append("".join(f"req:{level.slug}--{rel.skills[s].slug} a rg:SkillRequirement ; "
                                     f"rg:skill skill:{rel.skills[s].slug} ; rg:level slevel:{lv} .\n"
                                     for s, lv in reqs))
        files[f"families/{fslug}.ttl"] = "\n".join(parts)

    parts = [PREFIXES, f"# Every skill of release {version}. Imported by `rolegraph import` from the official "
                       "skills download; contains public sector information licensed under the Open Government "
                       "Licence v3.0.\n"]
    for skill in sorted(rel.skills.values(), key=lambda s: s.slug):
        pairs = [("a", "rg:Skill"), ("skos:prefLabel", lit(skill.name))]
        if skill.description:
            pairs += [("dcterms:description", lit(skill.description)), ("rg:descriptionKind", "rg:OfficialText")]
        pairs += [("skos:note", [lit(f"{lv.capitalize()}: {text}") for lv, text in skill.levels.items() if text]),
                  ("dcterms:source", turtle.iri(f"{SITE}skills#{skill.slug}")),
                  ("rg:unverifiedProperty", "dcterms:source"),   # the anchor follows the site's pattern
                  ("rg:levelDefined", [f"slevel:{lv}" for lv in skill.levels]),
                  ("dcterms:isPartOf", release)]
        parts.append(block(f"skill:{skill.slug}", pairs))
    files["skills.ttl"] = "\n".join(parts)

    month = Date.fromisoformat(issued).strftime("%B %Y")
    notes = [
        "Imported by rolegraph from the framework's official CSV downloads (roles and skills).",
        "Role level order (rg:order) is derived, as the CSV has no level number and lists levels alphabetically: "
        "Head of and Chief levels last, the others by the mean skill level they require, ties by title word "
        "(apprentice, trainee, junior, associate, none, senior, lead, principal).",
        "Senior Civil Service roles (NOT IN USE levels in the CSV) keep the professions a known release "
        f"({known.version or 'none'}) gives them; a role it does not know gets Government Digital and Data by "
        "rule. Either way rg:inferredProperty rg:profession and an editorial note say so.",
        "Descriptions are the official text (rg:descriptionKind rg:OfficialText); bullet lists are kept as lines "
        "starting with '- '. A skill's per-level descriptions are skos:note values starting with the level name.",
        _grades_note(rel, graded, known),
    ]
    if rel.duplicate_role_rows or rel.duplicate_skill_rows:
        notes.append(f"Dropped {rel.duplicate_role_rows} duplicate row(s) of the roles file and "
                     f"{rel.duplicate_skill_rows} of the skills file.")
    pairs = [
        ("a", "rg:Release, prov:Entity"),
        ("skos:prefLabel", lit(f"{FRAMEWORK}, {month} release")),
        ("dcterms:title", lit(FRAMEWORK)),
        ("schema:version", turtle.literal(version)),
        ("dcterms:issued", turtle.literal(issued, datatype=ns.XSD + "date", prefixes=ns.PREFIXES)),
        ("dcterms:publisher", lit("Government Digital Service (Department for Science, Innovation and Technology)")),
        ("dcterms:source", turtle.iri(SITE)),
        ("prov:wasDerivedFrom", [turtle.iri(p.resolve().as_uri()) for p in sources]),
        ("dcterms:license", turtle.iri(ns.OGL_V3)),
        ("dcterms:rights", lit(
            "Contains public sector information licensed under the Open Government Licence v3.0. "
            f"Names, relations and descriptions are from the {FRAMEWORK}, Crown copyright.")),
        ("skos:editorialNote", [lit(n) for n in notes]),
    ]
    text = PREFIXES + "\n" + block(release, pairs)
    for p in sources:
        text += "\n" + turtle.block(turtle.iri(p.resolve().as_uri()), [
            ("a", "prov:Entity"), ("dcterms:title", turtle.literal(p.name)),
            ("schema:sha256", turtle.literal(_sha256(p)))])
    files["release.ttl"] = text
    return files

