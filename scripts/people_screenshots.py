#!/usr/bin/env python3
"""Refresh README's screenshots of /assess and the team heatmap (docs/assess.png, docs/team-heatmap.png).

Needs Debian's chromium and the test extras (playwright); run from a checkout: ``python scripts/people_screenshots.py``.
The team is synthetic: eight members rating the Data engineer skills around the level it requires.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
L = "https://w3id.org/rolegraph/ddat/level/"


def main() -> int:
    from playwright.sync_api import sync_playwright
    from tests.servers import asgi_app
    from tests.test_browser import FLAGS, _chromium

    from rolegraph import explorer
    from rolegraph.careers.model import career_model
    from rolegraph.graph import RoleGraph
    from rolegraph.people import profile_from_levels, render
    from rolegraph.people.team import Member, team

    g = RoleGraph.load()
    m = career_model(g)
    need = {m.B.nodes[s]["label"]: d["weight"] for s, d in m.B.adj[L + "data-engineer"].items()}
    members = [Member(f"p{i}", profile_from_levels(
        g, {k: max(0, min(4, v - (i + j) % 3 + 1)) for j, (k, v) in enumerate(need.items())},
        role_level="Data engineer" if i < 5 else "Senior data engineer")) for i in range(8)]
    t = team(g, members, {L + "senior-data-engineer": 3, L + "lead-data-engineer": 1})
    docs = ROOT / "docs"
    docs.mkdir(exist_ok=True)
    exe = _chromium()
    if exe is None:
        print("chromium is not installed", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp, asgi_app(explorer.app(g)) as url, sync_playwright() as p:
        page_file = Path(tmp) / "team.html"
        page_file.write_text(render.team_map(t, "html"), encoding="utf-8")
        browser = p.chromium.launch(executable_path=exe, args=FLAGS, headless=True)
        pg = browser.new_page(viewport={"width": 900, "height": 1100})
        pg.goto(url + "/assess")
        pg.fill("#level", "Data engineer")
        pg.select_option("#grade", "HEO")
        pg.click("button[value=pick]")
        sets = pg.locator("fieldset.rating")
        for i in range(sets.count()):
            sets.nth(i).locator("input[type=radio]").nth([3, 2, 2, 1, 3, 2, 4, 2, 1, 2][i % 10]).check()
        pg.click("button[value=assess]")
        top = pg.locator("#result-heading").bounding_box()["y"] - 10
        pg.screenshot(path=str(docs / "assess.png"), full_page=True,
                      clip={"x": 0, "y": top, "width": 900, "height": 1000})
        pg.goto(page_file.as_uri())
        top = pg.locator("#heatmap-heading").bounding_box()["y"] - 10
        pg.screenshot(path=str(docs / "team-heatmap.png"), clip={"x": 0, "y": top, "width": 900, "height": 330})
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
