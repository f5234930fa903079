"""The summary as a picture: horizontal stacked bars per block and per category (SVG or PNG).

One bar per block (tickets without a building first, as "未定位"), then one per category, each
split by status in fixed colours (routed green, ambiguous amber, not-ours grey, not-found red)
with the counts written beside it and a legend. The SVG is written here, self-contained (no
script, no external font or file); PNG is that SVG drawn by headless Chromium
(:mod:`shanzhi.viz.browser`), so Chinese labels use the system's Noto CJK fonts.

>>> from shanzhi.route.summary import summarize
>>> from shanzhi.route.routing import make_route
>>> svg = chart_svg(summarize([(make_route("routed", "", block="善居街区网格"), "楼道堆物")]))
>>> svg.startswith("<svg") and "善居街区网格" in svg and "已派单" in svg
True
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from shanzhi.errors import UsageError
from shanzhi.route.routing import STATUSES
from shanzhi.route.summary import STATUS_ZH, Summary
from shanzhi.viz.style import FONT_FAMILY, text_width

__all__ = ["COLORS", "chart_svg", "write_chart"]

COLORS = {
    "routed": "#3a8f5c",
    "ambiguous": "#e0a526",
    "not-ours": "#9a9a9a",
    "not-found": "#c94c4c",
}
_FONT = 14.0
_BAR = 22.0
_GAP = 10.0
_BAR_WIDTH = 520.0
_MARGIN = 24.0
NO_BUILDING = "未定位 (no building)"


def _sections(summary: Summary) -> list[tuple[str, list[tuple[str, dict[str, int]]]]]:
    blocks = [(name or NO_BUILDING, counts) for name, counts in summary["by_block"].items()]
    return [
        ("按街区 by block", blocks),
        ("按类别 by category", list(summary["by_category"].items())),
    ]


def chart_svg(summary: Summary) -> str:
    """The chart as SVG text."""
    sections = _sections(summary)
    labels = [label for _, bars in sections for label, _ in bars] + [t for t, _ in sections]
    label_w = max([text_width(x, _FONT) for x in labels] + [80.0]) + 12
    most = max([sum(c.values()) for _, bars in sections for _, c in bars] + [1])
    width = _MARGIN * 2 + label_w + _BAR_WIDTH + 60
    parts: list[str] = []
    y = _MARGIN + 28
    title = f"派单汇总 · routing summary（{summary['total']} 件）"
    parts.append(_text(_MARGIN, y - 6, title, 18, bold=True))
    y += 12
    x0 = _MARGIN + label_w
    for heading, bars in sections:
        y += 22
        parts.append(_text(_MARGIN, y, heading, 15, bold=True))
        y += 10
        for label, counts in bars:
            parts.append(_text(x0 - 8, y + _BAR * 0.72, label, _FONT, anchor="end"))
            x = x0
            for status in STATUSES:
                n = counts.get(status, 0)
                if n:
                    w = _BAR_WIDTH * n / most
                    parts.append(
                        f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{_BAR:.0f}" '
                        f'fill="{COLORS[status]}">'
                        f"<title>{escape(label)} · {status}: {n}</title></rect>"
                    )
                    x += w
            parts.append(_text(x + 6, y + _BAR * 0.72, str(sum(counts.values())), _FONT))
            y += _BAR + _GAP
    y += 12
    x = _MARGIN
    for status in STATUSES:
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="14" height="14" fill="{COLORS[status]}"/>'
        )
        label = f"{STATUS_ZH[status]} {status}"
        parts.append(_text(x + 20, y + 12, label, 13))
        x += 20 + text_width(label, 13) + 24
    height = y + 14 + _MARGIN
    font = escape(FONT_FAMILY, {'"': "&quot;"})
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{font}">'
        f'<rect width="100%" height="100%" fill="#fbfbf8"/>' + "".join(parts) + "</svg>\n"
    )


def _text(
    x: float, y: float, text: str, size: float, bold: bool = False, anchor: str = "start"
) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:.0f}" text-anchor="{anchor}" '
        f'fill="#222"{weight}>{escape(text)}</text>'
    )


def write_chart(summary: Summary, path: Path | str) -> Path:
    """Write the chart as ``.svg`` or ``.png`` (PNG needs Chromium)."""
    out = Path(path)
    svg = chart_svg(summary)
    suffix = out.suffix.lower()
    if suffix == ".svg":
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(svg, encoding="utf-8")
        return out
    if suffix != ".png":
        raise UsageError(f"cannot draw {out.name}: the chart is .svg or .png.")
    from shanzhi.viz.browser import Browser
    from shanzhi.viz.png import svg_size

    width, height = svg_size(svg)
    with tempfile.TemporaryDirectory(prefix="shanzhi-chart-") as tmp:
        page_path = Path(tmp) / "chart.html"
        page_path.write_text(
            "<!DOCTYPE html><html><head><meta charset='utf-8'><style>html,body{margin:0}"
            "svg{display:block}</style></head><body>" + svg + "</body></html>",
            encoding="utf-8",
        )
        with Browser() as browser:
            page = browser.open(page_path.as_uri(), width, height, 2.0)
            page.wait_for("document.fonts.status === 'loaded'")
            png = page.screenshot()
            page.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(png)
    return out
