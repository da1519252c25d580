"""`rolegraph --endpoint URL serve` exposes exactly the graph rolegraph reads, nothing else of the back end
(issue 21, item 4): a real Oxigraph server holds the framework and a private "HR" named graph with a marker
literal; no query form, dataset clause or protocol parameter sent to serve returns the marker."""
from __future__ import annotations

import json
import urllib.parse

import pytest
from click.testing import CliRunner

from rolegraph.cli import main
from rolegraph.namespaces import DATA_GRAPH

from . import servers
from .test_outbound import Serve

MARKER = "HR-PRIVATE-7f3a91"
HR = "urn:example:hr"
GRAPH = "https://rolegraph.test/ddat"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def backend_server(tmp_path_factory):
    """An Oxigraph server: the framework in its default graph and in GRAPH, a private HR graph beside them."""
    import urllib.request

    from rolegraph.store.remote import graph_url

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ROLEGRAPH_CACHE_DIR", str(tmp_path_factory.mktemp("rolegraph-cache")))
        server = servers.start_oxigraph(tmp_path_factory.mktemp("oxigraph-exposure"))
        try:
            for extra in ([], ["--graph", GRAPH]):
                result = run("--endpoint", server.query, *extra, "publish", "--graph-store", server.graph_store,
                             "--batch", "4000")
                assert result.exit_code == 0, result.output
            hr = (f'<urn:example:alice> <http://www.w3.org/2004/02/skos/core#prefLabel> "{MARKER}" .\n'
                  f'<urn:example:alice> <urn:example:salary> "{MARKER} 99000" .\n').encode()
            req = urllib.request.Request(graph_url(server.graph_store, HR), data=hr, method="POST",
                                         headers={"Content-Type": "application/n-triples"})
            urllib.request.urlopen(req, timeout=30).close()
            yield server
        finally:
            server.stop()


@pytest.fixture(scope="module", params=["default graph", "--graph"])
def exposed(request, backend_server):
    """`rolegraph --endpoint URL [--graph IRI] serve` over that server."""
    extra = ["--graph", GRAPH] if request.param == "--graph" else []
    s = Serve(before=("--endpoint", backend_server.query, *extra))
    yield s
    log = s.stop()
    assert "Traceback" not in log, log


def test_the_marker_is_there_to_find(backend_server):
    """The attack would work against the back end itself: the HR graph is really there."""
    import urllib.request

    q = urllib.parse.urlencode({"query": f'ASK {{ GRAPH <{HR}> {{ ?s ?p "{MARKER}" }} }}'})
    with urllib.request.urlopen(f"{backend_server.query}?{q}", timeout=30) as resp:
        assert json.loads(resp.read())["boolean"] is True


ATTACKS = [
    ("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {}),
    ("SELECT ?g WHERE { GRAPH ?g { } }", {}),
    (f'ASK {{ GRAPH <{HR}> {{ ?s ?p "{MARKER}" }} }}', {}),
    ("SELECT ?o WHERE { GR\\u0041PH ?g { ?s ?p ?o } }", {}),
    ("SELECT * WHERE { { SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } } } }", {}),
    ("SELECT * WHERE { ?s ?p ?o FILTER EXISTS { GRAPH ?g { ?s ?p ?o } } }", {}),
    ("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", {}),
    (f"SELECT ?o FROM <{HR}> WHERE {{ ?s ?p ?o }}", {}),
    (f"SELECT ?o FROM NAMED <{HR}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", {}),
    ("PREFIX hr: <urn:example:> SELECT ?o FROM hr:hr WHERE { ?s ?p ?o }", {}),
    (f"SELECT ?o FROM <{DATA_GRAPH}> FROM <{HR}> WHERE {{ ?s ?p ?o }}", {}),
    (f"SELECT ?o FROM <{HR}> WHERE {{ ?s ?p ?o }}", {"default-graph-uri": DATA_GRAPH}),
    ("SELECT ?o WHERE { ?s ?p ?o }", {"default-graph-uri": HR}),
    ("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"named-graph-uri": HR}),
    ("SELECT ?o WHERE { ?s ?p ?o }", {"named-graph-uri": HR}),
    ("DESCRIBE <urn:example:alice>", {"default-graph-uri": HR}),
]


@pytest.mark.parametrize("text, params", ATTACKS)
def test_no_other_graph_of_the_back_end_is_exposed(exposed, text, params):
    for how in ("get", "form", "direct"):
        if how == "direct":   # application/sparql-query: the dataset parameters in the URL
            status, body = exposed.request(text.encode(), {"Content-Type": "application/sparql-query"},
                                           "?" + urllib.parse.urlencode(params) if params else "")
        else:
            status, body = getattr(exposed, how)(text, **params)
        assert MARKER.encode() not in body, (how, status, body[:300])
        assert status == 400, (how, status, body[:300])
        assert b"names a graph this endpoint does not expose" in body or b"are refused" in body, body


@pytest.mark.parametrize("text", [
    f'SELECT ?o WHERE {{ ?s ?p ?o FILTER(CONTAINS(STR(?o), "{MARKER}")) }}',
    "DESCRIBE <urn:example:alice>",
    "SELECT ?p ?o WHERE { <urn:example:alice> ?p ?o }",
])
def test_the_default_graph_holds_no_private_data(exposed, text):
    status, body = exposed.request(None, {"Accept": "*/*"}, "?" + urllib.parse.urlencode({"query": text}))
    assert status == 200 and MARKER.encode() not in body


def test_the_exposed_graph_answers(exposed):
    every = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    for params in ({}, {"default-graph-uri": DATA_GRAPH}):
        status, body = exposed.get(every, **params)
        assert status == 200, body
        assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > 10_000
