"""`rolegraph serve` as a maintainer and an attacker try it: signals and exit codes, kill -9 of the server (no
worker left behind), queries over the CLI's limits refused before the engine sees them, explorer pages under the
time limit, and the HTTP limits (head size, 256 KiB GET queries, the Host header never reflected)."""
from __future__ import annotations

import os
import signal
import socket
import sys
import time
import urllib.parse

import pytest

from rolegraph import limits

from .test_server import SHARED, Server, get, raw, request

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; PR_SET_PDEATHSIG")


def started(*args: str) -> Server:
    """A server in its own session (so Ctrl-C can go to its whole process group, as a terminal sends it)."""
    return Server(*args, session=True)


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                kids = [int(c) for c in f.read().split()]
        except OSError:
            kids = []
        out += kids
        todo += kids
    return out


def _is_worker(pid: int) -> bool:
    """True for a worker process (multiprocessing's resource tracker is another child of the server)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"resource_tracker" not in f.read()
    except OSError:
        return False


def _zombie(pid: int) -> bool:
    """True while *pid* has ended but nobody has reaped it."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return False


def _running(pid: int) -> bool:
    """True while *pid* exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _wait_gone(pids: list[int], within: float = 5.0) -> list[int]:
    deadline = time.monotonic() + within
    while (alive := [p for p in pids if _running(p)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


def _port_answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2) as s:
            s.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            return s.recv(100).startswith(b"HTTP/1.1")
    except OSError:
        return False


# ---------------------------------------------------------------------------- stopping it

@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_ctrl_c_and_sigterm_stop_everything_with_the_documented_status_and_no_traceback(sig, code):
    s = started("--processes", "2", "--quiet")
    kids = _descendants(s.proc.pid)
    assert len(kids) >= 2
    if sig == signal.SIGINT:
        os.killpg(s.proc.pid, sig)   # a terminal's Ctrl-C reaches the whole process group
    else:
        s.proc.send_signal(sig)
    assert s.proc.wait(20) == code
    s._reader.join(5)
    log = "".join(s.log)
    assert "Traceback" not in log and log.count("Error:") == 1 and "interrupted" in log, log
    assert _wait_gone(kids) == []


def test_a_stop_waits_for_answers_under_way_at_most_the_grace_period():
    """SIGTERM while a query runs (time limit 60 s): the server sends it for at most runner.GRACE seconds, then
    stops anyway, with 143, no traceback, and no worker left."""
    import threading

    from rolegraph.server.runner import GRACE

    from .test_server import RUNAWAY

    s = started("--processes", "1", "--timeout", "60", "--quiet")
    kids = _descendants(s.proc.pid)
    def slow_query():
        try:
            get(s.url, RUNAWAY)
        except OSError:   # the server went away: what this test does
            pass
    threading.Thread(target=slow_query, daemon=True).start()
    time.sleep(1.0)   # the query is under way
    t = time.monotonic()
    s.proc.send_signal(signal.SIGTERM)
    assert s.proc.wait(30) == 143
    assert GRACE - 0.5 < time.monotonic() - t < GRACE + 8
    s._reader.join(5)
    log = "".join(s.log)
    assert "Traceback" not in log and log.count("Error:") == 1, log
    assert _wait_gone(kids) == []


def test_kill_9_of_the_server_leaves_no_process_serving_the_port():
    s = started("--processes", "2", "--quiet")
    kids = _descendants(s.proc.pid)
    workers = [k for k in kids if _running(k)]
    assert len(workers) >= 2
    s.proc.kill()
    s.proc.wait(10)
    assert _wait_gone(kids) == []   # PR_SET_PDEATHSIG: the kernel kills the workers with their parent
    assert not _port_answers(s.host, s.port)


# ---------------------------------------------------------------------------- queries over the limits

@pytest.fixture(scope="module")
def server():
    s = started("--processes", "2", "--timeout", "3", "--quiet")
    yield s
    log = s.stop()
    assert "Traceback" not in log and "RUST_BACKTRACE" not in log, log


KILLERS = {
    "deep brackets": "SELECT * WHERE { " + "{" * 5000 + "}" * 5000 + " }",
    "10,000 ||": "SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(["?o = 1"] * 10_000) + ") }",
    "10,000 UNION": "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 10_000) + " }",
}


@pytest.mark.parametrize("name", sorted(KILLERS))
def test_queries_over_the_cli_limits_are_refused_before_the_engine_and_kill_nothing(server, name):
    workers = sorted(k for k in _descendants(server.proc.pid) if _running(k))
    status, _, body = request(f"{server.url}/sparql", KILLERS[name].encode(),
                              {"Content-Type": "application/sparql-query"})
    assert status == 400 and (b"too many operators" in body or b"nested too deeply" in body), body
    assert get(server.url, SHARED)[0] == 200
    assert sorted(k for k in _descendants(server.proc.pid) if _running(k)) == workers   # no worker died


def test_the_checks_before_the_engine_are_one_function():
    from rolegraph.errors import QueryError
    from rolegraph.sparql_guard import RefusedQuery, prepare

    with pytest.raises(QueryError, match="nested too deeply"):
        prepare(KILLERS["deep brackets"])
    with pytest.raises(RefusedQuery):
        prepare("SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }")
    assert not prepare("SELECT * WHERE { ?s ?p ?o }").parsed
    assert limits.MAX_QUERY_CHARS < 256 * 1024   # the text limit is the CLI's, under the HTTP one


def test_the_servers_end_of_a_worker_socket_keeps_early_messages_and_refuses_oversized_ones():
    """A message that arrives before the server asks (a worker's 'ready') is kept, not dropped; one announcing more
    than the answer cap is refused without being buffered; a closed socket is an EOFError."""
    import asyncio
    import socket as sk

    from rolegraph.server import wire
    from rolegraph.server.workers import Answer, _Link, decode_answer, encode_answer

    async def main():
        loop = asyncio.get_running_loop()
        ours, theirs = sk.socketpair()
        link = _Link(limit=1000)
        await loop.create_connection(lambda: link, sock=ours)
        theirs.sendall(wire.pack([b"ready", b"42"]))
        await asyncio.sleep(0.2)   # it arrives while nobody waits
        assert wire.unpack(await asyncio.wait_for(link.ask(None), 5)) == [b"ready", b"42"]
        theirs.sendall(encode_answer(Answer(200, b"ok", headers={"Retry-After": "1"})))
        answer = decode_answer(await asyncio.wait_for(link.ask(None), 5))
        assert (answer.status, answer.body, answer.headers) == (200, b"ok", {"Retry-After": "1"})
        theirs.sendall(wire.pack([b"x" * 2000]))
        with pytest.raises(wire.WireError):
            await asyncio.wait_for(link.ask(None), 5)
        theirs.close()
        with pytest.raises(EOFError):
            await link.ask(b"more")
    # in a thread of its own: the session's playwright (sync API) keeps an event loop running in this thread
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, main()).result(timeout=60)


def test_a_worker_keeps_the_guards_verdict_on_texts_that_passed_and_no_more(graph):
    """A worker's PreparedCache: the same text skips the checks (the very same verdict comes back), a refused text
    is refused every time (nothing kept), and the cache stays within its bounds (entries, characters)."""
    from rolegraph.server.workers import Job, PreparedCache, execute

    cache = PreparedCache(entries=3, max_chars=200)
    cheap = Job("SELECT ?n WHERE { role:data-engineer skos:prefLabel ?n }", base="http://127.0.0.1:1/sparql")
    first = cache.prepare(cheap, graph.backend)
    assert cache.prepare(cheap, graph.backend) is first and len(cache.kept) == 1
    assert execute(graph, cheap, cache=cache).body == execute(graph, cheap).body
    refused = Job("SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }")
    for _ in range(2):
        assert execute(graph, refused, cache=cache).status == 403
    assert len(cache.kept) == 1
    long_text = Job(cheap.query + " #" + "x" * 300)
    assert execute(graph, long_text, cache=cache).status == 200 and len(cache.kept) == 1
    for i in range(5):
        cache.prepare(Job(f"ASK {{ ?s ?p {i} }}"), graph.backend)
    assert len(cache.kept) == 3 and (cheap.query, cheap.base, None, None) not in cache.kept   # the oldest left


def test_an_explorer_page_past_the_time_limit_gets_503_and_others_are_answered():
    s = started("--processes", "1", "--timeout", "0.1", "--quiet")
    try:
        # a fresh worker's first career-path page builds the graph's analysis caches: far past 0.1 s
        status, headers, body = request(f"{s.url}/path?" + urllib.parse.urlencode(
            {"from": "Data engineer", "to": "Chief data officer", "alternatives": 5}), headers={"Accept": "text/html"})
        assert status == 503 and headers["Retry-After"].isdigit() and b"limit" in body, (status, body[:200])
        deadline = time.monotonic() + 60
        while (status := get(s.url, "ASK {}")[0]) != 200 and time.monotonic() < deadline:
            time.sleep(0.3)   # a fresh worker replaces the stopped one
        assert status == 200
    finally:
        assert "Traceback" not in s.stop()


# ---------------------------------------------------------------------------- HTTP limits

def test_get_queries_up_to_64_kib_are_answered_longer_ones_get_414_and_posts_take_256_kib(server):
    """Granian's HTTP parser (hyper) reads a request target of up to 64 KiB; a longer GET gets 414, never a closed
    connection, and the same query POSTed is answered up to the endpoint's 256 KiB."""
    from rolegraph.server.runner import MAX_TARGET_BYTES

    def ask(chars: int) -> str:
        return "ASK { role:data-engineer a rg:Role } #" + "é" * chars

    qs = urllib.parse.urlencode({"query": ask(10_000)})   # ~60 KiB encoded
    assert 50 * 1024 < len(qs) < MAX_TARGET_BYTES - 100
    status, _, body = request(f"{server.url}/sparql?{qs}", headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and b"true" in body
    long_query = ask(40_000)   # 40 k characters, ~240 KiB encoded
    qs = urllib.parse.urlencode({"query": long_query})
    assert 200 * 1024 < len(qs) < 256 * 1024
    assert request(f"{server.url}/sparql?{qs}")[0] == 414
    status, _, body = request(f"{server.url}/sparql", long_query.encode(),
                              {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    assert status == 200 and b"true" in body


def test_request_heads_over_the_limit_get_431(server):
    out = raw(server, b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20_000
              + b"\r\nConnection: close\r\n\r\n")
    assert out.startswith(b"HTTP/1.1 431"), out[:100]
    out = raw(server, b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 600_000
              + b"\r\nConnection: close\r\n\r\n")
    assert out.startswith(b"HTTP/1.1 431") or out == b"", out[:100]
    assert get(server.url, SHARED)[0] == 200


@pytest.mark.parametrize("host", [b"evil.example", b"evil.example:1/%0d%0aX-Injected: 1", b"[::1", b"a" * 300])
def test_the_host_header_is_never_reflected(server, host):
    for target in (b"/sparql", b"/role/data-engineer/", b"/", b"/nope", b"/sparql?query=SELECT%20%3Fx%20"
                   b"WHERE%20%7B%20BIND(%3Chere%3E%20AS%20%3Fx)%20%7D"):
        out = raw(server, b"GET " + target + b" HTTP/1.1\r\nHost: " + host + b"\r\nAccept: text/turtle, */*\r\n"
                  b"Connection: close\r\n\r\n")
        assert b"evil" not in out and b"X-Injected" not in out.split(b"\r\n\r\n")[0], out[:300]
        status = int(out[9:12]) if out.startswith(b"HTTP/1.1 ") else 0
        assert status and status < 500, out[:300]


def _nice(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[16])
    except (OSError, ValueError, IndexError):
        return None


def test_a_killed_worker_is_reaped_from_its_sentinel(graph):
    """Worker.kill(wait=False), as the pool kills a worker past its time limit: the event loop does not wait while
    the kernel frees the worker's memory, and the process is reaped once its sentinel says it is gone (it never
    stays a zombie). The test reads /proc only: asking multiprocessing for the exit code would reap it itself."""
    import asyncio

    from rolegraph.server.workers import Limits, WorkerPool

    async def main() -> tuple[bool, bool]:
        pool = WorkerPool(graph.source, Limits(workers=2))
        await pool.start()
        try:
            victim = next(iter(pool.workers))
            pid = victim.process.pid
            assert pid is not None and _running(pid)
            victim.kill(wait=False)
            pool.workers.discard(victim)
            deadline = time.monotonic() + 5
            while os.path.exists(f"/proc/{pid}") and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            return os.path.exists(f"/proc/{pid}"), _zombie(pid)
        finally:
            await pool.close()
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as ex:   # a loop of its own (another test's may still be set in this thread)
        assert ex.submit(asyncio.run, main()).result() == (False, False)


def test_workers_run_below_the_server_and_a_slow_query_yields_further(server):
    """Workers run WORKER_NICE below the server process, so its answers go first on a busy machine; past
    workers.SLOW_AFTER a query's worker drops to SLOW_NICE below it, so cheap queries on the others go first."""
    from concurrent.futures import ThreadPoolExecutor

    from rolegraph.server.workers import SLOW_AFTER, SLOW_NICE, WORKER_NICE

    from .test_server import RUNAWAY

    top = _nice(server.proc.pid)
    assert top is not None
    deadline = time.monotonic() + 5
    while True:   # (a worker killed by an earlier test may still be on its way out)
        workers = [k for k in _descendants(server.proc.pid) if _running(k) and _is_worker(k)]
        if workers and {_nice(k) for k in workers} == {min(19, top + WORKER_NICE)}:
            break
        assert time.monotonic() < deadline, {k: _nice(k) for k in workers}
        time.sleep(0.1)
    with ThreadPoolExecutor(1) as ex:
        slow = ex.submit(get, server.url, RUNAWAY)
        time.sleep(SLOW_AFTER + 0.75)
        assert sorted(_nice(k) for k in workers if _running(k)).count(min(19, top + SLOW_NICE)) == 1
        assert get(server.url, SHARED)[0] == 200
        assert slow.result()[0] == 503


def test_no_answer_is_lost_while_slow_and_hostile_queries_stop_their_workers(server):
    """Cheap queries on keep-alive connections while other clients send queries past the time limit (their workers
    killed) and queries over the limits: every request gets a complete answer with the status its query can have."""
    import http.client
    from concurrent.futures import ThreadPoolExecutor

    from .test_server import RUNAWAY

    cheap = "/sparql?" + urllib.parse.urlencode({"query": SHARED})
    end = time.monotonic() + 5

    def keep_alive(_):
        c = http.client.HTTPConnection(server.host, server.port, timeout=30)
        statuses = []
        while time.monotonic() < end:
            c.request("GET", cheap)
            r = c.getresponse()
            r.read()
            statuses.append(r.status)
            if r.getheader("connection", "").lower() == "close":
                c.close()
                c = http.client.HTTPConnection(server.host, server.port, timeout=30)
        c.close()
        return statuses

    def hostile(i):
        out = []
        while time.monotonic() < end:
            query = RUNAWAY if i == 0 else KILLERS[sorted(KILLERS)[len(out) % 3]]
            status, headers, _ = request(f"{server.url}/sparql", query.encode(),
                                         {"Content-Type": "application/sparql-query"})
            out.append((status, headers.get("Retry-After")))
        return out

    with ThreadPoolExecutor(6) as ex:
        cheap_runs = [ex.submit(keep_alive, i) for i in range(4)]
        hostile_runs = [ex.submit(hostile, i) for i in range(2)]
        cheap_statuses = [s for f in cheap_runs for s in f.result()]
        slow, killers = hostile_runs[0].result(), hostile_runs[1].result()
    assert len(cheap_statuses) > 20 and set(cheap_statuses) == {200}
    assert slow and all(status == 503 and retry for status, retry in slow)
    assert killers and {status for status, _ in killers} == {400}
