"""The fast lane of `rolegraph serve` (issue 22): a worker's answer to a request that comes back, sent again by the
server process byte for byte once two runs gave the same bytes; the server never runs a query itself, and
everything else still goes to a worker under the time limit and the memory cap."""
from __future__ import annotations

import json
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from rolegraph import namespaces as ns
from rolegraph.server.fastlane import FAST_BYTES, FAST_CHARS, FastLane, vouch
from rolegraph.server.workers import Answer, Job, decode_answer, encode_answer, execute
from rolegraph.sparql_guard import declared_prefixes

from .test_server import RUNAWAY, Server, get

CHEAP = ns.sparql_prologue() + "SELECT ?name WHERE { role:data-analyst skos:prefLabel ?name }"
VOLATILE = "SELECT ?r WHERE { BIND(RAND() AS ?r) }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------------- what may be kept

def test_a_small_answer_to_a_plain_query_may_be_kept():
    assert vouch(CHEAP, 200, 500)


@pytest.mark.parametrize("status,size,text", [(400, 10, CHEAP), (503, 10, CHEAP), (500, 10, CHEAP),
                                              (200, FAST_BYTES + 1, CHEAP),
                                              (200, 10, CHEAP + " " * FAST_CHARS)])
def test_an_error_a_large_answer_or_a_long_text_is_never_kept(status, size, text):
    assert not vouch(text, status, size)


@pytest.mark.parametrize("text", [
    "SELECT ?r WHERE { BIND(RAND() AS ?r) }",
    "SELECT ?r WHERE { BIND(rand \n () AS ?r) }",
    "SELECT ?r WHERE { BIND(NOW# a comment\n() AS ?r) }",
    "SELECT ?r WHERE { BIND(UUID() AS ?r) }",
    "SELECT ?r WHERE { BIND(StrUuid() AS ?r) }",
    r"SELECT ?r WHERE { BIND(\u0052AND() AS ?r) }",    # an escape spells it
    "SELECT * WHERE { ?s ?p ?o FILTER(RAND() < 0.5) }",
])
def test_a_query_whose_answer_changes_between_runs_is_never_kept(text):
    """RAND, NOW, UUID and STRUUID give other values each run: even two runs that agreed say nothing of the next."""
    assert not vouch(text, 200, 10)


def test_an_answer_crosses_the_wire_with_its_headers():
    back = decode_answer(encode_answer(Answer(200, b"{}", "application/json", {"X-A": "1"})))
    assert (back.status, back.body, back.content_type, back.headers) == (200, b"{}", "application/json",
                                                                         {"X-A": "1"})


# ---------------------------------------------------------------------------- the lane in the server process

def _key(query: str, accept: bytes = b"application/sparql-results+json"):
    return (query.encode(), b"", b"", accept, ("127.0.0.1", 8000))


def _job(query: str) -> Job:
    return Job(query, base="http://127.0.0.1:8000/sparql")


def _teach(lane: FastLane, graph, query: str) -> Answer:
    """What the server does when workers answer the same request twice: two real runs."""
    job = _job(query)
    for _ in range(2):
        answer = execute(graph, job)
        lane.learn(_key(query), job, answer)
    return answer


def test_a_repeated_request_gets_the_workers_answer_again_byte_for_byte(graph):
    lane = FastLane(graph)
    job = _job(CHEAP)
    assert lane.answer(_key(CHEAP)) is None   # unknown: to a worker
    first = execute(graph, job)
    assert first.status == 200 and b"Data analyst" in first.body
    lane.learn(_key(CHEAP), job, first)
    assert lane.answer(_key(CHEAP)) is None   # answered once: only noted (a one-off costs the server nothing)
    lane.learn(_key(CHEAP), job, execute(graph, job))
    again = lane.answer(_key(CHEAP))
    assert again is not None and (again.status, again.body, again.content_type) == (200, first.body,
                                                                                    first.content_type)
    assert lane.answer(_key(CHEAP, b"text/csv")) is None   # another Accept is another request


@pytest.mark.parametrize("query", ["SELECT (BNODE() AS ?b) WHERE {}", "CONSTRUCT { _:x <urn:p> 1 } WHERE {}"])
def test_a_request_whose_two_runs_differ_is_never_kept(graph, query):
    """Fresh blank nodes get new labels on every run: the runs differ, so neither is sent again."""
    lane = FastLane(graph)
    for _ in range(3):
        answer = execute(graph, _job(query))
        assert answer.status == 200 and vouch(query, 200, len(answer.body))   # only the runs tell
        lane.learn(_key(query), _job(query), answer)
    assert lane.answer(_key(query)) is None and not lane.known


def test_a_volatile_query_is_never_kept_even_when_two_runs_agree(graph):
    lane = FastLane(graph)
    answer = execute(graph, _job(VOLATILE))
    assert answer.status == 200
    for _ in range(2):
        lane.learn(_key(VOLATILE), _job(VOLATILE), answer)
    assert lane.answer(_key(VOLATILE)) is None and not lane.known


def test_the_lane_keeps_at_most_its_entries_the_oldest_going_first(graph):
    lane = FastLane(graph, entries=3)
    texts = [f"SELECT ?s WHERE {{ ?s ?p ?o }} LIMIT {n}" for n in range(1, 6)]
    for text in texts:
        _teach(lane, graph, text)
    assert [k[0].decode() for k in lane.known] == texts[2:]
    assert lane.answer(_key(texts[0])) is None and lane.answer(_key(texts[-1])) is not None


def test_the_lane_holds_at_most_its_bytes_the_oldest_going_first(graph):
    texts = [f"SELECT ?s WHERE {{ ?s ?p ?o }} LIMIT {n}" for n in (100, 101, 102)]
    sizes = [len(execute(graph, _job(t)).body) + len(_key(t)[0]) for t in texts]   # answer and request
    lane = FastLane(graph, held_bytes=sizes[1] + sizes[2])
    for text in texts:
        _teach(lane, graph, text)
    assert [k[0].decode() for k in lane.known] == texts[1:] and lane.size == sizes[1] + sizes[2]


def test_the_server_process_never_runs_a_query(graph, monkeypatch):
    """What the lane sends is a worker's answer: the server's own engine is never asked."""
    lane = FastLane(graph)
    answer = _teach(lane, graph, CHEAP)

    def refuse(*args, **kwargs):
        raise AssertionError("the server process ran a query")
    monkeypatch.setattr(graph.backend, "query", refuse)
    assert lane.answer(_key(CHEAP)).body == answer.body


def test_a_closed_lane_forgets_what_it_kept_and_keeps_nothing_more(graph):
    lane = FastLane(graph)
    _teach(lane, graph, CHEAP)
    assert lane.answer(_key(CHEAP)) is not None
    lane.close()
    assert lane.answer(_key(CHEAP)) is None and lane.size == 0
    _teach(lane, graph, COUNT)
    assert lane.answer(_key(COUNT)) is None and not lane.known


def test_the_lane_closes_when_the_workers_loaded_other_data_than_the_server(graph):
    """The data changed between the server's load and its workers'."""
    same, other = FastLane(graph), FastLane(graph)
    same.agree(len(graph))
    other.agree(len(graph) + 1)
    for lane in (same, other):
        _teach(lane, graph, CHEAP)
    assert same.answer(_key(CHEAP)) is not None and other.answer(_key(CHEAP)) is None


def test_the_lane_keeps_nothing_when_the_served_data_hold_peoples_data(graph, tmp_path):
    """A profile given with --data puts a person's ratings in the served graph: none of their answers is kept."""
    from rolegraph.graph import RoleGraph
    from rolegraph.server.fastlane import holds_people

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "me.ttl").write_text(f"<urn:rolegraph-test:me> <{ns.RGP}name> \"A. Person\" .\n", encoding="utf-8")
    mine = RoleGraph.load([data])
    assert holds_people(mine) and not holds_people(graph)
    lane = FastLane(mine)
    assert not lane.enabled
    _teach(lane, mine, CHEAP)
    assert lane.answer(_key(CHEAP)) is None and not lane.known


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
def test_a_repeated_request_is_answered_while_the_only_worker_is_busy(lane):
    """One worker and no queue: while a runaway query holds the worker, a request that needs a worker gets 503
    at once. The cheap query answered twice before gets the same bytes from the server itself, unless
    --no-fast-lane; the RAND query, another format and unseen texts still wait for a worker."""
    s = Server("--processes", "1", "--queue", "0", "--timeout", "3", "--quiet",
               *(() if lane else ("--no-fast-lane",)))
    try:
        first, volatile = get(s.url, CHEAP), get(s.url, VOLATILE)
        assert first[0] == 200 and b"Data analyst" in first[2] and volatile[0] == 200
        assert get(s.url, CHEAP)[2] == first[2] and get(s.url, VOLATILE)[0] == 200   # each answered twice
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


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="worker processes as on Linux")
def test_a_worker_that_loaded_changed_data_closes_the_lane(tmp_path):
    """The data folder changes while the server runs; a killed worker's replacement loads it as it is now. From
    then on nothing kept is sent again: the count comes from a worker, the new one."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    s = Server("--processes", "1", "--timeout", "1", "--quiet", before=("--data", str(data)))

    def count() -> tuple[int, int]:
        status, _, body = get(s.url, COUNT, accept="application/sparql-results+json")
        return status, int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) if status == 200 else -1
    try:
        before = count()
        assert before[0] == 200 and count() == before   # two runs, the same bytes: kept
        (data / "extra.ttl").write_text("<urn:rolegraph-test:a> <urn:rolegraph-test:p> 1 .\n", encoding="utf-8")
        assert count() == before   # (the same worker: the same data)
        assert get(s.url, RUNAWAY)[0] == 503   # its worker is killed; a replacement loads the folder again
        deadline = time.monotonic() + 60
        while get(s.url, "ASK { ?s ?p 2 }")[0] != 200:   # until the replacement has loaded it
            assert time.monotonic() < deadline, "no replacement worker"
            time.sleep(0.2)
        assert count() == (200, before[1] + 1)
        assert count() == (200, before[1] + 1)
    finally:
        log = s.stop()
    assert "Traceback" not in log
