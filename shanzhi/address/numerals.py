"""Chinese numerals in addresses: their value, and where a run of them is a number.

Two ways of writing a number are read: *positional* (一二三四, 八零五, 二〇〇八: one digit per
character, 〇/零 for zero) and *with units* (十二, 二十六, 一百零二, 一千一百, 三千零五; 廿 = 20,
卅 = 30 stand for 二十 and 三十; a trailing unit may be implied, as in 一千一 = 1100, 三百五 = 350).
两 is 2. A run is converted to digits only where it stands before an address unit (号, 号楼, 幢,
栋, 座, 弄, 支弄, 单元, 号门, 室, 楼, 层, 期) or after a final 第, so names keep their own numerals
(四平路, 一品漫城, 中山北一路, 江场二路).

>>> [cn_to_int(s) for s in ("十二", "廿六", "卅", "一千一百", "八零五", "两", "一〇二", "一千一")]
[12, 26, 30, 1100, 805, 2, 102, 1100]
>>> digits_in("嘉利明珠城廿六号楼"), digits_in("中山北一路一九七弄七号"), digits_in("第十二栋")
('嘉利明珠城26号楼', '中山北一路197弄7号', '第12栋')
>>> digits_in("洛川中路一千一百弄居委会"), digits_in("四平路"), digits_in("三单元五〇二室")
('洛川中路1100弄居委会', '四平路', '3单元502室')
"""

from __future__ import annotations

import re

__all__ = ["NUMERAL_CHARS", "cn_to_int", "digits_in"]

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}  # fmt: skip
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_TENS = {"廿": "二十", "卅": "三十"}
#: Every character a Chinese numeral is written with.
NUMERAL_CHARS = "".join((*_DIGITS, *_UNITS, *_TENS))

#: The units a number stands before in an address (longest first, so 号楼 wins over 号).
_AFTER = "号楼|号门|号|幢|栋|座|支弄|弄|单元|室|楼|层|期"
_RUN = re.compile(rf"[{NUMERAL_CHARS}]+(?=(?:{_AFTER}))|(?<=第)[{NUMERAL_CHARS}]+$")


def cn_to_int(numeral: str) -> int:
    """The value of a run of Chinese numerals (see the module docstring); ValueError if none.

    >>> [cn_to_int(s) for s in ("十", "二十", "一百零二", "三千零五", "零", "三百五", "一万二千")]
    [10, 20, 102, 3005, 0, 350, 12000]
    """
    if not numeral or any(ch not in NUMERAL_CHARS for ch in numeral):
        raise ValueError(f"not a Chinese numeral: {numeral!r}")
    numeral = "".join(_TENS.get(ch, ch) for ch in numeral)  # 廿六 -> 二十六
    if not any(ch in _UNITS for ch in numeral):
        return int("".join(str(_DIGITS[ch]) for ch in numeral))
    total, section, current, last_unit = 0, 0, 0, 1
    for ch in numeral:
        unit = _UNITS.get(ch)
        if unit is None:
            current = _DIGITS[ch]
            if ch in "零〇":
                last_unit = 1  # 三千零五: what follows a zero is ones
            continue
        if unit == 10000:
            total += (section + current) * unit
            section, current = 0, 0
        else:
            section += (current or 1) * unit
            current = 0
        last_unit = unit
    if current and last_unit >= 100:  # 一千一 = 1100, 三百五 = 350 (the unit below is implied)
        current *= last_unit // 10
    return total + section + current


def digits_in(text: str) -> str:
    """``text`` with each Chinese numeral that stands before an address unit (or after 第) as
    Arabic digits; other numerals are left alone."""
    return _RUN.sub(lambda m: str(cn_to_int(m.group())), text)
