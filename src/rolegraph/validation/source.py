"""The data as the user wrote it, for validation.

Stores and parsers may rewrite literals: pyoxigraph's *store* (not its parser)
keeps typed literals by value, so ``"2"^^xsd:int`` comes back as
``"2"^^xsd:integer`` and ``"02"`` and ``"2"`` merge into one value; rdflib's
parser does the same unless ``normalize=False``. ``sh:datatype`` and
``sh:maxCount`` would then pass on data that breaks them. So validation reads
the files again with pyoxigraph's parser, which keeps every term as written, and
builds rdflib terms from that without normalising.

>>> import tempfile, pathlib
>>> f = pathlib.Path(tempfile.mkdtemp()) / "a.ttl"
>>> _ = f.write_text('<https://example.org/a> <https://example.org/p> "02"^^<http://www.w3.org/2001/XMLSchema#int> .')
>>> [str(o) for _, _, o in written_graph([f])]
['02']
"""
from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Iterable, Iterator

from .. import namespaces as ns
from ..rdf_formats import ox_rdf

_PLAIN = {ns.XSD + "string", ns.RDF + "langString"}


def parsed_triples(files: Iterable[Path]) -> Iterator[tuple]:
    """Every triple of *files* (default graph and named graphs) as rdflib terms, literals exactly as written.

    Blank nodes are numbered by first appearance in each file (``f0-b1``, ``f0-b2``, ...), so their names are the
    same in every run (the parser gives ``[ ]`` nodes random ones) and ``_:b1`` in two files stays two nodes.
    """
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    from ..safe_io import open_rdf
    from ..store import rdf_format

    def conv(term, prefix: str):
        if isinstance(term, ox.NamedNode):
            return URIRef(term.value)
        if isinstance(term, ox.BlankNode):
            if term.value not in bnodes:
                bnodes[term.value] = BNode(f"{prefix}b{len(bnodes) + 1}")
            return bnodes[term.value]
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)

    for i, path in enumerate(files):
        fmt = ox_rdf(rdf_format(Path(path))) or ox.RdfFormat.TURTLE
        prefix, bnodes = f"f{i}-", {}  # type: tuple[str, dict]
        with open_rdf(Path(path), rdf_format(Path(path))) as stream:   # past a BOM, as every reader
            for q in ox.parse(stream, format=fmt, base_iri=Path(path).resolve().as_uri()):
                yield conv(q.subject, prefix), conv(q.predicate, prefix), conv(q.object, prefix)


def written_graph(files: Iterable[Path]):
    """An rdflib graph of *files* with every literal as written (see the module docstring)."""
    from rdflib import Graph

    g = Graph()
    with quiet_literals():
        for t in parsed_triples(files):
            g.add(t)
    return g


def typed_literals(files: Iterable[Path]) -> dict[tuple, list]:
    """(subject, predicate) -> its typed literal objects as written, for literals a store may rewrite.

    Only non-string typed literals (numbers, booleans, dates, ...) are kept, so this stays small beside the store.
    """
    from rdflib import Literal

    out: dict[tuple, list] = {}
    with quiet_literals():
        for s, p, o in parsed_triples(files):
            if isinstance(o, Literal) and o.datatype is not None and str(o.datatype) not in _PLAIN:
                objs = out.setdefault((s, p), [])
                if o not in objs:
                    objs.append(o)
    return out


def is_rewritable(term) -> bool:
    """True for a typed literal a store may rewrite (what :func:`typed_literals` holds)."""
    from rdflib import Literal

    return isinstance(term, Literal) and term.datatype is not None and str(term.datatype) not in _PLAIN


@contextlib.contextmanager
def quiet_literals():
    """Silence rdflib's traceback for ill-typed literals such as ``"two"^^xsd:integer``: SHACL reports them."""
    log = logging.getLogger("rdflib.term")
    before = log.disabled
    log.disabled = True
    try:
        yield
    finally:
        log.disabled = before
