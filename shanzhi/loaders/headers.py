"""Table names and column headers of records.md, in English or Chinese.

>>> table_name("网格"), table_name("Grids"), table_name("sheet1")
('grids', 'grids', None)
>>> h = resolve_header("grids", ["编号", "网格名称", "层级", "Parent ID", "source"])
>>> h.index["parent_id"], h.display["name"], h.extras
(3, '网格名称', [(4, 'source')])
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shanzhi.graph.stores.stamps import STAMPS
from shanzhi.loaders.phones import PHONE_HEADERS
from shanzhi.loaders.values import clean

__all__ = [
    "COLUMNS",
    "REQUIRED",
    "TABLES",
    "Header",
    "column_key",
    "column_letter",
    "resolve_header",
    "table_name",
]

#: The six tables, in the order they are read (nodes before relations).
TABLES = ("grids", "places", "orgs", "people", "projects", "relations")
_TABLE_ZH = {
    "网格": "grids",
    "地点": "places",
    "组织": "orgs",
    "人员": "people",
    "项目": "projects",
    "关系": "relations",
}

_ID = ("编号",)
#: Each table's columns and their Chinese aliases (records.md).
COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "grids": {
        "id": _ID,
        "name": ("名称", "网格名称"),
        "level": ("层级", "网格层级"),
        "parent_id": ("上级编号", "上级网格"),
        "code": ("网格编码",),
    },
    "places": {
        "id": _ID,
        "name": ("名称",),
        "kind": ("类型",),
        "parent_id": ("上级编号",),
        "address": ("地址",),
        "grid_id": ("网格编号",),
        "road_id": ("道路编号",),
        "aliases": ("别名",),
    },
    "orgs": {
        "id": _ID,
        "name": ("名称",),
        "kind": ("类型",),
        "parent_id": ("上级编号",),
        "grid_id": ("网格编号",),
        "place_id": ("所在地编号",),
    },
    "people": {
        "id": _ID,
        "name": ("姓名", "名称"),
        "party_member": ("是否党员",),
        "phone": PHONE_HEADERS,
    },
    "projects": {
        "id": _ID,
        "name": ("名称", "项目名称"),
        "level": ("级别",),
        "lead_id": ("牵头单位编号",),
        "grid_id": ("网格编号",),
        "status": ("状态",),
        "start": ("开始日期",),
        "end": ("结束日期",),
    },
    "relations": {
        "source_id": ("起点编号",),
        "type": ("关系",),
        "target_id": ("终点编号",),
        "role": ("职务",),
        "valid_from": ("开始日期",),
        "valid_to": ("结束日期",),
        "note": ("备注",),
    },
}
#: Columns every row must fill (``parent_id`` of non-street grids is checked by the grid rule).
REQUIRED: dict[str, tuple[str, ...]] = {
    "grids": ("id", "name", "level"),
    "places": ("id", "name", "kind"),
    "orgs": ("id", "name", "kind"),
    "people": ("id", "name"),
    "projects": ("id", "name", "level"),
    "relations": ("source_id", "type", "target_id"),
}
#: Property names the stores set themselves; an extra column may not take them.
_RESERVED = frozenset({"uid", "dataset", "fingerprint", "source_file", "source_line", "key"}) | {
    "id",
    "name",
    "label",
    "kind",
    "level",
    "type",
    "role",
    "valid_from",
    "valid_to",
    *STAMPS,
}
_LOOKUP: dict[str, dict[str, str]] = {
    table: {alias: col for col, aliases in cols.items() for alias in (col, *aliases)}
    for table, cols in COLUMNS.items()
}


def column_key(text: str) -> str:
    """How a header is compared: NFKC, trimmed, lower case, spaces and hyphens as ``_``."""
    return clean(text).lower().replace(" ", "_").replace("-", "_")


def table_name(text: str) -> str | None:
    """The table a file stem or sheet name stands for (English or Chinese), else None."""
    key = column_key(text)
    return key if key in TABLES else _TABLE_ZH.get(key)


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 → A, 27 → AB)."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


@dataclass
class Header:
    """A header row resolved against a table's columns.

    ``index`` maps a canonical column to its position, ``display`` to the header as the file
    writes it (problems name columns the way the user sees them), ``extras`` lists the other
    columns kept as properties, and ``problems`` holds ``(position, column, message)``.
    """

    index: dict[str, int] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)
    extras: list[tuple[int, str]] = field(default_factory=list)
    width: int = 0
    problems: list[tuple[int, str, str]] = field(default_factory=list)


def resolve_header(table: str, cells: list[str]) -> Header:
    """Match header cells (already cleaned) to the table's columns; unknown ones become extras."""
    lookup = _LOOKUP[table]
    out = Header(width=len(cells))
    seen: dict[str, int] = {}
    for i, text in enumerate(cells):
        if not text:
            continue
        col = lookup.get(text) or lookup.get(column_key(text))
        name = col or text
        if name in seen:
            first = cells[seen[name]]
            out.problems.append(
                (i, text, f"same column as {first} (column {column_letter(seen[name])})")
            )
            continue
        seen[name] = i
        if col:
            out.index[col] = i
            out.display[col] = text
        elif column_key(text) in _RESERVED:
            out.problems.append((i, text, f"{text!r} is not a {table} column and is reserved"))
        else:
            out.extras.append((i, text))
    return out
