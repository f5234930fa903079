"""The load record: what each load changed, kept by both stores so "what changed?" has an answer.

Every load that changes something gets the next number of its dataset (1, 2, …) and leaves:

* a stamp on each record it created or updated: ``load_seq`` (that number) and ``load_change``
  (``created`` or ``updated``). Unchanged records keep the stamp of the load that last wrote them;
* a :class:`LoadRecord`: when, from which folder, the created/updated/removed/unchanged counts, and
  what each removed record was (uid, label or type, name, source file and line) — a removed record
  is gone from the graph, so only the record can say what it was.

The embedded store keeps the records in its ``loads`` table beside the graph; Neo4j keeps each as a
``(:Load)`` node (not ``:Entity``, so loads never count, fingerprint, snapshot or remove it).
The stamps are store bookkeeping, not source data: fingerprints ignore them and snapshots (hence
exports and the parity tests) leave them out, so two stores holding the same dataset compare equal
whatever their load histories were.

A load with no change writes nothing — no stamp, no record — so "the last load" is the last one that
changed something. A record's stamp says the *last* load that wrote it: for the last load, the
stamped records plus the record's removals are exactly what changed; for an older load, records
written again since then show under the newer load (its counts stay exact). A Neo4j load killed
half-way leaves stamped records but no record; loading again takes the same number, so its list
holds both runs' writes while its counts are the second run's.

>>> from shanzhi.graph.stores.sync import Counts
>>> r = LoadRecord("d", 2, "2026-11-27T08:00:00Z", "/data/d", Counts(1, 0, 1, 5), Counts(),
...                (Removed("node", "Place", "d:B1", "1号楼", "places.csv", 3),))
>>> LoadRecord.from_props(r.as_props()) == r
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, astuple, dataclass, fields
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from shanzhi.graph.stores.stamps import CHANGE, LOAD_LABEL, SEQ, STAMPS
from shanzhi.graph.stores.sync import Counts

if TYPE_CHECKING:
    pass

__all__ = [
    "CHANGE",
    "CHANGE_COLUMNS",
    "LOAD_LABEL",
    "SEQ",
    "STAMPS",
    "Change",
    "Changes",
    "LoadRecord",
    "Removed",
    "link_name",
    "now",
    "pick",
    "removed_rows",
    "sort_changes",
]


_COUNT_FIELDS = ("created", "updated", "removed", "unchanged")


def link_name(source: str | None, target: str | None) -> str:
    """How a relation is named in a change list: its end nodes' names (``甲 → 乙``).

    >>> link_name("甲", None)
    '甲 → ?'
    """
    return f"{source or '?'} → {target or '?'}"


def now() -> str:
    """The current time as the records keep it: ISO 8601, UTC, whole seconds."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Removed:
    """What a removed record was: a node (label, name) or a relation (type, "a → b").

    No field is ever null: Neo4j keeps the removed records as lists, which cannot hold nulls.
    """

    what: str
    kind: str
    uid: str
    name: str
    source_file: str
    source_line: int


_REMOVED_FIELDS = tuple(f.name for f in fields(Removed))


@dataclass(frozen=True)
class LoadRecord:
    """One load that changed a dataset."""

    dataset: str
    seq: int
    at: str
    source: str
    nodes: Counts
    relations: Counts
    removed: tuple[Removed, ...] = ()
    #: The digest of the source files it was read from (:mod:`shanzhi.loaders.digest`), if known.
    digest: str = ""

    @property
    def uid(self) -> str:
        """The record's key in a store (``dataset#seq``)."""
        return f"{self.dataset}#{self.seq}"

    def as_props(self) -> dict[str, Any]:
        """Flat properties (Neo4j cannot store maps): counts, and the removed records as lists."""
        props: dict[str, Any] = {
            "uid": self.uid,
            "dataset": self.dataset,
            "seq": self.seq,
            "at": self.at,
            "source": self.source,
            "source_digest": self.digest,
        }
        for part in ("nodes", "relations"):
            counts = getattr(self, part)
            props.update({f"{part}_{f}": getattr(counts, f) for f in _COUNT_FIELDS})
        for f in _REMOVED_FIELDS:
            props[f"removed_{f}s"] = [getattr(r, f) for r in self.removed]
        return props

    @classmethod
    def from_props(cls, props: dict[str, Any]) -> LoadRecord:
        """The record of :meth:`as_props` (as either store gives it back)."""
        columns = [list(props.get(f"removed_{f}s") or []) for f in _REMOVED_FIELDS]
        return cls(
            dataset=str(props["dataset"]),
            seq=int(props["seq"]),
            at=_iso(props["at"]),
            source=str(props.get("source") or ""),
            nodes=Counts(**{f: int(props[f"nodes_{f}"]) for f in _COUNT_FIELDS}),
            relations=Counts(**{f: int(props[f"relations_{f}"]) for f in _COUNT_FIELDS}),
            removed=tuple(Removed(*row) for row in zip(*columns, strict=True)),
            digest=str(props.get("source_digest") or ""),
        )

    def summary(self) -> dict[str, Any]:
        """The record without its removed list, as plain data (``--json``)."""
        return {
            "dataset": self.dataset,
            "load": self.seq,
            "at": self.at,
            "source": self.source,
            "nodes": asdict(self.nodes),
            "relations": asdict(self.relations),
        }


def _iso(value: Any) -> str:
    """A stored time as ISO text (Neo4j gives back a DateTime, the embedded store a string)."""
    if isinstance(value, str):
        return value
    return str(value.to_native().astimezone(UTC).isoformat()).replace("+00:00", "Z")


@dataclass(frozen=True)
class Change:
    """One record a load created, updated or removed."""

    change: str
    what: str
    kind: str
    uid: str
    name: str | None
    source_file: str | None
    source_line: int | None


#: The fields of a change row, as changes.cypher names its columns.
CHANGE_COLUMNS = tuple(f.name for f in fields(Change))


@dataclass(frozen=True)
class Changes:
    """A load and what it changed (empty ``load`` and rows: the dataset was never changed)."""

    load: LoadRecord | None
    rows: tuple[Change, ...]

    def as_dict(self) -> dict[str, Any]:
        """Plain data (``--json``)."""
        return {
            "load": self.load.summary() if self.load else None,
            "changes": [asdict(row) for row in self.rows],
        }


def sort_changes(rows: Iterable[Change]) -> tuple[Change, ...]:
    """The order both stores give changes in: created, updated, removed; nodes first; by uid."""
    order = {"created": 0, "updated": 1, "removed": 2}
    return tuple(sorted(rows, key=lambda c: (order[c.change], c.what != "node", c.kind, c.uid)))


def removed_rows(record: LoadRecord) -> list[Change]:
    """The record's removals as change rows."""
    return [Change("removed", *astuple(r)) for r in record.removed]


def pick(records: Sequence[LoadRecord], seq: int | None) -> LoadRecord | None:
    """The record numbered ``seq``, or the last one; None if there is none."""
    if seq is None:
        return max(records, key=lambda r: r.seq, default=None)
    return next((r for r in records if r.seq == seq), None)
