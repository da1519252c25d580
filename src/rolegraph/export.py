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
from .output import spreadsheet_safe

RDF_FORMATS = ("ttl", "jsonld", "nt")
#: open skills formats (:mod:`rolegraph.skills_formats`): CASE 1.1 JSON, CTDL-ASN JSON-LD, schema.org DefinedTermSet
SKILLS_FORMATS = ("case", "ctdl", "schemaorg")
FORMATS = RDF_FORMATS + ("graphml", "csv") + SKILLS_FORMATS


def rdf(g: RoleGraph, fmt: str = "ttl") -> bytes:
    """The ontology and data as Turtle (``ttl``), JSON-LD (``jsonld``) or N-Triples (``nt``)."""
    return g.backend.dump(fmt, prefixes=ns.PREFIXES)


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
    ``role``/``role_label``, ``family``, ``order`` (levels only), the published grades the same
    way for both kinds: ``grades`` (all, lowest first), ``grade_min``/``grade_max`` and their ranks,
    and the career model's grade ``band`` with the rule that gave it.
    Edges (the moves the default grade rules allow): ``weight`` (the similarity, 0-1: what Gephi's
    layouts pull on), ``similarity``, ``gap``, ``cost`` (what paths minimise), ``kind`` (promotion,
    sideways, change of role, bridge), ``grade_change``, and for bridges ``basis`` and ``inferred``.
    """
    import networkx as nx

    from . import careers

    M = careers.move_graph(g)
    B = careers.skills_graph(g)
    ranks = {r["n"]: r["rank"] for r in g.select(
        "SELECT ?n ?rank WHERE { ?g a rg:Grade ; skos:notation ?n ; rg:rank ?rank }")}
    bridges = {(b["from"], b["to"]): b for b in careers.stated_bridges(g)}
    H = nx.DiGraph()
    for n, d in sorted(M.nodes(data=True), key=lambda nd: nd[0]):  # the same order whatever the engine
        b = B.nodes[n]
        grades = list(b.get("grades") or [])
        attrs = {"iri": n, "label": d["label"], "kind": "SCS role" if d["kind"] == "scs" else "role level",
                 "role": b["role"], "role_label": b["role_label"], "family": b.get("family"),
                 "order": b.get("order"), "grades": ", ".join(grades), "band": d.get("grades"),
                 "band_rule": d.get("band_rule")}
        if grades:
            attrs.update(grade_min=grades[0], grade_max=grades[-1], grade_min_rank=ranks[grades[0]],
                         grade_max_rank=ranks[grades[-1]])
        H.add_node(graphml_id(n), **{k: v for k, v in attrs.items() if v is not None})
    for a, c, d in sorted(M.edges(data=True), key=lambda e: (e[0], e[1])):
        sim = float(careers.similarity(B, a, c))
        attrs = {"weight": sim, "similarity": sim, "gap": d["gap"], "cost": d["cost"], "kind": d["kind"],
                 "grade_change": d.get("grade_change")}
        bridge = bridges.get((a, c))
        if bridge:
            attrs.update(basis=bridge.get("basis"), inferred=bool(bridge.get("inferred")))
        H.add_edge(graphml_id(a), graphml_id(c), **{k: v for k, v in attrs.items() if v is not None})
    buf = io.BytesIO()
    nx.write_graphml(H, buf, encoding="utf-8")
    return buf.getvalue()


def similarity_csv(g: RoleGraph) -> str:
    """The role-level similarity matrix: one row per origin, one column per destination, labels as headers.

    Made to be opened in a spreadsheet, so a label that starts like a formula gets a leading ``'``
    (:func:`~rolegraph.output.spreadsheet_safe`); the similarities are numbers and stay as they are.
    """
    from . import careers

    B = careers.skills_graph(g)
    nodes = careers.positions(B)
    labels = {n: B.nodes[n].get("label", n) for n in nodes}
    order = sorted(nodes, key=lambda n: labels[n].casefold())
    safe = {n: spreadsheet_safe(labels[n]) for n in order}   # labels come from the data: no formulas
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["from \\ to"] + [safe[n] for n in order])
    for a in order:
        sims = careers.similarities(B, a)
        w.writerow([safe[a]] + [f"{(1.0 if a == b else sims.get(b, 0.0)):.4f}" for b in order])
    return buf.getvalue()


def export(g: RoleGraph, fmt: str, family: str | None = None) -> bytes:
    """Dispatch on *fmt* (one of :data:`FORMATS`); *family* (a job family's name) limits the open skills formats
    (:data:`SKILLS_FORMATS`) to one family."""
    if fmt in SKILLS_FORMATS:
        from . import skills_formats

        return skills_formats.export(g, fmt, family)
    if family is not None:
        from .errors import RolegraphError

        raise RolegraphError(f"--family applies only to --format {', '.join(SKILLS_FORMATS)}")
    if fmt in RDF_FORMATS:
        return rdf(g, fmt)
    if fmt == "graphml":
        return graphml(g)
    return similarity_csv(g).encode("utf-8")
