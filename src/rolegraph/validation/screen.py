"""Which focus nodes could fail a core shape: a fast, set-oriented screen on the store, before pyshacl.

pyshacl checks core constraints node by node through rdflib (seconds on the
bundled data, a minute at ESCO scale), although almost every node conforms.
This module reads each path a shape uses once, as one SPARQL query on the
graph's own store, and decides in plain Python, for every focus node, whether it
surely conforms. Only the nodes it cannot clear (*suspects*) go to pyshacl, so
every result still comes from pyshacl, the reference the tests agree with, and
the results are the same as validating every node.

The screen is conservative: a constraint it does not know, a literal whose
datatype it cannot check, or a value whose truth it cannot decide makes the
node a suspect, never a pass. Literals are checked as written: the typed
literals of the files (parsed again, see :mod:`.source`) are compared with the
store's; a node whose typed literals the store rewrote (``"02"`` read as ``"2"``,
two values merged into one) is a suspect wherever it is read, and if such a
node is blank the screen gives up (``None``: validate everything).

>>> _check_lexical("02", XSD + "integer"), _check_lexical("two", XSD + "integer")
(True, False)
>>> _check_lexical("1e3", XSD + "decimal") is None  # valid in Python, not in XSD: left to pyshacl
True
"""
from __future__ import annotations

import datetime
import re
from collections import Counter
from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Optional

from .. import namespaces as ns

SH, XSD, RDF = ns.SH, ns.XSD, ns.RDF
LANG_STRING = RDF + "langString"

#: a value: an IRI or ``_:label`` as a string, or a literal as (lexical form, datatype, language)
Value = object
#: a check's answer: True (conforms), False (fails) or None (cannot tell: a suspect)
Verdict = Optional[bool]

_INTEGER_RANGES = {"integer": (None, None), "int": (-2**31, 2**31 - 1), "long": (-2**63, 2**63 - 1),
                   "short": (-2**15, 2**15 - 1), "byte": (-128, 127), "nonNegativeInteger": (0, None),
                   "positiveInteger": (1, None), "nonPositiveInteger": (None, 0), "negativeInteger": (None, -1)}
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: shape keys the screen understands (others in the sh: namespace make every focus node a suspect)
_KNOWN = {f"{SH}{k}" for k in (
    "targetClass targetNode targetSubjectsOf targetObjectsOf property path message severity name description "
    "order group minCount maxCount class datatype nodeKind minInclusive maxInclusive minExclusive maxExclusive "
    "pattern flags in hasValue languageIn uniqueLang node or and not xone qualifiedValueShape qualifiedMinCount "
    "qualifiedMaxCount deactivated").split()}


def _check_lexical(text: str, datatype: str) -> Verdict:
    """Whether *text* is a valid lexical form of *datatype* (None for datatypes this screen does not know)."""
    local = datatype[len(XSD):] if datatype.startswith(XSD) else None
    if local in _INTEGER_RANGES:
        if not _INTEGER.fullmatch(text):
            return False
        low, high = _INTEGER_RANGES[local]
        n = int(text)
        return None if (low is not None and n < low) or (high is not None and n > high) else True
    if local == "decimal":
        return True if _DECIMAL.fullmatch(text) else None
    if local == "boolean":
        return True if text in ("true", "false", "1", "0") else None
    if local == "date":
        if not _DATE.fullmatch(text):
            return None
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            return None
        return True
    if local == "string":
        return True
    return None


def _number(v: Value) -> Decimal | None:
    if not isinstance(v, tuple):
        return None
    text, datatype, _ = v
    local = datatype[len(XSD):] if datatype and datatype.startswith(XSD) else ""
    if (local in _INTEGER_RANGES or local == "decimal") and _check_lexical(text, datatype):
        try:
            return Decimal(text)
        except InvalidOperation:
            return None
    return None


class Unscreenable(Exception):
    """The shapes or the data use something the screen cannot decide for any node."""


class Screen:
    """Set-oriented reads of *g*'s store for the core shapes of *shapes* (a :class:`~.shapes.Shapes`)."""

    def __init__(self, g, shapes, dirty: set[str]):
        self.g, self.shapes, self.sg = g, shapes, shapes.core
        self.dirty = dirty
        self.select = node_select(g)
        self._paths: dict[tuple[str, bool], dict[str, list]] = {}
        self._classes: dict[str, set[str]] = {}
        self._compiled: dict = {}
        self._depth = 0  # nesting of shapes being checked (a shape that reaches itself stops here)

    # ------------------------------------------------------------------ reads

    def values(self, path: str, inverse: bool) -> dict[str, list]:
        """node -> its values along *path* (or ``^path``), read once for all nodes."""
        key = (path, inverse)
        if key not in self._paths:
            pattern = f"?o <{path}> ?s" if inverse else f"?s <{path}> ?o"
            out: dict[str, list] = {}
            for s, v in self.g.backend.query(f"SELECT ?s ?o WHERE {{ {pattern} }}").terms():
                found = out.get(s)
                if found is None:
                    out[s] = [v]
                else:
                    found.append(v)
            self._paths[key] = out
        return self._paths[key]

    def instances(self, cls: str) -> set[str]:
        if cls not in self._classes:
            rows = self.select("SELECT DISTINCT ?n WHERE { ?n a/rdfs:subClassOf* ?c }", c=cls)
            self._classes[cls] = {r["n"] for r in rows}
        return self._classes[cls]

    # ------------------------------------------------------------------ shapes to checks

    def _term(self, t) -> Value:
        from rdflib import BNode, Literal

        if isinstance(t, Literal):
            if t.language:
                return (str(t), LANG_STRING, t.language)
            return (str(t), str(t.datatype or XSD + "string"), None)
        if isinstance(t, BNode):
            raise Unscreenable("blank node in a shape's values")
        return str(t)

    def _list(self, head) -> list:
        from rdflib.collection import Collection

        return list(Collection(self.sg, head))

    def _one(self, shape, key: str):
        found = list(self.sg.objects(shape, self.shapes.term(key)))
        if len(found) > 1:
            raise Unscreenable(f"more than one sh:{key}")
        return found[0] if found else None

    def forget(self) -> None:
        """Drop the values read so far (a large graph's paths need not all be held at once)."""
        self._paths.clear()

    def checks_nothing(self, shape) -> bool:
        """True when *shape* has no core constraint, so every node conforms to it."""
        if shape not in self._compiled:
            self._compiled[shape] = None
            self._compiled[shape] = self._compile(shape)
        return self._compiled[shape] is _always

    def conforms(self, shape, node: Value) -> Verdict:
        """Whether *node* conforms to *shape* (node or property shape), or None when the screen cannot tell."""
        if isinstance(node, str) and node in self.dirty:
            return None
        if shape not in self._compiled:
            self._compiled[shape] = None  # a shape that reaches itself again is not decided here
            self._compiled[shape] = self._compile(shape)
        check = self._compiled[shape]
        if check is None or self._depth > 32:
            return None
        self._depth += 1
        verdict = check(node)  # (an exception ends the whole screen, so the depth need not be restored then)
        self._depth -= 1
        return verdict

    def _compile(self, shape) -> Callable[[Value], Verdict]:
        from rdflib import BNode, URIRef

        sg, term = self.sg, self.shapes.term
        for p in set(sg.predicates(shape, None)):
            if str(p).startswith(SH) and str(p) not in _KNOWN:
                raise Unscreenable(f"{p} is not screened")
        if str(self._one(shape, "deactivated")).lower() == "true":
            return _always
        path = self._one(shape, "path")
        value_checks = self._value_checks(shape)
        props = list(sg.objects(shape, term("property")))
        if path is None:
            if not value_checks and not props:
                return _always  # no core constraint (a shape with only sh:sparql, say)
            return lambda node: _all([c(node) for c in value_checks] + [self.conforms(p, node) for p in props])
        inverse = False
        if isinstance(path, BNode):
            inner = sg.value(path, term("inversePath"))
            if not isinstance(inner, URIRef) or len(list(sg.predicate_objects(path))) != 1:
                raise Unscreenable("complex sh:path")
            path, inverse = inner, True
        if not isinstance(path, URIRef):
            raise Unscreenable("complex sh:path")
        set_checks = self._set_checks(shape)
        read = self.values(str(path), inverse)

        def check(node: Value) -> Verdict:
            # distinct: the store holds a set; a value whose literals the store rewrote is undecided only where
            # a nested shape reads it, which conforms() sees
            vals = read.get(node, []) if isinstance(node, str) else []
            verdicts = [c(vals) for c in set_checks]
            verdicts += [c(v) for v in vals for c in value_checks]
            verdicts += [self.conforms(p, v) for p in props for v in vals]
            return _all(verdicts)

        return check

    def _value_checks(self, shape) -> list[Callable[[Value], Verdict]]:
        """Checks of one value node (the focus node itself for a node shape)."""
        sg, term, one = self.sg, self.shapes.term, self._one
        checks: list[Callable[[Value], Verdict]] = []
        for cls in sg.objects(shape, term("class")):
            checks.append(partial(_member, self.instances(str(cls))))
        for dt in sg.objects(shape, term("datatype")):
            checks.append(partial(_datatype, datatype=str(dt)))
        kind = one(shape, "nodeKind")
        if kind is not None:
            allowed = {"IRI": {"iri"}, "BlankNode": {"bnode"}, "Literal": {"lit"}, "BlankNodeOrIRI": {"bnode", "iri"},
                       "BlankNodeOrLiteral": {"bnode", "lit"}, "IRIOrLiteral": {"iri", "lit"}}.get(
                str(kind)[len(SH):])
            if allowed is None:
                raise Unscreenable("unknown sh:nodeKind")
            checks.append(partial(_kind_in, allowed))
        for key in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive"):
            for bound in sg.objects(shape, term(key)):
                limit = _number(self._term(bound))
                if limit is None:
                    raise Unscreenable(f"sh:{key} that is not a number")
                checks.append(partial(_compare, key, limit))
        pattern = one(shape, "pattern")
        if pattern is not None:
            flags = str(one(shape, "flags") or "")
            if set(flags) - set("imsx"):
                raise Unscreenable("sh:flags")
            rx = re.compile(str(pattern), sum(getattr(re, f.upper()) for f in flags))
            checks.append(partial(_matches, rx))
        for lst in sg.objects(shape, term("in")):
            checks.append(partial(_in, [self._term(t) for t in self._list(lst)]))
        for langs in sg.objects(shape, term("languageIn")):
            tags = [str(t).lower() for t in self._list(langs)]
            checks.append(partial(_lang_in, tags=tags))
        for n in sg.objects(shape, term("node")):
            checks.append(partial(self.conforms, n))
        for key in ("or", "and", "xone"):
            for lst in sg.objects(shape, term(key)):
                checks.append(partial(self._combined, key, self._list(lst)))
        for n in sg.objects(shape, term("not")):
            checks.append(partial(self._negated, n))
        if one(shape, "path") is None:
            for hv in sg.objects(shape, term("hasValue")):
                checks.append(partial(_equal, self._term(hv)))
        return checks

    def _set_checks(self, shape) -> list[Callable[[list], Verdict]]:
        """Checks of the whole set of values of a property shape."""
        sg, term, one = self.sg, self.shapes.term, self._one
        checks: list[Callable[[list], Verdict]] = []
        low, high = one(shape, "minCount"), one(shape, "maxCount")
        if low is not None:
            checks.append(partial(_at_least, int(str(low))))
        if high is not None:
            checks.append(partial(_at_most, int(str(high))))
        for hv in sg.objects(shape, term("hasValue")):
            checks.append(partial(_contains, self._term(hv)))
        if str(one(shape, "uniqueLang")).lower() == "true":
            checks.append(_unique_lang)
        q = one(shape, "qualifiedValueShape")
        if q is not None:
            if one(shape, "qualifiedValueShapesDisjoint") is not None:
                raise Unscreenable("sh:qualifiedValueShapesDisjoint")
            qmin, qmax = one(shape, "qualifiedMinCount"), one(shape, "qualifiedMaxCount")

            checks.append(partial(self._qualified, q, None if qmin is None else int(str(qmin)),
                                  None if qmax is None else int(str(qmax))))
        return checks

    def _combined(self, kind: str, shapes: list, v: Value) -> Verdict:
        return _combine(kind, [self.conforms(s, v) for s in shapes])

    def _negated(self, shape, v: Value) -> Verdict:
        return _negate(self.conforms(shape, v))

    def _qualified(self, shape, low: int | None, high: int | None, vals: list) -> Verdict:
        verdicts = [self.conforms(shape, v) for v in vals]
        if None in verdicts:
            return None
        n = verdicts.count(True)
        return (low is None or n >= low) and (high is None or n <= high)


def node_select(g) -> Callable:
    """A ``select(query, **iri_bindings)`` like ``RoleGraph.select`` for queries whose answers are nodes (focus
    nodes, instances), reading the answer's terms positionally (:meth:`QueryResult.terms`): cheaper than rows
    of Python values on large answers."""
    from ..store import Iri
    from ..store.base import python_value

    def plain(t):
        return python_value(t[0], t[1]) if isinstance(t, tuple) else t

    def select(query: str, **bindings: str) -> list[dict]:
        result = g.backend.query(query, {k: Iri(v) for k, v in bindings.items()}, prefixes=ns.PREFIXES)
        names = result.variables
        return [{n: plain(t) for n, t in zip(names, row)} for row in result.terms()]

    return select


def _always(v: Value) -> Verdict:
    return True


def _member(members: set[str], v: Value) -> Verdict:
    return isinstance(v, str) and v in members


def _kind_in(allowed: set[str], v: Value) -> Verdict:
    return _kind(v) in allowed


def _compare(key: str, limit: Decimal, v: Value) -> Verdict:
    n = _number(v)
    if n is None:
        return None
    return {"minInclusive": n >= limit, "maxInclusive": n <= limit, "minExclusive": n > limit,
            "maxExclusive": n < limit}[key]


def _matches(rx: re.Pattern, v: Value) -> Verdict:
    if isinstance(v, tuple):
        return bool(rx.search(v[0]))
    return _kind(v) == "iri" and bool(rx.search(str(v)))


def _in(members: list, v: Value) -> Verdict:
    if v in members:
        return True
    return None if isinstance(v, tuple) else False  # a literal equal in value but written otherwise: undecided


def _equal(expected: Value, v: Value) -> Verdict:
    return v == expected


def _at_least(n: int, vals: list) -> Verdict:
    return len(vals) >= n


def _at_most(n: int, vals: list) -> Verdict:
    return len(vals) <= n


def _contains(expected: Value, vals: list) -> Verdict:
    return expected in vals


def _all(verdicts: list[Verdict]) -> Verdict:
    if False in verdicts:
        return False
    return None if None in verdicts else True


def _negate(v: Verdict) -> Verdict:
    return None if v is None else not v


def _combine(kind: str, verdicts: list[Verdict]) -> Verdict:
    if kind == "and":
        return _all(verdicts)
    if kind == "or":
        return True if True in verdicts else (None if None in verdicts else False)
    if None in verdicts:  # xone
        return None
    return verdicts.count(True) == 1


def _kind(v: Value) -> str:
    if isinstance(v, tuple):
        return "lit"
    return "bnode" if str(v).startswith("_:") else "iri"


def _datatype(v: Value, datatype: str) -> Verdict:
    if not isinstance(v, tuple):
        return False
    text, dt, lang = v
    if dt != datatype:
        return False
    if dt == LANG_STRING:
        return bool(lang)
    return _check_lexical(text, dt)


def _lang_in(v: Value, tags: list[str]) -> Verdict:
    if not isinstance(v, tuple):
        return False
    lang = (v[2] or "").lower()
    if lang in tags:
        return True
    return None if lang else False


def _unique_lang(vals: list) -> Verdict:
    langs = [v[2] for v in vals if isinstance(v, tuple) and v[2]]
    if len(langs) != len(set(langs)):
        return False
    return True if len({x.lower() for x in langs}) == len(langs) else None


def written_typed(files: Iterable[Path]) -> Counter:
    """(subject, predicate, lexical form, datatype) of the typed literals of *files* as written, counted.

    Only non-string typed literals (the ones a store may rewrite); a blank subject counts as ``"_"``.
    """
    import pyoxigraph as ox

    from ..rdf_formats import ox_rdf
    from ..safe_io import open_rdf
    from ..store import rdf_format
    from .source import _PLAIN

    out: Counter = Counter()
    for path in files:
        fmt = ox_rdf(rdf_format(Path(path))) or ox.RdfFormat.TURTLE
        with open_rdf(Path(path), rdf_format(Path(path))) as stream:   # past a BOM, as every reader
            for q in ox.parse(stream, format=fmt, base_iri=Path(path).resolve().as_uri()):
                o = q.object
                if isinstance(o, ox.Literal) and not o.language and o.datatype.value not in _PLAIN:
                    s = q.subject.value if isinstance(q.subject, ox.NamedNode) else "_"
                    out[(s, q.predicate.value, o.value, o.datatype.value)] += 1
    return out


def as_rdflib(written: Counter) -> dict[tuple, list]:
    """:func:`written_typed` as :func:`.source.typed_literals` gives it (IRI subjects only: the blank nodes of a
    file never meet the store's), for :func:`.extract.core_by_shape`."""
    from rdflib import Literal, URIRef

    from .source import quiet_literals

    out: dict[tuple, list] = {}
    with quiet_literals():
        for s, p, text, datatype in written:
            if s != "_":
                out.setdefault((URIRef(s), URIRef(p)), []).append(Literal(text, datatype=URIRef(datatype),
                                                                          normalize=False))
    return out


def stored_typed(g) -> Counter:
    """The same count for the typed literals in *g*'s store (each distinct triple once)."""
    rows = g.select("SELECT ?s ?p (STR(?o) AS ?t) (STR(DATATYPE(?o)) AS ?d) (isBlank(?s) AS ?b) WHERE { ?s ?p ?o "
                    "FILTER (isLiteral(?o) && LANG(?o) = '' && DATATYPE(?o) != xsd:string) }")
    return Counter(("_" if r["b"] else r["s"], r["p"], r["t"], r["d"]) for r in rows)


def suspects(g, shapes, files: list[Path], targets: Callable | None = None,
             written: Counter | None = None) -> dict | None:
    """Named core shape -> the focus nodes (strings) that may fail it; None when the screen cannot decide.

    A node missing from the answer surely conforms to that shape (see the module docstring). *targets(shape)*
    gives a shape's focus nodes (default: ``shapes.targets`` on *g*); *written* is :func:`written_typed` of
    *files*, when the caller has it.
    """
    targets = targets or (lambda shape: shapes.targets(node_select(g), shape))
    from rdflib import Literal, URIRef
    from rdflib.namespace import OWL, RDFS
    from rdflib.namespace import RDF as RDF_

    sg, term = shapes.core, shapes.term
    written = written_typed(files) if written is None else written
    stored = stored_typed(g)
    differ = {k[0] for k in (written - stored) + (stored - written)}
    if "_" in differ:
        return None
    keys = [term(k) for k in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")]
    named = {s for k in keys for s in sg.subjects(k, None)}
    if any(not isinstance(s, URIRef) for s in named) or any(isinstance(o, Literal) for o in sg.objects(None, keys[1])):
        return None
    if any((s, RDF_.type, c) in sg for s in sg.subjects(RDF_.type, term("NodeShape")) for c in (RDFS.Class, OWL.Class)):
        return None  # implicit class targets
    for p in sg.objects(None, keys[3]):
        if g.select("SELECT ?o WHERE { ?s ?p ?o FILTER isLiteral(?o) } LIMIT 1", p=str(p)):
            return None  # a literal focus node
    screen = Screen(g, shapes, differ)
    out: dict = {}
    try:
        for shape in sorted(named, key=str):
            if screen.checks_nothing(shape):
                out[shape] = set()  # nothing to check: its focus nodes are not even read
                continue
            out[shape] = {n for n in targets(shape) if screen.conforms(shape, n) is not True}
            screen.forget()
    except Unscreenable:
        return None
    return out
