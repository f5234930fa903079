"""Coverage gaps (``shanzhi audit``): what the five-level grid leaves uncovered, on a day.

``audit(store, on=None)`` returns exactly the keys of docs/cli.md, each a list of
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

Both stores answer the same: each gives the raw rows of every kind (``store.audit_rows``; Neo4j
runs ``cypher/audit_<kind>.cypher``, one query per kind), and the rows are shaped and sorted here
by the same code. The posts required are :data:`~shanzhi.graph.model.rules.REQUIRED_POSTS`.

>>> from shanzhi.graph.stores.embedded import EmbeddedStore
>>> import tempfile
>>> sorted(audit(EmbeddedStore(tempfile.mkdtemp())))
['branches_without_liaison', 'groups_without_party_member', 'uncovered_buildings', \
'unled_grids', 'vacant_posts']
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from shanzhi.graph.model.rules import GAP_KINDS, REQUIRED_POSTS
from shanzhi.graph.queries.who_covers import parse_day
from shanzhi.graph.stores.interface import GraphStore

__all__ = ["GAP_KINDS", "REQUIRED_POSTS", "audit"]

Row = dict[str, Any]


def audit(store: GraphStore, on: date | str | None = None) -> dict[str, list[dict[str, Any]]]:
    """The coverage gaps of ``store`` on ``on`` (default today); see the module docstring."""
    day = parse_day(on).isoformat()
    return _shape(store.audit_rows(day))


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
