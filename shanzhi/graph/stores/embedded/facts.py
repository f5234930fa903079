"""The facts of who-covers for one building, walked from it over the SQLite tables.

Each step of the walk is one query on an index — a node's in-edges (``relations_into``,
``target = ?``) or its out-edges of one type (``relations_out_of``, ``source = ?``) — and each
node is read at most once, so a call reads the building's neighbourhood (a few dozen rows), never
the graph: its cost does not grow with the graph. The facts have the shape of
``cypher/who_covers.cypher``'s (:func:`shanzhi.graph.queries.who_covers.assemble` reads them).

The rows are read for every day (with each edge's ``valid_from``/``valid_to``) and kept in a
:class:`Neighbourhood`; a :class:`Walk` is that neighbourhood seen on one day (an edge counts when
``valid_from <= on <= valid_to``, open ends allowed, as :func:`~shanzhi.graph.model.rules.valid_on`
says). Many walks over one neighbourhood — the buildings and days of a list of tickets, in one
read transaction — read each grid, organisation and person once, however many buildings share
them (:func:`who_covers_facts_many`).
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from shanzhi.graph.model import Label, RelType
from shanzhi.graph.model.rules import MAX_GRID_CLIMB, MAX_PLACE_CLIMB
from shanzhi.graph.stores.embedded import sql
from shanzhi.graph.stores.embedded.rows import dumps, props
from shanzhi.graph.stores.interface import Facts

__all__ = ["Neighbourhood", "Walk", "who_covers_facts", "who_covers_facts_many"]

_PART_OF = RelType.PART_OF.value
_LOCATED_IN = RelType.LOCATED_IN.value
_ORG = Label.ORG.value
_PLACE = Label.PLACE.value
_CLIMBING = (Label.PLACE.value, Label.GRID.value)
#: The in-edges whose organisations' own in-edges (posts, members, liaisons) the pieces read.
_ORG_EDGES = (RelType.SERVES.value, RelType.LEADS.value)
#: The in-edges walked on from a place or grid: what covers, serves and leads it.
_FOLLOWED = (RelType.COVERS.value, *_ORG_EDGES)
T = TypeVar("T")
#: An edge as kept: (the node at its other end, its properties as JSON, valid_from, valid_to).
_Edge = tuple[str, str, str | None, str | None]


class Neighbourhood:
    """Nodes and edges of every day, read on demand (each once) and kept."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._labels: dict[str, str] = {}
        self._texts: dict[str, str] = {}
        self._props: dict[str, dict[str, Any]] = {}
        self._roles: dict[str, Any] = {}
        self._into: dict[str, dict[str, list[_Edge]]] = {}
        self._out: dict[tuple[str, str], list[_Edge]] = {}
        self._points: dict[str, list[str]] = {}
        #: (what, uid, stretch) → a piece of facts made once (:meth:`Walk.kept`)
        self.pieces: dict[tuple[str, str, int], Any] = {}

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

    def known_label(self, uid: str) -> str:
        """The label of a node met on an edge already."""
        return self._labels[uid]

    def node(self, uid: str) -> dict[str, Any]:
        """The node's properties (a node seen before: read on an edge or by :meth:`label`)."""
        d = self._props.get(uid)
        if d is None:
            if uid not in self._texts:
                self.label(uid)
            d = self._props[uid] = props(self._texts[uid])
        return d

    def role(self, edge: str) -> Any:
        """The ``role`` of an edge's properties (JSON text)."""
        if edge not in self._roles:
            self._roles[edge] = props(edge).get("role")
        return self._roles[edge]

    def into(self, target: str) -> dict[str, list[_Edge]]:
        """Type → the edges into ``target`` (every type but PART_OF and LOCATED_IN: what lies in
        a place is never asked for), one query per node."""
        by_type = self._into.get(target)
        if by_type is None:
            by_type = self._into[target] = {}
            params = {"target": target, "part_of": _PART_OF, "located_in": _LOCATED_IN}
            for typ, s, edge, start, end, s_label, s_text in self.conn.execute(
                sql.INTO_ANY_DAY, params
            ):
                self._keep(s, s_label, s_text)
                by_type.setdefault(typ, []).append((s, edge, start, end))
        return by_type

    def stretch(self, uid: str, on: str) -> int:
        """Which stretch of days ``on`` falls in for what hangs on ``uid``: the edges into it,
        its PART_OF edges out, and the edges into each organisation with an edge into it. On
        every day of one stretch each of those edges is valid throughout or not at all."""
        points = self._points.get(uid)
        if points is None:
            into = [e for edges in self.into(uid).values() for e in edges]
            around = [*into, *self.out_of(uid, _PART_OF)]
            for e in self._served(uid):  # organisations whose posts and members are read
                if self._labels[e[0]] == _ORG:
                    around.extend(x for edges in self.into(e[0]).values() for x in edges)
            cuts = {e[2] for e in around if e[2] is not None}
            cuts.update(e[3] + "\x00" for e in around if e[3] is not None)  # the day after
            points = self._points[uid] = sorted(cuts)
        return bisect_right(points, on)

    def _served(self, uid: str) -> list[_Edge]:
        by_type = self.into(uid)
        return [e for t in _ORG_EDGES for e in by_type.get(t, ())]

    def read_around(self, buildings: Iterable[str]) -> None:
        """Read at once, a few queries in all, what walks from ``buildings`` will ask for: the
        places and grids above them, what covers, serves and leads those, the buildings' roads.
        Only a shortcut: whatever a walk asks that was not read here is read when asked."""
        frontier = {u for u in buildings if u not in self._into}
        self._nodes(frontier)
        for _ in range(MAX_PLACE_CLIMB + MAX_GRID_CLIMB + 2):
            if not frontier:
                break
            self._into_many(frontier)
            climbing = [u for u in frontier if self._labels.get(u) in _CLIMBING]
            self._out_many(climbing, _PART_OF)
            ahead = {e[0] for u in frontier for t in _FOLLOWED for e in self._into[u].get(t, ())}
            ahead.update(e[0] for u in climbing for e in self._out[(u, _PART_OF)])
            frontier = {u for u in ahead if u not in self._into}
        roads = set()
        for u, label in self._labels.items():
            if label == _PLACE and (road := self.node(u).get("road_id")) is not None:
                roads.add(f"{self.node(u).get('dataset')}:{road}")
        roads -= self._into.keys()
        self._nodes(roads)
        self._into_many(roads)

    def _nodes(self, uids: set[str]) -> None:
        wanted = dumps(sorted(u for u in uids if u not in self._labels))
        for uid, label, text in self.conn.execute(sql.NODES_NAMED, (wanted,)):
            self._keep(uid, label, text)

    def _into_many(self, targets: set[str]) -> None:
        for t in targets:
            self._into.setdefault(t, {})
        params = {"targets": dumps(sorted(targets)), "part_of": _PART_OF, "located_in": _LOCATED_IN}
        for t, typ, s, edge, start, end, s_label, s_text in self.conn.execute(
            sql.INTO_ANY_DAY_MANY, params
        ):
            self._keep(s, s_label, s_text)
            self._into[t].setdefault(typ, []).append((s, edge, start, end))

    def _out_many(self, sources: list[str], rtype: str) -> None:
        wanted = [u for u in sources if (u, rtype) not in self._out]
        for u in wanted:
            self._out[(u, rtype)] = []
        params = {"sources": dumps(sorted(wanted)), "type": rtype}
        for u, t, start, end, t_label, t_text in self.conn.execute(sql.OUT_OF_ANY_DAY_MANY, params):
            self._keep(t, t_label, t_text)
            self._out[(u, rtype)].append((t, "", start, end))

    def out_of(self, source: str, rtype: str) -> list[_Edge]:
        """The ``rtype`` edges out of ``source``."""
        key = (source, rtype)
        found = self._out.get(key)
        if found is None:
            found = self._out[key] = []
            params = {"source": source, "type": rtype}
            for t, start, end, t_label, t_text in self.conn.execute(sql.OUT_OF_ANY_DAY, params):
                self._keep(t, t_label, t_text)
                found.append((t, "", start, end))
        return found


class Walk:
    """A :class:`Neighbourhood` on one day: only the edges valid on ``on`` are seen."""

    def __init__(self, where: Neighbourhood | sqlite3.Connection, on: str) -> None:
        self.nb = where if isinstance(where, Neighbourhood) else Neighbourhood(where)
        self.on = on

    def label(self, uid: str) -> str | None:
        """The node's label (None if there is no such node)."""
        return self.nb.label(uid)

    def node(self, uid: str) -> dict[str, Any]:
        """The node's properties (kept: read them, never change them)."""
        return self.nb.node(uid)

    def into(
        self, target: str, rtype: RelType, label: Label | None = None
    ) -> list[tuple[str, str]]:
        """(source, edge properties as JSON) of the valid ``rtype`` edges into ``target``."""
        on, labels = self.on, self.nb._labels
        edges = self.nb.into(target).get(rtype, ())  # a StrEnum member is its value as a key
        return [
            (s, e)
            for s, e, start, end in edges
            if (start is None or start <= on)
            and (end is None or on <= end)
            and (label is None or labels[s] == label)
        ]

    def out_of(self, source: str, rtype: RelType, label: Label) -> list[str]:
        """The targets of valid ``rtype`` edges out of ``source`` that carry ``label``."""
        on, labels = self.on, self.nb._labels
        return [
            t
            for t, _, start, end in self.nb.out_of(source, rtype.value)
            if (start is None or start <= on) and (end is None or on <= end) and labels[t] == label
        ]

    def kept(self, what: str, uid: str, make: Callable[[Walk, str], T]) -> T:
        """``make(self, uid)``, made once per :meth:`Neighbourhood.stretch` of days: on another
        day of the same stretch it would read the same valid edges, so it is the same piece."""
        key = (what, uid, self.nb.stretch(uid, self.on))
        if key not in self.nb.pieces:
            self.nb.pieces[key] = make(self, uid)
        found: T = self.nb.pieces[key]
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
            {"person": self.person(p), "role": self.nb.role(e)}
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
    ancestry: list[dict[str, Any]] = []
    covering: set[str] = set()
    for place, dist in depth.items():
        piece = w.kept("place", place, _place)
        covering.update(piece["grids"])
        ancestry.append({"depth": dist, **piece})
    return ancestry, covering


def _place(w: Walk, place: str) -> dict[str, Any]:
    """What covers and serves one place (an entry of the ancestry, but its depth)."""
    d = w.node(place)
    return {
        "place": {k: d.get(k) for k in ("id", "name", "kind", "road_id")} | {"uid": place},
        "grids": sorted(s for s, _ in w.into(place, RelType.COVERS, Label.GRID)),
        "serving": [
            {
                "org": w.org(o),
                "holders": w.people(o, RelType.HOLDS),
                "members": [w.person(p) for p, _ in w.into(o, RelType.MEMBER_OF, Label.PERSON)],
            }
            for o, _ in w.into(place, RelType.SERVES, Label.ORG)
        ],
    }


def _grids(w: Walk, covering: set[str]) -> list[dict[str, Any]]:
    """The covering grids and the grids up their PART_OF chains, with who leads and serves."""
    reach = {c: 0 for c in sorted(covering)}
    queue = deque(reach)
    entries: dict[str, dict[str, Any]] = {}
    while queue:
        grid = queue.popleft()
        entries[grid] = w.kept("grid", grid, _grid)
        if reach[grid] < MAX_GRID_CLIMB:
            for parent in entries[grid]["parents"]:
                if parent not in reach:
                    reach[parent] = reach[grid] + 1
                    queue.append(parent)
    return [entries[grid] for grid in reach]


def _grid(w: Walk, grid: str) -> dict[str, Any]:
    """One grid: its parents, who leads and serves it, its posts, liaisons and partners."""
    d = w.node(grid)
    return {
        "uid": grid,
        "id": d.get("id"),
        "name": d.get("name"),
        "level": d.get("level"),
        "code": d.get("code"),
        "parents": w.out_of(grid, RelType.PART_OF, Label.GRID),
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


def _holders(w: Walk, uid: str) -> list[dict[str, Any]]:
    return w.people(uid, RelType.HOLDS)


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
        "road_holders": [] if road is None else w.kept("holders", road, _holders),
    }


def who_covers_facts_many(
    conn: sqlite3.Connection, asks: Sequence[tuple[str, str]]
) -> list[Facts | None]:
    """The facts of each (building uid, ISO day) of ``asks``, in order, over one neighbourhood.
    The facts of several asks may share their pieces (a grid's entry, a place's): read them,
    never change them."""
    nb = Neighbourhood(conn)
    nb.read_around(uid for uid, _ in asks)
    return [who_covers_facts(Walk(nb, on), uid) for uid, on in asks]
