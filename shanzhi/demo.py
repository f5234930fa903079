"""The tour ``shanzhi demo`` gives: load the bundled sample, then ask it the everyday questions.

>>> import tempfile
>>> from shanzhi.graph.stores.embedded import EmbeddedStore
>>> tour = demo(EmbeddedStore(tempfile.mkdtemp()), pictures_dir=None)
>>> tour.stats["datasets"], tour.answer["building"]["name"]
(['gonghexinlu'], '嘉利明珠城12号楼')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shanzhi.graph.analytics.centrality import centrality
from shanzhi.graph.queries.audit import audit
from shanzhi.graph.queries.stats import stats
from shanzhi.graph.queries.who_covers import who_covers
from shanzhi.graph.stores import GraphStore, load
from shanzhi.graph.stores.sync import ProgressFn, SyncReport
from shanzhi.loaders import load_dataset
from shanzhi.sample import sample_path

__all__ = ["DEMO_BUILDING", "Tour", "demo"]

#: What the tour asks "who covers", typed the way people type it (full-width digits, 号 for 号楼).
DEMO_BUILDING = "嘉利明珠城１２号"


@dataclass
class Tour:
    """Everything the tour found, for the CLI to print."""

    report: SyncReport
    stats: dict[str, Any]
    answer: dict[str, Any]
    audit: dict[str, list[dict[str, Any]]]
    centrality: dict[str, Any]
    pictures: list[Path] = field(default_factory=list)


def demo(
    store: GraphStore,
    pictures_dir: Path | None,
    progress: ProgressFn | None = None,
) -> Tour:
    """Load the sample into ``store`` and run the tour; pictures go to ``pictures_dir`` if given."""
    report = load(store, load_dataset(sample_path()), progress)
    tour = Tour(
        report=report,
        stats=stats(store, "gonghexinlu"),
        answer=who_covers(store, DEMO_BUILDING),
        audit=audit(store),
        centrality=centrality(store, top=3),
    )
    if pictures_dir is not None:
        from shanzhi.viz import write_demo_pictures

        tour.pictures = write_demo_pictures(store, pictures_dir)
    return tour
