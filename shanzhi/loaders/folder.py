"""Which files of a dataset folder hold which table.

A table comes from ``NAME.csv``, ``NAME.jsonl`` or a sheet named NAME of an ``.xlsx`` workbook
or ``.xls`` workbook in the folder, NAME being English or Chinese (grids/网格, places/地点,
orgs/组织, people/人员, projects/项目, relations/关系). Two sources for one table, and a file or
sheet whose name is no table are problems; a hidden sheet is left out and said; other files
(README, notes) are ignored, and so are the folders ``ledgers/`` and ``mappings/`` (ledgers.py
reads them). A file that links outside the dataset folder, or that is no regular file (a device,
a pipe), is refused without being read: its lines never reach a message.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from shanzhi.errors import Problem
from shanzhi.loaders.headers import TABLES, table_name
from shanzhi.loaders.readers import Source, read_csv, read_jsonl
from shanzhi.loaders.workbooks import Workbook, WorkbookError

__all__ = ["EXPECTED_NAMES", "TableSource", "outside", "scan_folder"]

_READ = (".csv", ".jsonl", ".xlsx", ".xls")

EXPECTED_NAMES = (
    "grids, places, orgs, people, projects, relations (or 网格, 地点, 组织, 人员, 项目, 关系)"
)


@dataclass(frozen=True)
class TableSource:
    """Where one table comes from; ``open()`` reads it lazily."""

    table: str
    file: str
    open: Callable[[], Source]
    #: the file the table is read from (for a sheet, its workbook)
    path: Path | None = None


def _csv(path: Path) -> Callable[[], Source]:
    return lambda: read_csv(path, path.name)


def _jsonl(path: Path) -> Callable[[], Source]:
    return lambda: read_jsonl(path, path.name)


def _sheet(wb: Workbook, sheet: str) -> Callable[[], Source]:
    return lambda: wb.source(sheet)


def outside(path: Path, folder: Path) -> str | None:
    """Why ``path`` may not be read as part of the dataset in ``folder``, or None."""
    resolved = path.resolve()
    if not resolved.is_relative_to(folder.resolve()):
        return (
            "链接到数据集文件夹之外的文件，未读取：把文件本身放进文件夹 "
            "(links to a file outside the dataset folder; not read: put the file itself in "
            "the folder)"
        )
    if not resolved.is_file():
        return "不是普通文件，未读取 (not a regular file; not read)"
    return None


def _candidates(
    path: Path, stack: ExitStack, problems: list[Problem], notes: list[Problem]
) -> list[tuple[str | None, str, Callable[[], Source], Path | None]]:
    """(table or None, display name, opener, the file) for each table-like thing in one file."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [(table_name(path.stem), path.name, _csv(path), path)]
    if suffix == ".jsonl":
        return [(table_name(path.stem), path.name, _jsonl(path), path)]
    if suffix in (".xlsx", ".xls"):
        try:
            wb = stack.enter_context(Workbook(path, path.name))
        except WorkbookError as e:
            problems.append(Problem(path.name, 0, "", str(e)))
            return []
        notes.extend(wb.hidden_note(sheet) for sheet in wb.hidden_sheets)
        return [
            (table_name(sheet), wb.sheet_file(sheet), _sheet(wb, sheet), path)
            for sheet in wb.sheets
            if table_name(sheet) or not wb.is_empty(sheet)
        ]
    if suffix == ".json" and table_name(path.stem):
        fix = f"use JSON Lines ({path.stem}.jsonl)"
        problems.append(Problem(path.name, 0, "", f".json files are not read; {fix}"))
    return []


def scan_folder(
    folder: Path, stack: ExitStack, skip: set[Path]
) -> tuple[list[TableSource], list[Problem], list[Problem]]:
    """The table sources of a folder in reading order, the problems with its files, and the
    notes on what was left out (hidden sheets).

    Workbooks stay open on ``stack`` until the caller closes it; files in ``skip`` (ledgers a
    mapping reads) are left alone.
    """
    problems: list[Problem] = []
    notes: list[Problem] = []
    found: dict[str, TableSource] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "~$")) or path.resolve() in skip:
            continue
        if path.suffix.lower() in _READ and (why := outside(path, folder)):
            problems.append(Problem(path.name, 0, "", why))
            continue
        if not path.is_file():
            continue
        for table, file, opener, whole in _candidates(path, stack, problems, notes):
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
                found[table] = TableSource(table, file, opener, whole)
    return [found[t] for t in TABLES if t in found], problems, notes
