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
    import socket
    import threading
    import time

    import uvicorn

    from rolegraph.explorer import app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app(graph), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the explorer server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
