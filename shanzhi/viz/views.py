"""The four pictures of the CLI, each built from a store and laid out (docs/cli.md ``viz``).

* :func:`coverage` (:mod:`~shanzhi.viz.coverage_view`) — the who-covers chain of a building as
  a tree: the building, then its building grid, branch grid … street grid, each with the
  organisations and people of that level (people's roles written on the lines).
* :func:`circle` (:mod:`~shanzhi.viz.circle_view`) — a block's 善治朋友圈 as a force layout
  around the block grid; members sized by betweenness centrality, lines as thick as the ties
  are heavy.
* :func:`grid` (:mod:`~shanzhi.viz.grid_view`) — the grid hierarchy (below one grid, or all of
  it) as a tree; hover shows who leads each grid and who holds its posts.
* :func:`ego` (:mod:`~shanzhi.viz.ego_view`) — everything within ``depth`` steps of one node,
  force layout; the next ring is in the page too, hidden, and a double click on a node shows its
  part of it.

What the demo draws is chosen by :mod:`~shanzhi.viz.showcase`; the graph they are drawn from,
and a node found in it by uid, id or name, come from :mod:`~shanzhi.viz.source`. Every node id
in a picture is a store uid, so a picture's nodes can be checked against the graph.
"""

from __future__ import annotations

from shanzhi.viz.circle_view import circle
from shanzhi.viz.coverage_view import coverage
from shanzhi.viz.ego_view import MAX_EGO_NODES, ego
from shanzhi.viz.grid_view import COLLAPSE_OVER, grid
from shanzhi.viz.showcase import biggest_circle, first_building
from shanzhi.viz.source import graph_of

__all__ = [
    "COLLAPSE_OVER",
    "MAX_EGO_NODES",
    "biggest_circle",
    "circle",
    "coverage",
    "ego",
    "first_building",
    "graph_of",
    "grid",
]
