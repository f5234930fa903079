"""The corpus: every folder of tests/data/broken is refused with exactly the lines of its
expected.txt; every folder of tests/data/good loads without a problem.

Adding a case is adding a folder (a README.md says what it breaks; expected.txt the lines).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from shanzhi.errors import DataError
from shanzhi.loaders import load_dataset, read_dataset

DATA = Path(__file__).resolve().parent.parent / "data"
BROKEN = sorted(p for p in (DATA / "broken").iterdir() if p.is_dir())
GOOD = sorted(p for p in (DATA / "good").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", BROKEN, ids=[p.name for p in BROKEN])
def test_broken_dataset_is_refused_with_exact_problems(case: Path) -> None:
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert expected, f"{case.name}/expected.txt is empty"
    with pytest.raises(DataError) as err:
        load_dataset(case)
    assert [str(p) for p in err.value.problems] == expected
    n = len(expected)
    assert (
        str(err.value) == f"the dataset has {n} problem{'s' if n != 1 else ''}; nothing was written"
    )


@pytest.mark.parametrize("case", BROKEN, ids=[p.name for p in BROKEN])
def test_read_dataset_returns_the_same_problems(case: Path) -> None:
    dataset, problems = read_dataset(case)
    assert dataset is None
    assert [str(p) for p in problems] == (case / "expected.txt").read_text("utf-8").splitlines()


@pytest.mark.parametrize("case", GOOD, ids=[p.name for p in GOOD])
def test_good_dataset_loads(case: Path) -> None:
    dataset = load_dataset(case)
    assert dataset.name == case.name
    assert dataset.nodes and dataset.relations
    ids = [n.id for n in dataset.nodes]
    assert len(ids) == len(set(ids))
    keys = [r.key for r in dataset.relations]
    assert len(keys) == len(set(keys))
    for r in dataset.relations:  # nothing dangles
        dataset.node(r.source_id)
        dataset.node(r.target_id)


def test_every_rule_of_records_md_has_a_broken_case() -> None:
    names = {p.name for p in BROKEN}
    rules = {
        "duplicate_id",
        "unknown_reference",
        "unknown_level",
        "unknown_kind",
        "unknown_type",
        "grid_parent_level",
        "grid_parent_missing",
        "parent_cycle",
        "malformed_date",
        "dates_reversed",
        "missing_value",
        "missing_column",
        "undecodable_bytes",
        "forbidden_relation",
        "holds_without_role",
        "wrong_label_reference",
        "duplicate_relation",
        "header_only",
        "empty_folder",
        "wrong_sheet_name",
    }
    assert rules <= names
    for case in BROKEN:
        assert (case / "README.md").is_file(), f"{case.name} says what it breaks"


def test_the_name_defaults_to_the_folder_and_can_be_given() -> None:
    assert load_dataset(DATA / "good" / "jsonl", name="other").name == "other"
