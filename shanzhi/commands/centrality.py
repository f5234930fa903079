"""``shanzhi centrality``: who is central in each block's 善治朋友圈, and why."""

from __future__ import annotations

import click

from shanzhi import messages
from shanzhi.cli import Context, command, pass_ctx
from shanzhi.render.console import err, out, print_json

__all__ = ["centrality"]


@click.command()
@click.option(
    "--block", default=None, help="A block grid's id, uid or name (default: every block)."
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=None,
    help="Only the first N members of each block (default: all in --json, 10 in the report).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the JSON of docs/cli.md.")
@click.option(
    "--write-back", is_flag=True, help="Store every score in Neo4j as a CentralityRun snapshot."
)
@click.option(
    "--include-own", is_flag=True, help="Keep the block's own party organisations and workstation."
)
@pass_ctx
@command
def centrality(
    ctx: Context,
    block: str | None,
    top: int | None,
    as_json: bool,
    write_back: bool,
    include_own: bool,
) -> None:
    """Centrality of each block's 善治朋友圈: who is central, who brokers, and why.

    \b
    Example:
      shanzhi centrality --block 善养街区网格 --top 5
      shanzhi --store neo4j centrality --json --write-back
    """
    from shanzhi.graph.analytics.centrality import centrality_of, truncate
    from shanzhi.graph.analytics.circle import circles
    from shanzhi.graph.analytics.writeback import require_runs
    from shanzhi.graph.analytics.writeback import write_back as store_runs
    from shanzhi.render.centrality import render, render_text

    store = ctx.store()
    if write_back:
        require_runs(store)
    found = circles(store, block, include_own)
    result = centrality_of(found, include_own=include_own)
    for run in store_runs(store, result) if write_back else []:
        stored = messages.STORED_RUN(run=run["run"], block=run["block"]["name"], n=run["scored"])
        err.print(stored, markup=False)
    if as_json:
        print_json(truncate(result, top))
    elif out.is_terminal:
        out.print(render(result, found, top))
    else:
        click.echo(render_text(result, found, top))
