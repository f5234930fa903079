"""Lookup keys: the short strings a store indexes buildings under, and a query asks for.

At load time a store computes :func:`building_keys` of every building row and keeps them in an
indexed table (SQLite) or on key nodes (Neo4j), with :data:`KEYS_VERSION`; when that constant
changes the stored keys are stale and must be computed again. A query computes
:func:`query_keys` of its parsed address and the store returns the buildings having *any* of
those keys (``store.building_candidates(keys)``); :func:`shanzhi.address.match.match` then
decides among those few rows. Every way a query can match a building (see ``match``) is covered
by a key both sides compute from the same parse, so the candidates always hold the answer.

Keys are plain strings ``<kind>:<value>``; numbers have no leading zeros, texts are
:func:`~shanzhi.address.facts.canon` and then pinyin, so a homophone typo has the same key:

========================  =================================================================
``x:<name key>``          the whole id, uid, name, alias or address (``x:pjlmzb12``)
``t:<pinyin>|<lane>|<n>`` a road or place text with its lane and building number
                          (``t:gonghexinlu|2288|12``, ``t:jialimingzhucheng||12``); the
                          lane level ``t:gonghexinlu|2288|`` and place level ``t:…||``
``c:<text>|<lane>|<n>``   the same as ``t:`` with the text's characters instead of its pinyin
                          (``c:共和新路|2288|12``): what a query asks first (:func:`exact_keys`)
``i:<initials>|<lane>|<n>``  the same for place texts by initials (``i:jlmzc||12``)
``l:<lane>|<n>``          a lane and number with no road (``2288弄12号``)
``n:<n>``                 a bare building number (``12号楼``: many buildings; the store may cap)
``a:<level>:<pinyin>|<n>``  a community or subdistrict and a number (``嘉利居民区3号楼``)
``b:<bigram>|<n>``        typo keys of place texts (never roads): each two-character piece
                          but the generic ones (花园, 小区, 示例 …), with and without number
========================  =================================================================

The typo keys are asked for separately (:func:`query_keys` with ``typo=True``), only when the
exact keys found nothing the query could mean, so a city-scale store returns few rows. The
character keys (:func:`exact_keys`) are asked before any other: a query that names its road or
estate exactly is answered from them without computing any pinyin (pypinyin's dictionaries cost
a new process 0.3 s).

>>> row = {"uid": "d:B12", "id": "B12", "name": "嘉利明珠城12号楼",
...        "address": "共和新路2288弄12号", "parents": [{"name": "嘉利明珠城", "kind": "estate"}]}
>>> from shanzhi.address.parse import parse
>>> sorted(query_keys(parse("佳丽名珠城12号")) & building_keys(row))
['t:jialimingzhucheng||12']
>>> sorted(query_keys(parse("共和新路2288号12号楼")) & building_keys(row))
['t:gonghexinlu|2288|12']
>>> sorted(query_keys(parse("嘉利明珠成12号楼"), typo=True) & building_keys(row))
['b:利明|12', 'b:嘉利|12', 'b:明珠|12']
>>> sorted(exact_keys(parse("共和新路2288弄12号")) & building_keys(row))
['c:共和新路|2288|12', 'x:共和新路2288弄12号']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shanzhi.address.facts import Facts, canon, facts
from shanzhi.address.model import Address
from shanzhi.address.normalize import initials, name_key, pinyin

__all__ = [
    "GENERIC_BIGRAMS",
    "KEYS_VERSION",
    "building_keys",
    "exact_keys",
    "keys_of_facts",
    "near_keys",
    "query_keys",
]

#: Bump when a key's form or the parser's reading of names changes: stores then recompute.
KEYS_VERSION = 2

#: Two-character pieces too common in estate names to find a typo by (a city has thousands).
GENERIC_BIGRAMS = frozenset(
    ("花园", "小区", "新村", "公寓", "家园", "大厦", "广场", "名苑", "别墅", "世纪", "上海", "城市",
     "示例", "测试", "样本", "新苑", "小镇", "一期", "二期", "三期", "大楼", "公馆", "华庭", "山庄",
     "苑小", "园小", "村小")
)  # fmt: skip


def _bigrams(text: str) -> set[str]:
    letters = "".join(ch for ch in text if not ch.isdigit())
    return {letters[i : i + 2] for i in range(len(letters) - 1)} - GENERIC_BIGRAMS


def _n(value: str | None) -> str:
    return value or ""


def keys_of_facts(f: Facts) -> set[str]:
    """The keys of a building from its :class:`~shanzhi.address.facts.Facts`."""
    keys = {f"x:{e}" for e in f.exact}
    numbers = {t.number for t in f.triples if t.number}
    keys |= {f"n:{n}" for n in numbers}
    for t in f.triples:
        if not t.text:
            if t.lane:
                keys.add(f"l:{t.lane}|{_n(t.number)}")
            continue
        for tag, value in (("t", pinyin(t.text)), ("c", t.text)):
            keys.add(f"{tag}:{value}|{_n(t.lane)}|{_n(t.number)}")
            keys.add(f"{tag}:{value}|{_n(t.lane)}|")
            if not t.road:
                keys.add(f"{tag}:{value}||")
        if t.road:
            if t.lane:
                keys.add(f"l:{t.lane}|{_n(t.number)}")
            for names in f.road_aliases:
                if t.text in names:
                    keys |= {f"t:{pinyin(a)}|{_n(t.lane)}|{_n(t.number)}" for a in names}
                    keys |= {f"c:{a}|{_n(t.lane)}|{_n(t.number)}" for a in names}
            continue
        ini = initials(t.text)
        keys.add(f"i:{ini}|{_n(t.lane)}|{_n(t.number)}")
        keys.add(f"i:{ini}||")
        for bg in _bigrams(t.text):
            keys.add(f"b:{bg}|{_n(t.number)}")
            keys.add(f"b:{bg}|")
    for anc in f.ancestors:
        if anc.level in ("community", "subdistrict"):
            keys |= {f"a:{anc.level}:{pinyin(c)}|{n}" for c in anc.cores for n in numbers}
    return keys


def building_keys(row: Mapping[str, Any]) -> set[str]:
    """Every key of one building row (name, aliases, address, parent places; see above)."""
    return keys_of_facts(facts(row))


def _text_keys(
    a: Address, text: str, is_road: bool, numbers: tuple[str, ...], exact: bool = False
) -> set[str]:
    tag, value = ("c", canon(text)) if exact else ("t", text if a.latin else pinyin(canon(text)))
    lanes: list[str] = []
    if a.lane:
        lanes.append(a.lane)
    if is_road and a.house:
        lanes.append(a.house)
    if not lanes or not is_road:
        lanes.append("")
    keys: set[str] = set()
    for lane in lanes:
        for n in numbers or ("",):
            keys.add(f"{tag}:{value}|{lane}|{n}")
            if a.latin and not is_road:
                keys.add(f"i:{value}|{lane}|{n}")
    if is_road and a.house and not numbers:
        keys.add(f"{tag}:{value}||{a.house}")  # a door number on the road
    return keys


def exact_keys(a: Address) -> set[str]:
    """The keys of the query's road and estate as typed, character for character, and its
    whole text: no pinyin computed. Empty for Latin queries and those naming neither."""
    if a.latin or not (a.road or a.place):
        return set()
    numbers = a.numbers or ((a.loose,) if a.loose else ())
    keys = {f"x:{a.key}"} if a.key else set()
    if a.road:
        keys |= _text_keys(a, a.road, True, numbers, exact=True)
    if a.place:
        keys |= _text_keys(a, a.place, False, numbers, exact=True)
    return keys


def query_keys(a: Address, *, typo: bool = False) -> set[str]:
    """The keys to ask the store for (``typo=True``: the typo keys, asked second)."""
    numbers = a.numbers or ((a.loose,) if a.loose else ())
    if typo:
        if not a.place or a.latin:
            return set()
        return {f"b:{bg}|{n}" for bg in _bigrams(canon(a.place)) for n in numbers or ("",)}
    keys = {f"x:{a.key}"} if a.key else set()
    if a.road:
        keys |= _text_keys(a, a.road, True, numbers)
    if a.place:
        keys |= _text_keys(a, a.place, False, numbers)
    if not a.road and not a.place:
        if a.lane:
            keys |= {f"l:{a.lane}|{n}" for n in numbers or ("",)}
        else:
            keys |= {f"n:{n}" for n in numbers}
            for h in a.hints:
                if h.level in ("community", "subdistrict"):
                    core = h.core if a.latin else pinyin(name_key(h.core))
                    keys |= {f"a:{h.level}:{core}|{n}" for n in numbers}
    return keys


def near_keys(a: Address) -> set[str]:
    """The keys of the buildings around what ``a`` names, without its building number: every
    building of its estate, or of its road's lane (the closest names of a "not found").

    >>> from shanzhi.address.parse import parse
    >>> sorted(near_keys(parse("嘉利明珠城99号楼"))), sorted(near_keys(parse("共和新路2288号99号")))
    (['t:jialimingzhucheng||'], ['t:gonghexinlu|2288|'])
    """
    keys: set[str] = set()
    if a.road:
        py = a.road if a.latin else pinyin(canon(a.road))
        keys |= {f"t:{py}|{lane}|" for lane in (a.lane, a.house) if lane}
    if a.place:
        py = a.place if a.latin else pinyin(canon(a.place))
        keys.add(f"t:{py}||")
        if a.latin:
            keys.add(f"i:{py}||")
    return keys
