"""Dates are Neo4j ``Date`` values, so a second official client gets the same answers.

The sample in a real Neo4j: every relation's ``valid_from``/``valid_to`` and every project's
``start``/``end`` are stored as ``DATE``; ``h.valid_from <= date()`` counts what the dataset
says; and library queries run through the official JavaScript driver (``tests/js``, installed by
``npm ci`` in ``scripts/test``) with ``Date`` parameters give exactly the rows of ``shanzhi
cypher run`` — among them 8号楼's second 楼组长, who took over on 2025-07-01 and whom a text
comparison against a Date parameter used to lose.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from shanzhi.cli import main
from shanzhi.config import Settings
from shanzhi.cypher import query
from shanzhi.cypher.runner import coerce_params
from shanzhi.graph.stores.neo4j import Neo4jStore
from shanzhi.loaders import load_dataset
from shanzhi.sample import sample_path

pytestmark = pytest.mark.neo4j

JS = Path(__file__).parent / "js"

#: Library queries with date parameters, and the values given (ISO text on the command line,
#: neo4j.types.Date through the JavaScript driver).
CASES: dict[str, dict[str, Any]] = {
    "community_buildings": {
        "dataset": "gonghexinlu",
        "community": "G-C17",
        "on": "2025-07-01",
    },
    "road_chief_roster": {
        "dataset": "gonghexinlu",
        "from": "2025-01-01",
        "to": "2025-12-31",
        "road": "共和新路",
        "role": "路长",
    },
}


def _js_available() -> None:
    if shutil.which("node") is None or not (JS / "node_modules" / "neo4j-driver").is_dir():
        reason = "the JavaScript driver is not installed (run `npm ci` in tests/js)"
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)


def _through_js(settings: Settings, queries: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    spec = {
        "uri": settings.neo4j_uri,
        "user": settings.neo4j_user,
        "password": settings.neo4j_password,
        "database": settings.neo4j_database,
        "queries": queries,
    }
    done = subprocess.run(
        ["node", str(JS / "run_queries.mjs")],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    answers: list[list[dict[str, Any]]] = json.loads(done.stdout)
    return answers


def _cli(env: dict[str, str], name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    args = [arg for k, v in params.items() for arg in ("-p", f"{k}={v}")]
    result = CliRunner().invoke(
        main,
        ["--store", "neo4j", "cypher", "run", name, *args, "--format", "json", "--show-contact"],
        env=env,
    )
    assert result.exit_code == 0, result.output
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def test_dates_are_stored_as_neo4j_dates(sample_store: Neo4jStore) -> None:
    rows = sample_store.query(
        "MATCH ()-[r]->() WHERE r.valid_from IS NOT NULL OR r.valid_to IS NOT NULL "
        "RETURN collect(DISTINCT valueType(coalesce(r.valid_from, r.valid_to))) AS types "
        "UNION ALL "
        "MATCH (p:Project) WHERE p.start IS NOT NULL OR p.end IS NOT NULL "
        "RETURN collect(DISTINCT valueType(coalesce(p.start, p.end))) AS types"
    )
    assert [r["types"] for r in rows] == [["DATE NOT NULL"], ["DATE NOT NULL"]]


def test_date_function_compares_with_what_the_dataset_says(sample_store: Neo4jStore) -> None:
    today = date.today()
    dataset = load_dataset(sample_path())
    expected = sum(
        1
        for r in dataset.relations
        if r.type.value == "HOLDS" and r.valid_from is not None and r.valid_from <= today
    )
    (row,) = sample_store.query(
        "MATCH ()-[h:HOLDS]->() WHERE h.valid_from <= date() RETURN count(h) AS n"
    )
    assert row["n"] == expected > 0


def test_the_javascript_driver_with_date_parameters_gets_the_cli_rows(
    sample_store: Neo4jStore, neo4j_settings: Settings, env: dict[str, str]
) -> None:
    _js_available()
    queries = [
        {
            "text": query(name).text,
            # every declared parameter, optional ones as null, dates as ISO text for the script
            "params": json.loads(json.dumps(coerce_params(query(name), params), default=str)),
            "dates": [p.name for p in query(name).params if p.type == "date"],
        }
        for name, params in CASES.items()
    ]
    through_js = _through_js(neo4j_settings, queries)
    for (name, params), js_rows in zip(CASES.items(), through_js, strict=True):
        cli_rows = _cli(env, name, params)
        assert js_rows == cli_rows, name
        assert cli_rows, name
    eight = next(r for r in through_js[0] if r["building_id"] == "P-JLMZ-B08")
    assert eight["leaders"] == ["郑样本伟"], "8号楼's new 楼组长 since 2025-07-01"
    assert {r["on_duty_from"] for r in through_js[1]} >= {"2025-01-01", "2025-07-01"}
