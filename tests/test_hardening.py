"""The pieces behind the bad-input suite, in process: escaping, atomic writes, loading guards, query limits."""
from __future__ import annotations

import os
import signal
import stat
import sys
import threading

import pytest

from rolegraph import atomic, limits, safe_io
from rolegraph.errors import (
    ECHO_LIMIT,
    MESSAGE_LIMIT,
    AmbiguousName,
    InputError,
    OutputError,
    QueryError,
    QueryTimeout,
    escape,
    one_line,
    shown,
)
from rolegraph.graph import RoleGraph

from .conftest import FIXTURES

# ----------------------------------------------------------------------------- messages

@pytest.mark.parametrize("raw, want", [
    ("a\nb", "a\\nb"), ("a\r\nb", "a\\r\\nb"), ("\x1b[31m", "\\x1b[31m"), ("\x07", "\\x07"), ("\x7f\x9b", "\\x7f\\x9b"),
    ("\u202egnp", "\\u202egnp"), ("\u2066x\u2069", "\\u2066x\\u2069"), ("a\u200bb", "a\\u200bb"),
    ("\ufeffx", "\\ufeffx"), ("a\u2028b", "a\\u2028b"), ("caf\udce9", "caf\\xe9"), ("Café ✓ 数据", "Café ✓ 数据"),
])
def test_escape_makes_one_safe_line(raw, want):
    assert escape(raw) == want


def test_long_input_is_cut_and_its_length_said():
    assert len(shown("x" * 100_000)) < ECHO_LIMIT + 30 and "100,000 characters" in shown("x" * 100_000)
    assert len("Error: " + one_line("y\n" * 5000)) <= MESSAGE_LIMIT


def test_debug_shows_the_traceback_and_keeps_the_exit_code(cli):
    plain = cli("role", "Nobody at all")
    assert plain.exit_code == 2 and "Traceback" not in plain.stderr
    debug = cli("--debug", "role", "Nobody at all")
    assert debug.exit_code == 2 and "Traceback" in debug.stderr
    assert debug.stderr.rstrip().splitlines()[-1] == plain.stderr.rstrip()
    assert "Traceback" not in cli("role", "Nobody at all").stderr   # --debug does not stick


def test_ambiguous_name_lists_the_candidates():
    g = RoleGraph.load([FIXTURES / "mini" / "framework.ttl"])
    g.backend.store.update("""PREFIX rg: <https://w3id.org/rolegraph/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        INSERT DATA { <https://w3id.org/rolegraph/ddat/level/twin> a rg:RoleLevel ;
            skos:prefLabel "Senior tester"@en ; rg:ofRole <https://w3id.org/rolegraph/ddat/role/tester> }""")
    with pytest.raises(AmbiguousName) as err:
        g.resolve("senior tester", ("level",))
    assert err.value.candidates == ["https://w3id.org/rolegraph/ddat/level/senior-tester",
                                    "https://w3id.org/rolegraph/ddat/level/twin"]
    assert g.resolve("https://w3id.org/rolegraph/ddat/level/twin", ("level",)).label == "Senior tester"


# ----------------------------------------------------------------------------- atomic writes

def test_new_file_mode_follows_the_umask_and_existing_mode_is_kept(tmp_path):
    old = os.umask(0o027)
    try:
        atomic.write_atomic(tmp_path / "new.txt", "x")
        assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640
        (tmp_path / "old.txt").write_text("old")
        os.chmod(tmp_path / "old.txt", 0o604)
        atomic.write_atomic(tmp_path / "old.txt", "new")
        assert stat.S_IMODE((tmp_path / "old.txt").stat().st_mode) == 0o604
        assert (tmp_path / "old.txt").read_text() == "new"
    finally:
        os.umask(old)


def test_a_symlink_is_never_written_through(tmp_path):
    # issue 21 item 6: a link planted in a shared folder must not make rolegraph replace its target
    (tmp_path / "real.txt").write_text("old")
    (tmp_path / "link.txt").symlink_to("real.txt")
    with pytest.raises(InputError, match="symbolic link"):
        atomic.write_atomic(tmp_path / "link.txt", "new")
    assert (tmp_path / "link.txt").is_symlink() and (tmp_path / "real.txt").read_text() == "old"


def test_dash_is_standard_output(tmp_path, capfdbinary, monkeypatch):
    monkeypatch.chdir(tmp_path)
    atomic.write_atomic("-", "to stdout\n")
    assert capfdbinary.readouterr().out == b"to stdout\n" and not (tmp_path / "-").exists()


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_failed_or_interrupted_write_leaves_nothing(tmp_path, monkeypatch, failure):
    (tmp_path / "keep.txt").write_text("old")

    def broken(fd, payload):
        os.write(fd, payload[:3])
        raise failure

    monkeypatch.setattr(atomic, "_write_all", broken)
    with pytest.raises(OutputError if isinstance(failure, OSError) else KeyboardInterrupt):
        atomic.write_atomic(tmp_path / "keep.txt", "new text")
    with pytest.raises(OutputError if isinstance(failure, OSError) else KeyboardInterrupt):
        atomic.write_atomic(tmp_path / "new.txt", "new text")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]
    assert (tmp_path / "keep.txt").read_text() == "old"


def test_ctrl_c_just_as_the_temporary_file_appears_leaves_nothing(tmp_path, monkeypatch):
    real = atomic.tempfile.mkstemp

    def mkstemp_then_ctrl_c(*args, **kwargs):
        made = real(*args, **kwargs)
        # to this thread, as a terminal's Ctrl-C reaches a single-threaded rolegraph process (a process-wide
        # os.kill could be taken by a thread another test left running, where it is not held)
        signal.pthread_kill(threading.get_ident(), signal.SIGINT)   # held until the name is remembered, then raised
        return made

    monkeypatch.setattr(atomic.tempfile, "mkstemp", mkstemp_then_ctrl_c)
    # Python's own Ctrl-C handler, whatever pytest inherited (started in the background, SIGINT is ignored)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            atomic.write_atomic(tmp_path / "x.txt", "data")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert list(tmp_path.iterdir()) == []


def test_run_isolated_dies_with_its_parent_and_prints_no_rust_backtrace():
    """The CLI's query child and serve's workers share one set-up (limits.isolate_child): killed with the parent
    (PR_SET_PDEATHSIG), RUST_BACKTRACE=0."""
    env = limits.run_isolated(lambda: os.environ.get("RUST_BACKTRACE"))
    assert env == "0"
    if sys.platform.startswith("linux"):
        import ctypes

        def deathsig() -> int:
            value = ctypes.c_int(0)
            ctypes.CDLL(None).prctl(2, ctypes.byref(value), 0, 0, 0)   # PR_GET_PDEATHSIG
            return value.value
        assert limits.run_isolated(deathsig) == signal.SIGKILL


@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "win32", reason="Unix resource limits")
def test_an_isolated_child_leaves_no_core_file():
    """A query child or worker that crashes (an engine abort at the memory cap) must not write its memory, with the
    pages and ratings it was answering, to disk."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    if hard == 0:
        pytest.skip("core files are already off for this process and its children")
    resource.setrlimit(resource.RLIMIT_CORE, (hard if hard != resource.RLIM_INFINITY else 2**30, hard))
    try:   # the parent would allow a core file: the child must not
        assert limits.run_isolated(lambda: resource.getrlimit(resource.RLIMIT_CORE)[0]) == 0
    finally:
        resource.setrlimit(resource.RLIMIT_CORE, (soft, hard))


def test_make_parents_and_remove_created(tmp_path):
    created = atomic.make_parents(tmp_path / "a" / "b" / "out")
    assert created == [tmp_path / "a", tmp_path / "a" / "b"] and (tmp_path / "a" / "b").is_dir()
    atomic.remove_created(created)
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------------------- loading

@pytest.mark.parametrize("data, message", [
    (b"", "empty"), (b"  \n\t", "empty"), (b"@prefix ex: <http://example.org/> .\n", "no RDF statements"),
    (b"\x1f\x8b\x08\x00rest", "gzip"), (b"PK\x03\x04", "ZIP"), (b"\xff\xfe<\x00h\x00", "UTF-16"),
    (b"<a> <b> \x00\x01\x02", "binary"),
])
def test_unusable_rdf_is_named(tmp_path, data, message):
    p = tmp_path / "x.ttl"
    p.write_bytes(data)
    with pytest.raises(InputError, match=message):
        safe_io.read_rdf(p, "turtle")


def test_rdfxml_entities_are_refused_and_bom_is_removed(tmp_path):
    p = tmp_path / "x.rdf"
    p.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><r/>')
    with pytest.raises(InputError, match="entity"):
        safe_io.read_rdf(p, "xml")
    p = tmp_path / "bom.nt"
    p.write_bytes(b"\xef\xbb\xbf<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    assert len(RoleGraph.load([p])) > 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads folders whatever their mode (tests/test_bad_input.py "
                                             "covers this by dropping root's read capabilities)")
def test_unreadable_subfolder_is_an_error(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.ttl").write_text("<http://e/a> <http://e/b> 1 .")
    os.chmod(tmp_path / "sub", 0)
    try:
        with pytest.raises(InputError, match="sub"):
            safe_io.walk_files(tmp_path, [".ttl"])
    finally:
        os.chmod(tmp_path / "sub", 0o755)


def test_decode_text_names_the_line():
    with pytest.raises(InputError, match=r"byte 0xe9 at byte offset 10 \(line 2, column 4"):
        safe_io.decode_text(b"SELECT\ncaf\xe9", "standard input")
    assert safe_io.decode_text(b"\xef\xbb\xbfASK {}", "x") == "ASK {}"


# ----------------------------------------------------------------------------- query limits

def test_every_named_query_is_within_the_limits():
    from rolegraph import queries

    for q in queries.library().values():
        limits.check_query(q.text)


@pytest.mark.parametrize("text, message", [
    ("SELECT * WHERE { FILTER(" + "(" * 101 + "1" + ")" * 101 + ") }", "nested too deeply"),
    ("SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(f"?o = {i}" for i in range(1001)) + ") }", "operators"),
    ("ASK { " + " UNION ".join(["{ ?s ?p ?o }"] * (limits.MAX_OPERATORS + 2)) + " }", "operators"),
    ("ASK {}" + " " * limits.MAX_QUERY_CHARS, "too large"),
])
def test_queries_over_the_limits_are_refused(text, message):
    with pytest.raises(QueryError, match=message):
        limits.check_query(text)


def test_brackets_in_strings_iris_and_comments_do_not_count():
    limits.check_query('SELECT * WHERE { ?s ?p "' + "(" * 500 + '" } # ' + "{" * 500 + "\n")


def test_run_isolated_returns_reraises_and_stops():
    assert limits.run_isolated(lambda: {"rows": [1, 2]}) == {"rows": [1, 2]}

    def fails():
        raise QueryError("bad query")

    with pytest.raises(QueryError, match="bad query"):
        limits.run_isolated(fails)
    with pytest.raises(QueryTimeout):
        limits.run_isolated(lambda: __import__("time").sleep(10), timeout=0.3)
    with pytest.raises(QueryError, match="SIGSEGV"):
        limits.run_isolated(lambda: os.kill(os.getpid(), signal.SIGSEGV))


def test_run_isolated_caps_memory(monkeypatch):
    monkeypatch.setattr(limits, "MEMORY_HEADROOM", 256 << 20)
    with pytest.raises(QueryError, match="more memory than its limit"):
        limits.run_isolated(lambda: len(bytearray(2 << 30)))
    assert limits.run_isolated(lambda: len(bytearray(16 << 20))) == 16 << 20


def test_query_timeout_in_the_cli(cli):
    r = cli("query", "-", "--timeout", "0.5", input="SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert r.exit_code == 2 and "time limit of 0.5 s" in r.stderr


if sys.platform == "win32":  # pragma: no cover
    pytestmark = pytest.mark.skip("POSIX only")
