"""The address parser: every part of the grammar (shanzhi/address/__init__.py), table-driven."""

from __future__ import annotations

from typing import Any

import pytest

from shanzhi.address import parse
from shanzhi.address.normalize import fold, name_key
from shanzhi.address.numerals import cn_to_int, digits_in


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("十", 10), ("十二", 12), ("二十六", 26), ("廿", 20), ("廿六", 26), ("卅", 30), ("卅一", 31),
     ("〇", 0), ("零", 0), ("两", 2), ("一千一百", 1100), ("一千一", 1100), ("八零五", 805),
     ("一〇二", 102), ("一百零二", 102), ("三千零五", 3005), ("二二八八", 2288)],
)  # fmt: skip
def test_chinese_numerals(numeral: str, value: int) -> None:
    assert cn_to_int(numeral) == value


def test_a_numeral_is_read_only_before_a_unit() -> None:
    assert digits_in("中山北一路一九七弄") == "中山北一路197弄"
    assert digits_in("四平路") == "四平路"
    assert digits_in("一品漫城三栋") == "一品漫城3栋"
    with pytest.raises(ValueError):
        cn_to_int("路")


@pytest.mark.parametrize(
    ("typed", "folded"),
    [("嘉利明珠城十二號樓", "嘉利明珠城十二号楼"), ("蘭馨園３棟", "兰馨园3栋"),
     ("靜安區", "静安区"), ("ＢＬＤＧ　１２", "bldg 12"), ("（近平型關路）", "(近平型关路)"),
     ("嘉利明珠城十二号楼", "嘉利明珠城十二号楼")],
)  # fmt: skip
def test_fold_makes_traditional_simplified_and_full_width_ascii(typed: str, folded: str) -> None:
    assert fold(typed) == folded


def test_names_compare_without_punctuation() -> None:
    assert name_key("示例·晴川新苑") == name_key("示例晴川新苑") == "示例晴川新苑"


#: typed -> the parts it must parse into (only the fields named are checked).
TABLE: list[tuple[str, dict[str, Any]]] = [
    ("中山北路2288弄12号", {"road": "中山北路", "lane": "2288", "numbers": ("12",)}),
    ("中山北一路197弄1号", {"road": "中山北一路", "lane": "197"}),
    ("中山南路831弄2号", {"road": "中山南路"}),
    ("沪太支路538号", {"road": "沪太支路", "house": "538", "numbers": ()}),
    ("老沪闵路1号", {"road": "老沪闵路"}),
    ("延安中路600弄4号", {"road": "延安中路", "lane": "600", "numbers": ("4",)}),
    ("共和新路2288弄3支弄12号", {"lane": "2288", "sublane": "3", "numbers": ("12",)}),
    ("嘉利明珠城12号楼", {"place": "嘉利明珠城", "numbers": ("12",)}),
    ("嘉利明珠城12幢", {"numbers": ("12",)}),
    ("嘉利明珠城12栋", {"numbers": ("12",)}),
    ("嘉利明珠城12座", {"numbers": ("12",)}),
    ("嘉利明珠城12#", {"numbers": ("12",)}),
    ("嘉利明珠城第十二栋", {"place": "嘉利明珠城", "numbers": ("12",)}),
    ("嘉利明珠城廿六号", {"numbers": ("26",)}),
    ("嘉利明珠城１２號樓", {"numbers": ("12",)}),
    ("嘉利明珠城12号楼3单元502室", {"unit": "3", "room": "502", "numbers": ("12",)}),
    ("嘉利明珠城12号楼2号门", {"door": "2", "numbers": ("12",)}),
    ("嘉利明珠城12号楼6楼", {"floor": "6", "numbers": ("12",)}),
    ("嘉利明珠城12号楼6层", {"floor": "6", "numbers": ("12",)}),
    ("嘉利明珠城12号601", {"room": "601", "numbers": ("12",)}),
    ("嘉利明珠城12-601", {"room": "601", "numbers": ("12",)}),
    ("6-302", {"room": "302", "numbers": ("6",)}),
    ("嘉利明珠城12 601", {"room": "601", "numbers": ("12",)}),
    ("嘉利明珠城12楼", {"numbers": (), "loose": "12"}),
    ("嘉利明珠城1号楼2", {"numbers": ("1",)}),
    ("嘉利明珠城12号楼和13号楼", {"numbers": ("12", "13"), "several": True}),
    ("嘉利明珠城12、13号楼", {"numbers": ("12", "13"), "several": True}),
    ("共和新路2288弄12号;共和新路2288弄13号", {"several": True}),
    ("嘉利明珠城1-2号楼", {"several": True}),  # a range, or 12 cut in two
    ("共和新路2288-12号", {"several": True}),
    ("嘉利十-一号", {"several": True}),  # a numeral cut by a dash
    ("嘉利明珠城三 - 五号楼", {"several": True}),
    ("嘉利明珠城1-5", {"several": True}),  # a room has three digits or more
    ("嘉利明珠城 十 二 号楼", {"numbers": ("12",), "several": False}),  # spaces are spacing
    ("嘉利明珠城6-302", {"numbers": ("6",), "room": "302", "several": False}),
    ("共和新路2288号12号楼", {"road": "共和新路", "house": "2288", "numbers": ("12",)}),
    ("2288号12号楼", {"house": "2288", "numbers": ("12",)}),
    ("共和新路2288弄12号 200072", {"postcode": "200072", "numbers": ("12",)}),
    ("邮编200072共和新路2288弄12号", {"postcode": "200072", "lane": "2288"}),
    ("共和新路2288弄7号（近平型关路）", {"landmark": "近平型关路", "numbers": ("7",)}),
    ("嘉利明珠城（12号楼）", {"numbers": ("12",), "landmark": None}),
    ("请问那个嘉利明珠城12号楼是谁管的吧", {"place": "嘉利明珠城", "numbers": ("12",)}),
    ("嘉利明珠城12号楼对面", {"relative": "对面"}),
    ("上海市中山北路1777号飞洲时代大厦1105-1106室", {"house": "1777", "numbers": ()}),
    ("上海市闸北区江场二路99号莱赛港B幢1-2楼", {"road": "江场二路", "numbers": ("b",)}),
    ("Building 12, Jiali Mingzhu City", {"place": "jialimingzhucheng", "numbers": ("12",)}),
    ("No. 12, Lane 2288, Gonghexin Road", {"road": "gonghexinlu", "lane": "2288"}),
    ("Lane 197, No. 1, Zhongshan North 1st Road", {"road": "zhongshanbeiyilu"}),
    ("Hutai Branch Road 538", {"road": "hutaizhilu"}),
    ("Room 601, Building 12, Jiali Mingzhu City", {"room": "601", "numbers": ("12",)}),
    ("jlmzc12", {"place": "jlmzc", "numbers": ("12",), "latin": True}),
    ("jialimingzhucheng12haolou", {"place": "jialimingzhucheng", "numbers": ("12",)}),
    ("gonghexinlu2288nong12hao", {"road": "gonghexinlu", "lane": "2288", "numbers": ("12",)}),
]


@pytest.mark.parametrize(("typed", "parts"), TABLE, ids=[t for t, _ in TABLE])
def test_parse(typed: str, parts: dict[str, Any]) -> None:
    a = parse(typed)
    assert {k: getattr(a, k) for k in parts} == parts


@pytest.mark.parametrize(
    ("typed", "hints"),
    [
        ("上海市静安区共和新路街道嘉利居委会嘉利明珠城12号楼",
         [("city", "上海"), ("district", "静安"), ("subdistrict", "共和新路"),
          ("community", "嘉利")]),
        ("上海市闸北区共和新路2288弄12号", [("city", "上海"), ("district", "静安")]),
        ("上海浦东新区东方路1365号", [("city", "上海"), ("district", "浦东")]),
        ("上海市测试一区测试颐和西路366弄1号", [("city", "上海"), ("district", "测试一")]),
        ("洛川中路一千一百弄居委会3号楼", [("community", "洛川中路1100弄")]),
        ("嘉利明珠城12号楼嘉利居委会", [("community", "嘉利")]),
        ("嘉利明珠城小区12号楼", []),
        ("No. 12, Lane 2288, Gonghexin Road, Jing'an District", [("district", "jingan")]),
    ],
)  # fmt: skip
def test_prefixes_are_kept_as_hints(typed: str, hints: list[tuple[str, str]]) -> None:
    assert [(h.level, h.core) for h in parse(typed).hints] == hints


def test_the_parser_keeps_the_road_suffix_whole() -> None:
    roads = {parse(f"{r}1弄1号").road for r in ("中山北路", "中山北一路", "中山南路", "中山北二路")}
    assert len(roads) == 4
    assert parse("沪太支路1弄1号").road != parse("沪太路1弄1号").road
