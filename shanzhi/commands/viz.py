"""``shanzhi viz coverage|circle|grid|ego``: relationship pictures (.html, .svg, .png)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from shanzhi.cli import Context, command, pass_ctx
from shanzhi.render.console import out, print_json

__all__ = ["viz"]

F = TypeVar("F", bound=Callable[..., Any])


@click.group()
def viz() -> None:
    """Relationship pictures: an offline interactive .html page, or .svg / .png for reports.

    The format follows the suffix of -o. PNG needs Chromium.

    \b
    Example:
      shanzhi viz coverage 嘉利明珠城1号楼 -o coverage.html
      shanzhi viz circle 善业街区网格 -o circle.png
      shanzhi viz grid -o grid.svg
      shanzhi viz ego 善业街区网格 --depth 2 -o ego.html
    """


def _picture_output(fn: F) -> F:
    option = click.option(
        "-o",
        "--output",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="The file to write: .html (interactive, works offline), .svg or .png.",
    )
    as_json = click.option(
        "--json", "as_json", is_flag=True, help="Print what was written as JSON."
    )
    return as_json(option(fn))


def _save_picture(build: Callable[[], Any], output: Path, as_json: bool) -> None:
    from shanzhi.render.reports import PictureReport, picture_line
    from shanzhi.viz import check_format, write_picture

    suffix = check_format(output)
    pic = build()
    path = write_picture(pic, output)
    report = PictureReport(
        output=str(path),
        format=suffix.lstrip("."),
        title=pic.title,
        nodes=sum(1 for n in pic.nodes if not n.hidden),
        edges=sum(1 for e in pic.edges if not e.hidden),
    )
    if as_json:
        print_json(report)
    else:
        out.print(picture_line(report), markup=False, soft_wrap=True)


@viz.command("coverage")
@click.argument("building")
@click.option("--on", default=None, help="The date of the chain, YYYY-MM-DD (default today).")
@_picture_output
@pass_ctx
@command
def viz_coverage(ctx: Context, building: str, on: str | None, output: Path, as_json: bool) -> None:
    """The who-covers chain of a building as a tree (building → street grid).

    \b
    Example:
      shanzhi viz coverage 嘉利明珠城1号楼 -o coverage.html
    """
    from shanzhi.viz import coverage

    _save_picture(lambda: coverage(ctx.store(), building, on), output, as_json)


@viz.command("circle")
@click.argument("block")
@_picture_output
@pass_ctx
@command
def viz_circle(ctx: Context, block: str, output: Path, as_json: bool) -> None:
    """A block's 善治朋友圈, members sized by betweenness centrality.

    \b
    Example:
      shanzhi viz circle 善业街区网格 -o circle.html
    """
    from shanzhi.viz import circle

    _save_picture(lambda: circle(ctx.store(), block), output, as_json)


@viz.command("grid")
@click.argument("grid_id", metavar="[ID]", required=False)
@_picture_output
@pass_ctx
@command
def viz_grid(ctx: Context, grid_id: str | None, output: Path, as_json: bool) -> None:
    """The grid hierarchy below a grid (id or name), or all of it, as a tree.

    \b
    Example:
      shanzhi viz grid -o grid.html
      shanzhi viz grid 善居街区网格 -o shanju.svg
    """
    from shanzhi.viz import grid

    _save_picture(lambda: grid(ctx.store(), grid_id), output, as_json)


@viz.command("ego")
@click.argument("node_id", metavar="ID")
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True)
@_picture_output
@pass_ctx
@command
def viz_ego(ctx: Context, node_id: str, depth: int, output: Path, as_json: bool) -> None:
    """Everything within --depth relations of a node (id, uid or name).

    \b
    Example:
      shanzhi viz ego 强碧薇 --depth 2 -o ego.html
    """
    from shanzhi.viz import ego

    _save_picture(lambda: ego(ctx.store(), node_id, depth), output, as_json)
