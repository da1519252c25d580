"""scripts/build_data.py regenerates data/ from the committed data/sources/ alone (no ../shared needed)."""
from __future__ import annotations

import filecmp
import json
import shutil
import subprocess
import sys

import pytest

from .conftest import FACTS, ROOT


def _compare(a, b) -> list[str]:
    cmp = filecmp.dircmp(a, b)
    out = [f"{p}" for p in cmp.left_only + cmp.right_only + cmp.diff_files]
    for sub in cmp.common_dirs:
        out += [f"{sub}/{p}" for p in _compare(a / sub, b / sub)]
    return out


def test_build_data_reproduces_data_from_the_repo(tmp_path):
    out = tmp_path / "data"
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_data.py"), "--out", str(out)],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["families", "release.ttl", "skills.ttl"]
    (out / "bridges.ttl").write_bytes((ROOT / "data" / "bridges.ttl").read_bytes())   # not built here (#10)
    shutil.copytree(ROOT / "data" / "crosswalks", out / "crosswalks")   # `rolegraph crosswalk import` writes it (#27)
    assert _compare(out, ROOT / "data") == ["sources"]          # only the inputs are not generated


def test_refresh_keeps_only_facts(tmp_path):
    """--refresh copies the used fields of the reference facts; the copy carries no official prose fields."""
    if not FACTS.is_file():
        pytest.skip("../shared/reference/ddat-facts.json is not present")
    facts = tmp_path / "facts.json"
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_data.py"), "--refresh", str(FACTS),
                        "--facts", str(facts), "--out", str(tmp_path / "data")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert facts.read_text(encoding="utf-8") == (ROOT / "data" / "sources" / "ddat-facts.json").read_text(
        encoding="utf-8")
    copy = json.loads(facts.read_text(encoding="utf-8"))
    assert set(copy) == {"_about", "framework", "sources", "pages_observed", "families", "skills", "update_history"}
