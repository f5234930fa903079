"""The who-covers and audit commands through click's CliRunner: exit codes 0 / 1 / 2 and the
exact sentences a user sees, JSON equal to the library's, on the embedded store and on Neo4j."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from shanzhi.cli import main
from shanzhi.config import Settings
from shanzhi.graph.queries.audit import GAP_KINDS, audit
from shanzhi.graph.queries.who_covers import who_covers
from shanzhi.graph.stores import load
from shanzhi.graph.stores.embedded import EmbeddedStore
from shanzhi.graph.stores.neo4j import Neo4jStore
from shanzhi.render import console
from tests.test_who_covers_support import embedded_holding, sample_dataset

DAY = "2025-07-01"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli-home")
    embedded_holding(path, sample_dataset())
    return path


@pytest.fixture(autouse=True)
def _unwrapped_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Error sentences are compared whole, so the 80-column test terminal must not wrap them."""
    monkeypatch.setattr(console.err, "soft_wrap", True)


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_json_is_the_library_answer(home: Path) -> None:
    code, out, err = run(
        "--home", str(home), "who-covers", "嘉利明珠城十二号楼", "--on", DAY, "--json"
    )
    assert (code, err) == (0, "")
    expected = who_covers(EmbeddedStore(home), "嘉利明珠城十二号楼", on=DAY)
    assert json.loads(out) == expected
    assert expected["building"]["id"] == "P-JLMZ-B12"
    assert list(expected)[:2] == ["building", "match"] and expected["match"] == "exact"
    by_id = who_covers(EmbeddedStore(home), "P-JLMZ-B12", on=DAY)
    assert by_id == {**expected, "match": "id"}


def test_the_tree_says_how_it_matched(home: Path) -> None:
    code, out, _ = run("--home", str(home), "who-covers", "佳丽名珠城十二号", "--on", DAY)
    assert code == 0
    assert out.splitlines()[1] == "├── 匹配：同音字（a homophone）"


def test_a_guess_is_asked_as_a_question_exit_2(home: Path) -> None:
    code, out, err = run("--home", str(home), "who-covers", "嘉利明珠12号楼", "--on", DAY)
    assert (code, out) == (2, "")
    assert err == (
        "您要找的是「嘉利明珠城12号楼」（P-JLMZ-B12）吗？「嘉利明珠12号楼」与它不完全相符。 "
        "Did you mean 嘉利明珠城12号楼 (P-JLMZ-B12)? '嘉利明珠12号楼' only resembles it.\n"
        "  P-JLMZ-B12  嘉利明珠城12号楼  共和新路2288弄12号\n"
        "是这栋楼就加上 --accept-guess 再查。 If it is, ask again with --accept-guess.\n"
    )


def test_accept_guess_answers_and_says_it_guessed(home: Path) -> None:
    args = ("--home", str(home), "who-covers", "嘉利明珠12号楼", "--on", DAY, "--accept-guess")
    code, out, err = run(*args, "--json")
    assert (code, err) == (0, "")
    answer = json.loads(out)
    assert answer["building"]["id"] == "P-JLMZ-B12" and answer["match"] == "guess"
    code, out, _ = run(*args)
    assert code == 0
    assert (
        out.splitlines()[1]
        == "├── 匹配：猜测 — 您要找的是这栋楼吗？（a guess: is this the building?）"
    )


def test_accept_guess_never_picks_one_of_several(home: Path) -> None:
    code, _, err = run("--home", str(home), "who-covers", "3号楼", "--accept-guess")
    assert code == 2 and err.startswith("错误 error: 「3号楼」有 4 栋楼相符")


def test_the_tree_reads_nearest_first_with_masked_phones(home: Path) -> None:
    code, out, _ = run("--home", str(home), "who-covers", "共和新路2288弄8号", "--on", DAY)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "嘉利明珠城8号楼（P-JLMZ-B08） · 共和新路2288弄8号 · 2025-07-01"
    levels = [
        "党小组和楼组网格：",
        "党支部带楼群网格：",
        "居民区网格：",
        "街区网格：",
        "街道总网格：",
    ]
    at = [next(i for i, line in enumerate(lines) if level in line) for level in levels]
    assert at == sorted(at)
    for role in (
        "楼组长：",
        "第二楼组长：",
        "路长（共和新路，当日值班）：",
        "楼管小组成员：",
        "社工：",
    ):
        assert role in out
    assert "138****" in out
    phones = [str(n.props["phone"]) for n in sample_dataset().nodes if n.props.get("phone")]
    assert not any(p in out for p in phones)


def test_show_contact_prints_phones_in_full(home: Path) -> None:
    code, out, _ = run(
        "--home", str(home), "who-covers", "P-JLMZ-B08", "--on", DAY, "--show-contact", "--json"
    )
    assert code == 0
    people = [p for s in json.loads(out)["chain"] for p in s["people"] if "phone" in p]
    assert people and all("*" not in p["phone"] for p in people)


def test_not_found_says_so_and_suggests_exit_1(home: Path) -> None:
    code, out, err = run("--home", str(home), "who-covers", "嘉利明珠城99号楼")
    assert (code, out) == (1, "")
    assert err == (
        "错误 error: 没有与「嘉利明珠城99号楼」相符的楼栋，请核对楼号（最接近的见下）。 "
        "No building matches '嘉利明珠城99号楼'; check the number (closest names below).\n"
        "最接近的 closest: 嘉利明珠城26号楼、嘉利明珠城25号楼、嘉利明珠城24号楼、嘉利明珠城23号楼、"
        "嘉利明珠城22号楼\n"
    )


def test_an_unknown_name_is_not_found_exit_1(home: Path) -> None:
    code, _, err = run("--home", str(home), "who-covers", "不存在花园1号楼")
    assert code == 1
    assert err == (
        "错误 error: 没有与「不存在花园1号楼」相符的楼栋，请核对名称和楼号。 "
        "No building matches '不存在花园1号楼'; check the name and the number.\n"
    )


def test_a_road_one_suffix_away_is_not_found_exit_1(home: Path) -> None:
    code, out, err = run("--home", str(home), "who-covers", "共和新支路2288弄12号")
    assert (code, out) == (1, "")
    assert "没有与「共和新支路2288弄12号」相符的楼栋" in err


def test_ambiguous_lists_the_candidates_exit_2(home: Path) -> None:
    code, out, err = run("--home", str(home), "who-covers", "3号楼")
    assert (code, out) == (2, "")
    assert err == (
        "错误 error: 「3号楼」有 4 栋楼相符，请加上楼号、道路或小区名，或给出下列编号之一。 "
        "'3号楼' matches 4 buildings; add the number, road or estate, or give one of these ids.\n"
        "  P-JLMZ-B03  嘉利明珠城3号楼  共和新路2288弄3号\n"
        "  P-LC1100-B03  洛川中路1100弄3号楼  洛川中路1100弄3号\n"
        "  P-LXY-B03  示例·兰馨苑3号楼  沪太路1999弄3号\n"
        "  P-QCXY-B03  示例·晴川新苑3号楼  延长中路1801弄3号\n"
    )


def test_a_bad_date_is_a_usage_error_exit_2(home: Path) -> None:
    code, _, err = run("--home", str(home), "who-covers", "P-JLMZ-B08", "--on", "2026-13-01")
    assert code == 2
    assert err == "错误 error: the date '2026-13-01' is not a day; write it as YYYY-MM-DD.\n"


def test_an_empty_building_is_a_usage_error_exit_2(home: Path) -> None:
    code, _, err = run("--home", str(home), "who-covers", "  ")
    assert code == 2
    assert err == (
        "错误 error: 要找的楼栋是空的，请给出编号、名称或地址。 "
        "The building to look for is empty; give an id, a name or an address.\n"
    )


def test_audit_json_has_exactly_the_spec_keys(home: Path) -> None:
    code, out, _ = run("--home", str(home), "audit", "--on", "2027-01-01", "--json")
    assert code == 0
    doc = json.loads(out)
    assert list(doc) == list(GAP_KINDS)
    assert doc == audit(EmbeddedStore(home), on="2027-01-01")
    assert {v["role"] for v in doc["vacant_posts"]} == {"路长"}


def test_audit_report(home: Path) -> None:
    code, out, _ = run("--home", str(home), "audit", "--on", "2026-06-30")
    assert code == 0
    assert out.splitlines() == [
        "无网格覆盖的楼栋：无",
        "无党组织引领的网格：无",
        "没有党员的楼管小组：无",
        "没有联系社工的党支部：无",
        "空缺岗位：无",
    ]
    code, out, _ = run("--home", str(home), "audit", "--on", "2027-01-01")
    assert code == 0 and "空缺岗位（6）" in out and "共和新路" in out


@pytest.mark.parametrize("command", ["who-covers", "audit"])
def test_help_has_an_example(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0 and "Example:" in out and f"shanzhi {command}" in out


@pytest.mark.neo4j
def test_the_same_answers_from_neo4j(
    home: Path, neo4j_store: Neo4jStore, neo4j_settings: Settings
) -> None:
    load(neo4j_store, sample_dataset())
    env = {
        "NEO4J_URI": neo4j_settings.neo4j_uri,
        "NEO4J_USER": neo4j_settings.neo4j_user,
        "NEO4J_PASSWORD": neo4j_settings.neo4j_password,
        "NEO4J_DATABASE": neo4j_settings.neo4j_database,
    }
    for args in (
        ("who-covers", "佳丽名珠城十二号", "--on", DAY, "--json"),
        ("who-covers", "沪太路1999弄4号", "--on", "2024-05-01", "--json"),
        ("audit", "--on", "2027-01-01", "--json"),
    ):
        code, out, err = run("--store", "neo4j", *args, env=env)
        assert (code, err) == (0, "")
        assert json.loads(out) == json.loads(run("--home", str(home), *args)[1])
    code, _, err = run("--store", "neo4j", "who-covers", "3号楼", env=env)
    assert code == 2 and err.startswith("错误 error: 「3号楼」有 4 栋楼相符")
    code, _, err = run("--store", "neo4j", "who-covers", "嘉利明珠12号楼", env=env)
    assert code == 2 and err.startswith("您要找的是「嘉利明珠城12号楼」（P-JLMZ-B12）吗？")
