"""One worksheet's real rows, as Excel keeps them: XLSX through openpyxl, old XLS through xlrd.

A reader yields ``RawRow``s: only the rows that hold cells (never the sheet's stored dimension,
which may lie or reach XFD1048576), each with its cells as text, whether the row is hidden,
which cells are struck through, and the cells that cannot be trusted (a formula saved without
its value, an Excel error such as ``#REF!``, a cell past the last column read). Merged ranges
come with the sheet, so the caller decides how a merged value spreads.

Why these libraries: openpyxl's read-only sheet parser streams an XLSX row by row and gives
each row's attributes and each cell's style; xlrd (``formatting_info``, ``ragged_rows``) gives
the same for XLS and keeps a stray far cell cheap (python-calamine builds the sheet as one dense
rectangle: 1 GB for a single cell at IV65536, and it reports neither hidden rows nor fonts).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

__all__ = ["MAX_COLUMNS", "Merge", "RawRow", "SheetReader", "XlsBook", "XlsxBook"]

#: Columns read per row; a value further right is reported, not read.
MAX_COLUMNS = 500
_TRUE = ("1", "true")
#: How XLSX text keeps a character XML cannot hold (a control character): ``_x001B_``.
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


@dataclass
class RawRow:
    """A row that holds at least one cell."""

    line: int
    cells: list[str]
    hidden: bool = False
    #: positions of struck-through cells that hold a value
    struck: set[int] = field(default_factory=set)
    #: (position or -1, message) for cells that cannot be read as they are
    errors: list[tuple[int, str]] = field(default_factory=list)


#: A merged range, 1-based and inclusive: (first row, first column, last row, last column).
Merge = tuple[int, int, int, int]

_FORMULA = (
    "公式没有保存计算结果：在 Excel 中打开并保存，或复制后“粘贴为数值” "
    "(a formula saved without its value: open and save the file in Excel, or paste it as values)"
)


def _error(code: str) -> str:
    return (
        f"单元格是 Excel 错误值 {code}，请改正 (the cell holds the Excel error {code}: correct it)"
    )


def _beyond(coordinate: str) -> str:
    return (
        f"单元格 {coordinate} 在第 {MAX_COLUMNS} 列之外，未读取：删去它或把它移到表格里 "
        f"(cell {coordinate} lies beyond column {MAX_COLUMNS} and was not read: delete it "
        "or move it into the table)"
    )


def cell_text(value: Any) -> str:
    """A cell value as text: numbers without ``.0``, dates ISO (midnight dropped)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _letter(column: int) -> str:
    out = ""
    while column:
        column, rem = divmod(column - 1, 26)
        out = chr(65 + rem) + out
    return out


class _Parser(WorkSheetParser):
    """openpyxl's sheet parser, also marking formulas that were saved without their value."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        cell: dict[str, Any] = super().parse_cell(element)
        if cell["value"] is None and element.find(FORMULA_TAG) is not None:
            cell["no_value"] = True
        return cell


class SheetReader:
    """What both workbook kinds offer: sheet names, visibility and each sheet's rows."""

    sheets: list[str]
    hidden: set[str]

    def rows(self, sheet: str) -> Iterator[RawRow]:
        """The rows of a sheet that hold cells, in order."""
        raise NotImplementedError

    def merges(self, sheet: str) -> list[Merge]:
        """The merged ranges of a sheet (known once its rows were read)."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the file."""


class XlsxBook(SheetReader):
    """An ``.xlsx`` workbook, opened read-only with cached values (not formulas)."""

    def __init__(self, path: Path) -> None:
        import openpyxl  # deferred: only workbooks pay for it

        self._wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        self.sheets = list(self._wb.sheetnames)
        self.hidden = {ws.title for ws in self._wb.worksheets if ws.sheet_state != "visible"}
        self._merges: dict[str, list[Merge]] = {}
        fonts, styles = self._wb._fonts, self._wb._cell_styles
        self._struck = {i for i, s in enumerate(styles) if fonts[s.fontId].strike}

    def rows(self, sheet: str) -> Iterator[RawRow]:
        """The sheet's rows as its XML holds them (its stored dimension is not used)."""
        ws = self._wb[sheet]
        wb = self._wb
        with ws._get_source() as src:
            parser = _Parser(
                src,
                ws._shared_strings,
                data_only=True,
                epoch=wb.epoch,
                date_formats=wb._date_formats,
                timedelta_formats=wb._timedelta_formats,
            )
            for line, cells in parser.parse():
                row = self._row(line, cells, parser.row_dimensions.get(str(line), {}))
                if row is not None:
                    yield row
            self._merges[sheet] = [
                (r.min_row, r.min_col, r.max_row, r.max_col)
                for r in getattr(parser.merged_cells, "mergeCell", [])
            ]

    def _row(self, line: int, cells: list[dict[str, Any]], attrs: dict[str, str]) -> RawRow | None:
        if not cells:
            return None
        width = min(max(c["column"] for c in cells), MAX_COLUMNS)
        row = RawRow(line, [""] * width, hidden=attrs.get("hidden") in _TRUE)
        for c in cells:
            value, col = c["value"], c["column"]
            if col > MAX_COLUMNS:
                if value not in (None, ""):
                    row.errors.append((-1, _beyond(f"{_letter(col)}{line}")))
                continue
            if c.get("no_value"):
                row.errors.append((col - 1, _FORMULA))
            elif c["data_type"] == "e":
                row.errors.append((col - 1, _error(str(value))))
                value = None  # said once, not read again as a value
            text = cell_text(value)
            if "_x" in text:
                text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
            row.cells[col - 1] = text
            if text.strip() and c["style_id"] in self._struck:
                row.struck.add(col - 1)
        return row

    def merges(self, sheet: str) -> list[Merge]:
        """Merged ranges, read from the sheet's XML after its rows."""
        return self._merges.get(sheet, [])

    def close(self) -> None:
        """Release the file."""
        self._wb.close()


class XlsBook(SheetReader):
    """An old ``.xls`` workbook (BIFF8), read with its formatting; rows stay as wide as they are."""

    def __init__(self, path: Path) -> None:
        import xlrd  # deferred: only old workbooks pay for it

        self._book = xlrd.open_workbook(
            str(path), formatting_info=True, ragged_rows=True, on_demand=True
        )
        self.sheets = list(self._book.sheet_names())
        self.hidden = {
            name for i, name in enumerate(self.sheets) if self._book.sheet_by_index(i).visibility
        }

    def rows(self, sheet: str) -> Iterator[RawRow]:
        """The sheet's rows that hold cells."""
        import xlrd

        book = self._book
        ws = book.sheet_by_name(sheet)
        fonts, xfs = book.font_list, book.xf_list
        for r in range(ws.nrows):
            width = ws.row_len(r)
            if not width:
                continue
            info = ws.rowinfo_map.get(r)
            row = RawRow(r + 1, [""] * min(width, MAX_COLUMNS), hidden=bool(info and info.hidden))
            for c, cell in enumerate(ws.row_slice(r)):
                if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    continue
                if c >= MAX_COLUMNS:
                    row.errors.append((-1, _beyond(f"{_letter(c + 1)}{r + 1}")))
                    break
                value: Any = cell.value
                if cell.ctype == xlrd.XL_CELL_DATE:
                    value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    code = xlrd.error_text_from_code.get(value, "#ERROR")
                    row.errors.append((c, _error(code)))
                    continue
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(value)
                text = cell_text(value)
                row.cells[c] = text
                if text.strip() and fonts[xfs[cell.xf_index].font_index].struck_out:
                    row.struck.add(c)
            if any(row.cells) or row.errors:
                yield row

    def merges(self, sheet: str) -> list[Merge]:
        """Merged ranges (xlrd's are 0-based and half-open)."""
        ws = self._book.sheet_by_name(sheet)
        return [(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in ws.merged_cells]

    def close(self) -> None:
        """Release the file."""
        self._book.release_resources()
