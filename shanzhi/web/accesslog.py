"""The access log: every phone shown in full — who, when, which person, from which building.

Rows live in ``HOME/web.db`` beside the accounts and are only ever added; ``shanzhi access-log``
lists them, newest first.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "web.db"
>>> _ = record(path, "wang", "gridworker", {"uid": "d:H-1", "name": "甲"},
...            {"uid": "d:B-1", "name": "1号楼"}, "127.0.0.1")
>>> [(e["user"], e["person_name"], e["building_uid"]) for e in entries(path)]
[('wang', '甲', 'd:B-1')]
"""

from __future__ import annotations

from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypedDict

from shanzhi.web.accounts import connect

__all__ = ["Entry", "entries", "record"]


class Entry(TypedDict):
    """One line of the access log."""

    seq: int
    at: str
    user: str
    role: str
    person_uid: str
    person_name: str | None
    building_uid: str
    building_name: str | None
    client: str | None


_COLUMNS = tuple(Entry.__annotations__)


def record(
    path: Path,
    user: str,
    role: str,
    person: dict[str, Any],
    building: dict[str, Any],
    client: str | None,
) -> int:
    """Write one line (committed before the phone is sent) and return its number."""
    at = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    with closing(connect(path)) as conn, conn:
        cur = conn.execute(
            "INSERT INTO access_log (at, user, role, person_uid, person_name, building_uid, "
            "building_name, client) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (at, user, role, person["uid"], person.get("name"), building["uid"],
             building.get("name"), client),
        )  # fmt: skip
        return int(cur.lastrowid or 0)


def entries(path: Path, user: str | None = None, limit: int | None = None) -> list[Entry]:
    """The log, newest first (only ``user``'s lines if given; at most ``limit``)."""
    sql = f"SELECT {', '.join(_COLUMNS)} FROM access_log"
    args: list[Any] = []
    if user is not None:
        sql += " WHERE user = ?"
        args.append(user)
    sql += " ORDER BY seq DESC"
    if limit:
        sql += " LIMIT ?"
        args.append(limit)
    with closing(connect(path)) as conn:
        rows = conn.execute(sql, args).fetchall()
    return [Entry(**dict(zip(_COLUMNS, r, strict=True))) for r in rows]  # type: ignore[typeddict-item]
