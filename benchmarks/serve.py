"""`rolegraph serve` beside Oxigraph's own server, same files, same run, loopback only (issue 13).

    pip install oxigraph          # Oxigraph's server (the CLI package), the baseline
    python benchmarks/serve.py    # about a minute; prints a Markdown table, writes benchmarks/out/serve.json

Both servers get the ontology and the bundled data; rolegraph runs with its default ``--processes``, and with
``--before SRC`` so does another checkout's server (its ``src/`` folder, with ``data/``, ``ontology/`` and
``queries/`` beside it; ``--before-workers`` adds its ``--processes 0 --workers 2`` mode); ``--no-lane`` adds this
checkout's server with ``--no-fast-lane``. Every rolegraph server gets ``--timeout 3``. Measured, for each server:

1. cheap queries (one role's label, a different role each time) over 8 keep-alive connections: req/s
   (medians of short rounds that alternate between the servers, as the machine may be shared); and the same
   queries each with a LIMIT of its own, so no text comes twice (rolegraph's fast lane never knows one: every
   one runs in a worker);
2. 200 connections opened at once, one query each: how many are answered (200 OK);
3. a mixed load of 8 keep-alive clients (80 % cheap, 15 % one level's skills, 5 % a GROUP BY): p50 / p90 latency;
   and its p50 when no text comes twice (each ends in a comment of its own, so rolegraph's fast lane never
   knows one);
4. the servers' resident memory (all processes) before and after 5,000 more mixed requests, and the CPU
   time the servers spent on them (less sensitive to a busy machine than throughput);

and for each rolegraph server (issue 22):

5. a flood: 2 clients sending killer queries (:data:`KILLERS`: deep brackets, 10,000 ``||``, 10,000 ``UNION``,
   ORDER BY over a cartesian product) while 6 other keep-alive clients send the mixed load: the share of the
   others' requests answered 200, and their p99 beside the same clients' p99 with no flood (idle);
6. a soak (``--soak`` seconds, 0: skip): cheap, slow (past the time limit) and hostile queries from 6 clients on
   keep-alive and new connections, every response checked: a *lost* answer is a connection closed or reset
   without a complete response, or a status the query cannot have (cheap: 200; slow: 200 or 503 with
   Retry-After; hostile: 400, or 503 for the cartesian one);
7. ``kill -9`` of the server's top process: how many of its processes still run 3 s later, and whether anything
   still answers on its port.

The client is asyncio over raw sockets in this process, so both servers share the same client cost.

``--fronts`` instead compares the installed HTTP fronts alone (Hypercorn, uvicorn, Granian's embedded server)
serving a trivial ASGI app: the server CPU each spends per request (issue 22: the choice of serve's front).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from rolegraph.namespaces import sparql_prologue  # noqa: E402

PROLOGUE = sparql_prologue()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree(pid: int) -> list[int]:
    """*pid* and all its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of *pid* and its descendants so far."""
    total = 0.0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            pass
    return total


def rss_mb(pid: int) -> float:
    """Resident memory of *pid* and all its descendants, MB."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                m = re.search(r"VmRSS:\s+(\d+)", f.read())
                total += int(m.group(1)) if m else 0
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo += [int(c) for c in f.read().split()]
        except (OSError, AttributeError):
            pass
    return total / 1024


def wait_http(port: int, path: str, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
                if s.recv(12).startswith(b"HTTP/1.1"):
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not come up")


# ---------------------------------------------------------------------------- the client

def request_bytes(path: str, query: str, close: bool = False) -> bytes:
    return (f"GET {path}?query={quote(PROLOGUE + query)} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Accept: application/sparql-results+json\r\n{'Connection: close' + chr(13) + chr(10) if close else ''}"
            "\r\n").encode()


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """(status, says Connection: close)."""
    status, _, close = await read_checked(reader)
    return status, close


async def keepalive_clients(port: int, path: str, pick, clients: int, seconds: float = 0, count: int = 0):
    """(statuses, latencies) from *clients* keep-alive connections for *seconds* or *count* requests in all."""
    statuses, latencies = [], []
    end = time.monotonic() + seconds
    left = [count]

    async def one():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while (time.monotonic() < end) if seconds else (left[0] > 0):
                left[0] -= 1
                t = time.perf_counter()
                writer.write(request_bytes(path, pick()))
                status, close = await read_response(reader)
                statuses.append(status)
                latencies.append(time.perf_counter() - t)
                if close:
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
        finally:
            writer.close()
    await asyncio.gather(*(one() for _ in range(clients)))
    return statuses, latencies


async def burst(port: int, path: str, query: str, n: int = 200, timeout: float = 20) -> int:
    """Open *n* connections at once, send one query on each; how many got 200."""
    async def one():
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
            writer.write(request_bytes(path, query, close=True))
            status, _ = await asyncio.wait_for(read_response(reader), timeout)
            writer.close()
            return status == 200
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError):
            return False
    return sum(await asyncio.gather(*(one() for _ in range(n))))


# ---------------------------------------------------------------------------- hostile clients

KILLERS = [
    "SELECT * WHERE { " + "{" * 3000 + "}" * 3000 + " }",
    "SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(["?o = 1"] * 10_000) + ") }",
    "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 10_000) + " }",
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d ?c ?f",
]
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def post_bytes(path: str, query: str, close: bool = False) -> bytes:
    body = query.encode()
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            f"Accept: application/sparql-results+json\r\nContent-Length: {len(body)}\r\n"
            f"{'Connection: close' + chr(13) + chr(10) if close else ''}\r\n").encode() + body


async def read_checked(reader: asyncio.StreamReader) -> tuple[int, bool, bool]:
    """(status, has Retry-After, says Connection: close) of one complete response; raises when the connection ends
    before it does. A client must open a new connection after ``Connection: close`` (Hypercorn, serve's front before
    Granian, closed a keep-alive connection after 1,000 requests, saying so in the last answer)."""
    head = await reader.readuntil(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 "):
        raise ValueError(head[:40])
    status = int(head[9:12])
    m = re.search(rb"(?i)content-length:\s*(\d+)", head)
    if m:
        await reader.readexactly(int(m.group(1)))
    elif re.search(rb"(?i)transfer-encoding:\s*chunked", head):
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.read()
    return (status, bool(re.search(rb"(?i)\r\nretry-after:", head)),
            bool(re.search(rb"(?i)\r\nconnection:\s*close", head)))


async def flood(port: int, path: str, pick, seconds: float, killers: int = 2, others: int = 6):
    """(statuses, latencies) of *others* keep-alive clients while *killers* clients send :data:`KILLERS`."""
    end = time.monotonic() + seconds
    statuses: list[int] = []
    latencies: list[float] = []

    async def killer(i: int):
        n = i
        while time.monotonic() < end:
            n += 1
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(post_bytes(path, KILLERS[n % len(KILLERS)], close=True))
                await asyncio.wait_for(read_checked(reader), max(1.0, end - time.monotonic() + 1))
                writer.close()
            except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError):
                pass

    async def other():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while time.monotonic() < end:
            t = time.perf_counter()
            try:
                writer.write(request_bytes(path, pick()))
                status, _, close = await asyncio.wait_for(read_checked(reader), 30)
                if close:
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
            except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError):
                status = 0
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            statuses.append(status)
            latencies.append(time.perf_counter() - t)
        writer.close()
    await asyncio.gather(*(killer(i) for i in range(killers)), *(other() for _ in range(others)))
    return statuses, latencies


def p99(latencies: list[float]) -> float:
    xs = sorted(latencies)
    return 1000 * xs[int(0.99 * (len(xs) - 1))] if xs else float("nan")


async def soak(port: int, path: str, cheap, seconds: float, clients: int = 6) -> dict[str, int]:
    """Cheap, slow and hostile queries on keep-alive and new connections for *seconds*; every response checked."""
    end = time.monotonic() + seconds
    counts = {"requests": 0, "lost": 0, "wrong_status": 0, "cheap_ok": 0, "slow_503": 0, "hostile_refused": 0}
    rnd = random.Random(22)

    def allowed(kind: str, query: str, status: int, retry: bool) -> bool:
        if kind == "cheap":
            return status == 200
        if kind == "slow":
            return status == 200 or (status == 503 and retry)
        if query is KILLERS[3]:   # the cartesian ORDER BY: time limit or memory cap
            return status in (500, 503)
        return status == 400

    async def client(i: int):
        reader = writer = None
        while time.monotonic() < end:
            x = rnd.random()
            kind, query = (("cheap", cheap()) if x < 0.90 else ("slow", SLOW) if x < 0.95
                           else ("hostile", rnd.choice(KILLERS)))
            fresh = rnd.random() < 0.3
            try:
                if writer is None or fresh:
                    if writer is not None:
                        writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(post_bytes(path, query) if kind == "hostile" else request_bytes(path, query))
                status, retry, close = await asyncio.wait_for(read_checked(reader), 60)
                if close:
                    writer.close()
                    writer = None
                counts["requests"] += 1
                if not allowed(kind, query, status, retry):
                    counts["wrong_status"] += 1
                    what = f"{kind} {status}{' Retry-After' if retry else ''}"
                    counts[what] = counts.get(what, 0) + 1
                counts["cheap_ok"] += kind == "cheap" and status == 200
                counts["slow_503"] += kind == "slow" and status == 503
                counts["hostile_refused"] += kind == "hostile" and status == 400
            except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError):
                counts["requests"] += 1
                counts["lost"] += 1
                writer = None
        if writer is not None:
            writer.close()
    await asyncio.gather(*(client(i) for i in range(clients)))
    return counts


def orphans_after_kill_9(proc, port: int) -> dict[str, Any]:
    """kill -9 the server's top process; its processes still running 3 s later, and whether the port answers."""
    family = tree(proc.pid)[1:]
    proc.kill()
    proc.wait(10)
    time.sleep(3)

    def running(p: int) -> bool:
        try:
            with open(f"/proc/{p}/stat") as f:
                return f.read().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False
    left = [p for p in family if running(p)]
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
            sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            answers = sock.recv(12).startswith(b"HTTP/1.1")
    except OSError:
        answers = False
    for p in left:
        try:
            os.kill(p, 9)
        except OSError:
            pass
    return {"processes_before": len(family), "still_running_after_3s": len(left), "port_still_answers": answers}


# ---------------------------------------------------------------------------- the servers

def start_oxigraph(files: list[Path], work: Path):
    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(exe).exists():
        sys.exit("Error: the oxigraph server is not installed (pip install oxigraph)")
    store = work / "oxstore"
    for f in files:
        subprocess.run([exe, "load", "--location", str(store), "--file", str(f)], check=True, capture_output=True)
    port = free_port()
    proc = subprocess.Popen([exe, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_http(port, "/query?query=ASK%7B%7D")
    return proc, port, "/query"


def start_rolegraph(workers: int, src: Path | None = None, processes: int | None = None, extra: tuple = ()):
    """This checkout's server; or, with *src*, the ``src/`` folder of another checkout (the server before).

    *processes* is ``--processes`` (None: the server's default; before: 0 is one server process and *workers*
    worker processes).
    """
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(src or ROOT / "src"))
    mode = [] if processes is None else ["--workers", str(workers), "--processes", str(processes)]
    proc = subprocess.Popen([sys.executable, "-m", "rolegraph", "serve", "--port", str(port), "--timeout", "3"]
                            + ["--quiet", *mode, *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
    wait_http(port, "/sparql?query=ASK%7B%7D")
    return proc, port, "/sparql"


#: a trivial ASGI app behind one HTTP front (``--fronts``): what the front alone costs per request
FRONT_APP = r'''
import sys
kind, port = sys.argv[1], int(sys.argv[2])
BODY = b'{"head":{"vars":["name"]},"results":{"bindings":[]}}'
async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json"),
                (b"content-length", str(len(BODY)).encode())]})
    await send({"type": "http.response.body", "body": BODY})
import uvloop
if kind == "hypercorn":
    from hypercorn.asyncio import serve
    from hypercorn.config import Config
    c = Config(); c.bind = [f"127.0.0.1:{port}"]; c.accesslog = None
    uvloop.run(serve(app, c, mode="asgi"))
elif kind == "granian":
    from granian.constants import Interfaces
    from granian.server.embed import Server
    uvloop.run(Server(app, address="127.0.0.1", port=port, interface=Interfaces.ASGINL, log_enabled=False).serve())
elif kind == "uvicorn":
    import uvicorn
    uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, loop="uvloop", access_log=False,
                                  log_level="warning")).run()
'''


def fronts(rounds: int, requests: int = 4000) -> None:
    """CPU per request of each installed HTTP front alone (a trivial app), rounds alternating between them."""
    import importlib.util

    kinds = [k for k in ("hypercorn", "uvicorn", "granian") if importlib.util.find_spec(k)]
    cpu: dict[str, list[float]] = {k: [] for k in kinds}
    for _ in range(rounds):
        for kind in kinds:
            port = free_port()
            proc = subprocess.Popen([sys.executable, "-c", FRONT_APP, kind, str(port)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                wait_http(port, "/sparql?query=x")
                asyncio.run(keepalive_clients(port, "/sparql", lambda: "ASK{}", 8, count=500))
                before = cpu_seconds(proc.pid)
                st, _ = asyncio.run(keepalive_clients(port, "/sparql", lambda: "ASK{}", 8, count=requests))
                cpu[kind].append(1000 * (cpu_seconds(proc.pid) - before) / requests)
                assert st.count(200) == requests
            finally:
                proc.terminate()
                proc.wait(10)
    print("| front (trivial ASGI app, 8 keep-alive clients) | server CPU per request (ms, median) | rounds |")
    print("|---|---|---|")
    for kind in kinds:
        print(f"| {kind} | {statistics.median(cpu[kind]):.3f} | {', '.join(f'{x:.3f}' for x in cpu[kind])} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=3.0, help="length of one throughput round per server")
    ap.add_argument("--rounds", type=int, default=3, help="rounds, alternating between the servers (medians)")
    ap.add_argument("--workers", type=int, default=2, help="--workers N of --before-workers")
    ap.add_argument("--processes", type=int, default=None,
                    help="rolegraph serve --processes N, for every rolegraph server (default: each one's own)")
    ap.add_argument("--before", type=Path, default=None,
                    help="also measure the server of another checkout's src/ folder (e.g. main)")
    ap.add_argument("--before-workers", action="store_true",
                    help="with --before, also its --processes 0 --workers N mode")
    ap.add_argument("--no-lane", action="store_true",
                    help="also measure this checkout's server with --no-fast-lane (every query in a worker)")
    ap.add_argument("--flood", type=float, default=20.0, help="seconds of the flood (and of its idle baseline)")
    ap.add_argument("--soak", type=float, default=0.0, help="seconds of the mixed soak with hostile queries")
    ap.add_argument("--fronts", action="store_true",
                    help="only compare the installed HTTP fronts (hypercorn, uvicorn, granian) on a trivial app")
    args = ap.parse_args()
    if args.fronts:
        fronts(args.rounds)
        return
    try:
        import uvloop
        uvloop.install()
    except ImportError:
        pass
    from rolegraph.graph import RoleGraph

    g = RoleGraph.load()
    roles = [e.iri for e in g.entities("role")]
    levels = [e.iri for e in g.entities("level")]
    rnd = random.Random(13)

    def cheap():
        return f"SELECT ?name WHERE {{ <{rnd.choice(roles)}> skos:prefLabel ?name }}"

    fresh = iter(range(1, 10**9))

    def unseen():   # a text no server has seen: each ends in a LIMIT of its own
        return cheap() + f" LIMIT {next(fresh)}"

    def mixed():
        x = rnd.random()
        if x < 0.80:
            return cheap()
        if x < 0.95:
            return (f"SELECT ?skill ?lvl WHERE {{ <{rnd.choice(levels)}> rg:requires ?r . ?r rg:skill ?skill . "
                    "OPTIONAL { ?r rg:level ?lvl } }")
        return ("SELECT ?skill (COUNT(?r) AS ?n) WHERE { ?r rg:skill ?skill } GROUP BY ?skill "
                "ORDER BY DESC(?n) LIMIT 20")

    def mixed_unseen():   # the same mix, no text twice
        return mixed() + f"\n# {next(fresh)}"

    load = os.getloadavg()
    results: dict[str, Any] = {"load_before": load, "cpus": os.cpu_count(), "servers": {}}
    names = (("oxigraph", "rolegraph") + (("before",) if args.before else ())
             + (("before-workers",) if args.before and args.before_workers else ())
             + (("no-lane",) if args.no_lane else ()))
    starts = {"rolegraph": lambda: start_rolegraph(args.workers, processes=args.processes),
              "before": lambda: start_rolegraph(args.workers, args.before, args.processes),
              "before-workers": lambda: start_rolegraph(args.workers, args.before, 0),
              "no-lane": lambda: start_rolegraph(args.workers, processes=args.processes, extra=("--no-fast-lane",))}
    with tempfile.TemporaryDirectory() as tmp:
        servers = {}
        try:
            for name in names:   # all up at once, so rounds can alternate between them
                servers[name] = start_oxigraph(g.files, Path(tmp)) if name == "oxigraph" else starts[name]()
                asyncio.run(keepalive_clients(servers[name][1], servers[name][2], cheap, 8, count=200))  # warm-up
            rounds: dict[str, dict[str, list[float]]] = {
                n: {"cheap": [], "unseen": [], "p50": [], "p90": [], "mixed": [], "p50_unseen": []} for n in names}
            for _ in range(args.rounds):   # the machine is shared: alternate short rounds, report medians
                for name in names:
                    _, port, path = servers[name]
                    st, _ = asyncio.run(keepalive_clients(port, path, cheap, 8, seconds=args.seconds))
                    rounds[name]["cheap"].append(sum(x == 200 for x in st) / args.seconds)
                    st, _ = asyncio.run(keepalive_clients(port, path, unseen, 8, seconds=args.seconds))
                    rounds[name]["unseen"].append(sum(x == 200 for x in st) / args.seconds)
                    st, lat = asyncio.run(keepalive_clients(port, path, mixed, 8, seconds=args.seconds))
                    ok = sorted(t for x, t in zip(st, lat) if x == 200) or [float("nan")]
                    rounds[name]["p50"].append(1000 * statistics.median(ok))
                    rounds[name]["p90"].append(1000 * ok[int(0.9 * (len(ok) - 1))])
                    rounds[name]["mixed"].append(len(ok) / args.seconds)
                    st, lat = asyncio.run(keepalive_clients(port, path, mixed_unseen, 8, seconds=args.seconds))
                    ok = sorted(t for x, t in zip(st, lat) if x == 200) or [float("nan")]
                    rounds[name]["p50_unseen"].append(1000 * statistics.median(ok))
            for name in names:
                proc, port, path = servers[name]
                rr = rounds[name]
                r = {"cheap_rps": statistics.median(rr["cheap"]), "unseen_rps": statistics.median(rr["unseen"]),
                     "mixed_p50_ms": statistics.median(rr["p50"]),
                     "mixed_p90_ms": statistics.median(rr["p90"]), "mixed_rps": statistics.median(rr["mixed"]),
                     "mixed_unseen_p50_ms": statistics.median(rr["p50_unseen"]),
                     "rounds": rr}
                r["burst_200_answered"] = asyncio.run(burst(port, path, cheap()))
                r["rss_before_mb"] = rss_mb(proc.pid)
                cpu = cpu_seconds(proc.pid)
                st, _ = asyncio.run(keepalive_clients(port, path, mixed, 8, count=5000))
                r["cpu_ms_per_request"] = 1000 * (cpu_seconds(proc.pid) - cpu) / 5000
                r["rss_after_5000_mb"] = rss_mb(proc.pid)
                r["errors_in_5000"] = sum(x != 200 for x in st)
                results["servers"][name] = r
            for name in names[1:]:   # the hostile phases: rolegraph servers only
                proc, port, path = servers[name]
                r = results["servers"][name]
                st, lat = asyncio.run(flood(port, path, mixed, args.flood, killers=0))
                r["idle_p99_ms"] = p99(lat)
                st, lat = asyncio.run(flood(port, path, mixed, args.flood, killers=2))
                r["flood_answered_pct"] = 100 * sum(x == 200 for x in st) / max(1, len(st))
                r["flood_not_200"] = {str(x): st.count(x) for x in set(st) if x != 200}   # 0: no complete answer
                r["flood_p99_ms"] = p99(lat)
                r["flood_p99_over_idle"] = r["flood_p99_ms"] / r["idle_p99_ms"]
                if args.soak:
                    r["soak"] = asyncio.run(soak(port, path, cheap, args.soak))
                    r["soak_seconds"] = args.soak
                r["kill_9"] = orphans_after_kill_9(proc, port)
        finally:
            for proc, _, _ in servers.values():
                if proc.poll() is None:
                    proc.terminate()
                    proc.wait(10)
    results["load_after"] = os.getloadavg()
    ox = results["servers"]["oxigraph"]
    rows = [("cheap queries, 8 keep-alive clients (req/s)", "cheap_rps", "{:.0f}", "≥ 0.7x"),
            ("cheap queries never seen before, 8 keep-alive clients (req/s)", "unseen_rps", "{:.0f}", ""),
            ("200 connections at once: answered", "burst_200_answered", "{}", "200"),
            ("mixed load, 8 clients: p50 (ms)", "mixed_p50_ms", "{:.2f}", "≤ 1.2x"),
            ("mixed load, 8 clients: p90 (ms)", "mixed_p90_ms", "{:.2f}", ""),
            ("mixed load (req/s)", "mixed_rps", "{:.0f}", ""),
            ("mixed load, no text twice: p50 (ms)", "mixed_unseen_p50_ms", "{:.2f}", ""),
            ("server RSS before (MB, all processes)", "rss_before_mb", "{:.0f}", ""),
            ("server RSS after 5,000 more requests (MB)", "rss_after_5000_mb", "{:.0f}", "flat"),
            ("non-200 answers in those 5,000", "errors_in_5000", "{}", "0"),
            ("server CPU per mixed request (ms, all processes)", "cpu_ms_per_request", "{:.3f}", "")]
    ratios = {"cheap_rps", "unseen_rps", "mixed_p50_ms", "mixed_p90_ms", "mixed_rps", "mixed_unseen_p50_ms",
              "cpu_ms_per_request"}
    others = [n for n in names if n != "oxigraph"]
    shown = "default" if args.processes is None else args.processes
    titles = {"rolegraph": f"serve --processes {shown}", "before": f"before: --processes {shown}",
              "before-workers": f"before: --processes 0 --workers {args.workers}",
              "no-lane": f"serve --processes {shown} --no-fast-lane"}
    print(f"load average before {load[0]:.2f} / after {results['load_after'][0]:.2f}; {os.cpu_count()} CPUs; "
          f"medians of {args.rounds} alternating rounds of {args.seconds:g} s\n")
    print("| figure | target | Oxigraph server |" + "".join(f" {titles[n]} | ratio |" for n in others))
    print("|---|---|---|" + "---|---|" * len(others))
    for label, key, fmt, target in rows:
        cells = ""
        for n in others:
            value = results["servers"][n][key]
            cells += f" {fmt.format(value)} | {f'{value / ox[key]:.2f}x' if key in ratios else ''} |"
        print(f"| {label} | {target} | {fmt.format(ox[key])} |{cells}")
    hostile = [("idle: 6 clients' p99 (ms)", lambda r: f"{r['idle_p99_ms']:.1f}"),
               ("flood of 2 killer clients: others answered (%)", lambda r: f"{r['flood_answered_pct']:.2f}"),
               ("flood: others' answers that were not 200 (status: count)",
                lambda r: ", ".join(f"{k}: {v}" for k, v in r["flood_not_200"].items()) or "-"),
               ("flood: others' p99 (ms)", lambda r: f"{r['flood_p99_ms']:.1f}"),
               ("flood p99 / idle p99", lambda r: f"{r['flood_p99_over_idle']:.1f}x"),
               ("soak: requests / lost / wrong status", lambda r: "{requests} / {lost} / {wrong_status}".format(
                   **r["soak"]) if "soak" in r else "-"),
               ("soak: the wrong statuses", lambda r: ", ".join(f"{k}: {v}" for k, v in r.get("soak", {}).items()
                                                               if " " in k) or "-"),
               ("kill -9: processes left running after 3 s / port answers",
                lambda r: f"{r['kill_9']['still_running_after_3s']} of {r['kill_9']['processes_before']} / "
                          f"{r['kill_9']['port_still_answers']}")]
    print(f"\n| hostile (soak {args.soak:g} s, flood {args.flood:g} s) |" + "".join(f" {titles[n]} |" for n in others))
    print("|---|" + "---|" * len(others))
    for label, show in hostile:
        print(f"| {label} |" + "".join(f" {show(results['servers'][n])} |" for n in others))
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "serve.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
