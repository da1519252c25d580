"""Running the app on Granian's embedded server (its documented ``granian.server.embed.Server``), with the HTTP
limits a public endpoint needs.

Granian parses HTTP in Rust (hyper) on its own thread and calls the ASGI app on this process's event loop; its
front costs a third of Hypercorn's CPU per request (benchmarks/README.md, issue 22). From documented settings
alone: a deadline for a request's head (``HTTP1Settings.header_read_timeout``) that also closes an idle
keep-alive connection, so a client trickling its request line and headers is cut off ``header_timeout`` seconds
after its last answer (or after connecting) however slowly it sends (slowloris); a cap on the request head
(``max_buffer_size``: a larger head gets **431**); hyper's own cap on the request target, 64 KiB (a longer GET
gets **414**: POST a long query, up to 256 KiB); a listen backlog; a graceful stop. No part of it is subclassed
or reached into. Queries never run here: :mod:`.workers` runs them in worker processes.

:func:`run` serves until SIGINT, SIGTERM or SIGHUP, then stops gracefully (answers under way are sent) and raises
:class:`Stopped` (carrying the signal number), so the CLI exits 130, 143 or 129 like every other command.
"""
from __future__ import annotations

import asyncio
import errno
import ipaddress
import os
import signal
import socket
from dataclasses import dataclass

#: bytes of request headers (the request line excluded) accepted; more: 431
MAX_HEADER_BYTES = 16 * 1024
#: the longest request target hyper (Granian's HTTP parser) reads; a longer GET gets 414
MAX_TARGET_BYTES = 65534
#: seconds a stopping server gives the answers under way
GRACE = 5.0


@dataclass(frozen=True)
class HttpOptions:
    """Connection limits (see README: every ``rolegraph serve`` option)."""

    backlog: int = 2048
    keep_alive: float = 5.0
    header_timeout: float = 10.0
    max_connections: int = 1000
    access_log: bool = True
    # a request line of up to 256 KiB is read whole, so a GET past MAX_TARGET_BYTES gets hyper's 414 (not 431)
    max_head_bytes: int = 256 * 1024 + 2 * MAX_HEADER_BYTES
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


def bind(host: str, port: int, backlog: int = 0) -> socket.socket:
    """A socket bound to (*host*, *port*), not listening: it claims the address (port 0: a free port, read back with
    ``getsockname()``) before the workers start, so a busy port fails at once. Granian then listens on the same
    address (``SO_REUSEPORT``: only a listening socket is handed connections). Raises OSError."""
    info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(info[0], socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(info[4])
        if port and _listening(info[0], sock.getsockname()):   # another server that shares ports (a second serve)
            raise OSError(errno.EADDRINUSE, os.strerror(errno.EADDRINUSE))
    except OSError:
        sock.close()
        raise
    return sock


def _listening(family: int, address) -> bool:
    """True when something accepts connections at *address* (a bound socket that does not listen never does)."""
    probe = socket.socket(family, socket.SOCK_STREAM)
    probe.settimeout(1.0)
    try:
        probe.connect(address if address[0] not in ("0.0.0.0", "::") else ("localhost", *address[1:]))
        return True
    except OSError:
        return False
    finally:
        probe.close()


def _logging(access_log: bool) -> dict:
    """Granian's logging configuration (``log_dictconfig``): errors and, unless quiet, one access line per request,
    on standard error."""
    handler = {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}
    return {"version": 1, "disable_existing_loggers": False,
            "formatters": {"plain": {"format": "%(message)s"}},
            "handlers": {"stderr": handler},
            "loggers": {"_granian": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
                        "granian.access": {"handlers": ["stderr"], "level": "INFO" if access_log else "CRITICAL",
                                           "propagate": False}}}


async def _lifespan(app, timeout: float):
    """Start *app* by the ASGI lifespan protocol; returns the coroutine function that shuts it down.
    RuntimeError (its message) when the app's start-up fails."""
    to_app: asyncio.Queue = asyncio.Queue()
    from_app: asyncio.Queue = asyncio.Queue()

    async def send(message):
        await from_app.put(message)

    task = asyncio.get_running_loop().create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}},
                                                      to_app.get, send))
    await to_app.put({"type": "lifespan.startup"})
    try:
        message = await asyncio.wait_for(from_app.get(), timeout)
    except TimeoutError:
        task.cancel()
        raise RuntimeError(f"the query workers did not start within {timeout:g} s") from None
    if message["type"] != "lifespan.startup.complete":
        await asyncio.gather(task, return_exceptions=True)
        raise RuntimeError(message.get("message") or "the app did not start")

    async def shutdown() -> None:
        if not task.done():
            await to_app.put({"type": "lifespan.shutdown"})
            await asyncio.gather(task, return_exceptions=True)
    return shutdown


def run(app, sock: socket.socket, options: HttpOptions = HttpOptions()) -> None:
    """Serve *app* on the address *sock* is bound to (see :func:`bind`) until SIGINT, SIGTERM or SIGHUP; then stop
    gracefully (answers under way are sent) and raise :class:`Stopped`. RuntimeError when the app does not start
    (its lifespan failed)."""
    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings
    from granian.log import LogLevels
    from granian.server.embed import Server

    host, port = sock.getsockname()[:2]
    received: list[int] = []

    async def main() -> None:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()

        def on_signal(signum: int) -> None:
            received.append(signum)
            stop.set()
        for sig in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM)):
            loop.add_signal_handler(sig, on_signal, sig)
        shutdown = await _lifespan(app, options.start_timeout)
        try:
            if stop.is_set():
                return
            timeout_ms = max(1, round(1000 * min(options.keep_alive, options.header_timeout)))
            server = Server(app, address=host, port=port, interface=Interfaces.ASGINL, http=HTTPModes.http1,
                            websockets=False, backlog=options.backlog, backpressure=options.max_connections,
                            http1_settings=HTTP1Settings(header_read_timeout=timeout_ms,
                                                         max_buffer_size=options.max_head_bytes),
                            log_dictconfig=_logging(options.access_log), log_level=LogLevels.error,
                            log_access=options.access_log,
                            log_access_format='%(addr)s "%(method)s %(path)s %(protocol)s" %(status)d %(dt_ms).1fms')
            serving = loop.create_task(server.serve())
            await asyncio.wait([serving, loop.create_task(stop.wait())], return_when=asyncio.FIRST_COMPLETED)
            if not serving.done():
                server.stop()   # no new requests; answers under way are sent, for up to GRACE seconds
                done, _ = await asyncio.wait({serving}, timeout=GRACE)
                if not done:   # the workers stop: what is still under way gets a 503, and Granian then ends
                    await shutdown()
                    await asyncio.wait({serving}, timeout=GRACE)
            if serving.done():
                serving.result()   # (a failed start raises here)
        finally:
            await shutdown()

    try:
        try:
            import uvloop
        except ImportError:   # pragma: no cover (Windows)
            asyncio.run(main())
        else:
            uvloop.run(main())
    except Exception as exc:   # the lifespan (worker start-up) or the server failed: say why, in one line
        if received:
            raise Stopped(received[0]) from None
        raise RuntimeError(str(exc) or type(exc).__name__) from None
    if received:
        raise Stopped(received[0])
