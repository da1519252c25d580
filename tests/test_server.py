"""`rolegraph serve`: a live endpoint started by the test (the real CLI, a free loopback port), queried by
real clients (rdflib's SPARQLStore, SPARQLWrapper), raw sockets for the HTTP edge cases, and a bounded load."""
from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from rolegraph.namespaces import DATA_GRAPH, sparql_prologue

SCS_SHARED = {"Capability building for digital, data and technology", "Innovation in digital, data and technology"}
SHARED = """SELECT ?name WHERE {
  role:chief-information-security-officer rg:requires/rg:skill ?skill .
  role:chief-technology-officer rg:requires/rg:skill ?skill .
  ?skill skos:prefLabel ?name }"""
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Server:
    """`python -m rolegraph serve --port 0` in a subprocess; its address read from its first line."""

    def __init__(self, *args: str, session: bool = False, before: tuple[str, ...] = ()):
        """*session*: in a session of its own, with Ctrl-C's default action whatever this pytest inherited (SIGINT
        is ignored when pytest was started in the background), so a test can send Ctrl-C to its process group.
        *before*: rolegraph's own options (``--data DIR``), given before ``serve``."""
        self.proc = subprocess.Popen([sys.executable, "-m", "rolegraph", *before, "serve", "--port", "0", *args],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                     preexec_fn=_default_sigint if session else None, start_new_session=session)
        self.log: list[str] = []
        assert self.proc.stderr is not None
        self.stderr = self.proc.stderr
        first = self.stderr.readline()
        m = re.search(r"http://(127\.0\.0\.1):(\d+)/sparql", first)
        assert m, first
        self.host, self.port = m.group(1), int(m.group(2))
        self.url = f"http://{self.host}:{self.port}"
        self._reader = threading.Thread(target=lambda: self.log.extend(self.stderr), daemon=True)
        self._reader.start()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:   # the socket listens at once; workers load the graph first
            try:
                if request(self.url + "/sparql?query=ASK%7B%7D", timeout=5)[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("the server did not answer")

    def stop(self) -> str:
        self.proc.terminate()
        self.proc.wait(20)
        self._reader.join(5)
        return "".join(self.log)


@pytest.fixture(scope="module")
def server():
    """The server with its 2 worker processes (the default), a 2 s time limit and a 1 MiB answer cap."""
    s = Server("--timeout", "2", "--processes", "2", "--header-timeout", "2", "--max-result-mb", "1")
    yield s
    log = s.stop()
    assert "Traceback" not in log, log   # not even for clients that hung up mid-answer


@pytest.fixture(scope="module")
def endpoint(server):
    return server.url


def request(url, data=None, headers=None, method=None, timeout=30):
    """(status, headers, body) of one HTTP request; bounded by a timeout."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def get(endpoint, query, accept=None, **extra):
    qs = urllib.parse.urlencode({"query": query, **extra}, doseq=True)
    return request(f"{endpoint}/sparql?{qs}", headers={"Accept": accept} if accept else {})


def raw(server, data: bytes, wait: float = 3.0) -> bytes:
    """Everything the server sends back on one connection for the bytes *data*, until it closes or goes quiet."""
    with socket.create_connection((server.host, server.port), timeout=wait) as s:
        s.sendall(data)
        out = b""
        try:
            while chunk := s.recv(65536):
                out += chunk
        except socket.timeout:
            pass
    return out


# ---------------------------------------------------------------------------- real clients

def test_rdflib_sparqlstore_client(endpoint):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(f"{endpoint}/sparql", returnFormat="json")
    prologue = sparql_prologue()
    assert {str(r[0]) for r in store.query(prologue + SHARED)} == SCS_SHARED
    assert store.query(prologue + "ASK { role:data-engineer a rg:Role }").askAnswer is True
    assert int(list(store.query(prologue + "SELECT (COUNT(?r) AS ?n) WHERE { ?r a rg:Role }"))[0][0]) == 53


def test_sparqlwrapper_client(endpoint):
    from rdflib import Graph, URIRef
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    sw = SPARQLWrapper(f"{endpoint}/sparql")
    sw.setQuery(sparql_prologue() + SHARED)
    sw.setReturnFormat(JSON)
    rows = sw.query().convert()["results"]["bindings"]
    assert {r["name"]["value"] for r in rows} == SCS_SHARED
    sw.setMethod(POST)
    assert {r["name"]["value"] for r in sw.query().convert()["results"]["bindings"]} == SCS_SHARED
    # CONSTRUCT and DESCRIBE in SPARQLWrapper's default (RDF/XML, with format=xml): parsed into a graph
    sw = SPARQLWrapper(f"{endpoint}/sparql")
    sw.setQuery(sparql_prologue() + "CONSTRUCT { ?r a rg:Role } WHERE { ?r a rg:SeniorCivilServiceRole }")
    g = sw.query().convert()
    assert isinstance(g, Graph) and len(g) == 4
    sw.setQuery(sparql_prologue() + "DESCRIBE role:data-engineer")
    g = sw.queryAndConvert()
    assert (URIRef("https://w3id.org/rolegraph/ddat/role/data-engineer"), None, None) in g


# ---------------------------------------------------------------------------- SPARQL 1.1 Protocol

def test_get_and_post_forms(endpoint):
    status, headers, body = get(endpoint, SHARED)
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    assert {b["name"]["value"] for b in json.loads(body)["results"]["bindings"]} == SCS_SHARED
    form = urllib.parse.urlencode({"query": SHARED}).encode()
    status, _, body2 = request(f"{endpoint}/sparql", form, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and json.loads(body2) == json.loads(body)
    status, _, body3 = request(f"{endpoint}/sparql", SHARED.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 200 and json.loads(body3) == json.loads(body)


@pytest.mark.parametrize("accept,ctype,start", [
    ("application/sparql-results+xml", "application/sparql-results+xml", b"<?xml"),
    ("text/csv", "text/csv", b"name\r\n"),
    ("text/tab-separated-values", "text/tab-separated-values", b"?name\n"),
    ("text/*", "text/csv", b"name\r\n"),
    ("text/html, application/sparql-results+json;q=0.9, */*;q=0.1", "application/sparql-results+json", b"{"),
    ("text/csv;q=0.2, application/sparql-results+xml;q=0.8", "application/sparql-results+xml", b"<?xml"),
])
def test_content_negotiation(endpoint, accept, ctype, start):
    status, headers, body = get(endpoint, SHARED, accept)
    assert status == 200 and headers["Content-Type"].startswith(ctype) and body.startswith(start)
    assert "Accept" in headers["Vary"]


def test_a_satisfiable_accept_wins_over_format(endpoint):
    status, headers, _ = get(endpoint, SHARED, "text/csv", format="json")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    status, headers, _ = get(endpoint, SHARED, "image/png", format="xml")   # unsatisfiable Accept: format= used
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+xml")
    # the query page's form (a browser's Accept): format= wins
    status, headers, _ = get(endpoint, SHARED, "text/html,application/xml;q=0.9,*/*;q=0.8", format="csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")


def test_graph_results_and_not_acceptable(endpoint):
    q = "CONSTRUCT { ?r a rg:Role } WHERE { ?r a rg:SeniorCivilServiceRole }"
    status, headers, body = get(endpoint, q, "application/n-triples")
    assert status == 200 and headers["Content-Type"].startswith("application/n-triples") and body.count(b"\n") == 4
    status, headers, _ = get(endpoint, q)
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    status, headers, _ = get(endpoint, q, "application/rdf+xml")
    assert status == 200 and headers["Content-Type"].startswith("application/rdf+xml")
    assert get(endpoint, SHARED, "image/png")[0] == 406
    assert get(endpoint, q, "application/sparql-results+json")[0] == 406


def test_relative_iris_resolve_against_the_endpoint(endpoint):
    # the W3C protocol test: CONSTRUCT with relative IRIs and no BASE
    status, _, body = get(endpoint, "CONSTRUCT { <s> <p> 1 } WHERE {}", "application/n-triples")
    integer = "<http://www.w3.org/2001/XMLSchema#integer>"
    assert status == 200 and body.strip() == f"<{endpoint}/s> <{endpoint}/p> \"1\"^^{integer} .".encode()


def test_service_description_and_query_page(endpoint):
    from rdflib import Graph, Namespace

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    status, headers, body = request(f"{endpoint}/sparql", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    g = Graph().parse(data=body, format="turtle")
    service = next(g.objects(None, sd.endpoint))
    assert str(service) == f"{endpoint}/sparql"
    assert (None, sd.supportedLanguage, sd.SPARQL11Query) in g
    assert (None, sd.name, None) in g
    status, headers, body = request(f"{endpoint}/sparql")   # no Accept: a client, not a browser
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    status, headers, body = request(f"{endpoint}/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert status == 200 and headers["Content-Type"].startswith("text/html") and b"<textarea" in body
    status, headers, body = request(f"{endpoint}/", headers={"Accept": "text/html"})   # / is the career explorer
    assert status == 200 and b"<textarea" not in body and b'href="/sparql"' in body


def test_cors(endpoint):
    status, headers, _ = request(f"{endpoint}/sparql", method="OPTIONS", headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    status, headers, _ = get(endpoint, SHARED, **{})
    status, headers, _ = request(f"{endpoint}/sparql?" + urllib.parse.urlencode({"query": SHARED}),
                                 headers={"Origin": "https://yasgui.example"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    status, headers, _ = request(f"{endpoint}/sparql", method="OPTIONS")   # plain OPTIONS
    assert status == 204 and "POST" in headers["Allow"]


def test_dataset_parameters_and_from(endpoint):
    every = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def count(query, **extra):
        status, _, body = get(endpoint, query, **extra)
        assert status == 200, body
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    total = count(every)
    assert total > 10_000
    assert count(every.replace("WHERE", f"FROM <{DATA_GRAPH}> WHERE")) == total
    assert count(every, **{"default-graph-uri": DATA_GRAPH}) == total
    # the protocol's default-graph-uri overrides the query's FROM
    assert count(every.replace("WHERE", "FROM <http://example.org/other> WHERE"),
                 **{"default-graph-uri": DATA_GRAPH}) == total
    # the endpoint exposes one graph: naming another, or asking for named graphs, is a clear 400
    for query, extra in [(every.replace("WHERE", "FROM <http://example.org/other> WHERE"), {}),
                         (every, {"default-graph-uri": "http://example.org/other"}),
                         (every, {"named-graph-uri": "http://example.org/other"}),
                         ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", {})]:
        status, _, body = get(endpoint, query, **extra)
        assert status == 400 and (b"names a graph this endpoint does not expose" in body
                                  or b"GRAPH patterns are refused" in body), body


# ---------------------------------------------------------------------------- read-only guard, live

def test_updates_are_refused(endpoint):
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    assert request(f"{endpoint}/sparql", update.encode(), {"Content-Type": "application/sparql-update"})[0] == 403
    form = urllib.parse.urlencode({"update": update}).encode()
    assert request(f"{endpoint}/sparql", form, {"Content-Type": "application/x-www-form-urlencoded"})[0] == 403
    status, _, body = get(endpoint, update)
    assert status == 403 and b"Update" in body
    assert get(endpoint, "LOAD <http://127.0.0.1:9/x.ttl>")[0] == 403
    assert request(f"{endpoint}/sparql", b"x", method="PUT")[0] == 405
    assert json.loads(get(endpoint, "ASK { <urn:a> <urn:b> <urn:c> }")[2])["boolean"] is False


SERVICE_QUERIES = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p role:a\\#b .\n SERVICE <{url}> {{ ?s ?p ?o }} }}",                # escaped name
    "SELECT * WHERE {{ ?s ?p role:a\\#b . SERVICE <{url}> {{ ?s ?p ?o }} }}",                 # same line
    "SELECT * WHERE {{ ?s ?p \"#\" .\n sErViCe SILENT <{url}> {{ ?s ?p ?o }} }}",            # string holding #
    "SELECT * WHERE {{ ?s ?p <urn:x#y> .\n SERVICE <{url}> {{ ?s ?p ?o }} }}",               # IRI holding #
    "SELECT * WHERE {{ {{ OPTIONAL {{ {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }} }}",          # nested groups
    "SELECT * WHERE {{ ?s ?p ?o }} # comment\nSELECT",                         # not SERVICE: bad syntax
    "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",                               # codepoint escape
    "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",          # subquery
]


@pytest.mark.parametrize("template", SERVICE_QUERIES)
def test_service_is_refused_without_any_outbound_request(endpoint, template):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    try:
        status, _, body = get(endpoint, template.format(url=url))
        assert status in (400, 403), body
        if "SELECT\n" not in template[-8:] and status == 403:
            assert b"SERVICE is refused" in body
        with pytest.raises(socket.timeout):
            listener.accept()
    finally:
        listener.close()


def test_strings_comments_and_iris_naming_service_still_run(endpoint):
    q = ('SELECT ?n WHERE { ?r skos:prefLabel ?n FILTER(CONTAINS(?n, "SERVICE") || ?r = <urn:service>) } '
         "# the SERVICE keyword in a comment\nLIMIT 1")
    assert get(endpoint, q)[0] == 200


@pytest.mark.parametrize("query, parsed", [
    ("SELECT * WHERE { <https://w3id.org/rolegraph/ddat/role/it-service-manager> ?p ?o }", False),
    (sparql_prologue() + "SELECT * WHERE { role:it-service-manager ?p ?o }", True),   # a name, not an IRI
    ("SELECT * WHERE { ?s ?p ?o FILTER(?o < <urn:from>) }", False),
    ("SELECT * FROM <urn:x> WHERE { ?s ?p ?o }", True),
    ("SELECT * WHERE { <urn:a#service> ?p ?o }", True),    # a '#' could start a comment: parsed
])
def test_the_server_parses_only_queries_that_could_hold_service_or_from(query, parsed):
    """IRIs that merely name a service (a role's IRI) skip rdflib's parse; anything doubtful is parsed."""
    from rolegraph.sparql_guard import prepare

    assert prepare(query, dataset=True).parsed is parsed


def test_a_comment_inside_an_iri_like_span_cannot_smuggle_service():
    from rolegraph.sparql_guard import RefusedQuery, prepare

    with pytest.raises(RefusedQuery):
        prepare("SELECT * WHERE { FILTER(?x<?y)SERVICE?g#>\n{ ?s ?p ?o } }", dataset=True)


# ---------------------------------------------------------------------------- limits and isolation

def test_time_limit_and_other_queries_keep_answering(endpoint):
    with ThreadPoolExecutor(2) as ex:
        t = time.monotonic()
        slow = ex.submit(get, endpoint, RUNAWAY)
        time.sleep(0.3)
        status, _, body = get(endpoint, SHARED)     # the other worker answers meanwhile
        assert status == 200 and time.monotonic() - t < 2.0
        status, headers, body = slow.result()
    assert status == 503 and b"limit" in body and headers["Retry-After"].isdigit()
    status, _, body = get(endpoint, SHARED)          # a fresh worker replaced the stopped one
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 2


def test_an_answer_over_the_size_limit_is_a_clear_error(endpoint):
    status, _, body = get(endpoint, "SELECT * WHERE { ?s ?p ?o }")   # the test server allows 1 MiB
    assert status == 500 and b"larger than the 1 MiB limit" in body and b"LIMIT" in body
    assert get(endpoint, "SELECT * WHERE { ?s ?p ?o } LIMIT 10")[0] == 200


def test_errors(endpoint):
    status, _, body = get(endpoint, "SELECT * WHERE {\n  FILTR(?s)\n}")
    assert status == 400 and b"line 2" in body and b"FILTR" in body
    assert request(f"{endpoint}/sparql", b"", {"Content-Type": "application/sparql-query"})[0] == 400
    assert request(f"{endpoint}/nope")[0] == 404
    big = b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * 300_000
    assert request(f"{endpoint}/sparql", big, {"Content-Type": "application/sparql-query"})[0] == 413
    assert request(f"{endpoint}/sparql", b"query=x", {"Content-Type": "text/plain"})[0] == 415


# ---------------------------------------------------------------------------- HTTP/1.1 edge

def test_no_request_smuggling_on_keep_alive(server):
    hidden = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n\r\n"
    for first in (b"PUT /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s" % (len(hidden), hidden),
                  b"POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s" % (len(hidden), hidden)):
        out = raw(server, first + b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        statuses = re.findall(rb"HTTP/1.1 (\d{3})", out)
        assert statuses in ([first[:3] == b"PUT" and b"405" or b"404", b"200"],), out   # the body was not a request


def test_chunked_body(server):
    body = urllib.parse.urlencode({"query": "ASK { role:data-engineer a rg:Role }"}).encode()
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    out = raw(server, b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                      b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunked)
    assert out.startswith(b"HTTP/1.1 200") and b'"boolean":true' in out


def test_slow_headers_are_cut_off(server):
    t = time.monotonic()
    out = raw(server, b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n", wait=10)   # never finishes
    assert out == b"" and time.monotonic() - t < 8   # closed after --header-timeout 2


def test_client_hanging_up_mid_answer(server):
    for _ in range(3):
        with socket.create_connection((server.host, server.port)) as s:
            s.sendall(b"GET /sparql?query=" + urllib.parse.quote(
                "SELECT * WHERE { ?s ?p ?o } LIMIT 5000").encode() + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert get(server.url, SHARED)[0] == 200   # and no traceback in the log (checked at teardown)


def test_bounded_load(server):
    """200 connections at once, then 8 keep-alive clients x 40 requests: every one answered 200."""
    q = urllib.parse.quote("SELECT ?n WHERE { role:data-engineer skos:prefLabel ?n }")
    req = f"GET /sparql?query={q} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
    socks = [socket.create_connection((server.host, server.port), timeout=60) for _ in range(200)]
    try:
        for s in socks:
            s.sendall(req)

        def answer(s):
            out = b""
            while chunk := s.recv(65536):
                out += chunk
            return out.startswith(b"HTTP/1.1 200")
        with ThreadPoolExecutor(16) as ex:
            assert sum(ex.map(answer, socks)) == 200
    finally:
        for s in socks:
            s.close()

    def client(_):
        import http.client

        c = http.client.HTTPConnection(server.host, server.port, timeout=60)
        ok = 0
        for _ in range(40):
            c.request("GET", f"/sparql?query={q}")
            r = c.getresponse()
            r.read()
            ok += r.status == 200
        c.close()
        return ok
    with ThreadPoolExecutor(8) as ex:
        assert sum(ex.map(client, range(8))) == 320


# ---------------------------------------------------------------------------- the page and the command

def test_page_has_query_box_and_named_queries(endpoint):
    from rolegraph.queries import library

    status, headers, body = request(f"{endpoint}/sparql", headers={"Accept": "text/html"})
    text = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<textarea" in text and 'action="/sparql"' in text
    assert all(f"<b>{name}</b>" in text for name in library())
    assert "src=" not in text and "@import" not in text   # nothing external: the one stylesheet is the site's own
    assert re.findall(r'<link [^>]*href="([^"]*)"', text) == ["data:,", "/static/rolegraph.css"]


def test_page_examples_run(endpoint):
    import html

    text = request(f"{endpoint}/sparql", headers={"Accept": "text/html"})[2].decode()
    links = [html.unescape(h) for h in re.findall(r'<a href="(/sparql\?[^"]+)">run</a>', text)]
    assert len(links) >= 15
    for link in links:
        status, _, body = request(endpoint + link, headers={"Accept": "text/html,*/*;q=0.8"})
        assert status == 200, (link, body[:200])


def test_serve_command_refuses_a_busy_port_and_warns_off_loopback(cli):
    s = socket.socket()
    s.bind(("0.0.0.0", 0))
    s.listen(1)
    try:
        r = cli("serve", "--port", s.getsockname()[1], "--workers", 1)
        assert r.exit_code == 2 and "cannot listen on 127.0.0.1" in r.stderr and "Traceback" not in r.stderr
        assert "Warning" not in r.stderr
        r = cli("serve", "--host", "0.0.0.0", "--port", s.getsockname()[1], "--workers", 1)
        assert r.exit_code == 2 and "Warning: listening on 0.0.0.0, not loopback" in r.stderr
    finally:
        s.close()


def test_a_second_serve_on_the_same_port_is_refused(server):
    """Granian listens with SO_REUSEPORT; a second `rolegraph serve` on a port one already serves must not share it."""
    r = subprocess.run([sys.executable, "-m", "rolegraph", "serve", "--port", str(server.port), "--processes", "1"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and f"cannot listen on 127.0.0.1:{server.port}" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


def test_create_app_takes_extra_routes(graph):
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    from rolegraph.server import create_app

    app = create_app(graph, routes=[Route("/", lambda r: PlainTextResponse("explorer"))], explorer=False)
    paths = [r.path for r in app.routes]
    assert paths.count("/") == 1 and "/sparql" in paths
    assert paths.index("/") < paths.index("/sparql")


def test_serve_mounts_the_career_explorer(server):
    """`rolegraph serve` serves the explorer's pages beside the endpoint, and its 404 page for unknown addresses."""
    root = server.url
    status, headers, body = request(root + "/", headers={"Accept": "text/html"})
    assert status == 200 and "Data" in body.decode() and "<form" in body.decode()
    status, _, body = request(root + "/role/data-engineer", headers={"Accept": "text/html"})
    assert status == 200 and "Senior data engineer" in body.decode()
    status, _, body = request(root + "/path?from=Data+engineer&to=Head+of+data+engineering",
                              headers={"Accept": "text/html"})
    assert status == 200 and "Head of data engineering" in body.decode()
    status, _, body = request(root + "/role/data-enginer", headers={"Accept": "text/html"})
    assert status == 404 and "Data engineer" in body.decode()
    status, _, _ = request(root + "/sparql?query=ASK%7B%7D", headers={"Accept": "application/sparql-results+json"})
    assert status == 200


def test_memory_cap_stops_only_that_query():
    """A query that needs more memory than --memory-mb stops in its worker: a clear error (500, or 503 with
    Retry-After when the engine's own allocation killed the worker), then normal service."""
    s = Server("--timeout", "30", "--processes", "1", "--memory-mb", "150", "--quiet")
    try:
        t = time.monotonic()
        status, headers, body = get(s.url, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d ?c ?f")
        assert (status == 500 and b"memory limit" in body) or (status == 503 and headers["Retry-After"]), body
        assert time.monotonic() - t < 30
        deadline = time.monotonic() + 60
        while (status := get(s.url, SHARED)[0]) != 200 and time.monotonic() < deadline:
            time.sleep(0.5)   # the replacement worker loads the graph meanwhile (503 until then)
        assert status == 200
    finally:
        assert "Traceback" not in s.stop()


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(c) for c in f.read().split()]
    except OSError:
        return []


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().decode(errors="replace")
    except OSError:
        return ""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_runaway_query_replaces_only_its_worker():
    """Past --timeout: 503 + Retry-After, its worker killed and replaced; the other worker answers meanwhile, and
    a request sent on the same keep-alive connection right after the runaway one is answered too."""
    s = Server("--processes", "2", "--timeout", "2", "--quiet")
    try:
        before = [k for k in _children(s.proc.pid) if "spawn_main" in _cmdline(k)]
        assert len(before) == 2
        cheap = ("GET /sparql?" + urllib.parse.urlencode({"query": SHARED}) + " HTTP/1.1\r\nHost: x\r\n\r\n").encode()
        with ThreadPoolExecutor(4) as ex:
            t = time.monotonic()
            slow = ex.submit(get, s.url, RUNAWAY)
            time.sleep(0.3)
            answers = list(ex.map(lambda _: get(s.url, SHARED)[0], range(6)))
            assert answers == [200] * 6 and time.monotonic() - t < 2.0
            with socket.create_connection((s.host, s.port), timeout=20) as c:
                c.sendall(cheap)
                assert c.recv(65536).startswith(b"HTTP/1.1 200")
            status, headers, body = slow.result()
        assert status == 503 and b"limit" in body and headers["Retry-After"].isdigit()
        deadline = time.monotonic() + 60
        while len([k for k in _children(s.proc.pid) if "spawn_main" in _cmdline(k)]) < 2 \
                and time.monotonic() < deadline:
            time.sleep(0.2)
        after = [k for k in _children(s.proc.pid) if "spawn_main" in _cmdline(k)]
        assert len(set(after) - set(before)) == 1 and len(after) == 2
        assert all(get(s.url, SHARED)[0] == 200 for _ in range(6))
    finally:
        kids = _children(s.proc.pid)
        log = s.stop()
    assert "Traceback" not in log, log
    time.sleep(1)
    assert not [k for k in kids if _cmdline(k) and "rolegraph" in _cmdline(k)]
