"""The forms addresses and names are compared in.

:func:`fold` is the first step of everything: traditional characters become simplified through
OpenCC (``t2s``: 號樓棟園區 → 号楼栋园区), NFKC folds full-width letters, digits and punctuation
to ASCII, case is folded, dashes and brackets of every width become ``-`` and ``(`` ``)``, and runs
of white space become one space (English and pinyin need their word breaks).

:func:`name_key` is how two names are compared: folded, Chinese numerals before a unit as digits,
``#`` as 号, and no spaces or punctuation at all (示例·晴川新苑 and 示例晴川新苑 are one name).
:func:`pinyin` and :func:`initials` give a name's toneless pinyin and its initials, the way
homophone typos and ``jlmzc12`` are matched (pypinyin is imported on their first call: a query
answered by its exact characters never loads its dictionaries).

>>> fold("嘉利明珠城１２號樓（近平型關路）　三單元")
'嘉利明珠城12号楼(近平型关路) 三单元'
>>> name_key("示例·晴川新苑 十二号楼"), name_key("ＢＬＤ－１２"), name_key("12#楼")
('示例晴川新苑12号楼', 'bld12', '12号楼')
>>> pinyin("佳丽名珠城"), pinyin("嘉利明珠城"), initials("嘉利明珠城"), pinyin("绿洲12")
('jialimingzhucheng', 'jialimingzhucheng', 'jlmzc', 'lvzhou12')
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

from shanzhi.address.numerals import digits_in

if TYPE_CHECKING:  # imported when a text has characters to convert: an id has none
    import opencc

__all__ = ["fold", "initials", "name_key", "pinyin", "to_simplified"]

_DASHES = str.maketrans(
    {c: "-" for c in "‐‑‒–—―﹣－−~～"}
    | {c: "(" for c in "【〔［「『《〈﹙"}
    | {c: ")" for c in "】〕］」』》〉﹚"}
)
_SPACES = re.compile(r"\s+")
_CONVERTER: opencc.OpenCC | None = None


def to_simplified(text: str) -> str:
    """Traditional characters as simplified ones (OpenCC ``t2s``); simplified text is kept,
    and ASCII text (an id, pinyin) is returned as it is without loading OpenCC."""
    global _CONVERTER
    if text.isascii():
        return text
    if _CONVERTER is None:  # built on first use: a couple of milliseconds, once per process
        import opencc

        _CONVERTER = opencc.OpenCC("t2s")
    return str(_CONVERTER.convert(text))


def fold(text: str) -> str:
    """Simplified, NFKC, case-folded, one kind of dash and bracket, single spaces, stripped."""
    folded = unicodedata.normalize("NFKC", to_simplified(text)).casefold()
    return _SPACES.sub(" ", folded.translate(_DASHES)).strip()


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """The form two names are compared in (see the module docstring)."""
    folded = fold(text).replace("#", "号")
    kept = "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PSZC")
    return digits_in(kept)


@lru_cache(maxsize=65536)
def pinyin(text: str) -> str:
    """Toneless pinyin of a name's :func:`name_key`, syllables joined (ü written v)."""
    from pypinyin import lazy_pinyin  # imported when first needed: its dictionaries take 0.3 s

    return "".join(lazy_pinyin(name_key(text))).replace("ü", "v")


@lru_cache(maxsize=65536)
def initials(text: str) -> str:
    """The first letter of each syllable of a name (other characters kept as they are)."""
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(name_key(text), style=Style.FIRST_LETTER))
