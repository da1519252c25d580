"""Browse and validate commands, end to end through the CLI, on the real data."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import FIXTURES, ROOT


def _json(result):
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _all_roles(facts):
    return [(fam["name"], role) for fam in facts["families"] for role in fam["roles"]]


# ------------------------------------------------------------------ roles


def test_roles_lists_every_role_with_family_levels_and_scs(cli, facts):
    got = {r["name"]: r for r in _json(cli("roles", "--format", "json"))}
    assert len(got) == 53
    for fam, role in _all_roles(facts):
        assert got[role["name"]] == {"name": role["name"], "family": fam, "levels": len(role["levels"]),
                                     "scs": "scs" in role}


def test_roles_by_family(cli, facts):
    data = next(f for f in facts["families"] if f["name"] == "Data")
    got = _json(cli("roles", "--family", "data", "--format", "json"))
    assert sorted(r["name"] for r in got) == sorted(r["name"] for r in data["roles"])


def test_roles_text_is_a_table(cli):
    r = cli("roles", "--family", "Chief digital and data")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["role", "family", "levels", "SCS"]
    assert any(line.startswith("Chief technology officer") and line.rstrip().endswith("yes") for line in lines)


def test_unknown_family_suggests(cli):
    r = cli("roles", "--family", "Dat")
    assert r.exit_code == 2
    assert r.stderr.startswith("Error: unknown job family \"Dat\"")
    assert '"Data"' in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


# ------------------------------------------------------------------ role


_REWRITES = json.loads((ROOT / "data" / "sources" / "summaries.json").read_text(encoding="utf-8"))["roles"]


@pytest.mark.parametrize("index", range(53))
def test_role_json_is_the_frameworks_content(cli, facts, index):
    fam, role = _all_roles(facts)[index]
    got = _json(cli("role", role["name"], "--format", "json"))
    assert got["name"] == role["name"]
    assert got["family"] == fam
    assert got["source"] == role["url"]
    assert got["description"] == _REWRITES.get(role["name"], role["summary_own_words"])
    assert got["scs"] == ("scs" in role)
    if "scs" in role:
        assert got["levels"] == []
        assert got["professions"] == sorted(role["scs"]["professions"])
        assert got["grades"] == [g.split(" (")[0] for g in role["scs"]["grades"] or []]
        assert got["skills"] == [{"skill": s["skill"], "level": None}
                                 for s in sorted(role["scs"]["skills"], key=lambda s: s["skill"].casefold())]
    else:
        assert got["skills"] == []
        assert [(lv["name"], lv["order"]) for lv in got["levels"]] == [(lv["name"], lv["number"])
                                                                        for lv in role["levels"]]
        for mine, theirs in zip(got["levels"], role["levels"]):
            assert mine["grades"] == [g.split(" (")[0] for g in theirs["grade_if_stated"] or []]
            assert sorted((s["skill"], s["level"]) for s in mine["skills"]) == sorted(
                (s["skill"], s["level"]) for s in theirs["skills"])


def test_ciso_in_detail(cli):
    got = _json(cli("role", "Chief information security officer", "--format", "json"))
    assert got["professions"] == ["Government Digital and Data", "Government Security"]
    assert got["grades"] == ["SCS 1", "SCS 2"]
    assert len(got["skills"]) == 8
    assert {"skill": "Changing security culture", "level": None} in got["skills"]


@pytest.mark.parametrize("name", ["data engineer", "DATA-ENGINEER", "data-engineer",
                                  "https://w3id.org/rolegraph/ddat/role/data-engineer", "  Data   engineer "])
def test_role_name_matching(cli, name):
    got = _json(cli("role", name, "--format", "json"))
    assert got["name"] == "Data engineer"
    assert "matched_level" not in got  # the role wins over its level of the same name


def test_role_level_name_resolves_to_its_role(cli):
    got = _json(cli("role", "Senior data engineer", "--format", "json"))
    assert got["name"] == "Data engineer"
    assert got["matched_level"] == "Senior data engineer"


def test_renamed_role_found_by_its_former_and_short_names(cli):
    for name in ("Data ethicist", "Data and AI ethicist"):
        assert _json(cli("role", name, "--format", "json"))["name"] == "Data and artificial intelligence (AI) ethicist"


def _known_renames() -> list[dict]:
    import csv

    with (ROOT / "data" / "sources" / "renames.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


@pytest.mark.parametrize("rename", _known_renames(), ids=lambda r: r["old"])
def test_every_known_old_name_resolves_with_a_note(cli, rename):
    command = {"role": "role", "level": "role", "skill": "skill"}[rename["kind"]]
    r = cli(command, rename["old"], "--format", "json")
    assert r.exit_code == 0, r.stderr
    got = json.loads(r.stdout)
    if rename["kind"] == "level":
        assert got["matched_level"] == rename["new"]
    else:
        assert got["name"] == rename["new"]
        assert got["renamed"] == {"from": rename["old"], "to": rename["new"], "on": rename["date"] or None}
    when = f"on {rename['date']})" if rename["date"] else "; date not recorded)"
    assert r.stderr == f"Note: {rename['old']} (renamed to {rename['new']} {when}\n"


def test_old_names_resolve_in_other_commands_too(cli):
    r = cli("skills", "--role", "Data ethicist", "--format", "json")
    assert r.exit_code == 0 and "renamed to Data and artificial intelligence (AI) ethicist on 2026-08-28" in r.stderr
    r = cli("report", "QAT analyst", "--format", "md")
    assert r.exit_code == 0 and "(renamed to Quality assurance test analyst on 2025-05-30)" in r.stderr
    r = cli("gap", "Data ethics lead", "Head of data and AI ethics")           # the career commands
    assert r.exit_code == 0
    assert "Note: Data ethics lead (renamed to Lead data and AI ethicist on 2026-08-28)" in r.stderr


def test_provenance_in_json(cli):
    cto = _json(cli("role", "Chief technology officer", "--format", "json"))["provenance"]
    assert cto == {"verified": ["grades"], "inferred": [], "unverified": ["professions"]}
    ciso = _json(cli("role", "Chief information security officer", "--format", "json"))["provenance"]
    assert ciso == {"verified": ["professions"], "inferred": ["grades"], "unverified": []}
    cdo = _json(cli("role", "Chief data officer", "--format", "json"))
    assert cdo["grades"] == [] and "grades" in cdo["provenance"]["unverified"]
    assert any("page was not read" in n for n in cdo["notes"])
    assert _json(cli("skill", "Data modelling", "--format", "json"))["provenance"]["unverified"] == ["source"]
    assert _json(cli("skill", "Leadership and guidance", "--format", "json"))["provenance"]["verified"] == ["source"]


def test_unknown_role_suggests_close_names(cli):
    r = cli("role", "Chief tecnology oficer")
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr.startswith('Error: unknown role or role level "Chief tecnology oficer" '
                               '(did you mean "Chief technology officer"')  # the closest first
    assert len(r.stderr.strip().splitlines()) == 1


def test_role_text_output(cli):
    r = cli("role", "Business architect")
    assert r.exit_code == 0
    assert r.stdout.startswith("Business architect  (role, Architecture family)")
    assert "1. Trainee business architect  [EO, HEO]" in r.stdout
    assert "Strategic thinking" in r.stdout


# ------------------------------------------------------------------ skills


def test_skills_lists_every_skill_with_role_counts(cli, facts):
    got = {s["name"]: s for s in _json(cli("skills", "--format", "json"))}
    assert len(got) == 186
    for skill in facts["skills"]:
        assert got[skill["name"]]["roles"] == len(set(skill["used_by"])), skill["name"]
        assert got[skill["name"]]["levels_defined"] == (skill["levels_defined"] or [])


def test_skills_of_a_role(cli, facts):
    role = next(r for fam in facts["families"] for r in fam["roles"] if r["name"] == "Data engineer")
    got = _json(cli("skills", "--role", "Data engineer", "--format", "json"))
    want = {s["skill"] for lv in role["levels"] for s in lv["skills"]}
    assert {s["name"] for s in got} == want
    modelling = next(s for s in got if s["name"] == "Data modelling")
    want_levels = [{"role_level": lv["name"], "level": s["level"]} for lv in role["levels"]
                   for s in lv["skills"] if s["skill"] == "Data modelling"]
    assert modelling["role_levels"] == want_levels


def test_skills_of_an_scs_role_have_no_level(cli):
    got = _json(cli("skills", "--role", "chief-technology-officer", "--format", "json"))
    assert len(got) == 6
    assert all(s["role_levels"] == [{"role_level": None, "level": None}] for s in got)


def test_skill_json(cli, facts):
    fact = next(s for s in facts["skills"] if s["name"] == "Data modelling")
    got = _json(cli("skill", "data modelling", "--format", "json"))
    assert got["name"] == "Data modelling"
    assert got["description"] == fact["summary_own_words"]
    assert got["source"].startswith("https://")
    assert got["levels_defined"] == fact["levels_defined"]
    assert {u["role"] for u in got["used_by"]} == set(fact["used_by"])
    want = sum(1 for fam in facts["families"] for r in fam["roles"] for lv in r["levels"]
               for s in lv["skills"] if s["skill"] == "Data modelling")
    assert len(got["used_by"]) == want
    assert all(u["level"] in ("awareness", "working", "practitioner", "expert") for u in got["used_by"])


def test_scs_skill_used_by_scs_roles_without_levels(cli):
    got = _json(cli("skill", "Innovation in digital, data and technology", "--format", "json"))
    assert got["levels_defined"] == []
    assert sorted(u["role"] for u in got["used_by"]) == [
        "Chief data officer", "Chief digital and information officer",
        "Chief information security officer", "Chief technology officer"]
    assert all(u["role_level"] is None and u["level"] is None for u in got["used_by"])


def test_unknown_skill(cli):
    r = cli("skill", "Data modeling")
    assert r.exit_code == 2
    assert '"Data modelling"' in r.stderr


# ------------------------------------------------------------------ --data and validate


def test_global_data_option_uses_other_data(cli):
    got = _json(cli("--data", FIXTURES / "mini", "roles", "--format", "json"))
    assert sorted(r["name"] for r in got) == ["Chief tester", "Tester"]


def test_global_data_option_missing_path(cli, tmp_path):
    r = cli("--data", tmp_path / "nope", "roles")
    assert r.exit_code == 2
    assert r.stderr.strip() == f"Error: {tmp_path / 'nope'}: no such file or folder"


def test_validate_bundled_data(cli):
    r = cli("validate")
    assert r.exit_code == 0
    assert r.stdout.startswith("Data conforms: 0 violations, 23 warnings")
    assert "Warnings (23):" in r.stdout
    assert "Change and release analyst <https://w3id.org/rolegraph/ddat/level/change-and-release-analyst>" in r.stdout


def test_validate_strict_fails_on_warnings(cli):
    assert cli("validate", "--strict").exit_code == 1


def test_validate_json_and_turtle(cli):
    got = _json(cli("validate", "--format", "json"))
    assert got["conforms"] is True
    assert got["counts"] == {"violations": 0, "warnings": 23, "infos": 0}
    r = cli("validate", "--format", "turtle")
    assert r.exit_code == 0
    import rdflib

    g = rdflib.Graph().parse(data=r.stdout, format="turtle")
    SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert len(list(g.subjects(rdflib.RDF.type, SH.ValidationResult))) == 23


def test_validate_violations_exit_1(cli, tmp_path):
    bad = (FIXTURES / "mini" / "framework.ttl").read_text(encoding="utf-8").replace("rg:order 2 ;", "rg:order 1 ;")
    (tmp_path / "bad.ttl").write_text(bad, encoding="utf-8")
    r = cli("validate", tmp_path / "bad.ttl")
    assert r.exit_code == 1
    assert "Violations (1):" in r.stdout
    assert "Tester <https://w3id.org/rolegraph/ddat/role/tester>" in r.stdout
    assert "Two role levels of this role share order 1." in r.stdout


def test_validate_missing_file_exit_2(cli, tmp_path):
    r = cli("validate", tmp_path / "missing.ttl")
    assert r.exit_code == 2
    assert r.stderr.strip() == f"Error: {tmp_path / 'missing.ttl'}: no such file or folder"


def test_validate_bad_turtle_reports_file_and_line(cli, tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e "unterminated .\n',
                   encoding="utf-8")
    r = cli("validate", bad)
    assert r.exit_code == 2
    assert r.stderr.startswith(f"Error: {bad}:3:")
    assert "invalid RDF" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_validate_empty_folder(cli, tmp_path):
    r = cli("validate", tmp_path)
    assert r.exit_code == 2
    assert "holds no RDF files" in r.stderr


def test_installed_command_runs_from_any_folder_without_traceback(tmp_path):
    """The console script works outside the checkout, and errors never show a traceback."""
    exe = ROOT / ".venv" / "bin" / "rolegraph"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "rolegraph"]
    ok = subprocess.run(cmd + ["role", "chief-technology-officer", "--format", "json"], cwd=tmp_path,
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["grades"] == ["SCS 1", "SCS 2"]
    bad = subprocess.run(cmd + ["role", "nobody at all"], cwd=tmp_path, capture_output=True, text=True)
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
    assert bad.stderr.startswith('Error: unknown role or role level "nobody at all"')
