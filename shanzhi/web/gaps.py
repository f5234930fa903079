"""The coverage audit as a dashboard: the gaps of :func:`shanzhi.graph.queries.audit.audit`,
only those governed inside the account's grid, counted per block and per community.

A gap's *place in the grid* is found from its record: a grid is itself; a place climbs PART_OF to
the nearest place a grid COVERS; an organisation takes a grid it LEADS or SERVES, else a place it
SERVES, else the organisation it is PART_OF. From that grid PART_OF is climbed to its community
and block. Gaps with no block (street-level ones) are counted under ``other``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any, TypedDict

import networkx as nx

from shanzhi.graph.model import GridLevel, Label, RelType
from shanzhi.graph.queries.audit import GAP_KINDS
from shanzhi.web.graphview import uid_of
from shanzhi.web.scope import Scope

__all__ = ["OTHER", "Bucket", "Dashboard", "dashboard", "gaps_in", "locate", "scoped_audit"]

OTHER = "-"
_MAX_STEPS = 8
#: The graph a uid's dataset has (:meth:`shanzhi.web.graphview.GraphView.graph_of`).
GraphOf = Callable[[str], nx.MultiDiGraph]


class Bucket(TypedDict):
    """Counts of one block or community (``uid`` :data:`OTHER` for gaps with no block)."""

    uid: str
    name: str
    counts: dict[str, int]
    total: int


class Dashboard(TypedDict):
    """Counts per block, with its communities under it."""

    kinds: list[str]
    blocks: list[dict[str, Any]]
    total: dict[str, int]


def scoped_audit(result: dict[str, list[dict[str, Any]]], scope: Scope) -> dict[str, list[Any]]:
    """The audit with only the gaps governed inside the account's grid."""
    return {
        kind: [i for i in items if scope.governs(uid_of(i.get("dataset"), i["id"]))]
        for kind, items in result.items()
    }


def _grid_of(g: nx.MultiDiGraph, uid: str) -> str | None:
    """The grid a record belongs to (see the module docstring)."""
    seen, todo = {uid}, deque([(uid, 0)])
    while todo:
        node, steps = todo.popleft()
        d = g.nodes[node]
        if d.get("label") == Label.GRID.value:
            return node
        if steps >= _MAX_STEPS:
            continue
        if d.get("label") == Label.PLACE.value:
            covering = sorted(
                s
                for s, _, e in g.in_edges(node, data=True)
                if e.get("type") == RelType.COVERS.value
                and g.nodes[s].get("label") == Label.GRID.value
            )
            if covering:
                return max(covering, key=lambda u: _rank(g, u))
            nxt = [RelType.PART_OF.value]
        else:
            nxt = [RelType.LEADS.value, RelType.SERVES.value, RelType.PART_OF.value]
        for rel in nxt:
            for _, t, e in sorted(g.out_edges(node, data=True), key=lambda x: x[1]):
                if e.get("type") == rel and t not in seen:
                    seen.add(t)
                    todo.append((t, steps + 1))
    return None


def _rank(g: nx.MultiDiGraph, grid: str) -> int:
    try:
        return GridLevel(g.nodes[grid].get("level")).rank
    except ValueError:
        return 0


def locate(g: nx.MultiDiGraph, uid: str) -> tuple[str | None, str | None]:
    """The (block, community) grid uids a record falls under; None where it has none."""
    if uid not in g:
        return None, None
    grid = _grid_of(g, uid)
    found: dict[str, str] = {}
    steps = 0
    while grid is not None and steps <= _MAX_STEPS:
        level = g.nodes[grid].get("level")
        found.setdefault(str(level), grid)
        parents = sorted(
            t
            for _, t, e in g.out_edges(grid, data=True)
            if e.get("type") == RelType.PART_OF.value and g.nodes[t].get("label") == Label.GRID
        )
        grid = parents[0] if parents else None
        steps += 1
    return found.get(GridLevel.BLOCK.value), found.get(GridLevel.COMMUNITY.value)


def _counts(items: dict[str, list[Any]]) -> dict[str, int]:
    return {kind: len(items.get(kind, [])) for kind in GAP_KINDS}


def _name(g: nx.MultiDiGraph, uid: str) -> str:
    return str(g.nodes[uid].get("name", uid)) if uid in g else uid


def dashboard(graph_of: GraphOf, scoped: dict[str, list[Any]]) -> Dashboard:
    """Gap counts per block (largest total first) and per community under each."""
    blocks: dict[str, dict[str, list[Any]]] = {}
    communities: dict[str, dict[str, dict[str, list[Any]]]] = {}
    for kind, items in scoped.items():
        for item in items:
            uid = uid_of(item.get("dataset"), item["id"])
            block, community = locate(graph_of(uid), uid)
            b = block or OTHER
            blocks.setdefault(b, {}).setdefault(kind, []).append(item)
            if community:
                communities.setdefault(b, {}).setdefault(community, {}).setdefault(kind, []).append(
                    item
                )
    rows: list[dict[str, Any]] = []
    for b, found in blocks.items():
        counts = _counts(found)
        subs = [
            Bucket(
                uid=c,
                name=_name(graph_of(c), c),
                counts=_counts(ci),
                total=sum(_counts(ci).values()),
            )
            for c, ci in communities.get(b, {}).items()
            for cc in [_counts(ci)]
        ]
        subs.sort(key=lambda s: (-s["total"], s["name"]))
        rows.append(
            {
                "uid": b,
                "name": "街道层面 street level" if b == OTHER else _name(graph_of(b), b),
                "counts": counts,
                "total": sum(counts.values()),
                "communities": subs,
            }
        )
    rows.sort(key=lambda r: (r["uid"] == OTHER, -int(r["total"]), str(r["name"])))
    return Dashboard(kinds=list(GAP_KINDS), blocks=rows, total=_counts(scoped))


def gaps_in(
    graph_of: GraphOf, scoped: dict[str, list[Any]], grid: str, kind: str | None
) -> dict[str, list[Any]]:
    """The gaps (of one kind, or all) that fall under a block or community (:data:`OTHER`: none)."""
    out: dict[str, list[Any]] = {}
    for k, items in scoped.items():
        if kind is not None and k != kind:
            continue
        for item in items:
            uid = uid_of(item.get("dataset"), item["id"])
            block, community = locate(graph_of(uid), uid)
            if grid in (block, community) or (grid == OTHER and block is None):
                out.setdefault(k, []).append(item)
    return out
