"""A team's capability map: coverage, heatmap, single points of failure, succession and hiring gaps.

**Input.** A roster CSV ``person,role level[,grade]`` (header row optional) with one profile per member in
a folder (``DIR/<person>.csv|.tsv|.json|.ttl``), or one long CSV ``person,skill,level[,evidence]`` (header row
required, naming ``skill``; optional columns ``role level`` and ``grade``). Person ids are pseudonymous tokens
(letters, digits, ``.``, ``_``, ``-``). Optionally a target CSV ``role level,count``: the structure the
team should have.

**Rules.**

* *Needed level* of a skill: the highest level any member's own role level (or a target level) requires.
* *Coverage*: per needed skill, how many members hold it at each level (0-4) and how many at the needed level.
* *Single point of failure*: a needed skill held at the needed level by exactly one member.
* *Succession*: for each member, fit with the next level of their role (:mod:`rolegraph.people.assess`'s
  fit rule); and for each target level and next level, the members who meet all of it (fit 1.0).
* *Hiring gap*: per target level, wanted - members at it now - members ready for it from elsewhere
  (never below 0).
* *Aggregate view* (:meth:`Team.aggregate`): no person ids, and every count below ``min_count`` shown as
  ``"<min_count"`` so the view can be shared.

>>> from rolegraph.graph import RoleGraph
>>> from rolegraph.people import profile_from_levels
>>> g = RoleGraph.load()
>>> t = team(g, [Member("p1", profile_from_levels(g, {"data-modelling": 3}, role_level="Data engineer"))])
>>> t.size, [c.skill for c in t.coverage if c.skill == "Data modelling"]
(1, ['Data modelling'])
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from ..careers.graphs import SCS_ASSUMED_RANK
from ..careers.model import career_model
from ..careers.results import _Result
from ..errors import InputError, shown
from .assess import READY_FIT
from .profiles import SCALE, Profile, _norm, _Reader, decode, names, parse_profile, read_capped

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import RoleGraph

#: people in a team at most (a department's whole profession fits; a stray file of millions does not)
MAX_PEOPLE = 20_000
#: the largest roster or long CSV read (bytes): 20,000 people with 40 ratings each fit several times over
MAX_ROSTER_BYTES = 200_000_000
#: the default threshold of the aggregate view
MIN_COUNT = 5
#: fit from which a member counts as "nearly ready" in succession lists
NEARLY_FIT = 0.8
PROFILE_SUFFIXES = (".csv", ".tsv", ".json", ".ttl")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


@dataclass
class Member:
    """One member of a team: a pseudonymous id and their profile (role level and grade inside it)."""

    id: str
    profile: Profile


@dataclass
class Coverage(_Result):
    """One needed skill: needed level, members by held level (index 0-4), holders at the needed level."""

    skill: str
    needed: str | None
    needed_rank: int
    by_level: list[int]
    holders: int
    holder_ids: list[str] = field(default_factory=list)


@dataclass
class Successor(_Result):
    """A member's fit with the next level of their own role."""

    person: str
    current: str | None
    next: str | None
    fit: float | None
    ready: bool
    steps_to_go: int | None


@dataclass
class LevelBench(_Result):
    """Who meets a role level (fit 1.0) and who nearly does (fit >= NEARLY_FIT)."""

    level: str
    ready: list[str]
    nearly: list[str]


@dataclass
class HiringGap(_Result):
    """A target level: wanted, members at it now, members ready for it from elsewhere, and to hire."""

    level: str
    wanted: int
    have: int
    ready_elsewhere: int
    hire: int


@dataclass
class Team(_Result):
    """The result of :func:`team`."""

    size: int
    min_count: int
    coverage: list[Coverage]
    single_points_of_failure: list[dict]
    succession: list[Successor]
    bench: list[LevelBench]
    hiring: list[HiringGap]
    levels: list[str] = field(default_factory=lambda: list(SCALE))

    def aggregate(self) -> dict:
        """The shareable view: no person ids, every count below ``min_count`` hidden as ``"<min_count"``."""
        k = self.min_count

        def c(n: int) -> int | str:
            return n if n >= k or n == 0 else f"<{k}"

        return {"min_count": k, "size": c(self.size), "levels": list(SCALE),
                "coverage": [{"skill": x.skill, "needed": x.needed, "by_level": [c(n) for n in x.by_level],
                              "holders": c(x.holders)} for x in self.coverage],
                "hiring": [{"level": h.level, "wanted": h.wanted, "have": c(h.have),
                            "ready_elsewhere": c(h.ready_elsewhere), "hire": h.hire} for h in self.hiring],
                "note": f"Counts from 1 to {k - 1} are shown as <{k}; no person is named."}


# ----------------------------------------------------------------------------- reading


def _rows(path: Path, where: str) -> list[tuple[int, list[str]]]:
    text = decode(read_capped(path, MAX_ROSTER_BYTES), where, limit=MAX_ROSTER_BYTES)
    delimiter = "\t" if Path(path).suffix.lower() == ".tsv" or "\t" in text.split("\n", 1)[0] else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    out = []
    try:
        for row in reader:
            if row and any(c.strip() for c in row) and not row[0].lstrip().startswith("#"):
                out.append((reader.line_num, [c.strip() for c in row]))
    except csv.Error as exc:
        raise InputError(f"{where}, line {reader.line_num}: not valid CSV ({exc})") from None
    if not out:
        raise InputError(f"{where}: the file names nobody", "rows of person,role level[,grade]")
    return out


def _person(where: str, line: int, value: str) -> str:
    if not _ID.fullmatch(value):
        raise InputError(f'{where}, line {line}: person id "{shown(value)}" is not a pseudonymous id',
                         "use letters, digits, '.', '_' and '-' (at most 64), not starting with '.'")
    return value


def _header(rows: list[tuple[int, list[str]]]) -> dict[str, int] | None:
    first = [_norm(c).replace("_", " ") for c in rows[0][1]]
    if first and first[0] in ("person", "id", "pseudonym", "person id"):
        return {name: i for i, name in enumerate(first)}
    return None


def read_team(g: "RoleGraph", roster: Path | str, profiles: Path | str | None = None) -> list[Member]:
    """The members of the roster *roster* (see the module docstring), with profiles from *profiles*."""
    where = str(roster)
    rows = _rows(Path(roster), where)
    head = _header(rows)
    if head is not None and "skill" in head:
        return _read_long(g, where, rows, head)
    if head is not None:
        rows = rows[1:]
    if len(rows) > MAX_PEOPLE:
        raise InputError(f"{where}: {len(rows):,} people; a team is at most {MAX_PEOPLE:,}")
    if profiles is None:
        raise InputError(f"{where}: a roster needs --profiles DIR (one profile per person), or give one long CSV "
                         "of person,skill,level")
    folder = Path(profiles)
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder of profiles")
    files: dict[str, Path] = {}
    try:
        for p in folder.iterdir():
            if p.suffix.lower() in PROFILE_SUFFIXES and p.is_file():
                files.setdefault(p.stem, p)
    except OSError as exc:
        raise InputError(f"{folder}: cannot read the folder ({exc.strerror or exc})") from None
    col = (head or {})
    i_level = col.get("role level", 1)
    i_grade = col.get("grade", 2)
    members: list[Member] = []
    seen: dict[str, int] = {}
    for line, cells in rows:
        pid = _person(where, line, cells[0])
        if pid in seen:
            raise InputError(f'{where}, line {line}: person "{pid}" is listed twice (first on line {seen[pid]})')
        seen[pid] = line
        meta = _Reader(g, where)
        meta.set_role_level(line, cells[i_level] if len(cells) > i_level else "")
        meta.set_grade(line, cells[i_grade] if len(cells) > i_grade else "")
        if pid not in files:
            raise InputError(f'{where}, line {line}: person "{pid}" has no profile in {folder}',
                             f"add {folder / (pid + '.csv')} (or .tsv, .json, .ttl)")
        prof = parse_profile(g, read_capped(files[pid]), str(files[pid]))
        _take_roster_facts(prof, meta, g)
        members.append(Member(pid, prof))
    return members


def _take_roster_facts(prof: Profile, meta: _Reader, g: "RoleGraph") -> None:
    """The roster's role level and grade win over the profile's own (the roster is the team's record)."""
    n = names(g)
    if meta.role_level:
        prof.role_level, prof.role_level_label = meta.role_level, n.level_labels[meta.role_level]
    if meta.grade:
        prof.grade, prof.grade_rank, prof.grade_label = meta.grade


def _read_long(g: "RoleGraph", where: str, rows: list[tuple[int, list[str]]], head: dict[str, int]) -> list[Member]:
    i_skill, i_level = head["skill"], head.get("level")
    if i_level is None:
        raise InputError(f"{where}, line {rows[0][0]}: the header names skill but no level column")
    i_ev, i_role, i_grade = head.get("evidence"), head.get("role level"), head.get("grade")
    readers: dict[str, _Reader] = {}

    def cell(cells: list[str], i: int | None) -> str:
        return cells[i] if i is not None and i < len(cells) else ""

    for line, cells in rows[1:]:
        pid = _person(where, line, cells[0])
        r = readers.get(pid)
        if r is None:
            if len(readers) >= MAX_PEOPLE:
                raise InputError(f"{where}: more than {MAX_PEOPLE:,} people")
            r = readers[pid] = _Reader(g, where)
        if cell(cells, i_role) and not r.role_level:
            r.set_role_level(line, cell(cells, i_role))
        if cell(cells, i_grade) and not r.grade:
            r.set_grade(line, cell(cells, i_grade))
        if cell(cells, i_skill):
            r.add(line, cell(cells, i_skill), cell(cells, i_level), cell(cells, i_ev) or None)
    members = []
    for pid, r in readers.items():
        if not r.ratings:
            raise InputError(f'{where}: person "{pid}" rates no skills')
        members.append(Member(pid, r.profile()))
    if not members:
        raise InputError(f"{where}: the file names nobody")
    return members


def read_target(g: "RoleGraph", path: Path | str) -> dict[str, int]:
    """A target structure: role level IRI -> count, from a CSV ``role level,count``."""
    where = str(path)
    rows = _rows(Path(path), where)
    if rows and _norm(rows[0][1][0]) in ("role level", "level", "role"):
        rows = rows[1:]
    out: dict[str, int] = {}
    for line, cells in rows:
        r = _Reader(g, where)
        r.set_role_level(line, cells[0])
        assert r.role_level is not None
        count = cells[1] if len(cells) > 1 else ""
        if not re.fullmatch(r"\d{1,6}", count):
            raise InputError(f'{where}, line {line}: count "{shown(count)}" is not a whole number',
                             "rows are role level,count")
        if r.role_level in out:
            raise InputError(f'{where}, line {line}: "{shown(cells[0])}" is listed twice')
        out[r.role_level] = int(count)
    return out


# ----------------------------------------------------------------------------- the map


def team(g: "RoleGraph", members: list[Member], target: dict[str, int] | None = None,
         min_count: int = MIN_COUNT) -> Team:
    """The capability map of *members* against their role levels and the *target* structure."""
    m = career_model(g)
    target = target or {}
    nodes = m.B.nodes
    needed: dict[str, int] = {}
    for p in [x.profile.role_level for x in members if x.profile.role_level in m.index] + list(target):
        for s, d in m.B.adj[p].items():
            needed[s] = max(needed.get(s, 0), int(d["weight"] or SCS_ASSUMED_RANK))
    helds = [(x.id, x.profile.held()) for x in members]
    coverage = []
    for s, r in needed.items():
        by_level = [0] * len(SCALE)
        ids = []
        for pid, held in helds:
            h = held.get(s, 0)
            by_level[h] += 1
            if h >= r:
                ids.append(pid)
        coverage.append(Coverage(nodes[s]["label"], SCALE[r] if r < len(SCALE) else None, r, by_level, len(ids),
                                 ids))
    coverage.sort(key=lambda c: (c.holders, -c.needed_rank, c.skill.casefold()))
    spof = [{"skill": c.skill, "needed": c.needed, "person": c.holder_ids[0]} for c in coverage if c.holders == 1]
    # fit by bitsets: min(h, r) = the number of thresholds t in 1..4 with h >= t and r >= t, so a member's
    # met weight for a level is the sum over t of popcount(need_t & held_t) -- 4 integer ANDs per pair
    sid: dict[str, int] = {}
    needs: dict[str, tuple[tuple[int, ...], int]] = {}

    def bits(levels: Iterable[tuple[str, int]]) -> tuple[int, ...]:
        out = [0, 0, 0, 0]
        for s, r in levels:
            bit = 1 << sid.setdefault(s, len(sid))
            for t in range(min(r, 4)):
                out[t] |= bit
        return tuple(out)

    held_bits = {x.id: bits(x.profile.held().items()) for x in members}

    def fit(p: str, pid: str) -> tuple[float, int]:
        """(fit, level steps to go) of member *pid* for position *p*, by assess's rule."""
        if p not in needs:
            items = [(s, int(d["weight"] or SCS_ASSUMED_RANK)) for s, d in m.B.adj[p].items()]
            needs[p] = bits(items), sum(r for _, r in items)
        need, total = needs[p]
        got = sum((n & h).bit_count() for n, h in zip(need, held_bits[pid]))
        return (round(got / total, 4) if total else 0.0), total - got

    succession = []
    for x in members:
        own = x.profile.role_level
        nxt = m.next_level.get(own) if own in m.index else None
        if nxt is None:
            succession.append(Successor(x.id, x.profile.role_level_label, None, None, False, None))
            continue
        f, to_go = fit(nxt, x.id)
        succession.append(Successor(x.id, x.profile.role_level_label, m.label(nxt), f, f >= READY_FIT, to_go))
    bench_levels = list(dict.fromkeys(list(target) + [m.next_level[x.profile.role_level] for x in members
                                                      if x.profile.role_level in m.next_level]))
    bench = []
    ready_for: dict[str, list[str]] = {}
    for p in bench_levels:
        ready, nearly = [], []
        for pid, held in helds:
            f, _ = fit(p, pid)
            if f >= READY_FIT:
                ready.append(pid)
            elif f >= NEARLY_FIT:
                nearly.append(pid)
        ready_for[p] = ready
        bench.append(LevelBench(m.label(p), ready, nearly))
    at_level: dict[str, list[str]] = {}
    for x in members:
        if x.profile.role_level:
            at_level.setdefault(x.profile.role_level, []).append(x.id)
    hiring = []
    for p, wanted in target.items():
        have = len(at_level.get(p, []))
        elsewhere = len([pid for pid in ready_for.get(p, []) if pid not in at_level.get(p, [])])
        hiring.append(HiringGap(m.label(p), wanted, have, elsewhere, max(0, wanted - have - elsewhere)))
    return Team(len(members), min_count, coverage, spof, succession, bench, hiring)


def heat(count: int, size: int) -> str:
    """The fill of a heatmap cell: white for 0, then darker blue as more of the team holds that level."""
    if not count or not size:
        return "#ffffff"
    share = count / size
    light = round(92 - 62 * share)
    return f"hsl(210, 70%, {light}%)"


def text_colour(count: int, size: int) -> str:
    """Dark text on light cells, white on dark ones (contrast of 4.5:1 or more either way)."""
    return "#ffffff" if size and count / size > 0.45 else "#0b0c0c"


def as_rows(t: Team, aggregate: bool = False) -> list[dict[str, Any]]:
    """Coverage as flat rows (CSV): skill, needed, one column per level, holders."""
    data = t.aggregate()["coverage"] if aggregate else [c.to_dict() for c in t.coverage]
    return [{"skill": c["skill"], "needed": c["needed"], **{SCALE[i]: n for i, n in enumerate(c["by_level"])},
             "holders": c["holders"]} for c in data]
