"""Script injection (issue 21, item 2): every page, download and report rendered from hostile data.

A copy of the bundled data has the labels, descriptions, notes and sources of a few roles, role levels, skills,
a job family and the release rewritten with payloads (script tags, attribute breakouts, SVG breakouts,
``javascript:``/``data:`` URLs, template syntax). Every explorer page type (over a live server), the reflected
query parameters, both downloads, both report formats from the CLI and the SVG diagram are rendered and parsed
with a real parser (lxml); each must hold no script element, no ``on*`` handler, no link with a non-http(s)
scheme that came from the data, and must still show the payload as text.
"""
from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from rolegraph.slugs import slugify

ROOT = Path(__file__).resolve().parent.parent
RG = "https://w3id.org/rolegraph/ddat/"

# each payload carries a marker (xssN) so a leak can be traced to its field
P = {
    "script": '<script>alert("xss1")</script>',
    "attr": "\"><img src=x onerror=alert('xss2')>",
    "quote": "' onmouseover='alert(3)' x='xss3",
    "svg": "</text><script>alert('xss4')</script>]]>",
    "title": "</title><svg onload=alert('xss5')>",
    "template": "{{7*7}} xss6 {% if 1 %}",
    "markdown": "[xss7](javascript:alert(7)) <a href=\"javascript:alert(7)\">xss7</a>",
    "iframe": "<iframe srcdoc=\"<script>alert(8)</script>\">xss8</iframe>",
}
JS_URL = "javascript:alert('xss-src')"
DATA_URL = "data:text/html;base64,PHNjcmlwdD5hbGVydCgnZGF0YScpPC9zY3JpcHQ+"

ROLE = "Data engineer " + P["script"]
LEVEL = "Senior data engineer " + P["svg"]
LEVEL2 = "Lead data engineer " + P["title"]
SKILL = "Data modelling " + P["quote"]
TARGET = "Chief data officer"
ROLE_DESC = "Builds pipelines " + P["attr"] + " " + P["template"]
NOTE = "Editorial " + P["iframe"]
SKILL_DESC = "Models data " + P["markdown"]
SKILL_NOTE = "Scope " + P["title"]
FAMILY = "Data " + P["attr"]
RELEASE = "Hostile release " + P["script"]


def hostile_data(folder: Path) -> Path:
    """The bundled data with payloads in a few nodes' labels, descriptions, notes and sources (one Turtle file)."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import DCTERMS, SKOS

    g = Graph()
    for f in sorted((ROOT / "data").rglob("*.ttl")):
        g.parse(f, format="turtle")

    def put(node: str, pred, value) -> None:
        s = URIRef(RG + node)
        assert (s, None, None) in g, node   # the node exists: the rewrite really lands in the data
        g.remove((s, pred, None))
        g.add((s, pred, value))

    put("role/data-engineer", SKOS.prefLabel, Literal(ROLE, lang="en"))
    put("role/data-engineer", DCTERMS.description, Literal(ROLE_DESC, lang="en"))
    put("role/data-engineer", SKOS.editorialNote, Literal(NOTE, lang="en"))
    put("role/data-engineer", DCTERMS.source, URIRef(JS_URL))
    put("level/senior-data-engineer", SKOS.prefLabel, Literal(LEVEL, lang="en"))
    put("level/lead-data-engineer", SKOS.prefLabel, Literal(LEVEL2, lang="en"))
    put("skill/data-modelling", SKOS.prefLabel, Literal(SKILL, lang="en"))
    put("skill/data-modelling", DCTERMS.description, Literal(SKILL_DESC, lang="en"))
    put("skill/data-modelling", SKOS.scopeNote, Literal(SKILL_NOTE, lang="en"))
    put("skill/data-modelling", DCTERMS.source, URIRef(DATA_URL))
    put("family/data", SKOS.prefLabel, Literal(FAMILY, lang="en"))
    put("release/2026-10", SKOS.prefLabel, Literal(RELEASE, lang="en"))
    put("release/2026-10", DCTERMS.source, URIRef(JS_URL))
    put("release/2026-10", DCTERMS.license, URIRef("javascript:alert('licence')"))
    out = folder / "hostile.ttl"
    g.serialize(out, format="turtle", encoding="utf-8")
    return out


# ---------------------------------------------------------------------------------------------- the checker

LINK_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "{http://www.w3.org/1999/xlink}href",
              "srcdoc", "data", "poster", "background")
NEVER = ("script", "iframe", "frame", "object", "embed", "base", "img", "applet")


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


OWN_SCRIPT_FILE = "/static/autocomplete.js"


def problems(html: str, own_scripts: int = 0) -> list[str]:
    """What in *html* could run script or link to a non-http(s) address (parsed with lxml.html)."""
    import lxml.html

    doc = lxml.html.document_fromstring(html)
    found = []
    scripts, own_file = 0, False
    for el in doc.iter():
        tag = _local(el.tag)
        if tag == "script" and el.get("src") == OWN_SCRIPT_FILE and not (el.text or "").strip() and not own_file:
            own_file = True   # the explorer's one script file (the forms' autocomplete), at most once
            continue
        if tag == "script":
            scripts += 1
            if "alert" in (el.text or "") or el.get("src"):
                found.append(f"script element from data: {(el.text or el.get('src'))[:60]!r}")
        elif tag in NEVER:
            found.append(f"<{tag}> element from data")
        if tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
            found.append("meta refresh")
        for name, value in el.attrib.items():
            lname = _local(name)
            if lname.startswith("on"):
                found.append(f"handler attribute {lname}={value[:40]!r} on <{tag}>")
            if lname in ("href", "src", "action", "formaction", "srcdoc", "data", "poster", "background"):
                v = re.sub(r"[\x00-\x20]", "", value).lower()
                scheme = v.split(":", 1)[0] if re.match(r"^[a-z][a-z0-9+.-]*:", v) else ""
                if tag == "link" and el.get("rel") == "icon" and value == "data:,":
                    continue   # the page's own empty favicon (saves a request)
                if lname == "srcdoc" or scheme not in ("", "http", "https"):
                    found.append(f"{lname}={value[:50]!r} on <{tag}>")
    if scripts > own_scripts:
        found.append(f"{scripts} script elements (the page has {own_scripts} of its own)")
    return found


def visible(html: str) -> str:
    """The text a reader sees, plus attribute values (a reflected value="..." counts)."""
    import lxml.html

    doc = lxml.html.document_fromstring(html)
    return " ".join([doc.text_content()] + [v for el in doc.iter() for v in el.attrib.values()])


def markdown_html(md: str) -> str:
    """A Markdown report as a permissive CommonMark renderer would show it (raw HTML on, every link kept)."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": True})
    parser.validateLink = lambda url: True   # as naive renderers do: the report itself must not link javascript:
    return "<!DOCTYPE html><html><body>" + parser.render(md) + "</body></html>"


def test_the_checker_can_fail():
    bad = ['<p><a href="javascript:alert(1)">x</a></p>', "<p><script>alert(1)</script></p>",
           '<p><input value="" onfocus="alert(1)"></p>', '<svg><title></title><svg onload=alert(1)></svg></svg>',
           '<p><a href=" JaVa\tScript:alert(1)">x</a></p>', '<p><iframe srcdoc="x"></iframe></p>',
           '<form action="data:text/html,x"></form>']
    for html in bad:
        assert problems("<!DOCTYPE html><html><body>" + html + "</body></html>"), html
    ok = '<p><a href="/role/x">x</a> <a href="https://example.org/">y</a> &lt;script&gt;</p>'
    assert problems("<!DOCTYPE html><html><body>" + ok + "</body></html>") == []
    assert "[xss7](javascript" in visible(markdown_html(r"\[xss7\](javascript:alert(7))"))
    assert problems(markdown_html("[a](javascript:alert(1))"))


# ---------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    return hostile_data(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def hostile_graph(hostile):
    from rolegraph.graph import RoleGraph

    return RoleGraph.load([hostile])


@pytest.fixture(scope="module")
def site(hostile_graph):
    """The app `rolegraph serve` builds (explorer and /sparql) over the hostile graph, under uvicorn on loopback.
    No query runs here, so the worker pool is never started (lifespan off)."""
    from rolegraph.server import create_app

    from .servers import asgi_app

    with asgi_app(create_app(hostile_graph)) as url:
        yield url


def fetch(url: str) -> tuple[int, str]:
    req = urllib.request.Request(url, headers={"Accept": "text/html"})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


def q(**params) -> str:
    return urllib.parse.urlencode(params)


# page -> (address, payloads that must show as text); reflected values are payloads themselves
PAGES = {
    "home": ("/", [FAMILY, ROLE]),
    "search-reflected": ("/?" + q(q=P["attr"]), [P["attr"]]),
    "search-reflected-quote": ("/?" + q(q=P["quote"]), [P["quote"]]),
    "search-hits": ("/?" + q(q="data engineer"), [ROLE]),
    "search-hits-level": ("/?" + q(q="senior data engineer"), [LEVEL]),
    "search-skill": ("/?" + q(q="data modelling"), [SKILL]),
    "role": ("/role/data-engineer", [ROLE, ROLE_DESC, NOTE, LEVEL, LEVEL2, SKILL, JS_URL]),
    "role-level": ("/role/senior-data-engineer", [LEVEL]),
    "skill": ("/skill/data-modelling", [SKILL, SKILL_DESC, SKILL_NOTE, DATA_URL, LEVEL]),
    "path-form": ("/path", []),
    "path": ("/path?" + q(**{"from": LEVEL, "to": TARGET}), [LEVEL, RELEASE]),
    "path-html-download": ("/path?" + q(**{"from": LEVEL, "to": TARGET, "format": "html"}), [LEVEL, RELEASE]),
    "path-unknown-reflected": ("/path?" + q(**{"from": P["attr"], "to": P["script"]}), [P["attr"], P["script"]]),
    "path-did-you-mean": ("/path?" + q(**{"from": "Chief tecnology oficer", "to": P["attr"]}), [P["attr"]]),
    "path-to-itself": ("/path?" + q(**{"from": LEVEL, "to": LEVEL}), [LEVEL]),
    "related-form": ("/related", []),
    "related-reflected": ("/related?" + q(**{"from": P["attr"]}), [P["attr"]]),
    "related": ("/related?" + q(**{"from": LEVEL}), [LEVEL]),
    "not-found-role": ("/role/" + urllib.parse.quote(P["script"], safe=""), [P["script"]]),
    "not-found-skill": ("/skill/" + urllib.parse.quote(P["attr"], safe=""), [P["attr"]]),
    "not-found-path": ("/no/" + urllib.parse.quote(P["svg"], safe=""), [P["svg"]]),
    "sparql-page": ("/sparql", []),
    "level": ("/level/" + slugify(LEVEL), [LEVEL, ROLE, LEVEL2, SKILL]),
    "search-grade": ("/?" + q(q="G7 " + P["attr"]), [P["attr"]]),
    "compare": ("/compare?" + q(a=LEVEL, b=TARGET), [LEVEL, SKILL]),
    "skills": ("/skills", [SKILL, FAMILY]),
    "skills-reflected": ("/skills?" + q(family=P["attr"]), [P["attr"]]),
    "roles": ("/roles", [LEVEL, ROLE, FAMILY]),
    "roles-reflected": ("/roles?" + q(family=FAMILY, grade=P["script"]), [P["script"]]),
    "compare-reflected": ("/compare?" + q(a=P["attr"], b=P["script"]), [P["attr"], P["script"]]),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_explorer_page_runs_no_script_from_data(site, name):
    address, shown = PAGES[name]
    status, html = fetch(site + address)
    assert status in (200, 400, 404), (status, html[:300])
    assert problems(html, own_scripts=1 if name == "sparql-page" else 0) == []
    text = visible(html)
    for payload in shown:
        assert payload in text, f"{payload!r} is not shown as text on {name}"


def test_markdown_download_links_only_http(site):
    status, md = fetch(site + "/path?" + q(**{"from": LEVEL, "to": TARGET, "format": "md"}))
    assert status == 200
    html = markdown_html(md)
    assert problems(html) == []
    for payload in (LEVEL, RELEASE):
        assert payload in visible(html)


@pytest.mark.parametrize("fmt", ["html", "md"])
@pytest.mark.parametrize("kind", ["path", "role"])
def test_saved_report_runs_no_script_from_data(hostile, tmp_path, cli, kind, fmt):
    out = tmp_path / f"report.{fmt}"
    names = [LEVEL, TARGET] if kind == "path" else [ROLE]
    r = cli("--data", hostile, "report", *names, "--format", fmt, "-o", out)
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    html = text if fmt == "html" else markdown_html(text)
    assert problems(html) == []
    shown = [LEVEL, RELEASE] if kind == "path" else [ROLE, ROLE_DESC, NOTE, LEVEL, SKILL, JS_URL]
    for payload in shown:
        assert payload in visible(html), f"{payload!r} is not shown as text in the {kind} report"


def test_svg_diagram_is_well_formed_and_holds_the_names_as_text(hostile_graph):
    from lxml import etree

    from rolegraph import reports

    context = reports.path_report(hostile_graph, LEVEL, TARGET, alternatives=2)
    for svg in (context["diagram"], context["diagram_print"]):
        for part in re.findall(r"<svg.*?</svg>", svg, re.S):
            root = etree.fromstring(part.encode("utf-8"))   # XML: a breakout is a parse error
            tags = {_local(el.tag) for el in root.iter()}
            assert "script" not in tags and "svg" not in {_local(el.tag) for el in root.iter() if el is not root}
            assert not [a for el in root.iter() for a in el.attrib if _local(a).startswith("on")]
        titles = [el.text for el in etree.fromstring(re.findall(r"<svg.*?</svg>", svg, re.S)[0].encode()).iter()
                  if _local(el.tag) == "title"]
        assert any(LEVEL in (t or "") for t in titles)


def test_every_bundled_address_still_becomes_a_link(graph):
    """safe_url refuses what is not http(s), yet every official page and licence in the bundled data is linked."""
    from rolegraph.templating import safe_url

    rows = graph.select("SELECT DISTINCT ?u WHERE { { ?s dcterms:source ?u } UNION { ?s dcterms:license ?u } }")
    assert len(rows) > 200
    assert [r["u"] for r in rows if safe_url(r["u"]) != r["u"]] == []
    assert [u for u in (JS_URL, DATA_URL, "javascript:alert(1)", "JAVASCRIPT:x", "https:/x", "//evil.example/",
                        "https://a.example/\"onmouseover=x", "vbscript:x", "file:///etc/passwd") if safe_url(u)] == []
