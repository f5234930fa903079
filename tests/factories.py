"""Small handmade datasets for tests, built straight from the model classes."""

from __future__ import annotations

from datetime import date

from shanzhi.graph.model import Label, Node, Provenance, Relation, RelType, Scalar
from shanzhi.graph.model.dataset import Dataset


def node(node_id: str, label: Label, name: str, kind: str | None = None, **props: Scalar) -> Node:
    """A node with test provenance."""
    return Node(
        id=node_id,
        label=label,
        name=name,
        kind=kind,
        props=props,
        provenance=Provenance(file="test.csv", line=2),
    )


def rel(
    source: str,
    rtype: RelType,
    target: str,
    role: str | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> Relation:
    """A relation with test provenance."""
    return Relation(
        source_id=source,
        type=rtype,
        target_id=target,
        role=role,
        valid_from=valid_from,
        valid_to=valid_to,
        provenance=Provenance(file="relations.csv", line=2),
    )


def tiny(name: str = "tiny") -> Dataset:
    """A street with one block, one community, one branch and one building, and their people."""
    g = Label.GRID
    nodes = [
        node("G1", g, "示例街道总网格", "street"),
        node("G2", g, "示例街区网格", "block"),
        node("G3", g, "示例居民区网格", "community"),
        node("G4", g, "示例支部网格", "branch"),
        node("G5", g, "示例1号楼网格", "building"),
        node(
            "B1",
            Label.PLACE,
            "示例小区1号楼",
            "building",
            address="示例路1弄1号",
            aliases=["示例1号楼"],
        ),
        node("O1", Label.ORG, "示例党工委", "party_working_committee"),
        node("O2", Label.ORG, "示例1号楼楼管小组", "building_management_group"),
        node("P1", Label.PERSON, "张测试", None, party_member=True, phone="13800000001"),
        node("P2", Label.PERSON, "李样本", None, party_member=False),
    ]
    rels = [
        rel("G2", RelType.PART_OF, "G1"),
        rel("G3", RelType.PART_OF, "G2"),
        rel("G4", RelType.PART_OF, "G3"),
        rel("G5", RelType.PART_OF, "G4"),
        rel("G5", RelType.COVERS, "B1"),
        rel("O1", RelType.LEADS, "G1"),
        rel("O2", RelType.SERVES, "B1"),
        rel("P1", RelType.MEMBER_OF, "O2"),
        rel("P1", RelType.HOLDS, "G5", role="楼组长", valid_to=date(2024, 6, 30)),
        rel("P2", RelType.HOLDS, "G5", role="楼组长", valid_from=date(2024, 7, 1)),
    ]
    return Dataset(name=name, nodes=tuple(nodes), relations=tuple(rels))


def earlier_sample(current: Dataset) -> Dataset:
    """The 共和新路 sample as an earlier ledger had it, so that loading ``current`` after it is a
    small, known change (the "load 2" of tests that ask what a load changed):

    * 郑样本伟 (H-0115) was spelled 郑样本炜 — load 2 **updates** that node;
    * the 2026 Q4 路长 turn of 共和新路 (H-0287, relations.csv line 697) was not yet entered —
      load 2 **creates** that relation;
    * a tea house since closed, 示例·已歇业茶室 (O-CLOSED-TEA, orgs.csv line 192), partnered
      善养街区网格 — load 2 **removes** the node and its PARTNERS relation.
    """
    q4 = next(
        r
        for r in current.relations
        if r.source_id == "H-0287"
        and r.target_id == "P-ROAD-GHXL"
        and r.valid_from == date(2026, 10, 1)
    )
    closed = Node(
        id="O-CLOSED-TEA",
        label=Label.ORG,
        name="示例·已歇业茶室",
        kind="merchant",
        provenance=Provenance(file="orgs.csv", line=192),
    )
    partners = Relation(
        source_id="O-CLOSED-TEA",
        type=RelType.PARTNERS,
        target_id="G-BLK-SHANYANG",
        provenance=Provenance(file="relations.csv", line=1000),
    )
    nodes = tuple(
        Node.model_validate({**n.model_dump(), "name": "郑样本炜"}) if n.id == "H-0115" else n
        for n in current.nodes
    )
    relations = tuple(r for r in current.relations if r is not q4)
    return Dataset(current.name, (*nodes, closed), (*relations, partners), current.source)
