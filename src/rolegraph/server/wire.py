"""What the server and a worker process send each other: plain length-prefixed bytes, no code-bearing format.

A message is a 4-byte big-endian length, then that many bytes: a sequence of fields, each a 4-byte length and
its bytes (the length ``0xFFFFFFFF``: None). Reading a message never runs anything it holds (unlike pickle), so
a worker that a query took over could not make the server run code by its answer.

* a query (:class:`.workers.Job`): ``Q``, query, base, result format, graph format, then the default and named
  graphs, each as a count (``-`` for None) followed by that many IRIs;
* an explorer page (:class:`.workers.Page`): ``P``, method, path, query string, body, then the headers as
  name, value pairs;
* an answer (:class:`.workers.Answer`): status, Content-Type, body, the CPU seconds the query took (empty: not
  measured), then the headers as name, value pairs;
* a worker's start: ``ready`` and the number of triples it loaded, or ``error`` and why.

>>> unpack(pack([b"a", None, b""]))
[b'a', None, b'']
"""
from __future__ import annotations

import struct
from typing import Iterable, Sequence

_LEN = struct.Struct("!I")
_NONE = 0xFFFFFFFF
#: bytes of a message's own length prefix
PREFIX = _LEN.size


class WireError(ValueError):
    """A message that is not what the protocol says (a worker out of step: it is replaced)."""


def pack(fields: Iterable[bytes | None]) -> bytes:
    """One message (length prefix included) of *fields*."""
    parts = []
    for f in fields:
        parts.append(_LEN.pack(_NONE) if f is None else _LEN.pack(len(f)))
        if f:
            parts.append(f)
    body = b"".join(parts)
    return _LEN.pack(len(body)) + body


def length(prefix: bytes | bytearray) -> int:
    """The length a message's 4-byte *prefix* announces."""
    return _LEN.unpack_from(prefix)[0]


def unpack(message: bytes | memoryview, start: int = PREFIX) -> list[bytes | None]:
    """The fields of *message* (its length prefix skipped: *start*). WireError when it does not add up.

    >>> unpack(pack([b"x"])[:-1])
    Traceback (most recent call last):
    ...
    rolegraph.server.wire.WireError: a field runs past the end of its message
    """
    view = memoryview(message)
    out: list[bytes | None] = []
    i, end = start, len(view)
    while i < end:
        if i + PREFIX > end:
            raise WireError("a field's length is cut off")
        (n,) = _LEN.unpack_from(view, i)
        i += PREFIX
        if n == _NONE:
            out.append(None)
            continue
        if i + n > end:
            raise WireError("a field runs past the end of its message")
        out.append(bytes(view[i:i + n]))
        i += n
    return out


def text(field: bytes | None) -> str | None:
    return None if field is None else field.decode("utf-8", "surrogatepass")


def encode(value: str | None) -> bytes | None:
    return None if value is None else value.encode("utf-8", "surrogatepass")


def strings(values: Sequence[str] | None) -> list[bytes | None]:
    """A count (``-``: None) and the strings, as fields."""
    if values is None:
        return [b"-"]
    return [str(len(values)).encode(), *(v.encode("utf-8", "surrogatepass") for v in values)]


def take_strings(fields: list[bytes | None], i: int) -> tuple[tuple[str, ...] | None, int]:
    """The strings :func:`strings` wrote at *fields[i]*, and the index after them."""
    count = fields[i]
    if count == b"-":
        return None, i + 1
    if count is None or not count.isdigit() or i + 1 + int(count) > len(fields):
        raise WireError("a list's count is wrong")
    n = int(count)
    items = fields[i + 1:i + 1 + n]
    if any(f is None for f in items):
        raise WireError("a list holds None")
    return tuple(f.decode("utf-8", "surrogatepass") for f in items if f is not None), i + 1 + n


def pairs(fields: list[bytes | None], i: int) -> list[tuple[bytes, bytes]]:
    """Name, value pairs from *fields[i:]* to the end."""
    rest = fields[i:]
    if len(rest) % 2 or any(f is None for f in rest):
        raise WireError("headers do not come in pairs")
    return [(k, v) for k, v in zip(rest[::2], rest[1::2]) if k is not None and v is not None]
