"""Import a release of the framework from its official CSV downloads (``roles.csv`` and ``skills.csv``).

The result is Turtle in the same model and IRI scheme as the bundled ``data/``
(``release.ttl``, ``skills.ttl``, ``families/<slug>.ttl``), so the same role gets
the same IRI in every release and two releases can be compared with
:func:`rolegraph.diff.diff`.

How the CSV becomes the model (the CSV does not say these things itself):

* **IRIs.** Every name goes through :func:`rolegraph.slugs.slugify`, as in
  ``data/``. Where the bundled data publishes a node under an IRI that is not the
  slug of its label (the role "Data and artificial intelligence (AI) ethicist" is
  ``role/data-and-ai-ethicist``), a CSV name equal to that node's preferred or
  alternative label reuses the bundled IRI.
* **Role level order.** The CSV has no level number, and its rows are sorted by
  role level *name*, so row order says nothing about seniority. ``rg:order`` is
  derived instead: "Head of ..." and "Chief ..." levels come last; the others
  go by the mean skill level they require (awareness 1 ... expert 4); ties are
  broken by the title word (apprentice < trainee < junior < associate < none <
  senior < lead < principal), then by row order. On the 2025-10 files this gives
  the bundled order for every one of the 46 roles whose levels kept their names.
* **Senior Civil Service roles.** Rows whose role type is "Senior Civil Service"
  (their level and skill-level cells say ``NOT IN USE``) become ``rg:Role`` and
  ``rg:SeniorCivilServiceRole`` with no role levels, requirements without a skill
  level, and the profession Government Digital and Data (a rule of this
  importer, stated in each such role's ``skos:editorialNote`` and in the release).
* **Descriptions** are the official text (the user's own download, under the
  Open Government Licence v3.0), tidied: Windows line endings, trailing spaces
  and runs of blank lines are normalised, and bullet lists are kept as lists,
  one ``- item`` line per bullet (a Markdown-like text in one literal). A
  skill's per-level descriptions become ``skos:note`` literals starting with the
  level name ("Working: You can: ..."); a level cell that says the level is not
  defined (or is empty) is left out, and the defined levels are ``rg:levelDefined``.
* **Quirks handled**: a UTF-8 byte order mark, Windows line endings, multi-line
  cells, stray or doubled whitespace in names, exact duplicate rows (dropped and
  counted), ``NOT IN USE`` markers.
* **Grades** are not in the CSVs; ``grades=FILE`` adds them (see :func:`read_grades`).

Writing is atomic: the Turtle goes to a temporary folder next to the output
folder, is loaded and validated against the SHACL shapes, and only then renamed
into place. Any error leaves the output folder as it was.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from typing import Callable

from . import namespaces as ns
from .atomic import default_mode, make_parents, remove_created, signals_held
from .errors import InputError, OutputError, RolegraphError, shown
from .safe_io import decode_text
from .slugs import slugify

SITE = "https://understand-digital-data-roles-skills.service.gov.uk/"
OGL = ns.OGL_V3
FRAMEWORK = "Government Digital and Data Profession Capability Framework"
SCS_PROFESSION = "prof:government-digital-and-data"

ROLE_COLUMNS = ("Role Family", "Role", "Role Description", "Role Level", "Role Level Description",
                "Skill Name", "Skill Level")
SKILL_COLUMNS = ("Skill Name", "Skill Description", "Awareness", "Working", "Practitioner", "Expert")
SKILL_LEVELS = ("awareness", "working", "practitioner", "expert")
NOT_IN_USE = "not in use"
GRADES = {"aa": "aa", "ao": "ao", "eo": "eo", "heo": "heo", "seo": "seo", "g7": "g7", "grade-7": "g7",
          "g6": "g6", "grade-6": "g6", "scs-1": "scs-1", "scs1": "scs-1", "scs-2": "scs-2", "scs2": "scs-2",
          "scs-3": "scs-3", "scs3": "scs-3"}
_TITLE_RANK = (("apprentice", 1), ("trainee", 2), ("junior", 3), ("associate", 4), ("senior", 6),
               ("lead", 7), ("principal", 8))
_NOT_DEFINED = re.compile(r"\bnot\s+(?:currently\s+|yet\s+)?defined\b|^\s*(?:n/?a|-|none)?\s*$", re.I)
_BULLET = re.compile(r"^\s*(?:[-*\u2022\u2013\u25cf\u25aa])\s+")

#: The steps reported to a progress callback, in order.
STAGES = ("reading the roles file", "reading the skills file", "writing Turtle", "validating")

#: The Turtle prefixes of data/ (those of rolegraph.namespaces that data files use).
PREFIXES = "".join(f"@prefix {p + ':':<8} <{ns.PREFIXES[p]}> .\n" for p in (
    "rg", "rdfs", "xsd", "skos", "dcterms", "prov", "schema", "family", "role", "level", "skill", "req",
    "release", "slevel", "grade", "prof"))


class ImportValidationError(RolegraphError):
    """The converted data does not pass the SHACL shapes (nothing is written)."""

    exit_code = 1


# ---------------------------------------------------------------- the parsed release


@dataclass
class Level:
    name: str
    description: str
    line: int                                    # first CSV line of the level, for messages
    requirements: dict[str, str] = field(default_factory=dict)   # skill name -> skill level
    slug: str = ""
    order: int = 0
    grades: list[str] = field(default_factory=list)


@dataclass
class Role:
    name: str
    family: str
    description: str
    scs: bool = False
    levels: dict[str, Level] = field(default_factory=dict)
    scs_skills: list[str] = field(default_factory=list)
    slug: str = ""
    grades: list[str] = field(default_factory=list)


@dataclass
class Skill:
    name: str
    description: str
    levels: dict[str, str] = field(default_factory=dict)   # skill level -> description (defined ones only)
    slug: str = ""


@dataclass
class Release:
    roles: dict[str, Role]
    skills: dict[str, Skill]
    families: list[str]
    duplicate_role_rows: int = 0
    duplicate_skill_rows: int = 0


@dataclass
class ImportSummary:
    """What an import produced; ``to_dict()`` is JSON-ready."""

    out: str
    version: str
    issued: str
    families: int
    roles: int
    scs_roles: int
    levels: int
    skills: int
    requirements: int
    scs_links: int
    duplicate_role_rows: int
    duplicate_skill_rows: int
    graded: int
    warnings: int
    files: list[str]

    def to_dict(self) -> dict:
        return dict(self.__dict__)


# ---------------------------------------------------------------- text helpers


def clean_name(text: str) -> str:
    """A name with stray whitespace (including non-breaking spaces) removed."""
    return " ".join(text.replace("\u00a0", " ").split())


def tidy_text(text: str) -> str:
    """Official text, normalised: LF line ends, no trailing spaces, bullets as ``- item`` lines."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").split("\n")
    out = [_BULLET.sub("- ", line).rstrip() if _BULLET.match(line) else line.rstrip() for line in lines]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def _is_not_defined(text: str) -> bool:
    return bool(_NOT_DEFINED.search(text))


def _decode(path: Path, what: str) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the {what} file ({exc.strerror or exc})") from None
    if not raw.strip():
        raise InputError(f"{path}: the {what} file is empty")
    return decode_text(raw, f"{path}: the {what} file")


def _read_csv(path: Path, what: str, required: tuple[str, ...], other: tuple[str, ...], other_what: str):
    """Yield (line number, row dict with stripped header names) from a CSV download, after checking its header."""
    text = _decode(path, what)
    if "\x00" in text:
        raise InputError(f"{path}: the {what} file is not a CSV text file (it contains NUL bytes)")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [clean_name(h) for h in next(reader)]
    except StopIteration:
        raise InputError(f"{path}: the {what} file is empty") from None
    except csv.Error as exc:
        raise InputError(f"{path}: not a readable CSV file ({exc})") from None
    present = {h.casefold() for h in header}
    missing = [c for c in required if c.casefold() not in present]
    if missing:
        if all(c.casefold() in present for c in other):
            raise InputError(f"{path}: this looks like the {other_what} file, not the {what} file "
                             f"(did you swap ROLES.csv and SKILLS.csv?)")
        raise InputError(f"{path}: the {what} file lacks the column(s) {', '.join(repr(m) for m in missing)} "
                         f"(found: {', '.join(repr(shown(h, 60)) for h in header[:12] if h)})")
    canonical = {c.casefold(): c for c in required + ("Role Type", "Skill Description", "Roles that require Skill")}
    keys = [canonical.get(h.casefold(), h) for h in header]
    rows = []
    start = reader.line_num + 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((start, dict(zip(keys, cells + [""] * (len(keys) - len(cells))))))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(f"{path}: line {start}: not readable as CSV ({exc})") from None
    if not rows:
        raise InputError(f"{path}: the {what} file has a header but no rows")
    return rows


# ---------------------------------------------------------------- reading


def read_release(roles_csv: Path, skills_csv: Path, progress: Callable[[str], None] | None = None) -> Release:
    """Parse the two downloads into a :class:`Release` (raises InputError on anything wrong)."""
    step = progress or (lambda stage: None)
    step(STAGES[0])
    role_rows = _read_csv(roles_csv, "roles", ROLE_COLUMNS, SKILL_COLUMNS, "skills")
    step(STAGES[1])
    skill_rows = _read_csv(skills_csv, "skills", SKILL_COLUMNS, ROLE_COLUMNS, "roles")

    skills: dict[str, Skill] = {}
    seen_skill_rows: set[tuple] = set()
    dup_skills = 0
    for line, row in skill_rows:
        key = tuple(sorted(row.items()))
        if key in seen_skill_rows:
            dup_skills += 1
            continue
        seen_skill_rows.add(key)
        name = clean_name(row["Skill Name"])
        if not name:
            raise InputError(f"{skills_csv}: line {line}: the skill has no name")
        levels = {lv: tidy_text(row[lv.capitalize()]) for lv in SKILL_LEVELS
                  if not _is_not_defined(row[lv.capitalize()])}
        skill = Skill(name, tidy_text(row["Skill Description"]), levels)
        if name.casefold() in {s.casefold() for s in skills}:
            raise InputError(f"{skills_csv}: line {line}: the skill \"{name}\" appears twice with different text")
        skills[name] = skill
    by_fold = {s.casefold(): s for s in skills}

    roles: dict[str, Role] = {}
    families: list[str] = []
    seen_rows: set[tuple] = set()
    dup_roles = 0
    for line, row in role_rows:
        key = tuple(sorted((k, v.strip()) for k, v in row.items()))
        if key in seen_rows:
            dup_roles += 1
            continue
        seen_rows.add(key)
        family, name = clean_name(row["Role Family"]), clean_name(row["Role"])
        level_name, skill_name = clean_name(row["Role Level"]), clean_name(row["Skill Name"])
        skill_level = clean_name(row["Skill Level"]).casefold()
        scs = "senior civil service" in row.get("Role Type", "").casefold() or level_name.casefold() == NOT_IN_USE
        for label, value in (("job family", family), ("role", name), ("skill name", skill_name)):
            if not value:
                raise InputError(f"{roles_csv}: line {line}: the {label} cell is empty")
        if skill_name.casefold() not in by_fold:
            raise InputError(f"{roles_csv}: line {line}: the skill \"{skill_name}\" is not in {skills_csv.name}")
        skill_name = by_fold[skill_name.casefold()]
        if family not in families:
            families.append(family)
        role = roles.get(name)
        if role is None:
            role = roles[name] = Role(name, family, tidy_text(row["Role Description"]), scs)
        elif role.family != family or role.scs != scs:
            raise InputError(f"{roles_csv}: line {line}: the role \"{name}\" appears with a different "
                             f"{'job family' if role.family != family else 'role type'} than before")
        if scs:
            if skill_level not in (NOT_IN_USE, ""):
                raise InputError(f"{roles_csv}: line {line}: Senior Civil Service role \"{name}\" has a skill "
                                 f"level \"{row['Skill Level'].strip()}\" (expected NOT IN USE)")
            if skill_name not in role.scs_skills:
                role.scs_skills.append(skill_name)
            continue
        if not level_name:
            raise InputError(f"{roles_csv}: line {line}: the role level cell is empty")
        if skill_level not in SKILL_LEVELS:
            raise InputError(f"{roles_csv}: line {line}: unknown skill level \"{row['Skill Level'].strip()}\" "
                             f"(expected one of {', '.join(s.capitalize() for s in SKILL_LEVELS)})")
        level = role.levels.get(level_name)
        if level is None:
            level = role.levels[level_name] = Level(level_name, tidy_text(row["Role Level Description"]), line)
        old = level.requirements.get(skill_name)
        if old is not None and old != skill_level:
            raise InputError(f"{roles_csv}: line {line}: \"{level_name}\" requires \"{skill_name}\" at both "
                             f"{old} and {skill_level}")
        level.requirements[skill_name] = skill_level
    return Release(roles, skills, families, dup_roles, dup_skills)


def order_levels(role: Role) -> None:
    """Set ``rg:order`` 1..n on the role's levels (see the module docstring for the rule)."""
    rank = {lv: i for i, lv in enumerate(SKILL_LEVELS, 1)}

    def key(item):
        index, level = item
        low = level.name.casefold()
        head = low.startswith(("head of", "head ", "chief "))
        mean = sum(rank[v] for v in level.requirements.values()) / max(len(level.requirements), 1)
        title = next((r for word, r in _TITLE_RANK if low.startswith(word + " ")), 5)
        return (head, mean, title, index)

    for order, (_, level) in enumerate(sorted(enumerate(role.levels.values()), key=key), 1):
        level.order = order


# ---------------------------------------------------------------- grades file


def read_grades(path: Path) -> dict[str, list[str]]:
    """Read a grades file: role level (or Senior Civil Service role) name -> grade slugs (e.g. ``g7``).

    The file is a CSV with a header row ``Role Level,Grades``; each further row
    names a role level and lists its grades as the framework writes them,
    separated by ``;`` (or ``/`` or ``,``), e.g. ``Senior data engineer,"G7; G6"``
    or ``Chief data officer,SCS 2``. Grades: AA, AO, EO, HEO, SEO, G7 (or Grade 7),
    G6 (or Grade 6), SCS 1, SCS 2, SCS 3. Blank lines and lines starting with
    ``#`` are ignored.
    """
    text = _decode(path, "grades")
    rows = [r for r in csv.reader(io.StringIO(text, newline="")) if r and not r[0].lstrip().startswith("#")]
    if not rows or [clean_name(c).casefold() for c in rows[0][:2]] != ["role level", "grades"]:
        raise InputError(f"{path}: a grades file starts with the header row \"Role Level,Grades\"")
    out: dict[str, list[str]] = {}
    for number, row in enumerate(rows[1:], 2):
        if not any(c.strip() for c in row):
            continue
        name = clean_name(row[0])
        cells = ",".join(row[1:])
        grades = []
        for part in re.split(r"[;/,]| and ", cells):
            if not part.strip():
                continue
            slug = GRADES.get(slugify(part))
            if slug is None:
                raise InputError(f"{path}: row {number}: unknown grade \"{part.strip()}\" for \"{name}\" "
                                 "(expected AA, AO, EO, HEO, SEO, G7, G6, SCS 1, SCS 2 or SCS 3)")
            grades.append(slug)
        out[name] = list(dict.fromkeys(grades))
    return out


# ---------------------------------------------------------------- writing Turtle


def lit(text: str, lang: str | None = "en") -> str:
    """A Turtle string literal (long form when the text has several lines)."""
    body = text.replace("\\", "\\\\").replace('"', '\\"')
    if "\n" in body:
        quoted = f'"""{body.replace(chr(13), "")}"""'
    else:
        quoted = f'"{body}"'
    return f"{quoted}@{lang}" if lang else quoted


def block(subject: str, pairs: list[tuple[str, str | list[str]]]) -> str:
    """A Turtle subject block, one predicate per line, objects comma-joined."""
    lines = []
    for pred, obj in pairs:
        if isinstance(obj, list):
            obj = list(dict.fromkeys(obj))
            if not obj:
                continue
            obj = ",\n        ".join(obj) if len(obj) > 1 else obj[0]
        lines.append(f"    {pred} {obj}")
    return f"{subject}\n" + " ;\n".join(lines) + " .\n"


def bundled_iris() -> dict[tuple[str, str], str]:
    """(kind, folded label) -> IRI local name, for bundled nodes whose IRI is not the slug of their label."""
    from .graph import RoleGraph

    g = RoleGraph.load()
    out = {}
    for kind in ("role", "level", "skill", "family"):
        for e in g.entities(kind):
            if slugify(e.label) != e.slug:
                out[(kind, e.label.casefold())] = e.slug
    rows = g.select("""SELECT ?n ?type ?l WHERE {
        VALUES ?type { rg:Role rg:RoleLevel rg:Skill rg:JobFamily } ?n a ?type ; skos:altLabel ?l }""")
    kinds = {"Role": "role", "RoleLevel": "level", "Skill": "skill", "JobFamily": "family"}
    for r in rows:
        out.setdefault((kinds[r["type"].rsplit("#", 1)[1]], r["l"].casefold()), r["n"].rstrip("/").rsplit("/", 1)[1])
    return out


def _slug(kind: str, name: str, known: dict[tuple[str, str], str]) -> str:
    slug = known.get((kind, name.casefold())) or slugify(name)
    if not slug:   # "***": no letters or digits, so the IRI would be the bare namespace
        raise InputError(f'the {"role level" if kind == "level" else kind} name "{shown(name)}" has no letters or '
                         "digits to make an IRI from")
    return slug


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def render(rel: Release, version: str, issued: str, sources: list[Path], graded: bool,
           known: dict[tuple[str, str], str]) -> dict[str, str]:
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
    scs_note = ("Senior Civil Service role: the CSV download lists it with NOT IN USE role and skill levels. "
                "rolegraph's importer gives it the profession Government Digital and Data (a rule of the "
                "importer, not stated in the CSV) and requirements without a skill level.")

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
            ("dcterms:source", f"<{SITE}>"), ("dcterms:isPartOf", release)]))
        for role in roles:
            parts.append(f"# ---------------------------------------------------------------- {role.name}\n")
            pairs: list[tuple[str, str | list[str]]] = [
                ("a", "rg:Role, rg:SeniorCivilServiceRole" if role.scs else "rg:Role"),
                ("skos:prefLabel", lit(role.name)),
                ("rg:family", f"family:{fslug}"),
                ("dcterms:description", lit(role.description)) if role.description else None,
                ("dcterms:source", f"<{SITE}role/{role.slug}/>"),
            ]
            if role.scs:
                pairs += [("rg:profession", SCS_PROFESSION),
                          ("rg:grade", [f"grade:{g}" for g in role.grades]),
                          ("skos:editorialNote", lit(scs_note)),
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
                if level.description:
                    lpairs.append(("dcterms:description", lit(level.description)))
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
            pairs.append(("dcterms:description", lit(skill.description)))
        pairs += [("skos:note", [lit(f"{lv.capitalize()}: {text}") for lv, text in skill.levels.items() if text]),
                  ("dcterms:source", f"<{SITE}skills#{skill.slug}>"),
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
        "Senior Civil Service roles (NOT IN USE levels in the CSV) are given the profession Government Digital "
        "and Data by the importer; the CSV does not state professions.",
        "Descriptions are the official text; bullet lists are kept as lines starting with '- '. A skill's "
        "per-level descriptions are skos:note values starting with the level name.",
        "Grades come from a grades file given to the importer." if graded else
        "The CSV downloads carry no grades, so this release has none.",
    ]
    if rel.duplicate_role_rows or rel.duplicate_skill_rows:
        notes.append(f"Dropped {rel.duplicate_role_rows} duplicate row(s) of the roles file and "
                     f"{rel.duplicate_skill_rows} of the skills file.")
    pairs = [
        ("a", "rg:Release, prov:Entity"),
        ("skos:prefLabel", lit(f"{FRAMEWORK}, {month} release")),
        ("dcterms:title", lit(FRAMEWORK)),
        ("schema:version", lit(version, None)),
        ("dcterms:issued", f'"{issued}"^^xsd:date'),
        ("dcterms:publisher", lit("Government Digital Service (Department for Science, Innovation and Technology)")),
        ("dcterms:source", f"<{SITE}>"),
        ("prov:wasDerivedFrom", [f"<{p.resolve().as_uri()}>" for p in sources]),
        ("dcterms:license", f"<{OGL}>"),
        ("dcterms:rights", lit(
            "Contains public sector information licensed under the Open Government Licence v3.0. "
            f"Names, relations and descriptions are from the {FRAMEWORK}, Crown copyright.")),
        ("skos:editorialNote", [lit(n) for n in notes]),
    ]
    text = PREFIXES + "\n" + block(release, pairs)
    for p in sources:
        text += f"\n<{p.resolve().as_uri()}> a prov:Entity ;\n    dcterms:title {lit(p.name, None)} ;\n" \
                f"    schema:sha256 {lit(_sha256(p), None)} .\n"
    files["release.ttl"] = text
    return files


# ---------------------------------------------------------------- the whole import


def _release_date(roles_csv: Path, release_date: str | None) -> str:
    if release_date:
        try:
            return Date.fromisoformat(release_date).isoformat()
        except ValueError:
            raise InputError(f"--release-date {release_date!r} is not a date like 2025-10-01") from None
    m = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", roles_csv.resolve().parent.name)
    if m:
        try:
            return Date(int(m[1]), int(m[2]), int(m[3] or 1)).isoformat()
        except ValueError:
            pass
    return Date.fromtimestamp(roles_csv.stat().st_mtime).isoformat()


def _apply_grades(rel: Release, grades: dict[str, list[str]], path: Path) -> int:
    targets: dict[str, Level | Role] = {}
    for role in rel.roles.values():
        if role.scs:
            targets[role.name.casefold()] = role
        for level in role.levels.values():
            targets[level.name.casefold()] = level
    unknown = [n for n in grades if n.casefold() not in targets]
    if unknown:
        raise InputError(f"{path}: no role level or Senior Civil Service role is called "
                         f"{', '.join(repr(n) for n in unknown[:3])}{' ...' if len(unknown) > 3 else ''}")
    for name, slugs in grades.items():
        targets[name.casefold()].grades = slugs
    return sum(1 for n, g in grades.items() if g)


def import_release(roles_csv: Path, skills_csv: Path, out: Path, *, release_date: str | None = None,
                   grades: Path | None = None, force: bool = False,
                   progress: Callable[[str], None] | None = None) -> ImportSummary:
    """Convert the two CSV downloads into Turtle under *out*, validated; see the module docstring.

    *out* must not exist, be empty, or (with *force*) it is replaced. Raises
    :class:`InputError` on unusable input and :class:`ImportValidationError` when
    the result fails the shapes; in both cases nothing is written.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise InputError(f"{out}: the folder is not empty (use --force to replace it)")
    issued = _release_date(roles_csv, release_date)
    version = issued[:7]
    rel = read_release(roles_csv, skills_csv, progress)
    graded = _apply_grades(rel, read_grades(grades), grades) if grades else 0
    (progress or (lambda s: None))(STAGES[2])
    files = render(rel, version, issued, [roles_csv, skills_csv], bool(grades), bundled_iris())

    parent = out.resolve().parent
    created: list[Path] = []   # missing parent folders made here, removed again if the import fails
    tmp: Path | None = None
    done = False
    try:
        try:
            make_parents(out.resolve(), created)
            with signals_held():   # a signal between making the folder and naming it would leave it behind
                tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=parent))
            os.chmod(tmp, default_mode(folder=True))   # mkdtemp makes 0700; a release folder follows the umask
        except OSError as exc:
            raise InputError(f"{out}: cannot create the output folder ({exc.strerror or exc})") from None
        for rel_path, text in files.items():
            target = tmp / rel_path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        (progress or (lambda s: None))(STAGES[3])
        report = _validate(tmp)
        if not report.conforms:
            first = report.by_severity()["Violation"][0]
            raise ImportValidationError(
                f"the imported data does not validate: {report.count('Violation')} violation(s), first: "
                f"{first.focus_label}: {first.message.rstrip('.')}; nothing was written")
        with signals_held():   # never stop between moving the old release aside and the new one in
            _swap_into_place(tmp, out)
            done = True
    except OSError as exc:
        raise OutputError(f"{out}: cannot write the release ({exc.strerror or exc}); nothing was written") from None
    finally:
        if tmp is not None and tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        if not done:
            remove_created(created)
    levels = sum(len(r.levels) for r in rel.roles.values())
    return ImportSummary(
        out=str(out), version=version, issued=issued, families=len(rel.families),
        roles=sum(1 for r in rel.roles.values() if not r.scs), scs_roles=sum(1 for r in rel.roles.values() if r.scs),
        levels=levels, skills=len(rel.skills),
        requirements=sum(len(lv.requirements) for r in rel.roles.values() for lv in r.levels.values()),
        scs_links=sum(len(r.scs_skills) for r in rel.roles.values()),
        duplicate_role_rows=rel.duplicate_role_rows, duplicate_skill_rows=rel.duplicate_skill_rows,
        graded=graded, warnings=report.count("Warning"), files=sorted(files))


def _validate(folder: Path):
    from .graph import RoleGraph

    return RoleGraph.load([folder]).validate()


def _swap_into_place(tmp: Path, out: Path) -> None:
    """Rename *tmp* to *out*; an existing *out* is moved aside first and removed only after the rename."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.replace(out, old)
    try:
        os.replace(tmp, out)
    except OSError:
        if old is not None:
            os.replace(old, out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
