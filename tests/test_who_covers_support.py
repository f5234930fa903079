"""Shared data for the finder, who-covers and audit tests (helpers only, no tests here).

The sample and a one-street synthetic dataset are read once per session; ``neo4j_holding``
loads datasets into a Neo4j database emptied before and after (the same server as the
``neo4j_settings`` fixture of tests/neo4j_fixtures.py), for module-scoped fixtures that answer
many questions from one load.
"""

from __future__ import annotations

import functools
import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from shanzhi.graph.config import Settings
from shanzhi.graph.dataset import Dataset
from shanzhi.graph.embedded import EmbeddedStore
from shanzhi.graph.neo4j_store import Neo4jStore
from shanzhi.graph.store import load
from shanzhi.loaders import load_dataset
from shanzhi.sample import sample_path
from shanzhi.synth import synth

__all__ = ["embedded_holding", "neo4j_holding", "sample_dataset", "synth_dataset"]


@functools.cache
def sample_dataset() -> Dataset:
    """The 共和新路 sample (dataset name ``gonghexinlu``)."""
    return load_dataset(sample_path())


@functools.cache
def synth_dataset(
    streets: int = 1, seed: int = 11, gaps: bool = True
) -> tuple[Dataset, dict[str, Any]]:
    """A synthetic dataset named ``synth`` (with planted gaps unless asked), and its GAPS.json."""
    out = Path(tempfile.mkdtemp(prefix="shanzhi-synth-"))
    try:
        synth(out, streets=streets, seed=seed, gaps=gaps)
        gaps = json.loads((out / "GAPS.json").read_text(encoding="utf-8"))
        return load_dataset(out, name="synth"), gaps
    finally:
        shutil.rmtree(out, ignore_errors=True)


def embedded_holding(home: Path, *datasets: Dataset) -> EmbeddedStore:
    """An embedded store in ``home`` holding the datasets."""
    store = EmbeddedStore(home)
    for ds in datasets:
        load(store, ds)
    return store


@contextmanager
def neo4j_holding(settings: Settings, *datasets: Dataset) -> Iterator[Neo4jStore]:
    """A Neo4j store holding exactly the datasets, emptied again afterwards."""
    store = Neo4jStore.connect(settings)
    try:
        store.clear()
        for ds in datasets:
            load(store, ds)
        yield store
        store.clear()
    finally:
        store.close()
