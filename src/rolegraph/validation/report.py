"""The validation report: one :class:`Result` per SHACL validation result, as the spec counts them.

A result carries what SHACL 1.0 §3.6 says a result has (focus node, path, value,
source shape, source constraint component, severity, message) plus labels for
people. :meth:`Report.to_turtle` writes a ``sh:ValidationReport`` graph that
follows the spec: ``sh:conforms`` is true only when there are no results of any
severity. :attr:`Report.conforms` is rolegraph's exit policy instead: warnings
are allowed.

>>> r = Result("Warning", "https://example.org/a", "A", "Too short.", "https://example.org/S", "S",
...            component="http://www.w3.org/ns/shacl#MinLengthConstraintComponent",
...            value=Term("iri", "https://example.org/b"))
>>> report = Report([r])
>>> report.conforms, report.to_dict()["shacl_conforms"]
(True, False)
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from .. import namespaces as ns

SEVERITIES = ("Violation", "Warning", "Info")


@dataclass(frozen=True)
class Term:
    """An RDF term as written in the data: an IRI, a blank node or a literal with its datatype or language.

    >>> Term("literal", "2", datatype=ns.XSD + "int").n3()
    '"2"^^<http://www.w3.org/2001/XMLSchema#int>'
    >>> Term("literal", "Data", language="en").n3()
    '"Data"@en'
    """

    kind: str                    # "iri", "bnode" or "literal"
    value: str                   # the IRI, the blank node's label, or the literal's lexical form as written
    datatype: str | None = None  # literals only (rdf:langString when a language is given)
    language: str | None = None

    def n3(self) -> str:
        """The term in N-Triples / Turtle syntax."""
        if self.kind == "iri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        text = json.dumps(self.value, ensure_ascii=False)
        if self.language:
            return f"{text}@{self.language}"
        if self.datatype and self.datatype != ns.XSD + "string":
            return f"{text}^^<{self.datatype}>"
        return text

    def short(self) -> str:
        """Like :meth:`n3` with well-known namespaces written as prefixes (for people)."""
        text = self.n3()
        if self.kind == "literal" and self.datatype and not self.language:
            text = text.replace(f"<{self.datatype}>", _curie(self.datatype))
        return text


def _curie(iri: str) -> str:
    for p, n in ns.PREFIXES.items():
        if iri.startswith(n) and len(iri) > len(n):
            return f"{p}:{iri[len(n):]}"
    return f"<{iri}>"


@dataclass
class Result:
    """One validation result (a top-level ``sh:result`` of the report: nested ``sh:detail`` results are not counted)."""

    severity: str                # Violation, Warning or Info
    focus: str                   # IRI of the focus node ("_:label" for a blank node)
    focus_label: str             # its English label, or a description of a blank node
    message: str
    shape: str                   # the named node shape the result belongs to
    shape_label: str
    source_shape: str = ""       # sh:sourceShape: the property shape for property constraints ("_:..." when blank)
    component: str = ""          # sh:sourceConstraintComponent (a full IRI)
    path: str | None = None      # sh:resultPath: an IRI, or "^" + IRI for an inverse path
    value: Term | None = None    # sh:value as written in the data

    @property
    def component_name(self) -> str:
        """The constraint component without its namespace (``MinCountConstraintComponent``)."""
        return self.component.rsplit("#", 1)[-1]

    def to_dict(self) -> dict:
        d = asdict(self)
        d["value"] = asdict(self.value) if self.value else None
        return d


@dataclass
class Report:
    """The outcome of a validation."""

    results: list[Result]
    files: list[str] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """rolegraph's pass/fail: no violation (warnings and infos allowed). Not SHACL's sh:conforms."""
        return self.count("Violation") == 0

    @property
    def shacl_conforms(self) -> bool:
        """SHACL's ``sh:conforms`` (§3.6.1): true only when there are no results at all, of any severity."""
        return not self.results

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    def by_severity(self) -> dict[str, list[Result]]:
        return {s: [r for r in self.results if r.severity == s] for s in SEVERITIES if self.count(s)}

    def by_shape(self, severity: str) -> dict[tuple[str, str], list[Result]]:
        """Results of *severity* grouped by (shape label, path), in report order."""
        groups: dict[tuple[str, str], list[Result]] = {}
        for r in self.results:
            if r.severity == severity:
                groups.setdefault((r.shape_label, _curie(r.path.lstrip("^")) if r.path else ""), []).append(r)
        return groups

    def to_dict(self) -> dict:
        return {
            "conforms": self.conforms,
            "shacl_conforms": self.shacl_conforms,
            "counts": {s.lower() + "s": self.count(s) for s in SEVERITIES},
            "files": self.files,
            "results": [r.to_dict() for r in self.results],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_turtle(self) -> str:
        """The report as a SHACL validation report graph (``sh:ValidationReport``, SHACL 1.0 §3.6)."""
        from rdflib import BNode, Graph, Literal, Namespace, URIRef
        from rdflib.namespace import RDF

        SH = Namespace(ns.SH)
        g = Graph()
        for p, n in ns.PREFIXES.items():
            g.bind(p, n)

        def node(text: str):
            return BNode(text[2:]) if text.startswith("_:") else URIRef(text)

        def term(t: Term):
            if t.kind == "iri":
                return URIRef(t.value)
            if t.kind == "bnode":
                return BNode(t.value)
            plain = t.language or t.datatype is None or t.datatype == ns.XSD + "string"
            return Literal(t.value, lang=t.language, normalize=False,
                           datatype=None if plain or t.datatype is None else URIRef(t.datatype))

        rep = BNode()
        g.add((rep, RDF.type, SH.ValidationReport))
        g.add((rep, SH.conforms, Literal(self.shacl_conforms)))
        for r in self.results:
            res = BNode()
            g.add((rep, SH.result, res))
            g.add((res, RDF.type, SH.ValidationResult))
            g.add((res, SH.resultSeverity, SH[r.severity]))
            g.add((res, SH.focusNode, node(r.focus)))
            g.add((res, SH.sourceShape, node(r.source_shape or r.shape)))
            if r.component:
                g.add((res, SH.sourceConstraintComponent, URIRef(r.component)))
            g.add((res, SH.resultMessage, Literal(r.message, lang="en")))
            if r.path and r.path.startswith("^"):
                inverse = BNode()
                g.add((res, SH.resultPath, inverse))
                g.add((inverse, SH.inversePath, URIRef(r.path[1:])))
            elif r.path:
                g.add((res, SH.resultPath, URIRef(r.path)))
            if r.value is not None:
                g.add((res, SH.value, term(r.value)))
        return g.serialize(format="turtle")
