"""The Neo4j store against a real server: sync semantics, batching, schema, errors, concurrency."""

from __future__ import annotations

import dataclasses
import socket
import threading
from collections import Counter

import pytest

from shanzhi.config import Settings
from shanzhi.errors import StoreBusyError, StoreUnavailableError
from shanzhi.graph.model import Label, RelType
from shanzhi.graph.model.dataset import Dataset
from shanzhi.graph.stores import load
from shanzhi.graph.stores.neo4j import Neo4jStore
from shanzhi.graph.stores.snapshot import Snapshot
from tests.factories import node, rel, tiny
from tests.neo4j_fixtures import big_dataset

pytestmark = pytest.mark.neo4j


def expected(ds: Dataset) -> Snapshot:
    """What a store must hold after loading exactly ``ds``."""
    return Snapshot.of(ds.stored_nodes(), ds.stored_relations())


def labels_of(store: Neo4jStore, uid: str) -> list[str]:
    rows = store.query("MATCH (n {uid: $uid}) RETURN labels(n) AS labels", {"uid": uid})
    return sorted(label for row in rows for label in row["labels"])


def test_a_load_holds_exactly_the_dataset(neo4j_store: Neo4jStore) -> None:
    ds = tiny()
    report = load(neo4j_store, ds)
    assert (report.nodes.created, report.relations.created) == (len(ds.nodes), len(ds.relations))
    assert neo4j_store.snapshot() == expected(ds)
    assert neo4j_store.snapshot("tiny") == expected(ds)
    assert labels_of(neo4j_store, "tiny:G1") == ["Entity", "Grid"]
    assert neo4j_store.datasets() == ["tiny"]


def test_the_second_load_changes_nothing(neo4j_store: Neo4jStore) -> None:
    ds = tiny()
    load(neo4j_store, ds)
    before = neo4j_store.snapshot()
    report = load(neo4j_store, ds)
    assert not report.changed
    assert (report.nodes.unchanged, report.relations.unchanged) == (
        len(ds.nodes),
        len(ds.relations),
    )
    assert neo4j_store.snapshot() == before


def test_edited_records_are_updated_and_dropped_ones_removed(neo4j_store: Neo4jStore) -> None:
    ds = tiny()
    load(neo4j_store, ds)
    renamed = node("B1", Label.PLACE, "示例小区1号楼（改名）", "building")
    nodes = tuple(renamed if n.id == "B1" else n for n in ds.nodes if n.id != "P2")
    retimed = rel("P1", RelType.HOLDS, "G5", role="楼组长")  # valid_to dropped: same key
    rels = tuple(
        retimed if r.key == retimed.key else r
        for r in ds.relations
        if "P2" not in (r.source_id, r.target_id)
    )
    edited = Dataset(ds.name, nodes, rels)
    report = load(neo4j_store, edited)
    assert (report.nodes.updated, report.nodes.removed, report.nodes.created) == (1, 1, 0)
    assert (report.relations.updated, report.relations.removed) == (1, 1)
    snap = neo4j_store.snapshot()
    assert snap == expected(edited)
    assert "address" not in snap.nodes["tiny:B1"].props, "properties gone from the source go"
    assert "valid_to" not in snap.relations[f"tiny:{retimed.key}"].props


def test_a_node_that_changes_label_keeps_only_the_new_one(neo4j_store: Neo4jStore) -> None:
    ds = tiny()
    load(neo4j_store, ds)
    as_org = node("P2", Label.ORG, "李样本工作室", "new_social_org")
    changed = Dataset(ds.name, tuple(as_org if n.id == "P2" else n for n in ds.nodes), ())
    report = load(neo4j_store, changed)
    assert report.nodes.updated == 1
    assert labels_of(neo4j_store, "tiny:P2") == ["Entity", "Org"]
    assert neo4j_store.snapshot() == expected(changed)


def test_two_datasets_live_side_by_side(neo4j_store: Neo4jStore) -> None:
    load(neo4j_store, tiny("a"))
    load(neo4j_store, tiny("b"))
    b_before = neo4j_store.snapshot("b")
    assert neo4j_store.datasets() == ["a", "b"]
    assert not load(neo4j_store, tiny("a")).changed, "loading b did not touch a"
    report = load(neo4j_store, Dataset("a", (), ()))
    assert (report.nodes.removed, report.relations.removed) == (
        len(tiny().nodes),
        len(tiny().relations),
    )
    assert neo4j_store.datasets() == ["b"]
    assert neo4j_store.snapshot() == b_before == expected(tiny("b"))
    assert set(neo4j_store.fingerprints("a").nodes) == set()


def test_fingerprints_are_those_of_the_dataset(neo4j_store: Neo4jStore) -> None:
    ds = tiny()
    load(neo4j_store, ds)
    load(neo4j_store, tiny("other"))
    fp = neo4j_store.fingerprints("tiny")
    assert fp.nodes == {n.uid: n.props["fingerprint"] for n in ds.stored_nodes()}
    assert fp.relations == {r.uid: r.props["fingerprint"] for r in ds.stored_relations()}


def test_property_values_come_back_as_they_went_in(neo4j_store: Neo4jStore) -> None:
    odd = node(
        "X1",
        Label.PLACE,
        "单引号' 反斜杠\\ 和 emoji 🏠",
        "other",
        floors=33,
        big=2**62,
        area=1234.5,
        tiny=1e-300,
        negative=-7,
        party=False,
        aliases=["一", "二", "三"],
        single=["only"],
        blank="",
        note="multi\nline",
    )
    ds = Dataset("props", (odd,), ())
    load(neo4j_store, ds)
    held = neo4j_store.snapshot().nodes["props:X1"].props
    want = next(iter(ds.stored_nodes())).props
    assert held == want
    assert {k: type(v) for k, v in held.items()} == {k: type(v) for k, v in want.items()}


def test_batches_commit_one_by_one_and_report_progress(neo4j_settings: Settings) -> None:
    ds = big_dataset("batched", 50)
    small = dataclasses.replace(neo4j_settings, batch_size=17)
    calls: list[tuple[str, int, int]] = []
    with Neo4jStore.connect(small) as store:
        store.clear()
        try:
            load(store, ds, lambda stage, done, total: calls.append((stage, done, total)))
            assert store.snapshot() == expected(ds)
            total = len(ds.nodes) + len(ds.relations)
            assert calls[-1] == ("relations", total, total)
            assert [d for _, d, _ in calls] == sorted({d for _, d, _ in calls})
            steps = Counter(stage for stage, _, _ in calls)
            by_label = Counter(n.label for n in ds.nodes)
            by_type = Counter(r.type for r in ds.relations)
            assert steps["nodes"] == sum(-(-c // 17) for c in by_label.values())
            assert steps["relations"] == sum(-(-c // 17) for c in by_type.values())
            kept = Dataset(ds.name, ds.nodes[:100], ())
            calls.clear()
            report = load(store, kept, lambda s, d, t: calls.append((s, d, t)))
            removed = report.nodes.removed + report.relations.removed
            assert calls[-1] == ("removed nodes", removed, removed)
            assert store.snapshot() == expected(kept)
        finally:
            store.clear()


def test_constraints_and_indexes_are_created_once_and_online(neo4j_store: Neo4jStore) -> None:
    neo4j_store.ensure_schema()
    load(neo4j_store, tiny())
    neo4j_store._schema_ready = False
    neo4j_store.ensure_schema()  # again: IF NOT EXISTS, no error
    constraints = {
        row["name"]: row
        for row in neo4j_store.query("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties")
    }
    assert constraints["entity_uid"]["labelsOrTypes"] == ["Entity"]
    for t in RelType:
        c = constraints[f"{t.value.lower()}_uid"]
        assert (c["type"], c["labelsOrTypes"], c["properties"]) == (
            "RELATIONSHIP_UNIQUENESS",
            [t.value],
            ["uid"],
        )
    states = neo4j_store.query("SHOW INDEXES YIELD name, state")
    names = {row["name"] for row in states}
    assert {"entity_dataset", "place_id", "place_name", "grid_level", "org_kind"} <= names
    assert {row["state"] for row in states} == {"ONLINE"}


def test_two_loads_at_once_create_no_duplicates(neo4j_settings: Settings) -> None:
    """Both plan from the same empty store; one applies under the dataset's lock, the other
    waits for it, then refuses its stale plan (or, had it planned after, finds nothing to do)."""
    ds = big_dataset("twice", 400)
    settings = dataclasses.replace(neo4j_settings, batch_size=250)
    stores = [Neo4jStore.connect(settings) for _ in range(2)]
    stores[0].clear()
    stores[0].ensure_schema()
    errors: list[BaseException] = []
    go = threading.Barrier(2)

    def run(store: Neo4jStore) -> None:
        try:
            go.wait()
            load(store, ds)
        except BaseException as exc:  # reported below, with the thread's own traceback
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(s,)) for s in stores]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        assert len(errors) <= 1, errors
        assert all(isinstance(e, StoreBusyError) for e in errors), errors
        check = stores[0]
        assert [r.seq for r in check.loads("twice")] == [1]
        counts = check.query(
            "MATCH (n:Entity) WITH count(n) AS nodes, count(DISTINCT n.uid) AS uids "
            "OPTIONAL MATCH ()-[r]->() "
            "RETURN nodes, uids, count(r) AS rels, count(DISTINCT r.uid) AS ruids"
        )
        assert counts == [
            {
                "nodes": len(ds.nodes),
                "uids": len(ds.nodes),
                "rels": len(ds.relations),
                "ruids": len(ds.relations),
            }
        ]
        assert check.snapshot() == expected(ds)
        assert not load(check, ds).changed
    finally:
        stores[0].clear()
        for s in stores:
            s.close()


# -- failures a user sees as one sentence -------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_closed_port_is_one_sentence_and_exit_3() -> None:
    port = _closed_port()
    settings = Settings(store="neo4j", neo4j_uri=f"bolt://127.0.0.1:{port}")
    with pytest.raises(StoreUnavailableError) as info:
        Neo4jStore.connect(settings)
    assert str(info.value) == (
        f"cannot reach Neo4j at bolt://127.0.0.1:{port} (connection refused); "
        "start it or set NEO4J_URI."
    )
    assert info.value.exit_code == 3


def test_a_wrong_password_is_one_sentence(neo4j_settings: Settings) -> None:
    wrong = dataclasses.replace(neo4j_settings, neo4j_password="not-the-password")
    with pytest.raises(StoreUnavailableError) as info:
        Neo4jStore.connect(wrong)
    assert str(info.value) == (
        f"Neo4j at {neo4j_settings.neo4j_uri} refused the credentials of user "
        f"{neo4j_settings.neo4j_user!r}; check NEO4J_USERNAME and NEO4J_PASSWORD."
    )
    assert info.value.exit_code == 3


def test_a_missing_database_is_one_sentence(neo4j_settings: Settings) -> None:
    wrong = dataclasses.replace(neo4j_settings, neo4j_database="nosuchdb")
    with pytest.raises(StoreUnavailableError) as info:
        Neo4jStore.connect(wrong)
    assert str(info.value) == (
        f"Neo4j at {neo4j_settings.neo4j_uri} has no database 'nosuchdb'; set NEO4J_DATABASE "
        "to one it has (Community edition has only 'neo4j')."
    )


@pytest.mark.parametrize("uri", ["http://127.0.0.1:7474", "127.0.0.1:7687", "bolt+tls://x:1"])
def test_an_address_that_is_not_bolt_or_neo4j_is_refused(uri: str) -> None:
    with pytest.raises(StoreUnavailableError, match=r"is not a Neo4j address; use one starting"):
        Neo4jStore.connect(Settings(store="neo4j", neo4j_uri=uri))


def test_routing_and_tls_schemes_reach_the_same_server(neo4j_settings: Settings) -> None:
    host_port = neo4j_settings.neo4j_uri.split("://", 1)[1]
    routed = dataclasses.replace(neo4j_settings, neo4j_uri=f"neo4j://{host_port}")
    with Neo4jStore.connect(routed) as store:
        assert isinstance(store.datasets(), list)
    tls = dataclasses.replace(neo4j_settings, neo4j_uri=f"bolt+s://{host_port}")
    with pytest.raises(
        StoreUnavailableError, match=r"^cannot reach Neo4j at bolt\+s://\S+ \(TLS handshake failed"
    ):
        Neo4jStore.connect(tls)  # the local server speaks no TLS: refused, in one sentence
