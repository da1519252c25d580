"""Cached values as plain data: JSON with a small, closed set of tagged types, never pickle.

:meth:`RoleGraph.cached` keeps derived data (name indexes, the position/skill graph, the move table...)
in a store folder or the endpoint cache folder. Those files are read back by later processes, possibly of
another user, so reading one must never run code: a pickle planted there would. This codec writes only
JSON, and reading builds only these types (a file naming anything else is refused, never imported)::

    None bool int float str list        JSON itself
    dict tuple set frozenset            tagged lists of their items
    bytes                               base64
    array.array                         typecode and base64 of its bytes
    Entity, networkx Graph/DiGraph,     their fields as plain data
    Neighbours, MoveTable

A value holding anything else raises :class:`Unstorable` when encoded (it is then kept in memory only).

>>> from rolegraph.graph import Entity
>>> v = {("a", 1): [Entity("urn:x", "role", "X")], "s": frozenset({1}), "t": (1.5, None), "b": b"\\x00"}
>>> decode(encode(v, "k"), "k") == v
True
>>> decode(encode(v, "k"), "other key") is MISSING   # written for another key (or another code version)
True
>>> decode(b'{"rolegraph-cache": 1, "key": "k", "value": {"\\\\u0000": "os.system", "v": ["id"]}}', "k")
Traceback (most recent call last):
...
rolegraph.cache_codec.Unstorable: unknown cached type 'os.system'
"""
from __future__ import annotations

import base64
import json
from array import array
from typing import Any

#: the version of this layout; a file of another version is not read
FORMAT = 1
#: what :func:`decode` returns for a file written for another key or layout
MISSING: Any = object()
_TAG = "\x00"


class Unstorable(ValueError):
    """A value this codec does not write, or a file it does not read."""


def _name(v: Any) -> str:
    t = type(v)
    return f"{t.__module__}.{t.__qualname__}"


def _enc(v: Any) -> Any:
    t = type(v)
    if v is None or t is str or t is bool or t is int:
        return v
    if t is float:
        return v
    if t is list:
        return [_enc(x) for x in v]
    if t is dict:
        if all(type(k) is str for k in v) and _TAG not in v:
            return {k: _enc(x) for k, x in v.items()}
        return {_TAG: "dict", "v": [[_enc(k), _enc(x)] for k, x in v.items()]}
    if t is tuple:
        return {_TAG: "tuple", "v": [_enc(x) for x in v]}
    if t is set or t is frozenset:
        return {_TAG: t.__name__, "v": [_enc(x) for x in v]}
    if t is bytes:
        return {_TAG: "bytes", "v": base64.b64encode(v).decode("ascii")}
    if t is array:
        return {_TAG: "array", "t": v.typecode, "v": base64.b64encode(v.tobytes()).decode("ascii")}
    name = _name(v)
    if name == "rolegraph.graph.Entity":
        return {_TAG: "Entity", "v": [v.iri, v.kind, v.label]}
    if name in ("networkx.classes.graph.Graph", "networkx.classes.digraph.DiGraph"):
        return {_TAG: t.__name__, "graph": _enc(dict(v.graph)),
                "nodes": [[_enc(n), _enc(dict(d))] for n, d in v.nodes(data=True)],
                "edges": [[_enc(a), _enc(b), _enc(dict(d))] for a, b, d in v.edges(data=True)]}
    if name == "rolegraph.careers.engines.Neighbours":
        return {_TAG: "Neighbours", "v": [_enc(v.top), _enc(v.upward), _enc(v.family_values), v.complete]}
    if name == "rolegraph.careers.moves.MoveTable":
        return {_TAG: "MoveTable", "v": _enc(v.__getstate__())}
    if hasattr(v, "dtype") and hasattr(v, "item") and getattr(v, "ndim", None) == 0:  # a numpy scalar
        return _enc(v.item())
    raise Unstorable(f"cannot keep a {name} as plain data")


def _dec(d: dict) -> Any:
    tag = d.get(_TAG)
    if tag is None:
        return d
    v: Any = d.get("v")
    if tag == "dict":
        return {k: x for k, x in v}  # (tuple keys are tuples already: inner objects are decoded first)
    if tag == "tuple":
        return tuple(v)
    if tag == "set":
        return set(v)
    if tag == "frozenset":
        return frozenset(v)
    if tag == "bytes":
        return base64.b64decode(v, validate=True)
    if tag == "array":
        out = array(d["t"])
        out.frombytes(base64.b64decode(v, validate=True))
        return out
    if tag == "Entity":
        from .graph import Entity

        iri, kind, label = v
        if not all(type(x) is str for x in v):
            raise Unstorable("damaged cached entity")
        return Entity(iri, kind, label)
    if tag in ("Graph", "DiGraph"):
        import networkx as nx

        g = nx.Graph() if tag == "Graph" else nx.DiGraph()
        g.graph.update(d["graph"])
        g.add_nodes_from((n, a) for n, a in d["nodes"])
        g.add_edges_from((a, b, attrs) for a, b, attrs in d["edges"])
        return g
    if tag == "Neighbours":
        from .careers.engines import Neighbours

        top, upward, family_values, complete = v
        return Neighbours(top, upward, family_values, complete)
    if tag == "MoveTable":
        from .careers.moves import MoveTable

        fields = {"positions", "start", "to", "fixed", "kind", "token_start", "token"}
        if type(v) is not dict or set(v) != fields:
            raise Unstorable("damaged cached move table")
        return MoveTable(**v)
    raise Unstorable(f"unknown cached type {str(tag)[:40]!r}")


def encode(value: Any, key: str) -> bytes:
    """*value* as the bytes of a cache file for *key*; raises :class:`Unstorable` for other types."""
    return json.dumps({"rolegraph-cache": FORMAT, "key": key, "value": _enc(value)}, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def decode(data: bytes, key: str) -> Any:
    """The value of a cache file's *data*, or :data:`MISSING` when it was written for another key or layout.

    Raises :class:`Unstorable` for a damaged file; nothing but the types above is ever built."""
    try:
        doc = json.loads(data, object_hook=_dec)
    except Unstorable:
        raise
    except (ValueError, TypeError, KeyError, RecursionError, AttributeError) as exc:
        raise Unstorable(f"damaged cache file ({type(exc).__name__})") from None
    if type(doc) is not dict or doc.get("rolegraph-cache") != FORMAT or doc.get("key") != key or "value" not in doc:
        return MISSING
    return doc["value"]


__all__ = ["FORMAT", "MISSING", "Unstorable", "encode", "decode"]
