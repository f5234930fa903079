"""What one account may see: its grid, and everything under it — defined once, used by every route.

For an account scoped to grid G (网格员, 居委/街道 staff):

* **buildings** — a building is in scope when G is one of the grids of its who-covers chain
  (:func:`shanzhi.graph.queries.who_covers.who_covers`, today). Candidates are the buildings at or
  under the places the grids under G cover; each is then checked on its chain, so the rule is
  exactly the card's rule.
* **grids** — G and every grid PART_OF it (any depth); **blocks** — the block grids among them
  (their 善治朋友圈 pages are in scope).
* **visible** — every record an in-scope page shows: the buildings' chains (grids, organisations,
  people, road) and the circles of the blocks (members, the people and projects that tie them).
  A person, phone or record outside ``visible`` is never sent to the account.
* **under** — what is governed inside G (audit gaps are counted only for these): the grids, the
  places those grids cover and the places under them, the buildings, and the organisations that
  lead or serve them.

Analysts and admins see everything (:attr:`Scope.everything`).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import networkx as nx

from shanzhi.errors import ShanzhiError
from shanzhi.graph.analytics.circle import circles
from shanzhi.graph.model import GridLevel, Label, PlaceKind, RelType
from shanzhi.graph.queries.who_covers import who_covers
from shanzhi.web.accounts import User
from shanzhi.web.graphview import GraphView, uid_of

__all__ = ["Scope", "ScopeCache", "chain_grid_uids", "compute_scope", "everything"]


@dataclass(frozen=True)
class Scope:
    """What one account may see (see the module docstring)."""

    everything: bool
    grid: str | None = None
    grid_name: str | None = None
    buildings: frozenset[str] = frozenset()
    grids: frozenset[str] = frozenset()
    blocks: frozenset[str] = frozenset()
    visible: frozenset[str] = frozenset()
    under: frozenset[str] = frozenset()

    def has_building(self, uid: str) -> bool:
        """Whether the building's card may be shown."""
        return self.everything or uid in self.buildings

    def has_block(self, uid: str) -> bool:
        """Whether the block's 善治朋友圈 may be shown."""
        return self.everything or uid in self.blocks

    def sees(self, uid: str) -> bool:
        """Whether a record (node uid) may be shown."""
        return self.everything or uid in self.visible

    def governs(self, uid: str) -> bool:
        """Whether a record is governed inside the account's grid (audit gaps)."""
        return self.everything or uid in self.under

    def allows_chain(self, answer: dict[str, Any]) -> bool:
        """Whether a who-covers answer (of any day) has the account's grid in its chain."""
        return self.everything or (self.grid is not None and self.grid in chain_grid_uids(answer))


def everything() -> Scope:
    """The scope of analysts and admins."""
    return Scope(everything=True)


def chain_grid_uids(answer: dict[str, Any]) -> set[str]:
    """The uids of the grids of a who-covers answer's chain."""
    dataset = answer["building"].get("dataset")
    return {uid_of(dataset, lvl["grid"]["id"]) for lvl in answer["chain"] if lvl.get("grid")}


def _walk(g: nx.MultiDiGraph, start: Iterable[str], rel: RelType, label: Label) -> set[str]:
    """``start`` and every node of ``label`` reaching it through ``rel`` (in-edges), any depth."""
    seen = set(start)
    todo = list(seen)
    while todo:
        for s, _, d in g.in_edges(todo.pop(), data=True):
            if d.get("type") == rel.value and s not in seen and g.nodes[s].get("label") == label:
                seen.add(s)
                todo.append(s)
    return seen


def _sources(g: nx.MultiDiGraph, target: str, rels: set[str], label: Label) -> Iterable[str]:
    for s, _, d in g.in_edges(target, data=True):
        if d.get("type") in rels and g.nodes[s].get("label") == label:
            yield s


@dataclass
class _Acc:
    buildings: set[str] = field(default_factory=set)
    visible: set[str] = field(default_factory=set)
    under: set[str] = field(default_factory=set)


def _add_chain(acc: _Acc, answer: dict[str, Any], grids: set[str]) -> None:
    dataset = answer["building"].get("dataset")
    acc.visible.add(answer["building"]["uid"])
    acc.under.add(answer["building"]["uid"])
    if answer.get("road"):
        acc.visible.add(uid_of(dataset, answer["road"]["id"]))
    for lvl in answer["chain"]:
        grid = uid_of(dataset, lvl["grid"]["id"]) if lvl.get("grid") else None
        inside = grid in grids
        for uid in [grid] if grid else []:
            acc.visible.add(uid)
        for item in lvl["orgs"]:
            acc.visible.add(uid_of(dataset, item["id"]))
            if inside or lvl["level"] == GridLevel.BUILDING.value:
                acc.under.add(uid_of(dataset, item["id"]))
        acc.visible.update(uid_of(dataset, p["id"]) for p in lvl["people"])


def compute_scope(store: Any, g: nx.MultiDiGraph, grid: str, on: date | None = None) -> Scope:
    """The scope of an account whose grid is ``grid`` (a uid), on ``on`` (default today)."""
    if grid not in g or g.nodes[grid].get("label") != Label.GRID.value:
        return Scope(everything=False, grid=grid)
    grids = _walk(g, [grid], RelType.PART_OF, Label.GRID)
    covered = {
        t
        for s in grids
        for _, t, d in g.out_edges(s, data=True)
        if d.get("type") == RelType.COVERS.value and g.nodes[t].get("label") == Label.PLACE.value
    }
    places = _walk(g, covered, RelType.PART_OF, Label.PLACE)
    acc = _Acc()
    for uid in sorted(places):
        if g.nodes[uid].get("kind") != PlaceKind.BUILDING.value:
            acc.under.add(uid)
            continue
        try:
            answer = who_covers(store, uid, on=on)
        except ShanzhiError:
            continue
        if grid in chain_grid_uids(answer):
            acc.buildings.add(uid)
            _add_chain(acc, answer, grids)
    governing = {RelType.LEADS.value, RelType.SERVES.value}
    for target in grids | acc.buildings | (acc.under & places):
        acc.under.update(_sources(g, target, governing, Label.ORG))
    acc.under |= grids
    blocks = {u for u in grids if g.nodes[u].get("level") == GridLevel.BLOCK.value}
    for block in sorted(blocks):
        for circle in circles(store, block):
            acc.visible.add(circle.block.uid)
            acc.visible.update(circle.members)
            acc.visible.update(circle.through)
    return Scope(
        everything=False,
        grid=grid,
        grid_name=str(g.nodes[grid].get("name", grid)),
        buildings=frozenset(acc.buildings),
        grids=frozenset(grids),
        blocks=frozenset(blocks),
        visible=frozenset(acc.visible | acc.under),
        under=frozenset(acc.under),
    )


class ScopeCache:
    """Scopes by account grid, worked out once per graph (a load makes a new graph)."""

    def __init__(self, view: GraphView) -> None:
        self.view = view
        self._lock = threading.Lock()
        self._by_graph: weakref.WeakKeyDictionary[Any, dict[tuple[str, str], Scope]] = (
            weakref.WeakKeyDictionary()
        )

    def ready(self, user: User) -> bool:
        """Whether the account's scope is worked out already (for today, on the current graph)."""
        if not user.role.scoped or user.grid is None:
            return True
        g = self.view.graph_of(user.grid)
        with self._lock:
            return (user.grid, date.today().isoformat()) in self._by_graph.get(g, {})

    def of(self, user: User) -> Scope:
        """The scope of an account (today)."""
        if not user.role.scoped:
            return everything()
        if user.grid is None:
            return Scope(everything=False)
        g = self.view.graph_of(user.grid)
        key = (user.grid, date.today().isoformat())
        with self._lock:
            found = self._by_graph.setdefault(g, {}).get(key)
            if found is None:
                found = compute_scope(self.view.store, g, user.grid)
                self._by_graph[g][key] = found
        return found
