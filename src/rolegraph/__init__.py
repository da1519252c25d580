"""rolegraph: the UK Government Digital and Data Profession Capability Framework as a knowledge graph.

Load the framework once, then ask it things::

    >>> import rolegraph
    >>> g = rolegraph.RoleGraph.load()            # the ontology and the bundled data
    >>> g.resolve("senior data engineer").label
    'Senior data engineer'
    >>> rolegraph.validate(g).conforms
    True

Everything named in :data:`__all__` is imported on first use, so ``import
rolegraph`` stays cheap (networkx, pyshacl and rdflib's SPARQL engine load only
when a function that needs them is called). Library functions never print or
exit: they return results or raise a :class:`RolegraphError` subclass. No exported name is
also a submodule's (``rolegraph.diff`` is the module; ``rolegraph.diff_releases`` its function).
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

#: public name -> "module:attribute" (relative to this package)
_EXPORTS = {
    # the graph and its terms
    "RoleGraph": "graph:RoleGraph",
    "Entity": "graph:Entity",
    "Iri": "store:Iri",
    "Lit": "store:Lit",
    # errors
    "RolegraphError": "errors:RolegraphError",
    "InputError": "errors:InputError",
    "UnknownName": "errors:UnknownName",
    "QueryError": "errors:QueryError",
    "AnalysisError": "errors:AnalysisError",
    # browsing
    "roles": "browse:roles",
    "role_info": "browse:role_info",
    "skills": "browse:skills",
    "skill_info": "browse:skill_info",
    # validation
    "validate": "validation:validate",
    "Report": "validation:Report",
    # SPARQL
    "named_queries": "queries:library",
    "named_query": "queries:get",
    "query_params": "queries:resolve_params",
    "run_query": "queries:run",
    # careers
    "shared": "careers:shared",
    "gap": "careers:gap",
    "related": "careers:related",
    "path": "careers:path",
    "core_skills": "careers:core_skills",
    # reports, exports, releases
    "path_report": "reports:path_report",
    "role_report": "reports:role_report",
    "render_report": "reports:render",
    "export_graph": "export:export",
    "diff_releases": "diff:diff",
    "import_release": "importer:import_release",
}

__all__ = ["__version__", *_EXPORTS]


def _version() -> str:
    """The installed distribution's version (importlib.metadata costs ~30 ms to import: read on first use)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("rolegraph")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        value = globals()[name] = _version()
        return value
    try:
        module, attr = _EXPORTS[name].split(":")
    except KeyError:
        raise AttributeError(f"module 'rolegraph' has no attribute {name!r}") from None
    value = getattr(import_module(f".{module}", __name__), attr)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
