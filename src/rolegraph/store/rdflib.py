"""rdflib's in-memory graph (pure Python): the reference engine, and what pyshacl validates.

rdflib is imported when a backend is made, not when this module is imported.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from ..errors import InputError, QueryError
from ..safe_io import read_rdf
from ..sparql_guard import engine_text
from .base import Backend, QueryResult, Row, Term, ask_table, emit, graph_format, python_value, rdf_format
from .sparql import query_form, sparql_term, syntax_message

if TYPE_CHECKING:
    import rdflib
    from rdflib.term import Identifier, Node

_GRAPH_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}
_RESULT_FORMATS = {"csv": "csv", "tsv": "tsv", "sparql-json": "json", "sparql-xml": "xml"}


def _value(term: Any) -> Any:
    from rdflib import BNode, Literal

    if term is None:
        return None
    if isinstance(term, Literal):
        return python_value(str(term), str(term.datatype) if term.datatype else None)
    if isinstance(term, BNode):
        return "_:" + str(term)
    return str(term)


def _term(term: Term) -> Identifier:
    from rdflib import Literal, URIRef

    from .base import Iri

    sparql_term(term)  # refuses what no engine accepts (an IRI with spaces, a bad language tag), as the binder does
    if isinstance(term, Iri):
        return URIRef(term.value)
    return Literal(term.value, lang=term.lang, datatype=URIRef(term.datatype) if term.datatype else None)


def _bind(graph: rdflib.Graph, prefixes: Mapping[str, str] | None) -> None:
    for p, n in (prefixes or {}).items():
        graph.bind(p, n, override=True, replace=True)


class RdflibResult(QueryResult):
    def __init__(self, raw: Any, form: str, prefixes: Mapping[str, str] | None):
        self.raw = raw
        self.form = form
        self.prefixes = prefixes
        self.variables = [str(v) for v in (raw.vars or [])] if raw.type == "SELECT" else []
        self._rows: list[Row] | None = None

    @property
    def boolean(self) -> bool:
        return bool(self.raw.askAnswer)

    def rows(self) -> list[Row]:
        if self._rows is None:
            names = self.variables
            self._rows = [{n: _value(row[i]) for i, n in enumerate(names)} for row in self.raw]
        return self._rows

    def serialize(self, fmt: str, out: BinaryIO | None = None) -> bytes:
        if self.form in ("CONSTRUCT", "DESCRIBE"):
            graph = self.raw.graph
            _bind(graph, self.prefixes)
            if out is not None:
                graph.serialize(destination=out, format=_GRAPH_FORMATS[graph_format(fmt)], encoding="utf-8")
                return b""
            return graph.serialize(format=_GRAPH_FORMATS[graph_format(fmt)], encoding="utf-8")
        if self.form == "ASK" and fmt in ("csv", "tsv"):
            return emit(ask_table(fmt, self.boolean), out)
        if fmt not in _RESULT_FORMATS:
            raise QueryError(f"format {fmt} is not available for {self.form} results")
        if out is not None:
            self.raw.serialize(destination=out, format=_RESULT_FORMATS[fmt], encoding="utf-8")
            return b""
        return self.raw.serialize(format=_RESULT_FORMATS[fmt], encoding="utf-8")


def _jsonld_as_ntriples(path: Path, data: bytes) -> bytes:
    """JSON-LD read by pyoxigraph, as N-Triples: rdflib's JSON-LD parser fetches a remote ``@context`` (or
    ``@import``) with urllib, pyoxigraph never does (it refuses one, and that is the error given)."""
    import pyoxigraph as ox

    from .oxigraph import _syntax_message

    try:
        triples = [q.triple for q in ox.parse(data, format=ox.RdfFormat.JSON_LD, base_iri=path.resolve().as_uri())]
    except SyntaxError as exc:
        raise InputError(_syntax_message(path, exc)) from None
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


class RdflibBackend(Backend):
    """rdflib's in-memory graph."""

    name = "rdflib"
    native_rdflib = True

    def __init__(self, graph: rdflib.Graph | None = None) -> None:
        import rdflib
        import rdflib.plugins.sparql

        rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False   # rdflib must never fetch a FROM graph from the web
        self.graph = graph if graph is not None else rdflib.Graph()
        self.generation = 0

    def load(self, path: Path) -> None:
        data = read_rdf(path, rdf_format(path))   # unreadable, empty, binary, BOM, XML entities: see safe_io
        fmt = rdf_format(path)
        if fmt == "json-ld":
            data, fmt = _jsonld_as_ntriples(path, data), "nt"
        try:
            self.graph.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
        except Exception as exc:  # rdflib raises many parser exception types
            m = re.search(r"line (\d+)", str(exc))
            where = f"{path}:{m.group(1)}" if m else str(path)
            raise InputError(f"{where}: invalid RDF ({str(exc).splitlines()[0]})") from None
        finally:
            self.generation += 1

    def query(self, text: str, bindings: Mapping[str, Term] | None = None,
              prefixes: Mapping[str, str] | None = None, *, base_iri: str | None = None,
              dataset: bool | None = None, declared: frozenset[str] = frozenset()) -> RdflibResult:
        # rdflib's engine joins a VALUES block only after evaluating the rest (30 s for the provenance
        # query), so bindings go in as initBindings, also RDF terms, never text.
        init = {n: _term(t) for n, t in (bindings or {}).items()}
        text = engine_text(text)   # escapes decoded, SERVICE refused (rdflib would fetch it with urllib)
        try:
            import rdflib

            target = self.graph if dataset is not False else rdflib.Graph()
            # the data is the one default graph: FROM never loads anything (dataset=True ignores FROM)
            raw = target.query(text, initNs=dict(prefixes or {}), initBindings=init, base=base_iri)
        except Exception as exc:  # pyparsing.ParseException and friends
            line, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
            if line is not None:
                raise QueryError(syntax_message(text, f"error at {line}:{col}: {getattr(exc, 'msg', exc)}")) from None
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise QueryError(f"SPARQL error: {first}") from None
        return RdflibResult(raw, query_form(text), prefixes)

    def dump(self, fmt: str = "nt", prefixes: Mapping[str, str] | None = None) -> bytes:
        f = _GRAPH_FORMATS[graph_format(fmt)]
        if prefixes and f == "turtle":
            _bind(self.graph, prefixes)
        return self.graph.serialize(format=f, encoding="utf-8")

    def triples(self, subject: Node | None = None, predicate: Node | None = None,
                obj: Node | None = None) -> Iterator[tuple[Node, Node, Node]]:
        return iter(self.graph.triples((subject, predicate, obj)))

    def to_rdflib(self) -> rdflib.Graph:
        return self.graph

    def __len__(self) -> int:
        return len(self.graph)
