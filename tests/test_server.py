"""`rolegraph serve`: a live endpoint on a free loopback port, queried with rdflib's SPARQLStore and urllib."""
from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from rolegraph.server import make_server, negotiate

SCS_SHARED = {"Capability building for digital, data and technology", "Innovation in digital, data and technology"}


@pytest.fixture(scope="module")
def endpoint(graph):
    server = make_server("127.0.0.1", 0, timeout=2.0, workers=1, graph=graph, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()
    thread.join(5)


def request(url, data=None, headers=None, method=None):
    """(status, content type, body) of one HTTP request; bounded by a timeout."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=20) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), err.read()


def get(endpoint, query, accept=None, **extra):
    qs = urllib.parse.urlencode({"query": query, **extra})
    return request(f"{endpoint}/sparql?{qs}", headers={"Accept": accept} if accept else {})


SHARED = """SELECT ?name WHERE {
  role:chief-information-security-officer rg:requires/rg:skill ?skill .
  role:chief-technology-officer rg:requires/rg:skill ?skill .
  ?skill skos:prefLabel ?name }"""


def test_listens_on_loopback_only_by_default(endpoint):
    assert endpoint.startswith("http://127.0.0.1:")


def test_rdflib_sparqlstore_client(endpoint):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(f"{endpoint}/sparql", returnFormat="json")
    prologue = "".join(f"PREFIX {p}: <{n}>\n" for p, n in
                       {"rg": "https://w3id.org/rolegraph/ontology#", "skos": "http://www.w3.org/2004/02/skos/core#",
                        "role": "https://w3id.org/rolegraph/ddat/role/"}.items())
    rows = list(store.query(prologue + SHARED))
    assert {str(r[0]) for r in rows} == SCS_SHARED
    assert store.query(prologue + "ASK { role:data-engineer a rg:Role }").askAnswer is True
    n = list(store.query(prologue + "SELECT (COUNT(?r) AS ?n) WHERE { ?r a rg:Role }"))[0][0]
    assert int(n) == 53


def test_get_and_post_forms(endpoint):
    status, ctype, body = get(endpoint, SHARED)
    assert status == 200 and ctype.startswith("application/sparql-results+json")
    names = {b["name"]["value"] for b in json.loads(body)["results"]["bindings"]}
    assert names == SCS_SHARED
    form = urllib.parse.urlencode({"query": SHARED}).encode()
    status, _, body2 = request(f"{endpoint}/sparql", form, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and json.loads(body2) == json.loads(body)
    status, _, body3 = request(f"{endpoint}/sparql", SHARED.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 200 and json.loads(body3) == json.loads(body)


@pytest.mark.parametrize("accept,ctype,start", [
    ("application/sparql-results+xml", "application/sparql-results+xml", b"<?xml"),
    ("text/csv", "text/csv", b"name\r\n"),
    ("text/tab-separated-values", "text/tab-separated-values", b"?name\n"),
    ("text/html, application/sparql-results+json;q=0.9, */*;q=0.1", "application/sparql-results+json", b"{"),
    ("text/csv;q=0.2, application/sparql-results+xml;q=0.8", "application/sparql-results+xml", b"<?xml"),
])
def test_content_negotiation(endpoint, accept, ctype, start):
    status, got, body = get(endpoint, SHARED, accept)
    assert status == 200 and got.startswith(ctype) and body.startswith(start)


def test_graph_results_and_not_acceptable(endpoint):
    q = "CONSTRUCT { ?r a rg:Role } WHERE { ?r a rg:SeniorCivilServiceRole }"
    status, ctype, body = get(endpoint, q, "application/n-triples")
    assert status == 200 and ctype.startswith("application/n-triples") and body.count(b"\n") == 4
    status, ctype, body = get(endpoint, q)
    assert status == 200 and ctype.startswith("text/turtle")
    assert get(endpoint, SHARED, "image/png")[0] == 406


def test_updates_are_refused(endpoint):
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    assert request(f"{endpoint}/sparql", update.encode(), {"Content-Type": "application/sparql-update"})[0] == 403
    form = urllib.parse.urlencode({"update": update}).encode()
    assert request(f"{endpoint}/sparql", form, {"Content-Type": "application/x-www-form-urlencoded"})[0] == 403
    status, _, body = get(endpoint, update)
    assert status == 403 and b"Update" in body
    assert get(endpoint, "LOAD <http://127.0.0.1:9/x.ttl>")[0] == 403
    assert request(f"{endpoint}/sparql", b"x", method="PUT")[0] == 405
    # the graph is unchanged
    assert json.loads(get(endpoint, "ASK { <urn:a> <urn:b> <urn:c> }")[2])["boolean"] is False


def test_service_is_refused_without_any_outbound_request(endpoint):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    try:
        status, _, body = get(endpoint, f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}")
        assert status == 403 and b"SERVICE is refused" in body
        with pytest.raises(socket.timeout):
            listener.accept()
    finally:
        listener.close()


def test_errors(endpoint):
    status, _, body = get(endpoint, "SELECT * WHERE {\n  FILTR(?s)\n}")
    assert status == 400 and b"line 2" in body and b"FILTR" in body
    assert request(f"{endpoint}/sparql")[0] == 400  # no query
    assert request(f"{endpoint}/nope")[0] == 404
    big = b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * 300_000
    assert request(f"{endpoint}/sparql", big, {"Content-Type": "application/sparql-query"})[0] == 413
    assert request(f"{endpoint}/sparql", b"query=x", {"Content-Type": "text/plain"})[0] == 415


def test_time_limit_stops_a_runaway_query_and_the_server_recovers(endpoint):
    t = time.monotonic()
    status, _, body = get(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert status == 503 and b"limit" in body
    assert time.monotonic() - t < 10
    status, _, body = get(endpoint, SHARED)   # a fresh worker answers the next query
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 2


def test_page_has_query_box_and_named_queries(endpoint):
    from rolegraph.queries import library

    status, ctype, body = request(f"{endpoint}/")
    text = body.decode()
    assert status == 200 and ctype.startswith("text/html")
    assert "<textarea" in text and 'action="/sparql"' in text
    assert all(f"<b>{name}</b>" in text for name in library())
    assert "src=" not in text and "<link" not in text and "@import" not in text   # nothing external


def test_page_examples_run(endpoint):
    import html
    import re

    text = request(f"{endpoint}/")[2].decode()
    links = [html.unescape(h) for h in re.findall(r'<a href="(/sparql\?[^"]+)">run</a>', text)]
    assert len(links) >= 15
    for link in links:
        status, _, body = request(endpoint + link)
        assert status == 200, (link, body[:200])


def test_negotiate():
    assert negotiate(None, "SELECT") == "sparql-json"
    assert negotiate("text/csv;q=0.5, text/tab-separated-values", "SELECT") == "tsv"
    assert negotiate("*/*", "CONSTRUCT") == "ttl"
    assert negotiate("application/sparql-results+json", "CONSTRUCT") is None
    assert negotiate("text/html", "SELECT", explicit="csv") == "csv"


def test_serve_command_refuses_a_busy_port(cli):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    try:
        r = cli("serve", "--port", s.getsockname()[1], "--workers", 1)
        assert r.exit_code == 2 and "cannot listen on 127.0.0.1" in r.stderr and "Traceback" not in r.stderr
    finally:
        s.close()
