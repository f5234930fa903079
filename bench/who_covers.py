"""Benchmark of ``who_covers`` on a city-scale synthetic graph, on both stores (warm).

    .venv/bin/python bench/who_covers.py                   # 240 streets ≈ 1.1 million nodes
    .venv/bin/python bench/who_covers.py --streets 15      # one district, quicker
    .venv/bin/python bench/who_covers.py --store embedded  # one store only

Generates the dataset with ``shanzhi.synth`` (kept in ``bench/out/city-<streets>-<seed>`` and
reused when present) and loads it, district by district to keep memory bounded, as dataset
``city`` into an embedded store under that folder and into the Neo4j of NEO4J_URI/NEO4J_USER/
NEO4J_PASSWORD/NEO4J_DATABASE (use a database of its own; ``--clear-neo4j`` empties it first).
A store that already holds ``city`` is reused. Each store runs in a process of its own. It is
warmed up (on Neo4j, the queries planned), then
``who_covers(store, typed, on)`` is timed end to end — finder, query, assembly — for buildings
drawn at random (the same ones on both stores), typed six ways: the uid; the address exactly;
the address typed (共和新路 二二八八弄 十二号: numerals and spaces); the address with a homophone
typo in the road name (same pinyin: the homophone key); the name; the name with a homophone
typo. Every way is one or two reads of the store's lookup keys (never every building).

Prints p50/p95/p99 per store and way of typing, the Neo4j plan (EXPLAIN) of
``cypher/who_covers.cypher`` — which must start with an index seek on the building's uid —
and a JSON summary (also written to ``who_covers-<store>.json`` next to the data). Synthetic
estate names repeat from street to street, so most names typed alone are ambiguous in a city:
those are counted (the finder declines to guess) and timed like the rest; ``wrong`` must stay
0. Addresses (road + lane + number) are mostly unique.
Targets (issue 4): Neo4j p95 <= 20 ms, embedded p95 <= 5 ms.

The parser case (issue 12): ``shanzhi.address.parse`` + ``query_keys`` of every typed string —
the finder's own work before it asks the store — timed per string, p50/p95 against
``unicodedata.normalize("NFKC", …)`` of the same strings in the same run (the floor of any
reading of a string). Target: p95 <= 1 ms. ``--parser-only`` runs just that, on the bundled
sample's buildings typed the same six ways (no city, no store):

    .venv/bin/python bench/who_covers.py --parser-only
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

import neo4j

from shanzhi.address import parse, query_keys
from shanzhi.config import Settings
from shanzhi.cypher import query
from shanzhi.errors import AmbiguousError, NotFoundError
from shanzhi.graph.model.dataset import StoredNode, StoredRelation
from shanzhi.graph.queries.finder import BuildingRecord, record_from_row
from shanzhi.graph.queries.stats import stats
from shanzhi.graph.queries.who_covers import who_covers
from shanzhi.graph.stores import GraphStore
from shanzhi.graph.stores.embedded import EmbeddedStore
from shanzhi.graph.stores.lookup import LookupEntry, lookup_entries
from shanzhi.graph.stores.sync import Counts, SyncPlan, SyncReport
from shanzhi.synth import REFERENCE_DATE, synth

OUT = Path(__file__).resolve().parent / "out"
TARGET_MS = {"embedded": 5.0, "neo4j": 20.0}
PARSER_TARGET_MS = 1.0
#: Characters swapped for a homophone (same toneless pinyin) to make the typo variants.
HOMOPHONES = {
    "嘉": "佳", "利": "丽", "明": "名", "城": "成", "园": "元", "新": "欣", "华": "化",
    "苑": "院", "庭": "廷", "家": "佳", "景": "静", "安": "按", "里": "理", "村": "存",
    "花": "华", "公": "工", "寓": "玉", "丽": "利", "春": "纯", "和": "禾", "松": "嵩",
    "涛": "滔", "云": "芸", "锦": "瑾", "晨": "辰", "瑞": "睿", "乐": "勒", "康": "慷",
    "宁": "凝", "翠": "萃", "竹": "烛", "青": "清", "枫": "峰", "桂": "贵", "玉": "钰",
    "兰": "蓝", "金": "津", "穗": "岁", "银": "寅", "杏": "幸", "海": "亥", "棠": "唐",
    "紫": "梓", "薇": "微", "芳": "方", "草": "曹", "月": "悦", "星": "兴", "河": "荷",
    "朝": "潮", "阳": "杨", "长": "常", "永": "咏", "福": "富", "泽": "则", "润": "闰",
    "清": "青", "溪": "希", "雅": "亚", "馨": "欣", "宜": "怡", "居": "驹", "路": "露",
}  # fmt: skip
_CN_DIGITS = "〇一二三四五六七八九"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50/p95/p99/mean/max of latencies (in the samples' unit: ms, or µs for the parser)."""
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


def _cn(n: int) -> str:
    """十二 for 12, 一〇二 for 102 (positional above 99), as people write them."""
    if n >= 100:
        return "".join(_CN_DIGITS[int(d)] for d in str(n))
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones or not tens else "")


def typed_address(address: str) -> str:
    """共和新路2288弄12号 → 共和新路 二二八八弄 十二号, digits full-width where any are left."""
    m = re.match(r"^(.*?)(\d+)弄(\d+)号$", address)
    if not m:
        return address
    lane = "".join(_CN_DIGITS[int(d)] for d in m.group(2))
    return f"{m.group(1)} {lane}弄 {_cn(int(m.group(3)))}号"


def homophone(text: str) -> str | None:
    """The text with its first swappable character replaced by a homophone (None if none).

    Only the estate/road part is touched (the characters before the first digit), and the
    测试/示例 marks of synthetic names are skipped.
    """
    head = re.split(r"\d", text, maxsplit=1)[0]
    for i, c in enumerate(head):
        if c in HOMOPHONES and head[max(0, i - 1) : i + 1] not in ("测试", "示例"):
            return text[:i] + HOMOPHONES[c] + text[i + 1 :]
    return None


def time_queries(
    store: GraphStore, typed: list[tuple[str, BuildingRecord]], on: str
) -> tuple[list[float], list[float], dict[str, int]]:
    """Wall-clock and CPU milliseconds of who_covers for each typed string, and the outcomes.

    CPU time is this process's own (``time.process_time``): on a busy machine wall-clock
    percentiles carry the scheduler's waits, CPU time does not (for Neo4j it leaves out the
    server's work). Outcomes: ``right`` (the building meant), ``wrong`` (another building —
    must stay 0), ``ambiguous`` / ``not_found`` (the finder declined to guess; timed all the
    same).
    """
    wall: list[float] = []
    cpu: list[float] = []
    outcome = {"right": 0, "wrong": 0, "ambiguous": 0, "not_found": 0}
    for text, record in typed:
        t, c = time.perf_counter(), time.process_time()
        try:
            result = who_covers(store, text, on=on)
        except AmbiguousError:
            outcome["ambiguous"] += 1
        except NotFoundError:
            outcome["not_found"] += 1
        else:
            outcome["right" if result["building"]["uid"] == record.uid else "wrong"] += 1
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return wall, cpu, outcome


def server_times(settings: Settings, sample: list[BuildingRecord], on: str) -> list[float]:
    """Neo4j's own milliseconds for who_covers.cypher (available after + consumed after)."""
    text = query("who_covers").text
    driver = neo4j.GraphDatabase.driver(
        settings.neo4j_uri, auth=(settings.neo4j_user, settings.neo4j_password)
    )
    out: list[float] = []
    try:
        with driver.session(database=settings.neo4j_database) as session:
            for r in sample:
                summary = session.run(text, {"building_uid": r.uid, "on": on}).consume()
                out.append(
                    float(
                        (summary.result_available_after or 0) + (summary.result_consumed_after or 0)
                    )
                )
    finally:
        driver.close()
    return out


def typed_ways(sample: list[BuildingRecord]) -> dict[str, list[tuple[str, BuildingRecord]]]:
    """The six ways each building is typed (see the module docstring)."""
    addressed = [r for r in sample if r.address]
    return {
        "uid": [(r.uid, r) for r in sample],
        "exact address": [(str(r.address), r) for r in addressed],
        "typed address": [(typed_address(str(r.address)), r) for r in addressed],
        "homophone address": [
            (h, r) for r in addressed if (h := homophone(str(r.address))) is not None
        ],
        "exact name": [(r.name, r) for r in sample],
        "homophone name": [(h, r) for r in sample if (h := homophone(r.name)) is not None],
    }


def parser_times(texts: list[str], rounds: int = 3) -> dict[str, Any]:
    """Microseconds of ``parse`` + ``query_keys`` per string, and of NFKC alone (the baseline,
    measured in the same run), with the ratio of their medians. ``first`` is the first round
    alone: the parser's caches (name keys, pinyin) have not seen those strings yet."""
    parse("热身 warm up")  # the OpenCC converter is built once per process

    def timed(fn: Any) -> list[list[float]]:
        out: list[list[float]] = []
        for _ in range(rounds):
            one = []
            for text in texts:
                t = time.perf_counter()
                fn(text)
                one.append((time.perf_counter() - t) * 1e6)
            out.append(one)
        return out

    base = [x for r in timed(lambda text: unicodedata.normalize("NFKC", text)) for x in r]
    runs = timed(lambda text: query_keys(parse(text)))
    both = [x for r in runs for x in r]
    result: dict[str, Any] = {
        "strings": len(texts),
        "rounds": rounds,
        "parse+keys_us": percentiles(both),
        "parse+keys_first_us": percentiles(runs[0]),
        "nfkc_us": percentiles(base),
        "ratio_p50": round(statistics.median(both) / statistics.median(base), 1),
        "target_p95_ms": PARSER_TARGET_MS,
    }
    worst = max(result["parse+keys_us"]["p95"], result["parse+keys_first_us"]["p95"])
    result["within_target"] = worst <= PARSER_TARGET_MS * 1000
    return result


def bench_store(
    name: str, store: GraphStore, sample: list[BuildingRecord], on: str
) -> dict[str, Any]:
    """Warm the store up, then time each way of typing."""
    warm = sample[: min(200, len(sample))]
    time_queries(store, [(r.uid, r) for r in warm], on)
    ways = typed_ways(sample)
    result: dict[str, Any] = {}
    for way, typed in ways.items():
        wall, cpu, outcome = time_queries(store, typed, on)
        stats: dict[str, Any] = {**percentiles(wall), "cpu": percentiles(cpu), **outcome}
        result[way] = stats
        log(f"[{name}] {way:17s} {stats}")
    result["parser"] = parser_times([t for typed in ways.values() for t, _ in typed])
    log(f"[{name}] parser            {result['parser']}")
    return result


def parser_only() -> int:
    """The parser case alone, on the bundled sample's buildings typed six ways."""
    from tests.address.rows import sample_rows

    sample = sorted((record_from_row(r) for r in sample_rows()), key=lambda r: r.uid)
    texts = [t for typed in typed_ways(sample).values() for t, _ in typed]
    print(json.dumps(parser_times(texts, rounds=20), ensure_ascii=False, indent=2))
    return 0


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


DATASET = "city"


def split_by_district(data: Path, parts: Path) -> list[Path]:
    """The dataset's rows split into one folder per district (ids start with ``Dnn-``).

    Loading district by district keeps memory bounded (a whole city's records as one
    ``Dataset`` take more memory than a shared machine may have); all parts are loaded under
    the same dataset name, so the store holds exactly what loading the whole folder would.
    """
    done = parts / ".done"
    if done.exists():
        return sorted(p for p in parts.iterdir() if p.is_dir())
    writers: dict[tuple[str, str], Any] = {}
    files: list[Any] = []
    for table in ("grids", "places", "orgs", "people", "projects", "relations"):
        with (data / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            key = "source_id" if table == "relations" else "id"
            for row in reader:
                district = row[key].split("-", 1)[0]
                w = writers.get((district, table))
                if w is None:
                    folder = parts / district
                    folder.mkdir(parents=True, exist_ok=True)
                    f = (folder / f"{table}.csv").open("w", encoding="utf-8", newline="")
                    files.append(f)
                    w = writers[(district, table)] = csv.DictWriter(f, reader.fieldnames or [])
                    w.writeheader()
                w.writerow(row)
    for f in files:
        f.close()
    done.touch()
    return sorted(p for p in parts.iterdir() if p.is_dir())


def load_parts(store: GraphStore, parts: list[Path]) -> dict[str, int]:
    """Add every part to the store as dataset ``city`` (upserts only; parts do not overlap),
    each through the store's own ``apply`` with its buildings' lookup entries, so that memory
    holds one district at a time. The graph equals that of loading the whole folder except
    ``source_line`` (and so ``fingerprint``), which count lines in the part files."""
    from shanzhi.loaders import load_dataset

    counts = {"nodes": 0, "relations": 0}
    for i, part in enumerate(parts, 1):
        ds = load_dataset(part, name=DATASET)
        nodes, rels = list(ds.stored_nodes()), list(ds.stored_relations())
        entries = list(lookup_entries(ds).values())
        del ds
        store.apply(_upserts(nodes, rels, entries), None)
        counts["nodes"] += len(nodes)
        counts["relations"] += len(rels)
        log(f"[{store.kind}] part {part.name} ({i}/{len(parts)}): {counts}")
    return counts


def _upserts(
    nodes: list[StoredNode], rels: list[StoredRelation], entries: list[LookupEntry]
) -> SyncPlan:
    report = SyncReport(DATASET, Counts(created=len(nodes)), Counts(created=len(rels)))
    return SyncPlan(DATASET, nodes, rels, [], [], report, lookup_upsert=entries)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--streets", type=int, default=240, help="synthetic streets (240 ≈ 1.1M nodes)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--queries", type=int, default=2000, help="buildings timed per way of typing")
    ap.add_argument("--store", choices=["embedded", "neo4j", "both"], default="both")
    ap.add_argument("--out", type=Path, default=None, help="where the dataset and stores go")
    ap.add_argument(
        "--clear-neo4j",
        action="store_true",
        help="empty the Neo4j database first (all of it) and load the city again",
    )
    ap.add_argument(
        "--parser-only", action="store_true", help="time only the parser, on the bundled sample"
    )
    args = ap.parse_args()
    if args.parser_only:
        return parser_only()

    root = args.out or OUT / f"city-{args.streets}-{args.seed}"
    if args.store == "both":  # one process per store, so each starts with free memory
        summary: dict[str, Any] = {}
        for name in ("embedded", "neo4j"):
            argv = [a for a in sys.argv[1:] if not a.startswith("--store")]
            subprocess.run([sys.executable, __file__, *argv, "--store", name], check=True)
            summary[name] = json.loads((root / f"who_covers-{name}.json").read_text())
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return 0

    data = root / "data"
    on = REFERENCE_DATE.isoformat()
    summary = {"streets": args.streets, "seed": args.seed, "on": on, "store": args.store}
    if not (data / "relations.csv").exists():
        log(str(synth(data, args.streets, args.seed)))
    parts = split_by_district(data, root / "parts")
    settings = Settings.from_env("neo4j")
    store: GraphStore
    if args.store == "embedded":
        store = EmbeddedStore(root / "embedded")
    else:
        from shanzhi.graph.stores.neo4j import Neo4jStore

        store = Neo4jStore.connect(settings)
        if args.clear_neo4j:
            log(f"neo4j: cleared {store.clear():,} nodes")
    if DATASET in store.datasets():
        log(f"[{store.kind}] already holds dataset {DATASET!r}; not loading it again")
    else:
        t = time.perf_counter()
        summary["loaded"] = load_parts(store, parts)
        summary["load_s"] = round(time.perf_counter() - t, 1)
        log(f"[{store.kind}] loaded in {summary['load_s']} s")
    counts = stats(store, DATASET)
    summary["nodes"], summary["relations"] = counts["nodes"], counts["relations"]
    log(f"[{store.kind}] holds {summary['nodes']:,} nodes, {summary['relations']:,} relations")
    # The same buildings, typed the same way, on both stores: a seeded draw from the sorted
    # records of the dataset, which both stores hold alike.
    t = time.perf_counter()
    every = [record_from_row(r) for r in store.building_rows()]  # the draw's, not the finder's
    summary["building_rows_s"] = round(time.perf_counter() - t, 2)
    summary["buildings"] = len(every)
    log(f"[{store.kind}] {len(every):,} buildings read in {summary['building_rows_s']} s")
    records = sorted((r for r in every if r.dataset == DATASET), key=lambda r: r.uid)
    sample = random.Random(args.seed).sample(records, min(args.queries, len(records)))
    summary.update(bench_store(store.kind, store, sample, on))
    summary["target_p95_ms"] = TARGET_MS[store.kind]
    summary["load_average"] = os.getloadavg()
    summary["cpus"] = os.cpu_count()
    if store.kind == "neo4j":
        summary["server"] = percentiles(server_times(settings, sample, on))
        log(f"[neo4j] server-side ms of who_covers.cypher: {summary['server']}")
        plan, first = explain(settings)
        print("Neo4j plan of cypher/who_covers.cypher (EXPLAIN; the leftmost leaf runs first):")
        print(plan)
        print(f"first operator: {first}")
        summary["first_operator"] = first
        summary["starts_with_index_seek"] = "IndexSeek" in first
    store.close()
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    (root / f"who_covers-{store.kind}.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
