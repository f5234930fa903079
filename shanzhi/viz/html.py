"""One self-contained HTML file per picture: it opens offline and requests nothing.

vis-network (``static/vis-network.min.js``, see ``static/README.md``), the viewer script and its
styles are inlined; the picture itself is embedded as JSON in
``<script id="graph-data" type="application/json">`` (tests count its nodes), escaped so that no
name, not even one containing ``</script>``, can end the script early. A Content-Security-Policy
forbids the page every network source, so even a future bug could not make it phone home.

>>> from shanzhi.viz.picture import Picture, VNode
>>> node = VNode("a", "<b>甲</b>", "Person", "person")
>>> page = render_html(Picture("示例</script>", "force", [node]))
>>> "</script>" in page.split('id="graph-data"')[1].split("</script>")[0]
False
>>> "http://" in page.split("<script>")[0] or "https://" in page.split("<script>")[0]
False
"""

from __future__ import annotations

import html
import re
from functools import cache
from importlib.resources import files
from pathlib import Path

from shanzhi.viz.picture import Picture, for_output

__all__ = ["CSP", "embed_json", "render_html", "write_html"]

#: Nothing but the page's own inline scripts and styles (and data:/blob: images vis may draw).
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'none'; form-action 'none'; "
    "base-uri 'none'"
)
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)
_SCRIPT_END = re.compile(r"</(script)", re.IGNORECASE)


@cache
def _static(name: str) -> str:
    return files("shanzhi.viz").joinpath("static", name).read_text(encoding="utf-8")


def _inline_js(code: str) -> str:
    """Script text safe to put between ``<script>`` tags (no early end, no source-map fetch)."""
    return _SCRIPT_END.sub(r"<\\/\1", _SOURCE_MAP.sub("", code))


def embed_json(text: str) -> str:
    """JSON text made safe inside a ``<script>`` element (``<``, ``>``, ``&``, U+2028/9 escaped).

    >>> embed_json('{"name": "</script><b>&"}')
    '{"name": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def render_html(pic: Picture) -> str:
    """The whole page as text (laid out first if it was not: see ``svg.ensure_layout``)."""
    from shanzhi.viz.svg import ensure_layout

    if pic.nodes and not pic.positions_free:
        ensure_layout(pic)
    pic = for_output(pic)
    title = html.escape(pic.title)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="shanzhi viz">
<title>{title}</title>
<style>{_static("picture.css")}</style>
</head>
<body>
<header>
  <h1>{title}</h1>
  <div class="sub">{html.escape(pic.subtitle)}</div>
  <input id="search" type="search" list="names" placeholder="搜索名称或编号，回车定位"
         autocomplete="off">
  <datalist id="names"></datalist>
  <span id="hits"></span>
  <button id="fit" type="button">全图</button>
</header>
<main>
  <aside>
    <div id="legend"><b>图例</b></div>
    <div id="hint">悬停：看详情<br>单击：聚焦相邻节点<br>双击：展开 / 收起<br>
      滚轮：缩放 · 拖动：平移</div>
  </aside>
  <div id="stage">
    <div id="graph"></div>
    <div id="details"></div>
    <div id="status"></div>
  </div>
</main>
<script id="graph-data" type="application/json">{embed_json(pic.to_json())}</script>
<script>{_inline_js(_static("vis-network.min.js"))}</script>
<script>{_inline_js(_static("picture.js"))}</script>
</body>
</html>
"""


def write_html(pic: Picture, path: Path | str) -> Path:
    """Write the page to ``path`` (UTF-8) and return the path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(pic), encoding="utf-8")
    return out
