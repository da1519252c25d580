"""Writing files so that a failure leaves nothing half-written behind.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> write_atomic(d / "out.txt", "hello")
>>> (d / "out.txt").read_text()
'hello'
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import InputError


def write_atomic(path: Path | str, data: bytes | str) -> None:
    """Write *data* to *path* through a temporary file in the same folder, then rename it into place.

    Raises :class:`~rolegraph.errors.InputError` (one line, naming the path) when the
    folder is missing or not writable; no temporary file is left behind.
    """
    path = Path(path)
    parent = path.parent
    if not parent.is_dir():
        raise InputError(f"{path}: cannot write: folder {parent} does not exist")
    if path.is_dir():
        raise InputError(f"{path}: cannot write: it is a folder")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None
