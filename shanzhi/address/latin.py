"""Addresses typed in Latin letters: English phrases and pinyin, full or initials.

English words around numbers say what each number is (``Building 12``, ``No. 12``, ``Lane 2288``,
``Room 601``, ``Unit 3``, ``6F``); so do pinyin unit syllables after them (``12hao``, ``12haolou``,
``2288nong``, ``601shi``). The remaining words are names, turned into the pinyin the matcher
compares: English road words become their syllables (``Zhongshan North 1st Road`` →
zhongshanbeiyilu, ``Hutai Branch Road`` → hutaizhilu, ``Luochuan Middle Road`` →
luochuanzhonglu), estate words too (``City`` → cheng, ``Garden`` → huayuan, ``New Village`` →
xincun). A name may also be initials (``jlmzc12``): the matcher tries both.

>>> a = parse_latin("Building 12, Jiali Mingzhu City")
>>> a.place, a.numbers, a.latin
('jialimingzhucheng', ('12',), True)
>>> a = parse_latin("No. 12, Lane 2288, Gonghexin Road, Jing'an District")
>>> a.road, a.lane, a.numbers, [h.core for h in a.hints]
('gonghexinlu', '2288', ('12',), ['jingan'])
>>> parse_latin("jlmzc12").place, parse_latin("gonghexinlu2288nong12hao").lane
('jlmzc', '2288')
"""

from __future__ import annotations

import re

from shanzhi.address.model import Address, Hint
from shanzhi.address.normalize import fold, name_key

__all__ = ["parse_latin"]

_BEFORE = {"building": "b", "bldg": "b", "block": "b", "blk": "b", "tower": "b", "no": "n",
           "number": "n", "num": "n", "#": "b", "lane": "l", "ln": "l", "alley": "l",
           "room": "r", "rm": "r", "flat": "r", "apt": "r", "apartment": "r", "suite": "r",
           "unit": "u", "floor": "f", "fl": "f", "entrance": "d", "gate": "d"}  # fmt: skip
_AFTER = {"hao": "b", "haolou": "b", "dong": "b", "zhuang": "b", "zuo": "b", "#": "b",
          "nong": "l", "long": "l", "shi": "r", "f": "f", "floor": "f", "fl": "f", "ceng": "f",
          "danyuan": "u", "st": "o", "nd": "o", "rd": "o", "th": "o"}  # fmt: skip
_ROAD_WORDS = {"road": "lu", "rd": "lu", "lu": "lu", "street": "jie", "st": "jie",
               "avenue": "dadao", "ave": "dadao", "highway": "gonglu", "hwy": "gonglu"}  # fmt: skip
_DIRECTIONS = {"north": "bei", "south": "nan", "east": "dong", "west": "xi", "middle": "zhong",
               "central": "zhong", "n": "bei", "s": "nan", "e": "dong", "w": "xi",
               "branch": "zhi"}  # fmt: skip
_ORDINALS = {"1st": "yi", "first": "yi", "2nd": "er", "second": "er", "3rd": "san",
             "third": "san", "4th": "si", "fourth": "si"}  # fmt: skip
_ESTATE_WORDS = {"city": "cheng", "garden": "huayuan", "gardens": "huayuan",
                 "village": "cun", "apartment": "gongyu", "apartments": "gongyu",
                 "plaza": "guangchang", "mansion": "dasha", "court": "yuan"}  # fmt: skip
_DROP = {"shanghai", "china", "prc", "the", "of", "in", "at", "estate", "community",
         "compound", "residential", "area", "xiaoqu", "lou", "and"}  # fmt: skip
_HINT_WORDS = {
    "district": "district",
    "subdistrict": "subdistrict",
    "jiedao": "subdistrict",
    "juweihui": "community",
    "committee": "community",
}
_TOKEN = re.compile(r"\d+(?:st|nd|rd|th)\b|\d+(?=f\b)|\d+(?:[a-z](?![a-z]))?|[a-z]+|[,;#]")


def _name(words: list[str]) -> tuple[str, bool]:
    """A name's pinyin from its words, and whether it is a road."""
    if not words:
        return "", False
    tail = _ROAD_WORDS.get(words[-1])
    if (tail and len(words) > 1) or (words[-1].endswith("lu") and len(words[-1]) > 3):
        body = words[:-1] if tail else words
        return "".join(_DIRECTIONS.get(w, _ORDINALS.get(w, w)) for w in body) + (tail or ""), True
    if words[-2:] == ["xiao", "qu"] and len(words) > 2:
        words = words[:-2]
    if words[-1].endswith("xiaoqu") and len(words[-1]) > 6:
        words = [*words[:-1], words[-1].removesuffix("xiaoqu")]
    out = []
    for i, w in enumerate(words):
        if w == "new" and i + 1 < len(words) and words[i + 1] == "village":
            out.append("xin")
        else:
            out.append(_ESTATE_WORDS.get(w, w))
    name = "".join(out)
    return (name[:-2] if name.endswith("xq") and len(name) > 4 else name), False


def parse_latin(raw: str, folded: str | None = None) -> Address:
    """The :class:`Address` of a query typed in Latin letters (see the module docstring)."""
    text = (folded if folded is not None else fold(raw)).replace("'", "").replace(".", " ")
    tokens = _TOKEN.findall(text)
    found: dict[str, list[str]] = {}
    bare: list[str] = []
    segments: list[list[str]] = [[]]
    hints: list[Hint] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if t in _BEFORE and nxt[:1].isdigit():
            found.setdefault(_BEFORE[t], []).append(nxt.lstrip("0") or "0")
            i += 2
            continue
        if t[:1].isdigit():
            role = _AFTER.get(nxt)
            if role == "o":  # 6th floor
                role, i = ("f", i + 1) if tokens[i + 2 : i + 3] == ["floor"] else (None, i)
            number = re.sub(r"(st|nd|rd|th)$", "", t).lstrip("0") or "0"
            if role:
                found.setdefault(role, []).append(number)
                i += 2
                continue
            if t in _ORDINALS:
                segments[-1].append(t)
            else:
                bare.append(number)
                segments.append([])
            i += 1
            continue
        if t in _HINT_WORDS and segments[-1]:
            hints.append(Hint(_HINT_WORDS[t], "".join(segments[-1])))  # type: ignore[arg-type]
            segments[-1] = []
        elif t in (",", ";"):
            segments.append([])
        elif t not in _DROP:
            segments[-1].append(t)
        i += 1
    return _address(raw, found, bare, segments, hints)


def _first(found: dict[str, list[str]], role: str) -> str | None:
    values = found.get(role)
    return values[0] if values else None


def _address(
    raw: str,
    found: dict[str, list[str]],
    bare: list[str],
    segments: list[list[str]],
    hints: list[Hint],
) -> Address:
    road = place = None
    for words in segments:
        name, is_road = _name(words)
        if not name:
            continue
        if is_road and road is None:
            road = name
        elif place is None:
            place = name
    buildings = found.get("b", [])
    numbers = found.get("n", [])
    house = None
    if numbers and road and not found.get("l") and not buildings and not place:
        house = numbers.pop(0)  # No. 2288 Gonghexin Road: a door number
    elif numbers and road and buildings and not found.get("l"):
        house = numbers.pop(0)
    buildings = [*buildings, *numbers]
    if not buildings and bare:
        if road and not found.get("l") and house is None and len(bare) > 1:
            house = bare.pop(0)
        buildings = bare[:1]
    return Address(
        raw=raw,
        key=name_key(raw),
        road=road,
        lane=_first(found, "l"),
        house=house,
        place=place,
        numbers=tuple(dict.fromkeys(buildings)),
        unit=_first(found, "u"),
        door=_first(found, "d"),
        floor=_first(found, "f"),
        room=_first(found, "r"),
        hints=tuple(hints),
        latin=True,
        several=len(set(buildings)) > 1,
    )
