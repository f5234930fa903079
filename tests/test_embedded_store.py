"""The embedded store: sync semantics, atomic writes, a file format that cannot run code."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from shanzhi.errors import StoreUnavailableError
from shanzhi.graph.model import Label
from shanzhi.graph.model.dataset import Dataset
from shanzhi.graph.stores import load
from shanzhi.graph.stores.embedded import EmbeddedStore
from tests.factories import node, tiny


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


def test_changed_and_dropped_records_are_updated_and_removed(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    ds = tiny()
    load(store, ds)
    renamed = node("B1", Label.PLACE, "示例小区1号楼（改名）", "building")
    nodes = tuple(renamed if n.id == "B1" else n for n in ds.nodes if n.id != "P2")
    rels = tuple(r for r in ds.relations if "P2" not in (r.source_id, r.target_id))
    report = load(store, Dataset(ds.name, nodes, rels))
    assert (report.nodes.updated, report.nodes.removed, report.relations.removed) == (1, 1, 1)
    g = EmbeddedStore(tmp_path).graph
    assert g.nodes["tiny:B1"]["name"] == "示例小区1号楼（改名）"
    assert "address" not in g.nodes["tiny:B1"], "properties gone from the source are gone"
    assert "tiny:P2" not in g


def test_two_datasets_live_side_by_side(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    load(store, tiny("a"))
    load(store, tiny("b"))
    report = load(store, Dataset("a", (), ()))
    assert report.nodes.removed == len(tiny().nodes)
    assert store.datasets() == ["b"]


def test_a_crash_while_writing_leaves_the_old_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = EmbeddedStore(tmp_path)
    load(store, tiny())
    before = (tmp_path / "graph.json").read_bytes()

    def crash(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        load(EmbeddedStore(tmp_path), tiny("other"))
    assert (tmp_path / "graph.json").read_bytes() == before
    assert not list(tmp_path.glob(".graph-*")), "no temporary file left behind"


def test_the_file_is_plain_json_and_a_foreign_file_is_refused(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    load(store, tiny())
    assert (tmp_path / "graph.json").read_bytes().startswith(b"{")
    (tmp_path / "graph.json").write_bytes(b"\x80\x04\x95pickle")
    with pytest.raises(StoreUnavailableError, match="cannot read the graph"):
        _ = EmbeddedStore(tmp_path).graph


def test_null_properties_are_held_by_neither_store() -> None:
    n = node("X", Label.PERSON, "张测试", None, phone=None, party_member=True)
    assert "phone" not in n.properties() and n.properties()["party_member"] is True
