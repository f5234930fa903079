"""The finder's index, computed at load time and kept in the store beside the graph.

For every building of a dataset, a load computes its *lookup entry*: the row the finder reads
(:class:`~shanzhi.graph.stores.interface.BuildingRow`: uid, id, name, address, aliases and its
place ancestors up PART_OF, nearest first) and the lookup keys of that row
(:func:`shanzhi.address.keys.building_keys`). A store keeps the entries in an indexed form (a key
table on SQLite, a key-word full-text index on Neo4j) and answers
``building_candidates(keys)`` with the rows of the buildings that have any of those keys — the
few a query can mean, never every building.

Each entry has a ``digest`` of its row and :data:`~shanzhi.address.keys.KEYS_VERSION` (the keys
are a function of both), so a load computes the keys of, and writes, only the entries whose digest
changed (a renamed estate changes its buildings' entries; a new key version changes them all,
once), exactly like the records' fingerprints.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from shanzhi.graph.model import Label, PlaceKind, RelType
from shanzhi.graph.model.dataset import Dataset, StoredNode, StoredRelation
from shanzhi.graph.model.rules import MAX_PLACE_CLIMB
from shanzhi.graph.stores.rows import BuildingParent, BuildingRow

__all__ = ["LookupEntry", "entries_from", "entry_of", "lookup_entries"]


@dataclass(frozen=True)
class LookupEntry:
    """One building's row, as a store keeps it, and the digest of row and key version."""

    uid: str
    dataset: str
    row: BuildingRow
    digest: str

    def keys(self) -> tuple[str, ...]:
        """The building's lookup keys (computed when the entry is written)."""
        from shanzhi.address.keys import building_keys

        return tuple(sorted(building_keys(self.row)))


def entry_of(row: BuildingRow, dataset: str) -> LookupEntry:
    """The entry of one building row."""
    from shanzhi.address.keys import KEYS_VERSION

    payload = orjson.dumps([KEYS_VERSION, row], option=orjson.OPT_SORT_KEYS)
    digest = hashlib.blake2b(payload, digest_size=12).hexdigest()
    return LookupEntry(row["uid"], dataset, row, digest)


def _aliases(value: Any) -> Any:
    return value if value not in ("", []) else None


def lookup_entries(dataset: Dataset) -> dict[str, LookupEntry]:
    """uid → the lookup entry of every building of ``dataset``."""
    return entries_from(dataset.name, dataset.stored_nodes(), dataset.stored_relations())


def entries_from(
    name: str, nodes: Iterable[StoredNode], relations: Iterable[StoredRelation]
) -> dict[str, LookupEntry]:
    """uid → the lookup entry of every building among the stored records of dataset ``name``
    (e.g. a store's own records, when it builds the index of a graph it converted)."""
    places: dict[str, Mapping[str, Any]] = {}
    for n in nodes:
        if n.label == Label.PLACE.value:
            places[n.uid] = n.props
    parents: dict[str, list[str]] = defaultdict(list)
    for r in relations:
        if r.type == RelType.PART_OF.value and r.source in places and r.target in places:
            parents[r.source].append(r.target)
    out: dict[str, LookupEntry] = {}
    for uid, props in places.items():
        if props.get("kind") != PlaceKind.BUILDING.value:
            continue
        row: BuildingRow = {
            "uid": uid,
            "id": _str(props.get("id")),
            "dataset": name,
            "name": _str(props.get("name")),
            "address": _str(props.get("address")),
            "aliases": _aliases(props.get("aliases")),
            "parents": _ancestors(uid, parents, places, name),
        }
        out[uid] = entry_of(row, name)
    return out


def _str(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _parent(d: Mapping[str, Any]) -> BuildingParent:
    return {
        "name": _str(d.get("name")),
        "aliases": _aliases(d.get("aliases")),
        "kind": _str(d.get("kind")),
    }


def _ancestors(
    uid: str,
    parents: Mapping[str, list[str]],
    places: Mapping[str, Mapping[str, Any]],
    dataset: str,
) -> list[BuildingParent]:
    """The place ancestors of ``uid`` up PART_OF, nearest first (then by uid), each once, then
    the road of the nearest place that names one (``road_id``), as who-covers finds it."""
    seen, out, level = {uid}, [], sorted(parents.get(uid, ()))
    road = places[uid].get("road_id")
    for _ in range(MAX_PLACE_CLIMB):
        if not level:
            break
        nxt: set[str] = set()
        for p in level:
            if p in seen:
                continue
            seen.add(p)
            out.append(_parent(places[p]))
            road = road or places[p].get("road_id")
            nxt.update(parents.get(p, ()))
        level = sorted(nxt - seen)
    road_uid = f"{dataset}:{road}"
    if road and road_uid in places and road_uid not in seen:
        out.append(_parent(places[road_uid]))
    return out
