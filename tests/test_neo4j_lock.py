"""Two loads of one dataset at once on Neo4j never mix versions (two processes, the real command).

Two ``shanzhi load`` processes load two different versions into the same dataset name at the same
time (small batches, so that they overlap). One holds the dataset's lock while it applies; the
other waits for it and then refuses its stale plan in one sentence (exit 3) — or, had it planned
after the first was done, applies its own version whole. Either way the store holds exactly one
version, and every load number is used once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from shanzhi.graph.model.dataset import Dataset
from shanzhi.graph.stores.neo4j import Neo4jStore
from shanzhi.graph.stores.snapshot import Snapshot
from shanzhi.loaders import load_dataset
from shanzhi.synth import synth

pytestmark = pytest.mark.neo4j

NAME = "race"


def _expected(ds: Dataset) -> Snapshot:
    return Snapshot.of(ds.stored_nodes(), ds.stored_relations())


def test_two_processes_loading_two_versions_do_not_mix(
    neo4j_store: Neo4jStore, env: dict[str, str], tmp_path: Path
) -> None:
    folders = [tmp_path / "v1", tmp_path / "v2"]
    for seed, folder in enumerate(folders, start=1):
        synth(folder, streets=1, seed=seed)
    versions = [load_dataset(f, name=NAME) for f in folders]
    assert _expected(versions[0]) != _expected(versions[1])
    child_env = {**os.environ, **env, "SHANZHI_BATCH_SIZE": "200", "COLUMNS": "200"}
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "shanzhi", "--store", "neo4j", "load", str(f), "--name", NAME],
            env=child_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in folders
    ]
    results = [(c.wait(timeout=600), *c.communicate()) for c in children]
    codes = [code for code, _, _ in results]
    for code, _, err in results:
        assert "Traceback" not in err
        if code != 0:
            line = " ".join(err.split())
            assert code == 3, err
            assert line == (
                f"错误 error: 另一个加载刚刚改变了数据集 {NAME!r} (another load changed dataset "
                f"{NAME!r} while this one was being planned: it is now at load 1); nothing was "
                "written, run the load again."
            )
    assert 0 in codes, results
    loads = [r.seq for r in neo4j_store.loads(NAME)]
    assert loads == ([1] if 3 in codes else [1, 2]), (codes, loads)
    held = neo4j_store.snapshot(NAME)
    assert held in (_expected(versions[0]), _expected(versions[1])), "the versions were mixed"
    if 3 in codes:  # the one that loaded is the one held
        assert held == _expected(versions[codes.index(0)])
