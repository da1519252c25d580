"""Queries a worker has shown to be cheap, answered again in the server process without the hop to a worker.

Every query first runs in a worker process (:mod:`.workers`), under the time limit and the memory cap. The worker
measures the CPU time the guard, the engine and the serialiser spent on it and sends it with the answer; the run
**vouches** for the query (:func:`vouch`) when all of these hold:

* the answer was a 200 of at most :data:`FAST_BYTES` bytes, made in at most :data:`FAST_CPU` seconds of CPU;
* the text is at most :data:`FAST_CHARS` characters and the guard read it without rdflib's parser (no SERVICE,
  FROM or GRAPH: :func:`rolegraph.sparql_guard.needs_parse`), so checking it again costs a regular expression;
* the text calls none of SPARQL's functions whose value changes from one run to the next (``RAND``, ``NOW``,
  ``UUID``, ``STRUUID``), so the same text on the same data does the same work every time: no answer decides
  how much work the next run does.

Once workers have vouched for the same request twice, the server keeps the guard's verdict on it (text, base,
dataset parameters and formats; at most :data:`ENTRIES` of them, never an answer) and answers the next identical
request itself, from the same
data: the same text on the same immutable data and the same engine costs the same again, so the bound a worker
measured holds. Only local data qualifies (a store folder or files; never a remote server, whose answers the
server process must not wait for), and only answers of workers that loaded as many triples as the server did
(:meth:`FastLane.agree`; a replacement worker that loaded another count vouches for nothing).
Should a run here ever take :data:`BAN_FACTOR` times the bound, the request is dropped from the lane for good.

Explorer pages always run in workers. On a SPARQL endpoint most traffic repeats (a page's or an application's
queries): those skip two process wake-ups and two copies each, which is what a hop to a worker costs.

>>> vouch("SELECT ?n WHERE { ?s ?p ?n } LIMIT 3", 200, 120, 0.0001)
True
>>> vouch("SELECT (RAND() AS ?r) WHERE {}", 200, 120, 0.0001)
False
"""
from __future__ import annotations

import re
import time
from typing import Any

from ..errors import QueryError
from ..sparql_guard import Prepared, decode_codepoints, for_endpoint, needs_parse
from .workers import Answer, Job, run_prepared

#: CPU seconds a worker may have spent on a query for the server process to answer it again itself
FAST_CPU = 0.002
#: the largest answer (bytes) the server process makes itself
FAST_BYTES = 64 * 1024
#: the longest query text kept (characters)
FAST_CHARS = 8192
#: requests kept at most (the oldest goes first)
ENTRIES = 1024
#: a run in the server process this many times over :data:`FAST_CPU` drops its request from the lane for good
BAN_FACTOR = 10

#: calls of SPARQL functions whose value differs between runs (any case; white space or comments before the
#: bracket). Over-matching (``known(``) only keeps a query in the workers.
_VOLATILE = re.compile(r"(?:rand|now|uuid)(?:\s|#[^\n\r]*)*\(", re.IGNORECASE)


def vouch(text: str, status: int, size: int, cpu: float) -> bool:
    """True when a worker's run of the query *text* (*status*, an answer of *size* bytes, *cpu* seconds of CPU)
    shows that the server process may answer it again itself (see the module docstring)."""
    if status != 200 or size > FAST_BYTES or cpu > FAST_CPU or len(text) > FAST_CHARS:
        return False
    try:
        decoded = decode_codepoints(text)
    except QueryError:
        return False
    return not needs_parse(decoded, dataset=True) and _VOLATILE.search(decoded) is None


#: what identifies a request on the lane: its query string, its body's type and its body, its Accept header and the
#: address it came in on (the same bytes at the same address give the same Job: dataset parameters, formats, base)
Key = tuple[bytes, bytes, bytes, "bytes | None", Any]


class FastLane:
    """The server process's answers to requests workers vouched for (see the module docstring).

    *graph* is the server process's own :class:`~rolegraph.graph.RoleGraph`, the data its workers load. Requests
    are known by their :data:`Key`, so a known one is answered before its fields are even decoded.
    """

    def __init__(self, graph, max_bytes: int, entries: int = ENTRIES):
        self.graph, self.max_bytes, self.entries = graph, max_bytes, entries
        self.enabled = not graph.backend.forwards_queries
        self.known: dict[Key, tuple[Job, Prepared]] = {}   # insertion order: the oldest goes first
        self.banned: set[int] = set()   # hashes of keys that once ran too long here
        self.seen: dict[int, None] = {}   # hashes of keys answered cheaply once (the oldest goes first)

    def agree(self, triples: int) -> None:
        """Close the lane unless the workers loaded *triples* triples, as many as the server process holds (its data
        changed between the two loads)."""
        if self.enabled and triples != len(self.graph):
            self.enabled = False

    def learn(self, key: Key, job: Job, answer: Answer) -> None:
        """Keep the request *key* (its :class:`.workers.Job` *job*) when a worker's *answer* vouches for it for
        the second time (:func:`vouch`, with the CPU time the worker measured): a request that comes once (a
        one-off query) costs only a note of its hash."""
        if (not self.enabled or answer.cpu is None or answer.status != 200 or answer.cpu > FAST_CPU
                or len(answer.body) > FAST_BYTES or key in self.known or hash(key) in self.banned
                or len(key[0]) + len(key[2]) > 4 * FAST_CHARS):
            return
        if hash(key) not in self.seen:   # the first time: only noted, so a one-off costs no more here
            if len(self.seen) >= 4 * self.entries:
                del self.seen[next(iter(self.seen))]
            self.seen[hash(key)] = None
            return
        del self.seen[hash(key)]
        if not vouch(job.query, answer.status, len(answer.body), answer.cpu):
            return
        try:
            prepared = for_endpoint(job.query, base=job.base, default_graphs=job.default_graphs,
                                    named_graphs=job.named_graphs, backend=self.graph.backend)
        except QueryError:
            return
        if prepared.parsed:   # (vouch saw no reason to parse; never hold the loop for rdflib's parser)
            return
        if len(self.known) >= self.entries:
            del self.known[next(iter(self.known))]
        self.known[key] = (job, prepared)

    def answer(self, key: Key) -> Answer | None:
        """The answer to the request *key*, made here, when it is kept (:meth:`learn`); else None (decode the
        request and send it to a worker)."""
        found = self.known.get(key)
        if found is None:
            return None
        start = time.thread_time()
        answer = run_prepared(self.graph, found[0], found[1], self.max_bytes)
        if time.thread_time() - start > BAN_FACTOR * FAST_CPU or answer.status != 200:
            del self.known[key]
            if len(self.banned) < self.entries:
                self.banned.add(hash(key))
        return answer
