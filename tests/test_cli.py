"""The CLI as a user meets it: load/stats as the README says, refusals that write nothing, help."""

from __future__ import annotations

import json
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
    before = (tmp_path / "graph.json").read_bytes()
    result = CliRunner().invoke(main, ["--home", str(tmp_path), "load", str(BROKEN / case)])
    assert result.exit_code == 1
    expected = (BROKEN / case / "expected.txt").read_text(encoding="utf-8").split("\n")
    shown = result.output.splitlines()  # CliRunner mixes stderr into output
    assert [line for line in expected if line] == shown[:-1]
    assert shown[-1].startswith("错误 error: 数据集有 ") and "nothing was written" in shown[-1]
    assert (tmp_path / "graph.json").read_bytes() == before


def test_validate_writes_nothing(tmp_path: Path) -> None:
    result = run(tmp_path / "home", "validate", SAMPLE)
    assert result.exit_code == 0 and "ok — 844 nodes, 1533 relations" in result.output
    assert not (tmp_path / "home").exists()


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, cmd in sorted(group.commands.items()):
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
