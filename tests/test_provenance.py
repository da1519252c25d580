"""The shapes for what rolegraph records about its own data: former names and description kinds."""
from __future__ import annotations

from rolegraph.graph import RoleGraph

BAD = """\
@prefix rg: <https://w3id.org/rolegraph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://w3id.org/rolegraph/ddat/skill/x> a rg:Skill ; skos:prefLabel "X"@en ; dcterms:source <https://example.org/x> ;
    rg:descriptionKind rg:Whatever ; rg:formerName [ rg:name "Y" ; dcterms:date "soon" ] .
"""


def test_former_names_and_description_kinds_are_checked(tmp_path):
    f = tmp_path / "bad.ttl"
    f.write_text(BAD, encoding="utf-8")
    report = RoleGraph.load([f]).validate()
    messages = {r.message for r in report.by_severity()["Violation"]}
    assert any("former name has at most one dcterms:date" in m for m in messages)
    assert any("former name has exactly one rg:name" in m for m in messages)
    assert any("rg:OfficialText or rg:OwnSummary" in m for m in messages)


def test_bundled_former_names_and_kinds(graph):
    assert graph.select("SELECT (COUNT(*) AS ?n) WHERE { ?x rg:formerName ?f }")[0]["n"] == 15
    kinds = graph.select("""SELECT (COUNT(?n) AS ?c) WHERE { VALUES ?t { rg:Role rg:Skill rg:JobFamily } ?n a ?t ;
                            dcterms:description ?d ; rg:descriptionKind rg:OwnSummary }""")[0]["c"]
    assert kinds == 8 + 53 + 186
