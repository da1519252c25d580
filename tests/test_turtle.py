"""The one Turtle writer: every term it writes parses back, with both engines, to the value it was given."""
from __future__ import annotations

from decimal import Decimal

import pyoxigraph
import pytest
import rdflib

from rolegraph import namespaces as ns
from rolegraph import turtle

NASTY = [
    "plain",
    'quote " inside',
    "back\\slash and \\n not a newline",
    "two\nlines\r\nwith CRLF",
    "tab\there, bell\x07, nul\x00, del\x7f, form\ffeed, back\bspace",
    '"""triple quotes""" and a trailing quote"',
    "unicode: é 中文 😀",
    "ends with backslash\\",
    "",
]
S = turtle.iri("https://example.org/s")


def parse(text: str) -> tuple[rdflib.Graph, list]:
    g = rdflib.Graph().parse(data=text, format="turtle")
    store = pyoxigraph.Store()
    store.load(input=text.encode(), format=pyoxigraph.RdfFormat.TURTLE)
    return g, [q.object for q in store]


def one_object(text: str):
    g, ox = parse(text)
    assert len(g) == 1 and len(ox) == 1
    return next(iter(g.objects())), ox[0]


@pytest.mark.parametrize("text", NASTY)
@pytest.mark.parametrize("long", [False, True])
def test_strings_round_trip(text, long):
    doc = turtle.triple(S, turtle.iri(ns.RDFS + "label"), turtle.literal(text, lang="en-GB", long=long))
    r, o = one_object(doc)
    assert str(r) == text and r.language.lower() == "en-gb"
    assert o.value == text and o.language.lower() == "en-gb"


def test_long_form_keeps_line_breaks_readable():
    assert turtle.string("a\nb", long=True) == '"""a\nb"""'
    assert turtle.string("a\nb") == '"a\\nb"'
    assert turtle.string("one line", long=True) == '"one line"'  # long only when needed


@pytest.mark.parametrize("value", ["https://example.org/a%20b", "urn:x:y", "https://example.org/é#frag?q=1"])
def test_iris_round_trip(value):
    r, o = one_object(turtle.triple(S, turtle.iri(ns.RDFS + "seeAlso"), turtle.iri(value)))
    assert str(r) == value and o.value == value


@pytest.mark.parametrize("char", list(' <>"{}|^`\\\n\x00'))
def test_iris_refuse_characters_no_engine_accepts(char):
    with pytest.raises(ValueError, match="value"):
        turtle.iri("https://example.org/a" + char + "b")


def test_names_use_prefixes_only_when_the_local_part_is_safe():
    block = turtle.prefix_block()
    for local in ["data-engineer", "x.y", "9lives", "a_b"]:
        assert turtle.name(ns.ROLE + local) == "role:" + local
    for local in ["ends.", "-x", "a/b", "a:b", "a%20"]:
        term = turtle.name(ns.ROLE + local)
        assert term.startswith("<")
    for local in ["data-engineer", "ends.", "x.y", "a%20b"]:
        r, o = one_object(block + turtle.triple(S, turtle.name(ns.RDFS + "seeAlso"), turtle.name(ns.ROLE + local)))
        assert str(r) == ns.ROLE + local == o.value
    # the longest namespace wins: skill levels are not written as ddat-relative names
    assert turtle.name(ns.SKILL_LEVEL + "expert") == "slevel:expert"


def test_prefix_block_is_built_from_namespaces():
    block = turtle.prefix_block()
    g = rdflib.Graph(bind_namespaces="none").parse(data=block, format="turtle")
    assert {p: str(n) for p, n in g.namespaces() if p in ns.PREFIXES} == ns.PREFIXES
    assert turtle.prefix_block(["rg", "release"]) == (
        "@prefix rg:      <https://w3id.org/rolegraph/ontology#> .\n"
        "@prefix release: <https://w3id.org/rolegraph/ddat/release/> .\n")
    with pytest.raises(ValueError, match="unknown prefix"):
        turtle.prefix_block(["nope"])


@pytest.mark.parametrize("value, datatype, python", [
    (42, ns.XSD + "integer", 42), (-7, ns.XSD + "integer", -7), (True, ns.XSD + "boolean", True),
    (Decimal("0.250"), ns.XSD + "decimal", Decimal("0.25")), (Decimal("3.00"), ns.XSD + "decimal", Decimal(3)),
    (Decimal("-0.0"), ns.XSD + "decimal", Decimal(0)),
])
def test_numbers_are_canonical_and_typed(value, datatype, python):
    text = turtle.number(value)
    r, o = one_object(turtle.triple(S, turtle.iri(ns.RDF + "value"), text))
    assert str(r.datatype) == datatype and r.toPython() == python
    # oxigraph canonicalises numbers on load: the written form is already canonical
    assert o.datatype.value == datatype and o.value == text.split('"')[-2 if '"' in text else 0]


@pytest.mark.parametrize("value, text", [(1500.0, "1.5E3"), (-2.5e-7, "-2.5E-7"), (0.1, "1.0E-1"), (0.0, "0.0E0"),
                                         (1 / 3, "3.333333333333333E-1")])
def test_doubles_in_xsd_canonical_form(value, text):
    assert turtle.number(value) == text
    r, o = one_object(turtle.triple(S, turtle.iri(ns.RDF + "value"), text))
    assert r.toPython() == value and float(o.value) == value and o.datatype.value == ns.XSD + "double"


def test_decimal_with_places_matches_oxigraph_canonical_form():
    for x in [0.625, 3 / 7, 1.0, 0.25, 0.1 + 0.2]:
        text = turtle.literal(turtle.decimal_lexical(x, places=3), datatype=ns.XSD + "decimal")
        _, o = one_object(turtle.triple(S, turtle.iri(ns.RDF + "value"), text))
        assert o.value == turtle.decimal_lexical(x, places=3)


def test_blank_nodes_and_blocks():
    doc = turtle.prefix_block(["rg", "rdfs"]) + turtle.block(turtle.blank("b0"), [
        ("a", turtle.name(ns.RG + "Role")), ("rdfs:label", [turtle.literal("x"), turtle.literal("x")]),
        ("rdfs:comment", [])])
    g, ox = parse(doc)
    assert len(g) == len(ox) == 2  # the repeated label is written once, the empty predicate skipped


@pytest.mark.parametrize("call, param", [
    (lambda: turtle.literal("x", lang="en gb"), "lang"),
    (lambda: turtle.literal("x", lang="en", datatype=ns.XSD + "string"), "lang or datatype"),
    (lambda: turtle.number(float("nan")), "not finite"),
    (lambda: turtle.blank("a b"), "label"),
    (lambda: turtle.iri(""), "value"),
    (lambda: turtle.string(3), "text"),  # type: ignore[arg-type]
])
def test_errors_name_the_parameter(call, param):
    with pytest.raises(ValueError, match=param):
        call()
