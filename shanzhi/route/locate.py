"""Which building a ticket's addresses name, and how sure that is — never a guess.

:func:`locate` asks the finder (:mod:`shanzhi.graph.queries.finder`) about each address of a
ticket and says how each answer matched (:data:`MATCH_KINDS`):

* ``id`` / ``name`` / ``alias`` / ``address`` — the typed text, normalised, *is* the building's id,
  name, one of its aliases or its address;
* ``parsed`` — the estate or road text is one the building goes by (possibly after a district or
  other words: 上海市静安区共和新路…), and its lane and number are the building's exactly;
* ``guess`` — anything else the finder accepted: a spelling or homophone match of the estate
  text (佳丽名珠城), an abbreviation, or a number with no estate or road at all. A guess is
  never routed: it is answered ``ambiguous``, with the building it would have been as the
  candidate, for a person to confirm.

Several addresses in one ticket route only when every one that names a building names the same
one, without a guess; two different buildings are ``ambiguous`` (both listed).

When the finder itself says how it matched (``BuildingRecord.match``: ``id``, ``exact``,
``alias``, ``lane-for-号``, ``homophone`` … ``guess``), its word is taken, and ``guess`` is
never routed; otherwise :func:`match_kind` works it out from the record as above.

>>> from shanzhi.graph.queries.finder import BuildingRecord
>>> b12 = BuildingRecord("d:B12", "B12", "d", "嘉利明珠城12号楼", "共和新路2288弄12号",
...                      ("嘉利12号楼",), ("嘉利明珠城",))
>>> typed = ("嘉利明珠城十二号楼", "上海市静安区共和新路2288弄12号", "佳丽名珠城12号楼")
>>> [match_kind(q, b12) for q in typed]
['name', 'parsed', 'guess']
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal, TypedDict

from shanzhi.errors import AmbiguousError, NotFoundError, UsageError
from shanzhi.graph.queries.finder import BuildingRecord, finder_for, normalize, parse

__all__ = ["MATCH_KINDS", "Located", "locate", "match_kind"]

MATCH_KINDS = ("id", "name", "alias", "address", "parsed", "guess")
MatchKind = Literal["id", "name", "alias", "address", "parsed", "guess"]
#: Candidates listed for an ambiguous ticket at most.
MAX_CANDIDATES = 10


class Located(TypedDict):
    """Where a ticket's addresses lead: ``found`` (one building, no guess), ``ambiguous``
    (candidates to choose from) or ``not-found``."""

    status: Literal["found", "ambiguous", "not-found"]
    building: dict[str, str] | None
    match: str
    query: str
    candidates: list[dict[str, str]]
    message: str


@lru_cache(maxsize=65536)
def _keys(record: BuildingRecord) -> tuple[dict[str, str], frozenset[str]]:
    """A record's normalised exact keys (key → kind) and its estate/road texts."""
    exact: dict[str, str] = {}
    for kind, keys in (
        ("address", (record.address,) if record.address else ()),
        ("alias", record.aliases),
        ("name", (record.name,)),
        ("id", (record.id, record.uid)),
    ):  # the last kind a key has wins: id before name before alias before address
        for k in keys:
            exact[normalize(k)] = kind
    texts = {parse(t).text for t in (record.name, *record.aliases, record.address or "") if t}
    texts |= {normalize(n) for n in record.parent_names}
    texts.discard("")
    return exact, frozenset(texts)


def match_kind(query: str, record: BuildingRecord) -> MatchKind:
    """How ``query`` names ``record`` (see the module docstring)."""
    norm = normalize(query)
    exact, texts = _keys(record)
    if norm in exact:
        return exact[norm]  # type: ignore[return-value]
    p = parse(norm)
    if p.text and any(p.text == t or p.text.endswith(t) for t in texts):
        return "parsed"
    return "guess"


def _building(r: BuildingRecord) -> dict[str, str]:
    return {"id": r.id, "name": r.name, "address": r.address or "", "uid": r.uid}


def _candidate(c: dict[str, Any]) -> dict[str, str]:
    return {k: str(c.get(k) or "") for k in ("id", "name", "address", "uid")}


def _one(store: Any, query: str) -> tuple[str, BuildingRecord | None, list[dict[str, str]], str]:
    """(outcome, record, candidates, message) of one address."""
    try:
        record = finder_for(store).find(query)
    except AmbiguousError as exc:
        return "ambiguous", None, [_candidate(c) for c in exc.candidates], str(exc)
    except (NotFoundError, UsageError) as exc:
        return "not-found", None, [], str(exc)
    kind = getattr(record, "match", None) or match_kind(query, record)
    if kind == "guess":
        return "guess", record, [_building(record)], f"{query!r} only resembles {record.name}"
    return kind, record, [], ""


def locate(store: Any, queries: list[str]) -> Located:
    """The building ``queries`` (the addresses of one ticket) name, or why not."""
    if not queries:
        return _answer("not-found", "", message="no address: neither a cell nor the text names one")
    found: dict[str, tuple[BuildingRecord, str, str]] = {}
    candidates: dict[str, dict[str, str]] = {}
    messages: list[str] = []
    unsure: list[str] = []
    for q in queries:
        outcome, record, cands, message = _one(store, q)
        if outcome == "not-found":
            messages.append(message)
            continue
        if outcome in ("ambiguous", "guess"):
            unsure.append(message)
            for c in cands:
                candidates.setdefault(c["uid"], c)
            continue
        assert record is not None
        found.setdefault(record.uid, (record, outcome, q))
    shown = " | ".join(queries)
    if len(found) == 1 and not unsure:
        record, kind, q = next(iter(found.values()))
        return _answer("found", q, building=_building(record), match=kind)
    if found or candidates:
        for record, _kind, _q in found.values():
            candidates.setdefault(record.uid, _building(record))
        listed = sorted(candidates.values(), key=lambda c: (c["name"], c["uid"]))
        why = (
            f"{shown!r} names {len(listed)} buildings"
            if len(found) > 1
            else (unsure or messages or [f"{shown!r} is not certain"])[0]
        )
        return _answer("ambiguous", shown, candidates=listed[:MAX_CANDIDATES], message=why)
    return _answer("not-found", shown, message=messages[0] if messages else "")


def _answer(
    status: Literal["found", "ambiguous", "not-found"],
    query: str,
    building: dict[str, str] | None = None,
    match: str = "",
    candidates: list[dict[str, str]] | None = None,
    message: str = "",
) -> Located:
    return {
        "status": status,
        "building": building,
        "match": match,
        "query": query,
        "candidates": candidates or [],
        "message": message,
    }
