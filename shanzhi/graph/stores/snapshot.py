"""A store's whole content as plain records, and as the networkx graph every analysis reads.

The networkx shape is the embedded store's own: a ``MultiDiGraph`` whose node keys are uids
with attributes ``label`` plus the stored properties, and whose edge keys are relation uids with
attributes ``type`` plus the stored properties. Built from Neo4j it is the same graph.

A snapshot is the stores' content, not their bookkeeping: the load stamps (``load_seq``,
``load_change``, :mod:`shanzhi.graph.stores.loads`) are left out, so two stores holding the same
datasets
give equal snapshots whatever order they were loaded in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from shanzhi.graph.model.dataset import StoredNode, StoredRelation
from shanzhi.graph.stores.stamps import STAMPS

if TYPE_CHECKING:  # a store imports this module to read; networkx is for analyses alone
    import networkx as nx

__all__ = ["Snapshot", "content"]

_LEFT_OUT = frozenset(STAMPS)


def content(props: dict[str, Any], *also: str) -> dict[str, Any]:
    """A stored property map without the load stamps (and without the keys ``also``)."""
    return {k: v for k, v in props.items() if k not in _LEFT_OUT and k not in also}


@dataclass
class Snapshot:
    """Nodes and relations by uid."""

    nodes: dict[str, StoredNode] = field(default_factory=dict)
    relations: dict[str, StoredRelation] = field(default_factory=dict)

    @classmethod
    def of(cls, nodes: Iterable[StoredNode], relations: Iterable[StoredRelation]) -> Snapshot:
        """A snapshot of these records."""
        return cls({n.uid: n for n in nodes}, {r.uid: r for r in relations})

    @classmethod
    def from_networkx(cls, graph: nx.MultiDiGraph) -> Snapshot:
        """Read a graph of the embedded shape back into records."""
        nodes = [
            StoredNode(uid=u, label=str(d["label"]), props=content(d, "label"))
            for u, d in graph.nodes(data=True)
        ]
        rels = [
            StoredRelation(
                uid=k,
                type=str(d["type"]),
                source=s,
                target=t,
                props=content(d, "type"),
            )
            for s, t, k, d in graph.edges(keys=True, data=True)
        ]
        return cls.of(nodes, rels)

    def to_networkx(self) -> nx.MultiDiGraph:
        """The graph in the embedded shape."""
        import networkx as nx

        g = nx.MultiDiGraph()
        g.add_nodes_from((n.uid, {"label": n.label, **n.props}) for n in self.nodes.values())
        g.add_edges_from(
            (r.source, r.target, r.uid, {"type": r.type, **r.props})
            for r in self.relations.values()
        )
        return g

    def restricted_to(self, dataset: str) -> Snapshot:
        """Only the records of one dataset."""
        return Snapshot(
            {u: n for u, n in self.nodes.items() if n.props.get("dataset") == dataset},
            {u: r for u, r in self.relations.items() if r.props.get("dataset") == dataset},
        )
