"""Write-back: stored runs survive reloads, stay out of the loader's way and compare over time."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from shanzhi.errors import UsageError
from shanzhi.graph.analytics.centrality import centrality
from shanzhi.graph.analytics.writeback import write_back
from shanzhi.graph.model.dataset import Dataset
from shanzhi.graph.queries.stats import stats
from shanzhi.graph.stores import load
from shanzhi.graph.stores.embedded import EmbeddedStore
from shanzhi.graph.stores.neo4j import Neo4jStore
from shanzhi.graph.stores.neo4j.cypher import RUN_LABEL, SCORED
from tests.test_circle import friends

RUNS = f"MATCH (r:{RUN_LABEL}) RETURN r.block_id AS block, r.uid AS uid ORDER BY block, r.ran_at"
SCORES = (
    f"MATCH (r:{RUN_LABEL} {{uid: $run}})-[s:{SCORED}]->(m) "
    "RETURN m.id AS id, properties(s) AS scores ORDER BY s.rank"
)


def _without(ds: Dataset, node_id: str) -> Dataset:
    return Dataset(
        ds.name,
        tuple(n for n in ds.nodes if n.id != node_id),
        tuple(r for r in ds.relations if node_id not in (r.source_id, r.target_id)),
    )


def _renamed(ds: Dataset, node_id: str, name: str) -> Dataset:
    nodes = tuple(n.model_copy(update={"name": name}) if n.id == node_id else n for n in ds.nodes)
    return Dataset(ds.name, nodes, ds.relations)


@pytest.mark.neo4j
def test_runs_are_stored_with_their_scores(neo4j_store: Neo4jStore) -> None:
    load(neo4j_store, friends())
    result = centrality(neo4j_store)
    when = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
    written = write_back(neo4j_store, result, ran_at=when)
    assert [(w["block"]["id"], w["scored"]) for w in written] == [("K1", 6), ("K2", 2)]
    runs = neo4j_store.query(RUNS)
    assert [r["block"] for r in runs] == ["K1", "K2"]
    (run,) = neo4j_store.query(
        f"MATCH (r:{RUN_LABEL} {{block_id: 'K1'}}) RETURN properties(r) AS p, "
        "toString(r.ran_at) AS at"
    )
    assert run["at"] == "2026-11-27T09:30:00Z"
    assert run["p"]["algorithm"].startswith("shanzhi.centrality/1")
    assert json.loads(run["p"]["params"])["include_own"] is False
    assert (run["p"]["sampled"], run["p"]["size"]) == (False, 6)
    scores = neo4j_store.query(SCORES, {"run": written[0]["run"]})
    k1 = result["blocks"][0]["members"]
    assert [s["id"] for s in scores] == [m["id"] for m in k1]
    assert scores[0]["scores"]["betweenness"] == k1[0]["betweenness"]
    assert scores[0]["scores"]["rank"] == 1


@pytest.mark.neo4j
def test_runs_survive_reloads_and_do_not_disturb_the_loader(neo4j_store: Neo4jStore) -> None:
    ds = friends()
    load(neo4j_store, ds)
    before = stats(neo4j_store)
    snapshot = neo4j_store.snapshot()
    (first,) = write_back(neo4j_store, centrality(neo4j_store, "K1"))
    assert stats(neo4j_store) == before  # runs are no Entity, SCORED has no uid
    assert neo4j_store.snapshot() == snapshot
    assert not load(neo4j_store, ds).changed  # fingerprints untouched

    report = load(neo4j_store, _renamed(ds, "M1", "示例甲茶室（新址）"))  # SET n = row.props
    assert report.nodes.updated == 1
    assert len(neo4j_store.query(SCORES, {"run": first["run"]})) == 6

    report = load(neo4j_store, _without(_renamed(ds, "M1", "示例甲茶室（新址）"), "N1"))
    assert report.nodes.removed == 1
    kept = neo4j_store.query(SCORES, {"run": first["run"]})
    assert [s["id"] for s in kept if s["id"] == "N1"] == [] and len(kept) == 5
    assert len(neo4j_store.query(RUNS)) == 1  # the run itself stays


@pytest.mark.neo4j
def test_history_compares_runs(neo4j_store: Neo4jStore) -> None:
    ds = friends()
    load(neo4j_store, ds)
    write_back(neo4j_store, centrality(neo4j_store, "K1"), datetime(2026, 1, 1, tzinfo=UTC))
    cut = Dataset(ds.name, ds.nodes, tuple(r for r in ds.relations if r.source_id != "M1"))
    load(neo4j_store, cut)  # M1 keeps no tie in K1 (nor partners it): ranks move
    write_back(neo4j_store, centrality(neo4j_store, "K1"), datetime(2026, 2, 1, tzinfo=UTC))
    rows = neo4j_store.run_read_query("centrality_history", {"block": "K1", "member": None})
    assert [r["ran_at"][:10] for r in rows] == ["2026-01-01"] * 6 + ["2026-02-01"] * 5
    first = {r["member_id"]: r for r in rows[:6]}
    second = {r["member_id"]: r for r in rows[6:]}
    assert first["M2"]["previous_rank"] is None
    assert second["M2"]["previous_rank"] == first["M2"]["rank"]
    assert second["M2"]["rank_change"] == first["M2"]["rank"] - second["M2"]["rank"]
    n1 = neo4j_store.run_read_query(
        "centrality_history", {"block": None, "member": "示例丙科技有限公司"}
    )
    assert [r["member_id"] for r in n1] == ["N1", "N1"]


def test_write_back_needs_neo4j(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    load(store, friends())
    with pytest.raises(UsageError, match="--store neo4j"):
        write_back(store, centrality(store))
