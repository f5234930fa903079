"""A validated dataset: the nodes and relations of one folder of source records.

A dataset has a ``name`` (by default its folder's name) that scopes it inside a store, so two
subdistricts can live side by side. Stored nodes are keyed by ``uid = "<dataset>:<id>"`` and
stored relations by ``uid = "<dataset>:<relation key>"``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from shanzhi.graph.model.kinds import Label, Scalar

if TYPE_CHECKING:
    from shanzhi.graph.model.records import Node, Relation

__all__ = ["Dataset", "StoredNode", "StoredRelation", "node_uid", "relation_uid"]


def node_uid(dataset: str, node_id: str) -> str:
    """The store-wide key of a node."""
    return f"{dataset}:{node_id}"


def relation_uid(dataset: str, key: str) -> str:
    """The store-wide key of a relation."""
    return f"{dataset}:{key}"


@dataclass(frozen=True)
class StoredNode:
    """A node as both stores keep it: a label and a flat property map (uid, dataset, …)."""

    uid: str
    label: str
    props: dict[str, Scalar]

    def as_row(self) -> dict[str, Any]:
        """The row a batched writer sends."""
        return {"uid": self.uid, "props": self.props}


@dataclass(frozen=True)
class StoredRelation:
    """A relation as both stores keep it."""

    uid: str
    type: str
    source: str
    target: str
    props: dict[str, Scalar]

    def as_row(self) -> dict[str, Any]:
        """The row a batched writer sends."""
        return {"uid": self.uid, "source": self.source, "target": self.target, "props": self.props}


@dataclass(frozen=True)
class Dataset:
    """Nodes and relations that passed validation; nothing in it is dangling or duplicated."""

    name: str
    nodes: tuple[Node, ...]
    relations: tuple[Relation, ...]
    #: Where it was read from (the folder), kept in the load record.
    source: str = ""
    _by_id: dict[str, Node] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {n.id: n for n in self.nodes})

    def node(self, node_id: str) -> Node:
        """The node with this id (KeyError if none)."""
        return self._by_id[node_id]

    def count(self, label: Label, kind: str | None = None) -> int:
        """How many nodes of a label (and kind/level) the dataset holds."""
        return sum(1 for n in self.nodes if n.label == label and (kind is None or n.kind == kind))

    def stored_nodes(self) -> Iterator[StoredNode]:
        """The nodes as the stores keep them."""
        for n in self.nodes:
            uid = node_uid(self.name, n.id)
            props = n.properties()
            fingerprint = n.fingerprint_of(props)
            props.update(uid=uid, dataset=self.name, fingerprint=fingerprint)
            yield StoredNode(uid=uid, label=str(n.label), props=props)

    def stored_relations(self) -> Iterator[StoredRelation]:
        """The relations as the stores keep them."""
        for r in self.relations:
            props = r.properties()
            uid = relation_uid(self.name, str(props["key"]))
            fingerprint = r.fingerprint_of(props)
            props.update(uid=uid, dataset=self.name, fingerprint=fingerprint)
            yield StoredRelation(
                uid=uid,
                type=str(r.type),
                source=node_uid(self.name, r.source_id),
                target=node_uid(self.name, r.target_id),
                props=props,
            )
