"""The read-only guard decides from the parsed query: escapes, comments, strings, IRIs and nesting read as the
grammar says; `rolegraph query` uses it too; dataset semantics are the same on both backends."""
from __future__ import annotations

import socket

import pytest

from rolegraph import sparql_guard
from rolegraph.errors import QueryError
from rolegraph.namespaces import DATA_GRAPH
from rolegraph.sparql_guard import RefusedQuery

URL = "http://127.0.0.1:9/sparql"

REFUSED = [
    f"SELECT * WHERE {{ SERVICE <{URL}> {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ ?s ?p role:a\\#b .\n SERVICE <{URL}> {{ ?s ?p ?o }} }}",      # the reported bypass
    f"SELECT * WHERE {{ ?s ?p \"a # b\" .\n service silent <{URL}> {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ ?s ?p <urn:a#b> .\n SERVICE <{URL}> {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ {{ OPTIONAL {{ {{ MINUS {{ SERVICE <{URL}> {{ ?s ?p ?o }} }} }} }} }} }}",
    f"SELECT * WHERE {{ \\u0053ERVICE <{URL}> {{ ?s ?p ?o }} }}",
    "ASK { { SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } } } }",
    f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{URL}> {{ ?s ?p ?o }} }}",
    f"# header\n# mentions nothing\nSELECT * WHERE {{ SERVICE <{URL}> {{ ?s ?p ?o }} }}",
]
#: SERVICE followed by an IRI, a variable, SILENT or a prefixed name is refused in ANY position, strings and
#: comments too (defence in depth: no difference between two parsers' tokenising can hide one)
REFUSED_ANYWHERE = [
    'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> { }" }',
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1:9/> { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p 'a service ?x' }",
    "SELECT * WHERE { ?s ?p <urn:a#service?x> }",   # a '#' could start a comment in a reading: not left out
    # a prefix named service: pyoxigraph reads `{ service:a { ... } }` as SERVICE <the empty prefix's IRI + a>
    "PREFIX service: <urn:x:> SELECT * WHERE { service:a ?p ?o }",
]
ALLOWED = [
    'SELECT * WHERE { ?s ?p "Service owner" }',
    "SELECT * WHERE { ?s ?p ?o } # the IT service manager's skills",
    "SELECT * WHERE { ?s ?p <urn:SERVICE> }",
    "SELECT ?service WHERE { ?service ?p ?o }",
    "PREFIX svc: <urn:x:> SELECT * WHERE { svc:service ?p ?o }",
    "SELECT * WHERE { VALUES ?n { <http://example.org/service?id=1> <http://example.org/service$x> } ?n ?p ?o }",
    "# Senior Civil Service roles\nSELECT * WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("text", REFUSED)
def test_service_is_refused_from_the_parse(text):
    with pytest.raises(RefusedQuery, match="SERVICE is refused"):
        sparql_guard.check(text)


@pytest.mark.parametrize("text", REFUSED_ANYWHERE)
def test_service_before_an_iri_or_variable_is_refused_even_in_strings_and_comments(text):
    with pytest.raises(RefusedQuery, match="SERVICE is refused"):
        sparql_guard.prepare(text)


@pytest.mark.parametrize("text", ALLOWED)
def test_service_named_in_strings_comments_iris_and_names_is_not_service(text):
    assert sparql_guard.check(text).service is False


@pytest.mark.parametrize("text", ["INSERT DATA { <urn:a> <urn:b> <urn:c> }", f"LOAD <{URL}>",
                                  f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{URL}> {{ ?s ?p ?o }} }}"])
def test_updates_are_refused(text):
    with pytest.raises(RefusedQuery, match="(Update|SERVICE) is refused"):
        sparql_guard.check(text) if "SERVICE" in text else sparql_guard.refuse_update(text)


def test_a_query_that_names_service_but_does_not_parse_is_not_run():
    with pytest.raises(QueryError, match="syntax error"):
        sparql_guard.check("SELECT * WHERE { ?s ?p role:it-service-manager ")


def test_cheap_queries_are_not_parsed():
    assert sparql_guard.check("SELECT * WHERE { ?s ?p ?o }").parsed is False
    assert sparql_guard.check("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }", dataset=True).default_graphs == ("urn:g",)


def test_the_prologue_alone_does_not_make_a_query_parsed():
    """rolegraph's own namespace (``<https://w3id.org/rolegraph/ontology#>``) spells 'graph' inside an IRI with '#':
    every query sent with the standard prologue was parsed by rdflib (~9 ms, issue 22's serve throughput)."""
    from rolegraph.namespaces import sparql_prologue

    prologue = "# a header\n" + sparql_prologue() + "BASE <https://example.org/from#>\n"
    assert sparql_guard.check(prologue + "SELECT ?n WHERE { ?r skos:prefLabel ?n }", dataset=True).parsed is False
    graph = sparql_guard.check(prologue + "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", dataset=True)
    assert graph.parsed is True and graph.graph_pattern is True
    named = sparql_guard.check(prologue + "SELECT * FROM <urn:g> WHERE { ?s ?p ?o }", dataset=True)
    assert named.default_graphs == ("urn:g",)
    # a '<' that is not a declaration's IRI is still scanned as before: this text is parsed (and does not parse)
    with pytest.raises(QueryError, match="syntax error"):
        sparql_guard.check("PREFIX a: <urn:a#> SELECT * WHERE { ?s ?p ?o FILTER(?o <a#\n) GRAPH ?g {} }",
                           dataset=True)


@pytest.mark.parametrize("template", [REFUSED[1], REFUSED[5]])
def test_rolegraph_query_refuses_service_without_an_outbound_request(cli, template):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.3)
    try:
        text = template.replace(URL, f"http://127.0.0.1:{listener.getsockname()[1]}/sparql")
        r = cli("query", "-", input=text)
        assert r.exit_code == 2 and r.stderr.startswith("Error: SERVICE is refused") and "Traceback" not in r.stderr
        with pytest.raises(socket.timeout):
            listener.accept()
    finally:
        listener.close()


@pytest.fixture(scope="module")
def rdflib_graph():
    from rolegraph.graph import RoleGraph

    return RoleGraph.load(backend="rdflib")


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_dataset_semantics_are_the_same_on_both_backends(graph, rdflib_graph, backend):
    import json

    from rolegraph.server.workers import Job, execute

    g = graph if backend == "oxigraph" else rdflib_graph
    every = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def count(query, **job):
        answer = execute(g, Job(query, **job))
        assert answer.status == 200, answer.body
        return int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"])
    total = count(every)
    assert total == len(graph)
    assert count(every.replace("WHERE", f"FROM <{DATA_GRAPH}> WHERE")) == total
    assert count(every, default_graphs=(DATA_GRAPH,)) == total
    # naming any other graph is a clear 400 (the endpoint exposes exactly one graph), however it is named
    for query, job in [(every.replace("WHERE", "FROM <http://example.org/g> WHERE"), {}),
                       (every.replace("WHERE", "FROM NAMED <http://example.org/g> WHERE"), {}),
                       (every, {"default_graphs": ("http://example.org/g",)}),
                       (every, {"named_graphs": ("http://example.org/g",)}),
                       (every.replace("WHERE", "FROM <urn:x> WHERE"), {"default_graphs": ("http://example.org/g",)})]:
        answer = execute(g, Job(query, **job))
        assert answer.status == 400 and b"<http://example.org/g> names a graph this endpoint does not expose" \
            in answer.body, (query, job, answer.body)
    answer = execute(g, Job("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"))   # no named graphs
    assert answer.status == 400 and b"GRAPH patterns are refused" in answer.body
    assert execute(g, Job("CONSTRUCT { <s> <p> 1 } WHERE {}", base="http://h/sparql", graph_format="nt")).body \
        .startswith(b"<http://h/s> <http://h/p>")
    refused = execute(g, Job(REFUSED[1]))
    assert refused.status == 403 and b"SERVICE is refused" in refused.body
    assert execute(g, Job("SELECT * WHERE { ?s ?p ?o }"), max_bytes=10_000).status == 500
