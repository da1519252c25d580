"""``rolegraph serve --processes N``: N server processes on one listening socket, replaced when they stop.

Each process loads the graph, caps its memory and serves the app with :class:`.inline.InlinePool` (queries
run in the process itself; the isolation policy is in :mod:`.inline`). This module only starts them,
starts a fresh one whenever one leaves (a query passed the time limit or the memory cap, or it crashed) or
hands its place over (a query has run past :data:`.inline.HAND_OVER`: the fresh one takes new connections
while the old one finishes; at most N such at once), and stops them all on Ctrl-C or SIGTERM.
"""
from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import socket
from typing import Any

from ..graph import Source
from .runner import HttpOptions
from .workers import Limits


def child_main(sock: socket.socket, source: Source, limits: Limits,
               app_options: dict[str, Any], http: HttpOptions, loaded=None, handed_over=None) -> None:
    """One server process: open the graph (files, store folder or endpoint), cap memory, serve on the shared
    *sock* until told to stop (or, once *handed_over* is set by its watchdog, until its slow query is done)."""
    from .app import create_app
    from .runner import make_server
    from .workers import cap_memory

    graph = source.open()
    app = create_app(graph, limits=limits, inline=True, **app_options)
    server = make_server(app, sock, http)
    pool = app.state.pool
    pool.watchdog.connections = server.server_state.connections   # a query past the limit: see .inline
    pool.watchdog.handed_over = handed_over
    # a query over the memory cap, or a slow one that handed the process's place over: stop accepting, finish the
    # answers under way, close idle connections, leave
    pool.on_stuck = lambda: setattr(server, "should_exit", True)
    cap_memory(limits.memory_mb)
    if loaded is not None:
        loaded.set()
    server.run(sockets=[sock])
    os._exit(3 if pool.stopped else 0)


def serve_processes(sock: socket.socket, count: int, source: Source, limits: Limits,
                    app_options: dict[str, Any], http: HttpOptions) -> None:
    """Keep *count* server processes running on *sock* until SIGINT or SIGTERM; RuntimeError if they keep failing."""
    ctx = multiprocessing.get_context("spawn")
    stopping = False

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True

    def start():
        loaded, handed_over = ctx.Event(), ctx.Event()
        p = ctx.Process(target=child_main, args=(sock, source, limits, app_options, http, loaded, handed_over),
                        name="rolegraph-serve")
        p.start()
        return p, loaded, handed_over

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    procs: list = []
    leaving: list = []   # processes that handed their place over; they leave once their slow query is done
    early_deaths = 0
    try:
        procs = [start() for _ in range(count)]
        while not stopping:
            multiprocessing.connection.wait([p.sentinel for p, _, _ in procs + leaving], timeout=0.25)
            for entry in [e for e in leaving if not e[0].is_alive()]:
                entry[0].join()
                leaving.remove(entry)
            for i, (p, loaded, handed_over) in enumerate(procs):
                if stopping:
                    break
                if handed_over.is_set() and p.is_alive() and len(leaving) < count:
                    leaving.append(procs[i])   # a slow query holds it: a fresh process takes its place now
                    procs[i] = start()
                    continue
                if p.is_alive():
                    continue
                p.join()
                # one that stops before it has loaded the graph will not do better next time (a query that
                # retired its process, by the time limit or by the memory cap, is no reason to give up)
                early_deaths = 0 if loaded.is_set() else early_deaths + 1
                if early_deaths > 2 * count:
                    raise RuntimeError(f"the server processes stop before they start (exit code {p.exitcode})")
                procs[i] = start()
    finally:
        for p, _, _ in procs + leaving:
            if p.is_alive():
                p.terminate()
        for p, _, _ in procs + leaving:
            p.join(10)
            if p.is_alive():
                p.kill()
                p.join(2)
        for s, handler in previous.items():
            signal.signal(s, handler)
