"""The circle of a block: who is in it, who is tied to whom and how strongly, in both stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from shanzhi.errors import AmbiguousError, NotFoundError
from shanzhi.graph.analytics.circle import Circle, circles
from shanzhi.graph.model import Label, RelType
from shanzhi.graph.model.dataset import Dataset
from shanzhi.graph.stores import load
from shanzhi.graph.stores.embedded import EmbeddedStore
from shanzhi.graph.stores.neo4j import Neo4jStore
from tests.factories import node, rel

G, ORG, H, J = Label.GRID, Label.ORG, Label.PERSON, Label.PROJECT
R = RelType


def friends(name: str = "friends") -> Dataset:
    """Two blocks; block K1 has partners of every sort and its own bodies partnering it too."""
    nodes = [
        node("S", G, "示例街道总网格", "street"),
        node("K1", G, "示例甲街区网格", "block"),
        node("K2", G, "示例乙街区网格", "block"),
        node("C1", G, "示例居民区网格", "community"),
        node("PGB", ORG, "示例甲街区党总支", "party_general_branch"),
        node("WS", ORG, "示例甲街区工作站", "workstation"),
        node("PC", ORG, "示例居民区党委", "party_committee"),
        node("PB", ORG, "示例第一党支部", "party_branch"),
        node("SUP", ORG, "示例驻区单位党支部", "party_branch"),
        node("M1", ORG, "示例甲茶室", "merchant"),
        node("M2", ORG, "示例乙花店", "merchant"),
        node("N1", ORG, "示例丙科技有限公司", "new_economic_org"),
        node("N2", ORG, "示例丁文化公司", "new_economic_org"),
        node("V", ORG, "示例志愿服务队", "volunteer_team"),
        node("X", ORG, "示例局外单位", "stationed_unit"),
        node("P", H, "王示例华"),
        node("HH", H, "李样本明"),
        node("Q", H, "张示例强"),
        node("J1", J, "示例·园区班车", "micro"),
        node("J2", J, "示例·共享停车", "micro"),
    ]
    rels = [
        rel("K1", R.PART_OF, "S"),
        rel("K2", R.PART_OF, "S"),
        rel("C1", R.PART_OF, "K1"),
        rel("PGB", R.LEADS, "K1"),
        rel("WS", R.SERVES, "K1"),
        rel("PC", R.LEADS, "C1"),
        rel("PB", R.PART_OF, "PC"),
        *(rel(m, R.PARTNERS, "K1") for m in ("PGB", "WS", "PB", "SUP", "M1", "M2", "N1", "V", "P")),
        rel("M1", R.PARTNERS, "K2"),
        rel("N2", R.PARTNERS, "K2"),
        rel("M1", R.PARTNERS, "M2"),
        rel("M2", R.PARTNERS, "M1"),
        rel("M1", R.PARTICIPATES_IN, "J1"),
        rel("M2", R.PARTICIPATES_IN, "J1"),
        rel("N1", R.LEADS, "J1"),
        rel("X", R.PARTICIPATES_IN, "J1"),
        rel("M1", R.PARTICIPATES_IN, "J2"),
        rel("N2", R.PARTICIPATES_IN, "J2"),
        rel("HH", R.HOLDS, "M2", role="负责人"),
        rel("HH", R.HOLDS, "N1", role="负责人"),
        rel("HH", R.MEMBER_OF, "N1"),
        rel("P", R.MEMBER_OF, "V"),
        rel("Q", R.HOLDS, "PGB", role="书记"),
        rel("Q", R.MEMBER_OF, "WS"),
    ]
    return Dataset(name=name, nodes=tuple(nodes), relations=tuple(rels))


def ids(circle: Circle) -> set[str]:
    return {m.id for m in circle.members.values()}


def weights(circle: Circle) -> dict[tuple[str, str], int]:
    return {
        (circle.members[a].id, circle.members[b].id): t.weight for (a, b), t in circle.ties.items()
    }


@pytest.fixture
def embedded(tmp_path: Path) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path)
    load(store, friends())
    return store


def test_members_are_the_partners_without_the_blocks_own_bodies(embedded: EmbeddedStore) -> None:
    k1, k2 = circles(embedded)
    assert k1.block.id == "K1" and k2.block.id == "K2"
    assert ids(k1) == {"M1", "M2", "N1", "V", "P", "SUP"}  # SUP governs no grid of K1: it stays
    assert ids(k2) == {"M1", "N2"}
    (own,) = circles(embedded, "K1", include_own=True)
    assert ids(own) == ids(k1) | {"PGB", "WS", "PB"}


def test_ties_and_their_weights(embedded: EmbeddedStore) -> None:
    (k1,) = circles(embedded, "K1")
    assert weights(k1) == {
        ("M1", "M2"): 2,  # partners (both ways: one link) + 园区班车
        ("M1", "N1"): 1,  # 园区班车 (N1 leads it)
        ("M2", "N1"): 2,  # 园区班车 + the same 负责人 (HOLDS and MEMBER_OF: one person)
        ("P", "V"): 1,  # the volunteer is a member of the team
    }
    tie = k1.tie("friends:M2", "friends:N1")
    assert tie is not None and tie.projects == {"friends:J1"} and tie.holders == {"friends:HH"}
    assert k1.through["friends:J1"].name == "示例·园区班车"
    (own,) = circles(embedded, "K1", include_own=True)
    assert weights(own)[("PGB", "WS")] == 1
    (k2,) = circles(embedded, "K2")
    assert weights(k2) == {("M1", "N2"): 1}


def test_blocks_are_found_by_id_uid_or_name(embedded: EmbeddedStore) -> None:
    assert [c.block.id for c in circles(embedded, "示例乙街区网格")] == ["K2"]
    assert [c.block.id for c in circles(embedded, "friends:K2")] == ["K2"]
    with pytest.raises(NotFoundError) as missing:
        circles(embedded, "K9")
    assert missing.value.suggestions == ["K1 示例甲街区网格", "K2 示例乙街区网格"]
    load(embedded, friends("other"))
    with pytest.raises(AmbiguousError):
        circles(embedded, "K1")
    assert [c.block.uid for c in circles(embedded, "other:K1")] == ["other:K1"]


@pytest.mark.neo4j
@pytest.mark.parametrize("include_own", [False, True])
def test_neo4j_builds_the_same_circles(
    embedded: EmbeddedStore, neo4j_store: Neo4jStore, include_own: bool
) -> None:
    load(neo4j_store, friends())
    mine = [c.as_dict() for c in circles(embedded, include_own=include_own)]
    theirs = [c.as_dict() for c in circles(neo4j_store, include_own=include_own)]
    assert theirs == mine
    one = circles(neo4j_store, "示例甲街区网格", include_own=include_own)
    assert [c.as_dict() for c in one] == mine[:1]
    with pytest.raises(NotFoundError):
        circles(neo4j_store, "K9")
