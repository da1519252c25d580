"""SHACL-SPARQL constraints (``sh:sparql``), each run once over all focus nodes on the graph's own store.

Plain pyshacl runs a SPARQL constraint once per focus node through rdflib's
engine (minutes on the bundled data); running the ``SELECT`` once with ``$this``
unbound and keeping the rows whose ``$this`` is a focus node gives the same
results for constraints whose ``$this`` sits in the top-level pattern, as all of
rolegraph's do. The select is wrapped so each ``?value`` comes back as an RDF
term (lexical form, datatype, language), not a Python value.
"""
from __future__ import annotations

import re

from .. import namespaces as ns
from .labels import Labels
from .report import Result, Term
from .shapes import Shapes

_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")
_COMPONENT = ns.SH + "SPARQLConstraintComponent"


def prefixes(shapes: Shapes, constraint) -> str:
    """PREFIX declarations from the constraint's ``sh:prefixes``."""
    out = []
    for src in shapes.graph.objects(constraint, shapes.term("prefixes")):
        for decl in shapes.graph.objects(src, shapes.term("declare")):
            out.append(f"PREFIX {shapes.value(decl, 'prefix')}: <{shapes.value(decl, 'namespace')}>\n")
    return "".join(out)


def wrapped(select: str) -> str:
    """*select* as a sub-query, with ``?value`` taken apart into its kind, lexical form, datatype and language.

    >>> print(wrapped("SELECT $this WHERE { $this ?p ?o }").splitlines()[-1])
    BIND (LANG(?value) AS ?v_lang) }
    """
    return ("SELECT * WHERE {\n{\n" + select + "\n}\nBIND (isIRI(?value) AS ?v_iri) BIND (isBlank(?value) AS ?v_blank) "
            "BIND (STR(?value) AS ?v_text) BIND (DATATYPE(?value) AS ?v_type)\nBIND (LANG(?value) AS ?v_lang) }")


def _value(row: dict) -> Term | None:
    if row.get("value") is None:
        return None
    if row.get("v_iri"):
        return Term("iri", row["v_text"])
    if row.get("v_blank"):
        return Term("bnode", str(row["value"])[2:])
    if row.get("v_lang"):
        return Term("literal", row["v_text"], ns.RDF + "langString", row["v_lang"])
    return Term("literal", row["v_text"], row.get("v_type") or ns.XSD + "string")


def run_constraint(g, shapes: Shapes, shape, constraint, targets: set[str], label=None) -> list[Result]:
    """One SHACL-SPARQL constraint of *shape* over its focus nodes *targets*, in a single query on *g*'s store.

    *label* names IRIs for people (a :class:`.labels.Labels`; default: one for *g*).
    """
    if str(shapes.value(shape, "deactivated")).lower() == "true" or \
            str(shapes.value(constraint, "deactivated")).lower() == "true":
        return []
    severity = str(shapes.value(shape, "severity") or ns.SH + "Violation").rsplit("#", 1)[-1]
    message = str(shapes.value(constraint, "message") or shapes.value(shape, "message") or "does not conform")
    node_shape = shapes.node_shape(shape)
    rows = g.backend.select(prefixes(shapes, constraint) + wrapped(str(shapes.value(constraint, "select"))))
    rows = [row for row in rows if row.get("this") in targets]
    label = label or Labels(g)
    label.fetch(v for row in rows for k, v in row.items() if not k.startswith("v_") or k == "v_text")
    results = []
    for row in rows:
        focus = row["this"]
        value = _value(row)
        if value is None:  # SHACL 5.3.2: without ?value, the focus node is the value
            value = Term("bnode", focus[2:]) if focus.startswith("_:") else Term("iri", focus)
        shown = {k: (label(v) if isinstance(v, str) and "://" in v else v) for k, v in row.items()
                 if not k.startswith("v_")}
        shown["value"] = label(value.value) if value.kind == "iri" else value.value
        shown["this"] = label(focus)
        text = _PLACEHOLDER.sub(lambda m: str(shown.get(m.group(1), m.group(0))), message)
        results.append(Result(severity=severity, focus=focus, focus_label=label(focus), message=text,
                              shape=str(node_shape), shape_label=shapes.label(node_shape),
                              source_shape=shapes.source_id(shape), component=_COMPONENT,
                              path=row.get("path") or shapes.path_text(shape), value=value))
    return results
