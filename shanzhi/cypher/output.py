"""Query rows as a rich table, JSON or CSV (the three ``--format``s of ``shanzhi cypher run``).

Rows are plain data (the store turns nodes into ``{element_id, labels, properties}``,
relationships into ``{element_id, type, start, end, properties}``, paths into ``{nodes,
relationships}`` and dates into ISO text). :func:`shown` masks every phone in them — by what a
value is, not only by its column's name (:func:`shanzhi.privacy.mask_values`) — unless the user
asked to see contacts. A CSV cell that a spreadsheet would run as a formula (text starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written with a leading ``'``, which
Excel and LibreOffice show as text.

>>> print(to_csv([{"name": "嘉利明珠城", "n": -26, "tags": ["a", "b"], "f": "=1+1"}]), end="")
name,n,tags,f
嘉利明珠城,-26,"[""a"", ""b""]",'=1+1
>>> shown([{"who": "史示例玲", "note": "新号码 13800000270"}], show_contact=False)
[{'who': '史示例玲', 'note': '新号码 138****0270'}]
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rich.table import Table
from rich.text import Text

from shanzhi.privacy import mask_values

__all__ = ["safe_cell", "shown", "to_csv", "to_json", "to_table"]

#: What a spreadsheet takes for the start of a formula (OWASP: CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def shown(rows: list[dict[str, Any]], *, show_contact: bool) -> list[dict[str, Any]]:
    """The rows as a user may see them: every phone masked unless ``show_contact``."""
    if show_contact:
        return rows
    masked: list[dict[str, Any]] = mask_values(rows)
    return masked


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def safe_cell(value: Any) -> str:
    """A CSV cell's text; text a spreadsheet would run as a formula gets a leading ``'``.

    >>> safe_cell("@SUM(A1)"), safe_cell("-1"), safe_cell(-1), safe_cell("2026-01-01")
    ("'@SUM(A1)", "'-1", '-1', '2026-01-01')
    """
    text = _text(value)
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    cols: dict[str, None] = {}
    for row in rows:
        cols.update(dict.fromkeys(row))
    return list(cols)


def to_json(rows: list[dict[str, Any]]) -> str:
    """Rows as a JSON array (Chinese kept as is)."""
    return json.dumps(rows, ensure_ascii=False, indent=2, default=str)


def to_csv(rows: list[dict[str, Any]]) -> str:
    """Rows as CSV with a header; nested values as JSON text; formulas defused."""
    buf = io.StringIO()
    cols = _columns(rows)
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([safe_cell(c) for c in cols])
    for row in rows:
        w.writerow([safe_cell(row.get(c)) for c in cols])
    return buf.getvalue()


def to_table(rows: list[dict[str, Any]], title: str | None = None) -> Table:
    """Rows as a rich table (nodes, relationships and paths as their JSON; cells are plain text,
    never rich markup)."""
    table = Table(title=title, caption=f"{len(rows)} rows")
    cols = _columns(rows)
    for c in cols:
        table.add_column(Text(c))
    for row in rows:
        table.add_row(*(Text(_text(row.get(c))) for c in cols))
    return table
