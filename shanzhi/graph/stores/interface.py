"""What a store must do: sync (fingerprints, apply), keep load records, and answer reads.

Everything above the stores (queries, analytics, export, the CLI and the web page) talks to a
store only through this interface, so a third store is one more folder beside ``embedded/`` and
``neo4j/``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Protocol

from shanzhi.graph.stores.loads import Change, LoadRecord, Removed
from shanzhi.graph.stores.snapshot import Snapshot
from shanzhi.graph.stores.sync import Fingerprints, ProgressFn, SyncPlan

__all__ = ["GraphStore"]


class GraphStore(Protocol):
    """What a store must do; everything else (queries, analytics) is built on this or per store."""

    kind: ClassVar[str]

    def fingerprints(self, dataset: str) -> Fingerprints:
        """uid → fingerprint of every node and relation the store holds for a dataset."""

    def apply(self, plan: SyncPlan, record: LoadRecord, progress: ProgressFn | None = None) -> None:
        """Carry out a sync plan, then keep its load record; re-running an interrupted apply
        must converge."""

    def loads(self, dataset: str) -> list[LoadRecord]:
        """The records of the loads that changed a dataset, oldest first."""

    def describe(self, node_uids: Sequence[str], relation_uids: Sequence[str]) -> list[Removed]:
        """What these held records are (before a load removes them)."""

    def changed_records(self, record: LoadRecord) -> list[Change]:
        """The records still stamped with this load, and what it removed (any order)."""

    def snapshot(self, dataset: str | None = None) -> Snapshot:
        """Everything held (or one dataset's part) as records."""

    def datasets(self) -> list[str]:
        """The names of the datasets held."""

    def close(self) -> None:
        """Release connections and files."""
