"""Finding a building the way people type it (docs/cli.md "Finding the building").

:func:`find_building` parses the typed text (:func:`shanzhi.address.parse`), computes its lookup
keys, asks the store for the few buildings having them (``store.building_candidates(keys,
LIMIT)``; the typo keys only when the exact ones found nothing) and decides among those rows
with the matching rules of :mod:`shanzhi.address.match`. Nothing is cached and no other building
is read: every call answers from what the store holds now, in any process.

The answer says how it matched (:class:`BuildingRecord` ``match``: ``id``, ``exact``,
``alias``, ``lane-for-号``, ``homophone``, ``pinyin``, ``initials``, ``community``, ``guess``):

* one building, surely → it;
* one building, but only a guess (a typo of the estate, a bare number, 12楼) →
  :class:`~shanzhi.errors.GuessError` (an AmbiguousError: exit 2) asking "您要找的是…？" with
  that building as the one candidate — unless the caller passes ``accept_guess``;
* several (or the query names several: 12号楼和13号楼) → AmbiguousError listing them, at most
  :data:`~shanzhi.address.LISTED` (more buildings than that are said to be more);
* none → NotFoundError with the closest names, when the estate, road or lane named has
  buildings (asked for without the number): 嘉利明珠城99号楼 → 嘉利明珠城26号楼 ….

:class:`BuildingIndex` is the same finder over records held in memory, and :func:`finder_for`
the store's as an object with ``find``; :func:`normalize` and :func:`parse` (:class:`Parsed`)
keep older callers working (the web page, the router).

>>> rows = [BuildingRecord(f"d:J{n}", f"J{n}", "d", f"嘉利明珠城{n}号楼", f"共和新路2288弄{n}号")
...         for n in (11, 12)]
>>> index = BuildingIndex(rows)
>>> [(r.id, r.match) for r in map(index.find, ("嘉利明珠城十二号楼", "佳丽名珠城11幢", "J12"))]
[('J12', 'exact'), ('J11', 'homophone'), ('J12', 'id')]
>>> from shanzhi.errors import GuessError
>>> try:
...     index.find("嘉利明城12号楼")  # a character left out: only a guess
... except GuessError as exc:
...     print(str(exc).split("？")[0], exc.candidates[0]["id"])
您要找的是「嘉利明珠城12号楼」（J12）吗 J12
"""

from __future__ import annotations

import dataclasses
import heapq
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from shanzhi.address import LIMIT, LISTED, Candidates, KeyIndex, query_keys, resolve
from shanzhi.address import parse as parse_address
from shanzhi.address.facts import aliases_of, facts
from shanzhi.address.keys import near_keys
from shanzhi.address.match import HINTS_DIFFER, Match
from shanzhi.address.model import Address
from shanzhi.address.normalize import name_key
from shanzhi.address.numerals import cn_to_int
from shanzhi.errors import AmbiguousError, GuessError, NotFoundError, UsageError
from shanzhi.graph.stores.interface import BuildingRow, GraphStore

__all__ = [
    "MAX_SUGGESTIONS",
    "BuildingIndex",
    "BuildingRecord",
    "Parsed",
    "StoreFinder",
    "cn_to_int",
    "find_building",
    "finder_for",
    "normalize",
    "parse",
    "record_from_row",
]

MAX_SUGGESTIONS = 5
#: Rows read at most for the closest names (the buildings of the estate, road or lane named).
SUGGEST_FROM = 200


@dataclass(frozen=True)
class BuildingRecord:
    """One building as the finder answers it, and ``match``: how the query named it."""

    uid: str
    id: str
    dataset: str
    name: str
    address: str | None = None
    aliases: tuple[str, ...] = ()
    parent_names: tuple[str, ...] = ()
    match: str | None = None

    def candidate(self, ref: str | None = None) -> dict[str, str]:
        """How an ambiguity lists this building (``ref``: the id to type, id or uid)."""
        return {
            "id": ref or self.id,
            "name": self.name,
            "address": self.address or "",
            "dataset": self.dataset,
            "uid": self.uid,
        }


def record_from_row(row: Mapping[str, Any], match: str | None = None) -> BuildingRecord:
    """A record from a store's building row (``building_candidates``, ``building_rows``)."""
    names = {
        n for p in row.get("parents") or () for n in (p.get("name"), *aliases_of(p.get("aliases")))
    }
    return BuildingRecord(
        uid=str(row["uid"]),
        id=str(row["id"]),
        dataset=str(row.get("dataset") or ""),
        name=str(row["name"]),
        address=str(row["address"]) if row.get("address") not in (None, "") else None,
        aliases=aliases_of(row.get("aliases")),
        parent_names=tuple(sorted(n for n in names if n)),
        match=match,
    )


# -- the answer ----------------------------------------------------------------------------------
class _Reader:
    """A candidates function that remembers every row it gave (for the closest names)."""

    def __init__(self, fetch: Candidates) -> None:
        self.fetch = fetch
        self.seen: dict[str, Mapping[str, Any]] = {}

    def __call__(self, keys: Sequence[str], limit: int) -> Sequence[Mapping[str, Any]]:
        rows = self.fetch(keys, limit)
        for r in rows:
            self.seen.setdefault(str(r["uid"]), r)
        return rows


def _find(query: str, fetch: Candidates, accept_guess: bool) -> BuildingRecord:
    """The building ``query`` names among the rows ``fetch`` gives (see the module docstring)."""
    a = parse_address(query)
    if not a.key:
        raise UsageError(
            "要找的楼栋是空的，请给出编号、名称或地址。 "
            "The building to look for is empty; give an id, a name or an address."
        )
    row = _by_id(a, fetch)
    if row is not None:
        return record_from_row(row, "id")
    reader = _Reader(fetch)
    m = resolve(a, reader)
    if m["outcome"] == "one":
        row, kind = m["rows"][0], m["kind"]
        if kind == "guess" and not accept_guess:
            name, bid = row["name"], row["id"]
            raise GuessError(
                f"您要找的是「{name}」（{bid}）吗？「{query.strip()}」与它不完全相符。 "
                f"Did you mean {name} ({bid})? {query.strip()!r} only resembles it.",
                _listed([row]),
            )
        return record_from_row(row, kind)
    if m["outcome"] == "several":
        raise AmbiguousError(_several(query.strip(), a, m), _listed(m["rows"][:LISTED]))
    suggestions = _closest(a, reader)
    raise NotFoundError(_none(query.strip(), a, m, bool(suggestions)), suggestions)


def _by_id(a: Address, fetch: Candidates) -> Mapping[str, Any] | None:
    """The building a query in Latin letters names by its whole id or uid, when that is
    surely what :func:`resolve` would answer, read without matching (so without folding any
    building's Chinese names: an id never loads OpenCC); None to ask :func:`resolve`.

    It is sure when the query names one building and no place (no hint, neighbour or second
    number), exactly one building has the query's whole-text key and that is its id or uid,
    and all the query's keys give fewer rows than a store answers at most: then ``resolve``
    reads every one of those rows, and for a Latin query only a whole-text key matches at the
    exact tier, so it answers that building, matched ``id``.
    """
    if not (a.latin and a.key) or a.hints or a.relative or a.several or len(a.numbers) > 1:
        return None
    rows = fetch([f"x:{a.key}"], LIMIT)
    if len(rows) != 1 or a.key not in {name_key(str(rows[0].get(k) or "")) for k in ("id", "uid")}:
        return None
    return rows[0] if len(fetch(sorted(query_keys(a)), LIMIT)) < LIMIT else None


def _listed(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Candidates to choose from; by uid where two share an id (two datasets)."""
    ids = [str(r["id"]) for r in rows]
    dup = len(set(ids)) != len(ids)
    return [record_from_row(r).candidate(str(r["uid"]) if dup else None) for r in rows]


def _several(q: str, a: Address, m: Match) -> str:
    n = len(m["rows"])
    if a.several or len(a.numbers) > 1:
        return (
            f"「{q}」里有不止一栋楼，请一次查一栋。 "
            f"{q!r} names several buildings; ask for one at a time."
        )
    if m["more"]:
        return (
            f"与「{q}」相符的楼栋超过 {LISTED} 栋（列出前 {min(n, LISTED)} 栋），"
            "请加上道路、弄号或小区名。 "
            f"More than {LISTED} buildings match {q!r}; add the road, the lane or the estate."
        )
    return (
        f"「{q}」有 {n} 栋楼相符，请加上楼号、道路或小区名，或给出下列编号之一。 "
        f"{q!r} matches {n} buildings; add the number, road or estate, or give one of these ids."
    )


def _none(q: str, a: Address, m: Match, closest: bool) -> str:
    if a.relative:
        return (
            f"「{q}」说的是某栋楼的{a.relative}，不是这栋楼本身。 "
            f"{q!r} names a building's neighbour, not a building."
        )
    if m["why"] == HINTS_DIFFER:
        return (
            f"「{q}」里的区、街道或居委与相符的楼栋不一致，不作回答。 "
            f"The district, subdistrict or community in {q!r} is not that building's."
        )
    if m["more"]:
        return (
            f"有这些名称和楼号的楼栋太多，无法确定「{q}」，请加上道路、弄号或小区名。 "
            f"Too many buildings fit {q!r} to be sure; add the road, the lane or the estate."
        )
    if closest:
        return (
            f"没有与「{q}」相符的楼栋，请核对楼号（最接近的见下）。 "
            f"No building matches {q!r}; check the number (closest names below)."
        )
    return (
        f"没有与「{q}」相符的楼栋，请核对名称和楼号。 "
        f"No building matches {q!r}; check the name and the number."
    )


def _int(number: str | None) -> int | None:
    digits = re.match(r"\d+", number or "")
    return int(digits.group()) if digits else None


def _closest(a: Address, reader: _Reader) -> list[str]:
    """Names of the buildings of the estate, road or lane the query names (read again without
    the number), nearest in number first, then of the other rows its keys gave."""
    if a.relative:
        return []
    keys = near_keys(a)
    around = {str(r["uid"]): r for r in reader.fetch(sorted(keys), SUGGEST_FROM)} if keys else {}
    pool = {**reader.seen, **around}
    want = _int(a.number or a.loose)

    def gap(row: Mapping[str, Any]) -> int:
        if want is None:
            return 0
        numbers = [n for t in facts(row).triples if (n := _int(t.number)) is not None]
        return min((abs(n - want) for n in numbers), default=10**6)

    # Each name at its best row (then the first such row): the names in the order the rows
    # would be sorted in, each where it first appears, without sorting every row.
    best: dict[str, tuple[tuple[int, int], int]] = {}
    for i, (uid, row) in enumerate(pool.items()):
        name = str(row["name"])
        rank = (0 if uid in around else 1, gap(row))
        if name not in best or rank < best[name][0]:
            best[name] = (rank, i)
    keyed = ((rank, _natural(name), i, name) for name, (rank, i) in best.items())
    return [name for *_, name in heapq.nsmallest(MAX_SUGGESTIONS, keyed)]


def _natural(name: str) -> tuple[Any, ...]:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", name))


def find_building(store: GraphStore, query: str, *, accept_guess: bool = False) -> BuildingRecord:
    """The building ``query`` names in ``store``, with ``match`` saying how; GuessError (unless
    ``accept_guess``), AmbiguousError or NotFoundError otherwise (see the module docstring)."""
    return _find(query, store.building_candidates, accept_guess)


# -- for older callers ---------------------------------------------------------------------------
def _sorted(records: Iterable[BuildingRecord]) -> list[BuildingRecord]:
    return sorted(records, key=lambda r: (_natural(r.name), r.uid))


def _row(r: BuildingRecord) -> BuildingRow:
    return {
        "uid": r.uid,
        "id": r.id,
        "dataset": r.dataset,
        "name": r.name,
        "address": r.address,
        "aliases": list(r.aliases) or None,
        "parents": [{"name": n, "aliases": None, "kind": None} for n in r.parent_names],
    }


class BuildingIndex:
    """The finder over records held in memory (the same rules, keys and answers)."""

    def __init__(self, records: Iterable[BuildingRecord]) -> None:
        self._records = _sorted(records)
        self._by_uid = {r.uid: r for r in self._records}
        self._keys = KeyIndex(_row(r) for r in self._records)

    @property
    def records(self) -> list[BuildingRecord]:
        """Every building, by name (natural order), then uid."""
        return self._records

    def __len__(self) -> int:
        return len(self.records)

    def find(self, query: str, accept_guess: bool = False) -> BuildingRecord:
        """The one building ``query`` names among the records (see :func:`find_building`)."""
        found = _find(query, self._keys.candidates, accept_guess)
        return dataclasses.replace(self._by_uid[found.uid], match=found.match)


class StoreFinder(BuildingIndex):
    """The finder of one store as an object (``finder_for(store).find(query)``); it holds
    nothing but the store, so it is never stale."""

    def __init__(self, store: GraphStore) -> None:  # no records: they stay in the store
        self.store = store
        self._every: list[BuildingRecord] | None = None

    @property
    def records(self) -> list[BuildingRecord]:
        """Every building, read on first use (only the web page's scoped index asks)."""
        if self._every is None:
            self._every = _sorted(record_from_row(r) for r in self.store.building_rows())
        return self._every

    def find(self, query: str, accept_guess: bool = False) -> BuildingRecord:
        """:func:`find_building` on the store."""
        return find_building(self.store, query, accept_guess=accept_guess)


def finder_for(store: GraphStore) -> StoreFinder:
    """The store's finder as an object."""
    return StoreFinder(store)


@dataclass(frozen=True)
class Parsed:
    """How a typed text reads, in short: its estate or road text, lane and building number."""

    text: str
    lane: str | None
    number: str | None


def normalize(text: str) -> str:
    """The form names are compared in (:func:`shanzhi.address.normalize.name_key`).

    >>> normalize("嘉利明珠城 十二號樓"), normalize("ＢＬＤ－１２"), normalize("12#楼")
    ('嘉利明珠城12号楼', 'bld12', '12号楼')
    """
    return name_key(text)


def parse(text: str) -> Parsed:
    """The estate (else road) text, lane and building number the parser reads in ``text``.

    >>> parse("嘉利明珠城12号楼3单元502室"), parse("共和新路2288号12号楼")
    (Parsed(text='嘉利明珠城', lane=None, number='12'), Parsed(text='共和新路', lane='2288', \
number='12'))
    """
    a = parse_address(text)
    lane = a.lane or (a.house if a.road and a.numbers else None)
    return Parsed(a.place or a.road or "", lane, a.number)
