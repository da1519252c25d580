"""data/ against the golden tables derived from the framework's facts (tests/golden/), with or without ../shared.

A changed requirement, level order, grade, IRI or SCS link in data/ fails here on a fresh clone.
"""
from __future__ import annotations

import importlib.util
import json
import sys

import pytest

from .conftest import FACTS, GOLDEN_FACTS, ROOT

DIGESTS = GOLDEN_FACTS.parent / "digests.json"


@pytest.fixture(scope="module")
def refresh():
    spec = importlib.util.spec_from_file_location("refresh_golden", ROOT / "scripts" / "refresh_golden.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def golden(refresh) -> dict[str, list[str]]:
    return refresh.tables(json.loads(GOLDEN_FACTS.read_text(encoding="utf-8")))


def data_tables(g) -> dict[str, list[str]]:
    """The same tables as refresh_golden.tables, read from the loaded data."""
    req = [f"{r['l']}\t{r['s']}\t{r['n']}" for r in g.select("""
        SELECT ?l ?s ?n WHERE { ?l a rg:RoleLevel ; rg:requires ?q . ?q rg:skill ?s ; rg:level/skos:notation ?n }""")]
    grades: dict[str, list[str]] = {}
    for r in g.select("SELECT ?l ?g WHERE { ?l a rg:RoleLevel ; rg:grade/skos:notation ?g }"):
        grades.setdefault(r["l"], []).append(r["g"])
    levels = [f"{r['role']}\t{r['o']}\t{r['l']}\t{','.join(sorted(grades.get(r['l'], [])))}" for r in g.select(
        "SELECT ?role ?o ?l WHERE { ?l a rg:RoleLevel ; rg:ofRole ?role ; rg:order ?o }")]
    scs = [f"{r['r']}\t{r['s']}" for r in g.select(
        "SELECT ?r ?s WHERE { ?r a rg:SeniorCivilServiceRole ; rg:requires/rg:skill ?s }")]
    iris = [r["x"] for r in g.select(
        "SELECT DISTINCT ?x WHERE { VALUES ?t { rg:Role rg:RoleLevel rg:Skill } ?x a ?t }")]
    c = g.select("""SELECT
        (COUNT(DISTINCT ?f) AS ?families) (COUNT(DISTINCT ?r) AS ?roles) (COUNT(DISTINCT ?scs) AS ?roles_scs)
        (COUNT(DISTINCT ?l) AS ?role_levels) (COUNT(DISTINCT ?s) AS ?skills)
        WHERE { { ?f a rg:JobFamily } UNION { ?r a rg:Role } UNION { ?scs a rg:SeniorCivilServiceRole }
                UNION { ?l a rg:RoleLevel } UNION { ?s a rg:Skill } }""")[0]
    counts = {**c, "role_level_skill_pairs": len(set(req)), "scs_links": len(set(scs))}
    return {"requirements": sorted(req), "iris": sorted(set(iris)), "levels": sorted(levels),
            "scs_links": sorted(scs), "counts": sorted(f"{k}\t{v}" for k, v in counts.items())}


@pytest.fixture(scope="module")
def data(graph) -> dict[str, list[str]]:
    return data_tables(graph)


@pytest.mark.parametrize("table", ["requirements", "iris", "levels", "scs_links", "counts"])
def test_data_equals_the_golden_table(data, golden, table):
    got, want = set(data[table]), set(golden[table])
    assert (sorted(got - want)[:10], sorted(want - got)[:10]) == ([], []), \
        f"{table}: (in data/ only, in the facts only)"
    assert len(data[table]) == len(golden[table])


def test_golden_tables_match_their_digests(golden, refresh):
    digests = json.loads(DIGESTS.read_text(encoding="utf-8"))
    assert {k: {"lines": len(v), "sha256": refresh.digest(v)} for k, v in golden.items()} == digests


def test_golden_copy_is_fresh(refresh):
    """tests/golden/facts.json is what scripts/refresh_golden.py makes of ../shared's facts."""
    if not FACTS.is_file():
        pytest.skip("../shared/reference/ddat-facts.json is not present")
    facts = json.loads(FACTS.read_text(encoding="utf-8"))
    assert refresh.golden_facts(facts) == json.loads(GOLDEN_FACTS.read_text(encoding="utf-8"))


def test_a_changed_required_level_fails(tmp_path, golden):
    """Change one requirement's level in a copy of data/: the tables no longer match."""
    import shutil

    from rolegraph.graph import RoleGraph

    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    path = copy / "families" / "data.ttl"
    text = path.read_text(encoding="utf-8")
    assert "rg:level slevel:practitioner" in text
    path.write_text(text.replace("rg:level slevel:practitioner", "rg:level slevel:expert", 1), encoding="utf-8")
    changed = data_tables(RoleGraph.load([copy]))
    assert set(changed["requirements"]) != set(golden["requirements"])
    assert len(set(changed["requirements"]) ^ set(golden["requirements"])) == 2  # one line out, one in
    assert changed["levels"] == sorted(golden["levels"]) and changed["iris"] == sorted(golden["iris"])
