"""Exports: the whole graph as RDF, the career-move graph as GraphML, the similarity matrix as CSV.

>>> from rolegraph.graph import RoleGraph
>>> g = RoleGraph.load()
>>> rdf(g, "nt").count(b"\\n") == len(g)
True
"""
from __future__ import annotations

import csv
import io

from . import namespaces as ns
from .graph import RoleGraph

RDF_FORMATS = ("ttl", "jsonld", "nt")
FORMATS = RDF_FORMATS + ("graphml", "csv")


def rdf(g: RoleGraph, fmt: str = "ttl") -> bytes:
    """The ontology and data as Turtle (``ttl``), JSON-LD (``jsonld``) or N-Triples (``nt``)."""
    backend = g.backend
    if hasattr(backend, "store"):  # oxigraph: native serializers
        import pyoxigraph as ox

        formats = {"ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD, "nt": ox.RdfFormat.N_TRIPLES}
        kwargs = {"prefixes": ns.PREFIXES} if fmt == "ttl" else {}
        return backend.store.dump(format=formats[fmt], from_graph=ox.DefaultGraph(), **kwargs)
    names = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt"}
    return backend.dump(names[fmt])


def graphml_id(iri: str) -> str:
    """A GraphML node id for a position IRI: an XML name (the schema's ``xs:NMTOKEN``) from its last two parts.

    >>> graphml_id("https://w3id.org/rolegraph/ddat/level/senior-data-engineer")
    'level.senior-data-engineer'
    """
    kind, slug = iri.rstrip("/").rsplit("/", 2)[-2:]
    return f"{kind}.{slug}"


def graphml(g: RoleGraph) -> bytes:
    """The career-move graph as GraphML (valid against the GraphML 1.0 schema), for Gephi or yEd.

    Nodes (role levels and Senior Civil Service roles): an XML-name ``id`` (:func:`graphml_id`)
    with the ``iri`` as an attribute, ``label``, ``kind`` (``role level`` or ``SCS role``),
    ``role``/``role_label``, ``family``, ``order`` (levels only) and the published grades the same
    way for both kinds: ``grades`` (all, lowest first), ``grade_min``/``grade_max`` and their ranks.
    Edges (moves): ``weight`` (the similarity, 0-1: what Gephi's layouts pull on), ``similarity``,
    ``gap``, ``cost`` (what paths minimise), ``kind`` (ladder, similar, bridge), ``grade_change``
    when both ends are graded, and for bridges ``basis`` and ``inferred``.
    """
    import networkx as nx

    from . import analysis

    M = analysis.move_graph(g)
    ranks = {r["n"]: r["rank"] for r in g.select("SELECT ?n ?rank WHERE { ?g a rg:Grade ; skos:notation ?n ; rg:rank ?rank }")}
    H = nx.DiGraph()
    for n, d in M.nodes(data=True):
        grades = d.get("grades") or []
        attrs = {"iri": n, "label": d["label"], "kind": "SCS role" if d["kind"] == "scs" else "role level",
                 "role": d["role"], "role_label": d["role_label"], "family": d.get("family"), "order": d.get("order"),
                 "grades": ", ".join(grades)}
        if grades:
            attrs.update(grade_min=grades[0], grade_max=grades[-1], grade_min_rank=ranks[grades[0]],
                         grade_max_rank=ranks[grades[-1]])
        H.add_node(graphml_id(n), **{k: v for k, v in attrs.items() if v is not None})
    for a, b, d in M.edges(data=True):
        attrs = {"weight": float(d["similarity"]), "similarity": float(d["similarity"]), "gap": d["gap"],
                 "cost": d["cost"], "kind": d["kind"], "grade_change": d.get("grade_change")}
        if d.get("bridge"):
            attrs.update(basis=d["bridge"].get("basis"), inferred=bool(d["bridge"].get("inferred")))
        H.add_edge(graphml_id(a), graphml_id(b), **{k: v for k, v in attrs.items() if v is not None})
    buf = io.BytesIO()
    nx.write_graphml(H, buf, encoding="utf-8")
    return buf.getvalue()


def similarity_csv(g: RoleGraph) -> str:
    """The role-level similarity matrix: one row per origin, one column per destination, labels as headers."""
    from . import analysis

    B = analysis.skills_graph(g)
    nodes = analysis.positions(B)
    labels = {n: B.nodes[n].get("label", n) for n in nodes}
    order = sorted(nodes, key=lambda n: labels[n].casefold())
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["from \\ to"] + [labels[n] for n in order])
    for a in order:
        sims = analysis.similarities(B, a)
        w.writerow([labels[a]] + [f"{(1.0 if a == b else sims.get(b, 0.0)):.4f}" for b in order])
    return buf.getvalue()


def export(g: RoleGraph, fmt: str) -> bytes:
    """Dispatch on *fmt* (one of :data:`FORMATS`)."""
    if fmt in RDF_FORMATS:
        return rdf(g, fmt)
    if fmt == "graphml":
        return graphml(g)
    return similarity_csv(g).encode("utf-8")
