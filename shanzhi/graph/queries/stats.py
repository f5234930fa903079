"""Counts of what a store holds, by label and kind/level, and relations by type.

>>> from shanzhi.graph.stores.embedded import EmbeddedStore
>>> import tempfile
>>> stats(EmbeddedStore(tempfile.mkdtemp()))["nodes"]
0
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from shanzhi.graph.stores import GraphStore

__all__ = ["stats"]


def _kind_key(label: str, props: dict[str, Any]) -> str:
    kind = props.get("level", props.get("kind"))
    return f"{label}:{kind}" if kind is not None else label


def stats(store: GraphStore, dataset: str | None = None) -> dict[str, Any]:
    """Node counts by ``Label:kind``, relation counts by type and by ``TYPE→Label:kind`` of
    their target (e.g. ``MEMBER_OF→Org:building_management_group``: the 楼管小组 members), and
    totals, for one dataset or all."""
    if store.kind == "neo4j":
        rows = store.run_read_query("stats", {"dataset": dataset})  # type: ignore[attr-defined]
        by_kind = Counter({r["key"]: r["n"] for r in rows if r["what"] == "node"})
        by_type = Counter({r["key"]: r["n"] for r in rows if r["what"] == "relation"})
        by_target = Counter({r["key"]: r["n"] for r in rows if r["what"] == "relation_target"})
        names = sorted({r["key"] for r in rows if r["what"] == "dataset"})
    else:
        g = store.graph  # type: ignore[attr-defined]
        by_kind = Counter(
            _kind_key(d["label"], d)
            for _, d in g.nodes(data=True)
            if dataset is None or d.get("dataset") == dataset
        )
        edges = [
            (d["type"], g.nodes[t])
            for _, t, d in g.edges(data=True)
            if dataset is None or d.get("dataset") == dataset
        ]
        by_type = Counter(rtype for rtype, _ in edges)
        by_target = Counter(f"{rtype}→{_kind_key(t['label'], t)}" for rtype, t in edges)
        names = sorted(
            {
                str(d["dataset"])
                for _, d in g.nodes(data=True)
                if dataset is None or d.get("dataset") == dataset
            }
        )
    return {
        "store": store.kind,
        "datasets": names,
        "nodes": sum(by_kind.values()),
        "relations": sum(by_type.values()),
        "nodes_by_kind": dict(sorted(by_kind.items())),
        "relations_by_type": dict(sorted(by_type.items())),
        "relations_by_target": dict(sorted(by_target.items())),
    }
