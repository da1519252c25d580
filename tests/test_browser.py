"""The explorer and the saved reports in a real browser: Debian's chromium driven by playwright.

Covers the journey search -> role -> path -> download, issue 25's five journeys at 1280/390/320 px (at the
end), phone widths (320 and 390 px: no sideways page scroll), axe-core at WCAG 2.2 AA on every page type (light
and dark), forced-colours mode, and A4 print.
Locally these tests skip when chromium is missing; with CI set, a missing browser is a failure.
"""
from __future__ import annotations

import os
import re
import shutil
import urllib.parse

import pytest

CISO, CTO = "Chief information security officer", "Chief technology officer"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

PAGES = {  # page type -> address
    "home": "/",
    "search": "/?q=data+eng",
    "search-nothing": "/?q=zzzzqqq",
    "role": "/role/data-engineer",
    "scs-role": "/role/chief-technology-officer",
    "skill": "/skill/data-modelling",
    "path-form": "/path",
    "path": "/path?" + urllib.parse.urlencode({"from": "Data engineer", "to": "Chief data officer", "alternatives": 3}),
    "path-ciso": "/path?" + urllib.parse.urlencode({"from": "Security architect", "to": CISO}),
    "path-error": "/path?" + urllib.parse.urlencode({"from": "Chief tecnology oficer", "to": CTO}),
    "related-form": "/related",
    "related": "/related?from=Senior+data+engineer",
    "not-found": "/role/chief-tecnology-oficer",
    "level": "/level/senior-data-analyst",
    "search-grade": "/?q=G7+data",
    "search-paged": "/?q=analyst&page=2",
    "compare-form": "/compare",
    "compare": "/compare?" + urllib.parse.urlencode({"a": "Senior data analyst", "b": "Lead data scientist"}),
    "compare-error": "/compare?a=CTO&b=Data+engineer",
    "skills": "/skills",
    "skills-family": "/skills?family=Data",
    "roles": "/roles?family=Data&grade=G7",
    "roles-error": "/roles?grade=G99",
    "accessibility": "/accessibility",
    "privacy": "/privacy",
}


def _chromium() -> str | None:
    exe = "/usr/bin/chromium"
    return exe if os.access(exe, os.X_OK) else shutil.which("chromium")


def csp_violations(messages: list[str]) -> list[str]:
    """The console errors that report something the page's Content-Security-Policy blocked."""
    return [m for m in messages if "Content Security Policy" in m or "Content-Security-Policy" in m]


def run_axe(page, axe_source: str) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)   # through the devtools protocol: the page's CSP allows no injected <script>
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    assert len(result["passes"]) > 10  # axe really ran its WCAG rules on the page
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]]


@pytest.fixture(scope="module")
def saved_reports(tmp_path_factory, cli_module):
    out = tmp_path_factory.mktemp("saved")
    files = {"path-report": out / "path.html", "role-report": out / "role.html"}
    assert cli_module("report", "Data engineer", "Chief data officer", "--alternatives", "3", "-o",
                      files["path-report"]).exit_code == 0
    assert cli_module("report", "Data engineer", "-o", files["role-report"]).exit_code == 0
    return {k: v.as_uri() for k, v in files.items()}


@pytest.fixture(scope="module")
def cli_module():
    from click.testing import CliRunner

    from rolegraph.cli import main

    return lambda *args: CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def explorer_app_url(graph):
    """What `rolegraph serve` builds (explorer and /sparql; no query runs, so no worker starts)."""
    from rolegraph.server import create_app

    from .servers import asgi_app

    with asgi_app(create_app(graph)) as url:
        yield url


def _all_pages(explorer_url, saved_reports) -> dict[str, str]:
    return {**{k: explorer_url + v for k, v in PAGES.items()}, **saved_reports}


# ---------------------------------------------------------------------------------------------- journey


def test_search_role_path_download(page, explorer_url, tmp_path):
    page.goto(explorer_url + "/")
    page.get_by_label("Search by name").fill("senior data eng")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/?q=senior+data+eng")
    page.get_by_role("link", name="Senior data engineer", exact=True).first.click()
    assert page.locator("h1").inner_text() == "Senior data engineer"   # the level named, not its role

    page.get_by_role("link", name="Plan a career path").click()
    page.get_by_label("From").fill("Senior data engineer")
    page.get_by_label("To", exact=True).fill("Chief data officer")
    page.get_by_role("button", name="Find the path").click()
    assert page.locator("h1").inner_text() == "Career path: Senior data engineer to Chief data officer"
    assert page.locator(".diagram svg:visible").count() == 1
    with page.expect_download() as dl:
        page.get_by_role("link", name="Download as HTML").click()
    saved = tmp_path / dl.value.suggested_filename
    dl.value.save_as(saved)
    assert saved.name == "career-path-senior-data-engineer-to-chief-data-officer.html"
    html = saved.read_text(encoding="utf-8")
    assert "<h1>Career path: Senior data engineer to Chief data officer</h1>" in html and "<script" not in html
    with page.expect_download() as dl:
        page.get_by_role("link", name="Download as Markdown").click()
    assert dl.value.suggested_filename.endswith(".md")
    assert page.console_errors == []


def test_unknown_name_in_the_form_offers_the_cli_suggestion(page, explorer_url):
    page.goto(explorer_url + "/path")
    page.get_by_label("From").fill("Chief tecnology oficer")
    page.get_by_label("To", exact=True).fill(CISO)
    page.get_by_role("button", name="Find the path").click()
    assert page.get_by_role("alert").is_visible()
    page.get_by_role("link", name="Chief technology officer").first.click()
    assert page.locator("h1").inner_text() == f"Career path: {CTO} to {CISO}"


def test_a_csp_violation_is_caught(browser_context):
    """The check the page fixture makes after every test can fail: an inline script under a strict policy."""
    pg = browser_context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.route("http://csp.invalid/", lambda route: route.fulfill(
        status=200, headers={"Content-Type": "text/html", "Content-Security-Policy": "default-src 'none'"},
        body="<!DOCTYPE html><title>x</title><p style='color:red'>x</p><script>document.title = 'ran'</script>"))
    pg.goto("http://csp.invalid/")
    assert pg.title() == "x"
    assert len(csp_violations(errors)) == 2   # the script and the style attribute
    pg.close()


def test_sparql_page_copy_button_works_under_its_policy(page, explorer_app_url):
    """The query page's one script (allowed by its hash) fills the query box; no violation is logged."""
    page.goto(explorer_app_url + "/sparql")
    page.locator("details summary").nth(1).click()
    button = page.get_by_role("button", name="copy to the query box").first
    expected = button.get_attribute("data-q")
    button.click()
    assert page.locator("#query").input_value() == expected and expected.strip()
    assert page.evaluate("document.activeElement.id") == "query"   # focus follows, so the change is noticed
    assert page.get_by_role("status").inner_text().startswith("Copied ")
    assert page.console_errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_sparql_page_in_the_explorer_layout_labelled_and_axe_clean(page, explorer_app_url, axe_source, scheme):
    """Issue 25 item 8: /sparql was unstyled with an unlabelled query box (axe: 1 violation)."""
    page.emulate_media(color_scheme=scheme)
    for width in (1280, 390, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(explorer_app_url + "/sparql")
        assert run_axe(page, axe_source) == []
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    assert page.get_by_label("Query", exact=True).count() == 1
    assert page.locator("header.site-header").is_visible() and page.locator("footer.site-footer").is_visible()


def test_hostile_data_runs_nothing_in_a_real_browser(page, graph, tmp_path_factory):
    """tests/test_hostile_render.py's hostile data and reflected parameters, parsed by chromium's HTML5 parser:
    no dialog opens, no element or handler from the data exists, and (the fixture) no policy violation."""
    from rolegraph.graph import RoleGraph
    from rolegraph.server import create_app

    from .servers import asgi_app
    from .test_hostile_render import PAGES as HOSTILE
    from .test_hostile_render import hostile_data

    hostile = RoleGraph.load([hostile_data(tmp_path_factory.mktemp("hostile"))])
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    found = {}
    with asgi_app(create_app(hostile)) as url:
        for name, (address, shown) in HOSTILE.items():
            if "download" in name:   # an attachment, not a page (its HTML is checked by the test above)
                continue
            page.goto(url + address)
            injected = page.evaluate("""() => [...document.querySelectorAll('script')]
                .filter(s => /alert/.test(s.textContent)).length
                + document.querySelectorAll('img, iframe, object, embed, [onerror], [onload], [onmouseover]').length""")
            text = page.evaluate("() => document.documentElement.textContent + [...document.querySelectorAll("
                                 "'input')].map(i => i.value).join(' ')")
            if injected or any(p not in text for p in shown):
                found[name] = injected
    assert found == {} and dialogs == []


# ---------------------------------------------------------------------------------------------- accessibility


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_on_any_page_type(page, explorer_url, saved_reports, axe_source, scheme):
    page.emulate_media(color_scheme=scheme)
    found = {}
    for name, url in _all_pages(explorer_url, saved_reports).items():
        page.goto(url)
        violations = run_axe(page, axe_source)
        if violations:
            found[name] = violations
    assert found == {}
    # the two 404 pages (unknown names) log their status; nothing else may fail
    assert [e for e in page.console_errors if "status of 404" not in e] == []


@pytest.mark.parametrize("width", [320, 390])
def test_phone_widths_never_scroll_the_page_sideways(page, explorer_url, saved_reports, width):
    page.set_viewport_size({"width": width, "height": 800})
    wide = {}
    for name, url in _all_pages(explorer_url, saved_reports).items():
        page.goto(url)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            wide[name] = overflow
    assert wide == {}


@pytest.mark.parametrize("width", [1280, 390, 320])
@pytest.mark.parametrize("which", ["path", "path-ciso"])
def test_diagram_shows_origin_and_destination_whole_at_any_width(page, explorer_url, width, which):
    """Issue 25 item 2: the destination was cut off at 1280 px and a phone showed a quarter of the diagram. The
    one diagram shown fits its box (left to right, top to bottom, or the recommended path alone on a phone),
    keeps its natural size with text of at least 14 px, and its boxes link to the positions' pages."""
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(explorer_url + PAGES[which])
    shown = page.locator(".diagram svg:visible")
    assert shown.count() == 1
    svg = shown.first
    assert page.locator(".diagram").evaluate("e => e.scrollWidth <= e.clientWidth")   # nothing to scroll to
    assert svg.evaluate("s => s.getBoundingClientRect().width / s.viewBox.baseVal.width") == pytest.approx(1.0)
    smallest = svg.evaluate("s => Math.min(...[...s.querySelectorAll('text')].map("
                            "t => parseFloat(getComputedStyle(t).fontSize)))")
    assert smallest >= 14
    names = svg.evaluate("s => [...s.querySelectorAll('g.node > title')].map(t => t.textContent)")
    assert len(names) == len(set(names))   # each position once
    origin, dest = page.locator("h1").inner_text().removeprefix("Career path: ").split(" to ")
    assert names[0].startswith(origin) and any(n.startswith(dest) for n in names)
    box = page.locator(".diagram").bounding_box()
    for name in (origin, dest):   # both ends inside the visible box, at full size
        node = svg.locator("a.node-link", has=page.locator(f"title:text-is('{name}')")).first
        if not node.count():
            node = svg.locator("a.node-link").filter(has_text=name).first
        r = node.bounding_box()
        assert r and box and box["x"] <= r["x"] and r["x"] + r["width"] <= box["x"] + box["width"]
    hrefs = svg.evaluate("s => [...s.querySelectorAll('a.node-link')].map(a => a.getAttribute('href'))")
    assert len(hrefs) == len(names) and all(h.startswith(("/level/", "/role/")) for h in hrefs)
    svg.locator("a.node-link").last.click()
    assert page.locator("h1").inner_text() in (dest, f"Role profile: {dest}")


def _luminance(rgb: str) -> float:
    parts = [float(x) / 255 for x in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3]]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in parts]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("which", ["path", "path-report"])
def test_forced_colours_diagram_uses_system_colours(page, explorer_url, saved_reports, which):
    page.emulate_media(forced_colors="active", color_scheme="dark")
    page.goto(saved_reports[which] if which in saved_reports else explorer_url + PAGES[which])
    colours = page.locator(".diagram svg").first.evaluate("""s => {
        const bg = getComputedStyle(s.closest('.diagram')).backgroundColor;
        const css = e => getComputedStyle(e);
        return {bg, text: [...s.querySelectorAll('text')].map(t => css(t).fill),
                boxes: [...s.querySelectorAll('rect.box')].map(r => [css(r).fill, css(r).stroke]),
                edges: [...s.querySelectorAll('.edge')].map(e => css(e).stroke),
                canvasText: (() => { const d = document.createElement('div'); d.style.color = 'CanvasText';
                                     document.body.append(d); const c = css(d).color; d.remove(); return c; })()};
    }""")
    assert colours["text"] and set(colours["text"]) == {colours["canvasText"]}
    assert all(stroke == colours["canvasText"] for _, stroke in colours["boxes"])
    assert set(colours["edges"]) == {colours["canvasText"]}
    for fill, _ in colours["boxes"]:
        assert _contrast(colours["canvasText"], fill) >= 4.5
    assert _contrast(colours["canvasText"], colours["bg"]) >= 4.5


# ---------------------------------------------------------------------------------------------- print


@pytest.mark.parametrize("which", ["path-report", "role-report", "path"])
def test_prints_on_a4_without_blank_pages_or_stranded_headings(page, explorer_url, saved_reports, which, tmp_path):
    from pypdf import PdfReader

    page.goto(saved_reports[which] if which in saved_reports else explorer_url + PAGES[which])
    headings = [h.strip() for h in page.locator("h2, h3").all_inner_texts()]
    links = page.eval_on_selector_all("main a[href^='http']", "as => as.map(a => a.href)")
    pdf = tmp_path / "out.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    reader = PdfReader(str(pdf))
    width, height = (float(x) for x in reader.pages[0].mediabox.upper_right)
    assert abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5  # A4 in points
    texts, lowest = [], []
    for p in reader.pages:
        ys: list[float] = []
        texts.append(p.extract_text(visitor_text=lambda t, cm, tm, fd, fs: ys.append(cm[5] + tm[5] * cm[3])
                                    if t.strip() else None) or "")
        lowest.append(min(ys, default=height))
    for i, text in enumerate(texts):
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        assert lines, f"page {i + 1} is blank"
        assert lines[-1] not in headings, f"heading {lines[-1]!r} stranded at the foot of page {i + 1}"
        assert len(lines) > 3, f"page {i + 1} holds only {lines}"
    for i, y in enumerate(lowest[:-1]):  # every page but the last is filled to its foot (none a third blank)
        assert y < 0.2 * height, f"page {i + 1} ends {y:.0f} pt above the paper's foot"
    printed = " ".join(texts).replace("\n", "")
    for href in links[:5]:
        assert href.rstrip("/").replace(" ", "")[:60] in printed.replace(" ", "")  # link addresses are printed
    if which != "role-report":  # the print diagram's text stays legible (>= 7 pt on paper)
        scale = page.evaluate("""() => { const s = document.querySelector('.diagram-print svg');
            return s.viewBox.baseVal.width; }""")
        assert scale and 12 * min(1.0, (210 - 30) / 25.4 * 96 / scale) * 0.75 >= 7


# ---------------------------------------------------------------------------------------------- journeys
# Issue 25's five journeys, walked in Debian's chromium (playwright) at desktop and phone widths.
#
# (a) "I'm a Senior data analyst, what next?", (b) Security architect to Chief information security officer,
# (c) what a Data engineer needs at each level, (d) which roles use a skill, (e) compare two roles: each at 1280,
# 390 and 320 px. On every page of a journey the page never scrolls sideways (a wide table may scroll inside its
# own labelled, focusable region, which shows a shadow cue at the edge with more), the answer is on screen
# within the page's width, and the last page has no axe-core violation at WCAG 2.2 AA.


WIDTHS = [1280, 390, 320]


def sideways(pg) -> int:
    return pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def within_width(pg, locator) -> bool:
    """*locator* is shown and lies inside the viewport's width (perhaps further down the page)."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    width = pg.viewport_size["width"]
    return bool(box) and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5 and locator.is_visible()


def check(pg, *answers) -> None:
    assert sideways(pg) <= 0, f"{pg.url} scrolls sideways"
    for a in answers:
        assert within_width(pg, a), f"{a} is not on screen at {pg.viewport_size['width']} px ({pg.url})"


def search(pg, base: str, text: str) -> None:
    pg.goto(base + "/")
    check(pg)
    pg.get_by_label("Search by name").fill(text)
    pg.get_by_role("button", name="Search", exact=True).click()
    pg.wait_for_selector("#results")
    check(pg)


@pytest.fixture
def at(page, request):
    page.set_viewport_size({"width": request.param, "height": 800})
    return page


@pytest.mark.parametrize("at", WIDTHS, indirect=True)
def test_a_senior_data_analyst_what_next(at, explorer_url, axe_source):
    search(at, explorer_url, "Senior data analyst")
    at.locator("ol.results a").first.click()
    assert at.locator("h1").inner_text() == "Senior data analyst"   # the level named, not "Data analyst"
    first_move = at.locator("#moves ~ ol.cards > li").first
    check(at, at.get_by_text("SEO, G7", exact=True), first_move,
          first_move.get_by_role("link", name="Plan this path"))
    assert "Principal data analyst" in at.locator("#moves ~ ol.cards").inner_text()   # from THIS level
    first_move.get_by_role("link", name="Plan this path").click()
    assert at.locator("h1").inner_text().startswith("Career path: Senior data analyst to ")
    check(at, at.locator(".diagram svg:visible"))
    assert run_axe(at, axe_source) == []


@pytest.mark.parametrize("at", WIDTHS, indirect=True)
def test_b_security_architect_to_ciso(at, explorer_url, axe_source):
    search(at, explorer_url, "CISO")
    at.locator("ol.results a").first.click()
    assert at.locator("h1").inner_text() == f"Role profile: {CISO}"
    at.goto(explorer_url + "/level/security-architect")
    at.get_by_label("Where do you want to go?").fill(CISO)
    at.get_by_role("button", name="Plan the path from Security architect").click()
    assert at.locator("h1").inner_text() == f"Career path: Security architect to {CISO}"
    svg = at.locator(".diagram svg:visible")
    assert svg.count() == 1
    ends = svg.locator("a.node-link")
    check(at, svg, ends.first, ends.last)   # origin and destination whole, inside the page's width
    assert ends.first.locator("title").text_content().startswith("Security architect")
    assert ends.last.locator("title").text_content().startswith(CISO)
    assert at.locator(".diagram").evaluate("e => e.scrollWidth <= e.clientWidth")
    assert run_axe(at, axe_source) == []


@pytest.mark.parametrize("at", WIDTHS, indirect=True)
def test_c_what_a_data_engineer_needs_at_each_level(at, explorer_url, axe_source):
    search(at, explorer_url, "data engineer")
    at.locator("ol.results a", has_text="Data engineer").first.click()
    assert at.locator("h1").inner_text() == "Role profile: Data engineer"
    region = at.get_by_role("region", name="Skills per level")
    check(at, region)
    cue = region.evaluate("e => ({scrolls: e.scrollWidth > e.clientWidth, bg: getComputedStyle(e).backgroundImage,"
                          " focusable: e.tabIndex === 0})")
    assert cue["focusable"] and "gradient" in cue["bg"]   # a wide table scrolls in its region, with a shadow cue
    first_move = at.get_by_role("region", name="Related moves").locator("tbody tr").first
    check(at, first_move.locator("td").last)   # every column of a move is on screen (one card per move on a phone)
    levels = at.get_by_role("region", name="The ladder").get_by_role("link")
    names = levels.all_inner_texts()
    assert len(names) == 4
    levels.nth(2).click()
    assert at.locator("h1").inner_text() == names[2]
    check(at, at.locator("#needs ~ ul.cards").first)
    assert at.locator("#needs ~ ul.cards > li").count() > 3
    assert run_axe(at, axe_source) == []


@pytest.mark.parametrize("at", WIDTHS, indirect=True)
def test_d_which_roles_use_a_skill(at, explorer_url, axe_source):
    at.goto(explorer_url + "/")
    at.get_by_role("link", name="Skills A to Z").first.click()
    check(at)
    at.get_by_role("navigation", name="Skills by first letter").get_by_role("link", name=re.compile(r"^D \(")).click()
    at.get_by_role("link", name="Data modelling", exact=True).click()
    assert at.locator("h1").inner_text() == "Data modelling"
    region = at.get_by_role("region", name="Who needs Data modelling")
    check(at, region, region.locator("tbody tr th a").first)
    assert region.locator("tbody tr").count() > 3
    assert run_axe(at, axe_source) == []


@pytest.mark.parametrize("at", WIDTHS, indirect=True)
def test_related_moves_show_every_column_with_the_action_first_on_a_phone(at, explorer_url, axe_source):
    """Issue 25 item 6: at 320 px the related moves showed 3 of 7 columns, the "Why" and "Path" off-screen."""
    at.goto(explorer_url + "/related?" + urllib.parse.urlencode({"from": "Senior data engineer"}))
    region = at.get_by_role("region", name="Related moves")
    rows = region.locator("tbody tr")
    assert rows.count() >= 3
    for row in (rows.first, rows.last):
        path = row.get_by_role("link", name=re.compile(r"^Path from "))
        check(at, path, row.locator('td[data-label="Why"]'), row.locator('td[data-label="Already meets"]'),
              row.locator('td[data-label="Grade change"]'))
        if at.viewport_size["width"] <= 600:   # a card: the action first, then the move's name
            assert path.bounding_box()["y"] < row.locator("th").bounding_box()["y"]
    assert region.evaluate("e => e.scrollWidth <= e.clientWidth")   # nothing hidden in the region either
    rows.first.get_by_role("link", name=re.compile(r"^Path from ")).click()
    assert at.locator("h1").inner_text().startswith("Career path: Senior data engineer to ")
    assert run_axe(at, axe_source) == []


@pytest.mark.parametrize("at", WIDTHS, indirect=True)
def test_e_compare_two_roles(at, explorer_url, axe_source):
    at.goto(explorer_url + "/")
    at.get_by_role("link", name="Compare two roles").click()
    at.get_by_label("First role or role level").fill("Senior data analyst")
    at.get_by_label("Second role or role level").fill("Lead data scientist")
    at.get_by_role("button", name="Compare", exact=True).click()
    assert at.locator("h1").inner_text() == "Compare Senior data analyst and Lead data scientist"
    first = at.locator("table.stack tbody tr").first
    check(at, at.locator(".lede"), first, first.locator("td").last)
    stacked = first.locator("td").first.evaluate("td => getComputedStyle(td).display")
    assert (stacked == "block") == (at.viewport_size["width"] <= 600)   # one card per skill on a phone
    assert at.get_by_role("region", name="Skills side by side").evaluate("e => e.scrollWidth <= e.clientWidth")
    assert run_axe(at, axe_source) == []


def test_the_alternatives_field_has_a_name_and_back_keeps_the_form(page, explorer_url):
    """Issue 25 item 8: the field's id was also the id of the report's "Alternative paths" heading, so its label
    named nothing on a path page; and Back emptied From/To (autocomplete="off" stops a browser restoring them)."""
    page.goto(explorer_url + "/path?from=Data+engineer&to=Chief+data+officer")
    field = page.get_by_label("Alternative paths to show")
    assert field.count() == 1 and field.evaluate("e => e.tagName") == "INPUT"
    page.goto(explorer_url + "/path")
    page.get_by_label("From").fill("Senior data engineer")
    page.get_by_label("To", exact=True).fill("Chief data officer")
    page.get_by_role("link", name="Related moves").first.click()
    page.go_back()
    assert page.get_by_label("From").input_value() == "Senior data engineer"
    assert page.get_by_label("To", exact=True).input_value() == "Chief data officer"


@pytest.mark.parametrize("width", [1280, 320])
def test_autocomplete_shows_each_position_once_with_role_and_grade(page, explorer_url, axe_source, width):
    """Issue 25 item 4: the forms' raw <datalist> of 259 names (43 twice, no grade) becomes, with the script, an
    ARIA combobox: each position once with its role and grades, short forms (CISO) understood, keyboard to
    choose, and axe-clean with the list open. The page's policy allows the one script file and nothing else."""
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(explorer_url + "/path")
    field = page.get_by_role("combobox", name="To")
    assert field.get_attribute("aria-expanded") == "false"
    field.press_sequentially("senior data an", delay=20)
    options = page.get_by_role("listbox").get_by_role("option")
    options.first.wait_for()
    texts = options.all_inner_texts()
    assert texts[0] == "Senior data analyst (role level of Data analyst, SEO, G7)"
    assert len(texts) == len(set(texts))
    assert field.get_attribute("aria-expanded") == "true"
    assert "match" in page.locator("#to ~ [role=status]").inner_text()
    assert run_axe(page, axe_source) == []
    field.fill("")
    field.press_sequentially("ciso", delay=20)
    options.filter(has_text="Chief information security officer").first.wait_for()
    assert options.first.inner_text().startswith("Chief information security officer (Senior Civil Service role")
    field.press("ArrowDown")
    assert field.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    field.press("Enter")
    assert field.input_value() == "Chief information security officer"
    assert field.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    page.get_by_role("combobox", name="From").fill("Security architect")
    page.get_by_role("button", name="Find the path").click()
    assert page.locator("h1").inner_text() == "Career path: Security architect to Chief information security officer"
