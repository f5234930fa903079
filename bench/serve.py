"""Load generator for ``shanzhi serve``: search-as-you-type and answer-page latency, then
requests per second, against a real server on 127.0.0.1 — bounded in requests and in time.

    .venv/bin/python bench/serve.py                      # a district: 15 streets, embedded store
    .venv/bin/python bench/serve.py --streets 240 --layout districts   # the city, 16 datasets
    .venv/bin/python bench/serve.py --store neo4j --clear-neo4j   # the same on NEO4J_URI

The synthetic dataset is written once to ``bench/out/serve-<streets>-<seed>/data`` and loaded
(as one dataset ``bench``, or with ``--layout districts`` as one per district, ``bench-D01`` …)
into an embedded home beside it (reused when present; on Neo4j, into the database of the
``NEO4J_*`` settings, which ``--clear-neo4j`` empties first — use a database of its own). Two
accounts are made: a 街道 staff account scoped to the first street's grid and an admin. The
server runs as ``shanzhi serve`` in its own process, bound to 127.0.0.1 (the only address this
tool will talk to); the clients run in this process.

Phases, each warmed up first (scope, finder index and snapshot built by the first requests):

1. **search as you type** — for buildings drawn at random from the staff account's street, the
   address is typed one character at a time and every prefix is asked of ``/api/suggest``;
2. **answer page** — ``/building/<uid>``, the who-covers card as HTML, for the same buildings;
3. **throughput** — ``--clients`` clients, each with its own session, ask a 3:1 mix of
   suggestions and cards for ``--seconds`` seconds or ``--max-requests`` requests, whichever
   comes first; every answer that is not 200 counts as an error.

Baselines measured in the same run: the server's floor (``/static/app.css``, no work behind it)
and the library's own ``who_covers`` in this process on the same store; the page's medians are
printed as ratios to both. Targets (issue 14, city scale): suggest p95 <= 50 ms, card p95 <=
100 ms, >= 200 requests/s for 60 s with 0 errors.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from shanzhi.config import Settings
from shanzhi.graph.queries.who_covers import who_covers
from shanzhi.graph.stores import load, open_store
from shanzhi.loaders import load_dataset
from shanzhi.synth import synth
from shanzhi.web.accounts import Accounts, Role, db_path

OUT = Path(__file__).resolve().parent / "out"
HOST = "127.0.0.1"
PASSWORD = "bench-password-not-secret"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def pct(samples: list[float]) -> dict[str, float]:
    """p50/p95/p99 in milliseconds."""
    s = sorted(samples)
    if not s:
        return {"n": 0, "p50": 0.0, "p95": 0.0, "p99": 0.0}

    def at(q: float) -> float:
        return round(s[min(len(s) - 1, int(q * len(s)))] * 1000, 2)

    return {"n": len(s), "p50": at(0.50), "p95": at(0.95), "p99": at(0.99)}


# -- the data and the store ------------------------------------------------------------------------
def by_district(data: Path) -> list[tuple[str, Path]]:
    """The dataset's CSVs split by district (the ``Dnn-`` prefix of every id), written once:
    no record of the synthetic city refers across districts."""
    folder = data.with_name(data.name + "-by-district")
    if not (folder / "done").exists():
        writers: dict[tuple[str, str], Any] = {}
        files: list[Any] = []
        for table in sorted(data.glob("*.csv")):
            with table.open(encoding="utf-8", newline="") as fh:
                rows = csv.reader(fh)
                header = next(rows)
                for row in rows:
                    key = (row[0].split("-", 1)[0], table.name)
                    if key not in writers:
                        (folder / key[0]).mkdir(parents=True, exist_ok=True)
                        out = (folder / key[0] / table.name).open("w", encoding="utf-8",
                                                                  newline="")  # fmt: skip
                        files.append(out)
                        writers[key] = csv.writer(out, lineterminator="\n")
                        writers[key].writerow(header)
                    writers[key].writerow(row)
        for out in files:
            out.close()
        (folder / "done").write_text("", encoding="utf-8")
    return [(f"bench-{d.name}", d) for d in sorted(p for p in folder.iterdir() if p.is_dir())]


def prepare(
    streets: int, seed: int, store_kind: str, clear: bool, layout: str
) -> tuple[Path, Settings]:
    """The synth data loaded into the store; the home folder (accounts live there) and settings."""
    base = OUT / f"serve-{streets}-{seed}"
    data, home = base / "data", base / f"home-{store_kind}-{layout}"
    if not (data / "GAPS.json").exists():
        log(f"synth {streets} streets → {data}")
        synth(data, streets=streets, seed=seed)
    parts = [("bench", data)] if layout == "one" else by_district(data)
    settings = Settings.from_env(store_kind, home)
    store = open_store(settings)
    try:
        if clear and store_kind == "neo4j":
            store.clear()  # type: ignore[attr-defined]
        held = set(store.datasets())
        for name, folder in parts:
            if name not in held:
                log(f"load {name} into {store_kind} …")
                t = time.perf_counter()
                load(store, load_dataset(folder, name=name))
                log(f"loaded {name} in {time.perf_counter() - t:.0f} s")
    finally:
        store.close()
    return home, settings


def street_grid(store: Any) -> str:
    """The uid of the first street grid of the dataset."""
    rows = store.building_rows()
    first = min(r["uid"] for r in rows)
    answer = who_covers(store, first)
    street = next(lvl for lvl in answer["chain"] if lvl["level"] == "street")
    return f"{answer['building']['dataset']}:{street['grid']['id']}"


def accounts(home: Path, grid: str) -> None:
    db = Accounts(db_path(home))
    for name, role, g in (("staff", Role.STAFF, grid), ("admin", Role.ADMIN, None)):
        if db.find(name) is None:
            db.add(name, PASSWORD, role, g)


# -- the server ------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_server(home: Path, store_kind: str, port: int) -> subprocess.Popen[bytes]:
    exe = Path(sys.executable).parent / "shanzhi"
    proc = subprocess.Popen(
        [str(exe), "--store", store_kind, "--home", str(home), "serve", "--host", HOST,
         "--port", str(port)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://{HOST}:{port}/login", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("the server did not start")


def session(base: str, name: str) -> httpx.Client:
    """A client logged in as ``name``."""
    assert base.startswith(f"http://{HOST}:"), "this tool talks to 127.0.0.1 only"
    client = httpx.Client(base_url=base, timeout=600)  # the first request builds the scope
    page = client.get("/login").text
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert token
    r = client.post("/login", data={"username": name, "password": PASSWORD,
                                    "csrf": token.group(1)})  # fmt: skip
    assert r.status_code in (200, 303), r.status_code
    return client


def timed(client: httpx.Client, url: str) -> tuple[float, int]:
    t = time.perf_counter()
    r = client.get(url)
    return time.perf_counter() - t, r.status_code


# -- the phases ------------------------------------------------------------------------------------
def typing(client: httpx.Client, buildings: list[dict[str, Any]]) -> tuple[list[float], int]:
    samples, errors = [], 0
    for b in buildings:
        text = b["address"] or b["name"]
        for i in range(1, len(text) + 1):
            dt, code = timed(client, "/api/suggest?q=" + quote(text[:i]))
            samples.append(dt)
            errors += code != 200
    return samples, errors


def cards(client: httpx.Client, buildings: list[dict[str, Any]]) -> tuple[list[float], int]:
    samples, errors = [], 0
    for b in buildings:
        dt, code = timed(client, "/building/" + quote(b["uid"], safe=""))
        samples.append(dt)
        errors += code != 200
    return samples, errors


def throughput(
    base: str, name: str, buildings: list[dict[str, Any]], clients: int, seconds: float,
    max_requests: int,
) -> dict[str, Any]:  # fmt: skip
    sessions = [session(base, name) for _ in range(clients)]  # logged in before the clock starts
    stop = time.monotonic() + seconds
    lock = threading.Lock()
    counts = {"requests": 0, "errors": 0}
    latencies: list[float] = []

    def work(seed: int) -> None:
        rng = random.Random(seed)
        client = sessions[seed]
        while time.monotonic() < stop:
            with lock:
                if counts["requests"] >= max_requests:
                    return
                counts["requests"] += 1
            b = rng.choice(buildings)
            if rng.random() < 0.75:
                text = b["address"] or b["name"]
                url = "/api/suggest?q=" + quote(text[: rng.randint(2, len(text))])
            else:
                url = "/building/" + quote(b["uid"], safe="")
            dt, code = timed(client, url)
            with lock:
                latencies.append(dt)
                counts["errors"] += code != 200
        client.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": counts["requests"],
        "errors": counts["errors"],
        "rps": round(counts["requests"] / elapsed, 1),
        "latency": pct(latencies),
    }


def library_baseline(settings: Settings, buildings: list[dict[str, Any]]) -> list[float]:
    store = open_store(settings)
    who_covers(store, buildings[0]["uid"])  # warm: the finder's index
    samples = []
    for b in buildings:
        t = time.perf_counter()
        who_covers(store, b["uid"])
        samples.append(time.perf_counter() - t)
    store.close()
    return samples


def run(args: argparse.Namespace) -> dict[str, Any]:
    home, settings = prepare(args.streets, args.seed, args.store, args.clear_neo4j, args.layout)
    store = open_store(settings)
    grid = street_grid(store)
    street = grid.split(":", 1)[1].rsplit("-GRID", 1)[0]
    rows: list[dict[str, Any]] = [
        dict(r) for r in store.building_rows() if (r["id"] or "").startswith(street + "-")
    ]
    store.close()
    accounts(home, grid)
    rng = random.Random(args.seed)
    sample = rng.sample(rows, min(args.buildings, len(rows)))
    port = free_port()
    server = start_server(home, args.store, port)
    base = f"http://{HOST}:{port}"
    result: dict[str, Any] = {"store": args.store, "streets": args.streets, "grid": grid,
                              "buildings_in_street": len(rows)}  # fmt: skip
    try:
        for name in ("staff", "admin"):
            client = session(base, name)
            t = time.perf_counter()
            typing(client, sample[:2])
            cards(client, sample[:2])
            result[f"{name}_warm_up_s"] = round(time.perf_counter() - t, 2)
            floor = [timed(client, "/static/app.css")[0] for _ in range(200)]
            suggest, e1 = typing(client, sample)
            card, e2 = cards(client, sample)
            result[name] = {
                "floor": pct(floor),
                "suggest": pct(suggest),
                "card": pct(card),
                "errors": e1 + e2,
            }
            client.close()
            log(f"{name}: suggest {result[name]['suggest']} card {result[name]['card']}")
        lib = pct(library_baseline(settings, sample))
        result["library_who_covers"] = lib
        result["throughput"] = throughput(
            base, "staff", sample, args.clients, args.seconds, args.max_requests
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return result


def report(r: dict[str, Any]) -> None:
    print(f"\nshanzhi serve on the {r['store']} store, {r['streets']} streets; staff account of "
          f"{r['grid']} ({r['buildings_in_street']} buildings)")  # fmt: skip
    lib = r["library_who_covers"]["p50"]
    for name in ("staff", "admin"):
        m = r[name]
        floor = m["floor"]["p50"]
        print(f"  {name:5s} warm-up {r[f'{name}_warm_up_s']} s; floor /static p50 {floor} ms")
        for what in ("suggest", "card"):
            p = m[what]
            print(f"    {what:7s} n={p['n']:5d}  p50 {p['p50']:7.2f} ms  p95 {p['p95']:7.2f} ms"
                  f"  p99 {p['p99']:7.2f} ms  p50/floor {p['p50'] / floor:5.1f}x"
                  f"  p50/library {p['p50'] / lib:5.1f}x")  # fmt: skip
        print(f"    errors {m['errors']}")
    print(f"  library who_covers in-process p50 {lib} ms, p95 {r['library_who_covers']['p95']} ms")
    t = r["throughput"]
    print(f"  throughput: {t['clients']} clients, {t['seconds']} s, {t['requests']} requests, "
          f"{t['rps']} req/s, {t['errors']} errors, latency {t['latency']}")  # fmt: skip
    print(json.dumps(r, ensure_ascii=False))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--streets", type=int, default=15)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--store", choices=("embedded", "neo4j"), default="embedded")
    ap.add_argument("--clear-neo4j", action="store_true", help="Empty the Neo4j database first.")
    ap.add_argument("--layout", choices=("one", "districts"), default="one",
                    help="one dataset, or one per district (bench-D01 …)")  # fmt: skip
    ap.add_argument("--buildings", type=int, default=60, help="Buildings typed and opened.")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--max-requests", type=int, default=50_000)
    args = ap.parse_args()
    os.environ.setdefault("SHANZHI_STORE", args.store)
    report(run(args))


if __name__ == "__main__":
    main()
