"""The facts of who-covers for one building, walked from it over the SQLite tables.

Each step of the walk is one query on an index — a node's valid in-edges (``relations_into``,
``target = ?``) or its valid out-edges of one type (``relations_out_of``, ``source = ?``) — and
each node is read at most once, so a call reads the building's neighbourhood (a few dozen rows),
never the graph: its cost does not grow with the graph. The facts have the shape of
``cypher/who_covers.cypher``'s (:func:`shanzhi.graph.queries.who_covers.assemble` reads them).
"""

from __future__ import annotations

import sqlite3
from collections import deque
from typing import Any

from shanzhi.graph.model import Label, RelType
from shanzhi.graph.model.rules import MAX_GRID_CLIMB, MAX_PLACE_CLIMB
from shanzhi.graph.stores.embedded import sql
from shanzhi.graph.stores.embedded.rows import props
from shanzhi.graph.stores.interface import Facts

__all__ = ["Walk", "who_covers_facts"]

_PART_OF = RelType.PART_OF.value


class Walk:
    """Nodes and edges around a building on one day, read on demand and kept for the call."""

    def __init__(self, conn: sqlite3.Connection, on: str) -> None:
        self.conn, self.on = conn, on
        self._labels: dict[str, str] = {}
        self._texts: dict[str, str] = {}
        self._props: dict[str, dict[str, Any]] = {}
        self._into: dict[str, dict[str, list[tuple[str, str]]]] = {}

    def _keep(self, uid: str, label: str, text: str) -> None:
        if uid not in self._labels:
            self._labels[uid], self._texts[uid] = label, text

    def label(self, uid: str) -> str | None:
        """The node's label (None if there is no such node)."""
        if uid not in self._labels:
            row = self.conn.execute(sql.NODE, (uid,)).fetchone()
            if row is None:
                return None
            self._keep(uid, *row)
        return self._labels[uid]

    def node(self, uid: str) -> dict[str, Any]:
        """The node's properties (a node seen before: read on an edge or by :meth:`label`)."""
        d = self._props.get(uid)
        if d is None:
            if uid not in self._texts:
                self.label(uid)
            d = self._props[uid] = props(self._texts[uid])
        return d

    def into(
        self, target: str, rtype: RelType, label: Label | None = None
    ) -> list[tuple[str, str]]:
        """(source, edge properties as JSON) of the valid ``rtype`` edges into ``target``."""
        by_type = self._into.get(target)
        if by_type is None:  # one query per node: its in-edges of every type but PART_OF
            by_type = self._into[target] = {}
            params = {"target": target, "part_of": _PART_OF, "on": self.on}
            for typ, s, edge, s_label, s_text in self.conn.execute(sql.INTO, params):
                self._keep(s, s_label, s_text)
                by_type.setdefault(typ, []).append((s, edge))
        found = by_type.get(rtype.value, [])
        if label is None:
            return found
        return [(s, e) for s, e in found if self._labels[s] == label.value]

    def out_of(self, source: str, rtype: RelType, label: Label) -> list[str]:
        """The targets of valid ``rtype`` edges out of ``source`` that carry ``label``."""
        params = {"source": source, "type": rtype.value, "on": self.on}
        found = []
        for t, t_label, t_text in self.conn.execute(sql.OUT_OF, params):
            self._keep(t, t_label, t_text)
            if t_label == label.value:
                found.append(t)
        return found

    # -- the pieces of the facts -----------------------------------------------------------------
    def person(self, uid: str) -> dict[str, Any]:
        d = self.node(uid)
        return {
            "uid": uid,
            "id": d.get("id"),
            "name": d.get("name"),
            "party_member": d.get("party_member"),
            "phone": d.get("phone"),
        }

    def org(self, uid: str) -> dict[str, Any]:
        d = self.node(uid)
        return {"uid": uid, "id": d.get("id"), "name": d.get("name"), "kind": d.get("kind")}

    def people(self, target: str, rtype: RelType) -> list[dict[str, Any]]:
        """Persons with a valid ``rtype`` edge into ``target``, with the edge's role."""
        return [
            {"person": self.person(p), "role": props(e).get("role")}
            for p, e in self.into(target, rtype, Label.PERSON)
        ]


def _ancestry(w: Walk, uid: str) -> tuple[list[dict[str, Any]], set[str]]:
    """The places the building is PART_OF (breadth first, with their depth), what covers and
    serves each, and every grid covering one of them."""
    depth = {uid: 0}
    queue = deque([uid])
    while queue:
        place = queue.popleft()
        if depth[place] < MAX_PLACE_CLIMB:
            for parent in w.out_of(place, RelType.PART_OF, Label.PLACE):
                if parent not in depth:
                    depth[parent] = depth[place] + 1
                    queue.append(parent)
    ancestry, covering = [], set()
    for place, dist in depth.items():
        d = w.node(place)
        covers = sorted(s for s, _ in w.into(place, RelType.COVERS, Label.GRID))
        covering.update(covers)
        serving = [
            {
                "org": w.org(o),
                "holders": w.people(o, RelType.HOLDS),
                "members": [w.person(p) for p, _ in w.into(o, RelType.MEMBER_OF, Label.PERSON)],
            }
            for o, _ in w.into(place, RelType.SERVES, Label.ORG)
        ]
        ancestry.append(
            {
                "depth": dist,
                "place": {k: d.get(k) for k in ("id", "name", "kind", "road_id")} | {"uid": place},
                "grids": covers,
                "serving": serving,
            }
        )
    return ancestry, covering


def _grids(w: Walk, covering: set[str]) -> list[dict[str, Any]]:
    """The covering grids and the grids up their PART_OF chains, with who leads and serves."""
    reach = {c: 0 for c in sorted(covering)}
    queue = deque(reach)
    parents: dict[str, list[str]] = {}
    while queue:
        grid = queue.popleft()
        parents[grid] = w.out_of(grid, RelType.PART_OF, Label.GRID)
        if reach[grid] < MAX_GRID_CLIMB:
            for parent in parents[grid]:
                if parent not in reach:
                    reach[parent] = reach[grid] + 1
                    queue.append(parent)
    grids = []
    for grid in reach:
        d = w.node(grid)
        grids.append(
            {
                "uid": grid,
                "id": d.get("id"),
                "name": d.get("name"),
                "level": d.get("level"),
                "code": d.get("code"),
                "parents": parents[grid],
                "orgs": [
                    {
                        "org": w.org(o),
                        "rel": rtype.value,
                        "holders": w.people(o, RelType.HOLDS),
                        "liaisons": w.people(o, RelType.LIAISES),
                    }
                    for rtype in (RelType.LEADS, RelType.SERVES)
                    for o, _ in w.into(grid, rtype, Label.ORG)
                ],
                "holders": w.people(grid, RelType.HOLDS),
                "liaisons": w.people(grid, RelType.LIAISES),
                "partners": [s for s, _ in w.into(grid, RelType.PARTNERS)],
            }
        )
    return grids


def _road_of(ancestry: list[dict[str, Any]], dataset: str) -> str | None:
    """The uid of the road of the nearest place (then smallest uid) that names one."""
    with_road = [a for a in ancestry if a["place"].get("road_id") is not None]
    if not with_road:
        return None
    nearest = min(with_road, key=lambda a: (a["depth"], a["place"]["uid"]))
    return f"{dataset}:{nearest['place']['road_id']}"


def who_covers_facts(w: Walk, uid: str) -> Facts | None:
    """The facts around the building ``uid`` on the walk's day (None if it is no place)."""
    if w.label(uid) != Label.PLACE.value:
        return None
    ancestry, covering = _ancestry(w, uid)
    grids = _grids(w, covering)
    b = w.node(uid)
    road = _road_of(ancestry, str(b.get("dataset")))
    if road is not None and w.label(road) != Label.PLACE.value:
        road = None
    return {
        "building": {k: b.get(k) for k in ("id", "name", "address", "road_id", "dataset")}
        | {"uid": uid},
        "ancestry": ancestry,
        "grids": grids,
        "place_holders": w.people(uid, RelType.HOLDS),
        "road": None
        if road is None
        else {"uid": road, "id": w.node(road).get("id"), "name": w.node(road).get("name")},
        "road_holders": [] if road is None else w.people(road, RelType.HOLDS),
    }
