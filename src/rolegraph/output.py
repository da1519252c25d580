"""Rendering results for people and programs: aligned text tables, JSON, CSV.

Library functions return plain data; the CLI picks a renderer here.

>>> print(table([{"name": "Data engineer", "levels": 5}], ["name", "levels"]))
name           levels
-------------  ------
Data engineer  5
"""
from __future__ import annotations

import csv
import io
import json
import re
from typing import Any, Iterable, Sequence


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".")
    return str(value)


def table(rows: Iterable[dict], columns: Sequence[str], headers: Sequence[str] | None = None) -> str:
    """An aligned plain-text table of *columns* from *rows* (lists are comma-joined)."""
    headers = list(headers or columns)
    body = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max([len(h)] + [len(line[i]) for line in body]) for i, h in enumerate(headers)]
    fmt = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    lines = [fmt(headers), fmt(["-" * w for w in widths])] + [fmt(b) for b in body]
    return "\n".join(lines)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_safe(cell: str) -> str:
    """*cell* for a CSV file people open in a spreadsheet: text starting with ``=``, ``+``, ``-``, ``@``, a tab or
    a carriage return gets a leading ``'`` (OWASP's advice on CSV injection), so a label such as
    ``=HYPERLINK(...)`` shows as text instead of running as a formula. A cell that is a plain number (``-0.5``,
    ``+3``, ``1e-3``) is a value, not a formula, and stays as it is.

    >>> [spreadsheet_safe(c) for c in ("=1+2", "@SUM(A1)", "-1+2", "-0.25", "+3", "Data engineer", "")]
    ["'=1+2", "'@SUM(A1)", "'-1+2", '-0.25', '+3', 'Data engineer', '']
    """
    if cell.startswith(_FORMULA_START) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def to_csv(rows: Iterable[dict], columns: Sequence[str], delimiter: str = ",") -> str:
    """*rows* as CSV (or TSV with ``delimiter="\\t"``) for a spreadsheet: every cell :func:`spreadsheet_safe`.

    >>> print(to_csv([{"name": "=HYPERLINK(\\"http://x\\")", "gap": -1}], ["name", "gap"]), end="")
    name,gap
    "'=HYPERLINK(""http://x"")",-1
    """
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow([spreadsheet_safe(c) for c in columns])
    for r in rows:
        w.writerow([spreadsheet_safe(_cell(r.get(c))) for c in columns])
    return buf.getvalue()
