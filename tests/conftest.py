"""Shared fixtures: the bundled graph (parsed once per test session), the CLI runner, the reference facts."""
from __future__ import annotations

import json
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
