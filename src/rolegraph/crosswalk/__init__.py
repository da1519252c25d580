"""Crosswalks: mappings between the framework's skills and role levels and other frameworks, in SSSOM.

A crosswalk is an SSSOM mapping set (https://w3id.org/sssom/): rows of *subject* (a skill or role level of
the framework) *predicate* (``skos:exactMatch``, ``closeMatch``, ``broadMatch``, ``narrowMatch`` or
``relatedMatch``) *object* (another framework's code or IRI: an ESCO occupation or skill, an SFIA code and
level), each with a justification (a SEMAPV term), a confidence and where it comes from.

* :func:`read_sssom` reads an SSSOM/TSV file strictly and checks its subjects against the graph;
  :func:`to_turtle` writes it as RDF for the data folder (``data/crosswalks/``, loaded with the framework).
* :func:`export` gives a set held in the graph as SSSOM/TSV again (the same rows, the same metadata).
* :func:`mappings_of` lists a node's mappings for its page; :func:`suggest` proposes candidates from names and
  descriptions (clearly marked: ``semapv:LexicalMatching``, confidence = the score) for a person to confirm.

>>> from rolegraph.graph import RoleGraph
>>> g = RoleGraph.load()
>>> s = read_set(g, set_ids(g)[0])
>>> len(s.mappings) > 5
True
>>> parse(export(g).encode(), "again") == s        # the same rows and metadata
True
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import namespaces as ns
from ..errors import InputError, UnknownName, shown
from .model import JUSTIFICATIONS, PREDICATES, Mapping, MappingSet
from .rdf import mappings_of, read_set, set_ids, to_turtle
from .sssom_tsv import compress, parse, read_capped, write

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import RoleGraph

__all__ = ["Mapping", "MappingSet", "ImportResult", "read_sssom", "check", "to_turtle", "export", "read_set",
           "set_ids", "mappings_of", "parse", "write", "suggest", "PREDICATES", "JUSTIFICATIONS"]


@dataclass(frozen=True)
class ImportResult:
    """An SSSOM/TSV file read and checked: the set, and the Turtle that puts it in a data folder."""

    path: str
    set: MappingSet
    turtle: str

    def to_dict(self) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for m in self.set.mappings:
            counts[m.predicate] = counts.get(m.predicate, 0) + 1
        return {"file": self.path, "mapping_set_id": self.set.id, "mappings": len(self.set.mappings),
                "by_predicate": {compress(p, {}): n for p, n in sorted(counts.items())}}


def read_sssom(g: "RoleGraph", path: Path | str) -> ImportResult:
    """Read the SSSOM/TSV file *path* strictly (see :mod:`.sssom_tsv`) and check it against *g*: every
    subject a skill or role level of the framework, no object inside the framework. Nothing is written."""
    s = parse(read_capped(path), str(path))
    check(g, s, str(path))
    if s.id in set_ids(g):
        g.notes.append(f"the graph already holds the mapping set {s.id}: replace its file with this one rather "
                       "than loading both (their rows and metadata would merge)")
    note = (f"SSSOM mapping set {s.id}\nWritten by `rolegraph crosswalk import`; "
            "`rolegraph crosswalk export` gives the SSSOM/TSV back.")
    return ImportResult(str(path), s, to_turtle(s, note))


def check(g: "RoleGraph", s: MappingSet, where: str) -> None:
    """InputError at the first mapping of *s* whose subject is not a skill or role level of *g*, or whose
    object is a node of the framework itself."""
    from .rdf import CROSSWALK

    if s.id.startswith((ns.DDAT, ns.RG, ns.RGSH, CROSSWALK + "mapping/", CROSSWALK + "prefix/")):
        raise InputError(f"{where}: mapping_set_id {shown(s.id)} names a node of the framework or of rolegraph's "
                         "crosswalk records", "give the set an IRI of its own")
    nodes = {e.iri: e for kind in ("skill", "level") for e in g.entities(kind)}
    for m in s.mappings:
        line = s.lines.get(m.key)
        at = f"{where}, line {line}" if line else where
        if m.subject not in nodes:
            local = m.subject.rstrip("/").rsplit("/", 1)[-1]
            close = difflib.get_close_matches(local, [e.slug for e in nodes.values()], n=3, cutoff=0.6)
            hint = ("did you mean " + ", ".join(close) + "?") if close else (
                "subjects are the framework's skills (skill:...) and role levels (level:...)")
            raise InputError(f"{at}: subject_id {shown(compress(m.subject, s.prefixes))} is not a skill or role "
                             "level of the framework", hint)
        if m.object.startswith(ns.DDAT):
            raise InputError(f"{at}: object_id {shown(m.object)} is a node of this framework",
                             "a crosswalk maps to another framework's codes or IRIs")


def export(g: "RoleGraph", set_id: str | None = None) -> str:
    """The mapping set *set_id* (default: the only one) held in *g*, as SSSOM/TSV text."""
    ids = set_ids(g)
    if set_id is None:
        if not ids:
            raise InputError("the graph holds no mapping sets",
                             "load one: rolegraph crosswalk import FILE.sssom.tsv -o data/crosswalks/NAME.ttl")
        if len(ids) > 1:
            raise InputError(f"the graph holds {len(ids)} mapping sets ({', '.join(ids[:5])})",
                             "choose one with --set")
        set_id = ids[0]
    elif set_id not in ids:
        raise UnknownName("mapping set", set_id, difflib.get_close_matches(set_id, ids, n=3, cutoff=0.5))
    return write(read_set(g, set_id))


def suggest(g: "RoleGraph", to: str, name: str | None = None, top: int = 3, min_score: float = 0.1):
    """Candidate mappings from the framework's skills and role levels (or the one called *name*) to the
    target framework *to* (``esco`` or ``sfia``); see :mod:`.suggestions`."""
    from .suggestions import suggest as run

    return run(g, to, name, top, min_score)
