"""docs/mappings.md runs: every YAML block is a valid mapping, and every CSV ledger shown with its
mapping loads on the corpus street without a problem."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shanzhi.loaders import read_report
from shanzhi.loaders.mapping import parse_mapping
from tests.loaders.shapes import people, street

DOC = (Path(__file__).resolve().parent.parent.parent / "docs" / "mappings.md").read_text("utf-8")
BLOCKS = re.findall(r"```(\w*)\n(.*?)```", DOC, re.S)
PAIRS = [
    (BLOCKS[i][1], BLOCKS[i + 1][1])
    for i in range(len(BLOCKS) - 1)
    if BLOCKS[i][0] == "csv" and BLOCKS[i + 1][0] == "yaml"
]


@pytest.mark.parametrize("n", range(sum(kind == "yaml" for kind, _ in BLOCKS)))
def test_every_yaml_block_is_a_valid_mapping(n: int) -> None:
    text = [body for kind, body in BLOCKS if kind == "yaml"][n]
    assert parse_mapping(text, "mappings/楼组长名单.yaml").records


def test_the_doc_shows_ledgers_with_their_mappings() -> None:
    assert len(PAIRS) >= 2


@pytest.mark.parametrize("n", range(len(PAIRS)))
def test_every_csv_ledger_with_its_mapping_loads(tmp_path: Path, n: int) -> None:
    ledger, mapping = PAIRS[n]
    d = street(tmp_path / "street")
    (d / "ledgers").mkdir()
    (d / "mappings").mkdir()
    (d / "ledgers" / "楼组长名单.csv").write_text(ledger, "utf-8")
    (d / "mappings" / "楼组长名单.yaml").write_text(mapping, "utf-8")
    report = read_report(d)
    assert [str(p) for p in report["problems"]] == []
    assert report["dataset"] is not None
    rows = [line for line in ledger.splitlines() if re.search(r"1380000\d{4}", line)]
    assert len(people(report["dataset"])) == len(rows)
