"""Who covers building X: the chain of people and organisations responsible for it, nearest first.

``who_covers(store, "嘉利明珠城12号楼", on=date(2026, 11, 27))`` finds the building the way people
type it (:mod:`shanzhi.graph.queries.finder`), reads the *facts* around it from the store — in one
round trip on Neo4j (``cypher/who_covers.cypher``), by walking the networkx graph on the embedded
store — and assembles them in Python, the same code for both stores, so both give identical JSON.

Only relations valid on ``on`` count (``valid_from <= on <= valid_to``, open ends allowed), every
type alike. The chain (docs/cli.md ``who-covers --json``):

* **entry grid** — the grid covering the building; when none does, the place hierarchy is climbed
  (building → estate → community → block → subdistrict, via PART_OF) to the nearest place some
  grid covers, and the levels below that grid are reported missing (``"missing": true`` on the
  level, and ``missing_levels``). Among several grids covering the same place the most specific
  level wins, then the smallest uid.
* **levels** — from the entry grid up the grid PART_OF chain, one entry per level
  ``building, branch, community, block, street`` (nearest first), each with its grid, the
  organisations that LEAD or SERVE the grid or SERVE a place of the building's hierarchy the grid
  covers (``relation`` says which), and ``people``: holders of a post on the grid or on those
  organisations (``role`` is the post), and persons who LIAISE with the grid or with an
  organisation leading it (``role`` 社工 unless the relation names one). The block level adds
  ``circle_size``: how many distinct partners are in its 善治朋友圈 (PARTNERS into the block
  grid).
* **the building itself** (on the building level even when its grid is missing): the groups that
  SERVE the building (楼管小组, with ``members``: how many), their members (role ``楼管小组成员``;
  party members marked) unless they already hold a post at that level, posts held on the building
  place, and the 路长 on duty that day for the building's road (``road_id`` of the building, or of
  its nearest ancestor place that has one).

The answer: ``building`` (id, name, address, dataset, uid), ``match`` (how the typed text named
the building: ``id``, ``exact``, ``alias``, ``lane-for-号``, ``homophone``, ``pinyin``,
``initials``, ``community``, or ``guess`` when the caller accepted one), ``on``, ``covered_via``
(the place whose grid is the entry, with its ``depth`` above the building; null when nothing
covers any), ``missing_levels``, ``road`` (id, name) and ``chain`` (one entry per level:
``level``, ``grid`` (id, name, code), ``missing``, ``orgs`` (id, name, kind, relation[,
members]), ``people`` (id, name, role, party_member[, phone])). People are listed by role (known
roles in :data:`ROLE_ORDER` first, group members last) then id, one line per person and role;
organisations leading first, then by kind and id. Phones are masked
(:func:`shanzhi.privacy.mask_phone`) unless ``show_contact``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from shanzhi.errors import NotFoundError, UsageError
from shanzhi.graph.model import GridLevel, OrgKind, RelType
from shanzhi.graph.model.rules import MAX_GRID_CLIMB, MAX_PLACE_CLIMB, ROAD_CHIEF, valid_on
from shanzhi.graph.queries.finder import find_building
from shanzhi.graph.stores.interface import Facts, GraphStore
from shanzhi.privacy import mask_phone

__all__ = [
    "LEVELS",
    "MAX_GRID_CLIMB",
    "MAX_PLACE_CLIMB",
    "ROAD_CHIEF",
    "ROLE_ORDER",
    "assemble",
    "parse_day",
    "valid_on",
    "who_covers",
]

#: Chain levels, nearest first.
LEVELS: tuple[GridLevel, ...] = tuple(reversed(GridLevel))
LIAISON_ROLE = "社工"
MEMBER_SUFFIX = "成员"
#: Roles in the order a reader expects them; other roles follow, by name.
ROLE_ORDER: tuple[str, ...] = (
    "网格长", "书记", "副书记", "街区长", "居委主任", "社工",
    "楼组长", "第二楼组长", "党小组长", "组长", "路长", "站长", "负责人", "队长",
)  # fmt: skip
_ROLE_RANK = {role: i for i, role in enumerate(ROLE_ORDER)}
#: Phones masked once each (a list of tickets shows the same street's people again and again).
_masked = lru_cache(maxsize=65_536)(mask_phone)
#: The vocabularies as lookups (an enum's call and ``rank`` cost more than the rest of assembling).
_GRID_LEVELS: dict[Any, GridLevel] = {m.value: m for m in GridLevel}
_RANK: dict[GridLevel, int] = {m: m.rank for m in GridLevel}
_PARTY: dict[Any, bool] = {m.value: m.is_party for m in OrgKind}
_LEADS, _SERVES = RelType.LEADS.value, RelType.SERVES.value


def parse_day(on: date | str | None) -> date:
    """``on`` as a date: today when None, ISO text accepted.

    >>> parse_day("2025-07-01"), parse_day(date(2024, 1, 2))
    (datetime.date(2025, 7, 1), datetime.date(2024, 1, 2))
    """
    if on is None:
        return date.today()
    if isinstance(on, date):
        return on
    try:
        return date.fromisoformat(on.strip())
    except ValueError as exc:
        raise UsageError(f"the date {on!r} is not a day; write it as YYYY-MM-DD.") from exc


# -- the library function ----------------------------------------------------------------------
def who_covers(
    store: GraphStore,
    building: str,
    on: date | str | None = None,
    show_contact: bool = False,
    *,
    accept_guess: bool = False,
) -> dict[str, Any]:
    """The chain of docs/cli.md for the building ``building`` names, on ``on`` (default today),
    with ``match``: how ``building`` named it (:func:`~shanzhi.graph.queries.finder.find_building`).

    Raises NotFoundError (with the closest names), AmbiguousError (with the candidates) or, for
    a building only guessed at, GuessError (unless ``accept_guess``) when ``building`` does not
    name exactly one building surely.
    """
    day = parse_day(on)
    record = find_building(store, building, accept_guess=accept_guess)
    facts = store.who_covers_facts(record.uid, day.isoformat())
    if facts is None:  # removed by a load between the two reads
        raise NotFoundError(
            f"楼栋 {record.id} 已不在图库中，请重新查询。 "
            f"Building {record.id} is no longer in the store; ask again."
        )
    answer = assemble(facts, day, show_contact)
    return {"building": answer.pop("building"), "match": record.match, **answer}


# -- assembling the answer (one code path for both stores) --------------------------------------
def _is_party(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "是", "yes", "y")
    return bool(value)


@lru_cache(maxsize=4096)
def _role_key(role: str) -> tuple[int, int, str]:
    member = role.endswith(MEMBER_SUFFIX)
    return (1 if member else 0, _ROLE_RANK.get(role, len(ROLE_ORDER)), role)


class _People:
    """People of one level: one line per (person, role)."""

    def __init__(self, show_contact: bool) -> None:
        self.show_contact = show_contact
        self.rows: dict[tuple[str, str], dict[str, Any]] = {}
        self.posts: set[str] = set()  # who holds a post here (a role that is no membership)

    def add(self, person: Mapping[str, Any], role: str) -> None:
        key = (str(person["id"]), role)
        if key in self.rows:
            return
        if not role.endswith(MEMBER_SUFFIX):
            self.posts.add(key[0])
        row: dict[str, Any] = {
            "id": person["id"],
            "name": person["name"],
            "role": role,
            "party_member": _is_party(person.get("party_member")),
        }
        phone = person.get("phone")
        if phone not in (None, ""):
            row["phone"] = str(phone) if self.show_contact else _masked(str(phone))
        self.rows[key] = row

    def holds_post(self, person_id: str) -> bool:
        return person_id in self.posts

    def listed(self) -> list[dict[str, Any]]:
        return sorted(self.rows.values(), key=lambda r: (_role_key(r["role"]), str(r["id"])))


class _Orgs:
    """Organisations of one level, by id."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}

    def add(self, org: Mapping[str, Any], relation: str, **extra: Any) -> None:
        row = self.rows.setdefault(
            str(org["id"]),
            {"id": org["id"], "name": org["name"], "kind": org["kind"], "relation": relation},
        )
        if relation == _LEADS:
            row["relation"] = relation
        row.update(extra)

    def listed(self) -> list[dict[str, Any]]:
        def key(r: dict[str, Any]) -> tuple[int, int, str, str]:
            try:
                party = _PARTY.get(r["kind"], False)
            except TypeError:  # not a kind at all
                party = False
            return (r["relation"] != _LEADS, not party, str(r["kind"]), str(r["id"]))

        return sorted(self.rows.values(), key=key)


def _level(value: Any) -> GridLevel | None:
    try:
        return _GRID_LEVELS.get(value)
    except TypeError:  # not a level at all
        return None


def _entry_grid(ancestry: list[dict[str, Any]], grids: Mapping[str, Any]) -> tuple[str, Any]:
    covered = [a for a in ancestry if any(u in grids for u in a["grids"])]
    if not covered:
        return "", None
    nearest = min(a["depth"] for a in covered)
    choices = {u for a in covered if a["depth"] == nearest for u in a["grids"] if u in grids}
    best = min(
        choices,
        key=lambda u: (-(_RANK[lvl] if (lvl := _level(grids[u]["level"])) else 0), u),
    )
    place = min((a for a in covered if a["depth"] == nearest and best in a["grids"]),
                key=lambda a: a["place"]["uid"])  # fmt: skip
    return best, place


def _chain(entry: str, grids: Mapping[str, Any]) -> dict[GridLevel, str]:
    """Level → grid uid, from the entry grid up its PART_OF parents (one level up at a time)."""
    chain: dict[GridLevel, str] = {}
    current: str | None = entry
    seen: set[str] = set()
    while current is not None and current not in seen and len(seen) <= MAX_GRID_CLIMB:
        seen.add(current)
        level = _level(grids[current]["level"])
        if level is None or level in chain:
            break
        chain[level] = current
        rank = _RANK[level]
        parents = sorted(
            p
            for p in grids[current]["parents"]
            if p in grids and (up := _level(grids[p]["level"])) is not None and _RANK[up] < rank
        )
        current = parents[0] if parents else None
    return chain


def _deduped_ancestry(raw: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    best: dict[str, dict[str, Any]] = {}
    for a in raw:
        uid = a["place"]["uid"]
        if uid not in best or a["depth"] < best[uid]["depth"]:
            best[uid] = dict(a)
    return sorted(best.values(), key=lambda a: (a["depth"], a["place"]["uid"]))


def assemble(
    facts: Facts, on: date, show_contact: bool = False, *, shared: dict[Any, Any] | None = None
) -> dict[str, Any]:
    """The JSON of docs/cli.md from the facts of either store.

    ``shared`` (a dict the caller keeps across calls) lets the levels above the building be
    made once for facts that share their pieces: a grid's entry and the serving lists of the
    places it covers, the *same objects* (the embedded store's batch read gives them so). The
    levels are then shared between answers too: read them, never change them.
    """
    ancestry = _deduped_ancestry(facts["ancestry"])
    grids = {g["uid"]: g for g in facts["grids"]}
    entry, via = _entry_grid(ancestry, grids)
    chain = _chain(entry, grids) if entry else {}
    covered_by: dict[str, list[dict[str, Any]]] = {}
    for a in ancestry:
        if a["depth"] > 0:
            for grid in a["grids"]:
                covered_by.setdefault(grid, []).append(a)
    levels = []
    for level in LEVELS:
        uid = chain.get(level)
        g = grids[uid] if uid is not None else None
        covering = covered_by.get(uid, []) if uid is not None else []
        if level is GridLevel.BUILDING or g is None or shared is None:
            levels.append(_level_item(level, g, covering, show_contact, facts, ancestry))
            continue
        serving = [a["serving"] for a in covering]
        key = (level, id(g), tuple(map(id, serving)), show_contact)
        kept = shared.get(key)
        if kept is None:  # the objects are kept with it: their ids are not reused meanwhile
            kept = shared[key] = (_level_item(level, g, covering, show_contact), g, serving)
        levels.append(kept[0])
    b = facts["building"]
    road = facts.get("road")
    return {
        "building": {
            "id": b["id"],
            "name": b["name"],
            "address": b.get("address"),
            "dataset": b.get("dataset"),
            "uid": b["uid"],
        },
        "on": on.isoformat(),
        "covered_via": None
        if via is None
        else {
            "id": via["place"]["id"],
            "name": via["place"]["name"],
            "kind": via["place"]["kind"],
            "depth": via["depth"],
        },
        "missing_levels": [i["level"] for i in levels if i["missing"]],
        "road": None if not road else {"id": road["id"], "name": road["name"]},
        "chain": levels,
    }


def _level_item(
    level: GridLevel,
    g: Mapping[str, Any] | None,
    covering: list[dict[str, Any]],
    show_contact: bool,
    facts: Facts | None = None,
    ancestry: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One level of the chain: its grid ``g`` (None: missing), what leads, serves and holds
    posts there, with the places it covers above the building (``covering``); on the
    building level, what hangs on the building itself (from ``facts``)."""
    people, orgs = _People(show_contact), _Orgs()
    item: dict[str, Any] = {"level": level.value}
    if g is None:
        item.update(grid=None, missing=True)
    else:
        item["grid"] = {"id": g["id"], "name": g["name"]}
        if g.get("code") is not None:
            item["grid"]["code"] = g["code"]
        item["missing"] = False
        liaisons = list(g["liaisons"])
        for o in g["orgs"]:
            orgs.add(o["org"], o["rel"])
            for h in o["holders"]:
                people.add(h["person"], h["role"])
            if o["rel"] == _LEADS:
                liaisons.extend(o["liaisons"])
        for a in covering:
            for s in a["serving"]:
                orgs.add(s["org"], _SERVES)
                for h in s["holders"]:
                    people.add(h["person"], h["role"])
        for h in g["holders"]:
            people.add(h["person"], h["role"])
        for li in liaisons:
            people.add(li["person"], li.get("role") or LIAISON_ROLE)
        if level is GridLevel.BLOCK:
            item["circle_size"] = len(set(g["partners"]))
    if level is GridLevel.BUILDING:
        assert facts is not None and ancestry is not None
        _building_level(facts, ancestry, people, orgs)
    item["orgs"] = orgs.listed()
    item["people"] = people.listed()
    return item


def _building_level(
    facts: Facts, ancestry: list[dict[str, Any]], people: _People, orgs: _Orgs
) -> None:
    """What hangs on the building itself: serving groups and members, posts, the 路长 on duty."""
    for h in facts["place_holders"]:
        people.add(h["person"], h["role"])
    members: list[tuple[dict[str, Any], str]] = []
    for a in ancestry:
        if a["depth"] != 0:
            continue
        for s in a["serving"]:
            org = s["org"]
            distinct = {str(m["id"]) for m in s["members"]}
            orgs.add(org, _SERVES, members=len(distinct))
            for h in s["holders"]:
                people.add(h["person"], h["role"])
            try:
                what = OrgKind(org["kind"]).zh
            except ValueError:
                what = str(org["kind"])
            members.extend((m, what + MEMBER_SUFFIX) for m in s["members"])
    for h in facts.get("road_holders") or ():
        if h["role"] == ROAD_CHIEF:
            people.add(h["person"], ROAD_CHIEF)
    for m, role in members:
        if not people.holds_post(str(m["id"])):
            people.add(m, role)
