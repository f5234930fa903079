"""Web accounts: who may log in, with which role and grid, kept in ``HOME/web.db`` (SQLite).

The file is separate from the graph store (the page never writes the graph). Passwords are kept
only as argon2id hashes (argon2-cffi); a password change or a role change bumps the account's
``epoch``, which ends every session signed before it.

Roles (:class:`Role`): ``gridworker`` 网格员 and ``staff`` 居委/街道 work inside one grid (and
everything under it); ``analyst`` sees everything with phones masked; ``admin`` sees everything.

>>> import tempfile, pathlib
>>> db = Accounts(pathlib.Path(tempfile.mkdtemp()) / "web.db")
>>> db.add("wang", "a-long-password", Role.GRIDWORKER, "gonghexinlu:G-C17-BR2").role.zh
'网格员'
>>> db.check("wang", "a-long-password").grid, db.check("wang", "wrong") is None
('gonghexinlu:G-C17-BR2', True)
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from shanzhi.errors import NotFoundError, UsageError

__all__ = ["DB_NAME", "MIN_PASSWORD", "Accounts", "Role", "User", "connect", "db_path"]

DB_NAME = "web.db"
MIN_PASSWORD = 10
_HASHER = PasswordHasher()
#: A hash to verify against when the name is unknown, so both cases take the same time.
_DUMMY = _HASHER.hash("not-a-password-of-anyone")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  grid TEXT,
  hash TEXT NOT NULL,
  epoch INTEGER NOT NULL DEFAULT 1,
  created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS access_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  user TEXT NOT NULL,
  role TEXT NOT NULL,
  person_uid TEXT NOT NULL,
  person_name TEXT,
  building_uid TEXT NOT NULL,
  building_name TEXT,
  client TEXT
);
"""


_ZH = {"gridworker": "网格员", "staff": "居委/街道", "analyst": "分析员", "admin": "管理员"}


class Role(StrEnum):
    """What an account may see (see the module docstring)."""

    GRIDWORKER = "gridworker"
    STAFF = "staff"
    ANALYST = "analyst"
    ADMIN = "admin"

    @property
    def zh(self) -> str:
        """The role's Chinese name."""
        return _ZH[self.value]

    @property
    def scoped(self) -> bool:
        """Whether the role works inside one grid."""
        return self in (Role.GRIDWORKER, Role.STAFF)

    @property
    def may_show_contact(self) -> bool:
        """Whether the role may ask for a phone in full (each time written to the access log)."""
        return self is not Role.ANALYST

    @property
    def may_query(self) -> bool:
        """Whether the role may run the Cypher library (read-only)."""
        return self in (Role.ANALYST, Role.ADMIN)

    @classmethod
    def parse(cls, text: str) -> Role:
        """A role from its English or Chinese name.

        >>> Role.parse("网格员"), Role.parse("Staff")
        (<Role.GRIDWORKER: 'gridworker'>, <Role.STAFF: 'staff'>)
        """
        t = text.strip()
        for role in cls:
            if t.lower() == role.value or t == role.zh or (role is cls.STAFF and t in "居委街道"):
                return role
        raise UsageError(
            f"未知角色 unknown role {text!r}; use one of "
            + ", ".join(f"{r.value} ({r.zh})" for r in cls)
            + "."
        )


@dataclass(frozen=True)
class User:
    """One account as the page sees it (never the hash)."""

    name: str
    role: Role
    grid: str | None
    epoch: int
    created: str


def db_path(home: Path | str) -> Path:
    """Where the accounts of a home folder live."""
    return Path(home) / DB_NAME


def connect(path: Path) -> sqlite3.Connection:
    """A connection to the accounts file, created with its tables on first use (mode 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = not path.exists()
    conn = sqlite3.connect(path, timeout=10)
    if fresh:
        path.chmod(0o600)
    conn.executescript(_SCHEMA)
    return conn


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _user(row: tuple[str, str, str | None, int, str]) -> User:
    return User(row[0], Role(row[1]), row[2], int(row[3]), row[4])


class Accounts:
    """The accounts of one ``web.db``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with closing(connect(path)):
            pass

    def _conn(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def add(self, name: str, password: str, role: Role, grid: str | None) -> User:
        """Create an account; UsageError if the name is taken or the password too short."""
        name = _check_name(name)
        _check_password(password)
        if role.scoped and not grid:
            raise UsageError(f"{role.zh} 账号需要一个网格 a {role.value} account needs --grid.")
        with closing(self._conn()) as conn, conn:
            try:
                conn.execute(
                    "INSERT INTO users (name, role, grid, hash, created) VALUES (?, ?, ?, ?, ?)",
                    (name, role.value, grid if role.scoped else None, _HASHER.hash(password),
                     _now()),
                )  # fmt: skip
            except sqlite3.IntegrityError as exc:
                raise UsageError(f"账号已存在 the account {name!r} exists already.") from exc
        return self.get(name)

    def get(self, name: str) -> User:
        """The account of that name; NotFoundError if there is none."""
        user = self.find(name)
        if user is None:
            raise NotFoundError(f"没有这个账号 no account named {name!r}.")
        return user

    def find(self, name: str) -> User | None:
        """The account of that name, or None."""
        with closing(self._conn()) as conn:
            row = conn.execute(
                "SELECT name, role, grid, epoch, created FROM users WHERE name = ?", (name,)
            ).fetchone()
        return _user(row) if row else None

    def all(self) -> list[User]:
        """Every account, by name."""
        with closing(self._conn()) as conn:
            rows = conn.execute(
                "SELECT name, role, grid, epoch, created FROM users ORDER BY name"
            ).fetchall()
        return [_user(r) for r in rows]

    def remove(self, name: str) -> None:
        """Delete an account (its sessions end at their next request)."""
        with closing(self._conn()) as conn, conn:
            if conn.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount == 0:
                raise NotFoundError(f"没有这个账号 no account named {name!r}.")

    def set_password(self, name: str, password: str) -> None:
        """Give an account a new password; its open sessions end."""
        _check_password(password)
        with closing(self._conn()) as conn, conn:
            cur = conn.execute(
                "UPDATE users SET hash = ?, epoch = epoch + 1 WHERE name = ?",
                (_HASHER.hash(password), name),
            )
            if cur.rowcount == 0:
                raise NotFoundError(f"没有这个账号 no account named {name!r}.")

    def check(self, name: str, password: str) -> User | None:
        """The account if the password is right, else None (same work whether or not it exists)."""
        with closing(self._conn()) as conn:
            row = conn.execute("SELECT hash FROM users WHERE name = ?", (name,)).fetchone()
        try:
            _HASHER.verify(row[0] if row else _DUMMY, password)
        except (VerificationError, InvalidHashError):
            return None
        return self.find(name) if row else None


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 64 or any(ch.isspace() for ch in name):
        raise UsageError("账号名不能为空或含空格 an account name is 1–64 characters, no spaces.")
    return name


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UsageError(
            f"密码至少 {MIN_PASSWORD} 个字符 a password needs at least {MIN_PASSWORD} characters."
        )
