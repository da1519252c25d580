"""The fast lane of `rolegraph serve` (issue 22): a request a worker answered cheaply, and whose cost cannot vary,
is answered again by the server process itself, byte for byte as a worker answers it; everything else still
goes to a worker under the time limit and the memory cap."""
from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from rolegraph import namespaces as ns
from rolegraph.server import fastlane
from rolegraph.server.fastlane import FAST_BYTES, FAST_CHARS, FAST_CPU, FastLane, vouch
from rolegraph.server.workers import Answer, Job, decode_answer, encode_answer, execute
from rolegraph.sparql_guard import declared_prefixes

from .test_server import RUNAWAY, Server, get

CHEAP = ns.sparql_prologue() + "SELECT ?name WHERE { role:data-analyst skos:prefLabel ?name }"
VOLATILE = "SELECT ?r WHERE { BIND(RAND() AS ?r) }"


# ---------------------------------------------------------------------------- what a worker vouches for

def test_a_worker_vouches_for_a_small_fast_answer_to_a_plain_query():
    assert vouch(CHEAP, 200, 500, FAST_CPU / 2)


@pytest.mark.parametrize("status,size,cpu", [(400, 10, 0.0), (503, 10, 0.0), (500, 10, 0.0),
                                             (200, FAST_BYTES + 1, 0.0), (200, 10, FAST_CPU * 1.01)])
def test_no_vouch_for_an_error_a_large_answer_or_a_slow_one(status, size, cpu):
    assert not vouch(CHEAP, status, size, cpu)


@pytest.mark.parametrize("text", [
    "SELECT ?r WHERE { BIND(RAND() AS ?r) }",
    "SELECT ?r WHERE { BIND(rand \n () AS ?r) }",
    "SELECT ?r WHERE { BIND(NOW# a comment\n() AS ?r) }",
    "SELECT ?r WHERE { BIND(UUID() AS ?r) }",
    "SELECT ?r WHERE { BIND(StrUuid() AS ?r) }",
    r"SELECT ?r WHERE { BIND(\u0052AND() AS ?r) }",    # an escape spells it
    "SELECT * WHERE { ?s ?p ?o FILTER(RAND() < 0.5) }",
])
def test_no_vouch_for_a_query_whose_work_can_change_between_runs(text):
    """RAND, NOW, UUID and STRUUID give other values each run, so a FILTER on them can make the next run do far
    more work than the one the worker measured."""
    assert not vouch(text, 200, 10, 0.0)


@pytest.mark.parametrize("text", [
    "SELECT * FROM <https://w3id.org/rolegraph/data> WHERE { ?s ?p ?o } LIMIT 1",
    "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1",
    "SELECT * WHERE { ?s ?p ?o } LIMIT 1 # service <x>",
    "SELECT * WHERE { ?s ?p ?o } LIMIT 1 " + " " * FAST_CHARS,
])
def test_no_vouch_for_a_text_the_guard_must_parse_or_a_long_one(text):
    """Checking a known request again must never hold the server's loop: only texts the guard reads with regular
    expressions (no SERVICE, FROM or GRAPH) and of at most FAST_CHARS characters."""
    assert not vouch(text, 200, 10, 0.0)


def test_the_measured_cpu_crosses_the_wire_and_is_never_a_header():
    for cpu in (0.000123456, None):
        back = decode_answer(encode_answer(Answer(200, b"{}", "application/json", {"X-A": "1"}, cpu)))
        assert back.cpu == cpu and back.headers == {"X-A": "1"} and back.body == b"{}"


# ---------------------------------------------------------------------------- the lane in the server process

def _key(query: str, accept: bytes = b"application/sparql-results+json"):
    return (query.encode(), b"", b"", accept, ("127.0.0.1", 8000))


def _teach(lane: FastLane, key, job: Job, answer: Answer) -> None:
    """What the server does when a worker vouches for the same request twice."""
    lane.learn(key, job, answer)
    lane.learn(key, job, answer)


def _worker_answer(graph, job: Job) -> Answer:
    """What a worker sends back: its answer, with the CPU time it measured."""
    start = time.thread_time()
    answer = execute(graph, job)
    answer.cpu = time.thread_time() - start
    return answer


def test_a_known_request_is_answered_here_byte_for_byte_as_a_worker_answers_it(graph):
    lane = FastLane(graph, 2**20)
    job = Job(CHEAP, base="http://127.0.0.1:8000/sparql")
    assert lane.answer(_key(CHEAP)) is None   # unknown: to a worker
    first = _worker_answer(graph, job)
    assert first.status == 200 and b"Data analyst" in first.body and first.cpu is not None
    assert vouch(job.query, first.status, len(first.body), first.cpu)
    lane.learn(_key(CHEAP), job, first)
    assert lane.answer(_key(CHEAP)) is None   # vouched for once: only noted (a one-off costs the server nothing)
    lane.learn(_key(CHEAP), job, first)
    again = lane.answer(_key(CHEAP))
    assert again is not None and (again.status, again.body, again.content_type) == (200, first.body,
                                                                                    first.content_type)
    assert lane.answer(_key(CHEAP, b"text/csv")) is None   # another Accept is another request


def test_a_request_no_worker_vouched_for_is_never_kept(graph):
    lane = FastLane(graph, 2**20)
    job = Job(VOLATILE, base="http://127.0.0.1:8000/sparql")
    answer = _worker_answer(graph, job)
    assert answer.status == 200 and not vouch(job.query, answer.status, len(answer.body), answer.cpu or 0.0)
    _teach(lane, _key(VOLATILE), job, answer)
    assert lane.answer(_key(VOLATILE)) is None and not lane.known


def test_the_lane_keeps_at_most_its_entries_the_oldest_going_first(graph):
    lane = FastLane(graph, 2**20, entries=3)
    texts = [f"SELECT ?s WHERE {{ ?s ?p ?o }} LIMIT {n}" for n in range(1, 6)]
    for text in texts:
        job = Job(text, base="http://127.0.0.1:8000/sparql")
        _teach(lane, _key(text), job, _worker_answer(graph, job))
    assert [k[0].decode() for k in lane.known] == texts[2:]
    assert lane.answer(_key(texts[0])) is None and lane.answer(_key(texts[-1])) is not None


def test_a_run_here_past_the_bound_drops_the_request_for_good(graph, monkeypatch):
    lane = FastLane(graph, 2**20)
    job = Job(CHEAP, base="http://127.0.0.1:8000/sparql")
    first = _worker_answer(graph, job)
    _teach(lane, _key(CHEAP), job, first)
    monkeypatch.setattr(fastlane, "FAST_CPU", 0.0)   # every run is now "too long"
    assert lane.answer(_key(CHEAP)).body == first.body   # this answer is still given
    assert lane.answer(_key(CHEAP)) is None   # the next goes to a worker
    monkeypatch.setattr(fastlane, "FAST_CPU", FAST_CPU)   # the bound as it was: the worker's runs qualify again
    _teach(lane, _key(CHEAP), job, first)
    assert not lane.known   # and the request is not kept again


# ---------------------------------------------------------------------------- prefixes the text declares itself

def test_the_engine_is_not_handed_prefixes_the_text_declares_and_a_wrong_guess_costs_nothing(graph):
    own = "PREFIX skos: <urn:not-skos#>\nSELECT ?n WHERE { role:data-analyst skos:prefLabel ?n }"
    fake = "# prefix skos: <urn:x>\nSELECT ?n WHERE { role:data-analyst skos:prefLabel ?n }"
    assert "skos" in declared_prefixes(own) and "skos" in declared_prefixes(fake)
    for text, rows in ((own, 0), (fake, 1)):   # the text's own declaration wins; a comment declares nothing
        with_hint = graph.backend.query(text, prefixes=ns.PREFIXES, declared=declared_prefixes(text)).rows()
        assert with_hint == graph.backend.query(text, prefixes=ns.PREFIXES).rows() and len(with_hint) == rows


# ---------------------------------------------------------------------------- end to end

@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="worker processes as on Linux")
@pytest.mark.parametrize("lane", [True, False])
def test_a_query_a_worker_vouched_for_is_answered_while_the_only_worker_is_busy(lane):
    """One worker and no queue: while a runaway query holds the worker, a request that needs a worker gets 503
    at once. The cheap query answered before is answered by the server itself, the same bytes, unless
    --no-fast-lane; the RAND query, another format and unseen texts still wait for a worker."""
    s = Server("--processes", "1", "--queue", "0", "--timeout", "3", "--quiet",
               *(() if lane else ("--no-fast-lane",)))
    try:
        first, volatile = get(s.url, CHEAP), get(s.url, VOLATILE)
        assert first[0] == 200 and b"Data analyst" in first[2] and volatile[0] == 200
        assert get(s.url, CHEAP)[2] == first[2] and get(s.url, VOLATILE)[0] == 200   # each vouched for twice
        with ThreadPoolExecutor(1) as ex:
            slow = ex.submit(get, s.url, RUNAWAY)
            time.sleep(0.5)   # (a runaway that found the worker busy got its 503 at once)
            assert not slow.done() and get(s.url, "ASK { ?s ?p 1 }")[0] == 503   # it holds the only worker
            again = get(s.url, CHEAP)
            assert (again[0], again[2]) == ((200, first[2]) if lane else (503, again[2]))
            assert get(s.url, VOLATILE)[0] == 503
            assert get(s.url, CHEAP, accept="text/csv")[0] == 503
            assert slow.result()[0] == 503
    finally:
        log = s.stop()
    assert "Traceback" not in log


def test_the_lane_closes_when_the_workers_loaded_other_data_than_the_server(graph):
    """The data changed between the server's load and its workers': the server's copy is not what they measured."""
    job = Job(CHEAP, base="http://127.0.0.1:8000/sparql")
    answer = _worker_answer(graph, job)
    same, other = FastLane(graph, 2**20), FastLane(graph, 2**20)
    same.agree(len(graph))
    other.agree(len(graph) + 1)
    for lane in (same, other):
        _teach(lane, _key(CHEAP), job, answer)
    assert same.answer(_key(CHEAP)) is not None and other.answer(_key(CHEAP)) is None
