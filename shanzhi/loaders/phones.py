"""Phone numbers where they enter: parsed and normalised with ``phonenumbers`` (region CN).

A phone cell becomes one normalised number or a problem; nothing else is stored as a phone:

- a mobile number keeps its 11 digits (``+86 138 0000 0272``, ``138-0000-0272``,
  ``１３８００００００２７２`` and Excel's ``'13800000272`` all give ``13800000272``);
- a landline keeps its area code with the trunk 0 and a dash (``(021)6123 4567`` →
  ``021-61234567``); a number of another country is kept as E.164 (``+85291234567``);
- ``1.38E+10`` is a number Excel already ruined (its last digits are gone): refused, with how to
  fix the column in Excel.

Validity is ``phonenumbers.is_valid_number``: the sample's fake range 1380000xxxx is a valid China
Mobile range, so strict validity costs nothing, while ``is_possible_number`` would accept
``2023-03-31`` or an 8-digit number without its area code as a phone.

Cells of other columns are searched for phone numbers (``holds_phone``: a mobile-like run of a
valid 号段, or a valid landline with its area code, anywhere in the text): a phone under a column
that is not the phone column would be stored, exported and shown unmasked, so it is refused.
``mask_phones`` masks every phone inside a text (problem messages never echo one).

>>> parse_phone("+86 138 0000 0272"), parse_phone("'13800000270"), parse_phone("(021)6123 4567")
('13800000272', '13800000270', '021-61234567')
>>> parse_phone("1.38E+10")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ValueError: 已被 Excel 改成科学计数法 1.38E+10，后几位已丢失：在 Excel 中把该列设为“文本”后...
>>> holds_phone("已搬离，新号码 138-0000-0001"), holds_phone("2023-03-31")
(True, False)
>>> holds_phone("310106018000")  # a 统计用区划代码
False
>>> mask_phones("value '13800000001' has no header")
"value '138****0001' has no header"
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberFormat

from shanzhi.privacy import mask_phone

__all__ = [
    "PHONE_HEADERS",
    "SUSPECT",
    "holds_phone",
    "is_ruined_number",
    "mask_phones",
    "parse_phone",
]

#: Headers street offices write over a person's phone column (besides ``phone`` and 联系电话).
PHONE_HEADERS = (
    "联系电话",
    "手机",
    "手机号",
    "手机号码",
    "电话",
    "电话号码",
    "联系方式",
    "联系手机",
    "mobile",
    "tel",
    "telephone",
    "phone_number",
)
_REGION = "CN"
_RUINED = re.compile(r"[+-]?\d+(?:\.\d+)?[eE][+-]?\d+")
#: Mobile-like digit runs that phonenumbers' matcher skips in text (e.g. glued to other digits).
#: A text ``holds_phone`` may say yes to (a fast first test for a whole row at once).
SUSPECT = re.compile(r"\d[\d\s\-()]{5,}\d|\d[eE][+-]?\d")
#: A mobile number inside a text, as people write it (+86, spaces, dashes) ...
_MOBILE_RUN = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}(?!\d)")
#: ... and a landline with its area code: 021-61234567, (021)6123 4567, 0571 8888 6666.
_LANDLINE_RUN = re.compile(r"(?<!\d)(?:\(0\d{2,3}\)|0\d{2,3})[\s-]?\d{3,4}[\s-]?\d{4}(?!\d)")
_ONLY_PHONE_CHARS = re.compile(r"[\d\s\-+()（）]+")
_SEVERAL = re.compile(r"\d\s*[/,;、，；]\s*\d|\d{7}\s+\d{7}")
_RUINED_MSG = (
    "已被 Excel 改成科学计数法 {text}，后几位已丢失：在 Excel 中把该列设为“文本”后重新输入号码 "
    "(Excel turned this phone into {text} and its last digits are lost: set the column to Text "
    "in Excel and type the numbers again)"
)


def is_ruined_number(text: str) -> bool:
    """True for a number in Excel's scientific notation (``1.38E+10``)."""
    return _RUINED.fullmatch(text) is not None


def _describe(text: str) -> tuple[str, str]:
    """Why a cell is no phone (Chinese, English), without repeating its digits."""
    digits = re.sub(r"\D", "", text)
    n = len(digits)
    if not digits:
        return "没有数字", "no digits"
    if _SEVERAL.search(text):
        return "一格只能填一个号码", "one number per cell"
    if not _ONLY_PHONE_CHARS.fullmatch(text):
        return "含有号码以外的字符", "it holds characters other than a number"
    if n == 8:
        return (
            "8 位数字，座机号缺少区号（如 021）",
            "8 digits: a landline needs its area code (021)",
        )
    if digits.startswith("1") and n != 11:
        return f"{n} 位数字，手机号应为 11 位", f"{n} digits, a mobile number has 11"
    return f"{n} 位数字，不是有效的号码", f"{n} digits, not a valid number"


def _normalise(number: phonenumbers.PhoneNumber) -> str:
    if number.country_code != 86:
        return phonenumbers.format_number(number, PhoneNumberFormat.E164)
    nsn = phonenumbers.national_significant_number(number)
    area = phonenumbers.length_of_geographical_area_code(number)
    return f"0{nsn[:area]}-{nsn[area:]}" if area else nsn


@lru_cache(maxsize=4096)
def _mobile_segment_valid(segment: str) -> bool:
    """Whether 11-digit numbers starting with these 7 digits (a 号段) are valid CN mobiles.

    phonenumbers' CN mobile pattern decides on at most the first 5 digits and then takes any
    6 or 8 more, so one number of the segment answers for all of them (a city's people share a
    few thousand segments: one full parse each, not one per person).
    """
    return phonenumbers.is_valid_number(phonenumbers.parse(segment + "0000", _REGION))


@lru_cache(maxsize=65536)
def parse_phone(text: str) -> str:
    """The normalised phone in ``text`` (already NFKC-cleaned); ValueError says why not."""
    if len(text) == 11 and text[0] == "1" and text.isdigit() and _mobile_segment_valid(text[:7]):
        return text
    if is_ruined_number(text):
        raise ValueError(_RUINED_MSG.format(text=text))
    candidate = text.removeprefix("'").strip()
    try:
        number = phonenumbers.parse(candidate, _REGION)
    except phonenumbers.NumberParseException:
        number = None
    if (
        number is None
        or not _ONLY_PHONE_CHARS.fullmatch(candidate)
        or not phonenumbers.is_valid_number(number)
    ):
        zh, en = _describe(candidate)
        raise ValueError(f"不是电话号码：{zh} (not a phone number: {en})")
    return _normalise(number)


def _found(text: str) -> Iterator[re.Match[str]]:
    """The phone numbers in ``text``: mobile-like runs of a valid 号段, valid landlines."""
    for m in _MOBILE_RUN.finditer(text):
        digits = re.sub(r"\D", "", m.group())[-11:]
        if _mobile_segment_valid(digits[:7]):
            yield m
    for m in _LANDLINE_RUN.finditer(text):
        if _valid_landline(re.sub(r"\D", "", m.group())):
            yield m


@lru_cache(maxsize=4096)
def _valid_landline(digits: str) -> bool:
    return phonenumbers.is_valid_number(phonenumbers.parse(digits, _REGION))


@lru_cache(maxsize=65536)
def holds_phone(text: str) -> bool:
    """True if a phone number (or one Excel ruined) is anywhere in ``text``."""
    if is_ruined_number(text.strip()):
        return True
    return SUSPECT.search(text) is not None and next(_found(text), None) is not None


def mask_phones(text: str) -> str:
    """``text`` with every phone number in it masked as ``mask_phone`` does (and every run that
    looks like a mobile number, valid or not: a message may over-mask, never leak)."""
    if not SUSPECT.search(text):
        return text
    spans = sorted(
        {m.span() for m in _found(text)} | {m.span() for m in _MOBILE_RUN.finditer(text)}
    )
    for start, end in reversed(spans):
        text = text[:start] + mask_phone(text[start:end]) + text[end:]
    return text
