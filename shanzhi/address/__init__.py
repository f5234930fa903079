"""Shanghai addresses the way people type them: parse, lookup keys, and matching.

Grammar of a typed address (after :func:`~shanzhi.address.normalize.fold`: traditional →
simplified by OpenCC, full-width → ASCII, case folded; Chinese numerals before a unit → digits,
``#`` → 号; spaces dropped, except that ``12 601`` reads ``12-601``)::

    query     = [postcode] chatter* hint* place [extra*] [relative] chatter* [postcode]
    hint      = "上海" ["市"] | DISTRICT ("区" | "新区" | "县") | NAME ("街道" | "镇")
              | NAME ("居委会" | "居民区" | "居委" | "社区")          (also after the building)
    place     = road [lane | house] [estate] [building]
              | estate [lane] [building] | lane building | building
    road      = NAME ROAD_SUFFIX                ROAD_SUFFIX = 路 | 街 | 大道 | 公路, and all that
                                                precedes it: 中山北一路, 沪太支路 are whole names
    lane      = N "弄" [N "支弄"]
    house     = N "号"                          (right after the road, before a building: 号
                                                typed for 弄, or a door number)
    building  = ["第"] N ("号楼" | "号" | "幢" | "栋" | "座") | N (at the end: 嘉利明珠城12)
              | N "-" ROOM (12-601)             and with 和/、/, between: several buildings
    extra     = N "单元" | N "号门" | N ("楼" | "层" | "f") | N "室" | N (a room: 12号601)
    landmark  = "(" ("近" | "靠近" …) TEXT ")"   (other brackets' contents are read in line)
    relative  = 对面 | 隔壁 | 附近 | 旁边 …       (the building meant is a neighbour: not found)
    chatter   = 请问 | 那个 | 是谁管的 | 吧 | 呢 …  postcode = "20" DIGIT{4}

    N         = DIGITS [LETTER] | CHINESE_NUMERAL (十二, 廿六, 卅, 一千一百, 八零五, 两, 〇)

Text in Latin letters is English (``Building 12, Jiali Mingzhu City``, ``No. 12, Lane 2288,
Gonghexin Road``) or pinyin (``jialimingzhucheng12hao``, initials ``jlmzc12``):
:mod:`shanzhi.address.latin`. A number written ``12楼`` with no building number is a floor or,
loosely, building 12: never a sure answer. ``1号楼2`` is building 1 (the 2 is never a building).

>>> a = parse("請問上海市靜安區共和新路二二八八號十二號樓3單元601室（近平型關路）是誰管的")
>>> a.road, a.house, a.numbers, a.unit, a.room, a.landmark, [h.core for h in a.hints]
('共和新路', '2288', ('12',), '3', '601', '近平型关路', ['上海', '静安'])
>>> parse("嘉利明珠城12号楼和13号楼").several, parse("嘉利明珠城1号楼2").numbers
(True, ('1',))
>>> parse("沪太支路538弄6-302").road, parse("老沪闵路1号").road
('沪太支路', '老沪闵路')

The building store keeps :func:`building_keys` of every building; a query asks for its
:func:`query_keys`, and :func:`match` picks among the rows the store returns (:func:`resolve`
does both steps; :class:`KeyIndex` is the same thing in memory).
"""

from shanzhi.address.keys import KEYS_VERSION, building_keys, query_keys
from shanzhi.address.lookup import LIMIT, LISTED, Candidates, KeyIndex, find, resolve
from shanzhi.address.match import KIND_LABELS, Match, MatchKind, match
from shanzhi.address.model import Address, Hint
from shanzhi.address.parse import parse

__all__ = [
    "KEYS_VERSION",
    "KIND_LABELS",
    "LIMIT",
    "LISTED",
    "Address",
    "Candidates",
    "Hint",
    "KeyIndex",
    "Match",
    "MatchKind",
    "building_keys",
    "find",
    "match",
    "parse",
    "query_keys",
    "resolve",
]
