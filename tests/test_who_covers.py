"""who_covers: the chain on a small handmade street with known answers, dates, missing levels and
masked phones; the sample's date-dependent answers; and the two stores giving identical JSON on
the sample, on a synthetic street and on hypothesis-generated edits of the small street."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shanzhi.config import Settings
from shanzhi.errors import AmbiguousError, GuessError, NotFoundError, UsageError
from shanzhi.graph.model import Label, Node, Relation, RelType
from shanzhi.graph.model.dataset import Dataset
from shanzhi.graph.queries.audit import audit
from shanzhi.graph.queries.who_covers import who_covers
from shanzhi.graph.stores import GraphStore, load
from shanzhi.graph.stores.embedded import EmbeddedStore
from shanzhi.graph.stores.neo4j import Neo4jStore
from tests.test_who_covers_support import (
    embedded_holding,
    neo4j_holding,
    sample_dataset,
    small_street,
    synth_dataset,
)

P = Label.PLACE
D = date


def _people(step: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p["role"], p["name"]) for p in step["people"]]


def _level(answer: dict[str, Any], level: str) -> dict[str, Any]:
    return next(s for s in answer["chain"] if s["level"] == level)


@pytest.fixture
def small(tmp_path: Path) -> EmbeddedStore:
    return embedded_holding(tmp_path, small_street())


@pytest.fixture
def small_neo4j(neo4j_store: Neo4jStore) -> Neo4jStore:
    """The small street on Neo4j (each test that runs on both stores has an ``_on_neo4j`` twin:
    the ``neo4j`` mark follows the fixtures a test names, tests/conftest.py)."""
    load(neo4j_store, small_street())
    return neo4j_store


# -- the chain on the small street ---------------------------------------------------------------
def test_the_whole_chain_nearest_first(small: EmbeddedStore) -> None:
    _the_whole_chain_nearest_first(small)


def test_the_whole_chain_nearest_first_on_neo4j(small_neo4j: Neo4jStore) -> None:
    _the_whole_chain_nearest_first(small_neo4j)


def _the_whole_chain_nearest_first(small_store: GraphStore) -> None:
    answer = who_covers(small_store, "甲苑一号楼", on=D(2024, 8, 1))
    assert answer["building"] == {
        "id": "B1",
        "name": "甲苑1号楼",
        "address": "小路1弄1号",
        "dataset": "small",
        "uid": "small:B1",
    }
    assert answer["on"] == "2024-08-01"
    assert [s["level"] for s in answer["chain"]] == [
        "building", "branch", "community", "block", "street",
    ]  # fmt: skip
    assert answer["missing_levels"] == []
    assert answer["covered_via"] == {
        "id": "B1",
        "name": "甲苑1号楼",
        "kind": "building",
        "depth": 0,
    }
    assert answer["road"] == {"id": "R", "name": "小路"}
    building = _level(answer, "building")
    assert building["grid"] == {"id": "G1", "name": "甲苑1号楼楼组网格"}
    assert building["orgs"] == [
        {"id": "PG", "name": "甲苑1号楼党小组", "kind": "party_group", "relation": "LEADS"},
        {
            "id": "LG1",
            "name": "甲苑1号楼楼管小组",
            "kind": "building_management_group",
            "relation": "SERVES",
            "members": 5,
        },
    ]
    assert building["people"] == [
        {"id": "H10", "name": "新楼组长", "role": "楼组长", "party_member": True,
         "phone": "138****0010"},
        {"id": "H11", "name": "林第二楼组长", "role": "第二楼组长", "party_member": False},
        {"id": "H15", "name": "下半年路长", "role": "路长", "party_member": True},
        {"id": "H09", "name": "老楼组长", "role": "楼管小组成员", "party_member": False,
         "phone": "138****0009"},
        {"id": "H12", "name": "罗组员", "role": "楼管小组成员", "party_member": True},
        {"id": "H13", "name": "郑组员", "role": "楼管小组成员", "party_member": False},
    ]  # fmt: skip
    branch = _level(answer, "branch")
    assert branch["grid"]["id"] == "GB"
    assert [o["id"] for o in branch["orgs"]] == ["PB"]
    assert _people(branch) == [("书记", "郭支部书记"), ("社工", "何社工")]
    community = _level(answer, "community")
    assert [(o["id"], o["relation"]) for o in community["orgs"]] == [
        ("PO", "LEADS"),
        ("RC", "SERVES"),
    ]
    assert _people(community) == [("网格长", "余居民区书记"), ("书记", "余居民区书记"),
                                   ("居委主任", "杜居委主任")]  # fmt: skip
    block = _level(answer, "block")
    assert block["circle_size"] == 3  # M1, M2 and H04; M3 left after 2024-03-31
    assert [(o["id"], o["relation"]) for o in block["orgs"]] == [("PGB", "LEADS"), ("WS", "SERVES")]
    assert _people(block) == [
        ("网格长", "强网格长"), ("书记", "强网格长"),
        ("街区长", "陈街区长"), ("街区长", "王街区长"),
    ]  # fmt: skip
    street = _level(answer, "street")
    assert street["grid"] == {"id": "GS", "name": "小街道总网格", "code": "990001"}
    assert _people(street) == [("书记", "黄书记")]


def test_dated_relations_follow_the_day(small: EmbeddedStore) -> None:
    _dated_relations_follow_the_day(small)


def test_dated_relations_follow_the_day_on_neo4j(small_neo4j: Neo4jStore) -> None:
    _dated_relations_follow_the_day(small_neo4j)


def _dated_relations_follow_the_day(small_store: GraphStore) -> None:
    spring = who_covers(small_store, "B1", on="2024-02-01")
    assert _people(_level(spring, "building"))[:3] == [
        ("楼组长", "老楼组长"), ("第二楼组长", "林第二楼组长"), ("路长", "上半年路长"),
    ]  # fmt: skip
    assert _level(spring, "block")["circle_size"] == 4
    later = who_covers(small_store, "B1", on="2025-01-01")
    roles = _people(_level(later, "building"))
    assert ("楼组长", "新楼组长") in roles
    assert not any(r == "路长" for r, _ in roles)  # nobody on duty after 2024
    assert ("楼管小组成员", "郑组员") not in roles  # left the group at the end of 2024
    assert _level(later, "building")["orgs"][1]["members"] == 4


def test_an_uncovered_building_climbs_to_its_estate_and_says_what_is_missing(
    small: EmbeddedStore,
) -> None:
    _an_uncovered_building_climbs_to_its_estate_and_says_what_is_missing(small)


def test_an_uncovered_building_climbs_to_its_estate_and_says_what_is_missing_on_neo4j(
    small_neo4j: Neo4jStore,
) -> None:
    _an_uncovered_building_climbs_to_its_estate_and_says_what_is_missing(small_neo4j)


def _an_uncovered_building_climbs_to_its_estate_and_says_what_is_missing(
    small_store: GraphStore,
) -> None:
    answer = who_covers(small_store, "甲苑2号楼", on="2024-08-01")
    assert answer["missing_levels"] == ["building", "branch"]
    assert answer["covered_via"] == {"id": "E", "name": "甲苑", "kind": "estate", "depth": 1}
    building = _level(answer, "building")
    assert building["grid"] is None and building["missing"] is True
    assert [o["id"] for o in building["orgs"]] == ["LG2"]  # the group serving it is still named
    assert _people(building) == [("路长", "下半年路长"), ("楼管小组成员", "二号楼组员")]
    assert answer["road"] == {"id": "R", "name": "小路"}  # the estate's road
    assert _level(answer, "community")["grid"]["id"] == "GC"
    assert _level(answer, "street")["grid"]["id"] == "GS"


def test_a_building_nothing_covers_has_every_level_missing(small: EmbeddedStore) -> None:
    _a_building_nothing_covers_has_every_level_missing(small)


def test_a_building_nothing_covers_has_every_level_missing_on_neo4j(
    small_neo4j: Neo4jStore,
) -> None:
    _a_building_nothing_covers_has_every_level_missing(small_neo4j)


def _a_building_nothing_covers_has_every_level_missing(small_store: GraphStore) -> None:
    answer = who_covers(small_store, "孤楼", on="2024-08-01")
    assert answer["missing_levels"] == ["building", "branch", "community", "block", "street"]
    assert answer["covered_via"] is None and answer["road"] is None
    assert all(s["grid"] is None and s["people"] == [] for s in answer["chain"])


def test_phones_are_masked_unless_asked(small: EmbeddedStore) -> None:
    masked = _level(who_covers(small, "B1", on="2024-08-01"), "block")["people"]
    shown = _level(who_covers(small, "B1", on="2024-08-01", show_contact=True), "block")["people"]
    assert [p.get("phone") for p in masked] == [None, None, "138****0003", "138****0004"]
    assert [p.get("phone") for p in shown] == [None, None, "13800000003", "13800000004"]


def test_a_bad_day_is_a_usage_error(small: EmbeddedStore) -> None:
    with pytest.raises(UsageError, match="write it as YYYY-MM-DD"):
        who_covers(small, "B1", on="2024-02-30")


def test_not_found_and_ambiguous_come_from_the_finder(small: EmbeddedStore) -> None:
    with pytest.raises(NotFoundError):
        who_covers(small, "甲苑9号楼")
    with pytest.raises(AmbiguousError):
        who_covers(small, "甲苑")


def test_default_day_is_today(small: EmbeddedStore) -> None:
    assert who_covers(small, "B1")["on"] == date.today().isoformat()


# -- the sample: a 楼组长 replaced, 路长 rotations -----------------------------------------------
@pytest.fixture(scope="module")
def sample_embedded(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    return embedded_holding(tmp_path_factory.mktemp("sample"), sample_dataset())


@pytest.fixture(scope="module")
def sample_neo4j(neo4j_settings: Settings) -> Iterator[Neo4jStore]:
    with neo4j_holding(neo4j_settings, sample_dataset()) as store:
        yield store


def _holders(ds: Dataset, target: str, role: str, day: date) -> set[str]:
    """Names of those who hold ``role`` on ``target`` on ``day``, straight from the records."""
    return {
        ds.node(r.source_id).name
        for r in ds.relations
        if r.type is RelType.HOLDS
        and r.target_id == target
        and r.role == role
        and (r.valid_from is None or r.valid_from <= day)
        and (r.valid_to is None or day <= r.valid_to)
    }


def test_the_replaced_building_leader(sample_embedded: EmbeddedStore) -> None:
    _the_replaced_building_leader(sample_embedded)


def test_the_replaced_building_leader_on_neo4j(sample_neo4j: Neo4jStore) -> None:
    _the_replaced_building_leader(sample_neo4j)


def _the_replaced_building_leader(sample_store: GraphStore) -> None:
    ds = sample_dataset()
    before, after = D(2025, 6, 30), D(2025, 7, 1)
    old = _holders(ds, "G-JLMZ-B08", "楼组长", before)
    new = _holders(ds, "G-JLMZ-B08", "楼组长", after)
    assert len(old) == len(new) == 1 and old != new
    for day, leader, other in ((before, old, new), (after, new, old)):
        people = _people(_level(who_covers(sample_store, "嘉利明珠城8号楼", on=day), "building"))
        assert [n for r, n in people if r == "楼组长"] == sorted(leader)
        assert ("楼管小组成员", next(iter(other))) in people  # still in the group


@pytest.mark.parametrize("day", [D(2023, 2, 1), D(2023, 5, 1), D(2024, 11, 30), D(2026, 12, 31)])
def test_the_road_chief_on_duty_rotates(sample_embedded: EmbeddedStore, day: date) -> None:
    _the_road_chief_on_duty_rotates(sample_embedded, day)


@pytest.mark.parametrize("day", [D(2023, 2, 1), D(2023, 5, 1), D(2024, 11, 30), D(2026, 12, 31)])
def test_the_road_chief_on_duty_rotates_on_neo4j(sample_neo4j: Neo4jStore, day: date) -> None:
    _the_road_chief_on_duty_rotates(sample_neo4j, day)


def _the_road_chief_on_duty_rotates(sample_store: GraphStore, day: date) -> None:
    ds = sample_dataset()
    on_duty = _holders(ds, "P-ROAD-GHXL", "路长", day)
    assert len(on_duty) == 1
    answer = who_covers(sample_store, "共和新路2288弄12号", on=day)
    assert answer["road"] == {"id": "P-ROAD-GHXL", "name": "共和新路"}
    people = _people(_level(answer, "building"))
    assert [n for r, n in people if r == "路长"] == sorted(on_duty)


def test_the_answer_says_how_it_matched(sample_embedded: EmbeddedStore) -> None:
    day = "2026-06-30"
    exact = who_covers(sample_embedded, "嘉利明珠城12号楼", on=day)
    assert exact["match"] == "exact"
    for typed, how in (("P-JLMZ-B12", "id"), ("共和新路2288号12号楼", "lane-for-号"),
                       ("佳丽名珠城十二号", "homophone"), ("嘉利12号楼", "alias")):  # fmt: skip
        assert who_covers(sample_embedded, typed, on=day) == {**exact, "match": how}, typed
    with pytest.raises(GuessError) as guess:
        who_covers(sample_embedded, "嘉利明珠12号楼", on=day)
    assert [c["id"] for c in guess.value.candidates] == ["P-JLMZ-B12"]
    accepted = who_covers(sample_embedded, "嘉利明珠12号楼", on=day, accept_guess=True)
    assert accepted == {**exact, "match": "guess"}


def test_road_chiefs_differ_between_quarters(sample_embedded: EmbeddedStore) -> None:
    def chief(day: str) -> list[str]:
        b = _level(who_covers(sample_embedded, "嘉利明珠城1号楼", on=day), "building")
        return [p["name"] for p in b["people"] if p["role"] == "路长"]

    assert chief("2024-02-15") != chief("2024-05-15")
    assert chief("2022-06-01") == []  # before the first rotation


def test_the_article_chain_of_jiali(sample_embedded: EmbeddedStore) -> None:
    answer = who_covers(sample_embedded, "嘉利明珠城12号楼", on="2026-06-30")
    assert answer["missing_levels"] == []
    assert [(s["level"], s["grid"]["id"]) for s in answer["chain"]] == [
        ("building", "G-JLMZ-B12"), ("branch", "G-C17-BR2"), ("community", "G-C17"),
        ("block", "G-BLK-SHANJU"), ("street", "G-STREET"),
    ]  # fmt: skip
    building = _level(answer, "building")
    kinds = [o["kind"] for o in building["orgs"]]
    assert kinds == ["party_group", "building_management_group"]
    roles = [r for r, _ in _people(building)]
    assert roles[:3] == ["楼组长", "第二楼组长", "路长"]
    members = [p for p in building["people"] if p["role"] == "楼管小组成员"]
    assert any(p["party_member"] for p in members)  # party members sit in every 楼管小组
    assert building["orgs"][1]["members"] == len(members) + 2  # + 楼组长 and 第二楼组长
    assert [r for r, _ in _people(_level(answer, "branch"))] == ["书记", "社工"]
    assert ("书记", "强碧薇") in _people(_level(answer, "block"))
    assert ("书记", "黄翔") in _people(_level(answer, "street"))
    assert _level(answer, "block")["circle_size"] >= 10


# -- both stores, identical JSON -----------------------------------------------------------------
def _same(a: GraphStore, b: GraphStore, typed: str, day: str) -> None:
    mine = json.dumps(who_covers(a, typed, on=day), ensure_ascii=False)
    theirs = json.dumps(who_covers(b, typed, on=day), ensure_ascii=False)
    assert theirs == mine, typed


@pytest.mark.neo4j
def test_identical_json_on_the_sample(
    sample_embedded: EmbeddedStore, sample_neo4j: Neo4jStore
) -> None:
    ids = sorted(n.id for n in sample_dataset().nodes if n.label is P and n.kind == "building")
    assert len(ids) == 44
    for day in ("2022-06-01", "2024-02-15", "2025-06-30", "2025-07-01", "2026-11-27"):
        for building in ids:
            _same(sample_embedded, sample_neo4j, building, day)


@pytest.fixture(scope="module")
def synth_stores(
    neo4j_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[EmbeddedStore, Neo4jStore, dict[str, Any]]]:
    ds, gaps = synth_dataset()
    embedded = embedded_holding(tmp_path_factory.mktemp("synth"), ds)
    with neo4j_holding(neo4j_settings, ds) as neo:
        yield embedded, neo, gaps


@pytest.mark.neo4j
def test_identical_json_on_a_synthetic_street(
    synth_stores: tuple[EmbeddedStore, Neo4jStore, dict[str, Any]],
) -> None:
    embedded, neo, gaps = synth_stores
    ds, _ = synth_dataset()
    ids = sorted(n.id for n in ds.nodes if n.label is P and n.kind == "building")
    chosen = random.Random(4).sample(ids, 60) + [g["id"] for g in gaps["uncovered_buildings"]]
    for day in ("2023-03-15", "2026-06-30", "2027-02-01"):
        for building in chosen:
            _same(embedded, neo, f"synth:{building}", day)
    uncovered = who_covers(neo, f"synth:{gaps['uncovered_buildings'][0]['id']}", on="2026-06-30")
    assert uncovered["missing_levels"][:1] == ["building"]


# -- hypothesis: random edits of the small street, both stores -----------------------------------
@st.composite
def edited_street(draw: st.DrawFn) -> Dataset:
    """The small street with some relations dropped, some dates moved, some party flags flipped."""
    base = small_street("edited")
    rels: list[Relation] = []
    days = st.one_of(st.none(), st.dates(min_value=D(2023, 6, 1), max_value=D(2025, 6, 1)))
    for r in base.relations:
        if draw(st.integers(0, 9)) == 0:
            continue  # dropped
        if draw(st.integers(0, 5)) == 0:
            start, end = draw(days), draw(days)
            if start and end and end < start:
                start, end = end, start
            r = r.model_copy(update={"valid_from": start, "valid_to": end})
        rels.append(r)
    nodes: list[Node] = []
    for n in base.nodes:
        if n.label is Label.PERSON and draw(st.integers(0, 4)) == 0:
            n = n.model_copy(
                update={"props": {**n.props, "party_member": not n.props.get("party_member")}}
            )
        nodes.append(n)
    unique: dict[str, Relation] = {}
    for r in rels:
        unique.setdefault(r.key, r)  # moving a date may make two relations one
    return Dataset(name="edited", nodes=tuple(nodes), relations=tuple(unique.values()))


@pytest.mark.neo4j
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ds=edited_street(), day=st.dates(min_value=D(2023, 6, 1), max_value=D(2025, 6, 1)))
def test_identical_json_after_random_edits(
    neo4j_store: Neo4jStore, tmp_path: Path, ds: Dataset, day: date
) -> None:
    embedded = EmbeddedStore(tmp_path / "edited")
    load(embedded, ds)
    load(neo4j_store, ds)
    for building in ("B1", "B2", "B4"):
        _same(embedded, neo4j_store, building, day.isoformat())
    assert audit(neo4j_store, day) == audit(embedded, day)
