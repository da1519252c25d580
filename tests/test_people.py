"""People and teams (issue 24): profiles, assessments, team maps -- on the bundled framework.

Profiles are personal data: the tests plant a marker and check it never reaches the framework graph,
a store folder, a cache or a log.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from rolegraph.careers.model import career_model
from rolegraph.errors import InputError
from rolegraph.people import parse_profile, profile_from_levels, write_profile
from rolegraph.people.assess import assess

L = "https://w3id.org/rolegraph/ddat/level/"
ROOT = Path(__file__).resolve().parent.parent


def requirements(graph, level: str) -> dict[str, int]:
    """The level's requirements as {skill label: rank}, read from the graph (not hard-coded)."""
    m = career_model(graph)
    return {m.B.nodes[s]["label"]: d["weight"] for s, d in m.B.adj[level].items()}


def csv_of(levels: dict[str, int], head: str = "") -> bytes:
    return (head + "skill,level\n" + "".join(f'"{k}",{v}\n' for k, v in levels.items())).encode()


# ----------------------------------------------------------------------------- the model: reading and writing


def test_names_former_names_anchor_ids_and_the_0_4_scale(graph):
    p = parse_profile(graph, b"skill,level,evidence\ndata-modelling,expert,led it\n"
                             b"Testing (business analysis),0\nDATA INNOVATION,  2 \n", "me.csv")
    got = {r.label: (r.level_name, r.evidence) for r in p.ratings.values()}
    assert got == {"Data modelling": ("expert", "led it"),
                   "Business and user acceptance testing": ("not yet", None),
                   "Data innovation": ("working", None)}
    assert p.notes == ['me.csv, line 3: "Testing (business analysis)" is a former name, read as '
                       '"Business and user acceptance testing"']
    assert p.held() == {r.skill: r.level for r in p.ratings.values() if r.level}


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "ttl"])
def test_every_format_round_trips(graph, fmt):
    p = profile_from_levels(graph, {"Data modelling": 3, "Data innovation": "awareness", "Testing": 0},
                            grade="SEO", role_level="Senior data engineer",
                            evidence={"Data modelling": '=cmd|"x" a, "quoted"; <b>note</b>'})
    text = write_profile(p, fmt)
    back = parse_profile(graph, text.encode(), f"me.{fmt}")
    assert back.ratings == p.ratings
    assert (back.grade, back.role_level) == (p.grade, p.role_level)
    if fmt in ("csv", "tsv"):   # a formula-looking note is guarded for spreadsheets, read back without the guard
        assert "'=cmd" in text


def test_written_turtle_meets_the_shapes_and_a_bad_one_does_not(graph):
    import pyshacl
    import rdflib

    shapes = rdflib.Graph().parse(ROOT / "ontology" / "people-shapes.ttl")
    p = profile_from_levels(graph, {"Data modelling": 3, "Data innovation": 1}, grade="G7")
    data = rdflib.Graph().parse(data=write_profile(p, "ttl"), format="turtle", publicID="file:///me.ttl")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes)
    assert conforms, text
    bad = write_profile(p, "ttl").replace("slevel:practitioner", "<https://example.org/guru>")
    bad_graph = rdflib.Graph().parse(data=bad, format="turtle", publicID="file:///me.ttl")
    assert not pyshacl.validate(bad_graph, shacl_graph=shapes)[0]


BAD = [  # (file name, bytes, what the one message must say)
    ("unknown.csv", b"skill,level\nData modeling,3\n", ['unknown.csv, line 2', 'unknown skill "Data modeling"',
                                                         'did you mean "Data modelling"']),
    ("scale.csv", b"skill,level\nData modelling,5\n", ["scale.csv, line 2", 'level "5" is outside the scale']),
    ("word.tsv", b"Data modelling\tguru\n", ["word.tsv, line 1", 'level "guru" is outside the scale']),
    ("twice.csv", b"skill,level\nData modelling,3\nData innovation,1\ndata-modelling,2\n",
     ["twice.csv, line 4", "rated twice with different levels", "practitioner (line 2) and working"]),
    ("empty.csv", b"skill,level\n\n", ["empty.csv", "rates no skills"]),
    ("blank.csv", b"", ["blank.csv", "the file is empty"]),
    ("utf16.csv", "skill,level\nData modelling,3\n".encode("utf-16"), ["utf16.csv, line 1", "UTF-16"]),
    ("utf16le.csv", "skill,level\nData modelling,3\n".encode("utf-16-le"), ["utf16le.csv, line 1", "NUL bytes"]),
    ("latin1.csv", "skill,level,evidence\nData modelling,3,café\n".encode("latin-1"),
     ["latin1.csv, line 2", "not UTF-8"]),
    ("grade.csv", b"# grade: G9\nData modelling,3\n", ["grade.csv, line 1", 'unknown grade "G9"']),
    ("level.csv", b"# role level: Senior data engineeer\nData modelling,3\n",
     ["level.csv, line 1", 'unknown role level "Senior data engineeer"', 'did you mean "Senior data engineer"']),
    ("cols.csv", b"Data modelling,3,a,b\n", ["cols.csv, line 1", "4 columns"]),
    ("p.json", b'{\n "ratings": [\n  {"skill": "Data modelling", "level": 3},\n  {"skill": "Data modeling", '
               b'"level": 3}\n ]\n}', ["p.json, line 4", 'unknown skill "Data modeling"']),
    ("l.json", b'{"ratings": {"Data modelling": 7}}', ["l.json", 'level "7" is outside the scale']),
    ("bad.json", b'{"ratings": [}', ["bad.json, line 1", "not valid JSON"]),
    ("p.ttl", b"@prefix rgp: <https://w3id.org/rolegraph/people#> .\n<#p> a rgp:Profile ;\n"
              b" rgp:claim [ rgp:skill <https://w3id.org/rolegraph/ddat/skill/data-modelling> ;\n"
              b"  rgp:level <https://w3id.org/rolegraph/ddat/skill-level/guru> ] .\n",
     ["p.ttl, line 3", "outside the scale"]),
    ("hostile.csv", b"skill,level\n\x1b[31mError: forged\xe2\x80\xae,3\n", ["hostile.csv, line 2", "\\x1b"]),
]


@pytest.mark.parametrize("name,data,parts", BAD, ids=[b[0] for b in BAD])
def test_bad_profiles_are_one_error_naming_file_line_and_value(graph, name, data, parts):
    with pytest.raises(InputError) as info:
        parse_profile(graph, data, name)
    message = str(info.value)
    for part in parts:
        assert part in message
    assert "\n" not in message and "\x1b" not in message and "\u202e" not in message


def test_a_utf8_byte_order_mark_is_read_as_utf8(graph):
    """Spreadsheets save "CSV UTF-8" with a BOM: read it, do not refuse it (UTF-16 is refused, above)."""
    plain = parse_profile(graph, b"Data modelling,3\n", "a.csv")
    bom = parse_profile(graph, b"\xef\xbb\xbfData modelling,3\n", "b.csv")
    assert bom.ratings == plain.ratings


@pytest.mark.parametrize("name,data,parts", BAD[:4], ids=[b[0] for b in BAD[:4]])
def test_cli_bad_profile_exits_2_with_one_error_line_and_writes_nothing(cli, tmp_path, name, data, parts):
    f = tmp_path / name
    f.write_bytes(data)
    out = tmp_path / "out.html"
    r = cli("assess", str(f), "--format", "html", "-o", str(out))
    assert r.exit_code == 2
    errors = [line for line in r.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and parts[0] in errors[0] and "Traceback" not in r.stderr
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == [name]


# ----------------------------------------------------------------------------- assess


@pytest.mark.parametrize("level", ["senior-data-engineer", "lead-developer", "user-researcher"])
def test_a_profile_identical_to_a_level_ranks_it_first_with_fit_1(graph, level):
    p = profile_from_levels(graph, requirements(graph, L + level))
    a = assess(graph, p)
    assert a.fits[0].iri == L + level and a.fits[0].fit == 1.0
    assert not a.fits[0].below and not a.fits[0].missing


def test_one_level_below_on_one_skill_lists_exactly_that_gap(graph):
    need = requirements(graph, L + "senior-data-engineer")
    skill = sorted(need)[0]
    need[skill] -= 1
    a = assess(graph, profile_from_levels(graph, need), top=300)
    fit = next(f for f in a.fits if f.iri == L + "senior-data-engineer")
    assert [(s.skill, s.to_go) for s in fit.below + fit.missing] == [(skill, 1)]
    assert fit.fit < 1


def test_readiness_and_plan_aim_at_the_next_level_of_ones_own_role(graph):
    need = requirements(graph, L + "data-engineer")
    a = assess(graph, profile_from_levels(graph, need, role_level="Data engineer", grade="HEO"))
    nxt = requirements(graph, L + "senior-data-engineer")
    gaps = {s: r - need.get(s, 0) for s, r in nxt.items() if r > need.get(s, 0)}
    assert a.readiness is not None and a.readiness.next == "Senior data engineer"
    assert {s.skill: s.to_go for s in a.readiness.gaps} == gaps
    assert a.readiness.ready is False and a.readiness.fit < 1
    assert a.targets[0] == "Senior data engineer"
    # following the plan's steps closes every gap to the next level that the plan names
    have = dict(need)
    for step in a.plan:
        have[step.skill] = ["not yet", "awareness", "working", "practitioner", "expert"].index(step.to_level)
    if any("Senior data engineer" in s.completes for s in a.plan):
        assert all(have.get(s, 0) >= r for s, r in nxt.items())
    # the plan's first step unlocks at least as much as any later one
    first = a.plan[0]
    assert all((len(first.completes), len(first.closes)) >= (len(s.completes), 0) for s in a.plan[1:2])


def test_assess_cli_formats(cli, graph, tmp_path):
    f = tmp_path / "me.csv"
    f.write_bytes(csv_of(requirements(graph, L + "data-engineer"), "# role level: Data engineer\n# grade: HEO\n"))
    r = cli("assess", str(f), "--format", "json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["fits"][0]["level"] == "Data engineer" and data["fits"][0]["fit"] == 1.0
    assert data["readiness"]["next"] == "Senior data engineer"
    for fmt, marker in (("text", "Fit rule:"), ("md", "## Development plan"), ("html", "<h2 id=\"plan-heading\">")):
        r = cli("assess", str(f), "--format", fmt)
        assert r.exit_code == 0 and marker in r.stdout


def test_evidence_pack_escapes_the_persons_text(graph, tmp_path):
    from rolegraph.people import render

    note = "<script>x()</script> [a](javascript:b)"
    p = profile_from_levels(graph, {"Data modelling": 3}, evidence={"Data modelling": note})
    a = assess(graph, p).to_dict()
    html = render.assessment(a, "html")
    assert "<script>x()" not in html and "&lt;script&gt;x()" in html
    md = render.assessment(a, "md")
    assert "[a](javascript" not in md and "\\[a\\]" in md


def test_reading_a_profile_leaves_the_framework_graph_as_it_was(graph):
    before = len(graph)
    p = profile_from_levels(graph, {"Data modelling": 3}, evidence={"Data modelling": "MARKER-not-in-graph"})
    assess(graph, p)
    assert len(graph) == before
    assert not graph.ask('ASK { ?s ?p ?o FILTER (CONTAINS(STR(?o), "MARKER-not-in-graph")) }')


# ----------------------------------------------------------------------------- the Python API


def test_rolegraph_assess_takes_a_profile_a_path_or_levels(graph, tmp_path):
    need = requirements(graph, L + "lead-developer")
    f = tmp_path / "me.csv"
    f.write_bytes(csv_of(need))
    for given in (profile_from_levels(graph, need), f, str(f), need):
        a = graph.assess(given)
        assert a.fits[0].iri == L + "lead-developer" and a.to_dict()["fits"][0]["fit"] == 1.0


# ----------------------------------------------------------------------------- teams


def write_team(graph, d: Path, people: dict[str, tuple[str, dict[str, int]]]) -> tuple[Path, Path]:
    (d / "profiles").mkdir(parents=True, exist_ok=True)
    roster = d / "roster.csv"
    roster.write_text("person,role level,grade\n" + "".join(f"{p},{lvl},\n" for p, (lvl, _) in people.items()))
    for p, (_, levels) in people.items():
        (d / "profiles" / f"{p}.csv").write_bytes(csv_of(levels))
    return roster, d / "profiles"


def test_team_coverage_single_points_of_failure_succession_and_hiring(graph, tmp_path):
    de, sde = requirements(graph, L + "data-engineer"), requirements(graph, L + "senior-data-engineer")
    people = {"a1": ("Data engineer", sde), "a2": ("Data engineer", de), "a3": ("Senior data engineer", de)}
    roster, profiles = write_team(graph, tmp_path, people)
    target = tmp_path / "target.csv"
    target.write_text("role level,count\nSenior data engineer,3\n")
    t = graph.team(roster, profiles, target)
    needed = {s: max(de.get(s, 0), sde.get(s, 0)) for s in set(de) | set(sde)}
    cov = {c.skill: c for c in t.coverage}
    assert set(cov) == set(needed)
    for s, r in needed.items():
        holders = [p for p, (_, lv) in people.items() if lv.get(s, 0) >= r]
        assert cov[s].holders == len(holders) and sorted(cov[s].holder_ids) == sorted(holders)
        assert sum(cov[s].by_level) == 3
    assert {x["skill"] for x in t.single_points_of_failure} == {s for s in needed if cov[s].holders == 1}
    succ = {s.person: s for s in t.succession}
    assert succ["a1"].ready and succ["a1"].next == "Senior data engineer" and not succ["a2"].ready
    [gap] = t.hiring
    assert (gap.wanted, gap.have, gap.ready_elsewhere, gap.hire) == (3, 1, 1, 1)


def test_team_aggregate_hides_small_counts_and_names_nobody(graph, tmp_path):
    de = requirements(graph, L + "data-engineer")
    people = {f"p{i}": ("Data engineer", de if i < 6 else {k: 1 for k in de}) for i in range(8)}
    roster, profiles = write_team(graph, tmp_path, people)
    agg = graph.team(roster, profiles, min_count=5).aggregate()
    text = json.dumps(agg)
    assert not any(f'"p{i}"' in text for i in range(8))
    counts = [n for c in agg["coverage"] for n in c["by_level"]]
    assert "<5" in counts and all(n == "<5" or n == 0 or n >= 5 for n in counts)


def test_team_cli_formats_and_heatmap(cli, graph, tmp_path):
    de = requirements(graph, L + "data-engineer")
    roster, profiles = write_team(graph, tmp_path, {"x1": ("Data engineer", de),
                                                    "x2": ("Data engineer", {k: 1 for k in de})})
    for fmt, marker in (("text", "Single points of failure"), ("csv", "skill,needed,not yet"),
                        ("html", "<caption>Members by held level"), ("svg", "<svg")):
        r = cli("team", str(roster), "--profiles", str(profiles), "--format", fmt)
        assert r.exit_code == 0, r.stderr
        assert marker in r.stdout
    r = cli("team", str(roster), "--profiles", str(profiles), "--format", "html", "--aggregate")
    assert "x1" not in r.stdout and "<rect" in r.stdout


TEAM_BAD = [
    ("person,role level\nq1,Data enginer\n", {}, ['line 2', 'unknown role level "Data enginer"']),
    ("person,role level\nq1,Data engineer\n", {}, ['line 2', 'person "q1" has no profile']),
    ("person,role level\nq1,Data engineer\nq1,Data engineer\n", {"q1": b"Data modelling,3\n"},
     ["line 3", 'person "q1" is listed twice']),
    ("person,role level\n../q1,Data engineer\n", {}, ["line 2", "not a pseudonymous id"]),
    ("person,skill,level\nq1,Data modelling,3\nq1,Data modelling,1\n", None, ["line 3", "rated twice"]),
]


@pytest.mark.parametrize("roster,profiles,parts", TEAM_BAD)
def test_bad_rosters_exit_2_with_one_error_naming_file_and_line(cli, tmp_path, roster, profiles, parts):
    f = tmp_path / "roster.csv"
    f.write_text(roster)
    args = ["team", str(f), "-o", str(tmp_path / "out.html"), "--format", "html"]
    if profiles is not None:
        (tmp_path / "p").mkdir()
        for name, data in profiles.items():
            (tmp_path / "p" / f"{name}.csv").write_bytes(data)
        args += ["--profiles", str(tmp_path / "p")]
    r = cli(*args)
    assert r.exit_code == 2
    [line] = [x for x in r.stderr.splitlines() if x.startswith("Error: ")]
    assert str(f) in line and all(p in line for p in parts)
    assert not (tmp_path / "out.html").exists()


# ----------------------------------------------------------------------------- the explorer's /assess


def post(base: str, fields: dict | None = None, body: bytes | None = None,
         ctype: str = "application/x-www-form-urlencoded") -> tuple[int, dict, str]:
    import urllib.error
    import urllib.parse
    import urllib.request

    data = body if body is not None else urllib.parse.urlencode(fields or {}).encode()
    req = urllib.request.Request(base + "/assess", data=data, headers={"Content-Type": ctype}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read().decode("utf-8")


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = "rolegraph-test-boundary"
    out = b""
    for k, v in fields.items():
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
    for k, (name, data) in files.items():
        out += (f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{name}"\r\n'
                "Content-Type: text/csv\r\n\r\n").encode() + data + b"\r\n"
    return out + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_assess_page_steps_without_javascript(explorer_url, graph):
    import urllib.request

    with urllib.request.urlopen(explorer_url + "/assess") as r:
        page = r.read().decode()
    assert 'method="post"' in page and "<script" not in page
    need = requirements(graph, L + "data-engineer")
    status, _, page = post(explorer_url, {"level": "Data engineer", "step": "pick"})
    assert status == 200 and page.count('type="radio"') == 5 * len(need)
    for meaning in ("not yet", "awareness", "expert"):
        assert f"{meaning} <span class=\"meaning\">" in page
    n = {e.label: e.slug for e in graph.entities("skill")}
    fields = {"level": "Data engineer", "grade": "HEO", "step": "assess",
              **{f"r.{n[s]}": str(r) for s, r in need.items()}}
    status, headers, page = post(explorer_url, fields)
    assert status == 200 and "Your assessment" in page and headers["cache-control"] == "no-store"
    first = re.search(r'<th scope="row"><a href="/role/([^"]+)">', page.split('id="fit-heading"')[1])
    assert first and first.group(1) == "data-engineer"
    status, headers, text = post(explorer_url, dict(fields, download="json"))
    assert status == 200 and "attachment" in headers["content-disposition"]
    assert {r["skill"] for r in json.loads(text)["ratings"]} == set(need)


def test_assess_page_upload_errors_and_limits(explorer_url):
    body, ctype = multipart({"step": "assess"}, {"upload": ("me.csv", "# role level: Data engineer\n"
                                                            "Data modelling,3,évidence\n".encode())})
    status, _, page = post(explorer_url, body=body, ctype=ctype)
    assert status == 200 and "Your assessment" in page and "évidence" in page
    status, _, page = post(explorer_url, {"text": "Data modeling,3", "step": "assess"})
    assert status == 400 and "There is a problem" in page and "did you mean" in page
    status, _, _ = post(explorer_url, body=b"x" * (3 << 20))
    assert status == 413
    status, _, _ = post(explorer_url, body=b"{}", ctype="application/json")
    assert status == 415



# ----------------------------------------------------------------------------- personal data stays personal


def test_a_planted_marker_reaches_no_log_cache_store_or_temp_file(tmp_path):
    """Profiles through the CLI (assess, team) and the served explorer (/assess: form, typed lines, upload, a
    bad name), all on a store folder: the marker is in no byte of the server's output, the store folder, the
    cache folder or the temporary folder afterwards."""
    import os
    import threading
    import time
    import urllib.request

    marker = "ZQX-PERSONAL-7731"
    store, cache, tmp = tmp_path / "store", tmp_path / "cache", tmp_path / "tmp"
    cache.mkdir()
    tmp.mkdir()
    env = dict(os.environ, ROLEGRAPH_CACHE_DIR=str(cache), TMPDIR=str(tmp), XDG_CACHE_HOME=str(cache))
    rg = [sys.executable, "-m", "rolegraph"]
    subprocess.run(rg + ["--store", str(store), "load", "--no-validate"], env=env, check=True, capture_output=True)
    inputs = tmp_path / "in"
    (inputs / "profiles").mkdir(parents=True)
    profile = f"# role level: Data engineer\nData modelling,3,{marker} evidence\n".encode()
    (inputs / "me.csv").write_bytes(profile)
    (inputs / "profiles" / "p1.csv").write_bytes(profile)
    (inputs / "roster.csv").write_text("person,role level\np1,Data engineer\n")
    (inputs / "bad.csv").write_bytes(f"Data modelling,3\n{marker} skill,2\n".encode())
    for args in (["assess", str(inputs / "me.csv"), "--format", "html"],
                 ["team", str(inputs / "roster.csv"), "--profiles", str(inputs / "profiles"), "--format", "html"],
                 ["assess", str(inputs / "bad.csv")]):
        subprocess.run(rg + ["--store", str(store), *args], env=env, capture_output=True)
    server = subprocess.Popen(rg + ["--store", str(store), "serve", "--port", "0"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    logs: list[bytes] = []
    try:
        assert server.stderr is not None and server.stdout is not None
        first = server.stderr.readline()
        logs.append(first)
        m = re.search(rb"http://127\.0\.0\.1:(\d+)", first)
        assert m, first
        base = f"http://127.0.0.1:{m.group(1).decode()}"
        readers = [threading.Thread(target=lambda s=s: logs.extend(s), daemon=True)
                   for s in (server.stdout, server.stderr)]
        for t in readers:
            t.start()
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(base + "/assess", timeout=5).read()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.3)
        assert post(base, {"level": "Data engineer", "step": "assess", "r.data-modelling": "3",
                           "e.data-modelling": marker, "text": f"Data innovation,2,{marker}"})[0] == 200
        assert post(base, {"text": f"{marker},3", "step": "assess"})[0] == 400
        body, ctype = multipart({"step": "assess"}, {"upload": (f"{marker}.csv", profile)})
        assert post(base, body=body, ctype=ctype)[0] == 200
        assert post(base, {"r.data-modelling": "3", "e.data-modelling": marker, "download": "ttl"})[0] == 200
    finally:
        server.terminate()
        server.wait(30)
        time.sleep(0.5)
    log = b"".join(logs)
    assert b"/assess" in log   # the access log was read (and names the address, never a rating)
    assert marker.encode() not in log
    for folder in (store, cache, tmp):
        for f in folder.rglob("*"):
            if f.is_file():
                assert marker.encode() not in f.read_bytes(), f"the marker is in {f}"


def test_the_inverted_index_scores_every_position_as_the_full_rule_does(graph):
    """assess scores only positions that need a skill held (requirement_index); every other position's fit is 0,
    and each scored one equals the rule computed from the position's requirements directly."""
    from rolegraph.people.assess import _scores

    m = career_model(graph)
    p = profile_from_levels(graph, {**requirements(graph, L + "data-engineer"), "Accessibility": 2})
    held = p.held()
    scores = _scores(graph, held)
    for pos in m.positions:
        need = {s: int(d["weight"] or 4) for s, d in m.B.adj[pos].items()}
        got = sum(min(held.get(s, 0), r) for s, r in need.items())
        assert round(scores.get(pos, (0.0,))[0], 9) == round(got / sum(need.values()), 9)


def test_one_long_csv_gives_the_same_team_as_a_roster_with_profiles(graph, tmp_path):
    de, sde = requirements(graph, L + "data-engineer"), requirements(graph, L + "senior-data-engineer")
    people = {"a1": ("Data engineer", sde), "a2": ("Senior data engineer", de)}
    roster, profiles = write_team(graph, tmp_path, people)
    long = tmp_path / "long.csv"
    long.write_text("person,skill,level,role level\n" + "".join(
        f'{p},"{s}",{r},{lvl}\n' for p, (lvl, levels) in people.items() for s, r in levels.items()))
    a, b = graph.team(roster, profiles).to_dict(), graph.team(long).to_dict()
    assert a == b and a["size"] == 2


def test_size_limits_of_profiles_and_rosters(graph, tmp_path, monkeypatch):
    from rolegraph.people import profiles, team

    big = b"Data modelling,3\n" + b"#" * profiles.MAX_BYTES
    with pytest.raises(InputError, match="big.csv: the file is larger than"):
        parse_profile(graph, big, "big.csv")
    roster = tmp_path / "long.csv"   # a long CSV may be far larger than one profile
    roster.write_bytes(b"person,skill,level,evidence\n" + b"".join(b"p%d,Data modelling,3,%s\n" % (i, b"e" * 150)
                                                                    for i in range(15_000)))
    assert roster.stat().st_size > profiles.MAX_BYTES
    assert graph.team(roster).size == 15_000
    monkeypatch.setattr(team, "MAX_ROSTER_BYTES", 1000)
    with pytest.raises(InputError, match="larger than 1,000 bytes"):
        graph.team(roster)
