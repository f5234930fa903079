"""Finding a building through lookup keys: the flow a store-backed finder follows.

:func:`resolve` asks ``candidates(keys)`` (``store.building_candidates``) for the rows having the
query's exact keys, matches them, and only when that finds nothing the query could mean asks
again with the typo keys. :class:`KeyIndex` is the same contract over rows held in memory: the
reference the stores are tested against, and what the corpus tests and the benchmark use.

>>> estate = {"name": "嘉利明珠城", "kind": "estate"}
>>> rows = [{"uid": "d:B12", "id": "B12", "name": "嘉利明珠城12号楼",
...          "address": "共和新路2288弄12号", "parents": [estate]}]
>>> index = KeyIndex(rows)
>>> m = resolve(parse("嘉利明城12号楼"), index.candidates)  # a character left out
>>> m["outcome"], m["kind"], m["rows"][0]["id"]
('one', 'guess', 'B12')
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from shanzhi.address.keys import building_keys, query_keys
from shanzhi.address.match import Match, match
from shanzhi.address.model import Address
from shanzhi.address.parse import parse

__all__ = ["Candidates", "KeyIndex", "find", "parse", "resolve"]

Candidates = Callable[[set[str]], list[Mapping[str, Any]]]


def resolve(a: Address, candidates: Candidates) -> Match:
    """Parse-free half of the finder: exact keys, then typo keys if nothing matched."""
    rows = candidates(query_keys(a)) if not a.relative else []
    found = match(a, rows)
    if found["outcome"] != "none" or a.relative:
        return found
    typo = query_keys(a, typo=True)
    if not typo:
        return found
    more = candidates(typo)
    return match(a, [*rows, *more]) if more else found


def find(query: str, candidates: Candidates) -> Match:
    """:func:`resolve` of a typed string."""
    return resolve(parse(query), candidates)


class KeyIndex:
    """Rows under their :func:`~shanzhi.address.keys.building_keys`, in memory."""

    def __init__(self, rows: Iterable[Mapping[str, Any]]) -> None:
        self.rows: list[Mapping[str, Any]] = list(rows)
        self.by_key: dict[str, list[int]] = defaultdict(list)
        for i, row in enumerate(self.rows):
            for key in building_keys(row):
                self.by_key[key].append(i)

    def candidates(self, keys: set[str]) -> list[Mapping[str, Any]]:
        """The rows having any of ``keys``, each once, in load order."""
        hits = sorted({i for k in keys for i in self.by_key.get(k, ())})
        return [self.rows[i] for i in hits]
