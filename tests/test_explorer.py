"""The career explorer over HTTP: every page type on the bundled data, names resolved as in the CLI."""
from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

import pytest

CISO, CTO = "Chief information security officer", "Chief technology officer"


def get(base: str, path: str, accept: str = "text/html") -> tuple[int, dict, str]:
    req = urllib.request.Request(base + path, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, dict(r.headers), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode("utf-8")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids, self.scripts = [], set(), 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if "id" in a:
            self.ids.add(a["id"])
        self.scripts += tag == "script"


def parse(html: str) -> Links:
    p = Links()
    p.feed(html)
    return p


def test_home_lists_the_eight_families_and_every_role(explorer_url, graph):
    status, headers, html = get(explorer_url, "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    families = re.findall(r'<h3 id="family-[^"]+">([^<]+)</h3>', html)
    assert len(families) == 8 == len(graph.entities("family"))
    role_links = {h for h in parse(html).links if h.startswith("/role/")}
    assert len(role_links) == len(graph.entities("role")) == 53
    assert parse(html).scripts == 0  # works with JavaScript off: there is none


@pytest.mark.parametrize("q,first", [
    ("Chief tec", CTO),                              # prefix
    ("chief tecnology oficer", CTO),                 # typos, as the CLI's "did you mean"
    ("senior data eng", "Senior data engineer"),     # a role level
    ("data modelling", "Data modelling"),            # a skill
])
def test_search_prefix_and_typo_tolerant(explorer_url, q, first):
    status, _, html = get(explorer_url, "/?" + urllib.parse.urlencode({"q": q}))
    assert status == 200
    results = html[html.index('id="results"'):]
    names = re.findall(r'<li><a href="[^"]+">([^<]+)</a>', results)
    assert names and names[0] == first


def test_search_suggests_what_the_cli_suggests(explorer_url, cli):
    r = cli("role", "Chief tecnology oficer")
    suggested = re.findall(r'"([^"]+)"', r.stderr.split("did you mean", 1)[1])
    _, _, html = get(explorer_url, "/?q=Chief+tecnology+oficer")
    found = re.findall(r'<li><a href="[^"]+">([^<]+)</a>', html[html.index('id="results"'):])
    assert set(suggested) <= set(found)


def test_role_page_ladder_skills_moves_and_official_link(explorer_url, graph):
    from rolegraph import browse, careers

    status, _, html = get(explorer_url, "/role/data-engineer")
    assert status == 200
    info = browse.role_info(graph, "Data engineer")
    ladder = html[html.index('id="ladder"'):html.index('id="skills"')]
    rows = re.findall(r'<th scope="row">([^<]+?)(?: <span| ?</th>)', ladder)
    assert rows == [lv["name"] for lv in info["levels"]] and len(rows) == 4
    for lv in info["levels"]:
        assert ", ".join(lv["grades"]) in ladder
    assert info["source"] in parse(html).links
    moves = careers.related(graph, info["levels"][-1]["name"], top=10).to_dict()["moves"]
    moves_html = html[html.index('id="moves"'):]
    assert [m["to"] for m in moves] == re.findall(r'<th scope="row"><a href="/role/[^"]+">([^<]+)</a>', moves_html)[:10]
    skill_links = {h for h in parse(html).links if h.startswith("/skill/")}
    assert len(skill_links) == len({s["skill"] for lv in info["levels"] for s in lv["skills"]})


def test_level_slug_shows_its_role_and_marks_the_level(explorer_url):
    status, _, html = get(explorer_url, "/role/senior-data-engineer")
    assert status == 200
    assert "<h1>Role profile: Data engineer</h1>" in html
    assert re.search(r"Senior data engineer <span class=\"tag\">YOU SEARCHED FOR</span>", html)


def test_skill_page_levels_and_who_needs_it(explorer_url, graph):
    from rolegraph import browse

    status, _, html = get(explorer_url, "/skill/data-modelling")
    assert status == 200
    info = browse.skill_info(graph, "Data modelling")
    assert ", ".join(info["levels_defined"]) in html
    rows = re.findall(r"<tr><th scope=\"row\"><a href=\"/role/[^\"]+\">([^<]+)</a></th>"
                      r"<td>([^<]+)</td><td>([^<]+)</td>", html)
    assert [(r, lv, lvl) for r, lv, lvl in rows] == [(u["role"], u["role_level"], u["level"]) for u in info["used_by"]]


def test_path_form_then_report_with_downloads(explorer_url):
    status, _, form = get(explorer_url, "/path")
    assert status == 200 and '<form action="/path" method="get"' in form and 'name="from"' in form
    q = urllib.parse.urlencode({"from": CISO, "to": CTO})
    status, _, html = get(explorer_url, f"/path?{q}")
    assert status == 200
    assert f"<h1>Career path: {CISO} to {CTO}</h1>" in html
    for skill in ("Technology evaluation", "Strategic technology planning"):
        assert f'<a href="/skill/{skill.lower().replace(" ", "-")}">{skill}</a>' in html
    assert "<svg" in html
    downloads = [h for h in parse(html).links if "format=" in h]
    assert len(downloads) == 2
    for href in downloads:
        status, headers, body = get(explorer_url, href.replace("&amp;", "&"))
        assert status == 200 and "attachment" in headers["content-disposition"]
        assert "Technology evaluation" in body


def test_download_is_the_saved_report(explorer_url, cli):
    q = urllib.parse.urlencode({"from": CISO, "to": CTO, "alternatives": 2, "format": "md"})
    _, headers, md = get(explorer_url, f"/path?{q}")
    assert headers["content-type"].startswith("text/markdown")
    assert md == cli("report", CISO, CTO, "--format", "md").stdout


def test_path_unknown_name_shows_suggestions_and_404(explorer_url):
    query = urllib.parse.urlencode({"from": "Chief tecnology oficer", "to": CTO})
    status, _, html = get(explorer_url, "/path?" + query)
    assert status == 404
    assert "There is a problem" in html  # the name is escaped: quotes are &#34; in the source
    assert 'There is no role or role level called &#34;Chief tecnology oficer&#34;' in html
    assert re.search(r'<a href="\?from=Chief\+technology\+officer[^"]*">Chief technology officer</a>', html)
    assert 'value="Chief tecnology oficer"' in html  # the answer is kept


def test_path_to_itself_is_a_clear_error(explorer_url):
    status, _, html = get(explorer_url, "/path?" + urllib.parse.urlencode({"from": CTO, "to": CTO}))
    assert status == 400 and "the same position" in html


def test_related_moves_ranked_with_tiers_and_reasons(explorer_url, graph):
    from rolegraph import careers

    status, _, html = get(explorer_url, "/related?" + urllib.parse.urlencode({"from": "Senior data engineer"}))
    assert status == 200
    moves = careers.related(graph, "Senior data engineer").to_dict()["moves"]
    rows = re.findall(r"<tr><td>(\d+)</td><th scope=\"row\"><a [^>]+>([^<]+)</a></th><td>([^<]+)</td>", html)
    assert [(int(r), n, t) for r, n, t in rows] == [(m["rank"], m["to"], str(m["tier"])) for m in moves]
    assert "The next level of the same role" in html  # a ladder move says why
    assert html.count("% of its level-weighted requirements") >= 1


def test_unknown_pages_are_404_with_suggestions(explorer_url):
    status, _, html = get(explorer_url, "/role/chief-tecnology-oficer")
    assert status == 404 and "<h1>Page not found</h1>" in html
    assert '<a href="/role/chief-technology-officer">Chief technology officer</a>' in html
    status, _, html = get(explorer_url, "/skill/data-modeling")
    assert status == 404 and '<a href="/skill/data-modelling">Data modelling</a>' in html
    status, _, html = get(explorer_url, "/no/such/page")
    assert status == 404 and "Page not found" in html
    status, _, text = get(explorer_url, "/no/such/page", accept="application/json")
    assert status == 404 and "<html" not in text


def test_every_link_on_the_pages_resolves(explorer_url):
    pages = ["/", "/role/data-engineer", "/role/chief-technology-officer", "/skill/data-modelling",
             "/related?from=Senior+data+engineer", "/path?from=Data+engineer&to=Chief+data+officer"]
    seen = set()
    for page in pages:
        _, _, html = get(explorer_url, page)
        for href in parse(html).links:
            href = href.replace("&amp;", "&")
            if href.startswith("/") and not href.startswith("/sparql") and href not in seen and "format=" not in href:
                seen.add(href)
                status, _, _ = get(explorer_url, href.split("#")[0])
                assert status == 200, (page, href, status)
    assert len(seen) > 80


def test_stylesheet_is_served_and_shared_with_reports(explorer_url):
    from rolegraph import reports

    status, headers, css = get(explorer_url, "/static/rolegraph.css", accept="text/css")
    assert status == 200 and headers["content-type"].startswith("text/css")
    assert css == reports.stylesheet()
    assert "@media (forced-colors: active)" in css and "prefers-color-scheme: dark" in css


def test_related_unknown_name_and_role_name(explorer_url):
    status, _, html = get(explorer_url, "/related?from=Senior+data+enginer")
    assert status == 404 and 'There is no role or role level called &#34;Senior data enginer&#34;' in html
    assert '<a href="?from=Senior+data+engineer">Senior data engineer</a>' in html
    status, _, html = get(explorer_url, "/related?from=Data+engineer")  # a role and level name means the level
    assert status == 200 and "<h1>Related moves from Data engineer</h1>" in html
    assert "(a name that is both means the level)" in html


def test_path_and_related_take_the_grade_held(explorer_url):
    """Issue #23: an optional grade field; the report states the grade held and each step's grades as held."""
    query = urllib.parse.urlencode({"from": "Principal developer", "to": CTO, "grade": "G6"})
    status, _, html = get(explorer_url, "/path?" + query)
    assert status == 200 and "Grade held</dt><dd>G6 (given)" in html and "from G6 to SCS 1" in html
    assert 'name="grade" value="G6"' in html and "grade=G6" in html  # kept in the form and the downloads
    status, _, html = get(explorer_url, "/path?" + urllib.parse.urlencode({"from": "Principal developer", "to": CTO}))
    assert status == 200 and "In-post promotion from G7 to G6" in html and "default: the bottom of" in html
    status, _, html = get(explorer_url, "/related?" + urllib.parse.urlencode(
        {"from": "Head of data engineering", "grade": "G6"}))
    assert status == 200 and "Grade held: G6 (given)" in html and "Chief data officer" in html
    for bad, message in (("<b>G9", "Not a grade: give one of"), ("SEO", "not in that band")):
        status, _, html = get(explorer_url, "/related?" + urllib.parse.urlencode(
            {"from": "Head of data engineering", "grade": bad}))
        assert status == 400 and message in html and "<b>G9" not in html


def test_related_page_lists_own_ladder_and_scs_aims(explorer_url):
    status, _, html = get(explorer_url, "/related?" + urllib.parse.urlencode({"from": "Senior data engineer"}))
    assert status == 200 and "Your own ladder" in html and "Senior Civil Service roles to aim for" in html
    assert "from Head of data engineering at G6" in html
