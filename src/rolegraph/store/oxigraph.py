"""The default engine: pyoxigraph's in-memory store.

It parses Turtle about 14x faster than rdflib and answers SPARQL 10-100x faster
(``../shared/reference/tech-baseline.md``).
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import pyoxigraph as ox

from ..errors import InputError, QueryError
from ..rdf_formats import GRAPH, ox_rdf, ox_results
from ..safe_io import open_rdf, read_rdf
from ..sparql_guard import engine_text
from .base import (
    EMPTY_GRAPH,
    LANG_STRING,
    Backend,
    QueryResult,
    Row,
    Term,
    ask_table,
    emit,
    graph_format,
    python_value,
    rdf_format,
)
from .sparql import bind_values, query_form, syntax_message

if TYPE_CHECKING:
    import rdflib
    from rdflib.term import Node



def _value(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        return python_value(term.value, term.datatype.value if term.datatype else None)
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return str(term)


def _graph_format(fmt: str, form: str = "graph") -> Any:
    found = ox_rdf(graph_format(fmt), GRAPH)
    if found is None:
        raise QueryError(f"format {fmt} is not available for {form} results")
    return found


def _form(raw: Any, text: str) -> str:
    """The query form of a result: from its type, which is free, or (CONSTRUCT or DESCRIBE) from the text."""
    if isinstance(raw, ox.QuerySolutions):
        return "SELECT"
    if isinstance(raw, ox.QueryBoolean):
        return "ASK"
    return query_form(text)   # the tokenizer reads the whole prologue: ~50 us for rolegraph's 22 prefixes


class OxigraphResult(QueryResult):
    def __init__(self, raw: Any, form: str, prefixes: Mapping[str, str] | None):
        self.raw = raw
        self.form = form
        self.prefixes = dict(prefixes or {})
        self.variables = [v.value for v in raw.variables] if isinstance(raw, ox.QuerySolutions) else []
        self._rows: list[Row] | None = None

    @property
    def boolean(self) -> bool:
        return bool(self.raw)

    def rows(self) -> list[Row]:
        if self._rows is None:
            names = self.variables
            self._rows = [{n: _value(sol[n]) for n in names} for sol in self.raw]
        return self._rows

    def terms(self) -> Iterator[tuple]:
        named, blank = ox.NamedNode, ox.BlankNode

        def key(t: Any) -> Any:
            if type(t) is named:
                return t.value
            if type(t) is blank:
                return "_:" + t.value
            if t is None:
                return None
            if t.language:
                return (t.value, LANG_STRING, t.language)
            return (t.value, t.datatype.value, None)

        return (tuple(key(t) for t in sol) for sol in self.raw)

    def serialize(self, fmt: str, out: BinaryIO | None = None) -> bytes:
        if self.form in ("CONSTRUCT", "DESCRIBE"):
            f = _graph_format(fmt, self.form)
            prefixes = self.prefixes if f in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
            # with the prefixes, for people to read
            return ox.serialize(self.raw, out, format=f, prefixes=prefixes) or b""
        if self.form == "ASK" and fmt in ("csv", "tsv"):
            return emit(ask_table(fmt, self.boolean), out)
        found = ox_results(fmt)
        if found is None:
            raise QueryError(f"format {fmt} is not available for {self.form} results")
        return self.raw.serialize(out, found) or b""


class OxigraphBackend(Backend):
    """pyoxigraph's store: in memory, or on disk in the folder *path* (RocksDB; see :mod:`.folder`).

    *read_only* opens an on-disk store for reading only, so that many processes can share it.
    """

    name = "oxigraph"
    #: a store folder's shared lock on the generation this backend reads (see :func:`.folder.open_folder`)
    lease: Any = None
    #: why a store folder's cache is not used (another user could write it), for the caller to pass on
    cache_note: str | None = None

    def __init__(self, path: Path | None = None, read_only: bool = False) -> None:
        if path is None:
            self.store = ox.Store()
        else:
            try:
                self.store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
            except OSError as exc:
                raise InputError(f"{path}: cannot open the store ({exc})") from None
            except RuntimeError as exc:  # RocksDB's "Corruption: ...": a damaged file, not a bug of ours
                first = " ".join(str(exc).split())[:300]
                raise InputError(f"{path}: the store is damaged ({first})",
                                 "fill it again: rolegraph --store DIR load") from None
        self.generation = 0

    def bulk_load(self, path: Path) -> None:
        """Load the RDF file *path* the fastest way into an on-disk store (no transaction: on failure the
        store holds part of the file, so load into a new store and discard it on error)."""
        fmt = ox_rdf(rdf_format(path))
        if fmt is None:
            raise InputError(f"{path}: unsupported RDF format")
        try:
            with open_rdf(path, rdf_format(path)) as stream:   # the shared reader: BOM, binary, not UTF-8
                self.store.bulk_load(stream, format=fmt, base_iri=path.resolve().as_uri(),
                                     to_graph=ox.DefaultGraph())
        except SyntaxError as exc:
            raise InputError(_syntax_message(path, exc)) from None
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
        finally:
            self.generation += 1

    def load(self, path: Path) -> None:
        fmt = ox_rdf(rdf_format(path))
        if fmt is None:
            raise InputError(f"{path}: unsupported RDF format")
        data = read_rdf(path, rdf_format(path))   # unreadable, empty, binary, BOM, XML entities: see safe_io
        try:
            self.store.load(input=data, format=fmt, base_iri=path.resolve().as_uri(), to_graph=ox.DefaultGraph())
        except SyntaxError as exc:
            raise InputError(_syntax_message(path, exc)) from None
        finally:
            self.generation += 1

    def query(self, text: str, bindings: Mapping[str, Term] | None = None,
              prefixes: Mapping[str, str] | None = None, *, base_iri: str | None = None,
              dataset: bool | None = None, declared: frozenset[str] = frozenset()) -> OxigraphResult:
        inserted = None
        query = text = engine_text(text)   # escapes decoded, SERVICE refused: what pyoxigraph runs was checked
        if bindings:
            query, inserted = bind_values(text, bindings)
        kwargs: dict[str, Any] = {}
        if dataset is not None:  # the data sits in the default graph; "empty" is a graph nothing is in
            kwargs["default_graph"] = [ox.DefaultGraph() if dataset else ox.NamedNode(EMPTY_GRAPH)]
            kwargs["named_graphs"] = []
        given = dict(prefixes or {})
        # the text's own declarations win anyway: the engine is not handed the namespaces it declares itself
        # (each predeclared one costs a query ~0.5 us; rolegraph's 22 ~10 us, a quarter of a small query)
        needed = {k: v for k, v in given.items() if k not in declared} if declared else given
        try:
            try:
                raw = self.store.query(query, prefixes=needed, base_iri=base_iri, **kwargs)
            except SyntaxError:
                if len(needed) == len(given):
                    raise
                raw = self.store.query(query, prefixes=given, base_iri=base_iri, **kwargs)
        except SyntaxError as exc:
            raise QueryError(syntax_message(text, str(exc), inserted)) from None
        except (OSError, RuntimeError) as exc:
            raise QueryError(f"query failed: {exc}") from None
        return OxigraphResult(raw, _form(raw, text), prefixes)

    def dump(self, fmt: str = "nt", prefixes: Mapping[str, str] | None = None) -> bytes:
        f = _graph_format(fmt)
        if prefixes and f == ox.RdfFormat.TURTLE:
            return self.store.dump(format=f, from_graph=ox.DefaultGraph(), prefixes=dict(prefixes)) or b""
        return self.store.dump(format=f, from_graph=ox.DefaultGraph()) or b""

    def triples(self, subject: Node | None = None, predicate: Node | None = None,
                obj: Node | None = None) -> Iterator[tuple[Node, Node, Node]]:
        if isinstance(subject, _literal_type()) or isinstance(predicate, _literal_type()):
            return  # a literal is never a subject or a predicate
        for q in self.store.quads_for_pattern(_to_ox(subject), _to_ox(predicate), _to_ox(obj), ox.DefaultGraph()):
            yield _to_rdflib(q.subject), _to_rdflib(q.predicate), _to_rdflib(q.object)

    def to_rdflib(self) -> rdflib.Graph:
        from rdflib import Graph

        return Graph().parse(data=self.dump("nt"), format="nt")

    def __len__(self) -> int:
        return len(self.store)


def _literal_type() -> type:
    from rdflib import Literal

    return Literal


def _to_ox(term: Node | None) -> Any:
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    raise QueryError(f"cannot match on {term!r}")


def _to_rdflib(term: Any) -> Node:
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


_OX_POS = re.compile(r"between line (\d+) column (\d+)|at line (\d+) column (\d+)|error at (\d+):(\d+)")


def _syntax_message(path: Path, exc: SyntaxError) -> str:
    """'file:line:col: problem' from a pyoxigraph parse error."""
    text = str(exc.args[0] if exc.args else exc)
    if "LoadDocumentCallback" in text:   # a JSON-LD @context or @import by URL: pyoxigraph never fetches it
        return (f"{path}: a remote JSON-LD context (\"@context\" or \"@import\" naming a URL) is refused: "
                "rolegraph never fetches anything; put the context in the file")
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
