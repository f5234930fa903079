"""Coverage gaps (``shanzhi audit``): what the five-level grid leaves uncovered, on a day.

``audit(store, on=None)`` returns exactly the keys of spec/cli.md, each a list of
``{"id", "name", "dataset", ...}`` sorted by id (then dataset, then role). A relation counts only
if it is valid on ``on`` (default today): ``valid_from <= on <= valid_to``, open ends allowed.

* ``uncovered_buildings`` — building places that no grid COVERS.
* ``unled_grids`` — grids (any level) that no party organisation (an Org whose kind is one of the
  five ``party_*`` kinds) LEADS; items add ``level``.
* ``groups_without_party_member`` — 楼管小组 (Org ``building_management_group``) none of whose
  members (Person MEMBER_OF the group) is a party member; items add ``members``, how many
  members it has that day.
* ``branches_without_liaison`` — party branches (Org ``party_branch``) with which no Person
  LIAISES. A party_branch that LEADS a grid of another level than ``branch`` is a residential
  area's own party organisation, not a branch block (支部块), and is left out.
* ``vacant_posts`` — posts with fewer holders (distinct persons who HOLD the role on the
  target) than they need. *Required* posts: every building grid needs a 楼组长; every block grid
  a 网格长 and two 街区长 (双街区长制); every road place a 路长 (on duty that day). *Lapsed*
  posts: any role on a grid, organisation or place that someone held at some time but nobody
  holds that day (a 第二楼组长 who left, a 楼组长 whose successor starts later).
  Items add ``kind`` (grid level or place/org kind), ``role``, ``have`` and ``need``; a
  required post that also lapsed is listed once.

Both stores answer the same: Neo4j runs ``cypher/audit_<kind>.cypher`` (one query per kind), the
embedded store walks its graph, and the rows are shaped and sorted here by the same code.

>>> from shanzhi.graph.stores.embedded import EmbeddedStore
>>> import tempfile
>>> sorted(audit(EmbeddedStore(tempfile.mkdtemp())))
['branches_without_liaison', 'groups_without_party_member', 'uncovered_buildings', \
'unled_grids', 'vacant_posts']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from shanzhi.graph.model import GridLevel, Label, OrgKind, PlaceKind, RelType
from shanzhi.graph.queries.who_covers import parse_day, valid_on

__all__ = ["GAP_KINDS", "REQUIRED_POSTS", "audit"]

#: The keys of ``audit --json`` (spec/cli.md), in order.
GAP_KINDS = (
    "uncovered_buildings",
    "unled_grids",
    "groups_without_party_member",
    "branches_without_liaison",
    "vacant_posts",
)
LEADER, SECOND = "楼组长", "第二楼组长"
GRID_CHIEF, BLOCK_CHIEF, ROAD_CHIEF = "网格长", "街区长", "路长"
BLOCK_CHIEFS = 2
#: (label, level or kind) → the posts it needs and how many holders each.
REQUIRED_POSTS: dict[tuple[Label, str], tuple[tuple[str, int], ...]] = {
    (Label.GRID, GridLevel.BUILDING.value): ((LEADER, 1),),
    (Label.GRID, GridLevel.BLOCK.value): ((GRID_CHIEF, 1), (BLOCK_CHIEF, BLOCK_CHIEFS)),
    (Label.PLACE, PlaceKind.ROAD.value): ((ROAD_CHIEF, 1),),
}
_PARTY_KINDS = [k.value for k in OrgKind if k.is_party]
_LAPSE_TARGETS = frozenset({Label.GRID.value, Label.ORG.value, Label.PLACE.value})

Row = dict[str, Any]


def audit(store: Any, on: date | str | None = None) -> dict[str, list[dict[str, Any]]]:
    """The coverage gaps of ``store`` on ``on`` (default today); see the module docstring."""
    day = parse_day(on).isoformat()
    raw = _raw_neo4j(store, day) if store.kind == "neo4j" else _raw_embedded(store.graph, day)
    return _shape(raw)


# -- Neo4j: one library query per kind ---------------------------------------------------------
def _raw_neo4j(store: Any, on: str) -> dict[str, list[Row]]:
    run = store.run_read_query
    return {
        "uncovered_buildings": run(
            "audit_uncovered_buildings", {"on": on, "building_kind": PlaceKind.BUILDING.value}
        ),
        "unled_grids": run("audit_unled_grids", {"on": on, "party_kinds": _PARTY_KINDS}),
        "groups_without_party_member": run(
            "audit_groups_without_party_member",
            {"on": on, "group_kind": OrgKind.BUILDING_MANAGEMENT_GROUP.value},
        ),
        "branches_without_liaison": run(
            "audit_branches_without_liaison",
            {
                "on": on,
                "branch_kind": OrgKind.PARTY_BRANCH.value,
                "branch_level": GridLevel.BRANCH.value,
            },
        ),
        "vacant_posts": run(
            "audit_vacant_posts",
            {
                "on": on,
                "building_level": GridLevel.BUILDING.value,
                "block_level": GridLevel.BLOCK.value,
                "road_kind": PlaceKind.ROAD.value,
                "leader_role": LEADER,
                "grid_chief_role": GRID_CHIEF,
                "block_chief_role": BLOCK_CHIEF,
                "block_chiefs": BLOCK_CHIEFS,
                "road_chief_role": ROAD_CHIEF,
            },
        ),
    }


# -- embedded: the same rows from the networkx graph -------------------------------------------
def _raw_embedded(g: Any, on: str) -> dict[str, list[Row]]:
    nodes = g._node  # raw dicts: see who_covers.facts_embedded
    incoming: dict[str, list[tuple[str, str, Mapping[str, Any]]]] = defaultdict(list)
    outgoing: dict[str, list[tuple[str, str, Mapping[str, Any]]]] = defaultdict(list)
    for s, t, e in g.edges(data=True):
        incoming[t].append((s, e["type"], e))
        outgoing[s].append((t, e["type"], e))

    def into(t: str, rtype: RelType) -> Iterable[tuple[str, Mapping[str, Any]]]:
        return ((s, e) for s, typ, e in incoming.get(t, ()) if typ == rtype.value)

    def base(uid: str) -> Row:
        d = nodes[uid]
        return {"id": d.get("id"), "name": d.get("name"), "dataset": d.get("dataset")}

    out: dict[str, list[Row]] = {kind: [] for kind in GAP_KINDS}
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
                and nodes[s].get("kind") in _PARTY_KINDS
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
) -> Iterable[Row]:
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
    if label in _LAPSE_TARGETS:
        for role, holds in held.items():
            if not any(valid_on(e, on) for _, e in holds):
                yield row | {"role": role, "holders": [], "need": 1}


# -- shaping (both stores) ---------------------------------------------------------------------
def _key(item: Mapping[str, Any]) -> tuple[str, str, str]:
    return (str(item["id"]), str(item.get("dataset") or ""), str(item.get("role") or ""))


def _shape(raw: Mapping[str, list[Row]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for kind in GAP_KINDS:
        items: dict[tuple[str, str, str], dict[str, Any]] = {}
        for r in raw[kind]:
            item = {"id": r["id"], "name": r["name"], "dataset": r.get("dataset")}
            if kind == "unled_grids":
                item["level"] = r.get("level")
            elif kind == "groups_without_party_member":
                item["members"] = len(set(r.get("members") or ()))
            elif kind == "vacant_posts":
                item.update(
                    kind=r.get("kind"),
                    role=r.get("role"),
                    have=len(set(r.get("holders") or ())),
                    need=int(r["need"]),
                )
            key = _key(item)
            if key not in items or item.get("need", 0) > items[key].get("need", 0):
                items[key] = item
        out[kind] = [items[k] for k in sorted(items)]
    return out
