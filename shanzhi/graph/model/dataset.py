"""A validated dataset: the nodes and relations of one folder of source records.

A dataset has a ``name`` (by default its folder's name) that scopes it inside a store, so two
subdistricts can live side by side. Stored nodes are keyed by ``uid = "<dataset>:<id>"`` and
stored relations by ``uid = "<dataset>:<relation key>"``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from shanzhi.graph.model.kinds import Label, RelType, Scalar

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
    """Nodes and relations that passed validation; nothing in it is dangling or duplicated.

    A record's fingerprint is worked out once and kept (node id or relation key → fingerprint);
    :meth:`remember` takes those the loaders' row memo already knows, computed from the same
    records when their rows were last read.
    """

    name: str
    nodes: tuple[Node, ...]
    relations: tuple[Relation, ...]
    #: Where it was read from (the folder), kept in the load record.
    source: str = ""
    _by_id: dict[str, Node] = field(init=False, repr=False, compare=False)
    _node_fp: dict[str, str] = field(init=False, repr=False, compare=False)
    _rel_fp: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {n.id: n for n in self.nodes})
        object.__setattr__(self, "_node_fp", {})
        object.__setattr__(self, "_rel_fp", {})

    def node(self, node_id: str) -> Node:
        """The node with this id (KeyError if none)."""
        return self._by_id[node_id]

    def count(self, label: Label, kind: str | None = None) -> int:
        """How many nodes of a label (and kind/level) the dataset holds."""
        return sum(1 for n in self.nodes if n.label == label and (kind is None or n.kind == kind))

    def remember(self, nodes: Mapping[str, str], relations: Mapping[str, str]) -> None:
        """Fingerprints known already: node id → fingerprint, relation key → fingerprint."""
        self._node_fp.update(nodes)
        self._rel_fp.update(relations)

    def fingerprints(self) -> tuple[dict[str, str], dict[str, str]]:
        """Every record's fingerprint: (node id → it, relation key → it), computed if not known."""
        nodes, rels = self._node_fp, self._rel_fp
        if len(nodes) < len(self.nodes):
            for n in self.nodes:
                if n.id not in nodes:
                    nodes[n.id] = n.fingerprint_of(n.properties())
        if len(rels) < len(self.relations):
            for r in self.relations:
                key = r.key
                if key not in rels:
                    rels[key] = r.fingerprint_of(r.properties())
        return nodes, rels

    def stored_node(self, n: Node) -> StoredNode:
        """One node as the stores keep it."""
        uid = node_uid(self.name, n.id)
        props = n.properties()
        fingerprint = self._node_fp.get(n.id)
        if fingerprint is None:
            fingerprint = self._node_fp[n.id] = n.fingerprint_of(props)
        props.update(uid=uid, dataset=self.name, fingerprint=fingerprint)
        return StoredNode(uid=uid, label=str(n.label), props=props)

    def stored_relation(self, r: Relation) -> StoredRelation:
        """One relation as the stores keep it."""
        props = r.properties()
        key = str(props["key"])
        uid = relation_uid(self.name, key)
        fingerprint = self._rel_fp.get(key)
        if fingerprint is None:
            fingerprint = self._rel_fp[key] = r.fingerprint_of(props)
        props.update(uid=uid, dataset=self.name, fingerprint=fingerprint)
        return StoredRelation(
            uid=uid,
            type=str(r.type),
            source=node_uid(self.name, r.source_id),
            target=node_uid(self.name, r.target_id),
            props=props,
        )

    def stored_nodes(self, label: Label | None = None) -> Iterator[StoredNode]:
        """The nodes (of one label, if given) as the stores keep them."""
        for n in self.nodes:
            if label is None or n.label == label:
                yield self.stored_node(n)

    def stored_relations(self, rel_type: RelType | None = None) -> Iterator[StoredRelation]:
        """The relations (of one type, if given) as the stores keep them."""
        for r in self.relations:
            if rel_type is None or r.type == rel_type:
                yield self.stored_relation(r)
