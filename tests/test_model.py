"""The bundled data: complete, conformant, and equal to the reference facts."""
from __future__ import annotations

import json
import re

import pytest

from rolegraph.slugs import slugify

from .conftest import ROOT

# The project's own expected numbers (the October 2026 release), used when ../shared is absent.
EXPECTED = {"families": 8, "roles": 53, "scs_roles": 4, "role_levels": 206, "graded_levels": 195,
            "skills": 186, "level_requirements": 1833, "scs_links": 28}

COUNT_QUERIES = {
    "families": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a rg:JobFamily }",
    "roles": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a rg:Role }",
    "scs_roles": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a rg:SeniorCivilServiceRole }",
    "role_levels": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a rg:RoleLevel }",
    "graded_levels": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a rg:RoleLevel ; rg:grade ?g }",
    "skills": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a rg:Skill }",
    "level_requirements": "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?x a rg:RoleLevel ; rg:requires ?r }",
    "scs_links": "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?x a rg:SeniorCivilServiceRole ; rg:requires ?r }",
}


def _expected(facts_or_none):
    if facts_or_none is None:
        return EXPECTED
    c = facts_or_none["framework"]["counts"]
    levels = [lv for fam in facts_or_none["families"] for r in fam["roles"] for lv in r["levels"]]
    return {
        "families": c["families"], "roles": c["roles"], "scs_roles": c["roles_scs"],
        "role_levels": c["role_levels"], "graded_levels": sum(1 for lv in levels if lv["grade_if_stated"]),
        "skills": c["skills"], "level_requirements": c["role_level_skill_pairs"],
        "scs_links": sum(len(r["scs"]["skills"]) for fam in facts_or_none["families"] for r in fam["roles"]
                         if "scs" in r),
    }


@pytest.fixture(scope="module")
def expected(request):
    try:
        facts = request.getfixturevalue("facts")
    except pytest.skip.Exception:
        facts = None
    return _expected(facts)


@pytest.mark.parametrize("what", list(COUNT_QUERIES))
def test_counts_equal_the_reference(graph, expected, what):
    assert graph.select(COUNT_QUERIES[what])[0]["n"] == expected[what]


def test_own_expected_numbers_match_the_facts(facts):
    assert _expected(facts) == EXPECTED


def test_bundled_data_conforms_with_known_quirks_as_warnings(graph):
    report = graph.validate()
    assert report.conforms, [r.message for r in report.results if r.severity == "Violation"]
    shapes = {r.shape.rsplit("#", 1)[1] for r in report.results}
    assert shapes == {"SkillLevelDropWarningShape", "GradeOrderWarningShape"}
    grade_warned = {r.focus_label for r in report.results if r.shape.endswith("GradeOrderWarningShape")}
    # the facts' inconsistencies: configuration analyst (1) graded above change and release analyst (2),
    # and head of business relationship management graded below the lead level before it
    assert grade_warned == {"Change and release analyst", "Head of business relationship management"}


def test_every_role_level_and_requirement_matches_the_facts(graph, facts):
    rows = graph.select("""
        SELECT ?role ?levelName ?order ?skill ?level WHERE {
            ?l rg:ofRole/skos:prefLabel ?role ; skos:prefLabel ?levelName ; rg:order ?order ; rg:requires ?r .
            ?r rg:skill/skos:prefLabel ?skill ; rg:level/skos:notation ?level .
        }""")
    got = {(r["role"], r["order"], r["levelName"], r["skill"], r["level"]) for r in rows}
    want = {(role["name"], lv["number"], lv["name"], s["skill"], s["level"])
            for fam in facts["families"] for role in fam["roles"] for lv in role["levels"] for s in lv["skills"]}
    assert got == want


def test_grades_match_the_facts(graph, facts):
    rows = graph.select("SELECT ?l ?g WHERE { ?x skos:prefLabel ?l ; rg:grade/skos:notation ?g }")
    got = {(r["l"], r["g"]) for r in rows}
    want = {(lv["name"], g.split(" (")[0]) for fam in facts["families"] for role in fam["roles"]
            for lv in role["levels"] for g in lv["grade_if_stated"] or []}
    want |= {(role["name"], g.split(" (")[0]) for fam in facts["families"] for role in fam["roles"]
             if "scs" in role for g in role["scs"]["grades"] or []}
    assert got == want


def test_skill_levels_are_an_ordered_scheme(graph):
    rows = graph.select("""
        SELECT ?n ?rank WHERE { ?l a rg:SkillLevel ; skos:notation ?n ; rg:rank ?rank ;
                                   skos:inScheme <https://w3id.org/rolegraph/ddat/skill-levels> } ORDER BY ?rank""")
    assert [(r["n"], r["rank"]) for r in rows] == [("awareness", 1), ("working", 2), ("practitioner", 3),
                                                    ("expert", 4)]


def test_grades_are_ordered_as_the_framework_writes_them(graph, facts):
    rows = graph.select("SELECT ?n WHERE { ?g a rg:Grade ; skos:notation ?n ; rg:rank ?rank } ORDER BY ?rank")
    assert [r["n"] for r in rows] == facts["framework"]["grade_scale_low_to_high"]


def test_every_ontology_term_has_a_label_and_a_definition(graph):
    missing = graph.select("""
        SELECT ?t WHERE {
            VALUES ?type { owl:Class owl:ObjectProperty owl:DatatypeProperty }
            ?t a ?type .
            FILTER (STRSTARTS(STR(?t), "https://w3id.org/rolegraph/ontology#"))
            FILTER NOT EXISTS { ?t rdfs:label ?l ; skos:definition ?d ; skos:prefLabel ?p }
        }""")
    assert missing == []
    n = graph.select("""SELECT (COUNT(?t) AS ?n) WHERE { VALUES ?type { owl:Class owl:ObjectProperty
        owl:DatatypeProperty } ?t a ?type . FILTER (STRSTARTS(STR(?t), "https://w3id.org/rolegraph/ontology#")) }""")
    assert n[0]["n"] >= 20


def test_ontology_is_versioned_with_dcterms_metadata(graph):
    row = graph.select("""
        SELECT ?v ?title ?modified WHERE { ?o a owl:Ontology ; owl:versionInfo ?v ; owl:versionIRI ?vi ;
            dcterms:title ?title ; dcterms:modified ?modified ; dcterms:license ?lic .
            FILTER (?o = <https://w3id.org/rolegraph/ontology>) }""")
    assert row and re.fullmatch(r"\d+\.\d+\.\d+", row[0]["v"])


def test_release_metadata(graph):
    row = graph.select("""
        SELECT ?version ?issued ?licence WHERE { ?r a rg:Release ; schema:version ?version ;
            dcterms:issued ?issued ; dcterms:license ?licence ; prov:wasDerivedFrom ?src }""")
    assert row[0]["version"] == "2026-10"
    assert row[0]["licence"] == "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def test_iris_are_stable_slugs_of_the_names(graph, facts):
    """Role IRIs are the framework's own slugs; level and skill IRIs are slugs of their names."""
    for fam in facts["families"]:
        for role in fam["roles"]:
            assert graph.resolve(role["name"], ("role",)).iri.endswith("/role/" + role["slug"])
            for lv in role["levels"]:
                assert graph.resolve(lv["name"], ("level",)).iri.endswith("/level/" + slugify(lv["name"]))
    for skill in facts["skills"]:
        assert graph.resolve(skill["name"], ("skill",)).iri.endswith("/skill/" + slugify(skill["name"]))


def test_descriptions_are_our_own_words_not_official_prose(facts):
    """data/ holds own-words summaries (the facts', or the rewrites in data/sources/summaries.json); no official
    role description is copied in."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "data").rglob("*.ttl"))
    rewrites = json.loads((ROOT / "data" / "sources" / "summaries.json").read_text(encoding="utf-8"))["roles"]
    for fam in facts["families"]:
        for role in fam["roles"]:
            assert rewrites.get(role["name"], role["summary_own_words"]).replace('"', '\\"') in text
    official = ROOT.parent / "shared" / "official-exports" / "2025-10" / "roles.csv"
    if official.is_file():
        import csv

        with official.open(encoding="utf-8-sig", newline="") as fh:
            descriptions = {row["Role Description"].split("\n")[0] for row in csv.DictReader(fh)}
        copied = [d for d in descriptions if len(d) > 40 and d in text]
        assert copied == []


def test_unverified_facts_are_marked(graph, facts):
    """SCS professions and grades that the facts call unverified are flagged in the data."""
    for fam in facts["families"]:
        for role in fam["roles"]:
            if "scs" not in role:
                continue
            flagged = {r["p"].rsplit("#", 1)[1] for r in graph.select(
                "SELECT ?p WHERE { ?r rg:unverifiedProperty ?p }", r=graph.resolve(role["name"], ("role",)).iri)}
            assert ("profession" in flagged) == bool(role["scs"]["professions_unverified"])
            assert ("grade" in flagged) == bool(role["scs"]["grades_unverified"] or not role["scs"]["grades"])
