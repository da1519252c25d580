"""``load`` prepares the career caches (issue 26): the first career command after it builds nothing more."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "XDG_CACHE_HOME": str(cwd / ".cache")}
    return subprocess.run([sys.executable, "-m", "rolegraph", *args], cwd=cwd, capture_output=True, env=env,
                          timeout=300)


def snapshot(store: Path) -> dict:
    """Every file of the store's caches (whatever their layout) with its size and modification time."""
    out = {}
    for root, _, files in os.walk(store):
        if "oxigraph" in Path(root).relative_to(store).parts:
            continue
        for name in files:
            st = (Path(root) / name).stat()
            out[str(Path(root, name).relative_to(store))] = (st.st_size, st.st_mtime_ns)
    return out


def test_first_career_commands_after_load_build_nothing(tmp_path):
    p = run(["--store", "st", "load", "--no-validate"], tmp_path)
    assert p.returncode == 0, p.stderr
    assert b"Prepared for the career commands: " in p.stdout
    before = snapshot(tmp_path / "st")
    assert len(before) > 2   # the caches are there
    for args in (["path", "Data engineer", "Head of data engineering"], ["related", "Senior data engineer"],
                 ["gap", "Data engineer", "Senior data engineer"], ["path", "Developer", "Lead developer"]):
        q = run(["--store", "st", *args], tmp_path)
        assert q.returncode == 0, q.stderr
    assert snapshot(tmp_path / "st") == before


def test_load_json_says_what_was_prepared(tmp_path):
    import json

    p = run(["--store", "st", "load", "--no-validate", "--format", "json"], tmp_path)
    assert p.returncode == 0, p.stderr
    assert "move table" in json.loads(p.stdout)["prepared"]
