"""The finder's shortcut for a whole id (``_by_id``): it answers exactly what the full matching
answers, for every building of the sample and of a synthetic street typed by id or uid in
several ways, and it steps aside when it could differ (another building having the id as its
alias, a query whose keys name too many buildings); an id typed in a new process loads no
OpenCC, no pypinyin and no rich."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from shanzhi.address import LIMIT, Candidates, KeyIndex
from shanzhi.address import parse as parse_address
from shanzhi.config import Settings
from shanzhi.errors import ShanzhiError
from shanzhi.graph.queries import finder
from shanzhi.synth import synth
from tests.address.rows import rows_of, sample_rows
from tests.test_who_covers_support import embedded_holding, sample_dataset

Rows = list[dict[str, Any]]


def _outcome(query: str, fetch: Candidates, shortcut: bool) -> tuple[Any, ...]:
    """What the finder answers for ``query`` from ``fetch`` (with or without the shortcut)."""
    saved: Callable[..., Any] = finder._by_id
    if not shortcut:
        finder._by_id = lambda a, fetch: None  # type: ignore[assignment]
    try:
        found = finder._find(query, fetch, accept_guess=False)
        return ("found", found)
    except ShanzhiError as exc:
        return (type(exc).__name__, str(exc), getattr(exc, "candidates", None))
    finally:
        finder._by_id = saved  # type: ignore[assignment]


def _typed(row: Mapping[str, Any]) -> list[str]:
    bid, uid = str(row["id"]), str(row["uid"])
    return [bid, uid, bid.lower(), f"  {bid} ", bid.replace("-", " "), bid.replace("-", "")]


@pytest.fixture(scope="module")
def street(tmp_path_factory: pytest.TempPathFactory) -> Rows:
    out = tmp_path_factory.mktemp("street")
    synth(out, streets=1, seed=3)
    return rows_of(out, "synth")


def test_ids_are_answered_as_the_full_matching_answers(street: Rows) -> None:
    fired = 0
    for rows in (list(sample_rows()), street):
        fetch = KeyIndex(rows).candidates
        for row in rows:
            for query in _typed(row):
                assert _outcome(query, fetch, True) == _outcome(query, fetch, False), query
                fired += finder._by_id(parse_address(query), fetch) is not None
    assert fired > 200  # the shortcut does answer (most ids are Latin and unique)


def test_an_id_that_is_also_an_alias_is_left_to_the_matching() -> None:
    by_id = {row["id"]: row for row in sample_rows()}
    rows = [by_id["P-JLMZ-B12"], {**by_id["P-JLMZ-B11"], "aliases": ["P-JLMZ-B12"]}]
    fetch = KeyIndex(rows).candidates
    assert finder._by_id(parse_address("P-JLMZ-B12"), fetch) is None
    assert _outcome("P-JLMZ-B12", fetch, True)[0] == "AmbiguousError"
    assert _outcome("P-JLMZ-B12", fetch, True) == _outcome("P-JLMZ-B12", fetch, False)


def test_an_id_whose_keys_name_too_many_buildings_is_left_to_the_matching() -> None:
    """The full matching reads at most LIMIT rows: past that it may answer otherwise."""
    base = next(row for row in sample_rows() if row["id"] == "P-JLMZ-B12")
    estate = {"name": "P-JLMZ-B小区", "kind": "estate", "aliases": None}
    crowd = [  # 12号楼 of estates P-JLMZ-B小区: the query's pinyin key, not its id
        {"uid": f"x:{n}", "id": f"X{n}", "dataset": "x", "name": "P-JLMZ-B小区12号楼",
         "address": None, "aliases": None, "parents": [estate]}
        for n in range(LIMIT)
    ]  # fmt: skip
    fetch = KeyIndex([base, *crowd]).candidates
    assert len(fetch(["t:pjlmzb||12"], 100)) == LIMIT
    assert finder._by_id(parse_address("P-JLMZ-B12"), fetch) is None
    assert _outcome("P-JLMZ-B12", fetch, True) == _outcome("P-JLMZ-B12", fetch, False)


def test_chinese_ids_and_names_are_left_to_the_matching() -> None:
    rows = sample_rows()
    fetch = KeyIndex(rows).candidates
    for query in ("嘉利明珠城12号楼", "P-JLMZ-B12和P-JLMZ-B13", "P-JLMZ-B12 P-JLMZ-B13"):
        assert finder._by_id(parse_address(query), fetch) is None, query


ASK = """
import sys
from shanzhi.cli import main
try:
    main(["--home", {home!r}, "who-covers", {query!r}, "--on", "2025-07-01"])
except SystemExit as exit:
    print("EXIT", exit.code)
print("LOADED:" + ",".join(m for m in ("rich", "opencc", "pypinyin") if m in sys.modules))
"""


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cold-home")
    embedded_holding(path, sample_dataset()).close()
    return path


def ask(home: Path, query: str) -> list[str]:
    """The last lines a new process prints for ``shanzhi who-covers query``."""
    code = ASK.format(home=str(home), query=query)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout.splitlines()[-2:]


@pytest.mark.parametrize(
    ("query", "loaded"),
    [
        ("P-JLMZ-B12", ""),  # by id: no Chinese text folded
        ("嘉利明珠城十二号楼", "opencc"),  # a name typed: folded, answered from its characters
    ],
)
def test_a_question_in_a_new_process_loads_no_rich(home: Path, query: str, loaded: str) -> None:
    assert ask(home, query) == ["EXIT 0", f"LOADED:{loaded}"]


def test_ascii_text_is_its_own_simplified_form_without_opencc() -> None:
    """``to_simplified`` returns ASCII text as it is, unconverted: OpenCC would not change it."""
    import random

    import opencc

    from shanzhi.address.normalize import to_simplified

    converter = opencc.OpenCC("t2s")
    rnd = random.Random(5)
    texts = ["".join(map(chr, range(128)))]
    texts += ["".join(chr(rnd.randrange(32, 127)) for _ in range(40)) for _ in range(200)]
    for text in texts:
        assert to_simplified(text) == text == converter.convert(text)
    assert to_simplified("嘉利明珠城十二號樓") == "嘉利明珠城十二号楼"


ASK_NEO4J = """
import sys
from shanzhi.cli import main
try:
    main(["--store", "neo4j", "who-covers", {query!r}, "--on", "2025-07-01"])
except SystemExit as exit:
    print("EXIT", exit.code)
print("LOADED:" + ",".join(m for m in ("rich", "opencc", "neo4j") if m in sys.modules))
"""


@pytest.mark.parametrize(
    ("query", "loaded"), [("P-JLMZ-B12", ""), ("嘉利明珠城十二号楼", "opencc")]
)
def test_a_question_to_neo4j_in_a_new_process_loads_no_rich(
    sample_store: Any, neo4j_settings: Settings, query: str, loaded: str
) -> None:
    """Nor the official driver (tests/test_neo4j_bolt.py)."""
    env = {
        "NEO4J_URI": neo4j_settings.neo4j_uri,
        "NEO4J_USER": neo4j_settings.neo4j_user,
        "NEO4J_PASSWORD": neo4j_settings.neo4j_password,
        "NEO4J_DATABASE": neo4j_settings.neo4j_database,
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, "-c", ASK_NEO4J.format(query=query)],
        capture_output=True, text=True, env=env, timeout=60, check=True,
    )  # fmt: skip
    assert "嘉利明珠城12号楼（P-JLMZ-B12）" in done.stdout, done.stderr
    assert done.stdout.splitlines()[-2:] == ["EXIT 0", f"LOADED:{loaded}"]
