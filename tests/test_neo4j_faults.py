"""Neo4j faults a user meets as one sentence, never a traceback, and never with a password.

Through the real command (``shanzhi`` in a new process, or CliRunner) against the real Neo4j:
``NEO4J_DATABASE=system``; a load whose transaction another session terminated (then a re-run
converges); a password given inside ``NEO4J_URI`` (``bolt://user:pass@host``), which is used to
log in but never printed, whatever fails.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner, Result

from shanzhi.cli import main
from shanzhi.config import Settings
from shanzhi.graph.stores.neo4j import Neo4jStore
from shanzhi.graph.stores.snapshot import Snapshot
from shanzhi.loaders import load_dataset
from shanzhi.sample import sample_path

pytestmark = pytest.mark.neo4j

SHANZHI = [sys.executable, "-m", "shanzhi"]


def said(result: Result | subprocess.CompletedProcess[str]) -> str:
    """stderr as one line (rich wraps it at the console width)."""
    return " ".join(result.stderr.split())


def _uri_with(settings: Settings, user: str, password: str) -> str:
    scheme, rest = settings.neo4j_uri.split("://", 1)
    return f"{scheme}://{user}:{password}@{rest}"


def test_the_system_database_is_one_sentence(env: dict[str, str]) -> None:
    result = CliRunner().invoke(
        main, ["--store", "neo4j", "stats"], env={**env, "NEO4J_DATABASE": "system"}
    )
    assert result.exit_code == 3
    assert result.stdout == ""
    assert said(result) == (
        "错误 error: NEO4J_DATABASE=system 是 Neo4j 自己的管理库，不存放图谱 "
        "(NEO4J_DATABASE=system is Neo4j's own administration database and holds no graph); "
        "set NEO4J_DATABASE to neo4j or another database of the server."
    )


def test_a_password_in_the_uri_logs_in_and_is_never_printed(
    neo4j_settings: Settings, env: dict[str, str]
) -> None:
    secret = neo4j_settings.neo4j_password
    unset: dict[str, str | None] = {
        name: None for name in ("NEO4J_USER", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_AUTH")
    }
    base = {**env, **unset}
    good = _uri_with(neo4j_settings, neo4j_settings.neo4j_user, secret)
    ok = CliRunner().invoke(
        main, ["--store", "neo4j", "stats", "--json"], env={**base, "NEO4J_URI": good}
    )
    assert ok.exit_code == 0, ok.output
    wrong = _uri_with(neo4j_settings, neo4j_settings.neo4j_user, "not-" + secret)
    closed = f"bolt://neo4j:{secret}@127.0.0.1:1"
    for uri in (wrong, closed, f"http://neo4j:{secret}@127.0.0.1:7474"):
        bad = CliRunner().invoke(
            main, ["--store", "neo4j", "stats"], env={**base, "NEO4J_URI": uri}
        )
        assert bad.exit_code == 3, bad.output
        assert secret not in bad.output, bad.output
        assert "Traceback" not in bad.output
        assert said(bad).startswith("错误 error: ") and said(bad).endswith("."), said(bad)


def _terminate(settings: Settings, dataset: str, what: str, deadline: float) -> int:
    """Terminate the running transactions of this test's own load that say they are ``what``
    (by their metadata: nobody else's transaction is touched)."""
    auth = (settings.neo4j_user, settings.neo4j_password)
    with neo4j.GraphDatabase.driver(settings.neo4j_uri, auth=auth) as driver:
        while time.monotonic() < deadline:
            rows, _, _ = driver.execute_query(
                "SHOW TRANSACTIONS YIELD transactionId AS t, metaData "
                "WHERE metaData.dataset = $d AND metaData.shanzhi = $what "
                "TERMINATE TRANSACTIONS t YIELD transactionId, message "
                "RETURN count(*) AS n",
                d=dataset,
                what=what,
                database_=settings.neo4j_database,
            )
            if rows[0]["n"]:
                return int(rows[0]["n"])
            time.sleep(0.02)
    return 0


def _load(folder: Path, name: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*SHANZHI, "--store", "neo4j", "load", str(folder), "--name", name, "--json"],
        env={**os.environ, **env, "SHANZHI_BATCH_SIZE": "20", "COLUMNS": "200"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("what", ["load batch", "load lock"])
def test_a_load_whose_transaction_was_terminated_is_one_sentence_and_converges(
    what: str, neo4j_store: Neo4jStore, neo4j_settings: Settings, env: dict[str, str],
    tmp_path: Path,
) -> None:  # fmt: skip
    folder = sample_path()
    name = f"terminated_{what.split()[1]}_{os.getpid()}"
    child = _load(folder, name, env)
    try:
        ended = _terminate(neo4j_settings, name, what, time.monotonic() + 120)
        out, err = child.communicate(timeout=300)
    finally:
        if child.poll() is None:
            child.kill()
    assert ended >= 1, f"the load's {what} transaction was never seen running"
    assert "Traceback" not in err
    line = " ".join(err.split())
    # A batch's transaction ended: the driver may run it again and finish. The lock's: the load
    # takes the lock again and finishes (no other load changed the dataset meanwhile). Or, if
    # it ended at the very start, the load stops with one sentence and a re-run does it all.
    if child.returncode != 0:
        assert child.returncode == 3, (out, err)
        assert line.startswith("错误 error: ") and line.count(". ") == 0, line
        assert (
            "另一个会话终止了" in line and "another session terminated this transaction" in line
        ) or ("的加载锁被另一个会话终止" in line and "was ended by another session" in line), line
    if child.returncode != 0:
        assert neo4j_store.loads(name) == [], "no load record for a load that did not finish"
        again = _load(folder, name, env)
        out, err = again.communicate(timeout=300)
        assert again.returncode == 0, err
    assert json.loads(out)["load"] == 1
    ds = load_dataset(folder, name=name)
    assert neo4j_store.snapshot(name) == Snapshot.of(ds.stored_nodes(), ds.stored_relations())
