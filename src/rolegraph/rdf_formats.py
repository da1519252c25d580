"""The one table of RDF and SPARQL result formats: rolegraph's names, pyoxigraph's, and the media types.

Every module that hands pyoxigraph a format, or names a Content-Type for an answer, looks it up here (a test,
``tests/test_formats_table.py``, reads ``src/`` to check that no other module keeps a table of its own).
pyoxigraph is imported only when a format is looked up.

>>> ox_rdf("turtle").name, ox_rdf("rdfxml", GRAPH).name, ox_results("sparql-json").name
('Turtle', 'RDF/XML', 'SPARQL Results in JSON')
>>> ox_rdf("text/turtle", MEDIA).name, ox_rdf("pdf") is None
('Turtle', True)
"""
from __future__ import annotations

from typing import Any, Mapping

#: a data file's format (the names :func:`rolegraph.store.rdf_format` gives) -> ``pyoxigraph.RdfFormat`` member
FILES: Mapping[str, str] = {"turtle": "TURTLE", "nt": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG",
                            "xml": "RDF_XML", "n3": "N3", "json-ld": "JSON_LD"}
#: a CONSTRUCT or DESCRIBE answer's format (``--format``, the endpoint's negotiation) -> ``RdfFormat`` member
GRAPH: Mapping[str, str] = {"ttl": "TURTLE", "nt": "N_TRIPLES", "rdfxml": "RDF_XML", "jsonld": "JSON_LD"}
#: a SELECT or ASK answer's format -> ``pyoxigraph.QueryResultsFormat`` member
RESULTS: Mapping[str, str] = {"csv": "CSV", "tsv": "TSV", "sparql-json": "JSON", "sparql-xml": "XML"}
#: the media type of an RDF body a SPARQL server sends -> ``RdfFormat`` member
MEDIA: Mapping[str, str] = {"application/n-triples": "N_TRIPLES", "text/plain": "N_TRIPLES",
                            "text/turtle": "TURTLE", "application/x-turtle": "TURTLE",
                            "application/rdf+xml": "RDF_XML", "application/n-quads": "N_QUADS"}
#: the Content-Type the endpoint sends for each answer format (:data:`GRAPH` and :data:`RESULTS` names)
CONTENT_TYPES: Mapping[str, str] = {
    "sparql-json": "application/sparql-results+json; charset=utf-8",
    "sparql-xml": "application/sparql-results+xml; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}

#: each answer format's name in the W3C's format vocabulary (``http://www.w3.org/ns/formats/``), for the service
#: description
FORMAT_IRIS: Mapping[str, str] = {
    "sparql-json": "SPARQL_Results_JSON", "sparql-xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV", "ttl": "Turtle", "nt": "N-Triples", "jsonld": "JSON-LD", "rdfxml": "RDF_XML",
}


def ox_rdf(name: str, table: Mapping[str, str] = FILES) -> Any:
    """The ``pyoxigraph.RdfFormat`` for *name* in *table* (:data:`FILES`, :data:`GRAPH` or :data:`MEDIA`); None when
    the table has no such name or this pyoxigraph lacks the format."""
    import pyoxigraph as ox

    member = table.get(name)
    return getattr(ox.RdfFormat, member, None) if member else None


def ox_results(name: str) -> Any:
    """The ``pyoxigraph.QueryResultsFormat`` for a :data:`RESULTS` name; None for any other."""
    import pyoxigraph as ox

    member = RESULTS.get(name)
    return getattr(ox.QueryResultsFormat, member, None) if member else None
