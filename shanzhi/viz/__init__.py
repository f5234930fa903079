"""Relationship pictures: offline interactive HTML, and SVG/PNG for reports.

Views build a :class:`~shanzhi.viz.picture.Picture` from a store; :func:`write_picture` writes it
in the format the file suffix names. The HTML inlines vis-network (``static/``) and works with no
network at all; PNG is drawn by headless Chromium.

>>> from shanzhi.viz.picture import Picture, VNode
>>> import tempfile, pathlib
>>> pic = Picture("示例", "force", [VNode("a", "甲", "Person", "person")])
>>> with tempfile.TemporaryDirectory() as d:
...     write_picture(pic, pathlib.Path(d) / "a.svg").suffix
'.svg'
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shanzhi.errors import UsageError
from shanzhi.viz.picture import Picture, VEdge, VNode, picture_of
from shanzhi.viz.views import circle, coverage, ego, grid

__all__ = [
    "FORMATS",
    "Picture",
    "VEdge",
    "VNode",
    "check_format",
    "circle",
    "coverage",
    "demo_pictures",
    "ego",
    "grid",
    "picture_of",
    "write_demo_pictures",
    "write_picture",
]

FORMATS = (".html", ".svg", ".png")


def check_format(path: Path | str) -> str:
    """The picture format ``path`` names by its suffix (``.html``, ``.svg``, ``.png``).

    >>> check_format("a.HTML"), check_format("b.png")
    ('.html', '.png')
    """
    suffix = Path(path).suffix.lower()
    suffix = ".html" if suffix == ".htm" else suffix
    if suffix not in FORMATS:
        raise UsageError(
            f"cannot write a picture as {Path(path).name!r}: use a .html, .svg or .png file name."
        )
    return suffix


def write_picture(pic: Picture, path: Path | str, browser: Any = None) -> Path:
    """Write ``pic`` as HTML, SVG or PNG, as the suffix of ``path`` says; return the path."""
    out = Path(path)
    suffix = check_format(out)
    if suffix == ".html":
        from shanzhi.viz.html import write_html

        return write_html(pic, out)
    if suffix == ".svg":
        from shanzhi.viz.svg import write_svg

        return write_svg(pic, out)
    from shanzhi.viz.png import write_png

    return write_png(pic, out, browser=browser)


def demo_pictures(store: Any) -> dict[str, Picture]:
    """One picture of each view for the loaded sample: name → picture.

    The coverage view shows the first building a 楼管小组 serves; the circle the block whose
    circle has the most ties; the grid view the whole hierarchy; the ego view that block's grid,
    one step out.
    """
    from shanzhi.viz.views import biggest_circle, first_building

    block = biggest_circle(store)
    return {
        "coverage": coverage(store, first_building(store)),
        "circle": circle(store, block),
        "grid": grid(store),
        "ego": ego(store, block, 1),
    }


def write_demo_pictures(store: Any, out_dir: Path | str, png: bool | None = None) -> list[Path]:
    """Write every demo picture as HTML and SVG (and PNG when Chromium is there) into ``out_dir``.

    ``png=None`` draws PNGs only if Chromium is installed; ``True`` insists; ``False`` skips them.
    Returns the paths written, HTML first.
    """
    from shanzhi.viz.browser import Browser, find_chromium

    folder = Path(out_dir)
    pictures = demo_pictures(store)
    written = [write_picture(p, folder / f"{name}.html") for name, p in pictures.items()]
    written += [write_picture(p, folder / f"{name}.svg") for name, p in pictures.items()]
    if png is False or (png is None and find_chromium() is None):
        return written
    with Browser() as browser:
        written += [
            write_picture(p, folder / f"{name}.png", browser) for name, p in pictures.items()
        ]
    return written
