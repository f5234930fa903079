"""Finding a building the way people type it (docs/cli.md "Finding the building").

A typed string is first *normalised* (:func:`normalize`): NFKC folds full-width characters to
ASCII, case is folded, ``#`` reads as 号, spaces and punctuation vanish anywhere, and Chinese
numerals become digits — but only where they stand before a unit suffix (号/号楼/幢/栋/座/弄),
so that names keep their own numerals (四平路, 一品漫城). It is then *parsed* (:func:`parse`)
into the estate or road text, the lane (弄) and the building number; 号/号楼/幢/栋/座 all name
the building number, and trailing 单元/室/层 parts are ignored.

A :class:`BuildingIndex` holds every building place under its id, uid, name, aliases, address and
``<parent place name> + number``. ``find`` answers, in this order:

1. an exact normalised id, uid, name, alias or address;
2. otherwise the estate/road text matched fuzzily (rapidfuzz on the characters and on their
   toneless pinyin, so homophone typos such as 佳丽名珠城 find 嘉利明珠城) and then the lane and
   the building number matched **exactly** — 嘉利明珠城12号 never answers 11号楼.

One building → it; several → :class:`AmbiguousError` listing them (exit 2); none →
:class:`NotFoundError` with the closest names (exit 1).

Both stores use the same index over the same rows (:func:`building_rows`), so a typed string gets
the same answer on the embedded store and on Neo4j. The index is built once per graph (embedded:
a write makes a new graph, hence a new index) or once per store object (Neo4j: one query reads
every building; a miss on an index older than a minute reads them again; :func:`invalidate`
drops it at once, e.g. after loading through the same store object).

>>> normalize("嘉利明珠城 十二号楼"), normalize("四平路一二三四弄１２号"), normalize("一品漫城")
('嘉利明珠城12号楼', '四平路1234弄12号', '一品漫城')
>>> parse("共和新路1234弄12号")
Parsed(text='共和新路', lane='1234', number='12')
>>> parse("嘉利明珠城两号楼")
Parsed(text='嘉利明珠城', lane=None, number='2')
"""

from __future__ import annotations

import re
import time
import unicodedata
import weakref
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pypinyin import lazy_pinyin
from rapidfuzz import fuzz, process

from shanzhi.errors import AmbiguousError, NotFoundError, UsageError
from shanzhi.graph.stores.interface import BuildingRow, GraphStore

__all__ = [
    "BuildingIndex",
    "BuildingRecord",
    "Parsed",
    "building_rows",
    "cn_to_int",
    "find_building",
    "finder_for",
    "invalidate",
    "normalize",
    "parse",
]

#: Characters of Chinese numerals, positional (一〇二) or with units (一百零二).
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}  # fmt: skip
_UNITS = {"十": 10, "百": 100, "千": 1000}
_SUFFIXES = "号楼|号|幢|栋|座"
_NUMERAL_BEFORE_SUFFIX = re.compile(
    rf"[{''.join(_DIGITS)}{''.join(_UNITS)}]+(?=(?:{_SUFFIXES}|弄))"
)
_PARSE = re.compile(
    rf"^(?P<text>.*?)(?:(?P<lane>\d+)弄)?"
    rf"(?:第?(?P<number>\d+[a-z]?)(?:{_SUFFIXES})?(?:\d+(?:单元|室|层))*)?$"
)
#: Character scores at or above this count as a match of the estate/road text; pinyin scores
#: count 2 points less, so an exact spelling beats an exact homophone.
MATCH_AT = 75.0
#: Texts scoring within this many points of the best are kept together (then the number decides;
#: two different buildings left over make the answer ambiguous rather than a guess).
MARGIN = 5.0
PINYIN_PENALTY = 2.0
#: A known text the query ends with (a district or city typed before it) scores this.
SUFFIX_SCORE = 95.0
#: When nothing else matched, known texts that contain the query (an abbreviation) score this.
CONTAIN_SCORE = 80.0
MAX_CANDIDATES = 20
#: Seconds after which a Neo4j index is read again when a query finds nothing.
REFRESH_AFTER = 60.0
MAX_SUGGESTIONS = 5


def cn_to_int(numeral: str) -> int:
    """The value of a Chinese numeral, positional or with 十/百/千.

    >>> [cn_to_int(s) for s in ("十二", "一〇二", "两", "二十", "一百零二", "十", "三千零五")]
    [12, 102, 2, 20, 102, 10, 3005]
    """
    if not any(ch in _UNITS for ch in numeral):
        return int("".join(str(_DIGITS[ch]) for ch in numeral))
    total, current = 0, 0
    for ch in numeral:
        if ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current = 0
        else:
            current = _DIGITS[ch]
    return total + current


def normalize(text: str) -> str:
    """The form every name, id and query is compared in (see the module docstring).

    >>> normalize("ＢＬＤ－１２"), normalize("12#楼"), normalize("第十二栋（东）")
    ('bld12', '12号楼', '第12栋东')
    """
    folded = unicodedata.normalize("NFKC", text).casefold().replace("#", "号")
    kept = "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PSZC")
    return _NUMERAL_BEFORE_SUFFIX.sub(lambda m: str(cn_to_int(m.group())), kept)


@dataclass(frozen=True)
class Parsed:
    """A normalised string split into estate/road text, lane (弄) and building number."""

    text: str
    lane: str | None
    number: str | None


def _strip_zeros(digits: str | None) -> str | None:
    if digits is None:
        return None
    m = re.match(r"0*(\d+)(.*)", digits)
    return (m.group(1).lstrip("0") or "0") + m.group(2) if m else digits


def parse(text: str) -> Parsed:
    """Split a string (normalised here) into text, lane and building number.

    >>> parse("嘉利明珠城12号楼3单元502室")
    Parsed(text='嘉利明珠城', lane=None, number='12')
    >>> parse("物业楼")
    Parsed(text='物业楼', lane=None, number=None)
    """
    norm = normalize(text)
    m = _PARSE.match(norm)
    if m is None:  # pragma: no cover - the pattern matches every string
        return Parsed(norm, None, None)
    return Parsed(m["text"], _strip_zeros(m["lane"]), _strip_zeros(m["number"]))


def _pinyin(text: str) -> str:
    return "".join(lazy_pinyin(text))


@dataclass(frozen=True)
class BuildingRecord:
    """One building as the finder knows it (the same fields from either store)."""

    uid: str
    id: str
    dataset: str
    name: str
    address: str | None = None
    aliases: tuple[str, ...] = ()
    parent_names: tuple[str, ...] = ()

    def candidate(self, ref: str) -> dict[str, str]:
        """How an ambiguity lists this building (``ref`` is the id to type, id or uid)."""
        return {
            "id": ref,
            "name": self.name,
            "address": self.address or "",
            "dataset": self.dataset,
            "uid": self.uid,
        }


def _aliases(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    items = value if isinstance(value, list | tuple) else re.split(r"[|、]", str(value))
    return tuple(s.strip() for s in items if str(s).strip())


def record_from_row(row: Mapping[str, Any]) -> BuildingRecord:
    """A record from a row of :func:`building_rows` or of ``who_covers_candidates.cypher``."""
    return BuildingRecord(
        uid=str(row["uid"]),
        id=str(row["id"]),
        dataset=str(row.get("dataset") or ""),
        name=str(row["name"]),
        address=str(row["address"]) if row.get("address") not in (None, "") else None,
        aliases=_aliases(row.get("aliases")),
        parent_names=tuple(
            sorted(
                {
                    n
                    for p in row.get("parents") or ()
                    for n in (p["name"], *_aliases(p.get("aliases")))
                }
            )
        ),
    )


@dataclass
class _Text:
    """One estate/road text: its display form, pinyin and buildings by (lane, number)."""

    display: str
    pinyin: str
    slots: dict[tuple[str | None, str | None], set[int]] = field(
        default_factory=lambda: defaultdict(set)
    )


def _natural(name: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name))


class BuildingIndex:
    """Every building of a graph under every name it goes by; :meth:`find` answers a query.

    >>> idx = BuildingIndex([
    ...     BuildingRecord("d:B11", "B11", "d", "嘉利明珠城11号楼", "共和新路1234弄11号"),
    ...     BuildingRecord("d:B12", "B12", "d", "嘉利明珠城12号楼", "共和新路1234弄12号"),
    ... ])
    >>> typed = ("嘉利明珠城十二号楼", "佳丽名珠城12幢", "共和新路1234弄12号", "b11")
    >>> [idx.find(q).id for q in typed]
    ['B12', 'B12', 'B12', 'B11']
    """

    def __init__(self, records: Iterable[BuildingRecord]) -> None:
        self.built_at = time.monotonic()
        self.records: list[BuildingRecord] = sorted(
            records, key=lambda r: (_natural(r.name), r.uid)
        )
        self._exact: dict[str, set[int]] = defaultdict(set)
        self._texts: dict[str, _Text] = {}
        self._by_slot: dict[tuple[str | None, str | None], set[int]] = defaultdict(set)
        for i, rec in enumerate(self.records):
            self._add(i, rec)
        self._text_keys = list(self._texts)
        self._text_pinyin = [t.pinyin for t in self._texts.values()]
        self._names: list[str] | None = None

    def __len__(self) -> int:
        return len(self.records)

    def _add_text(self, i: int, display: str, p: Parsed) -> None:
        if not p.text:
            self._by_slot[(p.lane, p.number)].add(i)
            return
        entry = self._texts.get(p.text)
        if entry is None:
            entry = self._texts[p.text] = _Text(display, _pinyin(p.text))
        entry.slots[(p.lane, p.number)].add(i)
        self._by_slot[(p.lane, p.number)].add(i)

    def _add(self, i: int, rec: BuildingRecord) -> None:
        for key in (rec.uid, rec.id, rec.name, rec.address, *rec.aliases):
            if key:
                self._exact[normalize(key)].add(i)
        numbers: set[str] = set()
        for display in (rec.name, *rec.aliases):
            p = parse(display)
            self._add_text(i, _display_text(display, p), p)
            if p.number is not None and p.lane is None:
                numbers.add(p.number)
        if rec.address:
            p = parse(rec.address)
            self._add_text(i, _display_text(rec.address, p), p)
        for parent in rec.parent_names:
            pt = normalize(parent)
            for number in numbers:
                self._add_text(i, parent, Parsed(pt, None, number))

    # -- answering -----------------------------------------------------------------------------
    def find(self, query: str) -> BuildingRecord:
        """The one building ``query`` names; AmbiguousError or NotFoundError otherwise."""
        norm = normalize(query)
        if not norm:
            raise UsageError("the building to look for is empty; give an id, a name or an address.")
        exact = self._exact.get(norm)
        if exact:
            return self._one(query, exact)
        p = parse(norm)
        if not p.text:
            direct = self._slot_hits(self._by_slot, p)
            if direct:
                return self._one(query, direct)
            raise NotFoundError(
                f"no building matches {query!r}; check the number or add the estate name."
            )
        texts = self._matching_texts(p.text)
        if not texts:
            raise NotFoundError(
                f"no building matches {query!r}; check the name (closest names below).",
                self._closest(norm),
            )
        hits: set[int] = set()
        for t in texts:
            hits |= self._slot_hits(self._texts[t].slots, p)
        if hits:
            return self._one(query, hits)
        where = "、".join(self._texts[t].display for t in texts)
        what = f"{p.lane}弄" if p.lane else ""
        what += f"{p.number}号" if p.number else ""
        raise NotFoundError(
            f"{where} has no building {what}; check the number (closest names below).",
            self._nearest_numbers(texts, p),
        )

    @staticmethod
    def _slot_hits(slots: Mapping[tuple[str | None, str | None], set[int]], p: Parsed) -> set[int]:
        if p.number is not None:
            return set(slots.get((p.lane, p.number), ()))
        if p.lane is not None:
            return {i for (lane, _n), ids in slots.items() if lane == p.lane for i in ids}
        unnumbered = slots.get((None, None))
        if unnumbered:
            return set(unnumbered)
        return {i for ids in slots.values() for i in ids}

    def _matching_texts(self, text: str) -> list[str]:
        """The estate/road texts ``text`` names: exact, a known text it ends with, or fuzzy."""
        if text in self._texts:
            return [text]
        if len(text) < 2:
            return []
        scores: dict[str, float] = {}
        for start in range(1, len(text) - 1):  # "上海市静安区共和新路" ends with "共和新路"
            if text[start:] in self._texts:
                scores[text[start:]] = SUFFIX_SCORE
                break
        for key, score, _ in process.extract(
            text, self._text_keys, scorer=fuzz.ratio, score_cutoff=MATCH_AT, limit=None
        ):
            scores[key] = score
        py = _pinyin(text)
        for _, score, j in process.extract(
            py, self._text_pinyin, scorer=fuzz.ratio,
            score_cutoff=MATCH_AT + PINYIN_PENALTY, limit=None,
        ):  # fmt: skip
            key = self._text_keys[j]
            scores[key] = max(scores.get(key, 0.0), score - PINYIN_PENALTY)
        if not scores:  # an abbreviation: "晴川" of "示例晴川新苑"
            for key in self._text_keys:
                if text in key:
                    scores[key] = CONTAIN_SCORE
        if not scores:
            return []
        best = max(scores.values())
        return sorted(k for k, s in scores.items() if s >= best - MARGIN)

    def _one(self, query: str, hits: set[int]) -> BuildingRecord:
        if len(hits) == 1:
            return self.records[next(iter(hits))]
        found = [self.records[i] for i in sorted(hits)]
        ids = [r.id for r in found]
        dup = len(set(ids)) != len(ids)
        shown = found[:MAX_CANDIDATES]
        more = f" (the first {MAX_CANDIDATES} are listed)" if len(found) > MAX_CANDIDATES else ""
        raise AmbiguousError(
            f"{query!r} matches {len(found)} buildings{more}; "
            "add the building number or give one of these ids.",
            [r.candidate(r.uid if dup else r.id) for r in shown],
        )

    def _closest(self, norm: str) -> list[str]:
        """Building names closest to an unmatched query: by spelling of the whole name, and by
        spelling or sound of the estate/road text (its building with the typed number, if any,
        else its first building)."""
        if self._names is None:
            self._names = [normalize(r.name) for r in self.records]
        ranked: dict[int, float] = {}
        for _, score, i in process.extract(
            norm, self._names, scorer=fuzz.WRatio, limit=MAX_SUGGESTIONS
        ):
            ranked[i] = score
        p = parse(norm)
        if p.text:
            by_text = process.extract(
                p.text, self._text_keys, scorer=fuzz.WRatio, limit=MAX_SUGGESTIONS
            ) + process.extract(
                _pinyin(p.text), self._text_pinyin, scorer=fuzz.WRatio, limit=MAX_SUGGESTIONS
            )
            for _, score, j in by_text:
                slots = self._texts[self._text_keys[j]].slots
                ids = slots.get((p.lane, p.number)) or min(
                    slots.values(), key=lambda found: min(found)
                )
                i = min(ids)
                ranked[i] = max(ranked.get(i, 0.0), score)
        order = sorted(ranked.items(), key=lambda kv: (-kv[1], kv[0]))
        return [self.records[i].name for i, _ in order[:MAX_SUGGESTIONS]]

    def _nearest_numbers(self, texts: list[str], p: Parsed) -> list[str]:
        want = _leading_int(p.number)
        seen: dict[str, int] = {}
        for t in texts:
            for (lane, number), ids in self._texts[t].slots.items():
                if p.lane is not None and lane != p.lane:
                    continue
                n = _leading_int(number)
                for i in ids:
                    name = self.records[i].name
                    seen[name] = min(seen.get(name, 10**9), abs(n - want))
        ranked = sorted(seen.items(), key=lambda kv: (kv[1], _natural(kv[0])))
        return [name for name, _ in ranked[:MAX_SUGGESTIONS]]


def _leading_int(number: str | None) -> int:
    digits = re.match(r"\d*", number or "")
    return int(digits.group()) if digits and digits.group() else 0


def _display_text(original: str, p: Parsed) -> str:
    """The estate/road part of an original name, for messages (the parsed text if unsure)."""
    folded = unicodedata.normalize("NFKC", original)
    return folded[: len(p.text)] if normalize(folded[: len(p.text)]) == p.text else p.text


# -- rows from the stores ----------------------------------------------------------------------
def building_rows(store: GraphStore) -> list[BuildingRow]:
    """uid, id, dataset, name, address, aliases and parents (name, aliases) of every building.

    Neo4j runs ``who_covers_candidates.cypher`` once; the embedded store reads its graph. The
    rows are the same on both, which is what makes the answers the same.
    """
    return store.building_rows()


_CACHE: weakref.WeakKeyDictionary[GraphStore, BuildingIndex] = weakref.WeakKeyDictionary()


def finder_for(store: GraphStore) -> BuildingIndex:
    """The building index of a store, built on first use and cached."""
    index = _CACHE.get(store)
    if index is None:
        index = BuildingIndex(record_from_row(r) for r in building_rows(store))
        _CACHE[store] = index
    return index


def invalidate(store: GraphStore) -> None:
    """Forget the cached index of a store (call after writing to a Neo4j store in-process)."""
    _CACHE.pop(store, None)


def find_building(store: GraphStore, query: str) -> BuildingRecord:
    """The building ``query`` names in ``store`` (see :class:`BuildingIndex.find`).

    On Neo4j the index may be older than the data (another process loaded since): when a
    query finds nothing and the index is older than ``REFRESH_AFTER`` seconds, it is read
    again once before saying so.
    """
    index = finder_for(store)
    try:
        return index.find(query)
    except NotFoundError:
        if time.monotonic() - index.built_at < REFRESH_AFTER:
            raise
    invalidate(store)
    return finder_for(store).find(query)
