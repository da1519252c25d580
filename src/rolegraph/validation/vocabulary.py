"""The closed ``rg:`` vocabulary: terms the ontology does not declare, with a "did you mean".

``rgsh:VocabularyShape`` (a SHACL-SPARQL constraint, so any engine finds the
same results) reports every class or property in the ``rg:`` namespace that
``ontology/rolegraph.ttl`` does not declare; this module adds the closest
declared term to the message.

>>> suggest("RoleLevle", ["RoleLevel", "Role", "requires"])
'RoleLevel'
>>> suggest("grad", ["grade", "Grade", "order"])
'grade'
"""
from __future__ import annotations

import difflib

from .. import namespaces as ns
from .report import Result

SHAPE = ns.RGSH + "VocabularyShape"


def suggest(name: str, declared: list[str]) -> str | None:
    """The declared local name most like *name* (case counts only to break ties), or None."""
    by_key: dict[str, list[str]] = {}
    for d in declared:
        by_key.setdefault(d.casefold(), []).append(d)
    close = difflib.get_close_matches(name.casefold(), list(by_key), n=1, cutoff=0.6)
    if not close:
        return None
    names = by_key[close[0]]
    return difflib.get_close_matches(name, names, n=1, cutoff=0) [0] if len(names) > 1 else names[0]


def declared_terms(g) -> list[str]:
    """Local names of the ``rg:`` classes and properties the loaded ontology declares."""
    rows = g.select("""SELECT DISTINCT ?t WHERE {
        VALUES ?kind { owl:Class rdfs:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty
                       rdf:Property }
        ?t a ?kind . FILTER (STRSTARTS(STR(?t), STR(rg:))) }""")
    return sorted(r["t"][len(ns.RG):] for r in rows)


def annotate(g, results: list[Result]) -> None:
    """Rewrite the message of each vocabulary result to name the term and the closest declared one."""
    mine = [r for r in results if r.shape == SHAPE and r.value is not None and r.value.kind == "iri"]
    if not mine:
        return
    declared = declared_terms(g)
    for r in mine:
        assert r.value is not None
        name = r.value.value[len(ns.RG):] if r.value.value.startswith(ns.RG) else r.value.value
        best = suggest(name, declared)
        hint = f" (did you mean rg:{best}?)" if best else ""
        r.message = f"Uses rg:{name}, which the rolegraph ontology does not declare{hint}."
