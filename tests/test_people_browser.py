"""/assess and the team map in chromium (Debian's, under playwright): the form posted by the browser with
JavaScript off, axe-core at WCAG 2.2 AA (light and dark), and no sideways scroll at 320 px.

Fixtures come from tests/conftest.py (the browser, the CSP check after every page, axe under the CSP)."""
from __future__ import annotations

import pytest

from tests.test_browser import run_axe

L = "https://w3id.org/rolegraph/ddat/level/"


@pytest.fixture(scope="module")
def team_html(tmp_path_factory, graph):
    from rolegraph.careers.model import career_model
    from rolegraph.people import profile_from_levels, render
    from rolegraph.people.team import Member, team

    m = career_model(graph)
    need = {m.B.nodes[s]["label"]: d["weight"] for s, d in m.B.adj[L + "data-engineer"].items()}
    members = [Member(f"p{i}", profile_from_levels(graph, {k: max(0, v - i % 3) for k, v in need.items()},
                                                   role_level="Data engineer")) for i in range(6)]
    t = team(graph, members, {L + "senior-data-engineer": 2})
    d = tmp_path_factory.mktemp("team")
    (d / "team.html").write_text(render.team_map(t, "html"), encoding="utf-8")
    (d / "aggregate.html").write_text(render.team_map(t, "html", aggregate=True), encoding="utf-8")
    return d


def fill_and_post(pg, explorer_url):
    pg.goto(explorer_url + "/assess")
    pg.fill("#level", "Data engineer")
    pg.click("button[value=pick]")
    pg.wait_for_load_state()
    radios = pg.locator("input[type=radio][value='3']")
    assert radios.count() > 5
    for i in range(radios.count()):
        radios.nth(i).check()
    pg.click("button[value=assess]")
    pg.wait_for_load_state()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_assess_and_team_pages_have_no_axe_violations(browser_context, page, explorer_url, team_html,
                                                      axe_source, scheme):
    page.emulate_media(color_scheme=scheme)
    found = {}
    page.goto(explorer_url + "/assess")
    found["blank"] = run_axe(page, axe_source)
    fill_and_post(page, explorer_url)
    assert "Your assessment" in page.content() and "/assess" == page.url[len(explorer_url):]
    found["result"] = run_axe(page, axe_source)
    for name in ("team", "aggregate"):
        page.goto((team_html / f"{name}.html").as_uri())
        found[name] = run_axe(page, axe_source)
    assert {k: v for k, v in found.items() if v} == {}


def test_assess_works_at_320px_by_plain_form_posts(browser_context, explorer_url):
    """The page has no script at all (tests/test_people.py checks; its CSP would block one): every step
    is a plain form post, so it works with JavaScript off."""
    pg = browser_context.new_page()
    try:
        pg.set_viewport_size({"width": 320, "height": 800})
        fill_and_post(pg, explorer_url)
        assert "Your assessment" in pg.content()
        overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
    finally:
        pg.close()
