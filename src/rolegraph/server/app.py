"""The ASGI application: the SPARQL 1.1 Protocol endpoint at ``/sparql``, built by :func:`create_app`.

* ``GET /sparql?query=...``, ``POST`` a form (``query=``) or ``application/sparql-query``; ``default-graph-uri``
  and ``named-graph-uri`` as the protocol says. Answers by content negotiation (:mod:`.protocol`).
* ``GET /sparql`` without a query: the query page for browsers (Accept lists ``text/html``), else the
  service description (Turtle).
* Updates (``update=``, ``application/sparql-update``, or a query that is an update), LOAD and SERVICE: 403.
* CORS for GET/POST/OPTIONS from the configured origins (``*`` by default: the endpoint is read-only).
* ``/`` redirects to ``/sparql`` unless an extra route claims it.

GET and POST on ``/sparql`` skip Starlette's router (:class:`FastPath`); the page and the service description
are built once. Queries and the career explorer's pages run in worker processes (:mod:`.workers`) under the same
time limit, memory cap and size limits; this process speaks HTTP, and sends a worker's answer again, byte for byte,
to a request that repeats (:mod:`.fastlane`). Request headers over
:data:`.runner.MAX_HEADER_BYTES` get 431; the Host header is never used to build an address (the service
description and relative IRIs use ``base_iri``, else the address the server listens on).

Extra pages mount beside the endpoint with ``routes=`` (a list of Starlette routes), e.g.
``create_app(graph, routes=rolegraph.explorer.routes(graph))``.
"""
from __future__ import annotations

import asyncio
import contextlib
from functools import lru_cache
from typing import Any, Sequence

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from ..headers import page_headers
from ..rdf_formats import CONTENT_TYPES
from . import protocol
from .fastlane import FastLane, Key
from .page import CSP as PAGE_CSP
from .page import render
from .runner import MAX_HEADER_BYTES
from .workers import Answer, Job, Limits, Page, WorkerPool

ENDPOINT = "/sparql"
MAX_QUERY_BYTES = 256 * 1024    # the longest body or query string accepted (Granian caps a GET target at 64 KiB)
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff"}
# the query page's CSP, X-Frame-Options and Referrer-Policy (every answer already says nosniff: _head)
PAGE_HEADERS = {k: v for k, v in page_headers(PAGE_CSP).items() if k != "X-Content-Type-Options"}


class BodyTooLarge(Exception):
    pass


class ClientGone(Exception):
    pass


async def _read_body(receive, length: bytes | None, limit: int, timeout: float) -> bytes:
    """The request body, refused past *limit* bytes (413) or when it trickles in longer than *timeout* (408)."""
    if length is not None and length.isdigit() and int(length) > limit:
        raise BodyTooLarge()
    chunks, size = [], 0
    async with asyncio.timeout(timeout):
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise ClientGone()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge()
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


#: what an answer sends: status, headers (name, value as bytes, lowercase names), body
Reply = tuple[int, list[tuple[bytes, bytes]], bytes]


@lru_cache(maxsize=64)
def _head(content_type: str, vary: bytes) -> tuple[tuple[bytes, bytes], ...]:
    """The headers every answer of one Content-Type carries (built once per type)."""
    return ((b"content-type", content_type.encode("latin-1")), (b"x-content-type-options", b"nosniff"),
            (b"vary", vary))


#: the headers :func:`_reply` sets itself
_SET_BY_REPLY = frozenset((b"content-type", b"x-content-type-options", b"vary", b"content-length", b"connection"))


def _reply(answer: Answer, vary: bytes = b"Accept", close: bool = False) -> Reply:
    headers = [*_head(answer.content_type, vary), (b"content-length", str(len(answer.body)).encode())]
    for name, value in answer.headers.items():
        key = name.lower().encode("latin-1")
        if key not in _SET_BY_REPLY:   # an explorer page's own nosniff, say: each header once
            headers.append((key, value.encode("latin-1")))
    if close:
        headers.append((b"connection", b"close"))
    return answer.status, headers, answer.body


def _error(status: int, message: str, **headers: str) -> Reply:
    return _reply(Answer.error(status, message, **headers), close=status in (408, 413))


class SparqlEndpoint:
    """The ``/sparql`` handler: protocol parsing here, query execution in the pool.

    :meth:`asgi` answers GET and POST as a bare ASGI app, CORS included (:class:`FastPath` sends them here);
    :meth:`handle` is the same handler as a Starlette endpoint for the other methods.
    """

    def __init__(self, pool: WorkerPool, page: bytes, base_iri: str | None, max_query_bytes: int,
                 body_timeout: float, cors_origins: Sequence[str] = (), lane: FastLane | None = None):
        self.pool, self.page, self.base_iri, self.lane = pool, page, base_iri, lane
        self.max_query_bytes, self.body_timeout = max_query_bytes, body_timeout
        self.descriptions: dict[str, bytes] = {}   # service description per endpoint IRI
        # CORS for simple requests, as Starlette's CORSMiddleware answers them
        self.cors = bool(cors_origins)
        self.any_origin = "*" in cors_origins
        self.origins = frozenset(o.encode("latin-1") for o in cors_origins)

    async def asgi(self, scope, receive, send) -> None:
        """The handler as a bare ASGI app (for :class:`FastPath`): no Request or Response objects."""
        headers = dict(reversed(scope["headers"]))   # the first of repeated headers, as Starlette reads them
        status, out, body = await self.reply(scope, headers, receive)
        if status == 0:   # the client went away mid-request
            return
        if self.cors:
            origin = headers.get(b"origin")
            if origin is not None and (self.any_origin or origin in self.origins):
                out.append((b"access-control-allow-origin", b"*" if self.any_origin else origin))
            out[2] = (b"vary", out[2][1] + b", Origin")   # _head's third header
        await send({"type": "http.response.start", "status": status, "headers": out})
        await send({"type": "http.response.body", "body": body})

    async def handle(self, request: Request) -> Response:
        """The handler as a Starlette endpoint (HEAD and OPTIONS; the CORS middleware adds its headers)."""
        if request.method == "OPTIONS":   # not a CORS preflight (the middleware answers those)
            return Response(status_code=204, headers={"Allow": "GET, HEAD, POST, OPTIONS"})
        status, out, body = await self.reply(request.scope, dict(reversed(request.scope["headers"])),
                                             request.receive)
        response = Response(body, status)
        response.raw_headers = out
        return response

    async def reply(self, scope, headers: dict[bytes, bytes], receive) -> Reply:
        """The reply to a GET or POST (status 0: the client hung up before its body arrived).

        A request the :class:`.fastlane.FastLane` knows, byte for byte, gets its kept answer at once."""
        query_string = scope["query_string"]
        if len(query_string) > self.max_query_bytes:
            return _error(414, f"query string longer than {self.max_query_bytes} bytes; POST the query instead")
        ctype = body = b""
        if scope["method"] == "POST":
            ctype = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
            if ctype == b"application/sparql-update":
                return _error(403, "this endpoint is read-only: SPARQL Update is refused")
            if ctype not in (b"application/x-www-form-urlencoded", b"application/sparql-query"):
                return _error(415, "POST a form (application/x-www-form-urlencoded) or application/sparql-query")
            try:
                body = await _read_body(receive, headers.get(b"content-length"), self.max_query_bytes,
                                        self.body_timeout)
            except BodyTooLarge:
                return _error(413, f"request body larger than {self.max_query_bytes} bytes")
            except TimeoutError:
                return _error(408, f"the request body took longer than {self.body_timeout:g} s to arrive")
            except ClientGone:
                return 0, [], b""
        key = (query_string, ctype, body, headers.get(b"accept"), scope.get("server"))
        if self.lane is not None and self.lane.enabled:
            if self.pool.changed:   # a worker loaded other data: what the lane kept may be out of date
                self.lane.close()
            else:
                known = self.lane.answer(key)
                if known is not None:
                    return _reply(known)
        params = protocol.form_fields(query_string) if query_string else []
        if ctype == b"application/sparql-query":
            params.append(("query", body.decode("utf-8", "replace")))
        elif body:
            params.extend(protocol.form_fields(body))
        return await self.answer(scope, headers, params, key)

    async def answer(self, scope, headers: dict[bytes, bytes], params: list[tuple[str, str]],
                     key: Key | None = None) -> Reply:
        values: dict[str, list[str]] = {}
        for k, v in params:
            values.setdefault(k, []).append(v)
        if "update" in values:
            return _error(403, "this endpoint is read-only: SPARQL Update is refused")
        raw_accept = headers.get(b"accept")
        accept = raw_accept.decode("latin-1") if raw_accept is not None else None
        if "query" not in values:
            if scope["method"] == "POST":
                return _error(400, "give a query: a query= form field or an application/sparql-query body")
            if protocol.wants_html(accept):
                page = Answer(200, self.page, "text/html; charset=utf-8", headers=PAGE_HEADERS)
                return _reply(page, vary=b"Accept")
            iri = self.endpoint_iri(scope, headers)
            body = self.descriptions.get(iri)
            if body is None:   # one per address clients use (Host header); a few at most, so bounded
                body = protocol.service_description(iri, self.pool.triples)
                if len(self.descriptions) < 64:
                    self.descriptions[iri] = body
            return _reply(Answer(200, body, CONTENT_TYPES["ttl"]))
        texts = values["query"]
        if len(texts) != 1 or not texts[0].strip():
            return _error(400, "give exactly one non-empty query parameter")
        explicit = (values.get("format") or values.get("output") or [""])[0] or None
        result_format = protocol.choose(accept, explicit, graph=False)
        graph_format = protocol.choose(accept, explicit, graph=True)
        if result_format is None and graph_format is None:
            return _error(406, "no acceptable format; this endpoint answers "
                          + protocol.offered(False) + "; or, for graphs, " + protocol.offered(True))
        job = Job(query=texts[0], base=self.base_iri or self.endpoint_iri(scope, headers),
                  result_format=result_format, graph_format=graph_format,
                  default_graphs=tuple(values["default-graph-uri"]) if "default-graph-uri" in values else None,
                  named_graphs=tuple(values["named-graph-uri"]) if "named-graph-uri" in values else None)
        answer = await self.pool.run(job)
        if self.lane is not None and key is not None and not self.pool.changed:
            self.lane.learn(key, job, answer)
        return _reply(answer)

    @staticmethod
    def endpoint_iri(scope, headers: dict[bytes, bytes]) -> str:
        """The endpoint's URL from the address this server listens on (never the client's Host header)."""
        server = scope.get("server") or ("127.0.0.1", 80)
        host = f"[{server[0]}]" if ":" in str(server[0]) else server[0]
        return f"http://{host}:{server[1]}{ENDPOINT}"


async def _send_reply(send, reply: Reply) -> None:
    status, headers, body = reply
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class FastPath:
    """Outermost middleware: request limits for every request, then GET and POST on ``/sparql`` go straight to
    the endpoint's bare ASGI handler.

    Limits: request headers over *max_header_bytes* get 431; more than *max_requests* requests in progress at
    once get 503 with Retry-After. Starlette's router, exception middleware, CORS middleware and Request/Response
    objects cost tens of microseconds per request; the endpoint needs none of them (it answers every error
    itself and adds the CORS headers of a simple request). Everything else, OPTIONS (CORS preflight) and HEAD
    included, takes the full stack.
    """

    def __init__(self, app, endpoint, path: str = ENDPOINT, max_header_bytes: int = MAX_HEADER_BYTES,
                 max_requests: int = 1000):
        self.app, self.endpoint, self.path = app, endpoint, path
        self.max_header_bytes, self.max_requests = max_header_bytes, max_requests
        self.in_progress = 0

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if sum(len(k) + len(v) + 4 for k, v in scope["headers"]) > self.max_header_bytes:
            await _send_reply(send, _error(431, f"request headers larger than {self.max_header_bytes} bytes"))
            return
        if self.in_progress >= self.max_requests:
            await _send_reply(send, _error(503, "the server is busy; try again shortly", **{"Retry-After": "1"}))
            return
        self.in_progress += 1
        try:
            if scope["path"] == self.path and scope["method"] in ("GET", "POST"):
                await self.endpoint(scope, receive, send)
            else:
                await self.app(scope, receive, send)
        finally:
            self.in_progress -= 1


class _App(Starlette):
    """The app: :class:`FastPath` in front of Starlette's own stack (its error middleware included), so a
    query's request skips every layer it does not need."""

    front: FastPath

    async def starlette(self, scope, receive, send) -> None:
        await super().__call__(scope, receive, send)

    async def __call__(self, scope, receive, send) -> None:
        await self.front(scope, receive, send)


#: request headers an explorer page reads (the rest, Host and cookies included, never reach a worker)
_PAGE_HEADERS = (b"accept", b"accept-language", b"content-type")
#: the largest body an explorer page is sent (``/assess`` posts a profile; it refuses more than it takes itself)
MAX_PAGE_BODY = 4 * 1024 * 1024


def explorer_pages(pool: WorkerPool, body_timeout: float = 10.0):
    """An ASGI app that hands each request to a worker process, where the career explorer answers it
    (:func:`.workers.explorer_app`) under the query time limit and memory cap."""
    async def app(scope, receive, send) -> None:
        if scope["path"] == ENDPOINT:   # a method the endpoint does not take (the router falls through to here)
            await _send_reply(send, _error(405, "method not allowed", Allow="GET, HEAD, POST, OPTIONS"))
            return
        headers = tuple((k, v) for k, v in scope["headers"] if k in _PAGE_HEADERS)
        path = scope.get("root_path", "") + scope["path"]
        body = b""
        if scope["method"] == "POST":
            length = next((v for k, v in scope["headers"] if k == b"content-length"), None)
            try:
                body = await _read_body(receive, length, MAX_PAGE_BODY, body_timeout)
            except BodyTooLarge:
                await _send_reply(send, _error(413, "the form is too large"))
                return
            except TimeoutError:
                await _send_reply(send, _error(408, "the form took too long to arrive"))
                return
            except ClientGone:
                return
        answer = await pool.run(Page(scope["method"], path, scope["query_string"], headers, body))
        await _send_reply(send, _reply(answer, vary=b"Accept"))
    return app


def create_app(graph, *, routes: Sequence[BaseRoute] = (), limits: Limits = Limits(),
               cors_origins: Sequence[str] = ("*",), base_iri: str | None = None,
               max_query_bytes: int = MAX_QUERY_BYTES, body_timeout: float = 10.0,
               explorer: bool = True, max_requests: int = 1000, fast_lane: bool = True) -> Starlette:
    """The endpoint over *graph* (a :class:`~rolegraph.graph.RoleGraph`) as a Starlette app.

    With *explorer* (the default) the career explorer's pages (:mod:`rolegraph.explorer`: ``/``,
    ``/role/<slug>``, ``/skill/<slug>``, ``/path``, ``/related``) are served beside the endpoint, and an
    unknown address gets its 404 page with suggestions; they run in the worker processes, like queries.

    Worker processes (``limits.workers``) load *graph*'s source (files, store folder or endpoint) when the app
    starts (ASGI lifespan) and stop with it. *routes* are mounted before the endpoint's own (``/sparql``, and
    ``/`` unless a route takes it); they run in this process. *cors_origins* empty turns CORS off. *base_iri*
    resolves relative IRIs (default: the endpoint's URL). *max_requests*: requests in progress at once (more:
    503). *fast_lane*: send workers' answers again to repeated requests (:mod:`.fastlane`).
    """
    pool = WorkerPool(graph.source, limits)
    page = render(graph, ENDPOINT, limits.timeout, site=explorer)
    lane = FastLane(graph) if fast_lane else None
    endpoint = SparqlEndpoint(pool, page, base_iri, max_query_bytes, body_timeout, cors_origins, lane)
    all_routes = list(routes) + [Route(ENDPOINT, endpoint.handle, methods=["GET", "HEAD", "POST", "OPTIONS"],
                                       name="sparql")]
    if explorer:
        all_routes.append(Mount("/", app=explorer_pages(pool, body_timeout), name="explorer"))
    elif not any(getattr(r, "path", None) == "/" for r in routes):
        all_routes.append(Route("/", lambda request: RedirectResponse(ENDPOINT, status_code=303), name="home"))

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await pool.start()
        if lane is not None:
            lane.agree(pool.triples)
        try:
            yield
        finally:
            await pool.close()

    middleware = []
    if cors_origins:
        cors: dict[str, Any] = dict(allow_origins=list(cors_origins), allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
                    allow_headers=["Accept", "Content-Type", "Authorization", "X-Requested-With"], max_age=3600)
        middleware.append(Middleware(CORSMiddleware, **cors))
    if explorer:   # the explorer's HTML, compressed (innermost: GET/POST /sparql never reach it, see FastPath)
        from ..explorer import GZIP_MINIMUM

        middleware.append(Middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM))
    app = _App(routes=all_routes, middleware=middleware, lifespan=lifespan)
    app.front = FastPath(app.starlette, endpoint.asgi, max_requests=max_requests)
    app.router.redirect_slashes = False   # its redirects are absolute URLs built from the Host header
    app.state.pool = pool
    return app
