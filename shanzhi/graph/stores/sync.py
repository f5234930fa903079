"""Sync semantics shared by every store: after ``load``, the store holds exactly the dataset.

The plan is computed from fingerprints alone, so a store only has to say what it holds
(``fingerprints``) and carry out a plan (``apply``); reloading an unchanged dataset writes nothing.
Every record the plan writes is stamped with the load's number and whether it is created or
updated (``load_seq``, ``load_change``; see
:mod:`shanzhi.graph.stores.loads`); fingerprints leave the
stamps out, so they never make a record look changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TypeVar

from shanzhi import collector
from shanzhi.graph.model import Label, Node, Relation, RelType
from shanzhi.graph.model.dataset import (
    Dataset,
    StoredNode,
    StoredRelation,
    node_uid,
    relation_uid,
)
from shanzhi.graph.stores.lookup import LookupEntry, entries_from
from shanzhi.graph.stores.stamps import CHANGE, SEQ, STAMPS

if TYPE_CHECKING:
    from shanzhi.loaders.increment import Increment

__all__ = [
    "CHANGE",
    "SEQ",
    "STAMPS",
    "Counts",
    "Fingerprints",
    "ProgressFn",
    "SyncPlan",
    "SyncReport",
    "plan_increment",
    "plan_sync",
]


#: ``progress(stage, done, total)``: called as batches are written (stage e.g. "nodes").
ProgressFn = Callable[[str, int, int], None]


@dataclass
class Fingerprints:
    """What a store holds for one dataset: uid → fingerprint, for nodes and for relations, and
    building uid → digest of its lookup entry (:mod:`shanzhi.graph.stores.lookup`)."""

    nodes: dict[str, str] = field(default_factory=dict)
    relations: dict[str, str] = field(default_factory=dict)
    lookup: dict[str, str] = field(default_factory=dict)


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
    #: The number this load got (None when it changed nothing and so left no record).
    load: int | None = None

    @property
    def changed(self) -> bool:
        """True if anything was created, updated or removed."""
        return any(c.created or c.updated or c.removed for c in (self.nodes, self.relations))

    def as_dict(self) -> dict[str, object]:
        """The report as plain data (``--json``)."""
        return {
            "dataset": self.dataset,
            "load": self.load,
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
    #: Lookup entries to write (new or changed digest) and building uids whose entry goes.
    lookup_upsert: list[LookupEntry] = field(default_factory=list)
    lookup_remove: list[str] = field(default_factory=list)

    @property
    def writes(self) -> bool:
        """True if carrying out the plan writes anything (records or lookup entries)."""
        return bool(
            self.upsert_nodes
            or self.upsert_relations
            or self.remove_nodes
            or self.remove_relations
            or self.lookup_upsert
            or self.lookup_remove
        )


def _diff(held: dict[str, str], wanted: dict[str, str]) -> tuple[set[str], set[str], set[str], int]:
    created = wanted.keys() - held.keys()
    removed = held.keys() - wanted.keys()
    updated = {u for u in wanted.keys() & held.keys() if wanted[u] != held[u]}
    unchanged = len(wanted) - len(created) - len(updated)
    return set(created), updated, set(removed), unchanged


R = TypeVar("R", StoredNode, StoredRelation)


def _stamped(record: R, seq: int, created: bool) -> R:
    props = {**record.props, SEQ: seq, CHANGE: "created" if created else "updated"}
    return replace(record, props=props)


def plan_sync(dataset: Dataset, held: Fingerprints, seq: int) -> SyncPlan:
    """Compare a dataset with what a store holds for it and list the writes needed.

    ``seq`` is the number the load gets if it changes anything; written records carry it.
    """
    with collector.paused():  # a district's plan keeps 230 k records' maps alive at once
        return _plan(dataset, held, seq)


def _plan(dataset: Dataset, held: Fingerprints, seq: int) -> SyncPlan:
    name = dataset.name
    node_fp, rel_fp = dataset.fingerprints()  # kept by the dataset: worked out once
    nodes = {node_uid(name, n.id): n for n in dataset.nodes}
    rels = {relation_uid(name, r.key): r for r in dataset.relations}
    nc, nu, nr, nn = _diff(held.nodes, {u: node_fp[n.id] for u, n in nodes.items()})
    rc, ru, rr, rn = _diff(held.relations, {u: rel_fp[r.key] for u, r in rels.items()})
    # A building's entry needs only the places and the PART_OF relations between them.
    entries = entries_from(
        name, dataset.stored_nodes(Label.PLACE), dataset.stored_relations(RelType.PART_OF)
    )
    lookup = _diff(held.lookup, {u: e.digest for u, e in entries.items()})
    return _assemble(dataset, nodes, rels, seq, (nc, nu, nr, nn), (rc, ru, rr, rn), entries, lookup)


_Diff = tuple[set[str], set[str], set[str], int]


def _assemble(
    records: Dataset,
    nodes: dict[str, Node],
    rels: dict[str, Relation],
    seq: int,
    node_diff: _Diff,
    rel_diff: _Diff,
    entries: dict[str, LookupEntry],
    lookup: _Diff,
) -> SyncPlan:
    """The plan of what changed: (created, updated, removed, unchanged) of nodes, relations and
    lookup entries; ``records`` gives the stored forms of ``nodes`` and ``rels`` (uid → record)."""
    (nc, nu, nr, nn), (rc, ru, rr, rn), (lc, lu, lr, _) = node_diff, rel_diff, lookup
    nodes_counts = Counts(created=len(nc), updated=len(nu), removed=len(nr), unchanged=nn)
    rels_counts = Counts(created=len(rc), updated=len(ru), removed=len(rr), unchanged=rn)
    changed = any(c.created or c.updated or c.removed for c in (nodes_counts, rels_counts))
    report = SyncReport(records.name, nodes_counts, rels_counts, seq if changed else None)
    return SyncPlan(
        dataset=records.name,
        upsert_nodes=[
            _stamped(records.stored_node(nodes[u]), seq, u in nc) for u in sorted(nc | nu)
        ],
        upsert_relations=[
            _stamped(records.stored_relation(rels[u]), seq, u in rc) for u in sorted(rc | ru)
        ],
        remove_nodes=sorted(nr),
        remove_relations=sorted(rr),
        report=report,
        lookup_upsert=[entries[u] for u in sorted(lc | lu)],
        lookup_remove=sorted(lr),
    )


def plan_increment(
    inc: Increment, seq: int, held_lookup: dict[str, str] | None
) -> tuple[SyncPlan, tuple[dict[str, str], dict[str, str]]] | None:
    """The plan :func:`plan_sync` would make of the whole dataset, from only what changed
    (:mod:`shanzhi.loaders.increment`), and the fingerprints of the records the changed rows give
    (node id → it, relation key → it); None when the increment does not fit what it says is
    held. ``held_lookup``: the store's lookup digests, needed only when ``inc.places`` is given.
    """
    name = inc.dataset
    changed = Dataset(name, tuple(inc.nodes), tuple(inc.relations), inc.source)
    node_fp, rel_fp = changed.fingerprints()
    nodes = {node_uid(name, n.id): n for n in inc.nodes}
    rels = {relation_uid(name, r.key): r for r in inc.relations}
    held_nodes = {node_uid(name, i): fp for i, fp in inc.held_nodes.items()}
    held_rels = {relation_uid(name, k): fp for k, fp in inc.held_relations.items()}
    gone_nodes = {node_uid(name, i) for i in inc.gone_nodes} - nodes.keys()
    gone_rels = {relation_uid(name, k) for k in inc.gone_relations} - rels.keys()
    if not (gone_nodes <= held_nodes.keys() and gone_rels <= held_rels.keys()):
        return None
    nc, nu, _, _ = _diff(held_nodes, {u: node_fp[n.id] for u, n in nodes.items()})
    rc, ru, _, _ = _diff(held_rels, {u: rel_fp[r.key] for u, r in rels.items()})
    nn = inc.total_nodes - len(gone_nodes) - len(nu)
    rn = inc.total_relations - len(gone_rels) - len(ru)
    lookup: _Diff = (set(), set(), set(), 0)
    entries: dict[str, LookupEntry] = {}
    if inc.places is not None:
        if held_lookup is None:
            return None
        places = Dataset(name, tuple(inc.places), ())
        part_of = [
            StoredRelation("", RelType.PART_OF.value, node_uid(name, c), node_uid(name, p), {})
            for c, p in inc.part_of
        ]
        entries = entries_from(name, places.stored_nodes(), part_of)
        lookup = _diff(held_lookup, {u: e.digest for u, e in entries.items()})
    node_diff = (nc, nu, gone_nodes, nn)
    rel_diff = (rc, ru, gone_rels, rn)
    plan = _assemble(changed, nodes, rels, seq, node_diff, rel_diff, entries, lookup)
    return plan, (node_fp, rel_fp)
