"""Career analysis on the real framework data: shared, gap, related, path, core skills, bridges."""
from __future__ import annotations

import json
import time
from pathlib import Path

import networkx as nx
import pytest

from rolegraph import analysis as A
from rolegraph.errors import AnalysisError, UnknownName
from rolegraph.graph import RoleGraph
from rolegraph.resources import data_dir

ROLE = "https://w3id.org/rolegraph/ddat/role/"
LEVEL = "https://w3id.org/rolegraph/ddat/level/"
CISO, CTO = "Chief information security officer", "Chief technology officer"
CISO_CTO_SHARED = ["Capability building for digital, data and technology", "Innovation in digital, data and technology"]


def test_ciso_cto_shared_and_gap(graph):
    r = A.shared(graph, CISO, CTO)
    assert [s["skill"] for s in r["shared"]] == CISO_CTO_SHARED
    assert all(s["a_level"] is None and s["b_level"] is None for s in r["shared"])  # SCS: unlevelled
    g = A.gap(graph, CISO, CTO)
    assert len(g["develop"]) == 4 and all(d["new"] for d in g["develop"])
    assert [m["skill"] for m in g["met"]] == CISO_CTO_SHARED
    assert g["cost"] == 4 * A.SCS_ASSUMED_RANK


def test_ciso_cto_path_is_one_direct_move(graph):
    r = A.path(graph, CISO, CTO)
    assert [(s["from"], s["to"]) for s in r["steps"]] == [(CISO, CTO)]
    step = r["steps"][0]
    assert step["shared"] == CISO_CTO_SHARED and len(step["gaps"]) == 4
    assert step["grade_change"] == 0 and r["total_cost"] == step["cost"]


def test_gap_counts_level_steps(graph):
    r = A.gap(graph, "Data engineer", "Senior data engineer")
    comm = next(d for d in r["develop"] if d["skill"] == "Communicating between the technical and non-technical")
    assert (comm["from_level"], comm["to_level"], comm["steps"]) == ("awareness", "working", 1)
    assert r["cost"] == sum(d["steps"] for d in r["develop"]) == 9
    assert [m["skill"] for m in r["met"]] == ["Data analysis and synthesis"]
    # awareness -> practitioner is 2 steps
    r = A.gap(graph, "Data engineer", "Lead data engineer")
    innov = next(d for d in r["develop"] if d["skill"] == "Data innovation")
    assert (innov["from_level"], innov["to_level"], innov["steps"]) == ("awareness", "practitioner", 2)


def test_similarity_is_asymmetric(graph):
    B = A.skills_graph(graph)
    de, head = LEVEL + "data-engineer", LEVEL + "head-of-data-engineering"
    assert A.similarity(B, head, de) == 1.0  # the head meets everything a data engineer needs
    assert A.similarity(B, de, head) < 0.5
    assert A.similarities(B, de)[head] == pytest.approx(A.similarity(B, de, head))


def test_data_engineer_ladder_in_order(graph):
    names = ["Data engineer", "Senior data engineer", "Lead data engineer", "Head of data engineering"]
    B = A.skills_graph(graph)
    assert [B.nodes[n]["label"] for n in A.ladder(B, ROLE + "data-engineer")] == names
    r = A.path(graph, "Data engineer", "Head of data engineering")
    assert [r["steps"][0]["from"]] + [s["to"] for s in r["steps"]] == names
    assert {s["kind"] for s in r["steps"]} == {"ladder"}
    assert [s["grade_change"] for s in r["steps"]] == [1, 0, 1]  # SEO -> G7 -> G7 -> G6 (highest grades)


def test_every_level_reaches_an_scs_role(graph):
    M = A.move_graph(graph)
    scs = {p for p in M if M.nodes[p]["kind"] == "scs"}
    levels = [p for p in M if M.nodes[p]["kind"] == "level"]
    assert len(levels) == 206 and len(scs) == 4
    unreached = [M.nodes[p]["label"] for p in levels if not scs & nx.descendants(M, p)]
    assert unreached == []
    # ...and only through inferred bridges: no ordinary level has an SCS skill
    into_scs = {M.edges[e]["kind"] for e in M.in_edges(scs) if M.nodes[e[0]]["kind"] == "level"}
    assert into_scs == {"bridge"}


def test_next_level_ranks_among_top_related(graph):
    B = A.skills_graph(graph)
    ranks = []
    for a, b in A._ladder_steps(B):
        moves = [q for q, _, _ in A.related_moves(graph, a, 20)]
        assert b in moves, f"{B.nodes[b]['label']} not among the top 20 moves from {B.nodes[a]['label']}"
        ranks.append(moves.index(b) + 1)
    assert sum(r <= 5 for r in ranks) / len(ranks) > 0.8  # mostly in tier 1
    top = A.related(graph, "Data engineer", top=5)["moves"]
    assert top[0]["to"] == "Senior data engineer" and top[0]["kind"] == "ladder" and top[0]["tier"] == 1


def test_related_tiers_threshold_and_reasons(graph):
    r = A.related(graph, "Senior developer", top=20)
    moves = r["moves"]
    assert [m["tier"] for m in moves] == [1] * 5 + [2] * 5 + [3] * 10
    more = A.related(graph, "Senior developer", top=40)["moves"]
    assert 20 < len(more) < 40 and more[20]["tier"] is None  # beyond rank 20: no tier; only viable moves
    assert r["threshold"]["percentile"] == A.VIABILITY_PERCENTILE
    assert 0 < r["threshold"]["value"] < 1
    scores = [m["score"] for m in moves]
    assert scores == sorted(scores, reverse=True)
    for m in moves:
        assert set(m) >= {"to", "score", "tier", "shared", "gaps", "grade_change"}
        assert m["kind"] == "ladder" or m["score"] >= r["threshold"]["value"]
        assert m["grade_change"] is None or m["grade_change"] >= 0  # no moves down
    # a G6 level's related moves include its inferred bridges, with their basis
    head = A.related(graph, "Head of data engineering")
    bridge = next(m for m in head["moves"] if m["kind"] == "bridge")
    assert bridge["to"] == "Chief data officer" and bridge["bridge"]["inferred"] is True
    assert "G6 -> SCS 1" in bridge["bridge"]["basis"]


def test_viability_threshold_is_the_stated_percentile(graph):
    B = A.skills_graph(graph)
    values = sorted(s for p in A.positions(B) for q, s in A.similarities(B, p).items()
                    if B.nodes[p]["family"] == B.nodes[q]["family"])
    th = A.viability_threshold(graph)
    below = sum(v < th for v in values) / len(values)
    assert below <= A.VIABILITY_PERCENTILE / 100 <= sum(v <= th for v in values) / len(values)


def test_bridges_are_stated_and_inferred(graph):
    bridges = A.bridges(graph)
    assert len(bridges) > 50
    for b in bridges:
        assert b["inferred"] is True and b["method"] and 0 < float(b["score"]) <= 1
        assert b["bridge"].startswith("https://w3id.org/rolegraph/ddat/bridge/")
        assert "Grade step: G6 -> SCS 1" in b["basis"] and "Skill themes shared:" in b["basis"]
    B = A.skills_graph(graph)
    assert {B.nodes[b["to"]]["kind"] for b in bridges} == {"scs"}
    assert all("G6" in B.nodes[b["from"]]["grades"] for b in bridges)


def test_path_into_scs_goes_through_a_bridge(graph):
    r = A.path(graph, "Senior data engineer", "Chief data officer", alternatives=2)
    last = r["steps"][-1]
    assert last["to"] == "Chief data officer" and last["kind"] == "bridge"
    assert last["bridge"]["inferred"] is True and last["bridge"]["method"].endswith("skill-theme-overlap")
    assert len(r["alternatives"]) == 2
    costs = [r["total_cost"]] + [a["total_cost"] for a in r["alternatives"]]
    assert costs == sorted(costs)
    assert all(a["steps"] != r["steps"] for a in r["alternatives"])


def test_max_grade_step(graph):
    r = A.path(graph, "Data engineer", "Chief technology officer", max_grade_step=1)
    assert all(s["grade_change"] is None or s["grade_change"] <= 1 for s in r["steps"])
    with pytest.raises(AnalysisError, match="at most 0 grade"):  # every way into the SCS is a grade up
        A.path(graph, "Head of data engineering", CTO, max_grade_step=0)


def test_unreachable_and_unknown(graph):
    with pytest.raises(AnalysisError, match='no career path from "Chief technology officer" to "Data engineer"'):
        A.path(graph, CTO, "Data engineer")
    with pytest.raises(UnknownName, match="did you mean"):
        A.path(graph, "Data engineer", "Chief wizard officer")
    with pytest.raises(AnalysisError, match="same position"):
        A.path(graph, "Data engineer", "data-engineer")


def test_name_resolution_rule(graph):
    r = A.resolve_position(graph, "Data engineer")
    assert r["iri"] == LEVEL + "data-engineer" and "role level" in r["note"]
    r = A.resolve_position(graph, "Software developer")  # a role whose levels have other names
    assert r["kind"] == "level" and "first level" in r["note"]
    assert A.resolve_position(graph, CTO)["kind"] == "scs" and A.resolve_position(graph, CTO)["note"] is None


def test_core_skills(graph):
    rows = A.core_skills(graph, top=10)
    assert len(rows) == 10 and rows[0]["skill"] == "Stakeholder relationship management"
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    assert all("degree centrality" in r["measure"] and r["families"] >= 1 for r in rows)


# ---------------------------------------------------------------------------- CLI

def test_cli_json_shapes(cli):
    r = cli("shared", CISO, CTO, "--format", "json")
    assert r.exit_code == 0
    d = json.loads(r.stdout)
    assert {"a", "b", "shared"} <= set(d) and set(d["shared"][0]) == {"skill", "a_level", "b_level"}

    d = json.loads(cli("gap", CISO, CTO, "--format", "json").stdout)
    assert {"from", "to", "develop", "met", "cost"} <= set(d)
    assert {"skill", "from_level", "to_level"} <= set(d["develop"][0])

    d = json.loads(cli("related", "Lead data engineer", "--top", "3", "--format", "json").stdout)
    assert {"from", "moves"} <= set(d) and len(d["moves"]) == 3
    assert {"to", "score", "tier", "shared", "gaps", "grade_change"} <= set(d["moves"][0])

    d = json.loads(cli("path", "Data engineer", "Lead data engineer", "--alternatives", "1",
                       "--format", "json").stdout)
    assert {"from", "to", "total_cost", "steps", "alternatives"} <= set(d)
    assert set(d["steps"][0]) >= {"from", "to", "shared", "gaps", "grade_change", "cost"}
    assert set(d["steps"][0]["gaps"][0]) == {"skill", "from_level", "to_level"}
    assert d["resolved"] and "Data engineer" in d["resolved"][0]  # says what the name resolved to

    d = json.loads(cli("core-skills", "--top", "3", "--format", "json").stdout)
    assert len(d) == 3 and {"skill", "score"} <= set(d[0])


def test_cli_text(cli):
    r = cli("path", CISO, CTO)
    assert r.exit_code == 0 and "shared (2)" in r.stdout and "to develop (4)" in r.stdout
    r = cli("related", "Data engineer", "--top", "5")
    assert "Note: resolved \"Data engineer\" to the role level" in r.stdout
    assert "25th percentile" in r.stdout and "Senior data engineer" in r.stdout
    r = cli("gap", CISO, CTO)
    assert "gap cost 16" in r.stdout and "4 new skill(s)" in r.stdout
    assert "Measure: degree centrality" in cli("core-skills").stdout


@pytest.mark.parametrize("args, message", [
    (("path", CTO, "Data engineer"), 'Error: no career path from "Chief technology officer" to "Data engineer"'),
    (("path", "Data engineer", "Nobody"), 'Error: unknown role level or role "Nobody"'),
    (("gap", "Nobody", CTO), 'Error: unknown role level or role "Nobody"'),
    (("shared", CISO, "Nobody"), 'Error: unknown role level or role "Nobody"'),
    (("related", "Nobody"), 'Error: unknown role level or role "Nobody"'),
    (("related", CISO, "--top", "0"), "Error: --top must be at least 1"),
    (("core-skills", "--top", "0"), "Error: --top must be at least 1"),
    (("path", CISO, CTO, "--alternatives", "-1"), "Error: --alternatives must be 0 or more"),
    (("path", CISO, CTO, "--max-grade-step", "-1"), "Error: --max-grade-step must be 0 or more"),
])
def test_cli_errors_are_one_line(cli, args, message):
    r = cli(*args)
    assert r.exit_code == 2
    assert r.stderr.startswith(message) and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert r.stdout == ""


# ---------------------------------------------------------------------------- data and speed

def test_bridges_file_is_up_to_date():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    r = subprocess.run([sys.executable, str(root / "scripts" / "build_bridges.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_bridge_shape_catches_a_silent_inference(tmp_path):
    from rolegraph.validation import validate

    (tmp_path / "bad.ttl").write_text("""
        @prefix rg: <https://w3id.org/rolegraph/ontology#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <https://w3id.org/rolegraph/ddat/bridge/silent> a rg:CareerBridge ;
            skos:prefLabel "silent"@en ;
            rg:bridgeFrom <https://w3id.org/rolegraph/ddat/level/head-of-data-engineering> ;
            rg:bridgeTo <https://w3id.org/rolegraph/ddat/role/chief-data-officer> ;
            rg:basis "none"@en ; rg:inferred true .
    """, encoding="utf-8")
    report = validate(RoleGraph.load([data_dir(), tmp_path / "bad.ttl"]))
    assert not report.conforms
    bad = [r for r in report.results if r.focus.endswith("/bridge/silent")]
    assert [r.severity for r in bad] == ["Violation"] and "never silently" in bad[0].message


def test_related_for_all_levels_is_fast(graph):
    B = A.skills_graph(graph)
    A.move_graph(graph)
    A.viability_threshold(graph)
    start = time.perf_counter()
    for p in A.positions(B):
        A.related(graph, p, top=20)
    assert time.perf_counter() - start < 1.0


# ------------------------------------------------------------------ the two similarity engines agree


def _load_generator():
    import importlib.util
    import sys

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("bench_generate", root / "benchmarks" / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("source", ["bundled", "synthetic"])
def test_sparse_and_python_neighbour_engines_agree(graph, tmp_path, source):
    """scipy.sparse (used at ESCO scale) and the inverted index give the same neighbours and threshold."""
    pytest.importorskip("scipy")
    from rolegraph.graph import RoleGraph

    if source == "bundled":
        g = graph
    else:
        paths, _ = _load_generator().generate("small", seed=5, out=tmp_path)
        g = RoleGraph.load([paths["ttl"]])
    py, sp = A.neighbours(g, engine="python"), A.neighbours(g, engine="sparse")
    assert py.top.keys() == sp.top.keys()
    assert len(py.top) >= 200
    for p in py.top:
        assert py.top[p] == sp.top[p], p
        assert py.upward[p] == sp.upward[p], p
    assert py.family_values == sp.family_values
    assert A._percentile(py.family_values, 25) == A._percentile(sp.family_values, 25)
