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
                 "rolegraph/_resources/data/skills.ttl", "rolegraph/cli/__init__.py"]:
        assert path in names, path
    families = [n for n in names if n.startswith("rolegraph/_resources/data/families/")]
    assert len(families) == len(list((ROOT / "data" / "families").glob("*.ttl")))
    entry = [n for n in names if n.endswith("entry_points.txt")]
    assert "rolegraph = rolegraph.cli:main" in zipfile.ZipFile(wheel).read(entry[0]).decode()
