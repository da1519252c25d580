"""The stamp ``rolegraph publish`` leaves beside a graph, and the local cache of derived data keyed on it.

A SPARQL server offers no digest of a graph's content, so a process on ``--endpoint`` cannot tell by itself
whether indexes it built earlier (names, the career-move table, ...) still fit the server's data. ``publish``
(and ``stamp``) therefore describe the graph they wrote, in a small graph of its own beside the data (never in
it, so every answer stays the same), in the VoID vocabulary::

    GRAPH <urn:rolegraph:stamp:HEX> {              # HEX: a digest of the data graph's IRI
        <G> a void:Dataset ; void:triples 975639 ;  # G: the data graph (urn:rolegraph:default-graph for the default)
            dcterms:identifier "sha256:..." ;       # a digest of the triples written
            dcterms:modified "2026-11-27T15:30:00Z"^^xsd:dateTime }

A process on ``--endpoint`` reads the stamp (one small query) and, when there is one, counts the data's triples
(one COUNT); only when the stamp is there and the count agrees does it keep derived data in a local cache
folder, :func:`cache_root` ``/endpoint/<digest of URL and graph>/<digest of the stamp>/``. A graph changed by
another tool without a new stamp is caught when its triple count changed; a graph with no stamp is read as
before (indexes built from the server in every process), so answers never come from a stale cache unless the
graph was edited behind the stamp's back keeping the same number of triples (run ``rolegraph stamp`` after such
edits).

>>> stamp_graph(None), stamp_graph("https://example.org/ddat")  # doctest: +ELLIPSIS
('urn:rolegraph:stamp:...', 'urn:rolegraph:stamp:...')
>>> content_digest(b"<urn:b> <urn:p> <urn:c> .\\n<urn:a> <urn:p> <urn:c> .\\n") == \\
...     content_digest(b"<urn:a> <urn:p> <urn:c> .\\n<urn:b> <urn:p> <urn:c> .\\n")
True
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import namespaces as ns
from ..atomic import untrusted_folder
from ..errors import QueryError
from .base import Iri
from .sparql import sparql_term

if TYPE_CHECKING:
    from .remote import RemoteBackend

#: where the cache lives unless $XDG_CACHE_HOME says otherwise (then $XDG_CACHE_HOME/rolegraph)
CACHE_ENV = "ROLEGRAPH_CACHE_DIR"
#: the stamp's subject when the data is the server's default graph
DEFAULT_GRAPH = "urn:rolegraph:default-graph"
_STAMP_PREFIX = "urn:rolegraph:stamp:"


@dataclass(frozen=True)
class Stamp:
    """What a stamp says about a graph: a digest of its content and its triple count."""

    key: str
    triples: int

    def to_dict(self) -> dict:
        return asdict(self)


def cache_root() -> Path:
    """The folder of rolegraph's local cache: ``$ROLEGRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/rolegraph``,
    else ``~/.cache/rolegraph``."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "rolegraph"


def stamp_graph(graph: str | None) -> str:
    """The IRI of the graph holding the stamp of the data graph *graph* (``None``: the default graph)."""
    return _STAMP_PREFIX + hashlib.sha256((graph or DEFAULT_GRAPH).encode("utf-8")).hexdigest()[:32]


def content_digest(ntriples: bytes) -> str:
    """A digest of an N-Triples document's triples, whatever their order."""
    h = hashlib.sha256()
    for line in sorted(ln.strip() for ln in ntriples.splitlines() if ln.strip()):
        h.update(line + b"\n")
    return "sha256:" + h.hexdigest()


def stamp_ntriples(graph: str | None, stamp: Stamp) -> bytes:
    """The stamp's triples as N-Triples (its subject is the data graph, or :data:`DEFAULT_GRAPH`)."""
    s = sparql_term(Iri(graph or DEFAULT_GRAPH))  # (checked: nothing in it can break the line)
    when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    key = json.dumps(stamp.key)  # an N-Triples string literal (JSON escapes are N-Triples escapes here)
    return (f"{s} <{ns.RDF}type> <{ns.VOID}Dataset> .\n"
            f"{s} <{ns.VOID}triples> \"{stamp.triples}\"^^<{ns.XSD}integer> .\n"
            f"{s} <{ns.DCTERMS}identifier> {key} .\n"
            f"{s} <{ns.DCTERMS}modified> \"{when}\"^^<{ns.XSD}dateTime> .\n").encode("utf-8")


def read_stamp(backend: "RemoteBackend") -> Stamp | None:
    """The stamp of *backend*'s graph, or ``None`` when there is none (or more than one)."""
    try:
        subject = sparql_term(Iri(backend.graph or DEFAULT_GRAPH))
    except QueryError:  # (not an IRI: the server decides what such a --graph means; no stamp can name it)
        return None
    rows = backend.select_in(stamp_graph(backend.graph), f"""
        SELECT ?key ?n WHERE {{ {subject} <{ns.VOID}triples> ?n ; <{ns.DCTERMS}identifier> ?key }}""")
    if len(rows) != 1 or not isinstance(rows[0]["n"], int) or not isinstance(rows[0]["key"], str):
        return None
    return Stamp(rows[0]["key"], rows[0]["n"])


def checked_stamp(backend: "RemoteBackend") -> Stamp | None:
    """The stamp of *backend*'s graph when the graph still holds as many triples as it says, else ``None``.

    The COUNT (the slower query: it reads every triple) is sent only when there is a stamp to check."""
    stamp = read_stamp(backend)
    return stamp if stamp is not None and stamp.triples == len(backend) else None


def cache_folder(backend: "RemoteBackend") -> Path | None:
    """The local cache folder for *backend*'s graph as its stamp describes it (created), or ``None`` when the
    graph has no valid stamp or the folder cannot be made, or when another user could write to it (owned by
    another user, or writable by others: see :func:`~rolegraph.atomic.untrusted_folder`); then derived data is
    built in memory as for an unstamped graph. Folders of older stamps of the same graph are removed."""
    stamp = checked_stamp(backend)
    if stamp is None:
        return None
    where = hashlib.sha256(f"{backend.endpoint}\n{backend.graph or ''}".encode("utf-8")).hexdigest()[:24]
    home = cache_root() / "endpoint" / where
    folder = home / hashlib.sha256(f"{stamp.key}\n{stamp.triples}".encode("utf-8")).hexdigest()[:32]
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if untrusted_folder(folder) is not None:  # another user could plant files there: no cache
            return None
        about = home / "endpoint.json"
        if not about.exists():
            from ..atomic import write_atomic

            write_atomic(about, json.dumps({"endpoint": backend.endpoint, "graph": backend.graph}) + "\n")
        olders = [p for p in home.iterdir() if p.is_dir() and p.name != folder.name]
    except Exception:  # noqa: BLE001  (no cache, e.g. a read-only home: built in memory as before)
        return None
    for old in olders:
        shutil.rmtree(old, ignore_errors=True)
    return folder


__all__ = ["Stamp", "CACHE_ENV", "DEFAULT_GRAPH", "cache_root", "stamp_graph", "content_digest", "stamp_ntriples",
           "read_stamp", "checked_stamp", "cache_folder"]
