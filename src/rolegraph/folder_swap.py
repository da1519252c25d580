"""Putting a folder of generated files in place all at once, or not at all.

:func:`write_folder` writes the files into a temporary folder next to the
target, runs a check on it (the importer validates against the SHACL shapes),
and only then renames it into place; an existing target is moved aside first and
removed only after the rename. Any error leaves the target as it was.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from .atomic import default_mode, make_parents, remove_created, signals_held
from .errors import InputError, OutputError


def write_folder(files: dict[str, str], out: Path, check: Callable[[Path], None] | None = None) -> None:
    """Write *files* (relative path -> text) as the folder *out*, atomically; *check* may raise to abort.

    *out* must not be a symbolic link (a link planted in a shared folder must not redirect the write)."""
    if out.is_symlink():
        raise InputError(f"{out}: cannot write the folder: it is a symbolic link (to {os.readlink(out)}); "
                         "name the real folder, or remove the link")
    parent = out.resolve().parent
    created: list[Path] = []   # missing parent folders made here, removed again if writing fails
    tmp: Path | None = None
    done = False
    try:
        try:
            make_parents(out.resolve(), created)
            with signals_held():   # a signal between making the folder and naming it would leave it behind
                tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=parent))
            os.chmod(tmp, default_mode(folder=True))   # mkdtemp makes 0700; a release folder follows the umask
        except OSError as exc:
            raise InputError(f"{out}: cannot create the output folder ({exc.strerror or exc})") from None
        for rel_path, text in files.items():
            target = tmp / rel_path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        if check:
            check(tmp)
        with signals_held():   # never stop between moving the old folder aside and the new one in
            swap_into_place(tmp, out)
            done = True
    except OSError as exc:
        raise OutputError(f"{out}: cannot write the folder ({exc.strerror or exc}); nothing was written") from None
    finally:
        if tmp is not None and tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        if not done:
            remove_created(created)


def swap_into_place(tmp: Path, out: Path) -> None:
    """Rename *tmp* to *out*; an existing *out* is moved aside first and removed only after the rename."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.replace(out, old)
    try:
        os.replace(tmp, out)
    except OSError:
        if old is not None:
            os.replace(old, out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
