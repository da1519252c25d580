"""The at-scale career paths (move table, light position graph) give the same answers as the networkx model.

They are switched on for the bundled framework by lowering their position thresholds; the neighbour index
stays the small-graph one, so the moves tried are the same and only the representation differs.
"""
from __future__ import annotations

import importlib

import pytest

from rolegraph import careers
from rolegraph.careers import engines, graphs, model, paths
from rolegraph.careers.moves import move_table
from rolegraph.careers.results import Rules
from rolegraph.graph import RoleGraph

related = importlib.import_module("rolegraph.careers.related")  # the package's `related` is the function
L = "https://w3id.org/rolegraph/ddat/level/"
R = "https://w3id.org/rolegraph/ddat/role/"
PAIRS = [(L + "data-engineer", L + "head-of-data-engineering"),
         (L + "associate-quality-assurance-test-analyst", R + "chief-data-officer"),
         (R + "chief-information-security-officer", R + "chief-technology-officer"),
         (L + "senior-developer", L + "lead-data-engineer")]


@pytest.fixture(scope="module")
def g():
    return RoleGraph.load()


def _at_scale(monkeypatch):
    monkeypatch.setattr(graphs, "LIGHT_MIN_POSITIONS", 0)
    monkeypatch.setattr(paths, "_use_table", lambda m, rules: (rules.max_grade_step, rules.allow_down) == (1, False))


@pytest.mark.parametrize("origin,dest", PAIRS)
def test_the_move_table_search_settles_the_same_costs_and_paths(g, origin, dest):
    m = careers.career_model(g)
    reference = paths.search(m, origin, Rules(), dest)
    t = move_table(g)
    num, needs = t.number, t.needs()
    dist, prev = paths.cheapest(num(origin), t.targets, needs.__getitem__, lambda h, v: len(needs[v] - h), t.join,
                                num(dest))
    assert {t.positions[p]: c for p, c in dist.items()} == reference[0]
    assert paths._chain({t.positions[v]: t.positions[u] for v, u in prev.items()}, origin, dest) == \
        paths._chain(reference[1], origin, dest)


def test_the_move_table_holds_every_allowed_move_in_order(g):
    m = careers.career_model(g)
    t = move_table(g)
    for p in m.positions[:40]:
        assert [(b, k) for b, k, _ in t.moves(p)] == [(b, k) for b, k, _, _ in careers.successors(m, p, Rules())]


@pytest.mark.parametrize("origin,dest", PAIRS)
def test_path_at_scale_is_the_same(monkeypatch, origin, dest):
    want = careers.path(RoleGraph.load(), origin, dest, alternatives=2).to_dict()
    _at_scale(monkeypatch)
    big = RoleGraph.load()
    assert isinstance(graphs.position_graph(big), graphs.PositionGraph)
    assert careers.path(big, origin, dest, alternatives=2).to_dict() == want


def test_the_move_table_at_scale_holds_the_neighbour_index_similarities(monkeypatch):
    for module in (engines, model, related, paths):
        monkeypatch.setattr(module, "SPARSE_MIN_POSITIONS", 0)
    g = RoleGraph.load()
    m, t = careers.career_model(g), move_table(g)
    upward = engines.neighbours(g).upward
    for p in m.positions[::10]:
        want = [(b, k, dict(upward.get(p, [])).get(b, 0.0)) for b, k, _, _ in careers.successors(m, p, Rules())]
        assert t.moves(p) == want
    want = [careers.related(g, p).to_dict() for p, _ in PAIRS]
    assert all(r["moves"] for r in want)
    monkeypatch.setattr(graphs, "LIGHT_MIN_POSITIONS", 0)  # the same, reading the light position graph
    light = RoleGraph.load()
    assert [careers.related(light, p).to_dict() for p, _ in PAIRS] == want


@pytest.mark.parametrize("origin,dest", PAIRS)
def test_the_held_search_at_scale_reads_the_move_table_and_answers_the_same(monkeypatch, origin, dest):
    """Issue #23: from SPARSE_MIN_POSITIONS on, the (position, grade held) search takes its moves from the move
    table and its skill profiles from the table's tokens; the answers are the same (the table's candidates are
    open from any grade of the origin's band, so a person at the bottom of it loses no move)."""
    from rolegraph.careers import held

    want = careers.path(RoleGraph.load(), origin, dest, alternatives=2).to_dict()
    monkeypatch.setattr(held, "SPARSE_MIN_POSITIONS", 0)
    monkeypatch.setattr(graphs, "LIGHT_MIN_POSITIONS", 0)
    big = RoleGraph.load()
    m = careers.career_model(big)
    assert careers.path(big, origin, dest, alternatives=2).to_dict() == want
    assert ("table",) in m._succ and ("held-tokens", 2) in m._succ  # it did read the table's tokens


def test_the_light_position_graph_reads_every_node_as_the_networkx_graph_and_makes_only_those_read(g, monkeypatch):
    """Issue #23 speed: at scale the nodes are kept as columns and a node's attributes are made when read."""
    B = graphs.skills_graph(g)
    monkeypatch.setattr(graphs, "LIGHT_MIN_POSITIONS", 0)
    big = RoleGraph.load()
    P = graphs.position_graph(big)
    assert isinstance(P, graphs.PositionGraph)
    nodes = P.nodes
    assert graphs.positions(P) == graphs.positions(B)   # same positions, same order, no node made
    assert graphs.position_values(P, "role") == graphs.position_values(B, "role")
    assert dict.__len__(nodes) == 0
    assert nodes[L + "data-engineer"] == B.nodes[L + "data-engineer"] and dict.__len__(nodes) == 1
    assert graphs.ladder(P, R + "data-engineer") == graphs.ladder(B, R + "data-engineer")
    assert dict.__len__(nodes) == 1 + 4 - 1   # the role's four levels, one made before
    assert L + "no-such-level" not in P and nodes.get(L + "no-such-level") is None
    with pytest.raises(KeyError):
        nodes[L + "no-such-level"]
    assert list(nodes) == list(B.nodes) and len(nodes) == B.number_of_nodes()
    assert list(nodes(data=True)) == list(B.nodes(data=True))   # every node, in networkx's order


def test_the_model_at_scale_reads_the_same_bands_tracks_and_skills_from_columns(g, monkeypatch):
    m = careers.career_model(g)
    monkeypatch.setattr(graphs, "LIGHT_MIN_POSITIONS", 0)
    light = careers.career_model(RoleGraph.load())
    assert isinstance(light.B, graphs.PositionGraph)
    for field in ("positions", "bands", "band_rules", "skill_ids", "next_level", "prev_level", "twin", "index",
                  "change_cost", "grade_names"):
        assert getattr(light, field) == getattr(m, field), field
    assert list(light.bands.items()) == list(m.bands.items())


@pytest.mark.parametrize("table", [False, True])
def test_the_search_at_scale_counts_skills_as_the_bitset_profiles_do(monkeypatch, table):
    """The held search's token sets (issue #23 speed) say what the bitset profiles say: the develop cost, the
    skill cap (each cap) and whether a skill is shared, for every pair of a sample of positions; built from the
    graph, or (at scale) from the move table's tokens."""
    from rolegraph.careers import held
    from rolegraph.careers.model import develop_cost

    m = careers.career_model(RoleGraph.load())
    bits = held.needs(m)   # the graph's bitset profiles, before the threshold below
    if table:
        monkeypatch.setattr(held, "SPARSE_MIN_POSITIONS", 0)
    sample = m.positions[::7]
    for cap in (1, 2, 3):
        tokens = held.search_needs(m, cap)
        for a in sample:
            have = held.bits_to_tokens(bits[a])
            assert have == tokens[a][0]
            for b in sample:
                need, skills, within, twice = tokens[b]
                assert len(need - have) == develop_cost(bits[a], bits[b])
                assert (not within <= have) == held.over_cap(bits[a], bits[b], cap)
                assert (not twice <= have) == held.over_cap(bits[a], bits[b], 2 * cap)
                assert (not skills.isdisjoint(have)) == bool(bits[a][0] & bits[b][0])


def test_the_cli_and_careers_do_not_import_importlib_metadata():
    """Issue #23 speed: the version (importlib.metadata, ~30 ms) is read only when asked for, so a warm path on a
    store at scale (which imports no networkx, whose import reads it) does not pay for it."""
    import subprocess
    import sys

    code = ("import sys, rolegraph.cli, rolegraph.graph, rolegraph.careers, rolegraph.store.folder\n"
            "print('importlib.metadata' in sys.modules)\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == ["False"]
    from importlib.metadata import version

    import rolegraph

    assert rolegraph.__version__ == version("rolegraph")


def test_damaged_column_caches_are_built_again(monkeypatch):
    """A cache read back (node columns, model columns, role moves) is checked, not trusted: a damaged one is built
    again and the answer is the same."""
    from rolegraph.careers import held

    origin, dest = PAIRS[1]
    want = careers.path(RoleGraph.load(), origin, dest, alternatives=1).to_dict()
    monkeypatch.setattr(graphs, "LIGHT_MIN_POSITIONS", 0)
    monkeypatch.setattr(held, "SPARSE_MIN_POSITIONS", 0)
    g = RoleGraph.load()
    for key, value in (("node-columns-1", {"node": ["x"], "shape": [5], "shapes": [], "values": {}}),
                       ("model-columns-1", {"lo": "damaged"}), ("role-moves-3", {"roles": [], "start": None})):
        g.cached("careers:" + key, lambda value=value: value)
    m = careers.career_model(g)
    assert isinstance(m.B, graphs.PositionGraph)
    assert careers.path(g, origin, dest, alternatives=1).to_dict() == want
    assert held._role_moves_fit(m._succ[("role-moves",)])
