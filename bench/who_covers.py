"""Benchmark of ``who_covers`` on a city-scale synthetic graph, on both stores (warm).

    .venv/bin/python bench/who_covers.py                 # 240 streets ≈ 1.1 million nodes
    .venv/bin/python bench/who_covers.py --streets 15    # one district, quicker
    .venv/bin/python bench/who_covers.py --skip-neo4j    # embedded only

Generates the dataset with ``shanzhi.synth`` (kept in ``bench/out/city-<streets>-<seed>`` and
reused when present), loads it into an embedded store under ``bench/out`` and into the Neo4j of
NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD/NEO4J_DATABASE (a sync: a dataset already held is left
unchanged; use a database of its own), warms each store up (the finder's index is built and,
on Neo4j, the query planned), then times ``who_covers(store, typed, on)`` end to end — finder,
query, assembly — for buildings drawn at random (the same ones on both stores), typed three
ways: the exact name; a variant (full-width digits, 号楼 → 幢, spaces) that takes the parse
path; and a homophone typo of the estate (one character swapped for another of the same
pinyin) that takes the fuzzy path.
Prints p50/p95/p99 per store and way of typing, the Neo4j plan (EXPLAIN) of
``cypher/who_covers.cypher`` — which must start with an index seek on the building's uid —
and a JSON summary at the end (also written to who_covers.json next to the data). Synthetic
estate names repeat across streets, so some typed names are ambiguous: those are counted (the
finder declines to guess) and timed like the rest; ``wrong`` must stay 0.
Targets (issue 4): Neo4j p95 <= 20 ms, embedded p95 <= 5 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import neo4j

from shanzhi.cypher import query
from shanzhi.graph.config import Settings
from shanzhi.graph.embedded import EmbeddedStore
from shanzhi.graph.errors import AmbiguousError, NotFoundError
from shanzhi.graph.finder import BuildingRecord, finder_for
from shanzhi.graph.store import GraphStore, load
from shanzhi.graph.who_covers import who_covers
from shanzhi.synth import REFERENCE_DATE, synth

OUT = Path(__file__).resolve().parent / "out"
TARGET_MS = {"embedded": 5.0, "neo4j": 20.0}
#: Characters swapped for a homophone (same toneless pinyin) to make the typo variant.
HOMOPHONES = {
    "嘉": "佳", "利": "丽", "明": "名", "城": "成", "园": "元", "新": "欣", "华": "化",
    "苑": "院", "庭": "廷", "家": "佳", "景": "静", "安": "按", "里": "理", "村": "存",
    "花": "华", "公": "工", "寓": "玉", "丽": "利", "春": "纯", "和": "禾",
}  # fmt: skip


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50/p95/p99/mean/max of latencies in ms."""
    s = sorted(samples)

    def at(q: float) -> float:
        return s[min(len(s) - 1, round(q * (len(s) - 1)))]

    return {
        "n": len(s),
        "p50": round(at(0.50), 3),
        "p95": round(at(0.95), 3),
        "p99": round(at(0.99), 3),
        "mean": round(statistics.fmean(s), 3),
        "max": round(s[-1], 3),
    }


def variant(name: str) -> str:
    """Full-width digits, 号楼 → 幢, a space before the number."""
    out = name.replace("号楼", "幢")
    out = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in out)
    i = next((k for k, c in enumerate(out) if "０" <= c <= "９"), len(out))
    return out[:i] + " " + out[i:]


def homophone(name: str) -> str | None:
    """The name with its first swappable character replaced by a homophone (None if none)."""
    for i, c in enumerate(name):
        if c in HOMOPHONES:
            return name[:i] + HOMOPHONES[c] + name[i + 1 :]
    return None


def time_queries(
    store: GraphStore, typed: list[tuple[str, BuildingRecord]], on: str
) -> tuple[list[float], dict[str, int]]:
    """Latencies in ms of who_covers for each typed string, and how the answers went.

    Outcomes: ``right`` (the building meant), ``wrong`` (another building — must stay 0),
    ``ambiguous`` / ``not_found`` (the finder declined to guess; timed all the same).
    """
    times: list[float] = []
    outcome = {"right": 0, "wrong": 0, "ambiguous": 0, "not_found": 0}
    for text, record in typed:
        t = time.perf_counter()
        try:
            result = who_covers(store, text, on=on)
        except AmbiguousError:
            outcome["ambiguous"] += 1
        except NotFoundError:
            outcome["not_found"] += 1
        else:
            outcome["right" if result["building"]["uid"] == record.uid else "wrong"] += 1
        times.append((time.perf_counter() - t) * 1000)
    return times, outcome


def bench_store(
    name: str,
    store: GraphStore,
    sample: list[BuildingRecord],
    on: str,
) -> dict[str, Any]:
    """Warm the store up, then time the three ways of typing."""
    t = time.perf_counter()
    index = finder_for(store)
    build_s = time.perf_counter() - t
    log(f"[{name}] finder index: {len(index):,} buildings in {build_s:.1f} s")
    warm = sample[: min(200, len(sample))]
    time_queries(store, [(r.name, r) for r in warm], on)
    ways: dict[str, list[tuple[str, BuildingRecord]]] = {
        "exact name": [(r.name, r) for r in sample],
        "typed variant": [(variant(r.name), r) for r in sample],
        "homophone typo": [(h, r) for r in sample if (h := homophone(r.name)) is not None],
    }
    result: dict[str, Any] = {"finder_index_s": round(build_s, 2), "buildings": len(index)}
    for way, typed in ways.items():
        ms, outcome = time_queries(store, typed, on)
        stats: dict[str, Any] = {**percentiles(ms), **outcome}
        result[way] = stats
        log(f"[{name}] {way:15s} {stats}")
    return result


def explain(settings: Settings) -> tuple[str, str]:
    """The EXPLAIN plan of who_covers.cypher as indented text, and its first (leaf) operator."""
    driver = neo4j.GraphDatabase.driver(
        settings.neo4j_uri, auth=(settings.neo4j_user, settings.neo4j_password)
    )
    try:
        with driver.session(database=settings.neo4j_database) as session:
            summary = session.run(
                "EXPLAIN " + query("who_covers").text,
                {"building_uid": "x", "on": REFERENCE_DATE.isoformat()},
            ).consume()
    finally:
        driver.close()
    plan = summary.plan or {}
    lines: list[str] = []

    def walk(op: dict[str, Any], depth: int) -> str:
        """Print the operator tree; return the leftmost leaf, the operator that runs first."""
        detail = op.get("args", {}).get("Details", "").replace("\n", " ")
        lines.append(f"{'  ' * depth}{op.get('operatorType', '?')}  {detail[:160]}".rstrip())
        leaves = [walk(c, depth + 1) for c in op.get("children", [])]
        return leaves[0] if leaves else f"{op.get('operatorType')}  {detail}"

    first = walk(plan, 0)
    return "\n".join(lines), first


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--streets", type=int, default=240, help="synthetic streets (240 ≈ 1.1M nodes)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--queries", type=int, default=2000, help="buildings timed per way of typing")
    ap.add_argument("--skip-neo4j", action="store_true")
    ap.add_argument("--skip-embedded", action="store_true")
    ap.add_argument("--out", type=Path, default=None, help="where the dataset and stores go")
    ap.add_argument(
        "--clear-neo4j", action="store_true", help="empty the Neo4j database first (all of it)"
    )
    args = ap.parse_args()

    root = args.out or OUT / f"city-{args.streets}-{args.seed}"
    data = root / "data"
    on = REFERENCE_DATE.isoformat()
    summary: dict[str, Any] = {"streets": args.streets, "seed": args.seed, "on": on}
    if not (data / "relations.csv").exists():
        log(str(synth(data, args.streets, args.seed)))
    from shanzhi.loaders import load_dataset

    t = time.perf_counter()
    dataset = load_dataset(data, name="city")
    log(f"load_dataset: {time.perf_counter() - t:.1f} s")
    summary["nodes"], summary["relations"] = len(dataset.nodes), len(dataset.relations)
    log(f"dataset: {summary['nodes']:,} nodes, {summary['relations']:,} relations")
    stores: list[tuple[str, GraphStore]] = []
    if not args.skip_embedded:
        emb = EmbeddedStore(root / "embedded")
        t = time.perf_counter()
        report = load(emb, dataset)
        summary["embedded_load_s"] = round(time.perf_counter() - t, 1)
        log(f"embedded load {summary['embedded_load_s']} s: {report.as_dict()}")
        stores.append(("embedded", emb))
    settings = None
    if not args.skip_neo4j:
        from shanzhi.graph.neo4j_store import Neo4jStore

        settings = Settings.from_env("neo4j")
        neo = Neo4jStore.connect(settings)
        if args.clear_neo4j:
            log(f"neo4j: cleared {neo.clear():,} nodes")
        t = time.perf_counter()
        report = load(neo, dataset)
        summary["neo4j_load_s"] = round(time.perf_counter() - t, 1)
        log(f"neo4j load {summary['neo4j_load_s']} s: {report.as_dict()}")
        stores.append(("neo4j", neo))
    buildings = sorted(
        (n for n in dataset.nodes if n.label.value == "Place" and n.kind == "building"),
        key=lambda n: n.id,
    )
    # The same buildings, typed the same way, on both stores.
    sample = [
        BuildingRecord(f"{dataset.name}:{n.id}", n.id, dataset.name, n.name)
        for n in random.Random(args.seed).sample(buildings, min(args.queries, len(buildings)))
    ]
    del dataset, buildings
    for name, store in stores:
        summary[name] = bench_store(name, store, sample, on)
        summary[name]["target_p95_ms"] = TARGET_MS[name]
    if settings is not None:
        plan, first = explain(settings)
        print("Neo4j plan of cypher/who_covers.cypher (EXPLAIN; the leftmost leaf runs first):")
        print(plan)
        print(f"first operator: {first}")
        summary["neo4j_first_operator"] = first
        summary["neo4j_starts_with_index_seek"] = "IndexSeek" in first
    for _, store in stores:
        store.close()
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    (root / "who_covers.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
