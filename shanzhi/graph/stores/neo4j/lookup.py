"""The finder's index on Neo4j: lookup entries written with a load, and read by their keys.

An entry is a ``(:LookupEntry {uid, dataset, digest, keys, row})`` node (never ``Entity``), its
``keys`` in a full-text index with the keyword analyzer, so each key is one exact term; ``row``
is the building's row as JSON text (:mod:`shanzhi.graph.stores.lookup`). The keys of a query go
to the index as one Lucene query of quoted terms — a parameter value, never Cypher text.

>>> lucene(["t:gonghexinlu|2288|12", 'x:a"b'])
'"t:gonghexinlu|2288|12" OR "x:a\\\\"b"'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import orjson

from shanzhi.graph.stores.neo4j import cypher as q
from shanzhi.graph.stores.neo4j.batches import chunks
from shanzhi.graph.stores.rows import BuildingRow

if TYPE_CHECKING:  # a question needs neither
    import neo4j

    from shanzhi.graph.stores.sync import SyncPlan

#: Runs one read statement with its parameters; the rows as dicts.
ReadFn = Callable[[str, dict[str, Any]], list[dict[str, Any]]]

__all__ = ["candidates", "lucene", "write_lookup"]


def lucene(keys: Sequence[str]) -> str:
    """The keys as a Lucene query of exact terms, any of them."""
    quoted = ('"' + k.replace("\\", "\\\\").replace('"', '\\"') + '"' for k in keys)
    return " OR ".join(quoted)


def write_lookup(session: neo4j.Session, plan: SyncPlan, batch_size: int) -> None:
    """Write the plan's lookup entries and remove those of buildings that left, in batches."""
    rows = [
        {
            "uid": e.uid,
            "dataset": e.dataset,
            "digest": e.digest,
            "keys": list(e.keys()),
            "row": orjson.dumps(e.row).decode(),
        }
        for e in plan.lookup_upsert
    ]
    for batch in chunks(rows, batch_size):
        session.execute_write(_run, q.UPSERT_LOOKUP, {"rows": list(batch)})
    for uids in chunks(plan.lookup_remove, batch_size):
        session.execute_write(_run, q.REMOVE_LOOKUP, {"uids": list(uids)})


def _run(tx: neo4j.ManagedTransaction, statement: str, params: dict[str, Any]) -> None:
    tx.run(statement, params).consume()


def candidates(read: ReadFn, keys: Sequence[str], limit: int) -> list[BuildingRow]:
    """The rows of the buildings having any of ``keys`` (at most ``limit``, by uid)."""
    if not keys:
        return []
    rows = read(q.BUILDING_CANDIDATES, {"query": lucene(keys), "limit": limit})
    return [orjson.loads(row["row"]) for row in rows]
