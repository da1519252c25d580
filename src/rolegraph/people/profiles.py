"""Profiles: a person's rating of their skills, read from and written to Turtle, JSON and CSV/TSV.

This is the one reader/writer of profiles. A profile is personal data: it is read into its own small
objects (:class:`Profile`), never into the framework's graph, a store folder or a cache, and nothing here
logs or prints it.

**Scale.** Each rated skill has a level on the framework's scale, by name or on the 0-4 scale:
``0`` not yet, ``1`` awareness, ``2`` working, ``3`` practitioner, ``4`` expert (:data:`SCALE`).

**Skill names.** A skill is named by its official name, a former name (read as the renamed skill, with a
note), the site's anchor id (``data-modelling``, as in ``.../skills#data-modelling``) or its IRI; any case.

**Files** (chosen by suffix; another suffix is sniffed):

* CSV/TSV (``.csv``, ``.tsv``): rows ``skill,level[,evidence]``; an optional header row starting ``skill``;
  comment lines ``# grade: SEO`` and ``# role level: Senior data engineer``; other ``#`` lines are ignored.
* JSON (``.json``): ``{"grade": ..., "role_level": ..., "ratings": [{"skill", "level", "evidence"}]}``
  (``ratings`` may also be an object ``{skill: level}``).
* Turtle (``.ttl``): one ``rgp:Profile`` with ``rgp:claim`` nodes (``ontology/people.ttl``), checked by the
  rules of ``ontology/people-shapes.ttl``.

Every problem is one :class:`~rolegraph.errors.InputError` naming the file, the line and the value.

>>> from rolegraph.graph import RoleGraph
>>> g = RoleGraph.load()
>>> p = parse_profile(g, b"skill,level\\nData modelling,3\\nTesting (business analysis),working\\n", "me.csv")
>>> [(r.label, r.level_name) for r in p.ratings.values()]
[('Data modelling', 'practitioner'), ('Business and user acceptance testing', 'working')]
>>> p.notes
['me.csv, line 3: "Testing (business analysis)" is a former name, read as "Business and user acceptance testing"']
"""
from __future__ import annotations

import csv
import difflib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from .. import namespaces as ns
from ..errors import InputError, shown
from ..slugs import slugify

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import RoleGraph

#: the 0-4 scale: 0 = not yet, then the framework's four skill levels
SCALE = ("not yet", "awareness", "working", "practitioner", "expert")
#: what each level means (the framework's own definitions are in ontology/schemes.ttl; "not yet" is ours)
NOT_YET_MEANING = "You do not hold this skill yet."
#: the largest profile file read (bytes): far above any real profile, small enough to refuse a stray upload
MAX_BYTES = 2_000_000
#: the longest evidence note (characters)
MAX_EVIDENCE = 2000
#: the most ratings in one profile
MAX_RATINGS = 5000
FORMATS = ("csv", "tsv", "json", "ttl")
LEVEL_IRIS = (ns.RGP + "NotYet",) + tuple(ns.SKILL_LEVEL + n for n in SCALE[1:])
_LEVEL_WORDS = {name: i for i, name in enumerate(SCALE)} | {"not-yet": 0, "notyet": 0, "none": 0}
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Rating:
    """One rated skill: its IRI and label, the level (0-4) and an optional evidence note."""

    skill: str
    label: str
    level: int
    evidence: str | None = None

    @property
    def level_name(self) -> str:
        return SCALE[self.level]

    def to_dict(self) -> dict:
        return {"skill": self.label, "iri": self.skill, "level": self.level_name, "score": self.level,
                "evidence": self.evidence}


@dataclass
class Profile:
    """A person's self-assessment: ratings by skill IRI, and optionally their grade and current role level.

    ``notes`` say how names were read (a former name read as the renamed skill)."""

    ratings: dict[str, Rating]
    grade: str | None = None            # grade IRI
    grade_label: str | None = None      # its notation, e.g. "SEO"
    grade_rank: int | None = None
    role_level: str | None = None       # role level (or SCS role) IRI
    role_level_label: str | None = None
    notes: list[str] = field(default_factory=list)

    def level(self, skill: str) -> int:
        r = self.ratings.get(skill)
        return r.level if r else 0

    def held(self) -> dict[str, int]:
        """Skill IRI -> level, for the skills held (level 1 or more)."""
        return {s: r.level for s, r in self.ratings.items() if r.level > 0}

    def to_dict(self) -> dict:
        return {"grade": self.grade_label, "role_level": self.role_level_label,
                "ratings": [r.to_dict() for r in self.ratings.values()], "notes": list(self.notes)}


# ----------------------------------------------------------------------------- the framework's names


@dataclass
class Names:
    """The framework's names a profile may use (built once per graph; framework data only, no profile)."""

    skills: dict[str, str]                  # normalised name / anchor / slug / IRI -> skill IRI
    former: dict[str, tuple[str, str | None]]   # normalised former name -> (skill IRI, date)
    skill_labels: dict[str, str]
    levels: dict[str, str]                  # normalised name / slug / IRI -> position IRI
    level_labels: dict[str, str]
    grades: dict[str, tuple[str, int, str]]  # normalised notation / label / slug / IRI -> (IRI, rank, notation)
    meanings: dict[int, str]                # level 1-4 -> the framework's definition

    def suggest(self, name: str, labels: Iterable[str]) -> list[str]:
        by_key = {lab.casefold(): lab for lab in labels}
        key = _norm(name)
        close = difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.6)
        if len(close) < 3:
            close += [k for k in by_key if key and key in k and k not in close][: 3 - len(close)]
        return [by_key[c] for c in close[:3]]


def _norm(text: str) -> str:
    return " ".join(str(text).casefold().split())


def names(g: "RoleGraph") -> Names:
    """The :class:`Names` of *g*, built once per state of the graph."""
    return g.cached("people:names", lambda: _build_names(g))


def _build_names(g: "RoleGraph") -> Names:
    skills: dict[str, str] = {}
    labels: dict[str, str] = {}
    for e in g.entities("skill"):
        labels[e.iri] = e.label
        for key in (_norm(e.label), e.slug.casefold(), slugify(e.label), e.iri.casefold()):
            skills.setdefault(key, e.iri)
    for r in g.select("SELECT ?s ?src WHERE { ?s a rg:Skill ; dcterms:source ?src }"):
        anchor = str(r["src"]).rsplit("#", 1)[-1] if "#" in str(r["src"]) else None
        if anchor:
            skills.setdefault(anchor.casefold(), r["s"])
    former: dict[str, tuple[str, str | None]] = {}
    for r in g.select("""SELECT ?s ?name ?date WHERE { ?s a rg:Skill ; rg:formerName ?f . ?f rg:name ?name .
                         OPTIONAL { ?f dcterms:date ?date } }"""):
        key = _norm(r["name"])
        if key not in skills:
            former[key] = (r["s"], str(r["date"]) if r["date"] else None)
    levels: dict[str, str] = {}
    level_labels: dict[str, str] = {}
    for kind in ("level", "role"):
        for e in g.entities(kind):
            if kind == "role" and e.iri not in _scs_roles(g):
                continue
            level_labels[e.iri] = e.label
            for key in (_norm(e.label), e.slug.casefold(), e.iri.casefold()):
                levels.setdefault(key, e.iri)
    grades: dict[str, tuple[str, int, str]] = {}
    for r in g.select("SELECT ?g ?n ?label ?rank WHERE { ?g a rg:Grade ; skos:notation ?n ; rg:rank ?rank ; "
                      "skos:prefLabel ?label }"):
        value = (r["g"], int(r["rank"]), str(r["n"]))
        for key in (_norm(r["n"]), _norm(r["label"]), r["g"].rsplit("/", 1)[-1].casefold(), r["g"].casefold()):
            grades.setdefault(key, value)
    meanings = {int(r["rank"]): str(r["d"]) for r in g.select(
        "SELECT ?rank ?d WHERE { ?l a rg:SkillLevel ; rg:rank ?rank ; skos:definition ?d }")}
    return Names(skills, former, labels, levels, level_labels, grades, meanings)


def _scs_roles(g: "RoleGraph") -> set[str]:
    return {r["r"] for r in g.select("SELECT ?r WHERE { ?r a rg:SeniorCivilServiceRole }")}


# ----------------------------------------------------------------------------- reading


class _Reader:
    """Builds one profile from (line, skill name, level text, evidence) entries, naming file and line."""

    def __init__(self, g: "RoleGraph", where: str):
        self.n = names(g)
        self.where = where
        self.ratings: dict[str, Rating] = {}
        self.lines: dict[str, tuple[int | None, int]] = {}
        self.notes: list[str] = []
        self.grade: tuple[str, int, str] | None = None
        self.role_level: str | None = None

    def at(self, line: int | None) -> str:
        return f"{self.where}, line {line}" if line else self.where

    def fail(self, line: int | None, message: str, hint: str | None = None) -> InputError:
        return InputError(f"{self.at(line)}: {message}", hint)

    def skill(self, line: int | None, name: str) -> str:
        text = str(name).strip()
        key = _norm(text)
        if not key:
            raise self.fail(line, "a row with no skill name")
        iri = self.n.skills.get(key)
        if iri:
            return iri
        if key in self.n.former:
            iri, when = self.n.former[key]
            self.notes.append(f'{self.at(line)}: "{shown(text)}" is a former name, read as '
                              f'"{self.n.skill_labels[iri]}"' + (f" (renamed on {when})" if when else ""))
            return iri
        iri = self.n.skills.get(slugify(text) or key)
        if iri:
            return iri
        sugg = self.n.suggest(text, self.n.skill_labels.values())
        raise self.fail(line, f'unknown skill "{shown(text)}"',
                        ("did you mean " + ", ".join(f'"{s}"' for s in sugg) + "?") if sugg else
                        "use the skill's official name, its anchor id on the framework site, or its IRI")

    def level(self, line: int | None, value: Any) -> int:
        text = str(value).strip() if value is not None else ""
        key = _norm(text)
        if key in _LEVEL_WORDS:
            return _LEVEL_WORDS[key]
        if re.fullmatch(r"[0-4]", key):
            return int(key)
        if not key:
            raise self.fail(line, "a rating with no level",
                            "give 0-4 or not yet, awareness, working, practitioner, expert")
        raise self.fail(line, f'level "{shown(text)}" is outside the scale',
                        "give 0-4 or not yet, awareness, working, practitioner, expert")

    def add(self, line: int | None, name: str, level: Any, evidence: Any = None) -> None:
        iri = self.skill(line, name)
        rank = self.level(line, level)
        note = None
        if evidence is not None and str(evidence).strip():
            note = " ".join(str(evidence).split())
            if note[:2] in {"'" + c for c in _FORMULA}:   # the guard this module writes before a formula
                note = note[1:]
            if len(note) > MAX_EVIDENCE:
                raise self.fail(line, f"the evidence note of \"{shown(name)}\" is {len(note):,} characters long",
                                f"keep it to {MAX_EVIDENCE:,}")
        if iri in self.ratings:
            old = self.ratings[iri]
            first, _ = self.lines[iri]
            if old.level != rank:
                at = f"line {first}" if first else "an earlier rating"
                raise self.fail(line, f'"{shown(name)}" is rated twice with different levels: '
                                      f"{old.level_name} ({at}) and {SCALE[rank]}",
                                "rate each skill once")
            if note and not old.evidence:
                self.ratings[iri] = Rating(iri, old.label, rank, note)
            return
        if len(self.ratings) >= MAX_RATINGS:
            raise self.fail(line, f"more than {MAX_RATINGS:,} ratings")
        self.ratings[iri] = Rating(iri, self.n.skill_labels[iri], rank, note)
        self.lines[iri] = (line, rank)

    def set_grade(self, line: int | None, value: Any) -> None:
        text = str(value).strip()
        if not text:
            return
        found = self.n.grades.get(_norm(text)) or self.n.grades.get(text.casefold())
        if not found:
            sugg = self.n.suggest(text, sorted({v[2] for v in self.n.grades.values()}))
            raise self.fail(line, f'unknown grade "{shown(text)}"',
                            ("did you mean " + ", ".join(f'"{s}"' for s in sugg) + "?") if sugg else
                            "give a grade such as EO, HEO, SEO, G7, G6 or SCS 1")
        self.grade = found

    def set_role_level(self, line: int | None, value: Any) -> None:
        text = str(value).strip()
        if not text:
            return
        key = _norm(text)
        iri = self.n.levels.get(key) or self.n.levels.get(slugify(text) or key)
        if not iri:
            sugg = self.n.suggest(text, self.n.level_labels.values())
            raise self.fail(line, f'unknown role level "{shown(text)}"',
                            ("did you mean " + ", ".join(f'"{s}"' for s in sugg) + "?") if sugg else None)
        self.role_level = iri

    def profile(self) -> Profile:
        if not self.ratings:
            raise self.fail(None, "the profile rates no skills", "add rows of skill,level[,evidence]")
        grade = self.grade
        return Profile(dict(self.ratings), grade[0] if grade else None, grade[2] if grade else None,
                       grade[1] if grade else None, self.role_level,
                       self.n.level_labels.get(self.role_level) if self.role_level else None, list(self.notes))


def decode(data: bytes, where: str, limit: int = MAX_BYTES) -> str:
    """*data* as text: UTF-8 (a UTF-8 byte order mark, as spreadsheets save "CSV UTF-8", is removed);
    UTF-16, binary and other encodings are refused with the line of the first bad byte. More than *limit*
    bytes (a profile's limit by default) is refused."""
    if len(data) > limit:
        raise InputError(f"{where}: the file is larger than {limit:,} bytes")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{where}, line 1: the file is saved as UTF-16",
                         'save it as UTF-8 ("CSV UTF-8" in a spreadsheet)')
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InputError(f"{where}, line {line}: the file holds NUL bytes (UTF-16 without a byte order mark, "
                         "or not text)", 'save it as UTF-8 ("CSV UTF-8" in a spreadsheet)')
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{where}, line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x})",
                         'save it as UTF-8 ("CSV UTF-8" in a spreadsheet)') from None


def sniff(name: str, text: str) -> str:
    """The format of a profile called *name* holding *text*: by suffix, else by its first characters."""
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    if suffix in ("turtle", "n3"):
        return "ttl"
    head = text.lstrip()
    if head.startswith(("{", "[")):
        return "json"
    if head.startswith(("@prefix", "@base", "PREFIX", "prefix", "<")):
        return "ttl"
    return "tsv" if "\t" in head.split("\n", 1)[0] else "csv"


def read_capped(path: Path | str, limit: int = MAX_BYTES) -> bytes:
    """At most *limit* + 1 bytes of *path* (so a huge file, or /dev/zero, is refused without being read)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(limit + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def read_profile(g: "RoleGraph", path: Path | str) -> Profile:
    """The profile in the file *path* (see the module docstring for formats and names)."""
    return parse_profile(g, read_capped(path), str(path))


def parse_profile(g: "RoleGraph", data: bytes, name: str, fmt: str | None = None) -> Profile:
    """The profile held in *data*, a file called *name* (used for its format and in messages)."""
    text = decode(data, name)
    fmt = fmt or sniff(name, text)
    reader = _Reader(g, name)
    if not text.strip():
        raise reader.fail(None, "the file is empty", "add rows of skill,level[,evidence]")
    if fmt == "json":
        _read_json(reader, text)
    elif fmt == "ttl":
        _read_turtle(reader, data)
    else:
        _read_csv(reader, text, "\t" if fmt == "tsv" else ",")
    return reader.profile()


def profile_from_levels(g: "RoleGraph", levels: dict[str, Any], grade: str | None = None,
                        role_level: str | None = None, evidence: dict[str, str] | None = None,
                        where: str = "profile") -> Profile:
    """A profile from ``{skill name: level}`` (names and levels as in a file), for the Python API and forms.

    >>> from rolegraph.graph import RoleGraph
    >>> profile_from_levels(RoleGraph.load(), {"data-modelling": "expert"}, grade="SEO").grade_label
    'SEO'
    """
    reader = _Reader(g, where)
    reader.set_grade(None, grade or "")
    reader.set_role_level(None, role_level or "")
    for skill, level in levels.items():
        reader.add(None, skill, level, (evidence or {}).get(skill))
    return reader.profile()


_META = re.compile(r"#\s*(grade|role[ _-]?level)\s*:\s*(.*)$", re.IGNORECASE)


def _read_csv(reader: _Reader, text: str, delimiter: str) -> None:
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    seen_data = False
    try:
        for row in rows:
            line = rows.line_num
            if not row or all(not c.strip() for c in row):
                continue
            first = row[0].strip()
            if first.startswith("#"):
                meta = _META.match(delimiter.join(row).strip())
                if meta:
                    (reader.set_grade if meta.group(1).lower() == "grade" else reader.set_role_level)(
                        line, meta.group(2))
                continue
            if not seen_data and first.casefold() == "skill":
                seen_data = True
                continue
            seen_data = True
            cells = [c for c in row]
            while len(cells) > 3 and not cells[-1].strip():
                cells.pop()
            if len(cells) > 3:
                raise reader.fail(line, f"{len(cells)} columns where skill,level[,evidence] was expected",
                                  'put an evidence note that holds the delimiter in double quotes')
            if len(cells) < 2:
                raise reader.fail(line, f'"{shown(first)}" has no level',
                                  f"rows are skill{delimiter}level[{delimiter}evidence]")
            reader.add(line, cells[0], cells[1], cells[2] if len(cells) > 2 else None)
    except csv.Error as exc:
        raise reader.fail(rows.line_num, f"not valid CSV ({exc})") from None


def _read_json(reader: _Reader, text: str) -> None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise reader.fail(exc.lineno, f"not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise reader.fail(None, "not valid JSON (nested too deeply)") from None
    if not isinstance(data, dict):
        raise reader.fail(1, 'a profile is a JSON object with "ratings" (and optionally "grade", "role_level")')
    cursor = [0]

    def line_of(value: Any) -> int | None:
        needle = json.dumps(value, ensure_ascii=False) if isinstance(value, str) else None
        pos = text.find(needle, cursor[0]) if needle else -1
        if pos < 0:
            return None
        cursor[0] = pos + len(needle or "")
        return text.count("\n", 0, pos) + 1

    for key in ("grade", "role_level"):
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise reader.fail(None, f'"{key}" must be a string')
    reader.set_grade(line_of(data.get("grade")) if data.get("grade") else None, data.get("grade") or "")
    cursor[0] = 0
    reader.set_role_level(line_of(data.get("role_level")) if data.get("role_level") else None,
                          data.get("role_level") or "")
    cursor[0] = 0
    ratings = data.get("ratings")
    if isinstance(ratings, dict):
        ratings = [{"skill": k, "level": v} for k, v in ratings.items()]
    if not isinstance(ratings, list):
        raise reader.fail(None, '"ratings" must be a list of {"skill", "level", "evidence"} (or {skill: level})')
    for i, item in enumerate(ratings, 1):
        if not isinstance(item, dict) or not isinstance(item.get("skill"), str):
            raise reader.fail(None, f'rating {i} is not an object with a "skill" name')
        line = line_of(item["skill"])
        level = item.get("level")
        if isinstance(level, bool) or not isinstance(level, (str, int)):
            raise reader.fail(line, f'level {shown(json.dumps(level))} of "{shown(item["skill"])}" is outside the '
                                    "scale", "give 0-4 or not yet, awareness, working, practitioner, expert")
        evidence = item.get("evidence")
        if evidence is not None and not isinstance(evidence, str):
            raise reader.fail(line, f'the evidence of "{shown(item["skill"])}" must be a string')
        reader.add(line, item["skill"], level, evidence)


def _read_turtle(reader: _Reader, data: bytes) -> None:
    import pyoxigraph as ox

    text = data.decode("utf-8-sig")
    try:
        triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri="file:///profile.ttl"))
    except SyntaxError as exc:
        raise reader.fail(None, f"not valid Turtle ({shown(str(exc), 300)})") from None
    RGP, RDF_TYPE = ns.RGP, ns.RDF + "type"
    by_subject: dict[str, dict[str, list]] = {}
    for t in triples:
        by_subject.setdefault(str(t.subject), {}).setdefault(t.predicate.value, []).append(t.object)
    profiles = [s for s, props in by_subject.items()
                if any(getattr(o, "value", None) == RGP + "Profile" for o in props.get(RDF_TYPE, []))]
    if len(profiles) != 1:
        raise reader.fail(None, f"a profile file holds exactly one rgp:Profile (found {len(profiles)})")
    props = by_subject[profiles[0]]

    def line_of(iri: str) -> int | None:
        for needle in (iri, iri.rstrip("/").rsplit("/", 1)[-1]):
            pos = text.find(needle)
            if pos >= 0:
                return text.count("\n", 0, pos) + 1
        return None

    def one(values: list, what: str):
        if len(values) > 1:
            raise reader.fail(None, f"the profile has {len(values)} values of {what} (at most one)")
        return values[0] if values else None

    for prop, setter, what in ((RGP + "grade", reader.set_grade, "rgp:grade"),
                               (RGP + "roleLevel", reader.set_role_level, "rgp:roleLevel")):
        value = one(props.get(prop, []), what)
        if value is not None:
            if not isinstance(value, ox.NamedNode):
                raise reader.fail(None, f"{what} must be an IRI")
            setter(line_of(value.value), value.value)
    for claim in props.get(RGP + "claim", []):
        cp = by_subject.get(str(claim), {})
        skills, levels = cp.get(RGP + "skill", []), cp.get(RGP + "level", [])
        if len(skills) != 1 or not isinstance(skills[0], ox.NamedNode):
            raise reader.fail(None, f"claim {shown(str(claim))} needs exactly one rgp:skill IRI")
        skill = skills[0].value
        line = line_of(skill)
        if len(levels) != 1 or not isinstance(levels[0], ox.NamedNode) or levels[0].value not in LEVEL_IRIS:
            got = ", ".join(str(v) for v in levels) or "none"
            raise reader.fail(line, f"claim for <{shown(skill)}> has level {shown(got)}: outside the scale",
                              "rgp:NotYet or a skill level slevel:awareness ... slevel:expert, exactly one")
        evidence = [e.value for e in cp.get(RGP + "evidence", []) if isinstance(e, ox.Literal)]
        reader.add(line, skill, LEVEL_IRIS.index(levels[0].value), one(evidence, "rgp:evidence"))


# ----------------------------------------------------------------------------- writing


def write_profile(profile: Profile, fmt: str = "csv") -> str:
    """*profile* as text in *fmt* (``csv``, ``tsv``, ``json`` or ``ttl``); read back, it gives the same profile."""
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        out = csv.writer(buf, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
        if profile.grade_label:
            buf.write(f"# grade: {profile.grade_label}\n")
        if profile.role_level_label:
            buf.write(f"# role level: {profile.role_level_label}\n")
        out.writerow(["skill", "level", "evidence"])
        for r in profile.ratings.values():
            evidence = r.evidence or ""
            if evidence.startswith(_FORMULA):   # a spreadsheet would run it as a formula
                evidence = "'" + evidence
            out.writerow([r.label, r.level_name, evidence])
        return buf.getvalue()
    if fmt == "json":
        return json.dumps({"grade": profile.grade_label, "role_level": profile.role_level_label,
                           "ratings": [{"skill": r.label, "level": r.level_name,
                                        **({"evidence": r.evidence} if r.evidence else {})}
                                       for r in profile.ratings.values()]}, indent=2, ensure_ascii=False) + "\n"
    if fmt == "ttl":
        return _turtle(profile)
    raise ValueError(f"unknown profile format {fmt!r}")


def _turtle(profile: Profile) -> str:
    def lit(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)   # a JSON string is a valid Turtle string literal

    lines = [f"@prefix rgp: <{ns.RGP}> .", f"@prefix skill: <{ns.SKILL}> .", f"@prefix slevel: <{ns.SKILL_LEVEL}> .",
             "", "<#profile> a rgp:Profile"]
    if profile.grade:
        lines[-1] += f" ;\n    rgp:grade <{profile.grade}>"
    if profile.role_level:
        lines[-1] += f" ;\n    rgp:roleLevel <{profile.role_level}>"
    claims = []
    for r in profile.ratings.values():
        level = "rgp:NotYet" if r.level == 0 else f"slevel:{SCALE[r.level]}"
        claim = f"[ a rgp:SkillClaim ; rgp:skill <{r.skill}> ; rgp:level {level}"
        if r.evidence:
            claim += f" ; rgp:evidence {lit(r.evidence)}"
        claims.append(claim + " ]")
    lines[-1] += " ;\n    rgp:claim " + " ,\n        ".join(claims) + " .\n"
    return "\n".join(lines)
