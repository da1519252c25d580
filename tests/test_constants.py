"""Constants written once: the framework's site and the OGL live in namespaces.py only."""
from __future__ import annotations

from pathlib import Path

import pytest

from rolegraph import namespaces as ns

SRC = Path(__file__).resolve().parent.parent / "src" / "rolegraph"
FILES = sorted(p for p in SRC.rglob("*") if p.suffix in (".py", ".j2") and p.name != "namespaces.py")


@pytest.mark.parametrize("value", [ns.FRAMEWORK_SITE, ns.OGL_V3])
def test_written_only_in_namespaces(value):
    assert f'"{value}"' in (SRC / "namespaces.py").read_text(encoding="utf-8")
    found = [str(p.relative_to(SRC)) for p in FILES if value.rstrip("/#") in p.read_text(encoding="utf-8")]
    assert found == []


def test_reports_cite_the_ogl_from_namespaces():
    from rolegraph.reports import _env

    assert _env().globals["OGL"] == ns.OGL_V3
