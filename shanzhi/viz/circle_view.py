"""``viz circle``: a block's 善治朋友圈 as a force layout around the block grid; members sized
by betweenness centrality, lines as thick as the ties are heavy."""

from __future__ import annotations

from typing import Any

from shanzhi.viz.layout import force_layout
from shanzhi.viz.picture import Picture, VEdge, node_of
from shanzhi.viz.source import graph_of

__all__ = ["circle"]


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
