"""The 共和新路街道 sample (data/gonghexinlu/) holds every count the 2023-03-31 article gives.

The article: 4 善治街区 over 26 居民区; 嘉利明珠城 with 26 buildings, each with a 楼管小组 (one
group serves one building, 180 members in all, party members of the branch in every group) and
a 第二楼组长; one social worker per branch block; the 个十百 matrix (1 city, 10 district, 166
grassroots projects); 园区班车, 共享停车, 小哥茶铺 and the 祭扫班线 run with 沪太路长途客运站 and
交运巴士; 黄翔 and 强碧薇 by name. Plus what the sample adds for date-dependent answers: 路长
rotations with exactly one on duty per road per day, and one 楼组长 replaced mid-way.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest

from shanzhi.graph.model import Relation, Scalar
from shanzhi.graph.model.dataset import Dataset
from shanzhi.loaders import load_dataset, read_dataset

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "gonghexinlu"
ORIGINS = {"article", "DOMAIN.md", "synthetic"}
LEDGER = "ledgers/楼组长名单.csv"


@dataclass
class Graph:
    """The loaded sample indexed for the questions below."""

    dataset: Dataset
    label: dict[str, str] = field(default_factory=dict)
    kind: dict[str, str] = field(default_factory=dict)
    name: dict[str, str] = field(default_factory=dict)
    props: dict[str, dict[str, Scalar]] = field(default_factory=dict)
    rels: list[Relation] = field(default_factory=list)

    def __post_init__(self) -> None:
        for n in self.dataset.nodes:
            self.label[n.id], self.kind[n.id] = n.label.value, n.kind or ""
            self.name[n.id], self.props[n.id] = n.name, n.props
        self.rels = list(self.dataset.relations)

    def ids(self, label: str, kind: str | None = None) -> list[str]:
        return [
            i
            for i, lab in self.label.items()
            if lab == label and (kind is None or self.kind[i] == kind)
        ]

    def by_name(self, name: str) -> str:
        (found,) = [i for i, n in self.name.items() if n == name]
        return found

    def out(self, source: str, type_: str, role: str | None = None) -> list[Relation]:
        return [
            r
            for r in self.rels
            if r.source_id == source and r.type.value == type_ and (role is None or r.role == role)
        ]

    def into(self, target: str, type_: str, role: str | None = None) -> list[Relation]:
        return [
            r
            for r in self.rels
            if r.target_id == target and r.type.value == type_ and (role is None or r.role == role)
        ]


def test_the_sample_loads_without_a_single_problem() -> None:
    dataset, problems = read_dataset(SAMPLE)
    assert [str(p) for p in problems] == []
    assert dataset is not None and dataset.name == "gonghexinlu"


@pytest.fixture(scope="module")
def g() -> Graph:
    return Graph(load_dataset(SAMPLE))


def _on(r: Relation, day: date) -> bool:
    started = r.valid_from is None or r.valid_from <= day
    return started and (r.valid_to is None or day <= r.valid_to)


# --- the five-level grid ---------------------------------------------------------------------
def test_one_street_grid_with_the_official_code(g: Graph) -> None:
    (street,) = g.ids("Grid", "street")
    assert g.name[street] == "共和新路街道总网格"
    assert g.props[street]["code"] == "310106018000"
    assert [g.name[r.source_id] for r in g.into(street, "LEADS")] == ["共和新路街道党工委"]


def test_four_blocks_over_26_communities(g: Graph) -> None:
    blocks = g.ids("Grid", "block")
    assert sorted(g.name[b] for b in blocks) == sorted(
        ["善业街区网格", "善学街区网格", "善居街区网格", "善养街区网格"]
    )
    assert len(g.ids("Place", "block")) == 4
    communities = g.ids("Grid", "community")
    assert len(communities) == 26
    assert len(g.ids("Place", "community")) == 26
    per_block = Counter(g.out(c, "PART_OF")[0].target_id for c in communities)
    assert set(per_block) == set(blocks)
    assert sorted(per_block.values()) == [6, 6, 7, 7]


def test_every_grid_is_led_by_a_party_organisation(g: Graph) -> None:
    for grid in g.ids("Grid"):
        leaders = [r.source_id for r in g.into(grid, "LEADS")]
        assert len(leaders) == 1, g.name[grid]
        assert g.kind[leaders[0]].startswith("party_"), g.name[grid]


def test_every_building_is_covered_by_its_building_grid_and_faces_a_road(g: Graph) -> None:
    buildings = g.ids("Place", "building")
    assert buildings
    for b in buildings:
        covering = [r.source_id for r in g.into(b, "COVERS")]
        assert [g.kind[c] for c in covering] == ["building"], g.name[b]
        assert g.kind[str(g.props[b]["road_id"])] == "road"


# --- 嘉利明珠城 --------------------------------------------------------------------------------
def _jiali_buildings(g: Graph) -> list[str]:
    estate = g.by_name("嘉利明珠城")
    return [r.source_id for r in g.into(estate, "PART_OF") if g.kind[r.source_id] == "building"]


def test_jiali_has_26_buildings_named_1_to_26(g: Graph) -> None:
    assert sorted(g.name[b] for b in _jiali_buildings(g)) == sorted(
        f"嘉利明珠城{n}号楼" for n in range(1, 27)
    )


def test_26_building_management_groups_each_serving_one_building(g: Graph) -> None:
    groups = g.ids("Org", "building_management_group")
    assert len(groups) == 26
    served = [r.target_id for grp in groups for r in g.out(grp, "SERVES")]
    assert sorted(served) == sorted(_jiali_buildings(g))
    for grp in groups:
        (lead,) = g.into(grp, "LEADS")
        assert g.kind[lead.source_id] == "party_branch"


def test_180_group_members_in_all_with_a_party_member_in_every_group(g: Graph) -> None:
    groups = g.ids("Org", "building_management_group")
    members = {grp: [r.source_id for r in g.into(grp, "MEMBER_OF")] for grp in groups}
    assert sum(len(m) for m in members.values()) == 180
    assert len({p for m in members.values() for p in m}) == 180
    for grp, people in members.items():
        (branch,) = [r.source_id for r in g.into(grp, "LEADS")]
        party = [p for p in people if g.props[p].get("party_member") is True]
        assert party, g.name[grp]
        # … and they are party members of the branch that leads the group, via its party groups.
        for p in party:
            party_groups = [
                r.target_id for r in g.out(p, "MEMBER_OF") if g.kind[r.target_id] == "party_group"
            ]
            assert [g.out(pg, "PART_OF")[0].target_id for pg in party_groups] == [branch]


def test_every_jiali_building_has_a_leader_and_a_second_leader(g: Graph) -> None:
    for b in _jiali_buildings(g):
        (grid,) = [r.source_id for r in g.into(b, "COVERS")]
        assert len(g.into(grid, "HOLDS", "第二楼组长")) == 1, g.name[b]
        assert g.into(grid, "HOLDS", "楼组长"), g.name[b]


def test_one_social_worker_liaises_with_each_branch(g: Graph) -> None:
    branches = g.ids("Grid", "branch")
    assert len([b for b in branches if "嘉利明珠城" in g.name[b]]) >= 2
    for grid in branches:
        (worker,) = g.into(grid, "HOLDS", "社工")
        (branch,) = [r.source_id for r in g.into(grid, "LEADS")]
        assert [r.target_id for r in g.out(worker.source_id, "LIAISES")] == [branch]


# --- blocks: 双街区长, 网格长, 善治朋友圈 --------------------------------------------------------
def test_each_block_has_a_grid_chief_and_two_block_chiefs(g: Graph) -> None:
    for block in g.ids("Grid", "block"):
        assert len(g.into(block, "HOLDS", "网格长")) == 1
        chiefs = [r.source_id for r in g.into(block, "HOLDS", "街区长")]
        assert len(set(chiefs)) == 2
        # one of the two also heads a business or two-new organisation
        heads = {g.kind[r.target_id] for c in chiefs for r in g.out(c, "HOLDS", "负责人")}
        assert heads & {"merchant", "new_economic_org", "new_social_org"}
        partners = {g.kind[r.source_id] for r in g.into(block, "PARTNERS")}
        assert {"merchant", "new_economic_org", "new_social_org", "stationed_unit"} <= partners


def test_each_block_has_its_workstation_council_and_committee(g: Graph) -> None:
    for kind in ("workstation", "council", "block_committee"):
        assert len(g.ids("Org", kind)) == 4, kind
    for block in g.ids("Grid", "block"):
        (lead,) = g.into(block, "LEADS")
        assert g.kind[lead.source_id] == "party_general_branch"
        assert [g.kind[r.source_id] for r in g.into(block, "SERVES")] == ["workstation"]


def test_named_people(g: Graph) -> None:
    huang = g.by_name("黄翔")
    posts = g.out(huang, "HOLDS", "书记")
    assert [g.kind[r.target_id] for r in posts] == ["party_working_committee"]
    qiang = g.by_name("强碧薇")
    (block,) = [r.target_id for r in g.out(qiang, "HOLDS", "网格长")]
    assert g.kind[block] == "block"
    (branch,) = [r.target_id for r in g.out(qiang, "HOLDS", "书记")]
    assert g.kind[branch] == "party_general_branch"
    assert block in [r.target_id for r in g.out(branch, "LEADS")]


# --- projects ----------------------------------------------------------------------------------
def test_the_ge_shi_bai_matrix(g: Graph) -> None:
    levels = Counter(g.kind[p] for p in g.ids("Project"))
    assert (levels["city"], levels["district"], levels["grassroots"]) == (1, 10, 166)
    (city,) = g.ids("Project", "city")
    assert "美好社区 先锋行动" in g.name[city]
    (lead,) = [r.source_id for r in g.into(city, "LEADS")]
    community = g.out(lead, "LEADS")[0].target_id
    assert g.name[community] == "洛川中路一千一百弄居民区网格"
    assert g.props[city]["grid_id"] == community
    assert g.by_name("洛川中路1100弄") in [
        r.source_id for r in g.into(g.by_name("洛川中路一千一百弄居民区"), "PART_OF")
    ]
    leads = Counter(g.into(p, "LEADS")[0].source_id for p in g.ids("Project", "grassroots"))
    assert all(g.kind[o].startswith("party_") for o in leads)
    assert len(leads) >= 26


def test_block_projects_and_the_tomb_sweeping_line(g: Graph) -> None:
    for name in ("园区班车", "共享停车", "小哥茶铺", "祭扫班线"):
        p = g.by_name(name)
        assert g.kind[p] == "micro"
        (lead,) = g.into(p, "LEADS")
        assert g.kind[lead.source_id] == "block_committee"
    line = g.by_name("祭扫班线")
    participants = {g.name[r.source_id] for r in g.into(line, "PARTICIPATES_IN")}
    assert {"沪太路长途客运站", "交运巴士"} <= participants
    for unit in ("沪太路长途客运站", "交运巴士"):
        assert g.kind[g.by_name(unit)] == "stationed_unit"


# --- dates -------------------------------------------------------------------------------------
def test_exactly_one_road_chief_on_duty_per_road_and_day(g: Graph) -> None:
    roads = g.ids("Place", "road")
    assert len(roads) >= 3
    for road in roads:
        duty = sorted(g.into(road, "HOLDS", "路长"), key=lambda r: r.valid_from or date.min)
        assert duty, g.name[road]
        assert duty[0].valid_from == date(2023, 1, 1)
        assert duty[-1].valid_to == date(2026, 12, 31)
        for before, after in itertools.pairwise(duty):
            assert before.valid_to is not None
            assert after.valid_from == before.valid_to + timedelta(days=1), g.name[road]
        assert len({r.source_id for r in duty}) > 1  # it rotates
        for r in duty:  # 路长 come from the block circles
            assert g.out(r.source_id, "PARTNERS")


def test_one_building_leader_is_replaced_midway(g: Graph) -> None:
    changed = []
    for grid in g.ids("Grid", "building"):
        posts = g.into(grid, "HOLDS", "楼组长")
        days = (date(2023, 1, 1), date(2025, 6, 30), date(2025, 7, 1), date(2026, 12, 31))
        on = {day: [r.source_id for r in posts if _on(r, day)] for day in days}
        assert all(len(who) == 1 for who in on.values()), g.name[grid]
        if on[date(2025, 6, 30)] != on[date(2025, 7, 1)]:
            changed.append(g.name[grid])
    assert changed == ["嘉利明珠城8号楼楼组网格"]


# --- what is real, what is invented -------------------------------------------------------------
def test_every_record_says_where_it_comes_from(g: Graph) -> None:
    for i, props in g.props.items():
        assert props.get("origin") in ORIGINS, i
    files = {r.provenance.file for r in g.rels}
    assert {"relations.csv", LEDGER} <= files
    for r in g.rels:
        if r.provenance.file in ("relations.csv", LEDGER):
            assert r.props.get("origin") in ORIGINS, r.key


def test_invented_people_look_invented_and_have_fake_phones(g: Graph) -> None:
    people = g.ids("Person")
    real = {i for i in people if g.props[i]["origin"] != "synthetic"}
    assert {g.name[i] for i in real} == {"黄翔", "强碧薇"}
    for i in set(people) - real:
        assert "示例" in g.name[i] or "样本" in g.name[i], g.name[i]
        phone = str(g.props[i]["phone"])
        assert phone.startswith("1380000") and len(phone) == 11 and phone.isdigit()
    assert len({g.name[i] for i in people}) == len(people)


def test_the_generator_rewrites_the_files_byte_identically(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_sample.py"), str(tmp_path)],
        check=True,
        capture_output=True,
    )
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.csv"))
    assert written
    for rel in written:
        assert (tmp_path / rel).read_bytes() == (SAMPLE / rel).read_bytes(), rel


def test_the_ledger_is_gb18030_with_the_offices_own_headers() -> None:
    raw = (SAMPLE / "ledgers" / "楼组长名单.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    header = raw.decode("gb18030").splitlines()[0]
    assert header == "居民区,小区,楼号,楼组长,联系电话,是否党员"


def test_the_ledger_alone_names_the_leaders_of_one_estate(g: Graph) -> None:
    estate = g.by_name("示例·兰馨苑")
    buildings = [r.source_id for r in g.into(estate, "PART_OF")]
    assert len(buildings) == 6
    party = {}
    for b in buildings:
        (grid,) = [r.source_id for r in g.into(b, "COVERS")]
        (post,) = g.into(grid, "HOLDS", "楼组长")
        assert post.provenance.file == LEDGER  # only there: relations.csv has none
        party[g.name[b]] = g.props[post.source_id]["party_member"]
    # the ledger writes 是/否 and 党员/群众 and 楼号 as 1号/2号楼/3幢/4; the mapping reads them all
    assert party == {f"示例·兰馨苑{n}号楼": n % 2 == 1 for n in range(1, 7)}
