"""Managing web accounts from the command line (``shanzhi users …``): the grid of a scoped
account is checked against the store, so an account can only be given a grid that exists.

A 网格员 may have a grid of any level; 居委/街道 staff a community, block or street grid.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypedDict

from shanzhi.errors import AmbiguousError, NotFoundError, UsageError
from shanzhi.graph.model import GridLevel, Label
from shanzhi.web.accounts import Accounts, Role, User, db_path
from shanzhi.web.graphview import GraphView

__all__ = [
    "STAFF_LEVELS",
    "UserRow",
    "accounts",
    "add_user",
    "check_new",
    "resolve_grid",
    "rows",
]

STAFF_LEVELS = (GridLevel.COMMUNITY.value, GridLevel.BLOCK.value, GridLevel.STREET.value)


class UserRow(TypedDict):
    """An account as ``users list --json`` prints it."""

    name: str
    role: str
    role_zh: str
    grid: str | None
    grid_name: str | None
    created: str


def accounts(home: Path) -> Accounts:
    """The accounts of a home folder."""
    return Accounts(db_path(home))


def resolve_grid(store: Any, text: str) -> tuple[str, str, str]:
    """(uid, name, level) of the grid ``text`` names (uid, id or exact name)."""
    view = GraphView(store)
    wanted = text.strip()
    held = view.datasets()
    dataset = wanted.split(":", 1)[0] if ":" in wanted else None
    # a uid names its dataset: only that one is read (on a city, much quicker than an id)
    names = [dataset] if dataset in held else held
    grids = [
        (u, d)
        for name in names
        for u, d in view.graph(name).nodes(data=True)
        if d.get("label") == Label.GRID.value
    ]
    for key in ("uid", "id", "name"):
        hits = [(u, d) for u, d in grids if (u if key == "uid" else d.get(key)) == wanted]
        if len(hits) == 1:
            u, d = hits[0]
            return u, str(d.get("name", u)), str(d.get("level"))
        if hits:
            raise AmbiguousError(
                f"多个网格叫 {wanted!r}，请给出 uid。 {len(hits)} grids match; give the uid.",
                [{"id": u, "name": str(d.get("name"))} for u, d in hits],
            )
    raise NotFoundError(
        f"没有网格 {wanted!r}。 No grid {wanted!r} in the store; "
        "give a grid id such as G-C17 or its uid gonghexinlu:G-C17."
    )


def check_new(store: Any, home: Path, name: str, role: Role, grid: str | None) -> str | None:
    """Check a new account before its password is asked for; return its grid's uid (if scoped).

    UsageError if the name is taken, a scoped role has no grid or a grid of the wrong level, or
    an unscoped role was given one; NotFoundError if the grid is not in the store.
    """
    if accounts(home).find(name.strip()) is not None:
        raise UsageError(f"账号已存在 the account {name!r} exists already.")
    if not role.scoped:
        if grid:
            raise UsageError(f"{role.zh}能看全部，不需要 --grid。 A {role.value} sees everything.")
        return None
    if not grid:
        raise UsageError(f"{role.zh}账号需要 --grid。 A {role.value} account needs --grid.")
    uid, gname, level = resolve_grid(store, grid)
    if role is Role.STAFF and level not in STAFF_LEVELS:
        raise UsageError(
            f"居委/街道账号的网格应是居民区、街区或街道网格，{gname} 是{GridLevel(level).zh}。 "
            "A staff account needs a community, block or street grid."
        )
    return uid


def add_user(
    store: Any, home: Path, name: str, password: str, role: Role, grid: str | None
) -> User:
    """Create an account (checked by :func:`check_new`; ``grid`` as an id, uid or name)."""
    uid = check_new(store, home, name, role, grid)
    return accounts(home).add(name, password, role, uid)


def rows(store: Any, home: Path) -> list[UserRow]:
    """Every account with its grid's name."""
    view = GraphView(store)
    names = {
        u: str(view.graph_of(u).nodes[u].get("name"))
        for u in {a.grid for a in accounts(home).all() if a.grid}
        if u in view.graph_of(u)
    }
    return [
        UserRow(
            name=u.name,
            role=u.role.value,
            role_zh=u.role.zh,
            grid=u.grid,
            grid_name=names.get(u.grid) if u.grid else None,
            created=u.created,
        )
        for u in accounts(home).all()
    ]
