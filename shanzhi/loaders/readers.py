"""Files to rows: CSV (UTF-8, UTF-8 with BOM or GB18030, detected) and JSON Lines.

A reader gives a ``Source``: the file's display name, its cleaned header cells and a lazy
stream of ``(line, cells)`` — LINE as a spreadsheet user counts it (header = 1; for CSV the
physical line where the record starts, for JSONL the line of the object). Blank rows are
skipped. Problems met while reading (undecodable bytes, broken CSV or JSON) are appended to
``Source.problems`` as the rows are read, so check it after the stream is exhausted. Control
characters in a cell are problems; a BOM or zero-width space anywhere is dropped
(``scrub_row``). Workbooks are read by ``workbooks.py`` into the same ``Source``.

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
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from shanzhi.errors import Problem
from shanzhi.loaders.headers import column_letter
from shanzhi.loaders.values import clean

__all__ = [
    "Source",
    "combine_header",
    "detect_encoding",
    "read_csv",
    "read_jsonl",
    "scrub_row",
]

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
    #: what was left out on purpose (hidden or struck-through rows, skipped totals), as
    #: ``FILE:LINE: message`` lines for the report; nothing here is a problem
    notes: list[Problem] = field(default_factory=list)

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


def combine_header(rows: list[list[str]], fill_left: bool = False) -> list[str]:
    """One header from several header rows: the cells of a column joined by ``.``.

    ``楼组长`` over ``姓名`` gives ``楼组长.姓名``; the same text twice (a cell merged down both
    rows) is kept once, and empty parts are dropped. With ``fill_left`` (a CSV, where a merged
    cell leaves only its first cell filled) an empty cell of an upper row takes the text to its
    left when the row below has a header there.

    >>> combine_header([["居民区", "楼组长", ""], ["", "姓名", "电话"]], fill_left=True)
    ['居民区', '楼组长.姓名', '楼组长.电话']
    """
    width = max((len(r) for r in rows), default=0)
    grid = [r + [""] * (width - len(r)) for r in rows]
    if fill_left:
        for upper, lower in itertools.pairwise(grid):
            for j in range(1, width):
                if not upper[j] and lower[j]:
                    upper[j] = upper[j - 1]
    out = []
    for j in range(width):
        parts: list[str] = []
        for row in grid:
            if row[j] and (not parts or parts[-1] != row[j]):
                parts.append(row[j])
        out.append(".".join(parts))
    while out and not out[-1]:
        out.pop()
    if out:
        out[0] = out[0].lstrip("\ufeff")
    return out


#: Characters that are invisible, break the XML written from the graph, or split an id: C0
#: controls but tab and line breaks, DEL, C1 controls, U+FFFE/U+FFFF; and (stripped, never
#: refused) BOMs and zero-width spaces, e.g. from two files pasted together.
_ODD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ufeff\u200b\u2060]")
_STRIP = re.compile("[\ufeff\u200b\u2060]")


def _control(ch: str) -> str:
    code = f"U+{ord(ch):04X}"
    return (
        f"含有不可见的控制字符 {code}：删去它 (holds the invisible control character {code}: "
        "delete it)"
    )


def scrub_row(
    file: str, line: int, cells: list[str], header: list[str], problems: list[Problem]
) -> list[str]:
    """Cells with BOMs and zero-width spaces removed; control characters reported and removed."""
    if not _ODD.search("\t".join(cells)):
        return cells
    out = []
    for i, text in enumerate(cells):
        text = _STRIP.sub("", text)
        bad = _ODD.search(text)
        if bad:
            column = header[i] if i < len(header) and header[i] else column_letter(i)
            problems.append(Problem(file, line, column, _control(bad.group())))
            text = _ODD.sub("", text)
        out.append(text)
    return out


def _header_then_rows(
    records: Iterator[tuple[int, list[str]]], header_row: int, src: Source, header_rows: int = 1
) -> None:
    """Skip to the ``header_row``-th non-blank record and take ``header_rows`` records as the
    header; the rest become ``src.rows``."""
    seen = 0
    found: list[tuple[int, list[str]]] = []
    for line, cells in records:
        cleaned = _clean_row(scrub_row(src.file, line, cells, [], src.problems))
        if not any(cleaned):
            continue
        seen += 1
        if seen >= header_row:
            found.append((line, cleaned))
            if len(found) == header_rows:
                break
    if len(found) < header_rows:
        return
    src.header = combine_header([c for _, c in found], fill_left=True)
    src.header_line = found[0][0]
    src.rows = _data_rows(records, src)


def _data_rows(
    records: Iterator[tuple[int, list[str]]], src: Source
) -> Iterator[tuple[int, list[str]]]:
    file, header, problems = src.file, src.header, src.problems
    for line, cells in records:
        cleaned = _clean_row(scrub_row(file, line, cells, header, problems))
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


def read_csv(path: Path, file: str, header_row: int = 1, header_rows: int = 1) -> Source:
    """A CSV file in any of the three encodings; ``header_row`` counts non-blank records, and
    ``header_rows`` records from there make the header (``combine_header``)."""
    enc = detect_encoding(path, file)
    if isinstance(enc, Problem):
        return Source(file, [], None, iter(()), [enc], complete=False)
    src = Source(file, [], None, iter(()))
    _header_then_rows(_csv_records(path, enc, src), header_row, src, header_rows)
    if src.header_line is None and not src.problems:
        src.problems.append(Problem(file, 1, "", "the file is empty (no header row)"))
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
            cells = scrub_row(file, line, cells, header, problems)
            if any(cells):
                yield line, cells

    return Source(file, header, None, rows(), problems, header_lines)
