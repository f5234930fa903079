"""A building row's facts are worked out once per content, and always for the row given."""

from __future__ import annotations

import copy

import pytest

from shanzhi.address import facts as facts_module
from shanzhi.address.facts import facts

ROW = {
    "uid": "d:B12",
    "id": "B12",
    "name": "嘉利明珠城12号楼",
    "address": "共和新路2288弄12号",
    "aliases": "嘉利12号楼",
    "parents": [{"name": "嘉利明珠城", "aliases": "嘉利明珠城小区", "kind": "estate"}],
}


def test_the_same_content_gives_the_same_facts_carrying_the_row_given() -> None:
    first, again = copy.deepcopy(ROW), copy.deepcopy(ROW)
    a, b = facts(first), facts(again)
    assert a.row is first and b.row is again
    assert (a.exact, a.triples, a.ancestors, a.road_aliases) == (
        b.exact,
        b.triples,
        b.ancestors,
        b.road_aliases,
    )


def test_other_content_gives_its_own_facts() -> None:
    renamed = copy.deepcopy(ROW) | {"name": "嘉利明珠城13号楼", "aliases": None}
    moved = copy.deepcopy(ROW)
    moved["parents"] = [{"name": "新梅共和城", "aliases": None, "kind": "estate"}]
    facts(ROW)
    assert "嘉利明珠城13号楼" in facts(renamed).exact
    assert "嘉利明珠城12号楼" not in facts(renamed).exact
    estates = {t.text for t in facts(moved).triples if t.source == "estate"}
    assert estates == {"新梅共和城"}


def test_a_row_json_cannot_hold_is_worked_out_every_time() -> None:
    odd = copy.deepcopy(ROW) | {"note": object()}  # no JSON for it
    before = len(facts_module._KEPT)
    assert facts(odd).triples == facts(ROW).triples
    assert len(facts_module._KEPT) == before


def test_the_kept_contents_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(facts_module, "KEPT", 3)
    monkeypatch.setattr(facts_module, "_KEPT", {})
    for n in range(10):
        facts(copy.deepcopy(ROW) | {"uid": f"d:B{n}"})
    assert len(facts_module._KEPT) == 3
    assert facts(copy.deepcopy(ROW) | {"uid": "d:B9"}).exact >= {"db9"}
