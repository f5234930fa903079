"""The embedded store: sync semantics, all-or-nothing loads, a file that is known or refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from shanzhi.errors import StoreUnavailableError
from shanzhi.graph.model import Label
from shanzhi.graph.model.dataset import Dataset
from shanzhi.graph.queries.changes import history
from shanzhi.graph.stores import load
from shanzhi.graph.stores.embedded import EmbeddedStore
from shanzhi.graph.stores.embedded.sql import APPLICATION_ID, SCHEMA_VERSION
from shanzhi.graph.stores.snapshot import Snapshot
from tests.factories import node, tiny


def _wanted(*datasets: Dataset) -> Snapshot:
    return Snapshot.of(
        [n for ds in datasets for n in ds.stored_nodes()],
        [r for ds in datasets for r in ds.stored_relations()],
    )


def test_first_load_creates_everything_second_changes_nothing(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    ds = tiny()
    first = load(store, ds)
    assert (first.nodes.created, first.relations.created) == (len(ds.nodes), len(ds.relations))
    second = load(EmbeddedStore(tmp_path), ds)
    assert not second.changed
    assert (second.nodes.unchanged, second.relations.unchanged) == (
        len(ds.nodes),
        len(ds.relations),
    )
    assert store.snapshot() == _wanted(ds)


def test_changed_and_dropped_records_are_updated_and_removed(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    ds = tiny()
    load(store, ds)
    renamed = node("B1", Label.PLACE, "示例小区1号楼（改名）", "building")
    nodes = tuple(renamed if n.id == "B1" else n for n in ds.nodes if n.id != "P2")
    rels = tuple(r for r in ds.relations if "P2" not in (r.source_id, r.target_id))
    report = load(store, Dataset(ds.name, nodes, rels))
    assert (report.nodes.updated, report.nodes.removed, report.relations.removed) == (1, 1, 1)
    held = EmbeddedStore(tmp_path).snapshot()
    assert held.nodes["tiny:B1"].props["name"] == "示例小区1号楼（改名）"
    assert "address" not in held.nodes["tiny:B1"].props, "properties gone from the source are gone"
    assert "tiny:P2" not in held.nodes
    assert held == _wanted(Dataset(ds.name, nodes, rels))


def test_two_datasets_live_side_by_side(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    load(store, tiny("a"))
    load(store, tiny("b"))
    assert store.datasets() == ["a", "b"]
    report = load(store, Dataset("a", (), ()))
    assert report.nodes.removed == len(tiny().nodes)
    assert store.datasets() == ["b"]
    assert store.snapshot() == _wanted(tiny("b"))


def test_a_load_failing_half_way_leaves_the_old_graph(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path, batch_size=2)
    load(store, tiny())
    before = store.snapshot()
    seen: list[str] = []

    def disk_full(stage: str, done: int, total: int) -> None:
        seen.append(stage)
        if len(seen) == 3:  # some batches are written by now, inside the transaction
            raise OSError("disk full")

    renamed = Dataset("tiny", tuple(n for n in tiny("tiny").nodes if n.id != "P2"), ())
    with pytest.raises(OSError, match="disk full"):
        load(EmbeddedStore(tmp_path, batch_size=2), renamed, disk_full)
    assert len(seen) == 3
    fresh = EmbeddedStore(tmp_path)
    assert fresh.snapshot() == before
    assert [r.seq for r in history(fresh)] == [1], "no load record for the failed load"
    assert load(fresh, renamed).load == 2, "the write lock was released"
    assert fresh.snapshot() == _wanted(renamed)


def test_the_file_is_a_marked_sqlite_database(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    assert store.snapshot() == Snapshot() and store.datasets() == []
    assert not tmp_path.joinpath("shanzhi.db").exists(), "asking an empty home creates nothing"
    load(store, tiny())
    store.close()
    with sqlite3.connect(tmp_path / "shanzhi.db") as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT count(*) FROM nodes").fetchone()[0] == len(tiny().nodes)


def test_foreign_files_are_refused_in_one_sentence(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage"
    garbage.mkdir()
    (garbage / "shanzhi.db").write_bytes(b"\x80\x04\x95pickle" * 100)
    with pytest.raises(StoreUnavailableError, match="cannot read the store"):
        EmbeddedStore(garbage).datasets()
    with pytest.raises(StoreUnavailableError, match="cannot read the store"):
        load(EmbeddedStore(garbage), tiny())
    other = tmp_path / "other"
    other.mkdir()
    with sqlite3.connect(other / "shanzhi.db") as conn:
        conn.execute("CREATE TABLE nodes (x)")
    with pytest.raises(StoreUnavailableError, match="is not a shanzhi store"):
        EmbeddedStore(other).snapshot()
    newer = tmp_path / "newer"
    load(EmbeddedStore(newer), tiny())
    with sqlite3.connect(newer / "shanzhi.db") as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreUnavailableError, match="written by a newer shanzhi"):
        EmbeddedStore(newer).datasets()


def test_the_stamp_column_names_the_sync_stamp() -> None:
    from shanzhi.graph.stores.embedded import rows
    from shanzhi.graph.stores.sync import SEQ

    assert rows.SEQ == SEQ  # rows.py spells it out to keep the model out of start-up


def test_null_properties_are_held_by_neither_store() -> None:
    n = node("X", Label.PERSON, "张测试", None, phone=None, party_member=True)
    assert "phone" not in n.properties() and n.properties()["party_member"] is True
