"""Files others could write: caches that never run code, folders writable by others refused (issue 21 items 5, 6)."""
from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from rolegraph.cache_codec import Unstorable, decode, encode
from rolegraph.graph import Entity, RoleGraph
from rolegraph.store_fill import fill_store

PATH_ARGS = ("path", "data engineer", "data architect")


def rolegraph(*args: object, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rolegraph", *map(str, args)], capture_output=True, text=True,
                          timeout=300, env={**os.environ, **(env or {})})


class _Marker:
    """Unpickling this creates the file *path* (what a planted pickle would do, harmlessly)."""

    def __init__(self, path: Path):
        self.path = str(path)

    def __reduce__(self):
        return (Path.touch, (Path(self.path),))


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("safe") / "store"
    fill_store(folder, None, validate=False)
    return folder


@pytest.fixture(scope="module")
def expected(tmp_path_factory) -> str:
    proc = rolegraph(*PATH_ARGS)  # the bundled data parsed in memory: no cache at all
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_planted_pickles_and_crafted_json_never_run_and_answers_stay_right(store, expected, tmp_path):
    cache = store / "current" / "cache"
    first = rolegraph("--store", store, *PATH_ARGS)
    assert first.returncode == 0 and first.stdout == expected
    files = sorted(cache.glob("*.json"))
    assert len(files) > 10 and not [p for p in cache.iterdir() if p.suffix != ".json"]
    marker = tmp_path / "ran"
    payload = pickle.dumps(_Marker(marker))
    pickle.loads(payload)  # the payload is live: loading it runs code
    assert marker.exists()
    marker.unlink()
    # every cache file (and a .pickle beside each) replaced by the pickle; then by JSON naming a callable
    for name in [p.stem for p in files]:
        (cache / f"{name}.json").write_bytes(payload)
        (cache / f"{name}.pickle").write_bytes(payload)
    again = rolegraph("--store", store, *PATH_ARGS)
    assert again.returncode == 0 and again.stdout == expected, again.stderr
    assert not marker.exists()
    for p in files:
        key = json.loads(p.read_bytes())["key"]  # (rewritten as plain data by the run above)
        p.write_text(json.dumps({"rolegraph-cache": 1, "key": key,
                                 "value": {"\x00": "posix.system", "v": [f"touch {marker}"]}}))
    crafted = rolegraph("--store", store, *PATH_ARGS)
    assert crafted.returncode == 0 and crafted.stdout == expected, crafted.stderr
    assert not marker.exists()


def test_the_codec_builds_only_its_own_types():
    for doc in ('{"\\u0000": "builtins.eval", "v": ["1"]}', '{"\\u0000": "Entity", "v": [1, 2]}',
                '{"\\u0000": "dict", "v": [[[1], 2]]}', '{"\\u0000": "MoveTable", "v": {"positions": []}}',
                "[" * 100000):
        with pytest.raises(Unstorable):
            decode(f'{{"rolegraph-cache": 1, "key": "k", "value": {doc}}}'.encode(), "k")
    with pytest.raises(Unstorable):
        encode(RoleGraph, "k")  # a class (or any object not listed) is never written
    value = {"names": [("x", Entity("urn:a", "role", "A"), True)], (1, "a"): {frozenset({2})}}
    assert decode(encode(value, "k"), "k") == value


def test_a_store_writable_by_others_is_refused(tmp_path):
    folder = tmp_path / "store"
    fill_store(folder, None, validate=False)
    os.chmod(folder, 0o777)
    proc = rolegraph("--store", folder, "roles")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith(f"Error: {folder}: store refused: {folder} is writable by other users")
    assert "Traceback" not in proc.stderr
    os.chmod(folder, 0o1777)  # the sticky bit does not help: others may still add a generation and `current`
    assert rolegraph("--store", folder, "roles").returncode == 2
    os.chmod(folder, 0o755)
    assert rolegraph("--store", folder, "roles").returncode == 0


def test_a_cache_writable_by_others_is_not_read(store, expected, tmp_path):
    folder = tmp_path / "store"
    fill_store(folder, None, validate=False)
    assert rolegraph("--store", folder, *PATH_ARGS).stdout == expected
    cache = folder / "current" / "cache"
    for p in cache.glob("*.json"):  # well-formed but poisoned: every label changed
        p.write_text(p.read_text().replace("Data architect", "Poisoned"))
    assert "Poisoned" in rolegraph("--store", folder, *PATH_ARGS).stdout  # (the poison would work...)
    os.chmod(cache, 0o777)
    proc = rolegraph("--store", folder, *PATH_ARGS)
    assert proc.returncode == 0 and proc.stdout == expected  # ... but a cache others can write is not read
    assert f"Note: the store's cache is not used: {cache.resolve()} is writable by other users" in proc.stderr
    assert RoleGraph.open(folder).backend.cache_dir is None


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another user needs root")
def test_a_cache_of_another_user_is_not_read(tmp_path):
    folder = tmp_path / "store"
    fill_store(folder, None, validate=False)
    cache = folder / "current" / "cache"
    assert RoleGraph.open(folder).backend.cache_dir == cache.resolve()
    os.chown(cache, 65534, 65534)
    assert RoleGraph.open(folder).backend.cache_dir is None


def test_the_endpoint_cache_is_not_used_when_others_can_write_it(tmp_path, monkeypatch):
    from rolegraph.store import stamp

    class Fake:
        endpoint, graph = "http://127.0.0.1:9/sparql", None

    monkeypatch.setattr(stamp, "checked_stamp", lambda backend: stamp.Stamp("sha256:x", 3))
    monkeypatch.setenv("ROLEGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    folder = stamp.cache_folder(Fake())  # type: ignore[arg-type]
    assert folder is not None and folder.is_dir() and (folder.stat().st_mode & 0o077) == 0
    os.chmod(tmp_path / "cache", 0o777)
    assert stamp.cache_folder(Fake()) is None  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- item 6: symlinks and --force

@pytest.mark.parametrize("args", [("report", "data engineer", "data architect", "--format", "html"),
                                  ("export", "--format", "ttl")])
def test_a_symlink_planted_in_a_shared_folder_is_never_written_through(cli, tmp_path, args):
    shared = tmp_path / "tmp"
    shared.mkdir(mode=0o1777)
    os.chmod(shared, 0o1777)  # a /tmp-like folder: anyone may add a link there
    victim = tmp_path / "home" / "victim.txt"
    victim.parent.mkdir()
    victim.write_text("precious\n")
    for link, target in (("out.html", victim), ("dangling.html", tmp_path / "home" / "new.txt")):
        (shared / link).symlink_to(target)
        result = cli(*args, "-o", shared / link)
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith(f"Error: {shared / link}: cannot write: it is a symbolic link")
        assert (shared / link).is_symlink()
    assert victim.read_text() == "precious\n" and not (tmp_path / "home" / "new.txt").exists()
    assert sorted(p.name for p in shared.iterdir()) == ["dangling.html", "out.html"]  # no temporary file left
    assert cli(*args, "-o", shared / "real.out").exit_code == 0  # a plain path is written as before


def test_import_force_never_deletes_a_folder_of_other_files(cli, tmp_path):
    from .conftest import FIXTURES

    csv = FIXTURES / "csv"
    out = tmp_path / "photos"
    (out / "2024").mkdir(parents=True)
    (out / "2024" / "me.jpg").write_bytes(b"\xff\xd8")
    (out / "release.ttl").write_text("# a file called release.ttl is not enough\n")
    before = sorted(str(p.relative_to(out)) for p in out.rglob("*"))
    result = cli("import", csv / "roles.csv", csv / "skills.csv", "-o", out, "--force")
    assert result.exit_code == 2 and "--force replaces only a release folder" in result.stderr
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == before
    link = tmp_path / "link"
    link.symlink_to(out)
    result = cli("import", csv / "roles.csv", csv / "skills.csv", "-o", link, "--force")
    assert result.exit_code == 2 and "symbolic link" in result.stderr
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == before


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a folder's group needs root")
def test_group_write_is_trusted_only_for_the_owners_own_group(tmp_path):
    import grp
    import pwd

    from rolegraph.atomic import untrusted_folder

    folder = tmp_path / "shared"
    folder.mkdir()
    os.chmod(folder, 0o775)
    own = grp.getgrnam(pwd.getpwuid(0).pw_name).gr_gid  # root's own group (umask 002 systems make such folders)
    os.chown(folder, 0, own)
    assert untrusted_folder(folder) is None
    other = next(g for g in grp.getgrall() if g.gr_gid != own)
    os.chown(folder, 0, other.gr_gid)  # a group others may belong to
    assert untrusted_folder(folder) == f"{folder} is writable by other users"


def test_no_module_imports_a_code_bearing_format():
    """Nothing in src/ reads or writes pickle (or marshal, shelve, dill): caches, the CLI's isolated child and
    serve's workers all speak plain data (rolegraph.cache_codec, rolegraph.server.wire), so a file or message
    someone else wrote can never run code here."""
    import ast

    src = Path(__file__).resolve().parent.parent / "src" / "rolegraph"
    found = []
    for path in sorted(src.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{path.relative_to(src)}: {n}" for n in names
                      if n.split(".")[0] in {"pickle", "cPickle", "marshal", "shelve", "dill", "cloudpickle"}]
    assert found == []
