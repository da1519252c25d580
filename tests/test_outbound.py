"""No query of any form, and no data file, makes rolegraph open a connection (issue 21, item 1).

A canary listener on a free loopback port records every connection made to it. A GENERATED corpus of
SERVICE variants (codepoint escapes of each letter of SERVICE and SILENT, of quotes, backslashes, ``#``,
``<`` and ``>``, inside and outside every kind of string, comments ended by CR or other line breaks, IRIs,
variables, prefixed names, ``https://``, nesting in OPTIONAL, UNION, MINUS, subqueries, EXISTS, with FROM
and FROM NAMED, boundaries such as ``1SERVICE``) is run through the library (:func:`rolegraph.queries.run`),
``rolegraph query -`` (in process, and a handful through the real CLI) and a live ``rolegraph serve`` (GET,
form POST, ``application/sparql-query``). Each variant names its own path on the canary, so a failure says
which variants got out. Also: the answer never depends on whether the target listens (no port scanner),
benign queries naming services still answer, and data files cannot make a fetch (JSON-LD remote contexts,
RDF/XML DTDs and external entities, ``owl:imports``, rdflib's FROM loading, SHACL-SPARQL shapes).
"""
from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable

import pytest

from rolegraph import queries
from rolegraph.errors import QueryError

SERVICE_REFUSED = "SERVICE is refused: rolegraph never sends queries to other endpoints"


class Canary:
    """A TCP listener on 127.0.0.1 (free port) that records each connection's first bytes and closes it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.port = self.sock.getsockname()[1]
        self.seen: list[bytes] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self.lock:
                self.seen.append(b"")
                index = len(self.seen) - 1
            conn.settimeout(0.2)
            try:
                self.seen[index] = conn.recv(300)
            except OSError:
                pass
            conn.close()   # only after it is counted: a client that got an answer (or EOF) was counted

    def paths(self) -> set[str]:
        """The variant paths (``/v123``) of the requests seen (a TLS handshake counts as ``?``)."""
        with self.lock:
            return {m.group(1) if (m := re.search(rb"/(v\d+)", data)) else "?" for data in self.seen}  # type: ignore[misc]

    def count(self) -> int:
        with self.lock:
            return len(self.seen)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(scope="module")
def canary():
    c = Canary()
    yield c
    c.close()


# ---------------------------------------------------------------------------- the corpus

def _u(ch: str) -> str:
    return f"\\u{ord(ch):04X}"


def _big_u(ch: str) -> str:
    return f"\\U{ord(ch):08X}"


def spellings(word: str) -> list[str]:
    """*word* as written, lower-case, mixed case, each letter escaped (``\\u`` and ``\\U``) and all escaped."""
    out = [word, word.lower(), "".join(c.lower() if i % 2 else c for i, c in enumerate(word))]
    for esc in (_u, _big_u):
        out += [word[:i] + esc(word[i]) + word[i + 1:] for i in range(len(word))]
        out.append("".join(esc(c) for c in word))
    return out


GROUP = "{ ?s ?p ?o }"


def targets(url: str) -> list[tuple[str, str]]:
    """(prologue, target) pairs: IRIs (escaped or not), https, a variable, prefixed names."""
    host, path = url.rsplit("/", 1)
    https = url.replace("http://", "https://")
    return [
        ("", f"<{url}>"),
        ("", f"{_u('<')}{url}{_u('>')}"),
        ("", f"<{host}/{_u(path[0])}{path[1:]}>"),
        ("", f"<{https}>"),
        (f"PREFIX ex: <{host}/> ", f"ex:{path}"),
        (f"PREFIX : <{host}/> ", f":{path}"),
        ("", "?svc"),   # bound below by VALUES
    ]


def corpus(url_for: Callable[[int], str]) -> list[str]:
    """Hundreds of SERVICE variants; variant *i* calls ``url_for(i)`` (the canary's ``/v<i>``)."""
    out: list[str] = []

    def add(make: Callable[[str], str]) -> None:
        out.append(make(url_for(len(out))))

    def bind(url: str, target: str) -> str:
        return f"VALUES ?svc {{ <{url}> }} " if target == "?svc" else ""

    # every spelling of SERVICE (with and without SILENT) before every kind of target, first in the group
    for kw in spellings("SERVICE"):
        for silent in ("", "SILENT "):
            for k in range(len(targets("http://h/v0"))):
                add(lambda url, kw=kw, silent=silent, k=k: (
                    lambda pro, t: f"{pro}SELECT * WHERE {{ {bind(url, t)}{kw} {silent}{t} {GROUP} }}")(
                        *targets(url)[k]))
    for silent in spellings("SILENT")[3:]:
        add(lambda url, s=silent: f"SELECT * WHERE {{ SERVICE {s} <{url}> {GROUP} }}")
    # nesting, query forms and dataset clauses
    contexts = [
        "SELECT * WHERE {{ ?s ?p ?o . {svc} }}",
        "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ {svc} }} }}",
        "SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ {svc} }} }}",
        "SELECT * WHERE {{ ?s ?p ?o MINUS {{ {svc} }} }}",
        "SELECT * WHERE {{ {{ SELECT * WHERE {{ {svc} }} }} }}",
        "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ {svc} }} }}",
        "SELECT * WHERE {{ ?s ?p ?o FILTER NOT EXISTS {{ {svc} }} }}",
        "SELECT * WHERE {{ {{ OPTIONAL {{ {{ {svc} }} }} }} }}",
        "ASK {{ {svc} }}",
        "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {svc} }}",
        "DESCRIBE ?s WHERE {{ {svc} }}",
        "SELECT * FROM <{url}g> WHERE {{ {svc} }}",
        "SELECT * FROM NAMED <{url}g> WHERE {{ {svc} }}",
        "SELECT * WHERE {{ ?s ?p ?o . {svc} }} LIMIT 1",
    ]
    for ctx in contexts:
        for kw in ("SERVICE", "service SILENT", "\\u0053ERVICE", "SERVIC\\U00000045"):
            for k in (0, 3, 4):
                add(lambda url, ctx=ctx, kw=kw, k=k: (lambda pro, t: pro + ctx.format(
                    svc=f"{kw} {t} {GROUP}", url=url))(*targets(url)[k]))
    # the smugglers: an escaped quote, backslash, '#', '<' or '>' that one parser reads inside a string, an
    # IRI or a comment and another outside it; comments ended by CR or other line breaks
    smugglers = [
        'BIND("\\u005C" AS ?a) {svc} #" AS ?a)\n',
        "BIND('\\u005C' AS ?a) {svc} #' AS ?a)\n",
        'BIND("\\u0022" AS ?a) {svc} # """ AS ?a)\n',
        "BIND('\\u0027' AS ?a) {svc} # ''' AS ?a)\n",
        'BIND("""\\u005C""" AS ?a) {svc} #""" AS ?a)\n',
        "BIND('''\\u005C''' AS ?a) {svc} #''' AS ?a)\n",
        'BIND("\\u005C\\u0022" AS ?a) {svc} #" AS ?a)\n',
        'BIND("\\u005Cu0022" AS ?a) {svc} #" AS ?a)\n',
        'BIND("\\\\u0022" AS ?a) {svc} #" AS ?a)\n',
        '?s ?p ?o # x\r {svc}\n',
        '?s ?p ?o # x\u2028 {svc}\n',
        '?s ?p ?o # x\x0b {svc}\n',
        '?s ?p ?o # x\x0c {svc}\n',
        '?s ?p ?o # x\x85 {svc}\n',
        '?s ?p ?o \\u0023 x\n {svc}\n',
        '?s ?p ?o # x\\u000A {svc}\n',
        '?s ?p ?o # x\\u000D {svc}\n',
        '?s ?p <urn:a\\u003E . {svc} # > .\n',
        '?s ?p <urn:a#\\u003E {svc} #> .\n',
        '?s ?p "a" . FILTER(?o < <urn:x>) {svc}\n',
        'BIND("a" AS ?a) {svc} BIND("\\u0022" AS ?b) #"\n',
        'BIND("x\\u000A" AS ?a) {svc}\n',
        "?s ?p ?o .{svc}",
        "?s ?p ?o {svc}",
        'BIND("a"@en AS ?a) {svc}',
    ]
    for sm in smugglers:
        for kw in ("SERVICE", "\\u0053ERVICE", "SERVIC\\u0045"):
            for k in (0, 1, 4):
                add(lambda url, sm=sm, kw=kw, k=k: (lambda pro, t: f"{pro}SELECT * WHERE {{ " + sm.format(
                    svc=f"{kw} {t} {GROUP}") + " }")(*targets(url)[k]))
    # no space between the keyword and what is before or after it
    for glue in ("?s ?p ?o .SERVICE<{url}>{{ ?s ?p ?o }}", "?s ?p 1SERVICE <{url}> {{ ?s ?p ?o }}",
                 "?s ?p trueSERVICE <{url}> {{ ?s ?p ?o }}", "?s ?p ?o SERVICE#c\r<{url}> {{ ?s ?p ?o }}",
                 "?s ?p ?o SERVICE\r\n\t<{url}>{{ ?s ?p ?o }}", "?s ?p ?o SERVICE?svc{{ ?s ?p ?o }}"):
        add(lambda url, glue=glue: f"SELECT * WHERE {{ VALUES ?svc {{ <{url}> }} " + glue.format(url=url) + " }")
    add(lambda url: f"PREFIX : <{url.rsplit('/', 1)[0]}/> SELECT * WHERE {{ service:{url.rsplit('/', 1)[1]} "
                    f"{GROUP} }}")
    return out


def test_the_corpus_is_large_and_every_variant_is_distinct():
    texts = corpus(lambda i: f"http://127.0.0.1:9/v{i}")
    assert len(texts) >= 400 and len(set(texts)) == len(texts)
    assert all(re.search(rf"(?:v|\\u0076){i}(?!\d)", t) for i, t in enumerate(texts))   # each names its own path


# ---------------------------------------------------------------------------- the surfaces

def _variants(canary: Canary, surface: str) -> list[tuple[str, str]]:
    """(path, query) for *surface* (paths are unique per surface, so a failure names the variant)."""
    base = f"http://127.0.0.1:{canary.port}/{surface}"
    return [(f"v{i}", t) for i, t in enumerate(corpus(lambda i: f"{base}-v{i}"))]


def _escaped(canary: Canary, before: int, what: str) -> None:
    time.sleep(0.3)   # a connection the engine made after the answer (none should exist) is counted too
    got = canary.count() - before
    assert got == 0, f"{what}: {got} connection(s) reached the canary, variants {sorted(canary.paths())[:20]}"


def test_library_entry_point_opens_no_connection(graph, canary):
    before = canary.count()
    variants = _variants(canary, "lib")
    messages = set()
    for _, text in variants:
        try:
            queries.run(graph, text)
            messages.add("ran")
        except QueryError as exc:
            messages.add(str(exc))
    _escaped(canary, before, f"library, {len(variants)} variants")
    assert messages == {SERVICE_REFUSED}, messages - {SERVICE_REFUSED}


def test_the_python_api_opens_no_connection(graph, canary):
    """RoleGraph.select and the backend itself refuse too (the backends run every text through the guard)."""
    before = canary.count()
    for _, text in _variants(canary, "api")[::7]:
        with pytest.raises(QueryError, match="SERVICE is refused"):
            graph.select(text)
        with pytest.raises(QueryError, match="SERVICE is refused"):
            graph.backend.query(text)
    _escaped(canary, before, "Python API")


def test_rolegraph_query_opens_no_connection(cli, canary):
    before = canary.count()
    variants = _variants(canary, "cli")
    bad = []
    for path, text in variants:
        r = cli("query", "-", input=text)
        if r.exit_code != 2 or r.stderr != f"Error: {SERVICE_REFUSED}\n":
            bad.append((path, r.exit_code, r.stderr[:200]))
    _escaped(canary, before, f"rolegraph query -, {len(variants)} variants")
    assert not bad, bad[:5]


def test_the_real_cli_opens_no_connection(canary):
    before = canary.count()
    for _, text in _variants(canary, "proc")[::90]:
        r = subprocess.run([sys.executable, "-m", "rolegraph", "query", "-"], input=text, capture_output=True,
                           text=True, timeout=120)
        assert r.returncode == 2 and r.stderr == f"Error: {SERVICE_REFUSED}\n", r.stderr
    _escaped(canary, before, "rolegraph query - (subprocess)")


class Serve:
    """``python -m rolegraph serve --port 0`` (the default mode, or *args*); its address read from its first line."""

    def __init__(self, *serve_args: str, before: tuple[str, ...] = ()):
        self.proc = subprocess.Popen([sys.executable, "-m", "rolegraph", *before, "serve", "--port", "0", "--quiet",
                                      "--timeout", "5", *serve_args],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        assert self.proc.stderr is not None
        first = self.proc.stderr.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/sparql", first)
        assert m, first
        self.url = f"http://127.0.0.1:{m.group(1)}/sparql"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if self.get("ASK {}")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("the server did not answer")

    def request(self, data: bytes | None, headers: dict[str, str], query: str = "") -> tuple[int, bytes]:
        req = urllib.request.Request(self.url + query, data=data, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()

    def get(self, text: str, **params: str) -> tuple[int, bytes]:
        return self.request(None, {"Accept": "application/sparql-results+json"},
                            "?" + urllib.parse.urlencode({"query": text, **params}))

    def form(self, text: str, **params: str) -> tuple[int, bytes]:
        return self.request(urllib.parse.urlencode({"query": text, **params}).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def direct(self, text: str) -> tuple[int, bytes]:
        return self.request(text.encode(), {"Content-Type": "application/sparql-query"})

    def stop(self) -> str:
        self.proc.terminate()
        self.proc.wait(30)
        assert self.proc.stderr is not None
        return self.proc.stderr.read()


@pytest.fixture(scope="module", params=["processes", "workers"])
def serve(request):
    """Both server modes: the default (2 server processes answering queries) and worker processes."""
    s = Serve(*(("--processes", "0", "--workers", "1") if request.param == "workers" else ()))
    yield s
    log = s.stop()
    assert "Traceback" not in log, log


@pytest.mark.parametrize("how", ["get", "form", "direct"])
def test_serve_opens_no_connection(serve, canary, how):
    before = canary.count()
    variants = _variants(canary, how)
    bad = []
    for path, text in variants:
        status, body = getattr(serve, how)(text)
        if status != 403 or body.decode() != SERVICE_REFUSED + "\n":
            bad.append((path, status, body[:200]))
    _escaped(canary, before, f"serve ({how}), {len(variants)} variants")
    assert not bad, bad[:5]


def test_the_answer_does_not_depend_on_whether_the_target_listens(serve, canary):
    """No port scanner: the same refusal for a listening canary and for a closed port, and no port in it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]   # closed again once this block ends
    for _, text in _variants(canary, "oracle")[::25]:
        live = serve.get(text)
        closed = serve.get(text.replace(str(canary.port), str(dead)))
        assert live == closed and str(canary.port).encode() not in live[1]


BENIGN = [
    'SELECT ?n WHERE { ?r skos:prefLabel ?n FILTER(CONTAINS(LCASE(?n), "service")) }',
    "SELECT ?n WHERE { role:it-service-manager skos:prefLabel ?n }",
    'SELECT ?n WHERE { ?r skos:prefLabel ?n FILTER(STR(?n) IN ("Service owner", "IT service manager")) }',
    "SELECT ?n WHERE { ?service skos:prefLabel ?n . FILTER(?service = role:service-owner) } # a Service owner",
]


@pytest.mark.parametrize("text", BENIGN)
def test_queries_naming_services_still_answer(graph, cli, serve, text):
    rows = queries.run(graph, text).rows()
    assert rows and all("ervice" in r["n"] for r in rows)
    r = cli("query", "-", "--format", "csv", input=text)
    assert r.exit_code == 0 and "ervice" in r.stdout
    status, body = serve.get(text)
    assert status == 200 and b"ervice" in body


# ---------------------------------------------------------------------------- other outbound routes

def test_rdflib_never_loads_a_from_graph(cli, canary):
    before = canary.count()
    url = f"http://127.0.0.1:{canary.port}/from"
    for text in (f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}", f"SELECT * FROM NAMED <{url}> WHERE {{ ?s ?p ?o }}",
                 f"ASK FROM <{url}> FROM <{url}2> {{ ?s ?p ?o }}"):
        for backend in ("rdflib", "oxigraph"):
            r = cli("--backend", backend, "query", "-", "--format", "csv", input=text)
            assert r.exit_code == 0, r.stderr
    _escaped(canary, before, "FROM")


def _data_file(tmp_path, name: str, text: str):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_data_files_make_no_fetch(cli, canary, tmp_path, backend):
    """--data files: a JSON-LD remote @context or @import, RDF/XML DTDs and external entities, owl:imports."""
    url = f"http://127.0.0.1:{canary.port}/data"
    before = canary.count()
    refused = {
        "context.jsonld": f'{{"@context": "{url}/ctx", "@id": "urn:a", "urn:b": "c"}}',
        "import.jsonld": f'{{"@context": {{"@import": "{url}/imp", "b": "urn:b"}}, "@id": "urn:a", "b": "c"}}',
        "nested.jsonld": f'{{"@context": ["{url}/ctx2"], "@graph": [{{"@id": "urn:a", "urn:b": "c"}}]}}',
        "entity.rdf": f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY e SYSTEM "{url}/ent"> ]>\n'
                      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                      '<rdf:Description rdf:about="urn:a"><rdf:value>&e;</rdf:value></rdf:Description></rdf:RDF>',
    }
    for name, text in refused.items():
        r = cli("--backend", backend, "--data", _data_file(tmp_path, name, text), "roles")
        assert r.exit_code == 2 and r.stderr.startswith("Error: ") and "Traceback" not in r.stderr, r.stderr
        assert str(canary.port) not in r.stderr
    loaded = {
        "dtd.rdf": f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF SYSTEM "{url}/dtd">\n'
                   '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                   '<rdf:Description rdf:about="urn:a"><rdf:value>x</rdf:value></rdf:Description></rdf:RDF>',
        "imports.ttl": f"<urn:a> <http://www.w3.org/2002/07/owl#imports> <{url}/onto.ttl> .\n",
    }
    for name, text in loaded.items():
        path = _data_file(tmp_path, name, text)
        r = cli("--backend", backend, "--data", path, "query", "-", input="ASK { <urn:a> ?p ?o }")
        assert r.exit_code == 0 and r.stdout == "true\n", (name, r.stdout, r.stderr)
        r = cli("--backend", backend, "--data", path, "validate")   # pyshacl never follows owl:imports
        assert "Traceback" not in r.stderr
    _escaped(canary, before, f"--data files ({backend})")


def test_shapes_with_sparql_constraints_make_no_fetch(cli, canary, tmp_path):
    """SHACL-SPARQL constraints in a --shapes file run through the backend's guard too."""
    url = f"http://127.0.0.1:{canary.port}/shape"
    shapes = _data_file(tmp_path, "shapes.ttl", f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
<urn:s> a sh:NodeShape ; sh:targetClass <https://w3id.org/rolegraph/ontology#Role> ;
  sh:sparql [ sh:select \"\"\"SELECT $this WHERE {{ \\\\u0053ERVICE <{url}> {{ $this ?p ?o }} }}\"\"\" ] .
""")
    before = canary.count()
    for backend in ("oxigraph", "rdflib"):
        r = cli("--backend", backend, "validate", "--shapes", shapes)
        assert r.exit_code == 2 and r.stderr == f"Error: {SERVICE_REFUSED}\n", r.stderr
    _escaped(canary, before, "--shapes")


def measure(cli_step: int = 10) -> dict[str, tuple[int, int]]:
    """{surface: (variants that reached the canary, variants run)}: the before/after figure of issue 21.

    Run as ``python tests/test_outbound.py`` (with ``PYTHONPATH`` pointing at another checkout's ``src`` to
    measure that code). A variant counts once however many connections it made.
    """
    from click.testing import CliRunner

    from rolegraph.cli import main
    from rolegraph.graph import RoleGraph

    canary, graph, runner = Canary(), RoleGraph.load(), CliRunner()
    out = {}

    def reached(surface: str, run: Callable[[str], object], step: int = 1) -> None:
        hits = total = 0
        for _, text in _variants(canary, surface)[::step]:
            before = canary.count()
            try:
                run(text)
            except Exception:  # noqa: BLE001 (an engine error after the connection is still a hit)
                pass
            hits += canary.count() > before
            total += 1
        out[surface] = (hits, total)

    reached("library", lambda t: queries.run(graph, t).rows())
    reached("python-api", lambda t: graph.select(t))
    reached("cli", lambda t: runner.invoke(main, ["query", "-"], input=t), cli_step)
    server = Serve()
    try:
        for how in ("get", "form", "direct"):
            reached(f"serve-{how}", getattr(server, how))
    finally:
        server.stop()
        canary.close()
    return out


if __name__ == "__main__":
    import rolegraph

    print(f"rolegraph from {rolegraph.__file__}")
    for surface, (hits, total) in measure().items():
        print(f"{surface:12} {hits:4} of {total} variants reached the canary")
