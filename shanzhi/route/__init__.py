"""Routing complaints (派单): each ticket of a list to whoever covers its address (docs/routing.md).

``route_file(store, "工单.xlsx", "派单结果.xlsx")`` reads a ticket list (:mod:`.tickets`), routes
every readable row (:mod:`.routing`: the address, or the address found in the text
(:mod:`.extract`), to one building through the finder, never on a guess (:mod:`.locate`), then
to the people the routing rules (:mod:`.rules`, ``routing.yaml``) name on the ticket's day), and
writes every input column plus the routing columns (:mod:`.output`). It returns a
:class:`RouteReport` with the summary (:mod:`.summary`; a chart: :mod:`.chart`) and the rows left
out as problems. ``route_text(store, "共和新路2288弄12号楼道内堆物")`` routes one ticket.

Modules: ``tickets`` (reading lists), ``rules`` (routing.yaml), ``extract`` (addresses in text),
``regions`` (not-ours), ``locate`` (the finder, match kinds), ``routing`` (one ticket),
``output`` (writing), ``summary`` (counts, table), ``chart`` (bar chart).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any, TypedDict

from shanzhi import collector
from shanzhi.errors import Problem
from shanzhi.graph.queries.who_covers import parse_day
from shanzhi.route.output import write_rows
from shanzhi.route.routing import Route, Router
from shanzhi.route.rules import Rules, load_rules
from shanzhi.route.summary import Summary, summarize, summary_sheet
from shanzhi.route.tickets import read_tickets

__all__ = ["Route", "RouteReport", "Router", "route_file", "route_text"]

ProgressFn = Callable[[str, int, int], None]
#: Rows between two progress calls.
PROGRESS_EVERY = 200
#: Tickets routed together (:meth:`Router.route_many`: their buildings' facts read in one go,
#: each grid, organisation and person once; a district's 10,000 tickets: 2.6 CPU-s for the
#: facts in one batch, 5.7 in batches of 1,000).
BATCH = 10_000


class RouteReport(TypedDict):
    """What ``route_file`` did: files, rows written, rows left out, the summary."""

    input: str
    output: str
    written: int
    problems: list[Problem]
    summary: Summary


def route_file(
    store: Any,
    path: Path | str,
    output: Path | str,
    *,
    mapping: Path | str | None = None,
    rules: Rules | Path | str | None = None,
    on: date | str | None = None,
    show_contact: bool = False,
    progress: ProgressFn | None = None,
) -> RouteReport:
    """Route every ticket of ``path`` and write ``output`` (.csv, .xlsx or .jsonl).

    ``on`` is the day of tickets without a 受理时间. Unreadable rows are left out and returned
    as ``problems``; a file that cannot be read at all raises DataError and writes nothing.
    """
    day = parse_day(on) if on is not None else None
    ruleset = rules if isinstance(rules, Rules) else load_rules(rules)
    tickets = read_tickets(path, mapping, day)
    router = Router(store, ruleset, show_contact)
    pairs: list[tuple[Route, str]] = []

    located = 0

    def one_more() -> None:  # the finder's part of a ticket, the most of its time
        nonlocal located
        located += 1
        if progress is not None and located % PROGRESS_EVERY == 0:
            progress("routing", located, tickets.size)

    def routed() -> Iterator[tuple[list[str], Route]]:
        for part in _batches(tickets.tickets, BATCH):
            asks = [(t["address"], t["content"], t["category"], t["day"]) for t in part]
            for t, r in zip(part, router.route_many(asks, one_more), strict=True):
                pairs.append((r, t["category"]))
                yield t["cells"], r

    out = Path(output)
    box: dict[str, Summary] = {}

    def sheet(wb: Any) -> None:  # the summary of the rows just routed, as a second sheet
        box["s"] = summarize(pairs, len(tickets.problems))
        summary_sheet(box["s"])(wb)

    with collector.paused():  # a district's 10,000 tickets: 9.0 s with it, 7.3 s without
        written = write_rows(out, tickets.header, routed(), sheet)
    summary = box.get("s") or summarize(pairs, len(tickets.problems))
    if progress is not None:
        progress("routing", written, written)
    return {
        "input": str(path),
        "output": str(out),
        "written": written,
        "problems": sorted(tickets.problems),
        "summary": summary,
    }


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while part := list(islice(it, size)):
        yield part


def route_text(
    store: Any,
    text: str,
    *,
    address: str = "",
    category: str = "",
    on: date | str | None = None,
    rules: Rules | Path | str | None = None,
    show_contact: bool = False,
) -> Route:
    """Route one ticket given as free text (and optionally its address cell and category),
    received on ``on`` (default today)."""
    ruleset = rules if isinstance(rules, Rules) else load_rules(rules)
    router = Router(store, ruleset, show_contact)
    return router.route(address, text, category, parse_day(on).isoformat())
