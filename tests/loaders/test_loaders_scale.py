"""What the loader builds fast is what validation builds, nothing fine is dropped, and one bad
row in a big dataset is reported as exactly that row."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from shanzhi.graph.model import Node, Relation
from shanzhi.loaders import load_dataset, read_dataset
from shanzhi.synth import synth

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def street(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "two-streets"
    synth(out, streets=2, seed=11)
    return out


@pytest.mark.parametrize("case", ["gb18030", "utf8_bom", "jsonl", "ledger", "fullwidth"])
def test_fast_built_records_equal_validated_ones(case: str) -> None:
    ds = load_dataset(DATA / "good" / case)
    for node in ds.nodes:
        checked = Node.model_validate(node.model_dump())
        assert checked == node and checked.fingerprint == node.fingerprint
        assert checked.model_fields_set == node.model_fields_set
    for rel in ds.relations:
        checked_rel = Relation.model_validate(rel.model_dump())
        assert checked_rel == rel and checked_rel.key == rel.key
        assert checked_rel.fingerprint == rel.fingerprint


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_synthetic_dataset_loads_every_row(street: Path) -> None:
    ds = load_dataset(street, name="synth")
    tables = {
        name: _rows(street / f"{name}.csv")
        for name in ("grids", "places", "orgs", "people", "projects", "relations")
    }
    assert len(ds.nodes) == sum(len(rows) for name, rows in tables.items() if name != "relations")
    derived = sum(
        1
        for name, cols in (
            ("grids", ["parent_id"]),
            ("places", ["parent_id", "grid_id", "road_id"]),
            ("orgs", ["parent_id", "grid_id", "place_id"]),
            ("projects", ["lead_id", "grid_id"]),
        )
        for row in tables[name]
        for col in cols
        if row[col]
    )
    assert len(ds.relations) == len(tables["relations"]) + derived


_CORRUPTIONS = {
    "relation target": ("relations.csv", 1200, "target_id", "NOPE", "no record has id NOPE"),
    "place kind": (
        "places.csv",
        300,
        "kind",
        "shop",
        "unknown kind 'shop' (expected one of subdistrict, block, community, estate, building, "
        "park, road, other)",
    ),
    "yes/no": (
        "people.csv",
        2500,
        "party_member",
        "也许",
        "'也许' is not yes or no (expected 是/否, true/false or 1/0)",
    ),
}


@pytest.mark.parametrize("name", list(_CORRUPTIONS))
def test_one_bad_row_in_a_big_dataset_is_the_only_problem(
    street: Path, tmp_path: Path, name: str
) -> None:
    file, line, column, value, message = _CORRUPTIONS[name]
    d = tmp_path / "d"
    d.mkdir()
    for p in street.glob("*.csv"):
        (d / p.name).write_bytes(p.read_bytes())
    rows = list(csv.reader((d / file).open(encoding="utf-8", newline="")))
    rows[line - 1][rows[0].index(column)] = value
    with (d / file).open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    dataset, problems = read_dataset(d)
    assert dataset is None
    assert [str(p) for p in problems] == [f"{file}:{line}: {column}: {message}"]
