"""Loading a synthetic dataset into Neo4j: the store's batched sync against two baselines.

    .venv/bin/python bench/load_neo4j.py --clear                   # district (15 streets) x3 + city
    .venv/bin/python bench/load_neo4j.py --clear --city-streets 0  # skip the city-scale load
    .venv/bin/python bench/load_neo4j.py --clear --streets 1 --runs 3 --per-row-sample 200

Uses the Neo4j of NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD / NEO4J_DATABASE and EMPTIES that
database between runs (hence ``--clear``; give it a database of its own). The data comes from
``shanzhi.synth`` (kept in ``bench/out/city-<streets>-<seed>/data``, reused when present) read with
``shanzhi.loaders.load_dataset``. Rows = nodes + relations. In the same run, on the same data:

* **store**: ``load(Neo4jStore, dataset)`` into an empty database with the store's constraints
  and indexes in place — fingerprints query, plan, ``UNWIND $rows … MERGE … SET`` batches, one
  managed transaction each. Median of ``--runs``.
* **(a) one MERGE per row**: the same MERGE/SET statements sent one row per auto-commit
  transaction. Far too slow for the whole dataset, so it is timed on a random sample of
  ``--per-row-sample`` nodes and as many relations (their end nodes loaded beforehand, untimed)
  and the per-row rates are extrapolated to the whole dataset (said so in the output).
  Median of ``--runs``.
* **(b) bare UNWIND … CREATE**: an empty database with no constraint, only a plain range index on
  ``Entity.uid`` (without it, matching relation ends would scan every node per row), nodes by
  ``UNWIND $rows AS row CREATE (n:Entity:<Label>) SET n = row.props`` and relations by MATCH of
  both ends then CREATE, same batch size, one transaction per batch; timed from the Dataset,
  like the store (turning records into rows included, fingerprints computed or not). Median
  of ``--runs``.

Ratios: store / (a) (target >= 100x) and store / (b) (target >= 0.5x), as throughput ratios.
Then, unless ``--city-streets 0``, a single city-scale load (240 streets, ~1.1 million nodes) into
an empty database, district by district (see ``city_load``), timed like **store** (target <= 10
minutes). ``--runs 0`` skips the comparison. A JSON summary ends the output
and is written to ``bench/out/load_neo4j.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

import neo4j

from shanzhi.config import Settings
from shanzhi.graph.model import Label, RelType
from shanzhi.graph.model.dataset import Dataset, StoredNode, StoredRelation
from shanzhi.graph.stores import load
from shanzhi.graph.stores.neo4j import Neo4jStore
from shanzhi.graph.stores.neo4j import cypher as q
from shanzhi.loaders import load_dataset
from shanzhi.synth import synth

OUT = Path(__file__).resolve().parent / "out"

BARE_INDEX = "CREATE INDEX bench_bare_uid IF NOT EXISTS FOR (n:Entity) ON (n.uid)"
DROP_BARE_INDEX = "DROP INDEX bench_bare_uid IF EXISTS"
BARE_NODES = {
    label: f"UNWIND $rows AS row CREATE (n:{q.ENTITY}:{label.value}) SET n = row.props"
    for label in Label
}
BARE_RELATIONS = {
    rel: (
        "UNWIND $rows AS row\n"
        f"MATCH (a:{q.ENTITY} {{uid: row.source}})\n"
        f"MATCH (b:{q.ENTITY} {{uid: row.target}})\n"
        f"CREATE (a)-[r:{rel.value}]->(b) SET r = row.props"
    )
    for rel in RelType
}
ROW_NODE = {
    label: (
        f"MERGE (n:{q.ENTITY} {{uid: $uid}})\n"
        f"SET n = $props, n:{label.value}\n"
        "REMOVE n" + "".join(f":{o.value}" for o in Label if o is not label)
    )
    for label in Label
}
ROW_RELATION = {
    rel: (
        f"MATCH (a:{q.ENTITY} {{uid: $source}})\n"
        f"MATCH (b:{q.ENTITY} {{uid: $target}})\n"
        f"MERGE (a)-[r:{rel.value} {{uid: $uid}}]->(b)\n"
        "SET r = $props"
    )
    for rel in RelType
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def dataset_for(streets: int, seed: int) -> tuple[Dataset, float]:
    """The synthetic dataset (generated once into bench/out) and the seconds it took to read."""
    folder = OUT / f"city-{streets}-{seed}" / "data"  # the layout bench/who_covers.py uses
    if not ((folder / "relations.csv").exists() and (folder / "GAPS.json").exists()):
        log(f"generating {streets} streets (seed {seed}) into {folder} ...")
        synth(folder, streets=streets, seed=seed)
    start = time.perf_counter()
    ds = load_dataset(folder, name=f"synth{streets}")
    return ds, time.perf_counter() - start


def schema_names() -> list[tuple[str, str]]:
    """(CONSTRAINT|INDEX, name) of every schema statement of the store."""
    return [(s.split()[1], s.split()[2]) for s in q.SCHEMA]


def drop_store_schema(store: Neo4jStore) -> None:
    with store._session() as session:
        for kind, name in schema_names():
            # Schema names cannot be parameters; these are the store's own SCHEMA constants.
            statement = f"DROP {kind} {name} IF EXISTS"
            session.run(statement).consume()
    store._schema_ready = False


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def store_load(store: Neo4jStore, ds: Dataset) -> float:
    """Seconds of one full sync into an empty database with the store's schema in place."""
    store.clear()
    store.ensure_schema()
    return timed(lambda: load(store, ds))


def _write(tx: neo4j.ManagedTransaction, statement: str, rows: list[dict[str, Any]]) -> None:
    tx.run(statement, rows=rows).consume()


def bare_load(store: Neo4jStore, ds: Dataset) -> float:
    """Seconds of UNWIND … CREATE batches into an empty database without constraints.

    Timed like the store's load, from the Dataset: turning it into rows is included.
    """
    store.clear()
    drop_store_schema(store)
    with store._session() as session:
        session.run(BARE_INDEX).consume()
        session.run(q.AWAIT_INDEXES, seconds=300).consume()

        def run() -> None:
            nodes = list(ds.stored_nodes())
            rels = list(ds.stored_relations())
            for label in Label:
                rows = [n.as_row() for n in nodes if n.label == label.value]
                for i in range(0, len(rows), store.batch_size):
                    chunk = rows[i : i + store.batch_size]
                    session.execute_write(_write, BARE_NODES[label], chunk)
            for rel in RelType:
                rows = [r.as_row() for r in rels if r.type == rel.value]
                for i in range(0, len(rows), store.batch_size):
                    chunk = rows[i : i + store.batch_size]
                    session.execute_write(_write, BARE_RELATIONS[rel], chunk)

        seconds = timed(run)
    held = store.query("MATCH (n:Entity) RETURN count(n) AS n")[0]["n"]
    assert held == len(ds.nodes), (held, len(ds.nodes))
    store.clear()
    with store._session() as session:
        session.run(DROP_BARE_INDEX).consume()
    store.ensure_schema()
    return seconds


def per_row_rates(
    store: Neo4jStore, ds: Dataset, sample: int, rng: random.Random
) -> dict[str, float]:
    """Rows per second of one MERGE per row (auto-commit), for nodes and for relations."""
    store.clear()
    store.ensure_schema()
    nodes: list[StoredNode] = rng.sample(list(ds.stored_nodes()), sample)
    rels: list[StoredRelation] = rng.sample(list(ds.stored_relations()), sample)
    with store._session() as session:

        def run_nodes() -> None:
            for n in nodes:
                session.run(ROW_NODE[Label(n.label)], uid=n.uid, props=n.props).consume()

        node_s = timed(run_nodes)
        ends = {r.source for r in rels} | {r.target for r in rels}
        end_nodes = [n for n in ds.stored_nodes() if n.uid in ends]
        for label in Label:  # the sampled relations' end nodes, untimed
            rows = [n.as_row() for n in end_nodes if n.label == label.value]
            for i in range(0, len(rows), store.batch_size):
                session.execute_write(_write, q.UPSERT_NODES[label], rows[i : i + store.batch_size])

        def run_rels() -> None:
            for r in rels:
                session.run(
                    ROW_RELATION[RelType(r.type)],
                    uid=r.uid,
                    source=r.source,
                    target=r.target,
                    props=r.props,
                ).consume()

        rel_s = timed(run_rels)
    store.clear()
    return {"nodes_per_s": sample / node_s, "relations_per_s": sample / rel_s}


def subset(ds: Dataset, nodes: int) -> Dataset:
    """The first ``nodes`` nodes of a dataset and the relations among them."""
    kept = ds.nodes[:nodes]
    ids = {n.id for n in kept}
    rels = tuple(r for r in ds.relations if r.source_id in ids and r.target_id in ids)
    return Dataset(ds.name, kept, rels)


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def city_load(store: Neo4jStore, streets: int, seed: int) -> dict[str, Any]:
    """One city-scale load into an empty database, district by district.

    A whole city as one ``Dataset`` takes more memory than a shared machine may have, so each
    district folder (as ``bench/who_covers.py`` splits them) is read and loaded as a dataset of
    its own, one after another, into the same database; the time is that of the ``load`` calls
    (reading the CSVs is reported apart). The database ends with the whole city in it.
    """
    from who_covers import split_by_district  # bench/ is on sys.path when run as a script

    root = OUT / f"city-{streets}-{seed}"
    data = root / "data"
    if not ((data / "relations.csv").exists() and (data / "GAPS.json").exists()):
        log(f"generating {streets} streets (seed {seed}) into {data} ...")
        synth(data, streets=streets, seed=seed)
    parts = split_by_district(data, root / "parts")
    store.clear()
    store.ensure_schema()
    nodes = relations = 0
    read_s = load_s = 0.0
    for i, part in enumerate(parts, 1):
        start = time.perf_counter()
        ds = load_dataset(part, name=f"city-{part.name}")
        read_s += time.perf_counter() - start
        load_s += timed(partial(load, store, ds))
        nodes += len(ds.nodes)
        relations += len(ds.relations)
        log(
            f"city part {part.name} ({i}/{len(parts)}): {nodes:,} nodes, {relations:,} relations "
            f"loaded in {load_s:.0f} s so far; load average {os.getloadavg()[0]:.1f}"
        )
        last = ds
        del ds
    held = store.query("MATCH (n:Entity) RETURN count(n) AS n")[0]["n"]
    assert held == nodes, (held, nodes)
    again = timed(partial(load, store, last))
    rows = nodes + relations
    print(
        f"\nCity scale ({streets} streets, {len(parts)} district datasets loaded one after "
        f"another): {nodes:,} nodes + {relations:,} relations in {load_s / 60:.1f} min "
        f"({rows / load_s:,.0f} rows/s; single run; target <= 10 min). Reading the CSVs took "
        f"{read_s:.0f} s more (not included). Reloading the last district unchanged, with the "
        f"whole city held, took {again:.1f} s."
    )
    store.clear()
    return {
        "streets": streets,
        "districts": len(parts),
        "nodes": nodes,
        "relations": relations,
        "load_s": load_s,
        "rows_per_s": rows / load_s,
        "read_csv_s": read_s,
        "reload_last_district_unchanged_s": again,
    }


def compare(args: argparse.Namespace, store: Neo4jStore, packer: str) -> dict[str, Any]:
    """The store's load against (a) and (b) on the same data, ``args.runs`` times each."""
    rng = random.Random(args.seed)
    ds, read_s = dataset_for(args.streets, args.seed)
    rows = len(ds.nodes) + len(ds.relations)
    log(
        f"{args.streets} streets: {len(ds.nodes):,} nodes + {len(ds.relations):,} relations "
        f"= {rows:,} rows (read in {read_s:.1f} s); batch size {store.batch_size}; "
        f"driver packstream: {packer}; load average {os.getloadavg()[0]:.1f}"
    )

    # Warm-up, untimed: the server plans every statement once and the JIT compiles its paths.
    small = subset(ds, min(len(ds.nodes), 3000))
    store_load(store, small)
    bare_load(store, small)
    per_row_rates(store, small, min(20, len(small.relations)), rng)

    store_s: list[float] = []
    bare_s: list[float] = []
    row_rates: list[dict[str, float]] = []
    for run in range(1, args.runs + 1):
        store_s.append(store_load(store, ds))
        log(f"run {run}: store {store_s[-1]:.1f} s ({rows / store_s[-1]:,.0f} rows/s)")
        bare_s.append(bare_load(store, ds))
        log(f"run {run}: bare UNWIND…CREATE {bare_s[-1]:.1f} s ({rows / bare_s[-1]:,.0f} rows/s)")
        row_rates.append(per_row_rates(store, ds, args.per_row_sample, rng))
        r = row_rates[-1]
        log(
            f"run {run}: one MERGE per row: {r['nodes_per_s']:,.0f} nodes/s, "
            f"{r['relations_per_s']:,.0f} relations/s (sample of {args.per_row_sample} each)"
        )

    node_rate = median([r["nodes_per_s"] for r in row_rates])
    rel_rate = median([r["relations_per_s"] for r in row_rates])
    per_row_s = len(ds.nodes) / node_rate + len(ds.relations) / rel_rate
    summary: dict[str, Any] = {
        "streets": args.streets,
        "nodes": len(ds.nodes),
        "relations": len(ds.relations),
        "rows": rows,
        "runs": args.runs,
        "batch_size": store.batch_size,
        "packstream": packer,
        "store_s": store_s,
        "bare_create_s": bare_s,
        "per_row_rates": row_rates,
        "store_rows_per_s": rows / median(store_s),
        "bare_create_rows_per_s": rows / median(bare_s),
        "per_row_rows_per_s_extrapolated": rows / per_row_s,
        "per_row_extrapolated_s": per_row_s,
    }
    summary["ratio_vs_per_row"] = (
        summary["store_rows_per_s"] / summary["per_row_rows_per_s_extrapolated"]
    )
    summary["ratio_vs_bare_create"] = (
        summary["store_rows_per_s"] / summary["bare_create_rows_per_s"]
    )

    print(
        f"\nLoad of {args.streets} synthetic streets ({rows:,} rows) into Neo4j, "
        f"median of {args.runs} runs:"
    )
    print(
        f"  store (UNWIND MERGE/SET batches)   {summary['store_rows_per_s']:>10,.0f} rows/s  "
        f"{median(store_s):7.1f} s"
    )
    print(
        f"  (b) bare UNWIND … CREATE           {summary['bare_create_rows_per_s']:>10,.0f} rows/s  "
        f"{median(bare_s):7.1f} s"
    )
    print(
        f"  (a) one MERGE per row (auto-commit) {rows / per_row_s:>9,.0f} "
        f"rows/s  {per_row_s:7.1f} s  extrapolated from {args.per_row_sample} nodes + "
        f"{args.per_row_sample} relations per run"
    )
    print(f"  store vs (a): {summary['ratio_vs_per_row']:.0f}x   (target >= 100x)")
    print(f"  store vs (b): {summary['ratio_vs_bare_create']:.2f}x  (target >= 0.5x)")
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--streets", type=int, default=15, help="size of the comparison dataset")
    ap.add_argument("--city-streets", type=int, default=240, help="city-scale load; 0 skips it")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--per-row-sample", type=int, default=500)
    ap.add_argument("--clear", action="store_true", help="allow emptying the database")
    args = ap.parse_args(argv)

    settings = Settings.from_env(store="neo4j")
    store = Neo4jStore.connect(settings)
    held = store.query("MATCH (n) RETURN count(n) AS n")[0]["n"]
    if held and not args.clear:
        log(
            f"the database {settings.neo4j_database!r} at {settings.neo4j_uri} holds {held:,} "
            "nodes; this benchmark empties it: run again with --clear."
        )
        return 2
    try:
        packer = f"neo4j-rust-ext {metadata.version('neo4j-rust-ext')}"
    except metadata.PackageNotFoundError:
        packer = "pure Python"

    summary: dict[str, Any] = {"packstream": packer}
    if args.runs:
        summary.update(compare(args, store, packer))
    if args.city_streets:
        summary["city"] = city_load(store, args.city_streets, args.seed)
    summary["load_average_end"] = os.getloadavg()[0]
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "load_neo4j.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary))
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
