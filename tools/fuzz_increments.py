"""Random edits of a dataset, each loaded with the row memo and plainly: both must agree.

    .venv/bin/python tools/fuzz_increments.py                     # the sample's tables, 300 edits
    .venv/bin/python tools/fuzz_increments.py --seed 6 --edits 300 --folder bench/out/cold-1
    .venv/bin/python tools/fuzz_increments.py --neo4j   # the memo's loads into NEO4J_URI (EMPTIED)
    .venv/bin/python tools/fuzz_increments.py --xlsx    # the tables as sheets of one workbook

Each edit changes one table of a copy of the folder: a cell taken from another row of its column
or changed a little (mostly in the columns a street office edits: names, addresses, kinds, the
link columns), a row near the end deleted, a row appended with a new id, or two rows swapped.
Both loads must give the same report or the same problems, and the same records and lookup
entries; a refused edit is put back. It prints how many edits loaded, were refused, and were read
row by row. ``tests/test_increments.py`` runs the same comparison on fixed cases in every test run.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from shanzhi.errors import DataError
from shanzhi.graph.stores import GraphStore, increments, load_folder
from shanzhi.graph.stores.embedded import EmbeddedStore
from shanzhi.sample import sample_path

TABLES = ["grids", "places", "orgs", "people", "projects", "relations"]
#: The columns a street office edits most: most cell edits fall in them.
SOFT = set(
    [
        "name",
        "address",
        "aliases",
        "note",
        "role",
        "phone",
        "party_member",
        "status",
        "kind",
        "level",
        "valid_from",
        "valid_to",
        "grid_id",
        "parent_id",
        "road_id",
        "place_id",
    ]
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--edits", type=int, default=300)
    ap.add_argument("--folder", type=Path, default=None, help="CSV tables (default: the sample's)")
    ap.add_argument("--neo4j", action="store_true", help="load with the memo into Neo4j")
    ap.add_argument("--xlsx", action="store_true", help="the tables as sheets of one workbook")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp())
    folder = tmp / "dataset"
    folder.mkdir()
    for f in (args.folder or sample_path()).glob("*.csv"):
        shutil.copy(f, folder / f.name)
    home = tmp / "memo-home"
    memo_store: GraphStore = EmbeddedStore(home)
    if args.neo4j:
        from shanzhi.config import Settings
        from shanzhi.graph.stores.neo4j import Neo4jStore

        neo4j = Neo4jStore.connect(Settings.from_env("neo4j", str(home)))
        neo4j.clear()
        memo_store = neo4j
    plain_store = EmbeddedStore(tmp / "plain")
    by_rows: list[bool] = []
    real = increments._load_increment

    def spy(*a: Any, **k: Any) -> Any:
        report = real(*a, **k)
        by_rows.append(report is not None)
        return report

    increments._load_increment = spy

    sheets: dict[str, list[list[str]]] = {}
    if args.xlsx:  # the CSV files become the sheets of one workbook
        for f in sorted(folder.glob("*.csv")):
            with f.open(encoding="utf-8", newline="") as fh:
                sheets[f.stem] = list(csv.reader(fh))
            f.unlink()
        _save(folder, sheets)

    def rows(t: str) -> list[list[str]]:
        if args.xlsx:
            return [list(r) for r in sheets[t]]
        with (folder / f"{t}.csv").open(encoding="utf-8", newline="") as fh:
            return list(csv.reader(fh))

    def write(t: str, r: list[list[str]]) -> None:
        if args.xlsx:
            sheets[t] = r
            _save(folder, sheets)
            return
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(r)
        (folder / f"{t}.csv").write_text(out.getvalue(), encoding="utf-8")

    def load() -> bool:
        outcomes: list[tuple[Any, Any]] = []
        for store, memo_home in ((memo_store, home), (plain_store, None)):
            try:
                outcomes.append((load_folder(store, folder, "d", home=memo_home), None))
            except DataError as e:
                outcomes.append((None, e.problems))
        if outcomes[0] != outcomes[1]:
            sys.exit(f"the loads differ: {outcomes}")
        if memo_store.snapshot("d") != plain_store.snapshot("d"):
            sys.exit("the stores hold different records")
        if memo_store.fingerprints("d") != plain_store.fingerprints("d"):
            sys.exit("the stores hold different lookup entries")
        return outcomes[0][1] is None

    load()
    counts = {"loaded": 0, "refused": 0, "row by row": 0}
    start = time.perf_counter()
    for i in range(args.edits):
        t = rng.choice(TABLES)
        r = rows(t)
        before = [list(x) for x in r]
        _edit(rng, t, r, i)
        write(t, r)
        by_rows.clear()
        if load():
            counts["loaded"] += 1
        else:
            counts["refused"] += 1
            write(t, before)
        counts["row by row"] += bool(by_rows and by_rows[-1])
    print(f"seed {args.seed}: {counts}, all agreed, {time.perf_counter() - start:.1f} s")


def _save(folder: Path, sheets: dict[str, list[list[str]]]) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(folder / "台账.xlsx")


def _edit(rng: random.Random, table: str, r: list[list[str]], i: int) -> None:
    what = rng.random()
    if what < 0.55:  # a cell from another row of its column, or changed a little
        k = rng.randrange(1, len(r))
        soft = [c for c, h in enumerate(r[0]) if h in SOFT]
        c = rng.choice(soft) if soft and rng.random() < 0.7 else rng.randrange(len(r[0]))
        r[k][c] = rng.choice(r[1:])[c] if rng.random() < 0.8 else r[k][c] + "x"
    elif what < 0.7 and len(r) > 3:  # a row near the end deleted (few lines shift)
        del r[rng.randrange(max(1, len(r) - 5), len(r))]
    elif what < 0.85:  # a row appended, with a new id (a relation row as it is: a duplicate)
        new = list(rng.choice(r[1:]))
        if table != "relations":
            new[0] = f"{new[0]}-N{i}"
        r.append(new)
    elif len(r) > 4:  # the last two rows swapped
        r[-1], r[-2] = r[-2], r[-1]


if __name__ == "__main__":
    main()
