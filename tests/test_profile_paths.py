"""Paths, related moves and reports that start from a person's profile (issue 24, `--profile`), on the bundled data.

Profiles are built from the graph's own requirements (not hard-coded), so each test can fail if the start,
the skills held or the grade were read wrongly.
"""
from __future__ import annotations

import json

import pytest

from rolegraph import careers, reports
from rolegraph.careers.model import career_model
from rolegraph.errors import InputError
from rolegraph.people import profile_from_levels

L = "https://w3id.org/rolegraph/ddat/level/"


def levels_of(graph, level: str) -> dict[str, int]:
    """The level's requirements as {skill IRI: rank}, read from the graph."""
    m = career_model(graph)
    return {s: d["weight"] for s, d in m.B.adj[L + level].items()}


def shape(p) -> list:
    return [(s.from_, s.to, s.from_grade, s.to_grade, s.move, s.cost, [g.skill for g in s.gaps]) for s in p.steps]


@pytest.mark.parametrize("named", [True, False])
def test_a_profile_equal_to_a_level_gives_the_same_path_as_that_level(graph, named):
    prof = profile_from_levels(graph, levels_of(graph, "senior-data-engineer"), grade="SEO",
                               role_level="Senior data engineer" if named else None)
    by_level = careers.path(graph, "Senior data engineer", "Head of data engineering", grade="SEO")
    by_profile = careers.path(graph, None, "Head of data engineering", profile=prof)
    assert shape(by_profile) == shape(by_level) and by_profile.total_cost == by_level.total_cost
    assert [d.skill for d in by_profile.develop] == [d.skill for d in by_level.develop]
    assert by_profile.grade == "SEO" and by_profile.grade_basis == "from your profile"
    assert by_profile.start.startswith("from your profile")
    assert ("best-fitting" in by_profile.start) != named
    assert by_level.start is None


def test_a_skill_already_held_at_the_needed_level_is_not_to_develop(graph):
    m = career_model(graph)
    base = levels_of(graph, "data-engineer")
    nxt = levels_of(graph, "senior-data-engineer")
    raised = [s for s, r in nxt.items() if base.get(s, 0) < r]
    assert raised, "the next level raises some skill"
    skill = raised[0]
    label = m.B.nodes[skill]["label"]
    by_level = careers.path(graph, "Data engineer", "Senior data engineer", grade="HEO")
    assert label in [g.skill for g in by_level.steps[0].gaps]
    prof = profile_from_levels(graph, base | {skill: nxt[skill]}, grade="HEO", role_level="Data engineer")
    mine = careers.path(graph, None, "Senior data engineer", profile=prof)
    assert label not in [g.skill for g in mine.steps[0].gaps] and label in mine.steps[0].shared
    assert label not in [d.skill for d in mine.develop]
    assert mine.total_cost == by_level.total_cost - (nxt[skill] - base.get(skill, 0))


def test_the_skill_cap_counts_from_the_persons_real_level(graph):
    # the changes of role the default cap (a skill raised at most 2 levels) refuses to a senior data engineer
    # at SEO open to someone in that post who already holds the destination's skills one level below
    from rolegraph.careers.held import needs, transitions
    from rolegraph.careers.person import person_start
    from rolegraph.careers.results import Rules

    m = career_model(graph)
    origin, need = L + "senior-data-engineer", needs(m)
    full = tuple((1 << len(m.skill_ids)) - 1 for _ in range(4))
    by_level = {v for v, *_ in transitions(m, origin, 5, need[origin], Rules())}
    capped = sorted({v for v, *_ in transitions(m, origin, 5, full, Rules())} - by_level)
    assert capped, "some change of role from this post is refused by the skill cap"
    v = capped[0]
    near = levels_of(graph, "senior-data-engineer") | {s: max(d["weight"] - 1, 1) for s, d in m.B.adj[v].items()}
    start = person_start(m, profile_from_levels(graph, near, grade="SEO", role_level="Senior data engineer"))
    assert v in {w for w, *_ in transitions(m, start.origin, start.grade, start.bits, Rules())}
    few = profile_from_levels(graph, {next(iter(levels_of(graph, "senior-data-engineer"))): 1}, grade="SEO",
                              role_level="Senior data engineer")
    start = person_start(m, few)
    assert v not in {w for w, *_ in transitions(m, start.origin, start.grade, start.bits, Rules())}


def test_related_from_a_profile(graph):
    prof = profile_from_levels(graph, levels_of(graph, "senior-data-engineer"), grade="SEO")
    mine = careers.related(graph, None, top=5, profile=prof)
    theirs = careers.related(graph, "Senior data engineer", top=5, grade="SEO")
    assert [(x.to, x.gap_cost, x.shared) for x in mine.moves] == [(x.to, x.gap_cost, x.shared) for x in theirs.moves]
    assert mine.start.startswith("from your profile") and mine.grade_basis == "from your profile"


def test_grade_from_the_profile_or_given_else_an_error(graph):
    levels = levels_of(graph, "senior-data-engineer")
    no_grade = profile_from_levels(graph, levels)
    with pytest.raises(InputError, match="does not say the grade"):
        careers.path(graph, None, "Lead data engineer", profile=no_grade)
    r = careers.path(graph, None, "Lead data engineer", profile=no_grade, grade="G7")
    assert r.grade == "G7" and r.grade_basis.startswith("given")
    with pytest.raises(InputError, match="not both"):
        careers.path(graph, "Data engineer", "Lead data engineer", profile=no_grade, grade="G7")
    with pytest.raises(InputError, match="a profile"):
        careers.path(graph, None, "Lead data engineer")


def test_the_profile_is_not_cached(graph):
    keys = set(graph._cache)
    for level in ("senior-data-engineer", "data-architect"):
        prof = profile_from_levels(graph, levels_of(graph, level), grade="SEO")
        careers.path(graph, None, "Head of data engineering", profile=prof)
        careers.related(graph, None, top=3, profile=prof)
    after = set(graph._cache)
    careers.path(graph, None, "Head of data engineering",
                 profile=profile_from_levels(graph, levels_of(graph, "data-engineer"), grade="SEO"))
    assert set(graph._cache) == after   # a third profile adds no key: no key holds a profile
    assert all("data-architect" not in str(k) for k in after - keys)


def test_report_from_a_profile(graph):
    prof = profile_from_levels(graph, levels_of(graph, "senior-data-engineer"), grade="SEO",
                               role_level="Senior data engineer")
    ctx = reports.path_report(graph, None, "Lead data engineer", profile=prof)
    assert ctx["start"].startswith("from your profile") and ctx["overall"]["from"] == "from your profile"
    same = reports.path_report(graph, "Senior data engineer", "Lead data engineer", grade="SEO")
    assert ctx["overall"]["cost"] == same["overall"]["cost"]
    assert "from your profile" in reports.render(ctx, "md")


# ----------------------------------------------------------------------------- the CLI


@pytest.fixture
def me(tmp_path):
    f = tmp_path / "me.csv"
    f.write_text("# grade: SEO\n# role level: Senior data engineer\nskill,level\ndata-modelling,3\n", "utf-8")
    return f


def test_cli_path_related_report_with_a_profile(cli, me, tmp_path):
    r = cli("path", "--profile", me, "Lead data engineer")
    assert r.exit_code == 0 and "from your profile" in r.output
    j = json.loads(cli("path", "--profile", me, "Lead data engineer", "--format", "json").output)
    assert j["start"].startswith("from your profile") and j["grade_basis"] == "from your profile"
    r = cli("related", "--profile", me, "--format", "json")
    assert r.exit_code == 0 and json.loads(r.output)["from"] == "Senior data engineer"
    out = tmp_path / "r.html"
    r = cli("report", "--profile", me, "Lead data engineer", "-o", out)
    assert r.exit_code == 0 and "from your profile" in out.read_text("utf-8")


@pytest.mark.parametrize("args", [
    ("path", "--profile", "{me}", "Data engineer", "Lead data engineer"),     # both FROM and --profile
    ("path", "Lead data engineer"),                                           # neither
    ("related",),
    ("related", "Data engineer", "--profile", "{me}"),
    ("report", "--profile", "{me}"),
])
def test_cli_both_or_neither_is_an_error(cli, me, args):
    r = cli(*[a.replace("{me}", str(me)) for a in args])
    assert r.exit_code == 2 and "Error:" in r.output and "Traceback" not in r.output


@pytest.mark.parametrize("body", ["skill,level\nno such skill,3\n", "skill,level\ndata-modelling,9\n", ""])
def test_cli_a_bad_profile_is_one_error_line(cli, tmp_path, body):
    bad = tmp_path / "bad.csv"
    bad.write_text(body, "utf-8")
    for args in (("path", "--profile", bad, "Lead data engineer"), ("related", "--profile", bad),
                 ("report", "--profile", bad, "Lead data engineer", "-o", tmp_path / "x.html")):
        r = cli(*args)
        lines = [x for x in r.stderr.splitlines() if x.strip()]
        assert r.exit_code == 2 and len(lines) == 1 and lines[0].startswith("Error:") and r.stdout == ""
    assert not (tmp_path / "x.html").exists()


def test_the_api_takes_a_profile_file_or_a_dict_as_assess_does(graph, me):
    from_file = careers.path(graph, None, "Lead data engineer", profile=me)
    assert from_file.from_ == "Senior data engineer" and from_file.grade == "SEO"   # as the file says
    from_dict = careers.related(graph, None, top=3, grade="SEO", profile={"data-modelling": 3})
    assert from_dict.grade_basis.startswith("given") and "best-fitting" in from_dict.start
