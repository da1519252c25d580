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


def to_csv(rows: Iterable[dict], columns: Sequence[str], delimiter: str = ",") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([_cell(r.get(c)) for c in columns])
    return buf.getvalue()
