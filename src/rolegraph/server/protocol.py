"""The SPARQL 1.1 Protocol's rules: result formats, content negotiation, dataset parameters, service description.

Plain functions over strings, no HTTP library: :mod:`rolegraph.server.app` calls them per request.

>>> negotiate("text/csv;q=0.5, text/tab-separated-values", RESULT_OFFERS).format
'tsv'
>>> negotiate("text/*", GRAPH_OFFERS).format
'ttl'
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote_to_bytes

from .. import namespaces as ns
from ..rdf_formats import FORMAT_IRIS

#: (media type, rolegraph format) for SELECT and ASK, in the server's order of preference
RESULT_OFFERS = (
    ("application/sparql-results+json", "sparql-json"),
    ("application/sparql-results+xml", "sparql-xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
    ("application/json", "sparql-json"),
    ("application/xml", "sparql-xml"),
    ("text/xml", "sparql-xml"),
)
#: (media type, rolegraph format) for CONSTRUCT and DESCRIBE
GRAPH_OFFERS = (
    ("text/turtle", "ttl"),
    ("application/n-triples", "nt"),
    ("application/ld+json", "jsonld"),
    ("application/rdf+xml", "rdfxml"),
    ("application/x-turtle", "ttl"),
    ("text/plain", "nt"),
    ("application/xml", "rdfxml"),
)
#: ``format=`` / ``output=`` values (as sent by SPARQLWrapper, YASGUI and the query page) per kind of answer
RESULT_ALIASES = {"json": "sparql-json", "sparql-json": "sparql-json", "xml": "sparql-xml",
                  "sparql-xml": "sparql-xml", "csv": "csv", "tsv": "tsv"}
GRAPH_ALIASES = {"turtle": "ttl", "ttl": "ttl", "n3": "ttl", "nt": "nt", "ntriples": "nt", "n-triples": "nt",
                 "json-ld": "jsonld", "jsonld": "jsonld", "json": "jsonld", "xml": "rdfxml", "rdf": "rdfxml",
                 "rdfxml": "rdfxml", "rdf+xml": "rdfxml"}


@dataclass(frozen=True)
class Choice:
    """A negotiated format, and how specific the Accept entry that chose it was (2 exact, 1 type/*, 0 */*)."""

    format: str
    specificity: int


def parse_accept(accept: str) -> list[tuple[str, str, float]]:
    """(type, subtype, q) for each entry of an Accept header; entries with q=0 kept (they refuse)."""
    out = []
    for part in accept.split(","):
        media, *params = [p.strip() for p in part.split(";")]
        if "/" not in media:
            continue
        q = 1.0
        for p in params:
            key, _, value = p.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        kind, _, sub = media.lower().partition("/")
        out.append((kind.strip(), sub.strip(), q))
    return out


def negotiate(accept: str | None, offers=RESULT_OFFERS) -> Choice | None:
    """The best of *offers* for an Accept header (RFC 9110: the most specific matching entry gives q).

    No Accept header means anything (``*/*``). Ties go to the server's order. None: nothing acceptable.
    """
    entries = parse_accept(accept) if accept and accept.strip() else [("*", "*", 1.0)]
    best = None
    for rank, (media, fmt) in enumerate(offers):
        kind, _, sub = media.partition("/")
        match = None
        for k, s, q in entries:
            spec = 2 if (k, s) == (kind, sub) else 1 if (k == kind and s == "*") else 0 if (k, s) == ("*", "*") else -1
            if spec >= 0 and (match is None or spec > match[0]):
                match = (spec, q)
        if match is None or match[1] <= 0:
            continue
        key = (match[1], -rank)
        if best is None or key > best[0]:
            best = (key, Choice(fmt, match[0]))
    return best[1] if best else None


@lru_cache(maxsize=512)   # clients send the same few Accept headers over and over
def choose(accept: str | None, explicit: str | None, graph: bool) -> str | None:
    """The format for an answer: a satisfiable Accept wins; then ``format=``; then the default; None: 406.

    Browsers list ``text/html`` and take anything else only by ``*/*`` or ``application/xml``: for them the
    ``format=`` of the query page's form wins over the Accept header.

    >>> choose("application/rdf+xml", "xml", graph=True)    # SPARQLWrapper's CONSTRUCT
    'rdfxml'
    >>> choose("text/csv", "json", graph=False)             # a satisfiable Accept wins
    'csv'
    >>> choose("text/html,application/xml;q=0.9,*/*;q=0.8", "csv", graph=False)   # the query page
    'csv'
    """
    offers, aliases = (GRAPH_OFFERS, GRAPH_ALIASES) if graph else (RESULT_OFFERS, RESULT_ALIASES)
    choice = negotiate(accept, offers)
    fmt = aliases.get((explicit or "").strip().lower())
    browser = wants_html(accept)
    if choice is not None and choice.specificity > 0 and not (browser and fmt):
        return choice.format
    if fmt:
        return fmt
    return choice.format if choice is not None else None


def form_fields(data: bytes) -> list[tuple[str, str]]:
    r"""The fields of a query string or an ``application/x-www-form-urlencoded`` body, as ``parse_qsl`` reads them
    (``+`` is a space, ``%XX`` a byte, UTF-8 with replacement, blank values kept; raw bytes are read as UTF-8).

    The percent-decoding runs in C (``codecs.escape_decode``, ~10x faster than ``urllib.parse``'s loop over
    every escape, which a query with its prologue has hundreds of); malformed escapes are left as they are,
    exactly as ``urllib.parse`` does.

    >>> form_fields(b"query=ASK%7B%7D&format=json&x")
    [('query', 'ASK{}'), ('format', 'json'), ('x', '')]
    >>> form_fields(b"a=%zz+b%5C%25&c=%E2%82%AC")
    [('a', '%zz b\\%'), ('c', '€')]
    """
    out = []
    for part in data.split(b"&"):
        if part:
            key, _, value = part.partition(b"=")
            out.append((_unquote_plus(key), _unquote_plus(value)))
    return out


def _unquote_plus(data: bytes) -> str:
    data = data.replace(b"+", b" ")
    if b"%" in data:
        try:   # with every backslash doubled, the only escapes left are the \xHH made from %HH
            data = codecs.escape_decode(data.replace(b"\\", b"\\\\").replace(b"%", b"\\x"))[0]
        except ValueError:   # a malformed escape somewhere: the slow reading, which keeps it as it is
            data = unquote_to_bytes(data)
    return data.decode("utf-8", "replace")


@lru_cache(maxsize=512)
def wants_html(accept: str | None) -> bool:
    """True when an Accept header lists ``text/html`` (a browser), which gets the query page."""
    return any((k, s) == ("text", "html") and q > 0 for k, s, q in parse_accept(accept or ""))


def offered(graph: bool) -> str:
    """The media types this kind of answer can take, for a 406 message."""
    return ", ".join(dict.fromkeys(m for m, _ in (GRAPH_OFFERS if graph else RESULT_OFFERS)))


# ---------------------------------------------------------------------------- service description

def service_description(endpoint: str, triples: int) -> bytes:
    """The SPARQL 1.1 Service Description of the endpoint at *endpoint*, as Turtle.

    >>> b"sd:SPARQL11Query" in service_description("http://127.0.0.1:8000/sparql", 10)
    True
    """
    import pyoxigraph as ox

    def n(iri: str) -> ox.NamedNode:
        return ox.NamedNode(iri)

    svc, dataset, graph = ox.BlankNode(), ox.BlankNode(), ox.BlankNode()
    a = n(ns.RDF + "type")
    out = [
        ox.Triple(svc, a, n(ns.SD + "Service")),
        ox.Triple(svc, n(ns.SD + "endpoint"), n(endpoint)),
        ox.Triple(svc, n(ns.SD + "supportedLanguage"), n(ns.SD + "SPARQL11Query")),
        ox.Triple(svc, n(ns.SD + "feature"), n(ns.SD + "EmptyGraphs")),
        ox.Triple(svc, n(ns.SD + "defaultDataset"), dataset),
        ox.Triple(dataset, a, n(ns.SD + "Dataset")),
        ox.Triple(dataset, n(ns.SD + "defaultGraph"), graph),
        ox.Triple(graph, a, n(ns.SD + "Graph")),
        ox.Triple(graph, n(ns.SD + "name"), n(ns.DATA_GRAPH)),
        ox.Triple(graph, n(ns.VOID + "triples"), ox.Literal(str(triples), datatype=n(ns.XSD + "integer"))),
        ox.Triple(svc, n(ns.DCTERMS + "description"), ox.Literal(
            "A read-only SPARQL 1.1 endpoint over the UK Government Digital and Data Profession Capability "
            "Framework. SERVICE, SPARQL Update and LOAD are refused; each query has a time limit.", language="en")),
    ]
    out += [ox.Triple(svc, n(ns.SD + "resultFormat"), n(ns.FORMATS + FORMAT_IRIS[f])) for f in FORMAT_IRIS]
    prefixes = {"sd": ns.SD, "void": ns.VOID, "formats": ns.FORMATS, "dcterms": ns.DCTERMS, "xsd": ns.XSD}
    return ox.serialize(out, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""
