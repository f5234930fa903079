"""The one small interface both stores share, and ``open_store``/``load`` over it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Protocol

from shanzhi.graph.config import Settings
from shanzhi.graph.dataset import Dataset
from shanzhi.graph.loads import Change, LoadRecord, Removed, now
from shanzhi.graph.snapshot import Snapshot
from shanzhi.graph.sync import Fingerprints, ProgressFn, SyncPlan, SyncReport, plan_sync

__all__ = ["GraphStore", "load", "open_store"]


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


def open_store(settings: Settings) -> GraphStore:
    """The store the settings name (embedded by default)."""
    if settings.store == "neo4j":
        from shanzhi.graph.neo4j_store import Neo4jStore

        return Neo4jStore.connect(settings)
    from shanzhi.graph.embedded import EmbeddedStore

    return EmbeddedStore(settings.home)


def load(store: GraphStore, dataset: Dataset, progress: ProgressFn | None = None) -> SyncReport:
    """Make ``store`` hold exactly ``dataset`` (scoped by its name) and report what changed.

    A load that changes something gets the dataset's next load number and leaves a load record
    (:mod:`shanzhi.graph.loads`); one that changes nothing writes nothing at all.
    """
    from shanzhi.graph.finder import invalidate

    seq = max((r.seq for r in store.loads(dataset.name)), default=0) + 1
    plan = plan_sync(dataset, store.fingerprints(dataset.name), seq)
    if not plan.report.changed:
        return plan.report
    record = LoadRecord(
        dataset=dataset.name,
        seq=seq,
        at=now(),
        source=dataset.source,
        nodes=plan.report.nodes,
        relations=plan.report.relations,
        removed=tuple(store.describe(plan.remove_nodes, plan.remove_relations)),
    )
    try:
        store.apply(plan, record, progress)
    finally:
        invalidate(store)  # the building index of this process is stale now
    return plan.report
