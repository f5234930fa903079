"""One synthetic street (街道), from its 总网格 down to every building, written to a ``Sink``.

A street is drawn from its own random stream (seeded by the dataset seed and the street's id, so
streets do not depend on one another): first its skeleton and the gaps to plant
(:class:`~shanzhi.synth.writer.Writer`), then every record, level by level — the street here,
then each block (:mod:`~shanzhi.synth.block`), each residential area with its branch blocks
(:mod:`~shanzhi.synth.community`) and each building (:mod:`~shanzhi.synth.building`), and last
the street's district and city projects.

Ids are paths that stay unique across a whole city, e.g. ``D03-S07-B2-C14-BLD-031`` is building
31 of residential area 14 in block 2 of street 7 of district 3.
"""

from __future__ import annotations

from dataclasses import dataclass

from shanzhi.synth.block import write_block
from shanzhi.synth.community import write_community
from shanzhi.synth.gaps import GapRecord
from shanzhi.synth.names import cn_number, community_name, estate_names, road_names
from shanzhi.synth.shape import Shape
from shanzhi.synth.sink import Sink
from shanzhi.synth.writer import Writer, pick

__all__ = ["StreetPlan", "write_district", "write_street"]

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


def write_street(sink: Sink, plan: StreetPlan, record: GapRecord) -> None:
    """Write every record of one street to ``sink`` and the planted gaps to ``record``."""
    w = Writer(sink, plan, record)
    _street(w)
    for b, (roads, first) in enumerate(_roads(w), 1):
        w.blocks.append(write_block(w, b, roads, first))
    w.estate_names = estate_names(w.rng, sum(len(c.estate_sizes) for c in w.communities))
    for c in w.communities:
        write_community(w, c)
    _street_projects(w)
    sink.flush()


def _street(w: Writer) -> None:
    """The street's 总网格, place, 党工委 and its secretary."""
    sink, sid, plan = w.sink, w.sid, w.plan
    sink.grid(f"{sid}-GRID", f"{plan.name}总网格", "street", code=w.code)
    sink.place(f"{sid}-PL", plan.name, "subdistrict", f"{plan.district_id}-PL", f"{sid}-GRID")
    sink.org(
        f"{sid}-PWC",
        f"{plan.name}党工委",
        "party_working_committee",
        f"{plan.district_id}-PC",
        f"{sid}-GRID",
        f"{sid}-PL",
    )
    secretary = w.person(f"{sid}-P01", party=True)
    sink.rel(secretary, "HOLDS", f"{sid}-PWC", "书记")
    sink.rel(secretary, "HOLDS", f"{sid}-GRID", "网格长")


def _roads(w: Writer) -> list[tuple[list[str], int]]:
    """Each block's road names, and how many roads the blocks before it have."""
    n_roads = [pick(w.rng, w.shape.roads_per_block) for _ in range(w.shape.blocks)]
    names = road_names(w.rng, sum(n_roads))
    firsts = [sum(n_roads[:b]) for b in range(w.shape.blocks)]
    return [(names[first : first + n], first) for first, n in zip(firsts, n_roads, strict=True)]


def _street_projects(w: Writer) -> None:
    """The street's district-level projects (by block) and city-level ones (by community)."""
    rng, sink, sid = w.rng, w.sink, w.sid
    for i in range(1, w.shape.district_projects + 1):
        block = w.blocks[(i - 1) % len(w.blocks)]
        lead = f"{block.id}-PGB" if i % 2 else f"{block.id}-WS"
        pid = f"{sid}-PRJ-D{i:02d}"
        topic = _TOPICS[(i - 1) % len(_TOPICS)]
        w.project(
            pid, f"示例{cn_number(i)}号区级项目·{topic}", "district", lead, f"{block.id}-GRID"
        )
        count = min(pick(rng, w.shape.project_participants), len(block.partners))
        for member in rng.sample(block.partners, count):
            sink.rel(member, "PARTICIPATES_IN", pid)
    for i in range(1, w.shape.city_projects + 1):
        c = rng.choice(w.communities)
        cid = w.cid(c)
        pid = f"{sid}-PRJ-C{i}"
        name = f"美好社区 先锋行动·{community_name(c.index)}（示例）"
        w.project(pid, name, "city", f"{cid}-PO", f"{cid}-GRID")
        block = w.blocks[c.block - 1]
        for member in rng.sample(block.partners, min(3, len(block.partners))):
            sink.rel(member, "PARTICIPATES_IN", pid)
