"""The summary of a routed list: counts per block, community and category, unrouted first.

:func:`summarize` counts the routes; :func:`summary_table` lays the counts out as a rich table in
the style of the other answers (Chinese titles, English beside them); :func:`summary_sheet`
writes the same rows as a sheet of the output workbook.

>>> from shanzhi.route.routing import make_route
>>> routed = make_route("routed", "", block="善居街区网格", community="示例·嘉禾居民区网格")
>>> s = summarize([(routed, "楼道堆物"), (make_route("not-found", ""), "占道经营")], problems=1)
>>> s["by_status"]
{'not-found': 1, 'not-ours': 0, 'ambiguous': 0, 'routed': 1}
>>> [(r["status"], r["block"], r["count"]) for r in s["rows"]]
[('not-found', '', 1), ('routed', '善居街区网格', 1)]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any, TypedDict

from rich.table import Table

from shanzhi.route.routing import STATUSES, Route

__all__ = ["STATUS_ZH", "Summary", "SummaryRow", "summarize", "summary_sheet", "summary_table"]

STATUS_ZH = {
    "routed": "已派单",
    "ambiguous": "待确认",
    "not-ours": "非本辖区",
    "not-found": "未找到",
}
NO_CATEGORY = "（未分类）"


class SummaryRow(TypedDict):
    """Tickets of one status, block, community and category."""

    status: str
    block: str
    community: str
    category: str
    count: int


class Summary(TypedDict):
    """Counts of a routed list; ``problems`` counts the rows left out (unreadable)."""

    total: int
    problems: int
    by_status: dict[str, int]
    by_block: dict[str, dict[str, int]]
    by_category: dict[str, dict[str, int]]
    rows: list[SummaryRow]


def summarize(routes: Iterable[tuple[Route, str]], problems: int = 0) -> Summary:
    """Counts of ``(route, category)`` pairs (the category as the ticket gives it)."""
    counts: Counter[tuple[str, str, str, str]] = Counter()
    for route, category in routes:
        block = route["block"] if route["status"] == "routed" else ""
        community = route["community"] if route["status"] == "routed" else ""
        counts[(route["status"], block, community, category.strip() or NO_CATEGORY)] += 1
    order: dict[str, int] = {s: i for i, s in enumerate(STATUSES)}
    rows: list[SummaryRow] = [
        {"status": s, "block": b, "community": c, "category": cat, "count": n}
        for (s, b, c, cat), n in sorted(counts.items(), key=lambda kv: (order[kv[0][0]], kv[0][1:]))
    ]
    by_status: dict[str, int] = {s: 0 for s in STATUSES}
    by_block: dict[str, dict[str, int]] = {}
    by_category: dict[str, dict[str, int]] = {}
    for r in rows:
        by_status[r["status"]] += r["count"]
        for table, key in ((by_block, r["block"]), (by_category, r["category"])):
            cell = table.setdefault(key, {s: 0 for s in STATUSES})
            cell[r["status"]] += r["count"]
    return {
        "total": sum(by_status.values()),
        "problems": problems,
        "by_status": by_status,
        "by_block": dict(sorted(by_block.items(), key=lambda kv: (kv[0] != "", kv[0]))),
        "by_category": dict(sorted(by_category.items())),
        "rows": rows,
    }


def summary_table(summary: Summary) -> Table:
    """The summary as a table: one line per status, block, community and category."""
    s = summary["by_status"]
    caption = "  ".join(f"{STATUS_ZH[k]} {k}: {s[k]}" for k in STATUSES)
    if summary["problems"]:
        caption += f"  无法读取 unreadable (left out): {summary['problems']}"
    table = Table(title=f"派单汇总 · routing summary（{summary['total']} 件）", caption=caption)
    for col in ("状态 status", "街区 block", "居民区 community", "类别 category"):
        table.add_column(col)
    table.add_column("件数 count", justify="right")
    for r in summary["rows"]:
        style = None if r["status"] == "routed" else "yellow"
        table.add_row(
            f"{STATUS_ZH[r['status']]} {r['status']}",
            r["block"] or "—",
            r["community"] or "—",
            r["category"],
            str(r["count"]),
            style=style,
        )
    return table


def summary_sheet(summary: Summary) -> Any:
    """A callable adding the summary as a sheet 派单汇总 to a write-only workbook."""

    def add(wb: Any) -> None:
        ws = wb.create_sheet("派单汇总")
        ws.append(["派单状态", "街区", "居民区", "诉求类别", "件数"])
        for r in summary["rows"]:
            ws.append([r["status"], r["block"], r["community"], r["category"], r["count"]])

    return add
