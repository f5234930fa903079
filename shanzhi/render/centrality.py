"""A readable report, in Chinese, of the centrality of each block's 善治朋友圈.

For each block: its size, ties and communities, then its top members by betweenness with their
scores and *why* they matter — whom they partner, which projects they share with whom, which
post holders they share, and whether they broker (a cut vertex, or a link between communities).
:func:`render` gives a rich renderable for the terminal, :func:`render_text` the same as plain
text.

>>> from shanzhi.graph.analytics.circle import Circle, CircleNode
>>> from shanzhi.graph.analytics.centrality import centrality_of
>>> c = Circle(CircleNode("d:K", "K", "善养街区网格", "Grid", "block"))
>>> c.add_member(CircleNode("d:a", "a", "沪太路长途客运站", "Org", "stationed_unit"))
>>> c.add_member(CircleNode("d:b", "b", "交运巴士", "Org", "stationed_unit"))
>>> c.through["d:J"] = CircleNode("d:J", "J", "祭扫班线", "Project", "micro")
>>> c.add_link("d:a", "d:b", "project", "d:J")
>>> print(render_text(centrality_of([c]), [c]))  # doctest: +NORMALIZE_WHITESPACE
善养街区网格（K）善治朋友圈：2 名成员 · 1 条联系 · 1 个社群 · 精确计算
 1. 沪太路长途客运站〔驻区单位〕 中介 0.000 · 度 1.000 · 联系强度 1 · PageRank 0.500 · 社群 0
    共同参与「祭扫班线」（与 交运巴士）
 2. 交运巴士〔驻区单位〕 中介 0.000 · 度 1.000 · 联系强度 1 · PageRank 0.500 · 社群 0
    共同参与「祭扫班线」（与 沪太路长途客运站）
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from shanzhi.graph.analytics.circle import Circle
from shanzhi.graph.model import OrgKind

__all__ = ["REPORT_TOP", "explain", "render", "render_text"]

#: Members shown per block when no ``top`` is given.
REPORT_TOP = 10
_NAMES_SHOWN = 3


def _kind_zh(kind: str) -> str:
    try:
        return OrgKind.parse(kind).zh
    except ValueError:
        return "个人" if kind == "person" else kind


def _names(names: list[str]) -> str:
    shown = "、".join(names[:_NAMES_SHOWN])
    return shown if len(names) <= _NAMES_SHOWN else f"{shown} 等 {len(names)} 个"


def _broker_lines(member: dict[str, Any]) -> list[str]:
    lines = []
    for reason in member["broker_reasons"]:
        if reason == "cut_vertex":
            lines.append("关键节点：少了它，朋友圈就断开了")
        elif reason == "links_communities":
            lines.append("中介者：它的联系通向两个以上别的社群")
        elif reason == "sole_link":
            lines.append("中介者：本社群与另一社群之间唯一的联系")
    return lines


def explain(circle: Circle, uid: str) -> list[str]:
    """Why a member matters, in Chinese: partners, shared projects, shared post holders."""
    name = {u: m.name for u, m in circle.members.items()}
    partners: list[str] = []
    projects: dict[str, list[str]] = defaultdict(list)
    holders: dict[str, list[str]] = defaultdict(list)
    for tie in circle.ties_of(uid):
        other = tie.other(uid)
        if tie.partners:
            partners.append(name[other])
        for p in sorted(tie.projects):
            projects[p].append(name[other])
        for h in sorted(tie.holders):
            holders[h].append(other)
    lines = [f"与 {_names(partners)} 结对"] if partners else []
    for p, others in sorted(projects.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        lines.append(f"共同参与「{circle.through[p].name}」（与 {_names(others)}）")
    for h, others in sorted(holders.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if h == uid:
            lines.append(f"本人在 {_names([name[o] for o in others])} 任职或为其成员")
        elif h in others:
            lines.append(f"朋友圈成员 {name[h]} 在此任职或为其成员")
        else:
            holder = circle.through[h].name
            lines.append(f"与 {_names([name[o] for o in others])} 共用任职人 {holder}")
    return lines


def _heading(block: dict[str, Any]) -> str:
    how = f"抽样估算（k={block['k']}）" if block["sampled"] else "精确计算"
    b = block["block"]
    return (
        f"{b['name']}（{b['id']}）善治朋友圈：{block['size']} 名成员 · {block['ties']} 条联系 · "
        f"{block['communities']} 个社群 · {how}"
    )


def _scores(m: dict[str, Any]) -> str:
    return (
        f"中介 {m['betweenness']:.3f} · 度 {m['degree']:.3f} · 联系强度 {m['weighted_degree']} · "
        f"PageRank {m['pagerank']:.3f} · 社群 {m['community']}"
    )


def _why(circle: Circle, member: dict[str, Any]) -> list[str]:
    lines = _broker_lines(member) + explain(circle, member["uid"])
    return lines or ["（在朋友圈中还没有联系）"]


def _blocks(
    result: dict[str, Any], found: list[Circle], top: int | None
) -> list[tuple[dict[str, Any], Circle, list[dict[str, Any]]]]:
    by_uid = {c.block.uid: c for c in found}
    limit = REPORT_TOP if top is None else top
    return [(b, by_uid[b["block"]["uid"]], b["members"][:limit]) for b in result["blocks"]]


def render_text(result: dict[str, Any], found: list[Circle], top: int | None = None) -> str:
    """The report as plain text: one heading per block, two or more lines per top member."""
    out: list[str] = []
    for block, circle, members in _blocks(result, found, top):
        out.append(_heading(block))
        if not members:
            out.append("    （这个街区还没有朋友圈成员）")
        for m in members:
            out.append(f"{m['rank']:2d}. {m['name']}〔{_kind_zh(m['kind'])}〕 {_scores(m)}")
            out.extend(f"    {line}" for line in _why(circle, m))
    return "\n".join(out)


def render(result: dict[str, Any], found: list[Circle], top: int | None = None) -> RenderableType:
    """The report as rich tables, one per block (brokers in bold)."""
    parts: list[RenderableType] = []
    for block, circle, members in _blocks(result, found, top):
        table = Table(title=_heading(block), title_justify="left", show_lines=True, expand=True)
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column("成员", ratio=2, overflow="fold")
        table.add_column("指标", no_wrap=True)
        table.add_column("为何重要", ratio=3, overflow="fold")
        for m in members:
            who = Text(m["name"], style="bold" if m["broker"] else "")
            who.append(f"\n〔{_kind_zh(m['kind'])}〕", style="dim")
            metrics = (
                f"中介 {m['betweenness']:.3f}\n度   {m['degree']:.3f}\n"
                f"强度 {m['weighted_degree']} · 社群 {m['community']}"
            )
            why = Text()
            brokering = _broker_lines(m)
            for i, line in enumerate(_why(circle, m)):
                why.append(("\n" if i else "") + line, style="bold" if i < len(brokering) else "")
            table.add_row(str(m["rank"]), who, metrics, why)
        if not members:
            table.add_row("", "（这个街区还没有朋友圈成员）", "", "")
        parts.append(table)
    return Group(*parts)
