"""Finding a building the way people type it: normalisation, parsing, the index, and a table of
typed variants of the sample's buildings answered on both stores — never a wrong building."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shanzhi.config import Settings
from shanzhi.errors import AmbiguousError, NotFoundError, UsageError
from shanzhi.graph.queries.finder import (
    BuildingIndex,
    BuildingRecord,
    Parsed,
    building_rows,
    cn_to_int,
    find_building,
    finder_for,
    invalidate,
    normalize,
    parse,
    record_from_row,
)
from shanzhi.graph.stores import GraphStore
from shanzhi.graph.stores.embedded import EmbeddedStore
from shanzhi.graph.stores.neo4j import Neo4jStore
from tests.test_who_covers_support import embedded_holding, neo4j_holding, sample_dataset

#: The two stores; the Neo4j one is marked so that ``-m "not neo4j"`` leaves it out.
STORES = ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)]


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    return embedded_holding(tmp_path_factory.mktemp("finder"), sample_dataset())


@pytest.fixture(scope="module")
def neo4j(neo4j_settings: Settings) -> Iterator[Neo4jStore]:
    with neo4j_holding(neo4j_settings, sample_dataset()) as store:
        yield store


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest) -> GraphStore:
    return request.getfixturevalue(request.param)


# -- normalising and parsing ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("嘉利明珠城１２号楼", "嘉利明珠城12号楼"),
        ("嘉利明珠城 十二 号楼", "嘉利明珠城12号楼"),
        ("一〇二号", "102号"),
        ("两号楼", "2号楼"),
        ("四平路", "四平路"),
        ("一品漫城", "一品漫城"),
        ("一品漫城三栋", "一品漫城3栋"),
        ("四平路一二三四弄五号", "四平路1234弄5号"),
        ("十三号花园５号楼", "13号花园5号楼"),
        ("ＰＬＡＣＥ－１２", "place12"),
        ("12#楼", "12号楼"),
        ("嘉利明珠城（12号楼）、", "嘉利明珠城12号楼"),
        ("第二十六幢", "第26幢"),
    ],
)
def test_normalize(typed: str, normal: str) -> None:
    assert normalize(typed) == normal


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("十", 10), ("十二", 12), ("二十", 20), ("二十六", 26), ("一〇二", 102), ("一百零二", 102),
     ("两", 2), ("三千零五", 3005), ("零", 0), ("一二三四", 1234)],
)  # fmt: skip
def test_chinese_numerals(numeral: str, value: int) -> None:
    assert cn_to_int(numeral) == value


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [
        ("嘉利明珠城12号楼", Parsed("嘉利明珠城", None, "12")),
        ("嘉利明珠城十二幢", Parsed("嘉利明珠城", None, "12")),
        ("共和新路1234弄12号", Parsed("共和新路", "1234", "12")),
        ("共和新路1234弄", Parsed("共和新路", "1234", None)),
        ("1234弄12号", Parsed("", "1234", "12")),
        ("嘉利明珠城第12栋3单元502室", Parsed("嘉利明珠城", None, "12")),
        ("嘉利明珠城012号", Parsed("嘉利明珠城", None, "12")),
        ("嘉利明珠城", Parsed("嘉利明珠城", None, None)),
        ("12号楼", Parsed("", None, "12")),
        ("嘉利明珠城12楼", Parsed("嘉利明珠城12楼", None, None)),  # 12楼 is a floor, not a building
    ],
)
def test_parse(typed: str, parsed: Parsed) -> None:
    assert parse(typed) == parsed


# -- the index on handmade records ---------------------------------------------------------------
def _rec(i: str, name: str, address: str | None = None, *aliases: str) -> BuildingRecord:
    return BuildingRecord(f"d:{i}", i, "d", name, address, tuple(aliases))


NEIGHBOURS = BuildingIndex(
    [
        *(_rec(f"J{n}", f"嘉利明珠城{n}号楼", f"共和新路2288弄{n}号") for n in (11, 12, 13)),
        *(_rec(f"M{n}", f"明珠苑{n}号楼", f"共和新路88弄{n}号") for n in (11, 12)),
        *(_rec(f"Y{n}", f"一品漫城{n}栋") for n in (1, 2, 3)),
        _rec("P1", "佳丽公寓1号楼"),
        _rec("P2", "嘉利公寓1号楼"),
        _rec("C1", "会所"),
    ]
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("嘉利明珠城12号", "J12"),
        ("嘉利明珠城11号楼", "J11"),
        ("嘉利明珠城十三号楼", "J13"),
        ("明珠苑12号楼", "M12"),
        ("明珠苑十一幢", "M11"),
        ("共和新路88弄12号", "M12"),
        ("共和新路2288弄12号", "J12"),
        ("一品漫城三栋", "Y3"),
        ("一品漫城3号楼", "Y3"),
        ("会所", "C1"),
        ("佳丽公寓1号楼", "P1"),  # exact spelling beats the homophone
        ("嘉利公寓1号楼", "P2"),
    ],
)
def test_index_answers_the_building_meant(typed: str, expected: str) -> None:
    assert NEIGHBOURS.find(typed).id == expected


def test_a_number_that_does_not_exist_is_not_found_never_a_neighbour() -> None:
    with pytest.raises(NotFoundError) as err:
        NEIGHBOURS.find("明珠苑13号楼")  # 嘉利明珠城 has a 13, 明珠苑 does not
    assert str(err.value) == "明珠苑 has no building 13号; check the number (closest names below)."
    assert err.value.suggestions == ["明珠苑12号楼", "明珠苑11号楼"]


def test_a_homophone_of_two_estates_is_ambiguous() -> None:
    with pytest.raises(AmbiguousError) as err:
        NEIGHBOURS.find("家里公寓1号楼")  # jiali: 佳丽 and 嘉利 sound the same
    assert [c["id"] for c in err.value.candidates] == ["P1", "P2"]


def test_an_empty_query_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        NEIGHBOURS.find(" ，。 ")


def test_ambiguous_ids_across_datasets_list_uids() -> None:
    index = BuildingIndex(
        [
            BuildingRecord("a:B1", "B1", "a", "某小区1号楼"),
            BuildingRecord("b:B1", "B1", "b", "某小区1号楼"),
        ]
    )
    with pytest.raises(AmbiguousError) as err:
        index.find("B1")
    assert [c["id"] for c in err.value.candidates] == ["a:B1", "b:B1"]
    assert index.find("b:B1").uid == "b:B1"


def test_records_read_aliases_as_lists_or_text() -> None:
    row: dict[str, Any] = {
        "uid": "d:B",
        "id": "B",
        "name": "X1号楼",
        "aliases": "甲1号|乙1号、丙1号",
    }
    assert record_from_row(row).aliases == ("甲1号", "乙1号", "丙1号")
    row["aliases"] = ["甲1号"]
    assert record_from_row(row).aliases == ("甲1号",)


# -- the sample, on both stores ------------------------------------------------------------------
JL = "P-JLMZ-B"
#: typed → the building id, or ("ambiguous", how many) or ("not found", first suggestion).
TABLE: list[tuple[str, Any]] = [
    ("嘉利明珠城12号楼", JL + "12"),
    ("嘉利明珠城１２号楼", JL + "12"),  # full-width digits
    ("ｇｏｎｇｈｅｘｉｎｌｕ:P-JLMZ-B12", JL + "12"),  # full-width uid
    ("嘉利明珠城十二号楼", JL + "12"),
    ("嘉利明珠城十二号", JL + "12"),
    ("嘉利明珠城第十二栋", JL + "12"),
    ("嘉利明珠城12幢", JL + "12"),
    ("嘉利明珠城12栋", JL + "12"),
    ("嘉利明珠城12座", JL + "12"),
    ("嘉利明珠城12号", JL + "12"),  # an alias
    ("嘉利明珠城12#楼", JL + "12"),
    ("嘉利明珠城 12 号楼", JL + "12"),
    ("  嘉 利 明 珠 城 1 2 号 楼  ", JL + "12"),
    ("嘉利明珠城（12号楼）", JL + "12"),
    ("嘉利明珠城12号楼3单元502室", JL + "12"),
    ("嘉利明珠城12", JL + "12"),
    ("嘉利12号楼", JL + "12"),  # an alias
    ("嘉利明珠城小区12号楼", JL + "12"),  # the estate's alias + number
    ("佳丽名珠城12号", JL + "12"),  # homophones
    ("嘉利明珠成12号楼", JL + "12"),  # a typo
    ("嘉利明珠12号楼", JL + "12"),
    ("明珠城12号楼", JL + "12"),
    ("共和新路2288弄12号", JL + "12"),
    ("共和新路二二八八弄十二号", JL + "12"),
    ("上海市静安区共和新路2288弄12号", JL + "12"),
    ("2288弄12号", JL + "12"),
    ("P-JLMZ-B12", JL + "12"),
    ("p jlmz b12", JL + "12"),
    ("gonghexinlu:P-JLMZ-B12", JL + "12"),
    ("嘉利明珠城11号楼", JL + "11"),
    ("嘉利明珠城一号楼", JL + "01"),
    ("嘉利明珠城两号楼", JL + "02"),
    ("嘉利明珠城二十六号楼", JL + "26"),
    ("嘉利明珠城8号楼", JL + "08"),
    ("洛川中路1100弄3号楼", "P-LC1100-B03"),
    ("洛川中路1100弄三号", "P-LC1100-B03"),
    ("洛川1100弄3号楼", "P-LC1100-B03"),
    ("示例·晴川新苑2号楼", "P-QCXY-B02"),
    ("晴川新苑二号楼", "P-QCXY-B02"),
    ("晴川2号楼", "P-QCXY-B02"),
    ("延长中路1801弄2号", "P-QCXY-B02"),
    ("兰馨苑3幢", "P-LXY-B03"),
    ("兰馨苑三栋", "P-LXY-B03"),
    ("沪太路1999弄4号", "P-LXY-B04"),
    ("示例兰馨苑5号楼", "P-LXY-B05"),
    ("嘉利明珠城", ("ambiguous", 26)),
    ("佳丽名珠城", ("ambiguous", 26)),
    ("共和新路2288弄", ("ambiguous", 26)),
    ("3号楼", ("ambiguous", 3)),
    ("兰馨", ("ambiguous", 6)),
    ("嘉利明珠城27号楼", ("not found", "嘉利明珠城26号楼")),
    ("嘉利明珠城99号楼", ("not found", "嘉利明珠城26号楼")),
    ("共和新路2288弄99号", ("not found", "嘉利明珠城26号楼")),
    ("洛川中路1100弄12号楼", ("not found", "洛川中路1100弄8号楼")),
    ("四平路1号", ("not found", None)),
    ("一品漫城1号楼", ("not found", "嘉利明珠城1号楼")),
    ("不存在花园1号楼", ("not found", None)),
]


def test_the_table_has_at_least_40_variants() -> None:
    assert len(TABLE) >= 40
    assert sum(isinstance(e, str) for _, e in TABLE) >= 40


@pytest.mark.parametrize(("typed", "expected"), TABLE, ids=[t for t, _ in TABLE])
def test_typed_variants_of_sample_buildings(store: GraphStore, typed: str, expected: Any) -> None:
    if isinstance(expected, str):
        assert find_building(store, typed).id == expected
        return
    outcome, detail = expected
    if outcome == "ambiguous":
        with pytest.raises(AmbiguousError) as amb:
            find_building(store, typed)
        assert f"matches {detail} buildings" in str(amb.value)
        assert len(amb.value.candidates) == min(detail, 20)
    else:
        with pytest.raises(NotFoundError) as nf:
            find_building(store, typed)
        assert nf.value.suggestions
        if detail is not None:
            assert nf.value.suggestions[0] == detail


@pytest.mark.neo4j
def test_both_stores_index_the_same_rows(embedded: EmbeddedStore, neo4j: Neo4jStore) -> None:
    def records(store: GraphStore) -> list[BuildingRecord]:
        return sorted((record_from_row(r) for r in building_rows(store)), key=lambda r: r.uid)

    mine = records(embedded)
    assert len(mine) == 44
    assert records(neo4j) == mine


def test_the_index_is_built_once_per_graph(tmp_path: Path) -> None:
    store = embedded_holding(tmp_path, sample_dataset())
    first = finder_for(store)
    assert finder_for(store) is first
    invalidate(store)
    assert finder_for(store) is not first


# -- never a wrong building ----------------------------------------------------------------------
_FULL = str.maketrans("0123456789", "０１２３４５６７８９")
_CN = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]


def _cn(n: int, positional: bool) -> str:
    if positional or n >= 100:
        return "".join(_CN[int(d)] for d in str(n))
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else _CN[tens] + "十")) + (
        _CN[ones] if ones or not tens else ""
    )


def _retyped(draw: Callable[..., Any], rec: BuildingRecord) -> str:
    """A building's name, alias or address, retyped the way people type."""
    text = draw(st.sampled_from([rec.name, *rec.aliases, *([rec.address] if rec.address else [])]))
    m = re.search(r"(\d+)(号楼|号|幢|栋|座)$", text)
    if m and draw(st.booleans()):
        suffix = "号" if "弄" in text else draw(st.sampled_from(["号楼", "号", "幢", "栋", "座"]))
        number = int(m.group(1))
        digits = draw(
            st.sampled_from([str(number), _cn(number, False), _cn(number, True), f"0{number}"])
        )
        text = text[: m.start()] + digits + suffix
    if draw(st.booleans()):
        text = text.translate(_FULL)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from([" ", "　", "·", "-", "（", "）"])) + text[at:]
    return text


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_a_retyped_building_is_never_answered_by_another(
    embedded: EmbeddedStore, data: st.DataObject
) -> None:
    records = sorted(finder_for(embedded).records, key=lambda r: r.uid)
    rec = data.draw(st.sampled_from(records))
    typed = _retyped(data.draw, rec)
    try:
        found = find_building(embedded, typed)
    except (AmbiguousError, NotFoundError):
        return  # declining to guess is allowed; a wrong building is not
    assert found.uid == rec.uid, typed
