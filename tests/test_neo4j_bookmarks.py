"""Past one machine, as far as one Community server can show it (docs/scaling.md).

On a cluster, reads go to secondaries that may lag behind the leader. The store sends every
read in a READ transaction (routed to a secondary under ``neo4j://``) and keeps the bookmarks of
what it wrote, so its own reads after a load wait for the load (read your own writes); another
store object — another process — is given them with ``Neo4jStore.connect(settings,
bookmarks=…)``. Here: a load's bookmarks reach a second store object over the routing scheme,
which then reads the load; and the library's reads really are READ transactions.
"""

from __future__ import annotations

import dataclasses

import pytest
from neo4j import exceptions as nex

from shanzhi.config import Settings
from shanzhi.graph.stores import load
from shanzhi.graph.stores.neo4j import Neo4jStore
from tests.factories import tiny

pytestmark = pytest.mark.neo4j


def _routing(settings: Settings) -> Settings:
    scheme, rest = settings.neo4j_uri.split("://", 1)
    return dataclasses.replace(settings, neo4j_uri=f"{scheme.replace('bolt', 'neo4j')}://{rest}")


def test_a_load_leaves_bookmarks_that_a_second_store_reads_after(
    neo4j_store: Neo4jStore, neo4j_settings: Settings
) -> None:
    before = set(neo4j_store.bookmarks())
    report = load(neo4j_store, tiny("bookmarked"))
    after = neo4j_store.bookmarks()
    assert after and set(after) != before, "the load's commits left new bookmarks"
    with Neo4jStore.connect(_routing(neo4j_settings), bookmarks=after) as second:
        assert set(after) <= set(second.bookmarks()), "the second store starts from them"
        counts = second.stats_counts("bookmarked")
        assert sum(counts["nodes_by_kind"].values()) == report.nodes.created
        assert [r.seq for r in second.loads("bookmarked")] == [1]


def test_library_reads_are_read_transactions(neo4j_store: Neo4jStore) -> None:
    """A READ transaction refuses a write even on a single server: the proof that the reads
    (run_read_query, query without write=True) would be routed as reads on a cluster."""
    load(neo4j_store, tiny("readmode"))
    with pytest.raises(nex.ClientError) as caught:
        neo4j_store.query("MATCH (n:Entity {dataset: 'readmode'}) SET n.touched = true")
    assert caught.value.code == "Neo.ClientError.Statement.AccessMode"
    rows = neo4j_store.run_read_query("stats", {"dataset": "readmode"})
    assert rows and all(r["n"] > 0 for r in rows)
