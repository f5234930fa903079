"""`shanzhi cypher run` on the sample in a real Neo4j: no full phone number without
``--show-contact``, over every library query and every format; and what the driver returns —
nodes, relationships, paths, dates — comes out whole (labels and element ids, type and
properties).
"""

from __future__ import annotations

import csv
import io
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from shanzhi.cli import main
from shanzhi.cypher import names, query
from shanzhi.graph.stores.neo4j import Neo4jStore
from shanzhi.loaders import load_dataset
from shanzhi.sample import sample_path

pytestmark = pytest.mark.neo4j

#: Any mobile number written out in full (11 digits, possibly split by spaces or dashes).
MOBILE = re.compile(r"(?<!\d)1[3-9]\d(?:[\s-]?\d){8}(?!\d)")


@cache
def sample_phones() -> frozenset[str]:
    """Every phone the sample holds (people.csv and any other property)."""
    found: set[str] = set()
    for n in load_dataset(sample_path()).nodes:
        for value in n.props.values():
            if isinstance(value, str):
                found.update(re.sub(r"\D", "", m) for m in MOBILE.findall(value))
    return frozenset(found)


def cli(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(
        main, ["--store", "neo4j", "cypher", "run", *args], env={**env, "COLUMNS": "250"}
    )


def _examples(name: str) -> list[str]:
    q = query(name)
    return [a for p in q.params if p.example for a in ("-p", f"{p.name}={p.example}")]


def _full_phones(text: str) -> set[str]:
    return {re.sub(r"\D", "", m) for m in MOBILE.findall(text)}


def test_the_sample_has_phones_to_hide() -> None:
    assert len(sample_phones()) > 100


@pytest.mark.parametrize("name", names())
def test_no_library_query_prints_a_full_phone(
    name: str, sample_store: Neo4jStore, env: dict[str, str]
) -> None:
    for fmt in ("json", "csv", "table"):
        result = cli(env, name, *_examples(name), "--format", fmt)
        assert result.exit_code == 0, (fmt, result.output)
        assert not _full_phones(result.stdout), (fmt, sorted(_full_phones(result.stdout))[:3])


def test_show_contact_prints_them(sample_store: Neo4jStore, env: dict[str, str]) -> None:
    masked = cli(env, "who_covers", *_examples("who_covers"), "--format", "json")
    shown = cli(env, "who_covers", *_examples("who_covers"), "--format", "json", "--show-contact")
    assert masked.exit_code == shown.exit_code == 0
    assert "****" in masked.stdout
    full = _full_phones(shown.stdout)
    assert full and full <= sample_phones(), "who_covers lists people with their phones"


def _run_file(env: dict[str, str], tmp_path: Path, text: str, *args: str) -> Result:
    path = tmp_path / "mine.cypher"
    path.write_text(text, encoding="utf-8")
    return cli(env, "--file", str(path), *args)


PATH_QUERY = (
    "MATCH path = (p:Person)-[h:HOLDS]->(g:Grid {id: 'G-JLMZ-B12'})\n"
    "WHERE h.role = '楼组长'\n"
    "RETURN p, h, path, h.valid_from AS since, '新号码 ' + p.phone AS note LIMIT 1\n"
)


def test_nodes_relationships_and_paths_come_out_whole(
    sample_store: Neo4jStore, env: dict[str, str], tmp_path: Path
) -> None:
    result = _run_file(env, tmp_path, PATH_QUERY, "--format", "json")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)
    person, holds, path = row["p"], row["h"], row["path"]
    assert set(person) == {"element_id", "labels", "properties"}
    assert person["labels"] == ["Entity", "Person"] and person["element_id"]
    assert person["properties"]["phone"].startswith("138****")
    assert holds["type"] == "HOLDS" and holds["properties"]["role"] == "楼组长"
    assert holds["start"] == person["element_id"] and holds["end"]
    assert [n["element_id"] for n in path["nodes"]] == [holds["start"], holds["end"]]
    assert [r["type"] for r in path["relationships"]] == ["HOLDS"]
    assert row["note"].startswith("新号码 138****"), "a phone inside any text is masked"
    assert row["since"] is None or re.fullmatch(r"\d{4}-\d\d-\d\d", row["since"])
    assert not _full_phones(result.stdout)


@pytest.mark.parametrize("fmt", ["csv", "table"])
def test_other_formats_carry_the_same(
    fmt: str, sample_store: Neo4jStore, env: dict[str, str], tmp_path: Path
) -> None:
    result = _run_file(env, tmp_path, PATH_QUERY, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert not _full_phones(result.stdout)
    if fmt == "csv":
        (row,) = list(csv.DictReader(io.StringIO(result.stdout)))
        holds: dict[str, Any] = json.loads(row["h"])
        assert holds["type"] == "HOLDS" and holds["properties"]["role"] == "楼组长"
        assert json.loads(row["p"])["labels"] == ["Entity", "Person"]
    else:
        assert '"type": "HOLDS"' in result.stdout.replace("\n", "") or "HOLDS" in result.stdout
        assert "Person" in result.stdout
