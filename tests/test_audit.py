"""audit: the definitions on a handmade street, exactly the planted gaps of a synthetic dataset
on both stores (identical JSON), none where none were planted, and the sample."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from shanzhi.config import Settings
from shanzhi.graph.model import Label, RelType
from shanzhi.graph.model.dataset import Dataset
from shanzhi.graph.queries.audit import GAP_KINDS, audit
from shanzhi.graph.stores import GraphStore, load
from shanzhi.graph.stores.embedded import EmbeddedStore
from shanzhi.graph.stores.neo4j import Neo4jStore
from shanzhi.synth import REFERENCE_DATE
from tests.factories import node, rel
from tests.test_who_covers_support import (
    embedded_holding,
    neo4j_holding,
    sample_dataset,
    small_street,
    synth_dataset,
)

D = date
#: The two stores; the Neo4j one is marked so that ``-m "not neo4j"`` leaves it out.
STORES = ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)]


def _ids(result: dict[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
    return {kind: [item["id"] for item in items] for kind, items in result.items()}


def with_gaps() -> Dataset:
    """The small street with a gap of every kind on 2024-08-01 (see the test)."""
    base = small_street("gappy")
    dropped = {
        ("H04", "HOLDS", "GK"),  # one 街区长 left: the block has 1 of 2
        ("H08", "LIAISES", "PB"),  # the branch's social worker
        ("PG", "LEADS", "G1"),  # the building grid's party group
    }
    rels = [r for r in base.relations if (r.source_id, r.type.value, r.target_id) not in dropped]
    rels += [
        rel("H04", RelType.PARTNERS, "GK"),
        rel("PO2", RelType.LEADS, "GC"),  # a party_branch acting as the community's organisation
        rel("H11", RelType.HOLDS, "G1", "第二楼组长", valid_to=D(2024, 5, 31)),
        rel("H13", RelType.HOLDS, "PB", "组织委员", valid_to=D(2023, 12, 31)),
    ]
    rels = [r for r in rels if not (r.source_id == "H11" and r.valid_to is None and r.role)]
    nodes = [*base.nodes, node("PO2", Label.ORG, "小居民区第二党支部", "party_branch")]
    return Dataset(name="gappy", nodes=tuple(nodes), relations=tuple(rels))


@pytest.fixture(params=STORES)
def gappy(request: pytest.FixtureRequest, tmp_path: Path) -> GraphStore:
    if request.param == "embedded":
        return embedded_holding(tmp_path, with_gaps())
    store: Neo4jStore = request.getfixturevalue("neo4j_store")
    load(store, with_gaps())
    return store


def test_the_definitions_on_a_handmade_street(gappy: GraphStore) -> None:
    result = audit(gappy, on=D(2024, 8, 1))
    assert list(result) == list(GAP_KINDS)
    assert result["uncovered_buildings"] == [
        {"id": "B2", "name": "甲苑2号楼", "dataset": "gappy"},
        {"id": "B4", "name": "孤楼", "dataset": "gappy"},
    ]
    assert result["unled_grids"] == [
        {"id": "G1", "name": "甲苑1号楼楼组网格", "dataset": "gappy", "level": "building"}
    ]
    assert result["groups_without_party_member"] == [
        {"id": "LG2", "name": "甲苑2号楼楼管小组", "dataset": "gappy", "members": 1}
    ]
    assert result["branches_without_liaison"] == [
        {"id": "PB", "name": "甲苑党支部", "dataset": "gappy"}
    ]  # not PO2: it leads a community grid
    assert result["vacant_posts"] == [
        {"id": "G1", "name": "甲苑1号楼楼组网格", "dataset": "gappy", "kind": "building",
         "role": "第二楼组长", "have": 0, "need": 1},
        {"id": "GK", "name": "小街区网格", "dataset": "gappy", "kind": "block",
         "role": "街区长", "have": 1, "need": 2},
        {"id": "PB", "name": "甲苑党支部", "dataset": "gappy", "kind": "party_branch",
         "role": "组织委员", "have": 0, "need": 1},
    ]  # fmt: skip


def test_posts_follow_the_day(gappy: GraphStore) -> None:
    spring = _ids(audit(gappy, on="2024-02-01"))["vacant_posts"]
    assert spring == ["GK", "PB"]  # the 第二楼组长 is still there; the 路长 on duty
    winter = audit(gappy, on="2025-01-01")["vacant_posts"]
    assert [(v["id"], v["role"]) for v in winter] == [
        ("G1", "第二楼组长"), ("GK", "街区长"), ("PB", "组织委员"), ("R", "路长"),
    ]  # fmt: skip
    assert winter[-1] == {"id": "R", "name": "小路", "dataset": "gappy", "kind": "road",
                          "role": "路长", "have": 0, "need": 1}  # fmt: skip


def test_an_empty_store_has_no_gaps(tmp_path: Path) -> None:
    assert audit(EmbeddedStore(tmp_path)) == {kind: [] for kind in GAP_KINDS}


# -- synthetic datasets: exactly the planted gaps, on both stores --------------------------------
@pytest.fixture(scope="module")
def synth_stores(
    neo4j_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[EmbeddedStore, Neo4jStore, dict[str, Any]]]:
    ds, gaps = synth_dataset(streets=2, seed=5)
    embedded = embedded_holding(tmp_path_factory.mktemp("synth-audit"), ds)
    with neo4j_holding(neo4j_settings, ds) as neo:
        yield embedded, neo, gaps


@pytest.mark.neo4j
def test_exactly_the_planted_gaps_on_both_stores(
    synth_stores: tuple[EmbeddedStore, Neo4jStore, dict[str, Any]],
) -> None:
    embedded, neo, gaps = synth_stores
    mine = audit(embedded, on=REFERENCE_DATE)
    assert json.dumps(audit(neo, on=REFERENCE_DATE), ensure_ascii=False) == json.dumps(
        mine, ensure_ascii=False
    )
    assert _ids(mine) == {kind: sorted(g["id"] for g in gaps[kind]) for kind in GAP_KINDS}
    assert all(n == 2 or kind == "unled_grids" for kind, n in gaps["counts"].items())
    assert {v["role"] for v in mine["vacant_posts"]} == {"楼组长"}
    assert {(g["id"], g["level"]) for g in mine["unled_grids"]} == {
        (g["id"], g["level"]) for g in gaps["unled_grids"]
    }
    names = {g["id"]: g["name"] for kind in GAP_KINDS for g in gaps[kind]}
    assert all(item["name"] == names[item["id"]] for items in mine.values() for item in items)


@pytest.mark.neo4j
def test_both_stores_agree_on_other_days(
    synth_stores: tuple[EmbeddedStore, Neo4jStore, dict[str, Any]],
) -> None:
    embedded, neo, _ = synth_stores
    for day in ("2023-01-15", "2024-12-31", "2027-01-01"):
        assert audit(neo, on=day) == audit(embedded, on=day)
    after = audit(embedded, on="2027-01-01")["vacant_posts"]
    assert {v["kind"] for v in after if v["role"] == "路长"} == {"road"}  # the rota ended


def test_no_gaps_where_none_were_planted(tmp_path: Path) -> None:
    ds, gaps = synth_dataset(streets=1, seed=11, gaps=False)
    store = embedded_holding(tmp_path, ds)
    assert audit(store, on=REFERENCE_DATE) == {kind: [] for kind in GAP_KINDS}
    assert all(gaps[kind] == [] for kind in GAP_KINDS)


# -- the sample ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample_embedded(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    return embedded_holding(tmp_path_factory.mktemp("sample-audit"), sample_dataset())


def test_the_sample_has_no_gaps_while_the_rota_runs(sample_embedded: EmbeddedStore) -> None:
    assert audit(sample_embedded, on="2026-06-30") == {kind: [] for kind in GAP_KINDS}
    after = audit(sample_embedded, on="2027-01-01")["vacant_posts"]
    assert sorted(v["name"] for v in after) == sorted(
        n.name for n in sample_dataset().nodes if n.label is Label.PLACE and n.kind == "road"
    )


@pytest.mark.neo4j
def test_the_sample_on_neo4j(sample_embedded: EmbeddedStore, neo4j_settings: Settings) -> None:
    with neo4j_holding(neo4j_settings, sample_dataset()) as neo:
        for day in ("2022-06-01", "2026-06-30", "2027-01-01"):
            assert audit(neo, on=day) == audit(sample_embedded, on=day)
