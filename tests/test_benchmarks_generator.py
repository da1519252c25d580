"""The benchmark generator (benchmarks/generate.py) writes data in rolegraph's model, deterministically."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from rolegraph.graph import RoleGraph
from rolegraph.validation import validate

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # its dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def test_tiny_framework_loads_and_validates(generator, tmp_path):
    paths, meta = generator.generate("tiny", seed=3, out=tmp_path)
    for fmt in ("ttl", "nt"):
        g = RoleGraph.load([paths[fmt]])
        counts = g.select("""SELECT
            (COUNT(DISTINCT ?r) AS ?roles) (COUNT(DISTINCT ?l) AS ?levels) (COUNT(DISTINCT ?q) AS ?reqs)
            WHERE { { ?r a rg:Role } UNION { ?l a rg:RoleLevel } UNION { ?q a rg:SkillRequirement } }""")[0]
        assert counts == {"roles": meta["roles"], "levels": meta["role_levels"], "reqs": meta["requirements"]}
        assert len(g.entities("skill")) == meta["skills"]
        report = validate(g)
        assert report.conforms and report.results == [], [r.message for r in report.results]
    # the sample nodes the benchmarks use exist and resolve
    assert g.resolve(meta["sample"]["skill_label"]).iri == meta["sample"]["skill"]
    assert g.label(meta["sample"]["path_to"]) != meta["sample"]["path_to"].rsplit("/", 1)[-1]
    # both files hold the same graph
    lines = lambda graph: sorted(t for t in graph.backend.dump("nt").splitlines() if b"_:" not in t)  # noqa: E731
    assert lines(RoleGraph.load([paths["ttl"]])) == lines(g)
    assert g.select("SELECT (COUNT(*) AS ?n) WHERE { ?r a rg:SeniorCivilServiceRole ; rg:requires ?q . "
                    "FILTER NOT EXISTS { ?q rg:level ?x } }")[0]["n"] > 0


def test_same_seed_same_bytes_other_seed_other_data(generator, tmp_path):
    a, _ = generator.generate("tiny", seed=5, out=tmp_path / "a")
    b, _ = generator.generate("tiny", seed=5, out=tmp_path / "b")
    c, _ = generator.generate("tiny", seed=6, out=tmp_path / "c")
    for fmt in ("ttl", "nt", "json"):
        assert a[fmt].read_bytes() == b[fmt].read_bytes()
        assert a[fmt].read_bytes() != c[fmt].read_bytes()


def test_planted_defects_are_what_validation_finds(generator, tmp_path):
    paths, meta = generator.generate("tiny", seed=3, defects=1, out=tmp_path, formats=("ttl",))
    planted = meta["planted"]
    assert all(len(v) == 1 for v in planted.values()), planted
    report = validate(RoleGraph.load([paths["ttl"]]))
    violations = {(r.focus, r.message) for r in report.results if r.severity == "Violation"}
    warnings = [r.focus for r in report.results if r.severity == "Warning"]
    assert warnings == planted["drop"]
    assert any(f == planted["duplicate"][0] and "more than once" in m for f, m in violations)
    missing = planted["missing-level"][0]
    level = RoleGraph.load([paths["ttl"]]).select("SELECT ?l WHERE { ?l rg:requires ?q }", q=missing)[0]["l"]
    assert any(f == level and "skill levels" in m for f, m in violations)
    assert json.loads(paths["json"].read_text())["planted"] == planted
