"""``rolegraph serve --processes N``: N server processes on one listening socket, replaced when they stop.

Each process loads the graph, caps its memory and serves the app with :class:`.inline.InlinePool` (queries
run in the process itself; the isolation policy is in :mod:`.inline`). This module only starts them,
starts a fresh one whenever one leaves (a query passed the time limit or the memory cap, or it crashed), and
stops them all on Ctrl-C or SIGTERM.
"""
from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import socket
import time
from typing import Any, Sequence

from .runner import HttpOptions
from .workers import Limits


def child_main(sock: socket.socket, files: Sequence[str], backend: str, limits: Limits,
               app_options: dict[str, Any], http: HttpOptions) -> None:
    """One server process: load the graph, cap memory, serve on the shared *sock* until told to stop."""
    from ..graph import RoleGraph
    from .app import create_app
    from .runner import make_server
    from .workers import cap_memory

    graph = RoleGraph.load(list(files) or None, backend=backend)
    app = create_app(graph, limits=limits, inline=True, **app_options)
    server = make_server(app, sock, http)
    pool = app.state.pool
    # a query past the limit: stop accepting, finish the answers under way, close idle connections, leave
    pool.on_stuck = lambda: setattr(server, "should_exit", True)
    cap_memory(limits.memory_mb)
    server.run(sockets=[sock])
    os._exit(3 if pool.stopped else 0)   # not sys.exit: Python would wait for the stuck query thread


def serve_processes(sock: socket.socket, count: int, files: Sequence[str], backend: str, limits: Limits,
                    app_options: dict[str, Any], http: HttpOptions) -> None:
    """Keep *count* server processes running on *sock* until SIGINT or SIGTERM; RuntimeError if they keep failing."""
    ctx = multiprocessing.get_context("spawn")
    stopping = False

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True

    def start():
        p = ctx.Process(target=child_main, args=(sock, list(files), backend, limits, app_options, http),
                        name="rolegraph-serve")
        p.start()
        return p, time.monotonic()

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    procs: list = []
    early_deaths = 0
    try:
        procs = [start() for _ in range(count)]
        while not stopping:
            multiprocessing.connection.wait([p.sentinel for p, _ in procs], timeout=0.5)
            for i, (p, started) in enumerate(procs):
                if stopping or p.is_alive():
                    continue
                p.join()
                # exit 3: it left on purpose (time limit, memory cap); anything else soon after start: a failure
                early_deaths = early_deaths + 1 if p.exitcode != 3 and time.monotonic() - started < 30 else 0
                if early_deaths > 2 * count:
                    raise RuntimeError(f"the server processes keep stopping (last exit code {p.exitcode})")
                procs[i] = start()
    finally:
        for p, _ in procs:
            if p.is_alive():
                p.terminate()
        for p, _ in procs:
            p.join(10)
            if p.is_alive():
                p.kill()
                p.join(2)
        for s, handler in previous.items():
            signal.signal(s, handler)
