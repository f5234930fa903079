"""Counts of what a store holds, by label and kind/level, and relations by type.

>>> from shanzhi.graph.stores.embedded import EmbeddedStore
>>> import tempfile
>>> stats(EmbeddedStore(tempfile.mkdtemp()))["nodes"]
0
"""

from __future__ import annotations

from typing import Any

from shanzhi.graph.stores import GraphStore

__all__ = ["stats"]


def stats(store: GraphStore, dataset: str | None = None) -> dict[str, Any]:
    """Node counts by ``Label:kind``, relation counts by type and by ``TYPE→Label:kind`` of
    their target (e.g. ``MEMBER_OF→Org:building_management_group``: the 楼管小组 members), and
    totals, for one dataset or all."""
    counts = store.stats_counts(dataset)
    by_kind, by_type = counts["nodes_by_kind"], counts["relations_by_type"]
    by_target, names = counts["relations_by_target"], counts["datasets"]
    return {
        "store": store.kind,
        "datasets": names,
        "nodes": sum(by_kind.values()),
        "relations": sum(by_type.values()),
        "nodes_by_kind": dict(sorted(by_kind.items())),
        "relations_by_type": dict(sorted(by_type.items())),
        "relations_by_target": dict(sorted(by_target.items())),
    }
