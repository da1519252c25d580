"""Validate a RoleGraph against the SHACL shapes in ``ontology/shapes.ttl``.

Core constraints (counts, classes, datatypes, ...) are checked by pyshacl on an
rdflib memory graph. SHACL-SPARQL constraints (``sh:sparql``) are run once per
constraint over all focus nodes on the graph's own backend, instead of once per
focus node through rdflib's SPARQL engine as plain pyshacl does: the results are
the same for constraints whose ``$this`` sits in the top-level pattern (all of
rolegraph's do), and the bundled data validates in about a second instead of
minutes. ``validate(..., engine="pyshacl")`` runs everything through pyshacl, as
a reference.

>>> from rolegraph.graph import RoleGraph
>>> report = validate(RoleGraph.load())
>>> report.conforms, report.count("Warning") > 0
(True, True)
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import namespaces as ns
from .graph import RoleGraph
from .resources import shapes_file

SEVERITIES = ("Violation", "Warning", "Info")


@dataclass
class Result:
    """One validation result."""

    severity: str            # Violation, Warning or Info
    focus: str               # IRI (or blank node id) of the focus node
    focus_label: str
    message: str
    shape: str               # the node shape's IRI
    shape_label: str
    path: str | None = None
    value: str | None = None
    value_is_iri: bool = False


@dataclass
class Report:
    """The outcome of a validation: results grouped by severity."""

    results: list[Result]
    files: list[str] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """True when there is no violation (warnings allowed)."""
        return self.count("Violation") == 0

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    def by_severity(self) -> dict[str, list[Result]]:
        return {s: [r for r in self.results if r.severity == s] for s in SEVERITIES if self.count(s)}

    def to_dict(self) -> dict:
        return {
            "conforms": self.conforms,
            "counts": {s.lower() + "s": self.count(s) for s in SEVERITIES},
            "files": self.files,
            "results": [asdict(r) for r in self.results],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_turtle(self) -> str:
        """The report as a SHACL validation report graph (sh:ValidationReport)."""
        from rdflib import BNode, Graph, Literal, Namespace, URIRef
        from rdflib.namespace import RDF

        SH = Namespace(ns.SH)
        g = Graph()
        for p, n in ns.PREFIXES.items():
            g.bind(p, n)
        rep = BNode()
        g.add((rep, RDF.type, SH.ValidationReport))
        g.add((rep, SH.conforms, Literal(self.conforms)))
        for r in self.results:
            node = BNode()
            g.add((rep, SH.result, node))
            g.add((node, RDF.type, SH.ValidationResult))
            g.add((node, SH.resultSeverity, SH[r.severity]))
            g.add((node, SH.focusNode, BNode(r.focus[2:]) if r.focus.startswith("_:") else URIRef(r.focus)))
            g.add((node, SH.sourceShape, URIRef(r.shape) if "://" in r.shape else BNode(r.shape)))
            g.add((node, SH.resultMessage, Literal(r.message, lang="en")))
            if r.path:
                g.add((node, SH.resultPath, URIRef(r.path)))
            if r.value is not None:
                g.add((node, SH.value, URIRef(r.value) if r.value_is_iri else Literal(r.value)))
        return g.serialize(format="turtle")


def validate(g: RoleGraph, shapes: Path | None = None, engine: str = "split") -> Report:
    """Validate *g* against *shapes* (default: the bundled shapes).

    *engine* ``"split"`` (default) runs core constraints in pyshacl and SPARQL
    constraints on the graph's backend; ``"pyshacl"`` runs everything in pyshacl.
    """
    import pyshacl
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    from .store import RdflibBackend

    SH = ns.SH
    shapes_graph = Graph().parse(shapes or shapes_file(), format="turtle")
    if isinstance(g.backend, RdflibBackend):
        data = g.backend.graph
    else:
        data = Graph().parse(data=g.backend.dump("nt"), format="nt")

    sparql_constraints = []
    if engine == "split":
        for shape, constraint in list(shapes_graph.subject_objects(URIRef(SH + "sparql"))):
            sparql_constraints.append((shape, constraint))
        core_shapes = Graph()
        for t in shapes_graph:
            if t[1] != URIRef(SH + "sparql"):
                core_shapes.add(t)
    else:
        core_shapes = shapes_graph

    _conforms, report_graph, _text = pyshacl.validate(
        data, shacl_graph=core_shapes, inference="none", advanced=False, allow_warnings=True)

    results: list[Result] = []
    for node in report_graph.subjects(RDF.type, URIRef(SH + "ValidationResult")):
        results.append(_from_report(g, shapes_graph, report_graph, node))
    for shape, constraint in sparql_constraints:
        results.extend(_run_sparql_constraint(g, shapes_graph, shape, constraint))
    order = {s: i for i, s in enumerate(SEVERITIES)}
    results.sort(key=lambda r: (order.get(r.severity, 9), r.focus_label.casefold(), r.message))
    return Report(results, [str(f) for f in g.files])


def _node_shape(shapes_graph, shape):
    """The named node shape a (possibly blank) property shape belongs to."""
    from rdflib import BNode, URIRef

    if isinstance(shape, BNode):
        parent = shapes_graph.value(None, URIRef(ns.SH + "property"), shape)
        if parent is not None:
            return parent
    return shape


def _shape_label(shapes_graph, shape) -> str:
    from rdflib import URIRef

    label = shapes_graph.value(shape, URIRef(ns.RDFS + "label"))
    if label is not None:
        return str(label)
    return str(shape).rsplit("#", 1)[-1]


def _term_text(term) -> tuple[str | None, bool]:
    from rdflib import BNode, URIRef

    if term is None:
        return None, False
    if isinstance(term, URIRef):
        return str(term), True
    if isinstance(term, BNode):
        return "_:" + str(term), False
    return str(term), False


def _from_report(g: RoleGraph, shapes_graph, report_graph, node) -> Result:
    from rdflib import URIRef

    SH = ns.SH
    val = lambda p: report_graph.value(node, URIRef(SH + p))  # noqa: E731
    focus, _ = _term_text(val("focusNode"))
    severity = str(val("resultSeverity")).rsplit("#", 1)[-1]
    source = val("sourceShape")
    shape = _node_shape(shapes_graph, source)
    messages = list(report_graph.objects(node, URIRef(SH + "resultMessage")))
    message = str(messages[0]) if messages else "does not conform"
    value, value_is_iri = _term_text(val("value"))
    path = val("resultPath")
    return Result(severity=severity, focus=focus or "", focus_label=_label(g, focus or ""), message=message,
                  shape=str(shape), shape_label=_shape_label(shapes_graph, shape),
                  path=str(path) if isinstance(path, URIRef) else None, value=value, value_is_iri=value_is_iri)


def _label(g: RoleGraph, iri: str) -> str:
    if iri.startswith("_:"):
        return iri
    return g.label(iri)


def _targets(g: RoleGraph, shapes_graph, shape) -> set[str]:
    """The focus nodes of *shape* (targetClass with subclasses, targetNode, targetSubjectsOf, targetObjectsOf)."""
    from rdflib import URIRef

    SH = ns.SH
    found: set[str] = set()
    for cls in shapes_graph.objects(shape, URIRef(SH + "targetClass")):
        found |= {r["n"] for r in g.select("SELECT DISTINCT ?n WHERE { ?n a/rdfs:subClassOf* ?c }", c=str(cls))}
    for node in shapes_graph.objects(shape, URIRef(SH + "targetNode")):
        found.add(str(node))
    for p in shapes_graph.objects(shape, URIRef(SH + "targetSubjectsOf")):
        found |= {r["n"] for r in g.select("SELECT DISTINCT ?n WHERE { ?n ?p ?o }", p=str(p))}
    for p in shapes_graph.objects(shape, URIRef(SH + "targetObjectsOf")):
        found |= {r["n"] for r in g.select("SELECT DISTINCT ?n WHERE { ?s ?p ?n }", p=str(p))}
    return found


def _prefixes(shapes_graph, constraint) -> str:
    from rdflib import URIRef

    SH = ns.SH
    out = []
    for src in shapes_graph.objects(constraint, URIRef(SH + "prefixes")):
        for decl in shapes_graph.objects(src, URIRef(SH + "declare")):
            prefix = shapes_graph.value(decl, URIRef(SH + "prefix"))
            namespace = shapes_graph.value(decl, URIRef(SH + "namespace"))
            out.append(f"PREFIX {prefix}: <{namespace}>\n")
    return "".join(out)


_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")


def _run_sparql_constraint(g: RoleGraph, shapes_graph, shape, constraint) -> list[Result]:
    """One SHACL-SPARQL constraint over all of *shape*'s focus nodes, in a single query."""
    from rdflib import URIRef

    SH = ns.SH
    if str(shapes_graph.value(shape, URIRef(SH + "deactivated"))).lower() == "true":
        return []
    severity = str(shapes_graph.value(shape, URIRef(SH + "severity")) or SH + "Violation").rsplit("#", 1)[-1]
    select = str(shapes_graph.value(constraint, URIRef(SH + "select")))
    message = str(shapes_graph.value(constraint, URIRef(SH + "message"))
                  or shapes_graph.value(shape, URIRef(SH + "message")) or "does not conform")
    targets = _targets(g, shapes_graph, shape)
    rows = g.backend.select(_prefixes(shapes_graph, constraint) + select)
    results = []
    for row in rows:
        focus = row.get("this")
        if focus not in targets:
            continue
        value = row.get("value")
        is_iri = isinstance(value, str) and "://" in value and " " not in value
        shown = {k: (g.label(v) if isinstance(v, str) and "://" in v else v) for k, v in row.items()}
        shown["this"] = g.label(focus)
        text = _PLACEHOLDER.sub(lambda m: str(shown.get(m.group(1), m.group(0))), message)
        results.append(Result(severity=severity, focus=focus, focus_label=g.label(focus), message=text,
                              shape=str(shape), shape_label=_shape_label(shapes_graph, shape),
                              path=row.get("path"), value=None if value is None else str(value),
                              value_is_iri=is_iri))
    return results
