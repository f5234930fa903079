"""``viz grid``: the grid hierarchy (below one grid, or all of it) as a tree; hover shows who
leads each grid and who holds its posts. A big tree opens with its building grids collapsed."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Any

import networkx as nx

from shanzhi.errors import NotFoundError
from shanzhi.graph.model import GridLevel, Label, RelType
from shanzhi.viz.layout import tree_layout
from shanzhi.viz.picture import Picture, VEdge, VNode, node_of
from shanzhi.viz.source import find_node, graph_of, natural

__all__ = ["COLLAPSE_OVER", "grid"]

#: A whole grid tree of more grids than this opens with its building grids collapsed.
COLLAPSE_OVER = 60


def _grid_children(g: nx.MultiDiGraph, uid: str) -> list[str]:
    kids = [
        s
        for s, _, d in g.in_edges(uid, data=True)
        if d.get("type") == RelType.PART_OF and g.nodes[s].get("label") == Label.GRID
    ]
    return sorted(set(kids), key=lambda u: natural(str(g.nodes[u].get("id", u))))


def _grid_details(g: nx.MultiDiGraph, uid: str) -> list[str]:
    lines = []
    for s, _, d in g.in_edges(uid, data=True):
        kind = d.get("type")
        if kind == RelType.LEADS:
            lines.append(f"领导：{g.nodes[s].get('name', s)}")
        elif kind == RelType.HOLDS:
            lines.append(f"{d.get('role') or '任职'}：{g.nodes[s].get('name', s)}")
    covered = sum(1 for _, _, d in g.out_edges(uid, data=True) if d.get("type") == RelType.COVERS)
    if covered:
        lines.append(f"直接覆盖：{covered} 处")
    return sorted(lines)


def grid(store: Any, grid_id: str | None = None) -> Picture:
    """The grid hierarchy below ``grid_id`` (id, uid or name), or all of it, as a tree.

    A tree of more than :data:`COLLAPSE_OVER` grids opens with its building grids collapsed
    (in the data, hidden; a double click on their branch shows them).
    """
    g = graph_of(store)
    if grid_id is None:
        roots = sorted(
            (
                u
                for u, d in g.nodes(data=True)
                if d.get("label") == Label.GRID
                and not any(
                    e.get("type") == RelType.PART_OF for _, _, e in g.out_edges(u, data=True)
                )
            ),
            key=lambda u: natural(str(g.nodes[u].get("id", u))),
        )
        if not roots:
            raise NotFoundError("the store holds no grids; run `shanzhi load` first.")
        title = "五级网格" if len(roots) > 1 else f"{g.nodes[roots[0]].get('name')} 五级网格"
    else:
        roots = [find_node(g, grid_id, "grid", {Label.GRID.value})]
        title = f"{g.nodes[roots[0]].get('name')} 下辖网格"
    pic = Picture(title=title, layout="tree", focus=roots[0] if len(roots) == 1 else None)
    todo: deque[tuple[str, str | None]] = deque((r, None) for r in roots)
    seen: set[str] = set()
    while todo:
        uid, parent = todo.popleft()
        if uid in seen:
            continue
        seen.add(uid)
        node = node_of(g, uid, _grid_details(g, uid))
        node.parent = parent
        pic.nodes.append(node)
        if parent is not None:
            pic.edges.append(VEdge(f"{uid}>{parent}", uid, parent, "PART_OF", title="隶属"))
        todo.extend((kid, uid) for kid in _grid_children(g, uid))
    counts = _level_counts(pic.nodes)
    pic.subtitle = " · ".join(f"{zh} {n}" for zh, n in counts)
    if len(pic.nodes) > COLLAPSE_OVER:
        _collapse(pic, GridLevel.BUILDING.value)
        pic.subtitle += " · 楼组网格已收起（双击支部网格展开）"
    tree_layout(pic)
    return pic


def _collapse(pic: Picture, level: str) -> None:
    """Hide the grids of one level (and the lines to them) until the reader expands them."""
    hidden = {n.id for n in pic.nodes if n.kind == f"Grid/{level}"}
    for n in pic.nodes:
        n.hidden = n.id in hidden
    for e in pic.edges:
        e.hidden = e.source in hidden or e.target in hidden


_SHORT = {
    "street": "街道",
    "block": "街区",
    "community": "居民区",
    "branch": "支部",
    "building": "楼组",
}


def _level_counts(nodes: Iterable[VNode]) -> list[tuple[str, int]]:
    order = [lvl.value for lvl in GridLevel]
    counts = {lvl: 0 for lvl in order}
    for n in nodes:
        level = n.kind.split("/", 1)[-1]
        if level in counts:
            counts[level] += 1
    return [(_SHORT[lvl], n) for lvl, n in counts.items() if n]
