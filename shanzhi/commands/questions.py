"""The questions asked of the graph: ``who-covers``, ``audit``, ``stats`` and ``changes``."""

from __future__ import annotations

import sys

import click

from shanzhi import messages
from shanzhi.cli import Context, command, pass_ctx
from shanzhi.render.console import out, print_json, print_lines
from shanzhi.render.errors import candidate_line

__all__ = ["audit", "changes", "stats", "who_covers"]


@click.command()
@click.option("--dataset", default=None, help="The dataset (default: the only one held).")
@click.option("--load", "seq", type=int, default=None, help="The load's number (default: last).")
@click.option("--list", "as_list", is_flag=True, help="List the dataset's loads instead.")
@click.option("--limit", default=50, show_default=True, help="Rows to print; 0: all.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON (every row).")
@pass_ctx
@command
def changes(
    ctx: Context, dataset: str | None, seq: int | None, as_list: bool, limit: int, as_json: bool
) -> None:
    """What the last load (or load N) of a dataset created, updated and removed.

    \b
    Example:
      shanzhi changes
      shanzhi changes --list
      shanzhi changes --dataset gonghexinlu --load 1 --json
    """
    from shanzhi.graph.queries.changes import changes as compute
    from shanzhi.graph.queries.changes import history
    from shanzhi.render.answers import changes_table, history_table

    if as_list:
        records = history(ctx.store(), dataset)
        if as_json:
            print_json([r.summary() for r in records])
        else:
            out.print(history_table(records))
        return
    result = compute(ctx.store(), dataset, seq)
    if as_json:
        print_json(result.as_dict())
        return
    for renderable in changes_table(result, limit):
        out.print(renderable)


@click.command()
@click.option("--dataset", default=None, help="Only this dataset.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_ctx
@command
def stats(ctx: Context, dataset: str | None, as_json: bool) -> None:
    """Counts of nodes by kind and level, and of relations by type.

    \b
    Example:
      shanzhi stats --json
    """
    from shanzhi.graph.queries.stats import stats as compute
    from shanzhi.render.reports import stats_report

    result = compute(ctx.store(), dataset)
    if as_json:
        print_json(result)
        return
    out.print(stats_report(result))


@click.command("who-covers")
@click.argument("building")
@click.option("--on", default=None, help="The day to answer for, YYYY-MM-DD (default today).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON (docs/cli.md).")
@click.option("--show-contact", is_flag=True, help="Print phone numbers in full.")
@click.option(
    "--accept-guess",
    is_flag=True,
    help="Answer for the building guessed at (a typo, a bare number).",
)
@pass_ctx
@command
def who_covers(
    ctx: Context,
    building: str,
    on: str | None,
    as_json: bool,
    show_contact: bool,
    accept_guess: bool,
) -> None:
    """The people and organisations responsible for a building, nearest first.

    BUILDING may be an id, a name, an alias or an address, typed the way people type it
    (full-width digits, 十二号楼, 號/樓, 号/号楼/幢/栋/座, 共和新路2288弄12号 or 2288号12号楼,
    rooms and floors, a homophone typo). The answer says how it matched (``match``). Exit 1 when
    nothing matches (the closest names are listed), 2 when several do, and 2 when the only
    building that fits is a guess: it is asked about ("您要找的是…？") unless --accept-guess.

    \b
    Example:
      shanzhi who-covers 嘉利明珠城12号楼
      shanzhi who-covers "共和新路2288弄十二号" --on 2025-06-30 --json
      shanzhi who-covers 嘉利明珠12号楼 --accept-guess
    """
    from shanzhi.errors import GuessError
    from shanzhi.graph.queries.who_covers import who_covers as compute
    from shanzhi.render.answers import who_covers_tree
    from shanzhi.render.tree import print_tree

    try:
        result = compute(
            ctx.store(), building, on=on, show_contact=show_contact, accept_guess=accept_guess
        )
    except GuessError as exc:  # a question, not an error
        candidates = [candidate_line(c) for c in exc.candidates]
        print_lines([str(exc), *candidates, messages.ACCEPT_GUESS.both()])
        sys.exit(exc.exit_code)
    if as_json:
        print_json(result, show_contact=show_contact)
        return
    print_tree(who_covers_tree(result))


@click.command()
@click.option("--on", default=None, help="The day to audit, YYYY-MM-DD (default today).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON (docs/cli.md).")
@pass_ctx
@command
def audit(ctx: Context, on: str | None, as_json: bool) -> None:
    """Coverage gaps: uncovered buildings, unled grids, 楼管小组 without a party member,
    branches without a liaising social worker, vacant posts.

    \b
    Example:
      shanzhi audit
      shanzhi audit --on 2026-06-30 --json
    """
    from shanzhi.graph.queries.audit import audit as compute
    from shanzhi.render.answers import audit_report

    result = compute(ctx.store(), on=on)
    if as_json:
        print_json(result)
        return
    out.print(audit_report(result))
