"""Cell values as street offices type them: cleaning, dates, yes/no, enums and alias lists.

Every parser returns the value or raises ``ValueError`` whose text is the end of a problem
message (the caller prefixes ``FILE:LINE: column:``).

>>> clean(" Ｇ－１２　")
'G-12'
>>> parse_date("2023年3月1日"), parse_date("2023/3/1"), parse_date("2023-03-01")
(datetime.date(2023, 3, 1), datetime.date(2023, 3, 1), datetime.date(2023, 3, 1))
>>> parse_date("2025.7.1"), parse_date("45839"), parse_date("20250701")
(datetime.date(2025, 7, 1), datetime.date(2025, 7, 1), datetime.date(2025, 7, 1))
>>> parse_bool("是"), parse_bool("N")
(True, False)
>>> split_aliases("嘉利明珠城、嘉利明珠|JLMZC")
['嘉利明珠城', '嘉利明珠', 'JLMZC']
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from functools import lru_cache
from typing import TypeVar

from shanzhi.graph.model import GridLevel, Label, OrgKind, PlaceKind, ProjectLevel, RelType

__all__ = [
    "check_dataset_name",
    "check_id",
    "clean",
    "parse_bool",
    "parse_date",
    "parse_enum",
    "split_aliases",
]

E = TypeVar("E", GridLevel, PlaceKind, OrgKind, ProjectLevel, RelType, Label)

_DATE = re.compile(
    r"(\d{4})(?:-(\d{1,2})-(\d{1,2})|/(\d{1,2})/(\d{1,2})|\.(\d{1,2})\.(\d{1,2})"
    r"|年(\d{1,2})月(\d{1,2})日?|(\d{2})(\d{2}))(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
#: Excel serial numbers read as dates: 1950-01-01 to 2100-12-31. Outside it a bare number is
#: more likely something else (a year, a count) than a date, so it is refused, not guessed.
_SERIALS = (18264, 73415)
#: Day 0 of Excel's 1900 date system (the day before 1900-01-01, less its phantom 1900-02-29).
_EXCEL_DAY_0 = date(1899, 12, 30)
_BOOL = {
    "是": True,
    "否": False,
    "true": True,
    "false": False,
    "yes": True,
    "no": False,
    "y": True,
    "n": False,
    "1": True,
    "0": False,
}
_ALIAS_SPLIT = re.compile(r"[|、]")


def clean(text: str) -> str:
    """NFKC-normalise (full-width letters, digits and spaces become ASCII) and strip."""
    if text.isascii():
        return text.strip()
    return unicodedata.normalize("NFKC", text).strip()


@lru_cache(maxsize=8192)
def parse_date(text: str) -> date:
    """A date as street offices type it: ``YYYY-MM-DD``, ``YYYY/M/D``, ``YYYY.M.D``,
    ``YYYY年M月D日``, ``YYYYMMDD`` (a time after it is dropped), or an Excel serial number
    (``45839``: a date column saved as General, or exported to CSV).

    A small parser, not ``dateutil.parser``: dateutil fills what is missing from today
    (``"2025"`` becomes today's month and day in 2025, ``"7.1"`` this year's 1 July), and a
    guessed date is a wrong post.
    """
    m = _DATE.fullmatch(text)
    if m:
        y, *rest = (int(g) for g in m.groups() if g is not None)
        try:
            return date(y, rest[0], rest[1])
        except ValueError:
            pass
    elif _SERIAL.fullmatch(text):
        serial = float(text)
        if _SERIALS[0] <= serial <= _SERIALS[1]:
            return _EXCEL_DAY_0 + timedelta(days=int(serial))
        raise ValueError(
            f"{text!r} 像是 Excel 的日期序号，但不在 1950–2100 年之间 "
            f"({text!r} looks like an Excel date number but is not between 1950 and 2100)"
        )
    raise ValueError(f"{text!r} is not a date (expected YYYY-MM-DD, YYYY/M/D or YYYY年M月D日)")


_ID_BAD = re.compile(r"[:\r\n]")


def check_id(text: str) -> str | None:
    """Why ``text`` cannot be an id, or None: the store keys a node as ``dataset:id``, so a
    ``:`` would let two datasets' records overwrite each other; a line break hides in output.

    >>> check_id("G-1") is None, check_id("b:G1")
    (True, "编号不能含有冒号 : 或换行 (an id may not hold ':' or a line break): 'b:G1'")
    """
    if _ID_BAD.search(text):
        return f"编号不能含有冒号 : 或换行 (an id may not hold ':' or a line break): {text!r}"
    return None


def check_dataset_name(name: str) -> str | None:
    """Why ``name`` cannot name a dataset in a store, or None (blank, ``:``, control characters).

    >>> check_dataset_name("gonghexinlu") is None, check_dataset_name("a:b") is not None
    (True, True)
    """
    if not name.strip():
        return "数据集名不能为空 (a dataset name may not be blank)"
    if ":" in name or any(unicodedata.category(c)[0] == "C" for c in name):
        return (
            f"数据集名不能含有冒号 : 、换行或控制字符 (a dataset name may not hold ':', a line "
            f"break or a control character): {name!r}"
        )
    return None


def parse_bool(text: str) -> bool:
    """是/否, true/false, yes/no, y/n, 1/0 (any case)."""
    try:
        return _BOOL[text.lower()]
    except KeyError:
        raise ValueError(f"{text!r} is not yes or no (expected 是/否, true/false or 1/0)") from None


@lru_cache(maxsize=4096)
def parse_enum(enum: type[E], text: str) -> E:
    """``enum.parse(text)`` memoised (levels and kinds repeat on every row)."""
    return enum.parse(text)


def split_aliases(text: str) -> list[str]:
    """Other names separated by ``|`` or ``、``, trimmed, empty ones dropped."""
    return [a for a in (p.strip() for p in _ALIAS_SPLIT.split(text)) if a]
