"""Workbooks (``.xlsx`` and old ``.xls``) to ``Source``s, with bounded work and nothing left out
silently.

Before a workbook is opened its size is checked, and for an ``.xlsx`` (a zip) each member's
declared sizes: a file over ``MAX_WORKBOOK_BYTES``, more than ``MAX_INFLATED_BYTES`` once
unpacked, or a member that inflates more than ``MAX_RATIO`` times is refused with a sentence
(zipfile stops at a member's declared size, so the declared sizes bound the work). Only the rows
that hold cells are read (``sheets.py``), at most ``MAX_SHEET_ROWS`` per sheet and
``sheets.MAX_COLUMNS`` per row.

What a clerk hides or strikes through is left out and said (``Source.notes``): hidden rows,
struck-through rows (every filled cell struck; a row struck only in part is a problem) and
hidden sheets. ``RowRules`` loads or refuses them instead. A merged cell's value spreads over
its whole range in the header rows, and down its first column in the data rows (a 居民区 merged
over its buildings' rows names each of them); a formula saved without its value and an Excel
error value are problems.

>>> import tempfile, openpyxl
>>> with tempfile.TemporaryDirectory() as tmp:
...     wb = openpyxl.Workbook()
...     wb.active.append(["姓名", "电话"]); wb.active.append(["张示例", 13800000001])
...     wb.active.append(["李示例", 13800000002]); wb.active.row_dimensions[3].hidden = True
...     wb.save(f"{tmp}/a.xlsx")
...     with Workbook(Path(f"{tmp}/a.xlsx"), "a.xlsx") as book:
...         src = book.source("Sheet")
...         print(list(src.rows), [str(n) for n in src.notes])
[(2, ['张示例', '13800000001'])] ['a.xlsx[Sheet]:3: 隐藏行未读取 (hidden row left out)']
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from shanzhi.errors import Problem
from shanzhi.loaders.headers import column_letter
from shanzhi.loaders.readers import Source, combine_header, scrub_row
from shanzhi.loaders.sheets import Merge, RawRow, SheetReader, XlsBook, XlsxBook
from shanzhi.loaders.values import clean

__all__ = [
    "MAX_INFLATED_BYTES",
    "MAX_RATIO",
    "MAX_SHEET_ROWS",
    "MAX_WORKBOOK_BYTES",
    "RowRules",
    "Workbook",
    "WorkbookError",
]

MAX_WORKBOOK_BYTES = 50 * 2**20
MAX_INFLATED_BYTES = 400 * 2**20
#: how many times a member may inflate (worksheet XML of real ledgers: 5 to 30 times)
MAX_RATIO = 100
_RATIO_FROM = 2**20  # small members (styles, themes) may be as repetitive as they like
MAX_SHEET_ROWS = 200_000
_ZIP, _CFB = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

Rule = Literal["leave_out", "load", "refuse"]


class WorkbookError(Exception):
    """A workbook is refused before its rows are read; the text is the sentence to show."""


@dataclass(frozen=True)
class RowRules:
    """What to do with hidden and with struck-through rows: leave out (and say), load, refuse."""

    hidden: Rule = "leave_out"
    struck: Rule = "leave_out"


def _mib(n: int) -> str:
    return f"{n / 2**20:.0f} MiB"


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            members = z.infolist()
    except (zipfile.BadZipFile, OSError) as e:
        raise WorkbookError(
            f"不是可读的 .xlsx 工作簿 (not a readable .xlsx workbook: {e})"
        ) from None
    inflated = sum(m.file_size for m in members)
    if inflated > MAX_INFLATED_BYTES:
        raise WorkbookError(
            f"解压后有 {_mib(inflated)}，超过上限 {_mib(MAX_INFLATED_BYTES)}："
            "拆成几个文件或存为 CSV "
            f"(it unpacks to {_mib(inflated)}, over the {_mib(MAX_INFLATED_BYTES)} read: split it "
            "or save it as CSV)"
        )
    for m in members:
        if m.file_size > _RATIO_FROM and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            ratio = m.file_size // max(m.compress_size, 1)
            raise WorkbookError(
                f"{m.filename} 解压后膨胀 {ratio} 倍，不像真实的台账，未读取 "
                f"({m.filename} inflates {ratio} times, more than the {MAX_RATIO} a real "
                "ledger does; not read)"
            )


def _open(path: Path) -> SheetReader:
    size = path.stat().st_size
    if size > MAX_WORKBOOK_BYTES:
        raise WorkbookError(
            f"文件有 {_mib(size)}，超过上限 {_mib(MAX_WORKBOOK_BYTES)}：拆成几个文件或存为 CSV "
            f"(the file is {_mib(size)}, over the {_mib(MAX_WORKBOOK_BYTES)} read: split it or "
            "save it as CSV)"
        )
    with path.open("rb") as fh:
        magic = fh.read(8)
    try:
        if magic.startswith(_ZIP):
            _check_zip(path)
            return XlsxBook(path)
        if magic == _CFB:
            return XlsBook(path)
    except WorkbookError:
        raise
    except Exception as e:  # both libraries raise many kinds for a damaged file
        kind = path.suffix.lower() or ".xlsx"
        raise WorkbookError(
            f"不是可读的 {kind} 工作簿 (not a readable {kind} workbook: {e})"
        ) from e
    raise WorkbookError(
        "不是 Excel 工作簿（也许是网页或文本改了扩展名）：在 Excel 中另存为 .xlsx "
        "(not an Excel workbook, perhaps a web page or text renamed: save it as .xlsx in Excel)"
    )


def _spread(rows: dict[int, RawRow], merges: list[Merge], header: set[int]) -> None:
    """A merged value over its range in header rows, down its first column in data rows."""
    for r1, c1, r2, c2 in merges:
        top = rows.get(r1)
        value = top.cells[c1 - 1] if top and c1 - 1 < len(top.cells) else ""
        if not value:
            continue
        for line in range(r1, r2 + 1):
            row = rows.get(line)
            if row is None:
                continue
            last = c2 if line in header else c1
            if len(row.cells) < last:
                row.cells.extend([""] * (last - len(row.cells)))
            for c in range(c1, last + 1):
                if line > r1 or c > c1:
                    row.cells[c - 1] = value


_HIDDEN = {
    "leave_out": "隐藏行未读取 (hidden row left out)",
    "refuse": "这一行被隐藏了：取消隐藏或删去它 (a hidden row: unhide it or delete it)",
}
_STRUCK = {
    "leave_out": "有删除线的行未读取 (struck-through row left out)",
    "refuse": (
        "这一行有删除线：删去它或去掉删除线 (a struck-through row: delete it or remove the strike)"
    ),
}


class Workbook:
    """An open workbook; close it when done (or use ``with``). WorkbookError if refused."""

    def __init__(self, path: Path, file: str) -> None:
        self.file = file
        self._book = _open(path)
        self._rows: dict[str, list[RawRow]] = {}
        self._cut: dict[str, int] = {}

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the file."""
        self._book.close()

    @property
    def sheets(self) -> list[str]:
        """The visible sheets, in workbook order."""
        return [s for s in self._book.sheets if s not in self._book.hidden]

    @property
    def all_sheets(self) -> list[str]:
        """Every sheet, hidden ones too."""
        return list(self._book.sheets)

    @property
    def hidden_sheets(self) -> list[str]:
        """The hidden sheets, in workbook order."""
        return [s for s in self._book.sheets if s in self._book.hidden]

    def sheet_file(self, sheet: str) -> str:
        """How problems name a sheet: ``book.xlsx[grids]``."""
        return f"{self.file}[{sheet}]"

    def hidden_note(self, sheet: str) -> Problem:
        """The report's line for a hidden sheet left out."""
        return Problem(self.sheet_file(sheet), 0, "", "隐藏的工作表未读取 (hidden sheet left out)")

    def _raw(self, sheet: str) -> list[RawRow]:
        if sheet not in self._rows:
            rows: list[RawRow] = []
            for row in self._book.rows(sheet):
                if len(rows) == MAX_SHEET_ROWS:
                    self._cut[sheet] = row.line
                    break
                rows.append(row)
            self._rows[sheet] = rows
        return self._rows[sheet]

    def is_empty(self, sheet: str) -> bool:
        """True if the sheet holds no value at all."""
        return not any(any(c.strip() for c in r.cells) or r.errors for r in self._raw(sheet))

    def source(
        self, sheet: str, header_row: int = 1, header_rows: int = 1, rules: RowRules | None = None
    ) -> Source:
        """One sheet as a Source (see the module's docstring for what is left out and why)."""
        file = self.sheet_file(sheet)
        raw = self._raw(sheet)
        src = Source(file, [], None, iter(()))
        if sheet in self._cut:
            src.problems.append(_too_long(file, self._cut[sheet]))
        cleaned = [(r, [clean(c) for c in r.cells]) for r in raw]
        filled = [r for r, cells in cleaned if any(cells)]
        heads = filled[header_row - 1 : header_row - 1 + header_rows]
        if len(heads) < header_rows:
            src.problems.append(Problem(file, 1, "", "the sheet is empty (no header row)"))
            return src
        by_line = {r.line: r for r in raw}
        _spread(by_line, self._book.merges(sheet), {r.line for r in heads})
        header_cells = [
            scrub_row(file, r.line, [clean(c) for c in r.cells], [], src.problems) for r in heads
        ]
        src.header, src.header_line = combine_header(header_cells), heads[0].line
        last = heads[-1].line
        src.rows = self._data(src, [r for r in raw if r.line > last], rules or RowRules())
        return src

    def _data(
        self, src: Source, raw: list[RawRow], rules: RowRules
    ) -> Iterator[tuple[int, list[str]]]:
        file, header = src.file, src.header
        for row in raw:
            cells = [clean(c) for c in scrub_row(file, row.line, row.cells, header, src.problems)]
            if not any(cells):
                for _, message in row.errors:  # a far cell alone, a formula alone: say it
                    src.problems.append(Problem(file, row.line, "", message))
                continue
            if row.hidden and rules.hidden != "load":
                _say(src, rules.hidden, row.line, _HIDDEN)
                continue
            filled = {i for i, c in enumerate(cells) if c}
            if row.struck and rules.struck != "load":
                if filled <= row.struck:
                    _say(src, rules.struck, row.line, _STRUCK)
                    continue
                letters = "、".join(_name(header, i) for i in sorted(row.struck))
                src.problems.append(
                    Problem(
                        file,
                        row.line,
                        "",
                        f"只有部分单元格有删除线（{letters}）：整行划掉或都不划 "
                        f"(only some cells are struck through ({letters}): strike the whole row "
                        "or none)",
                    )
                )
            for i, message in row.errors:
                src.problems.append(
                    Problem(file, row.line, _name(header, i) if i >= 0 else "", message)
                )
            yield row.line, cells


def _name(header: list[str], i: int) -> str:
    return header[i] if i < len(header) and header[i] else column_letter(i)


def _say(src: Source, rule: Rule, line: int, messages: dict[str, str]) -> None:
    target = src.notes if rule == "leave_out" else src.problems
    target.append(Problem(src.file, line, "", messages[rule]))


def _too_long(file: str, line: int) -> Problem:
    return Problem(
        file,
        line,
        "",
        f"工作表超过 {MAX_SHEET_ROWS} 行，从这一行起未读取：拆成几个工作表或存为 CSV "
        f"(the sheet has more than {MAX_SHEET_ROWS:,} rows; from this one on nothing was read: "
        "split it or save it as CSV)",
    )
