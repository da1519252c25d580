"""Career analysis on the real framework data: grades, moves, paths across all pairs, related moves, bridges, CLI."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from rolegraph import careers as C
from rolegraph.careers.engines import _percentile
from rolegraph.errors import AnalysisError, InputError, UnknownName
from rolegraph.graph import RoleGraph
from rolegraph.resources import data_dir

ROLE = "https://w3id.org/rolegraph/ddat/role/"
LEVEL = "https://w3id.org/rolegraph/ddat/level/"
CISO, CTO = "Chief information security officer", "Chief technology officer"
CISO_CTO_SHARED = ["Capability building for digital, data and technology", "Innovation in digital, data and technology"]


@pytest.fixture(scope="module")
def model(graph):
    return C.career_model(graph)


@pytest.fixture(scope="module")
def all_routes(model):
    """The recommended route from every position to every position it reaches, under the default rules."""
    return {a: C.routes_from(model, a) for a in model.positions}


# ---------------------------------------------------------------------------- the seed answer

def test_ciso_cto_shared_and_gap(graph):
    r = C.shared(graph, CISO, CTO)
    assert [s.skill for s in r.shared] == CISO_CTO_SHARED
    assert all(s.a_level is None and s.b_level is None for s in r.shared)  # SCS: unlevelled
    g = C.gap(graph, CISO, CTO)
    assert len(g.develop) == 4 and all(d.new for d in g.develop)
    assert [m.skill for m in g.met] == CISO_CTO_SHARED
    assert g.cost == 4 * C.SCS_ASSUMED_RANK


def test_ciso_cto_path_is_one_direct_move(graph, model):
    r = C.path(graph, CISO, CTO)
    assert [(s.from_, s.to) for s in r.steps] == [(CISO, CTO)]
    step = r.steps[0]
    assert step.shared == CISO_CTO_SHARED and len(step.gaps) == 4
    assert step.grade_change == 0 and step.kind == "change of role"
    assert step.cost == r.total_cost == 16 + model.change_cost == r.direct_cost
    assert step.cost_parts.to_dict() == {"develop": 16, "role_change": model.change_cost, "bridge": 0, "promotion": 0,
                                         "unit": "level steps", "in_post": 0}


# ---------------------------------------------------------------------------- grades

def test_every_position_has_a_band_by_a_stated_rule(model):
    assert len(model.positions) == 210
    assert all(model.band(p) is not None for p in model.positions)
    assert set(model.band_rules.values()) <= set(C.BAND_RULES)
    assert model.band_rules[LEVEL + "senior-developer-management"] == "management twin"
    assert model.band(LEVEL + "senior-developer-management") == model.band(LEVEL + "senior-developer")
    # between Senior digital evaluator (G7) and Head of digital evaluation (G6)
    assert model.grades(LEVEL + "lead-digital-evaluator") == "G7-G6"
    assert model.band_rules[LEVEL + "lead-digital-evaluator"] == "ladder neighbours"


def test_grade_change_compares_top_of_origin_band(model):
    # a trainee (AO-EO) moving to an HEO-SEO post is one grade up, not two
    assert C.grade_change_between(model.band(LEVEL + "trainee-analytics-engineer"),
                                  model.band(LEVEL + "analytics-engineer")) == 1
    assert C.grade_change_between(model.band(LEVEL + "lead-developer"), model.band(LEVEL + "developer")) < 0


def test_no_ungraded_loophole(model):
    """Every move of the default rules, including to and from positions with no published grade, is open from
    some grade of the origin's band at 0 or +1 (issue #23: the person's grade, not the top of the band, decides,
    so a transfer at the bottom of the band -- Data analyst HEO-SEO -> an HEO post -- is a candidate)."""
    from rolegraph.careers.held import grade_options

    for a in model.positions:
        for b, kind, _, _ in C.successors(model, a, C.Rules()):
            lo, hi = model.band(a)
            assert any(grade_options(g, model.band(b), C.Rules()) for g in range(lo, hi + 1)), (
                model.label(a), model.label(b))
    ungraded = [p for p in model.positions if model.band_rules[p] != "published"]
    assert len(ungraded) >= 10


# ---------------------------------------------------------------------------- all pairs

def test_all_pairs_no_demotion_no_multi_grade_jump(all_routes):
    for a, routes in all_routes.items():
        for b, route in routes.items():
            for s in route.steps:
                assert s.grade_change is not None and 0 <= s.grade_change <= 1, (a, b, s.from_, s.to)


def test_all_pairs_every_upward_or_lateral_pair_reachable_with_the_skill_cap_lifted(model, all_routes):
    """Issue #23 changed the rule: by default one move raises a skill by at most two levels, so some pairs
    are refused for skills alone; with the cap lifted (--max-skill-step 4) every upward pair is reachable."""
    lifted = {a: C.routes_from(model, a, C.Rules(max_skill_step=4)) for a in model.positions}
    upward = [(a, b) for a in model.positions for b in model.positions
              if a != b and model.band(b)[1] >= model.band(a)[1]]
    assert [(model.label(a), model.label(b)) for a, b in upward if b not in lifted[a]] == []
    # issue #23 follow-up: the default cap refuses no transfer at a shared grade -- a develop-in-post step
    # comes first -- so every upward pair is reachable by default too; without that step the cap refuses some
    assert [(model.label(a), model.label(b)) for a, b in upward if b not in all_routes[a]] == []
    without = {a: C.routes_from(model, a, C.Rules(develop_in_post=False)) for a in model.positions[:30]}
    assert sum(b not in without[a] for a, b in upward if a in without) > 0
    # and nothing lower than where you are is reached by default: the grade held never falls
    for a, routes in all_routes.items():
        assert all(model.band(b)[1] >= model.band(a)[0] for b in routes)
        assert all(s.grade_change >= 0 for r in routes.values() for s in r.steps)


def test_all_pairs_path_never_costs_more_than_the_direct_move(model, all_routes):
    compared = 0
    for a, routes in all_routes.items():
        for b, route in routes.items():
            direct = C.direct_move(model, a, b)
            if direct is not None:
                compared += 1
                assert route.total_cost <= direct.total_cost, (model.label(a), model.label(b))
    assert compared > 1000


def test_paths_enter_scs_only_along_a_bridge_from_g6(model, all_routes):
    """Issue #23: the SCS is entered only along a bridge, from G6, as a one-grade promotion; once in, a move
    between SCS roles is a transfer at grade (before, paths only had to avoid passing through another SCS role)."""
    scs = {model.label(p) for p in model.positions if model.B.nodes[p]["kind"] == "scs"}
    into = 0
    for a, routes in all_routes.items():
        if model.B.nodes[a]["kind"] != "level":
            continue
        for b, route in routes.items():
            if model.label(b) in scs:
                into += 1
                entry = next(s for s in route.steps if s.to in scs)
                assert (entry.kind, entry.from_grade, entry.to_grade, entry.move) == (
                    "bridge", "G6", "SCS 1", "promotion"), (model.label(a), model.label(b))
                assert not entry.full_reskill
                assert all(s.move == "transfer at grade" for s in route.steps[route.steps.index(entry) + 1:])
    assert into == 206 * 4


def test_skills_stay_with_the_person(graph, model):
    """A step counts only what earlier steps did not develop; the whole-path list adds up to the path's develop cost."""
    r = C.path(graph, "Data engineer", "Head of data engineering")
    assert [s.kind for s in r.steps] == ["promotion"] * 3
    memoryless = sum(C.gap_cost(model.B, C.resolve_position(graph, s.from_)["iri"],
                                C.resolve_position(graph, s.to)["iri"]) for s in r.steps)
    assert sum(s.cost_parts.develop for s in r.steps) == sum(x.steps for x in r.develop)
    assert r.total_cost == sum(s.cost_parts.develop + s.cost_parts.promotion for s in r.steps)
    assert r.total_cost - sum(s.cost_parts.promotion for s in r.steps) <= memoryless
    assert r.total_cost >= C.gap(graph, "Data engineer", "Head of data engineering").cost  # never below the gap


def test_management_tracks_are_sideways(graph, model):
    r = C.path(graph, "Apprentice developer", "Principal developer")
    assert [s.to for s in r.steps] == ["Junior developer", "Developer", "Senior developer", "Lead developer",
                                       "Principal developer"]
    assert C.move_kind(model, LEVEL + "senior-developer", LEVEL + "senior-developer-management") == "sideways"
    assert C.grade_change_between(model.band(LEVEL + "senior-developer"),
                                  model.band(LEVEL + "senior-developer-management")) == 0
    assert model.next_level[LEVEL + "senior-developer"] == LEVEL + "lead-developer"
    assert model.next_level[LEVEL + "senior-developer-management"] == LEVEL + "lead-developer-management"
    r = C.path(graph, "Senior developer - management", "Lead developer - management")
    assert [s.kind for s in r.steps] == ["promotion"]


def test_a_transfer_the_skill_cap_blocks_is_reached_by_developing_in_post_first(graph, model):
    """Issue #23's target "0 refused transfers at a shared published grade": a transfer at grade that raises a
    skill more than the cap becomes two labelled steps -- develop in post, then transfer -- each within the cap,
    costed and timed like other steps, adding up."""
    a, b = "Senior user researcher", "Service owner"   # share G7; Service owner needs skills a researcher lacks
    assert C.direct_move(model, *(C.resolve_position(graph, x)["iri"] for x in (a, b)), grade=6) is None
    assert C.path(graph, a, b, grade="G7", max_skill_step=4).steps[0].move == "transfer at grade"
    r = C.path(graph, a, b, grade="G7")
    wait, move = r.steps
    assert (wait.move, wait.kind, wait.from_, wait.to, wait.grade_change) == ("develop in post", "in post", a, a, 0)
    assert (move.move, move.from_, move.to) == ("transfer at grade", a, b)
    assert wait.gaps and all(0 < g.steps <= 2 for g in wait.gaps) and all(g.steps <= 2 for g in move.gaps)
    assert b in wait.note and wait.cost_parts.in_post == C.held.IN_POST_COST
    assert wait.cost == wait.cost_parts.total and r.total_cost == sum(s.cost for s in r.steps)
    # the skills developed add up to the one move's, and so do the years
    assert sum(g.steps for s in r.steps for g in s.gaps) == sum(g.steps for g in r.develop)
    assert r.years == [round(sum(s.years[i] for s in r.steps), 1) for i in (0, 1)]
    assert r.to_dict()["steps"][0]["move"] == "develop in post"
    from rolegraph import reports

    assert "Develop in post" in reports.render(reports.path_report(graph, a, b, grade="G7"), "md")
    with pytest.raises(AnalysisError, match="max-skill-step"):
        C.path_between(model, *(C.resolve_position(graph, x)["iri"] for x in (a, b)),
                       rules=C.Rules(develop_in_post=False), grade=6)


def test_full_reskill_is_possible_and_said(graph):
    r = C.path(graph, "Test engineer", "Developer")  # they share no skill
    assert r.steps[0].full_reskill
    assert r.steps[0].note.startswith(f"full reskill: develop all {len(r.steps[0].gaps)} skills")
    # issue #23: no skill from nothing to practitioner in one move by default -- a rung first
    assert [s.to for s in r.steps] == ["Junior developer", "Developer"]
    assert len(C.path(graph, "Test engineer", "Developer", max_skill_step=4).steps) == 1
    r = C.path(graph, "Content designer", "User researcher")
    assert len(r.steps) == 1


def test_grade_options(graph):
    with pytest.raises(AnalysisError, match="never down"):
        C.path(graph, CTO, "Data engineer")
    r = C.path(graph, "Lead developer", "Developer", allow_down=True)
    assert any(s.grade_change < 0 for s in r.steps)
    with pytest.raises(AnalysisError, match="at most 0 grade"):  # every way into the SCS is a grade up
        C.path(graph, "Head of data engineering", CTO, max_grade_step=0)
    r = C.path(graph, "Developer", "Head of data engineering", max_grade_step=2)
    assert max(s.grade_change for s in r.steps) <= 2


def test_unreachable_and_unknown(graph):
    with pytest.raises(UnknownName, match="did you mean"):
        C.path(graph, "Data engineer", "Chief wizard officer")
    with pytest.raises(AnalysisError, match="same position"):
        C.path(graph, "Data engineer", "data-engineer")


# ---------------------------------------------------------------------------- bridges

def test_bridges_by_role_relevance(graph, model):
    stated = C.stated_bridges(graph)
    assert len(stated) > 50
    for b in stated:
        assert b["inferred"] is True and b["method"].endswith("role-relevance") and float(b["score"]) in (0.6, 0.9)
        assert b["basis"].startswith("Role relevance:") and "-> SCS 1" in b["basis"]
        assert model.band(b["from"])[1] == 7  # G6 tops: a one-grade step into SCS 1
    strength = {(model.label(a), model.label(b)): br.strength for (a, b), br in model.bridges.items()}
    assert strength[("Head of data science", "Chief data officer")] == 0.9
    assert ("Head of content design", "Chief data officer") not in strength  # not a data role
    assert strength[("Head of data engineering", "Chief technology officer")] == 0.6
    assert strength[("Principal developer", "Chief technology officer")] == 0.9
    assert strength[("Principal security architect", CISO)] == 0.9


def test_weaker_bridge_costs_more(graph, model):
    strong = C.path(graph, "Head of data science", "Chief data officer").steps[-1]
    weak = C.path(graph, "Head of data engineering", "Chief technology officer").steps[-1]
    assert strong.kind == weak.kind == "bridge"
    assert strong.cost_parts.bridge < weak.cost_parts.bridge
    r = C.path(graph, "Principal developer", CTO)  # from G7 (bottom of the band): G6 in post, then the bridge
    assert [(s.to, s.move) for s in r.steps] == [("Principal developer", "in-post promotion"), (CTO, "promotion")]
    assert r.steps[1].bridge.strength == 0.9
    r = C.path(graph, "Principal developer", CTO, grade="G6")  # straight in when G6 is held
    assert [s.to for s in r.steps] == [CTO] and r.grade_basis == "given"


def test_official_bridge_is_preferred(tmp_path):
    (tmp_path / "official.ttl").write_text("""
        @prefix rg: <https://w3id.org/rolegraph/ontology#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        <https://w3id.org/rolegraph/ddat/bridge/official/data-engineer--cto> a rg:CareerBridge ;
            skos:prefLabel "Data engineer to Chief technology officer"@en ;
            rg:bridgeFrom <https://w3id.org/rolegraph/ddat/role/data-engineer> ;
            rg:bridgeTo <https://w3id.org/rolegraph/ddat/role/chief-technology-officer> ;
            rg:basis "Listed under 'Senior Civil Service roles that a data engineer could lead to'."@en ;
            rg:inferred false ;
            dcterms:source <https://example.org/role/data-engineer> .
    """, encoding="utf-8")
    g = RoleGraph.load([data_dir(), tmp_path / "official.ttl"])
    step = C.path(g, "Head of data engineering", CTO).steps[-1]
    assert step.kind == "bridge" and step.bridge.official and step.bridge.strength == 1.0
    assert step.cost_parts.bridge == 0


# ---------------------------------------------------------------------------- related moves

def test_related_by_the_same_rules(graph, model):
    """Issue #23: moves open at the grade held (default: the bottom of the band), no padding below the
    threshold (only the own ladder and bridges may sit below it), the own next level first, in tier 1."""
    from rolegraph.careers.held import grade_options

    counts = []
    for p in model.positions:
        moves = C.related_moves(model, p, 20)
        counts.append(len(moves))
        held = model.band(p)[0]
        for m in moves:
            options = grade_options(held, model.band(m.to), C.Rules())
            assert options and 0 <= min(options) - held <= 1, (model.label(p), model.label(m.to))
            assert m.tier != 1 or m.viable or m.to == model.next_level.get(p), (model.label(p), model.label(m.to))
            assert m.viable == (m.score >= model.threshold)
            assert m.viable or m.kind in ("promotion", "sideways", "bridge"), (model.label(p), model.label(m.to))
            if model.B.nodes[m.to]["kind"] == "scs" and model.B.nodes[p]["kind"] == "level":
                assert m.kind == "bridge" and held == 7  # G6
        if moves and p in model.next_level and any(m.to == model.next_level[p] for m in moves):
            assert moves[0].to == model.next_level[p] and moves[0].tier == 1
    assert max(counts) == 20 and 0 < sorted(counts)[len(counts) // 2] < 20


def test_related_tiers_threshold_and_reasons(graph):
    r = C.related(graph, "Senior developer", top=20)  # issue #23: no padding below the threshold
    assert [m.tier for m in r.moves] == [C.tier(i) for i in range(1, len(r.moves) + 1)] and len(r.moves) < 20
    assert all(m.viable or m.kind == "promotion" for m in r.moves) and r.note.startswith(f"only {len(r.moves)}")
    assert r.grade == "SEO" and r.grade_basis.startswith("default: the bottom of")
    more = C.related(graph, "Problem analyst", top=40).moves
    assert len(more) > 20 and more[20].tier is None
    assert r.threshold["percentile"] == C.VIABILITY_PERCENTILE and 0 < r.threshold["value"] < 1
    viable = [m.score for m in r.moves[1:] if m.viable]  # the own next level first, then by score
    assert r.moves[0].kind == "promotion" and viable == sorted(viable, reverse=True)
    top = C.related(graph, "Data engineer", top=5).moves
    assert top[0].to == "Senior data engineer" and top[0].kind == "promotion" and top[0].tier == 1
    head = C.related(graph, "Head of data engineering")  # at G7 (the bottom of G7-G6): no SCS move yet
    assert not [m for m in head.moves if m.kind == "bridge"]
    head = C.related(graph, "Head of data engineering", grade="G6")
    bridges = {m.to: m for m in head.moves if m.kind == "bridge"}
    assert bridges["Chief data officer"].bridge.inferred and bridges["Chief data officer"].score == 0.9


def test_related_explains_a_short_list(graph, model):
    few = [p for p in model.positions if len(C.related_moves(model, p, 20)) < 20]
    assert few
    r = C.related(graph, few[0])
    assert r.note and "only" in r.note or "no moves" in r.note


def test_viability_threshold_is_the_stated_percentile(graph):
    B = C.skills_graph(graph)
    values = sorted(s for p in C.positions(B) for q, s in C.similarities(B, p).items()
                    if B.nodes[p]["family"] == B.nodes[q]["family"])
    th = C.viability_threshold(graph)
    below = sum(v < th for v in values) / len(values)
    assert below <= C.VIABILITY_PERCENTILE / 100 <= sum(v <= th for v in values) / len(values)


def test_name_resolution_rule(graph):
    r = C.resolve_position(graph, "Data engineer")
    assert r["iri"] == LEVEL + "data-engineer" and "role level" in r["note"]
    r = C.resolve_position(graph, "Software developer")  # a role whose levels have other names
    assert r["kind"] == "level" and "first level" in r["note"]
    assert C.resolve_position(graph, CTO)["kind"] == "scs" and C.resolve_position(graph, CTO)["note"] is None


def test_core_skills(graph):
    rows = C.core_skills(graph, top=10)
    assert len(rows) == 10 and rows[0].skill == "Stakeholder relationship management"
    assert [r.score for r in rows] == sorted((r.score for r in rows), reverse=True)
    assert all("degree centrality" in r.measure and r.families >= 1 for r in rows)


# ---------------------------------------------------------------------------- CLI

def test_cli_json_is_to_dict(cli, graph):
    for args, result in [
        (("shared", CISO, CTO), C.shared(graph, CISO, CTO)),
        (("gap", CISO, CTO), C.gap(graph, CISO, CTO)),
        (("related", "Lead data engineer", "--top", "3"), C.related(graph, "Lead data engineer", 3)),
        (("path", "Data engineer", "Lead data engineer", "--alternatives", "1"),
         C.path(graph, "Data engineer", "Lead data engineer", 1)),
    ]:
        r = cli(*args, "--format", "json")
        assert r.exit_code == 0, r.stderr
        assert json.loads(r.stdout) == json.loads(json.dumps(result.to_dict()))
    d = json.loads(cli("path", "Data engineer", "Lead data engineer", "--format", "json").stdout)
    assert set(d["steps"][0]) >= {"from", "to", "from_grades", "to_grades", "kind", "shared", "gaps", "cost",
                                  "cost_parts", "grade_change"}
    assert d["steps"][0]["from_grades"] == "HEO-SEO" and d["steps"][0]["kind"] == "promotion"
    assert d["resolved"] and "Data engineer" in d["resolved"][0]
    d = json.loads(cli("core-skills", "--top", "3", "--format", "json").stdout)
    assert len(d) == 3 and {"skill", "score"} <= set(d[0])


def test_cli_text(cli):
    r = cli("path", CISO, CTO)
    assert r.exit_code == 0 and "already has (2)" in r.stdout and "to develop on this step (4)" in r.stdout
    assert "(SCS 1-SCS 2)" in r.stdout and "change of role" in r.stdout and "16 to develop" in r.stdout
    r = cli("path", "Data engineer", "Lead data engineer", "--alternatives", "1")
    assert "The recommended path is better:" in r.stdout and "To develop along the whole path" in r.stdout
    r = cli("related", "Data engineer", "--top", "5")
    assert "Note: resolved \"Data engineer\" to the role level" in r.stdout
    assert "25th percentile" in r.stdout and "Senior data engineer" in r.stdout
    r = cli("gap", CISO, CTO)
    assert "gap cost 16" in r.stdout and "4 new skill(s)" in r.stdout
    assert "Measure: degree centrality" in cli("core-skills").stdout
    assert cli("path", "Lead developer", "Developer", "--allow-down").exit_code == 0


@pytest.mark.parametrize("args, message", [
    (("path", CTO, "Data engineer"), 'Error: no career path from "Chief technology officer" at SCS 1 (SCS 1-SCS 2) to '
                                     '"Data engineer" (HEO-SEO)'),
    (("path", "Data engineer", "Nobody"), 'Error: unknown role level or role "Nobody"'),
    (("gap", "Nobody", CTO), 'Error: unknown role level or role "Nobody"'),
    (("shared", CISO, "Nobody"), 'Error: unknown role level or role "Nobody"'),
    (("related", "Nobody"), 'Error: unknown role level or role "Nobody"'),
    (("related", CISO, "--top", "0"), "Error: --top must be at least 1"),
    (("core-skills", "--top", "0"), "Error: --top must be at least 1"),
    (("path", CISO, CTO, "--max-grade-step", "-1"), "Error: --max-grade-step must be 0 or more"),
])
def test_cli_errors_are_one_line(cli, args, message):
    r = cli(*args)
    assert r.exit_code == 2
    assert r.stderr.startswith(message) and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert r.stdout == ""


@pytest.mark.parametrize("k", ["-1", "11"])
def test_path_alternatives_are_capped_as_in_reports(cli, k):
    """--alternatives takes 0 to 10 (reports cap it at 10 too): a usage error naming the option, no search."""
    r = cli("path", CISO, CTO, "--alternatives", k)
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.splitlines()[-1] == f"Error: Invalid value for '--alternatives': {k} is not in the range 0<=x<=10."


# ---------------------------------------------------------------------------- data, scale

def test_bridges_file_is_up_to_date():
    import subprocess
    import sys

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


def test_missing_scipy_at_scale_is_a_clear_error(graph, monkeypatch):
    import builtins

    from rolegraph.careers import engines as similarity

    real_import = builtins.__import__

    def no_scipy(name, *args, **kwargs):
        if name.startswith("scipy"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_scipy)
    with pytest.raises(AnalysisError, match=r"needs scipy .*rolegraph\[scale\]"):
        similarity._neighbours_sparse(C.skills_graph(graph), C.bands(graph))


def test_related_for_all_levels_is_fast(graph, model):
    start = time.perf_counter()
    for p in model.positions:
        C.related(graph, p, top=20)
    assert time.perf_counter() - start < 5.0


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
    if source == "bundled":
        g = graph
    else:
        paths, _ = _load_generator().generate("small", seed=5, out=tmp_path)
        g = RoleGraph.load([paths["ttl"]])
    py, sp = C.neighbours(g, engine="python"), C.neighbours(g, engine="sparse")
    assert py.top.keys() == sp.top.keys()
    assert len(py.top) >= 200
    for p in py.top:
        assert py.top[p] == sp.top[p], p
        assert py.upward[p] == sp.upward[p], p
    assert py.family_values == sp.family_values
    assert _percentile(py.family_values, 25) == _percentile(sp.family_values, 25)


# ---------------------------------------------------------------------------- the grade held (issue #23)

def test_the_grade_held_is_an_input_and_the_steps_add_up(graph, model):
    r = C.path(graph, "Data analyst", "Application operations engineer")  # HEO-SEO -> HEO: a transfer at HEO
    assert r.grade == "HEO" and r.grade_basis.startswith("default: the bottom of Data analyst's band HEO-SEO")
    assert [(s.move, s.from_grade, s.to_grade, s.grade_change) for s in r.steps] == [
        ("transfer at grade", "HEO", "HEO", 0)]
    r = C.path(graph, "Apprentice developer", "Principal developer")
    assert [s.move for s in r.steps] == ["promotion"] * 4 + ["transfer at grade"]
    assert sum(s.grade_change for s in r.steps) == 4 and r.steps[-1].to_grade == r.to_grade == "G7"
    for a, b in zip(r.steps, r.steps[1:]):
        assert a.to_grade == b.from_grade
    with pytest.raises(InputError, match="not in that band"):
        C.path(graph, "Security architect", CISO, grade="G6")
    with pytest.raises(InputError, match='unknown grade "G5"'):
        C.path(graph, "Security architect", CISO, grade="G5")
    r = C.path(graph, "Security architect", CISO, grade="g7")  # notations match without case
    assert r.grade == "G7" and r.grade_basis == "given" and r.steps[0].from_grade == "G7"
    assert max(s.grade_change for s in r.steps) == 1


def test_a_promotion_into_a_role_meeting_no_skill_is_refused_by_default(graph, model):
    """Network architect (HEO-SEO) at SEO -> Lead security architect (G7-G6) at G7: a promotion into a new
    profession with no skill held (issue #23). Refused by default, offered with allow_reskill_promotion."""
    from rolegraph.careers.held import transitions

    a, b = LEVEL + "network-architect", LEVEL + "lead-security-architect"
    assert not model.need[a][0] & model.need[b][0]

    def offered(**rules):
        return [h for v, h, _k, _f in transitions(model, a, 5, model.need[a], C.Rules(max_skill_step=4, **rules))
                if v == b]

    assert offered() == [] and offered(allow_reskill_promotion=True) == [6]


def test_cli_grade_options(cli):
    r = cli("path", "Security architect", CISO, "--grade", "G7")
    assert r.exit_code == 0 and "Grade held in Security architect: G7 (given)" in r.stdout
    assert "promotion, G6 -> SCS 1 (+1); bridge" in r.stdout
    r = cli("path", "Security architect", CISO, "--grade", "G6")
    assert r.exit_code == 2 and r.stderr.startswith("Error: Security architect is published at HEO-G7: grade G6")
    assert r.stderr.count("\n") == 1 and r.stdout == ""
    r = cli("related", "Head of data engineering", "--grade", "G6", "--format", "json")
    d = json.loads(r.stdout)
    assert d["grade"] == "G6" and {m["to"] for m in d["moves"] if m["kind"] == "bridge"} >= {"Chief data officer"}
    r = cli("report", "Principal developer", CTO, "--grade", "G6", "--format", "md")
    assert r.exit_code == 0 and "**Grade held:** G6 (given)" in r.stdout
    r = cli("path", "Test engineer", "Developer", "--max-skill-step", "4", "--format", "json")
    assert len(json.loads(r.stdout)["steps"]) == 1


def test_years_per_step_and_in_total_with_the_stated_basis(graph):
    from rolegraph.careers import years as Y

    r = C.path(graph, "Data engineer", "Head of data engineering")
    d = r.to_dict()
    assert d["years_basis"]["source"].startswith("the project's assumptions")
    assert d["years_basis"]["per_grade_gained"]["years"] == list(Y.YEARS_PER_GRADE)
    for s in r.steps:  # a promotion takes at least the time in grade; a step at least its largest skill raise
        low, high = s.years
        raise_ = max((g.steps for g in s.gaps), default=0)
        assert low == max(s.grade_change * Y.YEARS_PER_GRADE[0], raise_ * Y.YEARS_PER_LEVEL[0])
        assert high == max(s.grade_change * Y.YEARS_PER_GRADE[1], raise_ * Y.YEARS_PER_LEVEL[1], Y.MOVE_YEARS[1])
    assert r.years == [round(sum(s.years[0] for s in r.steps), 1), round(sum(s.years[1] for s in r.steps), 1)]
    assert r.years[0] >= 2 * Y.YEARS_PER_GRADE[0]  # two grades gained
    assert any("not open to you" in line for line in r.why_this_route)
    assert r.why_this_route[0].startswith("You start as Data engineer at HEO (the bottom of its band")
    r = C.path(graph, "Principal developer", CTO, grade="G6")
    assert any("along an inferred bridge (strength 0.9)" in line for line in r.why_this_route)


def test_related_by_meaning_agrees_better_with_the_adviser_checks(graph, model):
    """Issue #23: related moves to other roles are ranked by meaning (TF-IDF over the skills' names and
    descriptions); on the project's adviser checks it puts more expected moves in the top 10 than skill names."""
    from rolegraph.careers import meaning as MN

    by = {model.label(p): p for p in model.positions if model.B.nodes[p]["kind"] == "level"}

    def hits(score) -> int:
        n = 0
        for x, y in MN.ADVISER_CHECKS:
            s = score(by[x])
            order = [q for q, _ in sorted(s.items(), key=lambda t: (-t[1], t[0]))
                     if model.B.nodes[q]["role"] != model.B.nodes[by[x]]["role"]]
            n += by[y] in order[:10]
        return n

    assert hits(lambda o: MN.meaning(graph, o)) > hits(lambda o: C.similarities(model.B, o))
    r = C.related(graph, "Data analyst")
    assert "meaning similarity" in r.threshold["of"] and r.threshold["value"] == round(model.threshold, 4)
    assert "Associate data scientist" in [m.to for m in r.moves if m.tier == 1]


def test_related_lists_own_ladder_and_scs_aims_apart(graph, cli):
    r = C.related(graph, "Senior data engineer")  # at SEO
    assert [(x.to, x.kind, x.open_now) for x in r.ladder] == [("Lead data engineer", "promotion", True)]
    aims = {x.to: x for x in r.scs_aims}
    assert set(aims) >= {"Chief data officer"} and not any(x.open_now for x in r.scs_aims)
    cdo = aims["Chief data officer"]
    assert cdo.via == "Head of data engineering" and cdo.needs_grade == "G6"
    r = C.related(graph, "Head of data engineering", grade="G6")
    assert all(x.open_now for x in r.scs_aims) and r.scs_aims
    out = cli("related", "Senior data engineer", "--top", "3").stdout
    assert "Your own ladder:" in out
    assert "Chief data officer (SCS 1-SCS 2; bridge): from Head of data engineering at G6" in out
