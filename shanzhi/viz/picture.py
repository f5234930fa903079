"""A picture: the nodes and edges to draw, with everything a viewer shows, as plain data.

Views (``views.py``) choose *what* to draw; writers (``html.py``, ``svg.py``, ``png.py``) only
draw. :func:`picture_of` is the generic builder: given a graph of the embedded shape
(``snapshot.py``) and the uids to show, it makes one :class:`VNode` per node — Chinese label,
legend group, hover text with phone numbers masked — and one :class:`VEdge` per relation.
Writers draw :func:`for_output` of a picture: every text with its phones masked by what they are
(a phone under any property name, or inside a note) and without control characters, which XML
(SVG) cannot hold.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("d:P1", label="Person", id="P1", name="张晓雯", phone="13800005678")
>>> g.add_node("d:G1", label="Grid", id="G1", name="一号楼组网格", level="building")
>>> _ = g.add_edge("d:P1", "d:G1", key="k", type="HOLDS", role="楼组长")
>>> pic = picture_of(g, ["d:G1", "d:P1"], title="示例")
>>> [n.label for n in pic.nodes], pic.edges[0].label
(['一号楼组网格', '张晓雯'], '楼组长')
>>> "138****5678" in pic.nodes[1].title, "13800005678" in pic.to_json()
(True, False)
>>> odd = Picture("示例\\x00", "force", [VNode("a", "张三 13800000001", "Person", "person")])
>>> shown = for_output(odd)
>>> shown.title, shown.nodes[0].label
('示例', '张三 138****0001')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Literal, TypeVar

import networkx as nx
import orjson

from shanzhi.graph.stores.stamps import STAMPS
from shanzhi.privacy import clean_text, is_phone_key, mask_phone, mask_text
from shanzhi.viz.style import GROUPS, group_of, kind_zh, rel_zh

__all__ = ["Picture", "VEdge", "VNode", "edge_of", "for_output", "node_of", "picture_of"]

Layout = Literal["tree", "force"]

#: Stored properties that say nothing to a reader (bookkeeping) and are left out of hover text.
_HIDDEN_PROPS = frozenset(
    {"uid", "dataset", "fingerprint", "key", "name", "label", "id", "level", "kind", "aliases"}
) | frozenset(STAMPS)
_PROP_ZH = {
    "address": "地址",
    "phone": "电话",
    "party_member": "党员",
    "road_id": "道路",
    "code": "网格编码",
    "status": "状态",
    "start": "开始",
    "end": "结束",
    "grid_id": "网格",
    "place_id": "所在地",
    "lead_id": "牵头单位",
    "note": "备注",
}


@dataclass
class VNode:
    """A node as drawn: ``id`` is the uid; ``label`` the text shown; ``title`` the hover text."""

    id: str
    label: str
    kind: str
    group: str
    size: float = 16.0
    title: str = ""
    level: int | None = None
    parent: str | None = None
    hidden: bool = False
    x: float | None = None
    y: float | None = None


@dataclass
class VEdge:
    """An edge as drawn: relation ``type`` and ``role``; ``label`` is the text on the line.

    ``width`` is how thick it is drawn; ``weight`` how strongly it pulls in a force layout.
    """

    id: str
    source: str
    target: str
    type: str
    role: str | None = None
    label: str = ""
    title: str = ""
    width: float = 1.0
    weight: float = 1.0
    dashes: bool = False
    hidden: bool = False


@dataclass
class Picture:
    """What one view shows, ready for any writer."""

    title: str
    layout: Layout
    nodes: list[VNode] = field(default_factory=list)
    edges: list[VEdge] = field(default_factory=list)
    subtitle: str = ""
    focus: str | None = None
    #: True to leave positions to the page (vis-network's physics) instead of Python's layout.
    positions_free: bool = False

    def node(self, uid: str) -> VNode:
        """The node with this uid (KeyError if none)."""
        for n in self.nodes:
            if n.id == uid:
                return n
        raise KeyError(uid)

    def shown_label(self, node: VNode) -> str:
        """The label as drawn: a collapsed node says how many children it hides (＋7)."""
        hidden = sum(1 for n in self.nodes if n.parent == node.id and n.hidden)
        return f"{node.label} ＋{hidden}" if hidden else node.label

    def legend(self) -> list[dict[str, str]]:
        """One entry per legend group shown at first, in the fixed order of ``style.GROUPS``."""
        used = {n.group for n in self.nodes if not n.hidden}
        return [
            {"group": g.key, "zh": g.zh, "color": g.color, "shape": g.shape}
            for g in GROUPS.values()
            if g.key in used
        ]

    def as_dict(self) -> dict[str, Any]:
        """Plain data: what the HTML page embeds as JSON."""
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "layout": self.layout,
            "focus": self.focus,
            "legend": self.legend(),
            "groups": {
                g.key: {"color": g.color, "shape": g.shape, "font": g.font_color}
                for g in GROUPS.values()
            },
            "nodes": [{k: v for k, v in asdict(n).items() if v is not None} for n in self.nodes],
            "edges": [{k: v for k, v in asdict(e).items() if v is not None} for e in self.edges],
        }

    def to_json(self) -> str:
        """The picture as JSON text (UTF-8, Chinese kept as is)."""
        return orjson.dumps(self.as_dict()).decode()


def _hover(label: str, props: Mapping[str, Any], extra: Iterable[str] = ()) -> str:
    lines = [str(props.get("name", "")), f"类型：{kind_zh(label, props)}"]
    if props.get("id") is not None:
        lines.append(f"编号：{props['id']}")
    for key, value in sorted(props.items()):
        if key in _HIDDEN_PROPS or key.startswith("source_") or value in (None, "", []):
            continue
        if is_phone_key(key):
            value = mask_phone(str(value))
        elif isinstance(value, bool):
            value = "是" if value else "否"
        elif isinstance(value, list):
            value = "、".join(map(str, value))
        lines.append(f"{_PROP_ZH.get(key, key)}：{value}")
    if props.get("aliases"):
        aliases = props["aliases"]
        lines.append("别名：" + ("、".join(aliases) if isinstance(aliases, list) else str(aliases)))
    lines.extend(extra)
    if props.get("source_file"):
        lines.append(f"来源：{props['source_file']}:{props.get('source_line', '')}")
    return "\n".join(lines)


def node_of(g: nx.MultiDiGraph, uid: str, extra: Iterable[str] = ()) -> VNode:
    """The drawn form of one graph node; ``extra`` lines are appended to its hover text."""
    d = g.nodes[uid]
    label = str(d.get("label", ""))
    group = group_of(label, d)
    return VNode(
        id=uid,
        label=str(d.get("name", d.get("id", uid))),
        kind=f"{label}/{d.get('level', d.get('kind', ''))}".rstrip("/"),
        group=group.key,
        title=_hover(label, d, extra),
    )


def edge_of(uid: str, source: str, target: str, attrs: Mapping[str, Any]) -> VEdge:
    """The drawn form of one relation (HOLDS shows its role on the line)."""
    rel = str(attrs.get("type", ""))
    role = attrs.get("role")
    words = rel_zh(rel) + (f"：{role}" if role else "")
    dates = (attrs.get("valid_from"), attrs.get("valid_to"))
    if any(dates):
        words += f"（{dates[0] or '…'} 至 {dates[1] or '今'}）"
    return VEdge(
        id=uid,
        source=source,
        target=target,
        type=rel,
        role=str(role) if role else None,
        label=str(role) if role else "",
        title=words,
    )


def picture_of(
    g: nx.MultiDiGraph,
    uids: Iterable[str],
    title: str,
    layout: Layout = "force",
    edges: Iterable[tuple[str, str, str]] | None = None,
) -> Picture:
    """A picture of the nodes ``uids`` and the relations among them (or just ``edges``).

    ``edges`` are ``(source, target, key)`` triples of ``g``; without them every relation whose
    two ends are both shown is drawn.
    """
    order = list(dict.fromkeys(uids))
    keep = set(order)
    pic = Picture(title=title, layout=layout, nodes=[node_of(g, u) for u in order])
    if edges is None:
        chosen: Iterable[tuple[str, str, str]] = (
            (s, t, k) for s, t, k in g.subgraph(keep).edges(keys=True)
        )
    else:
        chosen = edges
    for s, t, k in chosen:
        pic.edges.append(edge_of(k, s, t, g.edges[s, t, k]))
    return pic


def _text(value: str) -> str:
    return mask_text(clean_text(value))


_Item = TypeVar("_Item", VNode, VEdge)


def _shown(item: _Item) -> _Item:
    texts: dict[str, Any] = {
        f.name: _text(getattr(item, f.name))
        for f in fields(item)
        if isinstance(getattr(item, f.name), str)
    }
    return replace(item, **texts)


def for_output(pic: Picture) -> Picture:
    """A copy of ``pic`` as it may leave: phones masked in every text, control characters gone."""
    return replace(
        pic,
        title=_text(pic.title),
        subtitle=_text(pic.subtitle),
        nodes=[_shown(n) for n in pic.nodes],
        edges=[_shown(e) for e in pic.edges],
    )
