"""Core SHACL constraints (counts, classes, datatypes, ...) in pyshacl, and its report read into :class:`Result`\\ s.

Only the report's top-level ``sh:result``\\ s become results: the ones pyshacl
puts under ``sh:detail`` (why a value failed a ``sh:node`` shape) explain a
result and are not counted again, as SHACL 1.0 §4.8.1 says (one result per
value that does not conform).
"""
from __future__ import annotations

from .. import namespaces as ns
from .report import Result, Term
from .shapes import Shapes, path_text
from .source import quiet_literals


def run_pyshacl(data, shapes_graph):
    """pyshacl's report graph for *data* (an rdflib graph) against *shapes_graph*, without inference."""
    import pyshacl

    with quiet_literals():
        return pyshacl.validate(data, shacl_graph=shapes_graph, inference="none", advanced=False,
                                allow_warnings=True)[1]


def to_term(term) -> Term | None:
    """An rdflib term as a report :class:`Term` (literals keep their lexical form, datatype and language)."""
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return Term("iri", str(term))
    if isinstance(term, BNode):
        return Term("bnode", str(term))
    assert isinstance(term, Literal)
    if term.language:
        return Term("literal", str(term), ns.RDF + "langString", term.language)
    return Term("literal", str(term), str(term.datatype or ns.XSD + "string"))


def results_from(report_graph, shapes: Shapes, label) -> list[Result]:
    """The top-level results of a pyshacl report graph; *label(term)* names a focus node for people."""
    from rdflib import URIRef

    SH = ns.SH
    out = []
    for report in report_graph.subjects(URIRef(ns.RDF + "type"), URIRef(SH + "ValidationReport")):
        for node in report_graph.objects(report, URIRef(SH + "result")):
            val = lambda p: report_graph.value(node, URIRef(SH + p))  # noqa: E731
            focus = to_term(val("focusNode"))
            source = val("sourceShape")
            shape = shapes.node_shape(source)
            messages = list(report_graph.objects(node, URIRef(SH + "resultMessage")))
            out.append(Result(
                severity=str(val("resultSeverity")).rsplit("#", 1)[-1],
                focus=_node_text(focus), focus_label=label(val("focusNode")),
                message=str(messages[0]) if messages else "does not conform",
                shape=str(shape), shape_label=shapes.label(shape), source_shape=shapes.source_id(source),
                component=str(val("sourceConstraintComponent") or ""),
                path=path_text(report_graph, val("resultPath")), value=to_term(val("value"))))
    return out


def _node_text(t: Term | None) -> str:
    if t is None:
        return ""
    return "_:" + t.value if t.kind == "bnode" else t.value
