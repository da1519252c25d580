"""The store folder under stress (issue 21 item 8, issue 22): readers during loads, killed loads, damaged files,
and ``rolegraph.store`` importing nothing above it."""
from __future__ import annotations

import ast
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from rolegraph.store.folder import fill, open_folder, read_meta
from rolegraph.store_fill import fill_store

from .conftest import FIXTURES, ROOT

SRC = ROOT / "src" / "rolegraph"
ABOVE = ("rolegraph.graph", "rolegraph.validation", "rolegraph.cli", "rolegraph.careers", "rolegraph.server",
         "rolegraph.explorer", "rolegraph.store_fill")


def _imports(path: Path) -> list[str]:
    """Every module *path* imports (relative imports made absolute), at any depth of the code."""
    package = "rolegraph.store" if path.name != "__init__.py" else "rolegraph.store"
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.append(module)
            found += [f"{module}.{a.name}" for a in node.names]
    return found


@pytest.mark.parametrize("path", sorted((SRC / "store").glob("*.py")), ids=lambda p: p.name)
def test_the_store_imports_nothing_above_it(path):
    bad = [m for m in _imports(path) if any(m == a or m.startswith(a + ".") for a in ABOVE)]
    assert not bad, f"{path.name} imports {bad}: rolegraph.store must not depend on the modules above it"


def test_the_import_check_finds_what_it_looks_for(tmp_path):
    bad = tmp_path / "x.py"
    bad.write_text("def f():\n    from ..graph import RoleGraph\n    import rolegraph.validation\n")
    assert _imports(bad) == ["rolegraph.graph", "rolegraph.graph.RoleGraph", "rolegraph.validation"]


READER = textwrap.dedent("""
    import sys, time
    from rolegraph.graph import RoleGraph
    from rolegraph.errors import RolegraphError
    store, reads = sys.argv[1], int(sys.argv[2])
    failures = []
    for i in range(reads):
        try:
            g = RoleGraph.open(store)
            time.sleep(0.002 * (i % 3))  # a load may swap and clean up meanwhile
            n = g.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]
            labels = g.select("SELECT ?l WHERE { ?s skos:prefLabel ?l }")
            assert n == len(g) and n > 0 and labels
            del g
        except (RolegraphError, RuntimeError, OSError, AssertionError) as exc:
            failures.append(f"{type(exc).__name__}: {exc}")
    print(len(failures))
    print("\\n".join(failures[:5]))
""")


def test_readers_during_repeated_loads_see_the_old_store_or_the_new(tmp_path):
    folder = tmp_path / "store"
    mini = FIXTURES / "mini"
    from rolegraph.graph import source_files

    sets = [source_files([mini]), source_files(None)]
    fill(folder, sets[0])
    readers = [subprocess.Popen([sys.executable, "-c", READER, str(folder), "100"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(2)]
    loads = 0
    deadline = time.monotonic() + 240
    while any(r.poll() is None for r in readers) and time.monotonic() < deadline:
        fill(folder, sets[loads % 2])
        loads += 1
    outputs = [r.communicate(timeout=60) for r in readers]
    assert loads >= 3, "the readers finished before any load ran"
    for out, err in outputs:
        assert out.split("\n")[0] == "0", out + err  # 0 failures in 200 reads
    # generations no reader holds any more are removed by the next load
    fill(folder, sets[0])
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith("gen-")) == [".load.lock", "current"]
    assert len(list(folder.glob("gen-*"))) == 1


LOADER = textwrap.dedent("""
    import sys
    from rolegraph.store import folder as f
    from rolegraph.graph import source_files
    real = f.OxigraphBackend.bulk_load
    def slow(self, path):
        real(self, path)
        print("loading", flush=True)
        import time; time.sleep(60)
    f.OxigraphBackend.bulk_load = slow
    f.fill(sys.argv[1], source_files(None))
""")


def _kill_midway(folder: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", LOADER, str(folder)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "loading"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def rolegraph(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rolegraph", *map(str, args)], capture_output=True, text=True,
                          timeout=300)


def test_a_killed_first_load_does_not_block_the_next(tmp_path):
    folder = tmp_path / "store"
    _kill_midway(folder)
    assert [p for p in folder.iterdir() if p.name.endswith(".part")]  # what the killed load left
    result = rolegraph("--store", folder, "roles")
    assert result.returncode == 2 and result.stderr.startswith(f"Error: {folder}: not a rolegraph store")
    result = rolegraph("--store", folder, "load", FIXTURES / "mini", "--no-validate")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith("gen-")) == [".load.lock", "current"]
    assert rolegraph("--store", folder, "roles").returncode == 0


def test_a_load_killed_midway_leaves_the_store_as_it_was(tmp_path):
    folder = tmp_path / "store"
    fill_store(folder, [FIXTURES / "mini"], validate=False)
    before = read_meta(folder)
    _kill_midway(folder)
    assert read_meta(folder) == before and rolegraph("--store", folder, "roles").returncode == 0
    fill_store(folder, None, validate=False)
    assert read_meta(folder) != before
    assert not [p for p in folder.iterdir() if p.name.endswith(".part")]


def test_a_damaged_store_is_a_clear_error(tmp_path):
    folder = tmp_path / "store"
    fill_store(folder, [FIXTURES / "mini"], validate=False)
    for sst in (folder / "current" / "oxigraph").glob("*.sst"):
        data = bytearray(sst.read_bytes())
        data[100:300] = os.urandom(200)
        sst.write_bytes(bytes(data))
    result = rolegraph("--store", folder, "roles")
    assert result.returncode == 2 and result.stdout == "", result.stderr
    err = result.stderr.strip()
    assert err.startswith("Error: ") and "the store is damaged" in err and "\n" not in err
    (folder / "current" / "meta.json").write_text("{not json")
    result = rolegraph("--store", folder, "roles")
    assert result.returncode == 2 and "damaged store metadata" in result.stderr


def test_a_damaged_cache_is_rebuilt(tmp_path):
    folder = tmp_path / "store"
    fill_store(folder, None, validate=False)
    first = rolegraph("--store", folder, "path", "data engineer", "data architect")
    assert first.returncode == 0
    for p in (folder / "current" / "cache").glob("*.json"):
        p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2])
    again = rolegraph("--store", folder, "path", "data engineer", "data architect")
    assert again.returncode == 0 and again.stdout == first.stdout, again.stderr


def test_open_folder_keeps_its_generation_until_closed(tmp_path):
    folder = tmp_path / "store"
    from rolegraph.graph import source_files

    fill(folder, source_files([FIXTURES / "mini"]))
    held = open_folder(folder)
    old = (folder / "current").resolve()
    fill(folder, source_files([FIXTURES / "mini"]))
    assert old.is_dir() and len(held) > 0  # still readable: a reader holds it
    del held
    fill(folder, source_files([FIXTURES / "mini"]))
    assert not old.exists()


def test_a_store_made_under_a_loose_umask_is_still_usable(tmp_path):
    old = os.umask(0o002)  # group-writable by default, as on systems with a group per user
    try:
        folder = tmp_path / "store"
        fill_store(folder, [FIXTURES / "mini"], validate=False)
    finally:
        os.umask(old)
    backend = open_folder(folder)  # not refused as "writable by other users"
    assert len(backend) > 0 and backend.cache_dir is not None
