"""The public Python API: every exported name resolves, the version comes from the package metadata,
and `import rolegraph` stays cheap."""
from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version

import pytest

import rolegraph


def test_version_is_the_installed_distributions():
    assert rolegraph.__version__ == version("rolegraph")


@pytest.mark.parametrize("name", [n for n in rolegraph.__all__ if n != "__version__"])
def test_every_exported_name_resolves(name):
    value = getattr(rolegraph, name)
    assert value is not None and (callable(value) or isinstance(value, type))
    assert name in dir(rolegraph)


def test_no_exported_name_is_a_submodule_name():
    """Importing rolegraph.<module> sets that attribute on the package, which would hide an export."""
    import pkgutil

    modules = {m.name for m in pkgutil.iter_modules(rolegraph.__path__)}
    assert modules and not modules & set(rolegraph.__all__)


def test_unknown_names_raise_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        rolegraph.nope  # noqa: B018


def test_import_is_cheap():
    code = ("import sys, rolegraph; heavy = [m for m in ('networkx', 'pyshacl', 'rdflib', 'scipy', 'jinja2') "
            "if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_from_rolegraph_import_the_main_names():
    from rolegraph import RoleGraph, UnknownName, gap, validate  # noqa: F401

    g = RoleGraph.load()
    with pytest.raises(UnknownName, match="did you mean"):
        g.resolve("senior data engneer")
