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

__all__ = ["FONT_PX", "ROW_GAP", "force_layout", "node_height", "node_width", "tree_layout"]

FONT_PX = 14
#: Vertical gap between two rows of a tree, and between two trees.
ROW_GAP = 8.0
_COLUMN_GAP = 70.0
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
    """Set ``x`` and ``y`` of every node by a spring embedding of the picture's edges."""
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
    pos = _spring(len(nodes), weights, seed, iterations)
    boxes = [_box(n) for n in pic.nodes]
    pos = _separate(pos, boxes)
    for n, (x, y) in zip(pic.nodes, pos, strict=True):
        n.x, n.y = round(x, 1), round(y, 1)


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
    n: int, weights: dict[tuple[int, int], float], seed: int, iterations: int | None
) -> list[tuple[float, float]]:
    rng = random.Random(seed)
    k = _EDGE_PX
    side = k * math.sqrt(n) * 1.2
    xs = [rng.uniform(-side / 2, side / 2) for _ in range(n)]
    ys = [rng.uniform(-side / 2, side / 2) for _ in range(n)]
    steps = iterations or (300 if n <= 200 else 150 if n <= 1000 else 60)
    temp = side / 8
    cell = 2 * k
    for step in range(steps):
        dx, dy = [0.0] * n, [0.0] * n
        grid: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i in range(n):
            grid[(int(xs[i] // cell), int(ys[i] // cell))].append(i)
        for (cx, cy), members in grid.items():
            same = set(members)
            near = [
                j
                for ox in (-1, 0, 1)
                for oy in (-1, 0, 1)
                for j in grid.get((cx + ox, cy + oy), ())
            ]
            for i in members:
                for j in near:
                    if j <= i and j in same:
                        continue
                    ddx, ddy = xs[i] - xs[j], ys[i] - ys[j]
                    d2 = ddx * ddx + ddy * ddy or 0.01
                    f = k * k / d2
                    dx[i] += ddx * f
                    dy[i] += ddy * f
                    if j in same:
                        dx[j] -= ddx * f
                        dy[j] -= ddy * f
        for (a, b), w in weights.items():
            ddx, ddy = xs[a] - xs[b], ys[a] - ys[b]
            d = math.hypot(ddx, ddy) or 0.01
            f = d * w**0.5 / k
            dx[a] -= ddx * f
            dy[a] -= ddy * f
            dx[b] += ddx * f
            dy[b] += ddy * f
        for i in range(n):  # a weak pull to the centre keeps loose nodes and components near
            dx[i] -= xs[i] * 0.02
            dy[i] -= ys[i] * 0.02
            d = math.hypot(dx[i], dy[i])
            if d > 0:
                lim = min(d, temp)
                xs[i] += dx[i] / d * lim
                ys[i] += dy[i] / d * lim
        temp = max(side / 8 * (1 - (step + 1) / steps), 1.0)
    return list(zip(xs, ys, strict=True))
