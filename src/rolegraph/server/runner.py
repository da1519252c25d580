"""Running the app on uvicorn with the HTTP limits a public read-only endpoint needs.

uvicorn (with httptools, and uvloop where installed) gives HTTP/1.1 keep-alive with TCP_NODELAY, a
configurable listen backlog, idle keep-alive timeouts, request parsing that cannot be smuggled (an unread
body is drained or the connection closed) and no traceback when a client hangs up. This module adds the
one limit it lacks: a connection that does not finish sending its request line and headers within
``header_timeout`` seconds is closed (slowloris), however slowly it trickles bytes.
"""
from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .inline import CONNECTION


@dataclass(frozen=True)
class HttpOptions:
    """Connection limits (see README: every ``rolegraph serve`` option)."""

    backlog: int = 2048
    keep_alive: float = 5.0
    header_timeout: float = 10.0
    max_connections: int = 1000
    access_log: bool = True


class CorkedTransport:
    """A transport proxy that joins the writes of one event-loop step into one ``send``.

    uvicorn writes a response's head and its body separately; on loopback each TCP send also costs the
    receiver's processing, so one send per answer instead of two saves ~0.15 ms of CPU per request.
    """

    __slots__ = ("_t", "_buf", "_loop")

    def __init__(self, transport, loop):
        self._t, self._buf, self._loop = transport, [], loop

    def write(self, data) -> None:
        if not self._buf:
            self._loop.call_soon(self._flush)
        self._buf.append(bytes(data))

    def _flush(self) -> None:
        if self._buf:
            data, self._buf = b"".join(self._buf), []
            if not self._t.is_closing():
                self._t.write(data)

    def close(self) -> None:
        self._flush()
        self._t.close()

    def __getattr__(self, name):
        return getattr(self._t, name)


class HeaderTimeoutProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, closing connections whose request head takes too long (and corking writes).

    It also puts itself in each request's scope (key :data:`.inline.CONNECTION`) and keeps its socket's file
    descriptor, for the watchdog of :mod:`.inline`.
    """

    header_timeout = 10.0

    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport) -> None:
        sock = transport.get_extra_info("socket")
        self.fd = sock.fileno() if sock is not None else None   # for the watchdog of .inline
        super().connection_made(CorkedTransport(transport, self.loop))  # type: ignore[arg-type]
        self._head_timer = None
        self._arm()

    def _arm(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self.header_timeout, self._head_expired)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_expired(self) -> None:
        self._head_timer = None
        if not self.transport.is_closing():
            self.transport.close()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.scope[CONNECTION] = self   # type: ignore[literal-required]  # which request a query answers
        self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc) -> None:
        self._disarm()
        super().connection_lost(exc)


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
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


def config(app, sock: socket.socket, options: HttpOptions = HttpOptions()):
    """A uvicorn Config for *app* on the listening *sock*."""
    import uvicorn

    protocol = type("Protocol", (HeaderTimeoutProtocol,), {"header_timeout": options.header_timeout})
    try:
        import uvloop  # noqa: F401
        loop = "uvloop"
    except ImportError:
        loop = "asyncio"
    return uvicorn.Config(app, fd=None, http=protocol, loop=loop, backlog=options.backlog,
                          timeout_keep_alive=options.keep_alive,  # type: ignore[arg-type]  # a float works
                          limit_concurrency=options.max_connections,
                          access_log=options.access_log, log_level="info" if options.access_log else "warning",
                          server_header=False, proxy_headers=False, lifespan="on", timeout_graceful_shutdown=5)


def make_server(app, sock: socket.socket, options: HttpOptions = HttpOptions()):
    """A uvicorn Server for *app* on *sock* (set its ``should_exit`` to stop it gracefully)."""
    import uvicorn

    return uvicorn.Server(config(app, sock, options))


def run(app, sock: socket.socket, options: HttpOptions = HttpOptions()) -> None:
    """Serve *app* on *sock* until Ctrl-C or SIGTERM (uvicorn handles both), then stop the workers."""
    server = make_server(app, sock, options)
    server.run(sockets=[sock])
    if not server.started:
        raise RuntimeError("the server did not start (see the log above)")
