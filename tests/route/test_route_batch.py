"""Routing a list in batches: the same routes as one ticket at a time, the collector left as it
was found."""

from __future__ import annotations

import gc
from pathlib import Path

import orjson
import pytest

from shanzhi.graph.stores.embedded.store import EmbeddedStore
from shanzhi.route import route_file
from shanzhi.route.routing import Router
from shanzhi.route.rules import load_rules

TICKETS = [
    ("共和新路2288弄12号", "楼道内堆物", "楼道堆物", "2025-07-01"),
    ("", "居民反映嘉利明珠城8号楼门口占道经营", "占道经营", "2025-06-30"),
    ("嘉利明珠城12号楼", "屋顶漏水", "物业维修", "2024-02-29"),
    ("共和新路2288弄12号", "楼道内堆物", "楼道堆物", "2023-03-31"),
    ("共和新路2288弄12号", "楼道内堆物", "楼道堆物", "2023-04-01"),
    ("嘉利明珠城99号楼", "漏水", "物业维修", "2025-07-01"),
    ("嘉利明城12号楼", "漏水", "物业维修", "2025-07-01"),
    ("上海市徐汇区天钥桥路408号", "噪音", "", "2025-07-01"),
]


def test_a_batch_routes_as_one_ticket_at_a_time(store: EmbeddedStore) -> None:
    rules = load_rules(None)
    alone = [Router(store, rules).route(*t) for t in TICKETS]
    together = Router(store, rules).route_many(TICKETS * 3)
    assert together == alone * 3
    assert {r["status"] for r in alone} == {"routed", "ambiguous", "not-found", "not-ours"}
    kept = Router(store, rules)
    kept.route_many(TICKETS)
    assert kept.route_many(TICKETS) == alone  # asked again: the same, from what it kept


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_left_as_it_was(
    store: EmbeddedStore, tmp_path: Path, enabled: bool
) -> None:
    src = tmp_path / "t.jsonl"
    src.write_bytes(
        b"".join(
            orjson.dumps({"诉求地址": a, "诉求内容": c, "诉求类别": k, "受理时间": d}) + b"\n"
            for a, c, k, d in TICKETS
        )
    )
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        report = route_file(store, src, tmp_path / "out.jsonl")
        assert gc.isenabled() is enabled
        assert report["written"] == len(TICKETS)
    finally:
        (gc.enable if was else gc.disable)()
