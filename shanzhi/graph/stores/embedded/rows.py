"""Nodes, relations and load records as the rows of :mod:`.sql`, and back.

``props`` is the JSON of exactly the property map a load was given (the networkx store's node and
edge attributes minus ``label``/``type``), so every read gives back what was written; the other
columns repeat a few properties for the indexes.

>>> row = node_row("d:B1", "Place", {"dataset": "d", "kind": "building", "name": "1号楼",
...                                  "fingerprint": "f", "load_seq": 1})
>>> row[:8]
('d:B1', 'd', 'Place', 'building', None, '1号楼', 'f', 1)
>>> props(row[8]) == {"dataset": "d", "kind": "building", "name": "1号楼", "fingerprint": "f",
...                   "load_seq": 1}
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from shanzhi.graph.stores.lookup import LookupEntry

#: The load stamp of the load that last wrote a record (``shanzhi.graph.stores.sync.SEQ``; not
#: imported from there, which would load the model at start-up).
SEQ = "load_seq"

__all__ = [
    "NodeRow",
    "RelationRow",
    "as_text",
    "dumps",
    "entry_row",
    "key_rows",
    "node_row",
    "props",
    "relation_row",
]

NodeRow = tuple[str, str, str, str | None, str | None, str | None, str, int | None, str]
RelationRow = tuple[str, str, str, str, str, str | None, str | None, str, int | None, str]


def dumps(value: Any) -> str:
    """JSON text (orjson: no code runs when it is read back)."""
    return orjson.dumps(value).decode()


def props(text: str | bytes) -> dict[str, Any]:
    """A stored property map."""
    value: dict[str, Any] = orjson.loads(text)
    return value


def as_text(value: Any) -> str | None:
    """A property as an index column holds it: text, or NULL when absent.

    >>> as_text("building"), as_text(None), as_text(3)
    ('building', None, '3')
    """
    return None if value is None else str(value)


def _seq(p: Mapping[str, Any]) -> int | None:
    seq = p.get(SEQ)
    return seq if isinstance(seq, int) and not isinstance(seq, bool) else None


def node_row(uid: str, label: str, p: Mapping[str, Any]) -> NodeRow:
    """The row of a node (``p`` without ``label``)."""
    return (
        uid,
        str(p.get("dataset", "")),
        label,
        as_text(p.get("kind")),
        as_text(p.get("level")),
        as_text(p.get("name")),
        str(p.get("fingerprint", "")),
        _seq(p),
        dumps(p),
    )


def relation_row(
    uid: str, rtype: str, source: str, target: str, p: Mapping[str, Any]
) -> RelationRow:
    """The row of a relation (``p`` without ``type``)."""
    start, end = p.get("valid_from"), p.get("valid_to")
    return (
        uid,
        str(p.get("dataset", "")),
        rtype,
        source,
        target,
        start if isinstance(start, str) else None,
        end if isinstance(end, str) else None,
        str(p.get("fingerprint", "")),
        _seq(p),
        dumps(p),
    )


def entry_row(e: LookupEntry) -> tuple[str, str, str, str]:
    """The row of a building's lookup entry."""
    return (e.uid, e.dataset, e.digest, dumps(e.row))


def key_rows(e: LookupEntry) -> list[tuple[str, str]]:
    """One row per lookup key of the entry (the keys are computed here)."""
    return [(key, e.uid) for key in e.keys()]  # noqa: SIM118 - the entry's keys, no dict
