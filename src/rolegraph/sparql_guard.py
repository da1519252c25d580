"""The read-only guard: what a query engine is handed, and whether it may run at all.

One entry point, :func:`prepare`, used by ``rolegraph query`` (:func:`rolegraph.queries.check` and
:func:`~rolegraph.queries.run`), named queries, and the ``/sparql`` handler of ``rolegraph serve``:

1. the query limits of :func:`rolegraph.limits.check_query` (size, nesting, operators);
2. SPARQL codepoint escapes (``\\u0053``, ``\\U00000053``) decoded over the whole text, once, as SPARQL 1.1
   §19.2 says; a text whose decoding leaves another escape (``\\u005Cu0041``) or names no character is refused;
3. that decoded text parsed by rdflib's SPARQL 1.1 parser: a ``ServiceGraphPattern`` in its algebra is refused,
   a text that parses only as an update (INSERT, DELETE, LOAD, ...) is refused as an update;
4. defence in depth, :func:`engine_text`: the decoded text is refused when the keyword SERVICE, not inside a
   variable or prefixed name, is followed (after white space and comments) by ``SILENT``, ``<``, ``?``, ``$`` or
   a prefixed name, wherever it stands, inside strings and comments too, so no difference between two
   parsers' tokenising can hide one. "Service owner" in a string is a role name and still passes. Only
   ``<...>`` spans that hold no ``#``, quote, brace, ``<``, backslash or white space are left out of that scan: read
   as an IRI such a span is one token, and read as ``<`` ... ``>`` operators it cannot hold a clause (SERVICE needs
   a ``{`` after its target, and nothing but the closing ``>`` can follow one there), so IRIs from data such as
   ``<http://example.org/service?id=1>`` in the library's own queries do not trip it.

The engine is then handed :attr:`Prepared.text`, the decoded text, never the original: rdflib decodes escapes
over the whole text, pyoxigraph only inside strings and IRIs, and a decoded text holds none, so the text the
guard read is the text the engine runs. Every store backend also passes the text it is given through
:func:`engine_text` (steps 2 and 4, a regular-expression scan), so no query reaches pyoxigraph, rdflib or a
remote server holding SERVICE, whoever called it.

The parse costs a few milliseconds, so it is skipped only when it cannot matter: keywords are ASCII letters, so
a decoded text with no ``service`` in any case holds no SERVICE clause (nor, with *dataset*, any ``from`` or
``graph``: no dataset clause or GRAPH pattern). ``<...>`` spans without ``#``, quotes, braces or spaces are IRIs,
or ``<``/``>`` operators that could not hide a keyword's clause: they are blanked before that test, so IRIs
that merely name a service (``<.../it-service-manager>``) are not parsed, nor the comment lines, PREFIX and BASE
declarations opening the text (a named query's header and prologue: at the start of a text no string or IRI can be
open, and a declaration's ``<...>`` is an IRI in every reading, so ``PREFIX rg: <https://w3id.org/rolegraph/ontology#>``
is no GRAPH).

>>> prepare("SELECT * WHERE { ?s ?p ?o }").parsed
False
>>> prepare('SELECT * WHERE { ?s ?p "Service owner" }').text
'SELECT * WHERE { ?s ?p "Service owner" }'
>>> prepare(r'SELECT * WHERE { BIND("\\u005C" AS ?a) SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } #" AS ?a)' "\\n}")
Traceback (most recent call last):
...
rolegraph.sparql_guard.RefusedQuery: SERVICE is refused: rolegraph never sends queries to other endpoints
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import QueryError
from .namespaces import PREFIXES

if TYPE_CHECKING:
    from .store.base import Backend


class RefusedQuery(QueryError):
    """A well-formed request that a read-only store will not run: SPARQL Update, LOAD, SERVICE."""


SERVICE_REFUSED = "SERVICE is refused: rolegraph never sends queries to other endpoints"
UPDATE_REFUSED = ("SPARQL Update is refused: rolegraph answers read-only queries "
                  "(SELECT, ASK, CONSTRUCT, DESCRIBE); LOAD and other updates never run")

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
#: what ends a comment in some reading: the grammar's CR and LF, and every other line break (the shortest wins)
_COMMENT = r"\#[^\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]*"
#: SERVICE as a keyword in any reading: not inside a variable (``?service``), a prefixed name (``ex:service``,
#: ``role:it-service``) or a language tag, then white space and comments, then what the grammar allows next
#: (``SILENT``, an IRI, a variable, a prefixed name). Letters, digits and ``.`` before it do not protect it: a
#: parser may end ``true``, ``1`` or ``.`` there and read SERVICE next.
_SERVICE = re.compile(r"(?<![?$:\-])service(?:\s|" + _COMMENT + r")*"
                      r"(?:silent(?![\w\-])|[<?$:]|[^\W\d][\w.\-\u00b7\u0300-\u036f\u203f\u2040]*:)",
                      re.IGNORECASE)
#: what opens a text before its query: comment lines (a named query's header) and PREFIX and BASE declarations. At
#: the start of a text no string or IRI can be open, and after ``PREFIX pfx:`` or ``BASE`` the grammar allows only an
#: IRIREF, so every reading takes such a ``<...>`` as one IRI, ``#`` and all (``<https://w3id.org/rolegraph/ontology#>``
#: is no GRAPH keyword)
_PROLOGUE = re.compile(r"\A(?:[ \t\r\n]+|\#[^\n\r]*|(?:prefix[ \t\r\n]+(?:[a-z](?:[\w.\-]*[\w\-])?)?:|base)"
                       r"[ \t\r\n]*<[^<>\"{}|^`\\\x00-\x20]*>)+", re.IGNORECASE)
#: what looks like a PREFIX declaration, and its name (:func:`declared_prefixes`)
_DECLARED = re.compile(r"prefix\s+([^\s:<>]*):", re.IGNORECASE)
#: an IRIREF as the grammar spells it, without ``#``: an IRI, or ``<`` ... ``>`` operators around a span that
#: holds no brace, quote, ``<``, white space or comment, so no keyword's clause
_PLAIN_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20#]*>")


def decode_codepoints(text: str) -> str:
    r"""*text* with SPARQL codepoint escapes decoded (``\u0053`` -> ``S``), once, as SPARQL 1.1 §19.2 says.

    A codepoint that is no character (a surrogate, past U+10FFFF) is a :class:`QueryError`.

    >>> decode_codepoints(r"\u0053ERVICE")
    'SERVICE'
    """
    if "\\" not in text:
        return text

    def one(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            line = text.count("\n", 0, m.start()) + 1
            raise QueryError(f"the codepoint escape {m.group(0)} at line {line} names no character")
        return chr(code)
    return _CODEPOINT.sub(one, text)


def engine_text(text: str) -> str:
    r"""The text to hand to a query engine: *text* with codepoint escapes decoded, SERVICE refused in any position.

    Every backend calls this on the text it is given (cheap: regular expressions, no parse). Raises
    :class:`QueryError` when decoding leaves another escape (``\u005Cu0041``: parsers would read it differently)
    and :class:`RefusedQuery` when SERVICE is followed by what could make it a clause (see the module docstring).

    >>> engine_text(r"SELECT * WHERE { \u0053ERVICE <urn:x> { } }")
    Traceback (most recent call last):
    ...
    rolegraph.sparql_guard.RefusedQuery: SERVICE is refused: rolegraph never sends queries to other endpoints
    >>> engine_text('SELECT ?n WHERE { ?r ?p "IT service manager" }')
    'SELECT ?n WHERE { ?r ?p "IT service manager" }'
    """
    decoded = decode_codepoints(text)
    if "service" in decoded.lower() and _SERVICE.search(_PLAIN_IRI.sub("<>", decoded)):   # SERVICE is ASCII
        raise RefusedQuery(SERVICE_REFUSED)
    if decoded is not text:
        m = _CODEPOINT.search(decoded)
        if m:
            line = decoded.count("\n", 0, m.start()) + 1
            raise QueryError(f"a codepoint escape spells another escape ({m.group(0)} at line {line}): "
                             "SPARQL decodes escapes once, so engines would read it differently")
    return decoded


@dataclass(frozen=True)
class Shape:
    """What the guard learnt about a query: whether it was parsed, and its dataset clauses (IRIs)."""

    parsed: bool
    service: bool = False
    default_graphs: tuple[str, ...] | None = None   # FROM <g> ... (None: no FROM)
    named_graphs: tuple[str, ...] | None = None     # FROM NAMED <g> ... (None: no FROM NAMED)
    graph_pattern: bool = False                     # a GRAPH pattern (only looked for with dataset=True)


@dataclass(frozen=True)
class Prepared(Shape):
    """A query checked by :func:`prepare`: :attr:`text` is what to hand to the engine (escapes decoded)."""

    text: str = ""
    declared: frozenset[str] = frozenset()   # :func:`declared_prefixes`: what an engine need not predeclare


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
                             "a query that mentions SERVICE, FROM or GRAPH runs only once rdflib's parser has "
                             "read it") from None
        raise RefusedQuery(UPDATE_REFUSED) from None
    try:
        algebra = translateQuery(tree, base=base, initNs=PREFIXES)
    except Exception as exc:
        raise QueryError(f"SPARQL error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    return tree, algebra


def _names(node) -> set[str]:
    """The names of the algebra nodes below *node* (``ServiceGraphPattern``, ``Graph``, ...)."""
    from rdflib.plugins.sparql.algebra import traverse

    found: set[str] = set()

    def visit(n):
        name = getattr(n, "name", None)
        if name:
            found.add(name)
    traverse(node, visit)
    return found


def declared_prefixes(text: str) -> frozenset[str]:
    """Prefix names that *text* appears to declare before its first ``{`` (where every PREFIX declaration stands).
    A hint for an engine, which need not predeclare those (the text's own declarations win anyway): it may be
    wrong both ways (a comment or string can look like a declaration), so a parse that fails without the
    predeclared ones is tried again with them all (:meth:`rolegraph.store.oxigraph.OxigraphBackend.query`).

    >>> sorted(declared_prefixes("PREFIX rg: <https://w3id.org/rolegraph/ontology#>\\nprefix x: <urn:x>\\n"
    ...                          "SELECT * WHERE { ?s x:p ?o }"))
    ['rg', 'x']
    """
    return frozenset(_DECLARED.findall(text, 0, max(0, text.find("{"))))


def _needs_parse(decoded: str, dataset: bool) -> bool:
    """True when the guard must parse the decoded text (it could hold SERVICE; with *dataset*, FROM or GRAPH too):
    see the module docstring."""
    low = _PROLOGUE.sub("", decoded, count=1).lower()
    words = ("service", "from", "graph") if dataset else ("service",)
    if not any(w in low for w in words):
        return False
    if "<" in low:
        low = _PLAIN_IRI.sub("<>", low)
    return any(w in low for w in words)


def prepare(text: str, *, base: str | None = None, dataset: bool = False) -> Prepared:
    """Check the query *text* (limits, escapes, SERVICE, updates: see the module docstring) and return what to run.

    With *dataset*, a text that could hold FROM, FROM NAMED or GRAPH is parsed too, to report them.
    Raises :class:`QueryError` (:class:`RefusedQuery` for SERVICE and updates).
    """
    from .limits import check_query

    check_query(text)
    decoded = engine_text(text)
    if not _needs_parse(decoded, dataset):
        return Prepared(parsed=False, text=decoded, declared=declared_prefixes(decoded))
    tree, algebra = _parse(decoded, base)
    default, named = [], []
    for clause in (tree[1]["datasetClause"] if "datasetClause" in tree[1] else None) or []:
        if "default" in clause:
            default.append(_iri(clause["default"], algebra))
        if "named" in clause:
            named.append(_iri(clause["named"], algebra))
    names = _names(algebra.algebra)
    if "ServiceGraphPattern" in names:
        raise RefusedQuery(SERVICE_REFUSED)
    return Prepared(parsed=True, default_graphs=tuple(default) if default else None,
                    named_graphs=tuple(named) if named else None, text=decoded, declared=declared_prefixes(decoded),
                    graph_pattern=bool({"Graph", "GraphGraphPattern"} & names))   # (EXISTS keeps parse names)


def _iri(term, algebra) -> str:
    """A dataset clause's IRI (a prefixed name or relative IRI resolved with the query's prologue)."""
    return str(algebra.prologue.absolutize(term))


def check(text: str, base: str | None = None, dataset: bool = False) -> Prepared:
    """:func:`prepare` (kept for callers of its older name)."""
    return prepare(text, base=base, dataset=dataset)


def refuse_update(text: str) -> None:
    """Raise :class:`RefusedQuery` when *text* parses as a SPARQL Update (for a clear message after a syntax error)."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:
        return
    raise RefusedQuery(UPDATE_REFUSED)


def for_endpoint(text: str, *, base: str | None, default_graphs: tuple[str, ...] | None,
                 named_graphs: tuple[str, ...] | None, backend: Backend) -> Prepared:
    """:func:`prepare` for the ``/sparql`` endpoint of ``rolegraph serve``, which exposes exactly one graph.

    That graph is the data rolegraph reads (a local store's default graph; a remote server's ``--graph``, or its
    default graph), named :data:`rolegraph.namespaces.DATA_GRAPH` (and, on a remote server, by its ``--graph``
    IRI too). Run the answer with ``dataset=True``: the data as the default graph and no named graphs.
    :class:`QueryError` (a 400) when FROM, FROM NAMED, ``default-graph-uri`` or ``named-graph-uri`` name any
    other graph, and for GRAPH patterns (there are no named graphs; rdflib cannot run them on one graph, and a
    remote server would read them against all of its graphs); on a remote back end the text sent names no graph
    at all (the server would read FROM against its own graphs), so FROM and FROM NAMED are refused there too.
    *default_graphs* and *named_graphs* are the protocol parameters (None: not given).
    """
    from .namespaces import DATA_GRAPH

    prepared = prepare(text, base=base, dataset=True)
    remote = backend.forwards_queries
    names = {DATA_GRAPH, *backend.data_graph_names}
    checked = [("default-graph-uri", default_graphs), ("named-graph-uri", named_graphs)]
    if default_graphs is None and named_graphs is None:   # the protocol's parameters override FROM and FROM NAMED
        checked += [("FROM", prepared.default_graphs), ("FROM NAMED", prepared.named_graphs)]
    for what, given in checked:
        for iri in given or ():
            if iri not in names:
                raise QueryError(f"{what} <{iri}> names a graph this endpoint does not expose: it exposes one "
                                 f"graph, the data, as its default graph (named <{DATA_GRAPH}>)",
                                 "leave out FROM and the dataset parameters")
    if prepared.graph_pattern or (remote and (prepared.default_graphs or prepared.named_graphs)):
        raise QueryError("GRAPH patterns" + (", FROM and FROM NAMED" if remote else "") + " are refused: this "
                         "endpoint exposes one graph, the data, as its default graph, and has no named graphs",
                         "leave them out")
    return prepared
