"""``viz ego``: everything within ``depth`` steps of one node, force layout; the next ring is in
the page too, hidden, and a double click on a node shows its part of it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import networkx as nx

from shanzhi.errors import UsageError
from shanzhi.viz.layout import force_layout
from shanzhi.viz.picture import Picture, edge_of, node_of
from shanzhi.viz.source import find_node, graph_of

__all__ = ["MAX_EGO_NODES", "ego"]

#: An ego picture shows at most this many nodes (nearest first); the rest are counted in the title.
MAX_EGO_NODES = 300


def _rings(g: nx.MultiDiGraph, centre: str, depth: int, limit: int) -> list[list[str]]:
    """Nodes by distance from ``centre`` (either direction), up to ``depth``; ``limit`` in all."""
    rings, seen, frontier = [[centre]], {centre}, [centre]
    total = 1
    for _ in range(depth):
        nxt: list[str] = []
        for u in frontier:
            near = sorted(set(g.successors(u)) | set(g.predecessors(u)))
            for v in near:
                if v not in seen and total < limit:
                    seen.add(v)
                    nxt.append(v)
                    total += 1
        if not nxt:
            break
        rings.append(nxt)
        frontier = nxt
    return rings


def ego(store: Any, node_id: str, depth: int = 1) -> Picture:
    """Everything within ``depth`` relations of a node (id, uid or name), force layout.

    The ring one step further is embedded hidden; double-clicking a node shows its share of
    it. At most :data:`MAX_EGO_NODES` nodes are shown, nearest first.
    """
    if depth < 1:
        raise UsageError("--depth must be 1 or more.")
    g = graph_of(store)
    centre = find_node(g, node_id, "node")
    rings = _rings(g, centre, depth + 1, MAX_EGO_NODES * 2)
    shown = [u for ring in rings[: depth + 1] for u in ring][:MAX_EGO_NODES]
    reserve = [u for ring in rings[depth + 1 :] for u in ring][:MAX_EGO_NODES]
    name = g.nodes[centre].get("name", centre)
    pic = Picture(
        title=f"{name} 周边 {depth} 步",
        layout="force",
        subtitle=f"{len(shown)} 个节点 · 双击节点展开下一步（另有 {len(reserve)} 个）",
        focus=centre,
    )
    pic.nodes = [node_of(g, u) for u in shown]
    pic.node(centre).size = 28
    keep = set(shown) | set(reserve)
    for s, t, k in g.subgraph(keep).edges(keys=True):
        edge = edge_of(k, s, t, g.edges[s, t, k])
        edge.hidden = s not in shown or t not in shown
        pic.edges.append(edge)
    force_layout(pic)
    _place_reserve(pic, g, reserve, set(shown))
    return pic


def _place_reserve(
    pic: Picture, g: nx.MultiDiGraph, reserve: Sequence[str], shown: set[str]
) -> None:
    """Add the hidden ring next to the shown node each one hangs from."""
    pos = {n.id: (n.x or 0.0, n.y or 0.0) for n in pic.nodes}
    for i, u in enumerate(reserve):
        anchor = next(
            (v for v in sorted(set(g.successors(u)) | set(g.predecessors(u))) if v in shown), None
        )
        ax, ay = pos.get(anchor, (0.0, 0.0)) if anchor else (0.0, 0.0)
        node = node_of(g, u)
        node.hidden = True
        node.x, node.y = ax + 60 * ((i % 5) - 2), ay + 60 + 20 * (i % 3)
        pic.nodes.append(node)
