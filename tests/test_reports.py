"""Career-path reports (HTML in a real browser, CommonMark Markdown) and exports."""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import FIXTURES

CISO, CTO = "Chief information security officer", "Chief technology officer"
CISO_CTO_SHARED = {"Capability building for digital, data and technology", "Innovation in digital, data and technology"}
CISO_CTO_DEVELOP = {"Financial decision making for technology", "Strategic technology planning",
                    "Technology architecture", "Technology evaluation"}
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--enable-logging=stderr", "--log-level=0"]


@pytest.fixture(scope="session")
def chromium():
    """Debian's headless Chromium; installed here when missing (root + apt-get), else the tests skip with why."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe and shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, timeout=300)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], env=env, capture_output=True, timeout=600)
        exe = shutil.which("chromium")
    if not exe:
        pytest.skip("headless Chromium is missing and could not be installed (needs root and apt-get with "
                    "Debian's package index)")
    return exe


@pytest.fixture(scope="module")
def ciso_cto_html(tmp_path_factory):
    from click.testing import CliRunner

    from rolegraph.cli import main

    out = tmp_path_factory.mktemp("report") / "ciso-cto.html"
    r = CliRunner().invoke(main, ["report", CISO, CTO, "-o", str(out)], catch_exceptions=False)
    assert r.exit_code == 0, r.stderr
    return out


def _cells(html: str, heading: str) -> str:
    """The HTML from the section starting at *heading* to the next h2."""
    start = html.index(heading)
    end = html.find("<h2", start + 1)
    return html[start:end if end > 0 else None]


def test_ciso_cto_report_has_the_four_to_develop_and_two_shared(ciso_cto_html):
    html = ciso_cto_html.read_text(encoding="utf-8")
    step = _cells(html, "Recommended path, step by step")
    for skill in CISO_CTO_DEVELOP:
        assert f'<th scope="row">{skill}</th>' in step
    shared = re.search(r"Already meets 2 of the 6 skill requirements of Chief technology officer</strong>: "
                       r"(.*?)\.</p>", step).group(1)
    assert set(shared.split("; ")) == CISO_CTO_SHARED   # (names hold commas)
    summary = _cells(html, 'id="summary"')
    assert f"meets 2 of the 6 skill requirements of {CTO}" in summary
    assert "4 skills to develop (4 new to you)" in summary


def test_html_is_self_contained_and_accessible(ciso_cto_html):
    html = ciso_cto_html.read_text(encoding="utf-8")
    assert "<script" not in html
    assert not re.search(r'<link[^>]+stylesheet', html)
    assert not re.search(r'(src|href)="(https?:)?//[^"]+\.(css|js|woff2?|ttf)"', html)
    assert "@import" not in html and "url(http" not in html
    assert '<html lang="en">' in html
    assert html.count("<h1") == 1 and "<h2" in html
    assert '<th scope="col">' in html
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "@page { size: A4" in html and "@media print" in html
    # colour is never the only signal: new skills are labelled in words, alternatives say "dashed"
    assert "new skill" in html and "(dashed)" in svg


def test_html_opens_in_chromium_without_console_errors(ciso_cto_html, chromium, tmp_path):
    shot = tmp_path / "report.png"
    proc = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                           f"--screenshot={shot}", "--window-size=1200,1600", ciso_cto_html.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert shot.is_file() and shot.stat().st_size > 20_000
    console = [line for line in proc.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []
    assert "ERR_FILE_NOT_FOUND" not in proc.stderr and "Page load failed" not in proc.stderr
    keep = os.environ.get("ROLEGRAPH_SCREENSHOT_DIR")
    if keep:
        shutil.copy(shot, Path(keep) / "ciso-cto-report.png")
    dom = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile2'}", "--dump-dom",
                          ciso_cto_html.as_uri()], capture_output=True, text=True, timeout=120)
    assert "Technology evaluation" in dom.stdout and "<svg" in dom.stdout


def test_markdown_is_commonmark_with_the_facts(cli):
    from markdown_it import MarkdownIt

    r = cli("report", CISO, CTO, "--format", "md")
    assert r.exit_code == 0, r.stderr
    tokens = MarkdownIt("commonmark").parse(r.stdout)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[0] == f"Career path: {CISO} to {CTO}"
    assert {"Summary", "Recommended path", "Skill levels used", "Sources"} <= set(headings)
    html = MarkdownIt("commonmark").render(r.stdout)
    for skill in CISO_CTO_DEVELOP:
        assert f"<strong>{skill}</strong>" in html
    for skill in CISO_CTO_SHARED:
        assert skill in html
    site = "https://understand-digital-data-roles-skills.service.gov.uk/"
    assert f'<a href="{site}role/chief-technology-officer/">' in html


def test_report_for_a_promotion_shows_level_changes(cli):
    r = cli("report", "Data engineer", "Senior data engineer", "--format", "md")
    assert r.exit_code == 0, r.stderr
    assert "- **Data compliance and security**: working → practitioner (up 1 level)" in r.stdout
    assert "**practitioner** (3 of 4)" in r.stdout  # the skill-level definitions used


def test_role_profile_report(cli, tmp_path):
    out = tmp_path / "de.html"
    r = cli("report", "Data engineer", "-o", out)
    assert r.exit_code == 0, r.stderr
    html = out.read_text(encoding="utf-8")
    assert "Role profile: Data engineer" in html
    assert html.index("Senior data engineer") < html.index("Lead data engineer")
    assert "Related moves from Head of data engineering" in html
    md = cli("report", "Chief technology officer", "--format", "md").stdout
    assert "- **Grades:** SCS 1, SCS 2" in md


def test_report_unknown_name_writes_nothing(cli, tmp_path):
    out = tmp_path / "x.html"
    r = cli("report", "Chief tecnology officer", CTO, "-o", out)
    assert r.exit_code == 2
    assert "did you mean" in r.stderr
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ exports


@pytest.fixture(scope="module")
def source_graph():
    """The bundled files parsed independently with rdflib."""
    import rdflib

    from rolegraph.resources import data_dir, ontology_files

    g = rdflib.Graph()
    for f in ontology_files() + sorted(data_dir().rglob("*.ttl")):
        g.parse(f, format="turtle")
    return g


@pytest.mark.parametrize("fmt,rdflib_format", [("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt")])
def test_rdf_exports_reparse_isomorphic(cli, tmp_path, source_graph, fmt, rdflib_format):
    import rdflib
    from rdflib.compare import isomorphic

    out = tmp_path / f"graph.{fmt}"
    r = cli("export", "--format", fmt, "-o", out)
    assert r.exit_code == 0, r.stderr
    back = rdflib.Graph().parse(out, format=rdflib_format)
    assert len(back) == len(source_graph)
    assert isomorphic(back, source_graph)


def test_graphml_rereads_with_same_nodes_and_edges(cli, tmp_path, graph):
    import networkx as nx

    from rolegraph import careers

    out = tmp_path / "moves.graphml"
    assert cli("export", "--format", "graphml", "-o", out).exit_code == 0
    back = nx.read_graphml(out)
    M = careers.move_graph(graph)
    iri = {n: d["iri"] for n, d in back.nodes(data=True)}
    assert set(iri.values()) == set(M.nodes)
    assert {(iri[a], iri[b]) for a, b in back.edges} == set(M.edges)
    assert back.is_directed()


@pytest.fixture(scope="module")
def graphml_file(tmp_path_factory):
    from rolegraph.export import graphml
    from rolegraph.graph import RoleGraph

    out = tmp_path_factory.mktemp("graphml") / "moves.graphml"
    out.write_bytes(graphml(RoleGraph.load()))
    return out


def test_graphml_validates_against_the_graphml_schema(graphml_file):
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(FIXTURES / "graphml" / "graphml.xsd")))
    ok = schema.validate(etree.parse(str(graphml_file)))
    assert ok, [str(e) for e in list(schema.error_log)[:5]]


def test_graphml_attributes_weight_and_grades_are_consistent(graphml_file, graph):
    import networkx as nx

    from rolegraph import browse, careers

    back = nx.read_graphml(graphml_file)
    B = careers.skills_graph(graph)
    keys = {n: d for n, d in back.nodes(data=True)}
    assert all("bipartite" not in d for d in keys.values())
    for a, b, d in back.edges(data=True):
        assert isinstance(d["weight"], float) and 0 <= d["weight"] <= 1
        assert d["weight"] == pytest.approx(careers.similarity(B, keys[a]["iri"], keys[b]["iri"]))
    # grades: the same meaning for role levels and SCS roles (all published grades, lowest first; min and max)
    by_label = {d["label"]: d for d in keys.values()}
    ciso = browse.role_info(graph, CISO)
    assert by_label[CISO]["kind"] == "SCS role"
    assert (by_label[CISO]["grade_min"], by_label[CISO]["grade_max"]) == (ciso["grades"][0], ciso["grades"][-1])
    level = next(lv for lv in browse.role_info(graph, "Data engineer")["levels"]
                 if lv["name"] == "Senior data engineer")
    node = by_label["Senior data engineer"]
    assert node["kind"] == "role level" and node["grades"] == ", ".join(level["grades"])
    assert (node["grade_min"], node["grade_max"]) == (level["grades"][0], level["grades"][-1])
    for d in keys.values():
        if "grade_min" in d:
            assert d["grade_min_rank"] <= d["grade_max_rank"]
            assert d["grades"].split(", ")[0] == d["grade_min"] and d["grades"].split(", ")[-1] == d["grade_max"]


def test_similarity_csv(cli, graph):
    import csv

    r = cli("export", "--format", "csv")
    assert r.exit_code == 0
    rows = list(csv.reader(io.StringIO(r.stdout)))
    header = rows[0][1:]
    assert len(header) == len(rows) - 1 == 206 + 4  # every role level and SCS role
    assert "Senior data engineer" in header and CISO in header
    i = header.index(CISO)
    ciso_row = next(row for row in rows[1:] if row[0] == CISO)
    assert float(ciso_row[1 + i]) == 1.0
    assert float(ciso_row[1 + header.index(CTO)]) > 0


def test_export_to_missing_folder_fails_cleanly(cli, tmp_path):
    r = cli("export", "--format", "ttl", "-o", tmp_path / "no" / "such" / "out.ttl")
    assert r.exit_code == 2
    assert r.stderr.strip() == f"Error: {tmp_path / 'no' / 'such' / 'out.ttl'}: cannot write: folder " \
                               f"{tmp_path / 'no' / 'such'} does not exist"
    assert list(tmp_path.iterdir()) == []


def test_export_onto_a_folder_fails_cleanly(cli, tmp_path):
    r = cli("export", "--format", "nt", "-o", tmp_path)
    assert r.exit_code == 2
    assert "is a directory" in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_failed_write_leaves_nothing_behind(cli, tmp_path, monkeypatch):
    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    out = tmp_path / "graph.ttl"
    r = cli("export", "--format", "ttl", "-o", out)
    assert r.exit_code == 2
    assert r.stderr.strip() == f"Error: {out}: cannot write (No space left on device)"
    assert list(tmp_path.iterdir()) == []


def test_path_report_states_the_grade_held_and_draws_an_in_post_promotion_as_no_box(graph):
    """Issue #23: from G7 (the bottom of G7-G6) the path is an in-post promotion, then the bridge; the diagram
    shows each position once (no move from a box to itself) and the context says the grade held and the years."""
    import re

    from rolegraph import reports

    c = reports.path_report(graph, "Principal developer", "Chief technology officer", alternatives=0)
    assert [s["move"] for s in c["steps"]] == ["in-post promotion", "promotion"]
    assert c["grade"] == "G7" and c["to_grade"] == "SCS 1" and c["grade_change"] == 2
    svgs = c["diagram"].split("<svg")[1:]   # the screen diagram's layouts (across, and the recommended path alone)
    assert svgs
    for svg in svgs:
        titles = re.findall(r"<title>([^<]*)</title>", svg)
        assert titles == ["Principal developer (G7-G6)", "Chief technology officer (SCS 1-SCS 2)"]
    assert c["years"] and c["why_this_route"][0].startswith("You start as Principal developer at G7")


@pytest.mark.parametrize("origin, dest", [("Security architect", "Chief information security officer"),
                                          ("Apprentice developer", "Principal developer"),
                                          ("Data analyst", "Head of data science")])
def test_diagram_arrows_say_the_grades_held_so_promotions_in_post_are_not_hidden(graph, origin, dest):
    """Promotions in post have no box, so an arrow's "grade +1" after two of them hid two grades (issue 25's
    walk): each arrow of the recommended route names the grades held before and after its move, as the steps do."""
    from rolegraph import careers, reports

    found = careers.path(graph, origin, dest).to_dict()
    moves = [s for s in found["steps"] if s["from"] != s["to"]]
    svg = str(reports.diagram(graph, [found], "t"))
    labels = re.findall(r'<text class="cost"[^>]*>([^<]*)</text>', svg)
    held = [lab for lab in labels if "\u2192" in lab]
    assert held == [f"{s['from_grade']} \u2192 {s['to_grade']}" for s in moves]
    assert not any(lab.startswith("grade ") for lab in labels)
