"""The stores: ``open_store`` picks one from the settings, ``load`` syncs a dataset into it.

What every store must do is :class:`~shanzhi.graph.stores.interface.GraphStore`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from shanzhi.graph.stores.interface import GraphStore

if TYPE_CHECKING:  # the command line imports this module: keep it free of heavy imports
    from shanzhi.config import Settings
    from shanzhi.graph.model.dataset import Dataset
    from shanzhi.graph.stores.sync import ProgressFn, SyncPlan, SyncReport

__all__ = ["GraphStore", "carry_out", "load", "load_folder", "open_store", "unchanged"]


def open_store(settings: Settings) -> GraphStore:
    """The store the settings name (embedded by default)."""
    if settings.store == "neo4j":
        from shanzhi.graph.stores.neo4j import Neo4jStore

        return Neo4jStore.connect(settings)
    from shanzhi.graph.stores.embedded import EmbeddedStore

    return EmbeddedStore(settings.home)


def unchanged(
    store: GraphStore, folder: Path, name: str | None = None
) -> tuple[SyncReport | None, str]:
    """The digest of the files in ``folder`` (:mod:`shanzhi.loaders.digest`), and — when they are
    byte for byte those the dataset's last load was read from — the report a full reload would
    give (nothing created, updated or removed), else None.

    The store holds exactly what that load left, for a dataset changes only by its loads.
    """
    from shanzhi.graph.stores.loads import pick
    from shanzhi.graph.stores.sync import Counts, SyncReport
    from shanzhi.loaders.digest import source_digest

    digest = source_digest(folder)
    dataset_name = name if name is not None else Path(folder).resolve().name
    last = pick(store.loads(dataset_name), None)
    if last is None or last.digest != digest:
        return None, digest

    def held(c: Counts) -> Counts:  # all a load left stays, unchanged
        return Counts(unchanged=c.created + c.updated + c.unchanged)

    return SyncReport(dataset_name, held(last.nodes), held(last.relations), None), digest


def load_folder(
    store: GraphStore,
    folder: Path,
    name: str | None = None,
    progress: ProgressFn | None = None,
    home: Path | None = None,
    full: bool = False,
) -> SyncReport:
    """Validate the dataset in ``folder`` and :func:`load` it, unless its files are
    :func:`unchanged` since the dataset's last load: then say so without reading them again.

    With a ``home``, the row memo kept there (:mod:`shanzhi.loaders.memo`) lets a small edit be
    read, checked and written alone (:mod:`shanzhi.graph.stores.increments`); ``full`` reads
    every row all the same (and writes the memo anew).
    """
    from shanzhi.loaders import load_dataset

    report, digest = unchanged(store, folder, name)
    if report is not None:
        return report
    if home is not None:
        from shanzhi.graph.stores.increments import load_with_memo

        return load_with_memo(store, Path(folder), name, progress, digest, Path(home), full)
    return load(store, load_dataset(folder, name=name), progress, digest=digest)


def load(
    store: GraphStore,
    dataset: Dataset,
    progress: ProgressFn | None = None,
    *,
    digest: str = "",
) -> SyncReport:
    """Make ``store`` hold exactly ``dataset`` (scoped by its name) and report what changed.

    A load that changes something gets the dataset's next load number and leaves a load record
    (:mod:`shanzhi.graph.stores.loads`, with ``digest``: that of the files it was read from);
    one that changes nothing writes nothing at all — but for lookup entries of the finder's
    index that a new key version made stale, which it writes without a load record (they are
    the store's index, not the dataset).
    """
    from shanzhi.graph.stores.sync import plan_sync

    seq = max((r.seq for r in store.loads(dataset.name)), default=0) + 1
    plan = plan_sync(dataset, store.fingerprints(dataset.name), seq)
    return carry_out(store, plan, seq, dataset.source, digest, progress)


def carry_out(
    store: GraphStore,
    plan: SyncPlan,
    seq: int,
    source: str,
    digest: str,
    progress: ProgressFn | None = None,
) -> SyncReport:
    """Apply a plan with the load record it earns (number ``seq``; none if it changes nothing)."""
    from shanzhi.graph.stores.loads import LoadRecord, now

    if not plan.writes:
        return plan.report
    record = (
        None
        if not plan.report.changed
        else LoadRecord(
            dataset=plan.dataset,
            seq=seq,
            at=now(),
            source=source,
            nodes=plan.report.nodes,
            relations=plan.report.relations,
            removed=tuple(store.describe(plan.remove_nodes, plan.remove_relations)),
            digest=digest,
        )
    )
    store.apply(plan, record, progress)
    return plan.report
