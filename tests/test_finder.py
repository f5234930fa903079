"""The finder on the stores: a table of typed variants of the sample's buildings answered on
both stores with how each matched, guesses asked and not answered, the cap on candidates, the
closest names, and that it reads only the few candidates — never every building."""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shanzhi.address import LIMIT, LISTED, KeyIndex
from shanzhi.address.lookup import WIDE
from shanzhi.config import Settings
from shanzhi.errors import AmbiguousError, GuessError, NotFoundError, UsageError
from shanzhi.graph.model import Label, RelType
from shanzhi.graph.model.dataset import Dataset
from shanzhi.graph.queries.finder import (
    BuildingIndex,
    BuildingRecord,
    Parsed,
    cn_to_int,
    find_building,
    finder_for,
    normalize,
    parse,
    record_from_row,
)
from shanzhi.graph.stores import GraphStore, load
from shanzhi.graph.stores.embedded import EmbeddedStore
from shanzhi.graph.stores.neo4j import Neo4jStore
from tests.address.rows import sample_rows
from tests.factories import node, rel
from tests.test_who_covers_support import embedded_holding, neo4j_holding, sample_dataset


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    return embedded_holding(tmp_path_factory.mktemp("finder"), sample_dataset())


@pytest.fixture(scope="module")
def neo4j(neo4j_settings: Settings) -> Iterator[Neo4jStore]:
    with neo4j_holding(neo4j_settings, sample_dataset()) as store:
        yield store


# -- the readings older callers use ----------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("嘉利明珠城１２号楼", "嘉利明珠城12号楼"),
        ("嘉利明珠城 十二 号楼", "嘉利明珠城12号楼"),
        ("嘉利明珠城十二號樓", "嘉利明珠城12号楼"),
        ("一〇二号", "102号"),
        ("两号楼", "2号楼"),
        ("四平路", "四平路"),
        ("一品漫城三栋", "一品漫城3栋"),
        ("四平路一二三四弄五号", "四平路1234弄5号"),
        ("ＰＬＡＣＥ－１２", "place12"),
        ("12#楼", "12号楼"),
        ("嘉利明珠城（12号楼）、", "嘉利明珠城12号楼"),
        ("第二十六幢", "第26幢"),
    ],
)
def test_normalize(typed: str, normal: str) -> None:
    assert normalize(typed) == normal


def test_chinese_numerals() -> None:
    typed = ("十", "十二", "二十六", "廿六", "一〇二", "一百零二", "两", "三千零五", "一千一百")
    assert [cn_to_int(n) for n in typed] == [10, 12, 26, 26, 102, 102, 2, 3005, 1100]


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [
        ("嘉利明珠城12号楼", Parsed("嘉利明珠城", None, "12")),
        ("嘉利明珠城十二幢", Parsed("嘉利明珠城", None, "12")),
        ("共和新路1234弄12号", Parsed("共和新路", "1234", "12")),
        ("共和新路1234号12号楼", Parsed("共和新路", "1234", "12")),  # 号 typed for 弄
        ("1234弄12号", Parsed("", "1234", "12")),
        ("嘉利明珠城第12栋3单元502室", Parsed("嘉利明珠城", None, "12")),
        ("嘉利明珠城012号", Parsed("嘉利明珠城", None, "12")),
        ("嘉利明珠城", Parsed("嘉利明珠城", None, None)),
        ("嘉利明珠城12楼", Parsed("嘉利明珠城", None, None)),  # 12楼 is a floor, not a building
    ],
)
def test_parse(typed: str, parsed: Parsed) -> None:
    assert parse(typed) == parsed


# -- in memory ---------------------------------------------------------------------------------
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
        ("嘉利明珠城12号", ("J12", "exact")),
        ("嘉利明珠城十三号楼", ("J13", "exact")),
        ("明珠苑十一幢", ("M11", "exact")),
        ("共和新路88弄12号", ("M12", "exact")),
        ("共和新路88号12号楼", ("M12", "lane-for-号")),
        ("一品漫城三栋", ("Y3", "exact")),
        ("一品漫城3号楼", ("Y3", "exact")),
        ("会所", ("C1", "exact")),
        ("佳丽公寓1号楼", ("P1", "exact")),  # the exact spelling beats the homophone
        ("嘉利公寓1号楼", ("P2", "exact")),
        ("佳丽名珠城11号楼", ("J11", "homophone")),
        ("d:M11", ("M11", "id")),
    ],
)
def test_the_index_answers_the_building_meant_and_how(
    typed: str, expected: tuple[str, str]
) -> None:
    found = NEIGHBOURS.find(typed)
    assert (found.id, found.match) == expected
    assert found.name == NEIGHBOURS.find(found.uid).name


def test_a_number_that_does_not_exist_is_not_found_never_a_neighbour() -> None:
    with pytest.raises(NotFoundError) as err:
        NEIGHBOURS.find("明珠苑13号楼")  # 嘉利明珠城 has a 13, 明珠苑 does not
    assert str(err.value) == (
        "没有与「明珠苑13号楼」相符的楼栋，请核对楼号（最接近的见下）。 "
        "No building matches '明珠苑13号楼'; check the number (closest names below)."
    )
    assert err.value.suggestions[:2] == ["明珠苑12号楼", "明珠苑11号楼"]


def test_a_homophone_of_two_estates_is_ambiguous() -> None:
    with pytest.raises(AmbiguousError) as err:
        NEIGHBOURS.find("家里公寓1号楼")  # jiali: 佳丽 and 嘉利 sound the same
    assert not isinstance(err.value, GuessError)
    assert [c["id"] for c in err.value.candidates] == ["P1", "P2"]


def test_a_guess_is_asked_unless_accepted() -> None:
    with pytest.raises(GuessError) as err:
        NEIGHBOURS.find("嘉利明城12号楼")
    assert str(err.value).startswith("您要找的是「嘉利明珠城12号楼」（J12）吗？")
    assert [c["id"] for c in err.value.candidates] == ["J12"]
    assert err.value.exit_code == 2
    found = NEIGHBOURS.find("嘉利明城12号楼", accept_guess=True)
    assert (found.id, found.match) == ("J12", "guess")


@pytest.mark.parametrize("typed", [" ，。 ", "", "（）"])
def test_an_empty_query_is_a_usage_error(typed: str) -> None:
    with pytest.raises(UsageError):
        NEIGHBOURS.find(typed)


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
        "parents": [{"name": "X", "aliases": "X小区", "kind": "estate"}],
    }
    assert record_from_row(row).aliases == ("甲1号", "乙1号", "丙1号")
    assert record_from_row(row).parent_names == ("X", "X小区")
    row["aliases"] = ["甲1号"]
    assert record_from_row(row, "alias") == BuildingRecord(
        "d:B", "B", "", "X1号楼", None, ("甲1号",), ("X", "X小区"), "alias"
    )


# -- the sample, on both stores ------------------------------------------------------------------
JL = "P-JLMZ-B"
#: typed → (building id, match), or ("guess", id), ("ambiguous", how many, capped?) or
#: ("not found", first suggestion or None).
TABLE: list[tuple[str, Any]] = [
    ("嘉利明珠城12号楼", (JL + "12", "exact")),
    ("嘉利明珠城１２号楼", (JL + "12", "exact")),  # full-width digits
    ("ｇｏｎｇｈｅｘｉｎｌｕ:P-JLMZ-B12", (JL + "12", "id")),  # full-width uid
    ("嘉利明珠城十二号楼", (JL + "12", "exact")),
    ("嘉利明珠城十二號樓", (JL + "12", "exact")),  # traditional characters
    ("嘉利明珠城第十二栋", (JL + "12", "exact")),
    ("嘉利明珠城12幢", (JL + "12", "exact")),
    ("嘉利明珠城12座", (JL + "12", "exact")),
    ("嘉利明珠城12#楼", (JL + "12", "exact")),
    ("  嘉 利 明 珠 城 1 2 号 楼  ", (JL + "12", "exact")),
    ("嘉利明珠城（12号楼）", (JL + "12", "exact")),
    ("嘉利明珠城12号楼3单元502室", (JL + "12", "exact")),
    ("嘉利明珠城12号601", (JL + "12", "exact")),
    ("嘉利明珠城12", (JL + "12", "exact")),
    ("嘉利12号楼", (JL + "12", "alias")),
    ("嘉利明珠城小区12号楼", (JL + "12", "exact")),  # 小区 added
    ("佳丽名珠城12号", (JL + "12", "homophone")),
    ("嘉利明珠成12号楼", (JL + "12", "homophone")),  # 成/城: the same pinyin
    ("jlmzc12", (JL + "12", "initials")),
    ("共和新路2288弄12号", (JL + "12", "exact")),
    ("共和新路二二八八弄十二号", (JL + "12", "exact")),
    ("共和新路2288号12号楼", (JL + "12", "lane-for-号")),
    ("上海市静安区共和新路2288弄12号", (JL + "12", "exact")),
    ("请问嘉利明珠城12号楼是谁管的", (JL + "12", "exact")),
    ("嘉利居委会嘉利明珠城12号楼", (JL + "12", "exact")),  # the real 居委会 agrees
    ("嘉利社区嘉利明珠城12号楼", (JL + "12", "exact")),  # its old 社区 form
    ("嘉利居委会12号楼", (JL + "12", "community")),
    ("洛川中路一千一百弄居委会3号楼", ("P-LC1100-B03", "community")),
    ("P-JLMZ-B12", (JL + "12", "id")),
    ("p jlmz b12", (JL + "12", "id")),
    ("gonghexinlu:P-JLMZ-B12", (JL + "12", "id")),
    ("嘉利明珠城一号楼", (JL + "01", "exact")),
    ("嘉利明珠城两号楼", (JL + "02", "exact")),
    ("嘉利明珠城廿六号", (JL + "26", "alias")),  # 嘉利明珠城26号 is an alias
    ("洛川中路1100弄3号楼", ("P-LC1100-B03", "exact")),
    ("洛川中路一千一百弄三号", ("P-LC1100-B03", "exact")),
    ("示例·晴川新苑2号楼", ("P-QCXY-B02", "exact")),
    ("晴川新苑二号楼", ("P-QCXY-B02", "alias")),
    ("延长中路1801弄2号", ("P-QCXY-B02", "exact")),
    ("兰馨苑三栋", ("P-LXY-B03", "alias")),
    ("示例兰馨苑三号楼", ("P-LXY-B03", "exact")),
    ("沪太路1999弄4号", ("P-LXY-B04", "exact")),
    ("嘉利明珠12号楼", ("guess", JL + "12")),  # a character left out
    ("明珠城12号楼", ("guess", JL + "12")),
    ("2288弄12号", ("guess", JL + "12")),  # a lane without its road
    ("嘉利明珠城12楼", ("guess", JL + "12")),  # a floor, or building 12 said loosely
    ("晴川2号楼", ("guess", "P-QCXY-B02")),
    ("嘉利明珠城", ("ambiguous", LISTED, True)),
    ("佳丽名珠城", ("ambiguous", LISTED, True)),
    ("共和新路2288弄", ("ambiguous", LISTED, True)),
    ("3号楼", ("ambiguous", 4, False)),
    ("兰馨", ("ambiguous", 6, False)),
    ("嘉利明珠城12号楼和13号楼", ("ambiguous", 2, False)),
    ("嘉利明珠城27号楼", ("not found", "嘉利明珠城26号楼")),
    ("共和新路2288弄99号", ("not found", "嘉利明珠城26号楼")),
    ("洛川中路1100弄12号楼", ("not found", "洛川中路1100弄8号楼")),
    ("共和新支路2288弄12号", ("not found", None)),  # another road, one suffix away
    ("洛川东路1100弄3号", ("not found", None)),
    ("嘉利明珠城12号楼对面", ("not found", None)),
    # the sample is in 静安区; 洛平 is another real 居委会 of the street: the building whose
    # district or 居委会 differs is only offered as the closest name
    ("上海市长宁区共和新路2288弄12号", ("not found", "嘉利明珠城12号楼")),
    ("洛平居委会嘉利明珠城12号楼", ("not found", "嘉利明珠城12号楼")),
    ("四平路1号", ("not found", None)),
    ("不存在花园1号楼", ("not found", None)),
]


def test_the_table_has_at_least_40_answers() -> None:
    assert sum(e[0] not in ("guess", "ambiguous", "not found") for _, e in TABLE) >= 35
    assert len(TABLE) >= 50


@pytest.mark.parametrize(("typed", "expected"), TABLE, ids=[t for t, _ in TABLE])
def test_typed_variants_of_sample_buildings(
    embedded: EmbeddedStore, typed: str, expected: Any
) -> None:
    _answers(embedded, typed, expected)


@pytest.mark.parametrize(("typed", "expected"), TABLE, ids=[t for t, _ in TABLE])
def test_typed_variants_of_sample_buildings_on_neo4j(
    neo4j: Neo4jStore, typed: str, expected: Any
) -> None:
    _answers(neo4j, typed, expected)


def _answers(store: GraphStore, typed: str, expected: Any) -> None:
    """``typed`` gets the answer ``expected`` of :data:`TABLE` from ``store``."""
    outcome = expected[0]
    if outcome == "guess":
        with pytest.raises(GuessError) as guess:
            find_building(store, typed)
        assert [c["id"] for c in guess.value.candidates] == [expected[1]]
        found = find_building(store, typed, accept_guess=True)
        assert (found.id, found.match) == (expected[1], "guess")
    elif outcome == "ambiguous":
        with pytest.raises(AmbiguousError) as amb:
            find_building(store, typed)
        assert not isinstance(amb.value, GuessError)
        assert len(amb.value.candidates) == expected[1]
        assert (f"超过 {LISTED} 栋" in str(amb.value)) == expected[2]
    elif outcome == "not found":
        with pytest.raises(NotFoundError) as nf:
            find_building(store, typed, accept_guess=True)
        assert (nf.value.suggestions[:1] or [None])[0] == expected[1]
    else:
        found = find_building(store, typed)
        assert (found.id, found.match) == expected
        assert found.dataset == "gonghexinlu" and found.uid == f"gonghexinlu:{found.id}"


class _Counting:
    """A store that counts what the finder reads."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.limits: list[int] = []

    def building_candidates(self, keys: Sequence[str], limit: int) -> list[Any]:
        self.limits.append(limit)
        return self.store.building_candidates(keys, limit)

    def building_rows(self) -> list[Any]:
        raise AssertionError("the finder read every building")


@pytest.mark.parametrize("typed", [t for t, _ in TABLE])
def test_the_finder_reads_only_a_few_candidates(embedded: EmbeddedStore, typed: str) -> None:
    counting = _Counting(embedded)
    with contextlib.suppress(AmbiguousError, NotFoundError):
        find_building(counting, typed)  # type: ignore[arg-type]
    assert len(counting.limits) <= 4  # none for 对面: a neighbour is never looked up
    assert max(counting.limits, default=0) <= WIDE


@pytest.mark.neo4j
def test_both_stores_give_the_same_candidates(embedded: EmbeddedStore, neo4j: Neo4jStore) -> None:
    from shanzhi.address import parse as parse_address
    from shanzhi.address import query_keys

    for typed, _ in TABLE:
        keys = sorted(
            query_keys(parse_address(typed)) | query_keys(parse_address(typed), typo=True)
        )
        mine = embedded.building_candidates(keys, LIMIT)
        assert neo4j.building_candidates(keys, LIMIT) == mine, typed
        assert [r["uid"] for r in mine] == sorted(r["uid"] for r in mine), typed


def test_the_stores_rows_find_what_the_places_file_rows_find(embedded: EmbeddedStore) -> None:
    """The corpus runs on rows read from places.csv (tests/address/rows.py): the store's rows
    must answer every table query alike."""
    from shanzhi.address import find

    index = KeyIndex(sample_rows())
    for typed, _ in TABLE:
        got = find(typed, embedded.building_candidates)
        want = find(typed, index.candidates)
        assert (got["outcome"], got["kind"], [r["uid"] for r in got["rows"]]) == (
            want["outcome"],
            want["kind"],
            [r["uid"] for r in want["rows"]],
        ), typed


def test_an_exact_query_loads_no_pinyin(tmp_path: Path) -> None:
    """A new process answering a name or address typed exactly never imports pypinyin (its
    dictionaries cost 0.3 s of a cold who-covers); a homophone does."""
    embedded_holding(tmp_path / "home", sample_dataset())
    code = textwrap.dedent(f"""
        import sys
        from shanzhi.graph.queries.finder import find_building
        from shanzhi.graph.stores.embedded import EmbeddedStore
        store = EmbeddedStore({str(tmp_path / "home")!r})
        for typed in ("共和新路2288弄12号", "嘉利明珠城十二号楼", "嘉利12号楼", "P-JLMZ-B12"):
            assert find_building(store, typed).id == "P-JLMZ-B12", typed
        assert "pypinyin" not in sys.modules
        assert find_building(store, "佳丽名珠城12号").match == "homophone"
        assert "pypinyin" in sys.modules
    """)
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


# -- what a load changes is seen at once; the cap ------------------------------------------------
def _estate(n: int) -> Dataset:
    """One estate of ``n`` buildings named 某苑1号楼 …, and a second estate with a 1号楼."""
    p, part_of = Label.PLACE, RelType.PART_OF
    nodes = [node("E", p, "某苑", "estate"), node("F", p, "他苑", "estate")]
    nodes += [node(f"B{i}", p, f"某苑{i}号楼", "building") for i in range(1, n + 1)]
    nodes.append(node("F1", p, "他苑1号楼", "building"))
    rels = [rel(f"B{i}", part_of, "E") for i in range(1, n + 1)] + [rel("F1", part_of, "F")]
    return Dataset(name="many", nodes=tuple(nodes), relations=tuple(rels))


def test_a_load_is_seen_by_the_next_query_nothing_is_cached(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "home")
    load(store, _estate(2))
    with pytest.raises(NotFoundError):
        find_building(store, "某苑3号楼")
    finder = finder_for(store)
    load(store, _estate(3))
    assert find_building(store, "某苑3号楼").id == "B3"
    assert finder.find("某苑3号楼").id == "B3"


def test_more_buildings_than_listed_are_said_to_be_more(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "home")
    load(store, _estate(30))
    with pytest.raises(AmbiguousError) as amb:
        find_building(store, "1号楼")  # 某苑1号楼 and 他苑1号楼 (never 某苑11号楼)
    assert len(amb.value.candidates) == 2
    with pytest.raises(AmbiguousError) as amb:
        find_building(store, "某苑")
    assert len(amb.value.candidates) == LISTED
    assert str(amb.value).startswith(f"与「某苑」相符的楼栋超过 {LISTED} 栋")
    assert find_building(store, "某苑30号楼").id == "B30"  # past the first 21 by uid


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


RECORDS = sorted((record_from_row(r) for r in sample_rows()), key=lambda r: r.uid)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_retyped_building_is_never_answered_by_another(
    embedded: EmbeddedStore, data: st.DataObject
) -> None:
    rec = data.draw(st.sampled_from(RECORDS))
    typed = _retyped(data.draw, rec)
    try:
        found = find_building(embedded, typed, accept_guess=True)
    except (AmbiguousError, NotFoundError):
        return  # declining to guess is allowed; a wrong building is not
    assert found.uid == rec.uid, typed
