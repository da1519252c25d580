"""Bad input, faults and signals, run through the real CLI (``python -m rolegraph``) as subprocesses.

Every case must end with the documented exit status (2 unusable input, 1 violations, 130 Ctrl-C,
143 SIGTERM), at most one ``Error: ...`` line on standard error (plus click's usage lines), no
traceback, no raw control, bidirectional or invisible characters, no overlong line, and nothing
half-written left behind (``*.part``, ``*.tmp``, folders created by a failed command).

The cases are a table (:data:`CASES`). The whole table runs once, a few cases at a time, in a
module fixture; each case is then its own test. Run the file as a script to measure how many cases
end badly with the rolegraph on ``sys.path`` (or another source tree)::

    python tests/test_bad_input.py                  # this checkout
    python tests/test_bad_input.py --src OTHER/src  # e.g. an older commit, for a before/after figure
"""
from __future__ import annotations

import ctypes
import gzip
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
MINI = FIXTURES / "mini" / "framework.ttl"
CSV = FIXTURES / "csv"
MAX_LINE = 1000          # no message line may be longer than this
MEMORY = 3 << 30         # address-space cap for every case, so a runaway parser cannot hurt the machine
SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"

# ----------------------------------------------------------------------------- the inputs


def make_inputs(d: Path) -> None:
    """Write every input file the cases use into *d*."""
    d.mkdir(parents=True, exist_ok=True)
    mini = MINI.read_bytes()
    (d / "empty.ttl").write_bytes(b"")
    (d / "prefixes-only.ttl").write_bytes(b"@prefix ex: <http://example.org/> .\n# nothing else\n")
    (d / "bom.ttl").write_bytes(b"\xef\xbb\xbf" + mini)
    (d / "gzip.ttl").write_bytes(gzip.compress(mini))
    (d / "binary.ttl").write_bytes(bytes(range(256)) * 4)
    (d / "cut.ttl").write_bytes(mini[: mini.index(b"role:tester a rg:Role") + 30])
    shapes = (ROOT / "ontology" / "shapes.ttl").read_bytes()
    (d / "cut-shapes.ttl").write_bytes(shapes[: len(shapes) // 2])
    (d / "bomb.rdf").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE r [\n'
        '<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">\n'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(8))
        + '<!ENTITY z "&i;&i;&i;&i;&i;&i;&i;&i;&i;&i;">\n]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
        '<rdf:Description rdf:about="http://example.org/x"><ex:p>&z;</ex:p></rdf:Description>\n</rdf:RDF>\n')
    (d / "bom.rq").write_bytes(b"\xef\xbb\xbfSELECT (COUNT(*) AS ?n) WHERE { ?r a rg:Role }\n")
    (d / "nested.rq").write_text("SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }\n")
    (d / "alternatives.rq").write_text(
        "SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(f"?o = {i}" for i in range(10000)) + ") } LIMIT 1\n")
    (d / "unions.rq").write_text("SELECT * WHERE { " + " UNION ".join("{ ?s ?p ?o }" for _ in range(10000)) + " }\n")
    (d / "huge.rq").write_text("SELECT * WHERE { ?s ?p ?o FILTER(?o != \"" + "x" * 2_000_000 + "\") } LIMIT 1\n")
    (d / "slow.rq").write_text(SLOW_QUERY + "\n")
    # two role levels with the same name, in one --data set
    (d / "dupes").mkdir(exist_ok=True)
    shutil.copy(MINI, d / "dupes" / "framework.ttl")
    (d / "dupes" / "twin.ttl").write_text(
        "@prefix rg: <https://w3id.org/rolegraph/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix role: <https://w3id.org/rolegraph/ddat/role/> .\n"
        "@prefix level: <https://w3id.org/rolegraph/ddat/level/> .\n"
        "level:senior-tester-2 a rg:RoleLevel ; skos:prefLabel \"Senior tester\"@en ; rg:ofRole role:tester ;\n"
        "    rg:order 3 .\n")
    # a --data folder with a subfolder (and a file) nobody may read
    for name in ("locked-folder", "locked-file"):
        (d / name / "sub").mkdir(parents=True, exist_ok=True)
        shutil.copy(MINI, d / name / "framework.ttl")
        shutil.copy(MINI, d / name / "sub" / "more.ttl")
    os.chmod(d / "locked-folder" / "sub", 0)
    os.chmod(d / "locked-file" / "sub" / "more.ttl", 0)
    for p in (d, d / "locked-folder", d / "locked-file"):
        os.chmod(p, 0o755)
    # CSVs: no header with a 2,000-character row; a 100,000-character cell; a role called ***
    roles = (CSV / "roles.csv").read_text(encoding="utf-8-sig")
    header, _, rest = roles.partition("\n")
    (d / "no-header.csv").write_text(("x" * 2000 + ",") * 3 + "\n" + rest, encoding="utf-8")
    first = rest.split("\n", 1)[0]
    (d / "huge-cell.csv").write_text(header + "\n" + first.replace("Chief gadget officer", "R" * 100_000, 1)
                                     + "\n", encoding="utf-8")
    (d / "stars.csv").write_text(roles.replace("Widget engineer", "***"), encoding="utf-8")
    # profiles and rosters (issue 24): UTF-16, a hostile unknown skill name, a person without a profile
    (d / "profile-utf16.csv").write_bytes("skill,level\nData modelling,3\n".encode("utf-16"))
    (d / "profile-hostile.csv").write_bytes(b"skill,level\n\x1b[2JError: forged\xe2\x80\xae,3\n")
    (d / "profiles").mkdir(exist_ok=True)
    (d / "roster.csv").write_text("person,role level\nq1,Data engineer\n", encoding="utf-8")
    # a large graph, so that exports take a while
    with open(d / "big.nt", "w", encoding="utf-8") as fh:
        for i in range(150_000):
            fh.write(f"<http://example.org/n{i}> <http://example.org/p{i % 50}> \"value number {i}\" .\n")


# ----------------------------------------------------------------------------- the cases


@dataclass
class Case:
    """One bad input or fault: a command line, what it must end with, and anything else to check.

    In *args*, ``{in}`` is the inputs folder and ``{dir}`` the case's own working folder (its cwd).
    """

    id: str
    kind: str                           # crash, traceback, echo, leftover, silent, stop, modes
    args: list
    code: int | tuple = 2
    error: str | None = None            # a regex the Error: line must match
    stdin: bytes | None = None
    stdout: str | None = None           # "full": /dev/full; else captured
    fsize: int | None = None            # RLIMIT_FSIZE in bytes
    unprivileged: bool = False          # run without root's power to read anything
    send: tuple | None = None           # (signal, glob that must appear in {dir} first, or seconds to wait)
    timeout: float = 30.0
    setup: Callable[[Path], None] | None = None
    check: Callable[[Path, "Outcome"], str | None] | None = None


@dataclass
class Outcome:
    code: int | None
    stdout: bytes
    stderr: str
    seconds: float
    signal_after: float | None = None   # seconds from the signal to the end
    skipped: str | None = None
    notes: list = field(default_factory=list)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _expect_mode(rel: str, mode: int):
    def check(d: Path, out: Outcome):
        p = d / rel
        if not p.exists():
            return f"{rel} was not written"
        return None if _mode(p) == mode else f"{rel} has mode {_mode(p):04o}, want {mode:04o}"
    return check


def _absent(rel: str):
    def check(d: Path, out: Outcome):
        return f"{rel} exists after a failure" if (d / rel).exists() else None
    return check


def _all(*checks):
    def check(d: Path, out: Outcome):
        for c in checks:
            problem = c(d, out)
            if problem:
                return problem
        return None
    return check


def _fifo_setup(d: Path) -> None:
    os.mkfifo(d / "pipe")
    got = d / "pipe-read.txt"

    def reader():
        with open(d / "pipe", "rb") as fh, open(got, "wb") as out:
            shutil.copyfileobj(fh, out)

    threading.Thread(target=reader, daemon=True).start()


def _fifo_check(d: Path, out: Outcome):
    if not stat.S_ISFIFO((d / "pipe").lstat().st_mode):
        return "the named pipe was replaced by a regular file"
    for _ in range(50):
        if (d / "pipe-read.txt").exists() and (d / "pipe-read.txt").stat().st_size:
            return None
        time.sleep(0.1)
    return "nothing came out of the named pipe"


def _device_setup(d: Path) -> None:
    os.mknod(d / "null-device", 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # like /dev/null


def _device_check(d: Path, out: Outcome):
    return None if stat.S_ISCHR((d / "null-device").lstat().st_mode) else "the device was replaced by a regular file"


def _existing(mode: int):
    def setup(d: Path) -> None:
        (d / "old.ttl").write_text("old\n")
        os.chmod(d / "old.ttl", mode)
    return setup


def _stdout_has(text: bytes):
    def check(d: Path, out: Outcome):
        return None if text in out.stdout else f"standard output lacks {text!r}"
    return check


def _import_modes(d: Path, out: Outcome):
    rel = d / "release"
    if not rel.is_dir():
        return "the release folder was not written"
    bad = [f"{p.relative_to(d)} {_mode(p):04o}" for p in [rel, *rel.rglob("*")]
           if _mode(p) != (0o755 if p.is_dir() else 0o644)]
    return f"modes not from the umask: {', '.join(bad)}" if bad else None


BIG = "x" * 100_000
NAME_CASES = [
    ("newline", "Nobody\nError: all is well"),
    ("crlf", "Nobody\r\nError: all is well"),
    ("escape", "\x1b[2J\x1b[31mred alert\x1b[0m"),
    ("bell", "ring\x07ring"),
    ("rtl-override", "role\u202egnp.exe"),
    ("invisible", "Nobody\u200b\u2060\ufeff\u00ad"),
    ("long", BIG),
]
ROLES, SKILLS = str(CSV / "roles.csv"), str(CSV / "skills.csv")

CASES: list[Case] = [
    # crashes with no message
    Case("query-nested-5000", "crash", ["query", "{in}/nested.rq"], error="nest"),
    Case("query-filter-10000-alternatives", "crash", ["query", "{in}/alternatives.rq"], error="operator|long|large"),
    Case("query-union-10000", "crash", ["query", "{in}/unions.rq"], error="operator|long|large"),
    Case("query-2mb", "crash", ["query", "{in}/huge.rq"], error="large|long"),
    Case("query-nested-stdin", "crash", ["query", "-"], stdin=b"ASK {" + b"{" * 3000 + b"}" * 3000 + b"}",
         error="nest"),
    Case("rdfxml-entity-expansion", "crash", ["validate", "{in}/bomb.rdf"], error="entit"),
    # tracebacks instead of an error line
    Case("stdout-dev-full", "traceback", ["roles"], stdout="full", error="standard output|No space"),
    Case("export-stdout-dev-full", "traceback", ["export", "--format", "nt"], stdout="full"),
    Case("export-file-size-limit", "traceback", ["export", "--format", "nt", "-o", "{dir}/out.nt"],
         fsize=20_000, check=_absent("out.nt")),
    Case("import-file-size-limit", "traceback", ["import", ROLES, SKILLS, "-o", "{dir}/release"],
         fsize=2_000, check=_absent("release")),
    Case("query-stdin-not-utf8", "traceback", ["query", "-"], stdin=b'SELECT * WHERE { ?s ?p "caf\xe9" }',
         error="UTF-8"),
    Case("shapes-cut-off", "traceback", ["validate", "--shapes", "{in}/cut-shapes.ttl"], error="cut-shapes.ttl:\\d+"),
    Case("data-cut-off", "traceback", ["validate", "{in}/cut.ttl"], error=r"cut\.ttl:\d+:\d+"),
    # echoing hostile input
    *[Case(f"name-{n}", "echo", ["role", v], error="unknown role") for n, v in NAME_CASES],
    Case("name-not-utf8-argv", "echo", ["role", b"caf\xe9 \xff"], error="unknown role"),
    Case("param-100000-chars", "echo", ["query", "level-skills", "-p", "level=" + BIG], error="unknown"),
    Case("format-hostile", "echo", ["roles", "--format", "x\n\x1b[31mError: ok"]),
    Case("data-path-newline", "echo", ["--data", "no\nsuch\x1b.ttl", "roles"], error="no such"),
    Case("csv-cell-100000-chars", "echo", ["import", "{in}/huge-cell.csv", SKILLS, "-o", "{dir}/r"],
         check=_absent("r")),
    Case("csv-no-header", "echo", ["import", "{in}/no-header.csv", SKILLS, "-o", "{dir}/r"], check=_absent("r")),
    # things left behind or half-done
    Case("import-sigterm", "leftover", ["import", ROLES, SKILLS, "-o", "{dir}/release"], code=143,
         send=(signal.SIGTERM, ".release.*.tmp"), check=_absent("release")),
    Case("import-sigint", "leftover", ["import", ROLES, SKILLS, "-o", "{dir}/release"], code=130,
         send=(signal.SIGINT, ".release.*.tmp"), check=_absent("release")),
    Case("export-sigint", "leftover", ["--data", "{in}/big.nt", "export", "--format", "nt", "-o", "{dir}/big.nt"],
         code=130, send=(signal.SIGINT, ".big.nt.*"), check=_absent("big.nt")),
    Case("export-sigterm", "leftover", ["--data", "{in}/big.nt", "export", "--format", "nt", "-o", "{dir}/big.nt"],
         code=143, send=(signal.SIGTERM, ".big.nt.*"), check=_absent("big.nt")),
    Case("import-missing-folders", "leftover", ["import", "{in}/no-header.csv", SKILLS, "-o", "{dir}/a/b/c"],
         check=_absent("a")),
    Case("import-role-named-stars", "leftover", ["import", "{in}/stars.csv", SKILLS, "-o", "{dir}/r"],
         error=r"\*\*\*", check=_absent("r")),
    Case("export-missing-folder", "leftover", ["export", "--format", "nt", "-o", "{dir}/no/r.nt"],
         check=_absent("no")),
    # silent wrong answers
    Case("data-unreadable-subfolder", "silent", ["--data", "{in}/locked-folder", "roles"], unprivileged=True,
         error="sub"),
    Case("data-unreadable-file", "silent", ["--data", "{in}/locked-file", "roles"], unprivileged=True,
         error="more.ttl"),
    Case("validate-empty-file", "silent", ["validate", "{in}/empty.ttl"], error="empty.ttl"),
    Case("validate-prefixes-only", "silent", ["validate", "{in}/prefixes-only.ttl"], error="prefixes-only.ttl"),
    Case("career-ambiguous-name", "silent", ["--data", "{in}/dupes", "gap", "Tester", "Senior tester"],
         error="senior-tester-2"),
    Case("turtle-bom", "silent", ["--data", "{in}/bom.ttl", "roles"], code=0, check=_stdout_has(b"Tester")),
    Case("rq-bom", "silent", ["query", "{in}/bom.rq", "--format", "csv"], code=0, check=_stdout_has(b"53")),
    Case("stdin-query-bom", "silent", ["query", "-", "--format", "csv"], code=0,
         stdin=b"\xef\xbb\xbfSELECT (COUNT(*) AS ?n) WHERE { ?r a rg:Role }", check=_stdout_has(b"53")),
    Case("gzip-named-ttl", "silent", ["validate", "{in}/gzip.ttl"], error="gzip"),
    Case("binary-named-ttl", "silent", ["--data", "{in}/binary.ttl", "roles"], error="binary.ttl"),
    # no way to stop
    Case("query-timeout", "stop", ["query", "{in}/slow.rq", "--timeout", "1"], error="took longer|time limit",
         timeout=20),
    Case("query-ctrl-c", "stop", ["query", "{in}/slow.rq"], code=130, send=(signal.SIGINT, 1.5), timeout=20),
    Case("query-sigterm", "stop", ["query", "{in}/slow.rq"], code=143, send=(signal.SIGTERM, 1.5), timeout=20),
    Case("path-alternatives-100000", "stop", ["path", "Data engineer", "Chief data officer", "--alternatives",
                                               "100000"], timeout=20),
    # modes and special files
    Case("export-new-file-mode", "modes", ["export", "--format", "nt", "-o", "{dir}/new.nt"], code=0,
         check=_expect_mode("new.nt", 0o644)),
    Case("export-existing-file-mode", "modes", ["export", "--format", "nt", "-o", "{dir}/old.ttl"], code=0,
         setup=_existing(0o640), check=_expect_mode("old.ttl", 0o640)),
    Case("import-modes", "modes", ["import", ROLES, SKILLS, "-o", "{dir}/release"], code=0, check=_import_modes),
    Case("export-named-pipe", "modes", ["export", "--format", "nt", "-o", "{dir}/pipe"], code=0,
         setup=_fifo_setup, check=_fifo_check),
    Case("export-device", "modes", ["export", "--format", "nt", "-o", "{dir}/null-device"], code=0,
         setup=_device_setup, check=_device_check),
    Case("report-dash", "modes", ["report", "Data engineer", "--format", "md", "-o", "-"], code=0,
         check=_all(_absent("-"), _stdout_has(b"Data engineer"))),
    # people (issue 24): one Error line naming file and line, nothing written
    Case("assess-profile-utf16", "silent", ["assess", "{in}/profile-utf16.csv", "--format", "html",
                                            "-o", "{dir}/a.html"], error=r"profile-utf16\.csv, line 1: .*UTF-16",
         check=_absent("a.html")),
    Case("assess-hostile-skill-name", "echo", ["assess", "{in}/profile-hostile.csv"],
         error=r"line 2: unknown skill"),
    Case("assess-endless-file", "crash", ["assess", "/dev/zero"], error=r"/dev/zero: the file is larger than"),
    Case("team-person-without-profile", "leftover",
         ["team", "{in}/roster.csv", "--profiles", "{in}/profiles", "-o", "{dir}/t.html"],
         error=r"line 2: person \"q1\" has no profile", check=_absent("t.html")),
]

# ----------------------------------------------------------------------------- running and judging

_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH, _PR_CAPBSET_DROP = 1, 2, 24


def _drop_read_anything() -> None:
    """As root, give up the power to read what permission bits forbid (in the child, before exec)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def unprivileged_reason(inputs: Path) -> str | None:
    """Why permission bits cannot be made to stop reads here (None when they can)."""
    probe = inputs / "locked-folder" / "sub"
    pre = _drop_read_anything if os.geteuid() == 0 else None
    try:
        r = subprocess.run(["ls", str(probe)], preexec_fn=pre, capture_output=True)
    except OSError as exc:
        return f"cannot drop root's read-anything capabilities ({exc})"
    return None if r.returncode != 0 else "this process can read a folder with mode 000 (no way to make reads fail)"


def run_case(case: Case, inputs: Path, work: Path, src: Path | None = None) -> Outcome:
    d = work / case.id
    d.mkdir(parents=True)
    os.chmod(d, 0o777)
    if case.stdout == "full" and not os.path.exists("/dev/full"):
        return Outcome(None, b"", "", 0.0, skipped="this system has no /dev/full")
    if case.setup:
        try:
            case.setup(d)
        except PermissionError as exc:   # e.g. mknod when not root
            return Outcome(None, b"", "", 0.0, skipped=f"cannot set the case up here ({exc})")
    args = [a if isinstance(a, bytes) else a.replace("{in}", str(inputs)).replace("{dir}", str(d))
            for a in case.args]
    env = dict(os.environ, PYTHONPATH=str(src) if src else os.environ.get("PYTHONPATH", ""), COLUMNS="100",
               LC_ALL="C.UTF-8")
    env.pop("ROLEGRAPH_DEBUG", None)

    def preexec():
        os.umask(0o022)
        # Ctrl-C's default action, as a terminal gives it: a pytest started in the background (&, nohup, some CI
        # runners) hands on SIGINT ignored, and the Ctrl-C cases would then test nothing
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
        if case.fsize:
            resource.setrlimit(resource.RLIMIT_FSIZE, (case.fsize, case.fsize))
        if case.unprivileged and os.geteuid() == 0:
            _drop_read_anything()

    stdout = open("/dev/full", "wb") if case.stdout == "full" else subprocess.PIPE
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "rolegraph", *args], cwd=d, env=env, preexec_fn=preexec,
                            stdin=subprocess.PIPE if case.stdin is not None else subprocess.DEVNULL,
                            stdout=stdout, stderr=subprocess.PIPE, start_new_session=True)
    sent_at = None
    if case.send:
        sig, when = case.send
        if isinstance(when, str):   # as soon as a temporary file or folder shows up (or the process ends)
            while proc.poll() is None and not list(d.glob(when)) and time.monotonic() - start < case.timeout:
                time.sleep(0.002)
        else:
            time.sleep(when)
        if proc.poll() is None:   # Ctrl-C goes to the whole process group, as a terminal sends it
            os.killpg(proc.pid, sig) if sig == signal.SIGINT else proc.send_signal(sig)
            sent_at = time.monotonic()
    try:
        out, err = proc.communicate(case.stdin, timeout=case.timeout)
        code = proc.returncode
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        code = None
    finally:
        if stdout is not subprocess.PIPE:
            stdout.close()
    end = time.monotonic()
    return Outcome(code, out or b"", err.decode("utf-8", "backslashreplace"), end - start,
                   None if sent_at is None else end - sent_at)


_RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_LEFTOVER = re.compile(r"(\.part|\.tmp|\.old-\d+)$")


def judge(case: Case, out: Outcome, d: Path) -> list[str]:
    """Everything wrong with how *case* ended ([] when it ended well)."""
    problems = []
    if out.code is None:
        problems.append(f"still running after {case.timeout:.0f} s (killed)")
    elif out.code < 0 or out.code in (134, 137, 139):
        problems.append(f"crashed (exit {out.code})")
    expected = case.code if isinstance(case.code, tuple) else (case.code,)
    if out.code is not None and out.code not in expected:
        problems.append(f"exit {out.code}, want {' or '.join(map(str, expected))}")
    if "Traceback (most recent call last)" in out.stderr or "Exception ignored" in out.stderr:
        problems.append("printed a traceback")
    lines = out.stderr.splitlines()
    errors = [ln for ln in lines if ln.startswith("Error: ")]
    other = [ln for ln in lines if ln.strip() and not ln.startswith(("Error: ", "Usage: ", "Try ", "Warning: ",
                                                                      "Wrote "))]
    if out.code not in (0, None) and len(errors) != 1:
        problems.append(f"{len(errors)} Error: lines, want 1")
    if other and "printed a traceback" not in problems:
        problems.append(f"other lines on standard error: {other[0][:80]!r}")
    if case.error and errors and not re.search(case.error, errors[0], re.I):
        problems.append(f"the error does not say {case.error!r}: {errors[0][:160]!r}")
    if _RAW.search(out.stderr):
        problems.append(f"raw control or invisible character {_RAW.search(out.stderr).group()!r} on standard error")
    if any(len(ln) > MAX_LINE for ln in lines):
        problems.append(f"a {max(len(ln) for ln in lines):,}-character line on standard error")
    if out.signal_after is not None and out.signal_after > 5:
        problems.append(f"took {out.signal_after:.1f} s to stop after the signal")
    left = [str(p.relative_to(d)) for p in d.rglob("*") if _LEFTOVER.search(p.name)]
    if left:
        problems.append(f"left behind {', '.join(left[:3])}")
    if case.check and out.code is not None:
        problem = case.check(d, out)
        if problem:
            problems.append(problem)
    return problems


def run_all(cases: list[Case], work: Path, src: Path | None = None, workers: int = 3) -> dict[str, Outcome]:
    inputs = work / "inputs"
    make_inputs(inputs)
    reason = unprivileged_reason(inputs)
    results: dict[str, Outcome] = {}

    def one(case: Case) -> None:
        if case.unprivileged and reason:
            results[case.id] = Outcome(None, b"", "", 0.0, skipped=reason)
        else:
            results[case.id] = run_case(case, inputs, work, src)

    # the signal and timing cases first and alone, so a busy machine does not blur them
    timed = [c for c in cases if c.send or c.kind == "stop"]
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(one, timed))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, [c for c in cases if c not in timed]))
    return results


# ----------------------------------------------------------------------------- the tests


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    work = tmp_path_factory.mktemp("bad-input")
    os.chmod(work, 0o755)
    yield work, run_all(CASES, work)
    for p in (work / "inputs" / "locked-folder" / "sub", work / "inputs" / "locked-file" / "sub" / "more.ttl"):
        os.chmod(p, 0o755)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case_ends_cleanly(case, outcomes):
    work, results = outcomes
    out = results[case.id]
    if out.skipped:
        pytest.skip(out.skipped)
    problems = judge(case, out, work / case.id)
    assert not problems, f"{case.id}: {'; '.join(problems)}\nstderr: {out.stderr[:600]}"


def test_the_table_covers_every_kind():
    assert {c.kind for c in CASES} == {"crash", "traceback", "echo", "leftover", "silent", "stop", "modes"}


# ---------------------------------------------------------------- issue 25: the CLI's niggles

def _rolegraph(*args: str, terminal: bool = False, cwd: Path | None = None) -> tuple[int, bytes, str]:
    """Run ``python -m rolegraph ARGS``; with *terminal* its standard output is a pseudo-terminal (as in a shell)."""
    import pty

    env = dict(os.environ, COLUMNS="100", LC_ALL="C.UTF-8")
    env.pop("ROLEGRAPH_DEBUG", None)
    if not terminal:
        proc = subprocess.run([sys.executable, "-m", "rolegraph", *args], capture_output=True, env=env, cwd=cwd,
                              timeout=120)
        return proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace")
    main_fd, sub_fd = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "rolegraph", *args], stdout=sub_fd, stderr=subprocess.PIPE,
                              stdin=subprocess.DEVNULL, env=env, cwd=cwd, timeout=120)
        os.close(sub_fd)
        shown = b""
        while True:   # what reached the terminal
            try:
                chunk = os.read(main_fd, 65536)
            except OSError:   # EIO: the terminal's other end is closed and everything was read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(main_fd)
    return proc.returncode, shown, proc.stderr.decode("utf-8", "replace")


def _one_error(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("Error: ")]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


@pytest.mark.parametrize("args", [("report", "Data engineer", "Senior data engineer"), ("report", "Data engineer"),
                                  ("export", "--format", "graphml"), ("export",),
                                  ("job-description", "Senior data engineer", "--format", "html")])
def test_report_and_export_refuse_to_pour_a_file_onto_a_terminal(args, tmp_path):
    code, shown, err = _rolegraph(*args, terminal=True, cwd=tmp_path)
    assert code == 2 and shown == b"", shown[:200]
    assert "-o" in _one_error(err) and "terminal" in err
    assert list(tmp_path.iterdir()) == []   # nothing written either


def test_report_and_export_still_write_to_a_pipe_and_markdown_to_a_terminal(tmp_path):
    code, out, _ = _rolegraph("report", "Data engineer", "Senior data engineer")
    assert code == 0 and out.startswith(b"<!DOCTYPE html>")
    code, out, _ = _rolegraph("export", "--format", "nt")
    assert code == 0 and out.count(b" .\n") > 1000
    code, shown, _ = _rolegraph("report", "Data engineer", "Senior data engineer", "--format", "md", terminal=True)
    assert code == 0 and shown.startswith(b"# Career path: Data engineer to Senior data engineer")


@pytest.mark.parametrize("args,hint", [
    (("path", "Data analyst", "Senior data analyst", "--data", "data"), "--data is an option of rolegraph itself"),
    (("--format", "json", "path", "Data analyst", "Senior data analyst"), "give it after the command's name"),
    (("--alternatives", "2", "path", "Data analyst", "Senior data analyst"), "(path, report)"),
])
def test_an_option_in_the_wrong_place_gets_a_hint(args, hint):
    code, _, err = _rolegraph(*args)
    assert code == 2 and hint in _one_error(err)
    code, _, err = _rolegraph("path", "--bogus", "A", "B")   # an option nowhere: no hint
    assert code == 2 and _one_error(err) == "Error: No such option '--bogus'."


def test_validate_takes_ttl_like_export_and_keeps_turtle():
    import rdflib

    outs = {}
    for fmt in ("ttl", "turtle"):
        code, out, _ = _rolegraph("validate", "--format", fmt)
        assert code == 0
        outs[fmt] = rdflib.Graph().parse(data=out.decode("utf-8"), format="turtle")
    assert len(outs["ttl"]) == len(outs["turtle"]) > 0


def test_shared_with_nothing_in_common_says_so():
    code, out, _ = _rolegraph("shared", "Security architect", "Chief information security officer")
    assert code == 0
    line = out.decode("utf-8").strip().splitlines()[-1]
    assert "share no skill" in line and not line.endswith(":")
    code, out, _ = _rolegraph("shared", "Chief information security officer", "Chief technology officer")
    assert code == 0 and "share 2 skills:" in out.decode("utf-8")


def test_a_move_down_is_never_called_the_next_level_or_a_promotion():
    code, out, _ = _rolegraph("path", "Senior data engineer", "Data engineer", "--allow-down", "--grade", "G7")
    step = next(line for line in out.decode("utf-8").splitlines() if "(-1)" in line)
    assert code == 0 and "move down" in step and "level below on own ladder" in step
    assert "promotion" not in step and "next level" not in step


def main(argv: list[str]) -> int:
    src = Path(argv[argv.index("--src") + 1]).resolve() if "--src" in argv else None
    work = Path(tempfile.mkdtemp(prefix="rolegraph-bad-input-"))
    os.chmod(work, 0o755)
    try:
        results = run_all(CASES, work, src)
        bad = 0
        counted = 0
        for case in CASES:
            out = results[case.id]
            if out.skipped:
                print(f"skip  {case.id}: {out.skipped}")
                continue
            counted += 1
            problems = judge(case, out, work / case.id)
            bad += bool(problems)
            print(f"{'BAD ' if problems else 'ok  '}  {case.kind:<9} {out.seconds:5.1f}s {case.id}: "
                  f"{'; '.join(problems)[:200]}")
        print(f"\n{bad} of {counted} cases end badly ({100 * bad / max(counted, 1):.0f}%)")
        return 0
    finally:
        for p in (work / "inputs" / "locked-folder" / "sub", work / "inputs" / "locked-file" / "sub" / "more.ttl"):
            if p.exists() or p.is_symlink():
                os.chmod(p, 0o755)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
