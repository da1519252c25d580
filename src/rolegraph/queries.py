"""Named SPARQL queries and read-only query execution.

The named queries are ``.rq`` files in :func:`rolegraph.resources.queries_dir`.
Each opens with a comment header::

    # title: Skills of a role level
    # description: The skills one role level needs, with the level of each.
    # param level level default "Senior data engineer": the role level
    # example: rolegraph query level-skills --param "level=Lead data engineer"

A ``param`` line gives the variable name, its kind (see :data:`KINDS`), an
optional default (a JSON string or a bare word) and a description.

Parameter values are bound as RDF terms (pyoxigraph substitutions, rdflib
``initBindings``), never pasted into the query text, so no value can change the
query. Only SELECT, ASK, CONSTRUCT and DESCRIBE run: SPARQL Update, LOAD and
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
from typing import Any, Mapping

from . import namespaces as ns
from .errors import QueryError, UnknownName
from .limits import check_query
from .resources import queries_dir
from .store import Iri, Lit, Term, sparql_term

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
#: W3C result format -> media type
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "sparql-json": "application/sparql-results+json",
    "sparql-xml": "application/sparql-results+xml",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


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
                    default = json.loads(default)
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
        try:
            text = p.read_text(encoding="utf-8-sig")   # a byte order mark is not part of the query
        except FileNotFoundError:
            raise QueryError(f"{spec}: no such query file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"{spec}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
        return parse_header(text, p.stem, p)
    return get(spec)


# ---------------------------------------------------------------------------- checking

class RefusedQuery(QueryError):
    """A well-formed request that a read-only store will not run: SPARQL Update, LOAD, SERVICE."""


_TOKEN = re.compile(r'''
      (?P<comment>\#[^\n]*)
    | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$]\w+)
    | (?P<pname>[\w.-]*:[\w.:%-]*)
    | (?P<word>[A-Za-z_]\w*)
    | (?P<other>\S)
''', re.VERBOSE)


def _words(text: str) -> list[str]:
    """The bare keywords of *text*, upper-cased (no comments, strings, IRIs, variables or prefixed names)."""
    return [m.group("word").upper() for m in _TOKEN.finditer(text) if m.lastgroup == "word"]


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE; or the first other keyword (an update's INSERT, LOAD, ...)."""
    for w in _words(text):
        if w in ("PREFIX", "BASE"):
            continue
        return w
    return ""


def check(text: str) -> str:
    """Refuse anything but a read-only query; return its form (SELECT, ASK, CONSTRUCT, DESCRIBE)."""
    words = _words(text)
    form = query_form(text)
    if form in _UPDATE_WORDS or (form not in FORMS and any(w in ("INSERT", "DELETE", "LOAD") for w in words)):
        raise RefusedQuery(f"SPARQL Update ({form}) is refused: rolegraph answers read-only queries "
                         "(SELECT, ASK, CONSTRUCT, DESCRIBE)")
    if "LOAD" in words:
        raise RefusedQuery("LOAD is refused: rolegraph answers read-only queries")
    if "SERVICE" in words:
        raise RefusedQuery("SERVICE is refused: rolegraph never sends queries to other endpoints")
    if not form:
        raise QueryError("empty query")
    if form not in FORMS:
        return form  # let the parser report it with line and column
    return form


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
                             f"give --param {p.name}=VALUE")
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

class Result:
    """One query's answer: its form, and the engine's own result object."""

    def __init__(self, backend, form: str, raw, variables: list[str]):
        self.backend = backend
        self.form = form
        self.raw = raw
        self.variables = variables
        self._rows: list[dict] | None = None

    @property
    def boolean(self) -> bool:
        return bool(self.raw) if self.backend.name == "oxigraph" else bool(self.raw.askAnswer)

    def rows(self) -> list[dict[str, Any]]:
        """SELECT rows as plain Python values (IRIs as str, numbers, booleans, None)."""
        if self._rows is None:
            conv = self.backend._value
            if self.backend.name == "oxigraph":
                self._rows = [{n: conv(sol[n]) for n in self.variables} for sol in self.raw]
            else:
                self._rows = [{n: conv(row[i]) for i, n in enumerate(self.variables)} for row in self.raw]
        return self._rows

    def serialize(self, fmt: str) -> bytes:
        """The answer in a W3C format: csv, tsv, sparql-json, sparql-xml (SELECT/ASK) or ttl, nt, jsonld (graphs)."""
        if self.backend.name == "oxigraph":
            import pyoxigraph as ox

            if self.form in ("CONSTRUCT", "DESCRIBE"):
                fmts = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML,
                        "jsonld": getattr(ox.RdfFormat, "JSON_LD", None)}
                if fmts.get(fmt) is None:
                    raise QueryError(f"format {fmt} is not available for {self.form} results")
                if fmt == "ttl":   # with rolegraph's prefixes, for people to read
                    return ox.serialize(self.raw, format=fmts[fmt], prefixes=ns.PREFIXES)
                return self.raw.serialize(format=fmts[fmt])
            fmts = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                    "sparql-json": ox.QueryResultsFormat.JSON, "sparql-xml": ox.QueryResultsFormat.XML}
            return self.raw.serialize(format=fmts[fmt])
        if self.form in ("CONSTRUCT", "DESCRIBE"):
            graph = self.raw.graph
            for p, n in ns.PREFIXES.items():
                graph.bind(p, n)
            return graph.serialize(format={"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}[fmt], encoding="utf-8")
        return self.raw.serialize(format={"csv": "csv", "tsv": "tsv", "sparql-json": "json",
                                          "sparql-xml": "xml"}[fmt])


def bind_inline(text: str, bindings: Mapping[str, Term]) -> tuple[str, tuple[int, int, int]]:
    """*text* with a ``VALUES`` block for *bindings* opening its top-level WHERE group.

    Values are written as escaped RDF terms (:func:`rolegraph.store.sparql_term`), so no value can
    change the query around it. The block goes on the same line as the group's ``{`` so that line
    numbers stay the user's; returns the new text and (line, column, length) of the insertion.
    Variables bound this way must be visible in the top-level group (not only inside a subquery).
    """
    for n in bindings:
        if not re.fullmatch(r"\w+", n):
            raise QueryError(f"not a valid variable name: {n!r}")
    block = (" VALUES (" + " ".join("?" + n for n in bindings) + ") { ("
             + " ".join(sparql_term(t) for t in bindings.values()) + ") } ")
    tokens = [m for m in _TOKEN.finditer(text) if m.lastgroup not in ("comment",)]
    pos = None
    for i, m in enumerate(tokens):
        if m.lastgroup == "word" and m.group().upper() == "WHERE" and i + 1 < len(tokens) \
                and tokens[i + 1].group() == "{":
            pos = tokens[i + 1].end()
            break
    if pos is None and query_form(text) in ("SELECT", "ASK", "DESCRIBE"):
        pos = next((m.end() for m in tokens if m.group() == "{"), None)
    if pos is None:
        raise QueryError("cannot bind parameters: the query has no WHERE group")
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return text[:pos] + block + text[pos:], (line, col, len(block))


def run(g, text: str, bindings: Mapping[str, Term] | None = None) -> Result:
    """Check and run the read-only query *text* on *g* with *bindings*; rolegraph's prefixes are predeclared."""
    check_query(text)   # size and nesting limits, before any parser sees it (see rolegraph.limits)
    form = check(text)
    backend = g.backend
    if backend.name == "oxigraph":
        import pyoxigraph as ox

        inserted = None
        query = text
        if bindings:
            query, inserted = bind_inline(text, bindings)

        try:
            raw = backend.store.query(query, prefixes=ns.PREFIXES)
        except SyntaxError as exc:
            raise QueryError(syntax_message(text, str(exc), inserted)) from None
        except (OSError, RuntimeError) as exc:
            raise QueryError(f"query failed: {exc}") from None
        variables = [v.value for v in raw.variables] if isinstance(raw, ox.QuerySolutions) else []
        return Result(backend, form, raw, variables)
    # rdflib: its own parser and engine (imported only on this path). Its engine joins a VALUES block
    # only after evaluating the rest (30 s for provenance), so bind with initBindings, also terms.
    init = {n: backend._term(t) for n, t in (bindings or {}).items()}
    inserted = None
    try:
        raw = backend.graph.query(text, initNs=ns.PREFIXES, initBindings=init)
    except Exception as exc:  # pyparsing.ParseException and friends
        line, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
        if line is not None:
            msg = f"error at {line}:{col}: {getattr(exc, 'msg', exc)}"
            raise QueryError(syntax_message(text, msg, inserted)) from None
        raise QueryError(f"SPARQL error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    variables = [str(v) for v in (raw.vars or [])] if raw.type == "SELECT" else []
    return Result(backend, form, raw, variables)


_POS = re.compile(r"error at (\d+):(\d+):?\s*(.*)", re.DOTALL)


def syntax_message(text: str, message: str, inserted: tuple[int, int, int] | None = None) -> str:
    """'SPARQL syntax error at line L, column C (near "..."): problem', positions in *text*'s own lines."""
    m = _POS.search(message)
    if not m:
        return f"SPARQL syntax error: {message.splitlines()[0] if message else 'invalid query'}"
    line, col, problem = int(m.group(1)), int(m.group(2)), m.group(3)
    if inserted and line == inserted[0] and col > inserted[1]:
        col = max(inserted[1], col - inserted[2])
    lines = text.splitlines() or [""]
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    start = max(0, col - 1 - 20)
    near = src[start: col - 1 + 20].strip()
    if "Prefix not found" in problem:
        pm = re.search(r"([A-Za-z][\w-]*):\S*$", src[: col - 1]) or re.search(r"([A-Za-z][\w-]*):", src[col - 1:])
        problem = f'unknown prefix "{pm.group(1)}:"' if pm else "unknown prefix"
    else:
        problem = " ".join(problem.split())
        if len(problem) > 120:
            problem = problem[:117] + "..."
    return f'SPARQL syntax error at line {line}, column {col} (near "{near}"): {problem}'
