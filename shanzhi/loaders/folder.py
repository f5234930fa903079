"""Which files of a dataset folder hold which table.

A table comes from ``NAME.csv``, ``NAME.jsonl`` or a sheet named NAME of an ``.xlsx`` workbook
in the folder, NAME being English or Chinese (grids/网格, places/地点, orgs/组织, people/人员,
projects/项目, relations/关系). Two sources for one table, a file or sheet whose name is no table,
and an old ``.xls`` workbook are problems; other files (README, notes) are ignored, and so are the
folders ``ledgers/`` and ``mappings/`` (ledgers.py reads them).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from shanzhi.errors import Problem
from shanzhi.loaders.headers import TABLES, table_name
from shanzhi.loaders.readers import Source, Workbook, read_csv, read_jsonl

__all__ = ["EXPECTED_NAMES", "TableSource", "scan_folder"]

EXPECTED_NAMES = (
    "grids, places, orgs, people, projects, relations (or 网格, 地点, 组织, 人员, 项目, 关系)"
)


@dataclass(frozen=True)
class TableSource:
    """Where one table comes from; ``open()`` reads it lazily."""

    table: str
    file: str
    open: Callable[[], Source]


def _csv(path: Path) -> Callable[[], Source]:
    return lambda: read_csv(path, path.name)


def _jsonl(path: Path) -> Callable[[], Source]:
    return lambda: read_jsonl(path, path.name)


def _sheet(wb: Workbook, sheet: str) -> Callable[[], Source]:
    return lambda: wb.source(sheet)


def _candidates(
    path: Path, stack: ExitStack, problems: list[Problem]
) -> list[tuple[str | None, str, Callable[[], Source]]]:
    """(table or None, display name, opener) for each table-like thing in one file."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [(table_name(path.stem), path.name, _csv(path))]
    if suffix == ".jsonl":
        return [(table_name(path.stem), path.name, _jsonl(path))]
    if suffix == ".xlsx":
        try:
            wb = stack.enter_context(Workbook(path, path.name))
        except Exception as e:  # openpyxl raises many kinds for a damaged file
            problems.append(Problem(path.name, 0, "", f"not a readable .xlsx workbook ({e})"))
            return []
        return [
            (table_name(sheet), wb.sheet_file(sheet), _sheet(wb, sheet))
            for sheet in wb.sheets
            if table_name(sheet) or not wb.is_empty(sheet)
        ]
    if suffix == ".xls":
        problems.append(Problem(path.name, 0, "", "old .xls workbooks are not read; save as .xlsx"))
    elif suffix == ".json" and table_name(path.stem):
        fix = f"use JSON Lines ({path.stem}.jsonl)"
        problems.append(Problem(path.name, 0, "", f".json files are not read; {fix}"))
    return []


def scan_folder(
    folder: Path, stack: ExitStack, skip: set[Path]
) -> tuple[list[TableSource], list[Problem]]:
    """The table sources of a folder in reading order, and the problems with its files.

    Workbooks stay open on ``stack`` until the caller closes it; files in ``skip`` (ledgers a
    mapping reads) are left alone.
    """
    problems: list[Problem] = []
    found: dict[str, TableSource] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "~$")) or not path.is_file() or path.resolve() in skip:
            continue
        for table, file, opener in _candidates(path, stack, problems):
            if table is None:
                what = "sheet" if "[" in file else "file name"
                name = file.split("[", 1)[1][:-1] if "[" in file else Path(file).stem
                problems.append(
                    Problem(file, 0, "", f"unknown {what} {name!r}; expected {EXPECTED_NAMES}")
                )
            elif table in found:
                problems.append(
                    Problem(
                        file, 0, "", f"{table} is also given by {found[table].file}; keep only one"
                    )
                )
            else:
                found[table] = TableSource(table, file, opener)
    return [found[t] for t in TABLES if t in found], problems
