"""Every query of the analysts' library (shanzhi/cypher/*.cypher) timed on a city-scale graph.

    .venv/bin/python bench/cypher_queries.py --load                  # synth 240 streets, load, time
    .venv/bin/python bench/cypher_queries.py                         # time what Neo4j holds
    .venv/bin/python bench/cypher_queries.py --runs 9 --only org_leads,shortest_path --profile

Uses the Neo4j of NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD / NEO4J_DATABASE; ``--load`` EMPTIES that
database and loads the synthetic city (``shanzhi.synth``, 240 streets, ~1.1 million nodes and
~2.1 million relations; generated once into ``--data``) as dataset ``city`` with
``shanzhi.graph.store.load`` — give it a database of its own.

Each query runs as ``shanzhi cypher run`` runs it: ``store.query`` in a READ transaction, every
row fetched. Parameters are the header's example values, with the sample's ids replaced by ids
of the loaded city picked before timing (the first branch, block, community, road … by id;
printed with the results). A few queries are timed twice, on a small and on a large scope
(``org_leads@street``: a street's 党工委 instead of a branch; ``shortest_path@far``: two actors
in different districts, so that no path within 8 steps exists). Warm: one untimed run first,
then the median, min and max of ``--runs`` timed runs; the EXPLAIN that ``run`` sends before
each query (the read-only check) is timed separately. Target: every median <= 1 s.
A JSON summary is written to ``bench/out/cypher_queries.json``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import neo4j

from shanzhi.cypher import names, query
from shanzhi.cypher.runner import coerce_params
from shanzhi.graph.config import Settings
from shanzhi.graph.neo4j_store import Neo4jStore
from shanzhi.graph.store import load
from shanzhi.loaders import load_dataset
from shanzhi.synth import REFERENCE_DATE, synth

OUT = Path(__file__).resolve().parent / "out"
DATASET = "city"
TARGET_S = 1.0

#: Look-ups (untimed) for ids of the loaded city: name -> (Cypher, column).
_PICKS: dict[str, str] = {
    "branch": "MATCH (o:Org {kind: 'party_branch'}) WHERE o.dataset = $d "
    "RETURN o.id AS v ORDER BY v LIMIT 1",
    "pwc": "MATCH (o:Org {kind: 'party_working_committee'}) WHERE o.dataset = $d "
    "RETURN o.id AS v ORDER BY v LIMIT 1",
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


def load_city(store: Neo4jStore, data: Path, streets: int, seed: int) -> None:
    """Empty the database and load the synthetic city as dataset ``city``."""
    if not (data / "relations.csv").exists():
        log(f"generating {streets} streets (seed {seed}) into {data} ...")
        synth(data, streets=streets, seed=seed)
    start = time.perf_counter()
    ds = load_dataset(data, name=DATASET)
    log(f"read {data} in {time.perf_counter() - start:.0f} s; emptying the database ...")
    store.clear()
    start = time.perf_counter()
    last = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        if time.perf_counter() - last[0] > 30:
            last[0] = time.perf_counter()
            log(f"  {stage}: {done:,}/{total:,} ({time.perf_counter() - start:.0f} s)")

    report = load(store, ds, progress)
    log(f"loaded in {time.perf_counter() - start:.0f} s: {report}")


def picks(store: Neo4jStore) -> dict[str, Any]:
    """Ids of the loaded city for the queries' parameters."""
    found: dict[str, Any] = {}
    for key, cypher in _PICKS.items():
        rows = store.query(cypher, {"d": DATASET})
        if not rows:
            raise SystemExit(f"no {key} in dataset {DATASET!r}: load it with --load first.")
        found[key] = rows[0]["v"]
    return found


def cases(found: dict[str, Any]) -> list[tuple[str, str, dict[str, str]]]:
    """(label, query name, raw parameters) for every library query, plus the large-scope ones."""
    on = REFERENCE_DATE.isoformat()
    overrides: dict[str, dict[str, str]] = {
        "org_leads": {"org": found["branch"], "on": on},
        "block_circle_members": {"block": found["block"], "on": on},
        "project_matrix": {},
        "people_many_posts": {"more_than": "2", "on": on},
        "posts_ending": {"on": on, "days": "30"},
        "shortest_path": {"source": found["leader"], "target": found["merchant"]},
        "road_chief_roster": {"road": found["road"], "from": "2026-01-01", "to": "2026-12-31"},
        "community_buildings": {"community": found["community"], "on": on},
        "shared_partners": {"block_a": found["block"], "block_b": found["block2"]},
        "provenance": {"source_file": "grids.csv"},
        "who_covers": {"building_uid": found["building_uid"], "on": on},
        "circle": {"block": f"{DATASET}:{found['block']}"},
        "centrality_history": {"block": f"{DATASET}:{found['block']}"},
        "stats": {},
    }
    out: list[tuple[str, str, dict[str, str]]] = []
    for name in names():
        q = query(name)
        raw = {p.name: p.example for p in q.params if p.example is not None}
        if "dataset" in raw:
            raw["dataset"] = DATASET
        if "on" in raw and q.param("on") is not None:
            raw["on"] = on
        raw.update(overrides.get(name, {}))
        out.append((name, name, raw))
        if name == "org_leads":
            out.append(("org_leads@street", name, {**raw, "org": found["pwc"]}))
        if name == "shortest_path":
            out.append(("shortest_path@far", name, {**raw, "target": found["far_merchant"]}))
        if name == "road_chief_roster":
            out.append(("road_chief_roster@all", name, _without(raw, "road")))
        if name == "provenance":
            out.append(("provenance@all", name, _without(raw, "source_file")))
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
    rows = store.query(q.text, params)
    samples, explains = [], []
    for _ in range(runs):
        start = time.perf_counter()
        store.query_type(q.text, params)
        explains.append(time.perf_counter() - start)
        start = time.perf_counter()
        rows = store.query(q.text, params)
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
            load_city(store, args.data, args.streets, args.seed)
        store.ensure_schema()
        nodes = store.query("MATCH (n:Entity {dataset: $d}) RETURN count(n) AS n", {"d": DATASET})
        found = picks(store)
        log(f"dataset {DATASET!r}: {nodes[0]['n']:,} nodes; picked {found}")
        only = {s.strip() for s in args.only.split(",") if s.strip()}
        results: dict[str, Any] = {}
        print(f"{'query':28} {'median ms':>10} {'min':>8} {'max':>8} {'explain':>8} {'rows':>7}")
        for label, name, raw in cases(found):
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
        "dataset": DATASET,
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
