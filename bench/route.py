"""Benchmark of ``shanzhi route`` at district scale on the embedded store.

    .venv/bin/python bench/route.py                 # 15 streets (a district), 10,000 tickets
    .venv/bin/python bench/route.py --tickets 2000  # quicker

Generates the district with ``shanzhi.synth`` (``--streets 15 --seed 1``, kept in
``bench/out/route-<streets>-<seed>`` and reused when present), loads it into an embedded store
in that folder (reused when it holds the dataset), and writes a ticket list of ``--tickets``
rows (CSV, GB18030 as Excel writes it): buildings drawn at random, their address written one
of five ways (the address, the name, inside the text after a few words, typed with Chinese
numerals, with the district before it), one of the four categories of the default rules, a day
between 2023-01-01 and 2026-12-31 (the 路长 rota is monthly), and one ticket in ten that must not
be routed (another district, a number that does not exist, a homophone typo).

Then, three times each, in this order: the **baseline** — reading the same file without routing
(``read_tickets``, every row parsed) — and **route** — ``route_file`` end to end (read, route
every ticket, write the routed CSV), each time with a new ``Router`` (no chain cached between
runs) and every in-process cache of shanzhi emptied before it (:func:`forget`), as a new process
starts; the store-level indexes — the finder's building index and the store's jurisdiction
(its streets and districts, for not-ours) — are built once per store object, before the first
run, and timed on their own. Prints the medians, the ratio route/baseline, tickets per
second, the status counts, and a JSON summary.
Target (issue 15): route median <= 10 s for 10,000 tickets.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from shanzhi.graph.queries.finder import finder_for
from shanzhi.graph.stores import load
from shanzhi.graph.stores.embedded.store import EmbeddedStore
from shanzhi.loaders import load_dataset
from shanzhi.route import route_file
from shanzhi.route.routing import jurisdiction
from shanzhi.route.tickets import read_tickets
from shanzhi.synth import synth

OUT = Path(__file__).resolve().parent / "out"
TARGET_S = 10.0
ISSUES = {
    "楼道堆物": "楼道内堆物",
    "占道经营": "门口有人占道经营",
    "物业维修": "屋顶漏水需要维修",
    "噪音扰民": "夜间施工噪音扰民",
}
_CN = "〇一二三四五六七八九"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def district(out: Path, streets: int, seed: int) -> tuple[Path, EmbeddedStore]:
    """The synthetic district's folder and an embedded store holding it (made once)."""
    root = out / f"route-{streets}-{seed}"
    data, home = root / "data", root / "home"
    if not (data / "GAPS.json").exists():
        log(f"synth --streets {streets} --seed {seed} → {data}")
        synth(data, streets=streets, seed=seed)
    store = EmbeddedStore(home)
    if "district" not in store.datasets():
        t = time.perf_counter()
        report = load(store, load_dataset(data, name="district"))
        log(f"loaded in {time.perf_counter() - t:.1f} s: {report.nodes}")
    return root, store


def _typed(address: str) -> str:
    head, _, rest = address.partition("弄")
    lane = "".join(ch for ch in head if ch.isdigit())
    road = head[: len(head) - len(lane)]
    return f"{road} {''.join(_CN[int(d)] for d in lane)}弄 {rest}"


def tickets(store: EmbeddedStore, n: int, seed: int) -> list[list[str]]:
    """``n`` ticket rows over the store's buildings."""
    rng = random.Random(seed)
    rows = [r for r in finder_for(store).records if r.address]
    out = []
    for i in range(n):
        b = rng.choice(rows)
        address = str(b.address)
        category = rng.choice(list(ISSUES))
        cell, content = "", ISSUES[category]
        way = rng.randrange(10)
        if way == 0:  # must not be routed
            cell = rng.choice(["上海市徐汇区天钥桥路408号", address.replace("号", "9号"),
                               b.name.replace("示例", "示列")])  # fmt: skip
        elif way in (1, 2):
            cell = address
        elif way in (3, 4):
            cell = b.name
        elif way in (5, 6):
            content = "居民反映" + address + content
        elif way == 7:
            cell = _typed(address)
        else:
            cell = "测试一区" + address
        offset = rng.randrange(1461)
        day = date(2023, 1, 1) + timedelta(days=offset)
        out.append([f"B{i:05d}", cell, content, category, f"{day} 10:{offset % 60:02d}"])
    return out


def write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="gb18030", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["工单编号", "诉求地址", "诉求内容", "诉求类别", "受理时间"])
        w.writerows(rows)


def forget() -> int:
    """Empty every in-process cache of shanzhi (``functools`` caches, the building rows' facts),
    as a new ``shanzhi route`` process starts: each run pays for parsing the buildings it
    meets. How many caches were emptied."""
    from shanzhi.address import facts as row_facts

    emptied = 0
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] != "shanzhi" or module is None:
            continue
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
                emptied += 1
    row_facts.forget()
    return emptied + 1


def timed(fn: Any) -> tuple[float, Any]:
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def cpu_timed(fn: Any) -> tuple[float, float, Any]:
    """Wall-clock and this process's CPU seconds (on a busy machine the CPU time is the
    steadier figure: it leaves out the scheduler's waits)."""
    t, c = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - t, time.process_time() - c, result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--streets", type=int, default=15)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tickets", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=OUT, help="where the data is kept (bench/out)")
    args = ap.parse_args()
    root, store = district(args.out, args.streets, args.seed)
    index_s, index = timed(lambda: finder_for(store))
    log(f"finder index: {len(index)} buildings in {index_s:.2f} s")
    ours_s, ours = timed(lambda: jurisdiction(store))
    log(f"jurisdiction: {len(ours.streets)} streets, {sorted(ours.districts)} in {ours_s:.2f} s")
    src, dst = root / f"tickets-{args.tickets}.csv", root / f"routed-{args.tickets}.csv"
    write(src, tickets(store, args.tickets, args.seed))
    base, route, base_cpu, route_cpu = [], [], [], []
    report: dict[str, Any] = {}
    for run in range(args.runs):
        b, bc, n = cpu_timed(lambda: sum(1 for _ in read_tickets(src).tickets))
        forget()
        r, rc, report = cpu_timed(lambda: route_file(store, src, dst))
        base.append(b)
        route.append(r)
        base_cpu.append(bc)
        route_cpu.append(rc)
        log(f"run {run + 1}: baseline {b:.2f} s ({n} rows), route {r:.2f} s (cpu {rc:.2f} s)")
    med_b, med_r = statistics.median(base), statistics.median(route)
    summary = {
        "streets": args.streets,
        "buildings": len(index),
        "tickets": args.tickets,
        "finder_index_s": round(index_s, 2),
        "jurisdiction_s": round(ours_s, 2),
        "baseline_median_s": round(med_b, 3),
        "route_median_s": round(med_r, 3),
        "ratio": round(med_r / med_b, 1) if med_b else None,
        "tickets_per_s": round(args.tickets / med_r),
        "target_s": TARGET_S * args.tickets / 10_000,
        "within_target": med_r <= TARGET_S * args.tickets / 10_000,
        "statuses": report["summary"]["by_status"],
        "left_out": len(report["problems"]),
        "baseline_cpu_median_s": round(statistics.median(base_cpu), 3),
        "route_cpu_median_s": round(statistics.median(route_cpu), 3),
        "runs": {"baseline": [round(x, 3) for x in base], "route": [round(x, 3) for x in route]},
    }
    verdict = "met" if summary["within_target"] else "MISSED"
    print(
        f"baseline (read only): median {med_b:.2f} s; route: median {med_r:.2f} s "
        f"({summary['ratio']}x, {summary['tickets_per_s']} tickets/s; "
        f"cpu {summary['route_cpu_median_s']:.2f} s); "
        f"target {summary['target_s']:.0f} s: {verdict}"
    )
    print("statuses:", dict(Counter(report["summary"]["by_status"])))
    print(json.dumps(summary, ensure_ascii=False))
    (root / "route.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
