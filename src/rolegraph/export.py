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
    return g.backend.dump(fmt, prefixes=ns.PREFIXES)


def graphml(g: RoleGraph) -> bytes:
    """The career-move graph (role levels and SCS roles; moves with similarity, gap and cost) as GraphML."""
    import networkx as nx

    from . import analysis

    M = analysis.move_graph(g)
    H = nx.DiGraph()
    for n, data in sorted(M.nodes(data=True), key=lambda nd: nd[0]):  # the same order whatever the engine
        H.add_node(n, **{k: v for k, v in data.items() if isinstance(v, (str, int, float, bool))})
    for a, b, data in sorted(M.edges(data=True), key=lambda e: (e[0], e[1])):
        H.add_edge(a, b, **{k: v for k, v in data.items() if isinstance(v, (str, int, float, bool))})
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
