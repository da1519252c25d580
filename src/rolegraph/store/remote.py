"""A remote engine: any SPARQL 1.1 server, over the SPARQL 1.1 Protocol (read) and Graph Store Protocol (publish).

:class:`RemoteBackend` sends every query as an HTML form POST and reads JSON
results (the one format every server gets right: Virtuoso's XML negotiation is
unreliable). It is read-only. It copes with the limits real servers set:

* **Row caps.** A server may cut a SELECT's answer short (Virtuoso does at 10,000
  rows by default and says so in the ``X-SPARQL-MaxRows`` header; for servers
  that cut silently, pass *page_size*). A cut answer is fetched again page by
  page, ``SELECT * { { <query> ORDER BY <its variables> } } LIMIT n OFFSET k``,
  so the answer is whole; a query that cannot be paged (its own LIMIT, OFFSET
  or trailing VALUES, or a CONSTRUCT) raises :class:`QueryError` saying it was cut.
* **Time-outs.** Every request gives up after *timeout* seconds with one clear error.
* **Auth** from the environment only: ``ROLEGRAPH_ENDPOINT_USER`` and
  ``ROLEGRAPH_ENDPOINT_PASSWORD``, answered to the server's Basic or Digest challenge.

Answers are parsed with pyoxigraph, so results are :class:`OxigraphResult`
objects, the same type and the same plain values as the local store gives.

The HTTP client is the standard library's urllib: it does Basic and Digest
auth and form posts, which is all the protocol needs, without a new dependency.
"""
from __future__ import annotations

import base64
import http.client
import json
import os
import re
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import pyoxigraph as ox

from ..errors import InputError, QueryError
from ..namespaces import VOID
from ..rdf_formats import MEDIA, ox_rdf
from ..sparql_guard import engine_text
from .base import EMPTY_GRAPH, Backend, Iri, Lit, Term
from .oxigraph import OxigraphResult, _to_rdflib
from .sparql import bind_values, query_form, syntax_message, tokens

if TYPE_CHECKING:
    import rdflib
    from rdflib.term import Node

    from .stamp import Stamp

USER_ENV = "ROLEGRAPH_ENDPOINT_USER"
PASSWORD_ENV = "ROLEGRAPH_ENDPOINT_PASSWORD"
JSON_RESULTS = "application/sparql-results+json"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"


#: the most bytes one answer (all its pages together) may have, unless ``ROLEGRAPH_ENDPOINT_MAX_BYTES`` says otherwise
MAX_ANSWER_BYTES = 512 * 1024 * 1024
MAX_BYTES_ENV = "ROLEGRAPH_ENDPOINT_MAX_BYTES"
#: the most pages a SELECT cut by the server's row cap is fetched in
MAX_PAGES = 1000


def max_answer_bytes() -> int:
    """The byte cap on one answer: ``$ROLEGRAPH_ENDPOINT_MAX_BYTES`` when it is a positive integer, else
    :data:`MAX_ANSWER_BYTES`."""
    text = os.environ.get(MAX_BYTES_ENV, "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else MAX_ANSWER_BYTES


def opener(url: str, user: str | None = None, password: str | None = None) -> urllib.request.OpenerDirector:
    """An urllib opener answering Basic and Digest challenges for *url* with *user*/*password*
    (default: the ``ROLEGRAPH_ENDPOINT_USER``/``_PASSWORD`` environment variables), whose connections
    :func:`request` can cut at its deadline, and which follows no redirect to another origin and none of
    a request with a body (urllib would turn a POSTed query into a GET without it: a wrong answer)."""
    user = user if user is not None else os.environ.get(USER_ENV)
    password = password if password is not None else os.environ.get(PASSWORD_ENV)
    handlers: list[Any] = [_DeadlineHTTPHandler(), _DeadlineHTTPSHandler(), _SameOriginRedirects()]
    if user:
        mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        mgr.add_password(None, url, user, password or "")
        handlers += [_SigningBasicHandler(mgr), _SigningDigestHandler(mgr)]
    return urllib.request.build_opener(*handlers)


class _Deadline(threading.local):
    """The sockets the current thread's request opened, so a timer can shut them at the request's deadline
    (a server dripping its headers or body one byte at a time never lets a per-read timeout fire)."""

    sockets: list[socket.socket] | None = None


_DEADLINE = _Deadline()


def _watched(sock: socket.socket) -> socket.socket:
    if _DEADLINE.sockets is not None:
        _DEADLINE.sockets.append(sock)
    return sock


class _DeadlineHTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _watched(self.sock)


class _DeadlineHTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        _watched(self.sock)


class _DeadlineHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_DeadlineHTTPConnection, req)


class _DeadlineHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(context=self._tls)

    def https_open(self, req):
        return self.do_open(_DeadlineHTTPSConnection, req, context=self._tls)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port or {"http": 80, "https": 443}.get(
        parts.scheme.lower())


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects of GET/HEAD requests within the same origin only: a query sent elsewhere, or re-sent
    without its body, would give a silently wrong answer."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        url = req.full_url.split("?")[0]
        target = urllib.parse.urljoin(req.full_url, newurl)
        if _origin(target) != _origin(req.full_url):
            raise QueryError(f"{url}: the server redirects (HTTP {code}) to another origin, "
                             f"{target.split('?')[0][:200]}: not followed",
                             "give the final URL of the endpoint, if you trust it")
        if req.data is not None:
            raise QueryError(f"{url}: the server redirects the query (HTTP {code}) to {target.split('?')[0][:200]}: "
                             "not followed, as the query would be dropped", "give the final URL of the endpoint")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _SigningBasicHandler(urllib.request.HTTPBasicAuthHandler):
    """Basic auth that, once the server asked for Basic, sends it up front with every later request (and
    never to a server that did not ask for it: the password travels in clear)."""

    challenged = False

    def http_error_auth_reqed(self, authreq, host, req, headers):
        if any(h[:6].lower() == "basic " for h in headers.get_all(authreq) or []):
            self.challenged = True
        return super().http_error_auth_reqed(authreq, host, req, headers)

    def http_request(self, req):
        if self.challenged and not req.has_header("Authorization"):
            user, password = self.passwd.find_user_password(None, req.full_url)
            if user is not None:
                token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
                req.add_unredirected_header("Authorization", "Basic " + token)
        return req

    https_request = http_request


class _SigningDigestHandler(urllib.request.HTTPDigestAuthHandler):
    """Digest auth that, once challenged, signs every later request up front.

    urllib answers each 401 by sending the request again; with a large upload the server
    (Virtuoso) answers 401 and closes the connection while the body is still being sent,
    so :func:`publish` first makes a small request to get the challenge.
    """

    challenge: dict | None = None

    def http_error_auth_reqed(self, auth_header, host, req, headers):
        found = headers.get(auth_header, "")
        if found[:7].lower() == "digest ":
            self.challenge = urllib.request.parse_keqv_list(urllib.request.parse_http_list(found[7:]))
        return super().http_error_auth_reqed(auth_header, host, req, headers)

    def http_request(self, req):
        if self.challenge and not req.has_header("Authorization"):
            signed = self.get_authorization(req, self.challenge)
            if signed:
                req.add_unredirected_header("Authorization", "Digest " + signed)
        return req

    https_request = http_request


def request(op: urllib.request.OpenerDirector, req: urllib.request.Request, timeout: float,
            max_bytes: int | None = None) -> tuple[bytes, Any]:
    """(body, headers) of *req*; HTTP errors, refused connections and time-outs raise :class:`QueryError`.

    *timeout* is a deadline for the whole request (connecting, the headers and every byte of the body:
    at the deadline the connection is shut); a body longer than *max_bytes* (default
    :func:`max_answer_bytes`) is cut off with a :class:`QueryError` naming the cap."""
    url = req.full_url.split("?")[0]
    cap = max_answer_bytes() if max_bytes is None else max_bytes
    deadline = time.monotonic() + timeout
    sockets: list[socket.socket] = []
    expired = threading.Event()

    def shut() -> None:
        expired.set()
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    timer = threading.Timer(timeout, shut)
    timer.daemon = True
    _DEADLINE.sockets = sockets
    timer.start()
    try:
        with op.open(req, timeout=timeout) as resp:
            length = resp.headers.get("Content-Length", "")
            if length.strip().isdigit() and int(length) > cap and req.get_method() != "HEAD":
                raise _TooLarge()
            chunks, got = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise TimeoutError()
                chunk = resp.read1(1 << 16)
                if not chunk:
                    break
                got += len(chunk)
                if got > cap:
                    raise _TooLarge()
                chunks.append(chunk)
            if expired.is_set():  # (a connection shut at the deadline may look like an answer cut short)
                raise TimeoutError()
            whole = req.get_method() == "HEAD" or resp.status in (204, 304)  # (no body, whatever the length says)
            if length.strip().isdigit() and got != int(length) and not whole:
                raise QueryError(f"{url}: the answer was cut short ({got} of {int(length)} bytes)",
                                 "try again; the server or the network dropped the connection")
            return b"".join(chunks), resp.headers
    except _TooLarge:
        raise _too_large(url) from None
    except urllib.error.HTTPError as exc:
        detail = exc.read(2000).decode("utf-8", "replace").strip()
        first = " ".join(detail.split())[:300]
        hint = None
        if exc.code in (401, 403):
            hint = f"set {USER_ENV} and {PASSWORD_ENV} for a server that needs a login"
        raise QueryError(f"{url}: HTTP {exc.code} {exc.reason}" + (f": {first}" if first else ""), hint) from None
    except (TimeoutError, socket.timeout):
        raise _too_slow(url, timeout) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)) or expired.is_set():
            raise _too_slow(url, timeout) from None
        raise QueryError(f"{url}: cannot reach the server ({reason})") from None
    except (OSError, http.client.HTTPException) as exc:
        if expired.is_set():
            raise _too_slow(url, timeout) from None
        raise QueryError(f"{url}: connection failed ({exc})") from None
    finally:
        timer.cancel()
        _DEADLINE.sockets = None


class _TooLarge(Exception):
    pass


def _too_slow(url: str, timeout: float) -> QueryError:
    return QueryError(f"{url}: no answer within {timeout:g} s (the --timeout, for connecting, the headers and "
                      "the whole body)", "raise --timeout, or simplify the query")


def _too_large(url: str) -> QueryError:
    n = max_answer_bytes()
    size = f"{n / (1 << 20):g} MiB" if n >= 1 << 20 else f"{n} bytes"
    return QueryError(f"{url}: the answer is larger than {size} (the cap on one answer, all its pages together): "
                      "not read", f"narrow the query, or raise {MAX_BYTES_ENV}")


_BNODE_UNSAFE = re.compile(r"[^A-Za-z0-9_]")
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _refuse_dtd(where: str, body: bytes, fmt: Any) -> None:
    """RDF/XML answers with a DTD are refused: the parser would expand their entities (a few hundred bytes of
    nested entities grow to gigabytes)."""
    if fmt == ox.RdfFormat.RDF_XML and _DTD.search(body):
        raise QueryError(f"{where}: the RDF/XML answer declares a DTD or entities: refused (no entity expansion)")


def results_shape_problem(data: Any) -> str | None:
    """What is wrong with the shape of parsed SPARQL JSON results *data* (None when nothing is).

    >>> results_shape_problem([]), results_shape_problem({"head": {"vars": ["n"]}, "results": {"bindings": [{"n": 3}]}})
    ('a list where an object is expected', 'row 1: "n" is not a term (an object with a string type and value)')
    """
    kinds = {list: "a list", str: "a string", int: "a number", float: "a number", bool: "true or false"}
    if not isinstance(data, dict):
        return f"{kinds.get(type(data), 'null')} where an object is expected"
    if "boolean" in data:
        return None if isinstance(data["boolean"], bool) else '"boolean" is not true or false'
    head, results = data.get("head"), data.get("results")
    if not isinstance(head, dict):
        return '"head" is not an object'
    names = head.get("vars", [])
    if not isinstance(names, list) or not all(isinstance(v, str) for v in names):
        return '"head": "vars" is not a list of names'
    rows = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(rows, list):
        return '"results": "bindings" is not a list'
    for i, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            return f"row {i} is not an object"
        for name, term in row.items():
            if not (isinstance(term, dict) and isinstance(term.get("type"), str)
                    and isinstance(term.get("value"), str)):
                return f'row {i}: "{name}" is not a term (an object with a string type and value)'
    return None


def _tail_words(text: str) -> list[str]:
    """Keywords after the query's last closing brace (its solution modifiers and trailing VALUES)."""
    toks = [m for m in tokens(text) if m.lastgroup != "comment"]
    last = max((i for i, m in enumerate(toks) if m.group() == "}"), default=-1)
    return [m.group().upper() for m in toks[last + 1:] if m.lastgroup == "word"]


def _split_prologue(text: str) -> tuple[str, str]:
    """(PREFIX/BASE prologue, the query from its SELECT keyword on)."""
    for m in tokens(text):
        if m.lastgroup == "word" and m.group().upper() == "SELECT":
            return text[:m.start()], text[m.start():]
    return "", text


class RemoteBackend(Backend):
    """A SPARQL 1.1 query endpoint, read-only; *graph* scopes every query to that named graph
    (sent as ``default-graph-uri``), else the server's default graph is used."""

    name = "remote"
    forwards_queries = True

    def __init__(self, endpoint: str, graph: str | None = None, timeout: float = 60.0,
                 page_size: int | None = None, user: str | None = None, password: str | None = None):
        parts = urllib.parse.urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InputError(f"{endpoint}: not an http(s) URL of a SPARQL endpoint")
        if parts.username or parts.password:
            raise InputError(f"{parts.hostname}: put no login in the URL",
                             f"set {USER_ENV} and {PASSWORD_ENV} instead")
        self.endpoint = endpoint
        self.graph = graph
        self.data_graph_names = (graph,) if graph else ()
        self.timeout = timeout
        self.page_size = page_size
        self.generation = 0
        self._opener = opener(endpoint, user, password)
        self._cache_dir: Path | None | bool = False  # False: not looked up yet

    def __repr__(self) -> str:
        return f"RemoteBackend({self.endpoint!r}, graph={self.graph!r})"

    def __getstate__(self):
        # never pickled (as a store's pyoxigraph Store is not): a cached value holding the graph, such as the
        # career model, is rebuilt from its cached parts in each process rather than kept with a stale connection
        raise TypeError("a RemoteBackend is not pickled: connect again (RoleGraph.source.open())")

    @property
    def cache_dir(self) -> Path | None:  # type: ignore[override]
        """The local folder where :meth:`RoleGraph.cached` keeps data derived from this graph between
        processes, when ``rolegraph publish`` stamped the graph and its triple count still agrees
        (see :mod:`rolegraph.store.stamp`); ``None`` otherwise. Looked up on first use, once."""
        if self._cache_dir is False:
            from .stamp import cache_folder

            self._cache_dir = cache_folder(self)
        return self._cache_dir  # type: ignore[return-value]

    def select_in(self, graph: str, text: str) -> list:
        """Rows of the SELECT *text* (no prefixes, no bindings) run on the server's graph *graph* instead of
        this backend's (how the stamp beside the data is read)."""
        data, _ = self._select(text, graph)
        raw = self._parse_results(data)
        return OxigraphResult(raw, "SELECT", None).rows()

    # ------------------------------------------------------------------ HTTP

    def _post(self, query: str, accept: str, graph: str | None = None,
              max_bytes: int | None = None) -> tuple[bytes, Any]:
        fields = [("query", query)]
        if graph or self.graph:
            fields.append(("default-graph-uri", graph or self.graph or ""))
        req = urllib.request.Request(self.endpoint, data=urllib.parse.urlencode(fields).encode(), method="POST",
                                     headers={"Accept": accept,
                                              "Content-Type": "application/x-www-form-urlencoded"})
        return request(self._opener, req, self.timeout, max_bytes)

    def _cap(self, headers: Any) -> int | None:
        cap = headers.get("X-SPARQL-MaxRows")
        if cap and cap.strip().isdigit():
            return int(cap)
        return self.page_size

    def _select(self, query: str, graph: str | None = None) -> tuple[dict, Any]:
        data, headers, _ = self._select_sized(query, graph)
        return data, headers

    def _select_sized(self, query: str, graph: str | None = None,
                      max_bytes: int | None = None) -> tuple[dict, Any, int]:
        """(results, headers, size of the answer in bytes) of the SELECT or ASK *query*."""
        if max_bytes is not None and max_bytes <= 0:
            raise _too_large(self.endpoint)
        body, headers = self._post(query, JSON_RESULTS, graph, max_bytes)
        if headers.get("X-SQL-State"):  # Virtuoso's "anytime" answer: partial, cut at MaxQueryExecutionTime
            raise QueryError(f"{self.endpoint}: the server gave a partial answer ({headers.get('X-SQL-State')}: "
                             f"{headers.get('X-SQL-Message', 'time limit')})",
                             "raise the server's time limit (Virtuoso: [SPARQL] MaxQueryExecutionTime)")
        try:
            data = json.loads(body)
        except ValueError:
            raise QueryError(f"{self.endpoint}: the answer is not SPARQL JSON results "
                             f"({body[:80].decode('utf-8', 'replace')!r})") from None
        problem = results_shape_problem(data)   # valid JSON of the wrong shape: one clear error, not a crash
        if problem:
            raise QueryError(f"{self.endpoint}: the answer is not SPARQL JSON results ({problem})")
        return data, headers, len(body)

    def _parse_results(self, data: dict) -> Any:
        body = json.dumps(data).encode()
        try:   # pyoxigraph reads terms lazily: read them all once here, so a bad term is an error now
            raw = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            if not isinstance(raw, ox.QuerySolutions):
                return raw   # an ASK answer: true or false
            for _ in raw:
                pass
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        except SyntaxError as exc:
            raise QueryError(f"{self.endpoint}: the answer is not SPARQL JSON results ({exc})") from None

    # ------------------------------------------------------------------ Backend

    def load(self, path: Path) -> None:
        raise InputError(f"{self.endpoint}: the endpoint is read-only",
                         "publish data with: rolegraph publish --graph-store URL")

    def query(self, text: str, bindings: Mapping[str, Term] | None = None,
              prefixes: Mapping[str, str] | None = None, *, base_iri: str | None = None,
              dataset: bool | None = None, declared: frozenset[str] = frozenset()) -> OxigraphResult:
        text = engine_text(text)   # the text SENT is the checked one: escapes decoded, SERVICE refused
        form = query_form(text)
        if form not in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            raise QueryError(f"{form or 'this'} is not a read query: the endpoint is used read-only")
        query, inserted = bind_values(text, bindings) if bindings else (text, None)
        try:  # the server's own messages differ from server to server: check the syntax here first
            ox.Store().query(query, prefixes=dict(prefixes or {}), base_iri=base_iri)
        except SyntaxError as exc:
            raise QueryError(syntax_message(text, str(exc), inserted)) from None
        except (OSError, RuntimeError):
            pass
        prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in (prefixes or {}).items())
        if base_iri:
            prologue = f"BASE <{base_iri}>\n" + prologue
        # dataset=False: an empty default graph (a graph nobody writes to); True or None: the data's graph
        graph = EMPTY_GRAPH if dataset is False else None
        if form in ("CONSTRUCT", "DESCRIBE"):
            body, headers = self._post(prologue + query, _GRAPH_ACCEPT, graph)
            media = (headers.get("Content-Type") or "application/n-triples").split(";")[0].strip().lower()
            fmt = ox_rdf(media, MEDIA)
            if fmt is None:
                raise QueryError(f"{self.endpoint}: cannot read a graph answer of type {media}")
            _refuse_dtd(self.endpoint, body, fmt)
            try:
                triples = [q.triple if isinstance(q, ox.Quad) else q for q in ox.parse(body, format=fmt)]
            except SyntaxError as exc:
                raise QueryError(f"{self.endpoint}: unreadable graph answer ({exc})") from None
            cap = self._cap(headers)
            if cap and len(triples) >= cap:
                raise QueryError(f"{self.endpoint}: the server cut the answer at {cap} triples (its row cap)",
                                 "raise the server's cap (Virtuoso: [SPARQL] ResultSetMaxRows)")
            return GraphResult(triples, form, prefixes)
        data, headers = self._select(prologue + query, graph)
        if form == "SELECT":
            cap = self._cap(headers)
            if cap and len(data.get("results", {}).get("bindings", [])) >= cap:
                data = self._paged(prologue, query, data["head"].get("vars", []), cap)
        for row in data.get("results", {}).get("bindings", []):
            for term in row.values():
                if term.get("type") == "bnode":  # Virtuoso's are "nodeID://b123": not valid blank node labels
                    term["value"] = _BNODE_UNSAFE.sub("_", term["value"])
        raw = self._parse_results(data)
        return OxigraphResult(raw, form, prefixes)

    def _paged(self, prologue: str, query: str, variables: list[str], cap: int) -> dict:
        """The whole answer of a SELECT the server cut at *cap* rows, fetched *cap* rows at a time."""
        own_prologue, body = _split_prologue(query)
        tail = _tail_words(body)
        if {"LIMIT", "OFFSET", "VALUES"} & set(tail) or not variables:
            raise QueryError(f"{self.endpoint}: the server cut the answer at {cap} rows (its row cap)",
                             "raise the server's cap (Virtuoso: [SPARQL] ResultSetMaxRows), or page with "
                             "LIMIT and OFFSET")
        if "ORDER" not in tail:  # a stable order, so that pages neither overlap nor miss rows
            body += "\nORDER BY " + " ".join("?" + v for v in variables)
        rows: list = []
        budget = max_answer_bytes()
        for _ in range(MAX_PAGES):
            page = (f"{prologue}{own_prologue}SELECT * WHERE {{ {{\n{body}\n}} }} "
                    f"LIMIT {cap} OFFSET {len(rows)}")
            data, _, size = self._select_sized(page, None, budget)
            budget -= size
            got = data.get("results", {}).get("bindings", [])
            rows.extend(got)
            if len(got) < cap:
                return {"head": {"vars": variables}, "results": {"bindings": rows}}
        raise QueryError(f"{self.endpoint}: the server cut the answer at {cap} rows, and {MAX_PAGES} pages of it "
                         f"were not the whole answer (the cap on pages): not read further",
                         "raise the server's row cap (X-SPARQL-MaxRows; Virtuoso: [SPARQL] ResultSetMaxRows), "
                         "or narrow the query")

    def _all(self) -> Iterator[ox.Triple]:
        for sol in self.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }").raw:
            yield ox.Triple(sol["s"], sol["p"], sol["o"])

    def dump(self, fmt: str = "nt", prefixes: Mapping[str, str] | None = None) -> bytes:
        from .oxigraph import OxigraphBackend

        local = OxigraphBackend()
        local.store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in self._all())
        return local.dump(fmt, prefixes)

    def triples(self, subject: Node | None = None, predicate: Node | None = None,
                obj: Node | None = None) -> Iterator[tuple[Node, Node, Node]]:
        from rdflib import BNode, Literal

        bindings: dict[str, Term] = {}
        for name, term in (("s", subject), ("p", predicate), ("o", obj)):
            if term is None:
                continue
            if isinstance(term, BNode):
                raise QueryError("cannot match a blank node on a remote endpoint")
            if isinstance(term, Literal):
                bindings[name] = Lit(str(term), term.language, str(term.datatype) if term.datatype else None)
            else:
                bindings[name] = Iri(str(term))
        for sol in self.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", bindings).raw:
            yield _to_rdflib(sol["s"]), _to_rdflib(sol["p"]), _to_rdflib(sol["o"])

    def to_rdflib(self) -> rdflib.Graph:
        from rdflib import Graph

        return Graph().parse(data=self.dump("nt"), format="nt")

    def __len__(self) -> int:
        return int(self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])


class GraphResult(OxigraphResult):
    """A CONSTRUCT or DESCRIBE answer read from a server: a list of pyoxigraph triples."""

    def serialize(self, fmt: str, out: BinaryIO | None = None) -> bytes:
        from .oxigraph import _graph_format

        f = _graph_format(fmt, self.form)
        if f in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):  # with the prefixes, for people to read
            return ox.serialize(self.raw, out, format=f, prefixes=self.prefixes) or b""
        return ox.serialize(self.raw, out, format=f) or b""


# ---------------------------------------------------------------------------- publishing

@dataclass(frozen=True)
class Published:
    """What :func:`publish` did: the graph store and graph, the triples sent, in how many requests,
    and the count the server holds afterwards."""

    graph_store: str
    graph: str | None
    triples: int
    batches: int
    verified: int
    #: the content digest of the stamp written beside the graph (see :mod:`rolegraph.store.stamp`), or None
    stamp: str | None = None
    #: why the graph was not stamped (None when it was)
    unstamped: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def graph_url(graph_store: str, graph: str | None) -> str:
    """The Graph Store Protocol URL of *graph* (the default graph when ``None``).

    >>> graph_url("http://h/store", "http://ex.org/g")
    'http://h/store?graph=http%3A%2F%2Fex.org%2Fg'
    >>> graph_url("http://h/store", None)
    'http://h/store?default'
    """
    sep = "&" if "?" in graph_store else "?"
    return graph_store + sep + (urllib.parse.urlencode({"graph": graph}) if graph else "default")


def publish(graph_store: str, source: Backend, graph: str | None = None, batch: int = 50_000,
            timeout: float = 300.0, endpoint: str | None = None) -> Published:
    """Replace *graph* on the SPARQL 1.1 Graph Store *graph_store* with the triples of *source*, then check
    its size.

    The first request PUTs (replaces the graph), the next ones POST (add) at most *batch*
    triples each, so no request is larger than the server accepts. Triples with blank nodes
    all go in the first request, since a blank node means a new node in every request.
    Afterwards the graph's triples are counted, with a COUNT query on the query *endpoint*
    when given, else by reading the graph back; a mismatch raises :class:`QueryError`.
    Auth comes from ``ROLEGRAPH_ENDPOINT_USER``/``_PASSWORD``.
    """
    if batch < 1:
        raise InputError("--batch must be at least 1")
    parts = urllib.parse.urlsplit(graph_store)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"{graph_store}: not an http(s) URL of a Graph Store")
    with_blanks: list[ox.Triple] = []
    plain: list[ox.Triple] = []
    dump = source.dump("nt")
    for t in ox.parse(dump, format=ox.RdfFormat.N_TRIPLES):
        (with_blanks if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) else plain).append(t)
    total = len(with_blanks) + len(plain)
    first = with_blanks + plain[:max(0, batch - len(with_blanks))]
    rest = plain[len(first) - len(with_blanks):]
    chunks = [first] + [rest[i:i + batch] for i in range(0, len(rest), batch)]
    url = graph_url(graph_store, graph)
    op = opener(graph_store)
    try:  # a request without a body first: the login challenge, if any, is answered before any upload
        request(op, urllib.request.Request(url, method="HEAD"), timeout)
    except QueryError as exc:
        if "HTTP 401" in str(exc) or "HTTP 403" in str(exc):
            raise
    _drop_stamp(op, graph_store, graph, timeout)  # first: while the graph changes, no process trusts its old stamp
    for i, chunk in enumerate(chunks):
        req = urllib.request.Request(url, data=ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES) or b"",
                                     method="PUT" if i == 0 else "POST",
                                     headers={"Content-Type": "application/n-triples"})
        request(op, req, timeout)
    if endpoint:  # a COUNT on the query endpoint: reading the graph back may be cut by a row cap
        held = len(RemoteBackend(endpoint, graph, timeout=timeout))
    else:
        body, headers = request(op, urllib.request.Request(url, headers={"Accept": _GRAPH_ACCEPT}), timeout)
        media = (headers.get("Content-Type") or "application/n-triples").split(";")[0].strip().lower()
        fmt = ox_rdf(media, MEDIA) or ox.RdfFormat.N_TRIPLES
        _refuse_dtd(graph_store, body, fmt)
        try:
            held = sum(1 for _ in ox.parse(body, format=fmt))
        except SyntaxError as exc:
            raise QueryError(f"{graph_store}: cannot read the graph back to check it ({exc})") from None
    if held != total:
        hint = ("the server may have refused part of the data" if endpoint else
                "the server may have refused part of the data, or cut its answer when read back (Virtuoso "
                "does at ResultSetMaxRows): pass --endpoint to count with a query instead")
        raise QueryError(f"{graph_store}: the graph holds {held} triples after publishing, not {total}", hint)
    if endpoint is None and graph is None:
        return Published(graph_store, graph, total, len(chunks), held, None,
                         "publishing to the default graph, give the query --endpoint so the stamp can be checked")
    from .stamp import Stamp, content_digest

    made = Stamp(content_digest(dump), total)
    note = _put_stamp(op, graph_store, graph, made, timeout, endpoint)
    return Published(graph_store, graph, total, len(chunks), held, None if note else made.key, note)


def _put_stamp(op: urllib.request.OpenerDirector, graph_store: str, graph: str | None, made: "Stamp",
               timeout: float, endpoint: str | None) -> str | None:
    """Write the stamp *made* beside *graph*; with the query *endpoint*, check it stays out of the data's own
    graph (a server whose default graph is the union of all graphs would show it): then remove it again.
    Returns why the graph is left unstamped, or None."""
    from .stamp import DEFAULT_GRAPH, stamp_graph, stamp_ntriples

    req = urllib.request.Request(graph_url(graph_store, stamp_graph(graph)), data=stamp_ntriples(graph, made),
                                 method="PUT", headers={"Content-Type": "application/n-triples"})
    try:
        request(op, req, timeout)
    except QueryError as exc:  # the data is published all the same: only the cache is lost
        return f"the server refused the stamp ({exc})"
    if endpoint and RemoteBackend(endpoint, graph, timeout=timeout).ask(
            f"ASK {{ ?d <{VOID}triples> ?n }}", {"d": Iri(graph or DEFAULT_GRAPH)}):
        _drop_stamp(op, graph_store, graph, timeout)
        return ("the query endpoint shows the stamp inside the data's graph (a union default graph): "
                "publish to a --graph")
    return None


def _drop_stamp(op: urllib.request.OpenerDirector, graph_store: str, graph: str | None, timeout: float) -> None:
    """Remove the stamp beside *graph*, if any (a server that had none answers 404)."""
    from .stamp import stamp_graph

    try:
        request(op, urllib.request.Request(graph_url(graph_store, stamp_graph(graph)), method="DELETE"), timeout)
    except QueryError as exc:
        if "HTTP 404" not in str(exc):
            raise


def stamp(graph_store: str, backend: RemoteBackend, timeout: float = 300.0) -> "Stamp":
    """Stamp the graph *backend* reads (through the Graph Store *graph_store* of the same server) with a digest
    of its content as the query endpoint gives it and its triple count, so later ``--endpoint`` processes may
    cache what they derive from it (see :mod:`rolegraph.store.stamp`): for graphs loaded or edited by other
    tools. Reads the whole graph once."""
    from .stamp import Stamp, content_digest

    parts = urllib.parse.urlsplit(graph_store)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"{graph_store}: not an http(s) URL of a Graph Store")
    op = opener(graph_store)
    _drop_stamp(op, graph_store, backend.graph, timeout)
    made = Stamp(content_digest(backend.dump("nt")), len(backend))
    note = _put_stamp(op, graph_store, backend.graph, made, timeout, backend.endpoint)
    if note:
        raise QueryError(f"{graph_store}: not stamped: {note}")
    return made


__all__ = ["RemoteBackend", "GraphResult", "Published", "publish", "stamp", "graph_url", "opener", "USER_ENV",
           "PASSWORD_ENV"]
