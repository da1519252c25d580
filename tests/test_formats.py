"""Open skills formats out (issue 27): CASE 1.1 JSON, CTDL-ASN JSON-LD (Rich Skill Descriptors) and a schema.org
DefinedTermSet, each checked against what validates it -- the CASE 1.1 package JSON Schema (tests/fixtures/case),
``ctdl-validate`` (Credential Engine's published schema and context) and offline JSON-LD expansion with SHACL shapes
-- and against the graph's own facts, counted independently with SPARQL."""
from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path

import pytest

from rolegraph.export import export

from .jsonld_offline import CTDL_ASN, Refused, ctdl_validate, expand, loader, to_graph, undefined_terms

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CASE_SCHEMA = FIXTURES / "case" / "cfpackage-1.1.schema.json"
SHAPES = FIXTURES / "jsonld" / "schemaorg-shapes.ttl"


@pytest.fixture(scope="module")
def case_doc(graph) -> dict:
    return json.loads(export(graph, "case"))


@pytest.fixture(scope="module")
def ctdl_doc(graph) -> dict:
    return json.loads(export(graph, "ctdl"))


@pytest.fixture(scope="module")
def schemaorg_doc(graph) -> dict:
    return json.loads(export(graph, "schemaorg"))


def count(graph, where: str) -> int:
    return int(graph.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")[0]["n"])


# ----------------------------------------------------------------------------------------------- CASE 1.1

def case_errors(doc: dict) -> list[str]:
    import jsonschema

    schema = json.loads(CASE_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def test_case_package_is_valid_against_the_case_1_1_schema(case_doc):
    assert case_errors(case_doc) == []
    assert case_doc["CFDocument"]["caseVersion"] == "1.1"


@pytest.mark.parametrize("damage", [
    lambda d: d["CFItems"][0].pop("fullStatement"),
    lambda d: d["CFAssociations"][0].update(associationType="isFriendOf"),
    lambda d: d["CFItems"][0].update(identifier="not-a-uuid"),
    lambda d: d["CFDocument"].update(CFPackageURI={"title": "x", "identifier": d["CFDocument"]["identifier"],
                                                   "uri": "https://example.org/"}),
    lambda d: d["CFAssociations"][0].update(lastChangeDateTime="6 October 2026"),
])
def test_the_case_schema_can_fail(case_doc, damage):
    broken = copy.deepcopy(case_doc)
    damage(broken)
    assert case_errors(broken) != []


def test_case_items_are_the_framework_with_stable_uuids_from_iris(graph, case_doc):
    items = case_doc["CFItems"]
    by_type: dict[str, int] = {}
    for it in items:
        by_type[it["CFItemType"]] = by_type.get(it["CFItemType"], 0) + 1
        assert it["identifier"] == str(uuid.uuid5(uuid.NAMESPACE_URL, it["uri"]))
    assert by_type == {"Job family": count(graph, "?x a rg:JobFamily"), "Role": count(graph, "?x a rg:Role"),
                       "Role level": count(graph, "?x a rg:RoleLevel"), "Skill": count(graph, "?x a rg:Skill"),
                       "Skill level": count(graph, "?x a rg:SkillLevel")}
    assert len({it["identifier"] for it in items}) == len(items)
    assert export(graph, "case") == export(graph, "case")   # the same bytes every run


def test_case_associations_mirror_the_graph(graph, case_doc):
    assocs = case_doc["CFAssociations"]
    ids = {it["identifier"] for it in case_doc["CFItems"]} | {case_doc["CFDocument"]["identifier"]}
    for a in assocs:   # every end is an item of the package or its document
        assert a["originNodeURI"]["identifier"] in ids and a["destinationNodeURI"]["identifier"] in ids
    kinds: dict[str, list[dict]] = {}
    for a in assocs:
        kinds.setdefault(a["associationType"], []).append(a)
    assert len(kinds["precedes"]) == count(graph, "?a rg:ofRole ?r ; rg:order ?o . ?b rg:ofRole ?r ; rg:order ?p "
                                                  "FILTER (?p = ?o + 1)")
    assert len(kinds["isRelatedTo"]) == count(graph, "?x rg:requires ?q")
    assert len(kinds["hasSkillLevel"]) == count(graph, "?s rg:levelDefined ?l")
    # a requirement's level is its grouping: Senior data engineer needs Data modelling at practitioner level
    level = "https://w3id.org/rolegraph/ddat/level/senior-data-engineer"
    skill = "https://w3id.org/rolegraph/ddat/skill/data-modelling"
    (req,) = [a for a in kinds["isRelatedTo"] if a["originNodeURI"]["uri"] == level
              and a["destinationNodeURI"]["uri"] == skill]
    expected = graph.select("SELECT ?n WHERE { ?l rg:requires ?q . ?q rg:skill ?s ; rg:level/skos:notation ?n }",
                            l=level, s=skill)[0]["n"]
    assert req["CFAssociationGroupingURI"]["title"] == f"Requires skill at {expected} level"
    chain = {a["originNodeURI"]["uri"]: a["destinationNodeURI"]["uri"] for a in kinds["precedes"]}
    assert chain["https://w3id.org/rolegraph/ddat/level/data-engineer"] == level


def test_case_export_of_one_family(graph):
    doc = json.loads(export(graph, "case", "data"))
    assert case_errors(doc) == []
    roles = [it for it in doc["CFItems"] if it["CFItemType"] == "Role"]
    assert len(roles) == count(graph, "?r a rg:Role ; rg:family family:data")
    skills = {it["uri"] for it in doc["CFItems"] if it["CFItemType"] == "Skill"}
    needed = {r["s"] for r in graph.select("""SELECT DISTINCT ?s WHERE { ?x rg:ofRole? ?r . ?r rg:family family:data .
                                              ?x rg:requires/rg:skill ?s }""")}
    assert skills == needed and len(skills) < count(graph, "?s a rg:Skill")
    assert "Data job family" in doc["CFDocument"]["title"]


# ----------------------------------------------------------------------------------------------- CTDL-ASN

def ctdl_findings(doc: dict) -> list:
    return ctdl_validate().validate_document(doc)


def test_ctdl_is_valid_for_ctdl_validate(ctdl_doc):
    findings = ctdl_findings(ctdl_doc)
    assert [f.to_dict() for f in findings if f.severity.value in ("ERROR", "WARNING")] == []


@pytest.mark.parametrize("damage,code", [
    (lambda d: d["@graph"][1].update({"ceasn:isPartOf": d["@graph"][2]["@id"]}), "RANGE_VIOLATION"),
    (lambda d: d["@graph"][1].update({"ceterms:ctid": d["@graph"][1]["ceterms:ctid"][3:]}), "CTID_BARE_UUID"),
    (lambda d: d["@graph"][1].update({"ceasn:competencyLable": {"en": "x"}}), "UNKNOWN_PROPERTY"),
])
def test_ctdl_validate_can_fail(ctdl_doc, damage, code):
    broken = copy.deepcopy(ctdl_doc)
    damage(broken)
    assert code in {f.code for f in ctdl_findings(broken)}


def test_ctdl_has_one_rich_skill_descriptor_per_skill(graph, ctdl_doc):
    (fw,) = [n for n in ctdl_doc["@graph"] if n["@type"] == "ceasn:CompetencyFramework"]
    comps = [n for n in ctdl_doc["@graph"] if n["@type"] == "ceasn:Competency"]
    assert len(comps) == count(graph, "?s a rg:Skill") == len(fw["ceasn:hasTopChild"])
    assert len({c["ceterms:ctid"] for c in comps} | {fw["ceterms:ctid"]}) == len(comps) + 1
    (dm,) = [c for c in comps if c["@id"].endswith("/skill/data-modelling")]
    assert dm["ceasn:competencyLabel"] == {"en": "Data modelling"}
    needed_by = {r["n"] for r in graph.select("""SELECT ?n WHERE { ?x rg:requires/rg:skill skill:data-modelling ;
                                                 skos:prefLabel ?n }""")}
    assert {o["ceterms:targetNodeName"]["en"] for o in dm["ceterms:occupationType"]} == needed_by
    assert json.loads(export(graph, "ctdl")) == ctdl_doc


def test_ctdl_expands_offline_with_every_term_defined(ctdl_doc):
    assert undefined_terms(ctdl_doc) == set()
    rdf = to_graph(ctdl_doc)
    import rdflib

    comp = rdflib.URIRef("https://purl.org/ctdlasn/terms/Competency")
    assert len(set(rdf.subjects(rdflib.RDF.type, comp))) == sum(
        1 for n in ctdl_doc["@graph"] if n["@type"] == "ceasn:Competency")


def test_the_offline_loader_refuses_the_network():
    with pytest.raises(Refused):
        loader("https://example.org/context.jsonld")
    assert loader(CTDL_ASN)["document"]["@context"]["ceasn"] == "https://purl.org/ctdlasn/terms/"


# ----------------------------------------------------------------------------------------------- schema.org

def shape_report(doc: dict) -> tuple[bool, str]:
    import pyshacl
    import rdflib

    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    conforms, _, text = pyshacl.validate(to_graph(doc), shacl_graph=shapes)
    return conforms, text


def test_schemaorg_defined_term_set_expands_and_meets_its_shape(graph, schemaorg_doc):
    conforms, text = shape_report(schemaorg_doc)
    assert conforms, text
    expanded = expand(schemaorg_doc)
    terms = expanded[0]["http://schema.org/hasDefinedTerm"]
    assert len(terms) == count(graph, "?s a rg:Skill")
    assert all(t["@type"] == ["http://schema.org/DefinedTerm"] for t in terms)


def test_the_schemaorg_shape_can_fail(schemaorg_doc):
    broken = copy.deepcopy(schemaorg_doc)
    broken["hasDefinedTerm"][0]["nmae"] = broken["hasDefinedTerm"][0].pop("name")   # a typo @vocab accepts
    assert expand(broken)   # (expansion alone keeps it)
    assert not shape_report(broken)[0]


# ----------------------------------------------------------------------------------------------- the command

def test_cli_exports_each_format_to_a_file(cli, tmp_path):
    for fmt in ("case", "ctdl", "schemaorg"):
        out = tmp_path / f"out.{fmt}.json"
        r = cli("export", "--format", fmt, "--family", "Architecture", "-o", out)
        assert r.exit_code == 0, r.output
        assert json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("args,message", [
    (["--format", "case", "--family", "Astrology"], 'unknown job family "Astrology"'),
    (["--format", "ttl", "--family", "Data"], "--family applies only to --format case, ctdl, schemaorg"),
])
def test_cli_bad_family_is_one_clean_error_and_no_file(cli, tmp_path, args, message):
    out = tmp_path / "out.json"
    r = cli("export", *args, "-o", out)
    assert r.exit_code == 2
    assert message in r.output and "Traceback" not in r.output
    assert not out.exists()


def test_every_engine_exports_the_same_bytes(graph):
    """The writers read the graph through SPARQL only: rdflib's engine gives byte-for-byte the same documents."""
    from rolegraph.graph import RoleGraph

    other = RoleGraph.load(backend="rdflib")
    for fmt in ("case", "ctdl", "schemaorg"):
        assert export(other, fmt) == export(graph, fmt), fmt
    assert export(other, "case", "Data") == export(graph, "case", "Data")
