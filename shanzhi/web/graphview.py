"""The store's graph in the embedded shape, for what the page works out itself (scope, places of
audit gaps, a record's provenance) — read only, on either store.

The embedded store hands over its live graph (a new object after every load). On Neo4j the page
reads a snapshot once and reads it again when a dataset's last load changed (looked at no more
often than every :data:`CHECK_EVERY` seconds), so the page follows loads made by other processes.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import networkx as nx

__all__ = ["CHECK_EVERY", "GraphView", "dataset_of", "uid_of"]

CHECK_EVERY = 30.0


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
    """The graph of one store: a new graph object whenever the store changed (caches key on it)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._graph: nx.MultiDiGraph | None = None
        self._loads: tuple[Any, ...] | None = None
        self._checked = 0.0

    def graph(self) -> nx.MultiDiGraph:
        """The graph as the store holds it now (a snapshot on Neo4j)."""
        if self.store.kind == "embedded":
            graph: nx.MultiDiGraph = self.store.graph
            return graph
        with self._lock:
            now = time.monotonic()
            if self._graph is None or now - self._checked > CHECK_EVERY:
                loads = self._last_loads()
                if self._graph is None or loads != self._loads:
                    self._graph = self.store.snapshot().to_networkx()
                    self._loads = loads
                self._checked = now
            return self._graph

    def _last_loads(self) -> tuple[Any, ...]:
        return tuple(
            (name, max((r.seq for r in self.store.loads(name)), default=0))
            for name in sorted(self.store.datasets())
        )
