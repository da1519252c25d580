"""One table of RDF and result formats (issue 22): rolegraph.rdf_formats owns every mapping to pyoxigraph's formats
and the answer media types; no other module of src/ keeps a copy."""
from __future__ import annotations

import ast
from pathlib import Path

import pyoxigraph as ox
import pytest

from rolegraph import rdf_formats
from rolegraph.server import protocol

SRC = Path(rdf_formats.__file__).parent
OWNER = Path(rdf_formats.__file__).resolve()
#: the names of pyoxigraph's format members, which a copied table would hold as strings
MEMBER_NAMES = {name for kind in (ox.RdfFormat, ox.QueryResultsFormat) for name in dir(kind) if name.isupper()}
MEDIA_TYPES = set(rdf_formats.CONTENT_TYPES.values()) | set(rdf_formats.MEDIA)
W3C_NAMES = set(rdf_formats.FORMAT_IRIS.values())


def _format_value(node: ast.AST) -> bool:
    """A pyoxigraph format (``ox.RdfFormat.TURTLE``, ``getattr(ox.RdfFormat, "JSON_LD", None)``), a member's name,
    an answer media type or a W3C format name."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute):
        return node.value.attr in ("RdfFormat", "QueryResultsFormat")
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "getattr" and node.args:
        return isinstance(node.args[0], ast.Attribute) and node.args[0].attr in ("RdfFormat", "QueryResultsFormat")
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value in MEMBER_NAMES or node.value in MEDIA_TYPES or node.value in W3C_NAMES
    return False


def format_tables(source: str) -> list[int]:
    """Lines of the dict literals in *source* that map two or more keys to formats (see :func:`_format_value`)."""
    return [node.lineno for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Dict) and sum(map(_format_value, node.values)) >= 2]


def test_the_detector_finds_each_kind_of_copied_table():
    for copy in ('T = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES}',
                 'T = {"turtle": "TURTLE", "nt": "N_TRIPLES"}',
                 'T = {"csv": ox.QueryResultsFormat.CSV, "j": getattr(ox.QueryResultsFormat, "JSON", None)}',
                 'T = {"csv": "text/csv; charset=utf-8", "nt": "application/n-triples"}',
                 'T = {"ttl": "Turtle", "nt": "N-Triples"}'):
        assert format_tables(copy) == [1], copy
    assert format_tables('T = {"ttl": "turtle", "nt": "nt"}') == []   # rolegraph's own names: not a pyoxigraph table


def test_no_module_but_rdf_formats_keeps_a_format_table():
    found = {str(p.relative_to(SRC)): lines for p in sorted(SRC.rglob("*.py")) if p.resolve() != OWNER
             and (lines := format_tables(p.read_text(encoding="utf-8")))}
    assert found == {}, f"format tables outside rolegraph/rdf_formats.py (file: lines): {found}"
    assert format_tables(OWNER.read_text(encoding="utf-8"))   # and the owner does hold them


def test_every_table_entry_names_a_format_this_pyoxigraph_has():
    for table in (rdf_formats.FILES, rdf_formats.GRAPH, rdf_formats.MEDIA):
        for name in table:
            assert isinstance(rdf_formats.ox_rdf(name, table), ox.RdfFormat), name
    for name in rdf_formats.RESULTS:
        assert isinstance(rdf_formats.ox_results(name), ox.QueryResultsFormat), name
    answers = set(rdf_formats.GRAPH) | set(rdf_formats.RESULTS)
    assert set(rdf_formats.CONTENT_TYPES) == answers == set(rdf_formats.FORMAT_IRIS)


@pytest.mark.parametrize("offers, table", [(protocol.RESULT_OFFERS, rdf_formats.RESULTS),
                                           (protocol.GRAPH_OFFERS, rdf_formats.GRAPH)])
def test_the_endpoint_offers_only_formats_of_the_table(offers, table):
    assert {fmt for _, fmt in offers} == set(table)


def test_a_store_serialises_each_answer_format_of_the_table(graph):
    role = "https://w3id.org/rolegraph/ontology#Role"
    for fmt in rdf_formats.RESULTS:
        assert role.encode() in graph.backend.query(f"SELECT ?t WHERE {{ ?s a ?t FILTER(?t = <{role}>) }} LIMIT 1"
                                                    ).serialize(fmt), fmt
    for fmt in rdf_formats.GRAPH:
        assert b"Role" in graph.backend.query(f"CONSTRUCT {{ ?s a <{role}> }} WHERE {{ ?s a <{role}> }} LIMIT 1"
                                              ).serialize(fmt), fmt
