"""Storage backends: one small interface, several engines behind it.

A backend holds RDF and answers SPARQL. Library code calls only the methods of
:class:`~rolegraph.store.base.Backend` (``load``, ``query``, ``select``, ``ask``,
``dump``, ``triples``, ``to_rdflib``, ``len``), so a command does not care which
engine answers it, nor where the data lives.

* :class:`OxigraphBackend` (default, ``store/oxigraph.py``): pyoxigraph in memory, or on disk.
* :class:`RdflibBackend` (``store/rdflib.py``): rdflib's memory graph, the reference engine.
* a store folder (``store/folder.py``): an on-disk OxigraphBackend filled atomically, whose
  ``content_key``/``cache_dir`` let :meth:`RoleGraph.cached` keep derived data between processes.
* :class:`~rolegraph.store.remote.RemoteBackend` (``store/remote.py``): any SPARQL 1.1 server,
  read-only (imported on demand: it needs a URL, so it is not one of the ``--backend`` choices); its
  ``cache_dir`` is a local folder when ``rolegraph publish`` stamped the graph (``store/stamp.py``).

Query results come back as a :class:`QueryResult`; its ``rows()`` are plain
Python: ``{variable: value}`` dicts where IRIs are ``str``, literals are
``int``/``float``/``bool``/``str`` and an unbound variable is ``None``.
Parameters are bound as RDF terms (:class:`Iri`, :class:`Lit`), never pasted
into query text.

Adding an engine (e.g. a remote SPARQL 1.1 endpoint)
----------------------------------------------------
Write one module here, say ``store/remote.py``, with a subclass of
:class:`Backend` implementing every abstract method, and a :class:`QueryResult`
subclass for its answers; then add it to :data:`BACKENDS`. Nothing else changes:

* ``query`` takes the user's text, the prefixes to predeclare and the bindings.
  An engine that takes query text binds with :func:`sparql.bind_values` (the one
  VALUES binder) and reports syntax errors with :func:`sparql.syntax_message`, so
  positions are the user's own lines; send the prefixes as a ``PREFIX`` prologue
  and move reported lines back by its length.
* ``dump`` can be a ``CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }``, ``triples`` a
  CONSTRUCT of one pattern, ``to_rdflib`` a parse of ``dump("nt")``, ``len`` a
  ``COUNT``; ``load`` may raise :class:`~rolegraph.errors.InputError` when the
  engine is read-only. Raise ``QueryError``/``InputError``, never print.
* Bump ``generation`` whenever the data changes, so caches built on it are dropped.
"""
from __future__ import annotations

from ..errors import InputError
from .base import (
    GRAPH_FORMATS,
    RDF_FORMATS,
    RESULT_FORMATS,
    Backend,
    Iri,
    Lit,
    QueryResult,
    Row,
    Term,
    expand_paths,
    graph_format,
    python_value,
    rdf_format,
)
from .oxigraph import OxigraphBackend
from .rdflib import RdflibBackend
from .sparql import bind_values, sparql_term, syntax_message

#: engine name -> backend class (the CLI's ``--backend`` choices)
BACKENDS: dict[str, type[Backend]] = {"oxigraph": OxigraphBackend, "rdflib": RdflibBackend}


def make_backend(name: str = "oxigraph") -> Backend:
    """A new, empty backend of engine *name* (a key of :data:`BACKENDS`)."""
    try:
        return BACKENDS[name]()
    except KeyError:
        raise InputError(f"unknown backend {name!r}", f"choose from {', '.join(BACKENDS)}") from None


__all__ = ["Backend", "QueryResult", "Iri", "Lit", "Term", "Row", "BACKENDS", "make_backend", "expand_paths",
           "rdf_format", "graph_format", "python_value", "RDF_FORMATS", "GRAPH_FORMATS", "RESULT_FORMATS",
           "OxigraphBackend", "RdflibBackend", "bind_values", "sparql_term", "syntax_message"]
