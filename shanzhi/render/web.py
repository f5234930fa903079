"""The web page's accounts and access log in the terminal (``shanzhi users``, ``access-log``,
``serve``); every function returns a rich table or a line and prints nothing itself.

>>> user_added_line("li", "网格员", "tiny:G4")
'added li · 网格员 · tiny:G4'
>>> user_added_line("admin", "管理员", None)
'added admin · 管理员 · 全部 everything'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.table import Table

from shanzhi import messages as m

if TYPE_CHECKING:
    from shanzhi.web.accesslog import Entry
    from shanzhi.web.users import UserRow

__all__ = [
    "access_log_table",
    "password_changed_line",
    "serving_line",
    "user_added_line",
    "user_removed_line",
    "users_table",
]


def serving_line(host: str, port: int) -> str:
    """Where ``shanzhi serve`` listens."""
    return m.SERVING.format(host=host, port=port)


def user_added_line(name: str, role_zh: str, grid: str | None) -> str:
    """An account just made: its name, role and grid (everything when it has none)."""
    return m.USER_ADDED.format(name=name, role=role_zh, scope=grid or m.EVERYTHING.both())


def user_removed_line(name: str) -> str:
    """An account just deleted."""
    return m.USER_REMOVED.format(name=name)


def password_changed_line(name: str) -> str:
    """An account just given a new password."""
    return m.PASSWORD_CHANGED.format(name=name)


def users_table(found: Sequence[UserRow]) -> Table:
    """Every account with its role and grid."""
    table = Table(title=m.USERS_TITLE)
    for col in ("name", "role", "grid", "created"):
        table.add_column(col)
    for u in found:
        grid = f"{u['grid_name'] or ''} {u['grid'] or m.EVERYTHING.zh}".strip()
        table.add_row(u["name"], f"{u['role_zh']} {u['role']}", grid, u["created"])
    return table


def access_log_table(found: Sequence[Entry]) -> Table:
    """Every phone the web page showed in full, newest first."""
    table = Table(title=m.ACCESS_LOG_TITLE.both())
    for col in ("#", "at (UTC)", "user", "person", "building"):
        table.add_column(col, overflow="fold")
    for e in found:
        table.add_row(
            str(e["seq"]), e["at"].replace("T", " ").removesuffix("Z"), e["user"],
            f"{e['person_name']} {e['person_uid']}", e["building_name"] or e["building_uid"],
        )  # fmt: skip
    return table
