"""A reload that reads only the changed rows ends exactly where a full reload ends.

Every case edits a folder of the sample's tables and loads it twice: into a store whose home
keeps the row memo (the changed rows alone are read, when they can be) and into a store loaded
the plain way. Both must give the same report, the same problems, the same records and the same
lookup entries; and the cases that can be read row by row must have been.
"""

from __future__ import annotations

import csv
import io
import random
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from shanzhi.errors import DataError, Problem
from shanzhi.graph.stores import increments as increments_module
from shanzhi.graph.stores import load_folder
from shanzhi.graph.stores.embedded import EmbeddedStore
from shanzhi.graph.stores.neo4j import Neo4jStore
from shanzhi.graph.stores.sync import SyncReport
from shanzhi.loaders import increment as increment_module
from shanzhi.loaders import journal as journal_module
from shanzhi.loaders import memo as memo_module
from shanzhi.loaders.memo import RowMemo, memo_path
from shanzhi.sample import sample_path

NAME = "d"


@dataclass
class Pair:
    """A folder and two stores that load it: with the row memo, and plainly."""

    folder: Path
    home: Path
    memo_store: EmbeddedStore
    plain_store: EmbeddedStore
    #: how each load with the memo went: True when only the changed rows were read
    paths: list[bool]

    def rows(self, table: str) -> list[list[str]]:
        with (self.folder / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
            return list(csv.reader(fh))

    def write(self, table: str, rows: list[list[str]]) -> None:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        (self.folder / f"{table}.csv").write_text(out.getvalue(), encoding="utf-8")

    def edit(self, table: str, change: Callable[[list[list[str]]], None]) -> None:
        rows = self.rows(table)
        change(rows)
        self.write(table, rows)

    def col(self, table: str, name: str) -> int:
        return self.rows(table)[0].index(name)

    def load(self) -> tuple[SyncReport | None, list[Problem] | None]:
        """Load into both stores and check they agree; the memo store's outcome."""
        outcomes: list[tuple[SyncReport | None, list[Problem] | None]] = []
        for store, home in ((self.memo_store, self.home), (self.plain_store, None)):
            try:
                outcomes.append((load_folder(store, self.folder, NAME, home=home), None))
            except DataError as e:
                outcomes.append((None, e.problems))
        assert outcomes[0] == outcomes[1]
        assert self.memo_store.snapshot(NAME) == self.plain_store.snapshot(NAME)
        assert self.memo_store.fingerprints(NAME) == self.plain_store.fingerprints(NAME)
        assert [r.summary() | {"at": ""} for r in self.memo_store.loads(NAME)] == [
            r.summary() | {"at": ""} for r in self.plain_store.loads(NAME)
        ]
        return outcomes[0]

    def by_rows(self) -> bool:
        """True if the last load with the memo read only the changed rows."""
        return bool(self.paths) and self.paths[-1]


def _watched(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Pair:
    """A pair of stores for ``folder``, noting how each load with the memo went."""
    home = tmp_path / "memo-home"
    made = Pair(folder, home, EmbeddedStore(home), EmbeddedStore(tmp_path / "plain"), [])
    real = increments_module._load_increment

    def spy(*args: object, **kwargs: object) -> SyncReport | None:
        report = real(*args, **kwargs)  # type: ignore[arg-type]
        made.paths.append(report is not None)
        return report

    monkeypatch.setattr(increments_module, "_load_increment", spy)
    return made


@pytest.fixture
def pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pair]:
    folder = tmp_path / "sample"
    folder.mkdir()
    for f in sample_path().glob("*.csv"):  # its tables, without the ledgers (read in full)
        shutil.copy(f, folder / f.name)
    made = _watched(folder, tmp_path, monkeypatch)
    home = made.home
    report, problems = made.load()
    assert problems is None and report is not None and report.nodes.created > 800
    assert memo_path(home, NAME, made.memo_store.kind).is_file()
    yield made
    made.memo_store.close()
    made.plain_store.close()


def _set(row_index: int, column: int, value: str) -> Callable[[list[list[str]]], None]:
    def change(rows: list[list[str]]) -> None:
        rows[row_index][column] = value

    return change


def _first(pair: Pair, table: str, column: str, value: str) -> int:
    """The index of the first row of ``table`` whose ``column`` is ``value``."""
    i = pair.col(table, column)
    return next(n for n, r in enumerate(pair.rows(table)) if n and r[i] == value)


def test_a_renamed_person_is_read_and_written_alone(pair: Pair) -> None:
    pair.edit("people", _set(3, pair.col("people", "name"), "改名测试"))
    report, _ = pair.load()
    assert pair.by_rows()
    assert report is not None and report.nodes.updated == 1 and report.nodes.unchanged > 800


def test_a_renamed_estate_changes_its_buildings_lookup_entries(pair: Pair) -> None:
    kind = pair.col("places", "kind")
    n = next(i for i, r in enumerate(pair.rows("places")) if i and r[kind] == "estate")
    pair.edit("places", _set(n, pair.col("places", "name"), "新名字小区"))
    report, _ = pair.load()
    assert pair.by_rows() and report is not None and report.nodes.updated == 1


def test_a_building_moved_to_another_estate(pair: Pair) -> None:
    rows = pair.rows("places")
    kind, parent, pid = (pair.col("places", c) for c in ("kind", "parent_id", "id"))
    estates = [r[pid] for r in rows[1:] if r[kind] == "estate"]
    n = next(i for i, r in enumerate(rows) if i and r[kind] == "building" and r[parent])
    other = next(e for e in estates if e != rows[n][parent])
    pair.edit("places", _set(n, parent, other))
    report, _ = pair.load()
    assert pair.by_rows() and report is not None
    assert report.relations.created == 1 and report.relations.removed == 1


def test_new_rows_at_the_end_and_then_their_removal(pair: Pair) -> None:
    people, relations = pair.rows("people"), pair.rows("relations")
    new = list(people[1])
    new[pair.col("people", "id")] = "P-NEW-1"
    new[pair.col("people", "name")] = "新来测试"
    pair.write("people", [*people, new])
    member = next(r for r in relations if r[1] == "MEMBER_OF")
    pair.write("relations", [*relations, ["P-NEW-1", *member[1:]]])
    report, problems = pair.load()
    assert problems is None and pair.by_rows() and report is not None
    assert report.nodes.created == 1 and report.relations.created == 1
    pair.write("people", people)
    pair.write("relations", relations)
    pair.load()
    assert pair.by_rows()


@pytest.mark.parametrize(
    "case",
    [
        "dangling_reference",
        "unknown_relation_end",
        "parent_cycle",
        "road_no_longer_a_road",
        "duplicate_id",
        "person_where_an_org_was",
        "deleted_but_named",
    ],
)
def test_a_change_that_breaks_the_dataset_is_refused_like_a_full_read(
    pair: Pair, case: str
) -> None:
    places, grids, people = pair.rows("places"), pair.rows("grids"), pair.rows("people")
    pid, pkind, road = (pair.col("places", c) for c in ("id", "kind", "road_id"))
    if case == "dangling_reference":
        n = next(i for i, r in enumerate(places) if i and r[pair.col("places", "grid_id")])
        pair.edit("places", _set(n, pair.col("places", "grid_id"), "NO-SUCH-GRID"))
    elif case == "unknown_relation_end":
        pair.edit("relations", _set(5, 2, "NO-SUCH-NODE"))
    elif case == "parent_cycle":
        gid, gparent = pair.col("grids", "id"), pair.col("grids", "parent_id")
        child = next(r for r in grids[1:] if r[gparent])
        top = _first(pair, "grids", "id", child[gparent])
        pair.edit("grids", _set(top, gparent, child[gid]))
    elif case == "road_no_longer_a_road":
        named = {r[road] for r in places[1:] if r[road]}
        n = next(i for i, r in enumerate(places) if i and r[pid] in named)
        pair.edit("places", _set(n, pkind, "estate"))
    elif case == "duplicate_id":
        pair.edit("people", _set(2, pair.col("people", "id"), people[1][pair.col("people", "id")]))
    elif case == "person_where_an_org_was":
        orgs = pair.rows("orgs")
        oid = pair.col("orgs", "id")
        rel_ends = {r[0] for r in pair.rows("relations")[1:]} | {
            r[2] for r in pair.rows("relations")[1:]
        }
        victim = next(r for r in orgs[1:] if r[oid] in rel_ends)
        pair.write("orgs", [r for r in orgs if r is not victim])
        new = list(people[1])
        new[pair.col("people", "id")] = victim[oid]
        pair.write("people", [*people, new])
    elif case == "deleted_but_named":
        ends = {r[0] for r in pair.rows("relations")[1:]}
        pcol = pair.col("people", "id")
        pair.write("people", [r for r in people if r[pcol] not in ends or r is people[0]])
    report, problems = pair.load()
    assert report is None and problems, case


def test_many_random_edits_end_where_full_reads_end(pair: Pair) -> None:
    rng = random.Random(20261202)
    tables = ["grids", "places", "orgs", "people", "projects", "relations"]
    by_rows = 0
    for _ in range(24):
        table = rng.choice(tables)
        rows = pair.rows(table)
        n = rng.randrange(1, len(rows))
        c = rng.randrange(len(rows[0]))
        donor, was = rows[rng.randrange(1, len(rows))], rows[n][c]
        rows[n][c] = donor[c] if rng.random() < 0.8 else was + "改"
        pair.write(table, rows)
        _, problems = pair.load()
        by_rows += pair.by_rows()
        if problems is not None:  # put it back, so later edits start from a good dataset
            rows[n][c] = was
            pair.write(table, rows)
    assert by_rows >= 8  # most edits were read row by row


def test_a_memo_of_another_state_is_not_used(pair: Pair, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(pair.folder, other)
    elsewhere = Pair(other, pair.home, pair.memo_store, pair.plain_store, [])
    elsewhere.edit("people", _set(2, pair.col("people", "name"), "别处测试"))
    for store in (pair.memo_store, pair.plain_store):  # a load the memo did not see
        assert load_folder(store, other, NAME).nodes.updated == 1
    pair.edit("people", _set(4, pair.col("people", "name"), "再改测试"))
    pair.load()
    assert not pair.paths  # the memo's anchor was not the last load: everything was read


def test_a_broken_or_foreign_memo_is_no_memo(pair: Pair, monkeypatch: pytest.MonkeyPatch) -> None:
    path = memo_path(pair.home, NAME, pair.memo_store.kind)
    assert RowMemo.open(path) is not None
    monkeypatch.setattr(memo_module, "code_digest", lambda: "other code")
    assert RowMemo.open(path) is None
    monkeypatch.undo()
    path.write_bytes(b"not a database")
    assert RowMemo.open(path) is None
    pair.edit("people", _set(3, pair.col("people", "name"), "又改测试"))
    pair.load()
    assert not pair.paths
    assert RowMemo.open(path) is not None  # written anew by the full read


def test_a_file_written_while_it_was_read_leaves_no_memo(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = journal_module.file_stamp
    calls = {"n": 0}

    def moving(path: Path) -> tuple[int, ...]:
        calls["n"] += 1
        return (*real(path), calls["n"])  # never the same twice

    monkeypatch.setattr(journal_module, "file_stamp", moving)
    monkeypatch.setattr(increment_module, "file_stamp", moving)
    pair.edit("people", _set(3, pair.col("people", "name"), "正在写测试"))
    report, _ = pair.load()
    assert report is not None and not pair.paths
    assert not memo_path(pair.home, NAME, pair.memo_store.kind).exists()


def test_neo4j_reads_only_the_changed_rows_and_ends_as_a_full_read(
    pair: Pair, neo4j_store: Neo4jStore
) -> None:
    home = pair.home  # the embedded store's home too: one memo for each kind of store
    load_folder(neo4j_store, pair.folder, NAME, home=home)
    assert memo_path(home, NAME, "neo4j").is_file() and memo_path(home, NAME, "embedded").is_file()
    assert memo_path(home, NAME, "neo4j") != memo_path(home, NAME, "embedded")
    pair.edit("people", _set(3, pair.col("people", "name"), "图库测试"))
    kind = pair.col("places", "kind")
    n = next(i for i, r in enumerate(pair.rows("places")) if i and r[kind] == "building")
    pair.edit("places", _set(n, pair.col("places", "name"), "图库楼"))
    report = load_folder(neo4j_store, pair.folder, NAME, home=home)
    assert pair.paths == [True]
    assert report.nodes.updated == 2
    pair.load()  # the embedded stores, for the answer a full read gives
    assert neo4j_store.snapshot(NAME) == pair.plain_store.snapshot(NAME)
    assert neo4j_store.fingerprints(NAME) == pair.plain_store.fingerprints(NAME)


def test_a_load_that_fails_leaves_the_memo_it_had(pair: Pair) -> None:
    path = memo_path(pair.home, NAME, pair.memo_store.kind)
    before = path.read_bytes()

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    pair.edit("people", _set(3, pair.col("people", "name"), "失败测试"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pair.memo_store, "apply", broken)
        with pytest.raises(OSError):
            load_folder(pair.memo_store, pair.folder, NAME, home=pair.home, full=True)
        assert path.read_bytes() == before  # the draft of the full read was dropped
        assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temporary file
        with pytest.raises(OSError):
            load_folder(pair.memo_store, pair.folder, NAME, home=pair.home)  # row by row
        assert path.read_bytes() == before
    report, _ = pair.load()  # and the next load, with the memo as it was, is right
    assert report is not None and report.nodes.updated == 1 and pair.by_rows()


def test_a_folder_with_ledgers_keeps_no_memo(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "home")
    load_folder(store, sample_path(), NAME, home=tmp_path / "home")  # the sample has ledgers
    assert not memo_path(tmp_path / "home", NAME, store.kind).exists()
    assert store.snapshot(NAME).nodes
    store.close()


def test_a_workbook_is_read_row_by_row_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    tables: dict[str, list[list[str]]] = {}
    for f in sorted(sample_path().glob("*.csv")):
        with f.open(encoding="utf-8", newline="") as fh:
            tables[f.stem] = list(csv.reader(fh))

    def save() -> None:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for name, rows in tables.items():
            ws = wb.create_sheet(name)
            for row in rows:
                ws.append(row)
        wb.save(folder / "台账.xlsx")

    folder = tmp_path / "book"
    folder.mkdir()
    save()
    book = _watched(folder, tmp_path, monkeypatch)
    home = book.home
    book.load()
    assert memo_path(home, NAME, book.memo_store.kind).is_file()
    people, places = tables["people"], tables["places"]
    people[3][people[0].index("name")] = "表格测试"
    save()
    report, _ = book.load()
    assert book.by_rows() and report is not None and report.nodes.updated == 1
    kind = places[0].index("kind")
    n = next(i for i, r in enumerate(places) if i and r[kind] == "building")
    places[n][places[0].index("name")] = "表格楼"
    save()
    report, _ = book.load()
    assert book.by_rows() and report is not None and report.nodes.updated == 1
    people[5][people[0].index("id")] = people[4][people[0].index("id")]  # an id used twice
    save()
    report, problems = book.load()
    assert report is None and problems
