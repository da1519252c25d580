"""Shared fixtures: the bundled graph (parsed once per test session), the CLI runner, the reference facts."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from rolegraph.graph import RoleGraph

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
FACTS = SHARED / "reference" / "ddat-facts.json"
OFFICIAL_2025 = SHARED / "official-exports" / "2025-10"
#: the part of the facts the tests read, committed (scripts/refresh_golden.py) so a fresh clone checks data/
GOLDEN_FACTS = Path(__file__).resolve().parent / "golden" / "facts.json"


@pytest.fixture(scope="session")
def graph() -> RoleGraph:
    """The ontology and the bundled framework data in the default (oxigraph) backend."""
    return RoleGraph.load()


@pytest.fixture(scope="session")
def facts() -> dict:
    """The reference facts from ../shared, or their committed golden copy (tests/golden/facts.json)."""
    return json.loads((FACTS if FACTS.is_file() else GOLDEN_FACTS).read_text(encoding="utf-8"))


@pytest.fixture
def cli():
    """Run the rolegraph CLI in-process; returns the click Result (stdout and stderr kept apart)."""
    from rolegraph.cli import main

    runner = CliRunner()

    def run(*args, input=None):
        return runner.invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)

    return run


@pytest.fixture(scope="session")
def explorer_url(graph):
    """The career explorer (its routes in a Starlette app) under uvicorn on a free loopback port; its base URL."""
    from rolegraph.explorer import app

    from .servers import asgi_app

    with asgi_app(app(graph)) as url:
        yield url


# ----------------------------------------------------------------------------- the browser (one per session)
# Shared by every browser test module: playwright's sync API allows one running instance per process.

@pytest.fixture(scope="session")
def browser_context(tmp_path_factory):
    """A fresh chromium profile under playwright (system browser; no download)."""
    from tests.test_browser import FLAGS, _chromium

    exe = _chromium()
    if not exe:
        message = "Debian's chromium is not installed (.ci/run installs it: apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI is set, so a missing browser is a failure")
        pytest.skip(message)
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=exe, args=FLAGS, headless=True,
            viewport={"width": 1280, "height": 900}, accept_downloads=True)
        yield ctx
        ctx.close()


@pytest.fixture
def page(browser_context):
    from tests.test_browser import csp_violations

    pg = browser_context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.console_errors = errors
    yield pg
    pg.close()
    # every page the test visited ran under its policy (explorer headers, saved reports' <meta>): none blocked
    assert csp_violations(errors) == [], "the Content-Security-Policy blocked something the page uses"


@pytest.fixture(scope="session")
def axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
