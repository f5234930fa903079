"""Streaming CSV output of a synthetic dataset: one writer per file, rows flushed per street.

The files and their English headers are those of docs/records.md, plus an ``origin`` column
that is ``synthetic`` on every row. Nothing but the current street is held in memory.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as d:
...     with Sink(pathlib.Path(d)) as sink:
...         sink.grid("G1", "示例总网格", "street")
...     (pathlib.Path(d) / "grids.csv").read_text(encoding="utf-8").splitlines()[1]
'G1,示例总网格,street,,,synthetic'
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from types import TracebackType
from typing import IO, Any

__all__ = ["HEADERS", "ORIGIN", "Sink"]

ORIGIN = "synthetic"

#: Each file of a dataset and its header, in the order they are written.
HEADERS: dict[str, tuple[str, ...]] = {
    "grids": ("id", "name", "level", "parent_id", "code", "origin"),
    "places": (
        "id",
        "name",
        "kind",
        "parent_id",
        "address",
        "grid_id",
        "road_id",
        "aliases",
        "origin",
    ),
    "orgs": ("id", "name", "kind", "parent_id", "grid_id", "place_id", "origin"),
    "people": ("id", "name", "party_member", "phone", "origin"),
    "projects": (
        "id",
        "name",
        "level",
        "lead_id",
        "grid_id",
        "status",
        "start",
        "end",
        "origin",
    ),
    "relations": (
        "source_id",
        "type",
        "target_id",
        "role",
        "valid_from",
        "valid_to",
        "note",
        "origin",
    ),
}


class Sink:
    """Buffered writers for the six files; counts rows, nodes by label/kind and relations.

    ``relations`` counts every relation the records give: the rows of relations.csv plus those
    implied by ``parent_id`` (PART_OF), ``grid_id`` (COVERS/LEADS/LOCATED_IN), ``lead_id`` (LEADS),
    ``road_id`` and ``place_id`` (LOCATED_IN).
    """

    def __init__(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self._files: list[IO[str]] = []
        self._writers: dict[str, Any] = {}
        self._buffers: dict[str, list[tuple[str, ...]]] = {name: [] for name in HEADERS}
        self.rows: Counter[str] = Counter()
        self.kinds: Counter[str] = Counter()
        self.relations = 0
        for name, header in HEADERS.items():
            f = (out / f"{name}.csv").open("w", encoding="utf-8", newline="")
            self._files.append(f)
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(header)
            self._writers[name] = writer

    def __enter__(self) -> Sink:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def grid(self, id_: str, name: str, level: str, parent: str = "", code: str = "") -> None:
        """A grid row (its parent gives PART_OF)."""
        self._buffers["grids"].append((id_, name, level, parent, code, ORIGIN))
        self.kinds["Grid:" + level] += 1
        self.relations += bool(parent)

    def place(
        self,
        id_: str,
        name: str,
        kind: str,
        parent: str = "",
        grid: str = "",
        address: str = "",
        road: str = "",
        aliases: str = "",
    ) -> None:
        """A place row (parent gives PART_OF, grid COVERS, road LOCATED_IN)."""
        self._buffers["places"].append(
            (id_, name, kind, parent, address, grid, road, aliases, ORIGIN)
        )
        self.kinds["Place:" + kind] += 1
        self.relations += bool(parent) + bool(grid) + bool(road)

    def org(
        self, id_: str, name: str, kind: str, parent: str = "", grid: str = "", place: str = ""
    ) -> None:
        """An organisation row (parent gives PART_OF, grid LEADS, place LOCATED_IN)."""
        self._buffers["orgs"].append((id_, name, kind, parent, grid, place, ORIGIN))
        self.kinds["Org:" + kind] += 1
        self.relations += bool(parent) + bool(grid) + bool(place)

    def person(self, id_: str, name: str, party: bool, phone: str) -> None:
        """A person row."""
        self._buffers["people"].append((id_, name, "true" if party else "false", phone, ORIGIN))
        self.kinds["Person"] += 1

    def project(
        self,
        id_: str,
        name: str,
        level: str,
        lead: str,
        grid: str,
        status: str,
        start: str,
        end: str,
    ) -> None:
        """A project row (lead gives LEADS, grid LOCATED_IN)."""
        self._buffers["projects"].append((id_, name, level, lead, grid, status, start, end, ORIGIN))
        self.kinds["Project:" + level] += 1
        self.relations += bool(lead) + bool(grid)

    def rel(
        self,
        source: str,
        type_: str,
        target: str,
        role: str = "",
        valid_from: str = "",
        valid_to: str = "",
        note: str = "",
    ) -> None:
        """A relations.csv row."""
        self._buffers["relations"].append(
            (source, type_, target, role, valid_from, valid_to, note, ORIGIN)
        )
        self.relations += 1

    def flush(self) -> None:
        """Write out and forget the buffered rows."""
        for name, rows in self._buffers.items():
            if rows:
                self._writers[name].writerows(rows)
                self.rows[name] += len(rows)
                rows.clear()

    def close(self) -> None:
        """Flush and close every file."""
        self.flush()
        for f in self._files:
            f.close()
        self._files.clear()

    @property
    def nodes(self) -> int:
        """Node rows written so far (every file but relations.csv)."""
        return sum(self.kinds.values())
