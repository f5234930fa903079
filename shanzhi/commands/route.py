"""``shanzhi route``: complaints (派单) routed to whoever covers their address."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from shanzhi import messages
from shanzhi.cli import Context, command, pass_ctx
from shanzhi.render.console import err, out
from shanzhi.render.console import progress as _progress

__all__ = ["route_cmd"]


@click.command("route")
@click.argument(
    "file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The routed list: .xlsx, .csv or .jsonl (every input column kept).",
)
@click.option("--text", default=None, help="Route one ticket given as its 诉求内容 instead.")
@click.option("--address", default="", help="With --text: its 诉求地址.")
@click.option("--category", default="", help="With --text: its 诉求类别.")
@click.option(
    "--on", default=None, help="Day of tickets without 受理时间, YYYY-MM-DD (--text: today)."
)
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML naming the list's own columns (docs/routing.md).",
)
@click.option(
    "--rules",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Routing rules (default: routing.yaml of the bundled sample).",
)
@click.option(
    "--chart",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also draw the summary as a bar chart, .svg or .png.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the routing (or summary) as JSON.")
@click.option("--show-contact", is_flag=True, help="Write phone numbers in full.")
@pass_ctx
@command
def route_cmd(ctx: Context, file: Path | None, output: Path | None, text: str | None, address: str,
              category: str, on: str | None, mapping: Path | None, rules: Path | None,
              chart: Path | None, as_json: bool, show_contact: bool) -> None:  # fmt: skip
    """Route complaints (派单) to whoever covers their address, on the ticket's day.

    FILE is a ticket list (.xlsx, .csv or .jsonl) with 工单编号, 诉求地址, 诉求内容, 诉求类别,
    受理时间; each row gets 派单状态 routed, ambiguous, not-ours or not-found. Unreadable rows
    are listed as FILE:LINE and left out (exit 1). With --text: exit 1 not found or not ours,
    2 ambiguous.

    \b
    Example:
      shanzhi route 工单.xlsx -o 派单结果.xlsx --chart 汇总.svg
      shanzhi route --text "共和新路2288弄12号楼道内堆物" --on 2025-07-01
    """
    from shanzhi.route import route_file, route_text
    from shanzhi.route.chart import write_chart
    from shanzhi.route.view import EXIT_CODES, left_out, report_view, route_view, wrote

    if (file is None) == (text is None):
        raise click.UsageError(messages.ROUTE_FILE_OR_TEXT)
    if text is not None:
        r = route_text(ctx.store(), text, address=address, category=category, on=on,
                       rules=rules, show_contact=show_contact)  # fmt: skip
        out.print_json(json.dumps(r, ensure_ascii=False)) if as_json else out.print(route_view(r))
        sys.exit(EXIT_CODES[r["status"]])
    if file is None or output is None:
        raise click.UsageError(messages.ROUTE_OUTPUT)
    with _progress(messages.ROUTE_PROGRESS) as progress:
        report = route_file(ctx.store(), file, output, mapping=mapping, rules=rules, on=on,
                            show_contact=show_contact, progress=progress)  # fmt: skip
    for problem in report["problems"]:
        err.print(str(problem), markup=False)
    if chart is not None:
        write_chart(report["summary"], chart)
    shown = json.dumps(report["summary"], ensure_ascii=False)
    if as_json:
        out.print_json(shown)
    else:
        out.print(report_view(report))
        out.print(wrote(report), markup=False, soft_wrap=True)
    if report["problems"]:
        err.print(left_out(report), markup=False)
        sys.exit(1)
