"""Who-covers facts of many (building, day) asks at once: the same facts as one ask at a time.

The embedded store reads the asks' neighbourhood once for every day and keeps the pieces that
stay the same over a stretch of days (:mod:`shanzhi.graph.stores.embedded.facts`); these tests
hold it to the one-ask read on the days where something changes (the first and last day of a
post or a membership, and the day after), on the synth street (rotas, members who left).
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from tests.golden import access


@pytest.fixture(scope="module")
def synth_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    home = tmp_path_factory.mktemp("synth")
    store = access.loaded("synth", home)
    yield store
    store.close()


def _edge_days(store: Any) -> list[str]:
    """Every day an edge starts or ends on, and the day after each."""
    with sqlite3.connect(store.db.path) as conn:
        rows = conn.execute("SELECT valid_from, valid_to FROM relations").fetchall()
    days = {d for row in rows for d in row if d}
    after = {(date.fromisoformat(d) + timedelta(days=1)).isoformat() for d in days}
    return sorted(days | after)


def _asks(store: Any, n: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    uids = sorted(str(r["uid"]) for r in store.building_rows())
    days = _edge_days(store)
    asks = [(rng.choice(uids), rng.choice(days)) for _ in range(n)]
    return asks + asks[: n // 10]  # some asked twice


def test_many_asks_give_the_facts_of_one_ask_each(synth_store: Any) -> None:
    asks = _asks(synth_store, 400, seed=5)
    one_by_one = [synth_store.who_covers_facts(uid, day) for uid, day in asks]
    assert all(f is not None for f in one_by_one)
    assert synth_store.who_covers_facts_many(asks) == one_by_one


def test_the_days_matter_in_a_batch(synth_store: Any) -> None:
    """One building on every day its edges change: the batch tells the days apart as one asks
    would (a rota's 路长, a member who left)."""
    days = _edge_days(synth_store)
    uids = sorted(str(r["uid"]) for r in synth_store.building_rows())
    asks = [(uid, day) for uid in uids[:3] for day in days]
    many = synth_store.who_covers_facts_many(asks)
    assert many == [synth_store.who_covers_facts(uid, day) for uid, day in asks]
    holders = {str(f["road_holders"]) for f in many if f is not None}
    assert len(holders) > 1  # the chains do differ from day to day


def test_a_building_that_is_gone_is_none_in_its_place(synth_store: Any) -> None:
    uid = str(synth_store.building_rows()[0]["uid"])
    got = synth_store.who_covers_facts_many([(uid, "2025-01-01"), ("synth:NO-SUCH", "2025-01-01")])
    assert got[1] is None and got[0] == synth_store.who_covers_facts(uid, "2025-01-01")
    assert synth_store.who_covers_facts_many([]) == []


def test_neo4j_reads_many_as_it_reads_one(sample_store: Any) -> None:
    """The Neo4j store (one read each) against its own one-ask read, on the sample."""
    uids = [row["uid"] for row in access.building_rows(sample_store)][:12]
    asks = [(uid, day) for uid in uids for day in ("2025-01-01", "2026-11-27")]
    many = sample_store.who_covers_facts_many(asks)
    assert many == [sample_store.who_covers_facts(uid, day) for uid, day in asks]
    assert all(f is not None for f in many)
