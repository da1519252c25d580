"""rolegraph diff: renames by IRI and by content, moves, requirement/grade/description changes; the real releases."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from rolegraph.diff import diff, render_md, render_text
from rolegraph.graph import RoleGraph
from rolegraph.importer import import_release

from .conftest import OFFICIAL_2025

CSV = Path(__file__).resolve().parent / "fixtures" / "csv"


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    """The fixture CSVs imported (old), and a copy edited into a next release (new)."""
    base = tmp_path_factory.mktemp("diff")
    old = base / "old"
    import_release(CSV / "roles.csv", CSV / "skills.csv", old, release_date="2030-01-15", grades=CSV / "grades.csv")
    new = base / "new"
    shutil.copytree(old, new)
    widgets, skills = new / "families" / "widgets.ttl", new / "skills.ttl"
    _edit(new / "release.ttl", 'schema:version "2030-01"', 'schema:version "2030-04"')
    # a skill renamed under the same IRI
    _edit(skills, '"Talking to people"@en', '"Talking with people"@en')
    # a role and its only level renamed under new IRIs (found by content)
    _edit(widgets, "gadget-analyst", "gadget-researcher", 3)
    _edit(widgets, '"Gadget analyst"@en', '"Gadget researcher"@en', 2)
    # a requirement's level, a grade and a description changed; the role moves to another family
    _edit(widgets, "req:widget-engineer--widget-design a rg:SkillRequirement ; rg:skill skill:widget-design ; "
                   "rg:level slevel:working", "req:widget-engineer--widget-design a rg:SkillRequirement ; "
                   "rg:skill skill:widget-design ; rg:level slevel:expert")
    _edit(widgets, "rg:grade grade:heo,\n        grade:seo ;", "rg:grade grade:seo,\n        grade:g7 ;")
    _edit(widgets, "builds and looks after the widgets", "builds, mends and looks after the widgets")
    _edit(widgets, "rg:family family:widgets ;\n    dcterms:description \"\"\"A widget engineer",
          "rg:family family:data ;\n    dcterms:description \"\"\"A widget engineer")
    # a requirement removed and one added with a new skill
    _edit(widgets, "rg:requires req:junior-widget-engineer--sprocket-testing,\n        ", "rg:requires ")
    _edit(widgets, "req:junior-widget-engineer--sprocket-testing a rg:SkillRequirement ; rg:skill "
                   "skill:sprocket-testing ; rg:level slevel:awareness .\n", "")
    _edit(widgets, "rg:requires req:senior-widget-engineer--sprocket-testing,",
          "rg:requires req:senior-widget-engineer--cog-polishing, req:senior-widget-engineer--sprocket-testing,")
    with widgets.open("a", encoding="utf-8") as f:
        f.write("\nreq:senior-widget-engineer--cog-polishing a rg:SkillRequirement ; rg:skill skill:cog-polishing ; "
                "rg:level slevel:working .\n")
    with skills.open("a", encoding="utf-8") as f:
        f.write('\nskill:cog-polishing a rg:Skill ; skos:prefLabel "Cog polishing"@en ; '
                "dcterms:source <https://example.org/cogs> ; rg:levelDefined slevel:working .\n")
    assert RoleGraph.load([new]).validate().conforms
    return old, new, diff(RoleGraph.load([old]), RoleGraph.load([new]), verbose=True)


def test_versions(releases):
    _, _, d = releases
    assert d["old"]["version"] == "2030-01" and d["new"]["version"] == "2030-04"


def test_rename_by_same_iri(releases):
    _, _, d = releases
    assert d["skills"]["renamed"] == [["Talking to people", "Talking with people"]]
    basis = [r for r in d["renames"] if r["kind"] == "skill"][0]["basis"]
    assert basis == "same IRI"


def test_rename_by_content(releases):
    _, _, d = releases
    assert d["roles"]["renamed"] == [["Gadget analyst", "Gadget researcher"]]
    assert d["levels"]["renamed"] == [["Gadget analyst", "Gadget researcher"]]
    role = [r for r in d["renames"] if r["kind"] == "role"][0]
    assert role["basis"].startswith("matched on content") and role["new_iri"].endswith("/role/gadget-researcher")
    assert d["roles"]["added"] == [] and d["roles"]["removed"] == []


def test_added_skill_and_requirements(releases):
    _, _, d = releases
    assert d["skills"]["added"] == ["Cog polishing"] and d["skills"]["removed"] == []
    req = d["requirements"]
    assert req["added"] == [{"role_level": "Senior widget engineer", "skill": "Cog polishing", "level": "working"}]
    assert req["removed"] == [{"role_level": "Junior widget engineer", "skill": "Sprocket testing",
                               "level": "awareness"}]
    assert req["changed"] == [{"role_level": "Widget engineer", "skill": "Widget design", "old": "working",
                               "new": "expert"}]


def test_family_move_grades_descriptions(releases):
    _, _, d = releases
    assert d["families"]["moved"] == [{"role": "Widget engineer", "old": "Widgets", "new": "Data"}]
    assert d["grades"] == {"changed": [{"role_level": "Widget engineer", "old": ["HEO", "SEO"],
                                        "new": ["SEO", "G7"]}]}
    desc = d["descriptions"]
    assert (desc["roles"], desc["levels"], desc["skills"], desc["total"]) == (1, 0, 0, 1)
    assert desc["changed"][0]["name"] == "Widget engineer" and "mends" in desc["changed"][0]["new"]


def test_no_changes_against_itself(releases):
    old, _, _ = releases
    g = RoleGraph.load([old])
    d = diff(g, g)
    for key in ("roles", "levels", "skills"):
        assert d[key] == {"added": [], "removed": [], "renamed": []}
    assert d["requirements"] == {"added": [], "removed": [], "changed": []}
    assert d["grades"] == {"changed": []} and d["descriptions"]["total"] == 0
    assert "changed" not in d["descriptions"]          # listed only when verbose


def test_renderers(releases):
    _, _, d = releases
    text = render_text(d)
    assert "Roles: 0 added, 0 removed, 1 renamed" in text
    assert "~ Gadget analyst -> Gadget researcher  [matched on content" in text
    assert "~ Widget engineer: Widget design: working -> expert" in text
    assert "> Widget engineer: Widgets -> Data" in text
    md = render_md(d)
    assert md.startswith("# What changed from release 2030-01 to release 2030-04")
    assert "- Gadget analyst is now **Gadget researcher**" in md
    assert "- Gadget analyst → Gadget researcher: matched on content" in md     # the basis, under its own heading
    assert "- Widget design: working → **expert**" in md
    assert "- Widget engineer moved from Widgets to **Data**" in md


def test_cli_formats(cli, releases):
    old, new, _ = releases
    r = cli("diff", old, new, "--format", "json")
    assert r.exit_code == 0
    d = json.loads(r.stdout)
    for key in ("roles", "levels", "skills"):
        assert set(d[key]) == {"added", "removed", "renamed"}
        assert all(isinstance(p, list) and len(p) == 2 for p in d[key]["renamed"])
    assert set(d["requirements"]) == {"added", "removed", "changed"}
    assert set(d["requirements"]["changed"][0]) == {"role_level", "skill", "old", "new"}
    assert set(d["grades"]) == {"changed"}
    assert "changed" not in d["descriptions"]
    r = cli("diff", old, new, "--verbose")
    assert "Descriptions: 1 rewritten" in r.stdout
    assert "~ role: Widget engineer: A widget engineer [-builds-] {+builds, mends+} and looks after the …" in r.stdout
    r = cli("diff", old, new)
    assert "list them with --verbose" in r.stdout
    assert cli("diff", old, new, "--format", "md").stdout.startswith("# What changed")


def test_cli_errors(cli, tmp_path):
    r = cli("diff", tmp_path / "missing")
    assert r.exit_code == 2 and "does not exist" in r.stderr
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle .\n")
    r = cli("diff", bad)
    assert r.exit_code == 2 and r.stderr.startswith("Error: ") and r.stderr.count("\n") == 1


# ---------------------------------------------------------------- the real 2025-10 import against the bundled data


@pytest.fixture(scope="module")
def official_diff(tmp_path_factory, graph):
    if not (OFFICIAL_2025 / "roles.csv").is_file():
        pytest.skip("../shared/official-exports/2025-10 is not present")
    out = tmp_path_factory.mktemp("official") / "2025-10"
    import_release(OFFICIAL_2025 / "roles.csv", OFFICIAL_2025 / "skills.csv", out)
    return out, diff(RoleGraph.load([out]), graph)


def test_official_diff_roles(official_diff):
    _, d = official_diff
    assert d["old"]["version"] == "2025-10" and d["new"]["version"] == "2026-10"
    assert d["roles"]["added"] == ["Agile coach"]
    assert d["roles"]["removed"] == []
    assert d["roles"]["renamed"] == [["Data ethicist", "Data and artificial intelligence (AI) ethicist"]]
    basis = [r["basis"] for r in d["renames"] if r["kind"] == "role"][0]
    assert basis == "former name recorded in the new release (renamed on 2026-08-28)"
    assert {"Senior agile coach", "Lead agile coach", "Head of business relationship management"} <= \
        set(d["levels"]["added"])
    assert ["Head of data ethics", "Head of data and AI ethics"] in d["levels"]["renamed"]


def test_official_diff_skills(official_diff):
    _, d = official_diff
    renamed = d["skills"]["renamed"]
    assert ["Ownership and topic", "Ownership and initiative"] in renamed
    assert ["User experience analysis", "User experience insight analysis"] in renamed
    assert ["Programming and build (data engineering)", "Programming and build (data and analytics engineering)"] \
        in renamed
    assert "Coaching in an agile environment" in d["skills"]["added"]


def test_official_diff_requirements_grades_descriptions(official_diff):
    _, d = official_diff
    assert {"role_level": "Lead analytics engineer", "skill": "Turning business problems into data design",
            "old": "working", "new": "practitioner"} in d["requirements"]["changed"]
    assert d["grades"]["changed"] == [] and "old release states no grades" in d["grades"]["not_compared"]
    # the import keeps the official text, the bundled data has own summaries: not like with like, not compared
    assert d["descriptions"]["total"] == 0 and d["descriptions"]["not_comparable"] > 150


def test_official_diff_cli_md(cli, official_diff):
    out, _ = official_diff
    r = cli("diff", out, "--format", "md")
    assert r.exit_code == 0
    assert "# What changed from release 2025-10 to release 2026-10" in r.stdout
    assert "- **Agile coach**" in r.stdout
    assert "- Ownership and topic is now **Ownership and initiative**" in r.stdout


# ---------------------------------------------------------------- ties, --renames, grades, like with like (fixtures)

RELEASES = Path(__file__).resolve().parent / "fixtures" / "releases"


@pytest.fixture(scope="module")
def tie_graphs():
    return RoleGraph.load([RELEASES / "old.ttl"]), RoleGraph.load([RELEASES / "new.ttl"])


def test_content_tie_broken_by_name(tie_graphs):
    d = diff(*tie_graphs)
    assert d["skills"]["renamed"] == [["Requirements definition and management", "Defining and managing requirements"]]
    basis = d["renames"][0]["basis"]
    assert basis.startswith("matched on content: 100%") and "broken by name similarity" in basis
    # the other successor, and a tie the names cannot break, are additions and removals, not renames
    assert d["skills"]["added"] == ["Bolt fitting", "Change adoption analysis", "Nut turning"]
    assert d["skills"]["removed"] == ["Sprocket care"]


def test_renames_file_overrides(tie_graphs, tmp_path):
    from rolegraph.diff import read_renames

    f = tmp_path / "renames.csv"
    f.write_text("old,new\n# from the change log\nSprocket care,Nut turning\n"
                 "Requirements definition and management,\nNo such skill,Whatever\n", encoding="utf-8")
    d = diff(*tie_graphs, renames=read_renames(f), renames_name="renames.csv")
    assert d["skills"]["renamed"] == [["Sprocket care", "Nut turning"]]
    assert [r["basis"] for r in d["renames"]] == ["given in renames.csv"]
    assert "Requirements definition and management" in d["skills"]["removed"]      # "removed, not renamed"
    assert d["renames_unused"] == [["No such skill", "Whatever"]]


def test_renames_file_errors(cli, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("old,new\nonly one column\n", encoding="utf-8")
    r = cli("diff", RELEASES / "old.ttl", RELEASES / "new.ttl", "--renames", bad)
    assert r.exit_code == 2 and r.stderr.startswith("Error: ") and "line 2" in r.stderr
    ok = tmp_path / "ok.csv"
    ok.write_text("Sprocket care,Bolt fitting\n", encoding="utf-8")
    r = cli("diff", RELEASES / "old.ttl", RELEASES / "new.ttl", "--renames", ok, "--format", "md")
    assert r.exit_code == 0 and "- Sprocket care is now **Bolt fitting**" in r.stdout
    assert "given in ok.csv" in r.stdout


def test_grades_changed_and_added(tie_graphs):
    d = diff(*tie_graphs)
    assert d["grades"]["changed"] == [{"role_level": "Widget analyst", "old": ["HEO"], "new": ["HEO", "SEO"]}]
    assert d["grades"]["added"] == [{"role_level": "Lead widget analyst", "old": [], "new": ["G7"]}]
    md = render_md(d)
    assert "## Grades" in md and "- Lead widget analyst: grades added: **G7**" in md


def test_descriptions_like_with_like(tie_graphs):
    d = diff(*tie_graphs, verbose=True)["descriptions"]
    # official vs official: a rewrite, shown as a word diff
    assert (d["roles"], d["levels"], d["skills"], d["total"]) == (1, 0, 0, 1)
    assert d["changed"][0]["words"] == ("… studies how widgets are [-used-] {+used, measures them+} "
                                        "and reports what they …")
    # own summary vs official text (a level and a skill): not comparable, only counted
    assert d["not_comparable"] == 2


def test_md_sections_in_change_note_order(tie_graphs):
    md = render_md(diff(*tie_graphs, verbose=True))
    heads = [line for line in md.splitlines() if line.startswith("## ")]
    assert heads == ["## Skills", "## Skill requirements", "## Grades", "## Descriptions", "## How renames were found"]


# ---------------------------------------------------------------- the change log's changes between the releases

def _renamed(kind, old, new):
    return lambda d: [old, new] in d[kind]["renamed"]


def _in(kind, what, name):
    return lambda d: name in d[kind][what]


def _req(what, owner_part, skill):
    return lambda d: any(owner_part in r["role_level"].casefold() and r["skill"] == skill
                         for r in d["requirements"][what])


#: What the framework's change log (data/sources/ddat-facts.json update_history, November 2025 to September
#: 2026) says changed between the 2025-10 export and the October 2026 release, as checks on a diff's result.
CHANGELOG_CHECKS = [
    ("Agile coach first published", _in("roles", "added", "Agile coach")),
    ("role renamed from data ethicist", _renamed("roles", "Data ethicist",
                                                 "Data and artificial intelligence (AI) ethicist")),
    ("new level head of business relationship management",
     _in("levels", "added", "Head of business relationship management")),
    ("ethicist: new level (1)", _in("levels", "added", "Data and AI ethicist")),
    ("ethicist: new level (2)", _in("levels", "added", "Senior data and AI ethicist")),
    ("ethicist: lead level renamed", _renamed("levels", "Data ethics lead", "Lead data and AI ethicist")),
    ("agile coach level (senior)", _in("levels", "added", "Senior agile coach")),
    ("agile coach level (lead)", _in("levels", "added", "Lead agile coach")),
    ("data compliance and security added", _in("skills", "added", "Data compliance and security")),
    ("coaching skill added with agile coach", _in("skills", "added", "Coaching in an agile environment")),
    ("business analyst: skill added", _in("skills", "added", "Change, benefits and adoption analysis")),
    ("content designer: new skill added", _in("skills", "added", "Content management and architecture")),
    ("content designer: skill removed (1)", _in("skills", "removed", "Content concepts and prototyping")),
    ("content designer: skill removed (2)", _in("skills", "removed", "Agile working (content design)")),
    ("content designer: skill removed (3)",
     _in("skills", "removed", "Stakeholder relationship management (content design)")),
    ("content designer: skill removed (4)", _in("skills", "removed", "Strategic thinking (content design)")),
    ("content designer: skill removed (5)", _in("skills", "removed", "User focus (content design)")),
    ("business analyst: skill removed", _in("skills", "removed",
                                            "Enterprise and business architecture (business analyst)")),
    ("programming and build renamed", _renamed("skills", "Programming and build (data engineering)",
                                               "Programming and build (data and analytics engineering)")),
    ("business analyst: requirements skill renamed", _renamed(
        "skills", "Requirements definition and management",
        "Defining and managing business needs, user needs and requirements")),
    ("business analyst: user experience skill renamed", _renamed("skills", "User experience analysis",
                                                                 "User experience insight analysis")),
    ("business analyst: testing skill renamed", _renamed("skills", "Testing (business analysis)",
                                                         "Business and user acceptance testing")),
    ("business analyst: systems analysis renamed", _renamed("skills", "Systems analysis",
                                                            "Digital and data systems analysis")),
    ("ownership skill renamed", _renamed("skills", "Ownership and topic", "Ownership and initiative")),
    ("ethicist skills renamed (1)", _renamed("skills", "Analysis and synthesis (data ethics)",
                                             "Analysis and synthesis for data and AI ethics")),
    ("ethicist skills renamed (2)", _renamed("skills", "Communication (data ethics)",
                                             "Data and AI ethics communication")),
    ("ethicist skills renamed (3)", _renamed("skills", "Empathy and inclusivity", "Applied empathy and inclusivity")),
    ("ethicist skills renamed (4)", _renamed("skills", "Product ownership (data ethics)",
                                             "Data and AI ethics product management")),
    ("analytics engineer correction", lambda d: {"role_level": "Lead analytics engineer",
                                                 "skill": "Turning business problems into data design",
                                                 "old": "working", "new": "practitioner"}
                                                in d["requirements"]["changed"]),
    ("data engineer: testing removed", _req("removed", "data engineer", "Testing")),
    ("data engineer: technical understanding removed", _req("removed", "data engineer", "Technical understanding")),
    ("business analyst: consultancy removed", _req("removed", "business analys", "Consultancy")),
    ("content designer: no spurious level changes from a false rename",
     lambda d: not any(c["skill"] == "Content management and architecture" for c in d["requirements"]["changed"])),
    ("descriptions: no rewording claimed between official text and summaries",
     lambda d: d["descriptions"]["total"] == 0),
]


@pytest.mark.parametrize("former_names", [True, False], ids=["with-former-names", "content-alone"])
def test_official_diff_agrees_with_the_change_log(official_diff, graph, former_names):
    out, d = official_diff
    if not former_names:
        d = diff(RoleGraph.load([out]), graph, former_names=False)
    wrong = [what for what, check in CHANGELOG_CHECKS if not check(d)]
    assert wrong == []
