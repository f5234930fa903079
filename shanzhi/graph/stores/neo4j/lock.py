"""One load of a dataset at a time on Neo4j: a lock node per dataset, held by an open transaction.

A load's batches are many transactions, so no single one of them can keep a second load out.
The load takes the lock first: in a transaction of its own it writes to the dataset's
``(:DatasetLock {dataset})`` node — which gives it the node's write lock — and keeps that
transaction open until the load record is written. A second load of the same dataset waits at
that write until the first is done; a load of another dataset takes another node and runs
beside it. Under the lock the load checks that no other load changed the dataset since its plan
was made (the last load number is still the one it planned from); otherwise its plan is stale
and it refuses, writing nothing (:class:`~shanzhi.errors.StoreBusyError`).

The lock needs no clean-up: the transaction is rolled back at the end, and if the process dies
the server ends it with the connection, so a killed load never leaves a dataset locked.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import neo4j
from neo4j import exceptions as nex

from shanzhi.errors import StoreBusyError, StoreUnavailableError
from shanzhi.graph.stores.neo4j import cypher as q

__all__ = ["DatasetLock", "hold"]


class DatasetLock:
    """The held lock of one dataset: the last load number seen under it, and a liveness check."""

    def __init__(self, tx: neo4j.Transaction, dataset: str, last_seq: int) -> None:
        self._tx, self.dataset, self.last_seq = tx, dataset, last_seq

    def check_base(self, seq: int) -> None:
        """Refuse a plan for load ``seq`` made before another load of the dataset committed."""
        if self.last_seq != seq - 1:
            raise StoreBusyError(
                f"另一个加载刚刚改变了数据集 {self.dataset!r} (another load changed dataset "
                f"{self.dataset!r} while this one was being planned: it is now at load "
                f"{self.last_seq}); nothing was written, run the load again."
            )

    def check_held(self) -> None:
        """Fail if the lock's transaction was ended (e.g. terminated by another session)."""
        try:
            self._tx.run(q.PING).consume()
        except (nex.Neo4jError, nex.DriverError) as exc:
            raise StoreUnavailableError(
                f"数据集 {self.dataset!r} 的加载锁被另一个会话终止 (the lock of this load of "
                f"dataset {self.dataset!r} was ended by another session); its load record was "
                "not written, run the load again to finish it."
            ) from exc


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@contextmanager
def hold(session: neo4j.Session, dataset: str) -> Iterator[DatasetLock]:
    """Take the lock of ``dataset`` (waiting while another load holds it) for the block's
    duration, in ``session`` (which the block must not use for anything else)."""
    for statement in q.LOCK_SCHEMA:
        session.run(statement).consume()
    session.execute_write(lambda tx: tx.run(q.ENSURE_LOCK, dataset=dataset).consume())
    tx = session.begin_transaction()
    try:
        tx.run(q.TAKE_LOCK, dataset=dataset, holder=_holder()).consume()
        last = tx.run(q.LAST_LOAD, dataset=dataset).single(strict=True)["last"]
        yield DatasetLock(tx, dataset, int(last or 0))
    finally:
        # Ended already (terminated, connection lost)? Then the server released the lock.
        with suppress(nex.Neo4jError, nex.DriverError):
            tx.rollback()
