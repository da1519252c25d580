"""rolegraph import: the project's own fixture CSVs (every quirk and error path) and the real 2025-10 downloads."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from rolegraph.graph import RoleGraph
from rolegraph.importer import STAGES, import_release, read_grades, tidy_text

from .conftest import OFFICIAL_2025

CSV = Path(__file__).resolve().parent / "fixtures" / "csv"
ROLE = "https://w3id.org/rolegraph/ddat/role/"
LEVEL = "https://w3id.org/rolegraph/ddat/level/"
SKILL = "https://w3id.org/rolegraph/ddat/skill/"


@pytest.fixture(scope="module")
def fixture_import(tmp_path_factory):
    """The fixture CSVs imported with grades; returns (summary, graph of the result)."""
    out = tmp_path_factory.mktemp("imp") / "release"
    summary = import_release(CSV / "roles.csv", CSV / "skills.csv", out, release_date="2030-01-15",
                             grades=CSV / "grades.csv")
    return summary, RoleGraph.load([out]), out


def test_fixture_counts_and_duplicates(fixture_import):
    s, g, _ = fixture_import
    assert (s.roles, s.scs_roles, s.levels, s.skills) == (3, 1, 6, 4)
    assert (s.requirements, s.scs_links) == (15, 2)
    assert (s.duplicate_role_rows, s.duplicate_skill_rows) == (2, 1)
    assert s.version == "2030-01" and s.issued == "2030-01-15"
    n = g.select("SELECT (COUNT(*) AS ?n) WHERE { ?q a rg:SkillRequirement ; rg:level ?l }")[0]["n"]
    assert n == 15


def test_names_are_cleaned(fixture_import):
    _, g, _ = fixture_import
    labels = {e.label for e in g.entities("role")} | {e.label for e in g.entities("level")}
    assert "Gadget analyst" in labels
    assert all(lab == " ".join(lab.split()) for lab in labels)
    assert g.resolve("sprocket testing").iri == SKILL + "sprocket-testing"
    assert g.resolve("Widgets", kinds=("family",)).iri.endswith("/family/widgets")


def test_levels_ordered_by_seniority_not_row_order(fixture_import):
    _, g, _ = fixture_import
    rows = g.select("SELECT ?l ?o WHERE { ?x rg:ofRole ?r ; rg:order ?o ; skos:prefLabel ?l } ORDER BY ?o",
                    r=ROLE + "widget-engineer")
    assert [r["l"] for r in rows] == ["Junior widget engineer", "Widget engineer", "Senior widget engineer",
                                      "Head of widget engineering"]


def test_descriptions_keep_bullet_lists(fixture_import):
    _, g, _ = fixture_import
    desc = g.select("SELECT ?d WHERE { ?r dcterms:description ?d }", r=ROLE + "widget-engineer")[0]["d"]
    assert "\r" not in desc
    assert desc.splitlines()[-3:] == ["- design widgets with users", "- keep widgets working",
                                      "- write down how widgets fit together"]   # the "•" bullet is normalised
    level = g.select("SELECT ?d WHERE { ?r dcterms:description ?d }", r=LEVEL + "widget-engineer")[0]["d"]
    assert level.endswith("- build widgets\n- test widgets")                    # trailing spaces gone


def test_skill_levels_not_defined_are_left_out(fixture_import):
    _, g, _ = fixture_import
    defined = {r["l"] for r in g.select("SELECT ?l WHERE { ?s rg:levelDefined/skos:notation ?l }",
                                        s=SKILL + "sprocket-testing")}
    assert defined == {"awareness", "working", "practitioner"}
    notes = [r["n"] for r in g.select("SELECT ?n WHERE { ?s skos:note ?n }", s=SKILL + "sprocket-testing")]
    assert len(notes) == 3 and any(n.startswith("Working: You can:\n- test sprockets") for n in notes)
    assert not g.select("SELECT ?l WHERE { ?s rg:levelDefined ?l }", s=SKILL + "gadget-strategy")


def test_scs_role(fixture_import):
    _, g, _ = fixture_import
    iri = ROLE + "chief-gadget-officer"
    assert g.ask("ASK { ?r a rg:Role, rg:SeniorCivilServiceRole ; rg:profession prof:government-digital-and-data }",
                 r=iri)
    assert not g.ask("ASK { ?l rg:ofRole ?r }", r=iri)
    reqs = g.select("SELECT ?s ?lv WHERE { ?r rg:requires ?q . ?q rg:skill ?s OPTIONAL { ?q rg:level ?lv } }", r=iri)
    assert len(reqs) == 2 and all(r["lv"] is None for r in reqs)
    note = g.select("SELECT ?n WHERE { ?r skos:editorialNote ?n }", r=iri)[0]["n"]
    assert "Government Digital and Data by the importer's rule" in note and "the CSV has no profession column" in note
    assert g.ask("ASK { ?r rg:inferredProperty rg:profession }", r=iri)


def test_bundled_iri_reused_when_it_is_not_the_slug(fixture_import):
    _, g, _ = fixture_import
    e = g.resolve("Data and artificial intelligence (AI) ethicist", kinds=("role",))
    assert e.iri == ROLE + "data-and-ai-ethicist"


def test_grades_file(fixture_import):
    s, g, _ = fixture_import
    assert s.graded == 5

    def grades(iri):
        return [r["n"] for r in g.select("SELECT ?n WHERE { ?x rg:grade ?g . ?g skos:notation ?n ; rg:rank ?k } "
                                         "ORDER BY ?k", x=iri)]
    assert grades(LEVEL + "widget-engineer") == ["HEO", "SEO"]
    assert grades(LEVEL + "senior-widget-engineer") == ["SEO", "G7"]
    assert grades(LEVEL + "head-of-widget-engineering") == ["G6"]
    assert grades(ROLE + "chief-gadget-officer") == ["SCS 1", "SCS 2"]
    assert grades(LEVEL + "gadget-analyst") == []


def test_release_metadata(fixture_import):
    _, g, out = fixture_import
    row = g.select("""SELECT ?v ?d ?lic ?rights WHERE { ?r a rg:Release ; schema:version ?v ; dcterms:issued ?d ;
                      dcterms:license ?lic ; dcterms:rights ?rights }""")
    assert len(row) == 1
    assert row[0]["v"] == "2030-01" and str(row[0]["d"]) == "2030-01-15"
    assert row[0]["lic"] == "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    assert "Open Government Licence v3.0" in row[0]["rights"]
    derived = {r["f"] for r in g.select("SELECT ?f WHERE { ?r a rg:Release ; prov:wasDerivedFrom ?f }")}
    assert derived == {(CSV / "roles.csv").resolve().as_uri(), (CSV / "skills.csv").resolve().as_uri()}
    notes = " ".join(r["n"] for r in g.select("SELECT ?n WHERE { ?r a rg:Release ; skos:editorialNote ?n }"))
    assert "Government Digital and Data" in notes and "order" in notes and "Dropped 2 duplicate" in notes
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.ttl")) == [
        "families/chief-gadgets.ttl", "families/data.ttl", "families/widgets.ttl", "release.ttl", "skills.ttl"]
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]      # no temp folder left behind


def test_result_validates(fixture_import):
    _, g, _ = fixture_import
    assert g.validate().conforms


def test_progress_stages_reported(tmp_path):
    seen = []
    import_release(CSV / "roles.csv", CSV / "skills.csv", tmp_path / "o", release_date="2030-01-01",
                   progress=seen.append)
    assert seen == list(STAGES)


def test_tidy_text():
    raw = "Lead.\r\n\r\n\r\nIn this role:\r\n• one  \r\n*  two\r\n"
    assert tidy_text(raw) == "Lead.\n\nIn this role:\n- one\n- two"


def test_read_grades_separators():
    g = read_grades(CSV / "grades.csv")
    assert g["Widget engineer"] == ["heo", "seo"] and g["Chief gadget officer"] == ["scs-1", "scs-2"]


# ---------------------------------------------------------------- the CLI and its error paths


def test_cli_import_text_and_json(cli, tmp_path):
    r = cli("import", CSV / "roles.csv", CSV / "skills.csv", "-o", tmp_path / "a", "--release-date", "2030-01-01")
    assert r.exit_code == 0, r.stderr
    assert "4 roles (1 Senior Civil Service), 6 role levels, 4 skills" in r.stdout
    assert "Dropped 2 duplicate row(s)" in r.stdout
    assert r.stderr == ""                      # no progress bar when stderr is not a terminal
    r = cli("import", CSV / "roles.csv", CSV / "skills.csv", "-o", tmp_path / "b", "--format", "json")
    data = json.loads(r.stdout)
    assert data["requirements"] == 15 and data["scs_links"] == 2


def _assert_one_line_error(r, code, *fragments):
    assert r.exit_code == code
    err = r.stderr.strip()
    assert err.startswith("Error: ") and "\n" not in err and "Traceback" not in err
    for f in fragments:
        assert f in err


def _nothing_written(parent: Path, name: str = "out") -> bool:
    return not (parent / name).exists() and not [p for p in parent.iterdir() if p.name.startswith(f".{name}.")]


@pytest.mark.parametrize("roles, skills, fragments", [
    ("roles_missing_column.csv", "skills.csv", ["lacks the column(s) 'Skill Level'"]),
    ("skills.csv", "roles.csv", ["looks like the skills file", "swap"]),
    ("roles.csv", "roles.csv", ["looks like the roles file, not the skills file"]),
    ("roles_latin1.csv", "skills.csv", ["not UTF-8", "0xe9"]),
    ("empty.csv", "skills.csv", ["roles file is empty"]),
    ("roles.csv", "empty.csv", ["skills file is empty"]),
    ("header_only.csv", "skills.csv", ["header but no rows"]),
    ("roles_conflicting.csv", "skills.csv", ["requires \"Widget design\" at both working and expert", "line "]),
])
def test_bad_input_is_one_line_error_and_writes_nothing(cli, tmp_path, roles, skills, fragments):
    r = cli("import", CSV / roles, CSV / skills, "-o", tmp_path / "out")
    _assert_one_line_error(r, 2, *fragments)
    assert _nothing_written(tmp_path)


@pytest.mark.parametrize("grades, code, fragment", [
    ("grades_bad_grade.csv", 2, 'unknown grade "G9"'),
    ("grades_unknown_level.csv", 2, "'Sprocket wrangler'"),
    ("grades_scs_as_g7.csv", 1, "does not validate"),
])
def test_grades_errors(cli, tmp_path, grades, code, fragment):
    r = cli("import", CSV / "roles.csv", CSV / "skills.csv", "-o", tmp_path / "out", "--grades", CSV / grades)
    _assert_one_line_error(r, code, fragment)
    assert _nothing_written(tmp_path)


def test_missing_file_and_bad_date(cli, tmp_path):
    r = cli("import", tmp_path / "nope.csv", CSV / "skills.csv", "-o", tmp_path / "out")
    assert r.exit_code == 2 and "does not exist" in r.stderr
    r = cli("import", CSV / "roles.csv", CSV / "skills.csv", "-o", tmp_path / "out", "--release-date", "Oct 2025")
    _assert_one_line_error(r, 2, "not a date")
    assert _nothing_written(tmp_path)


def test_existing_output_needs_force_and_failure_keeps_it(cli, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.ttl").write_text("# mine\n")
    r = cli("import", CSV / "roles.csv", CSV / "skills.csv", "-o", out)
    _assert_one_line_error(r, 2, "not empty", "--force")
    # --force replaces only a release folder: a folder of other files is never deleted (issue 21 item 6)
    r = cli("import", CSV / "roles.csv", CSV / "skills.csv", "-o", out, "--force")
    _assert_one_line_error(r, 2, "--force replaces only a release folder")
    assert [p.name for p in out.iterdir()] == ["keep.ttl"]
    (out / "keep.ttl").unlink()
    assert cli("import", CSV / "roles.csv", CSV / "skills.csv", "-o", out).exit_code == 0
    (out / "families" / "stale.ttl").write_text("# left by an older import\n")
    before = sorted((str(p.relative_to(out)), p.read_bytes()) for p in out.rglob("*") if p.is_file())
    # a failing import with --force leaves the old folder exactly as it was
    r = cli("import", CSV / "roles.csv", CSV / "skills.csv", "-o", out, "--force", "--grades",
            CSV / "grades_scs_as_g7.csv")
    assert r.exit_code == 1
    assert sorted((str(p.relative_to(out)), p.read_bytes()) for p in out.rglob("*") if p.is_file()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    r = cli("import", CSV / "roles.csv", CSV / "skills.csv", "-o", out, "--force")
    assert r.exit_code == 0
    assert not (out / "families" / "stale.ttl").exists() and (out / "release.ttl").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_imported_folder_loads_with_other_commands(cli, tmp_path):
    cli("import", CSV / "roles.csv", CSV / "skills.csv", "-o", tmp_path / "out")
    r = cli("validate", tmp_path / "out")
    assert r.exit_code == 0 and "conforms" in r.stdout


# ---------------------------------------------------------------- the real 2025-10 downloads


@pytest.fixture(scope="module")
def official(tmp_path_factory):
    if not (OFFICIAL_2025 / "roles.csv").is_file():
        pytest.skip("../shared/official-exports/2025-10 is not present")
    out = tmp_path_factory.mktemp("official") / "2025-10"
    summary = import_release(OFFICIAL_2025 / "roles.csv", OFFICIAL_2025 / "skills.csv", out)
    return summary, RoleGraph.load([out]), out


def test_official_counts(official):
    s, g, _ = official
    assert s.roles + s.scs_roles == 52 and s.scs_roles == 4
    assert s.levels == 201 and s.skills == 188
    assert s.requirements == 1781 and s.scs_links == 28
    assert s.duplicate_role_rows == 16
    assert s.version == "2025-10"          # from the folder's name
    count = lambda cls: g.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?x a {cls} }}")[0]["n"]  # noqa: E731
    assert (count("rg:Role"), count("rg:SeniorCivilServiceRole"), count("rg:RoleLevel"), count("rg:Skill")) == \
        (52, 4, 201, 188)
    assert count("rg:SkillRequirement") == 1781 + 28


def test_official_validates(official):
    _, g, _ = official
    report = g.validate()
    assert report.conforms, [r.message for r in report.results if r.severity == "Violation"][:3]


def test_official_level_order_matches_bundled_for_unchanged_roles(official, graph):
    _, g, _ = official
    q = "SELECT ?r ?l ?o WHERE { ?x a rg:RoleLevel ; rg:ofRole ?r ; rg:order ?o ; skos:prefLabel ?l } ORDER BY ?r ?o"

    def ladders(gr):
        out: dict[str, list[str]] = {}
        for row in gr.select(q):
            out.setdefault(row["r"], []).append(row["l"])
        return out
    mine, bundled = ladders(g), ladders(graph)
    same = [r for r in mine if r in bundled and set(mine[r]) == set(bundled[r])]
    assert len(same) >= 45
    assert {r: mine[r] for r in same} == {r: bundled[r] for r in same}


def test_official_iris_match_bundled(official, graph):
    _, g, _ = official
    mine = {e.iri for e in g.entities("role")}
    bundled = {e.iri for e in graph.entities("role")}
    assert mine - bundled == {ROLE + "data-ethicist"}
    assert bundled - mine == {ROLE + "agile-coach", ROLE + "data-and-ai-ethicist"}


def test_official_descriptions_are_official_text_with_lists(official):
    _, g, _ = official
    d = g.select("SELECT ?d WHERE { ?r dcterms:description ?d }", r=ROLE + "business-architect")[0]["d"]
    lines = d.splitlines()
    assert "In this role, you will:" in lines and sum(1 for ln in lines if ln.startswith("- ")) >= 3


# ---------------------------------------------------------------- facts the CSV cannot express


def test_descriptions_marked_official(fixture_import):
    _, g, _ = fixture_import
    kinds = {r["k"] for r in g.select("SELECT ?k WHERE { ?n dcterms:description ?d ; rg:descriptionKind ?k }")}
    assert kinds == {"https://w3id.org/rolegraph/ontology#OfficialText"}
    assert not g.ask("""ASK { VALUES ?t { rg:Role rg:RoleLevel rg:Skill rg:JobFamily } ?n a ?t ;
                         dcterms:description ?d FILTER NOT EXISTS { ?n rg:descriptionKind ?k } }""")


def test_grades_and_professions_kept_from_an_earlier_release(fixture_import, tmp_path):
    """A later import without --grades keeps the earlier release's grades and professions, marked inferred."""
    earlier = tmp_path / "earlier"
    shutil.copytree(fixture_import[2], earlier)
    gadgets = next(p for p in (earlier / "families").glob("*.ttl") if "gadget" in p.read_text(encoding="utf-8"))
    text = gadgets.read_text(encoding="utf-8")
    assert "rg:profession prof:government-digital-and-data" in text
    gadgets.write_text(text.replace("rg:profession prof:government-digital-and-data",
                                    "rg:profession prof:government-security"), encoding="utf-8")
    later = tmp_path / "later"
    import_release(CSV / "roles.csv", CSV / "skills.csv", later, release_date="2031-02-01", previous=earlier)
    g = RoleGraph.load([later])
    rows = g.select("""SELECT ?name ?g WHERE { ?n skos:prefLabel ?name ; rg:grade/skos:notation ?g ;
                       rg:inferredProperty rg:grade }""")
    assert ("Widget engineer", "HEO") in {(r["name"], r["g"]) for r in rows}
    note = g.select("SELECT ?n WHERE { ?l skos:prefLabel \"Widget engineer\"@en ; a rg:RoleLevel ; "
                    "skos:editorialNote ?n }")[0]["n"]
    assert "carried over from release 2030-01" in note
    cgo = ROLE + "chief-gadget-officer"
    assert g.ask("ASK { ?r rg:profession prof:government-security ; rg:inferredProperty rg:profession }", r=cgo)
    assert "kept from release 2030-01" in g.select("SELECT ?n WHERE { ?r skos:editorialNote ?n }", r=cgo)[0]["n"]
    # a later release's grades are never carried back into an earlier one
    back = tmp_path / "back"
    import_release(CSV / "roles.csv", CSV / "skills.csv", back, release_date="2029-02-01", previous=later)
    assert not RoleGraph.load([back]).ask("ASK { ?n rg:grade ?g }")


def test_official_import_keeps_the_cisos_security_profession(official):
    _, g, _ = official
    ciso = ROLE + "chief-information-security-officer"
    profs = {r["p"].rsplit("/", 1)[1] for r in g.select("SELECT ?p WHERE { ?r rg:profession ?p }", r=ciso)}
    assert profs == {"government-digital-and-data", "government-security"}
    # the bundled release (2026-10) is later than 2025-10: no grade is carried back
    assert not g.ask("ASK { ?n rg:grade ?g }")
