"""A load's writes as transactions: batches of ``UNWIND $rows`` statements, in a safe order.

A plan is applied adding before removing (nodes, relations, then removed relations, removed
nodes), so a reader during a load sees at worst old and new side by side, never a hole.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from shanzhi.graph.model import Label, RelType
from shanzhi.graph.stores.neo4j import cypher as q
from shanzhi.graph.stores.neo4j.values import RELATION_DATES, dates_of, to_neo4j

if TYPE_CHECKING:  # a question needs none of them
    import neo4j

    from shanzhi.graph.model.dataset import StoredNode, StoredRelation
    from shanzhi.graph.stores.sync import SyncPlan

__all__ = ["Batch", "chunks", "count", "plan_batches", "run_batch"]

_T = TypeVar("_T")


def chunks(items: Sequence[_T], size: int) -> Iterator[Sequence[_T]]:
    """``items`` in slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class Batch:
    """One transaction's worth of writes: statements run in order with the same parameters."""

    stage: str
    statements: tuple[str, ...]
    params: dict[str, Any]
    size: int


def count(tx: neo4j.ManagedTransaction, statement: str, params: dict[str, Any]) -> int:
    """Run a statement returning one count; the count."""
    record = tx.run(statement, params).single(strict=True)
    return int(record[0])


def run_batch(tx: neo4j.ManagedTransaction, batch: Batch) -> int:
    """Run a batch's statements in one transaction; the rows they wrote."""
    return sum(count(tx, statement, batch.params) for statement in batch.statements)


def _node_row(node: StoredNode) -> dict[str, Any]:
    return {"uid": node.uid, "props": to_neo4j(node.props, dates_of(node.label))}


def _relation_row(rel: StoredRelation) -> dict[str, Any]:
    row = rel.as_row()
    row["props"] = to_neo4j(rel.props, RELATION_DATES)
    return row


def plan_batches(plan: SyncPlan, batch_size: int) -> Iterator[Batch]:
    """The transactions that carry out a plan, in order: add nodes, add relations, then remove.

    Nodes are grouped by label and relations by type (one statement text each, from the enums).
    Removed relations are looked up under every type, since a uid does not reliably say its type
    (ids may contain "|"); each lookup is an index seek.

    >>> from shanzhi.graph.stores.sync import Counts, SyncPlan, SyncReport
    >>> plan = SyncPlan("d", [], [], ["d:a", "d:b", "d:c"], [], SyncReport("d", Counts(), Counts()))
    >>> [(b.stage, b.params, b.size) for b in plan_batches(plan, 2)]
    [('removed nodes', {'uids': ['d:a', 'd:b']}, 2), ('removed nodes', {'uids': ['d:c']}, 1)]
    """
    for label in Label:
        rows = [_node_row(n) for n in plan.upsert_nodes if n.label == label.value]
        for chunk in chunks(rows, batch_size):
            yield Batch("nodes", (q.UPSERT_NODES[label],), {"rows": list(chunk)}, len(chunk))
    for rel in RelType:
        rows = [_relation_row(r) for r in plan.upsert_relations if r.type == rel.value]
        for chunk in chunks(rows, batch_size):
            yield Batch("relations", (q.UPSERT_RELATIONS[rel],), {"rows": list(chunk)}, len(chunk))
    every_type = tuple(q.REMOVE_RELATIONS[rel] for rel in RelType)
    for uids in chunks(plan.remove_relations, batch_size):
        yield Batch("removed relations", every_type, {"uids": list(uids)}, len(uids))
    for uids in chunks(plan.remove_nodes, batch_size):
        yield Batch("removed nodes", (q.REMOVE_NODES,), {"uids": list(uids)}, len(uids))
