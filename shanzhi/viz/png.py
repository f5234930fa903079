"""A picture as PNG: its SVG drawn by headless Chromium (so CJK text uses the system's Noto fonts).

Chromium is needed only here; without it :class:`~shanzhi.viz.browser.BrowserError` says so in one
sentence and suggests .svg or .html instead.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from shanzhi.viz.browser import Browser
from shanzhi.viz.picture import Picture
from shanzhi.viz.svg import render_svg

__all__ = ["MAX_PIXELS_PER_SIDE", "svg_size", "write_png"]

#: Device pixels per side at most (Chromium draws up to 16,384; this keeps files reasonable).
MAX_PIXELS_PER_SIDE = 8000


def svg_size(svg: str) -> tuple[int, int]:
    """The width and height attributes of the root element of an SVG written by ``svg.py``."""
    head = svg[: svg.index(">")]
    width = float(head.split('width="', 1)[1].split('"', 1)[0])
    height = float(head.split('height="', 1)[1].split('"', 1)[0])
    return round(width), round(height)


def write_png(
    pic: Picture, path: Path | str, scale: float = 2.0, browser: Browser | None = None
) -> Path:
    """Draw the picture's SVG in Chromium at ``scale`` device pixels per pixel; save it as PNG.

    Pass an open ``browser`` to draw several pictures with one Chromium.
    """
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    svg = render_svg(pic)
    width, height = svg_size(svg)
    scale = max(0.25, min(scale, MAX_PIXELS_PER_SIDE / max(width, height, 1)))
    with tempfile.TemporaryDirectory(prefix="shanzhi-png-") as tmp:
        page_path = Path(tmp) / "picture.html"
        page_path.write_text(
            "<!DOCTYPE html><html><head><meta charset='utf-8'><style>html,body{margin:0;"
            "background:#fbfbf8}svg{display:block}</style></head><body>" + svg + "</body></html>",
            encoding="utf-8",
        )
        own = browser is None
        b = browser or Browser()
        try:
            page = b.open(page_path.as_uri(), width, height, scale)
            page.wait_for("document.fonts.status === 'loaded'")
            out.write_bytes(page.screenshot())
            page.close()
        finally:
            if own:
                b.close()
    return out
