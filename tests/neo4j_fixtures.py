"""Neo4j for tests: a real server for the session, a cleared database for each test.

``neo4j_settings`` uses NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD / NEO4J_DATABASE when NEO4J_URI is
set; otherwise it starts the local server of ``scripts/neo4j-local`` for the session (and stops it
at the end, only if it started it). Without a Neo4j the tests fail when CI=true and are skipped,
with the reason, everywhere else.

``big_dataset`` builds a large, well-formed dataset in code, for loads long enough to interrupt.
"""

from __future__ import annotations

import dataclasses
import os
import shlex
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from shanzhi.config import Settings
from shanzhi.errors import StoreUnavailableError
from shanzhi.graph.model import Label, Node, Provenance, Relation, RelType, Scalar
from shanzhi.graph.model.dataset import Dataset
from shanzhi.graph.stores import load
from shanzhi.graph.stores.neo4j import Neo4jStore
from shanzhi.loaders import load_dataset
from shanzhi.sample import sample_path

__all__ = ["big_dataset", "neo4j_settings", "neo4j_store"]

REPO = Path(__file__).resolve().parents[1]
LOCAL = REPO / "scripts" / "neo4j-local"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"Neo4j tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"no Neo4j: {reason}")


def _local(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LOCAL), *args], capture_output=True, text=True, timeout=300, check=False
    )


def _parse_env(text: str) -> dict[str, str]:
    """``NAME=value`` lines (``export`` and shell quoting allowed) of ``neo4j-local env``."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        words = shlex.split(line, comments=True)
        if words[:1] == ["export"]:
            words = words[1:]
        for word in words:
            name, sep, value = word.partition("=")
            if sep and name.startswith("NEO4J_"):
                found[name] = value
    return found


def _settings_from(env: dict[str, str]) -> Settings:
    base = Settings(store="neo4j")
    batch = os.environ.get("SHANZHI_BATCH_SIZE", "")
    return dataclasses.replace(
        base,
        neo4j_uri=env.get("NEO4J_URI", base.neo4j_uri),
        neo4j_user=env.get("NEO4J_USERNAME") or env.get("NEO4J_USER", base.neo4j_user),
        neo4j_password=env.get("NEO4J_PASSWORD", base.neo4j_password),
        neo4j_database=env.get("NEO4J_DATABASE", base.neo4j_database),
        batch_size=int(batch) if batch.isdigit() and int(batch) > 0 else base.batch_size,
    )


@pytest.fixture(scope="session")
def neo4j_settings() -> Iterator[Settings]:
    """Settings that reach a real Neo4j for the whole session."""
    started = False
    if os.environ.get("NEO4J_URI"):
        settings = _settings_from(dict(os.environ))
    elif not LOCAL.exists():
        _unavailable("NEO4J_URI is not set and scripts/neo4j-local does not exist")
        return
    else:
        # `start` is idempotent and waits for a start in progress; we stop only what we started.
        started = _local("status").returncode != 0
        start = _local("start")
        if start.returncode != 0:
            _unavailable(
                f"`scripts/neo4j-local start` failed (exit {start.returncode}): "
                f"{(start.stderr or start.stdout).strip()[-2000:]}"
            )
        env = _local("env")
        if env.returncode != 0:
            _unavailable(f"`scripts/neo4j-local env` failed: {env.stderr.strip()[-2000:]}")
        settings = _settings_from(_parse_env(env.stdout))
    try:
        Neo4jStore.connect(settings).close()
    except StoreUnavailableError as exc:
        if started:
            _local("stop")
        _unavailable(str(exc))
    try:
        yield settings
    finally:
        if started:
            _local("stop")


@pytest.fixture
def neo4j_store(neo4j_settings: Settings) -> Iterator[Neo4jStore]:
    """A store on a database emptied before and after the test (constraints and indexes stay)."""
    store = Neo4jStore.connect(neo4j_settings)
    try:
        store.clear()
        yield store
        store.clear()
    finally:
        store.close()


@pytest.fixture(scope="module")
def sample_store(neo4j_settings: Settings) -> Iterator[Neo4jStore]:
    """The 共和新路 sample in an emptied Neo4j, for the whole module."""
    store = Neo4jStore.connect(neo4j_settings)
    try:
        store.clear()
        load(store, load_dataset(sample_path()))
        yield store
        store.clear()
    finally:
        store.close()


@pytest.fixture(scope="module")
def env(neo4j_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment that points a command run through CliRunner at the test Neo4j."""
    return {
        "NEO4J_URI": neo4j_settings.neo4j_uri,
        "NEO4J_USER": neo4j_settings.neo4j_user,
        "NEO4J_PASSWORD": neo4j_settings.neo4j_password,
        "NEO4J_DATABASE": neo4j_settings.neo4j_database,
        "SHANZHI_HOME": str(tmp_path_factory.mktemp("home")),
        "SHANZHI_STORE": "",
    }


def big_dataset(name: str, buildings: int) -> Dataset:
    """A five-level grid over ``buildings`` buildings: about 4 nodes and 4 relations per building.

    Every building has its building grid (covering it), a 楼组长 holding that grid and a
    楼管小组 serving it; 20 buildings make a branch (led by a party branch), 10 branches a
    community, 5 communities a block, all under one street grid.
    """
    nodes: list[Node] = []
    rels: list[Relation] = []
    line = iter(range(2, 10**9))

    def add(node_id: str, label: Label, nm: str, kind: str | None, **props: Scalar) -> None:
        nodes.append(
            Node(
                id=node_id,
                label=label,
                name=nm,
                kind=kind,
                props=props,
                provenance=Provenance(file="big.csv", line=next(line)),
            )
        )

    def link(
        s: str, t: RelType, o: str, role: str | None = None, valid_from: date | None = None
    ) -> None:
        rels.append(
            Relation(
                source_id=s,
                type=t,
                target_id=o,
                role=role,
                valid_from=valid_from,
                provenance=Provenance(file="relations.csv", line=next(line)),
            )
        )

    add("S", Label.GRID, "测试街道总网格", "street")
    branches = (buildings + 19) // 20
    communities = (branches + 9) // 10
    blocks = (communities + 4) // 5
    for k in range(blocks):
        add(f"K{k}", Label.GRID, f"测试街区{k}", "block")
        link(f"K{k}", RelType.PART_OF, "S")
    for c in range(communities):
        add(f"C{c}", Label.GRID, f"测试居民区{c}", "community")
        link(f"C{c}", RelType.PART_OF, f"K{c // 5}")
    for r in range(branches):
        add(f"R{r}", Label.GRID, f"测试支部网格{r}", "branch")
        link(f"R{r}", RelType.PART_OF, f"C{r // 10}")
        add(f"PB{r}", Label.ORG, f"测试第{r}党支部", "party_branch")
        link(f"PB{r}", RelType.LEADS, f"R{r}")
    for b in range(buildings):
        add(f"GB{b}", Label.GRID, f"测试楼组网格{b}", "building")
        link(f"GB{b}", RelType.PART_OF, f"R{b // 20}")
        add(
            f"B{b}",
            Label.PLACE,
            f"测试小区{b}号楼",
            "building",
            address=f"测试路{b}号",
            aliases=[f"{b}号楼", f"{b}幢"],
            households=b % 97,
            area=round(b * 1.5, 1),
        )
        link(f"GB{b}", RelType.COVERS, f"B{b}")
        add(f"P{b}", Label.PERSON, f"张测试{b}", None, party_member=b % 3 == 0)
        link(f"P{b}", RelType.HOLDS, f"GB{b}", role="楼组长", valid_from=date(2024, 1, 1))
        add(f"M{b}", Label.ORG, f"测试{b}号楼楼管小组", "building_management_group")
        link(f"M{b}", RelType.SERVES, f"B{b}")
        link(f"P{b}", RelType.MEMBER_OF, f"M{b}")
    return Dataset(name=name, nodes=tuple(nodes), relations=tuple(rels))
