"""What the Neo4j store sends, statement by statement, without a server (STYLE 13).

The same code runs against a real Neo4j in test_neo4j_store.py; here we pin the exact Cypher and
parameters, so a change to them is a visible decision.
"""

from __future__ import annotations

import re
from datetime import date

from shanzhi.graph.model import Label, RelType
from shanzhi.graph.stores.neo4j import cypher as q
from shanzhi.graph.stores.neo4j import plan_batches
from shanzhi.graph.stores.sync import Fingerprints, plan_sync
from tests.factories import tiny


def test_node_batch_is_one_unwind_merge_set_per_label() -> None:
    ds = tiny()
    plan = plan_sync(ds, Fingerprints(), 1)
    batches = list(plan_batches(plan, batch_size=3))
    grid_batches = [b for b in batches if b.statements == (q.UPSERT_NODES[Label.GRID],)]
    assert q.UPSERT_NODES[Label.GRID] == (
        "UNWIND $rows AS row\n"
        "MERGE (n:Entity {uid: row.uid})\n"
        "SET n = row.props, n:Grid\n"
        "REMOVE n:Place:Org:Person:Project\n"
        "RETURN count(n) AS written"
    )
    assert [b.size for b in grid_batches] == [3, 2]
    first = grid_batches[0].params["rows"][0]
    g1 = next(n for n in ds.stored_nodes() if n.uid == "tiny:G1")
    stamps = {"load_seq": 1, "load_change": "created"}
    assert first == {"uid": "tiny:G1", "props": {**g1.props, **stamps}}
    assert first["props"] == {
        **stamps,
        "id": "G1",
        "name": "示例街道总网格",
        "level": "street",
        "source_file": "test.csv",
        "source_line": 2,
        "uid": "tiny:G1",
        "dataset": "tiny",
        "fingerprint": g1.props["fingerprint"],
    }


def test_relation_batch_matches_both_ends_then_merges_on_uid() -> None:
    plan = plan_sync(tiny(), Fingerprints(), 1)
    holds = [
        b for b in plan_batches(plan, 100) if b.statements == (q.UPSERT_RELATIONS[RelType.HOLDS],)
    ]
    assert q.UPSERT_RELATIONS[RelType.HOLDS] == (
        "UNWIND $rows AS row\n"
        "MATCH (a:Entity {uid: row.source})\n"
        "MATCH (b:Entity {uid: row.target})\n"
        "MERGE (a)-[r:HOLDS {uid: row.uid}]->(b)\n"
        "SET r = row.props\n"
        "RETURN count(r) AS written"
    )
    (batch,) = holds
    assert batch.stage == "relations"
    row = batch.params["rows"][0]
    assert row["uid"] == "tiny:P1|HOLDS|G5|楼组长|"
    assert (row["source"], row["target"]) == ("tiny:P1", "tiny:G5")
    # the model's ISO date goes as a datetime.date, which the driver sends as a Neo4j Date
    assert row["props"]["valid_to"] == date(2024, 6, 30)
    assert "valid_from" not in row["props"], "open dates are absent, not null"


def test_order_is_add_nodes_add_relations_then_remove() -> None:
    ds = tiny()
    held = Fingerprints(
        nodes={"tiny:GONE": "x", **{n.uid: "stale" for n in ds.stored_nodes()}},
        relations={"tiny:GONE|LEADS|G1||": "x"},
    )
    plan = plan_sync(ds, held, 2)
    assert {n.props["load_change"] for n in plan.upsert_nodes} == {"updated"}
    assert {r.props["load_change"] for r in plan.upsert_relations} == {"created"}
    assert plan.report.load == 2
    stages = [b.stage for b in plan_batches(plan, 4)]
    assert stages == sorted(
        stages, key=["nodes", "relations", "removed relations", "removed nodes"].index
    )
    assert stages[-2:] == ["removed relations", "removed nodes"]


def test_removed_relations_are_sought_under_every_type_in_one_transaction() -> None:
    ds = tiny()
    held = Fingerprints(relations={"tiny:a|LEADS|b||": "x", "tiny:c|HOLDS|d|r|": "y"})
    batches = plan_batches(plan_sync(ds, held, 2), 10)
    (batch,) = [b for b in batches if b.stage == "removed relations"]
    assert batch.statements == tuple(q.REMOVE_RELATIONS[t] for t in RelType)
    assert batch.params == {"uids": ["tiny:a|LEADS|b||", "tiny:c|HOLDS|d|r|"]}
    assert q.REMOVE_RELATIONS[RelType.LEADS] == (
        "UNWIND $uids AS uid\n"
        "MATCH ()-[r:LEADS {uid: uid}]->()\n"
        "DELETE r\n"
        "RETURN count(r) AS removed"
    )
    assert q.REMOVE_NODES == (
        "UNWIND $uids AS uid\n"
        "MATCH (n:Entity {uid: uid})\n"
        "DETACH DELETE n\n"
        "RETURN count(n) AS removed"
    )


def test_an_unchanged_dataset_sends_nothing() -> None:
    ds = tiny()
    held = Fingerprints(
        nodes={n.uid: str(n.props["fingerprint"]) for n in ds.stored_nodes()},
        relations={r.uid: str(r.props["fingerprint"]) for r in ds.stored_relations()},
    )
    assert list(plan_batches(plan_sync(ds, held, 2), 10)) == []


def test_schema_is_idempotent_and_names_only_model_labels_and_types() -> None:
    assert q.SCHEMA[0] == (
        "CREATE CONSTRAINT entity_uid IF NOT EXISTS FOR (n:Entity) REQUIRE n.uid IS UNIQUE"
    )
    assert all(" IF NOT EXISTS " in s for s in q.SCHEMA)
    pattern = re.compile(r"\(n:(\w+)\)|\[r:(\w+)\]")
    named = {name for s in q.SCHEMA for pair in pattern.findall(s) for name in pair if name}
    assert named == {q.ENTITY} | {label.value for label in Label} | {t.value for t in RelType}
    uniques = [s for s in q.SCHEMA if "IS UNIQUE" in s]
    assert len(uniques) == 1 + len(RelType) + 2, (
        "Entity.uid, every relation type's uid, Load.uid, LookupEntry.uid"
    )
    load_uid = "CREATE CONSTRAINT load_uid IF NOT EXISTS FOR (l:Load) REQUIRE l.uid IS UNIQUE"
    assert load_uid in q.SCHEMA
    lookup_uid = (
        "CREATE CONSTRAINT lookup_uid IF NOT EXISTS "
        f"FOR (e:{q.LOOKUP_LABEL}) REQUIRE e.uid IS UNIQUE"
    )
    assert lookup_uid in q.SCHEMA


def test_every_statement_takes_values_only_as_parameters() -> None:
    statements = [
        *q.UPSERT_NODES.values(),
        *q.UPSERT_RELATIONS.values(),
        *q.REMOVE_RELATIONS.values(),
        q.REMOVE_NODES,
        q.FINGERPRINTS,
        q.SNAPSHOT_NODES_OF,
        q.SNAPSHOT_RELATIONS_OF,
    ]
    for statement in statements:
        assert "'" not in statement.replace("'node'", "").replace("'relation'", "")
        assert re.search(r"\$\w+", statement)
