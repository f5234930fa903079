"""`shanzhi cypher list | show | run` through click's CliRunner: exit codes and the exact sentences.

A missing, unknown or mistyped parameter, a malformed ``-p``, an unknown query and a command that
cannot run are each one sentence on stderr with exit code 2 (1 for a query that does not exist);
``list`` names every file of the library; ``run`` prints the same rows as a rich table, JSON or
CSV. Runs against the sample in a real Neo4j.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from shanzhi.cli import main
from shanzhi.cypher import names, query
from shanzhi.cypher.runner import run
from shanzhi.graph.stores.neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j


def shanzhi(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def error(result: Result) -> str:
    """The error sentence the command printed (one line, without rich's wrapping)."""
    assert result.stdout == ""
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return " ".join(result.stderr.split())


# -- list and show ------------------------------------------------------------------------------


def test_list_names_every_query_in_full(env: dict[str, str]) -> None:
    result = shanzhi(env, "cypher", "list")
    assert result.exit_code == 0
    listed = {line.split("│")[1].strip() for line in result.stdout.splitlines() if "│" in line}
    assert set(names()) <= listed, sorted(set(names()) - listed)


def test_list_gives_titles_and_typed_parameters(env: dict[str, str]) -> None:
    result = shanzhi({**env, "COLUMNS": "400"}, "cypher", "list")
    assert result.exit_code == 0
    line = next(x for x in result.stdout.splitlines() if "│ posts_ending " in x)
    assert "即将到期的岗位 — Posts that end soon" in line
    assert "dataset?:string, on?:date, days:int" in line


def test_show_prints_the_file(env: dict[str, str]) -> None:
    result = shanzhi(env, "cypher", "show", "road_chief_roster")
    assert result.exit_code == 0
    assert result.stdout.rstrip("\n") == query("road_chief_roster").text.rstrip("\n")


def test_show_an_unknown_query(env: dict[str, str]) -> None:
    result = shanzhi(env, "cypher", "show", "who_leads")
    assert result.exit_code == 1
    assert (
        error(result)
        == "错误 error: no query named 'who_leads' in the library; see `shanzhi cypher list`."
    )


@pytest.mark.parametrize("name", ["../../x", "../cypher/stats", "/etc/passwd", "stats.cypher"])
def test_a_name_is_never_a_path(
    name: str, env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``cypher show`` and ``cypher run`` take library names only: a .cypher file next to the
    library (or anywhere) is not read by a name that walks there."""
    outside = tmp_path / "a" / "b"
    outside.mkdir(parents=True)
    (tmp_path / "x.cypher").write_text("// title: 外面 — Outside\nRETURN 'outside' AS x\n")
    monkeypatch.chdir(outside)
    for args in (["cypher", "show", name], ["--store", "neo4j", "cypher", "run", name]):
        result = shanzhi(env, *args)
        assert result.exit_code == 1, result.output
        assert "outside" not in result.output and "外面" not in result.output
        assert error(result) == (
            f"错误 error: no query named {name!r} in the library; see `shanzhi cypher list`."
        )


# -- parameters ----------------------------------------------------------------------------------

PARAM_ERRORS = [
    (
        ["people_many_posts"],
        "错误 error: people_many_posts needs parameter more_than (int), e.g. -p more_than=1.",
    ),
    (
        ["people_many_posts", "-p", "more_than=1", "-p", "city=上海"],
        "错误 error: people_many_posts has no parameter 'city' (it takes: dataset, more_than, on).",
    ),
    (
        ["people_many_posts", "-p", "more_than=many"],
        "错误 error: parameter more_than of people_many_posts must be an int, not 'many'.",
    ),
    (
        ["posts_ending", "-p", "days=30", "-p", "on=2026-02-30"],
        "错误 error: parameter on of posts_ending must be a date YYYY-MM-DD, not '2026-02-30'.",
    ),
    (
        ["shortest_path", "-p", "source=强碧薇", "-p", "target=交运巴士", "-p", "max_paths=3.5"],
        "错误 error: parameter max_paths of shortest_path must be an int, not '3.5'.",
    ),
    (
        ["road_chief_roster", "-p", "from=2026-01-01", "-p", "to=明年"],
        "错误 error: parameter to of road_chief_roster must be a date YYYY-MM-DD, not '明年'.",
    ),
    (["posts_ending", "-p", "days"], "错误 error: parameter 'days' is not key=value."),
    (
        ["posts_ending", "-p", "days=30", "-p", "days=60"],
        "错误 error: parameter days is given twice.",
    ),
]


@pytest.mark.parametrize(("args", "message"), PARAM_ERRORS)
def test_a_bad_parameter_is_one_sentence_and_exit_2(
    args: list[str], message: str, env: dict[str, str], sample_store: Neo4jStore
) -> None:
    result = shanzhi(env, "--store", "neo4j", "cypher", "run", *args)
    assert result.exit_code == 2
    assert error(result) == message


def test_an_unknown_query_is_not_found(env: dict[str, str], sample_store: Neo4jStore) -> None:
    result = shanzhi(env, "--store", "neo4j", "cypher", "run", "who_leads")
    assert result.exit_code == 1
    assert (
        error(result)
        == "错误 error: no query named 'who_leads' in the library; see `shanzhi cypher list`."
    )


def test_a_name_and_a_file_together(
    env: dict[str, str], sample_store: Neo4jStore, tmp_path: Path
) -> None:
    mine = tmp_path / "mine.cypher"
    mine.write_text("RETURN 1 AS one\n", encoding="utf-8")
    result = shanzhi(env, "--store", "neo4j", "cypher", "run", "stats", "--file", str(mine))
    assert result.exit_code == 2
    assert error(result) == "错误 error: give either a query name or --file, not both."


def test_the_embedded_store_says_to_use_neo4j(env: dict[str, str]) -> None:
    result = shanzhi(env, "cypher", "run", "stats")
    assert result.exit_code == 2
    assert error(result) == (
        "错误 error: cypher queries need Neo4j: add --store neo4j (or set SHANZHI_STORE=neo4j)."
    )


def test_an_unreachable_neo4j_is_exit_3(env: dict[str, str]) -> None:
    result = shanzhi(
        {**env, "NEO4J_URI": "bolt://127.0.0.1:1"}, "--store", "neo4j", "cypher", "run", "stats"
    )
    assert result.exit_code == 3
    assert error(result) == (
        "错误 error: cannot reach Neo4j at bolt://127.0.0.1:1 (connection refused); "
        "start it or set NEO4J_URI."
    )


# -- formats ---------------------------------------------------------------------------------------

ROSTER = ["road_chief_roster", "-p", "from=2026-01-01", "-p", "to=2026-12-31", "-p", "road=沪太路"]


def test_json_is_the_rows(env: dict[str, str], sample_store: Neo4jStore) -> None:
    result = shanzhi(env, "--store", "neo4j", "cypher", "run", *ROSTER, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows == run(
        sample_store,
        "road_chief_roster",
        {"from": "2026-01-01", "to": "2026-12-31", "road": "沪太路"},
    )
    assert [r["on_duty_from"] for r in rows] == [
        "2026-01-01", "2026-04-01", "2026-07-01", "2026-10-01",
    ]  # fmt: skip
    assert {r["road_name"] for r in rows} == {"沪太路"}


def test_csv_has_a_header_and_a_line_per_row(env: dict[str, str], sample_store: Neo4jStore) -> None:
    result = shanzhi(env, "--store", "neo4j", "cypher", "run", *ROSTER, "--format", "csv")
    assert result.exit_code == 0, result.output
    table = list(csv.reader(io.StringIO(result.stdout)))
    assert table[0] == [
        "road_id", "road_name", "on_duty_from", "on_duty_to", "person_id", "person_name",
        "party_member", "valid_from", "valid_to",
    ]  # fmt: skip
    assert len(table) == 5
    assert {row[1] for row in table[1:]} == {"沪太路"}
    assert {row[6] for row in table[1:]} <= {"true", "false"}


def test_csv_keeps_lists_as_json(env: dict[str, str], sample_store: Neo4jStore) -> None:
    args = ["block_circle_members", "-p", "block=善养街区网格", "-p", "on=2026-11-27"]
    result = shanzhi(env, "--store", "neo4j", "cypher", "run", *args, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 18
    (chief,) = [r for r in rows if r["member_id"] == "H-0292"]
    assert json.loads(chief["posts"]) == ["街区长@善养街区网格", "负责人@示例·颐年茶室"]
    assert chief["kind"] == "" and chief["party_member"] == "false"


def test_table_has_title_rows_and_count(env: dict[str, str], sample_store: Neo4jStore) -> None:
    result = shanzhi({**env, "COLUMNS": "300"}, "--store", "neo4j", "cypher", "run", *ROSTER)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.splitlines()[0].strip() == "road_chief_roster"
    assert "4 rows" in out
    assert sum("│ P-ROAD-HTL " in line for line in out.splitlines()) == 4


def test_an_empty_answer_is_an_empty_list(env: dict[str, str], sample_store: Neo4jStore) -> None:
    args = ["shared_partners", "-p", "block_a=善业街区网格", "-p", "block_b=善学街区网格"]
    result = shanzhi(env, "--store", "neo4j", "cypher", "run", *args, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
