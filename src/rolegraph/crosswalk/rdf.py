"""Mapping sets as RDF (SSSOM's own RDF form) and back again from a graph with SPARQL.

A set is its ``mapping_set_id`` node, ``a sssom:MappingSet``, with its metadata under SSSOM's slot
properties, its prefixes as ``sssom:Prefix`` nodes (``sssom:curie_map``) and its mappings
(``sssom:mappings``). Each mapping is ``a owl:Axiom`` with ``owl:annotatedSource``, ``owl:annotatedProperty``
and ``owl:annotatedTarget`` and its other slots; the mapping triple itself (``level:x skos:relatedMatch
<...>``) is asserted too, so a plain ``?skill skos:exactMatch ?esco`` pattern finds it. Node IRIs are
derived from the set id and the mapping's subject, predicate and object, so writing a set twice gives the
same file.
"""
from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from .. import namespaces as ns
from .. import turtle as tt
from .model import (
    CURIE_MAP,
    MAPPING_CLASS,
    MAPPING_SLOTS,
    MAPPINGS,
    PREFIX_CLASS,
    PREFIX_NAME,
    PREFIX_URL,
    SEMAPV,
    SET_CLASS,
    SET_SLOTS,
    SSSOM,
    Mapping,
    MappingSet,
    Slot,
    Value,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import RoleGraph

CROSSWALK = ns.BASE + "crosswalk/"
#: prefixes of the Turtle written here
TURTLE_PREFIXES = {"level": ns.LEVEL, "skill": ns.SKILL, "owl": ns.OWL, "rdfs": ns.RDFS, "xsd": ns.XSD,
                   "skos": ns.SKOS, "dcterms": ns.DCTERMS, "pav": "http://purl.org/pav/", "sssom": SSSOM,
                   "semapv": SEMAPV}
SPARQL_PREFIXES = f"PREFIX sssom: <{SSSOM}>\nPREFIX semapv: <{SEMAPV}>\n"


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:24]


def mapping_node(set_id: str, m: Mapping) -> str:
    return CROSSWALK + "mapping/" + _digest(set_id, *m.key)


def prefix_node(set_id: str, name: str) -> str:
    return CROSSWALK + "prefix/" + _digest(set_id, name)


def _terms(slot: Slot, value: Value) -> list[str]:
    items = list(value) if isinstance(value, tuple) else [value]
    if slot.kind in ("id", "uri"):
        return [tt.name(str(v), TURTLE_PREFIXES) for v in items]
    if slot.kind == "date":
        return [tt.literal(str(v), datatype=ns.XSD + "date", prefixes=TURTLE_PREFIXES) for v in items]
    if slot.kind == "double":
        return [tt.literal(repr(float(items[0])), datatype=ns.XSD + "double",
                           prefixes=TURTLE_PREFIXES)]
    return [tt.literal(str(v)) for v in items]


def to_turtle(s: MappingSet, note: str = "") -> str:
    """*s* as a Turtle file for the data folder (deterministic: the same set gives the same text)."""
    p = lambda iri: tt.name(iri, TURTLE_PREFIXES)  # noqa: E731
    out = [f"# {line}\n" for line in note.splitlines()]
    out.append(tt.prefix_block(prefixes=TURTLE_PREFIXES))
    out.append("\n")
    mappings = s.sorted_mappings()
    meta = [(p(slot.rdf), _terms(slot, s.metadata[slot.name])) for slot in SET_SLOTS
            if slot.name in s.metadata]
    out.append(tt.block(tt.iri(s.id), [
        ("a", p(SET_CLASS)), *meta,
        (p(CURIE_MAP), [tt.iri(prefix_node(s.id, n)) for n in sorted(s.prefixes)]),
        (p(MAPPINGS), [tt.iri(mapping_node(s.id, m)) for m in mappings]),
    ]))
    for name in sorted(s.prefixes):
        out.append("\n" + tt.block(tt.iri(prefix_node(s.id, name)), [
            ("a", p(PREFIX_CLASS)), (p(PREFIX_NAME), tt.literal(name)),
            (p(PREFIX_URL), tt.literal(s.prefixes[name], datatype=ns.XSD + "anyURI", prefixes=TURTLE_PREFIXES))]))
    for m in mappings:
        values = m.values()
        pairs = [(p(slot.rdf), _terms(slot, values[slot.name])) for slot in MAPPING_SLOTS if slot.name in values]
        out.append("\n" + tt.block(tt.iri(mapping_node(s.id, m)), [("a", p(MAPPING_CLASS)), *pairs]))
        out.append(tt.triple(p(m.subject), p(m.predicate), p(m.object)))
    return "".join(out)


# -------------------------------------------------------------------- reading back

def set_ids(g: "RoleGraph") -> list[str]:
    """The ``mapping_set_id`` of every mapping set in *g*, sorted."""
    rows = g.select(SPARQL_PREFIXES + "SELECT DISTINCT ?s WHERE { ?s a sssom:MappingSet }")
    return sorted(str(r["s"]) for r in rows)


def _values(slots: tuple[Slot, ...], pairs: list[tuple[str, Any]]) -> dict[str, Value]:
    by_rdf: dict[str, list[Slot]] = {}
    for slot in slots:
        by_rdf.setdefault(slot.rdf, []).append(slot)
    found: dict[str, list[Any]] = {}
    for prop, value in pairs:
        for slot in by_rdf.get(prop, []):
            found.setdefault(slot.name, []).append(value)
    out: dict[str, Value] = {}
    for slot in slots:
        if slot.name not in found:
            continue
        vals = found[slot.name]
        if slot.kind == "double":
            out[slot.name] = float(vals[0])
        elif slot.multi:
            out[slot.name] = tuple(sorted(set(map(str, vals)))) if slot.kind in ("id", "uri") else tuple(
                map(str, vals))
        else:
            out[slot.name] = str(vals[0])
    return out


def read_set(g: "RoleGraph", set_id: str) -> MappingSet:
    """The mapping set *set_id* as *g* holds it."""
    meta_rows = g.select("SELECT ?p ?o WHERE { ?s ?p ?o }", s=set_id)
    meta = _values(tuple(s for s in SET_SLOTS if s.name != "mapping_set_id"),
                   [(str(r["p"]), r["o"]) for r in meta_rows])
    prefixes = {str(r["name"]): str(r["url"]) for r in g.select(SPARQL_PREFIXES + """
        SELECT ?name ?url WHERE { ?s sssom:curie_map ?p . ?p sssom:prefix_name ?name ; sssom:prefix_url ?url }""",
        s=set_id)}
    rows = g.select(SPARQL_PREFIXES + "SELECT ?m ?p ?o WHERE { ?s sssom:mappings ?m . ?m ?p ?o }", s=set_id)
    by_node: dict[str, list[tuple[str, Any]]] = {}
    for r in rows:
        by_node.setdefault(str(r["m"]), []).append((str(r["p"]), r["o"]))
    mappings = []
    for pairs in by_node.values():
        v = _values(MAPPING_SLOTS, pairs)
        if not all(k in v for k in ("subject_id", "predicate_id", "object_id", "mapping_justification")):
            continue   # an incomplete record: `rolegraph validate` names it (ontology/crosswalk-shapes.ttl)
        mappings.append(Mapping(str(v.pop("subject_id")), str(v.pop("predicate_id")), str(v.pop("object_id")),
                                str(v.pop("mapping_justification")), v))
    return MappingSet(set_id, prefixes, meta, mappings)


def mappings_of(g: "RoleGraph", node: str) -> list[dict[str, Any]]:
    """The mappings whose subject is *node* (a skill or role level), for its page: predicate, object, its
    label, confidence, justification, where the mapping comes from. Sorted by predicate strength, object.
    Every node's mappings are read in one query, once per state of the graph (:meth:`RoleGraph.cached`)."""
    return g.cached("crosswalk-mappings", lambda: _all_mappings(g)).get(node, [])


def _all_mappings(g: "RoleGraph") -> dict[str, list[dict[str, Any]]]:
    from .model import JUSTIFICATIONS, PREDICATES

    rows = g.select(SPARQL_PREFIXES + """
        SELECT ?node ?m ?p ?o ?label ?conf ?just ?comment ?source ?version ?title ?set WHERE {
            ?m owl:annotatedSource ?node ; owl:annotatedProperty ?p ; owl:annotatedTarget ?o ;
               sssom:mapping_justification ?just .
            OPTIONAL { ?m sssom:object_label ?label }
            OPTIONAL { ?m sssom:confidence ?conf }
            OPTIONAL { ?m rdfs:comment ?comment }
            OPTIONAL { ?set sssom:mappings ?m
                       OPTIONAL { ?set dcterms:title ?title }
                       OPTIONAL { ?set sssom:object_source ?ssource }
                       OPTIONAL { ?set sssom:object_source_version ?sversion } }
            OPTIONAL { ?m sssom:object_source ?msource }
            BIND(COALESCE(?msource, ?ssource) AS ?source)
            OPTIONAL { ?m sssom:object_source_version ?mversion }
            BIND(COALESCE(?mversion, ?sversion) AS ?version)
        }""")
    order = list(PREDICATES)
    out: dict[str, list[dict[str, Any]]] = {}
    seen: set[str] = set()
    for r in rows:
        pred = str(r["p"])
        if pred not in PREDICATES or str(r["m"]) in seen:   # a record broken in two ways: once (validate names it)
            continue
        seen.add(str(r["m"]))
        conf = r.get("conf")
        obj = str(r["o"])
        out.setdefault(str(r["node"]), []).append({"predicate": pred, "relation": PREDICATES[pred], "object": obj,
                    # rolegraph's own identifiers (SFIA codes: SFIA publishes no IRIs) resolve nowhere: no link
                    "link": None if obj.startswith(ns.BASE) else obj, "object_label": r.get("label"),
                    "confidence": float(conf) if conf is not None else None,
                    "justification": str(r["just"]),
                    "justification_text": JUSTIFICATIONS.get(str(r["just"]), str(r["just"])),
                    "comment": r.get("comment"), "source": r.get("source"), "source_version": r.get("version"),
                    "set": r.get("set"), "set_title": r.get("title")})
    return {node: sorted(found, key=lambda d: (order.index(d["predicate"]), d["object"]))
            for node, found in out.items()}
