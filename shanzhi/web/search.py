"""Finding a building for an account: suggestions while typing, and the one building an answer is
for — never a building outside the account's scope, and never a guess.

* :func:`suggest` (as people type) searches an index of the account's own buildings only
  (:class:`~shanzhi.graph.queries.finder.BuildingIndex` over them), so no suggestion can name a
  building outside the scope. Suggestions are choices to click, not answers.
* :func:`resolve` (the answer) asks the finder over *every* building first: a string that names
  one building outside the scope is "not in your scope" — it is never answered with a similar
  building inside it (嘉利明珠苑 for 嘉利明珠城 would be the worst answer). Only when the whole
  finder is unsure are the account's own candidates offered, as a "which one?" list.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any, TypedDict

from shanzhi.errors import AmbiguousError, NotFoundError, UsageError
from shanzhi.graph.model import Label, RelType
from shanzhi.graph.queries.finder import (
    BuildingIndex,
    BuildingRecord,
    finder_for,
    normalize,
    parse,
    record_from_row,
)
from shanzhi.web.graphview import GraphView
from shanzhi.web.scope import Scope

__all__ = [
    "Candidate",
    "Choice",
    "Parsed",
    "ScopedIndexes",
    "parsed",
    "resolve",
    "suggest",
]

MAX_SUGGESTIONS = 10


class Candidate(TypedDict):
    """A building to choose."""

    uid: str
    id: str
    name: str
    address: str


class Parsed(TypedDict):
    """How the finder reads what was typed."""

    normalized: str
    text: str
    lane: str | None
    number: str | None


class Choice(TypedDict):
    """The outcome of :func:`resolve`: ``one`` building (``uid``), ``several`` to choose from
    (``candidates``), or ``none`` (with the ``closest`` of the account's buildings)."""

    status: str
    uid: str | None
    message: str | None
    candidates: list[Candidate]
    closest: list[Candidate]


def parsed(query: str) -> Parsed:
    """The finder's reading of a typed string (shown under the search box).

    >>> parsed("嘉利明珠城 十二号楼")["number"]
    '12'
    """
    p = parse(query)
    return Parsed(normalized=normalize(query), text=p.text, lane=p.lane, number=p.number)


def _rows(graph: Any, uids: frozenset[str]) -> list[BuildingRecord]:
    """The finder's records of the buildings ``uids`` of one dataset's graph."""
    out = []
    for uid in sorted(uids):
        if uid not in graph:
            continue
        d = graph.nodes[uid]
        parents = [
            {"name": graph.nodes[t].get("name"), "aliases": graph.nodes[t].get("aliases")}
            for _, t, e in graph.out_edges(uid, data=True)
            if e.get("type") == RelType.PART_OF.value
            and graph.nodes[t].get("label") == Label.PLACE.value
        ]
        row = {k: d.get(k) for k in ("id", "dataset", "name", "address", "aliases")}
        out.append(record_from_row({**row, "uid": uid, "parents": parents}))
    return out


class ScopedIndexes:
    """The finder for an account: the store's own for everything, else an index of the account's
    buildings (built once per grid and graph: a load makes a new graph)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_graph: weakref.WeakKeyDictionary[Any, dict[str, BuildingIndex]] = (
            weakref.WeakKeyDictionary()
        )

    def of(self, store: Any, view: GraphView, scope: Scope) -> BuildingIndex:
        """The index of the buildings ``scope`` holds."""
        if scope.everything:
            return finder_for(store)
        key = scope.grid or ""
        graph = view.graph_of(key)
        with self._lock:
            per = self._by_graph.setdefault(graph, {})
            index = per.get(key)
            if index is None:
                index = BuildingIndex(_rows(graph, scope.buildings))
                per[key] = index
        return index


def _candidate(rec: Any) -> Candidate:
    return Candidate(uid=rec.uid, id=rec.id, name=rec.name, address=rec.address or "")


def _listed(found: list[dict[str, str]]) -> list[Candidate]:
    return [
        Candidate(
            uid=c["uid"], id=c.get("id", ""), name=c.get("name", ""), address=c.get("address", "")
        )
        for c in found
        if c.get("uid")
    ]


def _by_names(index: BuildingIndex, names: list[str]) -> list[Candidate]:
    """The buildings of the finder's closest names (each name asked of the same finder)."""
    out: dict[str, Candidate] = {}
    for name in names:
        try:
            found = [_candidate(index.find(name, accept_guess=True))]
        except AmbiguousError as exc:
            found = _listed(exc.candidates)
        except (NotFoundError, UsageError):
            found = []
        for c in found:
            out.setdefault(c["uid"], c)
    return list(out.values())


def _choices(index: BuildingIndex, query: str) -> tuple[list[Candidate], list[Candidate]]:
    """What ``index`` finds for ``query``: matching buildings (a guess among them), else the
    closest names."""
    try:
        return [_candidate(index.find(query))], []
    except AmbiguousError as exc:  # several, or one the finder only guesses
        return _listed(exc.candidates), []
    except NotFoundError as exc:
        return [], _by_names(index, exc.suggestions)
    except UsageError:
        return [], []


def suggest(scoped: BuildingIndex, query: str) -> tuple[list[Candidate], list[Candidate]]:
    """The account's buildings matching what is typed so far (at most
    :data:`MAX_SUGGESTIONS`), and when none match, the closest of its buildings."""
    if not normalize(query):
        return [], []
    found, closest = _choices(scoped, query)
    return found[:MAX_SUGGESTIONS], closest[:MAX_SUGGESTIONS]


def _unsure(index: BuildingIndex, query: str, message: str | None) -> Choice:
    found, closest = _choices(index, query)
    if found:
        several = f"「{query}」不止一栋楼，请选择。 {query!r} is not one building; choose one."
        return Choice(status="several", uid=None, candidates=found, closest=[],
                      message=message or several)  # fmt: skip
    none = f"找不到「{query}」。 No building matches {query!r}."
    return Choice(status="none", uid=None, candidates=[], closest=closest,
                  message=message or none)  # fmt: skip


def resolve(full: BuildingIndex, scoped: BuildingIndex, scope: Scope, query: str) -> Choice:
    """The building ``query`` names if it is one and in scope; else candidates and why.

    A string that names one building outside the scope gets exactly what a string naming none
    gets: the account's own candidates for it, never a word about the other building.
    """
    try:
        rec = full.find(query)
    except (AmbiguousError, NotFoundError) as exc:
        if scope.everything:
            return _unsure(full, query, str(exc))
        return _unsure(scoped, query, None)
    if scope.has_building(rec.uid):
        return Choice(status="one", uid=rec.uid, message=None, candidates=[], closest=[])
    return _unsure(scoped, query, None)
