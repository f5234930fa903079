"""What a building row says about where it stands, in the parser's own terms.

A row (``store.building_candidates`` and ``building_rows`` give them) is ``{uid, id, dataset,
name, address, aliases, parents: [{name, aliases, kind}]}``; ``parents`` are the places the
building is PART_OF, nearest first, ideally every one up the chain (estate, community, block,
subdistrict, district) and the building's road with its aliases (kind ``road``).

:func:`facts` parses the building's name, aliases and address, and its estates' names, with the
same parser as a query, into :class:`Triple` ``(text, road?, lane, number, source)``: the road
or place text as :func:`canon` writes it, the lane, the building number. Keys and matching both
read these, so what a building is indexed under is exactly what can match it.

>>> f = facts({"uid": "d:B12", "id": "B12", "name": "嘉利明珠城12号楼",
...            "address": "共和新路2288弄12号", "aliases": "嘉利12号楼",
...            "parents": [{"name": "嘉利明珠城", "aliases": "嘉利明珠城小区", "kind": "estate"}]})
>>> sorted({(t.text, t.road, t.lane, t.number, t.source) for t in f.triples})[:3]
[('共和新路', True, '2288', '12', 'address'), ('嘉利', False, None, '12', 'alias'), \
('嘉利明珠城', False, None, '12', 'estate')]
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, NamedTuple

import orjson

from shanzhi.address.model import HintLevel
from shanzhi.address.normalize import name_key
from shanzhi.address.parse import parse

__all__ = ["Ancestor", "Facts", "Source", "Triple", "aliases_of", "canon", "facts", "forget"]

Source = Literal["name", "alias", "address", "estate", "estate-alias", "short", "road-alias"]
_GENERIC_TAIL = re.compile(r"(?<=..)(?:小区)$")
_LEVEL_WORDS: dict[HintLevel, re.Pattern[str]] = {
    "community": re.compile(r"(?:居民委员会|居委会|居民区|居委|社区|村委会)$"),
    "subdistrict": re.compile(r"(?:街道办事处|街道|镇)$"),
    "district": re.compile(r"(?:新区|区|县)$"),
    "city": re.compile(r"市$"),
}


class Triple(NamedTuple):
    """One way the building can be named: a road or place text, a lane, a number."""

    text: str
    road: bool
    lane: str | None
    number: str | None
    source: Source


class Ancestor(NamedTuple):
    """A place above the building that a hint may name: its level and names' cores."""

    level: HintLevel
    cores: tuple[str, ...]


@dataclass(frozen=True)
class Facts:
    """Everything the keys and the matcher read from one building row."""

    row: Mapping[str, Any]
    exact: frozenset[str]
    triples: tuple[Triple, ...]
    ancestors: tuple[Ancestor, ...]
    road_aliases: tuple[frozenset[str], ...]


def canon(text: str) -> str:
    """A road or place text as compared: its :func:`name_key`, a trailing 小区 dropped."""
    return _GENERIC_TAIL.sub("", name_key(text))


def aliases_of(value: Any) -> tuple[str, ...]:
    """Aliases stored as a list or as text separated by | or 、."""
    if value is None or value == "":
        return ()
    items = value if isinstance(value, list | tuple) else re.split(r"[|、]", str(value))
    return tuple(s.strip() for s in items if str(s).strip())


@lru_cache(maxsize=65536)
def _triples_of(text: str, source: Source) -> tuple[Triple, ...]:
    a = parse(text)
    if a.latin or a.several:
        return ()
    number = a.number
    out = []
    if a.road:
        lane = a.lane or (a.house if number else None)
        out.append(Triple(canon(a.road), True, lane, number or (None if lane else a.house), source))
    if a.place:
        out.append(Triple(canon(a.place), False, None if a.road else a.lane, number, source))
    if not a.road and not a.place and number:
        out.append(Triple("", False, a.lane, number, source))
    return tuple(out)


def _numbers(triples: list[Triple]) -> set[str]:
    return {t.number for t in triples if t.number and t.source in ("name", "alias")}


def _estate_triples(names: tuple[str, ...], numbers: set[str]) -> list[Triple]:
    out: list[Triple] = []
    for i, name in enumerate(names):
        source: Source = "estate" if i == 0 else "estate-alias"
        variants = [(name, source)]
        if "·" in name:  # 示例·晴川新苑: the part after the qualifier alone
            variants.append((name.rsplit("·", 1)[1], "short"))
        for text, src in variants:
            for t in _triples_of(text, src):
                if t.number is None:  # (a NamedTuple's _replace is slow: built directly)
                    out.extend(Triple(t.text, t.road, t.lane, n, t.source) for n in sorted(numbers))
    return out


def _ancestor(parent: Mapping[str, Any]) -> Ancestor | None:
    kind = parent.get("kind")
    names = (str(parent.get("name") or ""), *aliases_of(parent.get("aliases")))
    level: HintLevel | None = None
    if kind in ("community", "subdistrict"):
        level = kind
    elif kind in ("district", "other") and re.search(r"(?:区|县)$", names[0]):
        level = "district"
    if level is None:
        return None
    cores = tuple(dict.fromkeys(_LEVEL_WORDS[level].sub("", name_key(n)) for n in names if n))
    return Ancestor(level, cores)


def facts(row: Mapping[str, Any]) -> Facts:
    """The :class:`Facts` of one building row (see the module docstring).

    What a row says depends on its content alone, so it is worked out once per content (the
    last :data:`KEPT` contents are kept): a finder call reads the same buildings' rows again
    and again (each query, the closest names), always as new dicts.
    """
    try:
        key: bytes | None = orjson.dumps(row)
    except TypeError:  # a value JSON cannot hold: worked out every time
        key = None
    parts = _KEPT.get(key) if key is not None else None
    if parts is None:
        parts = _parts(row)
        if key is not None and KEPT > 0:
            with _KEEPING:  # the web page's threads share it
                if len(_KEPT) >= KEPT:
                    del _KEPT[next(iter(_KEPT))]  # the oldest
                _KEPT[key] = parts
    return Facts(row, *parts)


_Parts = tuple[frozenset[str], tuple[Triple, ...], tuple[Ancestor, ...], tuple[frozenset[str], ...]]
#: Row contents whose facts are kept (a district's buildings; a city's busiest ones).
KEPT = 20_000
_KEPT: dict[bytes, _Parts] = {}
_KEEPING = threading.Lock()


def forget() -> None:
    """Drop the facts kept (a benchmark's cold start)."""
    with _KEEPING:
        _KEPT.clear()


def _parts(row: Mapping[str, Any]) -> _Parts:
    name, address = str(row.get("name") or ""), str(row.get("address") or "")
    aliases = aliases_of(row.get("aliases"))
    exact = {name_key(str(v)) for v in (row.get("uid"), row.get("id"), name, address, *aliases)}
    triples = [*_triples_of(name, "name")] if name else []
    for alias in aliases:
        triples.extend(_triples_of(alias, "alias"))
    if address:
        triples.extend(_triples_of(address, "address"))
    numbers = _numbers(triples) or {t.number for t in triples if t.number and t.source == "address"}
    ancestors, road_aliases = [], []
    for parent in row.get("parents") or ():
        kind = parent.get("kind")
        names = (str(parent.get("name") or ""), *aliases_of(parent.get("aliases")))
        if kind == "road":
            road_aliases.append(frozenset(canon(n) for n in names if n))
        elif kind in (None, "estate", "park", "building"):
            triples.extend(_estate_triples(names, numbers))
        found = _ancestor(parent)
        if found:
            ancestors.append(found)
    return (
        frozenset(e for e in exact if e),
        tuple(dict.fromkeys(triples)),
        tuple(ancestors),
        tuple(road_aliases),
    )
