"""Deterministic synthetic datasets of any size, in the canonical format of docs/records.md.

``synth(out, streets, seed)`` writes grids.csv, places.csv, orgs.csv, people.csv, projects.csv and
relations.csv (English headers, UTF-8, LF line ends, and an ``origin`` column saying ``synthetic``
on every row, as the sample marks invented rows; ``source`` is a reserved property name) with
the shapes and fan-outs of the 共和新路 sample, plus GAPS.json listing the coverage gaps planted
for the audit to find. Streets are grouped into districts of 15; ids are unique across the whole
dataset (``D03-S07-B2-C14-BLD-031``). The same seed and size give byte-identical files.

One street is ~4,700 nodes; a district (15 streets) ~70,000; a city (240 streets) ~1.1 million.

GAPS.json holds ``reference_date`` and, under each audit kind of docs/cli.md
(``uncovered_buildings``: building places; ``unled_grids``: building and branch grids, with their
``level``; ``groups_without_party_member``: 楼管小组 orgs; ``branches_without_liaison``: party
branch orgs; ``vacant_posts``: building grids with no 楼组长 on the reference date, with ``role``
and ``since``), the ``id`` and ``name`` of every planted gap — and nothing else in the data is a
gap. Per street: one of each kind, and one unled grid at each of the building and branch levels.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as d:
...     summary = synth(pathlib.Path(d), streets=1, seed=7)
...     sorted(p.name for p in pathlib.Path(d).iterdir())
['GAPS.json', 'grids.csv', 'orgs.csv', 'people.csv', 'places.csv', 'projects.csv', 'relations.csv']
>>> summary.gaps["uncovered_buildings"], summary.districts
(1, 1)
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from shanzhi.errors import UsageError
from shanzhi.synth.gaps import GAP_KINDS, GapRecord
from shanzhi.synth.shape import REFERENCE_DATE, SHAPE, Shape
from shanzhi.synth.sink import HEADERS, ORIGIN, Sink
from shanzhi.synth.street import StreetPlan, write_district, write_street

if TYPE_CHECKING:  # the type only: importing graph.sync would load pydantic for nothing
    from shanzhi.graph.stores.sync import ProgressFn

__all__ = [
    "GAP_KINDS",
    "HEADERS",
    "ORIGIN",
    "REFERENCE_DATE",
    "SHAPE",
    "Shape",
    "SynthSummary",
    "synth",
]


@dataclass(frozen=True)
class SynthSummary:
    """What ``synth`` wrote: rows per file, nodes by label:kind, relations, gaps, time taken."""

    out: str
    streets: int
    districts: int
    seed: int
    rows: dict[str, int]
    nodes: int
    relations: int
    by_kind: dict[str, int]
    gaps: dict[str, int]
    seconds: float

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict."""
        return asdict(self)

    def __str__(self) -> str:
        lines = [
            f"synthetic dataset in {self.out}: {self.streets} streets in {self.districts} "
            f"districts, seed {self.seed}, {self.seconds:.1f} s",
            f"  nodes {self.nodes:,}   relations {self.relations:,}",
        ]
        lines += [f"  {name}.csv  {count:,} rows" for name, count in self.rows.items()]
        lines.append("  planted gaps: " + ", ".join(f"{k} {v}" for k, v in self.gaps.items()))
        return "\n".join(lines)


def synth(
    out: Path,
    streets: int,
    seed: int = 0,
    gaps: bool = True,
    progress: ProgressFn | None = None,
    shape: Shape = SHAPE,
) -> SynthSummary:
    """Write a synthetic dataset of ``streets`` streets into folder ``out``; return the counts.

    ``gaps=False`` plants no coverage gaps; otherwise each street gets one gap of each audit kind
    (and one unled grid at each of the building and branch levels), listed in ``out/GAPS.json``
    for the reference date ``REFERENCE_DATE``. Files already in ``out`` are overwritten.
    ``progress("streets", done, total)`` is called after each street.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     s = synth(pathlib.Path(d), streets=2, seed=1, gaps=False)
    >>> s.streets, sum(s.gaps.values()), s.rows["grids"] > 500
    (2, 0, True)
    """
    if streets < 1:
        raise UsageError(f"streets must be at least 1, not {streets}")
    started = time.perf_counter()
    record = GapRecord()
    per = shape.streets_per_district
    with Sink(Path(out)) as sink:
        for n in range(streets):
            plan = StreetPlan(seed, n // per + 1, n % per + 1, gaps, shape)
            if plan.street == 1:
                write_district(sink, plan)
            write_street(sink, plan, record)
            if progress is not None:
                progress("streets", n + 1, streets)
    summary = SynthSummary(
        out=str(out),
        streets=streets,
        districts=(streets - 1) // per + 1,
        seed=seed,
        rows={name: sink.rows[name] for name in HEADERS},
        nodes=sink.nodes,
        relations=sink.relations,
        by_kind=dict(sorted(sink.kinds.items())),
        gaps=record.counts(),
        seconds=round(time.perf_counter() - started, 3),
    )
    _write_gaps(Path(out), summary, record)
    return summary


def _write_gaps(out: Path, summary: SynthSummary, record: GapRecord) -> None:
    """GAPS.json: the planted gaps by audit kind, for the reference date, with the counts."""
    doc = {
        "origin": ORIGIN,
        "seed": summary.seed,
        "streets": summary.streets,
        "reference_date": REFERENCE_DATE.isoformat(),
        "counts": summary.gaps,
        **record.found,
        "nodes": summary.nodes,
        "relations": summary.relations,
        "rows": summary.rows,
    }
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    (out / "GAPS.json").write_text(text + "\n", encoding="utf-8")
