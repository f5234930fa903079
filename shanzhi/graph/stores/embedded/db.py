"""The embedded store's file: ``HOME/shanzhi.db``, one SQLite database in WAL mode.

* **Readers never block and never see half a load.** Every read runs in one read transaction
  (``BEGIN`` … ``COMMIT``) on a connection of its own thread; in WAL mode it sees the database as
  the last committed load left it, however long a load that runs meanwhile takes.
* **One writer at a time.** A load takes an exclusive lock on ``HOME/.lock`` (waiting for a load
  already running, and saying so), then ``BEGIN IMMEDIATE``; everything it writes is one
  transaction, so a crash at any moment (SIGKILL included) leaves the old graph or the new one —
  SQLite's journal sees to that. Commits are ``synchronous=FULL``.
* **Known files only.** The file carries shanzhi's ``application_id`` and its schema version
  (``user_version``); another SQLite file, a newer layout or bytes that are no database are
  refused with one sentence (:class:`~shanzhi.errors.StoreUnavailableError`), never a traceback.
* **A home of the networkx store** (a ``graph.json`` and no ``shanzhi.db``) is converted once, in
  one transaction, with a one-line message; the old file is kept as ``graph.json.converted``.

Before anything is loaded there is no file: reads answer from an empty in-memory database, so
asking an empty home creates nothing.
"""

from __future__ import annotations

import fcntl
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from shanzhi.errors import StoreUnavailableError
from shanzhi.graph.stores.embedded import sql

__all__ = ["FILE_NAME", "LEGACY_NAME", "Database", "Notify"]

FILE_NAME = "shanzhi.db"
LEGACY_NAME = "graph.json"
LOCK_NAME = ".lock"
#: How long a statement waits for SQLite's own locks (a checkpoint, a writer outside shanzhi).
BUSY_TIMEOUT_S = 30.0
#: Page cache of a load's connection (KiB, as ``PRAGMA cache_size`` takes a negative number).
#: A load writes one dataset, whose rows sit together in every index (uids start with the
#: dataset's name), so this bounds the writer's memory at no cost in time (a district load:
#: 8.6 CPU-s at 64 MiB, 8.3 at 256 MiB, whose peak RSS is 90 MiB higher).
WRITE_CACHE_KIB = 64 * 1024
#: The WAL is cut back to this size after a checkpoint (a city load grows it to gigabytes).
WAL_LIMIT_BYTES = 64 * 2**20

#: Where one-line notices go (a conversion, a load waiting for another); stderr by default.
Notify = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Database:
    """The SQLite file of one home folder: read transactions per thread, one writer at a time."""

    def __init__(self, home: Path, notify: Notify | None = None) -> None:
        self.home = home
        self.path = home / FILE_NAME
        self.notify = notify or _stderr
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        self._legacy_checked = False

    # -- reading ---------------------------------------------------------------------------------
    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A connection inside one read transaction: one consistent view of the graph."""
        self._convert_legacy()
        conn = self._reader()
        with _translated(self.path):
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("COMMIT")

    def _reader(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None and not (getattr(self._local, "empty", False) and self.path.exists()):
            return conn
        if conn is not None:
            conn.close()
        if self.path.exists():
            with _translated(self.path):
                conn = self._connect(self.path)
                empty = not _check(conn, self.path)
            if empty:
                conn.close()
        else:
            empty = True
        if empty:
            conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            _create(conn)
        assert conn is not None
        conn.execute("PRAGMA query_only = ON")
        self._local.conn, self._local.empty = conn, empty
        with self._guard:
            self._opened.append(conn)
        return conn

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        conn = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        conn.execute("PRAGMA foreign_keys = OFF")
        return conn

    # -- writing ---------------------------------------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """A connection inside ``BEGIN IMMEDIATE``, under the home's write lock.

        Commits when the block ends, rolls back (and writes nothing) when it raises.
        """
        self._convert_legacy()
        with self._locked(), _translated(self.path):
            conn = self._connect(self.path)
            try:
                _prepare_writer(conn, self.path)
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            finally:
                conn.close()

    @contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            self.home.mkdir(parents=True, exist_ok=True)
            lock = open(self.home / LOCK_NAME, "a")  # noqa: SIM115 - held for the whole block
        except OSError as exc:
            raise StoreUnavailableError(
                f"无法写入 {self.home}（cannot write to {self.home}: {exc.strerror})."
            ) from exc
        with lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                self.notify(
                    f"另一个加载正在写入 {self.home}，等待中 "
                    f"(another load is writing to {self.home}; waiting for it to finish)."
                )
                fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    # -- the networkx store's graph.json ---------------------------------------------------------
    def _convert_legacy(self) -> None:
        if self._legacy_checked:
            return
        self._legacy_checked = True
        legacy = self.home / LEGACY_NAME
        if not legacy.exists():
            return
        from shanzhi.graph.stores.embedded.convert import convert

        with self._locked(), _translated(self.path):
            if not legacy.exists():  # another process converted it while this one waited
                return
            conn = self._connect(self.path)
            try:
                _prepare_writer(conn, self.path)
                conn.execute("BEGIN IMMEDIATE")
                try:
                    counts = convert(conn, legacy)
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            finally:
                conn.close()
        if counts is None:
            kept = legacy.with_name(LEGACY_NAME + ".unused")
            legacy.replace(kept)
            self.notify(
                f"{legacy} 未转换 (not converted: {self.path} holds a graph already; the old "
                f"file is kept as {kept.name})."
            )
            return
        kept = legacy.with_name(LEGACY_NAME + ".converted")
        legacy.replace(kept)
        self.notify(
            f"已把 {legacy} 转换为 {self.path} (converted {counts[0]:,} nodes and {counts[1]:,} "
            f"relations of {legacy} to {self.path}; the old file is kept as {kept.name})."
        )

    def close(self) -> None:
        """Close every reading connection this object opened (in any thread)."""
        with self._guard:
            opened, self._opened = self._opened, []
        for conn in opened:
            conn.close()
        self._local = threading.local()


# -- helpers -------------------------------------------------------------------------------------
def _check(conn: sqlite3.Connection, path: Path) -> bool:
    """True if ``conn`` holds a shanzhi store (False: an empty new file); refuse anything else."""
    app = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app == 0 and version == 0 and not conn.execute(sql.TABLES).fetchall():
        return False
    if app != sql.APPLICATION_ID:
        raise StoreUnavailableError(
            f"{path} 不是 shanzhi 的图谱 ({path} is not a shanzhi store; move it away or use "
            "another --home)."
        )
    if version > sql.SCHEMA_VERSION:
        raise StoreUnavailableError(
            f"{path} 由更新的 shanzhi 写成 ({path} was written by a newer shanzhi, schema "
            f"{version}; this one reads {sql.SCHEMA_VERSION}); upgrade shanzhi."
        )
    return True


def _create(conn: sqlite3.Connection) -> None:
    """The tables and indexes of :mod:`.sql`, and the file's marks."""
    for statement in sql.SCHEMA:
        conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {sql.APPLICATION_ID:d}")
    conn.execute(f"PRAGMA user_version = {sql.SCHEMA_VERSION:d}")


def _prepare_writer(conn: sqlite3.Connection, path: Path) -> None:
    """WAL, durable commits, a bigger page cache; the schema on a new file."""
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(f"PRAGMA cache_size = -{WRITE_CACHE_KIB:d}")
    conn.execute(f"PRAGMA journal_size_limit = {WAL_LIMIT_BYTES:d}")
    if not _check(conn, path):
        conn.execute("BEGIN IMMEDIATE")
        try:
            if not conn.execute(sql.TABLES).fetchall():  # another writer may have been first
                _create(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


@contextmanager
def _translated(path: Path) -> Iterator[None]:
    """SQLite's failures as one sentence for the user (a bug's errors pass unchanged)."""
    try:
        yield
    except sqlite3.IntegrityError:
        raise
    except sqlite3.ProgrammingError:
        raise
    except sqlite3.DatabaseError as exc:
        text = str(exc)
        if "locked" in text or "busy" in text:
            why = "图谱正忙 the store is busy (a writer outside shanzhi holds it); try again"
        elif "full" in text:
            why = "磁盘已满 the disk is full; nothing was written"
        else:
            why = f"无法读取图谱 cannot read the store in {path}: {text}"
        raise StoreUnavailableError(f"{why}.") from exc
