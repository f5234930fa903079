"""The embedded default store: a networkx graph in-process, kept on disk as JSON.

The file ``<home>/graph.json`` holds the graph and the load records (``loads``, see
:mod:`shanzhi.graph.stores.loads`; a file without them, from before they existed, reads as no
loads). It
is written atomically (temporary file, fsync, rename), so a crash
leaves either the old graph or the new one, never half of one; JSON cannot run code when read,
unlike pickle. Loads hold an exclusive lock on ``<home>/.lock`` so two loads never interleave.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import networkx as nx
import orjson

from shanzhi.errors import StoreUnavailableError
from shanzhi.graph.stores.embedded.reads import EmbeddedReads
from shanzhi.graph.stores.loads import Change, LoadRecord, Removed, link_name, removed_rows
from shanzhi.graph.stores.snapshot import Snapshot
from shanzhi.graph.stores.sync import CHANGE, SEQ, Fingerprints, ProgressFn, SyncPlan

__all__ = ["EmbeddedStore"]

FORMAT = "shanzhi-graph"
VERSION = 1


class EmbeddedStore(EmbeddedReads):
    """The graph of a home folder; ``graph`` is the live networkx graph (read, never write it)."""

    kind: ClassVar[str] = "embedded"

    def __init__(self, home: Path | str) -> None:
        self.home = Path(home)
        self.path = self.home / "graph.json"
        self._graph: nx.MultiDiGraph | None = None
        self._loads: list[dict[str, Any]] = []
        self._mtime: float | None = None

    # -- reading -------------------------------------------------------------------------------
    @property
    def graph(self) -> nx.MultiDiGraph:
        """The graph as last written to disk (an empty graph if nothing was loaded yet)."""
        mtime = self.path.stat().st_mtime if self.path.exists() else None
        if self._graph is None or mtime != self._mtime:
            self._graph, self._loads = (
                self._read() if mtime is not None else (nx.MultiDiGraph(), [])
            )
            self._mtime = mtime
        return self._graph

    def _read(self) -> tuple[nx.MultiDiGraph, list[dict[str, Any]]]:
        try:
            doc = orjson.loads(self.path.read_bytes())
        except (OSError, orjson.JSONDecodeError) as exc:
            raise StoreUnavailableError(
                f"cannot read the graph in {self.path} ({exc}); run `shanzhi load` again."
            ) from exc
        if (
            not isinstance(doc, dict)
            or doc.get("format") != FORMAT
            or doc.get("version") != VERSION
        ):
            raise StoreUnavailableError(
                f"{self.path} is not a shanzhi graph of version {VERSION}; "
                "run `shanzhi load` again."
            )
        g = nx.MultiDiGraph()
        g.add_nodes_from((uid, attrs) for uid, attrs in doc["nodes"])
        g.add_edges_from((s, t, k, attrs) for s, t, k, attrs in doc["edges"])
        return g, list(doc.get("loads", []))

    def fingerprints(self, dataset: str) -> Fingerprints:
        """uid → fingerprint of the dataset's nodes and relations."""
        g = self.graph
        fp = Fingerprints()
        for uid, d in g.nodes(data=True):
            if d.get("dataset") == dataset:
                fp.nodes[uid] = d["fingerprint"]
        for _s, _t, k, d in g.edges(keys=True, data=True):
            if d.get("dataset") == dataset:
                fp.relations[k] = d["fingerprint"]
        return fp

    def snapshot(self, dataset: str | None = None) -> Snapshot:
        """Everything held, or one dataset's part."""
        snap = Snapshot.from_networkx(self.graph)
        return snap if dataset is None else snap.restricted_to(dataset)

    def datasets(self) -> list[str]:
        """Names of the datasets held."""
        return sorted({str(d["dataset"]) for _, d in self.graph.nodes(data=True) if "dataset" in d})

    def loads(self, dataset: str) -> list[LoadRecord]:
        """The records of the loads that changed a dataset, oldest first."""
        _ = self.graph  # re-reads the file (and its load records) if another process wrote it
        return [LoadRecord.from_props(p) for p in self._loads if p["dataset"] == dataset]

    def describe(self, node_uids: Sequence[str], relation_uids: Sequence[str]) -> list[Removed]:
        """What these held nodes and relations are."""
        g, wanted = self.graph, set(relation_uids)
        return [Removed(*_what(g, u)) for u in node_uids] + [
            Removed(*_what(g, k, s, t, d))
            for s, t, k, d in g.edges(keys=True, data=True)
            if k in wanted
        ]

    def changed_records(self, record: LoadRecord) -> list[Change]:
        """The records stamped with this load, and what it removed."""
        g = self.graph

        def stamped(d: dict[str, Any]) -> bool:
            return d.get("dataset") == record.dataset and d.get(SEQ) == record.seq

        nodes = [Change(d[CHANGE], *_what(g, u)) for u, d in g.nodes(data=True) if stamped(d)]
        relations = [
            Change(d[CHANGE], *_what(g, k, s, t, d))
            for s, t, k, d in g.edges(keys=True, data=True)
            if stamped(d)
        ]
        return nodes + relations + removed_rows(record)

    # -- writing -------------------------------------------------------------------------------
    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.home.mkdir(parents=True, exist_ok=True)
        with open(self.home / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def apply(self, plan: SyncPlan, record: LoadRecord, progress: ProgressFn | None = None) -> None:
        """Apply a plan to the graph, add its load record, and replace the file in one rename.

        If anything fails before the rename, the in-memory graph is dropped and re-read from the
        file, which still holds the old graph.
        """
        if not (
            plan.upsert_nodes or plan.upsert_relations or plan.remove_nodes or plan.remove_relations
        ):
            return
        total = len(plan.upsert_nodes) + len(plan.upsert_relations)
        with self._locked():
            g = self.graph
            try:
                self._change(g, plan)
                if progress:
                    progress("writing", total, total)
                self._write(g, [*self._loads, record.as_props()])
            except BaseException:
                self._graph = None
                raise
            if progress:
                progress("written", total, total)

    @staticmethod
    def _change(g: nx.MultiDiGraph, plan: SyncPlan) -> None:
        ends = {k: (s, t) for s, t, k in g.edges(keys=True)} if g.number_of_edges() else {}
        for uid in plan.remove_relations:
            if uid in ends:
                g.remove_edge(*ends[uid], key=uid)
        g.remove_nodes_from(plan.remove_nodes)
        fresh: list[tuple[str, dict[str, Any]]] = []
        for n in plan.upsert_nodes:
            attrs = {"label": n.label, **n.props}
            if n.uid in g:
                held = g.nodes[n.uid]
                held.clear()
                held.update(attrs)
            else:
                fresh.append((n.uid, attrs))
        g.add_nodes_from(fresh)
        for r in plan.upsert_relations:
            old = ends.get(r.uid)
            if old is not None and g.has_edge(*old, key=r.uid):
                g.remove_edge(*old, key=r.uid)
        g.add_edges_from(
            (r.source, r.target, r.uid, {"type": r.type, **r.props}) for r in plan.upsert_relations
        )

    def _write(self, g: nx.MultiDiGraph, loads: list[dict[str, Any]]) -> None:
        doc: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "nodes": [[u, d] for u, d in g.nodes(data=True)],
            "edges": [[s, t, k, d] for s, t, k, d in g.edges(keys=True, data=True)],
            "loads": loads,
        }
        fd, tmp = tempfile.mkstemp(dir=self.home, prefix=".graph-", suffix=".json.tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(orjson.dumps(doc))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        dirfd = os.open(self.home, os.O_RDONLY)
        try:
            os.fsync(dirfd)
        finally:
            os.close(dirfd)
        self._graph, self._loads = g, loads
        self._mtime = self.path.stat().st_mtime

    def close(self) -> None:
        """Nothing to release: the file is closed after every read and write."""


def _what(
    g: nx.MultiDiGraph, uid: str, source: str = "", target: str = "", edge: Any = None
) -> tuple[str, str, str, str, str, int]:
    """A node's (or, given its ends and data, a relation's) what, kind, uid, name, source file and
    line: the fields a change row and a removed record share."""
    if edge is None:
        d = g.nodes[uid]
        return "node", d["label"], uid, d["name"], d["source_file"], d["source_line"]
    name = link_name(g.nodes[source].get("name"), g.nodes[target].get("name"))
    return "relation", edge["type"], uid, name, edge["source_file"], edge["source_line"]
