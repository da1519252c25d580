"""Named queries, `rolegraph queries` and `rolegraph query`: real answers, W3C formats, injection, errors."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict

import pytest

from rolegraph import queries as Q
from rolegraph.errors import QueryError, UnknownName

SCS_SHARED = {"Capability building for digital, data and technology", "Innovation in digital, data and technology"}
RANK = {"awareness": 1, "working": 2, "practitioner": 3, "expert": 4}


def run(graph, name, **params):
    q = Q.get(name)
    return Q.run(graph, q.text, Q.resolve_params(graph, q, params))


def rows(graph, name, **params):
    return run(graph, name, **params).rows()


# ---------------------------------------------------------------------------- facts helpers

def all_roles(facts):
    return [r for f in facts["families"] for r in f["roles"]]


def role_skills(role) -> set[str]:
    if role.get("scs"):
        return {s["skill"] for s in role["scs"]["skills"]}
    return {s["skill"] for lv in role["levels"] for s in lv["skills"]}


def level(facts, name):
    return next(lv for r in all_roles(facts) for lv in r["levels"] if lv["name"] == name)


# ---------------------------------------------------------------------------- the library

def test_library_has_at_least_15_documented_queries():
    lib = Q.library()
    assert len(lib) >= 15
    for name, q in lib.items():
        assert q.title and q.description, name
        assert q.example.startswith(f"rolegraph query {name}"), name
        assert q.form in Q.FORMS, name
        for p in q.parameters:
            assert p.kind in Q.KINDS, (name, p)


@pytest.mark.parametrize("name", sorted(Q.library()))
def test_every_named_query_runs_with_its_defaults(graph, name):
    res = run(graph, name)
    if res.form == "SELECT":
        assert res.rows(), name
    elif res.form == "ASK":
        assert res.boolean is True
    else:
        assert res.serialize("nt").count(b"\n") > 10


def test_example_lines_run(cli):
    for q in Q.library().values():
        import shlex

        args = shlex.split(q.example)[1:]
        r = cli(*args)
        assert r.exit_code == 0, (q.example, r.stderr)


# ---------------------------------------------------------------------------- real answers

def test_ciso_and_cto_share_exactly_the_two_scs_skills(graph, facts):
    got = {r["skill_name"] for r in rows(graph, "shared-skills", a="Chief information security officer",
                                         b="chief-technology-officer")}
    roles = {r["name"]: r for r in all_roles(facts)}
    expected = role_skills(roles["Chief information security officer"]) & role_skills(roles["Chief technology officer"])
    assert got == expected == SCS_SHARED


def test_shared_skills_of_two_levels_with_both_levels(graph, facts):
    a, b = level(facts, "Senior data engineer"), level(facts, "Senior data architect")
    la, lb = {s["skill"]: s["level"] for s in a["skills"]}, {s["skill"]: s["level"] for s in b["skills"]}
    got = {r["skill_name"]: (r["level_a"], r["level_b"])
           for r in rows(graph, "shared-skills", a="Senior data engineer", b="Senior data architect")}
    assert got == {s: (la[s], lb[s]) for s in la.keys() & lb.keys()}
    assert got


def test_level_skills_match_the_facts_for_every_level(graph, facts):
    for role in all_roles(facts):
        for lv in role["levels"]:
            got = {(r["skill_name"], r["skill_level"]) for r in rows(graph, "level-skills", level=lv["name"])}
            assert got == {(s["skill"], s["level"]) for s in lv["skills"]}, lv["name"]


def test_skill_demand_with_minimum_level(graph, facts):
    expected = {lv["name"] for r in all_roles(facts) for lv in r["levels"]
                for s in lv["skills"] if s["skill"] == "Data modelling" and s["level"] == "expert"}
    got = {r["role_level_name"] for r in rows(graph, "skill-demand", skill="Data modelling", min_level="expert")}
    assert got == expected and expected
    everyone = rows(graph, "skill-demand", skill="Innovation in digital, data and technology")
    scs = {r["name"] for r in all_roles(facts)
           if "Innovation in digital, data and technology" in role_skills(r)}
    assert {r["role_name"] for r in everyone} == scs
    assert rows(graph, "skill-demand", skill="Innovation in digital, data and technology", min_level="working") == []


def test_promotion_gap(graph, facts):
    a, b = level(facts, "Data engineer"), level(facts, "Lead data engineer")
    la = {s["skill"]: s["level"] for s in a["skills"]}
    expected = {s["skill"] for s in b["skills"] if s["skill"] not in la or RANK[s["level"]] > RANK[la[s["skill"]]]}
    got = rows(graph, "promotion-gap", **{"from": "Data engineer", "to": "Lead data engineer"})
    assert {r["skill_name"] for r in got} == expected
    for r in got:
        assert r["change"] == ("new skill" if r["skill_name"] not in la else "higher level")


def test_grade_levels(graph, facts):
    expected = {lv["name"] for r in all_roles(facts) for lv in r["levels"]
                if any(g.startswith("G7 ") for g in lv["grade_if_stated"] or [])}
    assert {r["role_level_name"] for r in rows(graph, "grade-levels", grade="g7")} == expected
    scs1 = {r["name"] for r in all_roles(facts) if r.get("scs") and any(
        g.startswith("SCS 1") for g in r["scs"]["grades"] or [])}
    assert {r["role_level_name"] for r in rows(graph, "grade-levels", grade="SCS 1")} >= scs1 == {
        "Chief information security officer", "Chief technology officer"}


def test_role_ladder(graph, facts):
    role = next(r for r in all_roles(facts) if r["name"] == "Business architect")
    got = rows(graph, "role-ladder", role="Business architect")
    assert [r["role_level_name"] for r in got] == [lv["name"] for lv in role["levels"]]
    assert [r["grades"] for r in got] == [", ".join(g.split(" ")[0] for g in lv["grade_if_stated"])
                                          for lv in role["levels"]]
    assert [r["skills"] for r in got] == [len(lv["skills"]) for lv in role["levels"]]


def _roles_per_skill(facts):
    users = defaultdict(set)
    for r in all_roles(facts):
        for s in role_skills(r):
            users[s].add(r["name"])
    return users


def test_top_and_single_role_skills(graph, facts):
    users = _roles_per_skill(facts)
    top = rows(graph, "top-skills", min_roles=5)
    assert {r["skill_name"]: r["roles"] for r in top} == {s: len(u) for s, u in users.items() if len(u) >= 5}
    assert top[0]["roles"] == max(len(u) for u in users.values())
    single = rows(graph, "single-role-skills")
    assert {(r["skill_name"], r["role_name"]) for r in single} == {
        (s, next(iter(u))) for s, u in users.items() if len(u) == 1}


def test_similar_roles(graph, facts):
    roles = {r["name"]: role_skills(r) for r in all_roles(facts)}
    me = roles["Data architect"]
    expected = {n: len(me & s) for n, s in roles.items() if n != "Data architect" and len(me & s) >= 4}
    got = rows(graph, "similar-roles", role="Data architect", min_shared=4)
    assert {r["other_name"]: r["shared"] for r in got} == expected and expected


def test_scs_roles_and_family_roles(graph, facts):
    scs = {r["name"]: r["scs"] for r in all_roles(facts) if r.get("scs")}
    got = {r["role_name"]: r for r in rows(graph, "scs-roles")}
    assert set(got) == set(scs)
    for name, info in scs.items():
        assert set(got[name]["professions"].split(", ")) == set(info["professions"])
        assert got[name]["skills"] == len(info["skills"])
    fam = next(f for f in facts["families"] if f["name"] == "Data")
    got = rows(graph, "family-roles", family="Data")
    assert {r["role_name"]: r["levels"] for r in got} == {r["name"]: len(r["levels"]) for r in fam["roles"]}


def test_skill_progression(graph, facts):
    role = next(r for r in all_roles(facts) if r["name"] == "Data engineer")
    by_skill = defaultdict(list)
    for lv in role["levels"]:
        for s in lv["skills"]:
            by_skill[s["skill"]].append(s["level"])
    expected = {s for s, lvls in by_skill.items() if len(set(lvls)) > 1}
    got = {r["skill_name"]: r for r in rows(graph, "skill-progression", role="Data engineer")}
    assert set(got) == expected
    for s, r in got.items():
        assert (r["first_level"], r["last_level"]) == (by_skill[s][0], by_skill[s][-1])
        assert r["highest_level"] == max(by_skill[s], key=RANK.get)


def test_summary_and_expert_counts(graph, facts):
    roles = all_roles(facts)
    s = rows(graph, "summary")[0]
    assert s["families"] == len(facts["families"]) and s["roles"] == len(roles)
    assert s["scs_roles"] == sum(1 for r in roles if r.get("scs"))
    assert s["role_levels"] == sum(len(r["levels"]) for r in roles)
    assert s["skills"] == len(facts["skills"])
    assert s["requirements"] == sum(len(lv["skills"]) for r in roles for lv in r["levels"]) + sum(
        len(r["scs"]["skills"]) for r in roles if r.get("scs"))
    assert s["triples"] == len(graph)
    experts = {r["family_name"]: r["expert_requirements"] for r in rows(graph, "expert-by-family")}
    assert experts == {f["name"]: sum(1 for r in f["roles"] for lv in r["levels"] for sk in lv["skills"]
                                      if sk["level"] == "expert") for f in facts["families"]}


def test_provenance(graph, facts):
    ciso = next(r for r in all_roles(facts) if r["name"] == "Chief information security officer")
    got = {(r["property"], str(r["value"]))
           for r in rows(graph, "provenance", node="Chief information security officer")}
    assert ("source", ciso["url"]) in got
    assert ("issued", ciso["first_published"]) in got
    assert any(p == "release wasDerivedFrom" and v.endswith("/download/roles.csv") for p, v in got)
    # a role level reports its role's provenance
    lvl = rows(graph, "provenance", node="Senior data engineer")
    assert {r["about"] for r in lvl} == {"https://w3id.org/rolegraph/ddat/role/data-engineer"}


def test_ask_and_construct(graph, facts):
    assert run(graph, "needs-skill", level="Chief technology officer", skill="Technology architecture").boolean
    assert not run(graph, "needs-skill", level="Chief technology officer", skill="Data modelling").boolean
    import pyoxigraph as ox

    ttl = run(graph, "role-graph", role="Data engineer").serialize("ttl")
    triples = list(ox.parse(ttl, format=ox.RdfFormat.TURTLE))
    role = next(r for r in all_roles(facts) if r["name"] == "Data engineer")
    reqs = [t for t in triples if t.predicate.value.endswith("#requires")]
    assert len(reqs) == sum(len(lv["skills"]) for lv in role["levels"])


def test_rdflib_backend_gives_the_same_answer():
    from rolegraph.graph import RoleGraph

    g = RoleGraph.load(backend="rdflib")
    assert {r["skill_name"] for r in rows(g, "shared-skills")} == SCS_SHARED
    assert run(g, "needs-skill").boolean


# ---------------------------------------------------------------------------- parameters and injection

INJECTIONS = ['x" } UNION { ?s ?p ?o } #', "} UNION { ?s ?p ?o }", "x' } ; DROP ALL #", 'a\\" } \n UNION {', "<>"]


@pytest.mark.parametrize("value", INJECTIONS)
def test_string_values_cannot_change_the_query(graph, value):
    q = Q.parse_header('# param v string default "x"\nSELECT ?got WHERE { BIND(?v AS ?got) }', "echo")
    got = Q.run(graph, q.text, Q.resolve_params(graph, q, {"v": value})).rows()
    assert got == [{"got": value}]
    assert rows(graph, "search", text=value) == []


@pytest.mark.parametrize("value", INJECTIONS)
def test_name_values_cannot_change_the_query(graph, value):
    with pytest.raises(UnknownName):
        rows(graph, "level-skills", level=value)
    with pytest.raises(QueryError):
        Q.resolve_params(graph, Q.parse_header("# param x iri\nSELECT * WHERE { ?x ?p ?o }"), {"x": value})


def test_names_and_iris_are_both_accepted(graph):
    by_name = rows(graph, "level-skills", level="Lead data engineer")
    by_iri = rows(graph, "level-skills", level="https://w3id.org/rolegraph/ddat/level/lead-data-engineer")
    by_pname = rows(graph, "level-skills", level="level:lead-data-engineer")
    assert by_name == by_iri == by_pname and by_name


# ---------------------------------------------------------------------------- the CLI

def test_queries_command(cli):
    r = cli("queries", "--format", "json")
    data = json.loads(r.stdout)
    assert {d["name"] for d in data} == set(Q.library())
    sd = next(d for d in data if d["name"] == "skill-demand")
    assert sd["parameters"] == [{"name": "skill", "kind": "skill", "default": "Data modelling"},
                                {"name": "min_level", "kind": "skill-level", "default": "awareness"}]
    assert set(data[0]) == {"name", "title", "description", "parameters"}
    text = cli("queries").stdout
    assert "shared-skills" in text and "Skills two roles or role levels share" in text


def test_query_table_and_json(cli):
    r = cli("query", "shared-skills", "--param", "a=Chief information security officer",
            "--param", "b=Chief technology officer")
    assert r.exit_code == 0
    assert all(s in r.stdout for s in SCS_SHARED)
    data = json.loads(cli("query", "shared-skills", "--format", "json").stdout)
    assert {d["skill_name"] for d in data} == SCS_SHARED
    assert data[0]["skill"].startswith("https://w3id.org/rolegraph/ddat/skill/")


def test_w3c_csv_and_tsv(cli):
    out = cli("query", "role-ladder", "-p", "role=Data engineer", "--format", "csv").stdout_bytes.decode()
    assert out.startswith("order,role_level,role_level_name,grades,skills\r\n")
    recs = list(csv.DictReader(io.StringIO(out, newline="")))
    assert recs[0]["role_level"] == "https://w3id.org/rolegraph/ddat/level/data-engineer"  # no <>
    assert recs[0]["order"] == "1"
    tsv = cli("query", "role-ladder", "-p", "role=Data engineer", "--format", "tsv").stdout
    header, first = tsv.split("\n")[:2]
    assert header == "?order\t?role_level\t?role_level_name\t?grades\t?skills"
    cells = first.split("\t")
    assert cells[0] == "1" and cells[1] == "<https://w3id.org/rolegraph/ddat/level/data-engineer>"
    assert cells[2] == '"Data engineer"@en'


def test_w3c_json_and_xml(cli):
    data = json.loads(cli("query", "summary", "--format", "sparql-json").stdout)
    assert data["head"]["vars"][0] == "families"
    assert data["results"]["bindings"][0]["roles"] == {
        "type": "literal", "value": "53", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    root = ET.fromstring(cli("query", "shared-skills", "--format", "sparql-xml").stdout)
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    assert [v.get("name") for v in root.findall("s:head/s:variable", ns)] == ["skill", "skill_name", "level_a",
                                                                             "level_b"]
    assert len(root.findall("s:results/s:result", ns)) == 2
    assert json.loads(cli("query", "needs-skill", "--format", "sparql-json").stdout) == {"head": {}, "boolean": True}
    assert cli("query", "needs-skill", "-p", "skill=Accessibility").stdout.strip() == "false"


def test_construct_formats(cli):
    ttl = cli("query", "role-graph", "-p", "role=Chief technology officer").stdout
    assert "@prefix rg:" in ttl and "role:chief-technology-officer" in ttl
    nt = cli("query", "role-graph", "-p", "role=Chief technology officer", "--format", "nt").stdout
    assert nt.count(" .\n") == len(nt.splitlines())
    jl = json.loads(cli("query", "role-graph", "-p", "role=Chief technology officer", "--format", "jsonld").stdout)
    assert jl


def test_file_and_stdin(cli, tmp_path):
    f = tmp_path / "roles.rq"
    f.write_text("SELECT (COUNT(?r) AS ?n) WHERE { ?r a rg:Role }\n")
    assert cli("query", f, "--format", "csv").stdout_bytes == b"n\r\n53\r\n"
    assert cli("query", "-", "--format", "json", input="ASK { role:data-engineer a rg:Role }").stdout.strip() == "true"


ERRORS = [
    (("query", "shared-skill"), 'unknown named query "shared-skill"', "shared-skills"),
    (("query", "level-skills", "-p", "lvl=x"), 'unknown parameter "lvl"', "level"),
    (("query", "level-skills", "-p", "novalue"), "bad --param", "NAME=VALUE"),
    (("query", "level-skills", "-p", "level=Senior data enginer"), "unknown role level or role",
     "Senior data engineer"),
    (("query", "top-skills", "-p", "min_roles=many"), "must be a whole number", ""),
    (("query", "grade-levels", "-p", "grade=G9"), 'unknown grade "G9"', ""),
    (("query", "summary", "--format", "ttl"), "--format ttl is for CONSTRUCT", ""),
    (("query", "role-graph", "--format", "csv"), "--format csv is for SELECT", ""),
    (("query", "nope/missing.rq"), "no such query file", ""),
]


@pytest.mark.parametrize("args,message,hint", ERRORS)
def test_errors_are_one_line_exit_2(cli, args, message, hint):
    r = cli(*args)
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr.startswith("Error: ") and message in r.stderr and hint in r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_missing_parameter(cli):
    r = cli("query", "-", input="# param who role\nSELECT * WHERE { ?who rg:family ?f }")
    assert r.exit_code == 2 and 'missing parameter "who"' in r.stderr
    r = cli("query", "-", "-p", "x=1", input="SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    assert r.exit_code == 2 and "takes no parameters" in r.stderr


def test_syntax_error_shows_line_column_and_text(cli):
    import re

    r = cli("query", "-", input="SELECT ?s WHERE {\n  ?s a rg:Role .\n  FILTR(?s)\n}")
    assert r.exit_code == 2 and r.stderr.count("\n") == 1
    m = re.search(r'line (\d+), column (\d+) \(near "([^"]*)"\)', r.stderr)
    assert m and m.group(1) == "3" and m.group(3) == "FILTR(?s)", r.stderr
    r = cli("query", "-", input="SELECT * WHERE { ?s nope:x ?o }")
    assert 'unknown prefix "nope:"' in r.stderr and "line 1" in r.stderr
    # with parameters bound, positions still refer to the user's own text
    text = '# param v string\nSELECT * WHERE { ?s ?p ?v FILTER(?v = ) ?s ?p }'
    plain = cli("query", "-", input=text.replace("# param v string\n", "#\n")).stderr
    bound = cli("query", "-", "-p", "v=1", input=text).stderr
    assert "line 2" in plain and bound == plain, (bound, plain)


@pytest.mark.parametrize("text,word", [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "Update (INSERT)"),
    ("PREFIX ex: <urn:x>\nDELETE WHERE { ?s ?p ?o }", "Update (DELETE)"),
    ("LOAD <http://example.org/data.ttl>", "Update (LOAD)"),
    ("CLEAR ALL", "Update (CLEAR)"),
    ("DROP GRAPH <urn:g>", "Update (DROP)"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE is refused"),
    ("select * where { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE is refused"),
])
def test_updates_load_and_service_are_refused(cli, text, word):
    r = cli("query", "-", input=text)
    assert r.exit_code == 2 and word in r.stderr and r.stderr.count("\n") == 1


def test_keywords_in_strings_comments_and_names_are_not_refused(cli):
    text = '# SERVICE and INSERT in a comment\nSELECT ?x ?service WHERE { BIND("SERVICE INSERT LOAD" AS ?x) ' \
           'OPTIONAL { ?x rg:load ?service } }'
    r = cli("query", "-", "--format", "json", input=text)
    assert r.exit_code == 0 and json.loads(r.stdout) == [{"x": "SERVICE INSERT LOAD", "service": None}]


def test_named_query_does_not_import_rdflib():
    code = ("import sys; from rolegraph.cli import main\n"
            "try:\n    main(['query', 'shared-skills', '--format', 'json'])\n"
            "except SystemExit: pass\n"
            "assert 'rdflib' not in sys.modules, 'rdflib was imported'\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "Capability building" in r.stdout
