"""A store folder: the graph kept on disk between processes, replaced atomically, with its derived caches.

``rolegraph --store DIR load`` fills the folder; every other command opens it
read-only in ~20 ms instead of parsing the framework again. Layout of ``DIR``::

    current -> gen-<key>-<n>     symlink to the live generation, swapped by one rename
    gen-<key>-<n>/oxigraph/      the pyoxigraph (RocksDB) store
    gen-<key>-<n>/meta.json      content key, files loaded, triple count, when
    gen-<key>-<n>/cache/         derived data (RoleGraph.cached): dropped with its generation

A load goes into a new generation folder; only when it has loaded (and passed
the caller's check) does ``current`` point at it, so readers see the old
content or the new one, never a mixture, and a failed load leaves the store as
it was. The content key is a SHA-256 digest of the files loaded, so caches are
keyed on the content itself.

>>> import tempfile
>>> d = Path(tempfile.mkdtemp()) / "store"
>>> from rolegraph.resources import ontology_files
>>> fill(d, ontology_files()).triples > 0
True
>>> backend = open_folder(d)
>>> len(backend) > 0, backend.content_key == read_meta(d).key
(True, True)
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from ..atomic import untrusted_folder
from ..errors import InputError, RolegraphError
from .oxigraph import OxigraphBackend

CURRENT = "current"
META = "meta.json"


@dataclass(frozen=True)
class StoreMeta:
    """What a store folder holds: its content key, the files loaded into it, its triple count."""

    key: str
    files: list[str]
    triples: int
    loaded: str

    def to_dict(self) -> dict:
        return asdict(self)


def content_key(files: Sequence[Path]) -> str:
    """A SHA-256 digest of the files' bytes, in order (the same files give the same key)."""
    h = hashlib.sha256()
    for f in files:
        try:
            data = f.read_bytes()
        except OSError as exc:
            raise InputError(f"{f}: cannot read ({exc.strerror or exc})") from None
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def _current(folder: Path) -> Path:
    link = folder / CURRENT
    if not link.is_dir() or not (link / META).is_file():
        if not folder.exists():
            raise InputError(f"{folder}: no such store", f"fill it with: rolegraph --store {folder} load")
        raise InputError(f"{folder}: not a rolegraph store", f"fill it with: rolegraph --store {folder} load")
    return link.resolve()


def read_meta(folder: Path, gen: Path | None = None) -> StoreMeta:
    """The :class:`StoreMeta` of the live generation of *folder* (or of its generation folder *gen*)."""
    gen = gen or _current(Path(folder))
    try:
        return StoreMeta(**json.loads((gen / META).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError) as exc:
        raise InputError(f"{folder}: damaged store metadata ({exc})") from None


def open_folder(folder: Path) -> OxigraphBackend:
    """The live generation of *folder*, opened read-only (many processes may share it).

    The backend's ``content_key`` is the store's content key and its ``cache_dir`` the
    generation's cache folder, so :meth:`RoleGraph.cached` keeps derived data there.
    """
    folder = Path(folder)
    unsafe = untrusted_folder(folder, own=False)
    if unsafe is not None:
        raise InputError(f"{folder}: store refused: {unsafe}",
                         "another user could replace its content; make it writable by its owner only (chmod go-w)")
    for attempt in range(2):
        gen = _current(folder)
        meta = read_meta(folder, gen)
        try:
            backend = OxigraphBackend(gen / "oxigraph", read_only=True)
            break
        except InputError:
            if attempt:  # (the first time, a load may just have replaced that generation: look again)
                raise
    backend.content_key = meta.key
    cache = gen / "cache"
    # derived data is read back only from a cache no one else can write (else it is built in memory)
    backend.cache_dir = cache if untrusted_folder(cache) is None else None
    return backend


def fill(folder: Path, files: Sequence[Path], check: Callable[[OxigraphBackend], None] | None = None) -> StoreMeta:
    """Load *files* into a new generation of *folder* and make it live; returns its :class:`StoreMeta`.

    *check* is called with the loaded backend before the swap; whatever it raises aborts the
    load and leaves *folder* as it was. Older generations are removed after the swap.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / CURRENT).is_symlink():
        raise InputError(f"{folder}: folder is not empty and is not a rolegraph store",
                         "choose a new or empty folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{folder}: cannot create ({exc.strerror or exc})") from None
    key = content_key(files)
    gen = folder / f"gen-{key[:16]}-{time.time_ns()}"
    tmp = folder / f".{gen.name}.part"
    try:
        (tmp / "cache").mkdir(parents=True)
        backend = OxigraphBackend(tmp / "oxigraph")
        for f in files:
            backend.bulk_load(f)
        backend.store.flush()
        if check is not None:
            check(backend)
        meta = StoreMeta(key, [str(f) for f in files], len(backend), time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        (tmp / META).write_text(json.dumps(meta.to_dict(), indent=2) + "\n", encoding="utf-8")
        del backend
        os.replace(tmp, gen)
        link = folder / f".{CURRENT}.{gen.name}"
        os.symlink(gen.name, link)
        os.replace(link, folder / CURRENT)  # the atomic swap
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(gen, ignore_errors=True)
        raise InputError(f"{folder}: cannot write the store ({exc.strerror or exc})") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    for old in folder.glob("gen-*"):
        if old.name != gen.name:
            shutil.rmtree(old, ignore_errors=True)  # readers holding it open keep their (unlinked) files
    return meta




class CheckFailed(RolegraphError):
    """Data that loads but fails validation, so the store was not replaced (exit status 1)."""

    exit_code = 1


@dataclass(frozen=True)
class Filled:
    """What ``rolegraph --store DIR load`` did: the store's new :class:`StoreMeta`, and the number of
    violations and warnings validation found (``None`` when not validated)."""

    store: str
    meta: StoreMeta
    violations: int | None
    warnings: int | None

    def to_dict(self) -> dict:
        return {"store": self.store, **self.meta.to_dict(), "violations": self.violations,
                "warnings": self.warnings}


def fill_store(folder: Path, data: Sequence[Path | str] | None = None, validate: bool = True) -> Filled:
    """Fill (or replace) the store folder *folder* with the ontology and *data* (default: the bundled
    framework), atomically. With *validate*, data with SHACL violations raises :class:`CheckFailed`
    and the store is left as it was."""
    from ..graph import RoleGraph, source_files

    files = source_files(data)
    counts: list[int | None] = [None, None]

    def check(backend: OxigraphBackend) -> None:
        if not validate:
            return
        report = RoleGraph(backend, files).validate()
        counts[:] = [report.count("Violation"), report.count("Warning")]
        if not report.conforms:
            raise CheckFailed(f"{folder}: not replaced: the data has {counts[0]} SHACL violations",
                              "see them with: rolegraph validate " + " ".join(str(p) for p in data or []))

    meta = fill(folder, files, check)
    return Filled(str(folder), meta, counts[0], counts[1])


__all__ = ["StoreMeta", "Filled", "CheckFailed", "content_key", "read_meta", "open_folder", "fill", "fill_store"]
