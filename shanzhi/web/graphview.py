"""The store's graph, one dataset at a time, for what the page works out itself (scope, where an
audit gap lies, a record's provenance) — read only, on either store, through the store's snapshot.

A dataset's graph is read once and read again when the dataset's last load changed (looked at no
more often than every :data:`CHECK_EVERY` seconds), so the page follows loads made by other
processes; the finder's building index is dropped at the same moment. Each read makes a new graph
object, and caches built on a graph key on that object.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import networkx as nx

__all__ = ["CHECK_EVERY", "GraphView", "dataset_of", "uid_of"]

CHECK_EVERY = {"embedded": 1.0, "neo4j": 15.0}


def uid_of(dataset: str | None, record_id: str | None) -> str:
    """The store uid of a record of a dataset (``dataset:id``).

    >>> uid_of("gonghexinlu", "G-C17")
    'gonghexinlu:G-C17'
    """
    return f"{dataset}:{record_id}"


def dataset_of(uid: str) -> str:
    """The dataset part of a uid.

    >>> dataset_of("gonghexinlu:G-C17")
    'gonghexinlu'
    """
    return uid.split(":", 1)[0]


class GraphView:
    """The graphs of one store's datasets, each as networkx in the snapshot's shape."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._graphs: dict[str, tuple[int, nx.MultiDiGraph]] = {}
        self._seqs: dict[str, int] = {}
        self._checked = 0.0

    def _refresh(self) -> None:
        """Look at the datasets' last loads; forget graphs (and the finder) of changed ones."""
        now = time.monotonic()
        if now - self._checked < CHECK_EVERY.get(self.store.kind, 5.0) and self._seqs:
            return
        seqs = {
            name: max((r.seq for r in self.store.loads(name)), default=0)
            for name in self.store.datasets()
        }
        if seqs != self._seqs:
            self._graphs = {n: v for n, v in self._graphs.items() if seqs.get(n) == v[0]}
            self._seqs = seqs
        self._checked = now

    def version(self) -> tuple[tuple[str, int], ...]:
        """The datasets and their last load numbers: changes whenever the store does."""
        with self._lock:
            self._refresh()
            return tuple(sorted(self._seqs.items()))

    def datasets(self) -> list[str]:
        """The datasets held."""
        with self._lock:
            self._refresh()
            return sorted(self._seqs)

    def graph(self, dataset: str) -> nx.MultiDiGraph:
        """The graph of one dataset (empty if the store holds no such dataset)."""
        with self._lock:
            self._refresh()
            seq = self._seqs.get(dataset)
            if seq is None:
                return nx.MultiDiGraph()
            held = self._graphs.get(dataset)
            if held is None:
                held = (seq, self.store.snapshot(dataset).to_networkx())
                self._graphs[dataset] = held
            return held[1]

    def graph_of(self, uid: str) -> nx.MultiDiGraph:
        """The graph of the dataset a uid belongs to."""
        return self.graph(dataset_of(uid))
