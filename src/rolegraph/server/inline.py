"""Queries answered on the serving process's own event loop (``rolegraph serve --processes N``): no hand-off.

The policy with ``--processes N`` (see :mod:`.supervisor`, which starts and replaces the processes):

* N server processes share the listening socket. Each runs one query at a time, on its event loop, in the
  request's own step: no query thread, no worker process, so no wake-up of another thread or process per
  request (measured: that hand-off cost about as much CPU as the rest of the request, see benchmarks/README.md).
  While a process runs a query it accepts no connection and reads no request; the kernel holds new
  connections in the listening queue (``--backlog``) for the processes that are free, so a slow query holds
  only its own process. A query that runs longer than :data:`HAND_OVER` (1 s, or half of ``timeout``)
  makes its process hand its place over: the supervisor starts a fresh process at once (it takes new
  connections once it has loaded the graph), and the old one leaves as soon as the query is done, after
  answering the requests under way and closing its idle connections. So slow queries do not leave fewer
  free processes for long, however many there are (at most N processes leaving at once).
* A watchdog thread per process (it wakes ten times a second, never per request; the engine releases the
  GIL while it evaluates) watches the query under way. Past ``timeout`` the client gets **503 with
  Retry-After**; so does every other request already waiting in that process (received but not yet
  answered), each with ``Connection: close``; then the process leaves at once (a thread cannot stop a query)
  and the supervisor starts a fresh one. Idle keep-alive connections of that process are closed; clients
  reconnect and land on another process. So a request on a keep-alive connection whose process is running a
  slow query waits for it, at most ``timeout``; a request on a new connection never does while another
  process is free.
* The whole process's address space is capped (``memory_mb`` above what it holds after loading). A query
  that needs more gets a 500 and the process is replaced once it has sent the answers under way; when the
  engine's own allocation fails it aborts the process at once, the client's connection closes without an
  answer, and the supervisor starts a fresh process. Either way memory stays bounded and the other processes
  keep answering; only the worker mode turns every such case into a clear 500.
* Answers are capped at ``max_result_bytes`` exactly as in the workers (:func:`.workers.execute`).

Compared with ``--workers`` (one server process handing each query to a worker process over a socket),
this saves the hop on every query, at the price of coarser isolation: a runaway query holds the keep-alive
connections of its process until the time limit, and then drops the idle ones.
"""
from __future__ import annotations

import os
import select
import socket
import threading
import time
from typing import Callable

from .workers import Answer, Job, Limits, execute

CONNECTION = "rolegraph.connection"   # scope key: the connection (uvicorn protocol) a request came on
HAND_OVER = 1.0   # seconds a query runs before its process hands its place over to a fresh one (or timeout / 2)


class Watchdog(threading.Thread):
    """Ends the process when one query runs past *timeout*, after answering 503 to the requests it holds."""

    def __init__(self, limits: Limits):
        super().__init__(name="rolegraph-watchdog", daemon=True)
        self.limits = limits
        self.lock = threading.Lock()
        self.current: tuple[float, object] | None = None   # (start, connection) of the query under way
        self.connections: set = set()   # the server's open connections (uvicorn protocols), set by the runner
        self.handed_over = None   # a multiprocessing Event the supervisor watches (None: not supervised)
        self.leaving = False

    def begin(self, connection) -> None:
        self.current = (time.monotonic(), connection)

    def end(self) -> None:
        with self.lock:   # never while the watchdog is answering for an expired query
            self.current = None

    def run(self) -> None:
        tick = min(0.1, self.limits.timeout / 10)
        hand_over = min(HAND_OVER, self.limits.timeout / 2)
        while True:
            time.sleep(tick)
            current = self.current
            if current is None:
                continue
            elapsed = time.monotonic() - current[0]
            if elapsed > self.limits.timeout:
                with self.lock:
                    if self.current is current:
                        self.expire(current[1])
            elif elapsed > hand_over and not self.leaving and self.handed_over is not None:
                self.leaving = True   # this process leaves once the query is done; a fresh one starts now
                self.handed_over.set()

    def expire(self, connection) -> None:
        """503 with Retry-After to the query's client and to every request waiting here; then leave."""
        retry = str(max(1, round(self.limits.timeout)))
        late = _reply_bytes(503, f"the query took longer than the {self.limits.timeout:g} s limit and was "
                                 "stopped", retry)
        busy = _reply_bytes(503, "the server process was stopped by another query that passed the time limit; "
                                 "try again", retry)
        for conn in list(self.connections):
            fd = getattr(conn, "fd", None)
            if fd is None:
                continue
            cycle = getattr(conn, "cycle", None)
            waiting = cycle is not None and not cycle.response_started and not cycle.response_complete
            try:
                if conn is connection:
                    os.write(fd, late)
                elif waiting or _readable(fd):
                    os.write(fd, busy)
                _close_gently(fd)
            except (OSError, ValueError):
                pass
        os._exit(3)


def _readable(fd: int) -> bool:
    """True when the client has sent something not read yet (poll: no limit on descriptor numbers)."""
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))


def _close_gently(fd: int) -> None:
    """Send FIN after what was written, and read what the client sent, so that leaving does not reset the
    connection (a close with unread data sends RST, and the client may lose the answer)."""
    sock = socket.socket(fileno=os.dup(fd))
    try:
        sock.shutdown(socket.SHUT_WR)
        sock.setblocking(False)
        while sock.recv(65536):
            pass
    except OSError:
        pass
    finally:
        sock.close()


def _reply_bytes(status: int, message: str, retry_after: str) -> bytes:
    body = (message + "\n").encode()
    return (f"HTTP/1.1 {status} Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\n"
            f"content-length: {len(body)}\r\nretry-after: {retry_after}\r\nx-content-type-options: nosniff\r\n"
            "connection: close\r\n\r\n").encode() + body


class InlinePool:
    """Runs each query in the caller's step, under a :class:`Watchdog` (see the module docstring)."""

    def __init__(self, graph, limits: Limits = Limits(), on_stuck: Callable[[], None] = lambda: None):
        self.graph, self.limits, self.on_stuck = graph, limits, on_stuck
        self.triples = len(graph)
        self.watchdog = Watchdog(limits)
        self.stopped = False

    async def start(self) -> None:
        if not self.watchdog.is_alive():
            self.watchdog.start()

    async def run(self, job: Job, connection=None) -> Answer:
        """*job*'s answer, computed now on this thread (the watchdog ends the process if it takes too long)."""
        watchdog = self.watchdog
        watchdog.begin(connection)
        try:
            answer = execute(self.graph, job, self.limits.max_result_bytes)
        except MemoryError:
            answer = Answer(500, b"MemoryError")
        finally:
            watchdog.end()
        if watchdog.leaving and not self.stopped:   # a slow query: a fresh process has taken this one's place
            self.stopped = True
            self.on_stuck()
        if answer.status == 500 and b"MemoryError" in answer.body:   # the process may be short of memory now
            if not self.stopped:
                self.stopped = True
                self.on_stuck()
            return Answer.error(500, f"the query needed more than the {self.limits.memory_mb} MB memory limit")
        return answer

    async def close(self) -> None:
        pass
