"""A store folder: the graph kept on disk between processes, replaced atomically, with its derived caches.

``rolegraph --store DIR load`` fills the folder; every other command opens it
read-only in ~20 ms instead of parsing the framework again. Layout of ``DIR``::

    current -> gen-<key>-<n>     symlink to the live generation, swapped by one rename
    gen-<key>-<n>/oxigraph/      the pyoxigraph (RocksDB) store
    gen-<key>-<n>/meta.json      content key, files loaded, triple count, when
    gen-<key>-<n>/cache/         derived data (RoleGraph.cached, plain JSON): dropped with its generation
    .load.lock                   held (flock) by the one load running

A load goes into a new generation folder; only when it has loaded (and passed
the caller's check) does ``current`` point at it, so readers see the old
content or the new one, never a mixture, and a failed load leaves the store as
it was. A reader holds a shared lock on its generation's ``meta.json`` while it
is open, and a load removes only generations no reader holds, so a reader never
has files removed under it. A load first removes what killed loads left
(``.part`` folders). The content key is a SHA-256 digest of the files loaded, so
caches are keyed on the content itself. This package imports nothing above it:
validation before the swap comes from the caller (:mod:`rolegraph.store_fill`).

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
from typing import BinaryIO

from ..atomic import untrusted_folder
from ..errors import InputError
from .oxigraph import OxigraphBackend

try:
    import fcntl
except ImportError:  # pragma: no cover  (not POSIX: no locks, as before)
    fcntl = None  # type: ignore[assignment]

CURRENT = "current"
META = "meta.json"
#: the lock a load holds (one load at a time)
LOCK = ".load.lock"


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


def _lease(gen: Path) -> BinaryIO | None:
    """A shared lock on generation *gen* (on its ``meta.json``), held as long as the returned file is open, so no
    load removes the generation while it is read; ``None`` when *gen* was removed meanwhile (look again)."""
    try:
        fh = open(gen / META, "rb")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(f"{gen}: cannot read the store ({exc.strerror or exc})") from None
    if fcntl is None:
        return fh
    fcntl.flock(fh.fileno(), fcntl.LOCK_SH)  # (waits only while a load removes this generation)
    try:
        same = os.stat(gen / META).st_ino == os.fstat(fh.fileno()).st_ino
    except OSError:
        same = False
    if not same:  # removed while we waited for the lock
        fh.close()
        return None
    return fh


def open_folder(folder: Path) -> OxigraphBackend:
    """The live generation of *folder*, opened read-only (many processes may share it).

    The backend's ``content_key`` is the store's content key and its ``cache_dir`` the
    generation's cache folder, so :meth:`RoleGraph.cached` keeps derived data there. The backend
    holds a shared lock on its generation, so a later load leaves it in place until the backend
    is gone: a reader sees the old content or the new one, never files removed under it.
    """
    folder = Path(folder)
    unsafe = untrusted_folder(folder, own=False)
    if unsafe is not None:
        raise InputError(f"{folder}: store refused: {unsafe}",
                         "another user could replace its content; make it writable by its owner only (chmod go-w)")
    for attempt in range(5):
        gen = _current(folder)
        lease = _lease(gen)
        if lease is None:  # a load replaced that generation just now: the pointer has moved on
            continue
        try:
            meta = read_meta(folder, gen)
            backend = OxigraphBackend(gen / "oxigraph", read_only=True)
        except BaseException:
            lease.close()
            raise
        break
    else:
        raise InputError(f"{folder}: the store changed five times while it was opened", "try again")
    backend.content_key = meta.key
    backend.lease = lease  # (closed with the backend)
    cache = gen / "cache"
    # derived data is read back only from a cache no one else can write (else it is built in memory)
    unsafe = untrusted_folder(cache)
    backend.cache_dir = cache if unsafe is None else None
    if unsafe is not None and "writable by other users" in unsafe:  # (another owner's cache: normal sharing)
        backend.cache_note = f"the store's cache is not used: {unsafe}; derived data is built in memory"
    return backend


def _own_entry(name: str) -> bool:
    """Whether *name* is an entry a load puts in a store folder."""
    return (name in (CURRENT, LOCK) or name.startswith("gen-") or name.startswith(f".{CURRENT}.gen-")
            or (name.startswith(".gen-") and name.endswith((".part", ".old"))))


def _load_lock(folder: Path) -> BinaryIO | None:
    """The store's load lock (one load at a time), held while the returned file is open."""
    if fcntl is None:
        return None
    try:
        fh = open(folder / LOCK, "ab")
    except OSError as exc:
        raise InputError(f"{folder}: cannot write the store ({exc.strerror or exc})") from None
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.close()
        raise InputError(f"{folder}: another load into this store is running", "wait for it to finish") from None
    return fh


def _remove_unused(folder: Path, keep: str | None) -> None:
    """Remove what killed or earlier loads left (``.part`` folders, temporary links) and every generation but
    *keep* that no reader holds (see :func:`_lease`); called with the load lock held."""
    for entry in folder.iterdir():
        name = entry.name
        if name.startswith(f".{CURRENT}.gen-") and entry.is_symlink():
            entry.unlink(missing_ok=True)
        elif name.startswith(".gen-") and name.endswith((".part", ".old")) and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        elif name.startswith("gen-") and name != keep and entry.is_dir() and not entry.is_symlink():
            try:
                fh = open(entry / META, "rb")
            except OSError:  # (no metadata: an unfinished generation)
                shutil.rmtree(entry, ignore_errors=True)
                continue
            with fh:
                if fcntl is not None:
                    try:
                        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    except OSError:  # a reader still has it open: a later load removes it
                        continue
                gone = folder / f".{name}.old"
                try:
                    os.replace(entry, gone)  # out of sight first, so no reader finds half of it
                except OSError:
                    continue
            shutil.rmtree(gone, ignore_errors=True)


def fill(folder: Path, files: Sequence[Path], check: Callable[[OxigraphBackend], None] | None = None) -> StoreMeta:
    """Load *files* into a new generation of *folder* and make it live; returns its :class:`StoreMeta`.

    *check* is called with the loaded backend before the swap; whatever it raises aborts the
    load and leaves *folder* as it was. One load runs at a time; it first removes what killed loads
    left (so a killed first load does not block the next), and after the swap every older generation
    no reader holds.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: not a folder")
    if folder.is_dir():
        unsafe = untrusted_folder(folder, own=False)
        if unsafe is not None:
            raise InputError(f"{folder}: store refused: {unsafe}", "make it writable by its owner only (chmod go-w)")
        if not all(_own_entry(p.name) for p in folder.iterdir()):
            raise InputError(f"{folder}: folder is not empty and is not a rolegraph store",
                             "choose a new or empty folder")
    created = not folder.exists()
    try:  # writable by its owner only, whatever the umask (open_folder refuses a store others can write)
        folder.mkdir(mode=0o755, parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{folder}: cannot create ({exc.strerror or exc})") from None
    lock = _load_lock(folder)
    try:
        live = (folder / CURRENT).resolve().name if (folder / CURRENT).is_symlink() else None
        _remove_unused(folder, live)
        meta, gen = _fill(folder, files, check)
        _remove_unused(folder, gen.name)
        return meta
    except BaseException:
        if created:  # a failed first load leaves nothing behind: not even the folder it made
            (folder / LOCK).unlink(missing_ok=True)
            try:
                folder.rmdir()
            except OSError:
                pass
        raise
    finally:
        if lock is not None:
            lock.close()


def _fill(folder: Path, files: Sequence[Path], check: Callable[[OxigraphBackend], None] | None
          ) -> tuple[StoreMeta, Path]:
    key = content_key(files)
    gen = folder / f"gen-{key[:16]}-{time.time_ns()}"
    tmp = folder / f".{gen.name}.part"
    try:
        tmp.mkdir(mode=0o755)
        (tmp / "cache").mkdir(mode=0o755)
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
    return meta, gen


__all__ = ["StoreMeta", "content_key", "read_meta", "open_folder", "fill"]
