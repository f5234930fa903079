"""The ``shanzhi`` command: a thin skin over the library (spec/cli.md).

Each command opens the store, calls one library function of the same name and prints its result;
library errors become one sentence on stderr and the exit code of spec/cli.md.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from shanzhi.config import Settings
from shanzhi.errors import AmbiguousError, DataError, NotFoundError, ShanzhiError
from shanzhi.graph.stores import GraphStore, open_store
from shanzhi.graph.stores.sync import SyncReport

__all__ = ["main"]

F = TypeVar("F", bound=Callable[..., Any])
out = Console(highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class Context:
    """Global options, and the store opened on first use."""

    def __init__(self, store: str | None, home: str | None, debug: bool) -> None:
        self.store_name, self.home, self.debug = store, home, debug
        self._store: GraphStore | None = None

    @property
    def settings(self) -> Settings:
        """Settings from flags and the environment."""
        return Settings.from_env(self.store_name, self.home)

    def store(self) -> GraphStore:
        """The store, opened once."""
        if self._store is None:
            self._store = open_store(self.settings)
        return self._store

    def close(self) -> None:
        """Close the store if it was opened."""
        if self._store is not None:
            self._store.close()


def _report_error(exc: ShanzhiError) -> None:
    if isinstance(exc, DataError):
        for problem in exc.problems:
            err.print(str(problem), markup=False)
    err.print(f"error: {exc}", markup=False)
    if isinstance(exc, NotFoundError) and exc.suggestions:
        err.print("closest: " + "、".join(exc.suggestions), markup=False)
    if isinstance(exc, AmbiguousError):
        for c in exc.candidates:
            err.print(
                f"  {c.get('id', '')}  {c.get('name', '')}  {c.get('address', '')}".rstrip(),
                markup=False,
            )


def command(fn: F) -> F:
    """Turn library errors into one sentence and an exit code (a traceback only with --debug)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context().find_object(Context)
        try:
            return fn(*args, **kwargs)
        except ShanzhiError as exc:
            if ctx is not None and ctx.debug:
                raise
            _report_error(exc)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


pass_ctx = click.make_pass_decorator(Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    type=click.Choice(["embedded", "neo4j"]),
    default=None,
    help="Where the graph lives (env SHANZHI_STORE; default embedded).",
)
@click.option(
    "--home",
    type=click.Path(file_okay=False),
    default=None,
    help="Home folder of the embedded store (env SHANZHI_HOME; default ./.shanzhi).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-sentence errors.")
@click.version_option(package_name="shanzhi")
@click.pass_context
def main(ctx: click.Context, store: str | None, home: str | None, debug: bool) -> None:
    """善治 shanzhi — who governs what, down to a single building.

    \b
    Example:
      shanzhi load data/gonghexinlu && shanzhi stats
    """
    obj = Context(store, home, debug)
    ctx.obj = obj
    ctx.call_on_close(obj.close)


@contextmanager
def _progress(label: str) -> Iterator[Callable[[str, int, int], None]]:
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(stage: str, done: int, total: int) -> None:
            bar.update(task, description=f"{label}: {stage}", completed=done, total=total)

        yield update


def _print_report(report: SyncReport, as_json: bool) -> None:
    if as_json:
        out.print_json(json.dumps(report.as_dict(), ensure_ascii=False))
        return
    number = f"load {report.load}" if report.load is not None else "nothing changed"
    table = Table(title=f"{report.dataset} · {number}")
    for col in ("", "created", "updated", "removed", "unchanged"):
        table.add_column(col, justify="right" if col else "left")
    for name, c in (("nodes", report.nodes), ("relations", report.relations)):
        table.add_row(name, str(c.created), str(c.updated), str(c.removed), str(c.unchanged))
    out.print(table)


@main.command()
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

    report = read_report(dataset)
    if as_json:
        out.print_json(json.dumps(report_json(report), ensure_ascii=False))
        sys.exit(0 if report["dataset"] else DataError.exit_code)
    for note in report["notes"]:
        out.print(str(note), markup=False)
    if (ds := report["dataset"]) is None:
        raise DataError(report["problems"])
    out.print(f"{dataset}: ok — {len(ds.nodes)} nodes, {len(ds.relations)} relations")


@main.command()
@click.argument("dataset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--name", default=None, help="Dataset name in the store (default: folder name).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_ctx
@command
def load(ctx: Context, dataset: Path, name: str | None, as_json: bool) -> None:
    """Validate a dataset, then make the store hold exactly it; print what changed.

    \b
    Example:
      shanzhi load data/gonghexinlu
      shanzhi --store neo4j load data/gonghexinlu
    """
    from shanzhi.graph.stores import load as load_into
    from shanzhi.loaders import load_dataset

    ds = load_dataset(dataset, name=name)
    with _progress(f"loading {ds.name}") as progress:
        report = load_into(ctx.store(), ds, progress)
    _print_report(report, as_json)


@main.command()
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
            out.print_json(json.dumps([r.summary() for r in records], ensure_ascii=False))
        else:
            out.print(history_table(records))
        return
    result = compute(ctx.store(), dataset, seq)
    if as_json:
        out.print_json(json.dumps(result.as_dict(), ensure_ascii=False))
        return
    for renderable in changes_table(result, limit):
        out.print(renderable)


@main.command()
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

    result = compute(ctx.store(), dataset)
    if as_json:
        out.print_json(json.dumps(result, ensure_ascii=False))
        return
    out.print(
        f"store {result['store']} · datasets {', '.join(result['datasets']) or '(none)'} · "
        f"{result['nodes']} nodes · {result['relations']} relations"
    )
    for title, counts in (
        ("nodes by kind", result["nodes_by_kind"]),
        ("relations by type", result["relations_by_type"]),
        ("relations by type and target", result["relations_by_target"]),
    ):
        table = Table(title=title)
        table.add_column("kind" if "kind" in title else "type")
        table.add_column("count", justify="right")
        for key, n in counts.items():
            table.add_row(key, str(n))
        out.print(table)


@main.command("who-covers")
@click.argument("building")
@click.option("--on", default=None, help="The day to answer for, YYYY-MM-DD (default today).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON (spec/cli.md).")
@click.option("--show-contact", is_flag=True, help="Print phone numbers in full.")
@pass_ctx
@command
def who_covers(
    ctx: Context, building: str, on: str | None, as_json: bool, show_contact: bool
) -> None:
    """The people and organisations responsible for a building, nearest first.

    BUILDING may be an id, a name, an alias or an address, typed the way people type it
    (full-width digits, 十二号楼, 号/号楼/幢/栋/座, 共和新路2288弄12号, a homophone typo).
    Exit 1 when nothing matches (the closest names are listed), 2 when several do.

    \b
    Example:
      shanzhi who-covers 嘉利明珠城12号楼
      shanzhi who-covers "共和新路2288弄十二号" --on 2025-06-30 --json
    """
    from shanzhi.graph.queries.who_covers import who_covers as compute
    from shanzhi.render.answers import who_covers_tree

    result = compute(ctx.store(), building, on=on, show_contact=show_contact)
    if as_json:
        out.print_json(json.dumps(result, ensure_ascii=False))
        return
    out.print(who_covers_tree(result))


@main.command()
@click.option("--on", default=None, help="The day to audit, YYYY-MM-DD (default today).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON (spec/cli.md).")
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
        out.print_json(json.dumps(result, ensure_ascii=False))
        return
    out.print(audit_report(result))


@main.group()
def cypher() -> None:
    """The analysts' query library (shanzhi/cypher/*.cypher), run on Neo4j, read-only by default.

    \b
    Example:
      shanzhi cypher list
      shanzhi --store neo4j cypher run who_covers -p building_uid=gonghexinlu:B-JL-12
    """


@cypher.command("list")
@command
def cypher_list() -> None:
    """List the queries with their titles.

    \b
    Example:
      shanzhi cypher list
    """
    from shanzhi.cypher import names, query

    table = Table(title="cypher/")
    table.add_column("name", no_wrap=True, min_width=max(map(len, names())))
    table.add_column("title")
    table.add_column("parameters")
    for name in names():
        q = query(name)
        params = ", ".join(f"{p.name}{'?' if p.optional else ''}:{p.type}" for p in q.params)
        table.add_row(name, q.title, params)
    out.print(table)


@cypher.command("show")
@click.argument("name")
@command
def cypher_show(name: str) -> None:
    """Print a query file (header and text).

    \b
    Example:
      shanzhi cypher show who_covers
    """
    from shanzhi.cypher import query

    out.print(query(name).text, markup=False, soft_wrap=True)


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
@click.option("--write", is_flag=True, help="Allow a query that changes the graph.")
@pass_ctx
@command
def cypher_run(
    ctx: Context,
    name: str | None,
    params: tuple[str, ...],
    file: Path | None,
    fmt: str,
    write: bool,
) -> None:
    """Run a library query (or --file) with typed parameters; refuses writes unless --write.

    \b
    Example:
      shanzhi --store neo4j cypher run posts_ending -p days=30 --format csv
      shanzhi --store neo4j cypher run --file my.cypher -p name=嘉利明珠城
    """
    from shanzhi.cypher.output import to_csv, to_json, to_table
    from shanzhi.cypher.runner import execute, parse_param_args, prepare

    prepared = prepare(name, parse_param_args(params), file=file, write=write)
    rows = execute(ctx.store(), prepared)
    if fmt == "json":
        click.echo(to_json(rows))
    elif fmt == "csv":
        click.echo(to_csv(rows), nl=False)
    else:
        out.print(to_table(rows, title=name or (file.name if file else None)))


@main.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["graphml", "gexf", "neo4j-admin-csv"]),
    required=True,
    help="graphml/gexf: one file; neo4j-admin-csv: a folder.",
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
@pass_ctx
@command
def export_cmd(
    ctx: Context, fmt: str, output: Path, dataset: str | None, show_contact: bool
) -> None:
    """Export the graph for Gephi, networkx or neo4j-admin import, from either store.

    \b
    Example:
      shanzhi export --format graphml -o out/gonghexinlu.graphml
      shanzhi export --format neo4j-admin-csv -o out/import/
    """
    from shanzhi.graph.export import export

    for path in export(ctx.store().snapshot(dataset), fmt, output, show_contact):
        out.print(str(path))


@main.command()
@click.option(
    "--block", default=None, help="A block grid's id, uid or name (default: every block)."
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=None,
    help="Only the first N members of each block (default: all in --json, 10 in the report).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the JSON of spec/cli.md.")
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
        err.print(f"stored run {run['run']}: {run['block']['name']}, {run['scored']} members")
    if as_json:
        out.print_json(json.dumps(truncate(result, top), ensure_ascii=False))
    elif out.is_terminal:
        out.print(render(result, found, top))
    else:
        click.echo(render_text(result, found, top))


@main.group()
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
    return option(fn)


def _save_picture(build: Callable[[], Any], output: Path) -> None:
    from shanzhi.viz import check_format, write_picture

    check_format(output)
    pic = build()
    path = write_picture(pic, output)
    shown = sum(1 for n in pic.nodes if not n.hidden)
    out.print(f"wrote {path} — {pic.title}, {shown} nodes", markup=False, soft_wrap=True)


@viz.command("coverage")
@click.argument("building")
@click.option("--on", default=None, help="The date of the chain, YYYY-MM-DD (default today).")
@_picture_output
@pass_ctx
@command
def viz_coverage(ctx: Context, building: str, on: str | None, output: Path) -> None:
    """The who-covers chain of a building as a tree (building → street grid).

    \b
    Example:
      shanzhi viz coverage 嘉利明珠城1号楼 -o coverage.html
    """
    from shanzhi.viz import coverage

    _save_picture(lambda: coverage(ctx.store(), building, on), output)


@viz.command("circle")
@click.argument("block")
@_picture_output
@pass_ctx
@command
def viz_circle(ctx: Context, block: str, output: Path) -> None:
    """A block's 善治朋友圈, members sized by betweenness centrality.

    \b
    Example:
      shanzhi viz circle 善业街区网格 -o circle.html
    """
    from shanzhi.viz import circle

    _save_picture(lambda: circle(ctx.store(), block), output)


@viz.command("grid")
@click.argument("grid_id", metavar="[ID]", required=False)
@_picture_output
@pass_ctx
@command
def viz_grid(ctx: Context, grid_id: str | None, output: Path) -> None:
    """The grid hierarchy below a grid (id or name), or all of it, as a tree.

    \b
    Example:
      shanzhi viz grid -o grid.html
      shanzhi viz grid 善居街区网格 -o shanju.svg
    """
    from shanzhi.viz import grid

    _save_picture(lambda: grid(ctx.store(), grid_id), output)


@viz.command("ego")
@click.argument("node_id", metavar="ID")
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True)
@_picture_output
@pass_ctx
@command
def viz_ego(ctx: Context, node_id: str, depth: int, output: Path) -> None:
    """Everything within --depth relations of a node (id, uid or name).

    \b
    Example:
      shanzhi viz ego 强碧薇 --depth 2 -o ego.html
    """
    from shanzhi.viz import ego

    _save_picture(lambda: ego(ctx.store(), node_id, depth), output)


@main.command("synth")
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

    with _progress("synth") as progress:
        summary = synth(output, streets=streets, seed=seed, gaps=not no_gaps, progress=progress)
    if as_json:
        out.print_json(json.dumps(summary.as_dict(), ensure_ascii=False, default=str))
    else:
        out.print(str(summary), markup=False)


@main.command("demo")
@click.option(
    "--pictures",
    "pictures",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the pictures (default: HOME/pictures).",
)
@pass_ctx
@command
def demo_cmd(ctx: Context, pictures: Path | None) -> None:
    """Load the bundled 共和新路街道 sample and show a short tour.

    \b
    Example:
      shanzhi demo
    """
    from shanzhi.demo import DEMO_BUILDING, demo
    from shanzhi.render.answers import audit_report, who_covers_tree

    folder = pictures or ctx.settings.home / "pictures"
    with _progress("demo") as progress:
        tour = demo(ctx.store(), folder, progress)
    out.rule("1 · 载入样例 load the sample (data/gonghexinlu)")
    _print_report(tour.report, as_json=False)
    s = tour.stats
    out.print(
        f"{s['nodes']} nodes, {s['relations']} relations in store {s['store']}; "
        "`shanzhi stats` lists them by kind."
    )
    out.rule(f"2 · 谁负责这栋楼 who covers {DEMO_BUILDING}")
    out.print(who_covers_tree(tour.answer))
    out.rule("3 · 覆盖缺口 coverage audit")
    out.print(audit_report(tour.audit))
    out.rule("4 · 善治朋友圈 the most central partners of each block")
    for block in tour.centrality["blocks"]:
        names = "、".join(m["name"] for m in block["members"])
        out.print(f"{block['block']['name']}: {names}")
    out.rule("5 · 关系图 pictures")
    for path in tour.pictures:
        out.print(str(path))
    out.print(
        "\nNext: `shanzhi who-covers 嘉利明珠城8号楼 --on 2025-06-30`, `shanzhi audit`, "
        "`shanzhi centrality --block 善养街区网格`, `shanzhi viz grid -o grid.html`."
    )


# -- routing tickets: shanzhi route (shanzhi/route/, docs/routing.md) ----------------------------
@main.command("route")
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
        raise click.UsageError("give either a FILE of tickets or --text (one of them).")
    if text is not None:
        r = route_text(ctx.store(), text, address=address, category=category, on=on,
                       rules=rules, show_contact=show_contact)  # fmt: skip
        out.print_json(json.dumps(r, ensure_ascii=False)) if as_json else out.print(route_view(r))
        sys.exit(EXIT_CODES[r["status"]])
    if file is None or output is None:
        raise click.UsageError("give -o OUT.xlsx, .csv or .jsonl for the routed list.")
    with _progress("route") as progress:
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


# -- the web page: shanzhi serve, accounts, the access log (shanzhi/web/, docs/web.md) ----------
@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--https-only", is_flag=True, help="Send the session cookie over HTTPS only.")
@pass_ctx
@command
def serve_cmd(ctx: Context, host: str, port: int, https_only: bool) -> None:
    """The web page for street-office staff, scoped by role and grid (stop with Ctrl-C).

    Listens on 127.0.0.1 unless --host says otherwise (with a warning). Accounts come from
    `shanzhi users add`; they and the access log are kept in HOME/web.db.

    \b
    Example:
      shanzhi users add admin --role admin
      shanzhi serve --port 8000
    """
    from shanzhi.web import serve

    out.print(f"善治 web page: http://{host}:{port}/  (Ctrl-C to stop)", markup=False)
    serve(ctx.store(), ctx.settings.home, host, port, warn=err.print, https_only=https_only)


def _password(confirm: bool = True) -> str:
    value: str = click.prompt("密码 password", hide_input=True, confirmation_prompt=confirm)
    return value


@main.group()
def users() -> None:
    """Web accounts: 网格员 gridworker, 居委/街道 staff, analyst, admin (kept in HOME/web.db).

    \b
    Example:
      shanzhi users add li --role gridworker --grid G-C17-BR2
      shanzhi users list
    """


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, help="gridworker 网格员 | staff 居委/街道 | analyst | admin")
@click.option("--grid", default=None, help="The grid (id, uid or name) of a gridworker or staff.")
@pass_ctx
@command
def users_add(ctx: Context, name: str, role: str, grid: str | None) -> None:
    """Create an account; the password is asked for twice.

    \b
    Example:
      shanzhi users add admin --role admin
      shanzhi users add li --role 网格员 --grid G-C17-BR2
    """
    from shanzhi.web import Role
    from shanzhi.web.users import accounts, check_new

    parsed = Role.parse(role)
    uid = check_new(ctx.store(), ctx.settings.home, name, parsed, grid)
    user = accounts(ctx.settings.home).add(name, _password(), parsed, uid)
    scope = user.grid or "全部 everything"
    out.print(f"added {user.name} · {user.role.zh} · {scope}", markup=False)


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_ctx
@command
def users_list(ctx: Context, as_json: bool) -> None:
    """List the accounts with their roles and grids.

    \b
    Example:
      shanzhi users list
    """
    from shanzhi.web.users import rows

    found = rows(ctx.store(), ctx.settings.home)
    if as_json:
        out.print_json(json.dumps(found, ensure_ascii=False))
        return
    table = Table(title="web accounts")
    for col in ("name", "role", "grid", "created"):
        table.add_column(col)
    for u in found:
        grid = f"{u['grid_name'] or ''} {u['grid'] or '全部'}".strip()
        table.add_row(u["name"], f"{u['role_zh']} {u['role']}", grid, u["created"])
    out.print(table)


@users.command("remove")
@click.argument("name")
@pass_ctx
@command
def users_remove(ctx: Context, name: str) -> None:
    """Delete an account (its open sessions end at once).

    \b
    Example:
      shanzhi users remove li
    """
    from shanzhi.web.users import accounts

    accounts(ctx.settings.home).remove(name)
    out.print(f"removed {name}", markup=False)


@users.command("passwd")
@click.argument("name")
@pass_ctx
@command
def users_passwd(ctx: Context, name: str) -> None:
    """Give an account a new password (its open sessions end).

    \b
    Example:
      shanzhi users passwd li
    """
    from shanzhi.web.users import accounts

    accounts(ctx.settings.home).set_password(name, _password())
    out.print(f"password of {name} changed", markup=False)


@main.command("access-log")
@click.option("--user", default=None, help="Only this account's lines.")
@click.option("--limit", default=50, show_default=True, help="Lines to print; 0: all.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_ctx
@command
def access_log_cmd(ctx: Context, user: str | None, limit: int, as_json: bool) -> None:
    """Every phone the web page showed in full: who, when, which person, from which building.

    \b
    Example:
      shanzhi access-log --user li
    """
    from shanzhi.web import db_path, entries

    found = entries(db_path(ctx.settings.home), user=user, limit=limit or None)
    if as_json:
        out.print_json(json.dumps(found, ensure_ascii=False))
        return
    table = Table(title="访问记录 access log")
    for col in ("#", "at", "user", "person", "building", "client"):
        table.add_column(col)
    for e in found:
        table.add_row(
            str(e["seq"]), e["at"], f"{e['user']} ({e['role']})",
            f"{e['person_name']} {e['person_uid']}", e["building_name"] or e["building_uid"],
            e["client"] or "",
        )  # fmt: skip
    out.print(table)
