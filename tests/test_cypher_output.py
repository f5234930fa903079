"""What `shanzhi cypher run` prints, without a server: masking, CSV that a spreadsheet cannot run,
tables that show text as text.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from shanzhi.cypher.output import safe_cell, shown, to_csv, to_json, to_table

NODE = {
    "element_id": "4:abc:12",
    "labels": ["Entity", "Person"],
    "properties": {"name": "史示例玲", "phone": "13800000270", "note": "或 138 0000 0271"},
}
ROWS = [
    {"person": NODE, "tel": 13800000272, "contact": "+86 138-0000-0273", "day": "2025-07-01"},
    {"person": None, "tel": None, "contact": "021-61234567", "day": "2025-07-02"},
]


def test_every_phone_is_masked_by_what_it_is() -> None:
    text = to_json(shown(ROWS, show_contact=False))
    for digits in ("13800000270", "138 0000 0271", "13800000272", "138-0000-0273", "61234567"):
        assert digits not in text, digits
    assert "138****0270" in text and "138****0272" in text
    assert "2025-07-01" in text, "a date is no phone"
    assert json.loads(text)[0]["person"]["labels"] == ["Entity", "Person"]


def test_show_contact_shows_them() -> None:
    assert shown(ROWS, show_contact=True) == ROWS
    assert "13800000270" in to_json(shown(ROWS, show_contact=True))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_a_spreadsheet_would_run_are_text(start: str) -> None:
    payload = f'{start}HYPERLINK("http://x","y")'
    out = to_csv([{"name": payload, "n": -3}])
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert row["name"] == "'" + payload
    assert row["n"] == "-3", "a number is not text: it stays as it is"


def test_header_cells_are_defused_too() -> None:
    out = to_csv([{"=cmd": 1}])
    assert out.splitlines()[0] == "'=cmd"


def test_safe_cell_leaves_ordinary_text() -> None:
    assert [safe_cell(v) for v in ("嘉利明珠城", "2026-01-01", 26, None, ["a"])] == [
        "嘉利明珠城", "2026-01-01", "26", "", '["a"]',
    ]  # fmt: skip


def test_a_table_shows_markup_as_text() -> None:
    from rich.console import Console

    console = Console(width=200, record=True, color_system=None)
    console.print(to_table([{"name": "[bold red]示例[/]", "n": 1}], title="t"))
    text = console.export_text()
    assert "[bold red]示例[/]" in text
    assert "1 rows" in text
