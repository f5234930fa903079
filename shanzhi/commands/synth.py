"""``shanzhi synth`` (a synthetic dataset of any size) and ``shanzhi demo`` (the sample's tour)."""

from __future__ import annotations

from pathlib import Path

import click

from shanzhi import messages
from shanzhi.cli import Context, command, pass_ctx
from shanzhi.render.console import out, print_json
from shanzhi.render.console import progress as _progress

__all__ = ["demo_cmd", "synth_cmd"]


@click.command("synth")
@click.option(
    "--streets",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="How many streets: 1 = one street, 15 ≈ a district, 240 ≈ a city (~10^6 nodes).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same files.")
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the dataset to.",
)
@click.option(
    "--no-gaps", is_flag=True, help="Plant no coverage gaps (GAPS.json lists planted ones)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@command
def synth_cmd(streets: int, seed: int, output: Path, no_gaps: bool, as_json: bool) -> None:
    """Write a deterministic synthetic dataset of any size in the canonical format.

    \b
    Example:
      shanzhi synth --streets 15 --seed 1 -o out/district
    """
    from shanzhi.synth import synth

    with _progress(messages.SYNTH.both()) as progress:
        summary = synth(output, streets=streets, seed=seed, gaps=not no_gaps, progress=progress)
    if as_json:
        print_json(summary.as_dict())
    else:
        out.print(str(summary), markup=False)


@click.command("demo")
@click.option(
    "--pictures",
    "pictures",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the pictures (default: HOME/pictures).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the tour's answers as JSON.")
@pass_ctx
@command
def demo_cmd(ctx: Context, pictures: Path | None, as_json: bool) -> None:
    """Load the bundled 共和新路街道 sample and show a short tour.

    \b
    Example:
      shanzhi demo
    """
    from shanzhi.demo import demo
    from shanzhi.render.reports import tour_json, tour_report

    folder = pictures or ctx.settings.home / "pictures"
    with _progress(messages.DEMO.both()) as progress:
        tour = demo(ctx.store(), folder, progress)
    if as_json:
        print_json(tour_json(tour))
        return
    for part in tour_report(tour):
        out.print(part)
