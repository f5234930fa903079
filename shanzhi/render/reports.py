"""Terminal renderings of what the commands did: loads, stats, exports, pictures, the query list.

Texts come from :mod:`shanzhi.messages` (Chinese with the English beside it); every function
returns a rich renderable or plain text and prints nothing itself.

>>> import io
>>> from rich.console import Console
>>> from shanzhi.graph.stores.sync import Counts, SyncReport
>>> console = Console(file=io.StringIO(), width=100, record=True, color_system=None)
>>> console.print(load_report(SyncReport("示例", Counts(3, 0, 0, 0), Counts(0, 0, 0, 2), 1)))
>>> print(console.export_text().splitlines()[0].strip())
示例 · 第 1 次载入 (load 1)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypedDict

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from shanzhi import messages as m
from shanzhi.graph.export.common import ExportReport
from shanzhi.graph.stores.sync import SyncReport

if TYPE_CHECKING:
    from shanzhi.demo import Tour

__all__ = [
    "PictureReport",
    "QueryEntry",
    "TourAnswer",
    "export_lines",
    "load_report",
    "picture_line",
    "query_table",
    "stats_report",
    "tour_json",
    "tour_report",
    "validate_line",
]

#: What the tour suggests next (commands that run on the sample as they stand).
NEXT = (
    "shanzhi who-covers 嘉利明珠城8号楼 --on 2025-06-30",
    "shanzhi audit",
    "shanzhi centrality --block 善养街区网格",
    "shanzhi viz grid -o grid.html",
)


class PictureReport(TypedDict):
    """What ``shanzhi viz … --json`` prints: the file written and what it shows."""

    output: str
    format: str
    title: str
    nodes: int
    edges: int


class QueryEntry(TypedDict):
    """One query of the library, as ``shanzhi cypher list --json`` prints it."""

    name: str
    title: str
    parameters: list[dict[str, Any]]


def load_report(report: SyncReport) -> Table:
    """What a load created, updated, removed and left unchanged."""
    number = m.LOAD_NUMBER(seq=report.load) if report.load is not None else m.NOTHING_CHANGED()
    table = Table(title=f"{report.dataset} · {number}")
    table.add_column("")
    for head in (m.HEAD_CREATED, m.HEAD_UPDATED, m.HEAD_REMOVED, m.HEAD_UNCHANGED):
        table.add_column(head.both(), justify="right")
    for row, c in ((m.ROW_NODES, report.nodes), (m.ROW_RELATIONS, report.relations)):
        table.add_row(row.both(), str(c.created), str(c.updated), str(c.removed), str(c.unchanged))
    return table


def validate_line(dataset: object, nodes: int, relations: int) -> str:
    """The line ``shanzhi validate`` ends with when the dataset is fine."""
    return m.VALIDATE_OK(dataset=dataset, nodes=nodes, relations=relations)


def stats_report(result: Mapping[str, Any]) -> RenderableType:
    """The store's counts: one line, then by kind, by type and by type and target."""
    datasets = ", ".join(result["datasets"]) or m.NONE.both()
    head = Text(
        m.STATS_LINE(
            store=result["store"],
            datasets=datasets,
            nodes=result["nodes"],
            relations=result["relations"],
        )
    )
    parts: list[RenderableType] = [head]
    for title, key, col in (
        (m.BY_KIND, "nodes_by_kind", "kind"),
        (m.BY_TYPE, "relations_by_type", "type"),
        (m.BY_TARGET, "relations_by_target", "type"),
    ):
        table = Table(title=title.both())
        table.add_column(col)
        table.add_column(m.COUNT.both(), justify="right")
        for name, n in result[key].items():
            table.add_row(escape(str(name)), str(n))
        parts.append(table)
    return Group(*parts)


def export_lines(report: ExportReport) -> list[str]:
    """The files written, then one sentence on what went out (parallel relations, masking)."""
    lines = list(report["files"])
    lines.append(
        m.EXPORTED(nodes=report["nodes"], relations=report["relations"], output=report["output"])
    )
    if report["parallel"] and report["format"] in ("graphml", "gexf"):
        lines.append(m.EXPORT_PARALLEL(parallel=report["parallel"]))
    if report["masked"]:
        lines.append(m.EXPORT_MASKED(masked=report["masked"]))
    return lines


def picture_line(report: PictureReport) -> str:
    """The line ``shanzhi viz`` prints after writing a picture."""
    return m.PICTURE_WRITTEN(path=report["output"], title=report["title"], nodes=report["nodes"])


def query_table(entries: Sequence[QueryEntry]) -> Table:
    """The analysts' query library: name, title, parameters (``?``: optional)."""
    table = Table(title="cypher/")
    width = max((len(e["name"]) for e in entries), default=4)
    table.add_column(m.QUERY_NAME.both(), no_wrap=True, min_width=width)
    table.add_column(m.QUERY_TITLE.both())
    table.add_column(m.QUERY_PARAMS.both())
    for e in entries:
        params = ", ".join(
            f"{p['name']}{'?' if p['optional'] else ''}:{p['type']}" for p in e["parameters"]
        )
        table.add_row(e["name"], escape(e["title"]), params)
    return table


def tour_report(tour: Tour) -> list[RenderableType]:
    """The demo's five steps: the load, who covers a building, the audit, circles, pictures."""
    from shanzhi.demo import DEMO_BUILDING
    from shanzhi.render.answers import audit_report, who_covers_tree

    s = tour.stats
    parts: list[RenderableType] = [
        Rule(m.TOUR_LOAD.both()),
        load_report(tour.report),
        Text(m.TOUR_COUNTS(store=s["store"], nodes=s["nodes"], relations=s["relations"])),
        Rule(m.TOUR_WHO.both(building=DEMO_BUILDING)),
        who_covers_tree(tour.answer),
        Rule(m.TOUR_AUDIT.both()),
        audit_report(tour.audit),
        Rule(m.TOUR_CIRCLE.both()),
    ]
    for block in tour.centrality["blocks"]:
        names = "、".join(member["name"] for member in block["members"])
        parts.append(Text(f"{block['block']['name']}: {names}"))
    parts.append(Rule(m.TOUR_PICTURES.both()))
    parts += [Text(str(path)) for path in tour.pictures]
    parts.append(Text("\n" + m.TOUR_NEXT.both() + ": " + ", ".join(f"`{c}`" for c in NEXT)))
    return parts


class TourAnswer(TypedDict):
    """What ``shanzhi demo --json`` prints: every answer of the tour."""

    load: dict[str, object]
    stats: dict[str, Any]
    who_covers: dict[str, Any]
    audit: dict[str, list[dict[str, Any]]]
    centrality: dict[str, Any]
    pictures: list[str]


def tour_json(tour: Tour) -> TourAnswer:
    """The tour's answers as plain data."""
    return TourAnswer(
        load=tour.report.as_dict(),
        stats=tour.stats,
        who_covers=tour.answer,
        audit=tour.audit,
        centrality=tour.centrality,
        pictures=[str(p) for p in tour.pictures],
    )
