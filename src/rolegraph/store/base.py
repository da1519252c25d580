"""The engine boundary: the :class:`Backend` interface, the terms it binds and the results it returns.

Library code talks to an engine only through these methods, so it never needs to
know which engine holds the data, nor whether the data is in this process.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Union

from ..errors import InputError, QueryError
from ..namespaces import RDF, XSD
from ..safe_io import walk_files

if TYPE_CHECKING:
    import rdflib
    from rdflib.term import Node


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


def python_value(value: str, datatype: str | None) -> Any:
    """A literal's lexical form as plain Python: ``int`` for integer types, ``float`` for decimals and
    doubles, ``bool`` for booleans, else the ``str`` itself (also when the form is not valid).

    >>> python_value("42", XSD + "integer"), python_value("0.5", XSD + "decimal"), python_value("x", None)
    (42, 0.5, 'x')
    """
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


#: file suffix -> RDF format name (rdflib's names; the key of every engine's parser table)
RDF_FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld",
               ".rdf": "xml", ".owl": "xml", ".n3": "n3"}
#: names :meth:`Backend.dump` and :meth:`QueryResult.serialize` accept for graphs -> canonical name
GRAPH_FORMATS = {"ttl": "ttl", "turtle": "ttl", "nt": "nt", "jsonld": "jsonld", "json-ld": "jsonld",
                 "rdfxml": "rdfxml", "xml": "rdfxml"}
#: W3C result formats :meth:`QueryResult.serialize` gives for SELECT and ASK
RESULT_FORMATS = ("csv", "tsv", "sparql-json", "sparql-xml")


def rdf_format(path: Path) -> str:
    """The RDF format of *path* by its suffix (Turtle unless known otherwise)."""
    return RDF_FORMATS.get(path.suffix.lower(), "turtle")


def graph_format(fmt: str) -> str:
    """The canonical name (ttl, nt, jsonld, rdfxml) of the graph format *fmt*; :class:`QueryError` otherwise."""
    try:
        return GRAPH_FORMATS[fmt]
    except KeyError:
        choices = ", ".join(sorted(set(GRAPH_FORMATS.values())))
        raise QueryError(f"unknown RDF format {fmt!r}", f"choose from {choices}") from None


class QueryResult(ABC):
    """One query's answer, whatever engine gave it.

    ``form`` is SELECT, ASK, CONSTRUCT or DESCRIBE; ``variables`` are a SELECT's
    column names (empty otherwise).
    """

    form: str
    variables: list[str]

    @property
    @abstractmethod
    def boolean(self) -> bool:
        """An ASK query's answer."""

    @abstractmethod
    def rows(self) -> list[Row]:
        """SELECT rows as plain Python values (IRIs and blank nodes as ``str``, numbers, booleans, ``None``
        when unbound); computed once."""

    def terms(self) -> Iterator[tuple]:
        """SELECT rows, one by one (read them once), as tuples in the order of :attr:`variables`, each
        term as a key that keeps what :meth:`rows` drops: an IRI as ``str``, a blank node as ``"_:id"``, a
        literal as ``(lexical form, datatype IRI, language or None)`` (``rdf:langString`` for a
        language-tagged one), ``None`` when unbound. Engines that can read their solutions directly override
        this (no conversion to Python values: the validator's screen reads millions of cells this way)."""
        import json

        data = json.loads(self.serialize("sparql-json"))
        names = data["head"].get("vars", [])
        return (tuple(_json_term(b.get(n)) for n in names) for b in data["results"]["bindings"])

    @abstractmethod
    def serialize(self, fmt: str, out: BinaryIO | None = None) -> bytes:
        """The answer in a W3C format: csv, tsv, sparql-json, sparql-xml (SELECT/ASK) or ttl, nt, jsonld,
        rdfxml (CONSTRUCT/DESCRIBE; Turtle with rolegraph's prefixes). With *out* (a binary stream, e.g. one
        that caps the size), the answer is written there as it is produced and ``b""`` is returned."""


#: the datatypes of plain and language-tagged literals (in :meth:`QueryResult.terms` keys)
XSD_STRING = XSD + "string"
LANG_STRING = RDF + "langString"


def _json_term(cell: dict | None) -> Any:
    """A SPARQL 1.1 JSON results cell as a :meth:`QueryResult.terms` key."""
    if cell is None:
        return None
    kind, value = cell["type"], cell["value"]
    if kind == "uri":
        return value
    if kind == "bnode":
        return "_:" + value
    if "xml:lang" in cell:
        return (value, LANG_STRING, cell["xml:lang"])
    return (value, cell.get("datatype", XSD_STRING), None)


#: a graph no data is ever put in: the default graph of a query whose dataset names only other graphs
EMPTY_GRAPH = "urn:rolegraph:empty-graph"


def ask_table(fmt: str, value: bool) -> bytes:
    """An ASK answer as SPARQL 1.1 CSV or TSV (which neither engine writes for booleans)."""
    if fmt == "csv":
        return b"_askResult\r\n" + (b"true" if value else b"false") + b"\r\n"
    return b"?_askResult\n" + (b"true" if value else b"false") + b"\n"


def emit(data: bytes, out: BinaryIO | None) -> bytes:
    """*data* written to *out* (then ``b""``) or returned."""
    if out is None:
        return data
    out.write(data)
    return b""


class Backend(ABC):
    """The interface every engine implements; see :mod:`rolegraph.store` for how to add one.

    ``generation`` counts the changes to the data (each :meth:`load` adds one), so that
    caches built from the data know when they are stale. A backend whose content is fixed
    and named (a store folder) also sets ``content_key`` (a digest of that content) and
    ``cache_dir`` (where derived data may be kept between processes); both are ``None`` otherwise.
    """

    name = "abstract"
    content_key: str | None = None
    cache_dir: Path | None = None
    #: True when :meth:`to_rdflib` returns the store itself (no copy): extracting subgraphs saves nothing
    native_rdflib = False
    generation = 0
    #: True when another server runs the query text against its own dataset (FROM, FROM NAMED and GRAPH in the
    #: text would reach its other graphs); False when the data is all this store holds
    forwards_queries = False
    #: IRIs that name the data besides rolegraph's own name for it (a remote server's ``--graph``)
    data_graph_names: tuple[str, ...] = ()

    @abstractmethod
    def load(self, path: Path) -> None:
        """Parse the RDF file *path* into the store; raise :class:`InputError` naming file:line on bad syntax."""

    @abstractmethod
    def query(self, text: str, bindings: Mapping[str, Term] | None = None,
              prefixes: Mapping[str, str] | None = None, *, base_iri: str | None = None,
              dataset: bool | None = None, declared: frozenset[str] = frozenset()) -> QueryResult:
        """Run the query *text* with *prefixes* predeclared and *bindings* bound as RDF terms.

        *base_iri* resolves relative IRIs in *text*. *dataset* overrides the query's own ``FROM`` /
        ``FROM NAMED``: ``True`` makes the data the default graph, ``False`` an empty default graph, with no
        named graphs either way (``None``: the engine's defaults). No engine ever fetches a graph from the web.

        *declared*: prefix names the text declares itself
        (:attr:`rolegraph.sparql_guard.Prepared.declared`), which an engine may skip predeclaring.

        Errors raise :class:`QueryError`; syntax errors give line and column in *text* itself
        (not counting the predeclared prefixes or a bindings block).
        """

    def select(self, text: str, bindings: Mapping[str, Term] | None = None,
               prefixes: Mapping[str, str] | None = None) -> list[Row]:
        """Run a SELECT query; rows of plain Python values."""
        return self.query(text, bindings, prefixes).rows()

    def ask(self, text: str, bindings: Mapping[str, Term] | None = None,
            prefixes: Mapping[str, str] | None = None) -> bool:
        """Run an ASK query."""
        return self.query(text, bindings, prefixes).boolean

    @abstractmethod
    def dump(self, fmt: str = "nt", prefixes: Mapping[str, str] | None = None) -> bytes:
        """The whole default graph as *fmt* (ttl, nt, jsonld, rdfxml; see :data:`GRAPH_FORMATS`),
        Turtle with *prefixes*."""

    @abstractmethod
    def triples(self, subject: Node | None = None, predicate: Node | None = None,
                obj: Node | None = None) -> Iterator[tuple[Node, Node, Node]]:
        """The triples matching a pattern (``None`` matches anything), as rdflib terms: how the validator
        extracts the small subgraphs it checks with pyshacl."""

    @abstractmethod
    def to_rdflib(self) -> rdflib.Graph:
        """The data as an rdflib graph (for pyshacl): the store itself or a copy (see :attr:`native_rdflib`)."""

    @abstractmethod
    def __len__(self) -> int:
        """The number of triples."""


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files named directly, plus every RDF file below each folder, sorted; missing paths raise InputError."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = walk_files(p, RDF_FORMATS)   # an unreadable subfolder is an error, not skipped
            if not found:
                raise InputError(f"{p}: folder holds no RDF files (.ttl, .nt, ...)")
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            raise InputError(f"{p}: no such file or folder")
    return files
