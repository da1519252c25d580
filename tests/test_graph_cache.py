"""Adding data to a loaded graph: name look-ups and analysis caches see it."""
from __future__ import annotations

from pathlib import Path

import pytest

from rolegraph import namespaces as ns
from rolegraph.graph import RoleGraph

DATA = Path(__file__).resolve().parent.parent / "data"
SMALL = [DATA / "families" / "architecture.ttl", DATA / "skills.ttl"]


def test_adding_data_invalidates_names_and_caches(tmp_path):
    g = RoleGraph.load(SMALL)
    from rolegraph import careers as analysis
    from rolegraph.errors import UnknownName

    before = analysis.skills_graph(g).number_of_nodes()
    with pytest.raises(UnknownName):
        g.resolve("Quantum plumber")
    roles = len(g.entities("role"))
    extra = tmp_path / "extra.ttl"
    extra.write_text(f"""
@prefix rg: <{ns.RG}> . @prefix skos: <{ns.SKOS}> . @prefix role: <{ns.ROLE}> . @prefix level: <{ns.LEVEL}> .
@prefix skill: <{ns.SKILL}> . @prefix slevel: <{ns.SKILL_LEVEL}> . @prefix req: <{ns.REQUIREMENT}> .
role:quantum-plumber a rg:Role ; skos:prefLabel "Quantum plumber"@en ; rg:family <{ns.FAMILY}architecture> .
level:quantum-plumber a rg:RoleLevel ; skos:prefLabel "Lead quantum plumber"@en ; rg:ofRole role:quantum-plumber ;
    rg:order 1 ; rg:requires req:qp-x .
req:qp-x a rg:SkillRequirement ; rg:skill skill:data-modelling ; rg:level slevel:expert .
""", encoding="utf-8")
    g.add(extra)
    assert g.resolve("quantum plumber").iri == ns.ROLE + "quantum-plumber"
    assert g.label(ns.LEVEL + "quantum-plumber") == "Lead quantum plumber"
    assert len(g.entities("role")) == roles + 1
    assert analysis.skills_graph(g).number_of_nodes() > before
    assert g.files[-1] == extra


def test_large_frameworks_without_scipy_say_how_to_get_it(monkeypatch):
    """scipy is the [scale] extra: when the sparse engine is needed and it is missing, the error says so."""
    import sys

    from rolegraph import careers as analysis
    from rolegraph.errors import AnalysisError

    g = RoleGraph.load(SMALL)
    monkeypatch.setitem(sys.modules, "scipy", None)
    monkeypatch.setitem(sys.modules, "scipy.sparse", None)
    with pytest.raises(AnalysisError, match="scipy") as exc:
        analysis.neighbours(g, engine="sparse")
    assert "rolegraph[scale]" in str(exc.value)
    assert analysis.neighbours(g).top  # the bundled framework's size never needs it
