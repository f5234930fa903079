"""A load that reads only what changed, when the row memo describes what the store holds.

``load_with_memo`` is what ``load_folder`` does with a home: when the home's row memo of the
folder (:mod:`shanzhi.loaders.memo`) was written with the dataset's last load record, the
changed rows alone are read and checked (:mod:`shanzhi.loaders.increment`) and the plan is
made from them (:func:`~shanzhi.graph.stores.sync.plan_increment`); the memo follows the load
in its own transaction. Otherwise — no memo, another last load, an edit the increment cannot
say exactly, any problem — the folder is read and loaded whole, and the memo is written anew
from that read. The load record is the same either way; only the time differs.

A crash between the store's commit and the memo's leaves a memo of the load before: its anchor
is no longer the last load record, so the next load reads everything.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from shanzhi.graph.model.dataset import Dataset
from shanzhi.graph.stores import carry_out, load
from shanzhi.graph.stores.interface import GraphStore
from shanzhi.graph.stores.loads import pick
from shanzhi.graph.stores.sync import ProgressFn, SyncReport, plan_increment
from shanzhi.loaders import load_dataset
from shanzhi.loaders.increment import Increment, read_increment
from shanzhi.loaders.journal import KeptFile, Unsayable, kept_memo
from shanzhi.loaders.load import dataset_name
from shanzhi.loaders.memo import Anchor, MemoDraft, RowMemo, memo_path

__all__ = ["load_with_memo"]


def _anchor(store: GraphStore, dataset: str) -> Anchor | None:
    last = pick(store.loads(dataset), None)
    return None if last is None else Anchor(last.seq, last.at, last.digest)


def load_with_memo(
    store: GraphStore,
    folder: Path,
    name: str | None,
    progress: ProgressFn | None,
    digest: str,
    home: Path,
    full: bool = False,
) -> SyncReport:
    """Load ``folder`` into ``store`` (as :func:`~shanzhi.graph.stores.load` does), reading only
    the rows that changed when the memo in ``home`` allows (see the module docstring); ``full``
    reads them all (and writes the memo anew)."""
    dataset = dataset_name(folder, name)
    path = memo_path(home, dataset, store.kind)
    anchor = _anchor(store, dataset)
    memo = RowMemo.open(path) if anchor is not None and not full else None
    if memo is not None:
        try:
            if memo.anchor == anchor and memo.dataset == dataset:
                inc = read_increment(folder, dataset, memo)
                if inc is not None:
                    report = _load_increment(store, memo, inc, progress, digest)
                    if report is not None:
                        return report
        finally:
            memo.close()
    kept: list[KeptFile] = []
    ds = load_dataset(folder, name=name, keep=kept)
    draft = _draft(path, dataset, kept, ds)
    kept.clear()  # the rows' journals are in the draft: not held through the load
    try:
        report = load(store, ds, progress, digest=digest)
    except BaseException:
        if draft is not None:
            draft.discard()
        raise
    after = _anchor(store, dataset)
    try:
        if draft is None or after is None:
            raise Unsayable(str(folder))
        draft.commit(after)
    except (Unsayable, OSError, sqlite3.Error):  # the load stands; the next reads everything
        if draft is not None:
            draft.discard()
        path.unlink(missing_ok=True)
    return report


def _draft(path: Path, dataset: str, kept: list[KeptFile], ds: Dataset) -> MemoDraft | None:
    """The memo of a full read, written before the load (None if it cannot be one)."""
    made = kept_memo(kept)
    if made is None:
        return None
    files, rows = made
    try:
        return MemoDraft.write(path, dataset, files, rows, ds.fingerprints())
    except (Unsayable, OSError, sqlite3.Error):
        return None


def _load_increment(
    store: GraphStore,
    memo: RowMemo,
    inc: Increment,
    progress: ProgressFn | None,
    digest: str,
) -> SyncReport | None:
    """Carry out the plan of an increment and bring the memo along; None if it cannot."""
    seq = memo.anchor.seq + 1  # the anchor is the dataset's last load record
    lookup = store.fingerprints(inc.dataset).lookup if inc.places is not None else None
    made = plan_increment(inc, seq, lookup)
    if made is None:
        return None
    plan, prints = made
    report = carry_out(store, plan, seq, inc.source, digest, progress)
    after = _anchor(store, inc.dataset)
    try:
        if after is None:
            raise Unsayable(inc.dataset)
        memo.update(after, inc.removed_rows, inc.added_rows, inc.digests, prints)
    except (Unsayable, OSError, sqlite3.Error):  # the load stands; the next reads everything
        memo.close()
        memo.path.unlink(missing_ok=True)
    return report
