"""Storage backends: one small interface, several engines behind it.

A backend holds RDF and answers SPARQL. rolegraph's library code only calls
:meth:`Backend.select`, :meth:`Backend.ask`, :meth:`Backend.construct` and
:meth:`Backend.dump`, so a command does not care which engine answers it.

* :class:`OxigraphBackend` (default): pyoxigraph in memory; parses Turtle about
  14x faster than rdflib and answers SPARQL 10-100x faster.
* :class:`RdflibBackend`: rdflib's memory graph; the reference engine, and what
  pyshacl validates.

Query results come back as plain Python: a list of ``{variable: value}`` dicts
where IRIs are ``str``, literals are ``int``/``float``/``bool``/``str`` and an
unbound variable is ``None``. Parameters are bound as RDF terms (:class:`Iri`,
:class:`Lit`), never pasted into query text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Union

from .errors import InputError, QueryError
from .namespaces import XSD


@dataclass(frozen=True)
class Iri:
    """An IRI to bind to a query variable."""

    value: str


@dataclass(frozen=True)
class Lit:
    """A literal to bind to a query variable (plain string unless *lang* or *datatype*)."""

    value: str
    lang: str | None = None
    datatype: str | None = None


Term = Union[Iri, Lit]
Row = dict[str, Any]

_INT_TYPES = {XSD + t for t in ("integer", "int", "long", "short", "positiveInteger", "nonNegativeInteger",
                                 "negativeInteger", "nonPositiveInteger", "unsignedInt", "byte")}
_FLOAT_TYPES = {XSD + t for t in ("decimal", "double", "float")}


def _python_value(value: str, datatype: str | None) -> Any:
    if datatype in _INT_TYPES:
        try:
            return int(value)
        except ValueError:
            return value
    if datatype in _FLOAT_TYPES:
        try:
            return float(value)
        except ValueError:
            return value
    if datatype == XSD + "boolean":
        return value in ("true", "1")
    return value


RDF_FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld",
               ".rdf": "xml", ".owl": "xml", ".n3": "n3"}


def rdf_format(path: Path) -> str:
    """The RDF format of *path* by its suffix (Turtle unless known otherwise)."""
    return RDF_FORMATS.get(path.suffix.lower(), "turtle")


class Backend:
    """The interface every engine implements."""

    name = "abstract"

    def load(self, path: Path) -> None:
        """Parse the RDF file *path* into the store; raise :class:`InputError` naming file:line on bad syntax."""
        raise NotImplementedError

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        """Run a SELECT query; rows of plain Python values."""
        raise NotImplementedError

    def ask(self, query: str, bindings: Mapping[str, Term] | None = None) -> bool:
        raise NotImplementedError

    def dump(self, fmt: str = "nt") -> bytes:
        """The whole default graph serialized as *fmt* (``nt`` or ``turtle``)."""
        raise NotImplementedError

    def match(self, subject=None, predicate=None, object=None) -> Iterable[tuple]:
        """Triples of the default graph matching a pattern; terms (and the pattern's) are rdflib terms, None = any."""
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError


# ---------------------------------------------------------------------------- oxigraph

class OxigraphBackend(Backend):
    """pyoxigraph's in-memory store."""

    name = "oxigraph"

    def __init__(self) -> None:
        import pyoxigraph

        self._ox = pyoxigraph
        self.store = pyoxigraph.Store()
        self._formats = {
            "turtle": pyoxigraph.RdfFormat.TURTLE,
            "nt": pyoxigraph.RdfFormat.N_TRIPLES,
            "nquads": pyoxigraph.RdfFormat.N_QUADS,
            "trig": pyoxigraph.RdfFormat.TRIG,
            "xml": pyoxigraph.RdfFormat.RDF_XML,
            "n3": pyoxigraph.RdfFormat.N3,
            "json-ld": getattr(pyoxigraph.RdfFormat, "JSON_LD", None),
        }

    def load(self, path: Path) -> None:
        fmt = self._formats.get(rdf_format(path))
        if fmt is None:
            raise InputError(f"{path}: unsupported RDF format")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
        try:
            self.store.load(input=data, format=fmt, base_iri=path.resolve().as_uri(),
                            to_graph=self._ox.DefaultGraph())
        except SyntaxError as exc:
            raise InputError(_syntax_message(path, exc)) from None

    def _term(self, term: Term):
        ox = self._ox
        if isinstance(term, Iri):
            return ox.NamedNode(term.value)
        if term.lang:
            return ox.Literal(term.value, language=term.lang)
        if term.datatype:
            return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))
        return ox.Literal(term.value)

    def _value(self, term) -> Any:
        ox = self._ox
        if term is None:
            return None
        if isinstance(term, ox.NamedNode):
            return term.value
        if isinstance(term, ox.Literal):
            return _python_value(term.value, term.datatype.value if term.datatype else None)
        if isinstance(term, ox.BlankNode):
            return "_:" + term.value
        return str(term)

    def raw_query(self, query: str, bindings: Mapping[str, Term] | None = None):
        """pyoxigraph's own result object (for serializing in W3C result formats)."""
        if bindings:
            query = bind_values(query, bindings)
        try:
            return self.store.query(query)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from None

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        result = self.raw_query(query, bindings)
        names = [v.value for v in result.variables]
        conv = self._value
        return [{n: conv(sol[n]) for n in names} for sol in result]

    def ask(self, query: str, bindings: Mapping[str, Term] | None = None) -> bool:
        return bool(self.raw_query(query, bindings))

    def dump(self, fmt: str = "nt") -> bytes:
        return self.store.dump(format=self._formats[fmt], from_graph=self._ox.DefaultGraph())

    def match(self, subject=None, predicate=None, object=None) -> Iterable[tuple]:
        ox, r = self._ox, self._rdflib_terms()

        def to_ox(t):
            if t is None:
                return None
            if isinstance(t, r.URIRef):
                return ox.NamedNode(str(t))
            if isinstance(t, r.BNode):
                return ox.BlankNode(str(t))
            if t.language:
                return ox.Literal(str(t), language=t.language)
            return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype or XSD + "string")))

        def to_r(t):
            if isinstance(t, ox.NamedNode):
                return r.URIRef(t.value)
            if isinstance(t, ox.BlankNode):
                return r.BNode(t.value)
            if t.language:
                return r.Literal(t.value, lang=t.language)
            return r.Literal(t.value, datatype=r.URIRef(t.datatype.value))

        if isinstance(subject, r.Literal):
            return
        for q in self.store.quads_for_pattern(to_ox(subject), to_ox(predicate), to_ox(object), ox.DefaultGraph()):
            yield to_r(q.subject), to_r(q.predicate), to_r(q.object)

    @staticmethod
    def _rdflib_terms():
        import rdflib

        return rdflib

    def __len__(self) -> int:
        return len(self.store)


def sparql_term(term: Term) -> str:
    """*term* in SPARQL syntax, escaped so that no value can change the query around it."""
    if isinstance(term, Iri):
        if not term.value or _BAD_IRI.search(term.value):
            raise QueryError(f"not a valid IRI: {term.value!r}")
        return f"<{term.value}>"
    text = (term.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r"))
    if term.lang:
        if not re.fullmatch(r"[A-Za-z]+(-[A-Za-z0-9]+)*", term.lang):
            raise QueryError(f"not a valid language tag: {term.lang!r}")
        return f'"{text}"@{term.lang}'
    if term.datatype:
        return f'"{text}"^^{sparql_term(Iri(term.datatype))}'
    return f'"{text}"'


_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def bind_values(query: str, bindings: Mapping[str, Term]) -> str:
    """Bind variables by a VALUES block opening the query's (first) WHERE group.

    Values are serialized as RDF terms (see :func:`sparql_term`), never pasted as text.
    """
    names = list(bindings)
    for n in names:
        if not re.fullmatch(r"\w+", n):
            raise QueryError(f"not a valid variable name: {n!r}")
    block = ("VALUES (" + " ".join("?" + n for n in names) + ") { ("
             + " ".join(sparql_term(bindings[n]) for n in names) + ") }\n")
    m = _WHERE.search(query) or re.search(r"\{", query)
    if m is None:
        raise QueryError("cannot bind parameters: the query has no WHERE clause")
    return query[: m.end()] + "\n" + block + query[m.end():]


_OX_POS = re.compile(r"between line (\d+) column (\d+)|at line (\d+) column (\d+)|error at (\d+):(\d+)")


def _syntax_message(path: Path, exc: SyntaxError) -> str:
    """'file:line:col: problem' from a pyoxigraph parse error."""
    text = str(exc.args[0] if exc.args else exc)
    line = col = None
    if len(exc.args) > 1 and isinstance(exc.args[1], tuple) and len(exc.args[1]) >= 3:
        line, col = exc.args[1][1], exc.args[1][2]
    if line is None:
        m = _OX_POS.search(text)
        if m:
            nums = [g for g in m.groups() if g]
            line, col = int(nums[0]), int(nums[1])
    problem = re.sub(r"^Parser error (between line \d+ column \d+ and line \d+ column \d+|at line \d+ column \d+)"
                     r":\s*", "", text)
    where = f"{path}:{line}:{col}" if line else str(path)
    return f"{where}: invalid RDF ({problem})"


# ---------------------------------------------------------------------------- rdflib

class RdflibBackend(Backend):
    """rdflib's in-memory graph (pure Python)."""

    name = "rdflib"

    def __init__(self, graph=None) -> None:
        import rdflib

        self._rdflib = rdflib
        self.graph = graph if graph is not None else rdflib.Graph()

    def load(self, path: Path) -> None:
        try:
            self.graph.parse(path, format=rdf_format(path))
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
        except Exception as exc:  # rdflib raises many parser exception types
            m = re.search(r"line (\d+)", str(exc))
            where = f"{path}:{m.group(1)}" if m else str(path)
            raise InputError(f"{where}: invalid RDF ({str(exc).splitlines()[0]})") from None

    def _term(self, term: Term):
        r = self._rdflib
        if isinstance(term, Iri):
            return r.URIRef(term.value)
        return r.Literal(term.value, lang=term.lang,
                         datatype=r.URIRef(term.datatype) if term.datatype else None)

    def _value(self, term) -> Any:
        r = self._rdflib
        if term is None:
            return None
        if isinstance(term, r.Literal):
            return _python_value(str(term), str(term.datatype) if term.datatype else None)
        if isinstance(term, r.BNode):
            return "_:" + str(term)
        return str(term)

    def raw_query(self, query: str, bindings: Mapping[str, Term] | None = None):
        init = {k: self._term(v) for k, v in (bindings or {}).items()}
        try:
            return self.graph.query(query, initBindings=init)
        except Exception as exc:
            raise QueryError(f"SPARQL error: {str(exc).splitlines()[0]}") from None

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        result = self.raw_query(query, bindings)
        names = [str(v) for v in result.vars]
        conv = self._value
        return [{n: conv(row[i]) for i, n in enumerate(names)} for row in result]

    def ask(self, query: str, bindings: Mapping[str, Term] | None = None) -> bool:
        return bool(self.raw_query(query, bindings).askAnswer)

    def dump(self, fmt: str = "nt") -> bytes:
        return self.graph.serialize(format=fmt, encoding="utf-8")

    def match(self, subject=None, predicate=None, object=None) -> Iterable[tuple]:
        return self.graph.triples((subject, predicate, object))

    def __len__(self) -> int:
        return len(self.graph)


BACKENDS = {"oxigraph": OxigraphBackend, "rdflib": RdflibBackend}


def make_backend(name: str = "oxigraph") -> Backend:
    try:
        return BACKENDS[name]()
    except KeyError:
        raise InputError(f"unknown backend {name!r}", f"choose from {', '.join(BACKENDS)}") from None


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, plus every RDF file below each folder, sorted; missing paths raise InputError."""
    files: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in RDF_FORMATS)
            if not found:
                raise InputError(f"{p}: folder holds no RDF files (.ttl, .nt, ...)")
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            raise InputError(f"{p}: no such file or folder")
    return files
