"""Finding a building through lookup keys: the flow a store-backed finder follows.

:func:`resolve` asks ``candidates(keys, limit)`` (``store.building_candidates``: the rows having
any of the keys, at most ``limit``, in uid order) first for the query's road and estate as typed
(:func:`~shanzhi.address.keys.exact_keys`, matched character for character): an answer at the
exact tier (``id``, ``exact``, ``alias``) is final, since every building that matches at that
tier has those keys, and it needs no pinyin. Otherwise it asks for the query's keys, matches
them, and only when that finds nothing the query could mean asks again with the typo keys.

A store answers at most :data:`LIMIT` rows: enough to tell "several" (over :data:`LISTED`
buildings are never listed whole anyway) and one more, so that an answer of exactly ``limit``
rows is known to be *capped*. A capped answer may hide rows that match, so it is never trusted
for "one" or "none": the same keys are asked again with :data:`WIDE`, and if that is capped too
the answer is "several" (or "none") with ``more`` set — never one building picked out of a part.

:class:`KeyIndex` is the same contract over rows held in memory: the reference the stores are
tested against, and what the corpus tests and the benchmark use.

>>> estate = {"name": "嘉利明珠城", "kind": "estate"}
>>> rows = [{"uid": f"d:B{n:02d}", "id": f"B{n:02d}", "name": f"嘉利明珠城{n}号楼",
...          "address": f"共和新路2288弄{n}号", "parents": [estate]} for n in range(1, 27)]
>>> index = KeyIndex(rows)
>>> m = resolve(parse("嘉利明城12号楼"), index.candidates)  # a character left out
>>> m["outcome"], m["kind"], m["rows"][0]["id"]
('one', 'guess', 'B12')
>>> m = resolve(parse("嘉利明珠城"), index.candidates)  # 26 buildings, 21 read
>>> m["outcome"], len(m["rows"]), m["more"]
('several', 21, True)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from shanzhi.address.keys import building_keys, exact_keys, query_keys
from shanzhi.address.match import TIERS, Match, match
from shanzhi.address.model import Address
from shanzhi.address.parse import parse

__all__ = ["LIMIT", "LISTED", "WIDE", "Candidates", "KeyIndex", "find", "parse", "resolve"]

#: Rows asked of a store per query: one more than are ever listed, so "capped" is visible.
LIMIT = 21
#: Buildings an ambiguous answer lists at most.
LISTED = LIMIT - 1
#: Rows asked the second time, when a capped answer could hide the building.
WIDE = 1000

Candidates = Callable[[Sequence[str], int], Sequence[Mapping[str, Any]]]


def _ask(
    a: Address,
    keys: set[str],
    candidates: Candidates,
    limit: int,
    before: Sequence[Any] = (),
    exact: bool = False,
) -> tuple[Match, list[Mapping[str, Any]]]:
    """Match the rows of ``keys`` (after ``before``); ask :data:`WIDE` rows when capped."""
    if not keys:
        return match(a, before, exact=exact), list(before)
    rows = list(candidates(sorted(keys), limit))
    found = match(a, [*before, *rows], exact=exact)
    if len(rows) < limit:
        return found, [*before, *rows]
    if found["outcome"] != "several" and limit < WIDE:
        return _ask(a, keys, candidates, WIDE, before, exact)
    found["more"] = True
    if found["outcome"] != "several":  # one match, or none, among a part: the rest may hide more
        found["outcome"] = "several" if found["rows"] else "none"
        found["why"] = "有这些键的楼栋太多，只读了一部分 (too many buildings share these keys)."
    return found, [*before, *rows]


def resolve(
    a: Address, candidates: Candidates, limit: int = LIMIT, *, characters_first: bool = True
) -> Match:
    """Character keys, then exact keys, then typo keys (see the module docstring)."""
    if a.relative:
        return match(a, [])
    if characters_first and (keys := exact_keys(a)):
        sure, _ = _ask(a, keys, candidates, limit, exact=True)
        kind = sure["kind"]
        if sure["outcome"] != "none" and not sure["more"] and kind and TIERS[kind] == 0:
            return sure
    found, rows = _ask(a, query_keys(a), candidates, limit)
    if found["outcome"] != "none" or found["more"]:
        return found
    typo = query_keys(a, typo=True)
    if not typo:
        return found
    again, _ = _ask(a, typo, candidates, limit, rows)
    return again if again["outcome"] != "none" else found


def find(query: str, candidates: Candidates, limit: int = LIMIT) -> Match:
    """:func:`resolve` of a typed string."""
    return resolve(parse(query), candidates, limit)


class KeyIndex:
    """Rows under their :func:`~shanzhi.address.keys.building_keys`, in memory."""

    def __init__(self, rows: Iterable[Mapping[str, Any]]) -> None:
        self.rows: list[Mapping[str, Any]] = sorted(rows, key=lambda r: str(r["uid"]))
        self.by_key: dict[str, list[int]] = defaultdict(list)
        for i, row in enumerate(self.rows):
            for key in building_keys(row):
                self.by_key[key].append(i)

    def candidates(self, keys: Iterable[str], limit: int | None = None) -> list[Mapping[str, Any]]:
        """The rows having any of ``keys``, each once, in uid order (at most ``limit``)."""
        hits = sorted({i for k in keys for i in self.by_key.get(k, ())})
        return [self.rows[i] for i in hits[:limit]]
