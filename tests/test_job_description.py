"""Job descriptions and interview scoring sheets (issue 27): the library call, its JobPosting JSON-LD against
schema.org (offline expansion and a closed SHACL shape), the CSV sheet, the command and the explorer's addresses."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from rolegraph import jobs
from rolegraph.graph import RoleGraph

from .jsonld_offline import expand, to_graph

SHAPES = Path(__file__).resolve().parent / "fixtures" / "jsonld" / "schemaorg-shapes.ttl"
SDE = "Senior data engineer"
SDE_IRI = "https://w3id.org/rolegraph/ddat/level/senior-data-engineer"


def conforms(doc: dict) -> tuple[bool, str]:
    import pyshacl
    import rdflib

    ok, _, text = pyshacl.validate(to_graph(doc), shacl_graph=rdflib.Graph().parse(SHAPES, format="turtle"))
    return ok, text


def required(graph, iri: str) -> dict[str, str | None]:
    """skill name -> level notation, straight from the graph."""
    rows = graph.select("""SELECT ?name ?level WHERE { ?p rg:requires ?q . ?q rg:skill/skos:prefLabel ?name .
                           OPTIONAL { ?q rg:level/skos:notation ?level } }""", p=iri)
    return {r["name"]: r["level"] for r in rows}


# ------------------------------------------------------------------------------------------------ the library

def test_job_description_carries_the_levels_facts(graph):
    jd = jobs.job_description(graph, SDE)
    assert jd.iri == SDE_IRI and jd.role == "Data engineer" and jd.family == "Data"
    grades = [r["n"] for r in graph.select(
        "SELECT ?n WHERE { ?l rg:grade ?g . ?g skos:notation ?n ; rg:rank ?r } ORDER BY ?r", l=SDE_IRI)]
    assert jd.grades == grades and len(grades) >= 1
    assert {q.skill: q.level for q in jd.requirements} == required(graph, SDE_IRI)
    ranks = [q.level_rank for q in jd.requirements]
    assert ranks == sorted(ranks, reverse=True)   # highest level first
    meanings = {r["n"]: r["d"] for r in graph.select(
        "SELECT ?n ?d WHERE { ?l a rg:SkillLevel ; skos:notation ?n ; skos:definition ?d }")}
    assert all(q.meaning == meanings[q.level] and q.meaning_by == "rolegraph" for q in jd.requirements)
    assert jd.to_dict()["requirements"][0]["skill"] == jd.requirements[0].skill


def test_senior_civil_service_role_has_skills_without_levels(graph):
    iri = "https://w3id.org/rolegraph/ddat/role/chief-information-security-officer"
    jd = jobs.job_description(graph, "Chief information security officer")
    assert jd.kind == "scs" and jd.order is None
    assert {q.skill: q.level for q in jd.requirements} == required(graph, iri)
    assert all(q.level is None for q in jd.requirements)


def test_official_level_meanings_are_credited_to_the_framework(tmp_path):
    """Where the data carries the framework's own words for a level, the description says they are the framework's."""
    from rolegraph.resources import data_dir

    extra = tmp_path / "official.ttl"
    extra.write_text("""@prefix rg: <https://w3id.org/rolegraph/ontology#> .
@prefix slevel: <https://w3id.org/rolegraph/ddat/skill-level/> .
slevel:practitioner rg:descriptionKind rg:OfficialText .
""", encoding="utf-8")
    g = RoleGraph.load([data_dir(), extra])
    by = {q.level: q.meaning_by for q in jobs.job_description(g, SDE).requirements}
    assert by["practitioner"] == "framework" and by["working"] == "rolegraph"


# ------------------------------------------------------------------------------------------------ JobPosting

def test_job_posting_is_valid_schema_org(graph):
    jd = jobs.job_description(graph, SDE)
    posting = jobs.job_posting(jd)
    ok, text = conforms(posting)
    assert ok, text
    (node,) = [n for n in expand(posting) if "http://schema.org/JobPosting" in n.get("@type", [])]
    skills = node["http://schema.org/skills"]
    assert len(skills) == len(jd.requirements)
    assert all(s["@type"] == ["http://schema.org/DefinedTerm"] for s in skills)
    assert node["http://schema.org/title"] == [{"@value": SDE}]
    assert "hiringOrganization" not in posting and "datePosted" not in posting   # not framework facts


def test_job_posting_with_the_vacancys_facts(graph):
    posting = jobs.job_posting(jobs.job_description(graph, SDE), organisation="HM Revenue and Customs",
                               date_posted="2026-12-01")
    ok, text = conforms(posting)
    assert ok, text
    assert posting["hiringOrganization"]["name"] == "HM Revenue and Customs"
    assert posting["datePosted"] == "2026-12-01"


@pytest.mark.parametrize("damage", [
    lambda p: p.pop("title"),
    lambda p: p.update(skills=[]),
    lambda p: p["skills"][0].pop("name"),
    lambda p: p.update(jobTitle=p["title"]),          # a property the posting does not promise (closed shape)
    lambda p: p.update(datePosted="next week"),
])
def test_the_job_posting_shape_can_fail(graph, damage):
    posting = jobs.job_posting(jobs.job_description(graph, SDE))
    damage(posting)
    assert not conforms(posting)[0]


# ------------------------------------------------------------------------------------------------ scoring sheet

def test_scoring_sheet_has_a_row_per_skill_and_room_to_score(graph):
    jd = jobs.job_description(graph, SDE)
    rows = list(csv.reader(io.StringIO(jobs.scoring_sheet(jd))))
    assert rows[0] == ["skill", "level expected", "what the level means", "evidence", "score (1-7)"]
    assert {r[0]: r[1] for r in rows[1:]} == required(graph, SDE_IRI)
    assert all(r[3] == "" and r[4] == "" for r in rows[1:])


HOSTILE = '=HYPERLINK("http://evil.example/","x") </script><script>alert(1)</script>'


@pytest.fixture(scope="module")
def hostile_graph(tmp_path_factory):
    """A one-level framework whose names are payloads: a spreadsheet formula and a script-breaking string."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "tiny.ttl").write_text(f"""@prefix rg: <https://w3id.org/rolegraph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix x: <https://w3id.org/rolegraph/ddat/> .
x:family\\/f a rg:JobFamily ; skos:prefLabel "Family" .
x:role\\/r a rg:Role ; skos:prefLabel "Role" ; rg:family x:family\\/f ;
    dcterms:description {json.dumps("Summary " + HOSTILE)} .
x:level\\/l a rg:RoleLevel ; skos:prefLabel "Tiny level" ; rg:ofRole x:role\\/r ; rg:order 1 ;
    rg:requires x:requirement\\/q .
x:requirement\\/q a rg:SkillRequirement ; rg:skill x:skill\\/s ;
    rg:level <https://w3id.org/rolegraph/ddat/skill-level/working> .
x:skill\\/s a rg:Skill ; skos:prefLabel {json.dumps(HOSTILE)} .
""", encoding="utf-8")
    return RoleGraph.load([folder])


def test_scoring_sheet_cells_are_spreadsheet_safe(hostile_graph):
    rows = list(csv.reader(io.StringIO(jobs.scoring_sheet(jobs.job_description(hostile_graph, "Tiny level")))))
    assert rows[1][0] == "'" + HOSTILE and rows[1][1] == "working"


def test_html_holds_the_payload_as_text_and_only_a_json_ld_data_block(hostile_graph):
    from lxml import html as lxml_html

    page = jobs.render(jobs.job_description(hostile_graph, "Tiny level"), "html")
    tree = lxml_html.fromstring(page)
    scripts = tree.xpath("//script")
    assert [s.get("type") for s in scripts] == ["application/ld+json"]
    assert json.loads(scripts[0].text)["skills"][0]["name"] == HOSTILE   # the data block parses back intact
    assert HOSTILE in tree.text_content()
    assert "alert(1)</script>" not in page.split('<script type="application/ld+json">', 1)[1].split("</script>")[0]


def test_markdown_escapes_the_payload(hostile_graph):
    from markdown_it import MarkdownIt

    md = jobs.render(jobs.job_description(hostile_graph, "Tiny level"), "md")
    assert "<script>" not in MarkdownIt("commonmark").render(md)


def _docx_text(data: bytes) -> tuple[list[str], list[list[list[str]]]]:
    import docx

    d = docx.Document(io.BytesIO(data))
    return [p.text for p in d.paragraphs], [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]


def test_word_document_lists_every_skill_at_its_level(graph):
    """The .docx reads back (python-docx, what Word and LibreOffice open) with the level's facts: a row per
    required skill at the level the graph says, the grades, and the scoring scale."""
    from rolegraph.jobs_docx import to_docx

    paragraphs, tables = _docx_text(to_docx(jobs.job_description(graph, SDE), organisation="Cabinet Office"))
    assert paragraphs[0] == f"Job description: {SDE}"
    facts = dict(map(tuple, tables[0]))
    assert facts["Grades"].startswith("SEO (") and "G7 (" in facts["Grades"]
    assert facts["Hiring organisation"] == "Cabinet Office"
    rows = {r[0]: r[1] for r in tables[1][1:]}
    assert rows == required(graph, SDE_IRI)
    assert "7. Outstanding standard" in paragraphs


def test_word_document_holds_hostile_text_as_text(hostile_graph):
    from rolegraph.jobs_docx import to_docx

    paragraphs, tables = _docx_text(to_docx(jobs.job_description(hostile_graph, "Tiny level")))
    assert tables[1][1][0] == HOSTILE   # the payload comes back as the very text, not markup or a formula


def test_word_document_without_python_docx_is_one_error_line(cli, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "docx", None)   # as if the extra were not installed
    out = tmp_path / "jd.docx"
    r = cli("job-description", SDE, "--format", "docx", "-o", out)
    assert r.exit_code == 2 and 'pip install "rolegraph[docx]"' in r.output
    assert not out.exists()


# ------------------------------------------------------------------------------------------------ the command

def test_cli_writes_description_and_sheet(cli, tmp_path, graph):
    out, sheet = tmp_path / "jd.html", tmp_path / "sheet.csv"
    r = cli("job-description", "senior data engineer", "--format", "html", "-o", out, "--scoring-sheet", sheet)
    assert r.exit_code == 0, r.output
    assert "<h1>Senior data engineer</h1>" in out.read_text(encoding="utf-8")
    assert len(sheet.read_text(encoding="utf-8").splitlines()) == len(required(graph, SDE_IRI)) + 1


def test_cli_markdown_is_commonmark_and_names_every_skill(cli, graph):
    from markdown_it import MarkdownIt

    r = cli("job-description", SDE)
    assert r.exit_code == 0
    html = MarkdownIt("commonmark").render(r.stdout)
    assert all(f"<strong>{name}</strong>" in html for name in required(graph, SDE_IRI))


def test_cli_docx(cli, tmp_path, graph):
    out = tmp_path / "jd.docx"
    r = cli("job-description", SDE, "--format", "docx", "-o", out)
    assert r.exit_code == 0, r.output
    _, tables = _docx_text(out.read_bytes())
    assert len(tables[1]) == len(required(graph, SDE_IRI)) + 1


def test_cli_jsonld(cli):
    r = cli("job-description", SDE, "--format", "jsonld", "--organisation", "Cabinet Office", "--date-posted",
            "2026-12-07")
    posting = json.loads(r.stdout)
    assert posting["@type"] == "JobPosting" and posting["hiringOrganization"]["name"] == "Cabinet Office"


@pytest.mark.parametrize("args,message", [
    (["CISO"], 'unknown role level or role "CISO" (did you mean "Chief information security officer"?)'),
    (["Senoir data engineer"], 'did you mean "Senior data engineer"'),
    ([SDE, "--date-posted", "soon"], '--date-posted "soon" is not a date'),
    ([SDE, "--organisation", " "], "--organisation is empty"),
])
def test_cli_bad_input_is_one_clean_error_and_no_file(cli, tmp_path, args, message):
    out, sheet = tmp_path / "jd.md", tmp_path / "sheet.csv"
    r = cli("job-description", *args, "-o", out, "--scoring-sheet", sheet)
    assert r.exit_code == 2
    assert message in r.stderr and "Traceback" not in r.output
    assert not out.exists() and not sheet.exists()


@pytest.mark.parametrize("broken", ["description", "sheet"])
def test_cli_output_that_cannot_be_written_leaves_neither_file(cli, tmp_path, broken):
    nowhere = tmp_path / "no" / "such" / "file"
    out = nowhere if broken == "description" else tmp_path / "jd.md"
    sheet = nowhere if broken == "sheet" else tmp_path / "sheet.csv"
    r = cli("job-description", SDE, "-o", out, "--scoring-sheet", sheet)
    assert r.exit_code == 2 and r.stderr.startswith("Error: ") and "Traceback" not in r.output
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------------------------ the explorer

def get(base: str, path: str) -> tuple[int, dict, str]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(base + path, timeout=60) as r:
            return r.status, dict(r.headers), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode("utf-8")


def test_level_page_links_its_job_description_and_sheet(explorer_url, graph):
    status, _, page = get(explorer_url, "/level/senior-data-engineer")
    assert status == 200
    links = re.findall(r'href="([^"]+)"', page)
    for path in ("/level/senior-data-engineer/job-description", "/level/senior-data-engineer/job-description.jsonld",
                 "/level/senior-data-engineer/scoring-sheet.csv"):
        assert path in links
    status, headers, body = get(explorer_url, "/level/senior-data-engineer/job-description")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert '<link rel="stylesheet" href="/static/rolegraph.css">' in body
    assert "content-security-policy" in {k.lower() for k in headers}
    status, headers, body = get(explorer_url, "/level/senior-data-engineer/job-description.jsonld")
    assert status == 200 and headers["content-type"].startswith("application/ld+json")
    assert conforms(json.loads(body))[0]
    status, headers, body = get(explorer_url, "/level/senior-data-engineer/scoring-sheet.csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert 'filename="scoring-sheet-senior-data-engineer.csv"' in headers["content-disposition"]
    assert len(body.splitlines()) == len(required(graph, SDE_IRI)) + 1


def test_unknown_level_gets_the_404_page(explorer_url):
    status, _, page = get(explorer_url, "/level/senior-data-enginer/scoring-sheet.csv")
    assert status == 404 and "Senior data engineer" in page


# ------------------------------------------------------------------------------------------------ in a browser

@pytest.mark.parametrize("width", [1280, 320])
def test_job_description_pages_are_accessible_in_a_real_browser(page, explorer_url, axe_source, tmp_path, width,
                                                                graph):
    """axe-core (WCAG 2.2 AA) finds nothing on the level page, the explorer's job description and a saved one; no
    Content-Security-Policy violation; a phone width never scrolls the page sideways."""
    from .test_browser import csp_violations, run_axe

    saved = tmp_path / "jd.html"
    saved.write_text(jobs.render(jobs.job_description(graph, SDE), "html"), encoding="utf-8")
    page.set_viewport_size({"width": width, "height": 900})
    found = {}
    level = explorer_url + "/level/senior-data-engineer"
    for url in (level, level + "/job-description", saved.as_uri()):
        page.goto(url)
        violations = run_axe(page, axe_source)
        if violations:
            found[url] = violations
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url
    assert found == {}
    assert csp_violations(page.console_errors) == []
