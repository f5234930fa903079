"""The routing tests' store: the sample in an embedded home of the test module's own."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from shanzhi.graph.stores import load
from shanzhi.graph.stores.embedded.store import EmbeddedStore
from shanzhi.loaders import load_dataset
from shanzhi.sample import sample_path


@pytest.fixture(scope="module")
def store() -> Iterator[EmbeddedStore]:
    home = Path(tempfile.mkdtemp(prefix="shanzhi-route-"))
    try:
        s = EmbeddedStore(home)
        load(s, load_dataset(sample_path()))
        yield s
    finally:
        shutil.rmtree(home, ignore_errors=True)
