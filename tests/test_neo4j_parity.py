"""Parity: the same dataset loaded into the embedded store and into Neo4j gives equal snapshots.

Equal snapshots mean the same node uids with the same model label and properties (value and
type), and the same relation uids with the same type, endpoints and properties.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from shanzhi.graph.model import Label, RelType
from shanzhi.graph.model.dataset import Dataset
from shanzhi.graph.stores import load
from shanzhi.graph.stores.embedded import EmbeddedStore
from shanzhi.graph.stores.neo4j import Neo4jStore
from shanzhi.graph.stores.snapshot import Snapshot
from tests.factories import node, rel, tiny

pytestmark = pytest.mark.neo4j


def handmade() -> Dataset:
    """The tiny street plus every kind of property value and every relation type."""
    base = tiny("handmade")
    extra = [
        node("PJ1", Label.PROJECT, "示例微项目", "micro", budget=12000.5, started="2024-03-01"),
        node("O3", Label.ORG, "示例第一党支部", "party_branch", members=23),
        node("O4", Label.ORG, "示例咖啡馆", "merchant", tags=["朋友圈", "商户"], empty=""),
        node("R1", Label.PLACE, "示例路", "road", length_m=850, one_way=True),
        node("P3", Label.PERSON, "王示例", None, party_member=True, posts=["社工"]),
    ]
    links = [
        rel("O3", RelType.LEADS, "O2"),
        rel("P3", RelType.LIAISES, "O3"),
        rel("O4", RelType.PARTNERS, "G2"),
        rel("P1", RelType.PARTNERS, "G2"),
        rel("O4", RelType.PARTICIPATES_IN, "PJ1"),
        rel("O1", RelType.LEADS, "PJ1"),
        rel("P3", RelType.HOLDS, "R1", role="路长", valid_from=date(2024, 1, 1)),
        rel("P3", RelType.HOLDS, "R1", role="路长", valid_from=date(2025, 1, 1)),
        rel("P3", RelType.SERVES, "O2"),
    ]
    return Dataset(base.name, base.nodes + tuple(extra), base.relations + tuple(links))


def sample() -> Dataset:
    from shanzhi.loaders import load_dataset
    from shanzhi.sample import sample_path

    return load_dataset(sample_path())


def synthetic(tmp: Path) -> Dataset:
    from shanzhi.loaders import load_dataset
    from shanzhi.synth import synth

    synth(tmp / "synth", streets=1, seed=3)
    return load_dataset(tmp / "synth", name="synth")


CASES: dict[str, Callable[[Path], Dataset]] = {
    "handmade": lambda _tmp: handmade(),
    "sample": lambda _tmp: sample(),
    "synth": synthetic,
}


def differences(a: Snapshot, b: Snapshot, limit: int = 5) -> list[str]:
    """A few uids that differ, with both sides, for a readable failure."""
    out: list[str] = []
    for kind, left, right in (("node", a.nodes, b.nodes), ("relation", a.relations, b.relations)):
        for uid in sorted(left.keys() | right.keys()):
            if left.get(uid) != right.get(uid):
                out.append(f"{kind} {uid}: embedded={left.get(uid)} neo4j={right.get(uid)}")
    return out[:limit]


@pytest.mark.parametrize("case", list(CASES))
def test_both_stores_hold_the_same_graph(
    case: str, tmp_path: Path, neo4j_store: Neo4jStore
) -> None:
    ds = CASES[case](tmp_path)
    assert ds.nodes and ds.relations
    embedded = EmbeddedStore(tmp_path / "home")
    first = (load(embedded, ds), load(neo4j_store, ds))
    assert first[0] == first[1], "both stores report the same first load"
    emb, neo = embedded.snapshot(), neo4j_store.snapshot()
    assert not differences(emb, neo)
    assert emb == neo
    assert neo == Snapshot.of(ds.stored_nodes(), ds.stored_relations())
    assert len(neo.nodes) == len(ds.nodes) and len(neo.relations) == len(ds.relations)
    again = load(neo4j_store, ds)
    assert not again.changed, again
    assert again == load(embedded, ds)
    assert neo4j_store.snapshot() == neo
