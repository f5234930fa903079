"""Time `shanzhi synth` and `shanzhi load` (embedded SQLite store) at street, district, city scale.

Each step runs as its own process, so its peak memory (max RSS) is its own; it is timed in wall
seconds and in CPU seconds (user + system of the process: what a busy shared machine does not
distort). The steps of a scale:

* ``baseline`` — read the CSV files with Python's csv module and do nothing else (the floor any
  loader pays); ``synth`` — generate the dataset;
* ``load`` — the first load into an empty home; ``reload`` — the same folder again (nothing
  changed, so nothing is written); ``edit`` — the folder with one person renamed (one row).

The city (240 streets, about 1.1 million nodes) is 16 district datasets side by side in one home,
each loaded by its own ``shanzhi load --name Dnn``: its times are sums over the districts, its
peak RSS is the largest of them. Ratios: each step against the baseline, and reload and edit
against the first load, all measured in the same run. ``--phases`` adds, for each scale but the
city, the same three loads in one process split into parse (``load_dataset``), plan
(fingerprints + ``plan_sync``) and write (``store.apply``), with the rows each writes.

    python bench/synth_load.py                          # street ×3, district ×3, city ×1
    python bench/synth_load.py --scales street,district --runs 5 --phases
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/ for who_covers.split_by_district

SCALES = {"street": 1, "district": 15, "city": 240}
STEPS = ("baseline", "synth", "load", "reload", "edit")
BASELINE = (
    "import csv,sys,pathlib\n"
    "n=0\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.csv')):\n"
    "    with p.open(encoding='utf-8', newline='') as fh:\n"
    "        n += sum(1 for _ in csv.reader(fh))\n"
    "print(n)\n"
)
EXE = str(Path(sys.executable).with_name("shanzhi"))


def _run(args: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(args)}\n{proc.stderr.read().decode() if proc.stderr else ''}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _size(home: Path) -> float:
    return sum(p.stat().st_size for p in home.glob("shanzhi.db*")) / 2**20


def edited_copy(data: Path, out: Path) -> Path:
    """A copy of a dataset folder with the first person renamed: one row changed."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(data, out)
    people = out / "people.csv"
    with people.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
        fields = list(rows[0])
    rows[0]["name"] += "（改）"
    with people.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fields)
        writer.writeheader()
        writer.writerows(rows)
    return out


def _parts(scale: str, data: Path, work: Path) -> list[tuple[str, Path]]:
    """(dataset name, folder) of each dataset a scale loads: the city's 16 districts."""
    if scale != "city":
        return [(scale, data)]
    from who_covers import split_by_district

    return [(p.name, p) for p in split_by_district(data, work / "city-parts")]


def bench(scale: str, runs: int, work: Path) -> dict[str, Any]:
    """Medians (wall, CPU) and peak RSS of every step, and the store's size."""
    data = work / f"{scale}-data"
    wall: dict[str, list[float]] = {s: [] for s in STEPS}
    cpu: dict[str, list[float]] = {s: [] for s in STEPS}
    peak: dict[str, float] = dict.fromkeys(STEPS, 0.0)
    home = work / f"{scale}-home"

    def step(name: str, commands: list[list[str]]) -> None:
        results = [_run(c) for c in commands]
        wall[name].append(sum(r[0] for r in results))
        cpu[name].append(sum(r[1] for r in results))
        peak[name] = max(peak[name], *(r[2] for r in results))

    for _ in range(runs):
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(work / "city-parts", ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)
        step(
            "synth",
            [[EXE, "synth", "--streets", str(SCALES[scale]), "--seed", "1", "-o", str(data)]],
        )
        step("baseline", [[sys.executable, "-c", BASELINE, str(data)]])
        parts = _parts(scale, data, work)
        loads = [[EXE, "--home", str(home), "load", str(p), "--name", n] for n, p in parts]
        step("load", loads)
        step("reload", loads)
        name, folder = parts[0]
        changed = edited_copy(folder, work / f"{scale}-edit")
        step("edit", [[EXE, "--home", str(home), "load", str(changed), "--name", name]])
    result: dict[str, Any] = {"runs": runs, "store_mib": _size(home)}
    for s in STEPS:
        result[s] = (statistics.median(wall[s]), statistics.median(cpu[s]), peak[s])
    return result


def phases(scale: str, work: Path) -> list[tuple[str, float, float, float, int]]:
    """In one process: (load, parse, plan, write CPU seconds, rows written) of the first load,
    the reload and the one-row edit of a scale's dataset."""
    from shanzhi.graph.stores.embedded import EmbeddedStore
    from shanzhi.graph.stores.loads import LoadRecord, now
    from shanzhi.graph.stores.sync import plan_sync
    from shanzhi.loaders import load_dataset

    data = work / f"{scale}-data"
    home = work / f"{scale}-phases"
    shutil.rmtree(home, ignore_errors=True)
    store = EmbeddedStore(home)
    out = []
    for what, folder in (("load", data), ("reload", data), ("edit", work / f"{scale}-edit")):
        t0 = time.process_time()
        ds = load_dataset(folder, name=scale)
        t1 = time.process_time()
        seq = max((r.seq for r in store.loads(ds.name)), default=0) + 1
        plan = plan_sync(ds, store.fingerprints(ds.name), seq)
        t2 = time.process_time()
        rows = sum(
            len(x)
            for x in (plan.upsert_nodes, plan.upsert_relations, plan.remove_nodes,
                      plan.remove_relations, plan.lookup_upsert, plan.lookup_remove)
        )  # fmt: skip
        if plan.writes:
            record = None
            if plan.report.changed:
                r = plan.report
                record = LoadRecord(ds.name, seq, now(), ds.source, r.nodes, r.relations)
            store.apply(plan, record)
        t3 = time.process_time()
        out.append((what, t1 - t0, t2 - t1, t3 - t2, rows))
    store.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="street,district,city")
    parser.add_argument("--runs", type=int, default=3, help="runs per scale (city: 1)")
    parser.add_argument("--phases", action="store_true", help="parse / plan / write in-process")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="shanzhi-bench-") as tmp:
        print(
            f"{'scale':9} {'step':9} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9} "
            f"{'CPU × baseline':>15} {'CPU × load':>11} runs"
        )
        for scale in args.scales.split(","):
            runs = 1 if scale == "city" else args.runs
            r = bench(scale, runs, Path(tmp))
            for s in ("baseline", "synth", "load", "reload", "edit"):
                w, c, m = r[s]
                vs_load = f"{c / r['load'][1]:11.3f}" if s in ("reload", "edit") else " " * 11
                print(
                    f"{scale:9} {s:9} {w:8.2f} {c:8.2f} {m:9.0f} {c / r['baseline'][1]:15.1f} "
                    f"{vs_load} {runs}"
                )
            print(f"{scale:9} on disk: shanzhi.db {r['store_mib']:.1f} MiB")
            if args.phases and scale != "city":
                for what, parse, plan, write, rows in phases(scale, Path(tmp)):
                    print(
                        f"{scale:9} {what:9} in-process CPU s: parse {parse:.2f}, plan {plan:.2f}, "
                        f"write {write:.3f} ({rows:,} rows)"
                    )


if __name__ == "__main__":
    main()
