"""Where the ontology, shapes, bundled data and named queries live.

In a source checkout they are the top-level ``ontology/``, ``data/`` and
``queries/`` folders; an installed wheel carries copies inside the package
(``rolegraph/_resources/``), so an installed ``rolegraph`` works from any folder.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def resource_dir(name: str) -> Path:
    """The folder holding *name* (``ontology``, ``data`` or ``queries``)."""
    for candidate in (_PACKAGE / "_resources" / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"rolegraph's {name}/ folder is missing from this installation")


def ontology_files() -> list[Path]:
    """The ontology and its concept schemes (not the shapes), loaded with every data set."""
    d = resource_dir("ontology")
    return [d / "rolegraph.ttl", d / "schemes.ttl"]


def shapes_file() -> Path:
    return resource_dir("ontology") / "shapes.ttl"


def shapes_files() -> list[Path]:
    """The shapes ``rolegraph validate`` checks by default: the framework's and the crosswalks' (issue 27)."""
    return [shapes_file(), resource_dir("ontology") / "crosswalk-shapes.ttl"]


def data_dir() -> Path:
    return resource_dir("data")


def queries_dir() -> Path:
    return resource_dir("queries")
