"""JSON-LD for the tests, offline: pyld with a document loader that serves the contexts rolegraph's outputs name
from local copies (tests/fixtures/jsonld, and the CTDL-ASN context ``ctdl-validate`` ships) and refuses every other
address, so no test ever fetches a context."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "jsonld"
SCHEMA_ORG = "https://schema.org"
CTDL_ASN = "https://credreg.net/ctdlasn/schema/context/json"


class Refused(Exception):
    """A context address the offline loader has no copy of."""


def ctdl_validate():
    """The ``ctdl_validate`` package: skipped locally when it is not installed, a failure with CI set."""
    try:
        import ctdl_validate
    except ImportError:
        message = ("ctdl-validate is not installed (on Python 3.11: pip install --no-deps --ignore-requires-python "
                   "ctdl-validate, as .ci/run does)")
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must run the real validator")
        pytest.skip(message)
    return ctdl_validate


def _document(url: str) -> dict:
    if url.rstrip("/") in (SCHEMA_ORG, "http://schema.org"):
        return json.loads((FIXTURES / "schema.org.context.jsonld").read_text(encoding="utf-8"))
    if url == CTDL_ASN:
        from importlib import resources

        path = resources.files(ctdl_validate()).joinpath("vendor", "ctdlasn", "context.json")
        return json.loads(path.read_text(encoding="utf-8"))
    raise Refused(f"no offline copy of {url}: the tests never fetch a context")


def loader(url: str, options: dict | None = None) -> dict:
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": _document(url)}


def expand(doc: dict) -> list:
    from pyld import jsonld

    return jsonld.expand(doc, {"documentLoader": loader})


def to_graph(doc: dict):
    """*doc* as an rdflib graph (through pyld's RDF conversion, offline)."""
    import warnings

    import rdflib
    from pyld import jsonld

    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": loader})
    g = rdflib.Dataset()
    with warnings.catch_warnings():   # rdflib's own N-Quads parser uses its deprecated default_context
        warnings.simplefilter("ignore", DeprecationWarning)
        g.parse(data=nquads, format="nquads")
    out = rdflib.Graph()
    for s, p, o, _ in g.quads((None, None, None, None)):
        out.add((s, p, o))
    return out


def undefined_terms(doc: dict) -> set[str]:
    """The keys of *doc*'s nodes (at any depth) that its context does not define: JSON-LD expansion would drop them
    silently. (Language maps, objects keyed by language tags, are values, not nodes.)"""
    import re

    tag = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")
    keys: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            if node and all(tag.match(k) for k in node):
                return
            for k, v in node.items():
                if not k.startswith("@"):
                    keys.add(k)
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk({k: v for k, v in doc.items() if k != "@context"})
    return {k for k in keys if not expand({"@context": doc["@context"], "@id": "urn:x:node", k: "x"})}
