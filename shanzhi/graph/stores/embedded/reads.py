"""The embedded store's reads: each question's facts from its networkx graph.

The same facts, in the same shapes, as the Neo4j store's reads (``stores/neo4j/reads.py``) get from
the Cypher library; :class:`~shanzhi.graph.stores.interface.GraphStore` documents them. The walks
use the raw adjacency dicts of the MultiDiGraph (node → neighbour → key → attrs): several times
faster than networkx's read-only views, which matters at 10^6 nodes.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations
from typing import TYPE_CHECKING, Any, ClassVar

import networkx as nx

from shanzhi.errors import UsageError
from shanzhi.graph.model import GridLevel, Label, OrgKind, PlaceKind, RelType
from shanzhi.graph.model.rules import (
    GAP_KINDS,
    GOVERN_RELS,
    HOLDER_RELS,
    LAPSE_TARGETS,
    MAX_GRID_CLIMB,
    MAX_PLACE_CLIMB,
    PARTY_KINDS,
    PROJECT_RELS,
    REQUIRED_POSTS,
    valid_on,
)
from shanzhi.graph.stores.interface import (
    AuditRows,
    BuildingRow,
    CircleLink,
    CircleMember,
    CircleRow,
    CypherTarget,
    Facts,
    StatsCounts,
)

__all__ = ["EmbeddedReads"]


class EmbeddedReads:
    """The reads of :class:`~shanzhi.graph.stores.interface.GraphStore` over ``self.graph``."""

    if TYPE_CHECKING:  # the store's own, in store.py

        @property
        def graph(self) -> nx.MultiDiGraph: ...

    keeps_centrality: ClassVar[bool] = False

    def building_rows(self) -> list[BuildingRow]:
        """Every building, for the finder's index."""
        return building_rows(self.graph)

    def who_covers_facts(self, uid: str, on: str) -> Facts | None:
        """The facts around the building ``uid`` on ``on``."""
        return who_covers_facts(self.graph, uid, on)

    def audit_rows(self, on: str) -> AuditRows:
        """The raw rows of every gap kind on ``on``."""
        return audit_rows(self.graph, on)

    def circle_rows(self, block: str | None, own_kinds: Sequence[str]) -> list[CircleRow]:
        """The circles of the block grids whose uid, id or name is ``block`` (all if None)."""
        g, own = self.graph, frozenset(own_kinds)
        text = block.strip() if block is not None else None
        blocks = [
            u
            for u, d in g.nodes(data=True)
            if d["label"] == Label.GRID
            and d.get("level") == GridLevel.BLOCK
            and (text is None or text in (u, d.get("id"), d.get("name")))
        ]
        return [circle_row(g, b, own) for b in blocks]

    def stats_counts(self, dataset: str | None) -> StatsCounts:
        """Counts of one dataset or of everything held."""
        return stats_counts(self.graph, dataset)

    def cypher_target(self) -> CypherTarget:
        """The embedded store runs no Cypher."""
        raise UsageError(
            "cypher queries need Neo4j: add --store neo4j (or set SHANZHI_STORE=neo4j)."
        )

    def write_centrality(self, run: dict[str, Any], ran_at: str, rows: list[dict[str, Any]]) -> int:
        """The embedded store keeps no centrality runs."""
        raise UsageError("--write-back stores scores in Neo4j; use it with --store neo4j.")


# -- the finder's rows -------------------------------------------------------------------------
def building_rows(g: nx.MultiDiGraph) -> list[BuildingRow]:
    """uid, id, dataset, name, address, aliases and parents (name, aliases) of every building."""
    rows: list[BuildingRow] = []
    for uid, d in g.nodes(data=True):
        if d.get("label") != Label.PLACE.value or d.get("kind") != PlaceKind.BUILDING.value:
            continue
        parents: list[Any] = [
            {"name": g.nodes[t].get("name"), "aliases": g.nodes[t].get("aliases")}
            for _, t, e in g.out_edges(uid, data=True)
            if e.get("type") == RelType.PART_OF.value
            and g.nodes[t].get("label") == Label.PLACE.value
        ]
        rows.append(
            {
                "uid": uid,
                "id": d.get("id"),
                "dataset": d.get("dataset"),
                "name": d.get("name"),
                "address": d.get("address"),
                "aliases": d.get("aliases"),
                "parents": parents,
            }
        )
    return rows


# -- who covers --------------------------------------------------------------------------------
def _person(d: Mapping[str, Any], uid: str) -> dict[str, Any]:
    return {
        "uid": uid,
        "id": d.get("id"),
        "name": d.get("name"),
        "party_member": d.get("party_member"),
        "phone": d.get("phone"),
    }


def _org(d: Mapping[str, Any], uid: str) -> dict[str, Any]:
    return {"uid": uid, "id": d.get("id"), "name": d.get("name"), "kind": d.get("kind")}


def who_covers_facts(g: Any, uid: str, on: str) -> Facts | None:
    """The facts around a building, read from the embedded graph (same shape as the Cypher's)."""
    if uid not in g or g.nodes[uid].get("label") != Label.PLACE.value:
        return None
    # The raw adjacency dicts of the MultiDiGraph (node → neighbour → key → attrs): walking them
    # is several times faster than networkx's read-only views, which matters at 10^6 nodes.
    nodes, pred, succ = g._node, g._pred, g._succ
    incoming: dict[str, dict[str, list[tuple[str, Any]]]] = {}

    def into(target: str, rtype: RelType, label: Label | None = None) -> Iterable[tuple[str, Any]]:
        by_type = incoming.get(target)
        if by_type is None:  # one pass over a node's in-edges, bucketed by type
            by_type = incoming[target] = {}
            for s, keyed in pred[target].items():
                for e in keyed.values():
                    if valid_on(e, on):
                        by_type.setdefault(e["type"], []).append((s, e))
        for s, e in by_type.get(rtype.value, ()):
            if label is None or nodes[s].get("label") == label.value:
                yield s, e

    def out_of(source: str, rtype: RelType, label: Label) -> Iterable[str]:
        for t, keyed in succ[source].items():
            for e in keyed.values():
                if (
                    e.get("type") == rtype.value
                    and valid_on(e, on)
                    and nodes[t].get("label") == label.value
                ):
                    yield t

    def holders(target: str) -> list[dict[str, Any]]:
        return [
            {"person": _person(nodes[p], p), "role": e.get("role")}
            for p, e in into(target, RelType.HOLDS, Label.PERSON)
        ]

    def liaisons(target: str) -> list[dict[str, Any]]:
        return [
            {"person": _person(nodes[p], p), "role": e.get("role")}
            for p, e in into(target, RelType.LIAISES, Label.PERSON)
        ]

    ancestry = []
    depth = {uid: 0}
    queue = deque([uid])
    while queue:
        place = queue.popleft()
        if depth[place] < MAX_PLACE_CLIMB:
            for parent in out_of(place, RelType.PART_OF, Label.PLACE):
                if parent not in depth:
                    depth[parent] = depth[place] + 1
                    queue.append(parent)
    covering: set[str] = set()
    for place, dist in depth.items():
        d = nodes[place]
        covers = sorted(s for s, _ in into(place, RelType.COVERS, Label.GRID))
        covering.update(covers)
        serving = [
            {
                "org": _org(nodes[o], o),
                "holders": holders(o),
                "members": [
                    _person(nodes[p], p) for p, _ in into(o, RelType.MEMBER_OF, Label.PERSON)
                ],
            }
            for o, _ in into(place, RelType.SERVES, Label.ORG)
        ]
        ancestry.append(
            {
                "depth": dist,
                "place": {k: d.get(k) for k in ("id", "name", "kind", "road_id")} | {"uid": place},
                "grids": covers,
                "serving": serving,
            }
        )
    reach = {c: 0 for c in covering}
    queue = deque(covering)
    while queue:
        grid = queue.popleft()
        if reach[grid] < MAX_GRID_CLIMB:
            for parent in out_of(grid, RelType.PART_OF, Label.GRID):
                if parent not in reach:
                    reach[parent] = reach[grid] + 1
                    queue.append(parent)
    grids = []
    for grid in reach:
        d = nodes[grid]
        grids.append(
            {
                "uid": grid,
                "id": d.get("id"),
                "name": d.get("name"),
                "level": d.get("level"),
                "code": d.get("code"),
                "parents": list(out_of(grid, RelType.PART_OF, Label.GRID)),
                "orgs": [
                    {
                        "org": _org(nodes[o], o),
                        "rel": e.get("type"),
                        "holders": holders(o),
                        "liaisons": liaisons(o),
                    }
                    for rtype in (RelType.LEADS, RelType.SERVES)
                    for o, e in into(grid, rtype, Label.ORG)
                ],
                "holders": holders(grid),
                "liaisons": liaisons(grid),
                "partners": [s for s, _ in into(grid, RelType.PARTNERS)],
            }
        )
    b = nodes[uid]
    road = _road_of(ancestry, str(b.get("dataset")))
    road_node = nodes[road] if road is not None and road in g else None
    if road_node is not None and road_node.get("label") != Label.PLACE.value:
        road_node = None
    return {
        "building": {k: b.get(k) for k in ("id", "name", "address", "road_id", "dataset")}
        | {"uid": uid},
        "ancestry": ancestry,
        "grids": grids,
        "place_holders": holders(uid),
        "road": None
        if road is None or road_node is None
        else {"uid": road, "id": road_node.get("id"), "name": road_node.get("name")},
        "road_holders": [] if road is None or road_node is None else holders(road),
    }


def _road_of(ancestry: list[dict[str, Any]], dataset: str) -> str | None:
    """The uid of the road of the nearest place (then smallest uid) that names one."""
    with_road = [a for a in ancestry if a["place"].get("road_id") is not None]
    if not with_road:
        return None
    nearest = min(with_road, key=lambda a: (a["depth"], a["place"]["uid"]))
    return f"{dataset}:{nearest['place']['road_id']}"


# -- audit -------------------------------------------------------------------------------------
def audit_rows(g: Any, on: str) -> AuditRows:
    nodes = g._node  # raw dicts: see who_covers_facts
    incoming: dict[str, list[tuple[str, str, Mapping[str, Any]]]] = defaultdict(list)
    outgoing: dict[str, list[tuple[str, str, Mapping[str, Any]]]] = defaultdict(list)
    for s, t, e in g.edges(data=True):
        incoming[t].append((s, e["type"], e))
        outgoing[s].append((t, e["type"], e))

    def into(t: str, rtype: RelType) -> Iterable[tuple[str, Mapping[str, Any]]]:
        return ((s, e) for s, typ, e in incoming.get(t, ()) if typ == rtype.value)

    def base(uid: str) -> dict[str, Any]:
        d = nodes[uid]
        return {"id": d.get("id"), "name": d.get("name"), "dataset": d.get("dataset")}

    out: dict[str, list[dict[str, Any]]] = {kind: [] for kind in GAP_KINDS}
    for uid, d in nodes.items():
        label, kind = d.get("label"), d.get("level", d.get("kind"))
        if label == Label.PLACE.value and kind == PlaceKind.BUILDING.value:
            covered = any(
                nodes[s].get("label") == Label.GRID.value and valid_on(e, on)
                for s, e in into(uid, RelType.COVERS)
            )
            if not covered:
                out["uncovered_buildings"].append(base(uid))
        if label == Label.GRID.value:
            led = any(
                nodes[s].get("label") == Label.ORG.value
                and nodes[s].get("kind") in PARTY_KINDS
                and valid_on(e, on)
                for s, e in into(uid, RelType.LEADS)
            )
            if not led:
                out["unled_grids"].append(base(uid) | {"level": d.get("level")})
        if label == Label.ORG.value and kind == OrgKind.BUILDING_MANAGEMENT_GROUP.value:
            members = [
                s
                for s, e in into(uid, RelType.MEMBER_OF)
                if nodes[s].get("label") == Label.PERSON.value and valid_on(e, on)
            ]
            if not any(nodes[m].get("party_member") is True for m in members):
                out["groups_without_party_member"].append(base(uid) | {"members": members})
        if label == Label.ORG.value and kind == OrgKind.PARTY_BRANCH.value:
            community_org = any(
                typ == RelType.LEADS.value
                and nodes[t].get("label") == Label.GRID.value
                and nodes[t].get("level") != GridLevel.BRANCH.value
                and valid_on(e, on)
                for t, typ, e in outgoing.get(uid, ())
            )
            liaised = any(
                nodes[s].get("label") == Label.PERSON.value and valid_on(e, on)
                for s, e in into(uid, RelType.LIAISES)
            )
            if not community_org and not liaised:
                out["branches_without_liaison"].append(base(uid))
        out["vacant_posts"].extend(_vacancies(uid, d, into, nodes, on))
    return out


def _vacancies(
    uid: str, d: Mapping[str, Any], into: Any, nodes: Mapping[str, Any], on: str
) -> Iterable[dict[str, Any]]:
    label, kind = d.get("label"), d.get("level", d.get("kind"))
    held: dict[str, list[tuple[str, Mapping[str, Any]]]] = defaultdict(list)
    for s, e in into(uid, RelType.HOLDS):
        if nodes[s].get("label") == Label.PERSON.value:
            held[e.get("role")].append((s, e))
    row = {"id": d.get("id"), "name": d.get("name"), "dataset": d.get("dataset"), "kind": kind}
    for role, need in REQUIRED_POSTS.get((Label(label), str(kind)), ()) if label else ():
        holders = sorted({s for s, e in held.get(role, ()) if valid_on(e, on)})
        if len(holders) < need:
            yield row | {"role": role, "holders": holders, "need": need}
    if label in LAPSE_TARGETS:
        for role, holds in held.items():
            if not any(valid_on(e, on) for _, e in holds):
                yield row | {"role": role, "holders": [], "need": 1}


# -- the 善治朋友圈 ---------------------------------------------------------------------------
def _node(g: nx.MultiDiGraph, uid: str) -> CircleMember:
    d = g.nodes[uid]
    kind = d.get("level", d.get("kind"))
    return {
        "uid": uid,
        "id": str(d.get("id", uid)),
        "name": str(d.get("name", uid)),
        "label": str(d["label"]),
        "kind": kind and str(kind),
    }


def _grids_under(g: nx.MultiDiGraph, block: str) -> set[str]:
    """The block grid and every grid PART_OF it, any depth."""
    seen, todo = {block}, [block]
    while todo:
        for s, _, d in g.in_edges(todo.pop(), data=True):
            if d["type"] == RelType.PART_OF and s not in seen and g.nodes[s]["label"] == Label.GRID:
                seen.add(s)
                todo.append(s)
    return seen


def _is_own(g: nx.MultiDiGraph, org: str, under_block: set[str], own_kinds: frozenset[str]) -> bool:
    """True if ``org`` is of an own kind and it (or an org it is PART_OF) governs a block grid."""
    if g.nodes[org]["label"] != Label.ORG or g.nodes[org].get("kind") not in own_kinds:
        return False
    seen, todo = {org}, [org]
    while todo:
        for _, t, d in g.out_edges(todo.pop(), data=True):
            if d["type"] in GOVERN_RELS and t in under_block:
                return True
            if d["type"] == RelType.PART_OF and t not in seen and g.nodes[t]["label"] == Label.ORG:
                seen.add(t)
                todo.append(t)
    return False


def circle_row(g: nx.MultiDiGraph, block: str, own_kinds: frozenset[str]) -> CircleRow:
    """The circle of the block grid ``block`` (a uid), as the rows of ``circle.cypher``."""
    under = _grids_under(g, block)
    members: dict[str, CircleMember] = {}
    for s, _, d in g.in_edges(block, data=True):
        if d["type"] != RelType.PARTNERS or g.nodes[s]["label"] not in (Label.ORG, Label.PERSON):
            continue
        if not _is_own(g, s, under, own_kinds):
            members[s] = _node(g, s)
    links: list[CircleLink] = []
    by_project: dict[str, set[str]] = defaultdict(set)
    by_holder: dict[str, set[str]] = defaultdict(set)
    for m, member in members.items():
        for _, t, d in g.out_edges(m, data=True):
            if d["type"] == RelType.PARTNERS and t in members and t != m:
                links.append({"a": m, "b": t, "via": "partners", "through": None})
            elif d["type"] in PROJECT_RELS and g.nodes[t]["label"] == Label.PROJECT:
                by_project[t].add(m)
        if member["label"] == Label.PERSON:
            by_holder[m].add(m)
        for s, _, d in g.in_edges(m, data=True):
            if d["type"] in HOLDER_RELS and g.nodes[s]["label"] == Label.PERSON:
                by_holder[s].add(m)
    for via, groups in (("project", by_project), ("holder", by_holder)):
        for through, ms in groups.items():
            node = _node(g, through)
            for a, b in combinations(sorted(ms), 2):
                links.append({"a": a, "b": b, "via": via, "through": node})
    return {"block": _node(g, block), "members": list(members.values()), "links": links}


# -- stats -------------------------------------------------------------------------------------
def _kind_key(label: str, props: Mapping[str, Any]) -> str:
    kind = props.get("level", props.get("kind"))
    return f"{label}:{kind}" if kind is not None else label


def stats_counts(g: nx.MultiDiGraph, dataset: str | None) -> StatsCounts:
    """Nodes by ``Label:kind``, relations by type and by ``TYPE→Label:kind`` of their target."""
    by_kind = Counter(
        _kind_key(d["label"], d)
        for _, d in g.nodes(data=True)
        if dataset is None or d.get("dataset") == dataset
    )
    edges = [
        (d["type"], g.nodes[t])
        for _, t, d in g.edges(data=True)
        if dataset is None or d.get("dataset") == dataset
    ]
    names = {
        str(d["dataset"])
        for _, d in g.nodes(data=True)
        if dataset is None or d.get("dataset") == dataset
    }
    return {
        "nodes_by_kind": dict(by_kind),
        "relations_by_type": dict(Counter(rtype for rtype, _ in edges)),
        "relations_by_target": dict(
            Counter(f"{rtype}→{_kind_key(t['label'], t)}" for rtype, t in edges)
        ),
        "datasets": sorted(names),
    }
