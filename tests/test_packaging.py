"""The wheel ships the ontology, data and queries inside the package, so an installed rolegraph works anywhere."""
from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from .conftest import ROOT


def test_wheel_contains_resources(tmp_path):
    pytest.importorskip("hatchling")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
                           "-q", "-w", str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    (wheel,) = tmp_path.glob("rolegraph-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in ["rolegraph/_resources/ontology/rolegraph.ttl", "rolegraph/_resources/ontology/shapes.ttl",
                 "rolegraph/_resources/ontology/schemes.ttl", "rolegraph/_resources/data/release.ttl",
                 "rolegraph/_resources/data/skills.ttl", "rolegraph/cli/__init__.py",
                 "rolegraph/templates/report.css", "rolegraph/templates/autocomplete.js"]:
        assert path in names, path
    families = [n for n in names if n.startswith("rolegraph/_resources/data/families/")]
    assert len(families) == len(list((ROOT / "data" / "families").glob("*.ttl")))
    entry = [n for n in names if n.endswith("entry_points.txt")]
    assert "rolegraph = rolegraph.cli:main" in zipfile.ZipFile(wheel).read(entry[0]).decode()


def test_sdist_ships_everything_its_tests_read(tmp_path):
    """The sdist's tests pass from the sdist: every file they read outside tests/ is in it, and the licence."""
    import re
    import tarfile

    pytest.importorskip("hatchling")
    proc = subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    (sdist,) = tmp_path.glob("rolegraph-*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
        meta = tar.extractfile(next(n for n in tar.getnames() if n.endswith("/PKG-INFO"))).read().decode()
    # files the tests name by path relative to the project root
    text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("*.py"))
    wanted = set(re.findall(r'ROOT / "(benchmarks|scripts)" / "([\w.]+)"', text))
    assert wanted, "the pattern above finds nothing: update it"
    for folder, name in wanted:
        assert f"{folder}/{name}" in names
    for path in ["LICENSE", "CHANGELOG.md", "README.md", "SECURITY.md", "tests/golden/facts.json",
                 "tests/golden/digests.json",
                 "src/rolegraph/py.typed"]:
        assert path in names, path
    assert "License-Expression: Apache-2.0" in meta and "Project-URL: Homepage" in meta
