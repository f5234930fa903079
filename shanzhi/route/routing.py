"""Routing one ticket (派单): its address → its building → the people the rules name.

A :class:`Router` holds a store, the rules and what it has already asked (the building an
address names, the who-covers chain of a building on a day, the store's jurisdiction), and
answers :meth:`Router.route` for each ticket (:meth:`Router.route_many` for many: their
buildings' facts are read together) with one :class:`Route` whose ``status`` is one of

* ``not-ours`` — the address names a province, city, district, street or 居委会 that is not the
  store's (``region`` says which: :mod:`shanzhi.route.regions`); judged first, so that a road
  crossing several districts is never routed on its name alone;
* ``not-found`` — no building has that address (or no address is given);
* ``ambiguous`` — several buildings, or one that only resembles the address (a guess):
  ``candidates`` lists them (:mod:`shanzhi.route.locate`);
* ``routed`` — one building, certainly: the rule of the ticket's category picks a level of its
  who-covers chain *on the ticket's day* (the 路长 on duty then, the 楼组长 then) and the people
  holding the rule's roles there; ``grid``, ``orgs``, ``people`` (phones masked unless
  ``show_contact``), ``match`` (how the address matched) and ``rule`` say how.

The address is the 诉求地址 cell, or — only when that is empty — the addresses found inside the
诉求内容 (:mod:`shanzhi.route.extract`).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, TypedDict

from shanzhi.graph.queries.who_covers import assemble
from shanzhi.route.extract import address_spans, addresses_in
from shanzhi.route.locate import Located, locate
from shanzhi.route.regions import (
    Jurisdiction,
    foreign,
    jurisdiction_of,
    named_regions,
    strip_ours,
)
from shanzhi.route.rules import Rule, Rules, Target

__all__ = ["STATUSES", "Route", "Router", "jurisdiction", "make_route"]

Status = Literal["routed", "ambiguous", "not-ours", "not-found"]
#: The statuses, unrouted first (the order of summaries).
STATUSES: tuple[Status, ...] = ("not-found", "not-ours", "ambiguous", "routed")
#: A ticket to route: its address cell, its content, its category and its day (ISO).
Ticket = tuple[str, str, str, str]
_CHAIN = ("building", "branch", "community", "block", "street")
ADDRESS_CELL, CONTENT_CELL = "诉求地址", "诉求内容"


class Route(TypedDict):
    """The routing of one ticket (see the module docstring)."""

    status: Status
    note: str
    address: str
    address_from: str
    match: str
    building: dict[str, str] | None
    rule: str
    level: str
    grid: dict[str, str] | None
    block: str
    community: str
    orgs: list[dict[str, str]]
    people: list[dict[str, Any]]
    candidates: list[dict[str, str]]
    region: str


def make_route(status: Status, note: str, **fields: Any) -> Route:
    base: dict[str, Any] = {
        "status": status, "note": note, "address": "", "address_from": "", "match": "",
        "building": None, "rule": "", "level": "", "grid": None, "block": "", "community": "",
        "orgs": [], "people": [], "candidates": [], "region": "",
    }  # fmt: skip
    base.update(fields)
    return base  # type: ignore[return-value]


class Router:
    """Routes tickets against one store with one set of rules."""

    def __init__(self, store: Any, rules: Rules, show_contact: bool = False) -> None:
        self.store, self.rules, self.show_contact = store, rules, show_contact
        self._chains: dict[tuple[str, str], dict[str, Any] | None] = {}
        self._located: dict[tuple[str, ...], Located] = {}
        self._levels_kept: dict[Any, Any] = {}  # levels shared by chains (assemble's ``shared``)
        self._ours: Jurisdiction | None = None

    @property
    def ours(self) -> Jurisdiction:
        """The streets and districts of the store (read once)."""
        if self._ours is None:
            self._ours = jurisdiction(self.store)
        return self._ours

    def route(self, address: str, content: str, category: str, day: str) -> Route:
        """The routing of a ticket with these cells, received on ``day`` (ISO)."""
        return self.route_many([(address, content, category, day)])[0]

    def route_many(
        self, tickets: Sequence[Ticket], located: Callable[[], None] | None = None
    ) -> list[Route]:
        """:meth:`route` of each (address, content, category, day) of ``tickets``, in order; the
        who-covers facts of the buildings found are read together (one read on the embedded
        store), each (building, day) once. ``located`` is called as each ticket's address has
        been looked up (for a progress bar)."""
        found: list[Route | _Found] = []
        for t in tickets:
            found.append(self._locate(*t))
            if located is not None:
                located()
        return self._finish_all(found)

    def _finish_all(self, located: list[Route | _Found]) -> list[Route]:
        """The routings of located tickets: the chains they need read in one go, then each."""
        asks = sorted(
            {(f.uid, f.day) for f in located if isinstance(f, _Found)} - set(self._chains)
        )
        for (uid, day), facts in zip(asks, self.store.who_covers_facts_many(asks), strict=True):
            self._chains[(uid, day)] = (
                None
                if facts is None
                else assemble(
                    facts, date.fromisoformat(day), self.show_contact, shared=self._levels_kept
                )
            )
        return [self._finish(f) if isinstance(f, _Found) else f for f in located]

    def _locate(self, address: str, content: str, category: str, day: str) -> Route | _Found:
        """The ticket's building (found surely), or its routing when there is none."""
        if address.strip():
            queries, source, said = addresses_in(address), ADDRESS_CELL, address
        else:
            queries, source = address_spans(content), CONTENT_CELL
            said = "｜".join(queries)
        rule = self.rules.rule_for(category, content)
        base = {
            "address": " | ".join(queries),
            "address_from": source if queries else "",
            "rule": rule.name,
        }
        regions = [named_regions(said)] if said else []
        if source == CONTENT_CELL:  # the district may stand in a clause before the address
            regions.append(named_regions(content, streets=False))
        for named in regions:
            where = foreign(named, self.ours) if any(named.values()) else None
            if where is not None:
                note = f"地址在{where}，不属本辖区 (the address is in {where}, not ours)"
                return make_route("not-ours", note, region=where, **base)
        if not queries:
            note = "诉求内容中没有门牌地址 (the text names no building number)"
            return make_route("not-found", note, **base)
        if any(any(r.values()) for r in regions):  # all ours: the finder gets the address itself
            queries = [strip_ours(q, self.ours) for q in queries]
        located = self._locate_once(queries)
        if located["status"] == "not-found":
            note = f"未找到该地址的楼栋 ({located['message']})"
            return make_route("not-found", note, **base)
        if located["status"] == "ambiguous":
            note = f"地址不能确定为一栋楼，请人工确认 ({located['message']})"
            candidates = [dict(c) for c in located["candidates"]]  # its own, not the memo's
            return make_route("ambiguous", note, candidates=candidates, **base)
        building = located["building"]
        assert building is not None
        return _Found(building, located["match"], rule, day, base)

    def _locate_once(self, queries: list[str]) -> Located:
        """:func:`~shanzhi.route.locate.locate`, asked once per list of addresses in a run (a
        list of tickets names many buildings more than once, the same way)."""
        key = tuple(queries)
        found = self._located.get(key)
        if found is None:
            found = self._located[key] = locate(self.store, queries)
        return found

    def _finish(self, found: _Found) -> Route:
        """The routing of a ticket whose building was found: its chain on the day, the rule."""
        building, base = found.building, found.base
        chain = self._chains[(found.uid, found.day)]
        if chain is None:
            note = f"楼栋已不在库中 (building {building['id']} is no longer in the store)"
            return make_route("not-found", note, **base)
        shown = {k: building[k] for k in ("id", "name", "address")}
        return _assign(chain, found.rule, found.day, shown, found.match, base)


@dataclass(frozen=True)
class _Found:
    """A ticket whose address names one building surely, waiting for that building's chain."""

    building: dict[str, str]
    match: str
    rule: Rule
    day: str
    base: dict[str, Any]

    @property
    def uid(self) -> str:
        return self.building["uid"]


def _levels(chain: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {step["level"]: step for step in chain["chain"]}


def _pick(step: dict[str, Any], target: Target) -> list[dict[str, Any]]:
    rank = {role: i for i, role in enumerate(target.roles)}
    chosen = [p for p in step["people"] if p["role"] in rank]
    return sorted(chosen, key=lambda p: rank[p["role"]])  # stable: the chain's order within a role


def _orgs(step: dict[str, Any], target: Target) -> list[dict[str, str]]:
    if target.orgs:
        found = [o for o in step["orgs"] if o["kind"] in target.orgs]
    else:
        found = [o for o in step["orgs"] if o.get("relation") == "LEADS"]
    return [{"id": str(o["id"]), "name": str(o["name"]), "kind": str(o["kind"])} for o in found]


def _target_step(levels: dict[str, dict[str, Any]], target: Target) -> dict[str, Any] | None:
    if target.level != "nearest":
        step = levels.get(target.level)
        return step if step is not None and not step["missing"] and _pick(step, target) else None
    for level in _CHAIN:
        step = levels.get(level)
        if step is not None and not step["missing"] and _pick(step, target):
            return step
    return None


def _person(p: dict[str, Any]) -> dict[str, Any]:
    return {k: p[k] for k in ("id", "name", "role", "party_member", "phone") if k in p}


def _assign(
    chain: dict[str, Any],
    rule: Rule,
    day: str,
    building: dict[str, str],
    match: str,
    base: dict[str, Any],
) -> Route:
    levels = _levels(chain)

    def grid_name(level: str) -> str:
        step = levels.get(level)
        return str(step["grid"]["name"]) if step and step.get("grid") else ""

    where = {"block": grid_name("block"), "community": grid_name("community")}
    for target in rule.targets:
        step = _target_step(levels, target)
        if step is None:
            continue
        people = [_person(p) for p in _pick(step, target)]
        grid = {"id": str(step["grid"]["id"]), "name": str(step["grid"]["name"])}
        note = f"{rule.name} → {step['level']}: " + "、".join(_roles(people))
        return make_route(
            "routed",
            note,
            building=building,
            match=match,
            level=step["level"],
            grid=grid,
            orgs=_orgs(step, target),
            people=people,
            **where,
            **base,
        )
    roles = "、".join(dict.fromkeys(r for t in rule.targets for r in t.roles))
    first = next((levels[t.level] for t in rule.targets if t.level in levels), None)
    vacant: dict[str, str] | None = None
    if first is not None and first.get("grid"):
        vacant = {"id": str(first["grid"]["id"]), "name": str(first["grid"]["name"])}
    note = f"{day} 无人担任{roles} (nobody holds {roles} on {day}); the building is certain"
    return make_route(
        "routed",
        note,
        building=building,
        match=match,
        grid=vacant,
        level=first["level"] if first else "",
        **where,
        **base,
    )


def _roles(people: Iterable[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(str(p["role"]) for p in people))


_JURISDICTIONS: weakref.WeakKeyDictionary[Any, tuple[Any, Jurisdiction]] = (
    weakref.WeakKeyDictionary()
)


def jurisdiction(store: Any) -> Jurisdiction:
    """The store's streets and districts, read once per store object and kept until a load
    changes what it holds (its datasets and their last load numbers)."""
    state = tuple((d, max((r.seq for r in store.loads(d)), default=0)) for d in store.datasets())
    cached = _JURISDICTIONS.get(store)
    if cached is not None and cached[0] == state:
        return cached[1]
    found = _read_jurisdiction(store)
    _JURISDICTIONS[store] = (state, found)
    return found


def _read_jurisdiction(store: Any) -> Jurisdiction:
    """From the store's snapshot (the one read every store has; seconds at district scale,
    hence kept per store)."""
    snap = store.snapshot()
    wanted = {"Grid", "Place"}
    nodes = [
        {"uid": n.uid, "label": n.label, **n.props}
        for n in snap.nodes.values()
        if n.label in wanted
    ]
    pairs = [(r.source, r.target) for r in snap.relations.values() if r.type == "PART_OF"]
    return jurisdiction_of(nodes, pairs)
