"""The routed list: every input column, then the routing columns, as CSV, XLSX or JSON Lines.

The routing columns (:data:`COLUMNS`) are flat text, the same in every format; identical input
gives identical output (rows in input order, nothing time-dependent: the workbook's dates and
its zip entries carry a fixed timestamp). A file is written to a temporary name and renamed
into place, so an interrupted run leaves the old file or the new one, never half of one. An
input column with a routing column's name (a list routed before) is replaced by the new routing.

>>> row = route_cells(make_route("not-ours", "地址在徐汇区", region="徐汇区"))
>>> row["派单状态"], row["所属辖区"], row["责任人"]
('not-ours', '徐汇区', '')
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import orjson

from shanzhi.errors import UsageError
from shanzhi.route.routing import Route, make_route  # noqa: F401  (make_route: the doctest)

__all__ = ["COLUMNS", "FORMATS", "people_text", "route_cells", "write_rows"]

#: The routing columns, in order, with what each holds (docs/routing.md).
COLUMNS: dict[str, str] = {
    "派单状态": "routed / ambiguous / not-ours / not-found",
    "派单说明": "one sentence: to whom and why, or why not",
    "匹配地址": "the address(es) looked up",
    "地址来源": "诉求地址, or 诉求内容 when the address cell was empty",
    "匹配方式": "how the address matched: id, name, alias, address or parsed",
    "楼栋编号": "the building's id",
    "楼栋名称": "the building's name",
    "街区": "the block grid of the building",
    "居民区": "the community grid of the building",
    "派单规则": "the rule of routing.yaml applied (the category's, or 其他)",
    "责任层级": "the level of the chain the ticket goes to",
    "责任网格": "that level's grid: name（id）",
    "责任组织": "the organisations that take it: name（kind）",
    "责任人": "name（role，phone）; phones masked unless --show-contact",
    "候选楼栋": "for ambiguous: id name address; …",
    "所属辖区": "for not-ours: the district, street or 居委会 street code named",
}
FORMATS = (".csv", ".xlsx", ".jsonl")
_FIXED = datetime(2000, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def people_text(people: Iterable[dict[str, Any]]) -> str:
    """``魏样本宁（楼组长，138****0140）；…``."""
    out = []
    for p in people:
        notes = [str(p["role"])] + ([str(p["phone"])] if p.get("phone") else [])
        out.append(f"{p['name']}（{'，'.join(notes)}）")
    return "；".join(out)


def route_cells(r: Route) -> dict[str, str]:
    """The routing columns of one routed ticket."""
    b, g = r["building"] or {}, r["grid"] or {}
    return {
        "派单状态": r["status"],
        "派单说明": r["note"],
        "匹配地址": r["address"],
        "地址来源": r["address_from"],
        "匹配方式": r["match"],
        "楼栋编号": b.get("id", ""),
        "楼栋名称": b.get("name", ""),
        "街区": r["block"],
        "居民区": r["community"],
        "派单规则": r["rule"],
        "责任层级": r["level"],
        "责任网格": f"{g['name']}（{g['id']}）" if g else "",
        "责任组织": "；".join(f"{o['name']}（{o['kind']}）" for o in r["orgs"]),
        "责任人": people_text(r["people"]),
        "候选楼栋": "；".join(
            " ".join(x for x in (c.get("id", ""), c.get("name", ""), c.get("address", "")) if x)
            for c in r["candidates"]
        ),
        "所属辖区": r["region"],
    }


def _columns(header: list[str]) -> tuple[list[str], list[int]]:
    """Output columns and the input positions kept (those not named like a routing column)."""
    kept = [i for i, h in enumerate(header) if h not in COLUMNS]
    return [header[i] for i in kept] + list(COLUMNS), kept


@contextmanager
def _atomic(path: Path, binary: bool = False) -> Iterator[IO[Any]]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        opened: IO[Any] = (
            os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8-sig", newline="")
        )
        with opened as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


Rows = Iterable[tuple[list[str], Route]]


def write_rows(
    path: Path, header: list[str], rows: Rows, extra: Callable[[Any], None] | None = None
) -> int:
    """Write ``(cells, route)`` rows to ``path`` (format by suffix); the number written.

    ``extra`` is called with the open workbook before it is saved (XLSX: the summary sheet).
    """
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(f"cannot write {path.name}: the output is .csv, .xlsx or .jsonl.")
    columns, kept = _columns(header)

    def lines() -> Iterator[list[str]]:
        for cells, route in rows:
            yield [cells[i] for i in kept] + list(route_cells(route).values())

    if suffix == ".csv":
        with _atomic(path) as fh:
            w = csv.writer(fh, lineterminator="\r\n")
            w.writerow(columns)
            n = 0
            for line in lines():
                w.writerow(line)
                n += 1
        return n
    if suffix == ".jsonl":
        with _atomic(path, binary=True) as fh:
            n = 0
            for line in lines():
                fh.write(orjson.dumps(dict(zip(columns, line, strict=True))) + b"\n")
                n += 1
        return n
    return _write_xlsx(path, columns, lines(), extra)


def _write_xlsx(
    path: Path, columns: list[str], lines: Iterator[list[str]], extra: Callable[[Any], None] | None
) -> int:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    wb.properties.created = wb.properties.modified = _FIXED
    ws = wb.create_sheet("派单结果")
    ws.append(columns)
    n = 0
    for line in lines:
        ws.append(line)
        n += 1
    if extra is not None:
        extra(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    with _atomic(path, binary=True) as fh:
        fh.write(_fixed_zip(buffer.getvalue()))
    return n


def _fixed_zip(data: bytes) -> bytes:
    """The workbook's zip again, each entry stamped with one fixed time (same input, same bytes)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _fixed_core(body)
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, body)
    return out.getvalue()


def _fixed_core(body: bytes) -> bytes:
    """openpyxl stamps ``modified`` with the save time whatever it was set to: fix it."""
    import re

    stamp = _FIXED.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(
        rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
        rb"\g<1>" + stamp + rb"\g<2>",
        body,
    )
