"""One load of a dataset at a time on Neo4j: a lock node per dataset, held by an open transaction.

A load's batches are many transactions, so no single one of them can keep a second load out.
The load takes the lock first: in a transaction of its own it writes to the dataset's
``(:DatasetLock {dataset})`` node — which gives it the node's write lock — and keeps that
transaction open until the load record is written. A second load of the same dataset waits at
that write until the first is done; a load of another dataset takes another node and runs
beside it. Under the lock the load checks that no other load changed the dataset since its plan
was made (the last load number is still the one it planned from); otherwise its plan is stale
and it refuses, writing nothing (:class:`~shanzhi.errors.StoreBusyError`).

The lock is checked before every batch and before the load record; if its transaction was
ended (another session terminated it, the connection dropped) the load takes it again and goes
on only if no other load changed the dataset meanwhile. It needs no clean-up: the transaction
is rolled back at the end, and if the process dies the server ends it with the connection, so a
killed load never leaves a dataset locked.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import neo4j
from neo4j import exceptions as nex

from shanzhi.errors import StoreBusyError
from shanzhi.graph.stores.neo4j import cypher as q

__all__ = ["DatasetLock", "hold", "metadata"]


class DatasetLock:
    """The held lock of one dataset: the last load number seen under it; kept while in use."""

    def __init__(self, session: neo4j.Session, dataset: str) -> None:
        self._session, self.dataset = session, dataset
        self._tx: neo4j.Transaction | None = None
        self.last_seq = 0

    def take(self) -> None:
        """Take the lock (waiting while another load holds it) and read the last load number."""
        self.release()
        tx = self._session.begin_transaction(metadata=metadata("load lock", self.dataset))
        self._tx = tx
        tx.run(q.TAKE_LOCK, dataset=self.dataset, holder=_holder()).consume()
        last = tx.run(q.LAST_LOAD, dataset=self.dataset).single(strict=True)["last"]
        self.last_seq = int(last or 0)

    def check_base(self, seq: int) -> None:
        """Refuse a plan for load ``seq`` made before another load of the dataset committed."""
        if self.last_seq != seq - 1:
            raise StoreBusyError(
                f"另一个加载刚刚改变了数据集 {self.dataset!r} (another load changed dataset "
                f"{self.dataset!r} while this one was being planned: it is now at load "
                f"{self.last_seq}); nothing was written, run the load again."
            )

    def keep(self, seq: int | None) -> None:
        """Make sure the lock is still held; if its transaction was ended (terminated by another
        session, a lost connection), take it again — and refuse if another load of the dataset
        committed in between (then this one's plan is stale: the rest is not written)."""
        if self._tx is not None:
            try:
                self._tx.run(q.PING).consume()
                return
            except (nex.Neo4jError, nex.DriverError):
                pass
        self.take()
        if seq is not None and self.last_seq != seq - 1:
            raise StoreBusyError(
                f"数据集 {self.dataset!r} 的加载锁被另一个会话终止，其间另一个加载改变了它 "
                f"(the lock of this load of dataset {self.dataset!r} was ended by another "
                "session and another load changed the dataset meanwhile: it is now at load "
                f"{self.last_seq}); run the load again."
            )

    def release(self) -> None:
        """Roll the lock's transaction back (if it was ended already, the server released it)."""
        tx, self._tx = self._tx, None
        if tx is not None:
            with suppress(nex.Neo4jError, nex.DriverError):
                tx.rollback()


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def metadata(what: str, dataset: str) -> dict[str, str]:
    """What a load's transactions say about themselves (``SHOW TRANSACTIONS … metaData``)."""
    return {"shanzhi": what, "dataset": dataset, "holder": _holder()}


@contextmanager
def hold(session: neo4j.Session, dataset: str) -> Iterator[DatasetLock]:
    """Take the lock of ``dataset`` (waiting while another load holds it) for the block's
    duration, in ``session`` (which the block must not use for anything else)."""
    for statement in q.LOCK_SCHEMA:
        session.run(statement).consume()
    session.execute_write(lambda tx: tx.run(q.ENSURE_LOCK, dataset=dataset).consume())
    held = DatasetLock(session, dataset)
    try:
        held.take()
        yield held
    finally:
        held.release()
