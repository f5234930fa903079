"""Parsing a typed Chinese address into an :class:`~shanzhi.address.model.Address`.

The steps (the grammar is in :mod:`shanzhi.address`): fold (simplified, half-width, case);
Latin text goes to :mod:`shanzhi.address.latin`; a bracketed landmark is taken out; spaces go
(one between two numbers of two or more digits becomes ``-``: ``12 601`` is ``12-601``);
Chinese numerals before a unit become digits, ``#`` becomes 号; several addresses in one string
(``;``) are noted; postcode, chatter, a trailing 对面/隔壁 and the place prefixes come off; what
is left is cut into numbers-with-units and the texts between them, read left to right.

>>> p = parse("上海市静安区共和新路2288号12号楼601室")
>>> p.road, p.house, p.numbers, p.room, [h.core for h in p.hints]
('共和新路', '2288', ('12',), '601', ['上海', '静安'])
>>> p = parse("中山北一路197弄7号（近平型关路）")
>>> p.road, p.lane, p.numbers, p.landmark
('中山北一路', '197', ('7',), '近平型关路')
>>> [parse(q).numbers for q in ("嘉利明珠城12号楼和13号楼", "嘉利明珠城1号楼2", "12-601")]
[('12', '13'), ('1',), ('12',)]
>>> p = parse("嘉利明珠城12号楼6楼"); p.place, p.numbers, p.floor
('嘉利明珠城', ('12',), '6')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from shanzhi.address.model import Address, Hint
from shanzhi.address.normalize import fold, name_key
from shanzhi.address.numerals import NUMERAL_CHARS, digits_in
from shanzhi.address.prefixes import (
    strip_chatter,
    take_hints,
    take_landmark,
    take_postcode,
    take_relative,
)

__all__ = ["ROAD_SUFFIX", "parse", "split_road"]

#: How a road name ends; everything before, including 东/南/西/北/中, 一/二路 and 支, is part of it.
ROAD_SUFFIX = r"(?:公路|大道|路|(?<!步行)街(?![区道坊]))"
_ROAD = re.compile(rf"^(.+?{ROAD_SUFFIX})(.*)$")
_BUILDING_UNITS = ("号楼", "幢", "栋", "座")
_TOKEN = re.compile(
    r"(?P<num>[a-z]?\d+(?:[a-z](?![a-z]))?|[a-z](?=座|栋|幢|号楼))"
    r"(?P<unit>号楼|号门|号|幢|栋|座|支弄|弄|单元|室|楼|层|f(?![a-z])|期)?"
)
_PARTS = {"号门": "door", "单元": "unit", "室": "room"}
_SEPARATORS = {"和", "与", "及", "跟", "、", ",", "或", "以及", "还有", "/", "&", "+", "或者"}
_GENERIC = {"小区", "大楼", "楼", "号", "区", "院", "大院", "新村", "弄"}
_KEEP = set("-,、;/&+()")
_LATIN = re.compile(r"[a-z]{2}")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_DIGIT_GAP = re.compile(r"(?<=\d\d) (?=\d\d)")
#: A Chinese numeral cut by a dash, a dot or a bracket (十-一号, 三-五号楼): a range, or a typo —
#: read as several buildings, never one (spaces inside a numeral are only spacing: 十 二号).
_CUT_NUMERAL = re.compile(rf"[{NUMERAL_CHARS}] ?[-·()][-·() ]*[{NUMERAL_CHARS}\d]")


def split_road(text: str) -> tuple[str | None, str]:
    """A text's leading road (with its full suffix) and what follows it.

    >>> split_road("中山北一路"), split_road("共和新路嘉利明珠城"), split_road("嘉利明珠城")
    (('中山北一路', ''), ('共和新路', '嘉利明珠城'), (None, '嘉利明珠城'))
    """
    m = _ROAD.match(text)
    return (m.group(1), m.group(2)) if m else (None, text)


def _compact(text: str) -> str:
    text = _DIGIT_GAP.sub("-", text).replace(" ", "")
    text = "".join(ch for ch in text if ch.isalnum() or ch in _KEEP or ch == "#")
    return digits_in(text).replace("#", "号")


@dataclass
class _State:
    """What the left-to-right reading has found so far."""

    head: list[str] = field(default_factory=list)
    after_lane: list[str] = field(default_factory=list)
    tail: list[str] = field(default_factory=list)
    road: str | None = None
    lane: str | None = None
    sublane: str | None = None
    house: str | None = None
    numbers: list[str] = field(default_factory=list)
    parts: dict[str, str] = field(default_factory=dict)
    loose: str | None = None
    pending: list[str] = field(default_factory=list)
    separated: bool = False
    dash: bool = False
    several: bool = False

    def text(self, t: str) -> None:
        t = t.removesuffix("第")
        if not t:
            return
        if t in _SEPARATORS:
            self.separated = True
        elif set(t) == {"-"}:
            self.dash = True
        elif t in ("第", "(", ")"):
            return
        elif not (self.lane or self.house or self.numbers or self.pending):
            self.head.append(t)
        elif not self.numbers and not self.pending:
            self.after_lane.append(t)
        else:
            self.tail.append(t)

    def building(self, n: str) -> None:
        if self.numbers and n not in self.numbers:
            self.several = True
        if n not in self.numbers:
            self.numbers.append(n)


def _norm(n: str) -> str:
    m = re.match(r"([a-z]?)0*(\d+)(.*)", n)
    return f"{m.group(1)}{m.group(2)}{m.group(3)}" if m else n


def _read(s: _State, n: str, unit: str, nxt: str | None) -> None:
    """Read one number by its unit; ``nxt`` is the unit of the next number, if any."""
    n = _norm(n)
    if s.pending and s.separated and unit in (*_BUILDING_UNITS, "号"):
        for p in s.pending:  # 12、13号楼
            s.building(p)
        s.pending.clear()
    if s.pending and s.dash and unit in ("室", "楼", "层", "f"):
        s.pending.clear()  # 1105-1106室, 1-2楼: a range of rooms or floors
    if s.pending and s.dash and unit in (*_BUILDING_UNITS, "号"):
        s.several = True  # 1-2号楼, 2288-12号: a range, or a lane and a number: never one
    s.dash = False
    if unit == "弄":
        if s.lane is None:
            s.lane = n
        else:
            s.sublane = n
    elif unit == "支弄":
        s.sublane = n
    elif unit == "期":
        (s.after_lane if s.lane or s.house else s.head).append(f"{n}期")
    elif unit in _BUILDING_UNITS:
        s.building(n)
    elif unit == "号":
        on_road = s.road is not None and s.lane is None and s.house is None
        if not s.numbers and (on_road or nxt in (*_BUILDING_UNITS, "号")):
            s.house = n  # 共和新路2288号…, 2288号12号楼
        else:
            s.building(n)
    elif unit in _PARTS:
        s.parts[_PARTS[unit]] = n
    elif unit == "楼" and not s.numbers and (s.lane or s.house or s.head):
        s.loose = n  # 嘉利明珠城12楼: the 12th floor, or building 12 said loosely
    elif unit in ("楼", "层", "f"):
        s.parts["floor"] = n
    else:
        s.pending.append(n)


def _finish(s: _State) -> None:
    """Bare numbers: a building when none is named yet (12-601, 嘉利明珠城12), else a room."""
    if not s.pending:
        return
    if s.numbers:
        if "room" not in s.parts and len(s.pending) == 1 and len(s.pending[0]) >= 3:
            s.parts["room"] = s.pending.pop(0)  # 12号601
        s.tail.extend(s.pending)  # 1号楼2: never building 2
        return
    if s.road and s.lane is None and s.house is None and not s.after_lane:
        s.house = s.pending.pop(0)  # 共和新路2288: a door number on the road
    if s.pending and s.loose is None:
        if s.separated and len(s.pending) > 1:
            for p in s.pending:
                s.building(p)
        else:
            s.building(s.pending.pop(0))
            if s.pending:
                room = s.pending.pop(0)
                s.parts.setdefault("room", room)  # 12-601, 6-302
                s.several = s.several or len(room) < 3  # 1-5: a range, or 15 cut in two


def _tokens(text: str) -> list[tuple[str, str | None]]:
    """Alternating texts ``(text, None)`` … and numbers ``("", ...)`` kept as (number, unit)."""
    out: list[tuple[str, str | None]] = []
    at = 0
    for m in _TOKEN.finditer(text):
        if m.start() > at:
            out.append(("", text[at : m.start()]))
        out.append((m.group("num"), m.group("unit") or ""))
        at = m.end()
    if at < len(text):
        out.append(("", text[at:]))
    return out


def _read_all(core: str) -> _State:
    s = _State()
    tokens = _tokens(core)
    for i, (n, u) in enumerate(tokens):
        if not n:
            s.text(u or "")
            if s.road is None and s.head and not (s.lane or s.house or s.numbers or s.pending):
                road, after = split_road("".join(s.head))
                if road:
                    s.road, s.head = road, [after] if after else []
            continue
        nxt = next((v for m, v in tokens[i + 1 :] if m), None)
        _read(s, n, u or "", nxt)
    _finish(s)
    return s


def parse(text: str) -> Address:
    """The :class:`~shanzhi.address.model.Address` a typed string names (see the module doc)."""
    folded = fold(text)
    if _LATIN.search(folded) and not _CJK.search(folded):
        from shanzhi.address.latin import parse_latin

        return parse_latin(text, folded)
    s, landmark = take_landmark(folded.rpartition(":")[2] or folded)  # 上海总部:…
    several = bool(_CUT_NUMERAL.search(s))
    s = _compact(s)
    if ";" in s:
        first, _, other = s.partition(";")
        several = several or (bool(re.search(r"\d", other)) and bool(re.search(r"\d", first)))
        s = first
    s, postcode = take_postcode(s)
    s = strip_chatter(s)
    s, relative = take_relative(s)
    s, hints = take_hints(s)
    st = _read_all(s)
    place = "".join(st.head + st.after_lane) or None
    if place in _GENERIC:
        place = None
    return Address(
        raw=text,
        key=name_key(text),
        road=st.road,
        lane=st.lane,
        sublane=st.sublane,
        house=st.house,
        place=place,
        numbers=tuple(st.numbers),
        unit=st.parts.get("unit"),
        door=st.parts.get("door"),
        floor=st.parts.get("floor"),
        room=st.parts.get("room"),
        loose=st.loose,
        postcode=postcode,
        landmark=landmark,
        hints=tuple(_dedupe(hints)),
        several=several or st.several,
        relative=relative,
        rest="".join(st.tail),
    )


def _dedupe(hints: tuple[Hint, ...]) -> list[Hint]:
    out: list[Hint] = []
    for h in hints:
        if h not in out:
            out.append(h)
    return out
