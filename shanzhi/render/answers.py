"""Terminal pictures of who-covers and audit answers, in Chinese, nearest first.

``who_covers_tree(answer)`` draws the chain of
:func:`shanzhi.graph.queries.who_covers.who_covers` as a tree (:mod:`shanzhi.render.tree`, no
rich: a question in a new process costs no more than it must): the building at the root, how
the typed text matched it (a guess asked as a question), then one branch per level
(楼组 → 支部 → 居民区 → 街区 → 街道) with its grid, its organisations and one line per role
listing who holds it (党员 marked, phones as the answer carries them: masked unless asked for).
``audit_report(result)`` lays out the five gap lists of
:func:`shanzhi.graph.queries.audit.audit` as rich tables (rich imported when one is drawn).

>>> tree = who_covers_tree({
...     "building": {"id": "B1", "name": "示例小区1号楼", "address": "示例路1弄1号"},
...     "match": "homophone", "on": "2026-11-27", "missing_levels": ["branch"], "road": None,
...     "covered_via": None,
...     "chain": [{"level": "building", "grid": {"id": "G5", "name": "示例1号楼楼组网格"},
...                "missing": False, "orgs": [],
...                "people": [{"id": "P1", "name": "张测试", "role": "楼组长",
...                            "party_member": True, "phone": "138****0001"}]},
...               {"level": "branch", "grid": None, "missing": True, "orgs": [], "people": []}]})
>>> print("\\n".join(tree.lines(100)))
示例小区1号楼（B1） · 示例路1弄1号 · 2026-11-27
├── 匹配：同音字（a homophone）
├── 党小组和楼组网格：示例1号楼楼组网格（G5）
│   └── 楼组长：张测试（党员，138****0001）
└── 党支部带楼群网格：缺失 — 没有这一级的网格
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from shanzhi.address.match import KIND_LABELS
from shanzhi.graph.model import GridLevel, OrgKind, PlaceKind
from shanzhi.render.tree import Piece, Tree

if TYPE_CHECKING:  # a who-covers answer needs neither rich nor the loads (nor their imports)
    from rich.console import RenderableType
    from rich.table import Table

    from shanzhi.graph.stores.loads import Changes, LoadRecord
    from shanzhi.graph.stores.sync import Counts

__all__ = ["AUDIT_TITLES", "audit_report", "changes_table", "history_table", "who_covers_tree"]

#: The Chinese heading of each audit list.
AUDIT_TITLES = {
    "uncovered_buildings": "无网格覆盖的楼栋",
    "unled_grids": "无党组织引领的网格",
    "groups_without_party_member": "没有党员的楼管小组",
    "branches_without_liaison": "没有联系社工的党支部",
    "vacant_posts": "空缺岗位",
}
_RELATION = {"LEADS": "引领", "SERVES": "服务"}
_MISSING = "缺失 — 没有这一级的网格"


def _zh(enum: Any, value: Any) -> str:
    try:
        return str(enum(value).zh)
    except ValueError:
        return str(value)


def _person(p: Mapping[str, Any]) -> str:
    notes = [n for n in ("党员" if p.get("party_member") else "", p.get("phone") or "") if n]
    return str(p["name"]) + (f"（{'，'.join(notes)}）" if notes else "")


def _org(o: Mapping[str, Any]) -> str:
    what = _zh(OrgKind, o.get("kind"))
    if o.get("members") is not None:
        what += f"，{o['members']} 人"
    how = _RELATION.get(str(o.get("relation")), "")
    return f"{o['name']}（{what}）" + (f" · {how}" if how else "")


def _by_role(people: Sequence[Mapping[str, Any]]) -> list[tuple[str, list[Mapping[str, Any]]]]:
    roles: dict[str, list[Mapping[str, Any]]] = {}
    for p in people:  # already in role order
        roles.setdefault(str(p["role"]), []).append(p)
    return list(roles.items())


def _head(answer: Mapping[str, Any]) -> Tree:
    """The building, how the typed text matched it, and how it is covered."""
    b = answer["building"]
    where = f" · {b['address']}" if b.get("address") else ""
    tree = Tree((str(b["name"]), "bold"), f"（{b['id']}）{where} · {answer['on']}")
    how = answer.get("match")
    if how == "guess":
        tree.add(("匹配：猜测 — 您要找的是这栋楼吗？（a guess: is this the building?）", "yellow"))
    elif how:
        zh, en = KIND_LABELS.get(str(how), (str(how), str(how)))
        tree.add(f"匹配：{zh}（{en}）")
    via = answer.get("covered_via")
    if via and via.get("depth"):
        tree.add(
            (
                f"楼栋本身没有网格覆盖，经由所在{_zh(PlaceKind, via['kind'])}"
                f"「{via['name']}」找到上级网格",
                "yellow",
            )
        )
    return tree


def who_covers_tree(answer: Mapping[str, Any]) -> Tree:
    """The answer of ``who_covers`` as a tree (:mod:`shanzhi.render.tree`), nearest level
    first."""
    tree = _head(answer)
    for step in answer["chain"]:
        level: Piece = (_zh(GridLevel, step["level"]), "bold")
        grid = step.get("grid")
        if grid:
            branch = tree.add(level, f"：{grid['name']}（{grid['id']}）")
        else:
            branch = tree.add(level, "：", (_MISSING, "red"))
            if not (step["orgs"] or step["people"]):
                continue
        if step["orgs"]:
            orgs = branch.add("组织")
            for o in step["orgs"]:
                orgs.add(_org(o))
        if "circle_size" in step:
            branch.add(f"善治朋友圈：{step['circle_size']} 个成员")
        for role, people in _by_role(step["people"]):
            label = role
            if role == "路长" and answer.get("road"):
                label = f"路长（{answer['road']['name']}，当日值班）"
            branch.add(f"{label}：" + "、".join(_person(p) for p in people))
    return tree


def audit_report(result: Mapping[str, Sequence[Mapping[str, Any]]]) -> RenderableType:
    """The five gap lists of ``audit`` as tables (an empty list says 无)."""
    from rich.console import Group
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    parts: list[RenderableType] = []
    for kind, title in AUDIT_TITLES.items():
        items = result.get(kind, ())
        if not items:
            parts.append(Text(f"{title}：无", style="green"))
            continue
        table = Table(title=f"{title}（{len(items)}）", title_justify="left")
        extra = {
            "unled_grids": ("level", "层级"),
            "groups_without_party_member": ("members", "成员数"),
        }.get(kind)
        for col in ("编号", "名称"):
            table.add_column(col)
        if extra:
            table.add_column(extra[1])
        if kind == "vacant_posts":
            table.add_column("岗位")
            table.add_column("在岗/应有", justify="right")
        for item in items:
            row = [str(item["id"]), str(item["name"])]
            if extra:
                value = item.get(extra[0])
                row.append(_zh(GridLevel, value) if kind == "unled_grids" else str(value))
            if kind == "vacant_posts":
                row += [str(item.get("role")), f"{item.get('have')}/{item.get('need')}"]
            table.add_row(*(escape(c) for c in row))
        parts.append(table)
    return Group(*parts)


_CHANGE_ZH = {"created": "新增", "updated": "更新", "removed": "删除"}


def _counts(c: Counts) -> str:
    return f"+{c.created} ~{c.updated} -{c.removed} ={c.unchanged}"


def history_table(records: Sequence[LoadRecord]) -> Table:
    """The loads that changed a dataset, one row each (counts as +created ~updated -removed
    =unchanged).

    >>> import io
    >>> from rich.console import Console
    >>> console = Console(file=io.StringIO(), width=100, record=True, color_system=None)
    >>> console.print(history_table([]))
    >>> "no load has changed" in console.export_text()
    True
    """
    from rich.markup import escape
    from rich.table import Table

    table = Table(
        title="导入记录 · loads", caption=None if records else "no load has changed it yet"
    )
    for col in ("load", "at (UTC)", "nodes", "relations", "source"):
        table.add_column(col, justify="right" if col == "load" else "left", no_wrap=col != "source")
    for r in records:
        table.add_row(str(r.seq), r.at, _counts(r.nodes), _counts(r.relations), escape(r.source))
    return table


def changes_table(result: Changes, limit: int) -> list[RenderableType]:
    """A load's header line and its changed records (at most ``limit`` rows; 0: all)."""
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    record = result.load
    if record is None:
        return [Text("no load has changed this dataset yet")]
    head = Text(
        f"{record.dataset} · load {record.seq} · {record.at} · {record.source}\n"
        f"nodes {_counts(record.nodes)} · relations {_counts(record.relations)} "
        "(+created ~updated -removed =unchanged)"
    )
    rows = result.rows if limit <= 0 else result.rows[:limit]
    table = Table(title="变化 · changes")
    for col in ("change", "what", "kind", "name", "source"):
        table.add_column(col)
    for c in rows:
        where = f"{c.source_file}:{c.source_line}" if c.source_file else ""
        table.add_row(
            _CHANGE_ZH.get(c.change, c.change), c.what, c.kind, escape(c.name or ""), escape(where)
        )
    out: list[RenderableType] = [head, table]
    if len(rows) < len(result.rows):
        out.append(Text(f"… {len(result.rows) - len(rows)} more (--limit 0 or --json for all)"))
    return out
