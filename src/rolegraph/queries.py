"""Named SPARQL queries and read-only query execution.

The named queries are ``.rq`` files in :func:`rolegraph.resources.queries_dir`.
Each opens with a comment header::

    # title: Skills of a role level
    # description: The skills one role level needs, with the level of each.
    # param level level default "Senior data engineer": the role level
    # example: rolegraph query level-skills --param "level=Lead data engineer"

A ``param`` line gives the variable name, its kind (see :data:`KINDS`), an
optional default (a JSON string or a bare word) and a description.

Parameter values are bound as RDF terms by one binder,
:func:`rolegraph.store.sparql.bind_values`: a ``VALUES`` block of escaped terms
opening the query's top-level group, so no value can change the query around it.
(pyoxigraph's ``substitutions=`` would bind them in the engine, but pyoxigraph
0.5 refuses a variable that is not in the SELECT projection, as most parameters
here are not.) Only SELECT, ASK, CONSTRUCT and DESCRIBE run: SPARQL Update, LOAD and
SERVICE (which would make outbound requests) are refused before anything runs.

>>> from rolegraph.graph import RoleGraph
>>> g = RoleGraph.load()
>>> q = get("shared-skills")
>>> res = run(g, q.text, resolve_params(g, q, {"a": "Chief technology officer"}))
>>> sorted(r["skill_name"] for r in res.rows())[:1]
['Capability building for digital, data and technology']
"""
from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Mapping

from . import namespaces as ns
from .errors import QueryError, UnknownName
from .limits import check_query
from .resources import queries_dir
from .sparql_guard import RefusedQuery, prepare
from .store import Iri, Lit, QueryResult, Term
from .store.sparql import bind_values, query_form, words
from .store.sparql import syntax_message as syntax_message  # (part of this module's interface)

#: the engine's answer to :func:`run` (see :class:`rolegraph.store.QueryResult`)
Result = QueryResult
#: the one VALUES binder (kept under its old name for callers of this module)
bind_inline = bind_values

#: parameter kinds: how a ``--param`` value becomes an RDF term
KINDS = {
    "role": "a role: its name, slug or IRI",
    "level": "a role level: its name, slug or IRI",
    "skill": "a skill: its name, slug or IRI",
    "family": "a job family: its name, slug or IRI",
    "role-or-level": "a role level or a role (a level wins when both have the name)",
    "node": "any named node: a role, level, skill or family name, a prefixed name (grade:g7) or an IRI",
    "grade": "a Civil Service grade: its notation (G7, SCS 1), name or IRI",
    "skill-level": "a skill level: awareness, working, practitioner or expert (or its IRI)",
    "integer": "a whole number",
    "string": "a plain string literal",
    "iri": "an absolute IRI or a prefixed name (role:data-engineer)",
}
_ENTITY_KINDS = {"role": ("role",), "level": ("level",), "skill": ("skill",), "family": ("family",),
                 "role-or-level": ("level", "role"), "node": ("role", "level", "skill", "family")}

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")

SELECT_FORMATS = ("table", "csv", "tsv", "json", "sparql-json", "sparql-xml")
GRAPH_FORMATS = ("ttl", "jsonld", "nt")  # (and "rdfxml", offered by the endpoint)


# ---------------------------------------------------------------------------- the library

@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    default: str | None = None
    description: str = ""

    def as_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "default": self.default}


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    parameters: tuple[Param, ...]
    example: str
    text: str
    path: Path | None = None
    form: str = field(default="SELECT")

    def as_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "description": self.description,
                "parameters": [p.as_dict() for p in self.parameters]}


_HEADER_KEY = re.compile(r"^#\s*(?:(title|description|example)\s*:|(param)\s)\s*(.*)$", re.IGNORECASE)
_PARAM = re.compile(r'^(\w+)\s+([\w-]+)(?:\s+default\s+("(?:[^"\\]|\\.)*"|[^\s:]+))?\s*(?::\s*(.*))?$')


def parse_header(text: str, name: str = "query", path: Path | None = None) -> NamedQuery:
    """Read the comment header of a query (title, description, param and example lines)."""
    check_query(text)   # size and nesting limits first: the scans below are slow on a huge text
    fields: dict[str, list[str]] = {"title": [], "description": [], "example": []}
    params: list[Param] = []
    last = None
    for lineno, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s:
            last = None
            continue
        if not s.startswith("#"):
            break
        m = _HEADER_KEY.match(s)
        if m:
            key, value = (m.group(1) or m.group(2)).lower(), m.group(3).strip()
            if key == "param":
                pm = _PARAM.match(value)
                where = f"{path or name}:{lineno}"
                if not pm:
                    raise QueryError(f"{where}: bad param line (want 'param NAME KIND [default VALUE]: text')")
                pname, kind, default, desc = pm.groups()
                if kind not in KINDS:
                    raise QueryError(f"{where}: unknown parameter kind {kind!r}", f"kinds: {', '.join(KINDS)}")
                if default is not None and default.startswith('"'):
                    try:   # a quoted default is a JSON string
                        default = json.loads(default)
                    except ValueError as exc:
                        raise QueryError(f"{where}: bad default value {default} (a quoted default is a JSON "
                                         f"string: {exc.msg if hasattr(exc, 'msg') else exc})") from None
                params.append(Param(pname, kind, default, (desc or "").strip()))
                last = None
            else:
                fields[key].append(value)
                last = key
        elif last and s.startswith("#"):
            fields[last].append(s[1:].strip())   # continuation line
    return NamedQuery(name=name, title=" ".join(fields["title"]), description=" ".join(fields["description"]),
                      parameters=tuple(params), example=" ".join(fields["example"]), text=text, path=path,
                      form=query_form(text))


@cache
def library() -> dict[str, NamedQuery]:
    """Every named query, by name (the file name without ``.rq``)."""
    found = {}
    for path in sorted(queries_dir().glob("*.rq")):
        found[path.stem] = parse_header(path.read_text(encoding="utf-8"), path.stem, path)
    return found


def get(name: str) -> NamedQuery:
    """The named query *name*; :class:`UnknownName` with suggestions when there is none."""
    lib = library()
    if name in lib:
        return lib[name]
    close = difflib.get_close_matches(name, list(lib), n=3, cutoff=0.5)
    close += [n for n in lib if name and name.casefold() in n and n not in close][: 3 - len(close)]
    raise UnknownName("named query", name, close)


def load(spec: str, stdin_text: str | None = None) -> NamedQuery:
    """A named query, a ``.rq`` file, or (``-``) the text *stdin_text*."""
    if spec == "-":
        return parse_header(stdin_text or "", "<stdin>")
    p = Path(spec)
    if spec.endswith((".rq", ".sparql")) or (("/" in spec or "\\" in spec) and spec not in library()):
        from .safe_io import decode_text

        try:
            data = p.read_bytes()
        except FileNotFoundError:
            raise QueryError(f"{spec}: no such query file") from None
        except OSError as exc:
            raise QueryError(f"{spec}: cannot read ({exc.strerror or exc})") from None
        text = decode_text(data, spec)   # a byte order mark is not part of the query; not UTF-8: byte and place
        return parse_header(text, p.stem, p)
    return get(spec)


# ---------------------------------------------------------------------------- checking



def check(text: str) -> str:
    """Refuse anything but a read-only query; return its form (SELECT, ASK, CONSTRUCT, DESCRIBE).

    The checks are :func:`rolegraph.sparql_guard.prepare`'s (limits, escapes decoded, SERVICE and updates
    refused from the parsed text); the form is read from the decoded text, as the engine will read it.
    """
    return _form(prepare(text).text)


def _form(decoded: str) -> str:
    found = words(decoded)
    form = query_form(decoded)
    if form in _UPDATE_WORDS or (form not in FORMS and any(w in ("INSERT", "DELETE", "LOAD") for w in found)):
        raise RefusedQuery(f"SPARQL Update ({form}) is refused: rolegraph answers read-only queries "
                           "(SELECT, ASK, CONSTRUCT, DESCRIBE)")
    if not form:
        raise QueryError("empty query")
    return form  # not one of FORMS: the engine's parser reports it with line and column


# ---------------------------------------------------------------------------- parameters

def resolve_params(g, query: NamedQuery, given: Mapping[str, str]) -> dict[str, Term]:
    """Bind *given* ``name=value`` strings (and defaults) to RDF terms for *query*'s parameters."""
    declared = {p.name: p for p in query.parameters}
    for name in given:
        if name not in declared:
            if not declared:
                raise QueryError(f'unknown parameter "{name}": {query.name} takes no parameters')
            raise QueryError(f'unknown parameter "{name}" for {query.name}',
                             "it takes " + ", ".join(declared))
    out: dict[str, Term] = {}
    for p in query.parameters:
        value = given.get(p.name, p.default)
        if value is None:
            raise QueryError(f'missing parameter "{p.name}" ({p.kind}) for {query.name}',
                             f"\"{p.name}\" takes {KINDS[p.kind]}")
        out[p.name] = to_term(g, p, str(value))
    return out


def _expand(value: str) -> str | None:
    """An absolute IRI from ``<iri>``, ``http(s)://...``, ``urn:...`` or a known prefixed name."""
    v = value.strip()
    if v.startswith("<") and v.endswith(">"):
        v = v[1:-1]
    m = re.fullmatch(r"([A-Za-z][\w-]*):(.*)", v)
    if m and m.group(1) in ns.PREFIXES and not v.startswith(("http:", "https:")):
        return ns.PREFIXES[m.group(1)] + m.group(2)
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", v):
        return v
    return None


def _iri(value: str) -> Iri:
    iri = _expand(value)
    if iri is None or re.search(r'[\x00-\x20<>"{}|^`\\]', iri):
        raise QueryError(f"not an IRI: {value!r}", "give an absolute IRI or a prefixed name such as role:data-engineer")
    return Iri(iri)


def to_term(g, p: Param, value: str) -> Term:
    """The RDF term for *value* as a parameter of kind ``p.kind``."""
    kind = p.kind
    if kind == "integer":
        try:
            return Lit(str(int(value.strip())), datatype=ns.XSD + "integer")
        except ValueError:
            raise QueryError(f'parameter "{p.name}" must be a whole number, not {value!r}') from None
    if kind == "string":
        return Lit(value)
    if kind == "iri":
        return _iri(value)
    if kind in ("grade", "skill-level"):
        return Iri(_scheme_member(g, p, value))
    kinds = _ENTITY_KINDS[kind]
    iri = _expand(value) if re.match(r"<?https?://|<?[A-Za-z][\w-]*:\S", value.strip()) else None
    if iri is not None:
        if kind == "node":
            return _iri(value)
        known = {e.iri for k in kinds for e in g.entities(k)}
        if iri in known:
            return Iri(iri)
    return Iri(g.resolve(value, kinds).iri)


def _scheme_member(g, p: Param, value: str) -> str:
    cls = ns.RG + ("Grade" if p.kind == "grade" else "SkillLevel")
    rows = g.select("SELECT ?n ?notation ?label WHERE { ?n a ?cls ; skos:notation ?notation ; skos:prefLabel ?label }",
                    cls=cls)
    key = " ".join(value.casefold().split())
    for r in rows:
        slug = r["n"].rsplit("/", 1)[-1]
        if key in (r["n"].casefold(), str(r["notation"]).casefold(), r["label"].casefold(), slug) \
                or (_expand(value) or "") == r["n"]:
            return r["n"]
    names = [str(r["notation"]) for r in rows]
    what = "grade" if p.kind == "grade" else "skill level"
    raise UnknownName(what, value, difflib.get_close_matches(value, names, n=3, cutoff=0.4) or names[:4])


# ---------------------------------------------------------------------------- running

def run(g, text: str, bindings: Mapping[str, Term] | None = None) -> QueryResult:
    """Check and run the read-only query *text* on *g* with *bindings*; rolegraph's prefixes are predeclared.

    Syntax errors give line and column in *text* itself.
    """
    prepared = prepare(text)   # limits, escapes decoded, SERVICE and updates refused (see rolegraph.sparql_guard)
    _form(prepared.text)
    return g.backend.query(prepared.text, bindings, prefixes=ns.PREFIXES)
