"""The who-covers tree as rich drew it before :mod:`shanzhi.render.tree` (the code of
``shanzhi/render/answers.py`` at 292ffc1, unchanged): the oracle the new drawing is checked
against. Tests only: the program draws who-covers without rich."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.tree import Tree

from shanzhi.address.match import KIND_LABELS
from shanzhi.graph.model import GridLevel, OrgKind, PlaceKind

_RELATION = {"LEADS": "引领", "SERVES": "服务"}


def _zh(enum: Any, value: Any) -> str:
    try:
        return str(enum(value).zh)
    except ValueError:
        return str(value)


def _person(p: Mapping[str, Any]) -> str:
    notes = [n for n in ("党员" if p.get("party_member") else "", p.get("phone") or "") if n]
    return escape(str(p["name"])) + (f"（{'，'.join(notes)}）" if notes else "")


def _org(o: Mapping[str, Any]) -> str:
    what = _zh(OrgKind, o.get("kind"))
    if o.get("members") is not None:
        what += f"，{o['members']} 人"
    how = _RELATION.get(str(o.get("relation")), "")
    return f"{escape(str(o['name']))}（{what}）" + (f" · {how}" if how else "")


def _by_role(people: Sequence[Mapping[str, Any]]) -> list[tuple[str, list[Mapping[str, Any]]]]:
    roles: dict[str, list[Mapping[str, Any]]] = {}
    for p in people:  # already in role order
        roles.setdefault(str(p["role"]), []).append(p)
    return list(roles.items())


def who_covers_tree(answer: Mapping[str, Any]) -> Tree:
    """The answer of ``who_covers`` as a rich tree, nearest level first."""
    b = answer["building"]
    head = f"[bold]{escape(str(b['name']))}[/]（{escape(str(b['id']))}）"
    if b.get("address"):
        head += f" · {escape(str(b['address']))}"
    head += f" · {answer['on']}"
    tree = Tree(head)
    how = answer.get("match")
    if how == "guess":
        tree.add("[yellow]匹配：猜测 — 您要找的是这栋楼吗？（a guess: is this the building?）[/]")
    elif how:
        zh, en = KIND_LABELS.get(str(how), (str(how), str(how)))
        tree.add(f"匹配：{zh}（{escape(en)}）")
    via = answer.get("covered_via")
    if via and via.get("depth"):
        tree.add(
            f"[yellow]楼栋本身没有网格覆盖，经由所在{_zh(PlaceKind, via['kind'])}"
            f"「{escape(str(via['name']))}」找到上级网格[/]"
        )
    for step in answer["chain"]:
        level = _zh(GridLevel, step["level"])
        grid = step.get("grid")
        if grid:
            branch = tree.add(
                f"[bold]{level}[/]：{escape(str(grid['name']))}（{escape(grid['id'])}）"
            )
        elif step["orgs"] or step["people"]:
            branch = tree.add(f"[bold]{level}[/]：[red]缺失 — 没有这一级的网格[/]")
        else:
            tree.add(f"[bold]{level}[/]：[red]缺失 — 没有这一级的网格[/]")
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
                label = f"路长（{escape(str(answer['road']['name']))}，当日值班）"
            branch.add(f"{escape(label)}：" + "、".join(_person(p) for p in people))
    return tree


def printed(answer: Mapping[str, Any], width: int) -> str:
    """What ``shanzhi who-covers`` printed for ``answer`` to a file (not a terminal) at
    ``width`` columns: the CLI's console then (no highlighting, no colour)."""
    file = io.StringIO()
    console = Console(file=file, width=width, highlight=False, color_system=None)
    console.print(who_covers_tree(answer))
    return file.getvalue()
