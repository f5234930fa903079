"""Lookup keys (shanzhi/address/keys.py): deterministic, versioned, documented, and covering."""

from __future__ import annotations

import re

from shanzhi.address import KEYS_VERSION, building_keys, keys, parse, query_keys
from shanzhi.address.keys import exact_keys
from tests.address.rows import sample_rows


def test_keys_are_deterministic_strings_of_documented_kinds() -> None:
    rows = sample_rows()
    first = [sorted(building_keys(r)) for r in rows]
    assert first == [sorted(building_keys(dict(r))) for r in rows]
    kinds = {k.split(":", 1)[0] for ks in first for k in ks}
    assert kinds <= {"x", "t", "c", "i", "l", "n", "a", "b"}
    for kind in kinds:
        assert f"``{kind}:" in (keys.__doc__ or ""), kind
    assert isinstance(KEYS_VERSION, int) and KEYS_VERSION >= 2


def test_a_building_has_few_keys() -> None:
    counts = [len(building_keys(r)) for r in sample_rows()]
    assert max(counts) <= 80, max(counts)


def test_homophones_and_retypings_share_a_key() -> None:
    row = next(r for r in sample_rows() if r["id"] == "P-JLMZ-B12")
    mine = building_keys(row)
    for typed in (
        "佳丽名珠城12号",
        "嘉利明珠城十二幢",
        "共和新路2288号12号楼",
        "共和新路二二八八弄12号",
        "jlmzc12",
        "Building 12, Jiali Mingzhu City",
        "嘉利明珠城12号楼601室",
    ):
        assert query_keys(parse(typed)) & mine, typed
    assert query_keys(parse("嘉利明城12号楼"), typo=True) & mine


def test_other_roads_share_no_key_with_the_building() -> None:
    row = next(r for r in sample_rows() if r["id"] == "P-JLMZ-B12")
    mine = building_keys(row)
    for typed in ("共和路2288弄12号", "共和新支路2288弄12号", "中山北路2288弄12号"):
        assert not query_keys(parse(typed)) & mine, typed
        assert not query_keys(parse(typed), typo=True), typed  # roads have no typo keys


def test_generic_bigrams_are_not_typo_keys() -> None:
    ks = query_keys(parse("示例和乐花园3号楼"), typo=True)
    assert not any(re.search("示例|花园", k) for k in ks)
    assert "b:和乐|3" in ks


def test_exact_keys_are_the_characters_typed() -> None:
    row = next(r for r in sample_rows() if r["id"] == "P-JLMZ-B12")
    mine = building_keys(row)
    for typed, key in (
        ("共和新路2288弄12号", "c:共和新路|2288|12"),
        ("嘉利明珠城十二幢", "c:嘉利明珠城||12"),
        ("嘉利明珠城小区12号楼", "c:嘉利明珠城||12"),
        ("共和新路2288号12号楼", "c:共和新路|2288|12"),
    ):
        assert key in exact_keys(parse(typed)) & mine, typed
    for typed in ("佳丽名珠城12号", "jlmzc12", "12号楼", "2288弄12号"):
        assert not exact_keys(parse(typed)) & mine, typed  # sound, initials, no road or estate
