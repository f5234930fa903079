"""A picture as a standalone SVG for reports: same positions, colours and shapes as the page.

Text is set in "Noto Sans CJK SC" (fonts-noto-cjk) with fallbacks, with a light halo so labels
stay readable over lines; the legend and the title are drawn in the picture. Hidden nodes (an ego
picture's reserve ring) are left out. Every text is XML-escaped, without the control characters
XML cannot hold, and with its phones masked.

>>> from shanzhi.viz.picture import Picture, VNode
>>> svg = render_svg(Picture("示例", "force", [VNode("a", "甲&乙", "Person", "person", x=0, y=0)]))
>>> svg.startswith("<svg") and "甲&amp;乙" in svg and "Noto Sans CJK SC" in svg
True
"""

from __future__ import annotations

import math
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from shanzhi.viz.layout import FONT_PX, force_layout, node_width, tree_layout
from shanzhi.viz.picture import Picture, VEdge, VNode, for_output
from shanzhi.viz.style import FONT_FAMILY, GROUPS, Group, text_width

__all__ = ["ensure_layout", "render_svg", "write_svg"]

_MARGIN = 30.0
_HEADER = 64.0
_LABEL_EDGE_LIMIT = 200


def ensure_layout(pic: Picture) -> None:
    """Lay the picture out if any shown node has no position yet."""
    if any(n.x is None or n.y is None for n in pic.nodes if not n.hidden):
        (tree_layout if pic.layout == "tree" else force_layout)(pic)


def _shade(color: str) -> str:
    v = int(color[1:], 16)
    r, g, b = ((v >> 16) & 255) * 7 // 10, ((v >> 8) & 255) * 7 // 10, (v & 255) * 7 // 10
    return f"#{r:02x}{g:02x}{b:02x}"


def _shape(group: Group, x: float, y: float, size: float, label: str, focus: bool) -> str:
    fill = f'fill="{group.color}" stroke="{_shade(group.color)}"'
    stroke = f'stroke-width="{3 if focus else 1.5}"'
    s = size
    if group.shape == "box":
        w, h = text_width(label, FONT_PX) + 18, FONT_PX + 12
        return (
            f'<rect x="{x - w / 2:.1f}" y="{y - h / 2:.1f}" width="{w:.1f}" height="{h:.1f}" '
            f'rx="4" {fill} {stroke}/>'
        )
    if group.shape in ("dot", "circle"):
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{s:.1f}" {fill} {stroke}/>'
    if group.shape == "square":
        return (
            f'<rect x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s:.1f}" height="{2 * s:.1f}" '
            f"{fill} {stroke}/>"
        )
    shapes: dict[str, list[tuple[float, float]]] = {
        "diamond": [(0, -1), (1, 0), (0, 1), (-1, 0)],
        "triangle": [(0, -1.1), (1, 0.75), (-1, 0.75)],
        "triangleDown": [(0, 1.1), (1, -0.75), (-1, -0.75)],
        "hexagon": [(math.cos(a * math.pi / 3), math.sin(a * math.pi / 3)) for a in range(6)],
        "star": [
            (
                (1 if i % 2 == 0 else 0.45) * math.sin(i * math.pi / 5),
                -(1 if i % 2 == 0 else 0.45) * math.cos(i * math.pi / 5),
            )
            for i in range(10)
        ],
    }
    points = shapes.get(group.shape, shapes["diamond"])
    pts = " ".join(f"{x + px * s:.1f},{y + py * s:.1f}" for px, py in points)
    return f'<polygon points="{pts}" {fill} {stroke}/>'


def _edge(e: VEdge, a: VNode, b: VNode, tree: bool, with_label: bool) -> str:
    ax, ay, bx, by = a.x or 0.0, a.y or 0.0, b.x or 0.0, b.y or 0.0
    color = "#c3c9d0" if e.dashes else "#8795a1"
    dash = ' stroke-dasharray="5 4"' if e.dashes else ""
    width = f'stroke-width="{max(e.width, 0.8):.1f}"'
    if tree:
        mx = (ax + bx) / 2
        path = f"M{ax:.1f},{ay:.1f} C{mx:.1f},{ay:.1f} {mx:.1f},{by:.1f} {bx:.1f},{by:.1f}"
        line = f'<path d="{path}" fill="none" stroke="{color}" {width}{dash}/>'
    else:
        line = (
            f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{bx:.1f}" y2="{by:.1f}" stroke="{color}" '
            f"{width}{dash}/>"
        )
    if not (with_label and e.label):
        return line
    lx, ly = (ax + bx) / 2, (ay + by) / 2
    return line + (
        f'<text x="{lx:.1f}" y="{ly + 4:.1f}" text-anchor="middle" font-size="11" '
        f'fill="#52606d" class="halo">{escape(e.label)}</text>'
    )


def _legend(pic: Picture, top: float) -> tuple[str, float, float]:
    entries = pic.legend()
    rows = [f'<text x="10" y="{top + 18:.1f}" font-size="12" fill="#52606d">图例</text>']
    width = 40.0
    for i, entry in enumerate(entries):
        y = top + 38 + i * 22
        group = GROUPS[entry["group"]]
        icon = _shape(group, 20, y - 4, 6, "", False)
        if group.shape == "box":
            icon = (
                f'<rect x="13" y="{y - 9:.1f}" width="14" height="10" rx="2" fill="{group.color}"/>'
            )
        rows.append(icon)
        rows.append(
            f'<text x="34" y="{y:.1f}" font-size="13" fill="#1f2933">{escape(group.zh)}</text>'
        )
        width = max(width, 44 + text_width(group.zh, 13))
    height = 30 + 22 * len(entries)
    box = (
        f'<rect x="0" y="{top:.1f}" width="{width:.1f}" height="{height:.1f}" rx="6" '
        'fill="#ffffff" fill-opacity="0.93" stroke="#e4e7eb"/>'
    )
    return box + "".join(rows), width, height


def render_svg(pic: Picture) -> str:
    """The picture as SVG text (phones masked and control characters gone: ``for_output``)."""
    ensure_layout(pic)
    pic = for_output(pic)
    shown = [n for n in pic.nodes if not n.hidden]
    by_id = {n.id: n for n in shown}
    tree = pic.layout == "tree"
    xs = [(n.x or 0.0) for n in shown] or [0.0]
    ys = [(n.y or 0.0) for n in shown] or [0.0]
    half_w = max((node_width(n) / 2 for n in shown), default=20.0)
    pad_y = max((n.size for n in shown), default=16.0) + FONT_PX + 10
    legend, legend_w, legend_h = _legend(pic, 0)
    min_x, max_x = min(xs) - half_w, max(xs) + half_w
    min_y, max_y = min(ys) - pad_y, max(ys) + pad_y
    graph_w, graph_h = max_x - min_x, max_y - min_y
    left = _MARGIN + legend_w + 20
    width = left + graph_w + _MARGIN
    height = _HEADER + max(graph_h, legend_h) + _MARGIN
    ox, oy = left - min_x, _HEADER - min_y
    edges = [e for e in pic.edges if not e.hidden and e.source in by_id and e.target in by_id]
    labelled = len(edges) <= _LABEL_EDGE_LIMIT
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family={quoteattr(FONT_FAMILY)}>',
        f"<title>{escape(pic.title)}</title>",
        "<style>.halo{paint-order:stroke;stroke:#fbfbf8;stroke-width:4px;stroke-linejoin:round}"
        "</style>",
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="#fbfbf8"/>',
        f'<text x="{_MARGIN}" y="34" font-size="22" font-weight="700" fill="#1f2933">'
        f"{escape(pic.title)}</text>",
        f'<text x="{_MARGIN}" y="54" font-size="13" fill="#52606d">{escape(pic.subtitle)}</text>',
        f'<g transform="translate({_MARGIN},{_HEADER})">{legend}</g>',
        f'<g transform="translate({ox:.1f},{oy:.1f})">',
    ]
    parts.extend(_edge(e, by_id[e.source], by_id[e.target], tree, labelled) for e in edges)
    for n in shown:
        group = GROUPS[n.group]
        x, y = n.x or 0.0, n.y or 0.0
        label = pic.shown_label(n)
        parts.append(_shape(group, x, y, n.size, label, n.id == pic.focus))
        if group.label_inside:
            parts.append(
                f'<text x="{x:.1f}" y="{y + FONT_PX * 0.36:.1f}" text-anchor="middle" '
                f'font-size="{FONT_PX}" fill="{group.font_color}">{escape(label)}</text>'
            )
        else:
            parts.append(
                f'<text x="{x:.1f}" y="{y + n.size + FONT_PX + 2:.1f}" text-anchor="middle" '
                f'font-size="13" fill="#1f2933" class="halo">{escape(label)}</text>'
            )
    parts.append("</g></svg>\n")
    return "\n".join(parts)


def write_svg(pic: Picture, path: Path | str) -> Path:
    """Write the SVG to ``path`` and return the path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_svg(pic), encoding="utf-8")
    return out
