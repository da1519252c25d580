"""SPARQL text: a tokenizer, RDF terms in SPARQL syntax, the one VALUES binder, and syntax error messages.

Every engine that takes query text (oxigraph in process, a remote SPARQL 1.1
endpoint) binds parameters with :func:`bind_values`, so there is one rule for
where a binding goes and how a value is escaped.

>>> text, where = bind_values("SELECT ?s  # WHERE { in a comment\\nWHERE { ?s ?p ?o }", {"s": Iri("urn:x")})
>>> text.splitlines()[1]
'WHERE { VALUES (?s) { (<urn:x>) }  ?s ?p ?o }'
>>> where
(2, 8, 27)
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from ..errors import QueryError
from .base import Iri, Lit, Term

__all__ = ["tokens", "words", "query_form", "sparql_term", "bind_values", "syntax_message", "Lit"]

TOKEN = re.compile(r'''
      (?P<comment>\#[^\n]*)
    | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
                 |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$]\w+)
    | (?P<pname>[\w.-]*:[\w.:%-]*)
    | (?P<number>\d[\w.]*)
    | (?P<word>[A-Za-z_]\w*)
    | (?P<open>[({\[])
    | (?P<close>[)}\]])
    | (?P<op>\|\||&&|!=|<=|>=|[-+*/|^=<>!])
    | (?P<other>\S)
''', re.VERBOSE)


def tokens(text: str) -> Iterator[re.Match[str]]:
    """The tokens of *text*; each match's ``lastgroup`` names its kind (comment, string, iri, var, pname, number,
    word, open and close brackets, op for operators, other), so keywords inside comments, strings and IRIs are
    never mistaken for syntax. rolegraph's one SPARQL tokenizer (also :func:`rolegraph.limits.check_query`'s)."""
    return TOKEN.finditer(text)


def words(text: str) -> list[str]:
    """The bare keywords of *text*, upper-cased (no comments, strings, IRIs, variables or prefixed names)."""
    return [m.group("word").upper() for m in tokens(text) if m.lastgroup == "word"]


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE; or the first other keyword (an update's INSERT, LOAD, ...)."""
    for w in words(text):
        if w in ("PREFIX", "BASE"):
            continue
        return w
    return ""


_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def sparql_term(term: Term) -> str:
    """*term* in SPARQL syntax, escaped so that no value can change the query around it.

    >>> sparql_term(Lit('a "b"\\n', lang="en"))
    '"a \\\\"b\\\\"\\\\n"@en'
    """
    if isinstance(term, Iri):
        if not term.value or _BAD_IRI.search(term.value):
            raise QueryError(f"not a valid IRI: {term.value!r}")
        return f"<{term.value}>"
    text = (term.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r"))
    if term.lang:
        if not re.fullmatch(r"[A-Za-z]+(-[A-Za-z0-9]+)*", term.lang):
            raise QueryError(f"not a valid language tag: {term.lang!r}")
        return f'"{text}"@{term.lang}'
    if term.datatype:
        return f'"{text}"^^{sparql_term(Iri(term.datatype))}'
    return f'"{text}"'


def bind_values(text: str, bindings: Mapping[str, Term]) -> tuple[str, tuple[int, int, int]]:
    """*text* with a ``VALUES`` block for *bindings* opening its top-level WHERE group.

    Values are written as escaped RDF terms (:func:`sparql_term`), so no value can change the
    query around it. ``WHERE {`` inside comments, strings and IRIs is skipped. The block goes on
    the same line as the group's ``{`` so that line numbers stay the user's; returns the new text
    and (line, column, length) of the insertion, for :func:`syntax_message`. Variables bound
    this way must be visible in the top-level group (not only inside a subquery).
    """
    for n in bindings:
        if not re.fullmatch(r"\w+", n):
            raise QueryError(f"not a valid variable name: {n!r}")
    block = (" VALUES (" + " ".join("?" + n for n in bindings) + ") { ("
             + " ".join(sparql_term(t) for t in bindings.values()) + ") } ")
    toks = [m for m in tokens(text) if m.lastgroup != "comment"]
    pos = None
    for i, m in enumerate(toks):
        if m.lastgroup == "word" and m.group().upper() == "WHERE" and i + 1 < len(toks) \
                and toks[i + 1].group() == "{":
            pos = toks[i + 1].end()
            break
    if pos is None and query_form(text) in ("SELECT", "ASK", "DESCRIBE"):
        pos = next((m.end() for m in toks if m.group() == "{"), None)
    if pos is None:
        raise QueryError("cannot bind parameters: the query has no WHERE group")
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return text[:pos] + block + text[pos:], (line, col, len(block))


_POS = re.compile(r"error at (\d+):(\d+):?\s*(.*)", re.DOTALL)


def syntax_message(text: str, message: str, inserted: tuple[int, int, int] | None = None) -> str:
    """'SPARQL syntax error at line L, column C (near "..."): problem', positions in *text*'s own lines.

    *message* is the engine's, holding ``error at L:C``; *inserted* is where :func:`bind_values`
    put its block, so columns after it are moved back.
    """
    m = _POS.search(message)
    if not m:
        return f"SPARQL syntax error: {message.splitlines()[0] if message else 'invalid query'}"
    line, col, problem = int(m.group(1)), int(m.group(2)), m.group(3)
    if inserted and line == inserted[0] and col > inserted[1]:
        col = max(inserted[1], col - inserted[2])
    lines = text.splitlines() or [""]
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    start = max(0, col - 1 - 20)
    near = src[start: col - 1 + 20].strip()
    if "Prefix not found" in problem:
        pm = re.search(r"([A-Za-z][\w-]*):\S*$", src[: col - 1]) or re.search(r"([A-Za-z][\w-]*):", src[col - 1:])
        problem = f'unknown prefix "{pm.group(1)}:"' if pm else "unknown prefix"
    else:
        problem = " ".join(problem.split())
        if len(problem) > 120:
            problem = problem[:117] + "..."
    return f'SPARQL syntax error at line {line}, column {col} (near "{near}"): {problem}'
