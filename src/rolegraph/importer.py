"""Import a release of the framework from its official CSV downloads (``roles.csv`` and ``skills.csv``).

The result is Turtle in the same model and IRI scheme as the bundled ``data/``
(``release.ttl``, ``skills.ttl``, ``families/<slug>.ttl``), so the same role gets
the same IRI in every release and two releases can be compared with
:func:`rolegraph.diff.diff`. The import is four steps, each in its own module:

1. :mod:`rolegraph.csv_release` reads the CSVs (and a ``--grades`` file) into dataclasses;
2. :mod:`rolegraph.level_order` orders each role's levels (the CSV has no level number);
3. :mod:`rolegraph.release_turtle` writes the Turtle, through :mod:`rolegraph.turtle`;
4. :mod:`rolegraph.folder_swap` puts the folder in place once it validates.

This module joins them and keeps what the CSV cannot express. A known release
(``previous=``, default the bundled data) supplies:

* **professions** of Senior Civil Service roles (the CSV has no profession
  column): the known release's professions for a role of the same name, else
  Government Digital and Data by rule;
* **grades**, for role levels and SCS roles that the grades file does not
  cover, but only from a release *earlier* than the one imported (a later
  release's grades would hide the grade changes between the two).

Each such value carries ``rg:inferredProperty`` and an editorial note naming its
source; grades from ``--grades`` are noted as coming from that file.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path
from typing import Callable

from .csv_release import STAGES, Level, Release, Role, read_grades, read_release, tidy_text
from .errors import InputError, RolegraphError
from .folder_swap import write_folder
from .release_turtle import SCS_PROFESSION, KnownRelease, known_release, render

__all__ = ["STAGES", "ImportSummary", "ImportValidationError", "import_release", "read_grades", "read_release",
           "tidy_text"]


class ImportValidationError(RolegraphError):
    """The converted data does not pass the SHACL shapes (nothing is written)."""

    exit_code = 1


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
        node = targets[name.casefold()]
        node.grades, node.grades_from = slugs, f"from the grades file {path.name} given to the importer"
    return sum(1 for n, g in grades.items() if g)


def _keep_known_facts(rel: Release, version: str, known: KnownRelease) -> int:
    """Give SCS roles their professions, and ungraded levels the grades of an earlier release; how many grades."""
    earlier = bool(known.version and known.version < version)
    carried = 0
    for role in rel.roles.values():
        targets: list[Role | Level] = [role] if role.scs else list(role.levels.values())
        if role.scs:
            profs = known.professions.get(role.name.casefold())
            role.professions = profs or [SCS_PROFESSION]
            role.professions_from = (f"kept from release {known.version}, as the CSV has no profession column"
                                     if profs else "Government Digital and Data by the importer's rule for "
                                                   "Senior Civil Service roles (the CSV has no profession column)")
        for node in targets:
            grades = known.grades.get(node.name.casefold())
            if earlier and grades and not node.grades:
                node.grades, node.grades_inferred = grades, True
                node.grades_from = f"carried over from release {known.version} (the CSV has no grades)"
                carried += 1
    return carried


#: the file ``import`` writes in a release folder: only a folder holding it may be replaced by ``--force``
MARKER = ".rolegraph-release"


def is_release_folder(folder: Path) -> bool:
    """True when *folder* holds a release written by ``rolegraph import``: it has the :data:`MARKER` file, or
    (a release of an earlier version, written before the marker) it has ``release.ttl`` and nothing but
    Turtle files in it and its subfolders. A folder of other files is never a release."""
    marker = folder / MARKER
    if marker.is_file() and not marker.is_symlink():
        return True
    if not (folder / "release.ttl").is_file():
        return False
    for root, dirs, names in os.walk(folder):
        if any(Path(root, d).is_symlink() for d in dirs):
            return False
        if any(not n.endswith(".ttl") or Path(root, n).is_symlink() for n in names):
            return False
    return True


def import_release(roles_csv: Path, skills_csv: Path, out: Path, *, release_date: str | None = None,
                   grades: Path | None = None, force: bool = False, previous: Path | None = None,
                   progress: Callable[[str], None] | None = None) -> ImportSummary:
    """Convert the two CSV downloads into Turtle under *out*, validated; see the module docstring.

    *out* must not exist, be empty, or (with *force*) it is replaced. Raises
    :class:`InputError` on unusable input and :class:`ImportValidationError` when
    the result fails the shapes; in both cases nothing is written. *previous* is
    the known release whose professions and (earlier) grades are kept (default:
    the bundled data).
    """
    out = Path(out)
    if out.is_symlink():
        raise InputError(f"{out}: is a symbolic link; name the real folder")
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()):
        if not force:
            raise InputError(f"{out}: the folder is not empty (use --force to replace it)")
        if not is_release_folder(out):
            raise InputError(f"{out}: --force replaces only a release folder written by rolegraph import, and this "
                             f"folder holds other files (no {MARKER}); nothing was changed",
                             "choose a new or empty folder")
    issued = _release_date(roles_csv, release_date)
    version = issued[:7]
    rel = read_release(roles_csv, skills_csv, progress)
    graded = _apply_grades(rel, read_grades(grades), grades) if grades else 0
    if previous is not None and not Path(previous).exists():
        raise InputError(f"{previous}: the previous release does not exist")
    known = known_release(previous)
    graded += _keep_known_facts(rel, version, known)
    (progress or (lambda s: None))(STAGES[2])
    files = render(rel, version, issued, [roles_csv, skills_csv], bool(grades), known)
    warnings = 0

    def check(folder: Path) -> None:
        nonlocal warnings
        (progress or (lambda s: None))(STAGES[3])
        from .graph import RoleGraph

        report = RoleGraph.load([folder]).validate()
        if not report.conforms:
            first = report.by_severity()["Violation"][0]
            raise ImportValidationError(
                f"the imported data does not validate: {report.count('Violation')} violation(s), first: "
                f"{first.focus_label}: {first.message.rstrip('.')}; nothing was written")
        warnings = report.count("Warning")

    files[MARKER] = f"rolegraph import: release {version}; `rolegraph import --force` may replace this folder\n"
    write_folder(files, out, check)
    levels = sum(len(r.levels) for r in rel.roles.values())
    return ImportSummary(
        out=str(out), version=version, issued=issued, families=len(rel.families),
        roles=sum(1 for r in rel.roles.values() if not r.scs), scs_roles=sum(1 for r in rel.roles.values() if r.scs),
        levels=levels, skills=len(rel.skills),
        requirements=sum(len(lv.requirements) for r in rel.roles.values() for lv in r.levels.values()),
        scs_links=sum(len(r.scs_skills) for r in rel.roles.values()),
        duplicate_role_rows=rel.duplicate_role_rows, duplicate_skill_rows=rel.duplicate_skill_rows,
        graded=graded, warnings=warnings, files=sorted(f for f in files if f != MARKER))
