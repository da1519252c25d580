"""Running the app on Hypercorn (its public ``Config`` and ``serve``), with the HTTP limits a public endpoint needs.

Hypercorn (HTTP/1.1 on h11) gives, from documented settings alone: an idle timer that also covers a request's
head, so a client trickling its request line and headers is cut off ``header_timeout`` seconds after its last
answer (or after connecting) however slowly it sends (``keep_alive_timeout``; slowloris); a cap on the request
head (``h11_max_incomplete_size``: a larger head gets **431**), set so that a GET query string of
:data:`.app.MAX_QUERY_BYTES` fits; a per-read timeout; a listen backlog; a graceful stop. No part of it is
subclassed or reached into. Queries never run here: :mod:`.workers` runs them in worker processes.

:func:`run` serves until SIGINT or SIGTERM, then stops gracefully and raises ``KeyboardInterrupt`` (SIGINT) or
:class:`rolegraph.cli.errors_cli.Terminated`-style :class:`Stopped` (carrying the signal number), so the CLI exits
130 or 143 like every other command.
"""
from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import signal
import socket
from dataclasses import dataclass

#: bytes of request headers (the request line excluded) accepted; more: 431
MAX_HEADER_BYTES = 16 * 1024


@dataclass(frozen=True)
class HttpOptions:
    """Connection limits (see README: every ``rolegraph serve`` option)."""

    backlog: int = 2048
    keep_alive: float = 5.0
    header_timeout: float = 10.0
    max_connections: int = 1000
    access_log: bool = True
    max_head_bytes: int = 256 * 1024 + 2 * MAX_HEADER_BYTES   # request line (a 256 KiB GET query) + headers
    start_timeout: float = 120.0


class Stopped(KeyboardInterrupt):
    """The server stopped on a signal (``signum``): a KeyboardInterrupt, so the CLI's Ctrl-C path handles it."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``.

    >>> is_loopback("127.0.0.1"), is_loopback("0.0.0.0")
    (True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int, backlog: int) -> socket.socket:
    """A listening socket (bound before the workers start, so a busy port fails at once). Raises OSError."""
    info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(info[0], socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(info[4])
        sock.listen(backlog)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


def config(sock: socket.socket, options: HttpOptions = HttpOptions()):
    """A Hypercorn Config serving on the listening *sock* (its descriptor is duplicated: Hypercorn owns the copy)."""
    from hypercorn.config import Config

    c = Config()
    c.bind = [f"fd://{os.dup(sock.fileno())}"]
    c.backlog = options.backlog
    # Hypercorn's idle timer runs from the end of an answer (or the connection's start) to the end of the next
    # request's head: it is both the keep-alive timeout and the head deadline
    c.keep_alive_timeout = min(options.keep_alive, options.header_timeout)
    c.read_timeout = max(1, round(options.header_timeout))
    c.h11_max_incomplete_size = options.max_head_bytes
    c.include_server_header = False
    c.graceful_timeout = 5.0
    c.startup_timeout = options.start_timeout
    c.shutdown_timeout = 15.0
    c.accesslog = logging.getLogger("rolegraph.access") if options.access_log else None
    c.access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(L)ss'
    c.errorlog = logging.getLogger("rolegraph.server")
    c.loglevel = "INFO" if options.access_log else "WARNING"
    return c


def _logging(access_log: bool) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    for name, level in (("rolegraph.access", logging.INFO), ("rolegraph.server", logging.WARNING)):
        log = logging.getLogger(name)
        log.handlers[:] = [handler]
        log.setLevel(level)
        log.propagate = False
    logging.getLogger("rolegraph.access").disabled = not access_log


def run(app, sock: socket.socket, options: HttpOptions = HttpOptions()) -> None:
    """Serve *app* on *sock* until SIGINT, SIGTERM or SIGHUP; then stop gracefully (answers under way are sent) and
    raise :class:`Stopped`. RuntimeError when the app does not start (its lifespan failed)."""
    from hypercorn.asyncio import serve

    _logging(options.access_log)
    received: list[int] = []

    async def main() -> None:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()

        def on_signal(signum: int) -> None:
            received.append(signum)
            stop.set()
        for sig in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM)):
            loop.add_signal_handler(sig, on_signal, sig)
        await serve(app, config(sock, options), shutdown_trigger=stop.wait, mode="asgi")

    try:
        try:
            import uvloop
        except ImportError:   # pragma: no cover (Windows)
            asyncio.run(main())
        else:
            uvloop.run(main())
    except Exception as exc:   # the lifespan (worker start-up) failed: say why, in one line
        if received:
            raise Stopped(received[0]) from None
        raise RuntimeError(str(exc) or type(exc).__name__) from None
    if received:
        raise Stopped(received[0])
