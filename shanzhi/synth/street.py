"""One synthetic street (街道), from its 总网格 down to every building, written to a ``Sink``.

A street is drawn in two passes from its own random stream (seeded by the dataset seed and the
street's id, so streets do not depend on one another): first its skeleton (how many residential
areas, estates, buildings and branch blocks), then the gaps to plant, then every record. Gap
decisions never change what is drawn from the main stream, so with ``gaps=False`` the same seed
gives the same dataset minus the planted gaps.

Ids are paths that stay unique across a whole city, e.g. ``D03-S07-B2-C14-BLD-031`` is building
31 of residential area 14 in block 2 of street 7 of district 3.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from shanzhi.synth.gaps import GapPlan, GapRecord
from shanzhi.synth.names import (
    BLOCK_THEMES,
    cn_number,
    community_name,
    estate_names,
    fake_phone,
    person_name,
    random_word,
    road_names,
)
from shanzhi.synth.shape import MONTHS, REFERENCE_DATE, VACANT_SINCE, Shape
from shanzhi.synth.sink import Sink

__all__ = ["StreetPlan", "write_district", "write_street"]

_SHOPS = ("便利店", "面馆", "药房", "理发店", "水果店", "咖啡馆", "花店", "书店", "早餐铺")
_COMPANIES = ("科技有限公司", "信息服务有限公司", "物流有限公司", "文化传媒有限公司")
_SOCIAL = ("社工服务中心", "公益促进会", "睦邻服务社", "养老服务中心")
_UNITS = ("小学", "中学", "医院", "银行支行", "长途客运站", "巴士公司", "派出所")
_TOPICS = (
    "园区班车",
    "共享停车",
    "小哥茶铺",
    "祭扫班线",
    "邻里食堂",
    "口袋公园",
    "加装电梯",
    "睦邻客厅",
    "四点半课堂",
    "垃圾分类",
)
_GRASSROOTS = ("红色楼道", "党员责任区", "睦邻议事", "微心愿", "银发互助", "楼道美化", "邻里节")
_MICRO = ("楼道灯修缮", "非机动车棚", "信报箱更新", "楼道堆物清理", "扶手加装", "绿化补种")
_EPOCH = date(2023, 1, 1)


def _day(offset: int) -> str:
    return (_EPOCH + timedelta(days=offset)).isoformat()


@dataclass
class _Community:
    """The skeleton of a residential area: how its buildings split into estates and branches."""

    index: int
    block: int
    estate_sizes: list[int]
    branch_sizes: list[int]

    @property
    def buildings(self) -> int:
        return sum(self.estate_sizes)


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` items in ``parts`` non-empty contiguous runs."""
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    bounds = [0, *cuts, total]
    return [bounds[i + 1] - bounds[i] for i in range(parts)]


def _pick(rng: random.Random, bounds: tuple[int, int]) -> int:
    return rng.randint(bounds[0], bounds[1])


def _partner(rng: random.Random, kind: str, parks: list[str]) -> tuple[str, str]:
    """An invented name for a partner organisation of ``kind``, and where it sits (or "")."""
    word = random_word(rng)
    if kind == "merchant":
        return f"示例{word}{rng.choice(_SHOPS)}", ""
    if kind == "new_economic_org":
        return f"测试{word}{rng.choice(_COMPANIES)}", rng.choice(parks)
    if kind == "new_social_org":
        return f"示例{word}{rng.choice(_SOCIAL)}", ""
    if kind == "stationed_unit":
        return f"测试{word}{rng.choice(_UNITS)}", ""
    return f"示例{word}志愿服务队", ""


@dataclass
class StreetPlan:
    """Where a street sits: district and street numbers, and its name."""

    seed: int
    district: int
    street: int
    gaps: bool
    shape: Shape

    @property
    def id(self) -> str:
        return f"D{self.district:02d}-S{self.street:02d}"

    @property
    def district_id(self) -> str:
        return f"D{self.district:02d}"

    @property
    def district_name(self) -> str:
        return f"测试{cn_number(self.district)}区"

    @property
    def name(self) -> str:
        return f"{self.district_name}示例{cn_number(self.street)}街道"


def write_district(sink: Sink, plan: StreetPlan) -> None:
    """The district above a street: a place (kind other) and its 区委 (party_committee)."""
    d = plan.district_id
    sink.place(f"{d}-PL", plan.district_name, "other")
    sink.org(f"{d}-PC", f"{plan.district_name}区委（示例）", "party_committee", place=f"{d}-PL")


@dataclass
class _Block:
    """What the communities of a block need from it while they are written."""

    id: str
    partners: list[str] = field(default_factory=list)
    roads: list[tuple[str, str]] = field(default_factory=list)


class _StreetWriter:
    """Writes one street; see ``write_street``."""

    def __init__(self, sink: Sink, plan: StreetPlan, record: GapRecord) -> None:
        self.sink = sink
        self.plan = plan
        self.shape = plan.shape
        self.record = record
        self.rng = random.Random(f"shanzhi-synth/{plan.seed}/{plan.id}")
        self.gap_rng = random.Random(f"shanzhi-synth/{plan.seed}/{plan.id}/gaps")
        self.sid = plan.id
        self.code = f"99{plan.district:04d}{plan.street:03d}000"
        self.blocks: list[_Block] = []
        self.lanes: set[tuple[str, int]] = set()
        self.communities = self._skeleton()
        self.gaps = self._gap_plan() if plan.gaps else GapPlan.none()

    def _skeleton(self) -> list[_Community]:
        rng, shape = self.rng, self.shape
        n = _pick(rng, shape.communities)
        out = []
        for i in range(n):
            buildings = _pick(rng, shape.buildings)
            estates = min(_pick(rng, shape.estates), buildings)
            branches = max(1, min(_pick(rng, shape.branches), buildings // 2))
            out.append(
                _Community(
                    index=i + 1,
                    block=i * shape.blocks // n + 1,
                    estate_sizes=_split(rng, buildings, estates),
                    branch_sizes=_split(rng, buildings, branches),
                )
            )
        return out

    def _gap_plan(self) -> GapPlan:
        buildings = [(c.index, k) for c in self.communities for k in range(1, c.buildings + 1)]
        branches = [
            (c.index, j) for c in self.communities for j in range(1, len(c.branch_sizes) + 1)
        ]
        return GapPlan.draw(self.gap_rng, buildings, branches, per_kind=1)

    def _person(
        self, id_: str, party: bool = False, rng: random.Random | None = None, write: bool = True
    ) -> str:
        """Draw a person (always, so the random stream does not depend on gaps); write if asked."""
        r = rng or self.rng
        name, phone = person_name(r), fake_phone(r)
        if write:
            self.sink.person(id_, name, party, phone)
        return id_

    def _cid(self, c: _Community) -> str:
        return f"{self.sid}-B{c.block}-C{c.index:02d}"

    # -- street ------------------------------------------------------------------------------
    def write(self) -> None:
        sink, sid, plan = self.sink, self.sid, self.plan
        code = self.code
        sink.grid(f"{sid}-GRID", f"{plan.name}总网格", "street", code=code)
        sink.place(f"{sid}-PL", plan.name, "subdistrict", f"{plan.district_id}-PL", f"{sid}-GRID")
        sink.org(
            f"{sid}-PWC",
            f"{plan.name}党工委",
            "party_working_committee",
            f"{plan.district_id}-PC",
            f"{sid}-GRID",
            f"{sid}-PL",
        )
        secretary = self._person(f"{sid}-P01", party=True)
        sink.rel(secretary, "HOLDS", f"{sid}-PWC", "书记")
        sink.rel(secretary, "HOLDS", f"{sid}-GRID", "网格长")
        n_roads = [_pick(self.rng, self.shape.roads_per_block) for _ in range(self.shape.blocks)]
        names = road_names(self.rng, sum(n_roads))
        for b in range(1, self.shape.blocks + 1):
            first = sum(n_roads[: b - 1])
            self.blocks.append(self._block(b, names[first : first + n_roads[b - 1]], first))
        self.estate_names = estate_names(
            self.rng, sum(len(c.estate_sizes) for c in self.communities)
        )
        for c in self.communities:
            self._community(c)
        self._street_projects()

    def _street_projects(self) -> None:
        rng, sink, sid = self.rng, self.sink, self.sid
        for i in range(1, self.shape.district_projects + 1):
            block = self.blocks[(i - 1) % len(self.blocks)]
            lead = f"{block.id}-PGB" if i % 2 else f"{block.id}-WS"
            pid = f"{sid}-PRJ-D{i:02d}"
            topic = _TOPICS[(i - 1) % len(_TOPICS)]
            self._project(
                pid, f"示例{cn_number(i)}号区级项目·{topic}", "district", lead, f"{block.id}-GRID"
            )
            count = min(_pick(rng, self.shape.project_participants), len(block.partners))
            for member in rng.sample(block.partners, count):
                sink.rel(member, "PARTICIPATES_IN", pid)
        for i in range(1, self.shape.city_projects + 1):
            c = rng.choice(self.communities)
            cid = self._cid(c)
            pid = f"{sid}-PRJ-C{i}"
            name = f"美好社区 先锋行动·{community_name(c.index)}（示例）"
            self._project(pid, name, "city", f"{cid}-PO", f"{cid}-GRID")
            block = self.blocks[c.block - 1]
            for member in rng.sample(block.partners, min(3, len(block.partners))):
                sink.rel(member, "PARTICIPATES_IN", pid)

    def _project(self, pid: str, name: str, level: str, lead: str, grid: str) -> None:
        start = self.rng.randrange(0, 3 * 365)
        end = start + self.rng.randint(180, 720)
        status = "已完成" if _EPOCH + timedelta(days=end) < REFERENCE_DATE else "进行中"
        self.sink.project(pid, name, level, lead, grid, status, _day(start), _day(end))

    # -- block -------------------------------------------------------------------------------
    def _block(self, b: int, roads: list[str], first_road: int) -> _Block:
        sink, sid = self.sink, self.sid
        bid = f"{sid}-B{b}"
        grid = f"{bid}-GRID"
        name = f"{self.plan.name}{BLOCK_THEMES[(b - 1) % 4]}街区"
        block = _Block(bid)
        sink.grid(grid, f"{name}网格", "block", f"{sid}-GRID", f"{self.code}-{b}")
        sink.place(f"{bid}-PL", name, "block", f"{sid}-PL", grid)
        sink.org(
            f"{bid}-PGB", f"{name}党总支", "party_general_branch", f"{sid}-PWC", grid, f"{bid}-PL"
        )
        sink.org(f"{bid}-WS", f"{name}工作站", "workstation", place=f"{bid}-PL")
        sink.org(f"{bid}-CNL", f"{name}圆桌议事会", "council", f"{bid}-WS", place=f"{bid}-PL")
        sink.org(f"{bid}-BC", f"{name}委员会", "block_committee", f"{bid}-WS", place=f"{bid}-PL")
        sink.rel(f"{bid}-WS", "SERVES", grid)
        chief = self._person(f"{bid}-P001", party=True)
        sink.rel(chief, "HOLDS", grid, "网格长")
        sink.rel(chief, "HOLDS", f"{bid}-PGB", "书记")
        cadre = self._person(f"{bid}-P002", party=True)
        sink.rel(cadre, "HOLDS", grid, "街区长", note="街道干部")
        sink.rel(cadre, "HOLDS", f"{bid}-WS", "站长")
        parks = [f"{bid}-PK{k}" for k in range(1, _pick(self.rng, self.shape.parks) + 1)]
        for k, park in enumerate(parks, 1):
            sink.place(park, f"{name}示例园区{cn_number(k)}", "park", f"{bid}-PL", grid)
        rota_people = self._circle(block, b, parks)
        sink.rel(rota_people[0], "HOLDS", grid, "街区长", note="两新组织负责人")
        sink.rel(cadre, "MEMBER_OF", f"{bid}-BC")
        sink.rel(rota_people[0], "MEMBER_OF", f"{bid}-BC")
        for k, road in enumerate(roads, first_road + 1):
            rid = f"{sid}-R{k:02d}"
            sink.place(rid, road, "road", f"{sid}-PL", grid)
            block.roads.append((rid, road))
            self._rota(rid, rota_people)
        return block

    def _circle(self, block: _Block, b: int, parks: list[str]) -> list[str]:
        """The block's 善治朋友圈; returns the people who may serve as 路长 (holders first)."""
        rng, sink, shape, bid = self.rng, self.sink, self.shape, block.id
        grid = f"{bid}-GRID"
        next_grid = f"{self.sid}-B{b % shape.blocks + 1}-GRID"
        kinds = (
            ("new_economic_org", shape.new_economic_orgs),
            ("merchant", shape.merchants),
            ("new_social_org", shape.new_social_orgs),
            ("stationed_unit", shape.stationed_units),
            ("volunteer_team", shape.volunteer_teams),
        )
        people = 2
        holders: list[str] = []
        teams: list[str] = []
        orgs: list[str] = []
        for kind, bounds in kinds:
            for _ in range(_pick(rng, bounds)):
                oid = f"{bid}-ORG-{len(orgs) + 1:02d}"
                name, place = _partner(rng, kind, parks)
                if kind == "volunteer_team":
                    teams.append(oid)
                sink.org(oid, name, kind, place=place)
                orgs.append(oid)
                sink.rel(oid, "PARTNERS", grid)
                if rng.random() < shape.second_block_share:
                    sink.rel(oid, "PARTNERS", next_grid)
                if holders and rng.random() < shape.shared_holder_share:
                    holder = rng.choice(holders)
                else:
                    people += 1
                    holder = self._person(f"{bid}-P{people:03d}", party=rng.random() < 0.3)
                    holders.append(holder)
                sink.rel(holder, "HOLDS", oid, "队长" if kind == "volunteer_team" else "负责人")
        volunteers = []
        for _ in range(_pick(rng, shape.volunteers)):
            people += 1
            vid = self._person(f"{bid}-P{people:03d}", party=rng.random() < 0.2)
            sink.rel(vid, "PARTNERS", grid)
            sink.rel(vid, "MEMBER_OF", rng.choice(teams))
            volunteers.append(vid)
        for oid in rng.sample(orgs, min(len(orgs), rng.randint(3, 6))):
            sink.rel(oid, "MEMBER_OF", f"{bid}-CNL")
        for oid in rng.sample(orgs, min(len(orgs), rng.randint(2, 4))):
            sink.rel(oid, "MEMBER_OF", f"{bid}-BC")
        block.partners = orgs + volunteers
        return holders + volunteers

    def _rota(self, road: str, candidates: list[str]) -> None:
        """Monthly 路长 duty on a road, 2023-01 .. 2026-12, one person on duty each day."""
        pool = self.rng.sample(
            candidates, min(len(candidates), _pick(self.rng, self.shape.road_rota))
        )
        offset = self.rng.randrange(len(pool))
        for i, (first, last) in enumerate(MONTHS):
            self.sink.rel(pool[(offset + i) % len(pool)], "HOLDS", road, "路长", first, last)

    # -- residential area --------------------------------------------------------------------
    def _community(self, c: _Community) -> None:
        rng, sink, sid, plan = self.rng, self.sink, self.sid, self.plan
        cid = self._cid(c)
        block = self.blocks[c.block - 1]
        grid = f"{cid}-GRID"
        name = community_name(c.index)
        code = f"99{plan.district:04d}{plan.street:03d}{c.index:03d}"
        sink.grid(grid, f"{name}网格", "community", f"{block.id}-GRID", code)
        sink.place(f"{cid}-PL", name, "community", f"{block.id}-PL", grid)
        big = c.buildings >= 17
        sink.org(
            f"{cid}-PO",
            name + ("党委" if big else "党总支"),
            "party_committee" if big else "party_general_branch",
            f"{sid}-PWC",
            grid,
            f"{cid}-PL",
        )
        sink.org(f"{cid}-RC", f"{name}居民委员会", "residents_committee", place=f"{cid}-PL")
        sink.rel(f"{cid}-RC", "SERVES", grid)
        secretary = self._person(f"{cid}-P01", party=True)
        sink.rel(secretary, "HOLDS", f"{cid}-PO", "书记")
        sink.rel(secretary, "HOLDS", grid, "网格长")
        sink.rel(
            self._person(f"{cid}-P02", party=rng.random() < 0.7), "HOLDS", f"{cid}-RC", "居委主任"
        )
        sites: list[_Site] = []
        for e, size in enumerate(c.estate_sizes, 1):
            road, road_name = rng.choice(block.roads)
            lane = rng.randint(1, 1999)
            while (road, lane) in self.lanes:  # one estate per lane: addresses stay unique
                lane = rng.randint(1, 1999)
            self.lanes.add((road, lane))
            eid = f"{cid}-E{e}"
            ename = self.estate_names.pop()
            sink.place(eid, ename, "estate", f"{cid}-PL", grid, f"{road_name}{lane}弄", road)
            sites.extend(
                _Site(eid, ename, road, f"{road_name}{lane}弄", n) for n in range(1, size + 1)
            )
        first = 0
        branch_grids = []
        for j, size in enumerate(c.branch_sizes, 1):
            self._branch(c, j, code, sites, first, size)
            branch_grids.append(f"{cid}-BR{j}")
            first += size
        for k in range(1, _pick(rng, self.shape.grassroots_projects) + 1):
            at = rng.choice([cid, *branch_grids])
            lead = f"{cid}-PO" if at == cid else f"{at}-PB"
            pid = f"{cid}-PRJ-G{k:02d}"
            self._project(
                pid, f"{name}{rng.choice(_GRASSROOTS)}（示例{k}）", "grassroots", lead, f"{at}-GRID"
            )
            for member in rng.sample(block.partners, rng.randint(0, 2)):
                sink.rel(member, "PARTICIPATES_IN", pid)

    # -- branch block (党支部带楼群网格) ---------------------------------------------------------
    def _branch(
        self, c: _Community, j: int, code: str, sites: list[_Site], first: int, size: int
    ) -> None:
        rng, sink, gaps = self.rng, self.sink, self.gaps
        cid = self._cid(c)
        brid = f"{cid}-BR{j}"
        grid, branch = f"{brid}-GRID", f"{brid}-PB"
        name = f"{community_name(c.index)}第{cn_number(j)}党支部"
        sink.grid(grid, f"{name}楼群网格", "branch", f"{cid}-GRID", f"{code}{j:02d}")
        unled = (c.index, j) in gaps.unled_branch
        sink.org(branch, name, "party_branch", f"{cid}-PO", "" if unled else grid, f"{cid}-PL")
        if unled:
            self.record.add("unled_grids", grid, f"{name}楼群网格", level="branch")
        pool = [
            self._person(f"{brid}-PM{n:02d}", party=True) for n in range(1, max(3, size // 2) + 1)
        ]
        sink.rel(pool[0], "HOLDS", branch, "书记")
        liaison = (c.index, j) not in gaps.no_liaison
        worker = self._person(f"{brid}-SW", party=rng.random() < 0.5, write=liaison)
        if liaison:
            sink.rel(worker, "HOLDS", grid, "社工")
            sink.rel(worker, "LIAISES", branch)
        else:
            self.record.add("branches_without_liaison", branch, name)
        for k in range(first + 1, first + size + 1):
            self._building(c, k, brid, pool, sites[k - 1], f"{code}{j:02d}{k:03d}")
        for m in range(1, _pick(rng, self.shape.micro_projects) + 1):
            k = rng.randint(first + 1, first + size)
            site = sites[k - 1]
            bid = f"{cid}-BLD-{k:03d}"
            at = grid if (c.index, k) in gaps.uncovered else f"{bid}-GRID"
            pid = f"{brid}-PRJ-M{m}"
            self._project(
                pid, f"{site.estate}{site.number}号楼{rng.choice(_MICRO)}", "micro", branch, at
            )
            sink.rel(f"{bid}-LG", "PARTICIPATES_IN", pid)

    # -- building (党小组和楼组网格) -------------------------------------------------------------
    def _building(
        self, c: _Community, k: int, brid: str, pool: list[str], site: _Site, code: str
    ) -> None:
        rng, sink, gaps, shape = self.rng, self.sink, self.gaps, self.shape
        slot = (c.index, k)
        bid = f"{self._cid(c)}-BLD-{k:03d}"
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
                f"{bid}-PG",
                f"{name}党小组",
                "party_group",
                f"{brid}-PB",
                "" if unled else grid,
                bid,
            )
            if unled:
                self.record.add("unled_grids", grid, f"{name}楼组网格", level="building")
        else:
            self.record.add("uncovered_buildings", bid, name)
        sink.org(group, f"{name}楼管小组", "building_management_group", place=bid)
        sink.rel(group, "SERVES", bid)
        sink.rel(f"{brid}-PB", "LEADS", group)
        size = _pick(rng, shape.group_members)
        seats = rng.sample(pool, min(_pick(rng, shape.party_seats), len(pool)))
        party_ok = slot not in gaps.no_party_member
        leader = self._person(f"{bid}-P1", party=rng.random() < 0.35 and party_ok)
        second = self._person(f"{bid}-P2", party=rng.random() < 0.25 and party_ok)
        members = [leader, second]
        for i in range(3, size - len(seats) + 1):
            members.append(self._person(f"{bid}-P{i}", party=rng.random() < 0.08 and party_ok))
        if party_ok:
            members.extend(seats)
        else:
            # The branch's party members stay away; residents take their seats.
            first = len(members) + 1
            members.extend(
                self._person(f"{bid}-P{i}", rng=self.gap_rng)
                for i in range(first, first + len(seats))
            )
            self.record.add("groups_without_party_member", group, f"{name}楼管小组")
        for member in members:
            sink.rel(member, "MEMBER_OF", group)
        self._leaders(slot, bid, name, leader, second, covered)

    def _leaders(
        self, slot: tuple[int, int], bid: str, name: str, leader: str, second: str, covered: bool
    ) -> None:
        """楼组长 (some replaced on a date, one vacant when planted) and 第二楼组长."""
        rng, sink = self.rng, self.sink
        grid, group = f"{bid}-GRID", f"{bid}-LG"
        replaced = rng.random() < self.shape.replaced_leader_share
        change = rng.randrange(30, 1276)
        vacant = slot in self.gaps.vacant
        former = ""
        if replaced:
            write = covered and not vacant
            former = self._person(f"{bid}-F1", party=rng.random() < 0.3, write=write)
        if not covered:
            return
        if vacant:
            until = (VACANT_SINCE - timedelta(days=1)).isoformat()
            sink.rel(leader, "HOLDS", grid, "楼组长", valid_to=until)
            self.record.add(
                "vacant_posts",
                grid,
                f"{name}楼组网格",
                role="楼组长",
                since=VACANT_SINCE.isoformat(),
            )
        elif former:
            sink.rel(former, "HOLDS", grid, "楼组长", valid_to=_day(change - 1))
            sink.rel(former, "MEMBER_OF", group, valid_to=_day(change - 1))
            sink.rel(leader, "HOLDS", grid, "楼组长", valid_from=_day(change))
        else:
            sink.rel(leader, "HOLDS", grid, "楼组长")
        sink.rel(second, "HOLDS", grid, "第二楼组长")


@dataclass(frozen=True)
class _Site:
    """Where a building stands: its estate, road, lane address and number in the estate."""

    estate_id: str
    estate: str
    road: str
    lane: str
    number: int


def write_street(sink: Sink, plan: StreetPlan, record: GapRecord) -> None:
    """Write every record of one street to ``sink`` and the planted gaps to ``record``."""
    _StreetWriter(sink, plan, record).write()
    sink.flush()
