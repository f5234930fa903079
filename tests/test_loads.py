"""The load record: what each load changed, the same on the embedded store and on Neo4j.

The story of every test here: a street office loads an earlier ledger of the 共和新路 sample
(``tests.factories.earlier_sample``), then the current sample. Load 2 must say exactly: one
relation created (2026 Q4 路长 of 共和新路), one person updated (郑样本炜 → 郑样本伟), one closed
tea house and its PARTNERS relation removed — with names and source lines.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from shanzhi.cli import main
from shanzhi.cypher import query
from shanzhi.errors import NotFoundError, UsageError
from shanzhi.graph.model import RelType
from shanzhi.graph.model.dataset import Dataset
from shanzhi.graph.queries.changes import changes, history
from shanzhi.graph.stores import GraphStore, load
from shanzhi.graph.stores.embedded import EmbeddedStore
from shanzhi.graph.stores.loads import Change
from shanzhi.graph.stores.neo4j import Neo4jStore
from shanzhi.graph.stores.snapshot import Snapshot
from shanzhi.loaders import load_dataset, read_dataset
from shanzhi.sample import sample_path
from tests.factories import earlier_sample

NAME = "gonghexinlu"

#: What load 2 changed, in the order both stores give it.
LOAD_2 = [
    Change(
        "created", "relation", "HOLDS", f"{NAME}:H-0287|HOLDS|P-ROAD-GHXL|路长|2026-10-01",
        "李样本敏 → 共和新路", "relations.csv", 697,
    ),
    Change("updated", "node", "Person", f"{NAME}:H-0115", "郑样本伟", "people.csv", 118),
    Change("removed", "node", "Org", f"{NAME}:O-CLOSED-TEA", "示例·已歇业茶室", "orgs.csv", 192),
    Change(
        "removed", "relation", "PARTNERS", f"{NAME}:O-CLOSED-TEA|PARTNERS|G-BLK-SHANYANG||",
        "示例·已歇业茶室 → 善养街区网格", "relations.csv", 1000,
    ),
]  # fmt: skip

_ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


@pytest.fixture(scope="module")
def current() -> Dataset:
    return load_dataset(sample_path())


def _two_loads(store: GraphStore, current: Dataset) -> None:
    first = load(store, earlier_sample(current))
    second = load(store, current)
    assert (first.load, second.load) == (1, 2)


def _check_the_story(store: GraphStore, current: Dataset) -> None:
    result = changes(store)
    assert list(result.rows) == LOAD_2
    assert result.load is not None and result.load.seq == 2
    assert _ISO_UTC.match(result.load.at), result.load.at
    assert result.load.source == str(sample_path().resolve())
    records = history(store)
    assert [r.seq for r in records] == [1, 2]
    assert (records[0].nodes.created, records[0].relations.created) == (846, 1959)
    assert vars(records[1].nodes) == {"created": 0, "updated": 1, "removed": 1, "unchanged": 844}
    assert vars(records[1].relations) == {
        "created": 1, "updated": 0, "removed": 1, "unchanged": 1958,
    }  # fmt: skip
    # load 1 as seen now: everything it wrote except what load 2 wrote again or removed
    older = changes(store, NAME, 1)
    assert {c.change for c in older.rows} == {"created"}
    assert len(older.rows) == 846 + 1959 - 1 - 2
    assert not {c.uid for c in older.rows} & {c.uid for c in LOAD_2}
    # the stamps are bookkeeping: snapshots equal the dataset's records
    assert store.snapshot() == Snapshot.of(current.stored_nodes(), current.stored_relations())
    with pytest.raises(NotFoundError, match="has no load 3; its loads: 1, 2"):
        changes(store, NAME, 3)


# -- the embedded store -------------------------------------------------------------------------


@pytest.fixture
def embedded(tmp_path: Path) -> EmbeddedStore:
    return EmbeddedStore(tmp_path / "home")


def test_embedded_store_says_what_each_load_changed(
    embedded: EmbeddedStore, current: Dataset
) -> None:
    _two_loads(embedded, current)
    _check_the_story(embedded, current)


def test_a_load_that_changes_nothing_writes_nothing(
    embedded: EmbeddedStore, current: Dataset
) -> None:
    _two_loads(embedded, current)
    before = embedded.path.read_bytes()
    report = load(embedded, current)
    assert report.load is None and not report.changed
    assert embedded.path.read_bytes() == before
    assert [r.seq for r in history(embedded)] == [1, 2]


def test_a_graph_file_from_before_load_records_reads_as_no_loads(
    embedded: EmbeddedStore, current: Dataset
) -> None:
    # graph.json of the networkx store, from before load records (no "loads"): converted once
    doc = {
        "format": "shanzhi-graph",
        "version": 1,
        "nodes": [[n.uid, {"label": n.label, **n.props}] for n in current.stored_nodes()],
        "edges": [
            [r.source, r.target, r.uid, {"type": r.type, **r.props}]
            for r in current.stored_relations()
        ],
    }
    embedded.home.mkdir(parents=True)
    (embedded.home / "graph.json").write_bytes(orjson.dumps(doc))
    fresh = EmbeddedStore(embedded.home, notify=lambda _: None)
    assert fresh.snapshot() == Snapshot.of(current.stored_nodes(), current.stored_relations())
    assert history(fresh) == [] and changes(fresh).load is None
    report = load(fresh, earlier_sample(current))
    assert report.load == 1 and [r.seq for r in history(fresh)] == [1]


def test_the_dataset_must_be_named_when_several_are_held(
    embedded: EmbeddedStore, current: Dataset
) -> None:
    assert changes(embedded, NAME).load is None  # nothing loaded yet: no load, no rows
    with pytest.raises(NotFoundError, match="holds no dataset; load one with `shanzhi load DIR`"):
        changes(embedded)
    load(embedded, current)
    load(embedded, load_dataset(sample_path(), name="copy"))
    with pytest.raises(UsageError, match=r"holds 2 datasets \(copy, gonghexinlu\); name one"):
        changes(embedded)
    assert changes(embedded, "copy").load is not None


def test_a_source_column_cannot_take_a_stamp_name(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "grids.csv").write_text(
        "id,name,level,load_seq\nG1,示例街道,street,7\n", encoding="utf-8"
    )
    dataset, problems = read_dataset(folder)
    assert dataset is None
    assert [(p.file, p.line, p.column) for p in problems] == [("grids.csv", 1, "load_seq")]
    assert "reserved" in problems[0].message


def test_cli_changes_tells_the_story(tmp_path: Path, current: Dataset) -> None:
    home = tmp_path / "home"
    _two_loads(EmbeddedStore(home), current)
    runner = CliRunner()
    result = runner.invoke(main, ["--home", str(home), "changes", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["load"]["load"] == 2
    assert [(c["change"], c["name"]) for c in doc["changes"]] == [
        (c.change, c.name) for c in LOAD_2
    ]
    table = runner.invoke(main, ["--home", str(home), "changes"], env={"COLUMNS": "160"})
    assert table.exit_code == 0
    for text in (
        "load 2",
        "新增",
        "更新",
        "删除",
        "示例·已歇业茶室 → 善养街区网格",
        "relations.csv:697",
    ):
        assert text in table.output, text
    listed = runner.invoke(main, ["--home", str(home), "changes", "--list"], env={"COLUMNS": "160"})
    assert listed.exit_code == 0 and "+846 ~0 -0 =0" in listed.output
    missing = runner.invoke(main, ["--home", str(home), "changes", "--load", "9"])
    assert missing.exit_code == 1
    assert "has no load 9; its loads: 1, 2." in missing.output


def test_the_changes_query_looks_under_every_relation_type() -> None:
    text = query("changes").text
    assert set(re.findall(r"\[r:(\w+)\]", text)) == {t.value for t in RelType}


# -- Neo4j: the same story, the same answer -----------------------------------------------------


@pytest.fixture
def both(neo4j_store: Neo4jStore, embedded: EmbeddedStore) -> Iterator[tuple[GraphStore, ...]]:
    yield embedded, neo4j_store


@pytest.mark.neo4j
def test_neo4j_says_the_same_as_the_embedded_store(
    both: tuple[EmbeddedStore, Neo4jStore], current: Dataset
) -> None:
    embedded, neo4j_store = both
    for store in both:
        _two_loads(store, current)
        _check_the_story(store, current)
    for seq in (1, 2):  # Neo4j answers with shanzhi/cypher/changes.cypher, embedded by a walk
        assert changes(neo4j_store, NAME, seq).rows == changes(embedded, NAME, seq).rows
    # the records are equal but for their time
    assert [replace(r, at="") for r in history(neo4j_store)] == [
        replace(r, at="") for r in history(embedded)
    ]
    # a load record is no Entity: the dataset list and the snapshot know nothing of it
    assert neo4j_store.datasets() == [NAME]
    assert neo4j_store.snapshot() == embedded.snapshot()


@pytest.mark.neo4j
def test_neo4j_unchanged_reload_writes_no_record(neo4j_store: Neo4jStore, current: Dataset) -> None:
    _two_loads(neo4j_store, current)
    assert load(neo4j_store, current).load is None
    assert [r.seq for r in history(neo4j_store)] == [1, 2]
    (count,) = neo4j_store.query("MATCH (l:Load) RETURN count(l) AS n")
    assert count["n"] == 2
