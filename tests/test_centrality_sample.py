"""Centrality on the 共和新路 sample: every block has a circle, the article's ties are there, both
stores give identical JSON, and the command prints what spec/cli.md says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from shanzhi.cli import main
from shanzhi.config import Settings
from shanzhi.graph.analytics.centrality import centrality
from shanzhi.graph.analytics.circle import circles
from shanzhi.graph.model.dataset import Dataset
from shanzhi.graph.stores import load
from shanzhi.graph.stores.embedded import EmbeddedStore
from shanzhi.graph.stores.neo4j import Neo4jStore
from shanzhi.loaders import load_dataset
from shanzhi.sample import sample_path

BLOCKS = {
    "G-BLK-SHANYE": "善业街区网格",
    "G-BLK-SHANXUE": "善学街区网格",
    "G-BLK-SHANJU": "善居街区网格",
    "G-BLK-SHANYANG": "善养街区网格",
}
MEMBER_FIELDS = {
    "id",
    "name",
    "kind",
    "degree",
    "weighted_degree",
    "betweenness",
    "closeness",
    "pagerank",
    "eigenvector",
    "community",
}


@pytest.fixture(scope="module")
def sample() -> Dataset:
    return load_dataset(sample_path())


@pytest.fixture(scope="module")
def home(sample: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("home")
    load(EmbeddedStore(path), sample)
    return path


def test_every_block_has_a_circle(home: Path) -> None:
    result = centrality(EmbeddedStore(home))
    found = {b["block"]["id"]: b for b in result["blocks"]}
    assert {k: b["block"]["name"] for k, b in found.items()} == BLOCKS
    for block in found.values():
        assert block["size"] >= 10 and block["ties"] >= 5 and not block["sampled"]
        assert len(block["members"]) == block["size"]
        betweenness = [m["betweenness"] for m in block["members"]]
        assert betweenness == sorted(betweenness, reverse=True)
        assert all(m.keys() >= MEMBER_FIELDS for m in block["members"])


def test_the_coach_station_and_the_bus_company_share_the_tomb_sweeping_line(home: Path) -> None:
    (c,) = circles(EmbeddedStore(home), "善养街区网格")
    by_name = {m.name: uid for uid, m in c.members.items()}
    tie = c.tie(by_name["沪太路长途客运站"], by_name["交运巴士"])
    assert tie is not None
    assert [c.through[p].name for p in tie.projects] == ["祭扫班线"]


@pytest.mark.neo4j
def test_both_stores_give_identical_json(
    home: Path, sample: Dataset, neo4j_store: Neo4jStore
) -> None:
    load(neo4j_store, sample)
    embedded = EmbeddedStore(home)
    for block, own in ((None, False), (None, True), ("善养街区网格", False)):
        mine = json.dumps(centrality(embedded, block, include_own=own), ensure_ascii=False)
        theirs = json.dumps(centrality(neo4j_store, block, include_own=own), ensure_ascii=False)
        assert theirs == mine


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_command_json(home: Path) -> None:
    code, out, _ = _run("--home", str(home), "centrality", "--json", "--top", "3")
    assert code == 0
    doc = json.loads(out)
    assert [len(b["members"]) for b in doc["blocks"]] == [3, 3, 3, 3]
    assert all(b["sampled"] is False for b in doc["blocks"])


def test_command_report_says_why(home: Path) -> None:
    code, out, _ = _run("--home", str(home), "centrality", "--block", "G-BLK-SHANYANG")
    assert code == 0
    assert out.startswith("善养街区网格（G-BLK-SHANYANG）善治朋友圈：")
    assert "共同参与「祭扫班线」（与 交运巴士）" in out


def test_command_errors(home: Path) -> None:
    code, _, err = _run("--home", str(home), "centrality", "--block", "善福街区")
    assert code == 1
    assert err.startswith("错误 error: no block grid '善福街区'; ")
    code, _, err = _run("--home", str(home), "centrality", "--write-back")
    assert (code, err) == (
        2,
        "错误 error: --write-back stores scores in Neo4j; use it with --store neo4j.\n",
    )


@pytest.mark.neo4j
def test_command_writes_back(
    sample: Dataset, neo4j_store: Neo4jStore, neo4j_settings: Settings
) -> None:
    load(neo4j_store, sample)
    env = {
        "NEO4J_URI": neo4j_settings.neo4j_uri,
        "NEO4J_USER": neo4j_settings.neo4j_user,
        "NEO4J_PASSWORD": neo4j_settings.neo4j_password,
        "NEO4J_DATABASE": neo4j_settings.neo4j_database,
    }
    args = ("--store", "neo4j", "centrality", "--write-back", "--json", "--top", "1")
    code, out, err = _run(*args, env=env)
    assert code == 0, err
    assert [len(b["members"]) for b in json.loads(out)["blocks"]] == [1, 1, 1, 1]
    assert err.count("stored run ") == 4
    rows = neo4j_store.query("MATCH (:CentralityRun)-[s:SCORED]->() RETURN count(s) AS n")
    assert rows[0]["n"] == sum(b["size"] for b in centrality(neo4j_store)["blocks"])


@pytest.mark.neo4j
def test_both_stores_agree_on_synthetic_streets(tmp_path: Path, neo4j_store: Neo4jStore) -> None:
    from shanzhi.synth import synth

    synth(tmp_path / "synth", streets=1, seed=11)
    ds = load_dataset(tmp_path / "synth")
    embedded = EmbeddedStore(tmp_path / "home")
    load(embedded, ds)
    load(neo4j_store, ds)
    for own in (False, True):
        mine = [c.as_dict() for c in circles(embedded, include_own=own)]
        assert [c.as_dict() for c in circles(neo4j_store, include_own=own)] == mine
        assert centrality(neo4j_store, include_own=own) == centrality(embedded, include_own=own)
    assert len(mine) == 4 and all(len(c["members"]) >= 15 for c in mine)
