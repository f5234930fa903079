"""Where an address says it is, and whether that is ours: the not-ours answers of ``route``.

A ticket's address may name a province or another city (新疆…, 苏州市…), a district (徐汇区, or
徐汇 right after 上海), a street (…街道, …镇) or a 居委会 (…居委会). :func:`named_regions` finds
them; :func:`foreign` compares them with the :class:`Jurisdiction` of the store (its streets
and districts: the names of its 街道 places, the districts they are PART_OF, and the district
and street codes of its street grids) and says which named region is not ours, in the words the
ticket or the 区划 list gives (``shanzhi/route/data/README.md``): 徐汇区, 南桥镇, or a 居委会's
street code with its district (310104003（徐汇区）) — the list has no street names.

Only what the text names is judged: a road the store does not know is not "not ours" (it may be
ours and unrecorded), it is "not found". Former districts count as the ones they merged into
(闸北区 is 静安区).

>>> r = named_regions("上海市徐汇区天钥桥路408号北楼703")
>>> r["districts"], r["cities"]
(['徐汇区'], [])
>>> named_regions("上海奉贤南桥南桥镇望园南路")["districts"]
['奉贤区']
>>> named_regions("上海市浦东南路256号")["districts"]   # a road, not the district
[]
>>> named_regions("上海市闸北区共和新路3088弄5号楼")["districts"]
['静安区']
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypedDict

__all__ = [
    "Committee",
    "District",
    "Jurisdiction",
    "Regions",
    "committees_named",
    "districts",
    "foreign",
    "jurisdiction_of",
    "named_regions",
    "strip_ours",
]

DATA = Path(__file__).resolve().parent / "data"
_PROVINCES = (
    "北京|天津|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|"
    "海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
)
#: What follows a name when it is a road (北京东路, 浦东南路, 长宁路, 静安寺), not a region.
_ROAD_AFTER = re.compile(r"(?:[东南西北中]{0,2}[一二三四五六七八九十]?(?:路|街|道|大道|公路)|寺)")
_PROVINCE = re.compile(rf"^(?:中国)?({_PROVINCES})")
_CITY = re.compile(r"^(?:中国)?(?:[\u4e00-\u9fff]{2,3}省)?([\u4e00-\u9fff]{2,4}?)市")
_SHANGHAI = re.compile(r"^(?:中国)?上海市?")
#: A district at the start of an address that the Shanghai list does not know (测试二区).
_GENERIC_DISTRICT = re.compile(r"^([\u4e00-\u9fff]{2,4}?区)")
_NOT_DISTRICT = (
    "小区",
    "园区",
    "街区",
    "社区",
    "校区",
    "厂区",
    "景区",
    "片区",
    "城区",
    "新区",
    "住宅区",
)
_STREET = re.compile(r"(?:^|[区市])([^区市省县弄号楼]{2,8}?(?:街道|镇|乡))")
_COMMITTEE = re.compile(r"([^区市省县弄号楼镇]{2,16}?)(?:居民委员会|居委会|居委|村委会)")


@dataclass(frozen=True)
class District:
    """A district of Shanghai: 6-digit code, name, short name, the code it merged into."""

    code: str
    name: str
    short: str
    merged_into: str | None


@dataclass(frozen=True)
class Committee:
    """A 居委会 or 村委会 of the 区划 list."""

    code: str
    name: str
    street_code: str
    district_code: str


@cache
def districts() -> dict[str, District]:
    """Districts of Shanghai (current and former) by code."""
    with (DATA / "shanghai-districts.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {
        r["code"]: District(r["code"], r["name"], r["short"], r["merged_into"] or None)
        for r in rows
    }


def _current(code: str) -> District:
    d = districts()[code]
    return districts()[d.merged_into] if d.merged_into else d


@cache
def _district_names() -> dict[str, str]:
    """Full and short name → the current district's name."""
    out: dict[str, str] = {}
    for code, d in districts().items():
        out[d.name] = out[d.short] = _current(code).name
    return out


@cache
def _shorts() -> tuple[str, ...]:
    """The short names of the districts (徐汇, 浦东 …)."""
    return tuple(d.short for d in districts().values())


@cache
def _committees() -> dict[str, tuple[Committee, ...]]:
    """居委会 of the list by normalised name without its suffix (云南中路居委会 → 云南中路)."""
    found: dict[str, list[Committee]] = {}
    with (DATA / "shanghai-juweihui.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            c = Committee(r["code"], r["name"], r["street_code"], r["district_code"])
            found.setdefault(_committee_key(r["name"]), []).append(c)
    return {k: tuple(v) for k, v in found.items()}


def _committee_key(name: str) -> str:
    return re.sub(r"(?:居民委员会|居委会|居委|村委会|村民委员会)$", "", _norm(name))


def committees_named(name: str) -> tuple[Committee, ...]:
    """Every 居委会 of the list with this name (with or without 居委会), or with its longest
    ending that is one (共和新路嘉利 → 嘉利).

    >>> [c.street_code for c in committees_named("嘉利居委会")]
    ['310106018']
    >>> [c.code for c in committees_named("共和新路嘉利")]
    ['310106018021']
    """
    key, known = _committee_key(name), _committees()
    for start in range(len(key) - 1):
        if key[start:] in known:
            return known[key[start:]]
    return ()


def _norm(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PSZC")


class Regions(TypedDict):
    """What a text names: provinces or cities, districts, streets and 居委会 names."""

    cities: list[str]
    districts: list[str]
    streets: list[str]
    committees: list[str]


def _road_follows(text: str, end: int) -> bool:
    return _ROAD_AFTER.match(text, end) is not None


#: A text without any of these characters names no region (the common case: a fast exit).
_MARKERS = frozenset("区市省镇乡街居村")


def named_regions(text: str, streets: bool = True) -> Regions:
    """The regions an address text names (see the module docstring). ``streets=False`` looks
    for provinces, cities and districts only — in free text, where "…街道" may be the office.

    >>> named_regions("静安区居民反映街道不作为", streets=False)["streets"]
    []
    """
    t = _norm(text)
    if not (_MARKERS.intersection(t) or _PROVINCE.match(t) or any(s in t for s in _shorts())):
        return {"cities": [], "districts": [], "streets": [], "committees": []}
    cities: list[str] = []
    if (m := _PROVINCE.match(t)) and not _road_follows(t, m.end()):
        cities.append(m.group(1))
    elif (m := _CITY.match(t)) and m.group(1) != "上海":
        cities.append(m.group(1) + "市")
    found: list[str] = []
    names = _district_names()
    for name in sorted(names, key=len, reverse=True):
        if name.endswith(("区", "新区")) and name in t:
            found.append(names[name])
    rest = t[m.end() :] if (m := _SHANGHAI.match(t)) else t
    for short, full in names.items():
        if (
            not short.endswith("区")
            and rest.startswith(short)
            and not _road_follows(rest, len(short))
            and not rest.startswith(full)
        ):
            found.append(full)
    if (
        not found
        and (m := _GENERIC_DISTRICT.match(rest))
        and not m.group(1).endswith(_NOT_DISTRICT)
    ):
        found.append(m.group(1))
    named = [m.group(1) for m in _STREET.finditer(rest)] if streets else []
    committees = [m.group(1) for m in _COMMITTEE.finditer(t)] if streets else []
    return {
        "cities": cities,
        "districts": sorted(set(found)),
        "streets": sorted(set(named)),
        "committees": sorted(set(committees)),
    }


@dataclass
class Jurisdiction:
    """The streets and districts a store holds (names normalised, codes as text)."""

    streets: set[str] = field(default_factory=set)
    districts: set[str] = field(default_factory=set)
    street_codes: set[str] = field(default_factory=set)

    def add_code(self, code: str) -> None:
        """A street grid's code: 9-digit street code, district by its 6-digit prefix."""
        digits = re.sub(r"\D", "", code)
        if len(digits) >= 9:
            self.street_codes.add(digits[:9])
        if digits[:6] in districts():
            self.districts.add(_current(digits[:6]).name)


def _is_street_name(name: str) -> bool:
    return name.endswith(("街道", "镇", "乡"))


def jurisdiction_of(
    nodes: Iterable[dict[str, Any]], part_of: Iterable[tuple[str, str]]
) -> Jurisdiction:
    """The jurisdiction of a graph's nodes (dicts with uid, label and properties) and its
    place PART_OF pairs (child uid, parent uid).

    >>> j = jurisdiction_of(
    ...     [{"uid": "s", "label": "Place", "kind": "subdistrict", "name": "共和新路街道"},
    ...      {"uid": "g", "label": "Grid", "level": "street", "name": "共和新路街道总网格",
    ...       "code": "310106018000"}], [])
    >>> sorted(j.streets), sorted(j.districts), sorted(j.street_codes)
    (['共和新路街道'], ['静安区'], ['310106018'])
    """
    j = Jurisdiction()
    names: dict[str, str] = {}
    subdistricts: set[str] = set()
    for n in nodes:
        names[n["uid"]] = str(n.get("name") or "")
        if n.get("label") == "Place" and n.get("kind") == "subdistrict":
            subdistricts.add(n["uid"])
            aliases = n.get("aliases") or []
            for name in (n.get("name"), *(aliases if isinstance(aliases, list) else [aliases])):
                if name and _is_street_name(_norm(str(name))):
                    j.streets.add(_norm(str(name)))
        elif n.get("label") == "Grid" and n.get("level") == "street":
            name = _norm(str(n.get("name") or "")).removesuffix("总网格")
            if _is_street_name(name):
                j.streets.add(name)
            if n.get("code"):
                j.add_code(str(n["code"]))
    for child, parent in part_of:
        if child in subdistricts and names.get(parent, "").endswith("区"):
            j.districts.add(_norm(names[parent]))
    return j


def foreign(regions: Regions, ours: Jurisdiction) -> str | None:
    """The region a text names that is not ours, as a user reads it; None when all are ours
    (or the text names none).

    >>> j = Jurisdiction({"共和新路街道"}, {"静安区"}, {"310106018"})
    >>> foreign(named_regions("上海市徐汇区天钥桥路408号"), j)
    '徐汇区'
    >>> foreign(named_regions("静安区共和新路街道嘉利明珠城12号"), j) is None
    True
    >>> foreign(named_regions("上海市长宁区金钟路658弄5号楼"), j)
    '长宁区'
    """
    for city in regions["cities"]:
        if city not in ours.districts and city not in ours.streets:
            return city
    if ours.districts:
        for d in regions["districts"]:
            if d not in ours.districts:
                return d
    if ours.streets:
        for s in regions["streets"]:
            if not any(s.endswith(o) for o in ours.streets):  # 静安共和新路街道 is ours
                return s
    for name in regions["committees"]:
        found = committees_named(name)
        if found and not any(c.street_code in ours.street_codes for c in found):
            return _committee_region(found)
    return None


def _committee_region(found: tuple[Committee, ...]) -> str:
    streets = sorted({c.street_code for c in found})
    where = sorted(
        {_current(c.district_code).name for c in found if c.district_code in districts()}
    )
    return "、".join(streets) + (f"（{'、'.join(where)}）" if where else "")


def strip_ours(text: str, ours: Jurisdiction) -> str:
    """``text`` without the city, districts and streets of ours it starts with, so the finder
    sees the address itself; regions that are not ours are left (and judged by :func:`foreign`).

    >>> j = Jurisdiction({"共和新路街道"}, {"静安区"}, {"310106018"})
    >>> strip_ours("上海市闸北区共和新路街道嘉利明珠城12号", j), strip_ours("静安寺路1号", j)
    ('嘉利明珠城12号', '静安寺路1号')
    """
    t = _norm(text)
    names = sorted(
        {n for n, cur in _district_names().items() if cur in ours.districts} | ours.districts,
        key=len,
        reverse=True,
    )
    streets = sorted(ours.streets, key=len, reverse=True)
    before = None
    while before != t:
        before = t
        if (m := _SHANGHAI.match(t)) and m.end():
            t = t[m.end() :]
        for name in names:
            if t.startswith(name) and (name.endswith("区") or not _road_follows(t, len(name))):
                t = t[len(name) :]
                break
        for street in streets:
            if t.startswith(street):
                t = t[len(street) :]
                break
    return t or _norm(text)
