"""Scale-out: the same commands give the same answers on a store folder, on Oxigraph's server and on Virtuoso.

The servers are real (started on loopback by tests/servers.py); the framework is
published to each with ``rolegraph publish`` and every command of the suite is
compared with the answer of the in-memory graph.
"""
from __future__ import annotations

import json
import socket
import threading

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from rolegraph.cli import main
from rolegraph.errors import InputError, QueryError
from rolegraph.graph import RoleGraph
from rolegraph.store.folder import open_folder, read_meta
from rolegraph.store.remote import RemoteBackend
from rolegraph.store.stamp import Stamp, read_stamp, stamp_graph
from rolegraph.store_fill import fill_store

from . import servers
from .conftest import FIXTURES


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, env=env)


@pytest.fixture(scope="module", autouse=True)
def cache_dir(tmp_path_factory):
    """Every --endpoint cache of this module in a temporary folder (never the user's ~/.cache)."""
    folder = tmp_path_factory.mktemp("rolegraph-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ROLEGRAPH_CACHE_DIR", str(folder))
        yield folder


# ---------------------------------------------------------------------------- the backends under test

@pytest.fixture(scope="session")
def store_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scaleout") / "store"
    result = run("--store", folder, "load")
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    server = servers.start_oxigraph(tmp_path_factory.mktemp("oxigraph-server"))
    try:
        result = run("--endpoint", server.query, "publish", "--graph-store", server.graph_store, "--batch", "4000")
        assert result.exit_code == 0, result.output
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    server = servers.start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        env = {"ROLEGRAPH_ENDPOINT_USER": server.user, "ROLEGRAPH_ENDPOINT_PASSWORD": server.password}
        result = run("--endpoint", server.query, "--graph", server.graph, "publish", "--graph-store",
                     server.graph_store, env=env)
        assert result.exit_code == 0, result.output
        assert f"the server holds {len(RoleGraph.load()):,}" in result.output
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["store", "oxigraph-server", "virtuoso"])
def source(request) -> list[str]:
    """The global options that point rolegraph at one backend."""
    if request.param == "store":
        return ["--store", str(request.getfixturevalue("store_dir"))]
    server = request.getfixturevalue("oxigraph_server" if request.param == "oxigraph-server" else "virtuoso")
    return ["--endpoint", server.query] + (["--graph", server.graph] if server.graph else [])


# ---------------------------------------------------------------------------- one suite, identical answers

SUITE = [
    ("roles",),
    ("roles", "--family", "Data", "--format", "json"),
    ("role", "Data engineer", "--format", "json"),
    ("role", "Chief information security officer"),
    ("skill", "Data modelling", "--format", "json"),
    ("skills", "--format", "json"),
    ("skills", "--role", "Senior data engineer"),
    ("queries",),
    ("query", "summary", "--format", "json"),
    ("query", "level-skills", "--format", "json"),
    ("query", "shared-skills", "--format", "json"),
    ("query", "top-skills", "--format", "csv"),
    ("query", "skill-demand", "--format", "json"),
    ("query", "search", "--param", "text=data", "--format", "json"),
    ("query", "-", "--format", "json"),  # stdin: every triple, 12k rows: more than Virtuoso's 10,000 cap
    ("related", "Senior data engineer", "--format", "json"),
    ("path", "Data engineer", "Chief data officer", "--format", "json"),
    ("gap", "Data engineer", "Lead data engineer", "--format", "json"),
    ("shared", "Chief information security officer", "Chief technology officer", "--format", "json"),
    ("core-skills", "--format", "json"),
    ("report", "Security architect", "Chief information security officer", "--format", "md"),
    ("report", "Data engineer", "--format", "html"),
    ("export", "--format", "graphml"),
    ("export", "--format", "csv"),
]
ALL_TRIPLES = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER (!isBlank(?s) && !isBlank(?o)) } ORDER BY ?s ?p ?o"


def _input(args):
    return ALL_TRIPLES if args[:2] == ("query", "-") else None


@pytest.fixture(scope="module")
def local_answers():
    runner = CliRunner()
    return {args: runner.invoke(main, list(args), input=_input(args), catch_exceptions=False) for args in SUITE}


@pytest.mark.parametrize("args", SUITE, ids=[" ".join(a[:2]) for a in SUITE])
def test_same_answer_as_the_local_graph(source, args, local_answers):
    expected = local_answers[args]
    got = CliRunner().invoke(main, source + list(args), input=_input(args), catch_exceptions=False)
    assert got.exit_code == expected.exit_code == 0, got.output
    assert got.output == expected.output


def _named_queries() -> list[str]:
    from rolegraph.resources import queries_dir

    return sorted(p.stem for p in queries_dir().glob("*.rq"))


def _normalise(name: str, rows: list[dict], server: str) -> list[dict]:
    """Rows with Virtuoso's documented difference (README) undone: EXISTS as a value comes back as 0/1."""
    if server != "virtuoso" or not isinstance(rows, list):  # (an ASK's answer is one boolean)
        return rows
    out = []
    for r in rows:
        r = dict(r)
        if name == "family-roles":
            r["scs"] = bool(r["scs"])
        out.append(r)
    return out


@pytest.mark.parametrize("name", _named_queries())
def test_named_queries_give_the_same_rows(source, name, request):
    server = request.node.callspec.params["source"]
    fmt = "nt" if name == "role-graph" else "json"
    local = run("query", name, "--format", fmt)
    got = run(*source, "query", name, "--format", fmt)
    assert got.exit_code == local.exit_code == 0, got.output
    if fmt == "nt":  # a CONSTRUCT: the same graph, in the server's order
        assert isomorphic(Graph().parse(data=local.output, format="nt"), Graph().parse(data=got.output, format="nt"))
        return
    assert _normalise(name, json.loads(got.output), server) == json.loads(local.output)


def test_export_is_the_same_graph(source):
    local = Graph().parse(data=run("export", "--format", "nt").output, format="nt")
    got = run(*source, "export", "--format", "nt")
    assert got.exit_code == 0, got.output
    assert len(local) > 10_000  # more than Virtuoso's row cap: the dump is paged
    assert isomorphic(local, Graph().parse(data=got.output, format="nt"))


def test_validate_gives_the_same_report(source):
    local = json.loads(run("validate", "--format", "json").output)
    result = run(*source, "validate", "--format", "json")
    assert result.exit_code == 0, result.output
    got = json.loads(result.output)
    assert got["results"] == local["results"] and got["results"]


# ---------------------------------------------------------------------------- the store folder

def test_load_replaces_atomically_and_keeps_the_store_on_bad_input(tmp_path):
    folder = tmp_path / "store"
    assert run("--store", folder, "load", FIXTURES / "mini", "--no-validate").exit_code == 0
    before = read_meta(folder)
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    result = run("--store", folder, "load", bad)
    assert result.exit_code == 2
    assert "bad.ttl:2" in result.output and "Traceback" not in result.output
    assert read_meta(folder) == before
    assert sorted(p.name for p in folder.iterdir()) == sorted([".load.lock", "current",
                                                               (folder / "current").resolve().name])


def test_load_refuses_data_with_violations_and_leaves_the_store(tmp_path):
    folder = tmp_path / "store"
    assert run("--store", folder, "load", FIXTURES / "mini").exit_code == 0
    before = read_meta(folder)
    broken = tmp_path / "broken"
    broken.mkdir()
    text = (FIXTURES / "mini" / "framework.ttl").read_text(encoding="utf-8")
    (broken / "framework.ttl").write_text(text + "\nrole:tester rg:family skill:testing .\n", encoding="utf-8")
    result = run("--store", folder, "load", broken)
    assert result.exit_code == 1
    assert "not replaced" in result.output and "violations" in result.output
    assert read_meta(folder) == before


def test_store_refuses_a_folder_that_is_not_a_store(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="not a rolegraph store"):
        fill_store(tmp_path, [FIXTURES / "mini"], validate=False)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    result = run("--store", tmp_path, "roles")
    assert result.exit_code == 2 and "not a rolegraph store" in result.output


def test_derived_data_is_kept_with_the_store_and_dropped_when_its_content_changes(tmp_path):
    folder = tmp_path / "store"
    fill_store(folder, [FIXTURES / "mini"], validate=False)
    calls = []
    assert RoleGraph.open(folder).cached("k", lambda: calls.append(1) or len(calls)) == 1
    assert RoleGraph.open(folder).cached("k", lambda: calls.append(1) or len(calls)) == 1  # read from the store
    assert calls == [1]
    fill_store(folder, None, validate=False)  # new content: the bundled framework
    assert RoleGraph.open(folder).cached("k", lambda: calls.append(1) or len(calls)) == 2
    assert open_folder(folder).content_key == read_meta(folder).key


def test_derived_data_written_by_other_code_is_not_read_back(tmp_path, monkeypatch):
    # a cached value of an older layout could load and answer wrongly: the cache is keyed by the code that wrote it
    from rolegraph import graph as graph_module

    folder = tmp_path / "store"
    fill_store(folder, [FIXTURES / "mini"], validate=False)
    calls = []
    assert RoleGraph.open(folder).cached("k", lambda: calls.append(1) or len(calls)) == 1
    monkeypatch.setattr(graph_module, "_CODE_KEY", ["another version of rolegraph"])
    assert RoleGraph.open(folder).cached("k", lambda: calls.append(1) or len(calls)) == 2


def test_name_look_ups_on_a_store_read_one_piece_of_the_name_index(tmp_path, monkeypatch):
    folder = tmp_path / "store"
    fill_store(folder, None, validate=False)
    memory = RoleGraph.load()
    names = ["Senior data engineer", "data-engineer", "Chief information security officer", "Data modelling"]
    expected = [memory.resolve(n) for n in names]
    assert [RoleGraph.open(folder).resolve(n) for n in names] == expected
    monkeypatch.setattr(RoleGraph, "_name_index", property(lambda self: pytest.fail("read the whole name index")))
    again = RoleGraph.open(folder)  # a later process: one small piece per look-up
    assert [again.resolve(n) for n in names] == expected


def test_store_with_data_is_a_usage_error(tmp_path):
    result = run("--store", tmp_path, "--data", FIXTURES / "mini", "roles")
    assert result.exit_code == 2 and "only one of --data, --store" in result.output


# ---------------------------------------------------------------------------- the stamp and the --endpoint cache

@pytest.fixture
def fresh_server(tmp_path):
    """An Oxigraph server of this test's own (the tests below change its data)."""
    (tmp_path / "server").mkdir()
    server = servers.start_oxigraph(tmp_path / "server")
    yield server
    server.stop()


def _publish(server, *paths, endpoint=True):
    result = run(*(["--endpoint", server.query] if endpoint else []), "publish", "--graph-store", server.graph_store,
                 *paths)
    assert result.exit_code == 0, result.output
    return result.output


def _post(server, ntriples: str, graph: str | None = None) -> None:
    """Add triples with the Graph Store Protocol, as another tool would (no stamp)."""
    import urllib.request

    from rolegraph.store.remote import graph_url

    req = urllib.request.Request(graph_url(server.graph_store, graph), data=ntriples.encode(), method="POST",
                                 headers={"Content-Type": "application/n-triples"})
    urllib.request.urlopen(req, timeout=30).close()


def test_publish_stamps_the_graph_beside_the_data(fresh_server, oxigraph_server, virtuoso):
    out = _publish(fresh_server)
    assert "Stamped sha256:" in out
    backend = RemoteBackend(fresh_server.query)
    total = len(RoleGraph.load())
    stamp = read_stamp(backend)
    assert stamp is not None and stamp.triples == total and stamp.key.startswith("sha256:")
    assert len(backend) == total  # the stamp is in a graph of its own: not one more triple in the data
    assert not backend.ask("ASK { ?d <http://rdfs.org/ns/void#triples> ?n }")
    # the shared servers of the suite above are stamped too (Virtuoso in its named graph)
    assert read_stamp(RemoteBackend(oxigraph_server.query)) is not None
    assert read_stamp(RemoteBackend(virtuoso.query, virtuoso.graph)).triples == total
    assert backend.cache_dir is not None
    # `stamp` on Virtuoso (its Digest login, its row cap while reading the graph): the same count, a new digest
    env = {"ROLEGRAPH_ENDPOINT_USER": virtuoso.user, "ROLEGRAPH_ENDPOINT_PASSWORD": virtuoso.password}
    result = run("--endpoint", virtuoso.query, "--graph", virtuoso.graph, "stamp", "--graph-store",
                 virtuoso.graph_store, "--format", "json", env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["triples"] == total
    assert read_stamp(RemoteBackend(virtuoso.query, virtuoso.graph)) == Stamp(**json.loads(result.output))


def test_publish_to_the_default_graph_without_endpoint_leaves_no_stamp(fresh_server):
    _publish(fresh_server)
    out = _publish(fresh_server, endpoint=False)  # the stamp cannot be checked: the old one is removed too
    assert "Not stamped: publishing to the default graph" in out
    backend = RemoteBackend(fresh_server.query)
    assert read_stamp(backend) is None and backend.cache_dir is None
    assert run("--endpoint", fresh_server.query, "role", "Data engineer").output == run("role", "Data engineer").output


def test_derived_data_is_cached_across_processes(fresh_server, cache_dir):
    _publish(fresh_server)
    calls = []
    build = lambda: calls.append(1) or len(calls)  # noqa: E731
    assert RoleGraph.connect(fresh_server.query).cached("k", build) == 1
    assert RoleGraph.connect(fresh_server.query).cached("k", build) == 1  # a new graph reads it from the cache
    assert calls == [1]
    folder = RemoteBackend(fresh_server.query).cache_dir
    assert folder is not None and folder.is_relative_to(cache_dir)
    # whole processes: the first fills the cache, the second answers from it, both as the local graph does
    import subprocess
    import sys

    args = ["related", "Senior data engineer", "--format", "json"]
    expected = run(*args).output
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-m", "rolegraph", "--endpoint", fresh_server.query, *args],
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout == expected
    assert len(list(folder.glob("*.json"))) > 10
    assert not [p for p in folder.rglob("*") if p.suffix != ".json"]  # no half-written (.part) files


def test_the_cache_is_dropped_when_the_graph_changes(fresh_server):
    _publish(fresh_server, FIXTURES / "mini")
    calls = []
    build = lambda: calls.append(1) or len(calls)  # noqa: E731
    old = RemoteBackend(fresh_server.query).cache_dir
    assert RoleGraph.connect(fresh_server.query).cached("k", build) == 1
    assert RoleGraph.connect(fresh_server.query).resolve("Tester").label == "Tester"
    _publish(fresh_server)  # republished with other content: a new stamp, a new cache
    assert RoleGraph.connect(fresh_server.query).cached("k", build) == 2
    assert not old.exists()  # the old content's cache is removed
    # an edit by another tool (no new stamp): the triple count no longer agrees, so nothing cached is trusted
    _post(fresh_server, '<https://w3id.org/rolegraph/ddat/role/data-engineer> '
                        '<http://www.w3.org/2004/02/skos/core#altLabel> "Pipeline plumber"@en .\n')
    backend = RemoteBackend(fresh_server.query)
    assert read_stamp(backend) is not None and backend.cache_dir is None
    assert RoleGraph.connect(fresh_server.query).cached("k", build) == 3
    assert RoleGraph.connect(fresh_server.query).resolve("Pipeline plumber").label == "Data engineer"
    result = run("--endpoint", fresh_server.query, "role", "Pipeline plumber")
    assert result.exit_code == 0 and result.output.startswith("Data engineer")
    # `stamp` takes the graph as it now is: cached again
    result = run("--endpoint", fresh_server.query, "stamp", "--graph-store", fresh_server.graph_store)
    assert result.exit_code == 0 and result.output.startswith("Stamped sha256:"), result.output
    assert RemoteBackend(fresh_server.query).cache_dir is not None
    assert RoleGraph.connect(fresh_server.query).resolve("Pipeline plumber").label == "Data engineer"


def test_a_graph_without_stamp_gives_the_same_answers_without_cache(fresh_server, cache_dir):
    _post(fresh_server, RoleGraph.load().backend.dump("nt").decode())  # loaded by another tool
    backend = RemoteBackend(fresh_server.query)
    assert read_stamp(backend) is None and backend.cache_dir is None
    before = sorted(cache_dir.rglob("*"))
    for args in [("role", "Data engineer"), ("path", "Data engineer", "Chief data officer", "--format", "json")]:
        got = run("--endpoint", fresh_server.query, *args)
        assert got.exit_code == 0 and got.output == run(*args).output
    assert sorted(cache_dir.rglob("*")) == before  # nothing cached for a graph without stamp


def test_an_unwritable_cache_folder_is_no_error(fresh_server, tmp_path, monkeypatch):
    _publish(fresh_server)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("ROLEGRAPH_CACHE_DIR", str(blocker))
    assert RemoteBackend(fresh_server.query).cache_dir is None
    got = run("--endpoint", fresh_server.query, "related", "Senior data engineer")
    assert got.exit_code == 0 and got.output == run("related", "Senior data engineer").output
    # a cache folder removed while a process uses it (another process saw a newer stamp): no error either
    import shutil

    monkeypatch.setenv("ROLEGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    g = RoleGraph.connect(fresh_server.query)
    shutil.rmtree(g.backend.cache_dir)
    assert g.cached("k", lambda: 42) == 42 and g.resolve("Data engineer").label == "Data engineer"
    # a full disk: the values are not kept, the answer is the same, and no half-written file is left
    import errno

    import rolegraph.atomic

    def full(fd, payload):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(rolegraph.atomic, "_write_all", full)
    g = RoleGraph.connect(fresh_server.query)
    assert g.cached("k2", lambda: 43) == 43 and g.resolve("Senior data engineer").kind == "level"
    assert list(g.backend.cache_dir.iterdir()) == []


def test_stamp_needs_an_endpoint_and_a_graph_store_url(fresh_server):
    result = run("stamp", "--graph-store", fresh_server.graph_store)
    assert result.exit_code == 2 and result.output.startswith("Error: stamp needs")
    result = run("--endpoint", fresh_server.query, "stamp", "--graph-store", "ftp://x/store")
    assert result.exit_code == 2 and result.output.startswith("Error: ") and "Traceback" not in result.output
    assert stamp_graph(None) != stamp_graph("https://example.org/g") and Stamp("k", 1).to_dict() == {
        "key": "k", "triples": 1}


# ---------------------------------------------------------------------------- real servers' limits

def test_virtuoso_row_cap_is_paged_or_reported(virtuoso):
    backend = RemoteBackend(virtuoso.query, virtuoso.graph)
    rows = backend.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert len(rows) == len(backend) > 10_000
    with pytest.raises(QueryError, match="cut the answer at 10000 rows"):
        backend.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 11000")


def test_virtuoso_default_graph_without_graph_is_not_the_framework(virtuoso):
    # Virtuoso's default graph is the union of all its graphs (its own system graphs too): use --graph
    assert len(RemoteBackend(virtuoso.query)) > len(RemoteBackend(virtuoso.query, virtuoso.graph))


def test_publish_without_login_is_refused_with_a_hint(virtuoso):
    result = run("--endpoint", virtuoso.query, "--graph", virtuoso.graph, "publish", "--graph-store",
                 virtuoso.graph_store, env={"ROLEGRAPH_ENDPOINT_USER": "", "ROLEGRAPH_ENDPOINT_PASSWORD": ""})
    assert result.exit_code == 2
    assert "HTTP 401" in result.output and "ROLEGRAPH_ENDPOINT_USER" in result.output
    result = run("--endpoint", virtuoso.query, "--graph", virtuoso.graph, "publish", "--graph-store",
                 virtuoso.graph_store, env={"ROLEGRAPH_ENDPOINT_USER": "dba", "ROLEGRAPH_ENDPOINT_PASSWORD": "wrong"})
    assert result.exit_code == 2 and "HTTP 401" in result.output


def test_endpoint_is_read_only(oxigraph_server):
    result = CliRunner().invoke(main, ["--endpoint", oxigraph_server.query, "query", "-"],
                                input="INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert len(RemoteBackend(oxigraph_server.query)) == len(RoleGraph.load())


def test_syntax_errors_name_the_users_line(oxigraph_server):
    result = CliRunner().invoke(main, ["--endpoint", oxigraph_server.query, "query", "-"],
                                input="SELECT ?s\nWHERE { ?s ?p }")
    assert result.exit_code == 2
    assert "line 2" in result.output


def test_unreachable_endpoint_is_one_clear_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = run("--endpoint", f"http://127.0.0.1:{port}/sparql", "roles")
    assert result.exit_code == 2
    assert result.output.startswith("Error: ") and "cannot reach" in result.output


def test_a_server_that_never_answers_times_out():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts connections, never answers
    port = listener.getsockname()[1]
    try:
        result = run("--endpoint", f"http://127.0.0.1:{port}/sparql", "--timeout", "0.5", "roles")
    finally:
        listener.close()
    assert result.exit_code == 2
    assert "no answer within 0.5 s" in result.output


def test_login_in_the_url_is_refused():
    with pytest.raises(InputError, match="put no login in the URL"):
        RemoteBackend("http://dba:dba@127.0.0.1:1/sparql")


def test_basic_auth_from_the_environment(monkeypatch):
    """A tiny server that demands Basic auth: the environment's login is sent, never the command line's."""
    import base64
    from http.server import BaseHTTPRequestHandler, HTTPServer

    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            auth = self.headers.get("Authorization")
            seen.append(auth)
            if auth != "Basic " + base64.b64encode(b"ann:s3cret").decode():
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="sparql"')
                self.end_headers()
                return
            body = b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", ' \
                   b'"value": "7", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("ROLEGRAPH_ENDPOINT_USER", "ann")
        monkeypatch.setenv("ROLEGRAPH_ENDPOINT_PASSWORD", "s3cret")
        assert len(RemoteBackend(f"http://127.0.0.1:{httpd.server_port}/sparql")) == 7
        assert seen[0] is None and seen[-1].startswith("Basic ")
    finally:
        httpd.shutdown()
        httpd.server_close()


# ---------------------------------------------------------------------------- serve over any backend

@pytest.fixture(params=["store", "oxigraph-server"])
def served_graph(request, tmp_path):
    """(the global options that point `rolegraph serve` at a backend, the graph it should answer from)."""
    if request.param == "store":  # the small fixture framework: answers that differ from the bundled data
        fill_store(tmp_path / "store", [FIXTURES / "mini"], validate=False)
        return ["--store", str(tmp_path / "store")], RoleGraph.load([FIXTURES / "mini"])
    return ["--endpoint", request.getfixturevalue("oxigraph_server").query], RoleGraph.load()


def test_serve_answers_from_the_store_or_endpoint_it_was_given(served_graph):
    """rolegraph serve in front of a store folder or another server: its workers open that same graph
    (not the bundled files), so its answers are the backend's."""
    import re
    import subprocess
    import sys
    import time

    options, expected = served_graph
    proc = subprocess.Popen([sys.executable, "-m", "rolegraph", *options, "serve", "--port", "0", "--workers", "1",
                             "--timeout", "20", "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    try:
        first = proc.stderr.readline() if proc.stderr else ""
        m = re.search(r"http://(127\.0\.0\.1):(\d+)/sparql", first)
        assert m, first
        front = RemoteBackend(f"http://{m.group(1)}:{m.group(2)}/sparql")
        query = "SELECT ?n WHERE { ?r a <https://w3id.org/rolegraph/ontology#Role> ; " \
                "<http://www.w3.org/2004/02/skos/core#prefLabel> ?n } ORDER BY STR(?n)"
        deadline = time.monotonic() + 90
        while True:   # the socket listens at once; the workers open the graph first
            try:
                rows = front.select(query)
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        assert rows == expected.backend.select(query)
        assert len(front) == len(expected)
    finally:
        proc.terminate()
        proc.wait(20)
