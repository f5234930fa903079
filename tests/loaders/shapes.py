"""Builders for the ledger corpus: a small street, and ledgers as street offices keep them.

Every workbook is written here by openpyxl (or xlwt for ``.xls``): no binary is committed, and
each shape says in code exactly what is in it.
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Font

#: The street the ledgers talk about: two 居民区, two estates, four buildings, one grid each.
BASE = {
    "grids.csv": [
        ["id", "name", "level", "parent_id"],
        ["G-S", "示例街道总网格", "street", ""],
        ["G-B", "示例街区网格", "block", "G-S"],
        ["G-C1", "示例第一居民区网格", "community", "G-B"],
        ["G-C2", "示例第二居民区网格", "community", "G-B"],
        ["G-R1", "示例一支部网格", "branch", "G-C1"],
        ["G-R2", "示例二支部网格", "branch", "G-C2"],
        ["G-U1", "示例苑1号楼网格", "building", "G-R1"],
        ["G-U2", "示例苑2号楼网格", "building", "G-R1"],
        ["G-U3", "示例园1号楼网格", "building", "G-R2"],
        ["G-U4", "示例园2号楼网格", "building", "G-R2"],
    ],
    "places.csv": [
        ["id", "name", "kind", "parent_id", "grid_id"],
        ["P-E1", "示例苑", "estate", "", "G-C1"],
        ["P-E2", "示例园", "estate", "", "G-C2"],
        ["P-E1-1", "示例苑1号楼", "building", "P-E1", "G-U1"],
        ["P-E1-2", "示例苑2号楼", "building", "P-E1", "G-U2"],
        ["P-E2-1", "示例园1号楼", "building", "P-E2", "G-U3"],
        ["P-E2-2", "示例园2号楼", "building", "P-E2", "G-U4"],
    ],
}

#: The usual mapping: a person per 楼组长 and the post on the grid covering the building.
MAPPING = """\
{head}records:
  - table: people
    when: {name}
    fields:
      id: "H-{{小区}}{{楼号|digits}}"
      name: "{{{name}}}"
      phone: "{{{phone}}}"
{extra}  - table: relations
    when: {name}
    fields:
      source_id: "H-{{小区}}{{楼号|digits}}"
      type: HOLDS
      role: 楼组长
      target_id: {{find: Place, name: "{{小区}}{{楼号|digits}}号楼", kind: building, via: COVERS}}
{since}"""

HEADER = ["居民区", "小区", "楼号", "楼组长", "联系电话"]
ROWS = [
    ["第一居民区", "示例苑", "1号", "甲示例", "13800000001"],
    ["第一居民区", "示例苑", "2号", "乙示例", "13800000002"],
    ["第二居民区", "示例园", "1号", "丙示例", "13800000003"],
    ["第二居民区", "示例园", "2号", "丁示例", "13800000004"],
]


def street(root: Path) -> Path:
    """The base dataset folder (no ledger yet)."""
    root.mkdir(parents=True, exist_ok=True)
    for name, rows in BASE.items():
        write_csv(root / name, rows)
    return root


def mapping(
    root: Path,
    stem: str = "楼组长名单",
    head: str = "",
    name: str = "楼组长",
    phone: str = "联系电话",
    since: str | None = None,
    extra: str = "",
) -> None:
    """Write ``mappings/STEM.yaml`` (``head``: top-level keys; ``since``: a valid_from column)."""
    text = MAPPING.format(
        head=head,
        name=name,
        phone=phone,
        extra=extra,
        since=f'      valid_from: "{{{since}}}"\n' if since else "",
    )
    (root / "mappings").mkdir(exist_ok=True)
    (root / "mappings" / f"{stem}.yaml").write_text(text, "utf-8")


def write_csv(path: Path, rows: Sequence[Sequence[Any]], encoding: str = "utf-8") -> None:
    """A CSV as Excel saves it (CRLF)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)


def ledger_csv(
    root: Path, rows: Sequence[Sequence[Any]], stem: str = "楼组长名单", enc: str = "utf-8"
) -> None:
    """``ledgers/STEM.csv``."""
    write_csv(root / "ledgers" / f"{stem}.csv", rows, enc)


def workbook(sheets: dict[str, Sequence[Sequence[Any]]]) -> openpyxl.Workbook:
    """A workbook with these sheets (in order) and rows."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(list(row))
    return wb


def save(wb: openpyxl.Workbook, root: Path, stem: str = "楼组长名单") -> Path:
    """Save as ``ledgers/STEM.xlsx``."""
    path = root / "ledgers" / f"{stem}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def strike(ws: Any, row: int, columns: Sequence[int] | None = None) -> None:
    """Strike through the cells of a row (all filled ones, or those 1-based columns)."""
    for cell in ws[row]:
        if cell.value is not None and (columns is None or cell.column in columns):
            cell.font = Font(strike=True)


def set_dimension(path: Path, ref: str) -> None:
    """Make every sheet's stored dimension claim ``ref`` (as some exporters write it wrong)."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)
            dst.writestr(item, data)
    tmp.replace(path)


def people(ds: Any) -> dict[str, tuple[str, object]]:
    """id → (name, phone) of the ledger's people (ids H-…)."""
    return {
        n.id: (n.name, n.props.get("phone"))
        for n in ds.nodes
        if n.label.value == "Person" and n.id.startswith("H-")
    }


def posts(ds: Any) -> dict[str, tuple[str, str | None]]:
    """person id → (grid id, valid_from) of the HOLDS posts the ledger made."""
    return {
        r.source_id: (r.target_id, r.valid_from.isoformat() if r.valid_from else None)
        for r in ds.relations
        if r.type.value == "HOLDS"
    }
