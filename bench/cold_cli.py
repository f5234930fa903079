"""Cold calls: what one new ``shanzhi who-covers`` process costs as the graph grows, both stores.

    .venv/bin/python bench/cold_cli.py                       # street, district and city scale
    .venv/bin/python bench/cold_cli.py --scales 1,15         # quicker
    .venv/bin/python bench/cold_cli.py --store embedded      # one store only

For each scale (synthetic streets: 1 ≈ 4,900 nodes, 15 a district ≈ 71 k, 240 a city ≈ 1.1 M;
``shanzhi synth``, kept in ``bench/out/cold-<streets>``), the dataset is loaded into an embedded
home of its own and, when NEO4J_URI is set, into that Neo4j (which is EMPTIED first: give it a
database of its own). Then, in one run, the median of ``--runs`` new processes of

* ``shanzhi --version`` (the baseline: start-up alone),
* ``shanzhi who-covers <building id>`` and ``shanzhi who-covers <its address as typed>``,

is measured as CPU seconds of the child (user + system) and wall seconds, and each who-covers is
printed as a ratio to ``--version`` of the same run. The target (issue 11): every ratio ≤ 1.5 at
every scale on both stores — the cost of a call does not grow with the graph — and ``--version``
≤ 0.15 CPU-s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "out"
SHANZHI = str(Path(sys.executable).with_name("shanzhi"))


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(child CPU seconds, wall seconds, exit code) of one new process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, done.returncode


def median_of(args: list[str], env: dict[str, str], runs: int) -> dict[str, float]:
    timed(args, env)  # not counted: writes the bytecode caches an installed package has
    results = [timed(args, env) for _ in range(runs)]
    codes = {code for _, _, code in results}
    return {
        "cpu_s": statistics.median(r[0] for r in results),
        "wall_s": statistics.median(r[1] for r in results),
        "exit": max(codes),
    }


def dataset(streets: int) -> Path:
    """The synthetic dataset of a scale (made once, kept under bench/out)."""
    folder = OUT / f"cold-{streets}"
    if not (folder / "places.csv").exists():
        log(f"synth --streets {streets} …")
        subprocess.run(
            [SHANZHI, "synth", "--streets", str(streets), "--seed", "1", "-o", str(folder)],
            check=True,
            capture_output=True,
        )
    return folder


def a_building(folder: Path) -> tuple[str, str]:
    """The id and the address of the first building of the dataset that has an address."""
    import csv

    with (folder / "places.csv").open(encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            if row["kind"] == "building" and row.get("address"):
                return row["id"], row["address"]
    raise SystemExit(f"{folder} has no building with an address")


def store_env(store: str, home: Path) -> dict[str, str]:
    env = {**os.environ, "SHANZHI_STORE": store, "SHANZHI_HOME": str(home), "COLUMNS": "100"}
    # Measured as installed: with bytecode caches (a shell that forbids writing them would
    # make every call compile every module it imports, and the ratios meaningless).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def prepare(store: str, streets: int, folder: Path, clear: bool) -> dict[str, str]:
    """Load the scale's dataset into a store of its own; the environment that reaches it.

    A dataset already held unchanged is not loaded again (the load record's digest), so with
    ``clear`` False a second run at the same scale skips the load.
    """
    home = OUT / f"cold-home-{streets}"
    env = store_env(store, home)
    if store == "neo4j" and clear:
        from shanzhi.config import Settings
        from shanzhi.graph.stores.neo4j import Neo4jStore

        with Neo4jStore.connect(Settings.from_env(store="neo4j")) as s:
            s.clear()
    log(f"load {folder.name} into {store} …")
    start = time.perf_counter()
    subprocess.run([SHANZHI, "load", str(folder), "--name", "cold"], env=env, check=True,
                   capture_output=True)  # fmt: skip
    log(f"  loaded in {time.perf_counter() - start:.1f} s")
    return env


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--scales", default="1,15,240", help="streets per scale, comma-separated")
    ap.add_argument("--store", choices=["embedded", "neo4j", "both"], default="both")
    ap.add_argument("--runs", type=int, default=5, help="new processes per measure (median)")
    ap.add_argument(
        "--no-clear",
        action="store_true",
        help="keep what the Neo4j database holds (when it holds only this bench's dataset)",
    )
    opts = ap.parse_args()
    stores = ["embedded", "neo4j"] if opts.store == "both" else [opts.store]
    if "neo4j" in stores and not os.environ.get("NEO4J_URI"):
        log("NEO4J_URI is not set: measuring the embedded store only")
        stores = ["embedded"]
    rows: list[dict[str, Any]] = []
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
    for streets in (int(s) for s in opts.scales.split(",")):
        folder = dataset(streets)
        bid, address = a_building(folder)
        for store in stores:
            env = prepare(store, streets, folder, not opts.no_clear)
            base = median_of([SHANZHI, "--version"], env, opts.runs)
            for how, text in (("by id", bid), ("by address", address)):
                m = median_of([SHANZHI, "who-covers", text, "--on", "2026-11-27"], env, opts.runs)
                ratio = m["cpu_s"] / base["cpu_s"]
                row = {"scale": streets, "store": store, "call": how, **m,
                       "version_cpu_s": base["cpu_s"], "ratio": ratio}  # fmt: skip
                rows.append(row)
                print(
                    f"{streets:>4} streets  {store:<8}  who-covers {how:<10}  "
                    f"cpu {m['cpu_s']:.3f} s  wall {m['wall_s']:.3f} s  exit {m['exit']:.0f}  "
                    f"--version cpu {base['cpu_s']:.3f} s  ratio {row['ratio']:.2f}",
                    flush=True,
                )
    (OUT / "cold_cli.json").write_text(json.dumps(rows, indent=1))
    worst = max(rows, key=lambda r: r["ratio"])
    print(f"worst ratio {worst['ratio']:.2f} ({worst['store']}, {worst['scale']} streets, "
          f"{worst['call']}); target ≤ 1.5")  # fmt: skip
    print("load average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
