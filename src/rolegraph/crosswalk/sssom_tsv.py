"""SSSOM/TSV in and out: a strict reader and a canonical writer.

The reader takes the embedded form of SSSOM/TSV: ``#``-commented YAML metadata (``mapping_set_id``,
``license``, ``curie_map`` and the other set slots of :data:`~.model.SET_SLOTS`), then a tab-separated
table whose header names SSSOM slots (:data:`~.model.MAPPING_SLOTS`). It reads the YAML subset SSSOM files
use (``key: value``, a ``curie_map`` of ``prefix: namespace`` lines, lists of ``- item``) and refuses
anything else, every unknown slot, and every value that is not of its slot's kind, each as one
:class:`~rolegraph.errors.InputError` naming the file and line. Checks against the graph (is the subject a
skill or role level?) are :mod:`rolegraph.crosswalk`'s.

The writer gives the canonical form: set slots in SSSOM's order, the prefix map sorted, only the columns
used, rows sorted by subject, predicate and object, multi-valued slots joined with ``|``.

>>> text = '''#curie_map:
... #  ex: https://example.org/code/
... #  level: https://w3id.org/rolegraph/ddat/level/
... #mapping_set_id: https://example.org/set
... #license: https://creativecommons.org/licenses/by/4.0/
... subject_id\\tpredicate_id\\tobject_id\\tmapping_justification\\tconfidence
... level:data-scientist\\tskos:relatedMatch\\tex:DS\\tsemapv:ManualMappingCuration\\t0.8
... '''
>>> s = parse(text.encode(), "x.sssom.tsv")
>>> s.mappings[0].object, s.mappings[0].confidence
('https://example.org/code/DS', 0.8)
>>> write(s) == text
True
"""
from __future__ import annotations

import csv
import io
import math
import re
from datetime import date

from ..errors import InputError, shown
from .model import (
    BUILTIN_PREFIXES,
    JUSTIFICATIONS,
    MAPPING_SLOT,
    MAPPING_SLOTS,
    PREDICATES,
    REQUIRED_COLUMNS,
    SET_SLOT,
    SET_SLOTS,
    SINGLE_LABELS,
    Mapping,
    MappingSet,
    Slot,
    Value,
)

#: a file larger than this is refused before it is parsed
MAX_BYTES = 20_000_000
#: at most this many mappings in one set
MAX_ROWS = 100_000
#: the longest text value
MAX_TEXT = 4000

_PREFIX = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_CURIE = re.compile(r"([A-Za-z_][A-Za-z0-9_.-]*):([^\s|<>\"{}\\^`]+)")
_IRI_BAD = re.compile(r"[\x00-\x20\x7f-\x9f<>\"{}|\\^`\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
# controls, and the invisible and bidirectional format characters that make text read other than it is
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?:\s+(.*))?$")
_ITEM = re.compile(r"-\s+(.*)$")
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")
_YAML_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r"}


def decode(data: bytes, where: str) -> str:
    """*data* as text: UTF-8 (a byte order mark removed); too large, UTF-16, NUL bytes and other encodings are
    refused with the line of the first bad byte (the same rules as a profile's, see :mod:`rolegraph.people`)."""
    from ..people.profiles import decode as decode_capped

    return decode_capped(data, where, MAX_BYTES)


def read_capped(path, limit: int = MAX_BYTES) -> bytes:
    """At most *limit* + 1 bytes of *path*: a huge file (or /dev/zero) is refused without being read whole."""
    from ..people.profiles import read_capped as read

    return read(path, limit)


class _Reader:
    def __init__(self, where: str):
        self.where = where
        self.prefixes: dict[str, str] = dict(BUILTIN_PREFIXES)
        self.declared: dict[str, str] = {}

    def fail(self, line: int | None, message: str, hint: str | None = None) -> InputError:
        at = f", line {line}" if line else ""
        return InputError(f"{self.where}{at}: {message}", hint)

    # ---------------------------------------------------------------- the metadata block

    def metadata(self, lines: list[tuple[int, str]]) -> dict[str, object]:
        """The YAML subset of the ``#`` block: top-level ``key: value``; ``key:`` with indented
        ``name: value`` lines (the curie_map) or ``- item`` lines (lists)."""
        out: dict[str, object] = {}
        current: str | None = None
        for n, raw in lines:
            body = raw.rstrip()
            if not body.strip():
                continue
            indented = body[0] in " \t"
            text = body.strip()
            if not indented:
                m = _KEY.match(text)
                if not m:
                    raise self.fail(n, f"metadata line {shown(text)!r} is not 'key: value'",
                                    "this reader takes key: value lines, a curie_map and lists of '- item'")
                key, value = m.group(1), m.group(2)
                if key in out:
                    raise self.fail(n, f"metadata key {key} is given twice")
                if key != "curie_map" and key not in SET_SLOT:
                    raise self.fail(n, f"unknown mapping set slot {shown(key)!r}",
                                    "rolegraph keeps " + ", ".join(["curie_map", *SET_SLOT]))
                if value is None or value == "":
                    out[key] = {} if key == "curie_map" else []
                    current = key
                else:
                    if key == "curie_map":
                        raise self.fail(n, "curie_map must be indented 'prefix: namespace' lines")
                    out[key] = self.scalar(n, value)
                    current = None
                continue
            if current is None:
                raise self.fail(n, f"indented metadata line {shown(text)!r} belongs to no key")
            holder = out[current]
            if current == "curie_map":
                pm = re.match(r"([^:\s]+):\s+(.*)$", text)
                if not pm or not isinstance(holder, dict):
                    raise self.fail(n, f"curie_map line {shown(text)!r} is not 'prefix: namespace'")
                name, url = pm.group(1), self.scalar(n, pm.group(2))
                if name in holder:
                    raise self.fail(n, f"prefix {shown(name)} is declared twice in curie_map")
                holder[name] = url
            else:
                m = _ITEM.match(text)
                if not m or not isinstance(holder, list):
                    raise self.fail(n, f"metadata line {shown(text)!r} under {current} is not a '- item'")
                holder.append(self.scalar(n, m.group(1)))
        return out

    def scalar(self, n: int, text: str) -> str:
        text = text.strip()
        if len(text) >= 2 and text[0] == text[-1] == '"':
            parts = re.split(r'(\\.)', text[1:-1])   # escapes, and the text between them
            if any('"' in s or s.endswith("\\") for s in parts[::2]):
                raise self.fail(n, f"quoted value {shown(text)} is not closed where it ends")
            out = []
            for k, s in enumerate(parts):
                if k % 2 and s[1] not in _YAML_ESCAPES:
                    raise self.fail(n, f"quoted value {shown(text)} uses the escape {shown(s)}, which this reader "
                                       "does not take", 'use \\" \\\\ \\n \\t or \\r')
                out.append(_YAML_ESCAPES[s[1]] if k % 2 else s)
            return "".join(out)
        if len(text) >= 2 and text[0] == text[-1] == "'":
            return text[1:-1].replace("''", "'")
        if text[:1] in ("'", '"', "[", "{", "&", "*", "!", "|", ">", "%", "@", "`"):
            raise self.fail(n, f"value {shown(text)} uses YAML this reader does not take",
                            "write a plain or quoted single-line value")
        if " #" in text:
            raise self.fail(n, f"value {shown(text)} holds ' #' (a YAML comment)", "quote the value")
        return text

    def set_prefixes(self, curie_map: object) -> None:
        if not isinstance(curie_map, dict):
            raise self.fail(None, "curie_map must be a mapping of prefix: namespace")
        seen: dict[str, str] = {}
        for name, url in curie_map.items():
            if not _PREFIX.fullmatch(name):
                raise self.fail(None, f"curie_map prefix {shown(name)!r} is not a prefix name (letters, digits, _ . -)")
            iri = self.iri(None, url, f"the namespace of prefix {name}")
            if name in BUILTIN_PREFIXES and BUILTIN_PREFIXES[name] != iri:
                raise self.fail(None, f"curie_map redefines the built-in prefix {name} as {shown(iri)}",
                                f"SSSOM fixes {name}: to {BUILTIN_PREFIXES[name]}")
            if iri in seen:
                raise self.fail(None, f"curie_map gives the namespace {shown(iri)} two prefixes "
                                      f"({seen[iri]} and {name})", "keep one")
            seen[iri] = name
            self.declared[name] = iri
            self.prefixes[name] = iri

    # ---------------------------------------------------------------- values

    def iri(self, line: int | None, text: str, what: str) -> str:
        if not re.match(r"https?://[^/\s]", text, re.I) or _IRI_BAD.search(text):
            raise self.fail(line, f"{what} {shown(text)!r} is not an absolute http(s) IRI")
        return text

    def curie(self, line: int | None, text: str, what: str) -> str:
        m = _CURIE.fullmatch(text)
        if not m or text.lower().startswith(("http:", "https:")):
            raise self.fail(line, f"{what} {shown(text)!r} is not a CURIE (prefix:local)",
                            "SSSOM/TSV writes identifiers as CURIEs with a prefix from curie_map")
        prefix, local = m.groups()
        if prefix not in self.prefixes:
            raise self.fail(line, f"{what} {shown(text)!r} uses the prefix {shown(prefix)}, which curie_map "
                                  "does not declare", f"add '#  {prefix}: <namespace>' under #curie_map:")
        return self.iri(line, self.prefixes[prefix] + local, f"{what} {text} expands to")

    def value(self, line: int | None, slot: Slot, text: str) -> Value:
        what = slot.name
        parts = [p.strip() for p in text.split("|")] if slot.multi else [text.strip()]
        if any(p == "" for p in parts):
            raise self.fail(line, f"{what} has an empty value in {shown(text)!r}")
        if slot.multi and slot.name in SINGLE_LABELS and len(parts) > 1:
            raise self.fail(line, f"{what} holds {len(parts)} values; rolegraph keeps one",
                            "RDF keeps no order to pair labels with ids: give one label, or none")
        out: list[str] = []
        for p in parts:
            if slot.kind == "id":
                out.append(self.curie(line, p, what))
            elif slot.kind == "uri":
                out.append(self.iri(line, p, what))
            elif slot.kind == "date":
                try:
                    date.fromisoformat(p)
                    ok = re.fullmatch(r"\d{4}-\d{2}-\d{2}", p) is not None
                except ValueError:
                    ok = False
                if not ok:
                    raise self.fail(line, f"{what} {shown(p)!r} is not a date (YYYY-MM-DD)")
                out.append(p)
            elif slot.kind == "double":
                try:
                    x = float(p)
                except ValueError:
                    x = math.nan
                if not re.fullmatch(r"[+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", p) or not 0.0 <= x <= 1.0:
                    raise self.fail(line, f"{what} {shown(p)!r} is not a number from 0 to 1")
                return x
            else:
                if len(p) > MAX_TEXT:
                    raise self.fail(line, f"{what} is longer than {MAX_TEXT:,} characters")
                if _CONTROL.search(p):
                    raise self.fail(line, f"{what} {shown(p)!r} holds control or invisible characters")
                out.append(p)
        if slot.multi:
            return tuple(sorted(set(out))) if slot.kind in ("id", "uri") else tuple(out)
        return out[0]


def parse(data: bytes, where: str) -> MappingSet:
    """The mapping set in the SSSOM/TSV bytes *data* (a file called *where*, named in errors)."""
    text = decode(data, where)
    r = _Reader(where)
    lines = text.split("\n")
    meta_lines: list[tuple[int, str]] = []
    i = 0
    while i < len(lines) and lines[i].startswith("#"):
        meta_lines.append((i + 1, lines[i][1:].rstrip("\r")))
        i += 1
    if not text.strip():
        raise r.fail(None, "the file is empty", "an SSSOM/TSV file starts with #-commented metadata")
    raw = r.metadata(meta_lines)
    r.set_prefixes(raw.pop("curie_map", {}))
    for required in ("mapping_set_id", "license"):
        if required not in raw:
            raise r.fail(None, f"the metadata gives no {required}",
                         f"add a line '#{required}: https://...' before the table")
    meta: dict[str, Value] = {}
    for key, value in raw.items():
        slot = SET_SLOT[key]
        if slot.multi:
            items = [str(v) for v in (value if isinstance(value, list) else [value])]
            if not items or any("|" in v for v in items):
                raise r.fail(None, f"{key} needs one or more values, none holding '|'")
            meta[key] = r.value(None, slot, "|".join(items))
        else:
            if isinstance(value, list):
                raise r.fail(None, f"{key} takes one value, not a list")
            meta[key] = r.value(None, slot, str(value))
    set_id = str(meta.pop("mapping_set_id"))

    body = "\n".join(line.rstrip("\r") for line in lines[i:])
    reader = csv.reader(io.StringIO(body), delimiter="\t", strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in reader:   # a row's line: the last line it reads (a quoted field may hold line breaks)
            rows.append((i + reader.line_num, row))
    except csv.Error as exc:
        raise r.fail(i + reader.line_num, f"the table is not valid TSV ({exc})") from None
    rows = [(n, row) for n, row in rows if row and any(c.strip() for c in row)]
    if not rows:
        raise r.fail(None, "the file has metadata but no table", "add a header row: subject_id, predicate_id, ...")
    header_line, header = rows[0]
    columns = [c.strip() for c in header]
    for c in columns:
        if c.startswith("#"):
            raise r.fail(header_line, "a # metadata line comes after the table began",
                         "keep all metadata lines at the top")
        if c not in MAPPING_SLOT:
            raise r.fail(header_line, f"unknown column {shown(c)!r}",
                         "rolegraph keeps the SSSOM slots " + ", ".join(MAPPING_SLOT))
    dup = sorted({c for c in columns if columns.count(c) > 1})
    if dup:
        raise r.fail(header_line, f"column {dup[0]} is given twice")
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise r.fail(header_line, f"the table has no {', '.join(missing)} column")
    if len(rows) - 1 > MAX_ROWS:
        raise r.fail(None, f"more than {MAX_ROWS:,} mappings", "split it into smaller sets")
    mappings: list[Mapping] = []
    seen: dict[tuple[str, str, str], int] = {}
    for n, row in rows[1:]:
        if row[0].startswith("#"):
            raise r.fail(n, "a # metadata line comes after the table began", "keep all metadata lines at the top")
        if len(row) != len(columns):
            raise r.fail(n, f"the row has {len(row)} fields; the header has {len(columns)}",
                         "separate fields with one tab each")
        values: dict[str, Value] = {}
        for c, cell in zip(columns, row):
            if cell.strip() == "":
                if c in REQUIRED_COLUMNS:
                    raise r.fail(n, f"{c} is empty")
                continue
            values[c] = r.value(n, MAPPING_SLOT[c], cell)
        pred = str(values.pop("predicate_id"))
        if pred not in PREDICATES:
            raise r.fail(n, f"predicate_id {shown(_cell(row, columns, 'predicate_id'))} is not a SKOS mapping "
                            "property", "use skos:exactMatch, closeMatch, broadMatch, narrowMatch or relatedMatch")
        just = str(values.pop("mapping_justification"))
        if just not in JUSTIFICATIONS:
            raise r.fail(n, f"mapping_justification {shown(_cell(row, columns, 'mapping_justification'))} is not "
                            "a SEMAPV matching process", "e.g. semapv:ManualMappingCuration or semapv:LexicalMatching")
        m = Mapping(str(values.pop("subject_id")), pred, str(values.pop("object_id")), just, values)
        if m.key in seen:
            raise r.fail(n, f"the same subject, predicate and object as line {seen[m.key]}", "keep one of the rows")
        seen[m.key] = n
        mappings.append(m)
    return MappingSet(set_id, dict(r.declared), meta, mappings, lines=seen)


def _cell(row: list[str], columns: list[str], name: str) -> str:
    return row[columns.index(name)].strip()


# -------------------------------------------------------------------- writing

def compress(iri: str, prefixes: dict[str, str]) -> str:
    """*iri* as a CURIE with the longest namespace of *prefixes* (built-in ones included) that fits."""
    every = {**BUILTIN_PREFIXES, **prefixes}
    best = ""
    for name, ns in sorted(every.items()):
        if iri.startswith(ns) and len(iri) > len(ns) and len(ns) > len(every.get(best, "")):
            if _CURIE.fullmatch(f"{name}:{iri[len(ns):]}"):
                best = name
    if not best:
        raise ValueError(f"no prefix of the set's curie_map fits {iri}")
    return f"{best}:{iri[len(every[best]):]}"


def _yaml(value: str) -> str:
    plain = (value and value == value.strip() and not _NUMBER.fullmatch(value)
             and value[0] not in "-?:,[]{}#&*!|>'\"%@`" and ": " not in value and " #" not in value
             and value.lower() not in ("true", "false", "null", "yes", "no", "on", "off", "~")
             and not value.endswith(":") and not any(c in value for c in "\n\r\t"))
    if plain:
        return value
    return '"' + "".join({v: "\\" + k for k, v in _YAML_ESCAPES.items()}.get(c, c) for c in value) + '"'


def _text(slot: Slot, value: Value, prefixes: dict[str, str]) -> str:
    items = list(value) if isinstance(value, tuple) else [value]
    if slot.kind == "double":
        return format_confidence(float(items[0]))
    if slot.kind == "id":
        return "|".join(compress(str(v), prefixes) for v in items)
    return "|".join(str(v) for v in items)


def format_confidence(x: float) -> str:
    """The shortest text that reads back as *x* (0.8, not 0.80000001)."""
    text = repr(float(x))
    return text[:-2] if text.endswith(".0") and text not in ("0.0", "1.0") else text


def write(s: MappingSet) -> str:
    """*s* as canonical SSSOM/TSV text."""
    out = ["#curie_map:"]
    prefixes = {**BUILTIN_PREFIXES, **s.prefixes}
    for name in sorted(s.prefixes):
        out.append(f"#  {name}: {_yaml(s.prefixes[name])}")
    meta = {"mapping_set_id": s.id, **s.metadata}
    for slot in SET_SLOTS:
        if slot.name not in meta:
            continue
        v = meta[slot.name]
        if slot.multi:
            out.append(f"#{slot.name}:")
            out.extend(f"#  - {_yaml(_text(slot, x, prefixes))}" for x in v)   # type: ignore[union-attr]
        else:
            out.append(f"#{slot.name}: {_yaml(_text(slot, v, prefixes))}")
    rows = s.sorted_mappings()
    columns = [c for c in MAPPING_SLOTS if c.name in REQUIRED_COLUMNS or any(c.name in m.slots for m in rows)]
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow([c.name for c in columns])
    for m in rows:
        values = m.values()
        w.writerow([_text(c, values[c.name], prefixes) if c.name in values else "" for c in columns])
    return "\n".join(out) + "\n" + buf.getvalue()

