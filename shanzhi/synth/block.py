"""One block (街区) of a synthetic street: its grid, organisations, roads, 路长 rota and its
善治朋友圈 of partner organisations and volunteers."""

from __future__ import annotations

import random

from shanzhi.synth.names import BLOCK_THEMES, cn_number, random_word
from shanzhi.synth.shape import MONTHS
from shanzhi.synth.writer import Block, Writer, pick

__all__ = ["write_block"]

_SHOPS = ("便利店", "面馆", "药房", "理发店", "水果店", "咖啡馆", "花店", "书店", "早餐铺")
_COMPANIES = ("科技有限公司", "信息服务有限公司", "物流有限公司", "文化传媒有限公司")
_SOCIAL = ("社工服务中心", "公益促进会", "睦邻服务社", "养老服务中心")
_UNITS = ("小学", "中学", "医院", "银行支行", "长途客运站", "巴士公司", "派出所")


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


def write_block(w: Writer, b: int, roads: list[str], first_road: int) -> Block:
    """Block ``b`` of the street with its ``roads`` (numbered from ``first_road + 1``)."""
    sink, sid = w.sink, w.sid
    bid = f"{sid}-B{b}"
    grid = f"{bid}-GRID"
    name = f"{w.plan.name}{BLOCK_THEMES[(b - 1) % 4]}街区"
    block = Block(bid)
    sink.grid(grid, f"{name}网格", "block", f"{sid}-GRID", f"{w.code}-{b}")
    sink.place(f"{bid}-PL", name, "block", f"{sid}-PL", grid)
    sink.org(f"{bid}-PGB", f"{name}党总支", "party_general_branch", f"{sid}-PWC", grid, f"{bid}-PL")
    sink.org(f"{bid}-WS", f"{name}工作站", "workstation", place=f"{bid}-PL")
    sink.org(f"{bid}-CNL", f"{name}圆桌议事会", "council", f"{bid}-WS", place=f"{bid}-PL")
    sink.org(f"{bid}-BC", f"{name}委员会", "block_committee", f"{bid}-WS", place=f"{bid}-PL")
    sink.rel(f"{bid}-WS", "SERVES", grid)
    chief = w.person(f"{bid}-P001", party=True)
    sink.rel(chief, "HOLDS", grid, "网格长")
    sink.rel(chief, "HOLDS", f"{bid}-PGB", "书记")
    cadre = w.person(f"{bid}-P002", party=True)
    sink.rel(cadre, "HOLDS", grid, "街区长", note="街道干部")
    sink.rel(cadre, "HOLDS", f"{bid}-WS", "站长")
    parks = [f"{bid}-PK{k}" for k in range(1, pick(w.rng, w.shape.parks) + 1)]
    for k, park in enumerate(parks, 1):
        sink.place(park, f"{name}示例园区{cn_number(k)}", "park", f"{bid}-PL", grid)
    rota_people = _circle(w, block, b, parks)
    sink.rel(rota_people[0], "HOLDS", grid, "街区长", note="两新组织负责人")
    sink.rel(cadre, "MEMBER_OF", f"{bid}-BC")
    sink.rel(rota_people[0], "MEMBER_OF", f"{bid}-BC")
    for k, road in enumerate(roads, first_road + 1):
        rid = f"{sid}-R{k:02d}"
        sink.place(rid, road, "road", f"{sid}-PL", grid)
        block.roads.append((rid, road))
        _rota(w, rid, rota_people)
    return block


def _circle(w: Writer, block: Block, b: int, parks: list[str]) -> list[str]:
    """The block's 善治朋友圈; returns the people who may serve as 路长 (holders first)."""
    rng, sink, shape, bid = w.rng, w.sink, w.shape, block.id
    grid = f"{bid}-GRID"
    next_grid = f"{w.sid}-B{b % shape.blocks + 1}-GRID"
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
        for _ in range(pick(rng, bounds)):
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
                holder = w.person(f"{bid}-P{people:03d}", party=rng.random() < 0.3)
                holders.append(holder)
            sink.rel(holder, "HOLDS", oid, "队长" if kind == "volunteer_team" else "负责人")
    volunteers = []
    for _ in range(pick(rng, shape.volunteers)):
        people += 1
        vid = w.person(f"{bid}-P{people:03d}", party=rng.random() < 0.2)
        sink.rel(vid, "PARTNERS", grid)
        sink.rel(vid, "MEMBER_OF", rng.choice(teams))
        volunteers.append(vid)
    for oid in rng.sample(orgs, min(len(orgs), rng.randint(3, 6))):
        sink.rel(oid, "MEMBER_OF", f"{bid}-CNL")
    for oid in rng.sample(orgs, min(len(orgs), rng.randint(2, 4))):
        sink.rel(oid, "MEMBER_OF", f"{bid}-BC")
    block.partners = orgs + volunteers
    return holders + volunteers


def _rota(w: Writer, road: str, candidates: list[str]) -> None:
    """Monthly 路长 duty on a road, 2023-01 .. 2026-12, one person on duty each day."""
    pool = w.rng.sample(candidates, min(len(candidates), pick(w.rng, w.shape.road_rota)))
    offset = w.rng.randrange(len(pool))
    for i, (first, last) in enumerate(MONTHS):
        w.sink.rel(pool[(offset + i) % len(pool)], "HOLDS", road, "路长", first, last)
