"""The four pictures of the CLI, each built from a store and laid out (docs/cli.md ``viz``).

* :func:`coverage` — the who-covers chain of a building as a tree: the building, then its
  building grid, branch grid … street grid, each with the organisations and people of that
  level (people's roles written on the lines).
* :func:`circle` — a block's 善治朋友圈 as a force layout around the block grid; members sized
  by betweenness centrality, lines as thick as the ties are heavy.
* :func:`grid` — the grid hierarchy (below one grid, or all of it) as a tree; hover shows who
  leads each grid and who holds its posts.
* :func:`ego` — everything within ``depth`` steps of one node, force layout; the next ring is in
  the page too, hidden, and a double click on a node shows its part of it.

Every node id in a picture is a store uid, so a picture's nodes can be checked against the graph.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import networkx as nx
from rapidfuzz import process

from shanzhi.errors import AmbiguousError, NotFoundError, UsageError
from shanzhi.graph.model import GridLevel, Label, RelType
from shanzhi.graph.stores.interface import GraphStore
from shanzhi.viz.layout import force_layout, tree_layout
from shanzhi.viz.picture import Picture, VEdge, VNode, edge_of, node_of
from shanzhi.viz.style import group_of, rel_zh

__all__ = ["COLLAPSE_OVER", "MAX_EGO_NODES", "circle", "coverage", "ego", "graph_of", "grid"]

#: An ego picture shows at most this many nodes (nearest first); the rest are counted in the title.
MAX_EGO_NODES = 300
#: A whole grid tree of more grids than this opens with its building grids collapsed.
COLLAPSE_OVER = 60


def graph_of(store: GraphStore) -> nx.MultiDiGraph:
    """The store's graph as networkx (from its snapshot), for the pictures' layouts."""
    return store.snapshot().to_networkx()


def _find(g: nx.MultiDiGraph, text: str, what: str, labels: set[str] | None = None) -> str:
    """The uid of the node whose uid, id or name is ``text`` (of one of ``labels``)."""
    wanted = text.strip()
    if not wanted:
        raise UsageError(f"give the id or name of a {what}.")
    pool = [(u, d) for u, d in g.nodes(data=True) if labels is None or d.get("label") in labels]
    for attr in ("uid", "id", "name"):
        hits = sorted(u for u, d in pool if (u if attr == "uid" else d.get(attr)) == wanted)
        if len(hits) == 1:
            return hits[0]
        if hits:
            raise AmbiguousError(
                f"{len(hits)} {what}s are called {wanted!r}; give the uid.",
                [{"id": u, "name": str(g.nodes[u].get("name", ""))} for u in hits],
            )
    names = {u: str(d.get("name", "")) for u, d in pool}
    close = process.extract(wanted, names, limit=5, score_cutoff=40)
    raise NotFoundError(
        f"no {what} {wanted!r} in the graph; check the id or name (`shanzhi stats` shows what "
        "is loaded).",
        [f"{g.nodes[u].get('id', u)} {name}" for name, _score, u in close],
    )


def _dataset_uid(dataset: str, node_id: str) -> str:
    return f"{dataset}:{node_id}"


# -- coverage --------------------------------------------------------------------------------
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
            uid = _dataset_uid(ds, str(org["id"]))
            rel = str(org.get("relation") or "LEADS")
            hung = _hang(pic, g, placed, uid, org, "Org", grid_uid, rel, "")
            if hung and org.get("kind") == "building_management_group":
                groups[uid] = org
        group = next(iter(groups), None)
        for person in step.get("people", []):
            uid = _dataset_uid(ds, str(person["id"]))
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
    uid = _dataset_uid(ds, str(item["id"]))
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


# -- circle ----------------------------------------------------------------------------------
def _centrality(c: Any) -> dict[str, dict[str, Any]]:
    """Centrality scores of a circle's members, by uid (``centrality.analyse``)."""
    from shanzhi.graph.analytics.centrality import analyse

    return {m["uid"]: m for m in analyse(c)["members"]}


def circle(store: Any, block: str) -> Picture:
    """The 善治朋友圈 of a block grid (id, uid or name), force layout around the block.

    Members are sized by betweenness centrality (where ``centrality`` has scores), ties drawn
    as thick as their weight; light dashed lines join each member to the block.
    """
    from shanzhi.graph.analytics.circle import circles

    found = circles(store, block)
    c = found[0]
    g = graph_of(store)
    scores = _centrality(c)
    top = max((float(s.get("betweenness", 0) or 0) for s in scores.values()), default=0.0)
    pic = Picture(
        title=f"{c.block.name} 善治朋友圈",
        layout="force",
        subtitle=f"{len(c.members)} 个成员 · {len(c.ties)} 条联系 · 圆越大，中介中心性越高",
        focus=c.block.uid,
    )
    centre = node_of(g, c.block.uid)
    centre.size = 30
    pic.nodes.append(centre)
    for uid in sorted(c.members, key=lambda u: (c.members[u].name, u)):
        s = scores.get(uid, {})
        extra = [
            f"{zh}：{s[key]:.3f}" if isinstance(s.get(key), float) else f"{zh}：{s[key]}"
            for key, zh in (
                ("betweenness", "中介中心性"),
                ("degree", "度中心性"),
                ("pagerank", "PageRank"),
                ("community", "社群"),
            )
            if s.get(key) is not None
        ]
        node = node_of(g, uid, extra)
        between = float(s.get("betweenness", 0) or 0)
        node.size = 12 + (26 * between / top if top > 0 else 0)
        pic.nodes.append(node)
        pic.edges.append(
            VEdge(
                f"{uid}>{c.block.uid}",
                uid,
                c.block.uid,
                "PARTNERS",
                title="朋友圈成员",
                width=0.5,
                weight=0.15,
                dashes=True,
            )
        )
    for (a, b), tie in sorted(c.ties.items()):
        names = [c.through[t].name for t in sorted(tie.projects | tie.holders) if t in c.through]
        why = (["互为结对"] if tie.partners else []) + names
        pic.edges.append(
            VEdge(
                f"{a}~{b}",
                a,
                b,
                "TIE",
                label="",
                title=f"联系 {tie.weight}：" + "、".join(why),
                width=1 + min(tie.weight, 6),
                weight=float(tie.weight),
            )
        )
    force_layout(pic)
    return pic


# -- grid ------------------------------------------------------------------------------------
def _grid_children(g: nx.MultiDiGraph, uid: str) -> list[str]:
    kids = [
        s
        for s, _, d in g.in_edges(uid, data=True)
        if d.get("type") == RelType.PART_OF and g.nodes[s].get("label") == Label.GRID
    ]
    return sorted(set(kids), key=lambda u: _natural(str(g.nodes[u].get("id", u))))


def _natural(text: str) -> tuple[Any, ...]:
    import re

    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def _grid_details(g: nx.MultiDiGraph, uid: str) -> list[str]:
    lines = []
    for s, _, d in g.in_edges(uid, data=True):
        kind = d.get("type")
        if kind == RelType.LEADS:
            lines.append(f"领导：{g.nodes[s].get('name', s)}")
        elif kind == RelType.HOLDS:
            lines.append(f"{d.get('role') or '任职'}：{g.nodes[s].get('name', s)}")
    covered = sum(1 for _, _, d in g.out_edges(uid, data=True) if d.get("type") == RelType.COVERS)
    if covered:
        lines.append(f"直接覆盖：{covered} 处")
    return sorted(lines)


def grid(store: Any, grid_id: str | None = None) -> Picture:
    """The grid hierarchy below ``grid_id`` (id, uid or name), or all of it, as a tree.

    A tree of more than :data:`COLLAPSE_OVER` grids opens with its building grids collapsed
    (in the data, hidden; a double click on their branch shows them).
    """
    g = graph_of(store)
    if grid_id is None:
        roots = sorted(
            (
                u
                for u, d in g.nodes(data=True)
                if d.get("label") == Label.GRID
                and not any(
                    e.get("type") == RelType.PART_OF for _, _, e in g.out_edges(u, data=True)
                )
            ),
            key=lambda u: _natural(str(g.nodes[u].get("id", u))),
        )
        if not roots:
            raise NotFoundError("the store holds no grids; run `shanzhi load` first.")
        title = "五级网格" if len(roots) > 1 else f"{g.nodes[roots[0]].get('name')} 五级网格"
    else:
        roots = [_find(g, grid_id, "grid", {Label.GRID.value})]
        title = f"{g.nodes[roots[0]].get('name')} 下辖网格"
    pic = Picture(title=title, layout="tree", focus=roots[0] if len(roots) == 1 else None)
    todo: deque[tuple[str, str | None]] = deque((r, None) for r in roots)
    seen: set[str] = set()
    while todo:
        uid, parent = todo.popleft()
        if uid in seen:
            continue
        seen.add(uid)
        node = node_of(g, uid, _grid_details(g, uid))
        node.parent = parent
        pic.nodes.append(node)
        if parent is not None:
            pic.edges.append(VEdge(f"{uid}>{parent}", uid, parent, "PART_OF", title="隶属"))
        todo.extend((kid, uid) for kid in _grid_children(g, uid))
    counts = _level_counts(pic.nodes)
    pic.subtitle = " · ".join(f"{zh} {n}" for zh, n in counts)
    if len(pic.nodes) > COLLAPSE_OVER:
        _collapse(pic, GridLevel.BUILDING.value)
        pic.subtitle += " · 楼组网格已收起（双击支部网格展开）"
    tree_layout(pic)
    return pic


def _collapse(pic: Picture, level: str) -> None:
    """Hide the grids of one level (and the lines to them) until the reader expands them."""
    hidden = {n.id for n in pic.nodes if n.kind == f"Grid/{level}"}
    for n in pic.nodes:
        n.hidden = n.id in hidden
    for e in pic.edges:
        e.hidden = e.source in hidden or e.target in hidden


_SHORT = {
    "street": "街道",
    "block": "街区",
    "community": "居民区",
    "branch": "支部",
    "building": "楼组",
}


def _level_counts(nodes: Iterable[VNode]) -> list[tuple[str, int]]:
    order = [lvl.value for lvl in GridLevel]
    counts = {lvl: 0 for lvl in order}
    for n in nodes:
        level = n.kind.split("/", 1)[-1]
        if level in counts:
            counts[level] += 1
    return [(_SHORT[lvl], n) for lvl, n in counts.items() if n]


# -- ego -------------------------------------------------------------------------------------
def _rings(g: nx.MultiDiGraph, centre: str, depth: int, limit: int) -> list[list[str]]:
    """Nodes by distance from ``centre`` (either direction), up to ``depth``; ``limit`` in all."""
    rings, seen, frontier = [[centre]], {centre}, [centre]
    total = 1
    for _ in range(depth):
        nxt: list[str] = []
        for u in frontier:
            near = sorted(set(g.successors(u)) | set(g.predecessors(u)))
            for v in near:
                if v not in seen and total < limit:
                    seen.add(v)
                    nxt.append(v)
                    total += 1
        if not nxt:
            break
        rings.append(nxt)
        frontier = nxt
    return rings


def ego(store: Any, node_id: str, depth: int = 1) -> Picture:
    """Everything within ``depth`` relations of a node (id, uid or name), force layout.

    The ring one step further is embedded hidden; double-clicking a node shows its share of
    it. At most :data:`MAX_EGO_NODES` nodes are shown, nearest first.
    """
    if depth < 1:
        raise UsageError("--depth must be 1 or more.")
    g = graph_of(store)
    centre = _find(g, node_id, "node")
    rings = _rings(g, centre, depth + 1, MAX_EGO_NODES * 2)
    shown = [u for ring in rings[: depth + 1] for u in ring][:MAX_EGO_NODES]
    reserve = [u for ring in rings[depth + 1 :] for u in ring][:MAX_EGO_NODES]
    name = g.nodes[centre].get("name", centre)
    pic = Picture(
        title=f"{name} 周边 {depth} 步",
        layout="force",
        subtitle=f"{len(shown)} 个节点 · 双击节点展开下一步（另有 {len(reserve)} 个）",
        focus=centre,
    )
    pic.nodes = [node_of(g, u) for u in shown]
    pic.node(centre).size = 28
    keep = set(shown) | set(reserve)
    for s, t, k in g.subgraph(keep).edges(keys=True):
        edge = edge_of(k, s, t, g.edges[s, t, k])
        edge.hidden = s not in shown or t not in shown
        pic.edges.append(edge)
    force_layout(pic)
    _place_reserve(pic, g, reserve, set(shown))
    return pic


def _place_reserve(
    pic: Picture, g: nx.MultiDiGraph, reserve: Sequence[str], shown: set[str]
) -> None:
    """Add the hidden ring next to the shown node each one hangs from."""
    pos = {n.id: (n.x or 0.0, n.y or 0.0) for n in pic.nodes}
    for i, u in enumerate(reserve):
        anchor = next(
            (v for v in sorted(set(g.successors(u)) | set(g.predecessors(u))) if v in shown), None
        )
        ax, ay = pos.get(anchor, (0.0, 0.0)) if anchor else (0.0, 0.0)
        node = node_of(g, u)
        node.hidden = True
        node.x, node.y = ax + 60 * ((i % 5) - 2), ay + 60 + 20 * (i % 3)
        pic.nodes.append(node)


# -- choosing what the demo shows --------------------------------------------------------------
def biggest_circle(store: Any) -> str:
    """The uid of the block grid whose 善治朋友圈 has the most ties (then members, then id)."""
    from shanzhi.graph.analytics.circle import circles

    found = circles(store)
    if not found:
        raise NotFoundError("the store holds no block grid; run `shanzhi load` first.")
    best = max(found, key=lambda c: (len(c.ties), len(c.members), _neg(c.block.id)))
    return best.block.uid


def _neg(text: str) -> tuple[int, ...]:
    return tuple(-ord(ch) for ch in text)


def first_building(store: Any) -> str:
    """The uid of the first covered building, preferring one a 楼管小组 serves (the showcase)."""
    g = graph_of(store)

    def served(u: str) -> bool:
        return any(d.get("type") == RelType.SERVES for _, _, d in g.in_edges(u, data=True))

    covered = [
        u
        for u, d in g.nodes(data=True)
        if d.get("label") == Label.PLACE
        and d.get("kind") == "building"
        and any(e.get("type") == RelType.COVERS for _, _, e in g.in_edges(u, data=True))
    ]
    if not covered:
        raise NotFoundError("the store holds no covered building; run `shanzhi load` first.")
    return min(covered, key=lambda u: (not served(u), _natural(str(g.nodes[u].get("id", u)))))
