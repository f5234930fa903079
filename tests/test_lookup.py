"""The finder's index in the store: lookup entries computed at load, written only when changed,
and read by key on Neo4j (the embedded store's side is tested with it in the golden lane)."""

from __future__ import annotations

import pytest

from shanzhi.address.keys import query_keys
from shanzhi.address.parse import parse
from shanzhi.graph.model import Label
from shanzhi.graph.model.dataset import Dataset
from shanzhi.graph.stores import load
from shanzhi.graph.stores.lookup import lookup_entries
from shanzhi.graph.stores.sync import Fingerprints, plan_sync
from shanzhi.loaders import load_dataset
from shanzhi.sample import sample_path


@pytest.fixture(scope="module")
def sample() -> Dataset:
    return load_dataset(sample_path())


def test_every_building_has_an_entry_with_its_ancestors(sample: Dataset) -> None:
    entries = lookup_entries(sample)
    buildings = [n for n in sample.nodes if n.label == Label.PLACE and n.kind == "building"]
    assert len(entries) == len(buildings) == 44
    b12 = entries["gonghexinlu:P-JLMZ-B12"].row
    assert b12["name"] == "嘉利明珠城12号楼"
    kinds = [p["kind"] for p in b12["parents"]]
    assert kinds[0] == "estate" and "subdistrict" in kinds
    assert b12["parents"][0]["name"] == "嘉利明珠城"


def test_a_plan_writes_only_entries_whose_digest_changed(sample: Dataset) -> None:
    entries = lookup_entries(sample)
    held = Fingerprints(lookup={u: e.digest for u, e in entries.items()})
    assert plan_sync(sample, held, 1).lookup_upsert == []
    renamed = tuple(
        type(n).model_validate({**n.model_dump(), "name": "嘉利明珠花城"})
        if n.id == "P-JLMZ"
        else n
        for n in sample.nodes
    )
    plan = plan_sync(Dataset(sample.name, renamed, sample.relations), held, 1)
    changed = {e.uid for e in plan.lookup_upsert}
    assert changed and all(u.startswith("gonghexinlu:P-JLMZ-B") for u in changed)
    assert plan.lookup_remove == []


@pytest.mark.neo4j
def test_neo4j_answers_candidates_by_key(sample: Dataset, neo4j_store: object) -> None:
    store = neo4j_store
    load(store, sample)  # type: ignore[arg-type]
    assert store.fingerprints(sample.name).lookup == {  # type: ignore[attr-defined]
        u: e.digest for u, e in lookup_entries(sample).items()
    }
    rows = store.building_candidates(  # type: ignore[attr-defined]
        sorted(query_keys(parse("嘉利明珠城12号楼"))), 50
    )
    uids = {r["uid"] for r in rows}
    assert "gonghexinlu:P-JLMZ-B12" in uids and len(uids) < 10
    assert store.building_candidates(["x:no-such-key"], 50) == []  # type: ignore[attr-defined]
    again = load(store, sample)  # type: ignore[arg-type]
    assert not again.changed
