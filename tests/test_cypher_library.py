"""Every query of the analysts' library (shanzhi/cypher/*.cypher), run on the sample in Neo4j.

For each file, found by listing the folder (a new file is tested without touching this module):
its header is complete (a title in Chinese and English, what it answers, each parameter with a
type, an example and what it is, the columns it returns, and those columns are the ones it
returns); its example values coerce to the declared types; the server calls it a read; and run
with its examples on the 共和新路 sample it returns exactly the rows of
``tests/data/cypher_expected/NAME.json`` — reviewed by hand against the sample's CSVs, see the
``README.md`` there. The queries that take a ``$dataset`` answer the same with a second dataset
loaded beside the sample (they are scoped by it). The sample is loaded the way a street office
would have: an earlier ledger first (``tests.factories.earlier_sample``), then the sample, so
that ``changes`` has a small second load to answer for.

Regenerate a fixture only after checking the new rows against the sample:
``SHANZHI_REGENERATE_CYPHER_EXPECTED=1 .venv/bin/pytest tests/test_cypher_library.py``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import neo4j
import pytest

from shanzhi.config import Settings
from shanzhi.cypher import PARAM_TYPES, Query, names, query
from shanzhi.cypher.runner import coerce_params, run
from shanzhi.graph.model.dataset import Dataset
from shanzhi.graph.stores import load
from shanzhi.graph.stores.neo4j import Neo4jStore
from shanzhi.loaders import load_dataset
from shanzhi.sample import sample_path
from tests.factories import earlier_sample
from tests.test_who_covers_support import neo4j_holding

pytestmark = pytest.mark.neo4j

EXPECTED = Path(__file__).resolve().parent / "data" / "cypher_expected"
REGENERATE = os.environ.get("SHANZHI_REGENERATE_CYPHER_EXPECTED") == "1"
SAMPLE = "gonghexinlu"
COPY = "gonghexinlu_copy"

#: Queries whose example values find nothing in the sample, and why. Any other query must answer
#: its own example with at least one row.
EMPTY_ON_SAMPLE = {
    "audit_branches_without_liaison": "the sample has no coverage gaps",
    "audit_groups_without_party_member": "the sample has no coverage gaps",
    "audit_uncovered_buildings": "the sample has no coverage gaps",
    "audit_unled_grids": "the sample has no coverage gaps",
    "audit_vacant_posts": "the sample has no coverage gaps",
    "centrality_history": "no centrality run is written back in this test",
}

#: Queries that keep the order of the lists inside their rows (sorted in Cypher, or a path);
#: the lists of the others are compared as multisets.
ORDERED_LISTS = {
    "block_circle_members",
    "community_buildings",
    "org_leads",
    "people_many_posts",
    "posts_ending",
    "project_matrix",
    "provenance",
    "road_chief_roster",
    "shared_partners",
    "shortest_path",
}

_CJK = re.compile(r"[\u4e00-\u9fff]")

#: Columns whose values differ between runs (a load's time, the folder it was read from): checked
#: for their form, then replaced by a placeholder before comparing with the fixture.
VOLATILE: dict[str, dict[str, re.Pattern[str]]] = {
    "changes": {
        "loaded_at": re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"),
        "source": re.compile(r"gonghexinlu$"),
    },
}


@pytest.fixture(scope="module")
def sample_store(neo4j_settings: Settings) -> Iterator[Neo4jStore]:
    """The sample in an emptied Neo4j, loaded in two steps: an earlier ledger, then the sample."""
    current = load_dataset(sample_path())
    with neo4j_holding(neo4j_settings, earlier_sample(current), current) as store:
        yield store


def _load_twice(store: Neo4jStore, dataset: Dataset) -> None:
    load(store, earlier_sample(dataset))
    load(store, dataset)


def examples(q: Query) -> dict[str, str]:
    """Every parameter's example value (optional ones too, so that every filter is exercised)."""
    return {p.name: p.example for p in q.params if p.example is not None}


def _sorted_deep(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted_deep(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_deep(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return value


def canonical(q: Query, rows: list[dict[str, Any]]) -> list[Any]:
    """Rows as plain JSON values: in their order if the query orders them, else sorted."""
    plain: list[Any] = json.loads(json.dumps(rows, ensure_ascii=False, default=str))
    for column, form in VOLATILE.get(q.name, {}).items():
        for row in plain:
            assert form.search(str(row[column])), (q.name, column, row[column])
            row[column] = f"<{column}>"
    if q.name not in ORDERED_LISTS:
        plain = [_sorted_deep(row) for row in plain]
    if not q.ordered:
        plain.sort(key=lambda r: json.dumps(r, ensure_ascii=False, sort_keys=True))
    return plain


def _columns(settings: Settings, q: Query, params: dict[str, Any]) -> list[str]:
    """The columns a query returns (known even when it returns no row)."""
    auth = (settings.neo4j_user, settings.neo4j_password)

    def keys(tx: neo4j.ManagedTransaction) -> list[str]:
        return list(tx.run(q.text, params).keys())

    with (
        neo4j.GraphDatabase.driver(settings.neo4j_uri, auth=auth) as driver,
        driver.session(database=settings.neo4j_database) as session,
    ):
        return session.execute_read(keys)


# -- the folder -------------------------------------------------------------------------------


def test_every_file_is_in_the_library_and_has_expected_rows() -> None:
    files = sorted(
        p.name.removesuffix(".cypher")
        for p in resources.files("shanzhi.cypher").iterdir()
        if p.name.endswith(".cypher")
    )
    assert names() == files
    asked_for = {  # the questions of the issue, one file each (plus the audit's audit_*)
        "who_covers", "org_leads", "block_circle_members", "project_matrix",
        "people_many_posts", "posts_ending", "shortest_path", "road_chief_roster",
        "community_buildings", "shared_partners", "provenance", "changes",
    }  # fmt: skip
    assert asked_for <= set(files)
    assert any(f.startswith("audit_") for f in files)
    if not REGENERATE:
        fixtures = sorted(p.stem for p in EXPECTED.glob("*.json"))
        assert fixtures == files, "a query without expected rows, or rows of no query"


# -- each file ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", names())
def test_header_is_complete(name: str) -> None:
    q = query(name)  # parses the header; declared parameters = the $names used, or ModelError
    chinese, sep, english = q.title.partition(" — ")
    assert sep and _CJK.search(chinese) and re.search(r"[A-Za-z]{3}", english), q.title
    assert len(q.answers) > 20 and q.answers.endswith((".", ")")), q.answers
    assert q.returns.strip()
    for p in q.params:
        assert p.type in PARAM_TYPES
        assert p.example, f"{name}: parameter {p.name} has no example"
        assert p.doc.strip(), f"{name}: parameter {p.name} says not what it is"
    used = set(re.findall(r"\$([A-Za-z_]\w*)", "\n".join(
        line.split("//", 1)[0] for line in q.text.splitlines())))  # fmt: skip
    assert used == {p.name for p in q.params}


@pytest.mark.parametrize("name", names())
def test_examples_coerce_to_their_types(name: str) -> None:
    q = query(name)
    values = coerce_params(q, examples(q))
    python_type = {
        "string": str, "int": int, "float": float, "bool": bool, "date": date, "list<string>": list,
    }  # fmt: skip
    for p in q.params:
        assert isinstance(values[p.name], python_type[p.type]), (p.name, values[p.name])
        if p.type == "date":  # sent as a Neo4j Date
            assert values[p.name].isoformat() == p.example


@pytest.mark.parametrize("name", names())
def test_server_calls_it_a_read(name: str, sample_store: Neo4jStore) -> None:
    q = query(name)
    assert sample_store.query_type(q.text, coerce_params(q, examples(q))) == "r"


@pytest.mark.parametrize("name", names())
def test_returns_the_columns_its_header_names(
    name: str, sample_store: Neo4jStore, neo4j_settings: Settings
) -> None:
    q = query(name)
    columns = _columns(neo4j_settings, q, coerce_params(q, examples(q)))
    assert columns == list(q.columns), q.returns


@pytest.mark.parametrize("name", names())
def test_answers_its_example_on_the_sample(name: str, sample_store: Neo4jStore) -> None:
    q = query(name)
    rows = canonical(q, run(sample_store, name, examples(q)))
    path = EXPECTED / f"{name}.json"
    if REGENERATE:
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert rows == expected
    if name in EMPTY_ON_SAMPLE:
        assert rows == [], f"{name} now answers its example: drop it from EMPTY_ON_SAMPLE"
    else:
        assert rows, f"{name} finds nothing for its own example"


@pytest.mark.parametrize("name", names())
def test_the_fast_fetch_gives_what_the_driver_gives(name: str, sample_store: Neo4jStore) -> None:
    """run_read_query skips the driver's per-value conversion (and collects unordered answers
    into one list): the rows, and the order of an ordered query, stay those of record.data()."""
    q = query(name)
    params = coerce_params(q, examples(q))
    fast = sample_store.run_read_query(name, params)
    slow = sample_store.query(q.text, params)
    assert canonical(q, fast) == canonical(q, slow)
    if q.ordered:
        assert fast == slow


def test_dataset_scoped_queries_ignore_other_datasets(sample_store: Neo4jStore) -> None:
    scoped = [n for n in names() if query(n).param("dataset") is not None]
    before = {n: canonical(query(n), run(sample_store, n, examples(query(n)))) for n in scoped}
    copy = load_dataset(sample_path(), name=COPY)
    _load_twice(sample_store, copy)
    try:
        for n in scoped:
            q = query(n)
            assert canonical(q, run(sample_store, n, examples(q))) == before[n], n
            # the copy holds the same ids, so the same answer but for the dataset's name
            other = canonical(q, run(sample_store, n, {**examples(q), "dataset": COPY}))
            assert json.loads(json.dumps(other).replace(COPY, SAMPLE)) == before[n], n
    finally:
        load(sample_store, Dataset(name=COPY, nodes=(), relations=()))
    assert sample_store.datasets() == [SAMPLE]
