"""What a store must do: sync (fingerprints, apply), keep load records, and answer reads.

Everything above the stores (queries, analytics, export, the CLI and the web page) talks to a
store only through :class:`GraphStore`, so a third store is one more folder beside ``embedded/``
and ``neo4j/``. The reads are one method per question; each returns the *facts* of its answer
as plain data of the shapes below, and the question's module (``graph/queries``,
``graph/analytics``) turns the facts into the answer, with the same code for every store — that
is what makes the stores give identical answers (``tests/test_golden.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from shanzhi.graph.stores.rows import (
    AuditRows,
    BuildingParent,
    BuildingRow,
    CircleLink,
    CircleMember,
    CircleRow,
    Facts,
    StatsCounts,
)

if TYPE_CHECKING:  # only for annotations: importing the interface stays cheap (start-up)
    from shanzhi.graph.stores.loads import Change, LoadRecord, Removed
    from shanzhi.graph.stores.snapshot import Snapshot
    from shanzhi.graph.stores.sync import Fingerprints, ProgressFn, SyncPlan

__all__ = [
    "AuditRows",
    "BuildingParent",
    "BuildingRow",
    "CircleLink",
    "CircleMember",
    "CircleRow",
    "CypherTarget",
    "Facts",
    "GraphStore",
    "StatsCounts",
]


class CypherTarget(Protocol):
    """A store that runs the analysts' Cypher (``shanzhi cypher run``)."""

    def query_type(self, text: str, params: dict[str, Any] | None = None) -> str:
        """What the server says a statement does (EXPLAIN): ``r``, ``rw``, ``w`` or ``s``."""

    def run_read_query(
        self, name: str, params: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Run a library query by name in a READ transaction."""

    def query(
        self, text: str, params: dict[str, Any] | None = None, *, write: bool = False
    ) -> list[dict[str, Any]]:
        """Run one statement (READ unless ``write``)."""


class GraphStore(Protocol):
    """What a store must do; everything else is built on these methods alone."""

    #: The store's name in messages and ``stats`` (``embedded``, ``neo4j``).
    kind: ClassVar[str]
    #: Whether :meth:`write_centrality` keeps runs (``centrality --write-back``).
    keeps_centrality: ClassVar[bool]

    # -- sync and load records -------------------------------------------------------------------
    def fingerprints(self, dataset: str) -> Fingerprints:
        """uid → fingerprint of every node and relation the store holds for a dataset."""

    def apply(
        self, plan: SyncPlan, record: LoadRecord | None, progress: ProgressFn | None = None
    ) -> None:
        """Carry out a sync plan (its records and its lookup entries), then keep its load record
        (None: the plan only refreshes lookup entries); re-running an interrupted apply must
        converge."""

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

    # -- reads: one per question ---------------------------------------------------------------
    def building_rows(self) -> list[BuildingRow]:
        """Every building, for the finder's index."""

    def building_candidates(self, keys: Sequence[str], limit: int) -> list[BuildingRow]:
        """The rows of the buildings having any of the lookup ``keys`` (at most ``limit``, in
        uid order), from the index each load keeps (:mod:`shanzhi.graph.stores.lookup`)."""

    def who_covers_facts(self, uid: str, on: str) -> Facts | None:
        """The facts around the building ``uid`` on the ISO day ``on``; None if it is gone."""

    def who_covers_facts_many(self, asks: Sequence[tuple[str, str]]) -> list[Facts | None]:
        """:meth:`who_covers_facts` of each (building uid, ISO day) of ``asks``, in order (a
        list of tickets): what several buildings share may be read once."""

    def audit_rows(self, on: str) -> AuditRows:
        """The raw rows of every gap kind on the ISO day ``on``."""

    def circle_rows(self, block: str | None, own_kinds: Sequence[str]) -> list[CircleRow]:
        """The circle of every block grid whose uid, id or name is ``block`` (all if None),
        leaving out members of ``own_kinds`` that govern the block."""

    def stats_counts(self, dataset: str | None) -> StatsCounts:
        """Counts of one dataset or of everything held."""

    def cypher_target(self) -> CypherTarget:
        """The store as a target of analysts' Cypher; UsageError where it runs none."""

    def write_centrality(self, run: dict[str, Any], ran_at: str, rows: list[dict[str, Any]]) -> int:
        """Keep one centrality run and its members' scores; how many members were scored.
        UsageError where the store keeps none."""

    def close(self) -> None:
        """Release connections and files."""
