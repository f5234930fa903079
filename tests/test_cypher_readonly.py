"""`shanzhi cypher run` cannot change the graph unless --write is given, proved on a real Neo4j.

Through the command itself (CliRunner, ``--store neo4j``, the sample loaded): an injection corpus
(quotes of every kind, braces, comments, backticks, label tricks, ``MATCH (n) DETACH DELETE n``,
``'; CREATE (x)``) through every parameter of every library query, and ``--file`` statements that
write in every way Cypher allows (plain, after a read and ``;``, in a CALL subquery, in
``CALL … IN TRANSACTIONS``, with LOAD CSV, FOREACH, MERGE, procedures, schema and admin commands).
After each, everything the database holds — every node and relation with its labels, type and
properties, the label and type tokens, the indexes and constraints — is what it was before; every
write is refused with one sentence and exit code 2. With --write a harmless write does happen.
And below the command: a write sent in a READ transaction is refused by the server itself.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import neo4j
import pytest
from click.testing import CliRunner, Result
from neo4j import exceptions as nex

from shanzhi.cli import main
from shanzhi.config import Settings
from shanzhi.cypher import names, query
from shanzhi.graph.stores.neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j

#: Values an attacker (or a careless paste) might give a parameter.
CORPUS = [
    "'",
    '"',
    "\\",
    "\\'",
    "}",
    "{",
    "'}) RETURN 1 //",
    "//",
    "/* */",
    "MATCH (n) DETACH DELETE n",
    "'; MATCH (n) DETACH DELETE n; //",
    "x' OR 1=1 OR 'x",
    "`",
    "`) DETACH DELETE n //",
    ":Entity:Evil",
    "n:Evil SET n.pwned = true",
    "$dataset",
    "'; CREATE (x) //",
    '"; CREATE (x) //',
    "‘; CREATE (x) //’",
    "“) CREATE (x) //”",
    "＇；CREATE (x)",
    "\n CREATE (x)",
    "\x00",
    "1; CREATE (x)",
    "2026-11-27' OR '1'='1",
]

REFUSED = "{name} would change the graph (query type {kind}); nothing was run. " + (
    "Add --write if that is what you want."
)
LOAD_CSV_REFUSED = (
    "{name} reads files or web addresses through the Neo4j server (LOAD CSV); nothing was run. "
    "Add --write if that is what you want."
)
NOT_PLAIN = (
    "{name} 不只是读取图谱（{what}），未执行；确需如此请加 --write ({name} is more than a plain "
    "read of the graph ({what}); nothing was run. Add --write if that is what you want.)"
)

#: Procedure calls refused before the server is asked anything (not a read-only procedure).
CALLS = {"create_label": "CALL db.createLabel", "clear_caches": "CALL db.clearQueryCaches"}

#: --file statements the server calls reads (or that it never gets to see) which still reach
#: past the graph: other sessions' work, the server's settings and folders, other users'
#: queries, another database. Each with what the refusal names.
SERVER_ACTIONS: dict[str, tuple[str, str]] = {
    "terminate": (
        "SHOW TRANSACTIONS YIELD transactionId AS t, metaData WHERE metaData.probe = 'x' "
        "TERMINATE TRANSACTIONS t YIELD transactionId, message RETURN transactionId, message",
        "SHOW",
    ),
    "terminate_by_id": ("TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "TERMINATE"),
    "show_transactions": ("SHOW TRANSACTIONS YIELD currentQuery RETURN currentQuery", "SHOW"),
    "show_settings": ("SHOW SETTINGS YIELD name, value RETURN name, value", "SHOW"),
    "show_lowercase": ("show /* hidden */ settings", "SHOW"),
    "show_procedures": ("SHOW PROCEDURES YIELD name RETURN name", "SHOW"),
    "list_config": ("CALL dbms.listConfig() YIELD name RETURN name", "CALL dbms.listConfig"),
    "list_config_quoted": ("CALL `dbms`.`listConfig`() YIELD name", "CALL dbms.listConfig"),
    "kill_connections": ("CALL dbms.killConnections(['bolt-1'])", "CALL dbms.killConnections"),
    "list_connections": ("CALL dbms.listConnections()", "CALL dbms.listConnections"),
    "query_jmx": ("CALL dbms.queryJmx('*:*') YIELD name RETURN name", "CALL dbms.queryJmx"),
    "other_queries": ("CALL db.stats.retrieve('QUERIES') YIELD data", "CALL db.stats.retrieve"),
    "collect_queries": ("CALL db.stats.collect('QUERIES')", "CALL db.stats.collect"),
    "optional_call": ("OPTIONAL CALL dbms.components() YIELD name", "CALL dbms.components"),
    "use_system": ("USE system SHOW USERS", "USE"),
    "use_in_subquery": ("CALL () { USE neo4j MATCH (n) RETURN count(n) AS n } RETURN n", "USE"),
    "use_quoted": ("USE `system` MATCH (n) RETURN n", "USE"),
}  # fmt: skip

#: --file statements that would write, with the query type the server gives them (None: the
#: server cannot even parse them as one statement).
WRITES: dict[str, tuple[str, str | None]] = {
    "plain": ("CREATE (x:Evil {pwned: true})", "w"),
    "plain_returning": ("CREATE (x:Evil {pwned: true}) RETURN x", "rw"),
    "read_then_write": ("MATCH (n) RETURN count(n) AS n; CREATE (x:Evil)", None),
    "read_then_write_unicode": ("MATCH (n) RETURN count(n) AS n；CREATE (x:Evil)", None),
    "call_subquery": ("MATCH (n:Grid) CALL (n) { CREATE (:Evil)-[:PWNED]->(n) } RETURN n", "rw"),
    "call_braces": ("CALL { CREATE (x:Evil) } RETURN 1 AS one", "rw"),
    "in_transactions": (
        "UNWIND [1] AS i CALL (i) { CREATE (:Evil) } IN TRANSACTIONS RETURN i",
        "rw",
    ),
    "detach_delete": ("MATCH (n) DETACH DELETE n", "w"),
    "set_property": ("MATCH (n:Entity) SET n.name = 'pwned' RETURN count(n)", "rw"),
    "remove_label": ("MATCH (n:Grid) REMOVE n:Grid RETURN count(n)", "rw"),
    "merge": ("MERGE (x:Entity {uid: 'evil'}) RETURN x", "rw"),
    "foreach": ("FOREACH (i IN [1] | CREATE (:Evil))", "w"),
    "create_label": ("CALL db.createLabel('Evil')", "w"),
    "create_index": ("CREATE INDEX evil IF NOT EXISTS FOR (n:Evil) ON (n.x)", "s"),
    "drop_constraint": ("DROP CONSTRAINT entity_uid IF EXISTS", "s"),
    "create_user": ("CREATE USER evil SET PASSWORD 'evil-evil-evil'", "s"),
    "clear_caches": ("CALL db.clearQueryCaches()", "s"),
    "load_csv_write": ("LOAD CSV FROM 'file:///etc/hostname' AS row CREATE (:Evil {r: row})", "w"),
    "load_csv_read": ("LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row", "load csv"),
    "load_csv_hidden": (
        "LOAD/* hidden */CSV FROM 'file:///etc/passwd' AS row RETURN row",
        "load csv",
    ),
    "param_write": ("MATCH (n:Entity {uid: $uid}) SET n.name = $name RETURN n.uid", "rw"),
    "header_then_write": (
        "// title: 无害 — Harmless\n// answers: Nothing.\n// returns: n\n"
        "MATCH (n) WITH count(n) AS n CREATE (:Evil) RETURN n",
        "rw",
    ),
}


def state(store: Neo4jStore) -> dict[str, Any]:
    """Everything the database holds, as counts and a digest of every record."""
    digest = hashlib.sha256()
    rows = store.query(
        "MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props "
        "ORDER BY n.uid, id"
    )
    rels = store.query(
        "MATCH (a)-[r]->(b) RETURN a.uid AS a, type(r) AS type, b.uid AS b, "
        "properties(r) AS props ORDER BY r.uid, a, b"
    )
    for row in rows + rels:
        row.pop("id", None)
        digest.update(json.dumps(row, sort_keys=True, ensure_ascii=False, default=str).encode())
    schema = store.query("SHOW INDEXES YIELD name RETURN collect(name) AS names")
    return {
        "nodes": len(rows),
        "relations": len(rels),
        "digest": digest.hexdigest(),
        "labels": sorted(r["label"] for r in store.query("CALL db.labels()")),
        "types": sorted(r["relationshipType"] for r in store.query("CALL db.relationshipTypes()")),
        "keys": sorted(r["propertyKey"] for r in store.query("CALL db.propertyKeys()")),
        "indexes": sorted(schema[0]["names"]),
    }


def cli(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, ["--store", "neo4j", "cypher", "run", *args], env=env)


def said(result: Result) -> str:
    """What the command wrote on stderr, as one line (rich wraps it at the console width)."""
    return " ".join(result.stderr.split())


def _param_args(params: dict[str, str]) -> list[str]:
    return [arg for k, v in params.items() for arg in ("-p", f"{k}={v}")]


@pytest.mark.parametrize("name", names())
def test_injection_through_every_parameter_changes_nothing(
    name: str, sample_store: Neo4jStore, env: dict[str, str]
) -> None:
    q = query(name)
    examples = {p.name: p.example or "" for p in q.params}
    before = state(sample_store)
    for p in q.params:
        for value in CORPUS:
            result = cli(env, name, *_param_args({**examples, p.name: value}))
            where = f"{name} -p {p.name}={value!r}: {result.output!r}"
            if p.type in ("string", "list<string>"):
                # text is data: the query runs and answers, whatever the text says
                assert result.exit_code == 0, where
            else:
                assert result.exit_code == 2, where
                assert said(result).startswith(f"错误 error: parameter {p.name} of {name} must be ")
                assert said(result).endswith(".") and said(result).count(". ") == 0, where
            assert result.exception is None or isinstance(result.exception, SystemExit), where
    assert state(sample_store) == before


@pytest.mark.parametrize("case", sorted(WRITES))
def test_a_file_that_writes_is_refused_and_changes_nothing(
    case: str, sample_store: Neo4jStore, env: dict[str, str], tmp_path: Path
) -> None:
    text, kind = WRITES[case]
    path = tmp_path / f"{case}.cypher"
    path.write_text(text + "\n", encoding="utf-8")
    params = {"uid": "gonghexinlu:G-STREET", "name": "pwned"} if "$uid" in text else {}
    before = state(sample_store)
    result = cli(env, "--file", str(path), *_param_args(params))
    assert result.exit_code == 2, result.output
    if case.startswith("load_csv"):  # refused before the server is asked anything
        assert said(result) == f"错误 error: {LOAD_CSV_REFUSED.format(name=case)}"
    elif case in CALLS:  # likewise: no procedure but the read-only ones
        assert said(result) == f"错误 error: {NOT_PLAIN.format(name=case, what=CALLS[case])}"
    elif kind is None:
        assert said(result).startswith(f"错误 error: {case} is not valid Cypher: ")
    else:
        assert said(result) == f"错误 error: {REFUSED.format(name=case, kind=kind)}"
    assert result.stdout == ""
    assert state(sample_store) == before


def test_the_server_says_what_each_write_is(sample_store: Neo4jStore) -> None:
    for case, (text, kind) in WRITES.items():
        if kind in ("w", "rw", "s"):
            params = {"uid": "x", "name": "y"} if "$uid" in text else {}
            assert sample_store.query_type(text, params) == kind, case


def test_library_queries_pass_the_same_checks(
    sample_store: Neo4jStore, env: dict[str, str]
) -> None:
    before = state(sample_store)
    result = cli(env, "people_many_posts", "-p", "dataset=gonghexinlu", "-p", "more_than=2")
    assert result.exit_code == 0, result.output
    assert "贺示例珍" in result.stdout
    assert state(sample_store) == before


def test_a_read_file_runs(sample_store: Neo4jStore, env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "mine.cypher"
    path.write_text(
        "// CREATE (x) in a comment is no write\n"
        "MATCH (g:Grid {level: 'block'}) WHERE g.name = $name\n"
        "RETURN g.id AS id, 'CREATE' AS word\n",
        encoding="utf-8",
    )
    before = state(sample_store)
    result = cli(env, "--file", str(path), "-p", "name=善养街区网格", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"id": "G-BLK-SHANYANG", "word": "CREATE"}]
    assert state(sample_store) == before


def test_with_write_a_harmless_write_happens(
    sample_store: Neo4jStore, env: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "note.cypher"
    path.write_text("CREATE (x:ShanzhiNote {text: $text}) RETURN x.text AS text\n", "utf-8")
    before = state(sample_store)
    try:
        result = cli(env, "--file", str(path), "-p", "text=巡查记录", "--write", "--format", "csv")
        assert result.exit_code == 0, result.output
        assert result.stdout == "text\n巡查记录\n"
        notes = sample_store.query("MATCH (x:ShanzhiNote) RETURN x.text AS text")
        assert notes == [{"text": "巡查记录"}]
        assert state(sample_store)["nodes"] == before["nodes"] + 1
    finally:
        sample_store.query("MATCH (x:ShanzhiNote) DELETE x", write=True)
    assert sample_store.query("MATCH (x:ShanzhiNote) RETURN count(x) AS n") == [{"n": 0}]


def test_a_read_transaction_refuses_a_write_by_itself(sample_store: Neo4jStore) -> None:
    """Below the EXPLAIN check: Neo4j 5 enforces READ access mode on a single server too."""
    before = state(sample_store)
    for text, _ in (WRITES["plain"], WRITES["call_subquery"], WRITES["create_label"]):
        with pytest.raises(nex.ClientError) as caught:
            sample_store.query(text)
        assert caught.value.code == "Neo.ClientError.Statement.AccessMode"
    assert state(sample_store) == before


@pytest.mark.parametrize("case", sorted(SERVER_ACTIONS))
def test_a_read_that_acts_on_the_server_is_refused(
    case: str, sample_store: Neo4jStore, env: dict[str, str], tmp_path: Path
) -> None:
    text, what = SERVER_ACTIONS[case]
    path = tmp_path / f"{case}.cypher"
    path.write_text(text + "\n", encoding="utf-8")
    before = state(sample_store)
    result = cli(env, "--file", str(path))
    assert result.exit_code == 2, result.output
    assert said(result) == f"错误 error: {NOT_PLAIN.format(name=case, what=what)}"
    assert result.stdout == ""
    assert state(sample_store) == before


def test_another_sessions_transaction_survives_a_terminate(
    sample_store: Neo4jStore, neo4j_settings: Settings, env: dict[str, str], tmp_path: Path
) -> None:
    """The defect: SHOW … TERMINATE TRANSACTIONS passed as a read and ended a running load. Only
    this test's own transaction is named (by its metadata), so nobody else's is at risk."""
    probe = f"shanzhi-readonly-{tmp_path.name}"
    path = tmp_path / "terminate.cypher"
    path.write_text(
        "SHOW TRANSACTIONS YIELD transactionId AS t, metaData WHERE metaData.probe = $probe\n"
        "TERMINATE TRANSACTIONS t YIELD transactionId, message RETURN transactionId, message\n",
        encoding="utf-8",
    )
    auth = (neo4j_settings.neo4j_user, neo4j_settings.neo4j_password)
    with (
        neo4j.GraphDatabase.driver(neo4j_settings.neo4j_uri, auth=auth) as driver,
        driver.session(database=neo4j_settings.neo4j_database) as session,
    ):
        args = ["--file", str(path), "-p", f"probe={probe}", "--format", "json"]
        tx = session.begin_transaction(metadata={"probe": probe})
        tx.run("RETURN 1").consume()
        result = cli(env, *args)
        assert result.exit_code == 2, result.output
        assert said(result).startswith("错误 error: terminate 不只是读取图谱（SHOW）")
        tx.run("RETURN 2").consume()  # still alive
        tx.commit()
        # the contrast: with --write the same file does end it (so the refusal matters)
        tx = session.begin_transaction(metadata={"probe": probe})
        tx.run("RETURN 1").consume()
        result = cli(env, *args, "--write")
        assert result.exit_code == 0, result.output
        assert [r["message"] for r in json.loads(result.stdout)] == ["Transaction terminated."]
        with pytest.raises(nex.ClientError) as ended:
            tx.run("RETURN 2").consume()
        assert ended.value.code == "Neo.ClientError.Transaction.Terminated"
        tx.close()


def test_read_only_procedures_still_run(
    sample_store: Neo4jStore, env: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "labels.cypher"
    path.write_text("CALL db.labels() YIELD label RETURN label ORDER BY label\n", "utf-8")
    result = cli(env, "--file", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    assert {"Grid", "Person", "Place"} <= {r["label"] for r in json.loads(result.stdout)}
