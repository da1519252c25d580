"""Reading the framework's official CSV downloads (``roles.csv``, ``skills.csv``) and a grades file.

The result is plain dataclasses (:class:`Release` with its roles, levels and
skills); nothing here knows about RDF. Every problem in the input raises
:class:`~rolegraph.errors.InputError` naming the file and line.

Quirks handled: a UTF-8 byte order mark, Windows line endings, multi-line cells,
stray or doubled whitespace in names, exact duplicate rows (dropped and
counted), ``NOT IN USE`` markers of Senior Civil Service rows, level cells that
say a skill level is not defined.

>>> clean_name("  Gadget   analyst ")
'Gadget analyst'
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .errors import InputError, shown
from .safe_io import decode_text
from .slugs import slugify

ROLE_COLUMNS = ("Role Family", "Role", "Role Description", "Role Level", "Role Level Description",
                "Skill Name", "Skill Level")
SKILL_COLUMNS = ("Skill Name", "Skill Description", "Awareness", "Working", "Practitioner", "Expert")
SKILL_LEVELS = ("awareness", "working", "practitioner", "expert")
NOT_IN_USE = "not in use"
GRADES = {"aa": "aa", "ao": "ao", "eo": "eo", "heo": "heo", "seo": "seo", "g7": "g7", "grade-7": "g7",
          "g6": "g6", "grade-6": "g6", "scs-1": "scs-1", "scs1": "scs-1", "scs-2": "scs-2", "scs2": "scs-2",
          "scs-3": "scs-3", "scs3": "scs-3"}
_NOT_DEFINED = re.compile(r"\bnot\s+(?:currently\s+|yet\s+)?defined\b|^\s*(?:n/?a|-|none)?\s*$", re.I)
_BULLET = re.compile(r"^\s*(?:[-*\u2022\u2013\u25cf\u25aa])\s+")

#: The steps of an import reported to a progress callback, in order (the first two are read here).
STAGES = ("reading the roles file", "reading the skills file", "writing Turtle", "validating")


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
    grades_from: str = ""          # where the grades came from (the CSVs carry none), for the notes
    grades_inferred: bool = False  # carried over from another release rather than stated for this one


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
    grades_from: str = ""
    grades_inferred: bool = False
    professions: list[str] = field(default_factory=list)   # profession local names, e.g. government-security
    professions_from: str = ""


@dataclass
class Skill:
    name: str
    description: str
    levels: dict[str, str] = field(default_factory=dict)   # skill level -> description (defined ones only)
    slug: str = ""


@dataclass
class Release:
    """One release as read from the CSVs: roles by name, skills by name, job families in file order."""

    roles: dict[str, Role]
    skills: dict[str, Skill]
    families: list[str]
    duplicate_role_rows: int = 0
    duplicate_skill_rows: int = 0


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
