"""One building of a synthetic street (党小组和楼组网格): its grid and 党小组, its 楼管小组 with
the branch's party members on it, and its 楼组长 — replaced on a date for some, vacant, left
without party members or not covered at all where a gap is planted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from shanzhi.synth.shape import VACANT_SINCE
from shanzhi.synth.writer import Community, Writer, day, pick

__all__ = ["Site", "write_building"]


@dataclass(frozen=True)
class Site:
    """Where a building stands: its estate, road, lane address and number in the estate."""

    estate_id: str
    estate: str
    road: str
    lane: str
    number: int


def write_building(
    w: Writer, c: Community, k: int, brid: str, pool: list[str], site: Site, code: str
) -> None:
    """Building ``k`` of residential area ``c``, in branch block ``brid`` (whose party members
    are ``pool``)."""
    rng, sink, gaps, shape = w.rng, w.sink, w.gaps, w.shape
    slot = (c.index, k)
    bid = f"{w.cid(c)}-BLD-{k:03d}"
    grid, group = f"{bid}-GRID", f"{bid}-LG"
    name = f"{site.estate}{site.number}号楼"
    covered = slot not in gaps.uncovered
    sink.place(
        bid,
        name,
        "building",
        site.estate_id,
        grid if covered else "",
        f"{site.lane}{site.number}号",
        site.road,
    )
    if covered:
        sink.grid(grid, f"{name}楼组网格", "building", f"{brid}-GRID", code)
        unled = slot in gaps.unled_building
        sink.org(
            f"{bid}-PG", f"{name}党小组", "party_group", f"{brid}-PB", "" if unled else grid, bid
        )
        if unled:
            w.record.add("unled_grids", grid, f"{name}楼组网格", level="building")
    else:
        w.record.add("uncovered_buildings", bid, name)
    sink.org(group, f"{name}楼管小组", "building_management_group", place=bid)
    sink.rel(group, "SERVES", bid)
    sink.rel(f"{brid}-PB", "LEADS", group)
    size = pick(rng, shape.group_members)
    seats = rng.sample(pool, min(pick(rng, shape.party_seats), len(pool)))
    party_ok = slot not in gaps.no_party_member
    leader = w.person(f"{bid}-P1", party=rng.random() < 0.35 and party_ok)
    second = w.person(f"{bid}-P2", party=rng.random() < 0.25 and party_ok)
    members = [leader, second]
    for i in range(3, size - len(seats) + 1):
        members.append(w.person(f"{bid}-P{i}", party=rng.random() < 0.08 and party_ok))
    if party_ok:
        members.extend(seats)
    else:
        # The branch's party members stay away; residents take their seats.
        first = len(members) + 1
        members.extend(
            w.person(f"{bid}-P{i}", rng=w.gap_rng) for i in range(first, first + len(seats))
        )
        w.record.add("groups_without_party_member", group, f"{name}楼管小组")
    for member in members:
        sink.rel(member, "MEMBER_OF", group)
    _leaders(w, slot, bid, name, leader, second, covered)


def _leaders(
    w: Writer, slot: tuple[int, int], bid: str, name: str, leader: str, second: str, covered: bool
) -> None:
    """楼组长 (some replaced on a date, one vacant when planted) and 第二楼组长."""
    rng, sink = w.rng, w.sink
    grid, group = f"{bid}-GRID", f"{bid}-LG"
    replaced = rng.random() < w.shape.replaced_leader_share
    change = rng.randrange(30, 1276)
    vacant = slot in w.gaps.vacant
    former = ""
    if replaced:
        write = covered and not vacant
        former = w.person(f"{bid}-F1", party=rng.random() < 0.3, write=write)
    if not covered:
        return
    if vacant:
        until = (VACANT_SINCE - timedelta(days=1)).isoformat()
        sink.rel(leader, "HOLDS", grid, "楼组长", valid_to=until)
        w.record.add(
            "vacant_posts", grid, f"{name}楼组网格", role="楼组长", since=VACANT_SINCE.isoformat()
        )
    elif former:
        sink.rel(former, "HOLDS", grid, "楼组长", valid_to=day(change - 1))
        sink.rel(former, "MEMBER_OF", group, valid_to=day(change - 1))
        sink.rel(leader, "HOLDS", grid, "楼组长", valid_from=day(change))
    else:
        sink.rel(leader, "HOLDS", grid, "楼组长")
    sink.rel(second, "HOLDS", grid, "第二楼组长")
