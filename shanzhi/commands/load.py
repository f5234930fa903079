"""``shanzhi validate`` and ``shanzhi load``: read a dataset, then make the store hold it."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from shanzhi import messages
from shanzhi.cli import Context, command, pass_ctx
from shanzhi.errors import DataError
from shanzhi.render.console import out, print_json
from shanzhi.render.console import progress as _progress

__all__ = ["load", "validate"]


@click.command()
@click.argument("dataset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print problems and notes as JSON.")
@command
def validate(dataset: Path, as_json: bool) -> None:
    """Read a dataset and print every problem, and what was left out; write nothing.

    \b
    Example:
      shanzhi validate data/gonghexinlu
      shanzhi validate data/gonghexinlu --json
    """
    from shanzhi.loaders import read_report, report_json
    from shanzhi.render.reports import validate_line

    report = read_report(dataset)
    if as_json:
        print_json(report_json(report))
        sys.exit(0 if report["dataset"] else DataError.exit_code)
    for note in report["notes"]:
        out.print(str(note), markup=False)
    if (ds := report["dataset"]) is None:
        raise DataError(report["problems"])
    out.print(validate_line(dataset, len(ds.nodes), len(ds.relations)), markup=False)


@click.command()
@click.argument("dataset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--name", default=None, help="Dataset name in the store (default: folder name).")
@click.option(
    "--full",
    is_flag=True,
    help="Read every row again, not only those changed since the last load (row memo).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_ctx
@command
def load(ctx: Context, dataset: Path, name: str | None, full: bool, as_json: bool) -> None:
    """Validate a dataset, then make the store hold exactly it; print what changed.

    A reload after a small edit reads and writes only the rows that changed (the home keeps a
    memo of each row of the last load); --full reads everything again.

    \b
    Example:
      shanzhi load data/gonghexinlu
      shanzhi --store neo4j load data/gonghexinlu
    """
    from shanzhi.graph.stores import load_folder
    from shanzhi.loaders.load import dataset_name
    from shanzhi.render.reports import load_report

    store = ctx.store()
    label = messages.LOADING.both(name=dataset_name(dataset, name))
    with _progress(label) as progress:
        report = load_folder(store, dataset, name, progress, home=ctx.settings.home, full=full)
    if as_json:
        print_json(report.as_dict())
    else:
        out.print(load_report(report))
