"""Query rows as a rich table, JSON or CSV (the three ``--format``s of ``shanzhi cypher run``).

>>> print(to_csv([{"name": "嘉利明珠城", "n": 26, "tags": ["a", "b"]}]), end="")
name,n,tags
嘉利明珠城,26,"[""a"", ""b""]"
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rich.table import Table

__all__ = ["to_csv", "to_json", "to_table"]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    cols: dict[str, None] = {}
    for row in rows:
        cols.update(dict.fromkeys(row))
    return list(cols)


def to_json(rows: list[dict[str, Any]]) -> str:
    """Rows as a JSON array (Chinese kept as is)."""
    return json.dumps(rows, ensure_ascii=False, indent=2, default=str)


def to_csv(rows: list[dict[str, Any]]) -> str:
    """Rows as CSV with a header; nested values as JSON text."""
    buf = io.StringIO()
    cols = _columns(rows)
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for row in rows:
        w.writerow([_text(row.get(c)) for c in cols])
    return buf.getvalue()


def to_table(rows: list[dict[str, Any]], title: str | None = None) -> Table:
    """Rows as a rich table."""
    table = Table(title=title, caption=f"{len(rows)} rows")
    cols = _columns(rows)
    for c in cols:
        table.add_column(c)
    for row in rows:
        table.add_row(*(_text(row.get(c)) for c in cols))
    return table
