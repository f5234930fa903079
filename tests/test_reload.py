"""Reloading a folder whose files did not change reads nothing (issue 11: reload ≤ 10 % of a load).

The load that changed the store keeps the digest of its files in its load record; a load of the
same files answers what a full reload answers — nothing created, updated or removed — without
parsing or planning, and a changed file (or a changed program) goes the full way again.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from shanzhi.graph.stores import load, load_folder
from shanzhi.graph.stores.embedded import EmbeddedStore
from shanzhi.loaders import load_dataset
from shanzhi.sample import sample_path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return Path(shutil.copytree(sample_path(), tmp_path / "gonghexinlu"))


def test_an_unchanged_folder_is_not_read_again(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = EmbeddedStore(tmp_path / "home")
    first = load_folder(store, folder)
    assert first.changed and store.loads("gonghexinlu")[-1].digest
    full = load(store, load_dataset(folder))  # what reading everything again answers

    def unread(*_: object, **__: object) -> None:
        raise AssertionError("the folder was read again")

    monkeypatch.setattr("shanzhi.loaders.load_dataset", unread)
    again = load_folder(store, folder)
    assert again.as_dict() == full.as_dict()
    assert not again.changed and again.nodes.unchanged == 845


def test_a_changed_file_is_read_and_loaded(folder: Path, tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "home")
    load_folder(store, folder)
    people = folder / "people.csv"
    people.write_text(people.read_text(encoding="utf-8").replace("王示例华", "王示例桦"), "utf-8")
    report = load_folder(store, folder)
    assert report.changed and report.nodes.updated == 1
    assert [r.seq for r in store.loads("gonghexinlu")] == [1, 2]


def test_the_same_files_under_another_name_are_another_dataset(
    folder: Path, tmp_path: Path
) -> None:
    store = EmbeddedStore(tmp_path / "home")
    load_folder(store, folder)
    other = load_folder(store, folder, name="copy")
    assert other.changed and other.nodes.created == 845


def test_files_read_by_loaders_that_derive_differently_are_read_again(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = EmbeddedStore(tmp_path / "home")
    load_folder(store, folder)
    monkeypatch.setattr("shanzhi.loaders.digest.READ_VERSION", 999)
    read: list[Path] = []
    real = load_dataset

    def reading(path: Path, *args: object, **kwargs: object) -> object:
        read.append(Path(path))
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("shanzhi.loaders.load_dataset", reading)
    load_folder(store, folder)
    assert read == [folder], "a new READ_VERSION must make the same files be read again"
