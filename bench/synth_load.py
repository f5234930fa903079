"""Time `shanzhi synth` and `shanzhi load` (embedded store) at street, district and city scale.

Each step runs as its own process so its peak memory (max RSS) is its own. For every scale it
prints the median wall time of the runs, the peak RSS, the size on disk, and ratios against a
baseline measured in the same run: reading the same CSV files with Python's csv module and doing
nothing else (the floor any loader pays).

    python bench/synth_load.py                 # street ×3, district ×3, city ×1
    python bench/synth_load.py --scales street,district --runs 5
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCALES = {"street": 1, "district": 15, "city": 240}
BASELINE = (
    "import csv,sys,pathlib\n"
    "n=0\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.csv')):\n"
    "    with p.open(encoding='utf-8', newline='') as fh:\n"
    "        n += sum(1 for _ in csv.reader(fh))\n"
    "print(n)\n"
)


def _run(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(args)}\n{proc.stderr.read().decode() if proc.stderr else ''}")
    return wall, usage.ru_maxrss / 1024


def _size(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 2**20


def bench(scale: str, runs: int, work: Path) -> dict[str, float]:
    """Median wall time, peak RSS and size for synth, load, reload and the csv baseline."""
    exe = str(Path(sys.executable).with_name("shanzhi"))
    streets = SCALES[scale]
    data = work / f"{scale}-data"
    times: dict[str, list[float]] = {"synth": [], "load": [], "reload": [], "baseline": []}
    peaks: dict[str, float] = dict.fromkeys(times, 0.0)
    for _ in range(runs):
        shutil.rmtree(data, ignore_errors=True)
        home = work / f"{scale}-home"
        shutil.rmtree(home, ignore_errors=True)
        for step, args in (
            ("synth", [exe, "synth", "--streets", str(streets), "--seed", "1", "-o", str(data)]),
            ("baseline", [sys.executable, "-c", BASELINE, str(data)]),
            ("load", [exe, "--home", str(home), "load", str(data)]),
            ("reload", [exe, "--home", str(home), "load", str(data)]),
        ):
            wall, rss = _run(args)
            times[step].append(wall)
            peaks[step] = max(peaks[step], rss)
    result = {f"{k}_s": statistics.median(v) for k, v in times.items()}
    result |= {f"{k}_rss_mib": v for k, v in peaks.items()}
    result["dataset_mib"] = _size(data)
    result["graph_mib"] = _size(work / f"{scale}-home" / "graph.json")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="street,district,city")
    parser.add_argument("--runs", type=int, default=3, help="runs per scale (city: 1)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="shanzhi-bench-") as tmp:
        print(f"{'scale':9} {'step':9} {'median s':>9} {'peak MiB':>9} {'× baseline':>11} runs")
        for scale in args.scales.split(","):
            runs = 1 if scale == "city" else args.runs
            r = bench(scale, runs, Path(tmp))
            for step in ("baseline", "synth", "load", "reload"):
                ratio = r[f"{step}_s"] / r["baseline_s"]
                print(
                    f"{scale:9} {step:9} {r[f'{step}_s']:9.2f} {r[f'{step}_rss_mib']:9.0f} "
                    f"{ratio:11.1f} {runs}"
                )
            print(
                f"{scale:9} on disk: dataset {r['dataset_mib']:.1f} MiB, "
                f"graph.json {r['graph_mib']:.1f} MiB"
            )


if __name__ == "__main__":
    main()
