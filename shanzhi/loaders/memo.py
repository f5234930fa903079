"""The row memo: what each row of a dataset folder gave when it was last loaded.

A reload after a one-row edit should not read and plan the whole district again. The memo keeps,
for the dataset folder a load read, every row's digest and what it registered (its node, the
relations its columns give, the references it asked to check, its parent links), with indexes
to find the rows that name a record: :mod:`shanzhi.loaders.increment` reads only the rows whose
digest changed and checks, through the memo, everything a change could break elsewhere.

It describes exactly one state of the store: the load record it was written with (``anchor``:
the dataset's last load record, its number, time and files' digest). A store whose last load
record is another — a load from elsewhere, a store made again — is not described by it, and the
memo is not used. Nor is a memo written by other reading code: ``code`` digests shanzhi's version,
``READ_VERSION``, the finder's key version and the loaders' and model's source files.

One SQLite file per dataset name and kind of store, ``HOME/cache/rows/<digest>.sqlite``: written
whole to a temporary file and renamed after a full load, changed in one transaction after a load
of only what changed. A memo that cannot be read is no memo (the load reads everything).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import orjson

from shanzhi import collector
from shanzhi.loaders.digest import READ_VERSION
from shanzhi.loaders.journal import MemoFile, MemoRow

__all__ = ["Anchor", "MemoDraft", "RowMemo", "memo_path"]

#: The layout of a memo file; one of another layout is no memo.
MEMO_VERSION = 1
_BATCH = 20_000

_TABLES = """
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE files (file TEXT PRIMARY KEY, tbl TEXT NOT NULL, header TEXT NOT NULL,
                    digest TEXT NOT NULL);
CREATE TABLE rows (file TEXT NOT NULL, line INTEGER NOT NULL, hash TEXT NOT NULL,
                   ops TEXT NOT NULL);
CREATE TABLE nodes (id TEXT NOT NULL, label TEXT NOT NULL, kind TEXT, file TEXT NOT NULL,
                    line INTEGER NOT NULL, fp TEXT NOT NULL);
CREATE TABLE rels (rkey TEXT NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL,
                   fp TEXT NOT NULL);
CREATE TABLE refs (target TEXT NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL);
CREATE TABLE ends (node TEXT NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL);
CREATE TABLE links (child TEXT NOT NULL, parent TEXT NOT NULL, file TEXT NOT NULL,
                    line INTEGER NOT NULL);
"""
#: Made after the rows are in (faster than keeping them up row by row).
_INDEXES = """
CREATE UNIQUE INDEX rows_at ON rows (file, line);
CREATE UNIQUE INDEX nodes_id ON nodes (id);
CREATE UNIQUE INDEX rels_key ON rels (rkey);
CREATE INDEX refs_target ON refs (target);
CREATE INDEX ends_node ON ends (node);
CREATE INDEX links_child ON links (child);
"""


@dataclass(frozen=True)
class Anchor:
    """The load record a memo describes the store after."""

    seq: int
    at: str
    digest: str


def memo_path(home: Path, dataset: str, store: str) -> Path:
    """Where the memo of the dataset named ``dataset`` in a store of kind ``store`` lives in
    ``home`` (whichever folder it is read from: the memo is compared row by row, file by file
    name; one per kind of store, so loading one home into both keeps two)."""
    key = hashlib.blake2b(f"{store}\0{dataset}".encode(), digest_size=12).hexdigest()
    return Path(home) / "cache" / "rows" / f"{key}.sqlite"


def code_digest() -> str:
    """The version of the code that reads (see the module docstring)."""
    from importlib.metadata import version

    from shanzhi.address.keys import KEYS_VERSION

    h = hashlib.blake2b(digest_size=16)
    h.update(f"{version('shanzhi')} {READ_VERSION} {KEYS_VERSION} {MEMO_VERSION}".encode())
    package = Path(__file__).resolve().parent.parent
    for folder in ("loaders", "graph/model"):
        for source in sorted((package / folder).glob("*.py")):
            h.update(source.name.encode() + b"\0" + source.read_bytes())
    return h.hexdigest()


#: Fingerprints of records: (node id → it, relation key → it).
Prints = tuple[dict[str, str], dict[str, str]]


def _index_rows(
    row: MemoRow, relations: bool, prints: Prints | None
) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """(table, values) of the index rows one memo row gives (``prints``: to insert them; None:
    to delete them, by the values their indexes find)."""
    f, n = row.file, row.line
    for op in row.ops:
        what = op[0]
        if what == "n":
            values: tuple[Any, ...] = (op[1], f, n)
            yield (
                "nodes",
                values if prints is None else (op[1], op[2], op[3], f, n, prints[0][op[1]]),
            )
        elif what == "r":
            values = (op[4], f, n)
            yield "rels", values if prints is None else (*values, prints[1][op[4]])
            if relations:
                yield "ends", (op[1], f, n)
                if op[3] != op[1]:
                    yield "ends", (op[3], f, n)
        elif what == "f":
            yield "refs", (op[1], f, n)
        elif what in ("p", "o"):
            yield "links", (op[1], op[2], f, n)


_INSERT = {
    "nodes": "INSERT INTO nodes VALUES (?, ?, ?, ?, ?, ?)",
    "rels": "INSERT INTO rels VALUES (?, ?, ?, ?)",
    "refs": "INSERT INTO refs VALUES (?, ?, ?)",
    "ends": "INSERT INTO ends VALUES (?, ?, ?)",
    "links": "INSERT INTO links VALUES (?, ?, ?, ?)",
}
#: Each index row deleted by the values it was inserted with (through the table's index).
_DELETE = {
    "nodes": "DELETE FROM nodes WHERE id = ? AND file = ? AND line = ?",
    "rels": "DELETE FROM rels WHERE rkey = ? AND file = ? AND line = ?",
    "refs": "DELETE FROM refs WHERE target = ? AND file = ? AND line = ?",
    "ends": "DELETE FROM ends WHERE node = ? AND file = ? AND line = ?",
    "links": "DELETE FROM links WHERE child = ? AND parent = ? AND file = ? AND line = ?",
}


def _insert_rows(
    conn: sqlite3.Connection, rows: Iterable[MemoRow], tables: dict[str, str], prints: Prints
) -> None:
    it = iter(rows)
    while chunk := list(islice(it, _BATCH)):  # a city's rows are never all held at once
        batch: dict[str, list[tuple[Any, ...]]] = {t: [] for t in _INSERT}
        memo_rows = []
        for row in chunk:
            memo_rows.append((row.file, row.line, row.hash, orjson.dumps(row.ops).decode()))
            for table, values in _index_rows(row, tables[row.file] == "relations", prints):
                batch[table].append(values)
        conn.executemany("INSERT INTO rows VALUES (?, ?, ?, ?)", memo_rows)
        for table, items in batch.items():
            conn.executemany(_INSERT[table], items)


class MemoDraft:
    """The memo of a full read, written to a temporary file before the load is carried out (so
    the read's journals need not be held through it) and put in place, with the load record it
    describes, once the load is done: :meth:`commit`, or :meth:`discard`."""

    def __init__(self, path: Path, tmp: Path) -> None:
        self.path, self._tmp = path, tmp

    @classmethod
    def write(
        cls,
        path: Path,
        dataset: str,
        files: Sequence[MemoFile],
        rows: Iterable[MemoRow],
        prints: Prints,
    ) -> MemoDraft:
        """Write ``files``, every row of them and the fingerprints of the records they give
        (nothing at all when a row is :class:`Unsayable`, or on a database error)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)
        try:
            with collector.paused(), closing(sqlite3.connect(tmp)) as conn:
                # a new file, put in place only once complete: no journal needed
                conn.execute("PRAGMA journal_mode = OFF")
                conn.execute("PRAGMA synchronous = OFF")
                conn.executescript(_TABLES)
                with conn:
                    _meta(conn, dataset, Anchor(0, "", ""))
                    conn.executemany(
                        "INSERT INTO files VALUES (?, ?, ?, ?)",
                        [
                            (f.file, f.table, orjson.dumps(list(f.header)).decode(), f.digest)
                            for f in files
                        ],
                    )
                    _insert_rows(conn, rows, {f.file: f.table for f in files}, prints)
                conn.executescript(_INDEXES)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return cls(path, tmp)

    def commit(self, anchor: Anchor) -> None:
        """Say which load record the memo describes, and put it in place of the old one."""
        try:
            with closing(sqlite3.connect(self._tmp)) as conn, conn:
                dataset = conn.execute("SELECT v FROM meta WHERE k = 'dataset'").fetchone()[0]
                _meta(conn, dataset, anchor)
            os.replace(self._tmp, self.path)
        finally:
            self._tmp.unlink(missing_ok=True)

    def discard(self) -> None:
        """Drop the draft (the load did not happen)."""
        self._tmp.unlink(missing_ok=True)


def _meta(conn: sqlite3.Connection, dataset: str, anchor: Anchor) -> None:
    values = {
        "version": str(MEMO_VERSION),
        "code": code_digest(),
        "dataset": dataset,
        "anchor": orjson.dumps([anchor.seq, anchor.at, anchor.digest]).decode(),
    }
    conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(values.items()))


class RowMemo:
    """An open memo (:meth:`open`), read and changed through its indexes."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        meta = dict(conn.execute("SELECT k, v FROM meta"))
        seq, at, digest = orjson.loads(meta["anchor"])
        self.anchor = Anchor(int(seq), str(at), str(digest))
        self.dataset = meta["dataset"]
        self.files = {
            f: MemoFile(f, t, tuple(orjson.loads(h)), d)
            for f, t, h, d in conn.execute("SELECT file, tbl, header, digest FROM files")
        }

    @classmethod
    def open(cls, path: Path) -> RowMemo | None:
        """The memo at ``path``, or None if there is none that this code wrote."""
        if not path.is_file():
            return None
        try:
            conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True)
            meta = dict(conn.execute("SELECT k, v FROM meta"))
            if meta.get("version") != str(MEMO_VERSION) or meta.get("code") != code_digest():
                conn.close()
                return None
            return cls(conn, path)
        except (sqlite3.Error, KeyError, ValueError, orjson.JSONDecodeError):
            return None

    def close(self) -> None:
        """Close the memo's file."""
        self._conn.close()

    def hashes(self, file: str) -> dict[int, str]:
        """line → digest of every row of ``file``."""
        return dict(self._conn.execute("SELECT line, hash FROM rows WHERE file = ?", (file,)))

    def rows(self, keys: Iterable[tuple[str, int]]) -> list[MemoRow]:
        """The rows at these (file, line)s (those the memo holds)."""
        out = []
        for file, line in keys:
            got = self._conn.execute(
                "SELECT hash, ops FROM rows WHERE file = ? AND line = ?", (file, line)
            ).fetchone()
            if got is not None:
                out.append(MemoRow(file, line, got[0], orjson.loads(got[1])))
        return out

    def rows_of(self, file: str) -> list[MemoRow]:
        """Every row of ``file``, in line order."""
        return [
            MemoRow(file, line, h, orjson.loads(ops))
            for line, h, ops in self._conn.execute(
                "SELECT line, hash, ops FROM rows WHERE file = ? ORDER BY line", (file,)
            )
        ]

    def node(self, node_id: str) -> tuple[str, str | None, str, int, str] | None:
        """(label, kind, file, line, fingerprint) of the node with this id, or None."""
        got = self._conn.execute(
            "SELECT label, kind, file, line, fp FROM nodes WHERE id = ?", (node_id,)
        ).fetchone()
        return None if got is None else (got[0], got[1], got[2], got[3], got[4])

    def relation(self, key: str) -> tuple[str, int, str] | None:
        """(file, line, fingerprint) of the relation with this key, or None."""
        got = self._conn.execute(
            "SELECT file, line, fp FROM rels WHERE rkey = ?", (key,)
        ).fetchone()
        return None if got is None else (got[0], got[1], got[2])

    def naming(self, node_id: str) -> set[tuple[str, int]]:
        """(file, line) of every row that refers to ``node_id`` (a reference column) or is a
        relation row with it at an end."""
        q = self._conn.execute
        found = set(q("SELECT file, line FROM refs WHERE target = ?", (node_id,)))
        found.update(q("SELECT file, line FROM ends WHERE node = ?", (node_id,)))
        return {(f, n) for f, n in found}

    def parents(self, child: str) -> list[tuple[str, str, int]]:
        """(parent, file, line) of every parent link (parent_id or PART_OF row) of ``child``."""
        return [
            (p, f, n)
            for p, f, n in self._conn.execute(
                "SELECT parent, file, line FROM links WHERE child = ?", (child,)
            )
        ]

    def all_links(self) -> list[tuple[str, str, str, int]]:
        """(child, parent, file, line) of every parent link (parent_id or PART_OF row)."""
        return [
            (c, p, f, n)
            for c, p, f, n in self._conn.execute("SELECT child, parent, file, line FROM links")
        ]

    def counts(self) -> tuple[int, int]:
        """How many nodes and relations the memo's rows give."""
        q = self._conn.execute
        return q("SELECT count(*) FROM nodes").fetchone()[0], q(
            "SELECT count(*) FROM rels"
        ).fetchone()[0]

    def update(
        self,
        anchor: Anchor,
        removed: Iterable[MemoRow],
        added: Iterable[MemoRow],
        digests: dict[str, str],
        prints: Prints,
    ) -> None:
        """Replace the ``removed`` rows by ``added`` (``prints``: their records' fingerprints),
        set the files' digests and the anchor, in one transaction."""
        conn = self._conn
        tables = {f.file: f.table for f in self.files.values()}
        with conn:
            for row in removed:
                conn.execute("DELETE FROM rows WHERE file = ? AND line = ?", (row.file, row.line))
                for table, values in _index_rows(row, tables[row.file] == "relations", None):
                    conn.execute(_DELETE[table], values)
            _insert_rows(conn, added, tables, prints)
            conn.executemany(
                "UPDATE files SET digest = ? WHERE file = ?", [(d, f) for f, d in digests.items()]
            )
            _meta(conn, self.dataset, anchor)
