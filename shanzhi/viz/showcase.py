"""What the demo shows: the block whose 善治朋友圈 is richest and the building that shows the
who-covers chain best."""

from __future__ import annotations

from typing import Any

from shanzhi.errors import NotFoundError
from shanzhi.graph.model import Label, RelType
from shanzhi.viz.source import graph_of, natural

__all__ = ["biggest_circle", "first_building"]


def biggest_circle(store: Any) -> str:
    """The uid of the block grid whose 善治朋友圈 has the most ties (then members, then id)."""
    from shanzhi.graph.analytics.circle import circles

    found = circles(store)
    if not found:
        raise NotFoundError("the store holds no block grid; run `shanzhi load` first.")
    best = max(found, key=lambda c: (len(c.ties), len(c.members), _neg(c.block.id)))
    return best.block.uid


def _neg(text: str) -> tuple[int, ...]:
    return tuple(-ord(ch) for ch in text)


def first_building(store: Any) -> str:
    """The uid of the first covered building, preferring one a 楼管小组 serves (the showcase)."""
    g = graph_of(store)

    def served(u: str) -> bool:
        return any(d.get("type") == RelType.SERVES for _, _, d in g.in_edges(u, data=True))

    covered = [
        u
        for u, d in g.nodes(data=True)
        if d.get("label") == Label.PLACE
        and d.get("kind") == "building"
        and any(e.get("type") == RelType.COVERS for _, _, e in g.in_edges(u, data=True))
    ]
    if not covered:
        raise NotFoundError("the store holds no covered building; run `shanzhi load` first.")
    return min(covered, key=lambda u: (not served(u), natural(str(g.nodes[u].get("id", u)))))
