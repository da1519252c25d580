"""Writing Turtle text: every term escaped by the W3C Turtle grammar, in one place.

Everything that writes ``.ttl`` files (the importer, ``scripts/``, the benchmark
generator) builds its terms here, so there is one escaping rule for strings and
IRIs, one canonical form for numbers and one prefix block (built from
:mod:`rolegraph.namespaces`).

Terms come back as Turtle text, ready to join into triples::

    >>> from rolegraph import turtle, namespaces as ns
    >>> turtle.triple(turtle.iri(ns.ROLE + "data-engineer"), turtle.name(ns.RDFS + "label"),
    ...               turtle.literal('Data "engineer"', lang="en"))
    '<https://w3id.org/rolegraph/ddat/role/data-engineer> rdfs:label "Data \\\\"engineer\\\\""@en .\\n'

Every function raises :class:`ValueError` naming the parameter when a value
cannot be written as that kind of term (a bad language tag, a non-finite
number, a blank node label that is not a Turtle name).
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from . import namespaces as ns

# IRIREF ::= '<' ([^#x00-#x20<>"{}|^`\] | UCHAR)* '>'
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
# ECHAR ::= '\' [tbnrf"'\] ; other control characters as UCHAR
_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_STRING_SPECIAL = re.compile(r'[\\"\x00-\x1f\x7f]')
_LONG_SPECIAL = re.compile(r'[\\"\x00-\x08\x0b-\x1f\x7f]')  # newlines and tabs stay as they are
# LANGTAG ::= '@' [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*
_LANGTAG = re.compile(r"[a-zA-Z]+(-[a-zA-Z0-9]+)*")
# A conservative subset of PN_LOCAL (no ':', '%' or escapes), so a prefixed name always parses back.
_LOCAL = re.compile(r"[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
# PN_PREFIX, and BLANK_NODE_LABEL's name part (ASCII subset)
_PREFIX = re.compile(r"[A-Za-z]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
_BNODE = re.compile(r"[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?")

XSD_INTEGER = ns.XSD + "integer"
XSD_DECIMAL = ns.XSD + "decimal"
XSD_DOUBLE = ns.XSD + "double"
XSD_BOOLEAN = ns.XSD + "boolean"
XSD_STRING = ns.XSD + "string"


def _uchar(ch: str) -> str:
    code = ord(ch)
    return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


def iri(value: str) -> str:
    """*value* as an IRIREF, ``<...>``.

    Characters an IRI may not hold (spaces, controls, ``<>"{}|^`\\``) raise :class:`ValueError`
    rather than being escaped: engines reject them even when written as ``\\uXXXX``. Non-ASCII
    characters are written as they are (Turtle files are UTF-8).

    >>> iri("https://example.org/café")
    '<https://example.org/café>'
    """
    if not isinstance(value, str) or not value:
        raise ValueError(f"iri: value must be a non-empty string, not {value!r}")
    bad = _IRI_FORBIDDEN.search(value)
    if bad:
        raise ValueError(f"iri: value {value!r} holds {bad.group()!r}, which an IRI may not hold "
                         "(percent-encode it)")
    return "<" + value + ">"


def name(value: str, prefixes: Mapping[str, str] = ns.PREFIXES) -> str:
    """*value* as a prefixed name (``rg:Role``) when a namespace of *prefixes* fits, else as ``<IRI>``.

    The longest matching namespace wins; ``rdf:type`` stays ``rdf:type`` (write ``a`` yourself).

    >>> name(ns.RG + "Role"), name("https://example.org/x")
    ('rg:Role', '<https://example.org/x>')
    """
    best = ""
    for prefix, base in prefixes.items():
        if value.startswith(base) and len(base) > len(prefixes.get(best, "")):
            local = value[len(base):]
            if local == "" or _LOCAL.fullmatch(local):
                best = prefix
    if best:
        return f"{best}:{value[len(prefixes[best]):]}"
    return iri(value)


def string(text: str, long: bool = False) -> str:
    """*text* as a string literal: ``"..."`` with every special character escaped.

    With *long*, text holding a line break is written as ``\"\"\"...\"\"\"`` with its
    line breaks kept (easier to read in long descriptions).

    >>> string('say "hi"\\n')
    '"say \\\\"hi\\\\"\\\\n"'
    >>> string("a\\nb", long=True)
    '\"\"\"a\\nb\"\"\"'
    """
    if not isinstance(text, str):
        raise ValueError(f"string: text must be a str, not {type(text).__name__}")
    if long and ("\n" in text or "\r" in text):
        body = _LONG_SPECIAL.sub(lambda m: _STRING_ESCAPES.get(m.group(), "") or _uchar(m.group()), text)
        return f'"""{body}"""'
    return '"' + _STRING_SPECIAL.sub(lambda m: _STRING_ESCAPES.get(m.group()) or _uchar(m.group()), text) + '"'


def literal(text: str, lang: str | None = None, datatype: str | None = None, *, long: bool = False,
            prefixes: Mapping[str, str] | None = None) -> str:
    """A literal: a :func:`string` with an optional language tag or datatype IRI (not both).

    The datatype is written as a prefixed name when *prefixes* holds its namespace.

    >>> literal("Data", lang="en"), literal("2025-10-01", datatype=ns.XSD + "date", prefixes=ns.PREFIXES)
    ('"Data"@en', '"2025-10-01"^^xsd:date')
    """
    if lang is not None and datatype is not None:
        raise ValueError("literal: give lang or datatype, not both")
    body = string(text, long=long)
    if lang is not None:
        if not _LANGTAG.fullmatch(lang):
            raise ValueError(f"literal: lang {lang!r} is not a language tag (e.g. 'en', 'en-GB')")
        return f"{body}@{lang}"
    if datatype is not None:
        return body + "^^" + (name(datatype, prefixes) if prefixes else iri(datatype))
    return body


def decimal_lexical(value: int | float | Decimal | str, places: int | None = None) -> str:
    """The canonical xsd:decimal form of *value* (XSD 1.1: no exponent, no trailing zeros, no
    point for whole numbers), optionally rounded to *places* first. It is what stores that
    canonicalise numbers (oxigraph) give back, so data written with it round-trips unchanged.

    >>> decimal_lexical(0.250), decimal_lexical(1.0), decimal_lexical(2 / 7, places=3), decimal_lexical("-0.0")
    ('0.25', '1', '0.286', '0')
    """
    try:
        d = value if isinstance(value, Decimal) else Decimal(str(value))
    except ArithmeticError:
        raise ValueError(f"decimal_lexical: value {value!r} is not a number") from None
    if not d.is_finite():
        raise ValueError(f"decimal_lexical: value {value!r} is not a finite number")
    if places is not None:
        d = round(d, places)
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def number(value: int | float | Decimal | bool, places: int | None = None) -> str:
    """*value* as a canonical typed number: ``true``/``false``, ``42`` (xsd:integer), ``0.25``
    (xsd:decimal, for a :class:`~decimal.Decimal`, or a float with *places*) or ``1.5E3``
    (xsd:double, for other floats, in XSD's canonical form).

    A whole decimal has no shorthand that keeps its type, so it is written with its datatype.

    >>> number(True), number(42), number(Decimal("0.250")), number(2 / 3, places=2), number(1500.0)
    ('true', '42', '0.25', '0.67', '1.5E3')
    >>> number(Decimal("3.00"))
    '"3"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal) or (isinstance(value, float) and places is not None):
        text = decimal_lexical(value, places)
        return text if "." in text else f'"{text}"^^{iri(XSD_DECIMAL)}'
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"number: value {value!r} is not finite (write it as a typed literal)")
        if value == 0:
            return "0.0E0"
        # the shortest digits that read back as the same float, as d.ddd and a power of ten
        sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
        text = "".join(map(str, digits))
        return f"{'-' if sign else ''}{text[0]}.{text[1:] or '0'}E{int(exponent) + len(text) - 1}"
    raise ValueError(f"number: value must be bool, int, float or Decimal, not {type(value).__name__}")


def blank(label: str) -> str:
    """A labelled blank node, ``_:label``.

    >>> blank("b0")
    '_:b0'
    """
    if not _BNODE.fullmatch(label or ""):
        raise ValueError(f"blank: label {label!r} is not a blank node name (letters, digits, _ - .)")
    return "_:" + label


def triple(subject: str, predicate: str, obj: str) -> str:
    """One triple line from terms already written by this module."""
    return f"{subject} {predicate} {obj} .\n"


def block(subject: str, pairs: Sequence[tuple[str, str | Iterable[str]]], indent: str = "    ") -> str:
    """A subject block, one predicate per line, several objects comma-joined (repeats dropped,
    predicates with no objects skipped). Terms are already written by this module.

    >>> print(block("role:x", [("a", "rg:Role"), ("skos:altLabel", ['"b"@en', '"c"@en'])]), end="")
    role:x
        a rg:Role ;
        skos:altLabel "b"@en, "c"@en .
    """
    lines = []
    for pred, obj in pairs:
        objs = [obj] if isinstance(obj, str) else list(dict.fromkeys(obj))
        if objs:
            lines.append(f"{indent}{pred} " + ", ".join(objs))
    if not lines:
        raise ValueError(f"block: subject {subject} has no predicate with an object")
    return subject + "\n" + " ;\n".join(lines) + " .\n"


def prefix_block(only: Iterable[str] | None = None, prefixes: Mapping[str, str] = ns.PREFIXES,
                 align: bool = True) -> str:
    """``@prefix`` lines for *prefixes* (all of them, or those named in *only*, in that order).

    >>> print(prefix_block(["rg", "xsd"]), end="")
    @prefix rg:  <https://w3id.org/rolegraph/ontology#> .
    @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    """
    names = list(prefixes) if only is None else list(only)
    unknown = [p for p in names if p not in prefixes]
    if unknown:
        raise ValueError(f"prefix_block: unknown prefix(es) {', '.join(unknown)}")
    for p in names:
        if not _PREFIX.fullmatch(p):
            raise ValueError(f"prefix_block: {p!r} is not a Turtle prefix name")
    width = max((len(p) + 1 for p in names), default=0) if align else 0
    return "".join(f"@prefix {p + ':':<{width}} {iri(prefixes[p])} .\n" for p in names)
