"""Reading user files so that nothing is silently dropped and nothing hostile gets through.

* Files and folders that cannot be read are errors (a folder walk stops at the first unreadable
  subfolder instead of skipping it).
* A UTF-8 byte order mark is removed (Turtle, N-Triples, ``.rq`` queries, standard input), the same way
  for every reader: :func:`read_rdf` (files read whole) and :func:`open_rdf` (files parsed as a stream).
* Text that is not UTF-8 is an error naming the file, the offending byte's value, its byte offset
  (counted from 0, a BOM included) and its line and column (:func:`not_utf8`).
* Compressed, binary and UTF-16 files named ``.ttl`` (or any RDF suffix) are named as such.
* Empty files and files with no RDF statements (only prefixes or comments) are unusable input.
* RDF/XML with entity declarations is refused: entity expansion is off, so a 1 KB "billion laughs"
  file cannot exhaust memory.

Every problem is an :class:`~rolegraph.errors.InputError` naming the file.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "x.ttl"
>>> _ = p.write_bytes(b"\\xef\\xbb\\xbf<http://example.org/a> <http://example.org/b> 1 .")
>>> read_rdf(p, "turtle")[:5]
b'<http'
"""
from __future__ import annotations

import codecs
import os
import re
from pathlib import Path
from typing import BinaryIO, Iterable, cast

from .errors import InputError

BOM = b"\xef\xbb\xbf"
_MAGIC = {b"\x1f\x8b": "gzip-compressed (decompress it first, e.g. with gunzip)",
          b"PK\x03\x04": "a ZIP archive (extract it first)",
          b"BZh": "bzip2-compressed (decompress it first, e.g. with bunzip2)",
          b"\xfd7zXZ\x00": "xz-compressed (decompress it first, e.g. with unxz)",
          b"\x28\xb5\x2f\xfd": "zstd-compressed (decompress it first)",
          b"\xff\xfe": "UTF-16 text (save it as UTF-8)", b"\xfe\xff": "UTF-16 text (save it as UTF-8)"}
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)


_CHUNK = 1 << 20
_HEAD = 65536


def not_utf8(where: str, head: bytes, offset: int, reason: str = "") -> InputError:
    """The error for a byte that is not UTF-8: *head* holds the text's bytes up to and including the bad byte
    at *offset* (a BOM counted), so the message names its value, its byte offset, line and column.

    >>> str(not_utf8("a.ttl", b"ab\\ncaf\\xe9", 6, "invalid continuation byte"))
    'a.ttl: not UTF-8 text: byte 0xe9 at byte offset 6 (line 2, column 4: invalid continuation byte); save it as UTF-8'
    """
    before = head[:offset]
    line_start = before.rfind(b"\n") + 1
    text = before[line_start:].decode("utf-8", "replace").removeprefix("\ufeff")
    why = f": {reason}" if reason else ""
    line = before.count(b"\n") + 1
    return InputError(f"{where}: not UTF-8 text: byte 0x{head[offset]:02x} at byte offset {offset} "
                      f"(line {line}, column {len(text) + 1}{why}); save it as UTF-8")


def check_utf8(data: bytes, where: str) -> None:
    """InputError (:func:`not_utf8`) unless *data* is UTF-8 text; read in chunks, so nothing is copied whole."""
    dec = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    for start in range(0, max(len(data), 1), _CHUNK):
        chunk = view[start:start + _CHUNK]
        pending = len(dec.getstate()[0])
        try:
            dec.decode(chunk, final=start + _CHUNK >= len(data))
        except UnicodeDecodeError as exc:
            raise not_utf8(where, data, start - pending + exc.start, exc.reason) from None


class _Utf8Stream:
    """A binary file read past its BOM, raising :func:`not_utf8`'s error at the first byte that is not UTF-8."""

    def __init__(self, path: Path, fh: BinaryIO, pos: int, check: bool):
        self.path, self.fh, self.pos = path, fh, pos
        self.dec = codecs.getincrementaldecoder("utf-8")() if check else None

    def read(self, size: int | None = -1) -> bytes:
        data = self.fh.read(-1 if size is None or size < 0 else size)
        if self.dec is not None:
            pending = len(self.dec.getstate()[0])
            try:
                self.dec.decode(data, final=not data)
            except UnicodeDecodeError as exc:
                offset = self.pos - pending + exc.start
                self.fh.seek(0)
                raise not_utf8(str(self.path), self.fh.read(offset + 1), offset, exc.reason) from None
        self.pos += len(data)
        return data

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self.fh.close()

    def __enter__(self) -> "_Utf8Stream":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_rdf(path: Path, fmt: str = "turtle") -> BinaryIO:
    """The RDF file *path* as a binary stream for a parser: past a BOM, its start checked as :func:`check_rdf`
    does (compressed, binary, UTF-16), and (except RDF/XML, whose XML declaration may name another encoding)
    InputError at the first byte that is not UTF-8. What every reader that streams a data file uses."""
    path = Path(path)
    try:
        fh = open(path, "rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        head = fh.read(_HEAD)
        _check_head(path, head.removeprefix(BOM))
        pos = len(BOM) if head.startswith(BOM) else 0
        fh.seek(pos)
    except BaseException:
        fh.close()
        raise
    return cast(BinaryIO, _Utf8Stream(path, fh, pos, fmt != "xml"))   # read(), readable(), close(), with


def _check_head(path: Path, data: bytes) -> None:
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(f"{path}: not RDF text: the file is {what}")
    if b"\x00" in data[:_HEAD]:
        raise InputError(f"{path}: the file is binary, not RDF text")


def check_rdf(path: Path, data: bytes, fmt: str = "turtle") -> bytes:
    """*data* (the bytes of *path*, in RDF format *fmt*) without a BOM; InputError if it is unusable."""
    bom = data.startswith(BOM)
    body = data[len(BOM):] if bom else data
    _check_head(path, body)
    if not body.strip():
        raise InputError(f"{path}: the file is empty")
    if fmt != "xml":   # RDF/XML's declaration may name another encoding; every other RDF syntax is UTF-8
        check_utf8(data, str(path))
    data = body
    if fmt == "xml" and _ENTITY.search(data):
        raise InputError(f"{path}: RDF/XML with entity declarations (<!ENTITY) is refused: entity expansion is off")
    if not _has_statement(data, fmt):
        raise InputError(f"{path}: the file holds no RDF statements (only prefixes or comments)")
    return data


def _has_statement(data: bytes, fmt: str) -> bool:
    """True when *data* yields at least one triple, or does not parse (the real load reports that)."""
    try:
        import pyoxigraph as ox

        from .rdf_formats import ox_rdf

        rdf_format = ox_rdf(fmt)
        if rdf_format is None:
            return True
        return next(iter(ox.parse(data, format=rdf_format, base_iri="file:///")), None) is not None
    except (SyntaxError, ValueError, ImportError):
        return True


def read_rdf(path: Path, fmt: str = "turtle") -> bytes:
    """The checked bytes of the RDF file *path* (see :func:`check_rdf`)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return check_rdf(Path(path), data, fmt)


def decode_text(data: bytes, where: str) -> str:
    """UTF-8 text (a BOM removed); InputError (:func:`not_utf8`) at the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        check_utf8(data, where)   # the offsets of utf-8-sig's error do not count the BOM: name the byte again
        raise


def read_text(path: Path) -> str:
    """The UTF-8 text of *path* (see :func:`decode_text`)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return decode_text(data, str(path))


def walk_files(folder: Path, suffixes: Iterable[str]) -> list[Path]:
    """Every file below *folder* whose suffix is in *suffixes*, sorted; an unreadable subfolder is an error."""
    suffixes = {s.lower() for s in suffixes}

    def fail(err: OSError) -> None:
        raise InputError(f"{err.filename}: cannot read the folder ({err.strerror or err})")

    found = []
    for root, dirs, files in os.walk(folder, onerror=fail):
        dirs.sort()
        for name in files:
            p = Path(root) / name
            if p.suffix.lower() in suffixes and p.is_file():
                found.append(p)
    return sorted(found)
