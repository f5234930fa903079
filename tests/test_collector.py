"""The cyclic garbage collector is paused during bulk work and left exactly as it was found."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from shanzhi import collector
from shanzhi.errors import DataError
from shanzhi.graph.stores import load
from shanzhi.graph.stores.embedded import EmbeddedStore
from shanzhi.loaders import load_dataset
from shanzhi.sample import sample_path

DATA = Path(__file__).parent / "data"
SAMPLE = sample_path()


@pytest.fixture(params=[True, False], ids=["enabled", "disabled"])
def found(request: pytest.FixtureRequest) -> Iterator[bool]:
    """The collector set as a caller might have it, and restored after the test."""
    was = gc.isenabled()
    (gc.enable if request.param else gc.disable)()
    try:
        yield bool(request.param)
    finally:
        (gc.enable if was else gc.disable)()


def test_nested_pauses_resume_once_the_last_ends(found: bool) -> None:
    with collector.paused():
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled() is found


def test_a_failure_inside_still_resumes(found: bool) -> None:
    with pytest.raises(RuntimeError), collector.paused():
        raise RuntimeError("boom")
    assert gc.isenabled() is found


def test_reading_and_loading_leave_the_collector_as_found(found: bool, tmp_path: Path) -> None:
    seen: list[bool] = []

    def progress(stage: str, done: int, total: int) -> None:
        seen.append(gc.isenabled())

    ds = load_dataset(SAMPLE)
    assert gc.isenabled() is found
    report = load(EmbeddedStore(tmp_path / "home"), ds, progress)
    assert report.nodes.created == len(ds.nodes)
    assert seen and not any(seen)  # paused while the batches were written
    assert gc.isenabled() is found
    with pytest.raises(DataError):
        load_dataset(DATA / "broken" / "duplicate_id")
    assert gc.isenabled() is found
