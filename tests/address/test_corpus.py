"""The finder's corpus (tests/address/corpus.py, cases.csv) on the sample and a synthetic street,
through lookup keys exactly as a store would serve them; and the real Shanghai addresses, none of
which may ever be answered with a building."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Mapping
from typing import Any

import pytest

from shanzhi.address import LIMIT, KeyIndex, find
from shanzhi.address.lookup import WIDE
from shanzhi.synth import synth
from tests.address.corpus import Case, read_cases, render, sample_cases, score, synth_cases
from tests.address.rows import ROOT, rows_of, sample_rows

REAL = ROOT / "tests" / "data" / "shanghai-addresses.csv"


@pytest.fixture(scope="module")
def sample_index() -> KeyIndex:
    return KeyIndex(sample_rows())


@pytest.fixture(scope="module")
def street_rows(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    out = tmp_path_factory.mktemp("street")
    synth(out, streets=1, seed=1)
    return rows_of(out, "synth")


@pytest.fixture(scope="module")
def cases(street_rows: list[dict[str, Any]]) -> list[Case]:
    return [*read_cases(), *sample_cases(sample_rows()), *synth_cases(street_rows)]


@pytest.fixture(scope="module")
def scored(
    cases: list[Case], sample_index: KeyIndex, street_rows: list[dict[str, Any]]
) -> tuple[dict[str, Counter[str]], list[Any]]:
    street = KeyIndex(street_rows)
    on_sample = score([c for c in cases if c.corpus == "sample"], sample_index.candidates)
    on_street = score([c for c in cases if c.corpus == "synth"], street.candidates)
    return {**on_sample[0], **on_street[0]}, [*on_sample[1], *on_street[1]]


def test_the_corpus_has_over_a_thousand_queries_in_every_category(cases: list[Case]) -> None:
    assert len(cases) >= 1000
    by_category = Counter(c.category for c in cases)
    assert len(by_category) >= 25
    assert len(read_cases()) >= 150


def test_no_query_of_the_corpus_gets_a_wrong_building(scored: Any) -> None:
    table, detail = scored
    wrong = [(c.query, c.expect, [r["id"] for r in m["rows"]]) for c, got, m in detail
             if got == "wrong"]  # fmt: skip
    assert not wrong, render(table) + "\n" + "\n".join(map(str, wrong))


def test_the_corpus_is_answered_right_or_honestly(scored: Any) -> None:
    table, detail = scored
    total = Counter[str]()
    for counts in table.values():
        total.update(counts)
    missed = [(c.query, c.expect) for c, got, _ in detail if got == "missed"]
    assert (total["right"] + total["honest"]) / sum(total.values()) >= 0.99, missed
    assert total["right"] / sum(total.values()) >= 0.85, render(table)


@pytest.mark.parametrize("category", ["exact", "address", "numerals", "lane-for-号", "rooms",
                                      "traditional", "english", "pinyin", "prefixes"])  # fmt: skip
def test_plain_retypings_are_answered_right(scored: Any, category: str) -> None:
    table, _ = scored
    counts = table[category]
    assert counts["right"] >= 0.97 * sum(counts.values()), (category, counts)


def test_keys_lose_nothing_every_answer_is_the_one_over_all_rows(cases: list[Case]) -> None:
    """Matching the store's few candidates gives what matching every building gives (with a
    limit no answer reaches); and the capped answer of :data:`LIMIT` rows is the same one, or
    for several buildings a part of the same list, flagged ``more``."""
    rows = sample_rows()
    index = KeyIndex(rows)
    for case in [c for c in cases if c.corpus == "sample"][::3]:  # a third: it reads every row
        via_keys = find(case.query, index.candidates, limit=WIDE)
        over_all = find(case.query, lambda _keys, _limit: list(rows), limit=WIDE)
        got = (via_keys["outcome"], [r["uid"] for r in via_keys["rows"]])
        assert got == (over_all["outcome"], [r["uid"] for r in over_all["rows"]]), case.query
        capped = find(case.query, index.candidates)
        assert capped["outcome"] == via_keys["outcome"], case.query
        uids = [r["uid"] for r in capped["rows"]]
        if capped["more"]:
            assert capped["outcome"] == "several" and len(uids) <= LIMIT, case.query
            assert set(uids) <= set(got[1]), case.query
        else:
            assert uids == got[1], case.query


def test_asking_the_characters_first_changes_no_answer(
    cases: list[Case], street_rows: list[dict[str, Any]]
) -> None:
    """The character keys answer only at the exact tier, which every such building has keys
    for: the answer is the one the full keys give."""
    from shanzhi.address import parse, resolve

    indexes = {"sample": KeyIndex(sample_rows()), "synth": KeyIndex(street_rows)}
    for case in cases:
        index = indexes[case.corpus]
        a = parse(case.query)
        first = resolve(a, index.candidates)
        full = resolve(a, index.candidates, characters_first=False)
        assert (first["outcome"], first["kind"], [r["uid"] for r in first["rows"]]) == (
            full["outcome"], full["kind"], [r["uid"] for r in full["rows"]]
        ), case.query  # fmt: skip


def _real_addresses() -> list[str]:
    if not REAL.exists():  # pragma: no cover - the copy is part of the repository
        pytest.fail(f"{REAL} is missing: copy ../shared/data/shanghai-addresses.csv there")
    with REAL.open(encoding="utf-8") as fh:
        return [r["address"] for r in csv.DictReader(fh)]


def test_the_real_addresses_file_is_the_shared_one() -> None:
    shared = ROOT.parent / "shared" / "data" / "shanghai-addresses.csv"
    addresses = _real_addresses()
    assert len(addresses) == 2064
    if shared.exists():
        assert REAL.read_bytes() == shared.read_bytes()


def test_no_real_shanghai_address_is_answered_with_a_building(
    sample_index: KeyIndex, street_rows: list[dict[str, Any]]
) -> None:
    both = KeyIndex([*sample_rows(), *street_rows])
    answered: list[tuple[str, Mapping[str, Any]]] = []
    outcomes = Counter[str]()
    for address in _real_addresses():
        m = find(address, both.candidates)
        outcomes[m["outcome"]] += 1
        if m["outcome"] == "one":
            answered.append((address, m["rows"][0]))
    assert not answered, answered[:10]
    assert outcomes["none"] >= 2000, outcomes


def test_a_store_returns_few_candidates(
    cases: list[Case], street_rows: list[dict[str, Any]]
) -> None:
    """On one synthetic street (~300 buildings) a query naming a road or an estate reads a
    handful of rows, never the street."""
    from shanzhi.address import parse, query_keys

    index = KeyIndex(street_rows)
    for case in (c for c in cases if c.corpus == "synth"):
        a = parse(case.query)
        if a.road or a.place:
            assert len(index.candidates(query_keys(a))) <= 40, case.query
