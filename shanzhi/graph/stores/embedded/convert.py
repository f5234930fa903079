"""The one-time conversion of a networkx store's ``graph.json`` into ``shanzhi.db``.

``graph.json`` (format ``shanzhi-graph``, version 1) held nodes as ``[uid, {label, **props}]``,
edges as ``[source, target, uid, {type, **props}]`` and the load records; each becomes a row as a
load would have written it — with the finder's lookup entries, which the networkx store did not
keep — in the transaction :class:`~.db.Database` opens for it, so a failure
converts nothing. The whole file is read into memory once (as the networkx store did on every
command).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from shanzhi.errors import StoreUnavailableError
from shanzhi.graph.model.dataset import StoredNode, StoredRelation
from shanzhi.graph.stores.embedded import sql
from shanzhi.graph.stores.embedded.rows import dumps, entry_row, key_rows, node_row, relation_row
from shanzhi.graph.stores.loads import now
from shanzhi.graph.stores.lookup import entries_from

__all__ = ["FORMAT", "VERSION", "convert"]

FORMAT = "shanzhi-graph"
VERSION = 1
_BATCH = 5000


def _read(path: Path) -> dict[str, Any]:
    try:
        doc = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise StoreUnavailableError(
            f"无法读取旧图谱 cannot read the graph in {path} ({exc}); move it away and run "
            "`shanzhi load` again."
        ) from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("version") != VERSION:
        raise StoreUnavailableError(
            f"{path} 不是 shanzhi 图谱 ({path} is not a shanzhi graph of version {VERSION}); "
            "move it away and run `shanzhi load` again."
        )
    return doc


def _batches(rows: Iterator[Any]) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def convert(conn: sqlite3.Connection, path: Path) -> tuple[int, int] | None:
    """Copy ``graph.json`` into the (empty) store inside the open transaction of ``conn``.

    Returns the nodes and relations copied, or None when the store holds a graph already (the
    file is then left out).
    """
    if conn.execute(sql.HOLDS_ANYTHING).fetchone()[0]:
        return None
    doc = _read(path)
    nodes = ((u, d) for u, d in doc["nodes"])
    for batch in _batches(
        node_row(u, str(d["label"]), {k: v for k, v in d.items() if k != "label"}) for u, d in nodes
    ):
        conn.executemany(sql.UPSERT_NODE, batch)
    for batch in _batches(
        relation_row(k, str(d["type"]), s, t, {x: v for x, v in d.items() if x != "type"})
        for s, t, k, d in doc["edges"]
    ):
        conn.executemany(sql.UPSERT_RELATION, batch)
    conn.executemany(
        sql.INSERT_LOAD, ((p["dataset"], int(p["seq"]), dumps(p)) for p in doc.get("loads", []))
    )
    _index(conn, doc)
    conn.execute(sql.SET_META, ("converted_from", str(path)))
    conn.execute(sql.SET_META, ("converted_at", now()))
    return len(doc["nodes"]), len(doc["edges"])


def _index(conn: sqlite3.Connection, doc: dict[str, Any]) -> None:
    """The finder's lookup entries of every dataset of the graph (a load writes them; the
    networkx store had none)."""
    nodes: dict[str, list[StoredNode]] = defaultdict(list)
    for u, d in doc["nodes"]:
        p = {k: v for k, v in d.items() if k != "label"}
        nodes[str(p.get("dataset", ""))].append(StoredNode(u, str(d["label"]), p))
    rels: dict[str, list[StoredRelation]] = defaultdict(list)
    for s, t, k, d in doc["edges"]:
        p = {x: v for x, v in d.items() if x != "type"}
        rels[str(p.get("dataset", ""))].append(StoredRelation(k, str(d["type"]), s, t, p))
    for name, held in nodes.items():
        entries = entries_from(name, held, rels.get(name, ())).values()
        conn.executemany(sql.UPSERT_LOOKUP_ENTRY, (entry_row(e) for e in entries))
        conn.executemany(sql.INSERT_LOOKUP_KEY, (r for e in entries for r in key_rows(e)))
