"""Benchmark: how long a 5,000-node picture takes to open and settle in headless Chromium.

The picture is real data: a synthetic dataset of two streets (``shanzhi.synth``, seed 7, ~9,400
nodes) is loaded into an embedded store, and the first ``--nodes`` nodes reached breadth-first
from the first street grid (relations followed both ways) are drawn with every relation among
them, as ``shanzhi.viz.picture_of`` builds any picture. Two ways to lay it out:

``python`` (what ``shanzhi viz`` ships)
    positions computed in Python when the page is written (``shanzhi.viz.layout.force_layout``:
    for a picture this big a radial breadth-first tree relaxed by a few grid-bucketed
    Fruchterman–Reingold steps; its time is reported separately); the page only draws.
``browser`` (with ``--browser-layout``; for comparison)
    no positions in the page: vis-network lays it out itself (Barnes–Hut, ``improvedLayout``
    off and 150 stabilisation iterations over 1,000 nodes), then stops the physics.

"Open and settle" is wall-clock time from asking a fresh tab to navigate to the file until the
page's own flag ``window.__shanzhi.settled`` is true (set on vis-network's
``stabilizationIterationsDone``, or on the first drawing when there is no physics), polled every
20 ms; the median of ``--runs`` runs is reported against the target of 10 s, with the CPU time
all Chromium processes spent meanwhile (from /proc: on a shared, busy machine wall-clock time
grows while CPU time does not). One screenshot of each is written to ``bench/out/``.

Run: ``.venv/bin/python bench/viz.py [--nodes 5000] [--runs 3] [--browser-layout] [--json F]``
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path
from typing import Any

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shanzhi.graph.stores import load
from shanzhi.graph.stores.embedded import EmbeddedStore
from shanzhi.loaders import load_dataset
from shanzhi.synth import synth
from shanzhi.viz.browser import Browser, find_chromium
from shanzhi.viz.html import write_html
from shanzhi.viz.layout import force_layout
from shanzhi.viz.picture import Picture, picture_of

TARGET_S = 10.0
SETTLED = "window.__shanzhi && (window.__shanzhi.settled || window.__shanzhi.error)"
OUT = Path(__file__).resolve().parent / "out"


def first_nodes(g: nx.MultiDiGraph, n: int) -> list[str]:
    """The first ``n`` nodes breadth-first from the first street grid, relations both ways."""
    start = min(u for u, d in g.nodes(data=True) if d.get("level") == "street")
    seen, order, todo = {start}, [start], deque([start])
    while todo and len(order) < n:
        u = todo.popleft()
        for v in sorted(set(g.successors(u)) | set(g.predecessors(u))):
            if v not in seen and len(order) < n:
                seen.add(v)
                order.append(v)
                todo.append(v)
    return order


def cpu_seconds(root: int) -> float | None:
    """CPU time (user + system) used so far by process ``root`` and all its descendants."""
    ticks = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(proc.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks)
    if root not in stats:
        return None
    family, grew = {root}, True
    while grew:
        more = {pid for pid, (ppid, _) in stats.items() if ppid in family} - family
        family |= more
        grew = bool(more)
    return sum(stats[pid][1] for pid in family)


def open_and_settle(
    browser: Browser, path: Path
) -> tuple[float, float | None, dict[str, Any], bytes | None]:
    """Seconds to the settled flag, Chromium's CPU seconds, the page's report, a screenshot."""
    page = browser.open("about:blank", 1400, 900)
    pid = browser.pid
    cpu_before = cpu_seconds(pid)
    start = time.perf_counter()
    page.send("Page.navigate", {"url": path.as_uri()})
    page.wait_for(SETTLED, timeout=300, poll=0.02)
    seconds = time.perf_counter() - start
    cpu_after = cpu_seconds(pid)
    cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    report = page.evaluate(
        "(() => { const s = window.__shanzhi; return {error: s.error, nodes: s.nodes,"
        " edges: s.edges, visible: s.visible, by: s.settledBy, page_ms: s.settledAt}; })()"
    )
    png = page.screenshot()
    page.close()
    return seconds, cpu, report, png


def ink(png: bytes) -> float:
    """Share of pixels unlike the background (Pillow, a dev dependency)."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L").resize((350, 225))
    colours = image.getcolors(maxcolors=256) or []
    return 1 - max(c for c, _ in colours) / (350 * 225)


def measure(browser: Browser, pic: Picture, name: str, runs: int, folder: Path) -> dict[str, Any]:
    path = write_html(pic, folder / f"viz-{name}.html")
    times, cpus, report, png = [], [], {}, b""
    for _ in range(runs):
        seconds, cpu, report, shot = open_and_settle(browser, path)
        times.append(seconds)
        cpus.append(cpu)
        png = shot or png
    OUT.mkdir(exist_ok=True)
    (OUT / f"viz-{len(pic.nodes)}-{name}.png").write_bytes(png)
    if report.get("error"):
        raise SystemExit(f"the page failed: {report['error']}")
    return {
        "layout": name,
        "runs_s": [round(t, 2) for t in times],
        "median_s": round(statistics.median(times), 2),
        "chromium_cpu_s": [None if c is None else round(c, 2) for c in cpus],
        "page_reported_ms": round(report.get("page_ms") or 0),
        "settled_by": report.get("by"),
        "nodes": report.get("nodes"),
        "edges": report.get("edges"),
        "html_mb": round(path.stat().st_size / 1e6, 2),
        "screenshot_ink": round(ink(png), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--browser-layout", action="store_true", help="also time vis-network laying it out"
    )
    args = parser.parse_args()
    if find_chromium() is None:
        raise SystemExit("needs Chromium: apt-get install -y chromium fonts-noto-cjk")
    with tempfile.TemporaryDirectory(prefix="shanzhi-bench-viz-") as tmp:
        folder = Path(tmp)
        streets = max(1, -(-args.nodes // 4500))
        synth(folder / "data", streets=streets, seed=7)
        store = EmbeddedStore(folder / "home")
        load(store, load_dataset(folder / "data"))
        g = store.snapshot().to_networkx()
        uids = first_nodes(g, args.nodes)
        pic = picture_of(g, uids, f"{len(uids)} 个节点", "force")
        results = []
        with Browser(timeout=300) as browser:
            start, cpu = time.perf_counter(), time.process_time()
            force_layout(pic)
            python_s, python_cpu = time.perf_counter() - start, time.process_time() - cpu
            row = measure(browser, pic, "python", args.runs, folder)
            row.update(python_layout_s=round(python_s, 2), python_layout_cpu_s=round(python_cpu, 2))
            results.append(row)
            if args.browser_layout:
                free = Picture(pic.title, "force", pic.nodes, pic.edges, positions_free=True)
                for node in free.nodes:
                    node.x = node.y = None
                results.append(measure(browser, free, "browser", args.runs, folder))
    version = subprocess.run(
        [find_chromium() or "chromium", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    summary = {
        "benchmark": "viz open and settle",
        "target_s": TARGET_S,
        "machine": f"{platform.machine()} {platform.system()}, Python {platform.python_version()}",
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "chromium": version,
        "graph": {"nodes": len(pic.nodes), "edges": len(pic.edges), "streets": streets},
        "results": results,
    }
    print(f"{len(pic.nodes)} nodes, {len(pic.edges)} edges · {version}")
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    head = f"{'layout':<8}{'median s':>9}{'runs s':>22}{'chromium cpu s':>22}{'python s':>18}"
    print(f"{head}{'MB':>6}  verdict")
    for r in results:
        verdict = "ok" if r["median_s"] <= TARGET_S else f"over {TARGET_S:.0f} s"
        runs = ", ".join(f"{t:.2f}" for t in r["runs_s"])
        cpus = ", ".join("-" if c is None else f"{c:.2f}" for c in r["chromium_cpu_s"])
        py = f"{r['python_layout_s']:.2f}" if "python_layout_s" in r else "-"
        if "python_layout_cpu_s" in r:
            py += f" (cpu {r['python_layout_cpu_s']:.2f})"
        print(
            f"{r['layout']:<8}{r['median_s']:>9.2f}{runs:>22}{cpus:>22}{py:>18}"
            f"{r['html_mb']:>6.1f}  {verdict}"
        )
    if args.json:
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
