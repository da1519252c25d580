"""Writing files so that a failure or a signal leaves nothing half-written behind.

A regular file (new or existing) is written to a temporary ``.NAME.*.part`` file in the same folder
and renamed into place, so readers see the old file or the whole new one. The temporary file is
removed on any error and on Ctrl-C or SIGTERM (the CLI turns SIGTERM into an exception, see
:mod:`rolegraph.cli.errors_cli`). A new file gets the mode the umask gives (0644 under 022), as
``open()`` would; an existing file keeps its mode. ``-`` is standard output, and named pipes,
devices and sockets are written through, never replaced. A symbolic link is never followed to a file:
a link planted in a shared folder (``/tmp``) must not make rolegraph replace the file it points at, so
writing to a link to a regular file, a folder or nothing is refused (a link to a pipe or a device, as
``/dev/stdout``, is written through); the final rename replaces a directory entry, never a link's target.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> write_atomic(d / "out.txt", "hello")
>>> (d / "out.txt").read_text()
'hello'
>>> oct((d / "out.txt").stat().st_mode & 0o777) == oct(0o666 & ~current_umask())
True
"""
from __future__ import annotations

import os
import signal
import stat
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import InputError, OutputError


def current_umask() -> int:
    """The process's umask (read without changing it for good)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def default_mode(folder: bool = False) -> int:
    """The mode a new file (or folder) gets from the umask: 0644 (0755) under umask 022."""
    return (0o777 if folder else 0o666) & ~current_umask()


@contextmanager
def signals_held():
    """Hold Ctrl-C, SIGTERM and SIGHUP back while the block runs; they arrive (and raise) right after it.

    Creating a temporary file and remembering its name must happen together: a signal in between
    would leave a file nobody removes.
    """
    held = {signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM)}
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        n = os.write(fd, view[:1 << 20])
        view = view[n:]


def _write_through(path: Path, payload: bytes) -> None:
    """Write to an existing pipe, device or socket (or ``-``, standard output) in place."""
    if str(path) == "-":
        out = sys.stdout.buffer
        out.write(payload)
        out.flush()
        return
    try:
        with open(path, "wb") as fh:
            fh.write(payload)
    except BrokenPipeError:   # the reader has gone, as with `| head`: not an error of ours
        raise
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None


def write_atomic(path: Path | str, data: bytes | str) -> None:
    """Write *data* to *path* through a temporary file in the same folder, then rename it into place.

    Raises :class:`~rolegraph.errors.InputError` (one line, naming the path) when the folder is
    missing or *path* is a folder, and :class:`~rolegraph.errors.OutputError` when the write fails
    (full disk, file-size limit, no permission); no temporary file is left behind, whatever happens.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path = Path(path)
    if str(path) == "-":
        return _write_through(path, payload)
    try:
        st = path.stat()   # of the file a symbolic link points at
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise InputError(f"{path}: cannot write: it is a folder")
    if st is not None and not stat.S_ISREG(st.st_mode):   # a pipe, device or socket (/dev/stdout too)
        if stat.S_ISBLK(st.st_mode) and path.is_symlink():  # (a disk, reached through a planted link)
            raise InputError(f"{path}: cannot write: it is a symbolic link to a block device")
        return _write_through(path, payload)
    if path.is_symlink():
        raise InputError(f"{path}: cannot write: it is a symbolic link (to {os.readlink(path)}); "
                         "rolegraph never writes through a link: name the real file, or remove the link")
    parent = path.parent
    if not parent.is_dir():
        raise InputError(f"{path}: cannot write: folder {parent} does not exist")
    mode = stat.S_IMODE(st.st_mode) if st is not None else default_mode()
    tmp = None
    try:
        with signals_held():
            fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".part")
        try:
            os.fchmod(fd, mode)
            if st is not None and os.geteuid() == 0 and (st.st_uid, st.st_gid) != (0, 0):
                os.fchown(fd, st.st_uid, st.st_gid)
            _write_all(fd, payload)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    finally:   # also on Ctrl-C / SIGTERM (KeyboardInterrupt) and any other exception
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def make_parents(folder: Path, created: list[Path] | None = None) -> list[Path]:
    """Create *folder*'s missing ancestors (not *folder* itself), outermost first, appending each to *created*.

    Pass the list to :func:`remove_created` when the command then fails, so a failure creates nothing;
    each folder is made and listed with signals held, so none is left unlisted.
    """
    created = [] if created is None else created
    missing = []
    p = Path(folder).absolute().parent
    while not p.exists():
        missing.append(p)
        p = p.parent
    for p in reversed(missing):
        with signals_held():
            p.mkdir(mode=0o777)
            created.append(p)
    return created


def remove_created(created: list[Path]) -> None:
    """Remove the (empty) folders :func:`make_parents` created, innermost first."""
    for p in reversed(created):
        try:
            p.rmdir()
        except OSError:
            pass


def _private_group(st: os.stat_result) -> bool:
    """Whether the group of *st* is its owner's own group (same name, no other members), as the user private
    groups of Debian and Ubuntu (umask 002) are: group write then lets no one else in."""
    try:
        import grp
        import pwd

        group, owner = grp.getgrgid(st.st_gid), pwd.getpwuid(st.st_uid)
    except (ImportError, KeyError):
        return False
    return group.gr_name == owner.pw_name and set(group.gr_mem) <= {owner.pw_name}


def untrusted_folder(folder: Path | str, own: bool = True) -> str | None:
    """Why files in *folder* could have been put there by another user, or ``None`` when they could not.

    *folder* must not be writable by others nor by a group other than its owner's private group, and (with *own*)
    must belong to this user or root;
    each folder above it must belong to this user or root and be writable by others only with the sticky
    bit (as ``/tmp``), so no one else can swap *folder* for one of theirs. A missing folder is no reason.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> untrusted_folder(d) is None
    True
    >>> os.chmod(d, 0o777); untrusted_folder(d)  # doctest: +ELLIPSIS
    '... is writable by other users'
    """
    me = os.geteuid()
    p = Path(folder).absolute()
    first = True
    while True:
        try:
            st = os.stat(p)
        except FileNotFoundError:
            st = None
        except OSError as exc:
            return f"{p} cannot be checked ({exc.strerror or exc})"
        if st is not None:
            if (own or not first) and st.st_uid not in (me, 0):
                return f"{p} belongs to another user"
            loose = st.st_mode & stat.S_IWOTH or (st.st_mode & stat.S_IWGRP and not _private_group(st))
            if loose and (first or not st.st_mode & stat.S_ISVTX):
                return f"{p} is writable by other users"
        if p.parent == p:
            return None
        p, first = p.parent, False
