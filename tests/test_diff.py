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
    assert "- Gadget analyst is now **Gadget researcher** (matched on content" in md
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
    assert "Descriptions: 1 changed" in r.stdout and "~ role: Widget engineer" in r.stdout
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
    assert basis.startswith("matched on content")
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
    assert d["grades"]["changed"] == [] and "old release has no grades" in d["grades"]["not_compared"]
    # the import keeps the official text, the bundled data has own summaries: nearly all differ, only counted
    assert d["descriptions"]["total"] > 400 and "changed" not in d["descriptions"]


def test_official_diff_cli_md(cli, official_diff):
    out, _ = official_diff
    r = cli("diff", out, "--format", "md")
    assert r.exit_code == 0
    assert "# What changed from release 2025-10 to release 2026-10" in r.stdout
    assert "- **Agile coach**" in r.stdout
    assert "- Ownership and topic is now **Ownership and initiative**" in r.stdout
