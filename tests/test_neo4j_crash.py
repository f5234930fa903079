"""A load killed mid-way (SIGKILL, no cleanup) and run again ends equal to a clean load."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from shanzhi.config import Settings
from shanzhi.graph.model.dataset import Dataset
from shanzhi.graph.queries.changes import changes, history
from shanzhi.graph.stores import load
from shanzhi.graph.stores.neo4j import Neo4jStore
from shanzhi.graph.stores.snapshot import Snapshot
from tests.neo4j_fixtures import REPO, big_dataset

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

NAME = "crash"
BUILDINGS = 6_000  # ~24,000 nodes and ~30,000 relations, in batches of 1,000
BATCH = 1000

CHILD = f"""
import sys
sys.path.insert(0, {str(REPO)!r})
from shanzhi.config import Settings
from shanzhi.graph.stores.neo4j import Neo4jStore
from shanzhi.graph.stores import load
from tests.neo4j_fixtures import big_dataset

ds = big_dataset({NAME!r}, {BUILDINGS})
store = Neo4jStore.connect(Settings.from_env(store="neo4j"))
print("loading", flush=True)
load(store, ds)
print("done", flush=True)
"""


def held_nodes(store: Neo4jStore) -> int:
    rows = store.query("MATCH (n:Entity {dataset: $d}) RETURN count(n) AS n", {"d": NAME})
    return int(rows[0]["n"])


def test_a_killed_load_run_again_equals_a_clean_load(
    neo4j_settings: Settings, neo4j_store: Neo4jStore
) -> None:
    neo4j_store.ensure_schema()
    ds = big_dataset(NAME, BUILDINGS)
    env = {
        **os.environ,
        "NEO4J_URI": neo4j_settings.neo4j_uri,
        "NEO4J_USER": neo4j_settings.neo4j_user,
        "NEO4J_PASSWORD": neo4j_settings.neo4j_password,
        "NEO4J_DATABASE": neo4j_settings.neo4j_database,
        "SHANZHI_BATCH_SIZE": str(BATCH),
    }
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    threshold = len(ds.nodes) // 3
    deadline = time.monotonic() + 300
    try:
        while held_nodes(neo4j_store) < threshold:
            assert child.poll() is None, child.communicate()
            assert time.monotonic() < deadline, "the load made no progress"
            time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        if child.poll() is None:
            child.kill()
        out, err = child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL, (out, err)
    assert b"done" not in out, "the load finished before it could be killed; make it larger"

    wanted = Snapshot.of(ds.stored_nodes(), ds.stored_relations())
    interrupted = neo4j_store.fingerprints(NAME)
    assert threshold <= len(interrupted.nodes) < len(wanted.nodes)
    assert len(interrupted.relations) < len(wanted.relations)

    assert history(neo4j_store, NAME) == [], "the load record is written last"

    resumed = load(neo4j_store, ds)
    assert resumed.nodes.unchanged >= threshold, "committed batches were kept, not redone"
    assert resumed.nodes.created + resumed.nodes.unchanged == len(ds.nodes)
    after_rerun = neo4j_store.snapshot(NAME)
    # the re-run takes the killed load's number: load 1 lists what both runs wrote
    assert resumed.load == 1 and [r.seq for r in history(neo4j_store, NAME)] == [1]
    first = changes(neo4j_store, NAME, 1).rows
    assert len(first) == len(ds.nodes) + len(ds.relations)
    assert {c.change for c in first} == {"created"}

    cleared = load(neo4j_store, Dataset(NAME, (), ()))
    assert cleared.nodes.removed == len(ds.nodes)
    assert neo4j_store.snapshot(NAME) == Snapshot()
    record = history(neo4j_store, NAME)[-1]
    assert (record.seq, len(record.removed)) == (2, len(ds.nodes) + len(ds.relations))
    clean = load(neo4j_store, ds)
    assert clean.nodes.created == len(ds.nodes) and clean.load == 3
    assert after_rerun == neo4j_store.snapshot(NAME) == wanted
