"""Ticket lists: 12345 hotline work orders or 网格 events, as a street office receives them.

A list is CSV (UTF-8, UTF-8 with BOM or GB18030, detected by the loaders' reader), an ``.xlsx``
workbook (its first sheet, or ``sheet`` of the mapping) or JSON Lines, with a header row naming
the columns 工单编号, 诉求地址, 诉求内容, 诉求类别, 受理时间 (or id, address, content, category,
received). Every other column is kept as it is. A list whose columns are named otherwise comes
with a small YAML mapping in the style of the ledgers' (docs/mappings.md, docs/routing.md)::

    sheet: 工单明细        # a workbook's sheet (default: its first)
    header_row: 2         # the non-blank row holding the headers (default 1)
    columns:              # the canonical column → the list's own header
      工单编号: 单号
      诉求地址: 事发地址
      受理时间: 派单日期

A row that cannot be read — no date, a date that is not one, a value under no header — is a
``Problem`` (``FILE:LINE: column: what``, LINE as a spreadsheet user counts it) and is left out;
it is never dropped silently. A file that cannot be read at all raises ``DataError``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypedDict

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shanzhi.errors import DataError, Problem, UsageError
from shanzhi.loaders.readers import Source, read_csv, read_jsonl
from shanzhi.loaders.values import parse_date

__all__ = ["FIELDS", "Ticket", "TicketList", "parse_day", "read_tickets"]

#: Canonical fields, each with the header names it is known by (the first is the Chinese one).
FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("工单编号", "id", "ticket_id", "工单号", "编号"),
    "address": ("诉求地址", "address", "地址", "事发地址"),
    "content": ("诉求内容", "content", "内容", "description"),
    "category": ("诉求类别", "category", "类别", "诉求分类"),
    "received": ("受理时间", "received", "received_at", "受理日期", "date"),
}
_DAY = re.compile(r"^\s*(\d{4}(?:-\d{1,2}-\d{1,2}|/\d{1,2}/\d{1,2}|年\d{1,2}月\d{1,2}日?))")


class Ticket(TypedDict):
    """One readable row: its line, its cells (aligned with the header) and its fields."""

    line: int
    cells: list[str]
    id: str
    address: str
    content: str
    category: str
    day: str


@dataclass
class TicketList:
    """A ticket list being read: header, a lazy stream of tickets, and problems met so far."""

    file: str
    header: list[str]
    tickets: Iterator[Ticket]
    problems: list[Problem] = field(default_factory=list)
    #: rows in the file (an estimate for CSV: its line count), for a progress bar
    size: int = 0


def parse_day(text: str) -> date:
    """The day of a 受理时间 cell: a date, or a date and a time.

    >>> parse_day("2025-07-01 09:30:00"), parse_day("2025年7月1日"), parse_day("2025/7/1 9:05")
    (datetime.date(2025, 7, 1), datetime.date(2025, 7, 1), datetime.date(2025, 7, 1))
    """
    folded = unicodedata.normalize("NFKC", text)
    m = _DAY.match(folded)
    if m is None:
        raise ValueError(f"{text!r} is not a date (expected YYYY-MM-DD, YYYY/M/D or YYYY年M月D日)")
    rest = folded[m.end() :].strip()
    if rest and not re.fullmatch(r"[T ]?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?", rest):
        raise ValueError(f"{text!r} is not a date and time")
    return parse_date(m.group(1))


class _Mapping(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    description: str | None = None
    sheet: str | None = None
    header_row: int = Field(default=1, ge=1)
    columns: dict[str, str] = Field(default_factory=dict)


def _canonical(name: str) -> str | None:
    key = unicodedata.normalize("NFKC", name).strip().casefold()
    for canon, names in FIELDS.items():
        if key in (n.casefold() for n in names):
            return canon
    return None


def _read_mapping(path: Path) -> _Mapping:
    try:
        doc: Any = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
        spec = _Mapping.model_validate(doc)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DataError(
            [Problem(str(path), 0, "", f"cannot read the mapping ({exc})")],
            f"cannot read the mapping {path}; nothing was routed",
        ) from exc
    except ValidationError as exc:
        problems = [
            Problem(str(path), 0, ".".join(map(str, e["loc"])), e["msg"]) for e in exc.errors()
        ]
        raise DataError(problems, f"{path} has problems; nothing was routed") from None
    unknown = [k for k in spec.columns if _canonical(k) is None]
    if unknown:
        known = "、".join(n[0] for n in FIELDS.values())
        raise DataError(
            [
                Problem(str(path), 0, f"columns.{k}", f"unknown column (expected {known})")
                for k in unknown
            ],
            f"{path} has problems; nothing was routed",
        )
    return spec


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFKC", str(value)).strip()


def _read_xlsx(path: Path, sheet: str | None, header_row: int) -> tuple[Source, int]:
    import openpyxl  # deferred: only workbooks pay for it

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise DataError(
            [Problem(path.name, 0, "", f"not a readable workbook ({exc})")],
            f"{path.name} is not a readable workbook; nothing was routed",
        ) from exc
    name = sheet or wb.sheetnames[0]
    if name not in wb.sheetnames:
        wb.close()
        raise UsageError(f"{path.name} has no sheet {name!r} (it has {'、'.join(wb.sheetnames)}).")
    ws = wb[name]
    file = f"{path.name}[{name}]"
    rows = [
        (i, [_cell_text(v) for v in row]) for i, row in enumerate(ws.iter_rows(values_only=True), 1)
    ]
    wb.close()
    filled = [(i, cells) for i, cells in rows if any(cells)]
    if len(filled) < header_row:
        return Source(
            file, [], None, iter(()), [Problem(file, 1, "", "the sheet is empty (no header row)")]
        ), 0
    line, header = filled[header_row - 1]
    while header and not header[-1]:
        header.pop()
    data = filled[header_row:]
    return Source(file, header, line, iter(data)), len(data)


def _open(path: Path, spec: _Mapping) -> tuple[Source, int]:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(path, spec.sheet, spec.header_row)
    if suffix == ".jsonl":
        src = read_jsonl(path, path.name)
    elif suffix in (".csv", ".txt"):
        src = read_csv(path, path.name, spec.header_row)
    else:
        raise UsageError(f"cannot read {path.name}: a ticket list is .csv, .xlsx or .jsonl.")
    with path.open("rb") as fh:
        size = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    return src, size


def read_tickets(
    path: Path | str, mapping: Path | str | None = None, on: date | None = None
) -> TicketList:
    """Open a ticket list; its tickets are read as ``TicketList.tickets`` is iterated.

    ``on`` is the day of tickets whose 受理时间 is empty (or of a list without that column).
    """
    p = Path(path)
    spec = _read_mapping(Path(mapping)) if mapping is not None else _Mapping()
    try:
        src, size = _open(p, spec)
    except OSError as exc:
        raise DataError(
            [Problem(p.name, 0, "", f"cannot read the file ({exc.strerror})")],
            f"cannot read {p}; nothing was routed",
        ) from exc
    if not src.complete and not src.header:
        raise DataError(src.problems, f"{src.file} cannot be read; nothing was routed")
    if src.problems and not src.header:
        raise DataError(src.problems, f"{src.file} has no header row; nothing was routed")
    where = _columns(src, spec, on)
    out = TicketList(src.file, list(src.header), iter(()), src.problems, size)
    out.tickets = _tickets(src, where, on, out.problems)
    return out


def _columns(src: Source, spec: _Mapping, on: date | None) -> dict[str, int]:
    """Canonical field → column index in the header."""
    problems: list[Problem] = []
    line = src.header_line or 1
    seen: dict[str, int] = {}
    for i, h in enumerate(src.header):
        if h and h in seen:
            problems.append(Problem(src.file, line, h, "this header appears twice"))
        seen.setdefault(h, i)
    where: dict[str, int] = {}
    for key, header in spec.columns.items():
        canon = _canonical(key)
        assert canon is not None
        if header not in seen:
            problems.append(
                Problem(src.file, line, header, f"no such column (the mapping names it for {key})")
            )
        else:
            where[canon] = seen[header]
    for i, h in enumerate(src.header):
        canon = _canonical(h)
        if canon is not None and canon not in where:
            where[canon] = i
    if "address" not in where and "content" not in where:
        problems.append(
            Problem(src.file, line, "", "no 诉求地址 or 诉求内容 column: nothing says where")
        )
    if "received" not in where and on is None:
        problems.append(Problem(src.file, line, "", "no 受理时间 column: give the day with --on"))
    if problems:
        raise DataError(problems, f"{src.file} cannot be routed: its header has problems")
    return where


def _tickets(
    src: Source, where: dict[str, int], on: date | None, problems: list[Problem]
) -> Iterator[Ticket]:
    width = len(src.header)
    received = src.header[where["received"]] if "received" in where else "受理时间"

    def cell(cells: list[str], key: str) -> str:
        i = where.get(key)
        return cells[i] if i is not None and i < len(cells) else ""

    for line, cells in src.rows:
        extra = next((j for j in range(width, len(cells)) if cells[j]), None)
        if extra is not None:
            problems.append(
                Problem(
                    src.file,
                    line,
                    "",
                    f"a value in column {extra + 1} has no header; the row is left out",
                )
            )
            continue
        raw = cell(cells, "received")
        try:
            day = parse_day(raw) if raw else on
        except ValueError as exc:
            problems.append(Problem(src.file, line, received, f"{exc}; the row is left out"))
            continue
        if day is None:
            problems.append(
                Problem(
                    src.file,
                    line,
                    received,
                    "empty: the day decides who is on duty; the row is left out",
                )
            )
            continue
        row = (cells + [""] * width)[:width]
        yield {
            "line": line,
            "cells": row,
            "id": cell(cells, "id"),
            "address": cell(cells, "address"),
            "content": cell(cells, "content"),
            "category": cell(cells, "category"),
            "day": day.isoformat(),
        }
