"""Answers a worker made, sent again by the server process when the same request comes back.

Every query runs in a worker process (:mod:`.workers`), under the time limit and the memory cap; the server process
never evaluates one. What it may do is keep a worker's answer and send it again, byte for byte, to the next
identical request. It keeps an answer when all of these hold (:func:`vouch`):

* workers answered the same request **twice, with the same bytes**: the request repeats (a one-off query costs
  only a note of two hashes), and its answer does not change from run to run (a ``BNODE()`` or a ``CONSTRUCT``
  with blank nodes gets new labels on every run, so its runs differ and it is never kept);
* both answers are a 200 of at most :data:`FAST_BYTES` bytes, and the text is at most :data:`FAST_CHARS`
  characters;
* the text calls none of SPARQL's functions whose value changes from one run to the next (``RAND``, ``NOW``,
  ``UUID``, ``STRUUID``), even should two runs happen to agree;
* the served data hold no people's data: nothing of rolegraph's people vocabulary (``rgp:``, the profiles of
  :mod:`rolegraph.people`; a profile given with ``--data``, say), checked once when the lane opens
  (:func:`holds_people`); with any of it the lane keeps nothing;
* the data cannot change under the server: local data only (files or a store folder; never ``--endpoint``, whose
  answers another server makes), and every worker loaded as many triples as the server process did
  (:meth:`FastLane.agree`); a replacement worker that loaded another count closes the lane for good
  (:meth:`FastLane.close`).

A request is known by its raw :data:`Key` (query string, body and its type, ``Accept``, the address it came in
on), so a known request is answered before its fields are even decoded. At most :data:`ENTRIES` answers, of at
most :data:`HELD_BYTES` bytes in all with their requests, are kept, the oldest going first; they live in this
process's memory only, are never written anywhere, and go when it stops. Only SPARQL answers over the served data
are kept: explorer pages (``/assess`` and its posted ratings among them) always run in workers and are never kept.

On a SPARQL endpoint most traffic repeats (a page's or an application's queries): those skip the hop to a
worker, two process wake-ups and two copies, and the engine's work.

>>> vouch("SELECT ?n WHERE { ?s ?p ?n } LIMIT 3", 200, 120)
True
>>> vouch("SELECT (RAND() AS ?r) WHERE {}", 200, 120)
False
"""
from __future__ import annotations

import re
from typing import Any

from .. import namespaces as ns
from ..errors import QueryError
from ..sparql_guard import decode_codepoints
from .workers import Answer, Job

#: the largest answer (bytes) the server process keeps
FAST_BYTES = 64 * 1024
#: the longest query text kept (characters)
FAST_CHARS = 8192
#: answers kept at most (the oldest goes first)
ENTRIES = 1024
#: the bytes of all kept answers and their requests together, at most (the oldest go first)
HELD_BYTES = 16 * 2**20

#: calls of SPARQL functions whose value differs between runs (any case; white space or comments before the
#: bracket). Over-matching (``known(``) only keeps a query in the workers.
_VOLATILE = re.compile(r"(?:rand|now|uuid)(?:\s|#[^\n\r]*)*\(", re.IGNORECASE)


#: whether a graph holds anything of the people vocabulary: a resource of one of its classes, or one of its properties
_PEOPLE = (f'ASK {{ {{ ?s a ?c FILTER(STRSTARTS(STR(?c), "{ns.RGP}")) }} '
           f'UNION {{ ?s ?p ?o FILTER(STRSTARTS(STR(?p), "{ns.RGP}")) }} }}')


def holds_people(graph) -> bool:
    """True when *graph* (a :class:`~rolegraph.graph.RoleGraph`) holds people's data: a resource of a class of
    rolegraph's people vocabulary (``rgp:Profile``, ``rgp:SkillClaim``) or a triple with one of its properties.
    The vocabulary's own definitions (``rgp:Profile a owl:Class``) are not people's data.

    >>> from rolegraph.graph import RoleGraph
    >>> holds_people(RoleGraph.load())
    False
    """
    return graph.ask(_PEOPLE)


def vouch(text: str, status: int, size: int) -> bool:
    """True when a worker's answer to the query *text* (*status*, *size* bytes) may be sent again to the same
    request (see the module docstring; the lane also needs two runs with the same bytes)."""
    if status != 200 or size > FAST_BYTES or len(text) > FAST_CHARS:
        return False
    try:
        decoded = decode_codepoints(text)
    except QueryError:
        return False
    return _VOLATILE.search(decoded) is None


#: what identifies a request on the lane: its query string, its body's type and its body, its Accept header and the
#: address it came in on (the same bytes at the same address give the same Job: dataset parameters, formats, base)
Key = tuple[bytes, bytes, bytes, "bytes | None", Any]


def _bytes(key: Key, answer: Answer) -> int:
    """What keeping *answer* for the request *key* holds, in bytes (its body, the request's query string and body)."""
    return len(answer.body) + len(key[0]) + len(key[2])


class FastLane:
    """Workers' answers to repeated requests, sent again by the server process (see the module docstring).

    *graph* is the server process's own :class:`~rolegraph.graph.RoleGraph`: the lane is open only when its data
    are local and hold no people's data (:func:`holds_people`), and (:meth:`agree`) while the workers loaded as
    many triples.

    >>> from rolegraph.graph import RoleGraph
    >>> lane = FastLane(RoleGraph.load())
    >>> key = (b"query=ASK%7B%7D", b"", b"", None, ("127.0.0.1", 8000))
    >>> job, answer = Job("ASK {}"), Answer(200, b'{"boolean":true}', "application/sparql-results+json")
    >>> lane.learn(key, job, answer); lane.answer(key) is None   # once: only noted
    True
    >>> lane.learn(key, job, answer); lane.answer(key).body      # twice, the same bytes: kept
    b'{"boolean":true}'
    """

    def __init__(self, graph, entries: int = ENTRIES, held_bytes: int = HELD_BYTES):
        self.graph, self.entries, self.held_bytes = graph, entries, held_bytes
        self.enabled = not graph.backend.forwards_queries and not holds_people(graph)
        self.known: dict[Key, Answer] = {}   # insertion order: the oldest goes first
        self.size = 0   # bytes held: the kept answers' bodies and their requests' query strings and bodies
        self.seen: dict[int, int] = {}   # hash of a key answered once -> hash of that answer (the oldest goes first)

    def agree(self, triples: int) -> None:
        """Close the lane unless the workers loaded *triples* triples, as many as the server process holds (its data
        changed between the two loads)."""
        if triples != len(self.graph):
            self.close()

    def close(self) -> None:
        """Forget every kept answer and keep no more (the workers' data changed)."""
        self.enabled = False
        self.known.clear()
        self.seen.clear()
        self.size = 0

    def learn(self, key: Key, job: Job, answer: Answer) -> None:
        """Keep a worker's *answer* to the request *key* (its :class:`.workers.Job` *job*) once workers answered it
        twice with the same bytes and :func:`vouch` allows it; the first time, only note its hash."""
        if (not self.enabled or answer.status != 200 or len(answer.body) > FAST_BYTES or key in self.known
                or len(key[0]) + len(key[2]) > 4 * FAST_CHARS):
            return
        h, body = hash(key), hash(answer.body)
        first = self.seen.pop(h, None)
        if first is None:   # the first time: only noted, so a one-off costs no more here
            if len(self.seen) >= 4 * self.entries:
                del self.seen[next(iter(self.seen))]
            self.seen[h] = body
            return
        if first != body:   # two runs, two answers: it changes from run to run; note the newer
            self.seen[h] = body
            return
        if not vouch(job.query, answer.status, len(answer.body)):
            return
        while self.known and (len(self.known) >= self.entries or self.size + _bytes(key, answer) > self.held_bytes):
            oldest = next(iter(self.known))
            self.size -= _bytes(oldest, self.known.pop(oldest))
        self.known[key] = answer
        self.size += _bytes(key, answer)

    def answer(self, key: Key) -> Answer | None:
        """The kept answer to the request *key* (:meth:`learn`); None: decode the request and send it to a worker."""
        return self.known.get(key)
