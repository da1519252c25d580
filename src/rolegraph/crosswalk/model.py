"""The crosswalk's data model: SSSOM mapping sets and mappings, the slots rolegraph keeps, and their RDF terms.

A :class:`MappingSet` is one SSSOM mapping set (its metadata, its prefix map and its mappings); a
:class:`Mapping` is one row. Identifiers are held expanded (full IRIs); the prefix map turns them back into
CURIEs when a set is written as SSSOM/TSV. The slot names, and the RDF property each slot is stored under,
are SSSOM's (https://w3id.org/sssom/schema/, checked against the published schema in
``tests/fixtures/sssom/``), so the mappings in the graph are SSSOM's own RDF form: each mapping an
``owl:Axiom`` with ``owl:annotatedSource/Property/Target``, linked from its ``sssom:MappingSet``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import namespaces as ns

SSSOM = "https://w3id.org/sssom/"
SEMAPV = "https://w3id.org/semapv/vocab/"
PAV = "http://purl.org/pav/"

#: prefixes every SSSOM file may use without declaring them (SSSOM's built-in prefixes)
BUILTIN_PREFIXES: dict[str, str] = {
    "owl": ns.OWL,
    "rdf": ns.RDF,
    "rdfs": ns.RDFS,
    "semapv": SEMAPV,
    "skos": ns.SKOS,
    "sssom": SSSOM,
}

#: the mapping predicates rolegraph takes (SKOS mapping properties), with how a page says them
PREDICATES: dict[str, str] = {
    ns.SKOS + "exactMatch": "the same as",
    ns.SKOS + "closeMatch": "close to",
    ns.SKOS + "broadMatch": "narrower than",     # subject broadMatch object: the object is broader
    ns.SKOS + "narrowMatch": "broader than",
    ns.SKOS + "relatedMatch": "related to",
}

#: mapping justifications (SEMAPV terms) SSSOM lists for ``mapping_justification``
JUSTIFICATIONS: dict[str, str] = {SEMAPV + t: w for t, w in (
    ("ManualMappingCuration", "checked by a person"),
    ("LexicalMatching", "suggested from names (to be confirmed)"),
    ("LogicalReasoning", "inferred by reasoning"),
    ("CompositeMatching", "several methods together"),
    ("UnspecifiedMatching", "method not stated"),
    ("SemanticSimilarityThresholdMatching", "similar in meaning (automatic)"),
    ("LexicalSimilarityThresholdMatching", "similar in wording (automatic)"),
    ("MappingChaining", "chained from other mappings"),
    ("MappingReview", "reviewed by a person"),
    ("MappingInversion", "inverted from another mapping"),
)}

# slot kinds: "id" an entity reference (a CURIE in SSSOM/TSV, an IRI in RDF); "uri" an absolute http(s) IRI
# written out in full; "str" text; "date" YYYY-MM-DD; "double" a number from 0 to 1


@dataclass(frozen=True)
class Slot:
    name: str
    kind: str
    rdf: str            # the property the slot is stored under (SSSOM's slot_uri)
    multi: bool = False


def _slot(name: str, kind: str, rdf: str | None = None, multi: bool = False) -> Slot:
    return Slot(name, kind, rdf or SSSOM + name, multi)


#: mapping set metadata rolegraph keeps, in the order it writes them (``curie_map`` is kept apart)
SET_SLOTS: tuple[Slot, ...] = (
    _slot("mapping_set_id", "uri"),                 # the set's node IRI in RDF (rdf is unused)
    _slot("mapping_set_version", "str", ns.OWL + "versionInfo"),
    _slot("mapping_set_title", "str", ns.DCTERMS + "title"),
    _slot("mapping_set_description", "str", ns.DCTERMS + "description"),
    _slot("license", "uri", ns.DCTERMS + "license"),
    _slot("creator_id", "id", ns.DCTERMS + "creator", multi=True),
    _slot("creator_label", "str", multi=True),
    _slot("mapping_provider", "uri"),
    _slot("mapping_date", "date", ns.DCTERMS + "created"),
    _slot("publication_date", "date", ns.DCTERMS + "issued"),
    _slot("subject_source", "id"),
    _slot("subject_source_version", "str"),
    _slot("object_source", "id"),
    _slot("object_source_version", "str"),
    _slot("see_also", "uri", ns.RDFS + "seeAlso", multi=True),
    _slot("comment", "str", ns.RDFS + "comment"),
)

#: mapping columns rolegraph keeps, in the order it writes them
MAPPING_SLOTS: tuple[Slot, ...] = (
    _slot("subject_id", "id", ns.OWL + "annotatedSource"),
    _slot("subject_label", "str"),
    _slot("predicate_id", "id", ns.OWL + "annotatedProperty"),
    _slot("object_id", "id", ns.OWL + "annotatedTarget"),
    _slot("object_label", "str"),
    _slot("mapping_justification", "id"),
    _slot("confidence", "double"),
    _slot("author_id", "id", PAV + "authoredBy", multi=True),
    _slot("author_label", "str", multi=True),
    _slot("reviewer_id", "id", multi=True),
    _slot("reviewer_label", "str", multi=True),
    _slot("creator_id", "id", ns.DCTERMS + "creator", multi=True),
    _slot("mapping_date", "date", ns.DCTERMS + "created"),
    _slot("subject_source", "id"),
    _slot("object_source", "id"),
    _slot("object_source_version", "str"),
    _slot("mapping_source", "id"),
    _slot("see_also", "uri", ns.RDFS + "seeAlso", multi=True),
    _slot("comment", "str", ns.RDFS + "comment"),
)
SET_SLOT = {s.name: s for s in SET_SLOTS}
MAPPING_SLOT = {s.name: s for s in MAPPING_SLOTS}
#: label slots pair up with the id slot before them by position, an order RDF does not keep: one value only
SINGLE_LABELS = ("creator_label", "author_label", "reviewer_label")
REQUIRED_COLUMNS = ("subject_id", "predicate_id", "object_id", "mapping_justification")

MAPPING_CLASS = ns.OWL + "Axiom"
SET_CLASS = SSSOM + "MappingSet"
PREFIX_CLASS = SSSOM + "Prefix"
MAPPINGS = SSSOM + "mappings"
CURIE_MAP = SSSOM + "curie_map"
PREFIX_NAME = SSSOM + "prefix_name"
PREFIX_URL = SSSOM + "prefix_url"


Value = str | float | tuple[str, ...]


@dataclass(frozen=True)
class Mapping:
    """One mapping: *subject* (a framework skill or role level) *predicate* (a SKOS mapping property)
    *object* (another framework's code or IRI), with the other SSSOM slots in *slots* (IRIs expanded;
    multi-valued slots as tuples; confidence as a float)."""

    subject: str
    predicate: str
    object: str
    justification: str
    slots: dict[str, Value] = field(default_factory=dict, compare=True, hash=False)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.subject, self.predicate, self.object)

    @property
    def confidence(self) -> float | None:
        c = self.slots.get("confidence")
        return c if isinstance(c, float) else None

    def values(self) -> dict[str, Value]:
        """Every slot by its SSSOM name (the four required ones included)."""
        return {"subject_id": self.subject, "predicate_id": self.predicate, "object_id": self.object,
                "mapping_justification": self.justification, **self.slots}

    def to_dict(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in _ordered(self.values(), MAPPING_SLOTS)}


@dataclass(eq=False)
class MappingSet:
    """An SSSOM mapping set: *id* (``mapping_set_id``), *prefixes* (``curie_map`` plus the built-in ones
    used), *metadata* (the other set slots) and *mappings*."""

    id: str
    prefixes: dict[str, str]
    metadata: dict[str, Value]
    mappings: list[Mapping]
    #: (subject, predicate, object) -> the line it was read from (for messages; not compared)
    lines: dict[tuple[str, str, str], int] = field(default_factory=dict, compare=False, repr=False)

    def __eq__(self, other: object) -> bool:
        """The same set: id, prefixes, metadata and mappings (in any order: SSSOM rows have none)."""
        if not isinstance(other, MappingSet):
            return NotImplemented
        return (self.id, self.prefixes, self.metadata, self.sorted_mappings()) == (
            other.id, other.prefixes, other.metadata, other.sorted_mappings())

    def sorted_mappings(self) -> list[Mapping]:
        return sorted(self.mappings, key=lambda m: m.key)

    def to_dict(self) -> dict[str, Any]:
        meta = {"mapping_set_id": self.id, **self.metadata}
        return {"curie_map": dict(sorted(self.prefixes.items())),
                **{k: list(v) if isinstance(v, tuple) else v for k, v in _ordered(meta, SET_SLOTS)},
                "mappings": [m.to_dict() for m in self.sorted_mappings()]}


def _ordered(values: dict[str, Value], slots: tuple[Slot, ...]) -> list[tuple[str, Value]]:
    return [(s.name, values[s.name]) for s in slots if s.name in values]
