""" "What changed in the last load" on a large dataset: the load record's cost and its answer time.

    .venv/bin/python bench/changes.py --clear                 # 15 synthetic streets, both stores
    .venv/bin/python bench/changes.py --clear --streets 240   # the city as one dataset (slow)
    .venv/bin/python bench/changes.py --embedded-only

Story (the same on the embedded store and on Neo4j, each from empty): load the synthetic dataset
(load 1), then an edited copy (``shanzhi.synth.edits.edited``: ``--edits`` people renamed, as many
HOLDS relations given a new end date and as many PARTNERS relations dropped; load 2). Timed,
median of ``--runs`` warm runs:

* ``changes(load 2)``: the library call ``shanzhi changes`` makes (Neo4j: cypher/changes.cypher
  by index; embedded: a walk of the graph);
* ``changes(load 1)``: the same for the first load, whose stamps cover nearly the whole dataset;
* baseline, same run: reading every uid and fingerprint of the dataset (``store.fingerprints``,
  what every load starts with), i.e. a full pass over the dataset. The ratio says how much of a
  full pass answering "what changed in the last load" costs.

Neo4j comes from NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD / NEO4J_DATABASE and is EMPTIED (hence
``--clear``). The cost of the stamps and indexes on the load itself is measured by
bench/load_neo4j.py (store vs bare CREATE, same run). A JSON summary goes to
bench/out/changes.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shanzhi.config import Settings
from shanzhi.graph.model.dataset import Dataset
from shanzhi.graph.queries.changes import changes
from shanzhi.graph.stores import GraphStore, load
from shanzhi.graph.stores.embedded import EmbeddedStore
from shanzhi.graph.stores.neo4j import Neo4jStore
from shanzhi.loaders import load_dataset
from shanzhi.synth import synth
from shanzhi.synth.edits import edited

OUT = Path(__file__).resolve().parent / "out"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def dataset_for(streets: int, seed: int) -> Dataset:
    """The synthetic dataset (generated once into bench/out, shared with bench/load_neo4j.py)."""
    folder = OUT / f"city-{streets}-{seed}" / "data"
    if not ((folder / "relations.csv").exists() and (folder / "GAPS.json").exists()):
        log(f"generating {streets} streets (seed {seed}) into {folder} ...")
        synth(folder, streets=streets, seed=seed)
    return load_dataset(folder, name=f"synth{streets}")


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """Median seconds of ``runs`` calls after one warm-up call, and the last result."""
    result = fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def story(store: GraphStore, ds: Dataset, ds2: Dataset, runs: int) -> dict[str, Any]:
    """Load 1 and load 2 into an empty store; time what ``changes`` answers for each."""
    start = time.perf_counter()
    first = load(store, ds)
    load1_s = time.perf_counter() - start
    start = time.perf_counter()
    second = load(store, ds2)
    load2_s = time.perf_counter() - start
    assert (first.load, second.load) == (1, 2), (first, second)
    last_s, last = timed(lambda: changes(store, ds.name), runs)
    first_s, older = timed(lambda: changes(store, ds.name, 1), max(1, runs // 2))
    base_s, held = timed(lambda: store.fingerprints(ds.name), runs)
    records = len(held.nodes) + len(held.relations)
    out = {
        "records": records,
        "load1_s": round(load1_s, 2),
        "load2_s": round(load2_s, 2),
        "load2_report": second.as_dict(),
        "changes_last_ms": round(last_s * 1000, 1),
        "changes_last_rows": len(last.rows),
        "changes_load1_ms": round(first_s * 1000, 1),
        "changes_load1_rows": len(older.rows),
        "baseline_full_pass_ms": round(base_s * 1000, 1),
        "ratio_last_to_full_pass": round(last_s / base_s, 3),
    }
    log(
        f"  {store.kind}: {records:,} records; load 1 {load1_s:.1f} s, load 2 {load2_s:.1f} s; "
        f"changes(last) {out['changes_last_ms']} ms / {len(last.rows)} rows; "
        f"changes(load 1) {out['changes_load1_ms']} ms / {len(older.rows)} rows; "
        f"full pass {out['baseline_full_pass_ms']} ms → ratio {out['ratio_last_to_full_pass']}"
    )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--streets", type=int, default=15)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--edits", type=int, default=100)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--clear", action="store_true", help="allow emptying the Neo4j database")
    ap.add_argument("--embedded-only", action="store_true")
    args = ap.parse_args()
    if not args.embedded_only and not args.clear:
        ap.error("--clear is required: the benchmark empties the Neo4j database")

    ds = dataset_for(args.streets, args.seed)
    ds2, changed = edited(ds, args.edits)
    log(
        f"{args.streets} streets: {len(ds.nodes):,} nodes, {len(ds.relations):,} relations; "
        f"load 2 changes {changed} records"
    )
    results: dict[str, Any] = {"streets": args.streets, "edits": args.edits, "runs": args.runs}
    with tempfile.TemporaryDirectory() as home:
        results["embedded"] = story(EmbeddedStore(home), ds, ds2, args.runs)
    if not args.embedded_only:
        settings = dataclasses.replace(Settings.from_env(), store="neo4j")
        with Neo4jStore.connect(settings) as store:
            store.clear()
            results["neo4j"] = story(store, ds, ds2, args.runs)
            store.clear()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "changes.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
