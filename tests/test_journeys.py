"""Issue 25's five journeys, walked in Debian's chromium (playwright) at desktop and phone widths.

(a) "I'm a Senior data analyst, what next?", (b) Security architect to Chief information security officer,
(c) what a Data engineer needs at each level, (d) which roles use a skill, (e) compare two roles: each at 1280,
390 and 320 px. On every page of a journey the page never scrolls sideways (a wide table may scroll inside its
own labelled, focusable region, which shows a shadow cue at the edge with more), the answer is on screen
within the page's width, and the last page has no axe-core violation at WCAG 2.2 AA. The fixtures (browser,
the CSP check after each test, axe) are tests/test_browser.py's.
"""
from __future__ import annotations

import re

import pytest

from .test_browser import CISO, axe_source, browser_context, page, run_axe  # noqa: F401  (fixtures)

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
def at(page, request):  # noqa: F811
    page.set_viewport_size({"width": request.param, "height": 800})
    return page


@pytest.mark.parametrize("at", WIDTHS, indirect=True)
def test_a_senior_data_analyst_what_next(at, explorer_url, axe_source):  # noqa: F811
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
def test_b_security_architect_to_ciso(at, explorer_url, axe_source):  # noqa: F811
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
def test_c_what_a_data_engineer_needs_at_each_level(at, explorer_url, axe_source):  # noqa: F811
    search(at, explorer_url, "data engineer")
    at.locator("ol.results a", has_text="Data engineer").first.click()
    assert at.locator("h1").inner_text() == "Role profile: Data engineer"
    region = at.get_by_role("region", name="Skills per level")
    check(at, region)
    cue = region.evaluate("e => ({scrolls: e.scrollWidth > e.clientWidth, bg: getComputedStyle(e).backgroundImage,"
                          " focusable: e.tabIndex === 0})")
    assert cue["focusable"] and "gradient" in cue["bg"]   # a wide table scrolls in its region, with a shadow cue
    levels = at.get_by_role("region", name="The ladder").get_by_role("link")
    names = levels.all_inner_texts()
    assert len(names) == 4
    levels.nth(2).click()
    assert at.locator("h1").inner_text() == names[2]
    check(at, at.locator("#needs ~ ul.cards").first)
    assert at.locator("#needs ~ ul.cards > li").count() > 3
    assert run_axe(at, axe_source) == []


@pytest.mark.parametrize("at", WIDTHS, indirect=True)
def test_d_which_roles_use_a_skill(at, explorer_url, axe_source):  # noqa: F811
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
def test_e_compare_two_roles(at, explorer_url, axe_source):  # noqa: F811
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


def test_the_alternatives_field_has_a_name_and_back_keeps_the_form(page, explorer_url):  # noqa: F811
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
