"""The ASGI application: the SPARQL 1.1 Protocol endpoint at ``/sparql``, built by :func:`create_app`.

* ``GET /sparql?query=...``, ``POST`` a form (``query=``) or ``application/sparql-query``; ``default-graph-uri``
  and ``named-graph-uri`` as the protocol says. Answers by content negotiation (:mod:`.protocol`).
* ``GET /sparql`` without a query: the query page for browsers (Accept lists ``text/html``), else the
  service description (Turtle).
* Updates (``update=``, ``application/sparql-update``, or a query that is an update), LOAD and SERVICE: 403.
* CORS for GET/POST/OPTIONS from the configured origins (``*`` by default: the endpoint is read-only).
* ``/`` redirects to ``/sparql`` unless an extra route claims it.

GET and POST on ``/sparql`` skip Starlette's router (:class:`FastPath`); the page and the service description
(per endpoint URL) are built once.

Extra pages mount beside the endpoint with ``routes=`` (a list of Starlette routes), e.g.
``create_app(graph, routes=rolegraph.explorer.routes(graph))``.
"""
from __future__ import annotations

import asyncio
import contextlib
from typing import Any, Sequence
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from . import protocol
from .inline import InlinePool
from .page import render
from .workers import Answer, Job, Limits, WorkerPool

ENDPOINT = "/sparql"
MAX_QUERY_BYTES = 256 * 1024    # the longest request body or query string accepted
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff"}


class BodyTooLarge(Exception):
    pass


async def _read_body(request: Request, limit: int, timeout: float) -> bytes:
    """The request body, refused past *limit* bytes (413) or when it trickles in longer than *timeout* (408)."""
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        raise BodyTooLarge()
    chunks, size = [], 0

    async def read():
        nonlocal size
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge()
            chunks.append(chunk)
    await asyncio.wait_for(read(), timeout)
    return b"".join(chunks)


def _respond(answer: Answer, close: bool = False) -> Response:
    headers = {**SECURITY_HEADERS, "Vary": "Accept", **answer.headers}
    if close:
        headers["Connection"] = "close"
    return Response(answer.body, answer.status, headers=headers, media_type=answer.content_type)


def _error(status: int, message: str, **headers: str) -> Response:
    return _respond(Answer.error(status, message, **headers), close=status in (408, 413))


class SparqlEndpoint:
    """The ``/sparql`` handler: protocol parsing here, query execution in the worker pool."""

    def __init__(self, pool: WorkerPool | InlinePool, page: bytes, base_iri: str | None, max_query_bytes: int,
                 body_timeout: float):
        self.pool, self.page, self.base_iri = pool, page, base_iri
        self.max_query_bytes, self.body_timeout = max_query_bytes, body_timeout
        self.descriptions: dict[str, bytes] = {}   # service description per endpoint IRI

    async def asgi(self, scope, receive, send) -> None:
        """The handler as a bare ASGI app (for :class:`FastPath`)."""
        response = await self.handle(Request(scope, receive))
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        if request.method == "OPTIONS":   # not a CORS preflight (the middleware answers those)
            return Response(status_code=204, headers={"Allow": "GET, HEAD, POST, OPTIONS"})
        if len(request.scope["query_string"]) > self.max_query_bytes:
            return _error(414, f"query string longer than {self.max_query_bytes} bytes; POST the query instead")
        params = parse_qsl(request.scope["query_string"].decode("latin-1"), keep_blank_values=True)
        if request.method == "POST":
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                return _error(403, "this endpoint is read-only: SPARQL Update is refused")
            if ctype not in ("application/x-www-form-urlencoded", "application/sparql-query"):
                return _error(415, "POST a form (application/x-www-form-urlencoded) or application/sparql-query")
            try:
                body = await _read_body(request, self.max_query_bytes, self.body_timeout)
            except BodyTooLarge:
                return _error(413, f"request body larger than {self.max_query_bytes} bytes")
            except asyncio.TimeoutError:
                return _error(408, f"the request body took longer than {self.body_timeout:g} s to arrive")
            text = body.decode("utf-8", "replace")
            if ctype == "application/sparql-query":
                params.append(("query", text))
            else:
                params.extend(parse_qsl(text, keep_blank_values=True))
        return await self.answer(request, params)

    async def answer(self, request: Request, params: list[tuple[str, str]]) -> Response:
        values: dict[str, list[str]] = {}
        for k, v in params:
            values.setdefault(k, []).append(v)
        if "update" in values:
            return _error(403, "this endpoint is read-only: SPARQL Update is refused")
        accept = request.headers.get("accept")
        if "query" not in values:
            if request.method == "POST":
                return _error(400, "give a query: a query= form field or an application/sparql-query body")
            if any((k, s) == ("text", "html") and q > 0 for k, s, q in protocol.parse_accept(accept or "")):
                return Response(self.page, headers=SECURITY_HEADERS, media_type="text/html; charset=utf-8")
            iri = self.endpoint_iri(request)
            body = self.descriptions.get(iri)
            if body is None:   # one per address clients use (Host header); a few at most, so bounded
                body = protocol.service_description(iri, self.pool.triples)
                if len(self.descriptions) < 64:
                    self.descriptions[iri] = body
            return Response(body, headers={**SECURITY_HEADERS, "Vary": "Accept"},
                            media_type=protocol.CONTENT_TYPES["ttl"])
        texts = values["query"]
        if len(texts) != 1 or not texts[0].strip():
            return _error(400, "give exactly one non-empty query parameter")
        explicit = (values.get("format") or values.get("output") or [""])[0] or None
        result_format = protocol.choose(accept, explicit, graph=False)
        graph_format = protocol.choose(accept, explicit, graph=True)
        if result_format is None and graph_format is None:
            return _error(406, "no acceptable format; this endpoint answers "
                          + protocol.offered(False) + "; or, for graphs, " + protocol.offered(True))
        job = Job(query=texts[0], base=self.base_iri or self.endpoint_iri(request),
                  result_format=result_format, graph_format=graph_format,
                  default_graphs=tuple(values["default-graph-uri"]) if "default-graph-uri" in values else None,
                  named_graphs=tuple(values["named-graph-uri"]) if "named-graph-uri" in values else None)
        return _respond(await self.pool.run(job))

    @staticmethod
    def endpoint_iri(request: Request) -> str:
        """The URL the client used for the endpoint, without its query string."""
        scope = request.scope
        host = request.headers.get("host")
        if host is None:
            server = scope.get("server") or ("127.0.0.1", 80)
            host = f"{server[0]}:{server[1]}"
        return f"{scope.get('scheme', 'http')}://{host}{scope.get('root_path', '')}{scope['path']}"


class FastPath:
    """Outermost middleware: GET and POST on ``/sparql`` go straight to the endpoint (through CORS only).

    Starlette's router and exception middleware cost a few tens of microseconds per request; the endpoint
    needs neither (it answers every error itself). Everything else, OPTIONS and HEAD included, takes the
    full stack.
    """

    def __init__(self, app, endpoint, path: str = ENDPOINT):
        self.app, self.endpoint, self.path = app, endpoint, path

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["path"] == self.path and scope["method"] in ("GET", "POST"):
            await self.endpoint(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def create_app(graph, *, routes: Sequence[BaseRoute] = (), limits: Limits = Limits(),
               cors_origins: Sequence[str] = ("*",), base_iri: str | None = None,
               max_query_bytes: int = MAX_QUERY_BYTES, body_timeout: float = 10.0,
               explorer: bool = True, inline: bool = False) -> Starlette:
    """The endpoint over *graph* (a :class:`~rolegraph.graph.RoleGraph`) as a Starlette app.

    With *explorer* (the default) the career explorer's pages (:mod:`rolegraph.explorer`: ``/``,
    ``/role/<slug>``, ``/skill/<slug>``, ``/path``, ``/related``) are served beside the endpoint, and an
    unknown address gets its 404 page with suggestions.

    Worker processes load *graph*'s files with its backend when the app starts (ASGI lifespan) and stop
    with it. *routes* are mounted before the endpoint's own (``/sparql``, and ``/`` unless a route takes it).
    *cors_origins* empty turns CORS off. *base_iri* resolves relative IRIs (default: the endpoint's URL).
    *inline* runs queries in this process's query thread instead of worker processes (:mod:`.inline`; only
    under :mod:`.supervisor`, since a query past the time limit makes the process leave).
    """
    handlers: dict = {}
    if explorer:
        from .. import explorer as career_explorer

        routes = [*career_explorer.routes(graph), *routes]
        handlers[404] = career_explorer.not_found(graph)
    # worker processes open the same graph as this one (files, store folder or endpoint: graph.source)
    pool: WorkerPool | InlinePool = InlinePool(graph, limits) if inline else WorkerPool(graph.source, limits)
    page = render(graph, ENDPOINT, limits.timeout)
    endpoint = SparqlEndpoint(pool, page, base_iri, max_query_bytes, body_timeout)
    all_routes = list(routes) + [Route(ENDPOINT, endpoint.handle, methods=["GET", "HEAD", "POST", "OPTIONS"],
                                       name="sparql")]
    if not any(getattr(r, "path", None) == "/" for r in routes):
        all_routes.append(Route("/", lambda request: RedirectResponse(ENDPOINT, status_code=303), name="home"))

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await pool.start()
        try:
            yield
        finally:
            await pool.close()

    middleware = []
    fast = endpoint.asgi
    if cors_origins:
        cors: dict[str, Any] = dict(allow_origins=list(cors_origins), allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
                    allow_headers=["Accept", "Content-Type", "Authorization", "X-Requested-With"], max_age=3600)
        fast = CORSMiddleware(fast, **cors)
        middleware.append(Middleware(CORSMiddleware, **cors))
    middleware.insert(0, Middleware(FastPath, endpoint=fast))
    app = Starlette(routes=all_routes, middleware=middleware, lifespan=lifespan, exception_handlers=handlers)
    app.state.pool = pool
    return app
