"""Terminal views of routing answers (rich), for ``shanzhi route``: one ticket, or a whole list.

>>> import io
>>> from rich.console import Console
>>> from shanzhi.route.routing import make_route
>>> console = Console(file=io.StringIO(), width=100, record=True, color_system=None)
>>> console.print(route_view(make_route("routed", "楼道堆物 → building: 楼组长",
...     building={"id": "B1", "name": "示例1号楼", "address": "示例路1弄1号"}, match="address",
...     rule="楼道堆物", level="building", grid={"id": "G5", "name": "示例1号楼楼组网格"},
...     people=[{"id": "P1", "name": "张测试", "role": "楼组长", "phone": "138****0001"}])))
>>> print(console.export_text().rstrip())
已派单 routed · 楼道堆物 → building: 楼组长
  楼栋 building：示例1号楼（B1） 示例路1弄1号 · 匹配 address
  责任网格 grid：示例1号楼楼组网格（G5） · building
  责任人 people：张测试（楼组长，138****0001）
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from shanzhi.route import RouteReport
from shanzhi.route.output import people_text
from shanzhi.route.routing import Route
from shanzhi.route.summary import STATUS_ZH, summary_table

__all__ = ["EXIT_CODES", "left_out", "report_view", "route_view", "wrote"]

#: Exit code of ``route --text`` by status (as who-covers: 1 not found, 2 several).
EXIT_CODES = {"routed": 0, "not-found": 1, "not-ours": 1, "ambiguous": 2}
_STYLE = {"routed": "green", "ambiguous": "yellow", "not-ours": "dim", "not-found": "red"}


def route_view(r: Route) -> RenderableType:
    """One ticket's routing, a few lines."""
    status = r["status"]
    head = Text(f"{STATUS_ZH[status]} {status}", style=f"bold {_STYLE[status]}")
    head.append(f" · {r['note']}", style="")
    lines: list[RenderableType] = [head]
    b, g = r["building"], r["grid"]
    if b:
        where = f"{b['name']}（{b['id']}） {b.get('address', '')}".rstrip()
        lines.append(Text(f"  楼栋 building：{where} · 匹配 {r['match']}"))
    if g:
        lines.append(Text(f"  责任网格 grid：{g['name']}（{g['id']}） · {r['level']}"))
    if r["orgs"]:
        orgs = "；".join(f"{o['name']}（{o['kind']}）" for o in r["orgs"])
        lines.append(Text(f"  责任组织 orgs：{orgs}"))
    if r["people"]:
        lines.append(Text(f"  责任人 people：{people_text(r['people'])}"))
    for c in r["candidates"]:
        what = "  ".join(c.get(k, "") for k in ("id", "name", "address")).rstrip()
        lines.append(Text(f"  候选 candidate：{what}"))
    if r["region"]:
        lines.append(Text(f"  所属辖区 region：{r['region']}"))
    return Group(*lines)


def report_view(report: RouteReport) -> RenderableType:
    """A routed list: the summary table."""
    return summary_table(report["summary"])


def wrote(report: RouteReport) -> str:
    """The line saying what was written (print it unwrapped: it holds a path)."""
    return f"已写入 wrote {report['output']} — {report['written']} 行 rows"


def left_out(report: RouteReport) -> str:
    """The one sentence after the problems of the rows left out (empty when none)."""
    n = len(report["problems"])
    if not n:
        return ""
    return (
        f"有 {n} 行无法读取，已略去，见上 "
        f"({n} row{'s' if n != 1 else ''} could not be read and {'were' if n != 1 else 'was'} "
        "left out; each is listed above)."
    )
