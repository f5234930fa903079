"""What changed in a load, and the loads of a dataset: ``shanzhi changes`` over either store.

The records themselves (:class:`~shanzhi.graph.stores.loads.LoadRecord`, change rows) are kept by
the stores (:mod:`shanzhi.graph.stores.loads`); these are the questions asked of them.
"""

from __future__ import annotations

from shanzhi.errors import NotFoundError, UsageError
from shanzhi.graph.stores.interface import GraphStore
from shanzhi.graph.stores.loads import Changes, LoadRecord, pick, sort_changes

__all__ = ["changes", "history", "the_dataset"]


def the_dataset(store: GraphStore, dataset: str | None) -> str:
    """``dataset``, or the one dataset the store holds; UsageError if that is not one."""
    if dataset is not None:
        return dataset
    held = store.datasets()
    if not held:
        raise NotFoundError("the store holds no dataset; load one with `shanzhi load DIR`.")
    if len(held) != 1:
        raise UsageError(
            f"the store holds {len(held)} datasets ({', '.join(held) or 'none'}); "
            "name one with --dataset."
        )
    return held[0]


def history(store: GraphStore, dataset: str | None = None) -> list[LoadRecord]:
    """The loads that changed a dataset (default: the only one held), oldest first."""
    return sorted(store.loads(the_dataset(store, dataset)), key=lambda r: r.seq)


def changes(store: GraphStore, dataset: str | None = None, seq: int | None = None) -> Changes:
    """What load ``seq`` of a dataset (default: its last load) created, updated and removed.

    ``dataset`` defaults to the only one the store holds. Raises
    :class:`~shanzhi.errors.NotFoundError` when the dataset has no load ``seq``.
    """
    name = the_dataset(store, dataset)
    records = history(store, name)
    record = pick(records, seq)
    if record is None:
        if seq is None:
            return Changes(None, ())
        numbers = ", ".join(str(r.seq) for r in records) or "none"
        raise NotFoundError(f"dataset {name!r} has no load {seq}; its loads: {numbers}.")
    return Changes(record, sort_changes(store.changed_records(record)))
