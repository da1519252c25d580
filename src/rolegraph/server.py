"""A read-only SPARQL 1.1 Protocol endpoint over the graph (``rolegraph serve``).

* ``/sparql``: GET ``?query=``, POST form (``query=``) or POST ``application/sparql-query``.
  Results by content negotiation (or ``format=``): SPARQL JSON (default), XML, CSV, TSV;
  graphs as Turtle (default), N-Triples, JSON-LD, RDF/XML.
* Read-only: an update request (``update=``, ``application/sparql-update``, or a query that
  is an update) gets 403; LOAD and SERVICE too, so the server never makes an outbound request.
* Each query runs in a worker process with a time limit; a query still running then gets 503
  and its worker is killed and replaced, so a runaway query cannot hold the server.
* ``/``: a small self-contained page with a query box and the named queries as examples.

Built on the standard library's :class:`http.server.ThreadingHTTPServer`: the endpoint needs
pre-parse refusals, worker processes that can be killed, and a page without external scripts,
which no packaged SPARQL server here offers (oxigraph's server federates SERVICE calls and
loads its UI from a CDN; rdflib-endpoint runs rdflib's slower engine behind FastAPI).
"""
from __future__ import annotations

import html
import json
import multiprocessing
import queue
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Sequence
from urllib.parse import parse_qs, urlencode, urlsplit

from . import queries
from .errors import QueryError, RolegraphError
from .namespaces import PREFIXES
from .queries import MEDIA_TYPES, RefusedQuery

MAX_REQUEST_BYTES = 256 * 1024        # the longest query text accepted
MAX_RESPONSE_BYTES = 64 * 1024 * 1024  # the largest answer sent

RESULT_TYPES = {  # media type -> format, for SELECT and ASK
    "application/sparql-results+json": "sparql-json", "application/json": "sparql-json",
    "application/sparql-results+xml": "sparql-xml", "application/xml": "sparql-xml", "text/xml": "sparql-xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {  # media type -> format, for CONSTRUCT and DESCRIBE
    "text/turtle": "ttl", "application/x-turtle": "ttl", "application/n-triples": "nt", "text/plain": "nt",
    "application/ld+json": "jsonld", "application/rdf+xml": "rdfxml",
}
FORMAT_ALIASES = {"json": "sparql-json", "xml": "sparql-xml", "turtle": "ttl", "json-ld": "jsonld"}


def negotiate(accept: str | None, form: str, explicit: str | None = None) -> str | None:
    """The result format for *form* given an Accept header (or an explicit ``format=``); None if none fits."""
    graph = form in ("CONSTRUCT", "DESCRIBE")
    table = GRAPH_TYPES if graph else RESULT_TYPES
    default = "ttl" if graph else "sparql-json"
    if explicit:
        fmt = FORMAT_ALIASES.get(explicit, explicit)
        return fmt if fmt in table.values() else None
    if not accept:
        return default
    choices = []
    for i, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        media = media.lower()
        if q <= 0:
            continue
        if media in table:
            choices.append((q, 2, -i, table[media]))
        elif media in ("*/*", "application/*", "text/*"):
            choices.append((q, 0, -i, default))
    return max(choices)[3] if choices else None


# ---------------------------------------------------------------------------- worker processes

def _worker_main(conn, source) -> None:
    """A worker process: open the graph (a :class:`~rolegraph.graph.Source`) once, then answer (query,
    format) requests on *conn*."""
    try:
        g = source.open()
        conn.send(("ready",))
    except RolegraphError as exc:
        conn.send(("error", 500, str(exc)))
        return
    while True:
        try:
            text, fmt = conn.recv()
        except (EOFError, OSError):
            return
        try:
            result = queries.run(g, text)
            if result.form == "ASK" and fmt in ("csv", "tsv"):
                body = (b"_askResult\r\n" if fmt == "csv" else b"?_askResult\n") + \
                    (b"true" if result.boolean else b"false") + (b"\r\n" if fmt == "csv" else b"\n")
            else:
                body = result.serialize(fmt)
            if len(body) > MAX_RESPONSE_BYTES:
                conn.send(("error", 500, f"the answer is larger than {MAX_RESPONSE_BYTES // 2**20} MiB; add a LIMIT"))
            else:
                conn.send(("ok", body))
        except RefusedQuery as exc:
            conn.send(("error", 403, str(exc)))
        except QueryError as exc:
            conn.send(("error", 400, str(exc)))
        except Exception as exc:  # an engine failure must not kill the worker silently
            conn.send(("error", 500, f"query failed: {type(exc).__name__}: {exc}"))


class Worker:
    """One worker process and its pipe."""

    def __init__(self, ctx, source):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, source), daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self, timeout: float) -> None:
        if self.ready:
            return
        if not self.conn.poll(timeout):
            self.kill()
            raise QueryError("the query worker did not start in time")
        msg = self.conn.recv()
        if msg[0] != "ready":
            self.kill()
            raise QueryError(msg[2])
        self.ready = True

    def run(self, text: str, fmt: str, timeout: float):
        """('ok', body) or ('error', status, message); None when the time limit passed (worker killed)."""
        self.conn.send((text, fmt))
        if self.conn.poll(timeout):
            try:
                return self.conn.recv()
            except (EOFError, OSError):
                self.kill()
                return ("error", 500, "the query worker stopped")
        self.kill()
        return None

    @property
    def alive(self) -> bool:
        return self.process.is_alive()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    """A few worker processes; a killed worker is replaced by a fresh one."""

    def __init__(self, source, size: int = 2, timeout: float = 10.0, start_timeout: float = 60.0):
        self.ctx = multiprocessing.get_context("spawn")
        self.source, self.timeout, self.start_timeout = source, timeout, start_timeout
        self.idle: queue.Queue[Worker] = queue.Queue()
        self._all: list[Worker] = []
        self._lock = threading.Lock()
        for _ in range(max(1, size)):
            self._add()
        for w in list(self._all):
            w.wait_ready(start_timeout)

    def _add(self) -> Worker:
        w = Worker(self.ctx, self.source)
        with self._lock:
            self._all.append(w)
        self.idle.put(w)
        return w

    def run(self, text: str, fmt: str):
        try:
            w = self.idle.get(timeout=self.timeout)
        except queue.Empty:
            return ("error", 503, "all query workers are busy; try again")
        try:
            w.wait_ready(self.start_timeout)
        except QueryError as exc:
            self._replace(w)
            return ("error", 503, str(exc))
        answer = w.run(text, fmt, self.timeout)
        if answer is None or not w.alive:
            self._replace(w)
            if answer is None:
                return ("error", 503, f"the query took longer than the {self.timeout:g} s limit and was stopped")
        else:
            self.idle.put(w)
        return answer

    def _replace(self, w: Worker) -> None:
        w.kill()
        with self._lock:
            if w in self._all:
                self._all.remove(w)
        self._add()

    def close(self) -> None:
        with self._lock:
            workers, self._all = self._all, []
        for w in workers:
            w.kill()


# ---------------------------------------------------------------------------- HTTP

class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, pool: WorkerPool | None, page: bytes):
        self.pool = pool
        self.page = page
        super().__init__(address, SparqlHandler)

    def server_close(self) -> None:
        super().server_close()
        if self.pool is not None:
            self.pool.close()


class SparqlHandler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "rolegraph-sparql"
    protocol_version = "HTTP/1.1"
    quiet = False

    def log_message(self, fmt, *args):  # one line per request on stderr, unless quiet
        if not self.quiet:
            super().log_message(fmt, *args)

    # -------------------------------------------------------------- helpers
    def _send(self, status: int, body: bytes, content_type: str, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept")
        self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str, extra: dict | None = None) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8", extra)

    # -------------------------------------------------------------- routes
    def do_GET(self):  # noqa: N802
        url = urlsplit(self.path)
        if len(url.query) > MAX_REQUEST_BYTES:
            return self._error(414, "request URI too long")
        params = parse_qs(url.query, keep_blank_values=True)
        if url.path == "/":
            return self._send(200, self.server.page, "text/html; charset=utf-8")
        if url.path != "/sparql":
            return self._error(404, "not found: the endpoint is /sparql")
        self._answer(params)

    do_HEAD = do_GET

    def do_POST(self):  # noqa: N802
        url = urlsplit(self.path)
        if url.path != "/sparql":
            return self._error(404, "not found: the endpoint is /sparql")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return self._error(400, "bad Content-Length")
        if length > MAX_REQUEST_BYTES:
            return self._error(413, f"request body larger than {MAX_REQUEST_BYTES} bytes", {"Connection": "close"})
        body = self.rfile.read(length) if length > 0 else b""
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(url.query, keep_blank_values=True)
        if ctype == "application/sparql-update":
            return self._error(403, "this endpoint is read-only: SPARQL Update is refused")
        if ctype == "application/x-www-form-urlencoded":
            for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items():
                params.setdefault(k, []).extend(v)
        elif ctype == "application/sparql-query":
            params.setdefault("query", []).append(body.decode("utf-8", "replace"))
        else:
            return self._error(415, "POST a form (application/x-www-form-urlencoded) or application/sparql-query")
        self._answer(params)

    def do_PUT(self):  # noqa: N802
        self._error(405, "this endpoint is read-only", {"Allow": "GET, POST, HEAD"})

    do_DELETE = do_PATCH = do_PUT

    def _answer(self, params: dict[str, list[str]]) -> None:
        if "update" in params:
            return self._error(403, "this endpoint is read-only: SPARQL Update is refused")
        texts = params.get("query", [])
        if len(texts) != 1 or not texts[0].strip():
            return self._error(400, "give exactly one non-empty query parameter")
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            return self._error(400, "default-graph-uri and named-graph-uri are not supported: there is one graph")
        text = texts[0]
        try:
            form = queries.check(text)
        except RefusedQuery as exc:
            return self._error(403, str(exc))
        except QueryError as exc:
            return self._error(400, str(exc))
        explicit = (params.get("format") or [None])[0]
        fmt = negotiate(self.headers.get("Accept"), form, explicit)
        if fmt is None:
            offered = GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES
            return self._error(406, "no acceptable format; this query can answer " + ", ".join(offered))
        answer = self.server.pool.run(text, fmt)
        if answer[0] == "ok":
            ctype = MEDIA_TYPES[fmt]
            if ";" not in ctype and (ctype.startswith("text/") or ctype.endswith(("json", "xml"))):
                ctype += "; charset=utf-8"
            return self._send(200, answer[1], ctype)
        _, status, message = answer
        self._error(status, message)


# ---------------------------------------------------------------------------- the page

def page(g) -> bytes:
    """The HTML page at ``/``: a query box and every named query as an example (defaults bound)."""
    examples = []
    for q in queries.library().values():
        text = q.text
        try:
            if q.parameters:
                text, _ = queries.bind_inline(q.text, queries.resolve_params(g, q, {}))
        except RolegraphError:
            pass
        body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        fmt = "ttl" if q.form in ("CONSTRUCT", "DESCRIBE") else "json"
        params = ", ".join(f"{p.name} = {p.default}" for p in q.parameters)
        link = "/sparql?" + urlencode({"query": body, "format": fmt})
        examples.append(
            f"<details><summary><b>{html.escape(q.name)}</b>: {html.escape(q.title)}</summary>"
            f"<p>{html.escape(q.description)}</p>"
            + (f"<p><i>Bound here:</i> {html.escape(params)}</p>" if params else "")
            + f"<pre>{html.escape(body)}</pre>"
            f"<p><a href=\"{html.escape(link)}\">run</a> · "
            f"<button type=button data-q=\"{html.escape(json.dumps(body))}\" onclick=\"use(this)\">"
            "copy to the query box</button></p></details>")
    prefixes = html.escape("".join(f"PREFIX {p}: <{n}>\n" for p, n in PREFIXES.items()))
    return f"""<!doctype html>
<html lang=en><head><meta charset=utf-8><title>rolegraph SPARQL endpoint</title>
<style>
body{{font:15px/1.4 system-ui,sans-serif;max-width:60em;margin:1em auto;padding:0 1em;color:#222}}
textarea{{width:100%;height:14em;font:13px monospace}} pre{{background:#f4f4f4;padding:.5em;overflow:auto}}
details{{margin:.4em 0}} code{{background:#f4f4f4}}
</style></head><body>
<h1>rolegraph SPARQL endpoint</h1>
<p>A read-only <a href="https://www.w3.org/TR/sparql11-protocol/">SPARQL 1.1 Protocol</a> endpoint at
<code>/sparql</code> over the UK Government Digital and Data Profession Capability Framework.
GET or POST a <code>query</code>; results follow your <code>Accept</code> header (SPARQL JSON, XML, CSV, TSV;
Turtle, N-Triples, JSON-LD for graphs). Updates, LOAD and SERVICE are refused; each query has a time limit.
These prefixes are declared for you:</p>
<details><summary>prefixes</summary><pre>{prefixes}</pre></details>
<form method=get action="/sparql">
<textarea name=query id=query spellcheck=false>SELECT ?role ?name WHERE {{ ?role a rg:Role ; skos:prefLabel ?name }} ORDER BY ?name LIMIT 10</textarea>
<p><label>Format <select name=format>
<option value=json>SPARQL JSON</option><option value=xml>SPARQL XML</option>
<option value=csv>CSV</option><option value=tsv>TSV</option>
<option value=ttl>Turtle (CONSTRUCT, DESCRIBE)</option><option value=nt>N-Triples</option>
</select></label> <button type=submit>Run query</button></p>
</form>
<h2>Named queries</h2>
<p>The same queries as <code>rolegraph query NAME</code>, with their default parameters bound.</p>
{''.join(examples)}
<script>function use(b){{document.getElementById('query').value=JSON.parse(b.dataset.q);window.scrollTo(0,0);}}</script>
</body></html>
""".encode("utf-8")


def make_server(host: str = "127.0.0.1", port: int = 8000, data: Sequence[str | Path] = (),
                backend: str = "oxigraph", timeout: float = 10.0, workers: int = 2, graph=None,
                quiet: bool = False) -> SparqlServer:
    """A ready endpoint (call ``serve_forever()``); *graph* (for the page) is loaded when not given."""
    if graph is None:
        from .graph import RoleGraph

        graph = RoleGraph.load([Path(p) for p in data] or None, backend=backend)
    body = page(graph)
    SparqlHandler.quiet = quiet
    server = SparqlServer((host, port), None, body)   # bind first: a busy port fails before workers start
    try:
        server.pool = WorkerPool(graph.source, size=workers, timeout=timeout)  # workers open the same graph
    except BaseException:
        server.server_close()
        raise
    return server
