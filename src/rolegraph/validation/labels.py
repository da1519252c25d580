"""People's names for the nodes a validation report mentions, read in one query for just those nodes.

:meth:`RoleGraph.label <rolegraph.graph.RoleGraph.label>` builds the graph's whole
name index on first use (seconds at ESCO scale), although a report names a
handful of nodes. :class:`Labels` asks the store for the ``skos:prefLabel`` of
the nodes it is given, a thousand at a time, and answers like ``RoleGraph.label``:
the label, or the IRI's last segment when there is none.

>>> from rolegraph.graph import RoleGraph
>>> labels = Labels(RoleGraph.load())
>>> labels.fetch(["https://w3id.org/rolegraph/grade/scs-1", "https://example.org/x/none"])
>>> labels("https://w3id.org/rolegraph/grade/scs-1"), labels("https://example.org/x/none")
('Senior Civil Service 1', 'none')
"""
from __future__ import annotations

from typing import Iterable

#: IRIs per query
CHUNK = 1000


class Labels:
    """label(iri) -> its English preferred label, fetched for many IRIs at once with :meth:`fetch`."""

    def __init__(self, g):
        self.g = g
        self._known: dict[str, str] = {}

    def fetch(self, iris: Iterable[str]) -> None:
        """Read the labels of *iris* (IRIs as strings; anything else is ignored) that are not known yet."""
        todo = sorted({i for i in iris if isinstance(i, str) and "://" in i and i not in self._known
                       and not any(c in i for c in '<>"{}|\\^` ')})
        for start in range(0, len(todo), CHUNK):
            chunk = todo[start:start + CHUNK]
            values = " ".join(f"<{i}>" for i in chunk)
            rows = self.g.select(f"SELECT ?n ?l WHERE {{ VALUES ?n {{ {values} }} ?n skos:prefLabel ?l }}")
            found: dict[str, list[str]] = {}
            for r in rows:
                found.setdefault(r["n"], []).append(r["l"])
            for i in chunk:
                names = found.get(i)
                self._known[i] = self._pick(names) if names else _last_segment(i)

    @staticmethod
    def _pick(names: list[str]) -> str:
        return names[0] if len(names) == 1 else sorted(names)[0]

    def __call__(self, iri: str) -> str:
        if iri not in self._known:
            self.fetch([iri])
        return self._known[iri] if iri in self._known else _last_segment(iri)


def _last_segment(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
