"""Shared data for the finder, who-covers and audit tests (helpers only, no tests here).

The sample and a one-street synthetic dataset are read once per session; ``neo4j_holding``
loads datasets into a Neo4j database emptied before and after (the same server as the
``neo4j_settings`` fixture of tests/neo4j_fixtures.py), for module-scoped fixtures that answer
many questions from one load.
"""

from __future__ import annotations

import functools
import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from shanzhi.config import Settings
from shanzhi.graph.model import Label, RelType
from shanzhi.graph.model.dataset import Dataset
from shanzhi.graph.stores import load
from shanzhi.graph.stores.embedded import EmbeddedStore
from shanzhi.graph.stores.neo4j import Neo4jStore
from shanzhi.loaders import load_dataset
from shanzhi.sample import sample_path
from shanzhi.synth import synth
from tests.factories import node, rel

G, P, ORG, H = Label.GRID, Label.PLACE, Label.ORG, Label.PERSON
D = date

__all__ = [
    "embedded_holding",
    "neo4j_holding",
    "sample_dataset",
    "small_street",
    "synth_dataset",
]


@functools.cache
def sample_dataset() -> Dataset:
    """The 共和新路 sample (dataset name ``gonghexinlu``)."""
    return load_dataset(sample_path())


@functools.cache
def synth_dataset(
    streets: int = 1, seed: int = 11, gaps: bool = True
) -> tuple[Dataset, dict[str, Any]]:
    """A synthetic dataset named ``synth`` (with planted gaps unless asked), and its GAPS.json."""
    out = Path(tempfile.mkdtemp(prefix="shanzhi-synth-"))
    try:
        synth(out, streets=streets, seed=seed, gaps=gaps)
        planted = json.loads((out / "GAPS.json").read_text(encoding="utf-8"))
        return load_dataset(out, name="synth"), planted
    finally:
        shutil.rmtree(out, ignore_errors=True)


def embedded_holding(home: Path, *datasets: Dataset) -> EmbeddedStore:
    """An embedded store in ``home`` holding the datasets."""
    store = EmbeddedStore(home)
    for ds in datasets:
        load(store, ds)
    return store


@contextmanager
def neo4j_holding(settings: Settings, *datasets: Dataset) -> Iterator[Neo4jStore]:
    """A Neo4j store holding exactly the datasets, emptied again afterwards."""
    store = Neo4jStore.connect(settings)
    try:
        store.clear()
        for ds in datasets:
            load(store, ds)
        yield store
        store.clear()
    finally:
        store.close()


def small_street(name: str = "small") -> Dataset:
    """One street, one block, one community, one branch; three buildings:

    B1 has its building grid; B2 lies in estate E, which only the community grid covers; B4 lies
    in nothing and nothing covers it. 楼组长 of B1 changes on 2024-07-01, the 路长 of road R on
    2024-07-01; one 楼管小组 member leaves at the end of 2024; one partner leaves the block's
    circle after 2024-03-31.
    """
    nodes = [
        node("GS", G, "小街道总网格", "street", code="990001"),
        node("GK", G, "小街区网格", "block"),
        node("GC", G, "小居民区网格", "community"),
        node("GB", G, "小支部楼群网格", "branch"),
        node("G1", G, "甲苑1号楼楼组网格", "building"),
        node("S", P, "小街道", "subdistrict"),
        node("K", P, "小街区", "block"),
        node("C", P, "小居民区", "community"),
        node("E", P, "甲苑", "estate", road_id="R", aliases=["甲苑小区"]),
        node("B1", P, "甲苑1号楼", "building", address="小路1弄1号", road_id="R"),
        node("B2", P, "甲苑2号楼", "building", address="小路1弄2号"),
        node("B4", P, "孤楼", "building"),
        node("R", P, "小路", "road"),
        node("PWC", ORG, "小街道党工委", "party_working_committee"),
        node("PGB", ORG, "小街区党总支", "party_general_branch"),
        node("WS", ORG, "小街区工作站", "workstation"),
        node("PO", ORG, "小居民区党总支", "party_general_branch"),
        node("RC", ORG, "小居民区居委会", "residents_committee"),
        node("PB", ORG, "甲苑党支部", "party_branch"),
        node("PG", ORG, "甲苑1号楼党小组", "party_group"),
        node("LG1", ORG, "甲苑1号楼楼管小组", "building_management_group"),
        node("LG2", ORG, "甲苑2号楼楼管小组", "building_management_group"),
        node("M1", ORG, "示例面馆", "merchant"),
        node("M2", ORG, "示例花店", "merchant"),
        node("M3", ORG, "示例书店", "merchant"),
        node("H01", H, "黄书记", party_member=True, phone="13800000001"),
        node("H02", H, "强网格长", party_member=True),
        node("H03", H, "陈街区长", party_member=True, phone="13800000003"),
        node("H04", H, "王街区长", party_member=False, phone="13800000004"),
        node("H05", H, "余居民区书记", party_member=True),
        node("H06", H, "杜居委主任", party_member=False),
        node("H07", H, "郭支部书记", party_member=True),
        node("H08", H, "何社工", party_member=False, phone="13800000008"),
        node("H09", H, "老楼组长", party_member=False, phone="13800000009"),
        node("H10", H, "新楼组长", party_member=True, phone="13800000010"),
        node("H11", H, "林第二楼组长", party_member=False),
        node("H12", H, "罗组员", party_member=True),
        node("H13", H, "郑组员", party_member=False),
        node("H14", H, "上半年路长", party_member=False),
        node("H15", H, "下半年路长", party_member=True),
        node("H16", H, "二号楼组员", party_member=False),
    ]
    rels = [
        rel("GK", RelType.PART_OF, "GS"),
        rel("GC", RelType.PART_OF, "GK"),
        rel("GB", RelType.PART_OF, "GC"),
        rel("G1", RelType.PART_OF, "GB"),
        rel("K", RelType.PART_OF, "S"),
        rel("C", RelType.PART_OF, "K"),
        rel("E", RelType.PART_OF, "C"),
        rel("B1", RelType.PART_OF, "E"),
        rel("B2", RelType.PART_OF, "E"),
        rel("GS", RelType.COVERS, "S"),
        rel("GK", RelType.COVERS, "K"),
        rel("GC", RelType.COVERS, "C"),
        rel("GC", RelType.COVERS, "E"),
        rel("GK", RelType.COVERS, "R"),
        rel("G1", RelType.COVERS, "B1"),
        rel("PWC", RelType.LEADS, "GS"),
        rel("PGB", RelType.LEADS, "GK"),
        rel("WS", RelType.SERVES, "GK"),
        rel("PO", RelType.LEADS, "GC"),
        rel("RC", RelType.SERVES, "C"),
        rel("PB", RelType.LEADS, "GB"),
        rel("PG", RelType.LEADS, "G1"),
        rel("PB", RelType.LEADS, "LG1"),
        rel("LG1", RelType.SERVES, "B1"),
        rel("LG2", RelType.SERVES, "B2"),
        rel("H01", RelType.HOLDS, "PWC", "书记"),
        rel("H02", RelType.HOLDS, "GK", "网格长"),
        rel("H02", RelType.HOLDS, "PGB", "书记"),
        rel("H03", RelType.HOLDS, "GK", "街区长"),
        rel("H04", RelType.HOLDS, "GK", "街区长"),
        rel("H05", RelType.HOLDS, "PO", "书记"),
        rel("H05", RelType.HOLDS, "GC", "网格长"),
        rel("H06", RelType.HOLDS, "RC", "居委主任"),
        rel("H07", RelType.HOLDS, "PB", "书记"),
        rel("H08", RelType.LIAISES, "PB"),
        rel("H09", RelType.HOLDS, "G1", "楼组长", valid_to=D(2024, 6, 30)),
        rel("H10", RelType.HOLDS, "G1", "楼组长", valid_from=D(2024, 7, 1)),
        rel("H11", RelType.HOLDS, "G1", "第二楼组长"),
        rel("H09", RelType.MEMBER_OF, "LG1"),
        rel("H10", RelType.MEMBER_OF, "LG1"),
        rel("H11", RelType.MEMBER_OF, "LG1"),
        rel("H12", RelType.MEMBER_OF, "LG1"),
        rel("H13", RelType.MEMBER_OF, "LG1", valid_to=D(2024, 12, 31)),
        rel("H16", RelType.MEMBER_OF, "LG2"),
        rel("H14", RelType.HOLDS, "R", "路长", D(2024, 1, 1), D(2024, 6, 30)),
        rel("H15", RelType.HOLDS, "R", "路长", D(2024, 7, 1), D(2024, 12, 31)),
        rel("M1", RelType.PARTNERS, "GK"),
        rel("M2", RelType.PARTNERS, "GK"),
        rel("M3", RelType.PARTNERS, "GK", valid_to=D(2024, 3, 31)),
        rel("H04", RelType.PARTNERS, "GK"),
    ]
    return Dataset(name=name, nodes=tuple(nodes), relations=tuple(rels))
