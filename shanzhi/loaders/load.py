"""Read a dataset folder into a ``Dataset``, or every problem it has.

Reading order: the node tables (grids, places, orgs, people, projects), the node records of
ledgers, the relations table, the relation records of ledgers; then the references that pointed
forward, and PART_OF cycles (``parent_id`` and relations). A dataset with any problem gives no
Dataset at all; ``read_report`` also returns the notes on what was left out on purpose.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     d = Path(tmp)
...     _ = (d / "grids.csv").write_text("编号,名称,层级\\nG-1,共和新路街道,1\\n", encoding="utf-8")
...     print(load_dataset(d).nodes[0].kind)
...     _ = (d / "people.csv").write_text("id,name\\nG-1,x\\n", encoding="utf-8")
...     print(read_dataset(d)[1][0])
street
people.csv:2: id: G-1 is already used at grids.csv:2
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import TypedDict

from shanzhi import collector
from shanzhi.errors import DataError, NotFoundError, Problem, UsageError
from shanzhi.graph.model.dataset import Dataset
from shanzhi.loaders.checks import Registry
from shanzhi.loaders.folder import EXPECTED_NAMES, TableSource, scan_folder
from shanzhi.loaders.journal import KeptFile, file_digest, file_stamp
from shanzhi.loaders.ledgers import apply_ledgers, find_ledgers
from shanzhi.loaders.phones import mask_phones
from shanzhi.loaders.records import read_table
from shanzhi.loaders.values import check_dataset_name

__all__ = [
    "DatasetReport",
    "KeptFile",
    "dataset_name",
    "load_dataset",
    "read_dataset",
    "read_report",
    "report_json",
]


class DatasetReport(TypedDict):
    """What reading a dataset folder found: the dataset (None if any problem), the problems,
    and the notes on what was left out on purpose (hidden rows, skipped totals, hidden sheets)."""

    dataset: Dataset | None
    problems: list[Problem]
    notes: list[Problem]


def _masked(problems: list[Problem]) -> list[Problem]:
    """The problems with every phone number in them masked (a stray cell is never echoed)."""
    return sorted(
        Problem(p.file, p.line, mask_phones(p.column), mask_phones(p.message)) for p in problems
    )


def _name(folder: Path, name: str | None) -> str:
    why = check_dataset_name(name if name is not None else folder.name)
    if why:
        fix = "" if name is not None else f" (the folder {folder.name!r} names it; give --name)"
        raise UsageError(why + fix)
    return name if name is not None else folder.name


def read_report(
    path: Path, name: str | None = None, keep: list[KeptFile] | None = None
) -> DatasetReport:
    """Read the dataset in folder ``path``: the dataset, every problem, every note.

    ``name`` defaults to the folder's name; a blank one, or one holding ``:`` or a control
    character, is a UsageError. Problems and notes are sorted by file, line and column.
    ``keep``: a list that gets what each table's rows registered, for the row memo.
    """
    path = Path(path)
    if not path.is_dir():
        raise NotFoundError(f"{path} is not a dataset folder")
    folder = path.resolve()
    name = _name(folder, name)
    where = f"{folder.name}/"
    reg = Registry()
    with ExitStack() as stack, collector.paused():
        ledgers, used, problems = find_ledgers(folder)
        sources, scan_problems, notes = scan_folder(folder, stack, used)
        reg.problems.extend(problems + scan_problems)
        reg.notes.extend(notes)
        if not sources and not ledgers:
            reg.problem(
                where, 0, "", f"no tables found; expected files or sheets named {EXPECTED_NAMES}"
            )
        rows = 0
        for src in sources:
            if src.table != "relations":
                rows += _read(src, reg, keep)
        if ledgers and keep is not None:  # a ledger's rows find records by name: no memo
            keep.append(KeptFile("ledgers", "ledgers/", None, (), "", ()))
        rows += apply_ledgers(ledgers, reg, relations=False)
        for src in sources:
            if src.table == "relations":
                rows += _read(src, reg, keep)
        rows += apply_ledgers(ledgers, reg, relations=True)
    reg.finish()
    if (sources or ledgers) and rows == 0 and not reg.problems:
        reg.problem(where, 0, "", "no records: every table is empty")
    notes = _masked(reg.notes)
    if reg.problems:
        return {"dataset": None, "problems": _masked(reg.problems), "notes": notes}
    dataset = Dataset(name, tuple(reg.nodes.values()), tuple(reg.relations), str(folder))
    return {"dataset": dataset, "problems": [], "notes": notes}


def _read(src: TableSource, reg: Registry, keep: list[KeptFile] | None) -> int:
    """Read one table into ``reg`` (and what its rows registered into ``keep``)."""
    if keep is None:
        return read_table(src.table, src.open(), reg)
    stamp, digest = (file_stamp(src.path), file_digest(src.path)) if src.path else ((), "")
    source = src.open()
    kept = KeptFile(src.table, src.file, src.path, stamp, digest, tuple(source.header))
    keep.append(kept)
    return read_table(src.table, source, reg, keep=kept.rows)


def dataset_name(path: Path, name: str | None = None) -> str:
    """The name a dataset read from folder ``path`` gets (UsageError if it cannot be one)."""
    return _name(Path(path).resolve(), name)


def report_json(report: DatasetReport) -> dict[str, object]:
    """The report as ``shanzhi validate --json`` prints it (one shape, ok or not)."""
    ds = report["dataset"]

    def rows(items: list[Problem]) -> list[dict[str, object]]:
        return [
            {"file": p.file, "line": p.line, "column": p.column, "message": p.message}
            for p in items
        ]

    return {
        "ok": ds is not None,
        "nodes": len(ds.nodes) if ds else 0,
        "relations": len(ds.relations) if ds else 0,
        "problems": rows(report["problems"]),
        "notes": rows(report["notes"]),
    }


def read_dataset(path: Path, name: str | None = None) -> tuple[Dataset | None, list[Problem]]:
    """The dataset in folder ``path`` and its problems; the dataset is None if there are any.

    ``name`` defaults to the folder's name. Problems are sorted by file, line and column.
    """
    report = read_report(path, name)
    return report["dataset"], report["problems"]


def load_dataset(
    path: Path, name: str | None = None, keep: list[KeptFile] | None = None
) -> Dataset:
    """The validated dataset in folder ``path``; DataError lists every problem if any.
    ``keep``: as for :func:`read_report`.

    >>> load_dataset(Path("no/such/folder"))
    Traceback (most recent call last):
    ...
    shanzhi.errors.NotFoundError: no/such/folder is not a dataset folder
    """
    report = read_report(path, name, keep)
    if report["dataset"] is None:
        raise DataError(report["problems"])
    return report["dataset"]
