"""Cell values as street offices type them: cleaning, dates, yes/no, enums and alias lists.

Every parser returns the value or raises ``ValueError`` whose text is the end of a problem
message (the caller prefixes ``FILE:LINE: column:``).

>>> clean(" Ｇ－１２　")
'G-12'
>>> parse_date("2023年3月1日"), parse_date("2023/3/1"), parse_date("2023-03-01")
(datetime.date(2023, 3, 1), datetime.date(2023, 3, 1), datetime.date(2023, 3, 1))
>>> parse_bool("是"), parse_bool("N")
(True, False)
>>> split_aliases("嘉利明珠城、嘉利明珠|JLMZC")
['嘉利明珠城', '嘉利明珠', 'JLMZC']
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache
from typing import TypeVar

from shanzhi.graph.model import GridLevel, Label, OrgKind, PlaceKind, ProjectLevel, RelType

__all__ = ["clean", "parse_bool", "parse_date", "parse_enum", "split_aliases"]

E = TypeVar("E", GridLevel, PlaceKind, OrgKind, ProjectLevel, RelType, Label)

_DATE = re.compile(
    r"(\d{4})(?:-(\d{1,2})-(\d{1,2})|/(\d{1,2})/(\d{1,2})|年(\d{1,2})月(\d{1,2})日?)"
)
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
    """``YYYY-MM-DD``, ``YYYY/M/D`` or ``YYYY年M月D日`` (a spreadsheet date cell arrives as ISO)."""
    m = _DATE.fullmatch(text)
    if m:
        y, *rest = (int(g) for g in m.groups() if g is not None)
        try:
            return date(y, rest[0], rest[1])
        except ValueError:
            pass
    raise ValueError(f"{text!r} is not a date (expected YYYY-MM-DD, YYYY/M/D or YYYY年M月D日)")


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
