"""Hostile input through the real CLI (``python -m rolegraph`` as a subprocess): issue 21, item 8.

* Spreadsheet formulas in the data never reach a CSV file people open in a spreadsheet as formulas.
* A file that is not UTF-8 is named with the offending byte's value, byte offset, line and column.
* Valid JSON of the wrong shape (a SPARQL endpoint's answer, a query's quoted default) is one ``Error:``
  line, exit 2, never an internal error (exit 70).
* A UTF-8 byte order mark is read the same way by every reader: ``validate``, ``roles``, ``load``.
"""
from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

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
