"""Files to rows: CSV (UTF-8, UTF-8 with BOM or GB18030, detected), XLSX sheets and JSON Lines.

A reader gives a ``Source``: the file's display name, its cleaned header cells and a lazy
stream of ``(line, cells)`` — LINE as a spreadsheet user counts it (header = 1; for CSV the
physical line where the record starts, for JSONL the line of the object). Blank rows are
skipped. Problems met while reading (undecodable bytes, broken CSV or JSON) are appended to
``Source.problems`` as the rows are read, so check it after the stream is exhausted.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     p = Path(tmp) / "grids.csv"
...     _ = p.write_bytes("编号,名称\\r\\nＧ-1,街道\\r\\n".encode("gb18030"))
...     src = read_csv(p, "grids.csv")
...     print(src.header, list(src.rows))
['编号', '名称'] [(2, ['G-1', '街道'])]
"""

from __future__ import annotations

import codecs
import csv
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import orjson

from shanzhi.errors import Problem
from shanzhi.loaders.values import clean

__all__ = ["Source", "Workbook", "detect_encoding", "read_csv", "read_jsonl"]

_ENCODINGS = ("utf-8-sig", "gb18030")
_CSV_ERRORS = {
    "unexpected end of data": "a quote opened in this row is never closed",
    "',' expected after '\"'": 'text after a closing quote (write "" for a quote inside quotes)',
}
_CHUNK = 1 << 20
#: A file whose bytes before the first bad one hold this many non-ASCII UTF-8 bytes is UTF-8
#: with a damaged byte, not GB18030 (GBK text is very rarely valid UTF-8 for that long).
_UTF8_EVIDENCE = 40


@dataclass
class Source:
    """A table as read from one file or sheet."""

    file: str
    header: list[str]
    #: the line of the header row, or None when there is none (JSONL: each object names its keys)
    header_line: int | None
    rows: Iterable[tuple[int, list[str]]]
    problems: list[Problem] = field(default_factory=list)
    #: for JSONL, the line where each header key first appears
    header_lines: list[int] = field(default_factory=list)
    #: False when reading stopped before the end (undecodable bytes, broken CSV)
    complete: bool = True

    def line_of_column(self, index: int) -> int:
        """The line a header problem about column ``index`` is reported at."""
        if self.header_line is not None:
            return self.header_line
        return self.header_lines[index] if index < len(self.header_lines) else 1


def _clean_row(cells: list[str], _nfkc: Any = unicodedata.normalize) -> list[str]:
    return [_nfkc("NFKC", c).strip() for c in cells]  # ``clean``, inlined: the hottest loop


def detect_encoding(path: Path, file: str) -> str | Problem:
    """``utf-8-sig`` or ``gb18030``, whichever decodes the whole file, else the problem."""
    for enc in _ENCODINGS:
        decoder = codecs.getincrementaldecoder(enc)(errors="strict")
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(_CHUNK):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            return enc
        except UnicodeDecodeError:
            if enc == "utf-8-sig" and _damaged_utf8(path):
                break
    return _undecodable(path, file)


def _damaged_utf8(path: Path) -> bool:
    data = path.read_bytes()
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        prefix = data[: e.start]
        return len(prefix) - len(prefix.decode("utf-8-sig")) >= _UTF8_EVIDENCE
    return False


def _undecodable(path: Path, file: str) -> Problem:
    data = path.read_bytes()
    errors: list[UnicodeDecodeError] = []
    for enc in _ENCODINGS:
        try:
            data.decode(enc)
        except UnicodeDecodeError as e:
            errors.append(e)
    if _damaged_utf8(path):
        errors = errors[:1]
    worst = max(errors, key=lambda e: e.start)
    bad = data[worst.start : worst.end].hex(" ")
    line = data.count(b"\n", 0, worst.start) + 1
    return Problem(file, line, "", f"undecodable bytes {bad} (not UTF-8 or GB18030)")


def _header_then_rows(
    records: Iterator[tuple[int, list[str]]], header_row: int
) -> tuple[int | None, list[str], Iterator[tuple[int, list[str]]]]:
    """Skip to the ``header_row``-th non-blank record; the rest are the data rows."""
    seen = 0
    for line, cells in records:
        cleaned = _clean_row(cells)
        if not any(cleaned):
            continue
        seen += 1
        if seen == header_row:
            if cleaned:
                cleaned[0] = cleaned[0].lstrip("\ufeff")
            while cleaned and not cleaned[-1]:
                cleaned.pop()
            return line, cleaned, _data_rows(records)
    return None, [], iter(())


def _data_rows(records: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    for line, cells in records:
        cleaned = _clean_row(cells)
        if any(cleaned):
            yield line, cleaned


def _csv_records(path: Path, encoding: str, src: Source) -> Iterator[tuple[int, list[str]]]:
    with path.open(encoding=encoding, newline="") as fh:
        reader = csv.reader(fh, strict=True)  # an unclosed quote must not swallow the rest
        start = 1
        try:
            for cells in reader:
                yield start, cells
                start = reader.line_num + 1
        except csv.Error as e:
            why = _CSV_ERRORS.get(str(e), f"unreadable CSV ({e})")
            src.problems.append(Problem(src.file, start, "", why))
            src.complete = False


def read_csv(path: Path, file: str, header_row: int = 1) -> Source:
    """A CSV file in any of the three encodings; ``header_row`` counts non-blank records."""
    enc = detect_encoding(path, file)
    if isinstance(enc, Problem):
        return Source(file, [], None, iter(()), [enc], complete=False)
    src = Source(file, [], None, iter(()))
    line, header, rows = _header_then_rows(_csv_records(path, enc, src), header_row)
    if line is None and not src.problems:
        src.problems.append(Problem(file, 1, "", "the file is empty (no header row)"))
    src.header, src.header_line, src.rows = header, line, rows
    return src


def _json_text(value: Any) -> str | None:
    if value is None:
        return ""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "|".join(clean(v) for v in value)
    return None


def _json_objects(
    path: Path, encoding: str, file: str, problems: list[Problem] | None
) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding=encoding) as fh:
        for line, text in enumerate(fh, 1):
            if not text.strip():
                continue
            try:
                obj = orjson.loads(text)
            except orjson.JSONDecodeError as e:
                if problems is not None:
                    problems.append(
                        Problem(file, line, "", f"not valid JSON ({e.msg} at column {e.colno})")
                    )
                continue
            if not isinstance(obj, dict):
                if problems is not None:
                    kind = type(obj).__name__
                    problems.append(Problem(file, line, "", f"expected a JSON object, got {kind}"))
                continue
            yield line, obj


def read_jsonl(path: Path, file: str) -> Source:
    """A JSON Lines file: one object per line, keys as headers (read twice: keys, then rows)."""
    enc = detect_encoding(path, file)
    if isinstance(enc, Problem):
        return Source(file, [], None, iter(()), [enc], complete=False)
    problems: list[Problem] = []
    keys: dict[str, int] = {}
    raw: dict[str, int] = {}
    header_lines: list[int] = []
    for line, obj in _json_objects(path, enc, file, problems):
        for k in obj:
            if k not in raw:
                raw[k] = keys.setdefault(clean(k), len(keys))
                if len(header_lines) < len(keys):
                    header_lines.append(line)
    header = list(keys)

    def rows() -> Iterator[tuple[int, list[str]]]:
        for line, obj in _json_objects(path, enc, file, None):
            cells = [""] * len(header)
            for k, v in obj.items():
                text = _json_text(v)
                if text is None:
                    msg = "expected text, a number, true/false or a list of texts"
                    problems.append(Problem(file, line, clean(k), msg))
                    text = orjson.dumps(v).decode()
                cells[raw[k]] = text
            if any(cells):
                yield line, cells

    return Source(file, header, None, rows(), problems, header_lines)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    text = _json_text(value)
    return str(value) if text is None else text


class Workbook:
    """An ``.xlsx`` workbook opened read-only; close it when done (or use ``with``)."""

    def __init__(self, path: Path, file: str) -> None:
        import openpyxl  # deferred: only workbooks pay for it

        self.file = file
        self._wb = openpyxl.load_workbook(path, read_only=True, data_only=True)

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the file."""
        self._wb.close()

    @property
    def sheets(self) -> list[str]:
        """Sheet names in workbook order."""
        return list(self._wb.sheetnames)

    def sheet_file(self, sheet: str) -> str:
        """How problems name a sheet: ``book.xlsx[grids]``."""
        return f"{self.file}[{sheet}]"

    def is_empty(self, sheet: str) -> bool:
        """True if the sheet holds no value at all."""
        rows = self._wb[sheet].iter_rows(values_only=True)
        return not any(v not in (None, "") for row in rows for v in row)

    def source(self, sheet: str, header_row: int = 1) -> Source:
        """One sheet as a Source; cell values become text (numbers without ``.0``, dates ISO)."""
        ws = self._wb[sheet]
        records = (
            (i, [_cell_text(v) for v in row])
            for i, row in enumerate(ws.iter_rows(values_only=True), 1)
        )
        file = self.sheet_file(sheet)
        line, header, rows = _header_then_rows(records, header_row)
        problems = [] if line else [Problem(file, 1, "", "the sheet is empty (no header row)")]
        return Source(file, header, line, rows, problems)
