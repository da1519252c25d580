"""The read-only guard: refuse SERVICE, SPARQL Update and LOAD from the *parsed* query, never a text scan.

Used by ``rolegraph query`` (through :func:`rolegraph.queries.check`) and by every worker of
``rolegraph serve``. The decision comes from rdflib's SPARQL 1.1 parser and algebra: a query is
refused when its algebra holds a ``ServiceGraphPattern``; a text that parses only as an update
(INSERT, DELETE, LOAD, CLEAR, ...) is refused as an update. Escapes (``role:a\\#b``, ``\\u0053``),
comments, strings and IRIs are therefore read exactly as the grammar says.

Parsing costs a few milliseconds, so it is skipped only when it cannot matter: SPARQL keywords
are ASCII letters that no escape can spell except a codepoint escape (``\\u0053ERVICE``), so a
text that holds no ``service`` in any case once codepoint escapes are decoded cannot contain a
SERVICE clause in any parser's reading. Updates never reach the engines' query entry points
(pyoxigraph ``Store.query`` and rdflib ``Graph.query`` parse queries only), so they need no
fast-path check. The same reasoning finds dataset clauses (``FROM``, ``FROM NAMED``). Comment
lines that open the text (a named query's header) are skipped before looking: at the start of a
text no string or IRI can be open, so they are comments in any reading.

>>> inspect("SELECT * WHERE { ?s ?p ?o }").default_graphs is None
True
>>> inspect('SELECT * WHERE { ?s ?p "SERVICE" } # SERVICE <http://x/>').service
False
>>> check("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
rolegraph.sparql_guard.RefusedQuery: SERVICE is refused: rolegraph never sends queries to other endpoints
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import QueryError
from .namespaces import PREFIXES


class RefusedQuery(QueryError):
    """A well-formed request that a read-only store will not run: SPARQL Update, LOAD, SERVICE."""


#: comment lines opening a text (a named query's header): nothing before them can hide them in a token
_LEADING_COMMENTS = re.compile(r"\A(?:[ \t\r\n]*#[^\n\r]*)+")
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def decode_codepoints(text: str) -> str:
    r"""*text* with SPARQL codepoint escapes decoded (``\u0053`` -> ``S``), as a parser sees it first.

    >>> decode_codepoints(r"\u0053ERVICE")
    'SERVICE'
    """
    def one(m: re.Match) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except (ValueError, OverflowError):
            return m.group(0)
    return _CODEPOINT.sub(one, text) if "\\" in text else text


@dataclass(frozen=True)
class Shape:
    """What the guard learnt about a query: whether it was parsed, and its dataset clauses (IRIs)."""

    parsed: bool
    service: bool = False
    default_graphs: tuple[str, ...] | None = None   # FROM <g> ... (None: no FROM)
    named_graphs: tuple[str, ...] | None = None     # FROM NAMED <g> ... (None: no FROM NAMED)


def _parse(text: str, base: str | None):
    """rdflib's parse tree and algebra of *text*; RefusedQuery for updates, QueryError for bad syntax."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree = parseQuery(text)
    except Exception as exc:  # pyparsing.ParseException
        try:
            parseUpdate(text)
        except Exception:
            line, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
            where = f" at line {line}, column {col}" if line else ""
            raise QueryError(f"SPARQL syntax error{where}: {getattr(exc, 'msg', exc)}",
                             "a query that mentions SERVICE runs only once rdflib's parser has read it "
                             "and found no SERVICE clause") from None
        raise RefusedQuery("SPARQL Update is refused: rolegraph answers read-only queries "
                           "(SELECT, ASK, CONSTRUCT, DESCRIBE); LOAD and other updates never run") from None
    try:
        algebra = translateQuery(tree, base=base, initNs=PREFIXES)
    except Exception as exc:
        raise QueryError(f"SPARQL error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    return tree, algebra


def _has_service(node) -> bool:
    from rdflib.plugins.sparql.algebra import traverse

    found = []

    def visit(n):
        if getattr(n, "name", None) == "ServiceGraphPattern":
            found.append(n)
    traverse(node, visit)
    return bool(found)


def inspect(text: str, base: str | None = None, dataset: bool = True) -> Shape:
    """Parse *text* when it could hold SERVICE (or, with *dataset*, a FROM clause); see :func:`check`."""
    low = _LEADING_COMMENTS.sub("", decode_codepoints(text), count=1).lower()
    if "service" not in low and not (dataset and "from" in low):
        return Shape(parsed=False)
    tree, algebra = _parse(text, base)
    default, named = [], []
    for clause in (tree[1]["datasetClause"] if "datasetClause" in tree[1] else None) or []:
        if "default" in clause:
            default.append(_iri(clause["default"], algebra))
        if "named" in clause:
            named.append(_iri(clause["named"], algebra))
    service = _has_service(algebra.algebra)
    return Shape(parsed=True, service=service, default_graphs=tuple(default) if default else None,
                 named_graphs=tuple(named) if named else None)


def _iri(term, algebra) -> str:
    """A dataset clause's IRI (a prefixed name or relative IRI resolved with the query's prologue)."""
    return str(algebra.prologue.absolutize(term))


def check(text: str, base: str | None = None, dataset: bool = False) -> Shape:
    """Refuse SERVICE and updates (:class:`RefusedQuery`) from the parsed query; return its :class:`Shape`.

    With *dataset*, a query holding ``from`` is parsed too, to report its FROM / FROM NAMED IRIs.
    """
    shape = inspect(text, base, dataset)
    if shape.service:
        raise RefusedQuery("SERVICE is refused: rolegraph never sends queries to other endpoints")
    return shape


def refuse_update(text: str) -> None:
    """Raise :class:`RefusedQuery` when *text* parses as a SPARQL Update (for a clear message after a syntax error)."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:
        return
    raise RefusedQuery("SPARQL Update is refused: rolegraph answers read-only queries "
                       "(SELECT, ASK, CONSTRUCT, DESCRIBE); LOAD and other updates never run")
