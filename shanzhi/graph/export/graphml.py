"""GraphML for Gephi, yEd and networkx: one file, the networkx shape of the snapshot.

Nodes carry ``label`` = their name (what Gephi and yEd show) and ``entity`` = the model label
(``Grid``, ``Place`` …); edges carry ``label`` and ``type`` = the relation type, then the
record's properties. A record property of one of those names is kept as ``record_label`` ….
Lists are joined with ``|`` (GraphML holds scalars only).
Fingerprints are left out (:mod:`shanzhi.graph.export.common`).

>>> from shanzhi.graph.model.dataset import StoredNode
>>> from shanzhi.graph.stores.snapshot import Snapshot
>>> snap = Snapshot.of([StoredNode("d:P1", "Person", {"name": "张三", "phone": "13800000001"})], [])
>>> g, masked = graph_of(snap, show_contact=False)
>>> g.nodes["d:P1"], masked
({'label': '张三', 'entity': 'Person', 'name': '张三', 'phone': '138****0001'}, 1)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from shanzhi import messages
from shanzhi.graph.export.common import Progress, outgoing
from shanzhi.graph.stores.snapshot import Snapshot

__all__ = ["SUFFIX", "flat", "graph_of", "write"]

SUFFIX = ".graphml"
_NODE_OWN = ("label", "entity")
_EDGE_OWN = ("label", "type")
_STEP = 2000


def flat(props: dict[str, Any]) -> dict[str, Any]:
    """Scalars only: lists joined with ``|``, missing values dropped."""
    return {
        k: ("|".join(map(str, v)) if isinstance(v, list) else v)
        for k, v in props.items()
        if v is not None
    }


def _renamed(props: dict[str, Any], own: tuple[str, ...]) -> dict[str, Any]:
    return {(f"record_{k}" if k in own else k): v for k, v in props.items()}


def graph_of(
    snap: Snapshot, show_contact: bool, progress: Progress | None = None
) -> tuple[nx.MultiDiGraph, int]:
    """The graph to write, and how many records went out masked."""
    g = nx.MultiDiGraph()
    masked = 0
    total = len(snap.nodes) + len(snap.relations)
    for i, n in enumerate(snap.nodes.values()):
        props, hid = outgoing(n.props, show_contact)
        masked += hid
        name = str(props.get("name") or n.uid)
        attrs = {"label": name, "entity": n.label, **flat(_renamed(props, _NODE_OWN))}
        g.add_nodes_from([(n.uid, attrs)])
        if progress and i % _STEP == 0:
            progress(messages.STAGE_NODES.both(), i, total)
    for i, r in enumerate(snap.relations.values(), start=len(snap.nodes)):
        props, hid = outgoing(r.props, show_contact)
        masked += hid
        attrs = {"label": r.type, "type": r.type, **flat(_renamed(props, _EDGE_OWN))}
        g.add_edges_from([(r.source, r.target, r.uid, attrs)])
        if progress and i % _STEP == 0:
            progress(messages.STAGE_RELATIONS.both(), i, total)
    return g, masked


def write(snap: Snapshot, path: Path, show_contact: bool, progress: Progress | None) -> int:
    """Write ``snap`` as GraphML to ``path``; return how many records went out masked."""
    g, masked = graph_of(snap, show_contact, progress)
    nx.write_graphml(g, path)
    return masked
