"""rdflib's in-memory graph (pure Python): the reference engine, and what pyshacl validates.

rdflib is imported when a backend is made, not when this module is imported.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, QueryError
from .base import Backend, QueryResult, Row, Term, graph_format, python_value, rdf_format
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

    def serialize(self, fmt: str) -> bytes:
        if self.form in ("CONSTRUCT", "DESCRIBE"):
            graph = self.raw.graph
            _bind(graph, self.prefixes)
            return graph.serialize(format=_GRAPH_FORMATS[graph_format(fmt)], encoding="utf-8")
        if fmt not in _RESULT_FORMATS:
            raise QueryError(f"format {fmt} is not available for {self.form} results")
        return self.raw.serialize(format=_RESULT_FORMATS[fmt])


class RdflibBackend(Backend):
    """rdflib's in-memory graph."""

    name = "rdflib"
    native_rdflib = True

    def __init__(self, graph: rdflib.Graph | None = None) -> None:
        import rdflib

        self.graph = graph if graph is not None else rdflib.Graph()
        self.generation = 0

    def load(self, path: Path) -> None:
        try:
            self.graph.parse(path, format=rdf_format(path))
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
        except Exception as exc:  # rdflib raises many parser exception types
            m = re.search(r"line (\d+)", str(exc))
            where = f"{path}:{m.group(1)}" if m else str(path)
            raise InputError(f"{where}: invalid RDF ({str(exc).splitlines()[0]})") from None
        finally:
            self.generation += 1

    def query(self, text: str, bindings: Mapping[str, Term] | None = None,
              prefixes: Mapping[str, str] | None = None) -> RdflibResult:
        # rdflib's engine joins a VALUES block only after evaluating the rest (30 s for the provenance
        # query), so bindings go in as initBindings, also RDF terms, never text.
        init = {n: _term(t) for n, t in (bindings or {}).items()}
        try:
            raw = self.graph.query(text, initNs=dict(prefixes or {}), initBindings=init)
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
