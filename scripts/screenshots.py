#!/usr/bin/env python3
"""Regenerate the README's screenshots of issue 25's five journeys (docs/screenshots/*.png).

    python scripts/screenshots.py             # all five journeys at 1280 px and at 390 px (a phone)
    python scripts/screenshots.py --check     # write nothing; exit 1 if a shot is missing or over the size budget

It starts ``rolegraph serve --port 0`` (loopback, a free port, the bundled data) as a child process, walks each
journey the way a person would (search, follow a link, fill a form) in Debian's system chromium driven by playwright
(the executable tests/test_browser.py finds; playwright never downloads a browser), and writes one PNG per journey
and width, clipped to the part of the page that answers the question. The shots are kept small (the clip, a height
cap per width, PNG at device scale 1); the whole set must stay under 1.5 MB, or the script exits 1.
Needs the test extras (``pip install -e '.[test]'``) and ``apt-get install chromium``.
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
WIDTHS = {1280: 800, 390: 1300}       # viewport width -> the tallest clip, px
BUDGET = 1_500_000                    # bytes, all shots together
CISO = "Chief information security officer"
sys.path.insert(0, str(ROOT))   # the browser set-up is the tests' own: tests/test_browser.py


class Server:
    """`rolegraph serve --port 0` in a child process; its address is read from the line it prints."""

    def __init__(self) -> None:
        cli = Path(sys.executable).with_name("rolegraph")
        cmd = [str(cli)] if cli.exists() else [sys.executable, "-m", "rolegraph"]
        self.proc = subprocess.Popen(cmd + ["serve", "--port", "0", "--processes", "1", "--quiet"],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
        self.url = ""

    def __enter__(self) -> str:
        deadline = time.monotonic() + 60
        assert self.proc.stdout is not None
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            found = re.search(r"career explorer (http://127\.0\.0\.1:\d+)/", line)
            if found:
                self.url = found.group(1)
                return self.url
        self.__exit__()
        raise SystemExit("Error: rolegraph serve did not print its address within 60 s")

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# ----------------------------------------------------------------------------------------------- journeys
# Each returns (first, last): the locators the shot starts and ends at.

def senior_data_analyst(pg, base: str):
    """(a) "I'm a Senior data analyst, what next?": search, land on the level, its next moves."""
    pg.goto(base + "/")
    pg.get_by_label("Search by name").fill("Senior data analyst")
    pg.get_by_role("button", name="Search", exact=True).click()
    pg.locator("ol.results a").first.click()
    return pg.locator("#moves"), pg.locator("#moves ~ ol.cards > li").nth(2)


def security_architect_to_ciso(pg, base: str):
    """(b) Security architect -> CISO: plan the path from the level page's form."""
    pg.goto(base + "/level/security-architect")
    pg.get_by_label("Where do you want to go?").fill(CISO)
    pg.get_by_role("button", name="Plan the path from Security architect").click()
    return pg.locator("#diagram"), pg.locator(".diagram svg:visible")


def data_engineer_levels(pg, base: str):
    """(c) What a Data engineer needs at each level: the role page's ladder and skills per level."""
    pg.goto(base + "/")
    pg.get_by_label("Search by name").fill("data engineer")
    pg.get_by_role("button", name="Search", exact=True).click()
    pg.locator("ol.results a", has_text="Data engineer").first.click()
    return pg.locator("#ladder"), pg.get_by_role("region", name="Skills per level")


def who_uses_a_skill(pg, base: str):
    """(d) Which roles use a skill: skills A to Z, then the skill's page."""
    pg.goto(base + "/skills")
    pg.get_by_role("link", name="Data modelling", exact=True).click()
    return pg.locator("main h1"), pg.get_by_role("region", name="Who needs Data modelling")


def compare_two_roles(pg, base: str):
    """(e) Compare two roles side by side."""
    pg.goto(base + "/compare")
    pg.get_by_label("First role or role level").fill("Senior data analyst")
    pg.get_by_label("Second role or role level").fill("Lead data scientist")
    pg.get_by_role("button", name="Compare", exact=True).click()
    return pg.locator("main h1"), pg.locator("table.stack tbody tr").nth(5)


JOURNEYS: dict[str, Callable] = {
    "a-senior-data-analyst-next": senior_data_analyst,
    "b-security-architect-to-ciso": security_architect_to_ciso,
    "c-data-engineer-levels": data_engineer_levels,
    "d-who-uses-data-modelling": who_uses_a_skill,
    "e-compare-two-roles": compare_two_roles,
}


def files() -> list[Path]:
    return [OUT / f"{name}-{width}.png" for name in JOURNEYS for width in WIDTHS]


def shoot(out: Path) -> list[Path]:
    """Walk every journey at every width into a temporary folder beside *out*: (the PNGs, their total size)."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise SystemExit("Error: playwright is not installed (pip install -e '.[test]')") from None
    from tests.test_browser import FLAGS, _chromium

    exe = _chromium()
    if exe is None:
        raise SystemExit("Error: chromium is not installed (apt-get install chromium); playwright never downloads one")
    written = []
    with Server() as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=FLAGS, headless=True)
        for width, cap in WIDTHS.items():
            pg = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=1,
                                  reduced_motion="reduce", color_scheme="light")
            for name, journey in JOURNEYS.items():
                try:
                    first, last = journey(pg, base)
                    last.first.wait_for()
                    top = max(0, first.first.bounding_box()["y"] - 12)
                    end = last.first.bounding_box()
                    height = min(cap, end["y"] + end["height"] + 12 - top)
                    pg.mouse.move(0, 0)   # no hover state in the picture
                    path = out / f"{name}-{width}.png"
                    pg.screenshot(path=str(path), full_page=True, animations="disabled",
                                  clip={"x": 0, "y": top, "width": width, "height": height})
                except (PlaywrightError, TypeError) as e:   # TypeError: an element with no box (not shown)
                    first_line = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
                    raise SystemExit(f"Error: journey {name} at {width} px ({pg.url}): {first_line}") from None
                written.append(path)
            pg.close()
        browser.close()
    return written


def report(shots: list[Path]) -> int:
    """Print each shot's size; 1 (with an Error line) if one is missing or the set is over the budget."""
    missing = [str(f) for f in shots if not f.is_file()]
    if missing:
        print(f"Error: missing screenshot(s): {', '.join(missing)}", file=sys.stderr)
        return 1
    total = sum(f.stat().st_size for f in shots)
    for f in shots:
        print(f"{f.stat().st_size:>9,}  {f.name}")
    print(f"{total:>9,}  total (budget {BUDGET:,})")
    if total > BUDGET:
        print(f"Error: the screenshots take {total:,} bytes, over the {BUDGET:,}-byte budget", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="write nothing; check the committed shots")
    ap.add_argument("--out", type=Path, default=OUT, help="folder to write to (default: docs/screenshots)")
    a = ap.parse_args(argv)
    if a.check:
        return report([a.out / f.name for f in files()])
    a.out.mkdir(parents=True, exist_ok=True)
    # shot into a temporary folder beside OUT; only a whole set within the budget replaces the old one
    with tempfile.TemporaryDirectory(dir=a.out.parent, prefix=f".{a.out.name}.") as tmp:
        shots = shoot(Path(tmp))
        status = report(shots)
        if status == 0:
            for f in shots:
                os.replace(f, a.out / f.name)
    return status


if __name__ == "__main__":
    sys.exit(main())
