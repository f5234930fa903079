"""The matching rules (shanzhi/address/match.py) on small named sets of rows with known answers."""

from __future__ import annotations

from typing import Any

import pytest

from shanzhi.address import KeyIndex, find, match, parse


def _row(i: str, name: str, address: str | None = None, estate: str | None = None,
         *parents: dict[str, Any], aliases: str | None = None) -> dict[str, Any]:  # fmt: skip
    ps = [{"name": estate, "aliases": None, "kind": "estate"}] if estate else []
    return {"uid": f"d:{i}", "id": i, "dataset": "d", "name": name, "address": address,
            "aliases": aliases, "parents": [*ps, *parents]}  # fmt: skip


STREET = {"name": "共和新路街道", "aliases": "共和新路", "kind": "subdistrict"}
JINGAN = {"name": "静安区", "aliases": None, "kind": "other"}
JIAHE = {"name": "示例·嘉禾居民区", "aliases": None, "kind": "community"}
ROWS = [
    *(_row(f"J{n}", f"嘉利明珠城{n}号楼", f"共和新路2288弄{n}号", "嘉利明珠城",
           JIAHE, STREET, JINGAN) for n in (1, 2, 7, 12, 13)),
    _row("Z1", "中山北路197弄1号", "中山北路197弄1号"),
    _row("Z2", "中山北一路197弄1号", "中山北一路197弄1号"),
    _row("H1", "沪太路538弄6号", "沪太路538弄6号"),
    _row("L7", "洛川中路1100弄7号楼", "洛川中路1100弄7号", "洛川中路1100弄"),
    _row("P1", "佳丽公寓1号楼", None, "佳丽公寓"),
    _row("P2", "嘉利公寓1号楼", None, "嘉利公寓"),
    _row("E1", "示例和乐花园3号楼", "测试颐和路588弄3号", "示例和乐花园"),
    _row("E2", "示例和乐家园3号楼", "测试颐和路1337弄3号", "示例和乐家园"),
    _row("R1", "示例晴川苑1号楼", "新闸路5弄1号", "示例晴川苑",
         {"name": "新闸路", "aliases": "新闸北路", "kind": "road"}),
]  # fmt: skip
INDEX = KeyIndex(ROWS)


def _answer(query: str) -> tuple[str, str | None, list[str]]:
    m = find(query, INDEX.candidates)
    return m["outcome"], m["kind"], [r["id"] for r in m["rows"]]


@pytest.mark.parametrize(
    ("query", "answer"),
    [
        ("中山北路197弄1号", ("one", "exact", ["Z1"])),
        ("中山北一路197弄1号", ("one", "exact", ["Z2"])),
        ("中山北二路197弄1号", ("none", None, [])),  # one character away from two real roads
        ("中山南路197弄1号", ("none", None, [])),
        ("中山路197弄1号", ("none", None, [])),
        ("沪太支路538弄6号", ("none", None, [])),
        ("老沪太路538弄6号", ("none", None, [])),
        ("沪泰路538弄6号", ("one", "homophone", ["H1"])),  # identical pinyin: a homophone typo
        ("新闸北路5弄1号", ("one", "alias", ["R1"])),  # a declared alias of the road
        ("洛川东路1100弄7号", ("none", None, [])),
    ],
)
def test_a_road_matches_only_exactly_by_alias_or_by_identical_pinyin(
    query: str, answer: Any
) -> None:
    assert _answer(query) == answer


def test_the_exact_spelling_beats_the_homophone_and_a_bare_homophone_is_two() -> None:
    assert _answer("佳丽公寓1号楼") == ("one", "exact", ["P1"])
    assert _answer("嘉利公寓1号楼") == ("one", "exact", ["P2"])
    assert _answer("家里公寓1号楼")[::2] == ("several", ["P1", "P2"])


def test_an_estate_typo_is_a_guess_only_when_no_other_estate_is_as_close() -> None:
    assert _answer("嘉利明城12号楼") == ("one", "guess", ["J12"])
    assert _answer("示例和乐园3号楼")[::2] == ("several", ["E2", "E1"])  # as close to both
    assert _answer("示例和乐花园3号楼") == ("one", "exact", ["E1"])
    assert _answer("示例和乐家园3号楼") == ("one", "exact", ["E2"])


def test_the_building_number_is_always_exact() -> None:
    assert _answer("嘉利明珠城3号楼") == ("none", None, [])
    assert _answer("嘉利明珠城1号楼2") == ("one", "exact", ["J1"])
    assert _answer("嘉利明珠城廿六号")[0] == "none"


def test_hao_typed_for_nong_reads_as_the_lane_when_the_number_fits() -> None:
    assert _answer("共和新路2288号12号楼") == ("one", "lane-for-号", ["J12"])
    assert _answer("共和新路2288号99号楼") == ("none", None, [])
    assert _answer("共和新路2288号")[0] == "several"


def test_hints_that_contradict_the_building_make_it_not_found() -> None:
    assert _answer("上海市静安区共和新路街道嘉利明珠城12号楼") == ("one", "exact", ["J12"])
    assert _answer("上海市闸北区嘉利明珠城12号楼") == ("one", "exact", ["J12"])  # 闸北 is now 静安
    assert _answer("上海市长宁区嘉利明珠城12号楼")[0] == "none"
    assert _answer("彭浦新村街道嘉利明珠城12号楼")[0] == "none"
    m = find("和睦居委会嘉利明珠城12号楼", INDEX.candidates)
    assert m["outcome"] == "none" and "居委" in m["why"]
    assert _answer("嘉禾居委会12号楼") == ("one", "community", ["J12"])


def test_several_buildings_or_a_neighbour_never_get_one() -> None:
    assert _answer("嘉利明珠城12号楼和13号楼")[::2] == ("several", ["J12", "J13"])
    assert _answer("嘉利明珠城12号楼和99号楼")[::2] == ("several", ["J12"])
    assert _answer("嘉利明珠城12号楼对面") == ("none", None, [])


def test_a_bare_number_or_lane_is_a_guess_or_a_list() -> None:
    assert _answer("7号楼")[::2] == ("several", ["J7", "L7"])  # the lane-addressed 7 too
    assert _answer("12号楼") == ("one", "guess", ["J12"])
    assert _answer("2288弄12号") == ("one", "guess", ["J12"])
    assert _answer("嘉利明珠城12楼") == ("one", "guess", ["J12"])


def test_latin_queries_match_by_pinyin_and_initials() -> None:
    assert _answer("Building 12, Jiali Mingzhu City") == ("one", "pinyin", ["J12"])
    assert _answer("jlmzc12") == ("one", "initials", ["J12"])
    assert _answer("No. 1, Lane 197, Zhongshan North 1st Road") == ("one", "pinyin", ["Z2"])
    assert _answer("No. 1, Lane 197, Zhongshan South Road") == ("none", None, [])


def test_match_is_a_pure_function_of_the_rows_given() -> None:
    a = parse("嘉利明珠城12号楼")
    assert match(a, [])["outcome"] == "none"
    assert match(a, ROWS) == match(a, list(reversed(ROWS)))
    assert match(a, [*ROWS, *ROWS])["rows"] == [ROWS[3]]
