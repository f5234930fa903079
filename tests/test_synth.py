"""Tests of shanzhi.synth: determinism, scale, shapes and fan-outs, integrity, planted gaps.

The checks read the CSV files back with the csv module and test them independently of the
generator's own bookkeeping (a small audit is re-implemented here from the definitions of
spec/cli.md, so GAPS.json is checked against the data, not against itself).
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest

from shanzhi.errors import UsageError
from shanzhi.graph.model import (
    RELATION_RULES,
    GridLevel,
    Label,
    OrgKind,
    PlaceKind,
    ProjectLevel,
    RelType,
)
from shanzhi.synth import GAP_KINDS, HEADERS, REFERENCE_DATE, SHAPE, synth

_LABEL_OF_FILE = {
    "grids": Label.GRID,
    "places": Label.PLACE,
    "orgs": Label.ORG,
    "people": Label.PERSON,
    "projects": Label.PROJECT,
}
_FILES = [*HEADERS, "GAPS.json"]


def _rows(out: Path, name: str) -> list[dict[str, str]]:
    with (out / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


class Data:
    """A synthetic dataset read back from its CSV files."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.tables = {name: _rows(out, name) for name in HEADERS}
        self.label: dict[str, Label] = {}
        self.kind: dict[str, str] = {}
        self.dup: list[str] = []
        for name, label in _LABEL_OF_FILE.items():
            for row in self.tables[name]:
                if row["id"] in self.label:
                    self.dup.append(row["id"])
                self.label[row["id"]] = label
                self.kind[row["id"]] = row.get("level") or row.get("kind") or ""
        self.gaps = json.loads((out / "GAPS.json").read_text(encoding="utf-8"))

    def __getitem__(self, name: str) -> list[dict[str, str]]:
        return self.tables[name]

    def rels(self, type_: str, role: str | None = None) -> list[dict[str, str]]:
        return [
            r
            for r in self["relations"]
            if r["type"] == type_ and (role is None or r["role"] == role)
        ]

    def ids(self, name: str, kind: str | None = None) -> list[str]:
        return [
            r["id"] for r in self[name] if kind is None or (r.get("level") or r.get("kind")) == kind
        ]


def _valid_on(rel: dict[str, str], day: date) -> bool:
    start = date.fromisoformat(rel["valid_from"]) if rel["valid_from"] else date.min
    end = date.fromisoformat(rel["valid_to"]) if rel["valid_to"] else date.max
    return start <= day <= end


def _audit(data: Data, on: date = REFERENCE_DATE) -> dict[str, set[str]]:
    """The coverage gaps of spec/cli.md, computed straight from the records."""
    party_orgs = {r["id"] for r in data["orgs"] if OrgKind(r["kind"]).is_party}
    led = {r["grid_id"] for r in data["orgs"] if r["id"] in party_orgs and r["grid_id"]}
    led |= {r["target_id"] for r in data.rels("LEADS") if r["source_id"] in party_orgs}
    covered = {r["id"] for r in data["places"] if r["grid_id"]}
    covered |= {r["target_id"] for r in data.rels("COVERS")}
    party_people = {r["id"] for r in data["people"] if r["party_member"] == "true"}
    groups_with_party = {
        r["target_id"]
        for r in data.rels("MEMBER_OF")
        if r["source_id"] in party_people and _valid_on(r, on)
    }
    liaised = {r["target_id"] for r in data.rels("LIAISES")}
    with_leader = {r["target_id"] for r in data.rels("HOLDS", "楼组长") if _valid_on(r, on)}
    return {
        "uncovered_buildings": set(data.ids("places", "building")) - covered,
        "unled_grids": set(data.ids("grids")) - led,
        "groups_without_party_member": set(data.ids("orgs", "building_management_group"))
        - groups_with_party,
        "branches_without_liaison": set(data.ids("orgs", "party_branch")) - liaised,
        "vacant_posts": set(data.ids("grids", "building")) - with_leader,
    }


@pytest.fixture(scope="module")
def street(tmp_path_factory: pytest.TempPathFactory) -> Data:
    out = tmp_path_factory.mktemp("street")
    synth(out, streets=1, seed=11)
    return Data(out)


@pytest.fixture(scope="module")
def street_without_gaps(tmp_path_factory: pytest.TempPathFactory) -> Data:
    out = tmp_path_factory.mktemp("street-nogaps")
    synth(out, streets=1, seed=11, gaps=False)
    return Data(out)


@pytest.fixture(scope="module")
def two_districts(tmp_path_factory: pytest.TempPathFactory) -> Data:
    out = tmp_path_factory.mktemp("two-districts")
    synth(out, streets=SHAPE.streets_per_district + 2, seed=4)
    return Data(out)


def _digests(out: Path) -> dict[str, str]:
    return {
        n: hashlib.sha256((out / n if "." in n else out / f"{n}.csv").read_bytes()).hexdigest()
        for n in _FILES
    }


# -- determinism -------------------------------------------------------------------------------
def test_same_seed_and_size_give_byte_identical_files(tmp_path: Path) -> None:
    a = synth(tmp_path / "a", streets=3, seed=5)
    b = synth(tmp_path / "b", streets=3, seed=5)
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")
    assert a.rows == b.rows and a.nodes == b.nodes and a.relations == b.relations


def test_different_seeds_differ(tmp_path: Path) -> None:
    synth(tmp_path / "a", streets=1, seed=5)
    synth(tmp_path / "b", streets=1, seed=6)
    a, b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert all(a[name] != b[name] for name in HEADERS)


def test_streets_do_not_depend_on_the_size_of_the_dataset(tmp_path: Path) -> None:
    """Street 1 of a 3-street dataset is street 1 of a 1-street dataset."""
    synth(tmp_path / "one", streets=1, seed=2)
    synth(tmp_path / "three", streets=3, seed=2)
    for name in HEADERS:
        one = {tuple(r.values()) for r in _rows(tmp_path / "one", name)}
        three = {tuple(r.values()) for r in _rows(tmp_path / "three", name)}
        assert one <= three, name


def test_gaps_off_differs_only_in_the_planted_gaps(street: Data, street_without_gaps: Data) -> None:
    with_gaps = set(street.ids("grids"))
    without = set(street_without_gaps.ids("grids"))
    uncovered = {g["id"] for g in street.gaps["uncovered_buildings"]}
    assert without - with_gaps == {f"{b}-GRID" for b in uncovered}
    assert with_gaps <= without
    assert street.ids("places") == street_without_gaps.ids("places")
    # the people with the same ids have the same names
    names = {r["id"]: r["name"] for r in street_without_gaps["people"]}
    same = [r for r in street["people"] if r["id"] in names]
    assert len(same) > 0.98 * len(street["people"])
    assert all(names[r["id"]] == r["name"] for r in same)


# -- format --------------------------------------------------------------------------------------
def test_files_have_the_canonical_headers_and_every_row_is_marked_synthetic(street: Data) -> None:
    for name, header in HEADERS.items():
        with (street.out / f"{name}.csv").open(encoding="utf-8", newline="") as f:
            assert tuple(next(csv.reader(f))) == header
        assert street[name], name
        assert {r["origin"] for r in street[name]} == {"synthetic"}, name


def test_names_look_invented_and_phones_are_fake(street: Data) -> None:
    assert all("测试" in r["name"] for r in street["people"])
    assert all(r["phone"].startswith("1380000") and len(r["phone"]) == 11 for r in street["people"])
    buildings = [r for r in street["places"] if r["kind"] == "building"]
    assert all(r["name"].startswith("示例") and r["name"].endswith("号楼") for r in buildings)
    assert all(r["address"].startswith("测试") and "弄" in r["address"] for r in buildings)
    # within one street a building name, or an address, picks out one building
    assert len({r["name"] for r in buildings}) == len(buildings)
    assert len({r["address"] for r in buildings}) == len(buildings)


def test_ids_are_unique_across_the_whole_dataset(two_districts: Data) -> None:
    assert two_districts.dup == []
    keys = Counter(
        (r["source_id"], r["type"], r["target_id"], r["role"], r["valid_from"])
        for r in two_districts["relations"]
    )
    assert [k for k, n in keys.items() if n > 1] == []
    streets = {i.split("-B")[0] for i in two_districts.ids("grids", "block")}
    assert {"D01-S01", "D01-S15", "D02-S01", "D02-S02"} <= streets
    assert len(streets) == SHAPE.streets_per_district + 2


# -- integrity -----------------------------------------------------------------------------------
def _integrity_problems(data: Data) -> list[str]:
    """Every reference resolves to a node of the right label; grid parents are one level up."""
    problems = []
    lab, kind = data.label, data.kind

    def want(ref: str, label: Label, where: str, kind_is: str | None = None) -> None:
        if not ref:
            return
        if lab.get(ref) != label:
            problems.append(f"{where}: {ref} is not a {label.value}")
        elif kind_is is not None and kind[ref] != kind_is:
            problems.append(f"{where}: {ref} is a {kind[ref]}, not {kind_is}")

    for r in data["grids"]:
        level = GridLevel.parse(r["level"])
        if level.parent_level is None:
            assert not r["parent_id"]
        else:
            want(r["parent_id"], Label.GRID, f"grid {r['id']}", level.parent_level.value)
    for r in data["places"]:
        PlaceKind.parse(r["kind"])
        want(r["parent_id"], Label.PLACE, f"place {r['id']}")
        want(r["grid_id"], Label.GRID, f"place {r['id']}")
        want(r["road_id"], Label.PLACE, f"place {r['id']}", "road")
    for r in data["orgs"]:
        OrgKind.parse(r["kind"])
        want(r["parent_id"], Label.ORG, f"org {r['id']}")
        want(r["grid_id"], Label.GRID, f"org {r['id']}")
        want(r["place_id"], Label.PLACE, f"org {r['id']}")
    for r in data["projects"]:
        ProjectLevel.parse(r["level"])
        want(r["lead_id"], Label.ORG, f"project {r['id']}")
        want(r["grid_id"], Label.GRID, f"project {r['id']}")
        assert date.fromisoformat(r["start"]) < date.fromisoformat(r["end"])
    for r in data["relations"]:
        rel = RelType.parse(r["type"])
        src, tgt = lab.get(r["source_id"]), lab.get(r["target_id"])
        if src is None or tgt is None:
            problems.append(f"relation {r}: dangling")
            continue
        sources, targets = RELATION_RULES[rel]
        if src not in sources or tgt not in targets:
            problems.append(f"relation {r}: {rel.value} cannot join {src.value} → {tgt.value}")
        if rel is RelType.HOLDS and not r["role"]:
            problems.append(f"relation {r}: HOLDS without a role")
        if r["valid_from"] and r["valid_to"]:
            assert date.fromisoformat(r["valid_from"]) <= date.fromisoformat(r["valid_to"])
    return problems


def test_every_reference_resolves_and_grid_parents_are_one_level_up(two_districts: Data) -> None:
    assert _integrity_problems(two_districts) == []


def test_a_one_street_dataset_loads_without_problems(tmp_path: Path) -> None:
    from shanzhi.loaders import read_dataset

    summary = synth(tmp_path, streets=1, seed=3)
    dataset, problems = read_dataset(tmp_path)
    assert [str(p) for p in problems] == []
    assert dataset is not None
    assert len(dataset.nodes) == summary.nodes
    assert len(dataset.relations) == summary.relations
    by_kind = Counter(n.label.value + (f":{n.kind}" if n.kind else "") for n in dataset.nodes)
    assert dict(by_kind) == summary.by_kind
    assert {n.props.get("origin") for n in dataset.nodes} == {"synthetic"}


# -- shapes and fan-outs -------------------------------------------------------------------------
def _children(data: Data, table: str, kind: str, key: str = "parent_id") -> Counter[str]:
    return Counter(
        r[key] for r in data[table] if (r.get("level") or r.get("kind")) == kind and r[key]
    )


def test_grid_fan_outs_are_in_range(two_districts: Data) -> None:
    d, shape = two_districts, SHAPE
    streets = d.ids("grids", "street")
    blocks = _children(d, "grids", "block")
    communities = _children(d, "grids", "community")
    branches = _children(d, "grids", "branch")
    assert set(blocks.values()) == {shape.blocks} and len(blocks) == len(streets)
    per_street: Counter[str] = Counter()
    for block, n in communities.items():
        per_street[block.split("-B")[0]] += n
    assert all(shape.communities[0] <= n <= shape.communities[1] for n in per_street.values())
    assert all(shape.branches[0] <= n <= shape.branches[1] for n in branches.values())
    by_community = Counter(b.rsplit("-BLD-", 1)[0] for b in d.ids("places", "building"))
    assert all(shape.buildings[0] <= n <= shape.buildings[1] for n in by_community.values())
    estates = Counter(r["parent_id"] for r in d["places"] if r["kind"] == "estate")
    assert all(shape.estates[0] <= n <= shape.estates[1] for n in estates.values())
    assert all(r["address"] and r["road_id"] for r in d["places"] if r["kind"] == "building")


def test_every_building_has_its_group_party_group_and_two_leaders(
    street_without_gaps: Data,
) -> None:
    d, shape = street_without_gaps, SHAPE
    buildings = set(d.ids("places", "building"))
    covers = {r["grid_id"]: r["id"] for r in d["places"] if r["kind"] == "building"}
    assert set(covers) == set(d.ids("grids", "building"))
    party_groups = {r["grid_id"] for r in d["orgs"] if r["kind"] == "party_group"}
    assert party_groups == set(covers)
    served = Counter(r["target_id"] for r in d.rels("SERVES") if r["target_id"] in buildings)
    assert set(served) == buildings and set(served.values()) == {1}
    members = Counter(r["target_id"] for r in d.rels("MEMBER_OF") if r["valid_to"] == "")
    groups = d.ids("orgs", "building_management_group")
    assert all(shape.group_members[0] <= members[g] <= shape.group_members[1] for g in groups)
    branch_leads = {
        r["target_id"] for r in d.rels("LEADS") if d.kind[r["source_id"]] == "party_branch"
    }
    assert branch_leads == set(groups)
    seconds = Counter(r["target_id"] for r in d.rels("HOLDS", "第二楼组长"))
    assert set(seconds) == set(covers) and set(seconds.values()) == {1}


def test_building_leaders_are_dated_and_never_overlap(street_without_gaps: Data) -> None:
    d = street_without_gaps
    posts: defaultdict[str, list[dict[str, str]]] = defaultdict(list)
    for r in d.rels("HOLDS", "楼组长"):
        posts[r["target_id"]].append(r)
    replaced = [g for g, rs in posts.items() if len(rs) > 1]
    assert 0.05 * len(posts) < len(replaced) < 0.25 * len(posts)
    for grid in replaced:
        old, new = sorted(posts[grid], key=lambda r: r["valid_from"])
        assert old["valid_from"] == "" and new["valid_to"] == ""
        assert date.fromisoformat(new["valid_from"]) - date.fromisoformat(
            old["valid_to"]
        ) == timedelta(1)
    for day in (date(2023, 1, 1), date(2024, 6, 15), REFERENCE_DATE, date(2027, 1, 1)):
        on = Counter(r["target_id"] for r in d.rels("HOLDS", "楼组长") if _valid_on(r, day))
        assert set(on) == set(posts) and set(on.values()) == {1}, day


def test_road_chiefs_rotate_monthly_one_on_duty_per_road_per_day(street: Data) -> None:
    duty: defaultdict[str, Counter[date]] = defaultdict(Counter)
    for r in street.rels("HOLDS", "路长"):
        assert street.kind[r["target_id"]] == "road"
        start, end = date.fromisoformat(r["valid_from"]), date.fromisoformat(r["valid_to"])
        assert start.day == 1 and (end + timedelta(1)).day == 1 and start.month == end.month
        day = start
        while day <= end:
            duty[r["target_id"]][day] += 1
            day += timedelta(1)
    all_days = (date(2026, 12, 31) - date(2023, 1, 1)).days + 1
    assert set(duty) == set(street.ids("places", "road"))
    for road, days in duty.items():
        assert len(days) == all_days and set(days.values()) == {1}, road
        holders = {r["source_id"] for r in street.rels("HOLDS", "路长") if r["target_id"] == road}
        assert SHAPE.road_rota[0] <= len(holders) <= SHAPE.road_rota[1]


def test_blocks_have_their_circle_posts_and_projects(street: Data) -> None:
    d, shape = street, SHAPE
    blocks = d.ids("grids", "block")
    own = Counter(
        r["target_id"]
        for r in d.rels("PARTNERS")
        if r["source_id"].startswith(r["target_id"].removesuffix("GRID"))
    )
    assert all(shape.circle[0] <= own[b] <= shape.circle[1] for b in blocks)
    # a few partners belong to the circles of two blocks
    assert len(d.rels("PARTNERS")) > sum(own.values())
    kinds = Counter(d.kind[r["source_id"]] or "person" for r in d.rels("PARTNERS"))
    assert set(kinds) == {
        "merchant",
        "new_economic_org",
        "new_social_org",
        "stationed_unit",
        "volunteer_team",
        "person",
    }
    chiefs = Counter(r["target_id"] for r in d.rels("HOLDS", "街区长"))
    assert {b: chiefs[b] for b in blocks} == dict.fromkeys(blocks, 2)
    heads = Counter(r["target_id"] for r in d.rels("HOLDS", "网格长"))
    assert all(
        heads[g] == 1 for g in blocks + d.ids("grids", "street") + d.ids("grids", "community")
    )
    # some people hold posts in two partner organisations (shared post holders)
    held = Counter(r["source_id"] for r in d.rels("HOLDS") if r["role"] in ("负责人", "队长"))
    assert any(n > 1 for n in held.values())
    levels = Counter(r["level"] for r in d["projects"])
    assert levels["city"] == shape.city_projects and levels["district"] == shape.district_projects
    assert 100 <= levels["grassroots"] <= 240 and 20 <= levels["micro"] <= 200
    shared = Counter(r["target_id"] for r in d.rels("PARTICIPATES_IN"))
    assert all(shared[p] >= shape.project_participants[0] for p in d.ids("projects", "district"))


def test_every_branch_has_a_liaising_social_worker(street_without_gaps: Data) -> None:
    d = street_without_gaps
    branches = set(d.ids("orgs", "party_branch"))
    liaisons = Counter(r["target_id"] for r in d.rels("LIAISES"))
    assert set(liaisons) == branches and set(liaisons.values()) == {1}
    workers = {r["source_id"] for r in d.rels("HOLDS", "社工")}
    assert workers == {r["source_id"] for r in d.rels("LIAISES")}


# -- scale ----------------------------------------------------------------------------------------
def test_counts_scale_linearly_and_a_city_is_about_a_million_nodes(tmp_path: Path) -> None:
    one = synth(tmp_path / "one", streets=1, seed=0)
    eight = synth(tmp_path / "eight", streets=8, seed=0)
    assert 7.2 < eight.nodes / one.nodes < 8.8
    assert 7.2 < eight.relations / one.relations < 8.8
    per_street = eight.nodes / 8
    assert 1_000_000 <= 240 * per_street <= 1_200_000
    assert eight.districts == 1 and eight.gaps["unled_grids"] == 16
    assert sum(eight.rows[n] for n in _LABEL_OF_FILE) == eight.nodes
    assert sum(eight.by_kind.values()) == eight.nodes


def test_progress_is_reported_per_street(tmp_path: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    synth(tmp_path, streets=3, seed=0, progress=lambda *args: seen.append(args))
    assert seen == [("streets", 1, 3), ("streets", 2, 3), ("streets", 3, 3)]


def test_zero_streets_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="at least 1"):
        synth(tmp_path, streets=0)


# -- planted gaps ---------------------------------------------------------------------------------
def test_planted_gaps_are_exactly_what_an_audit_finds(two_districts: Data) -> None:
    found = _audit(two_districts)
    listed = {kind: {g["id"] for g in two_districts.gaps[kind]} for kind in GAP_KINDS}
    assert found == listed
    streets = SHAPE.streets_per_district + 2
    assert two_districts.gaps["counts"] == {
        "uncovered_buildings": streets,
        "unled_grids": 2 * streets,
        "groups_without_party_member": streets,
        "branches_without_liaison": streets,
        "vacant_posts": streets,
    }
    levels = Counter(g["level"] for g in two_districts.gaps["unled_grids"])
    assert levels == {"building": streets, "branch": streets}


def test_no_gaps_when_asked_for_none(street_without_gaps: Data) -> None:
    assert _audit(street_without_gaps) == {kind: set() for kind in GAP_KINDS}
    assert _audit(street_without_gaps, on=date.today()) == {kind: set() for kind in GAP_KINDS}
    assert all(street_without_gaps.gaps[kind] == [] for kind in GAP_KINDS)


def test_gaps_json_names_the_gaps_and_the_reference_date(street: Data) -> None:
    g = street.gaps
    assert g["reference_date"] == REFERENCE_DATE.isoformat() and g["origin"] == "synthetic"
    names = {r["id"]: r["name"] for t in ("grids", "places", "orgs") for r in street[t]}
    for kind in GAP_KINDS:
        assert len(g[kind]) >= 1
        assert all(names[item["id"]] == item["name"] for item in g[kind]), kind
    # the vacant post was held until the day before it became vacant
    vacant = g["vacant_posts"][0]
    held = [r for r in street.rels("HOLDS", "楼组长") if r["target_id"] == vacant["id"]]
    assert [r["valid_to"] for r in held] == [
        (date.fromisoformat(vacant["since"]) - timedelta(1)).isoformat()
    ]
