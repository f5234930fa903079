"""Every query of the analysts' library (shanzhi/cypher/*.cypher) timed on a city-scale graph.

    .venv/bin/python bench/cypher_queries.py --load                  # synth 240 streets, load, time
    .venv/bin/python bench/cypher_queries.py --load --layout districts   # the same, less memory
    .venv/bin/python bench/cypher_queries.py                         # time what Neo4j holds
    .venv/bin/python bench/cypher_queries.py --runs 9 --only org_leads,shortest_path --profile

Uses the Neo4j of NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD / NEO4J_DATABASE; ``--load`` EMPTIES that
database and loads the synthetic city (``shanzhi.synth``, 240 streets in 16 districts, ~1.1
million nodes and ~2.1 million relations; generated once into ``--data``) with
``shanzhi.graph.stores.load`` — give it a database of its own. Layouts:

* ``one`` (default): the city as one dataset ``city``; reading it takes ~6 GB of memory.
* ``districts``: each district as its own dataset ``city-D01`` … ``city-D16``, loaded one after
  the other (~1/16 of the memory). No record of the synthetic city refers across districts, so
  Neo4j holds the same graph; the queries are then run for every dataset (``dataset`` null), so
  they cover the whole city, except ``provenance``, which is about one dataset (one district).

After loading, ``--load`` loads the first dataset once more with ``EDITS`` people renamed, as many
HOLDS re-dated and PARTNERS dropped (``shanzhi.synth.edits``), so that ``changes`` (the last load)
has a small second load to answer for.

Each query runs as ``shanzhi cypher run`` runs it: ``store.run_read_query`` in a READ transaction,
every row fetched (one collected list for an answer in no promised order, row by row for an ordered
one). Parameters are the header's example values, with the sample's ids replaced by ids of the
loaded city picked before timing (the first branch, block, community, road … by id; printed with the
results). A few queries are timed twice, on a small and on a large scope (``org_leads@street``: a
street's 党工委 instead of a branch; ``project_matrix@all``, ``road_chief_roster@all``,
``provenance@all``: every street, road or source file instead of one; ``changes@first``: the first
load of a dataset, ~200,000 rows, instead of the last, small one; ``shortest_path@far``: two actors
in different districts, so that no path within 8 steps exists). Warm: one untimed run first, then
the median, min and max of ``--runs`` timed runs; the EXPLAIN that ``run`` sends before each query
(the read-only check) is timed separately.
Target: every median <= 1 s.
A JSON summary is written to ``bench/out/cypher_queries.json``.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import os
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j

from shanzhi.config import Settings
from shanzhi.cypher import names, query
from shanzhi.cypher.runner import coerce_params
from shanzhi.graph.stores import load
from shanzhi.graph.stores.neo4j import Neo4jStore
from shanzhi.graph.stores.sync import ProgressFn
from shanzhi.loaders import load_dataset
from shanzhi.synth import REFERENCE_DATE, synth
from shanzhi.synth.edits import edited

OUT = Path(__file__).resolve().parent / "out"
DATASET = "city"
TARGET_S = 1.0
#: People renamed, HOLDS re-dated and PARTNERS dropped in the second load of the first dataset.
EDITS = 100

#: Look-ups (untimed) for ids of the loaded city: name -> (Cypher, column).
_PICKS: dict[str, str] = {
    "branch": "MATCH (o:Org {kind: 'party_branch'}) WHERE o.dataset = $d "
    "RETURN o.id AS v ORDER BY v LIMIT 1",
    "pwc": "MATCH (o:Org {kind: 'party_working_committee'}) WHERE o.dataset = $d "
    "RETURN o.id AS v ORDER BY v LIMIT 1",
    "street": "MATCH (g:Grid {level: 'street'}) WHERE g.dataset = $d "
    "RETURN g.id AS v ORDER BY v LIMIT 1",
    "block": "MATCH (g:Grid {level: 'block'}) WHERE g.dataset = $d "
    "RETURN g.id AS v ORDER BY v LIMIT 1",
    "block2": "MATCH (g:Grid {level: 'block'}) WHERE g.dataset = $d "
    "RETURN g.id AS v ORDER BY v SKIP 1 LIMIT 1",
    "community": "MATCH (g:Grid {level: 'community'}) WHERE g.dataset = $d "
    "RETURN g.id AS v ORDER BY v LIMIT 1",
    "road": "MATCH (p:Place {kind: 'road'}) WHERE p.dataset = $d "
    "RETURN p.id AS v ORDER BY v LIMIT 1",
    "building_uid": "MATCH (p:Place {kind: 'building'}) WHERE p.dataset = $d "
    "RETURN p.uid AS v ORDER BY v LIMIT 1",
    "leader": "MATCH (p:Person)-[h:HOLDS {role: '楼组长'}]->() WHERE p.dataset = $d "
    "RETURN p.id AS v ORDER BY v LIMIT 1",
    "merchant": "MATCH (o:Org {kind: 'merchant'}) WHERE o.dataset = $d "
    "RETURN o.id AS v ORDER BY v LIMIT 1",
    "far_merchant": "MATCH (o:Org {kind: 'merchant'}) WHERE o.dataset = $d "
    "RETURN o.id AS v ORDER BY v DESC LIMIT 1",
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def settings_from_env() -> Settings:
    """Settings from NEO4J_* (the store is Neo4j whatever SHANZHI_STORE says)."""
    return dataclasses.replace(Settings.from_env(), store="neo4j")


def _progress(start: float) -> ProgressFn:
    last = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        if time.perf_counter() - last[0] > 30:
            last[0] = time.perf_counter()
            log(f"  {stage}: {done:,}/{total:,} ({time.perf_counter() - start:.0f} s)")

    return progress


def _districts(data: Path) -> Iterator[tuple[str, Path]]:
    """The city's CSVs split by district (the ``Dnn-`` prefix of every id), written once."""
    folder = data.with_name(data.name + "-by-district")
    if not (folder / "done").exists():
        writers: dict[tuple[str, str], Any] = {}
        files: list[Any] = []
        for table in sorted(data.glob("*.csv")):
            with table.open(encoding="utf-8", newline="") as fh:
                rows = csv.reader(fh)
                header = next(rows)
                for row in rows:
                    district = row[0].split("-", 1)[0]
                    key = (district, table.name)
                    if key not in writers:
                        (folder / district).mkdir(parents=True, exist_ok=True)
                        out = (folder / district / table.name).open(
                            "w", encoding="utf-8", newline=""
                        )
                        files.append(out)
                        writers[key] = csv.writer(out, lineterminator="\n")
                        writers[key].writerow(header)
                    writers[key].writerow(row)
        for out in files:
            out.close()
        (folder / "done").write_text("", encoding="utf-8")
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        yield f"{DATASET}-{sub.name}", sub


def load_city(store: Neo4jStore, data: Path, streets: int, seed: int, layout: str) -> list[str]:
    """Empty the database, load the synthetic city; the names of the datasets loaded."""
    if not (data / "relations.csv").exists():
        log(f"generating {streets} streets (seed {seed}) into {data} ...")
        synth(data, streets=streets, seed=seed)
    log("emptying the database ...")
    store.clear()
    parts = [(DATASET, data)] if layout == "one" else list(_districts(data))
    start = time.perf_counter()
    for name, folder in parts:
        ds = load_dataset(folder, name=name)
        report = load(store, ds, _progress(start))
        del ds
        log(f"  {name} loaded ({time.perf_counter() - start:.0f} s): {report}")
    name, folder = parts[0]
    later, changed = edited(load_dataset(folder, name=name), EDITS)
    report = load(store, later)
    log(f"  {name} loaded again with {changed} records edited (load {report.load}): {report}")
    return [name for name, _ in parts]


def held(store: Neo4jStore) -> list[str]:
    """The city's datasets the database holds."""
    names = [d for d in store.datasets() if d == DATASET or d.startswith(DATASET + "-D")]
    if not names:
        raise SystemExit(
            f"no dataset {DATASET!r} (or {DATASET}-Dnn) in Neo4j: load it with --load."
        )
    return names


def picks(store: Neo4jStore, datasets: list[str]) -> dict[str, Any]:
    """Ids of the loaded city for the queries' parameters (far_merchant from the last dataset)."""
    found: dict[str, Any] = {}
    for key, cypher in _PICKS.items():
        d = datasets[-1] if key == "far_merchant" else datasets[0]
        rows = store.query(cypher, {"d": d})
        if not rows:
            raise SystemExit(f"no {key} in dataset {d!r}: load it with --load first.")
        found[key] = rows[0]["v"]
    return found


def cases(found: dict[str, Any], datasets: list[str]) -> list[tuple[str, str, dict[str, str]]]:
    """(label, query name, raw parameters) for every library query, plus the large-scope ones.

    One dataset: every query is scoped by it. Several (one per district): queries that may run
    for every dataset do (``dataset`` left out, so null); the others get the first.
    """
    on = REFERENCE_DATE.isoformat()
    first = datasets[0]
    overrides: dict[str, dict[str, str]] = {
        "org_leads": {"org": found["branch"], "on": on},
        "block_circle_members": {"block": found["block"], "on": on},
        "project_matrix": {"street": found["street"]},
        "people_many_posts": {"more_than": "2", "on": on},
        "posts_ending": {"on": on, "days": "30"},
        "shortest_path": {"source": found["leader"], "target": found["merchant"]},
        "road_chief_roster": {"road": found["road"], "from": "2026-01-01", "to": "2026-12-31"},
        "community_buildings": {"community": found["community"], "on": on},
        "shared_partners": {"block_a": found["block"], "block_b": found["block2"]},
        "provenance": {"source_file": "grids.csv"},
        "changes": {},  # the last load of the first dataset: --load edits it once (EDITS)
        "who_covers": {"building_uid": found["building_uid"], "on": on},
        "circle": {"block": f"{first}:{found['block']}"},
        "centrality_history": {"block": f"{first}:{found['block']}"},
        "stats": {},
    }
    out: list[tuple[str, str, dict[str, str]]] = []
    for name in names():
        q = query(name)
        raw = {p.name: p.example for p in q.params if p.example is not None}
        dataset = q.param("dataset")
        if dataset is not None and dataset.optional and len(datasets) > 1:
            del raw["dataset"]
        elif dataset is not None:
            raw["dataset"] = first
        if "on" in raw and q.param("on") is not None:
            raw["on"] = on
        raw.update(overrides.get(name, {}))
        if name == "changes":
            del raw["load"]  # null: the last load
        out.append((name, name, raw))
        if name == "org_leads":
            out.append(("org_leads@street", name, {**raw, "org": found["pwc"]}))
        if name == "project_matrix":
            out.append(("project_matrix@all", name, _without(raw, "street")))
        if name == "shortest_path":
            out.append(("shortest_path@far", name, {**raw, "target": found["far_merchant"]}))
        if name == "road_chief_roster":
            out.append(("road_chief_roster@all", name, _without(raw, "road")))
        if name == "provenance":
            out.append(("provenance@all", name, _without(raw, "source_file")))
        if name == "changes":
            out.append(("changes@first", name, {**raw, "load": "1"}))
    return out


def _without(raw: dict[str, str], key: str) -> dict[str, str]:
    return {k: v for k, v in raw.items() if k != key}


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def time_case(
    store: Neo4jStore, name: str, raw: dict[str, str], runs: int, profile: bool
) -> dict[str, Any]:
    """Warm run, then ``runs`` timed runs of the query and of its EXPLAIN."""
    q = query(name)
    params = coerce_params(q, raw)
    rows = store.run_read_query(name, params)
    samples, explains = [], []
    for _ in range(runs):
        start = time.perf_counter()
        store.query_type(q.text, params)
        explains.append(time.perf_counter() - start)
        start = time.perf_counter()
        rows = store.run_read_query(name, params)
        samples.append(time.perf_counter() - start)
    result: dict[str, Any] = {
        "median_ms": _ms(statistics.median(samples)),
        "min_ms": _ms(min(samples)),
        "max_ms": _ms(max(samples)),
        "explain_ms": _ms(statistics.median(explains)),
        "rows": len(rows),
        "params": params,
        "ok": statistics.median(samples) <= TARGET_S,
    }
    if profile:
        result["db_hits"] = _db_hits(store, q.text, params)
    return result


def _db_hits(store: Neo4jStore, text: str, params: dict[str, Any]) -> int | None:
    """Total db hits of a PROFILE run (None when Neo4j cannot profile the query)."""
    try:
        with store._session() as session:  # the store keeps PROFILE plans to itself
            result = session.run("PROFILE " + text, params)
            list(result)
            summary = result.consume()
    except neo4j.exceptions.Neo4jError:
        return None

    def total(op: dict[str, Any]) -> int:
        return int(op.get("dbHits", 0)) + sum(total(c) for c in op.get("children", []))

    return total(summary.profile or {})


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--load", action="store_true", help="empty the database and load the city")
    ap.add_argument("--layout", choices=["one", "districts"], default="one")
    ap.add_argument("--data", type=Path, default=OUT / "city-240-1", help="synthetic data folder")
    ap.add_argument("--streets", type=int, default=240)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default="", help="comma-separated labels to time (default: all)")
    ap.add_argument("--profile", action="store_true", help="also report each query's db hits")
    args = ap.parse_args()

    settings = settings_from_env()
    log(f"Neo4j at {settings.neo4j_uri} (database {settings.neo4j_database})")
    with Neo4jStore.connect(settings) as store:
        if args.load:
            load_city(store, args.data, args.streets, args.seed, args.layout)
        store.ensure_schema()
        datasets = held(store)
        nodes = store.query(
            "MATCH (n:Entity) WHERE n.dataset IN $ds RETURN count(n) AS n", {"ds": datasets}
        )
        found = picks(store, datasets)
        log(f"{len(datasets)} datasets, {nodes[0]['n']:,} nodes; picked {found}")
        only = {s.strip() for s in args.only.split(",") if s.strip()}
        results: dict[str, Any] = {}
        print(f"{'query':28} {'median ms':>10} {'min':>8} {'max':>8} {'explain':>8} {'rows':>7}")
        for label, name, raw in cases(found, datasets):
            if only and label not in only and name not in only:
                continue
            r = time_case(store, name, raw, args.runs, args.profile)
            results[label] = r
            flag = "" if r["ok"] else "  > 1 s"
            hits = f"  {r['db_hits']:,} db hits" if r.get("db_hits") is not None else ""
            print(
                f"{label:28} {r['median_ms']:>10.1f} {r['min_ms']:>8.1f} {r['max_ms']:>8.1f} "
                f"{r['explain_ms']:>8.1f} {r['rows']:>7}{flag}{hits}",
                flush=True,
            )
    summary = {
        "datasets": datasets,
        "nodes": nodes[0]["n"],
        "runs": args.runs,
        "target_ms": TARGET_S * 1000,
        "neo4j_uri": os.environ.get("NEO4J_URI", settings.neo4j_uri),
        "queries": results,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "cypher_queries.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    slow = [k for k, v in results.items() if not v["ok"]]
    print(
        f"{len(results) - len(slow)}/{len(results)} queries within {TARGET_S:.0f} s"
        + (f"; slower: {', '.join(slow)}" if slow else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
