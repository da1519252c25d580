"""Crosswalks in SSSOM (issue 27): import, SPARQL, export round trips; hostile files refused; pages; suggestions.

The round trip is checked on the bundled starter crosswalk (data/sources/starter.sssom.tsv, whose Turtle is
data/crosswalks/starter.ttl) and on a richer hand-written set that uses every slot rolegraph keeps. Output is
checked against SSSOM's own published schema (tests/fixtures/sssom/, from the sssom-schema package).
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from rolegraph import crosswalk as cw
from rolegraph import namespaces as ns
from rolegraph.crosswalk.model import MAPPING_SLOTS, SET_SLOTS
from rolegraph.graph import RoleGraph

from .conftest import FIXTURES, ROOT

STARTER_TSV = ROOT / "data" / "sources" / "starter.sssom.tsv"
STARTER_TTL = ROOT / "data" / "crosswalks" / "starter.ttl"
SCHEMA = json.loads((FIXTURES / "sssom" / "sssom_schema.jsonld").read_text(encoding="utf-8"))

HEAD = """#curie_map:
#  ex: https://example.org/code/
#  level: https://w3id.org/rolegraph/ddat/level/
#  skill: https://w3id.org/rolegraph/ddat/skill/
#mapping_set_id: https://example.org/sets/mine
#license: https://creativecommons.org/licenses/by/4.0/
"""
COLS = "subject_id\tpredicate_id\tobject_id\tmapping_justification\tconfidence\n"
ROW = "level:data-scientist\tskos:closeMatch\tex:DS\tsemapv:ManualMappingCuration\t0.8\n"

#: every slot rolegraph keeps, with quoting, ' #', '|' lists and unicode, to come back unchanged
RICH = """#curie_map:
#  ORCID: https://orcid.org/
#  ex: https://example.org/code/
#  level: https://w3id.org/rolegraph/ddat/level/
#  skill: https://w3id.org/rolegraph/ddat/skill/
#mapping_set_id: https://example.org/sets/rich
#mapping_set_version: "1.0"
#mapping_set_title: "Rich: a set with every slot"
#mapping_set_description: "Quotes \\"inside\\", a # mark and ünïcödé"
#license: https://creativecommons.org/licenses/by/4.0/
#creator_id:
#  - ORCID:0000-0002-0000-0001
#  - ORCID:0000-0002-0000-0002
#creator_label:
#  - A. Person
#mapping_provider: https://example.org/provider
#mapping_date: 2026-12-01
#publication_date: 2026-12-06
#subject_source: ex:framework
#subject_source_version: October 2026
#object_source: ex:codes
#object_source_version: v9
#see_also:
#  - https://example.org/a
#  - https://example.org/b
#comment: a set comment
subject_id\tsubject_label\tpredicate_id\tobject_id\tobject_label\tmapping_justification\tconfidence\tauthor_id\t\
author_label\treviewer_id\treviewer_label\tcreator_id\tmapping_date\tsubject_source\tobject_source\t\
object_source_version\tmapping_source\tsee_also\tcomment
level:data-scientist\tData scientist\tskos:exactMatch\tex:DS\t"A ""quoted"" label"\tsemapv:ManualMappingCuration\t\
0.25\tORCID:0000-0002-0000-0001|ORCID:0000-0002-0000-0002\tA. Person\tORCID:0000-0002-0000-0003\tB. Person\t\
ORCID:0000-0002-0000-0001\t2026-12-02\tex:framework\tex:codes\tv9\tex:upstream\thttps://example.org/c|https://example.org/d\t\
a row comment
skill:data-visualisation\t\tskos:narrowMatch\tex:VIS\t\tsemapv:LexicalMatching\t1\t\t\t\t\t\t\t\t\t\t\t\t
level:developer\t\tskos:relatedMatch\tex:DEV-3\t\tsemapv:MappingReview\t0\t\t\t\t\t\t\t\t\t\t\t\t
""".replace("\\\n", "")


def _graph_with(tmp_path: Path, ttl: str) -> RoleGraph:
    """The bundled framework without the bundled crosswalk, plus the Turtle *ttl*."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("crosswalks", "sources"))
    (data / "mine.ttl").write_text(ttl, encoding="utf-8")
    return RoleGraph.load([data])


def _import(tmp_path: Path, text: str | bytes, graph) -> cw.ImportResult:
    f = tmp_path / "in.sssom.tsv"
    f.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return cw.read_sssom(graph, f)


# ---------------------------------------------------------------------------- round trips

def test_starter_turtle_is_what_import_writes_and_export_gives_the_tsv_back(graph, cli):
    r = cli("crosswalk", "import", STARTER_TSV)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == STARTER_TTL.read_text(encoding="utf-8")
    assert "21 mappings of https://w3id.org/rolegraph/crosswalk/starter" in r.stderr
    assert "Note: the graph already holds the mapping set" in r.stderr    # the bundled data has it loaded
    out = cli("crosswalk", "export")
    assert out.exit_code == 0, out.stderr
    assert out.stdout == STARTER_TSV.read_text(encoding="utf-8")


def test_rich_set_round_trips_through_sparql_with_the_same_rows_and_metadata(tmp_path, graph):
    first = _import(tmp_path, RICH, graph)
    g = _graph_with(tmp_path, first.turtle)
    assert cw.set_ids(g) == ["https://example.org/sets/rich"]
    again = cw.parse(cw.export(g).encode("utf-8"), "exported")
    assert again == first.set                     # same id, prefixes, metadata and rows
    assert again.to_dict() == first.set.to_dict()
    assert len(again.mappings) == 3
    row = next(m for m in again.mappings if m.predicate == ns.SKOS + "exactMatch")
    assert row.slots["object_label"] == 'A "quoted" label' and row.confidence == 0.25
    assert row.slots["author_id"] == ("https://orcid.org/0000-0002-0000-0001", "https://orcid.org/0000-0002-0000-0002")
    assert again.metadata["mapping_set_description"] == 'Quotes "inside", a # mark and ünïcödé'
    # and the text is canonical: exporting the re-imported set gives the same file again
    assert cw.write(again) == cw.export(g)


def test_a_changed_row_or_metadata_is_not_the_same_set(tmp_path, graph):
    """The equality the round trip relies on can fail: one confidence or one title changed is a different set."""
    base = _import(tmp_path, HEAD + COLS + ROW, graph).set
    other = _import(tmp_path, HEAD + COLS + ROW.replace("0.8", "0.7"), graph).set
    titled = _import(tmp_path, HEAD + "#mapping_set_title: x\n" + COLS + ROW, graph).set
    assert base != other and base != titled and base == _import(tmp_path, HEAD + COLS + ROW, graph).set


def test_mappings_are_queryable_in_sparql(graph, cli):
    rows = cw.parse(STARTER_TSV.read_bytes(), "starter").mappings
    direct = graph.select("SELECT ?s ?o WHERE { ?s skos:broadMatch|skos:closeMatch|skos:relatedMatch ?o }")
    assert {(m.subject, m.object) for m in rows} <= {(r["s"], r["o"]) for r in direct}
    r = cli("query", "crosswalk", "--format", "json")
    got = json.loads(r.stdout)
    assert len(got) == len(rows)
    esco = json.loads(cli("query", "crosswalk", "--param", "target=http://data.europa.eu/esco/",
                          "--format", "json").stdout)
    assert 0 < len(esco) < len(got) and all(x["object"].startswith("http://data.europa.eu/esco/") for x in esco)
    ds = [x for x in got if x["subject_name"] == "Data scientist"]
    assert {x["object_label"] for x in ds} == {"data scientist", "SFIA DATS at level 3"}


def test_export_with_several_sets_needs_set(tmp_path, graph, cli):
    mine = _import(tmp_path, HEAD + COLS + ROW, graph)
    ttl = tmp_path / "mine.ttl"
    ttl.write_text(mine.turtle, encoding="utf-8")
    r = cli("--data", ROOT / "data", "--data", ttl, "crosswalk", "export")
    assert r.exit_code == 2 and "holds 2 mapping sets" in r.stderr and "--set" in r.stderr
    r = cli("--data", ROOT / "data", "--data", ttl, "crosswalk", "export", "--set", "https://example.org/sets/mine")
    assert r.exit_code == 0 and cw.parse(r.stdout.encode(), "x") == mine.set
    r = cli("--data", ROOT / "data", "--data", ttl, "crosswalk", "export", "--set", "https://example.org/sets/nope")
    assert r.exit_code == 2 and "unknown mapping set" in r.stderr


# ---------------------------------------------------------------------------- SSSOM's schema

def _class_slots(name: str) -> dict[str, dict]:
    """SSSOM's slots of the class *name*, by the name a file uses (a slot the class narrows, such as the
    set's required ``license``, is listed under its alias)."""
    by_name = {s["name"]: s for s in SCHEMA["slots"]}
    cls = next(c for c in SCHEMA["classes"] if c["name"] == name)
    return {by_name[s].get("alias", s): by_name[s] for s in cls.get("slots", [])}


def test_every_slot_rolegraph_keeps_is_sssoms_with_its_property_and_range():
    ranges = {"id": {"EntityReference"}, "uri": {"NonRelativeURI", "uri"}, "str": {"string"}, "date": {"date"},
              "double": {"double"}}
    for owner, ours in (("MappingSet", SET_SLOTS), ("Mapping", MAPPING_SLOTS)):
        allowed = _class_slots(owner)
        for slot in ours:
            assert slot.name in allowed, (owner, slot.name)
            theirs = allowed[slot.name]
            if slot.name != "mapping_set_id":   # the set's node IRI itself
                assert theirs["slot_uri"] == slot.rdf, slot.name
            assert theirs.get("range", "string") in ranges[slot.kind], (slot.name, theirs.get("range"))
            assert bool(theirs.get("multivalued")) == slot.multi, slot.name
        required = {k for k, s in allowed.items() if s.get("required")}
        assert required <= {s.name for s in ours}, (owner, required)
    confidence = _class_slots("Mapping")["confidence"]
    assert confidence["minimum_value"] == 0 and confidence["maximum_value"] == 1


def test_exported_tables_hold_only_sssom_slots_and_the_required_ones(graph):
    text = cw.export(graph)
    meta = [line[1:].split(":", 1)[0] for line in text.splitlines() if line.startswith("#") and line[1] != " "]
    header = next(line for line in text.splitlines() if not line.startswith("#")).split("\t")
    set_slots, mapping_slots = _class_slots("MappingSet"), _class_slots("Mapping")
    assert set(meta) <= set(set_slots) and set(header) <= set(mapping_slots)
    assert {k for k, s in set_slots.items() if s.get("required")} <= set(meta)
    assert {k for k, s in mapping_slots.items() if s.get("required")} <= set(header)


# ---------------------------------------------------------------------------- hostile input

BAD = [
    ("ragged-row", HEAD + COLS + ROW.rstrip("\n") + "\textra\n", "the row has 6 fields; the header has 5"),
    ("unknown-column", HEAD + COLS.replace("confidence", "score") + ROW, "unknown column 'score'"),
    ("unknown-subject", HEAD + COLS + ROW.replace("data-scientist", "data-scientisst"),
     "level:data-scientisst is not a skill or role level"),
    ("subject-is-a-role", HEAD.replace("ddat/level/", "ddat/role/") + COLS + ROW, "is not a skill or role level"),
    ("non-http-object", HEAD.replace("https://example.org/code/", "ftp://example.org/") + COLS + ROW,
     "is not an absolute http(s) IRI"),
    ("object-iri-not-curie", HEAD + COLS + ROW.replace("ex:DS", "https://example.org/code/DS"), "is not a CURIE"),
    ("javascript-object", HEAD.replace("#  ex:", "#  js: javascript:\n#  ex:") + COLS + ROW.replace(
        "ex:DS", "js:alert(1)"), "is not an absolute http(s) IRI"),
    ("object-in-framework", HEAD + COLS + ROW.replace("ex:DS", "skill:data-modelling"), "is a node of this framework"),
    ("confidence-above-1", HEAD + COLS + ROW.replace("0.8", "1.5"), "confidence '1.5' is not a number from 0 to 1"),
    ("confidence-negative", HEAD + COLS + ROW.replace("0.8", "-0.1"), "is not a number from 0 to 1"),
    ("confidence-nan", HEAD + COLS + ROW.replace("0.8", "nan"), "is not a number from 0 to 1"),
    ("confidence-word", HEAD + COLS + ROW.replace("0.8", "high"), "is not a number from 0 to 1"),
    ("not-skos", HEAD + COLS + ROW.replace("skos:closeMatch", "owl:sameAs"), "is not a SKOS mapping property"),
    ("not-semapv", HEAD + COLS + ROW.replace("semapv:ManualMappingCuration", "semapv:Guessing"),
     "is not a SEMAPV matching process"),
    ("undeclared-prefix", HEAD + COLS + ROW.replace("ex:DS", "esco:DS"), "which curie_map does not declare"),
    ("no-set-id", HEAD.replace("#mapping_set_id: https://example.org/sets/mine\n", "") + COLS + ROW,
     "gives no mapping_set_id"),
    ("no-license", HEAD.replace("#license: https://creativecommons.org/licenses/by/4.0/\n", "") + COLS + ROW,
     "gives no license"),
    ("unknown-metadata", HEAD + "#mapping_tool_secret: x\n" + COLS + ROW, "unknown mapping set slot"),
    ("redefined-builtin", HEAD.replace("#  ex:", "#  skos: https://example.org/skos#\n#  ex:") + COLS + ROW,
     "redefines the built-in"),
    ("indented-stray", HEAD + "#  skos: https://example.org/skos#\n" + COLS + ROW, "belongs to no key"),
    ("duplicate-row", HEAD + COLS + ROW + ROW, "the same subject, predicate and object as line"),
    ("missing-column", HEAD + COLS.replace("\tmapping_justification", "") + ROW.replace(
        "\tsemapv:ManualMappingCuration", ""), "has no mapping_justification column"),
    ("empty-required", HEAD + COLS + ROW.replace("skos:closeMatch", ""), "predicate_id is empty"),
    ("metadata-after-table", HEAD + COLS + ROW + "#comment: late\n", "after the table began"),
    ("yaml-flow", HEAD + "#see_also: [https://example.org/a]\n" + COLS + ROW, "uses YAML this reader does not take"),
    ("two-author-labels", HEAD + COLS.replace("confidence", "author_label") + ROW.replace("0.8", "A|B"),
     "rolegraph keeps one"),
    ("bad-date", HEAD + "#mapping_date: 2026-13-01\n" + COLS + ROW, "is not a date"),
    ("empty-file", "", "the file is empty"),
    ("no-table", HEAD, "has metadata but no table"),
    ("invisible-characters", HEAD + "#mapping_set_title: safe\u202egnp.exe\n" + COLS + ROW,
     "holds control or invisible characters"),
    ("bidi-in-iri", HEAD.replace("https://example.org/code/", "https://example.org/\u202ecode/") + COLS + ROW,
     "is not an absolute http(s) IRI"),
    ("set-id-in-framework", HEAD.replace("https://example.org/sets/mine",
                                         "https://w3id.org/rolegraph/ddat/skill/data-modelling") + COLS + ROW,
     "names a node of the framework"),
    ("unclosed-quote", HEAD + COLS + ROW.replace("ex:DS", '"ex:DS'), "not valid TSV"),
]


@pytest.mark.parametrize("name,text,message", BAD, ids=[b[0] for b in BAD])
def test_invalid_files_are_one_error_line_and_nothing_is_written(tmp_path, cli, name, text, message):
    f = tmp_path / "in.sssom.tsv"
    f.write_text(text, encoding="utf-8")
    out = tmp_path / "out.ttl"
    r = cli("crosswalk", "import", f, "-o", out)
    assert r.exit_code == 2, (r.stdout, r.stderr)
    assert r.stderr.startswith("Error: ") and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert message in r.stderr, r.stderr
    assert str(f) in r.stderr
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["in.sssom.tsv"]


@pytest.mark.parametrize("data,message", [
    (b"\xff\xfe" + (HEAD + COLS + ROW).encode("utf-16-le"), "saved as UTF-16"),
    ((HEAD + COLS + ROW).replace("0.8", "0.8\xe9").encode("latin-1"), "line 8: not UTF-8 text (byte 0xe9)"),
    ((HEAD + COLS).encode() + b"\x00" + ROW.encode(), "NUL bytes"),
], ids=["utf-16", "latin-1", "nul"])
def test_encodings_are_refused_with_the_line(tmp_path, cli, data, message):
    f = tmp_path / "in.sssom.tsv"
    f.write_bytes(data)
    r = cli("crosswalk", "import", f)
    assert r.exit_code == 2 and message in r.stderr and r.stderr.count("\n") == 1


def test_a_byte_order_mark_is_read_like_any_spreadsheet_export(tmp_path, graph):
    with_bom = _import(tmp_path, b"\xef\xbb\xbf" + (HEAD + COLS + ROW).encode("utf-8"), graph)
    assert with_bom.set == _import(tmp_path, HEAD + COLS + ROW, graph).set


def test_a_huge_file_is_refused_without_reading_it(tmp_path, cli, monkeypatch):
    from rolegraph.crosswalk import sssom_tsv

    monkeypatch.setattr(sssom_tsv, "MAX_BYTES", 1000)
    f = tmp_path / "big.sssom.tsv"
    f.write_text(HEAD + COLS + ROW * 200, encoding="utf-8")
    r = cli("crosswalk", "import", f)
    assert r.exit_code == 2 and "larger than 1,000 bytes" in r.stderr
    r = cli("crosswalk", "import", "/dev/zero")
    assert r.exit_code == 2 and "larger than" in r.stderr


def test_hostile_text_survives_as_text(tmp_path, graph):
    """Labels and comments may hold anything printable; they come back exactly, and the Turtle still parses."""
    nasty = '<script>alert(1)</script> "x" \\ {{ 7*7 }}'
    text = HEAD + "subject_id\tpredicate_id\tobject_id\tmapping_justification\tobject_label\tcomment\n" + (
        f"level:data-scientist\tskos:closeMatch\tex:DS\tsemapv:ManualMappingCuration\t{nasty}\t=HYPERLINK(1)\n")
    res = _import(tmp_path, text, graph)
    g = _graph_with(tmp_path, res.turtle)
    back = cw.read_set(g, "https://example.org/sets/mine").mappings[0]
    assert back.slots["object_label"] == nasty and back.slots["comment"] == "=HYPERLINK(1)"


# ---------------------------------------------------------------------------- shapes and validate

def test_bundled_crosswalk_conforms(graph):
    from rolegraph.validation import validate

    report = validate(graph)
    assert report.conforms
    assert not [r for r in report.results if "SSSOM" in r.shape_label]


def test_validate_names_broken_mapping_records(tmp_path):
    from rolegraph.validation import validate

    bad = """@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix sssom: <https://w3id.org/sssom/> .
@prefix semapv: <https://w3id.org/semapv/vocab/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.org/set> a sssom:MappingSet ; sssom:mappings <https://example.org/m1> .
<https://example.org/m1> a owl:Axiom ; owl:annotatedSource <https://w3id.org/rolegraph/ddat/role/data-scientist> ;
  owl:annotatedProperty owl:sameAs ; owl:annotatedTarget <https://example.org/x> ;
  sssom:mapping_justification semapv:Guess ; sssom:confidence "1.5"^^xsd:double .
"""
    report = validate(_graph_with(tmp_path, bad))
    assert not report.conforms
    found = {(r.shape_label, r.constraint if hasattr(r, "constraint") else "") for r in report.results
             if r.focus == "https://example.org/m1"}
    messages = " ".join(r.message for r in report.results)
    assert len(found) >= 1
    for words in ("a skill or role level", "skos:exactMatch", "SEMAPV", "from 0 to 1", "is not asserted",
                  "licence"):
        assert words in messages, words


# ---------------------------------------------------------------------------- pages

def test_level_and_skill_pages_show_their_mappings():
    from rolegraph.explorer import Explorer

    ex = Explorer(RoleGraph.load())
    status, html = ex.level("data-scientist")
    assert status == 200 and 'id="other-frameworks"' in html
    assert ('is narrower than <a href="http://data.europa.eu/esco/occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30">'
            'data scientist</a>') in html
    assert "is related to SFIA DATS at level 3" in html and "confidence 90%" in html and "ESCO v1.2" in html
    assert 'href="https://w3id.org/rolegraph/sfia/' not in html   # rolegraph's own SFIA identifiers resolve nowhere
    status, html = ex.skill("data-visualisation")
    assert status == 200 and "is close to SFIA VISL" in html
    status, html = ex.skill("data-modelling")
    assert status == 200 and "other-frameworks" not in html      # no mappings, no section


def test_pages_escape_mapping_text(tmp_path, graph):
    from rolegraph.explorer import Explorer

    text = HEAD + "subject_id\tpredicate_id\tobject_id\tmapping_justification\tobject_label\tcomment\n" + (
        "skill:data-modelling\tskos:closeMatch\tex:X\tsemapv:ManualMappingCuration\t<script>alert(1)</script>\t"
        'x"><img src=x onerror=alert(2)>\n')
    res = _import(tmp_path, text, graph)
    status, html = Explorer(_graph_with(tmp_path, res.turtle)).skill("data-modelling")
    assert status == 200 and "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert '<a href="https://example.org/code/X">&lt;script&gt;' in html


# ---------------------------------------------------------------------------- suggestions

def test_suggest_proposes_the_matching_esco_occupation_and_sfia_code(graph):
    esco = cw.suggest(graph, "esco", "Data scientist", top=3)
    assert esco.items[0].object == "http://data.europa.eu/esco/occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30"
    assert esco.items[0].score > esco.items[-1].score
    assert cw.suggest(graph, "sfia", "Data visualisation", top=1).items[0].object.endswith("/sfia/VISL")
    assert cw.suggest(graph, "sfia", "Data engineer", top=1).items[0].object.endswith("/sfia/DENG")
    # skills are compared with ESCO skills, role levels with ESCO occupations
    assert all("/esco/occupation/" in s.object for s in esco.items)
    assert all("/esco/skill/" in s.object for s in cw.suggest(graph, "esco", "Data visualisation").items)


def test_suggestions_are_marked_and_can_be_imported_after_review(tmp_path, graph, cli):
    r = cli("crosswalk", "suggest", "--to", "sfia", "--top", "1", "--format", "sssom")
    assert r.exit_code == 0, r.stderr
    s = cw.parse(r.stdout.encode(), "suggested")
    assert s.id.endswith("/crosswalk/suggestions/sfia") and "(unconfirmed)" in str(s.metadata["mapping_set_title"])
    assert s.mappings and all(m.justification == "https://w3id.org/semapv/vocab/LexicalMatching"
                              and m.predicate == ns.SKOS + "relatedMatch" and 0 < (m.confidence or 0) <= 1
                              for m in s.mappings)
    assert _import(tmp_path, r.stdout, graph).set == s       # a reviewed file goes straight back in
    j = json.loads(cli("crosswalk", "suggest", "--to", "esco", "Data analyst", "--format", "json").stdout)
    assert j["status"].startswith("suggestions") and j["suggestions"][0]["object_label"] == "data analyst"
    text = cli("crosswalk", "suggest", "--to", "esco", "Data analyst").stdout
    assert text.startswith("Suggestions to ESCO") and "confirm each one" in text


def test_suggest_errors(cli):
    r = cli("crosswalk", "suggest", "--to", "esco", "Data scientisst")
    assert r.exit_code == 2 and 'unknown role level or skill "Data scientisst"' in r.stderr
    r = cli("crosswalk", "suggest", "--to", "onet")
    assert r.exit_code == 2 and "onet" in r.stderr


def test_sfia_targets_are_codes_and_own_words_only():
    """SFIA's text is licensed: the committed list holds codes, level ranges and our keywords, nothing longer."""
    from rolegraph.crosswalk.suggestions import targets

    sfia = targets("sfia")
    assert len(sfia) > 40
    for t in sfia:
        code = t.iri.rsplit("/", 1)[-1]
        assert code.isupper() and len(code) == 4, code
        assert len(t.text.split()) <= 12, code


@pytest.mark.parametrize("address", ["/level/data-scientist", "/skill/data-visualisation"])
def test_pages_with_mappings_are_axe_clean_and_fit_a_phone(page, explorer_url, axe_source, address):
    """The "In other frameworks" list in a real browser: no WCAG 2.2 AA violation, no sideways scroll at 320 px."""
    from .test_browser import run_axe

    page.goto(explorer_url + address)
    assert page.locator("#other-frameworks").count() == 1
    assert run_axe(page, axe_source) == []
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(explorer_url + address)
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def test_the_real_command_gives_one_error_line_and_writes_nothing(tmp_path):
    """As a process (python -m rolegraph): exit 2, one Error line, no traceback, no output file or temporary left."""
    from .test_hostile_input import one_error, run

    (tmp_path / "bad.sssom.tsv").write_text(HEAD + COLS + ROW.replace("0.8", "1.01"), encoding="utf-8")
    line = one_error(run(["crosswalk", "import", "bad.sssom.tsv", "-o", "out.ttl"], tmp_path))
    assert "bad.sssom.tsv, line 8: confidence '1.01' is not a number from 0 to 1" in line
    line = one_error(run(["crosswalk", "import", "/dev/zero", "-o", "out.ttl"], tmp_path))
    assert "larger than 20,000,000 bytes" in line
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["bad.sssom.tsv"]


def test_sets_built_in_python_with_line_breaks_and_tabs_round_trip_as_text():
    """What the writer quotes (YAML escapes, TSV quoting), the reader reads back unchanged."""
    ms = cw.MappingSet("https://example.org/sets/py", {"ex": "https://example.org/code/", "level": ns.LEVEL},
                       {"license": "https://creativecommons.org/licenses/by/4.0/",
                        "mapping_set_description": 'two\nlines, a\ttab, "quotes", a \\ and: a colon',
                        "mapping_set_version": "2.0"},
                       [cw.Mapping(ns.LEVEL + "data-scientist", ns.SKOS + "closeMatch", "https://example.org/code/DS",
                                   "https://w3id.org/semapv/vocab/ManualMappingCuration",
                                   {"object_label": 'a "label"\twith a tab\nand a line', "confidence": 0.123456789})])
    text = cw.write(ms)
    assert cw.parse(text.encode("utf-8"), "py") == ms
    assert cw.write(cw.parse(text.encode("utf-8"), "py")) == text
