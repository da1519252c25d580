"""Core constraints on a large graph, shape by shape, on small graphs extracted from the store.

For each shape and each batch of its focus nodes, pyshacl sees only what that
shape reads from those nodes: the triples along its paths (followed into nested
value shapes), the types ``sh:class`` checks need and ``rdfs:subClassOf``. Peak
memory is then the store plus one batch, not a second copy of all the data.
Typed literals come from the files as written (:func:`source.typed_literals`),
not from the store, which may have rewritten them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import namespaces as ns
from .core import run_pyshacl
from .source import is_rewritable

#: marks the batch of focus nodes in an extracted graph (a predicate no shape reads)
FOCUS_MARK = "urn:x-rolegraph:validation-focus"


class Unsupported(Exception):
    """A shape whose reads cannot be extracted; validate on the whole graph instead."""


@dataclass
class Needs:
    """What a shape reads from a node: its types, and triples along paths (with what it reads from the values)."""

    types: bool = False
    reads: list = field(default_factory=list)   # (predicate IRI, inverse?, Needs of the values)


_VALUE_SHAPE_KEYS = ("node", "qualifiedValueShape", "not")
_VALUE_LIST_KEYS = ("or", "and", "xone")
_PAIR_KEYS = ("equals", "disjoint", "lessThan", "lessThanOrEquals")


def needs(sg, shape, depth: int = 0) -> Needs:
    """What validating a node against *shape* (node or property shape constraints on that node) reads."""
    from rdflib import BNode, URIRef
    from rdflib.collection import Collection

    SH = ns.SH
    if depth > 12:
        raise Unsupported("shape nesting too deep")
    if str(sg.value(shape, URIRef(SH + "closed"))).lower() == "true":
        raise Unsupported("sh:closed")
    out = Needs(types=sg.value(shape, URIRef(SH + "class")) is not None)
    members = [sg.value(shape, URIRef(SH + k)) for k in _VALUE_SHAPE_KEYS]
    for k in _VALUE_LIST_KEYS:
        for lst in sg.objects(shape, URIRef(SH + k)):
            members.extend(Collection(sg, lst))
    for m in members:
        if m is not None:
            inner = needs(sg, m, depth + 1)
            out.types = out.types or inner.types
            out.reads.extend(inner.reads)
    for prop in sg.objects(shape, URIRef(SH + "property")):
        path = sg.value(prop, URIRef(SH + "path"))
        inverse = False
        if isinstance(path, BNode):
            inner_path = sg.value(path, URIRef(SH + "inversePath"))
            if not isinstance(inner_path, URIRef) or len(list(sg.predicate_objects(path))) != 1:
                raise Unsupported("complex sh:path")
            path, inverse = inner_path, True
        if not isinstance(path, URIRef):
            raise Unsupported("complex sh:path")
        out.reads.append((path, inverse, needs(sg, prop, depth + 1)))
        for k in _PAIR_KEYS:
            for other in sg.objects(prop, URIRef(SH + k)):
                out.reads.append((other, False, Needs()))
    return out


def gather(backend, nodes, need: Needs, out: set, written: dict) -> None:
    """Add to *out* the triples *need* reads from *nodes*; typed literals as written (from *written*)."""
    from rdflib import Literal
    from rdflib.namespace import RDF

    if need.types:
        for n in nodes:
            out.update(backend.triples(n, RDF.type, None))
    for pred, inverse, inner in need.reads:
        values: set = set()
        for n in nodes:
            if isinstance(n, Literal):
                continue
            if inverse:
                found = list(backend.triples(None, pred, n))
            else:
                as_written = written.get((n, pred), ())
                found = [t for t in backend.triples(n, pred, None) if not (as_written and is_rewritable(t[2]))]
                found += [(n, pred, o) for o in as_written]
            out.update(found)
            values.update(t[0] if inverse else t[2] for t in found)
        if values and (inner.types or inner.reads):
            gather(backend, values, inner, out, written)


def core_by_shape(backend, shapes, targets, batch: int, written: dict):
    """pyshacl report graphs, one per (shape, batch of its focus nodes); None to fall back to the whole graph.

    *targets(shape)* gives a shape's focus nodes (IRIs as strings).
    """
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF, RDFS

    mark = URIRef(FOCUS_MARK)
    SH = ns.SH
    core = shapes.core
    target_keys = [URIRef(SH + k) for k in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")]
    named = sorted({s for k in target_keys for s in core.subjects(k, None)}, key=str)
    if any(not isinstance(s, URIRef) for s in named) or any(
            (s, RDF.type, RDFS.Class) in core for s in core.subjects(RDF.type, URIRef(SH + "NodeShape"))):
        return None
    try:
        plans = [(s, needs(core, s)) for s in named]
    except Unsupported:
        return None
    subclass = set(backend.triples(None, RDFS.subClassOf, None))
    untargeted = Graph()
    for t in core:
        if t[1] not in target_keys:
            untargeted.add(t)
    reports = []
    for shape, need in plans:
        focus_all = sorted(targets(shape))
        if any(t.startswith("_:") for t in focus_all):
            return None
        for start in range(0, len(focus_all), batch):
            focus = [URIRef(t) for t in focus_all[start:start + batch]]
            triples: set = set(subclass)
            gather(backend, focus, Needs(types=True), triples, written)
            gather(backend, focus, need, triples, written)
            data = Graph()
            for t in triples:
                data.add(t)
            # This shape, targeted at exactly this batch: pyshacl's use_shapes + focus_nodes mode skips
            # nested sh:node results, and thousands of sh:targetNode triples slow every shape look-up,
            # so the batch is marked in the extracted data with a predicate no shape reads.
            for f in focus:
                data.add((f, mark, mark))
            batch_shapes = Graph()
            batch_shapes += untargeted
            batch_shapes.add((shape, URIRef(SH + "targetSubjectsOf"), mark))
            reports.append(run_pyshacl(data, batch_shapes))
    return reports
