"""The engine boundary: every engine answers the same through the same methods, one binder, and no code
outside rolegraph/store/ looks inside an engine."""
from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
import rdflib

from rolegraph import namespaces as ns
from rolegraph.errors import QueryError
from rolegraph.graph import RoleGraph
from rolegraph.store import BACKENDS, Backend, Lit, QueryResult

SRC = Path(__file__).resolve().parent.parent / "src" / "rolegraph"
DATA = Path(__file__).resolve().parent.parent / "data"
SMALL = [DATA / "families" / "architecture.ttl", DATA / "skills.ttl"]


@pytest.fixture(scope="module", params=sorted(BACKENDS))
def g(request) -> RoleGraph:
    return RoleGraph.load(SMALL, backend=request.param)


def test_every_engine_implements_the_whole_interface():
    for cls in BACKENDS.values():
        assert issubclass(cls, Backend) and not cls.__abstractmethods__


COMMENTED = """# a comment that says WHERE { ?x ?y ?z } and "quotes
SELECT ?label WHERE {   # WHERE { again
  ?role skos:prefLabel ?label .
}"""


def test_bindings_skip_comments_and_use_the_users_prefixes(g):
    role = ns.ROLE + "enterprise-architect"
    assert g.select(COMMENTED, role=role) == [{"label": "Enterprise architect"}]
    q = 'SELECT ?n WHERE { ?n skos:prefLabel ?l FILTER(STR(?l) = "WHERE { x") }'
    assert g.select(q, l=Lit("WHERE { x", lang="en")) == []


def test_syntax_errors_count_lines_of_the_users_query(g):
    # 22 prefixes are predeclared: a shifted count would say line 25
    # (engines differ on whether the missing object is noticed on line 3 or at the "}" of line 4)
    bad = "SELECT ?x WHERE {\n  ?x a rg:Role .\n  ?x ?p \n}"
    with pytest.raises(QueryError, match=r'line [34], column \d+ \(near "(\?x \?p|})"\)'):
        g.select(bad, x=ns.ROLE + "enterprise-architect")
    with pytest.raises(QueryError, match=r'line [34], column \d+ \(near "(\?x \?p|})"\)'):
        g.select(bad)


def test_values_cannot_change_the_query(g):
    sneaky = Lit('x" } ; DROP ALL ; SELECT * { "')
    assert g.select("SELECT ?n WHERE { ?n skos:prefLabel ?l }", l=sneaky) == []
    with pytest.raises(QueryError, match="IRI"):
        g.select("SELECT ?l WHERE { ?n skos:prefLabel ?l }", n="urn:x> } ; <urn:y")


def test_engines_agree_on_every_method():
    a, b = (RoleGraph.load(SMALL, backend=name).backend for name in ("oxigraph", "rdflib"))
    assert len(a) == len(b) > 1000
    q = "SELECT ?s ?l WHERE { ?s a rg:Role ; skos:prefLabel ?l } ORDER BY ?s"
    ra, rb = a.query(q, prefixes=ns.PREFIXES), b.query(q, prefixes=ns.PREFIXES)
    assert isinstance(ra, QueryResult) and ra.form == rb.form == "SELECT" and ra.variables == rb.variables
    assert ra.rows() == rb.rows() and ra.rows()
    for fmt in ("sparql-json",):
        ja = json.loads(a.query(q, prefixes=ns.PREFIXES).serialize(fmt))
        jb = json.loads(b.query(q, prefixes=ns.PREFIXES).serialize(fmt))
        assert ja["results"]["bindings"] == jb["results"]["bindings"]
    # terms(): the same keys from the fast read (Oxigraph) and the portable one (rdflib, through JSON results),
    # keeping the language, datatypes and unbound cells that rows() drops
    tq = ('SELECT ?s ?l ?n ?x WHERE { ?s a rg:Role ; skos:prefLabel ?l . '
          'OPTIONAL { ?s rg:missing ?x } BIND (STRLEN(?l) AS ?n) } ORDER BY ?s')
    ta, tb = (list(x.query(tq, prefixes=ns.PREFIXES).terms()) for x in (a, b))
    assert ta == tb and ta
    assert ta[0][1] == (ra.rows()[0]["l"], ns.RDF + "langString", "en")
    assert ta[0][2][1] == ns.XSD + "integer" and ta[0][3] is None
    ask = "ASK { ?r a rg:Role }"
    assert a.ask(ask, prefixes=ns.PREFIXES) is b.ask(ask, prefixes=ns.PREFIXES) is True
    cons = "CONSTRUCT { ?r a rg:Role } WHERE { ?r a rg:Role }"
    ga = rdflib.Graph().parse(data=a.query(cons, prefixes=ns.PREFIXES).serialize("ttl"), format="turtle")
    gb = rdflib.Graph().parse(data=b.query(cons, prefixes=ns.PREFIXES).serialize("nt"), format="nt")
    assert set(ga) == set(gb) and len(ga) > 0
    for fmt in ("ttl", "nt", "jsonld"):
        parse_as = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}[fmt]
        for backend in (a, b):
            assert len(rdflib.Graph().parse(data=backend.dump(fmt, prefixes=ns.PREFIXES), format=parse_as)) == len(a)
    p = rdflib.URIRef(ns.SKOS + "prefLabel")
    s = rdflib.URIRef(ns.ROLE + "enterprise-architect")
    assert set(a.triples(s, p, None)) == set(b.triples(s, p, None)) != set()
    label = rdflib.Literal("Enterprise architect", lang="en")
    found = set(a.triples(None, p, label))
    assert found == set(b.triples(None, p, label)) and (s, p, label) in found
    assert len(a.to_rdflib()) == len(b.to_rdflib()) == len(a)
    assert b.native_rdflib and b.to_rdflib() is b.graph and not a.native_rdflib


def test_unknown_formats_are_refused():
    b = RoleGraph.load(SMALL).backend
    with pytest.raises(QueryError, match="unknown RDF format"):
        b.dump("docx")
    with pytest.raises(QueryError, match="not available"):
        b.query("SELECT * { ?s ?p ?o } LIMIT 1").serialize("ttl")


def _violations(path: Path) -> list[str]:
    """`x.name == ...` on a backend, and private attributes or engine internals reached through `.backend`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute) and node.left.attr == "name" \
                and "backend" in ast.unparse(node.left.value):
            found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) \
                and node.value.attr == "backend" and (node.attr.startswith("_") or node.attr in ("store", "graph")):
            found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
        if isinstance(node, ast.Call) and ast.unparse(node.func) in ("hasattr", "isinstance", "getattr") \
                and "backend" in ast.unparse(node.args[0]):
            found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    return found


MODULES = sorted(p for p in SRC.rglob("*.py") if "store" not in p.relative_to(SRC).parts)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_code_outside_the_store_looks_inside_an_engine(path):
    assert _violations(path) == []


def test_the_guard_above_finds_what_it_looks_for(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("if g.backend.name == 'oxigraph':\n    g.backend.store.query('')\nhasattr(g.backend, 'x')\n"
                   "getattr(g.backend, 'store', None)\n")
    assert len(_violations(bad)) == 4
