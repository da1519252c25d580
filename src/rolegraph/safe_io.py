"""Reading user files so that nothing is silently dropped and nothing hostile gets through.

* Files and folders that cannot be read are errors (a folder walk stops at the first unreadable
  subfolder instead of skipping it).
* A UTF-8 byte order mark is removed (Turtle, N-Triples, ``.rq`` queries, standard input).
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

import os
import re
from pathlib import Path
from typing import Iterable

from .errors import InputError

BOM = b"\xef\xbb\xbf"
_MAGIC = {b"\x1f\x8b": "gzip-compressed (decompress it first, e.g. with gunzip)",
          b"PK\x03\x04": "a ZIP archive (extract it first)",
          b"BZh": "bzip2-compressed (decompress it first, e.g. with bunzip2)",
          b"\xfd7zXZ\x00": "xz-compressed (decompress it first, e.g. with unxz)",
          b"\x28\xb5\x2f\xfd": "zstd-compressed (decompress it first)",
          b"\xff\xfe": "UTF-16 text (save it as UTF-8)", b"\xfe\xff": "UTF-16 text (save it as UTF-8)"}
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_OX_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG", "xml": "RDF_XML",
               "n3": "N3", "json-ld": "JSON_LD"}


def check_rdf(path: Path, data: bytes, fmt: str = "turtle") -> bytes:
    """*data* (the bytes of *path*, in RDF format *fmt*) without a BOM; InputError if it is unusable."""
    if data.startswith(BOM):
        data = data[len(BOM):]
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(f"{path}: not RDF text: the file is {what}")
    if not data.strip():
        raise InputError(f"{path}: the file is empty")
    if b"\x00" in data[:65536]:
        raise InputError(f"{path}: the file is binary, not RDF text")
    if fmt == "xml" and _ENTITY.search(data):
        raise InputError(f"{path}: RDF/XML with entity declarations (<!ENTITY) is refused: entity expansion is off")
    if not _has_statement(data, fmt):
        raise InputError(f"{path}: the file holds no RDF statements (only prefixes or comments)")
    return data


def _has_statement(data: bytes, fmt: str) -> bool:
    """True when *data* yields at least one triple, or does not parse (the real load reports that)."""
    try:
        import pyoxigraph as ox

        rdf_format = getattr(ox.RdfFormat, _OX_FORMATS.get(fmt, ""), None)
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
    """UTF-8 text (a BOM removed); InputError naming the line of the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{where}: not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}); "
                         "save it as UTF-8") from None


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
