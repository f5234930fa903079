"""The address parser's cost per query, and the lookup keys' candidate sets at district scale.

Prints p50/p95 per query of ``parse`` and of ``parse`` + ``query_keys`` over the finder corpus
(tests/address), against plain ``unicodedata.normalize("NFKC", …)`` of the same strings measured
in the same run (the floor of any normalisation). The target (issue 12): parse ≤ 1 ms p95.
With ``--streets N`` it also synthesises N streets, indexes every building's keys in memory
(shanzhi.address.KeyIndex: what a store's key table holds) and prints how many rows the corpus
queries read (p50/p95/max) and how many keys a building has.

    .venv/bin/python bench/address.py --streets 15
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shanzhi.address import KeyIndex, building_keys, parse, query_keys  # noqa: E402
from shanzhi.address.parse import parse as parse_uncached  # noqa: E402
from shanzhi.synth import synth  # noqa: E402
from tests.address.corpus import read_cases, sample_cases, synth_cases  # noqa: E402
from tests.address.rows import rows_of, sample_rows  # noqa: E402


def _times(fn: Callable[[str], object], queries: list[str], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        for q in queries:
            t = time.perf_counter()
            fn(q)
            out.append(time.perf_counter() - t)
    return out


def _pct(xs: list[float], p: float) -> float:
    return sorted(xs)[min(len(xs) - 1, int(p * len(xs)))]


def _line(name: str, xs: list[float], base: float) -> str:
    p50, p95 = statistics.median(xs), _pct(xs, 0.95)
    return f"{name:<28} p50 {p50 * 1e6:8.1f} µs   p95 {p95 * 1e6:8.1f} µs   p50 ×{p50 / base:6.1f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--streets", type=int, default=0, help="also measure candidate sets")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        synth(Path(d), streets=1, seed=1)
        street = rows_of(Path(d), "synth")
    cases = [*read_cases(), *sample_cases(sample_rows()), *synth_cases(street)]
    queries = sorted({c.query for c in cases})
    parse("warm up")  # the OpenCC converter is built once per process
    base = _times(lambda q: unicodedata.normalize("NFKC", q), queries, args.rounds)
    b50 = statistics.median(base)
    print(f"{len(queries)} distinct corpus queries, {args.rounds} rounds each")
    print(_line("unicodedata.normalize", base, b50))
    print(_line("parse", _times(parse_uncached, queries, args.rounds), b50))
    both = _times(lambda q: query_keys(parse_uncached(q)), queries, args.rounds)
    print(_line("parse + query_keys", both, b50))
    if args.streets:
        _candidates(args.streets, queries)


def _candidates(streets: int, queries: list[str]) -> None:
    with tempfile.TemporaryDirectory() as d:
        synth(Path(d), streets=streets, seed=1)
        rows = rows_of(Path(d), "synth")
    t = time.perf_counter()
    index = KeyIndex(rows)
    took = time.perf_counter() - t
    per = [len(building_keys(r)) for r in rows[:2000]]
    print(f"{streets} streets: {len(rows):,} buildings, {len(index.by_key):,} distinct keys, "
          f"keys per building p50 {statistics.median(per):.0f} max {max(per)}, "
          f"indexed in {took:.1f} s")  # fmt: skip
    sizes = []
    for q in queries:
        a = parse(q)
        if a.road or a.place:
            sizes.append(len(index.candidates(query_keys(a))))
    p50, p95 = statistics.median(sizes), _pct(sizes, 0.95)
    print(f"rows read per query naming a road or an estate ({len(sizes)} queries): "
          f"p50 {p50:.0f}  p95 {p95}  max {max(sizes)}")  # fmt: skip


if __name__ == "__main__":
    main()
