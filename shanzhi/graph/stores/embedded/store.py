"""The embedded default store: one SQLite file under the home folder (``HOME/shanzhi.db``).

Nodes, relations, load records and the finder's lookup keys are indexed tables (:mod:`.sql`);
the file itself — WAL, one writer at a time, readers that never block, the one-time conversion of
a networkx store's ``graph.json`` — is :mod:`.db`. A load writes only what its plan changes, in
one transaction (``BEGIN IMMEDIATE``): a crash at any moment leaves the old graph or the new one,
and a reader running meanwhile sees one of them, never half. Two loads of the same dataset never
mix: the second waits for the write lock, then refuses when the first changed the dataset since it
planned (its plan would be based on a graph that is gone). The reads are :mod:`.reads`.

The file can be browsed read-only with ``sqlite3 HOME/shanzhi.db`` or ``datasette``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from shanzhi import collector
from shanzhi.errors import StoreBusyError
from shanzhi.graph.stores.embedded import sql
from shanzhi.graph.stores.embedded.db import Database, Notify
from shanzhi.graph.stores.embedded.reads import EmbeddedReads
from shanzhi.graph.stores.embedded.rows import (
    dumps,
    entry_row,
    key_rows,
    node_row,
    props,
    relation_row,
)

if TYPE_CHECKING:  # the model (pydantic) and snapshots (networkx) load only when used
    from shanzhi.graph.model.dataset import StoredNode, StoredRelation
    from shanzhi.graph.stores.loads import Change, LoadRecord, Removed
    from shanzhi.graph.stores.lookup import LookupEntry
    from shanzhi.graph.stores.snapshot import Snapshot
    from shanzhi.graph.stores.sync import Fingerprints, ProgressFn, SyncPlan

__all__ = ["BATCH_SIZE", "EmbeddedStore"]

#: Rows per ``executemany`` (and per progress report) in a load.
BATCH_SIZE = 5000

_What = tuple[str, str, str, str, str, int]


class EmbeddedStore(EmbeddedReads):
    """The graph of a home folder, kept in ``HOME/shanzhi.db``."""

    kind: ClassVar[str] = "embedded"

    def __init__(
        self, home: Path | str, notify: Notify | None = None, batch_size: int = BATCH_SIZE
    ) -> None:
        self.home = Path(home)
        self.db = Database(self.home, notify)
        self.batch_size = batch_size
        #: The store's file (it exists once something was loaded).
        self.path = self.db.path

    # -- sync and load records -------------------------------------------------------------------
    def fingerprints(self, dataset: str) -> Fingerprints:
        """uid → fingerprint of the dataset's nodes and relations, and the digests of its lookup
        entries (one indexed query each)."""
        from shanzhi.graph.stores.sync import Fingerprints

        with self.db.reading() as conn:
            return Fingerprints(
                nodes=dict(conn.execute(sql.NODE_FINGERPRINTS, (dataset,))),
                relations=dict(conn.execute(sql.RELATION_FINGERPRINTS, (dataset,))),
                lookup=dict(conn.execute(sql.LOOKUP_DIGESTS, (dataset,))),
            )

    def datasets(self) -> list[str]:
        """Names of the datasets held."""
        with self.db.reading() as conn:
            return [name for (name,) in conn.execute(sql.DATASETS)]

    def loads(self, dataset: str) -> list[LoadRecord]:
        """The records of the loads that changed a dataset, oldest first."""
        from shanzhi.graph.stores.loads import LoadRecord

        with self.db.reading() as conn:
            return [LoadRecord.from_props(props(t)) for (t,) in conn.execute(sql.LOADS, (dataset,))]

    def describe(self, node_uids: Sequence[str], relation_uids: Sequence[str]) -> list[Removed]:
        """What these held nodes and relations are."""
        from shanzhi.graph.stores.loads import Removed

        with self.db.reading() as conn:
            nodes = conn.execute(sql.NODES_NAMED, (dumps(list(node_uids)),))
            rels = conn.execute(sql.RELATIONS_NAMED, (dumps(list(relation_uids)),))
            return [Removed(*_node_what(*row)) for row in nodes] + [
                Removed(*_relation_what(*row)) for row in rels
            ]

    def changed_records(self, record: LoadRecord) -> list[Change]:
        """The records stamped with this load, and what it removed."""
        from shanzhi.graph.stores.loads import CHANGE, Change, removed_rows

        key = (record.dataset, record.seq)
        with self.db.reading() as conn:
            nodes = [
                Change(props(t)[CHANGE], *_node_what(u, label, t))
                for u, label, t in conn.execute(sql.NODES_STAMPED, key)
            ]
            rels = [
                Change(props(row[2])[CHANGE], *_relation_what(*row))
                for row in conn.execute(sql.RELATIONS_STAMPED, key)
            ]
        return nodes + rels + removed_rows(record)

    def snapshot(self, dataset: str | None = None) -> Snapshot:
        """Everything held, or one dataset's part (the one read that reads everything)."""
        from shanzhi.graph.model.dataset import StoredNode, StoredRelation
        from shanzhi.graph.stores.snapshot import Snapshot, content

        with self.db.reading() as conn:
            if dataset is None:
                node_rows = conn.execute(sql.ALL_NODES)
                rel_rows = conn.execute(sql.ALL_RELATIONS)
            else:
                node_rows = conn.execute(sql.DATASET_NODES, (dataset,))
                rel_rows = conn.execute(sql.DATASET_RELATIONS, (dataset,))
            nodes = [StoredNode(u, label, content(props(t))) for u, label, t in node_rows]
            rels = [
                StoredRelation(u, rtype, s, t, content(props(text)))
                for u, rtype, s, t, text in rel_rows
            ]
        return Snapshot.of(nodes, rels)

    # -- writing ---------------------------------------------------------------------------------
    def apply(
        self, plan: SyncPlan, record: LoadRecord | None, progress: ProgressFn | None = None
    ) -> None:
        """Carry out a plan (its records and lookup entries) and keep its load record (None: the
        plan only refreshes lookup entries), all in one transaction.

        ``progress(stage, done, total)`` is called after every batch (stages: removed relations,
        removed nodes, nodes, relations, lookup). Raises :class:`~shanzhi.errors.StoreBusyError`
        (nothing written) when another load changed the dataset after this plan was made.
        """
        steps = _steps(plan)
        total = sum(len(items) for _, _, items in steps)
        if not total:
            return
        done = 0
        with collector.paused(), self.db.writing() as conn:
            if record is not None:
                _check_base(conn, plan.dataset, record.seq)
            for stage, statements, items in steps:
                for start in range(0, len(items), self.batch_size):
                    batch = items[start : start + self.batch_size]
                    for statement, rows in statements:
                        conn.executemany(statement, (r for x in batch for r in rows(x)))
                    done += len(batch)
                    if progress:
                        progress(stage, done, total)
            if record is not None:
                text = dumps(record.as_props())
                conn.execute(sql.INSERT_LOAD, (record.dataset, record.seq, text))

    def close(self) -> None:
        """Close the store's connections."""
        self.db.close()

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- helpers -------------------------------------------------------------------------------------
#: Statements, each with what makes its rows from one item of a step.
_Statements = list[tuple[str, Callable[[Any], Iterable[tuple[Any, ...]]]]]


def _uid(x: str) -> Iterable[tuple[str]]:
    return ((x,),)


def _node(n: StoredNode) -> Iterable[tuple[Any, ...]]:
    return (node_row(n.uid, n.label, n.props),)


def _relation(r: StoredRelation) -> Iterable[tuple[Any, ...]]:
    return (relation_row(r.uid, r.type, r.source, r.target, r.props),)


def _entry_uid(e: LookupEntry) -> Iterable[tuple[str]]:
    return ((e.uid,),)


def _entry(e: LookupEntry) -> Iterable[tuple[Any, ...]]:
    return (entry_row(e),)


def _steps(plan: SyncPlan) -> list[tuple[str, _Statements, Sequence[Any]]]:
    """The plan as (stage, statements with their row makers, items), in the order they run."""
    return [
        ("removed relations", [(sql.DELETE_RELATION, _uid)], plan.remove_relations),
        (
            "removed nodes",
            [
                (sql.DELETE_RELATIONS_OUT_OF, _uid),
                (sql.DELETE_RELATIONS_INTO, _uid),
                (sql.DELETE_NODE, _uid),
            ],
            plan.remove_nodes,
        ),
        ("nodes", [(sql.UPSERT_NODE, _node)], plan.upsert_nodes),
        ("relations", [(sql.UPSERT_RELATION, _relation)], plan.upsert_relations),
        (
            "lookup",
            [(sql.DELETE_LOOKUP_KEYS, _uid), (sql.DELETE_LOOKUP_ENTRY, _uid)],
            plan.lookup_remove,
        ),
        (
            "lookup",
            [
                (sql.DELETE_LOOKUP_KEYS, _entry_uid),
                (sql.UPSERT_LOOKUP_ENTRY, _entry),
                (sql.INSERT_LOOKUP_KEY, key_rows),
            ],
            plan.lookup_upsert,
        ),
    ]


def _check_base(conn: sqlite3.Connection, dataset: str, seq: int) -> None:
    """Refuse a plan made before another load of the dataset committed."""
    last = int(conn.execute(sql.LAST_SEQ, (dataset,)).fetchone()[0])
    if last != seq - 1:
        raise StoreBusyError(
            f"另一个加载刚刚改变了数据集 {dataset!r} (another load changed dataset {dataset!r} "
            f"while this one was being planned: it is now at load {last}); nothing was written, "
            "run the load again."
        )


def _node_what(uid: str, label: str, text: str) -> _What:
    """A node's what, kind, uid, name, source file and line (a change row, a removed record)."""
    d = props(text)
    return "node", label, uid, d["name"], d["source_file"], d["source_line"]


def _relation_what(
    uid: str, rtype: str, text: str, source_name: str | None, target_name: str | None
) -> _What:
    from shanzhi.graph.stores.loads import link_name

    d = props(text)
    return (
        "relation",
        rtype,
        uid,
        link_name(source_name, target_name),
        d["source_file"],
        d["source_line"],
    )
