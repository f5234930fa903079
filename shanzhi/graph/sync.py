"""Sync semantics shared by every store: after ``load``, the store holds exactly the dataset.

The plan is computed from fingerprints alone, so a store only has to say what it holds
(``fingerprints``) and carry out a plan (``apply``); reloading an unchanged dataset writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from shanzhi.graph.dataset import Dataset, StoredNode, StoredRelation

__all__ = ["Counts", "Fingerprints", "ProgressFn", "SyncPlan", "SyncReport", "plan_sync"]

#: ``progress(stage, done, total)``: called as batches are written (stage e.g. "nodes").
ProgressFn = Callable[[str, int, int], None]


@dataclass
class Fingerprints:
    """What a store holds for one dataset: uid → fingerprint, for nodes and for relations."""

    nodes: dict[str, str] = field(default_factory=dict)
    relations: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Counts:
    """Created / updated / removed / unchanged of one kind of record."""

    created: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class SyncReport:
    """What a load did, for nodes and relations."""

    dataset: str
    nodes: Counts
    relations: Counts

    @property
    def changed(self) -> bool:
        """True if anything was created, updated or removed."""
        return any(c.created or c.updated or c.removed for c in (self.nodes, self.relations))

    def as_dict(self) -> dict[str, object]:
        """The report as plain data (``--json``)."""
        return {
            "dataset": self.dataset,
            "nodes": vars(self.nodes),
            "relations": vars(self.relations),
        }


@dataclass(frozen=True)
class SyncPlan:
    """The writes that make a store hold exactly one dataset."""

    dataset: str
    upsert_nodes: list[StoredNode]
    upsert_relations: list[StoredRelation]
    remove_nodes: list[str]
    remove_relations: list[str]
    report: SyncReport


def _diff(held: dict[str, str], wanted: dict[str, str]) -> tuple[set[str], set[str], set[str], int]:
    created = wanted.keys() - held.keys()
    removed = held.keys() - wanted.keys()
    updated = {u for u in wanted.keys() & held.keys() if wanted[u] != held[u]}
    unchanged = len(wanted) - len(created) - len(updated)
    return set(created), updated, set(removed), unchanged


def plan_sync(dataset: Dataset, held: Fingerprints) -> SyncPlan:
    """Compare a dataset with what a store holds for it and list the writes needed."""
    nodes = {n.uid: n for n in dataset.stored_nodes()}
    rels = {r.uid: r for r in dataset.stored_relations()}
    nc, nu, nr, nn = _diff(held.nodes, {u: str(n.props["fingerprint"]) for u, n in nodes.items()})
    rc, ru, rr, rn = _diff(
        held.relations, {u: str(r.props["fingerprint"]) for u, r in rels.items()}
    )
    report = SyncReport(
        dataset=dataset.name,
        nodes=Counts(created=len(nc), updated=len(nu), removed=len(nr), unchanged=nn),
        relations=Counts(created=len(rc), updated=len(ru), removed=len(rr), unchanged=rn),
    )
    return SyncPlan(
        dataset=dataset.name,
        upsert_nodes=[nodes[u] for u in sorted(nc | nu)],
        upsert_relations=[rels[u] for u in sorted(rc | ru)],
        remove_nodes=sorted(nr),
        remove_relations=sorted(rr),
        report=report,
    )
