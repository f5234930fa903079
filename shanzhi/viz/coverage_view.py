"""``viz coverage``: the who-covers chain of a building as a tree — the building, then its
building grid, branch grid … street grid, each with the organisations and people of that level
(people's roles written on the lines)."""

from __future__ import annotations

from datetime import date
from typing import Any

import networkx as nx

from shanzhi.graph.model import GridLevel
from shanzhi.viz.layout import tree_layout
from shanzhi.viz.picture import Picture, VEdge, VNode, node_of
from shanzhi.viz.source import dataset_uid, graph_of
from shanzhi.viz.style import group_of, rel_zh

__all__ = ["coverage"]


def _chain_node(g: nx.MultiDiGraph, uid: str, item: dict[str, Any], label: str) -> VNode:
    if uid in g:
        return node_of(g, uid)
    props = {k: v for k, v in item.items() if not isinstance(v, dict | list)}
    return VNode(
        id=uid,
        label=str(item.get("name", item.get("id", uid))),
        kind=label,
        group=group_of(label, props).key,
        title=str(item.get("name", "")),
    )


def coverage(store: Any, building: str, on: date | str | None = None) -> Picture:
    """The who-covers chain of ``building`` (typed as people type it) on a date, as a tree.

    The building is the root; each grid of the chain hangs under the previous one (nearest
    first), and the organisations and people of each level hang under their grid — members of a
    楼管小组 under the group. Each person's label carries their role; a person named at several
    levels is drawn once, at the nearest, with every role in the label.
    """
    from shanzhi.graph.queries.finder import find_building
    from shanzhi.graph.queries.who_covers import who_covers

    record = find_building(store, building)
    answer = who_covers(store, record.uid, on=on, show_contact=False)
    g = graph_of(store)
    ds = record.dataset
    pic = Picture(
        title=f"{record.name} 由谁负责",
        layout="tree",
        subtitle=f"{answer.get('on', '')} · 由近及远：楼组 → 支部 → 居民区 → 街区 → 街道",
        focus=record.uid,
    )
    root = node_of(g, record.uid) if record.uid in g else _root(record)
    root.size = 18
    pic.nodes.append(root)
    placed: dict[str, VNode] = {}
    parent = record.uid
    for step in answer.get("chain", []):
        grid_uid = _chain_grid(pic, g, ds, step, parent, record.uid)
        groups: dict[str, Any] = {}
        for org in step.get("orgs", []):
            uid = dataset_uid(ds, str(org["id"]))
            rel = str(org.get("relation") or "LEADS")
            hung = _hang(pic, g, placed, uid, org, "Org", grid_uid, rel, "")
            if hung and org.get("kind") == "building_management_group":
                groups[uid] = org
        group = next(iter(groups), None)
        for person in step.get("people", []):
            uid = dataset_uid(ds, str(person["id"]))
            role = str(person.get("role") or "")
            under = group if group and role.startswith("楼管小组") else grid_uid
            rel = "MEMBER_OF" if under == group else "HOLDS"
            _hang(pic, g, placed, uid, person, "Person", under, rel, role)
        parent = grid_uid
    for n in pic.nodes:
        if n.group not in ("place_building",) and not n.group.startswith("grid_"):
            n.size = 9
    tree_layout(pic)
    return pic


def _chain_grid(
    pic: Picture, g: nx.MultiDiGraph, ds: str, step: dict[str, Any], parent: str, building: str
) -> str:
    """Add the grid of one level of the chain under ``parent``; return its uid."""
    level = str(step.get("level", ""))
    item = step.get("grid") or {}
    rel = "COVERS" if parent == building else "PART_OF"
    if not item.get("id"):
        uid = f"{building}#missing-{level}"
        zh = GridLevel(level).zh if level in {lv.value for lv in GridLevel} else level
        pic.nodes.append(
            VNode(
                uid,
                f"（缺{zh}）",
                "Grid/missing",
                "grid_missing",
                parent=parent,
                title=f"这一级没有网格：{zh}",
            )
        )
        pic.edges.append(VEdge(f"{uid}>{parent}", uid, parent, rel, title=f"缺{zh}", dashes=True))
        return uid
    uid = dataset_uid(ds, str(item["id"]))
    node = _chain_node(g, uid, {**item, "level": level}, "Grid")
    node.parent = parent
    pic.nodes.append(node)
    pic.edges.append(VEdge(f"{uid}>{parent}", uid, parent, rel, title=rel_zh(rel)))
    return uid


def _root(record: Any) -> VNode:
    return VNode(record.uid, record.name, "Place/building", "place_building", title=record.name)


def _hang(
    pic: Picture,
    g: nx.MultiDiGraph,
    placed: dict[str, VNode],
    uid: str,
    item: dict[str, Any],
    label: str,
    under: str,
    rel: str,
    role: str,
) -> bool:
    """Hang an org or person under ``under`` (False if it hangs elsewhere already).

    A person already drawn only gets the new role added to their label and hover text.
    """
    if uid in placed:
        node = placed[uid]
        if role and role not in node.label.split(" · ", 1)[-1].split("、"):
            node.label = f"{node.label}、{role}"
            node.title += f"\n又任：{role}"
        return False
    node = _chain_node(g, uid, item, label)
    if role:
        node.label = f"{node.label} · {role}"
    node.parent = under
    placed[uid] = node
    pic.nodes.append(node)
    why = rel_zh(rel) + (f"：{role}" if role else "")
    pic.edges.append(VEdge(f"{uid}>{under}", uid, under, rel, role=role or None, title=why))
    return True
