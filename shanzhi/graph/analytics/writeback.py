"""Centrality scores written back to Neo4j as snapshots that survive reloads.

Each block's run becomes one node and one relationship per member::

    (:CentralityRun {uid, block_uid, block_id, block_name, algorithm, params, ran_at,
                     sampled, k, size, ties, communities})
        -[:SCORED {rank, degree, weighted_degree, betweenness, closeness, pagerank,
                   eigenvector, community, broker, broker_reasons, ties}]->(member)

Why a snapshot node rather than properties on the members: a load sets every node's properties
wholesale (``SET n = row.props``), so scores stored on the members would vanish at the next load,
and one set of properties cannot hold two runs to compare. A ``CentralityRun`` keeps each run,
with its algorithm, parameters (JSON text) and time, for as long as the analysts want it.

How it stays out of the loader's way: ``CentralityRun`` does not carry the ``Entity`` label, so a
load never counts, fingerprints, snapshots or removes it; ``SCORED`` has no ``uid`` or ``dataset``
property, so no store query mistakes it for a dataset's relation. When a member leaves the data,
the loader's ``DETACH DELETE`` takes its ``SCORED`` relations with it; the run stays. Compare runs
with ``shanzhi cypher run centrality_history``.

The Neo4j store keeps the run with ``WRITE_RUN`` of :mod:`shanzhi.graph.stores.neo4j.cypher`;
stores that keep no runs say so (``keeps_centrality``).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from shanzhi.errors import ShanzhiError, UsageError
from shanzhi.graph.stores.interface import GraphStore

__all__ = [
    "SCORE_FIELDS",
    "require_runs",
    "write_back",
]

#: Member fields of the centrality JSON kept on each SCORED relationship.
SCORE_FIELDS = (
    "rank",
    "degree",
    "weighted_degree",
    "betweenness",
    "closeness",
    "pagerank",
    "eigenvector",
    "community",
    "broker",
    "broker_reasons",
    "ties",
)
#: Run fields of a block entry kept on the run node.
_RUN_FIELDS = ("sampled", "size", "ties", "communities")


def _run_params(result: dict[str, Any], block: dict[str, Any]) -> dict[str, Any]:
    run = {
        "uid": uuid.uuid4().hex,
        "block_uid": block["block"]["uid"],
        "block_id": block["block"]["id"],
        "block_name": block["block"]["name"],
        "algorithm": result["algorithm"],
        "params": json.dumps(result["params"], sort_keys=True, ensure_ascii=False),
        **{f: block[f] for f in _RUN_FIELDS},
    }
    if block["k"] is not None:
        run["k"] = block["k"]
    return run


def require_runs(store: GraphStore) -> None:
    """Raise UsageError unless ``store`` keeps centrality runs (check before computing anything)."""
    if not store.keeps_centrality:
        raise UsageError("--write-back stores scores in Neo4j; use it with --store neo4j.")


def write_back(
    store: GraphStore, result: dict[str, Any], ran_at: datetime | None = None
) -> list[dict[str, Any]]:
    """Store each block of a ``centrality`` result as a run; one transaction per block.

    ``result`` should hold every member (``top=None``): a run records what it was given. Returns
    ``[{"run", "block", "ran_at", "scored"}]``. Raises UsageError on the embedded store.
    """
    when = (ran_at or datetime.now(UTC)).isoformat()
    written = []
    for block in result["blocks"]:
        run = _run_params(result, block)
        rows = [
            {"uid": m["uid"], "scores": {f: m[f] for f in SCORE_FIELDS}} for m in block["members"]
        ]
        scored = store.write_centrality(run, when, rows)
        if scored != len(rows):
            raise ShanzhiError(
                f"{len(rows) - scored} members of {block['block']['name']} left the graph "
                "while their scores were written (a load is running?); run centrality again."
            )
        written.append(
            {"run": run["uid"], "block": block["block"], "ran_at": when, "scored": len(rows)}
        )
    return written
