"""Building rows as a store gives them (``{uid, id, dataset, name, address, aliases, parents}``),
read straight from a dataset's places.csv: every PART_OF ancestor, nearest first, and the
building's road (``road_id``) as a parent of kind ``road``. The corpus runs on these rows so that
it needs no store; the stores' ``building_candidates`` must give the same rows."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "gonghexinlu"


def rows_of(folder: Path, dataset: str) -> list[dict[str, Any]]:
    """Every building of a dataset folder as a finder row."""
    with (folder / "places.csv").open(encoding="utf-8") as fh:
        places = {r["id"]: r for r in csv.DictReader(fh)}

    def place(pid: str) -> dict[str, Any]:
        p = places[pid]
        return {"name": p["name"], "aliases": p.get("aliases") or None, "kind": p["kind"]}

    rows = []
    for pid, p in places.items():
        if p["kind"] != "building":
            continue
        parents, up = [], p.get("parent_id")
        while up:
            parents.append(place(up))
            up = places[up].get("parent_id")
        if p.get("road_id"):
            parents.append(place(p["road_id"]))
        rows.append(
            {
                "uid": f"{dataset}:{pid}",
                "id": pid,
                "dataset": dataset,
                "name": p["name"],
                "address": p.get("address") or None,
                "aliases": p.get("aliases") or None,
                "parents": parents,
            }
        )
    return rows


@cache
def sample_rows() -> tuple[dict[str, Any], ...]:
    """The 44 buildings of the bundled 共和新路 sample."""
    return tuple(rows_of(SAMPLE, "gonghexinlu"))
