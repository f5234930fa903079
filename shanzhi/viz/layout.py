"""Positions for a picture, computed in Python so the HTML, SVG and PNG show the same drawing.

* :func:`tree_layout` — a tidy left-to-right tree from each node's ``parent``: one column per
  depth (as wide as its longest label), leaves one row apart, a parent centred on its children.
* :func:`force_layout` — Fruchterman–Reingold in pure Python with a grid of cells so repulsion
  is only computed between near nodes (linear per step); deterministic for a given seed.

>>> from shanzhi.viz.picture import Picture, VNode
>>> pic = Picture("t", "tree", [VNode("r", "根", "Grid", "grid_street"),
...     VNode("a", "甲", "Grid", "grid_block", parent="r"),
...     VNode("b", "乙", "Grid", "grid_block", parent="r")])
>>> tree_layout(pic)
>>> [(n.level, n.y) for n in pic.nodes]
[(0, 30.0), (1, 13.0), (1, 47.0)]
"""

from __future__ import annotations

import math
import random
from collections import defaultdict

from shanzhi.viz.picture import Picture, VNode
from shanzhi.viz.style import GROUPS, text_width

__all__ = [
    "FONT_PX",
    "ROW_GAP",
    "SMALL",
    "force_layout",
    "node_height",
    "node_width",
    "tree_layout",
]

FONT_PX = 14
#: Vertical gap between two rows of a tree, and between two trees.
ROW_GAP = 8.0
_COLUMN_GAP = 70.0
#: Pictures up to this many nodes get the full spring layout and label separation.
SMALL = 300
_EDGE_PX = 130.0
_BOX_PX = 26.0


def node_width(node: VNode) -> float:
    """The drawn width of a node including its label."""
    label_w = text_width(node.label, FONT_PX)
    if GROUPS[node.group].label_inside:
        return label_w + 20
    return max(label_w, 2 * node.size)


def node_height(node: VNode) -> float:
    """The drawn height of a node: a box holds its label; other shapes carry it underneath."""
    if GROUPS[node.group].label_inside:
        return _BOX_PX
    return 2 * node.size + FONT_PX + 8


def tree_layout(pic: Picture) -> None:
    """Set ``level``, ``x`` and ``y`` of every node from the ``parent`` links (in place).

    Children keep the order they have in ``pic.nodes``; nodes whose parent is not in the
    picture are roots, stacked one under another. Hidden nodes (collapsed) get their column
    but no row: they sit on their parent until the page shows them and lays the tree out again
    (the page's script uses the same rule).
    """
    ids = {n.id for n in pic.nodes}
    children: dict[str | None, list[VNode]] = defaultdict(list)
    for n in pic.nodes:
        children[n.parent if n.parent in ids else None].append(n)
    widths: dict[int, float] = defaultdict(float)
    cursor = 0.0

    def place(node: VNode, depth: int, seen: set[str], parent_y: float) -> float:
        nonlocal cursor
        seen.add(node.id)
        node.level = depth
        widths[depth] = max(widths[depth], node_width(node))
        kids = [c for c in children.get(node.id, []) if c.id not in seen]
        if node.hidden:
            node.y = parent_y
            for c in kids:
                place(c, depth + 1, seen, parent_y)
            return parent_y
        shown = [c for c in kids if not c.hidden]
        if not shown:
            node.y = cursor + node_height(node) / 2
            cursor += node_height(node) + ROW_GAP
        ys = [place(c, depth + 1, seen, node.y or 0.0) for c in shown]
        if shown:
            node.y = (ys[0] + ys[-1]) / 2
        for c in kids:
            if c.hidden:
                place(c, depth + 1, seen, node.y or 0.0)
        return node.y or 0.0

    seen: set[str] = set()
    for root in children[None]:
        place(root, 0, seen, 0.0)
        cursor += 3 * ROW_GAP
    for n in pic.nodes:  # anything left over sits in a cycle of parents: give it a row of its own
        if n.id not in seen:
            place(n, 0, seen, 0.0)
    lefts, x = {}, 0.0
    for depth in sorted(widths):
        lefts[depth] = x
        x += widths[depth] + _COLUMN_GAP
    for n in pic.nodes:
        depth = n.level or 0
        n.x = round(lefts[depth] + widths[depth] / 2, 1)
        n.y = round(n.y or 0.0, 1)


def force_layout(pic: Picture, seed: int = 7, iterations: int | None = None) -> None:
    """Set ``x`` and ``y`` of every node by a spring embedding of the picture's edges.

    Up to :data:`SMALL` nodes: random start, 300 steps, then labels pushed apart so none
    overlaps. Larger pictures start from a radial tree (breadth-first from the focus, or the
    best-connected node) and only relax it for a few steps, so 5,000 nodes take seconds; their
    labels are only drawn when zoomed in, so only the shapes are kept apart.
    """
    nodes = [n.id for n in pic.nodes]
    if not nodes:
        return
    index = {u: i for i, u in enumerate(nodes)}
    weights: dict[tuple[int, int], float] = {}
    for e in pic.edges:
        a, b = index.get(e.source), index.get(e.target)
        if a is not None and b is not None and a != b:
            key = (min(a, b), max(a, b))
            weights[key] = weights.get(key, 0.0) + e.weight
    n = len(nodes)
    if n <= SMALL:
        pos = _spring(n, weights, _random_start(n, seed), iterations or 300, None)
        pos = _separate(pos, [_box(v) for v in pic.nodes])
    else:
        root = index.get(pic.focus or "", _best_connected(n, weights))
        start = _radial(n, weights, root)
        pos = _spring(n, weights, start, iterations or (30 if n <= 2000 else 15), _EDGE_PX / 3)
        shapes = [(2 * v.size + 6, 2 * v.size + 6, 0.0) for v in pic.nodes]
        pos = _separate(pos, shapes, rounds=10)
    for v, (x, y) in zip(pic.nodes, pos, strict=True):
        v.x, v.y = round(x, 1), round(y, 1)


def _random_start(n: int, seed: int) -> list[tuple[float, float]]:
    rng = random.Random(seed)
    side = _EDGE_PX * math.sqrt(n) * 1.2
    return [(rng.uniform(-side / 2, side / 2), rng.uniform(-side / 2, side / 2)) for _ in range(n)]


def _adjacency(n: int, weights: dict[tuple[int, int], float]) -> list[list[int]]:
    adj: list[list[int]] = [[] for _ in range(n)]
    for a, b in weights:
        adj[a].append(b)
        adj[b].append(a)
    return adj


def _best_connected(n: int, weights: dict[tuple[int, int], float]) -> int:
    degree = [0] * n
    for a, b in weights:
        degree[a] += 1
        degree[b] += 1
    return max(range(n), key=lambda i: (degree[i], -i))


def _radial(n: int, weights: dict[tuple[int, int], float], root: int) -> list[tuple[float, float]]:
    """A breadth-first tree from ``root`` drawn in rings, each subtree in a slice of the circle
    as wide as its share of leaves; other components hang off the root as if joined to it."""
    adj = _adjacency(n, weights)
    parent, depth, order = [-1] * n, [0] * n, []
    seen = [False] * n
    for start in [root, *range(n)]:
        if seen[start]:
            continue
        seen[start] = True
        if start != root:
            parent[start], depth[start] = root, 1
        queue = [start]
        for u in queue:
            order.append(u)
            for v in sorted(adj[u]):
                if not seen[v]:
                    seen[v], parent[v], depth[v] = True, u, depth[u] + 1
                    queue.append(v)
    kids: list[list[int]] = [[] for _ in range(n)]
    for u in order:
        if parent[u] >= 0:
            kids[parent[u]].append(u)
    leaves = [0] * n
    for u in reversed(order):
        leaves[u] = sum(leaves[k] for k in kids[u]) or 1
    per_ring: dict[int, int] = defaultdict(int)
    for d in depth:
        per_ring[d] += 1
    radius, r = {0: 0.0}, 0.0
    for d in range(1, max(per_ring) + 1):
        r = max(r + _EDGE_PX, per_ring[d] * 40 / (2 * math.pi))
        radius[d] = r
    span = {root: (0.0, 2 * math.pi)}
    pos = [(0.0, 0.0)] * n
    for u in order:
        lo, hi = span[u]
        mid = (lo + hi) / 2
        pos[u] = (radius[depth[u]] * math.cos(mid), radius[depth[u]] * math.sin(mid))
        at = lo
        for k in kids[u]:
            width = (hi - lo) * leaves[k] / leaves[u]
            span[k] = (at, at + width)
            at += width
    return pos


def _box(node: VNode) -> tuple[float, float, float]:
    """Width, height and downward offset of the box a node and its label take up."""
    if GROUPS[node.group].label_inside:
        return node_width(node) + 8, _BOX_PX + 6, 0.0
    return node_width(node) + 8, node_height(node) + 4, (FONT_PX + 8) / 2


def _separate(
    pos: list[tuple[float, float]], boxes: list[tuple[float, float, float]], rounds: int = 80
) -> list[tuple[float, float]]:
    """Push apart nodes whose boxes (label included) overlap, along the axis of least overlap."""
    xs = [p[0] for p in pos]
    ys = [p[1] for p in pos]
    n = len(pos)
    cell = max((max(w, h) for w, h, _ in boxes), default=1.0)
    for _ in range(rounds):
        moved = False
        grid: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i in range(n):
            grid[(int(xs[i] // cell), int((ys[i] + boxes[i][2]) // cell))].append(i)
        for (cx, cy), members in grid.items():
            for i in members:
                for ox in (-1, 0, 1):
                    for oy in (-1, 0, 1):
                        for j in grid.get((cx + ox, cy + oy), ()):
                            if j <= i:
                                continue
                            moved |= _push(i, j, xs, ys, boxes)
        if not moved:
            break
    return list(zip(xs, ys, strict=True))


def _push(
    i: int, j: int, xs: list[float], ys: list[float], boxes: list[tuple[float, float, float]]
) -> bool:
    (wi, hi, oi), (wj, hj, oj) = boxes[i], boxes[j]
    dx = xs[j] - xs[i]
    dy = (ys[j] + oj) - (ys[i] + oi)
    over_x = (wi + wj) / 2 - abs(dx)
    over_y = (hi + hj) / 2 - abs(dy)
    if over_x <= 0 or over_y <= 0:
        return False
    if over_x < over_y:
        step = (over_x / 2 + 0.5) * (1 if dx >= 0 else -1)
        xs[i] -= step
        xs[j] += step
    else:
        step = (over_y / 2 + 0.5) * (1 if dy >= 0 else -1)
        ys[i] -= step
        ys[j] += step
    return True


def _spring(
    n: int,
    weights: dict[tuple[int, int], float],
    start: list[tuple[float, float]],
    steps: int,
    temperature: float | None,
) -> list[tuple[float, float]]:
    """Fruchterman–Reingold from ``start``; repulsion only between nodes of neighbouring cells."""
    k = _EDGE_PX
    k2 = k * k
    xs = [p[0] for p in start]
    ys = [p[1] for p in start]
    first = temperature or _EDGE_PX * math.sqrt(n) * 1.2 / 8
    cell = 2 * k
    edges = [(a, b, w**0.5 / k) for (a, b), w in weights.items()]
    offsets = [(ox, oy) for ox in (-1, 0, 1) for oy in (-1, 0, 1)]
    for step in range(steps):
        temp = max(first * (1 - step / steps), 1.0)
        dx, dy = [0.0] * n, [0.0] * n
        grid: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i in range(n):
            grid[(int(xs[i] // cell), int(ys[i] // cell))].append(i)
        for (cx, cy), members in grid.items():
            near = [j for ox, oy in offsets for j in grid.get((cx + ox, cy + oy), ())]
            for i in members:
                xi, yi = xs[i], ys[i]
                fx = fy = 0.0
                for j in near:
                    if j == i:
                        continue
                    ddx, ddy = xi - xs[j], yi - ys[j]
                    d2 = ddx * ddx + ddy * ddy or 0.01
                    f = k2 / d2
                    fx += ddx * f
                    fy += ddy * f
                dx[i] += fx
                dy[i] += fy
        for a, b, strength in edges:
            ddx, ddy = xs[a] - xs[b], ys[a] - ys[b]
            f = math.hypot(ddx, ddy) * strength
            dx[a] -= ddx * f
            dy[a] -= ddy * f
            dx[b] += ddx * f
            dy[b] += ddy * f
        for i in range(n):  # a weak pull to the centre keeps loose nodes and components near
            fx, fy = dx[i] - xs[i] * 0.02, dy[i] - ys[i] * 0.02
            d = math.hypot(fx, fy)
            if d > 0:
                lim = min(d, temp) / d
                xs[i] += fx * lim
                ys[i] += fy * lim
    return list(zip(xs, ys, strict=True))
