"""One residential area (居民区) of a synthetic street: its grid, 党委 or 党总支 and 居委会, its
estates on the block's roads, its branch blocks (党支部带楼群网格) and their projects."""

from __future__ import annotations

from shanzhi.synth.building import Site, write_building
from shanzhi.synth.names import cn_number, community_name
from shanzhi.synth.writer import Community, Writer, pick

__all__ = ["write_community"]

_GRASSROOTS = ("红色楼道", "党员责任区", "睦邻议事", "微心愿", "银发互助", "楼道美化", "邻里节")
_MICRO = ("楼道灯修缮", "非机动车棚", "信报箱更新", "楼道堆物清理", "扶手加装", "绿化补种")


def write_community(w: Writer, c: Community) -> None:
    """Residential area ``c`` with everything below it (its blocks are already written)."""
    rng, sink, sid, plan = w.rng, w.sink, w.sid, w.plan
    cid = w.cid(c)
    block = w.blocks[c.block - 1]
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
    secretary = w.person(f"{cid}-P01", party=True)
    sink.rel(secretary, "HOLDS", f"{cid}-PO", "书记")
    sink.rel(secretary, "HOLDS", grid, "网格长")
    sink.rel(w.person(f"{cid}-P02", party=rng.random() < 0.7), "HOLDS", f"{cid}-RC", "居委主任")
    sites = _estates(w, c, cid, grid)
    first = 0
    branch_grids = []
    for j, size in enumerate(c.branch_sizes, 1):
        _branch(w, c, j, code, sites, first, size)
        branch_grids.append(f"{cid}-BR{j}")
        first += size
    for k in range(1, pick(rng, w.shape.grassroots_projects) + 1):
        at = rng.choice([cid, *branch_grids])
        lead = f"{cid}-PO" if at == cid else f"{at}-PB"
        pid = f"{cid}-PRJ-G{k:02d}"
        w.project(
            pid, f"{name}{rng.choice(_GRASSROOTS)}（示例{k}）", "grassroots", lead, f"{at}-GRID"
        )
        for member in rng.sample(block.partners, rng.randint(0, 2)):
            sink.rel(member, "PARTICIPATES_IN", pid)


def _estates(w: Writer, c: Community, cid: str, grid: str) -> list[Site]:
    """The estates of ``c``, one lane each on a road of its block; the site of every building."""
    rng, block = w.rng, w.blocks[c.block - 1]
    sites: list[Site] = []
    for e, size in enumerate(c.estate_sizes, 1):
        road, road_name = rng.choice(block.roads)
        lane = rng.randint(1, 1999)
        while (road, lane) in w.lanes:  # one estate per lane: addresses stay unique
            lane = rng.randint(1, 1999)
        w.lanes.add((road, lane))
        eid = f"{cid}-E{e}"
        ename = w.estate_names.pop()
        w.sink.place(eid, ename, "estate", f"{cid}-PL", grid, f"{road_name}{lane}弄", road)
        sites.extend(Site(eid, ename, road, f"{road_name}{lane}弄", n) for n in range(1, size + 1))
    return sites


def _branch(
    w: Writer, c: Community, j: int, code: str, sites: list[Site], first: int, size: int
) -> None:
    """Branch block ``j`` of ``c`` (党支部带楼群网格): buildings ``first + 1 .. first + size``."""
    rng, sink, gaps = w.rng, w.sink, w.gaps
    cid = w.cid(c)
    brid = f"{cid}-BR{j}"
    grid, branch = f"{brid}-GRID", f"{brid}-PB"
    name = f"{community_name(c.index)}第{cn_number(j)}党支部"
    sink.grid(grid, f"{name}楼群网格", "branch", f"{cid}-GRID", f"{code}{j:02d}")
    unled = (c.index, j) in gaps.unled_branch
    sink.org(branch, name, "party_branch", f"{cid}-PO", "" if unled else grid, f"{cid}-PL")
    if unled:
        w.record.add("unled_grids", grid, f"{name}楼群网格", level="branch")
    pool = [w.person(f"{brid}-PM{n:02d}", party=True) for n in range(1, max(3, size // 2) + 1)]
    sink.rel(pool[0], "HOLDS", branch, "书记")
    liaison = (c.index, j) not in gaps.no_liaison
    worker = w.person(f"{brid}-SW", party=rng.random() < 0.5, write=liaison)
    if liaison:
        sink.rel(worker, "HOLDS", grid, "社工")
        sink.rel(worker, "LIAISES", branch)
    else:
        w.record.add("branches_without_liaison", branch, name)
    for k in range(first + 1, first + size + 1):
        write_building(w, c, k, brid, pool, sites[k - 1], f"{code}{j:02d}{k:03d}")
    for m in range(1, pick(rng, w.shape.micro_projects) + 1):
        k = rng.randint(first + 1, first + size)
        site = sites[k - 1]
        bid = f"{cid}-BLD-{k:03d}"
        at = grid if (c.index, k) in gaps.uncovered else f"{bid}-GRID"
        pid = f"{brid}-PRJ-M{m}"
        w.project(pid, f"{site.estate}{site.number}号楼{rng.choice(_MICRO)}", "micro", branch, at)
        sink.rel(f"{bid}-LG", "PARTICIPATES_IN", pid)
