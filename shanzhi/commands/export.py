"""``shanzhi export``: the graph for Gephi, networkx or neo4j-admin import, from either store."""

from __future__ import annotations

from pathlib import Path

import click

from shanzhi import messages
from shanzhi.cli import Context, command, pass_ctx
from shanzhi.graph.export import FORMATS as EXPORT_FORMATS
from shanzhi.render.console import err, out, print_json
from shanzhi.render.console import progress as _progress

__all__ = ["export_cmd"]


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(EXPORT_FORMATS)),
    required=True,
    help="; ".join(f"{name}: {f.help}" for name, f in EXPORT_FORMATS.items()) + ".",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="The file (graphml, gexf) or folder (neo4j-admin-csv) to write.",
)
@click.option("--dataset", default=None, help="Only this dataset.")
@click.option("--show-contact", is_flag=True, help="Export phone numbers unmasked.")
@click.option("--force", is_flag=True, help="Replace an existing file or non-empty folder.")
@click.option("--json", "as_json", is_flag=True, help="Print the export report as JSON.")
@pass_ctx
@command
def export_cmd(
    ctx: Context,
    fmt: str,
    output: Path,
    dataset: str | None,
    show_contact: bool,
    force: bool,
    as_json: bool,
) -> None:
    """Export the graph for Gephi, networkx or neo4j-admin import, from either store.

    Phones are masked (by what they are, under any column) unless --show-contact. An existing
    output is kept unless --force; a failed export leaves no half-written file. GEXF is
    dynamic: Gephi's timeline plays posts and 路长 rotations (valid_from/valid_to).

    \b
    Example:
      shanzhi export --format graphml -o out/gonghexinlu.graphml
      shanzhi export --format gexf -o out/gonghexinlu.gexf --json
      shanzhi export --format neo4j-admin-csv -o out/import/
    """
    from shanzhi.graph.export import export
    from shanzhi.render.reports import export_lines

    with _progress(messages.STAGE_READING.both()) as progress:
        snap = ctx.store().snapshot(dataset)
        report = export(snap, fmt, output, show_contact, force=force, progress=progress)
    written_to_stdout = not (output.is_file() or output.is_dir())  # -o /dev/stdout, a pipe
    if as_json and not written_to_stdout:
        print_json(report, show_contact=True)
        return
    for line in export_lines(report):
        (err if written_to_stdout else out).print(line, markup=False, soft_wrap=True)
