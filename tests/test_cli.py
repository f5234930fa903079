"""The CLI as a user meets it: load/stats as the README says, refusals that write nothing, help."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from shanzhi.cli import main
from shanzhi.graph.queries.stats import stats
from shanzhi.graph.stores import load
from shanzhi.graph.stores.neo4j import Neo4jStore
from shanzhi.loaders import load_dataset
from shanzhi.sample import sample_path

SAMPLE = str(sample_path())
BROKEN = Path(__file__).parent / "data" / "broken"


def run(home: Path, *args: str) -> click.testing.Result:
    return CliRunner().invoke(main, ["--home", str(home), *args], catch_exceptions=False)


def test_load_then_stats_shows_the_articles_counts_and_a_reload_changes_nothing(
    tmp_path: Path,
) -> None:
    first = run(tmp_path, "load", SAMPLE, "--json")
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["nodes"]["removed"] == 0
    assert json.loads(first.output)["load"] == 1
    again = json.loads(run(tmp_path, "load", SAMPLE, "--json").output)
    assert again["load"] is None  # nothing changed: no load number, no record
    assert "gonghexinlu · 没有变化 (nothing changed)" in run(tmp_path, "load", SAMPLE).output
    for part in ("nodes", "relations"):
        assert (again[part]["created"], again[part]["updated"], again[part]["removed"]) == (0, 0, 0)
    result = run(tmp_path, "stats", "--json")
    counts = json.loads(result.output)
    kinds, targets = counts["nodes_by_kind"], counts["relations_by_target"]
    assert kinds["Grid:block"] == 4  # four 善治街区
    assert kinds["Grid:community"] == kinds["Place:community"] == 26  # 26 居民区
    assert kinds["Org:building_management_group"] == 26  # 26 楼管小组 at 嘉利明珠城
    assert targets["MEMBER_OF→Org:building_management_group"] == 180  # 180 members
    assert (kinds["Project:city"], kinds["Project:district"], kinds["Project:grassroots"]) == (
        1,
        10,
        166,
    )  # 个十百
    table = run(tmp_path, "stats").output
    assert "Grid:block" in table and "MEMBER_OF→Org:building_management_group" in table


@pytest.mark.parametrize("case", sorted(p.name for p in BROKEN.iterdir() if p.is_dir()))
def test_a_broken_dataset_is_refused_with_its_lines_and_the_store_is_untouched(
    tmp_path: Path, case: str
) -> None:
    assert run(tmp_path, "load", SAMPLE).exit_code == 0
    before = _store_bytes(tmp_path)
    result = CliRunner().invoke(main, ["--home", str(tmp_path), "load", str(BROKEN / case)])
    assert result.exit_code == 1
    expected = (BROKEN / case / "expected.txt").read_text(encoding="utf-8").split("\n")
    shown = result.output.splitlines()  # CliRunner mixes stderr into output
    assert [line for line in expected if line] == shown[:-1]
    assert shown[-1].startswith("错误 error: 数据集有 ") and "nothing was written" in shown[-1]
    assert _store_bytes(tmp_path) == before


def _store_bytes(home: Path) -> bytes:
    """The embedded store's file and its write-ahead log, as they are on disk."""
    files = (home / "shanzhi.db", home / "shanzhi.db-wal")
    assert files[0].exists()
    return b"".join(f.read_bytes() for f in files if f.exists())


def test_validate_writes_nothing(tmp_path: Path) -> None:
    result = run(tmp_path / "home", "validate", SAMPLE)
    assert result.exit_code == 0 and "ok — 845 nodes, 1959 relations" in result.output
    assert not (tmp_path / "home").exists()


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    ctx = click.Context(group)  # the root group imports a command when it is named
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        assert cmd is not None, name
        found.append((f"{prefix}{name}", cmd))
        if isinstance(cmd, click.Group):
            found += _commands(cmd, f"{prefix}{name} ")
    return found


@pytest.mark.parametrize("name", [n for n, _ in _commands(main)])
def test_every_command_has_help_with_an_example(name: str) -> None:
    result = CliRunner().invoke(main, [*name.split(), "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "shanzhi" in result.output.split("Example:")[1]


@pytest.mark.neo4j
def test_stats_are_the_same_on_neo4j(tmp_path: Path, neo4j_store: Neo4jStore) -> None:
    from shanzhi.graph.stores.embedded import EmbeddedStore

    ds = load_dataset(Path(SAMPLE))
    embedded = EmbeddedStore(tmp_path)
    load(embedded, ds)
    load(neo4j_store, ds)
    mine, theirs = stats(embedded), stats(neo4j_store)
    assert {**mine, "store": ""} == {**theirs, "store": ""}


# -- a home or an output folder the system will not let us write: one sentence ----------------


@contextmanager
def read_only(*paths: Path) -> Iterator[None]:
    """Make folders (and the files in them) unwritable, even for root (``chattr +i``)."""
    every = [p for top in paths for p in (top, *top.rglob("*"))]
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", *map(str, every)], check=True)
    else:
        for p in every:
            p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        yield
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", *map(str, every)], check=True)
        else:
            for p in every:
                p.chmod(0o755 if p.is_dir() else 0o644)


def _one_sentence(result: click.testing.Result) -> str:
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误 error: "), result.stderr
    return lines[0]


def test_a_read_only_home_is_one_sentence_for_load_viz_and_export(tmp_path: Path) -> None:
    home, out = tmp_path / "home", tmp_path / "out"
    out.mkdir()
    assert run(home, "load", SAMPLE).exit_code == 0
    with read_only(home):
        again = CliRunner().invoke(main, ["--home", str(home), "load", SAMPLE])
        assert again.exit_code in (1, 3)
        assert str(home) in _one_sentence(again)
        for args in (
            ["viz", "grid", "-o", str(out / "g.svg")],
            ["export", "--format", "graphml", "-o", str(out / "g.graphml")],
        ):
            result = CliRunner().invoke(main, ["--home", str(home), *args])
            if result.exit_code == 0:  # reading needs no write: the picture or file is there
                assert Path(args[-1]).stat().st_size > 1000
            else:
                assert result.exit_code in (1, 3) and str(home) in _one_sentence(result)
    empty = tmp_path / "empty"
    empty.mkdir()
    with read_only(empty):
        fresh = CliRunner().invoke(main, ["--home", str(empty / "home"), "load", SAMPLE])
        assert fresh.exit_code in (1, 3) and str(empty) in _one_sentence(fresh)


def test_an_output_folder_that_cannot_be_written_is_one_sentence(tmp_path: Path) -> None:
    home, out = tmp_path / "home", tmp_path / "out"
    out.mkdir()
    assert run(home, "load", SAMPLE).exit_code == 0
    with read_only(out):
        result = CliRunner().invoke(
            main, ["--home", str(home), "export", "--format", "gexf", "-o", str(out / "a.gexf")]
        )
        assert result.exit_code == 1
        assert _one_sentence(result) == (
            f"错误 error: 无法写入 {out / 'a.gexf'}：没有权限 "
            f"(cannot write {out / 'a.gexf'}: permission denied)"
        )
        picture = CliRunner().invoke(
            main, ["--home", str(home), "viz", "grid", "-o", str(out / "g.svg")]
        )
        assert picture.exit_code == 1 and "没有权限" in _one_sentence(picture)
    assert list(out.iterdir()) == []


def test_python_m_shanzhi_is_the_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "shanzhi", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and done.stdout.startswith("Usage: shanzhi ")
