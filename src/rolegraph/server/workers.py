"""Query isolation for ``rolegraph serve``: worker processes, a bounded queue, a time limit, a memory bound.

The policy, in full:

* ``workers`` processes (spawned, each holding its own copy of the graph) run queries, one at a time each.
  A request waits in a FIFO queue for a free worker; at most ``queue`` requests wait. A request that finds the
  queue full, or waits longer than ``queue_wait`` seconds, gets **503 with Retry-After** at once, so a burst
  of slow queries delays cheap ones by at most ``queue_wait`` and never hangs the server.
* A query that runs longer than ``timeout`` seconds gets **503 with Retry-After**; its worker is killed and a
  fresh one started, so other queries keep answering on the other workers meanwhile.
* Each worker's address space is capped (``memory_mb`` above what it holds after loading the graph, by
  ``RLIMIT_AS``): a query that needs more stops that worker (500, clear message) and a fresh one starts.
* Answers are serialised into a buffer that refuses to grow past ``max_result_bytes``: an answer larger than
  that is a clear 500 error ("add a LIMIT") before one byte is sent, and memory stays bounded by
  ``workers`` x ``max_result_bytes``.
* SERVICE and updates are refused, and the dataset fixed to the one exposed graph, by
  :func:`rolegraph.sparql_guard.for_endpoint` inside the worker, so parsing a long query also counts against its
  time limit; the engine runs the text it checked. A worker keeps that verdict for up to 512 texts that passed
  (:class:`PreparedCache`; never an answer or a page).
* The career explorer's pages (:class:`Page`) run in the same workers under the same limits; the pool's first
  workers render the first pages once before they serve (:func:`_warm`), replacements do not.
* When the pool closes (the server stops), no worker starts any more and every request still waiting or under
  way gets 503 at once.
* Workers run at a lower CPU priority than the server process (:data:`WORKER_NICE`; a query past
  :data:`SLOW_AFTER`, :data:`SLOW_NICE`), so on a busy machine the server's own work (HTTP for every client, the
  answers it kept) goes first, and a query that runs long gives way to the cheap ones.
* Each worker dies with the server (``PR_SET_PDEATHSIG``: ``kill -9`` of the server leaves no worker behind),
  ignores Ctrl-C (the server stops it), prints no Rust backtrace, and reports an engine panic as one log line
  and a 500 (:func:`rolegraph.limits.isolate_child`, the same set-up as the CLI's query child).

This is the only way ``rolegraph serve`` runs a query (``--processes N`` workers); the server process may send a
worker's answer again to the same request (:mod:`.fastlane`), but never runs a query itself.

Worker and server talk over a socket pair in plain length-prefixed bytes (:mod:`.wire`; no pickle), each way.
"""
from __future__ import annotations

import asyncio
import io
import multiprocessing
import os
import socket
import sys
from dataclasses import dataclass, field

from .. import namespaces as ns
from ..errors import QueryError, RolegraphError
from ..graph import Source
from ..limits import isolate_child
from ..rdf_formats import CONTENT_TYPES
from ..sparql_guard import Prepared, RefusedQuery, for_endpoint, refuse_update
from . import wire

#: every worker's CPU priority below the server process's (nice, from its start), so on a busy machine the server
#: process, which answers every client and sends the answers it kept (:mod:`.fastlane`), goes first
WORKER_NICE = 10
#: seconds a query runs before its worker yields the CPU further (nice :data:`SLOW_NICE` below the server process's)
#: until it is done, so cheap queries on the other workers go first
SLOW_AFTER = 0.25
SLOW_NICE = 15


def _below_server(nice: int) -> int:
    """The nice value *nice* steps below this (the server) process's."""
    return min(19, os.getpriority(os.PRIO_PROCESS, 0) + nice)


@dataclass(frozen=True)
class Limits:
    """How much one query may take, and how many may run or wait (see the module docstring)."""

    workers: int = 4
    timeout: float = 10.0
    queue: int = 1024
    queue_wait: float = 5.0
    max_result_bytes: int = 32 * 2**20
    memory_mb: int = 1024
    start_timeout: float = 120.0


@dataclass(frozen=True)
class Job:
    """One query for a worker: the text, its base IRI, the dataset and the formats acceptable per form."""

    query: str
    base: str | None = None
    result_format: str | None = "sparql-json"   # for SELECT and ASK (None: nothing acceptable)
    graph_format: str | None = "ttl"            # for CONSTRUCT and DESCRIBE
    default_graphs: tuple[str, ...] | None = None   # default-graph-uri (overrides FROM)
    named_graphs: tuple[str, ...] | None = None     # named-graph-uri (overrides FROM NAMED)


@dataclass(frozen=True)
class Page:
    """One explorer page for a worker: the request's method, path and query string, the headers it reads, and
    the body of a POST (``/assess``: held in memory only, never logged or written)."""

    method: str
    path: str
    query_string: bytes = b""
    headers: tuple[tuple[bytes, bytes], ...] = ()
    body: bytes = b""


@dataclass
class Answer:
    """What the server sends back: status, Content-Type, body and extra headers."""

    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def error(cls, status: int, message: str, **headers: str) -> "Answer":
        return cls(status, (message.rstrip() + "\n").encode("utf-8"), headers=headers)


class TooLarge(Exception):
    """Raised by :class:`CappedBuffer` when an answer outgrows the limit."""


class CappedBuffer(io.RawIOBase):
    """A write-only byte buffer that raises :class:`TooLarge` past *limit* bytes (serialisers stop there)."""

    def __init__(self, limit: int):
        self.limit, self.size = limit, 0
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        self.size += len(b)
        if self.size > self.limit:
            raise TooLarge()
        self.parts.append(bytes(b))
        return len(b)

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


# ---------------------------------------------------------------------------- on the wire (see .wire)

def encode_job(job: Job | Page) -> bytes:
    """*job* as one message for a worker."""
    if isinstance(job, Page):
        return wire.pack([b"P", wire.encode(job.method), wire.encode(job.path), job.query_string, job.body,
                          *(x for pair in job.headers for x in pair)])
    return wire.pack([b"Q", wire.encode(job.query), wire.encode(job.base), wire.encode(job.result_format),
                      wire.encode(job.graph_format), *wire.strings(job.default_graphs),
                      *wire.strings(job.named_graphs)])


def decode_job(message: bytes) -> Job | Page:
    """The :class:`Job` or :class:`Page` of a message from :func:`encode_job`. wire.WireError when malformed."""
    f = wire.unpack(message)
    if f[:1] == [b"P"] and len(f) >= 5 and None not in f[1:5]:
        return Page(wire.text(f[1]) or "", wire.text(f[2]) or "", f[3] or b"", tuple(wire.pairs(f, 5)),
                    f[4] or b"")
    if f[:1] == [b"Q"] and len(f) >= 7 and f[1] is not None:
        default, i = wire.take_strings(f, 5)
        named, i = wire.take_strings(f, i)
        if i == len(f):
            return Job(wire.text(f[1]) or "", wire.text(f[2]), wire.text(f[3]), wire.text(f[4]), default, named)
    raise wire.WireError("not a query or a page")


def encode_answer(answer: Answer) -> bytes:
    return wire.pack([str(answer.status).encode(), wire.encode(answer.content_type), answer.body,
                      *(wire.encode(x) for pair in answer.headers.items() for x in pair)])


def decode_answer(message: bytes) -> Answer:
    """The :class:`Answer` of a message from :func:`encode_answer`. wire.WireError when malformed."""
    f = wire.unpack(message)
    if len(f) < 3 or f[0] is None or not f[0].isdigit() or f[1] is None or f[2] is None:
        raise wire.WireError("not an answer")
    return Answer(int(f[0]), f[2], f[1].decode("utf-8"),
                  {k.decode("utf-8"): v.decode("utf-8") for k, v in wire.pairs(f, 3)})


# ---------------------------------------------------------------------------- running one job

class PreparedCache:
    """The guard's verdicts on query texts that passed it (:func:`rolegraph.sparql_guard.for_endpoint`), kept by a
    worker for its one back end: a client sending the same query again skips the checks. Bounded: at most
    *entries* texts of at most *max_chars* characters each (a few MiB). Only SPARQL texts and the guard's result
    are kept, never an answer or an explorer page (``/assess`` posts a person's profile)."""

    def __init__(self, entries: int = 512, max_chars: int = 8192):
        self.entries, self.max_chars = entries, max_chars
        self.kept: dict[tuple, Prepared] = {}   # insertion order: the oldest goes first

    def prepare(self, job: Job, backend) -> Prepared:
        key = (job.query, job.base, job.default_graphs, job.named_graphs)
        found = self.kept.get(key)
        if found is None:
            found = for_endpoint(job.query, base=job.base, default_graphs=job.default_graphs,
                                 named_graphs=job.named_graphs, backend=backend)
            if len(job.query) <= self.max_chars:
                if len(self.kept) >= self.entries:
                    del self.kept[next(iter(self.kept))]
                self.kept[key] = found
        return found


def execute(graph, job: Job, max_bytes: int = Limits.max_result_bytes, cache: PreparedCache | None = None) -> Answer:
    """Run *job* on *graph* (any backend) and serialise its answer; every failure is an :class:`Answer` too.

    Dataset (see README): the endpoint exposes one graph, the data rolegraph reads, as its default graph, named
    :data:`rolegraph.namespaces.DATA_GRAPH`; there are no named graphs (``GRAPH`` patterns match nothing). FROM,
    FROM NAMED and the dataset parameters may name only that graph (400 otherwise): see
    :func:`rolegraph.sparql_guard.for_endpoint`, which also checks the query (limits, escapes, SERVICE, updates)
    and gives the text the engine runs. A worker passes its :class:`PreparedCache` as *cache*.
    """
    try:
        if cache is not None:
            prepared = cache.prepare(job, graph.backend)
        else:
            prepared = for_endpoint(job.query, base=job.base, default_graphs=job.default_graphs,
                                    named_graphs=job.named_graphs, backend=graph.backend)
        raw, form = _run(graph.backend, prepared, job.base)
    except RefusedQuery as exc:
        return Answer.error(403, str(exc))
    except QueryError as exc:
        return Answer.error(400, str(exc))
    fmt = job.graph_format if form in ("CONSTRUCT", "DESCRIBE") else job.result_format
    if fmt is None:
        from .protocol import offered

        return Answer.error(406, f"no acceptable format for a {form} answer; it can be "
                                 + offered(form in ("CONSTRUCT", "DESCRIBE")))
    buf = CappedBuffer(max_bytes)
    try:
        raw.serialize(fmt, buf)
    except Exception as exc:  # TooLarge, possibly wrapped by the engine; or an engine failure
        if buf.size > max_bytes:
            return Answer.error(500, f"the answer is larger than the {max_bytes / 2**20:g} MiB limit; "
                                     "add a LIMIT or narrow the query")
        return Answer.error(500, f"query failed: {type(exc).__name__}: {exc}")
    return Answer(200, buf.getvalue(), CONTENT_TYPES[fmt])


def _run(backend, prepared: Prepared, base: str | None):
    """The engine's answer (a :class:`rolegraph.store.QueryResult`) to the checked query, and the query form."""
    try:
        result = backend.query(prepared.text, prefixes=ns.PREFIXES, base_iri=base, dataset=True,
                               declared=prepared.declared)
    except QueryError:
        refuse_update(prepared.text)   # an update that the query parser rejected: say so, not "syntax error"
        raise
    return result, "CONSTRUCT" if result.form in ("CONSTRUCT", "DESCRIBE") else result.form


# ---------------------------------------------------------------------------- the worker process

def _send(sock: socket.socket, message: bytes) -> None:
    sock.sendall(message)


def _recv_message(sock: socket.socket) -> bytes:
    """One whole message (length prefix included) from the server; EOFError when the socket closed."""
    data = sock.recv(1 << 16)
    while len(data) < wire.PREFIX:
        if not data:
            raise EOFError
        more = sock.recv(1 << 16)
        if not more:
            raise EOFError
        data += more
    want = wire.PREFIX + wire.length(data)
    if len(data) >= want:
        return data
    chunks, got = [data], len(data)
    while got < want:
        chunk = sock.recv(min(want - got, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def explorer_app(graph):
    """The career explorer's pages over *graph* as an ASGI app, for a worker: its routes and its 404 page, page
    functions called on the worker's own thread (the engine's result objects stay on the thread that made them),
    and no redirect built from the client's Host header."""
    from starlette.applications import Starlette

    from .. import explorer

    app = Starlette(routes=[_on_the_loop(r) for r in explorer.routes(graph)],
                    exception_handlers={404: explorer.not_found(graph)})
    app.router.redirect_slashes = False
    return app


def _on_the_loop(route):
    """*route* with its plain (sync) endpoint called on the event loop instead of Starlette's thread pool."""
    from starlette.routing import Route

    endpoint = getattr(route, "endpoint", None)
    if not isinstance(route, Route) or endpoint is None or asyncio.iscoroutinefunction(endpoint):
        return route

    async def call(request):
        return endpoint(request)
    return Route(route.path, call, methods=sorted(route.methods or ()), name=route.name)


def render_page(app, page: Page, loop: asyncio.AbstractEventLoop) -> Answer:
    """*page* answered by the explorer *app* (status, body, Content-Type and the other headers it set)."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": page.method,
             "scheme": "http", "path": page.path, "raw_path": page.path.encode("utf-8", "replace"),
             "query_string": page.query_string, "root_path": "",
             "headers": [*page.headers, (b"content-length", str(len(page.body)).encode())],
             "server": ("localhost", 80), "client": None}
    out: dict = {"status": 500, "headers": [], "body": []}

    async def receive():
        return {"type": "http.request", "body": page.body, "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            out["status"], out["headers"] = message["status"], message.get("headers", [])
        elif message["type"] == "http.response.body":
            out["body"].append(message.get("body", b""))

    loop.run_until_complete(app(scope, receive, send))
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in out["headers"]
               if k.lower() not in (b"content-length", b"content-type")}
    ctype = next((v.decode("latin-1") for k, v in out["headers"] if k.lower() == b"content-type"),
                 "text/plain; charset=utf-8")
    return Answer(out["status"], b"".join(out["body"]), ctype, headers)


def _one_line(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".replace("\n", " ")[:500]


def _warm(graph, pages, loop: asyncio.AbstractEventLoop) -> None:
    """Render the explorer's home, one role page and one path once, before a worker of the pool's start says it is
    ready (a replacement for a killed worker skips it, to be back in service at once): the first
    of each builds indexes the others share (~0.7 s and ~0.4 s idle, 1-2 s each on a busy machine), which would
    otherwise count against the first visitor's time limit (and gave 503 under a 2 s limit). Before the memory cap,
    so the indexes are part of what the worker holds. A failure here is left to the real request to report."""
    from urllib.parse import urlencode

    roles = graph.entities("role")[:2]
    visits = [("/", b"")]
    if roles:
        visits.append((f"/role/{roles[0].slug}", b""))
        visits.append(("/path", urlencode({"from": roles[0].label, "to": roles[-1].label}).encode()))
    for path, query in visits:
        try:
            render_page(pages, Page("GET", path, query, ((b"accept", b"text/html"),)), loop)
        except Exception:
            pass


def worker_main(sock: socket.socket, source: Source, limits: Limits, parent: int, warm: bool = True) -> None:
    """A worker process: open the graph once (files, a store folder or an endpoint: a
    :class:`~rolegraph.graph.Source`), with *warm* render the explorer's first pages (:func:`_warm`), cap its
    memory, then answer jobs until the socket closes."""
    isolate_child(None, parent, ignore_sigint=True)   # the memory cap comes once the graph is loaded
    try:
        graph = source.open()
    except RolegraphError as exc:
        _send(sock, wire.pack([b"error", str(exc).encode("utf-8", "replace")]))
        return
    pages = explorer_app(graph)
    cache = PreparedCache()
    loop = asyncio.new_event_loop()
    if warm:
        _warm(graph, pages, loop)
    isolate_child(limits.memory_mb * 2**20, parent, ignore_sigint=True)
    _send(sock, wire.pack([b"ready", str(len(graph)).encode()]))
    while True:
        try:
            job = decode_job(_recv_message(sock))
        except (EOFError, OSError, wire.WireError):   # the server went away, or is out of step: stop
            return
        try:
            if isinstance(job, Page):
                answer = render_page(pages, job, loop)
                if len(answer.body) > limits.max_result_bytes:
                    answer = Answer.error(500, f"the page is larger than the {limits.max_result_bytes / 2**20:g} "
                                               "MiB answer limit")
            else:
                answer = execute(graph, job, limits.max_result_bytes, cache)
        except MemoryError:
            answer = Answer.error(500, f"the query needed more than the {limits.memory_mb} MB memory limit")
        except Exception as exc:  # an engine failure must not kill the worker silently
            answer = Answer.error(500, f"query failed: {type(exc).__name__}: {exc}")
        except BaseException as exc:   # a Rust panic (pyo3's PanicException): one line in the log, a 500
            print(f"rolegraph: the query engine failed: {_one_line(exc)}", file=sys.stderr, flush=True)
            answer = Answer.error(500, "the query engine failed on this query")
        try:
            _send(sock, encode_answer(answer))
        except OSError:
            return


class _Link(asyncio.Protocol):
    """The server's end of a worker's socket: gathers one message at a time (at most *limit* bytes)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.buffer = bytearray()
        self.waiter: asyncio.Future | None = None
        self.transport: asyncio.Transport | None = None
        self.closed = False

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) < wire.PREFIX:
            return
        want = wire.PREFIX + wire.length(self.buffer)
        if want > self.limit:   # more than any answer may hold: the worker is out of step
            self._fail(wire.WireError("a worker's message is larger than the answer limit"))
        elif len(self.buffer) >= want and self.waiter is not None and not self.waiter.done():
            message = bytes(self.buffer[:want])   # (with nobody waiting yet, it stays here until ask())
            del self.buffer[:want]
            self.waiter.set_result(message)

    def _fail(self, exc: BaseException) -> None:
        self.closed = True
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(exc)
        if self.transport is not None:
            self.transport.close()

    def connection_lost(self, exc) -> None:
        self._fail(EOFError())

    def eof_received(self):
        self._fail(EOFError())

    async def ask(self, message: bytes | None) -> bytes:
        """Send *message* (None: nothing) and wait for the next whole message back."""
        if self.closed or self.transport is None:
            raise EOFError
        self.waiter = asyncio.get_running_loop().create_future()
        if message is not None:
            self.transport.write(message)
        if len(self.buffer) >= wire.PREFIX:   # already here (only the first message can be)
            self.data_received(b"")
        return await self.waiter


class Worker:
    """One worker process and the server's end of its socket."""

    def __init__(self, ctx, source: Source, limits: Limits, warm: bool = True):
        ours, theirs = socket.socketpair()
        self.process = ctx.Process(target=worker_main, args=(theirs, source, limits, os.getpid(), warm), daemon=True,
                                   name="rolegraph-worker")
        self.process.start()
        theirs.close()
        try:   # from its first instruction: a replacement loading the graph must not slow the server's answers
            os.setpriority(os.PRIO_PROCESS, self.process.pid or 0, _below_server(WORKER_NICE))
        except (OSError, AttributeError, TypeError):
            pass
        ours.setblocking(False)
        self.sock = ours
        self.link = _Link(limits.max_result_bytes + (1 << 20))   # an answer, its headers and its framing
        self.transport: asyncio.BaseTransport | None = None
        self.triples = 0
        self.niced = False

    async def connect(self, timeout: float) -> None:
        """Wait until the worker has loaded the graph."""
        self.transport, _ = await asyncio.get_running_loop().create_connection(lambda: self.link, sock=self.sock)
        try:
            msg = wire.unpack(await asyncio.wait_for(self.link.ask(None), timeout))
        except (EOFError, wire.WireError):
            raise QueryError("the query worker stopped while loading the graph") from None
        if msg[:1] != [b"ready"] or len(msg) != 2 or not (msg[1] or b"").isdigit():
            raise QueryError(f"the query worker could not load the graph: {wire.text(msg[-1]) if msg else ''}")
        self.triples = int(msg[1] or 0)

    async def run(self, job: Job | Page, timeout: float) -> Answer:
        """The worker's :class:`Answer`; raises TimeoutError or EOFError (the worker is then unusable)."""
        try:
            async with asyncio.timeout(timeout):   # no extra task per query, unlike wait_for
                return decode_answer(await self.link.ask(encode_job(job)))
        except wire.WireError:
            raise EOFError from None

    def yield_cpu(self) -> None:
        """A query running past :data:`SLOW_AFTER`: lower its worker's CPU priority (:data:`SLOW_NICE`), so that
        the cheap queries of the other workers and the server process go first on a busy machine."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.process.pid or 0, _below_server(SLOW_NICE))
            self.niced = True
        except (OSError, AttributeError, TypeError):
            pass

    def restore_cpu(self) -> bool:
        """Back to a worker's priority after a slow query; False when the system does not allow it."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.process.pid or 0, _below_server(WORKER_NICE))
            self.niced = False
            return True
        except (OSError, AttributeError, TypeError):
            return False

    def kill(self, wait: bool = True) -> None:
        """SIGKILL the worker and close its socket. *wait*: until it is gone; else it is reaped when its sentinel
        says so (the kernel takes milliseconds to free a worker's memory, time the event loop owes other clients)."""
        if self.process.is_alive():
            self.process.kill()
        if self.transport is not None:
            self.transport.close()
        else:
            self.sock.close()
        if wait:
            self.process.join(2)
            return
        loop, sentinel = asyncio.get_running_loop(), self.process.sentinel

        def reap(tries: int = 0) -> None:   # the sentinel closes a moment before the process can be reaped
            if tries == 0:
                loop.remove_reader(sentinel)
            self.process.join(0)
            if self.process.exitcode is None and tries < 200:
                loop.call_later(0.01, reap, tries + 1)
        loop.add_reader(sentinel, reap)


class Slots:
    """A bounded FIFO queue of free worker processes: see the module docstring."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.idle: asyncio.Queue = asyncio.Queue()   # bound to no loop until used
        self.waiting = 0
        self.triples = 0
        self.changed = False   # workers loaded different numbers of triples: the data changed (the fast lane closes)
        self.closing = False   # no worker is started any more, and a request gets 503 at once

    def busy(self, retry: str = "1") -> Answer:
        return Answer.error(503, "the server is busy: every query worker is in use; try again shortly",
                            **{"Retry-After": retry})

    def timed_out(self) -> Answer:
        return Answer.error(503, f"the query took longer than the {self.limits.timeout:g} s limit and was stopped",
                            **{"Retry-After": str(max(1, round(self.limits.timeout)))})

    async def acquire(self):
        """A free runner, or the 503 :class:`Answer` to send when the queue is full or the wait too long."""
        limits = self.limits
        if self.closing:
            return self.busy()
        try:
            return self.idle.get_nowait()
        except asyncio.QueueEmpty:
            if self.waiting >= limits.queue:
                return self.busy()
            self.waiting += 1
            try:
                async with asyncio.timeout(limits.queue_wait):
                    w = await self.idle.get()
                return self.busy() if w is None else w   # None: the pool is closing
            except TimeoutError:
                return self.busy(str(max(1, round(limits.timeout))))
            finally:
                self.waiting -= 1


class WorkerPool(Slots):
    """``limits.workers`` worker processes behind a bounded FIFO queue (see the module docstring)."""

    def __init__(self, source: Source, limits: Limits = Limits()):
        super().__init__(limits)
        self.source = source
        self.ctx = multiprocessing.get_context("spawn")
        self.workers: set[Worker] = set()
        self._starting: set[asyncio.Task] = set()

    async def start(self) -> None:
        """Start every worker and wait until each has loaded the graph."""
        self.idle = asyncio.Queue()
        workers = [self._spawn() for _ in range(max(1, self.limits.workers))]
        try:
            await asyncio.gather(*(w.connect(self.limits.start_timeout) for w in workers))
        except BaseException:
            await self.close()
            raise
        for w in workers:
            self.idle.put_nowait(w)
        self.triples = workers[0].triples
        self.changed = any(w.triples != self.triples for w in workers)

    def _spawn(self, warm: bool = True) -> Worker:
        w = Worker(self.ctx, self.source, self.limits, warm)
        self.workers.add(w)
        return w

    def _replace(self, w: Worker) -> None:
        """Kill *w* and start a fresh worker in the background; it joins the idle queue once loaded."""
        w.kill(wait=False)
        self.workers.discard(w)
        if self.closing:
            return
        fresh = self._spawn(warm=False)   # back in service at once: a flood of killed queries must not
        # take workers away for the seconds a warm-up lasts (its first explorer page is slower instead)

        async def ready():
            try:
                await fresh.connect(self.limits.start_timeout)
                if fresh.triples != self.triples:   # the data changed since the first workers loaded it
                    self.changed = True
                self.idle.put_nowait(fresh)
            except BaseException:
                fresh.kill()
                self.workers.discard(fresh)
        task = asyncio.get_running_loop().create_task(ready())
        self._starting.add(task)
        task.add_done_callback(self._starting.discard)

    async def run(self, job: Job | Page) -> Answer:
        """Queue *job* for a worker and return its answer (503 with Retry-After when saturated or too slow)."""
        limits = self.limits
        w = await self.acquire()
        if isinstance(w, Answer):
            return w
        if self.closing:   # (a worker that came free while the pool closed)
            w.kill()
            return self.busy()
        slow = asyncio.get_running_loop().call_later(SLOW_AFTER, w.yield_cpu)
        try:
            answer = await w.run(job, limits.timeout)
        except TimeoutError:
            self._replace(w)
            return self.timed_out()
        except (EOFError, OSError, ConnectionError):
            self._replace(w)
            return Answer.error(503, "the query stopped its worker (it probably needed more than the "
                                     f"{limits.memory_mb} MB memory limit, or the engine crashed on it); "
                                     "narrow the query", **{"Retry-After": "1"})
        except asyncio.CancelledError:   # the client went away: the worker's answer would be out of step
            self._replace(w)
            raise
        finally:
            slow.cancel()
        if w.niced and not w.restore_cpu():   # it cannot get its share back: a fresh worker takes its place
            self._replace(w)
        else:
            self.idle.put_nowait(w)
        return answer

    async def close(self) -> None:
        self.closing = True
        for _ in range(self.waiting):   # requests waiting for a worker: a None wakes each (acquire answers 503)
            self.idle.put_nowait(None)
        for task in list(self._starting):
            task.cancel()
        for w in list(self.workers):
            w.kill()
        self.workers.clear()
