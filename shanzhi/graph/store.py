"""The one small interface both stores share, and ``open_store``/``load`` over it."""

from __future__ import annotations

from typing import ClassVar, Protocol

from shanzhi.graph.config import Settings
from shanzhi.graph.dataset import Dataset
from shanzhi.graph.snapshot import Snapshot
from shanzhi.graph.sync import Fingerprints, ProgressFn, SyncPlan, SyncReport, plan_sync

__all__ = ["GraphStore", "load", "open_store"]


class GraphStore(Protocol):
    """What a store must do; everything else (queries, analytics) is built on this or per store."""

    kind: ClassVar[str]

    def fingerprints(self, dataset: str) -> Fingerprints:
        """uid → fingerprint of every node and relation the store holds for a dataset."""

    def apply(self, plan: SyncPlan, progress: ProgressFn | None = None) -> None:
        """Carry out a sync plan; re-running an interrupted apply must converge."""

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
    """Make ``store`` hold exactly ``dataset`` (scoped by its name) and report what changed."""
    from shanzhi.graph.finder import invalidate

    plan = plan_sync(dataset, store.fingerprints(dataset.name))
    try:
        store.apply(plan, progress)
    finally:
        if plan.report.changed:
            invalidate(store)  # the building index of this process is stale now
    return plan.report
