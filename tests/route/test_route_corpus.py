"""The ticket corpus (tests/route/corpus.py: 448 tickets over the sample and a synthetic street)
routes exactly as the records say, through ``route_file`` end to end; and the real addresses of
shared/data/shanghai-addresses.csv (tests/data/) are never routed, as address or inside a text."""

from __future__ import annotations

import csv
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from shanzhi.graph.stores import load
from shanzhi.graph.stores.embedded.store import EmbeddedStore
from shanzhi.loaders import load_dataset
from shanzhi.route import route_file
from shanzhi.sample import sample_path
from shanzhi.synth import synth
from tests.route.corpus import Ticket, corpus
from tests.route.oracle import Expected, World

REAL = Path(__file__).resolve().parents[1] / "data" / "shanghai-addresses.csv"
HEADER = ["工单编号", "诉求地址", "诉求内容", "诉求类别", "受理时间", "来源"]
#: The match kinds a way of writing may give: the router's own words, or the finder's when it
#: says how it matched (``exact`` for a name or an address).
MATCHES = {"name": {"name", "exact"}, "address": {"address", "exact"}, "alias": {"alias"}}


@pytest.fixture(scope="module")
def world_store() -> Iterator[tuple[World, EmbeddedStore]]:
    """The sample and one synthetic street (seed 11) in one embedded store, and their records."""
    tmp = Path(tempfile.mkdtemp(prefix="shanzhi-route-"))
    try:
        synth(tmp / "synth", streets=1, seed=11)
        datasets = [load_dataset(sample_path()), load_dataset(tmp / "synth", name="synth")]
        store = EmbeddedStore(tmp / "home")
        for ds in datasets:
            load(store, ds)
        yield World(*datasets), store
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _write(path: Path, tickets: list[Ticket]) -> None:
    with path.open("w", encoding="gb18030", newline="") as fh:  # as Excel on Chinese Windows
        w = csv.writer(fh)
        w.writerow(HEADER)
        for t in tickets:
            w.writerow(
                [t.id, t.address, t.content, t.category, f"{t.day.isoformat()} 09:30", "12345"]
            )


def _people(cell: str) -> tuple[tuple[str, str], ...]:
    """``魏样本宁（楼组长，138****0140）；…`` → ((name, role), …)."""
    return tuple(
        (m.group(1), m.group(2))
        for m in re.finditer(r"([^；（]+)（([^，）]+)(?:，[^）]*)?）", cell)
    )


def _actual(row: dict[str, str]) -> Expected:
    grid = re.search(r"（([^（）]+)）$", row["责任网格"])
    return Expected(
        status=row["派单状态"],
        building=row["楼栋编号"] if row["派单状态"] == "routed" else "",
        level=row["责任层级"] if row["派单状态"] == "routed" else "",
        grid=grid.group(1) if grid else "",
        people=_people(row["责任人"]),
        orgs=tuple(
            sorted(re.sub(r"（[^（）]*）$", "", o) for o in row["责任组织"].split("；") if o)
        ),
        region=row["所属辖区"],
    )


def test_corpus_routes_exactly_as_expected(
    world_store: tuple[World, EmbeddedStore], tmp_path: Path
) -> None:
    world, store = world_store
    tickets = corpus(world)
    assert len(tickets) >= 300
    src, out = tmp_path / "工单.csv", tmp_path / "派单结果.csv"
    _write(src, tickets)
    report = route_file(store, src, out)
    assert report["problems"] == [] and report["written"] == len(tickets)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["工单编号"] for r in rows] == [t.id for t in tickets]
    assert all(r["来源"] == "12345" for r in rows)  # every input column is kept
    wrong = []
    for t, row in zip(tickets, rows, strict=True):
        got = _actual(row)
        want = t.expected
        if want.status != "routed":  # unrouted: the status, and the region when not ours
            got = Expected(got.status, region=got.region if want.region else "")
        if got != want or (t.match and row["匹配方式"] not in MATCHES[t.match]):
            wrong.append((t.id, t.form, t.address or t.content, t.day, want, got, row["匹配方式"]))
    assert not wrong, f"{len(wrong)} of {len(tickets)} tickets misrouted, e.g. {wrong[:3]}"
    statuses = Counter(t.expected.status for t in tickets)
    assert set(statuses) == {"routed", "ambiguous", "not-ours", "not-found"}
    assert statuses["routed"] >= 300
    on_duty = {p for t in tickets for p in t.expected.people if p[1] == "路长"}
    assert len(on_duty) >= 6  # the rotas changed between the tickets' days
    assert report["summary"]["by_status"] == {
        s: statuses[s] for s in report["summary"]["by_status"]
    }


def test_handover_day_decides_the_building_leader(
    world_store: tuple[World, EmbeddedStore], tmp_path: Path
) -> None:
    """嘉利明珠城8号楼: one 楼组长 until 2025-06-30, another from 2025-07-01."""
    _, store = world_store
    src, out = tmp_path / "t.csv", tmp_path / "o.jsonl"
    src.write_text(
        "工单编号,诉求地址,诉求内容,诉求类别,受理时间\n"
        "A,嘉利明珠城8号楼,楼道内堆物,楼道堆物,2025-06-30\n"
        "B,嘉利明珠城8号楼,楼道内堆物,楼道堆物,2025-07-01\n",
        encoding="utf-8",
    )
    route_file(store, src, out)
    import orjson

    a, b = (orjson.loads(line) for line in out.read_bytes().splitlines())
    assert a["责任人"].split("；")[0].split("（")[0] == "高样本敏"
    assert b["责任人"].split("；")[0].split("（")[0] == "郑样本伟"
    assert "138****" in a["责任人"] and "1380000" not in a["责任人"]  # phones masked


@pytest.mark.skipif(not REAL.exists(), reason="tests/data/shanghai-addresses.csv is missing")
def test_real_addresses_are_never_routed(
    world_store: tuple[World, EmbeddedStore], tmp_path: Path
) -> None:
    _, store = world_store
    with REAL.open(encoding="utf-8", newline="") as fh:
        addresses = [r["address"] for r in csv.DictReader(fh)]
    assert len(addresses) > 2000
    src, out = tmp_path / "real.csv", tmp_path / "real-out.csv"
    with src.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["工单编号", "诉求地址", "诉求内容", "受理时间"])
        for i, a in enumerate(addresses):
            w.writerow([f"A{i}", a, "楼道内堆物", "2025-07-01"])  # the address cell
            w.writerow([f"T{i}", "", f"{a}门口占道经营", "2025-07-01"])  # inside the text
    report = route_file(store, src, out)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) + len(report["problems"]) == 2 * len(addresses)
    routed = [
        (r["工单编号"], r["诉求地址"] or r["诉求内容"], r["楼栋名称"])
        for r in rows
        if r["派单状态"] == "routed"
    ]
    assert routed == []
    assert Counter(r["派单状态"] for r in rows)["not-ours"] > 500  # 徐汇区, 浦东新区 … are named
