"""``shanzhi cypher list|show|run``: the analysts' query library (shanzhi/cypher/*.cypher)."""

from __future__ import annotations

from pathlib import Path

import click

from shanzhi.cli import Context, command, pass_ctx
from shanzhi.render.console import out, print_json

__all__ = ["cypher"]


@click.group()
def cypher() -> None:
    """The analysts' query library (shanzhi/cypher/*.cypher), run on Neo4j, read-only by default.

    \b
    Example:
      shanzhi cypher list
      shanzhi --store neo4j cypher run community_buildings -p community=G-C17
    """


@cypher.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the queries as JSON.")
@command
def cypher_list(as_json: bool) -> None:
    """List the queries with their titles and parameters.

    \b
    Example:
      shanzhi cypher list
      shanzhi cypher list --json
    """
    from shanzhi.cypher import names, query
    from shanzhi.render.reports import QueryEntry, query_table

    entries = [
        QueryEntry(
            name=name,
            title=(q := query(name)).title,
            parameters=[
                {"name": p.name, "type": p.type, "optional": p.optional, "example": p.example}
                for p in q.params
            ],
        )
        for name in names()
    ]
    if as_json:
        print_json(entries)
        return
    out.print(query_table(entries))


@cypher.command("show")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print the query's header and text as JSON.")
@command
def cypher_show(name: str, as_json: bool) -> None:
    """Print a query file (header and text).

    \b
    Example:
      shanzhi cypher show who_covers
      shanzhi cypher show who_covers --json
    """
    from shanzhi.cypher import query

    q = query(name)
    if as_json:
        params = [
            {"name": p.name, "type": p.type, "optional": p.optional, "example": p.example}
            for p in q.params
        ]
        print_json({"name": q.name, "title": q.title, "answers": q.answers, "parameters": params,
                    "returns": q.returns, "text": q.text})  # fmt: skip
        return
    out.print(q.text, markup=False, soft_wrap=True)


@cypher.command("run")
@click.argument("name", required=False)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A parameter, typed from the query's header; repeat for more.",
)
@click.option(
    "--file",
    "file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Run your own .cypher file instead of a library query.",
)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@click.option(
    "--write",
    is_flag=True,
    help="Allow a query that changes the graph or acts on the server (SHOW, CALL dbms.*, …).",
)
@click.option("--show-contact", is_flag=True, help="Show phone numbers in full.")
@pass_ctx
@command
def cypher_run(
    ctx: Context,
    name: str | None,
    params: tuple[str, ...],
    file: Path | None,
    fmt: str,
    write: bool,
    show_contact: bool,
) -> None:
    """Run a library query (or --file) with typed parameters; refuses writes unless --write.

    Phones are masked unless --show-contact; nodes come with labels and element ids,
    relationships with type and properties.

    \b
    Example:
      shanzhi --store neo4j cypher run posts_ending -p days=30 --format csv
      shanzhi --store neo4j cypher run --file my.cypher -p name=嘉利明珠城
    """
    from shanzhi.cypher.output import shown, to_csv, to_json, to_table
    from shanzhi.cypher.runner import execute, parse_param_args, prepare

    prepared = prepare(name, parse_param_args(params), file=file, write=write)
    rows = shown(execute(ctx.store(), prepared), show_contact=show_contact)
    if fmt == "json":
        click.echo(to_json(rows))
    elif fmt == "csv":
        click.echo(to_csv(rows), nl=False)
    else:
        out.print(to_table(rows, title=name or (file.name if file else None)))
