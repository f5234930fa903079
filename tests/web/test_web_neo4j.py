"""The web page on the real Neo4j: the same answers as the library, the analysts' Cypher forms
(read-only, phones masked), and no person outside a 网格员's scope on the routes that read the
graph. Empties the Neo4j database it is given (like every Neo4j test)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shanzhi.graph.queries.who_covers import who_covers
from shanzhi.web.accounts import Accounts, Role, db_path
from shanzhi.web.app import create_app
from tests.web.test_web_authorization import (
    QUERIES,
    allowed_people,
    build_world,
    leaked,
    leaks_for,
)
from tests.web.webkit import PASSWORD, Account, log_in

pytestmark = pytest.mark.neo4j

GRIDWORKER = Account("gw_neo4j", Role.GRIDWORKER, "gonghexinlu:G-C17-BR2")


@pytest.fixture(scope="module")
def neo4j_app(sample_store: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    home: Path = tmp_path_factory.mktemp("web-neo4j")
    accounts = Accounts(db_path(home))
    accounts.add("analyst", PASSWORD, Role.ANALYST, None)
    accounts.add(GRIDWORKER.name, PASSWORD, GRIDWORKER.role, GRIDWORKER.grid)
    yield create_app(sample_store, home)


def test_the_card_is_the_librarys_answer(neo4j_app: Any, sample_store: Any) -> None:
    client = log_in(TestClient(neo4j_app), GRIDWORKER.name)
    r = client.get("/api/who-covers", params={"building": "嘉利明珠城１２号", "on": "2026-11-27"})
    assert r.status_code == 200
    assert r.json() == who_covers(sample_store, "gonghexinlu:P-JLMZ-B12", on="2026-11-27")
    page = client.get("/building/gonghexinlu:P-JLMZ-B12")
    assert page.status_code == 200 and "魏样本宁" in page.text and "13800000140" not in page.text


def test_the_cypher_forms_run_read_only_with_phones_masked(neo4j_app: Any) -> None:
    client = log_in(TestClient(neo4j_app), "analyst")
    listing = client.get("/cypher")
    assert listing.status_code == 200 and "需要 Neo4j" not in listing.text
    form = client.get("/cypher/community_buildings")
    assert 'name="community"' in form.text and 'placeholder="G-C17"' in form.text
    csrf = client.get("/api/me").json()["csrf"]
    r = client.post("/cypher/community_buildings", data={"community": "G-C17", "csrf": csrf})
    assert r.status_code == 200 and "嘉利明珠城12号楼" in r.text
    rows = client.post(
        "/api/cypher/who_covers",
        json={"building_uid": "gonghexinlu:P-JLMZ-B12", "on": "2026-11-27"},
        headers={"X-CSRF-Token": csrf},
    )
    assert rows.status_code == 200
    assert "138****0140" in rows.text and "13800000140" not in rows.text
    bad = client.post("/api/cypher/community_buildings", json={"nope": "x"},
                      headers={"X-CSRF-Token": csrf})  # fmt: skip
    assert bad.status_code == 400 and "has no parameter 'nope'" in bad.json()["error"]


def test_a_gridworker_may_not_query(neo4j_app: Any) -> None:
    client = log_in(TestClient(neo4j_app), GRIDWORKER.name)
    assert client.get("/cypher").status_code == 403
    csrf = client.get("/api/me").json()["csrf"]
    r = client.post("/api/cypher/stats", json={}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 403


def test_no_person_outside_the_scope_on_neo4j(neo4j_app: Any, sample_store: Any) -> None:
    world = build_world(sample_store)
    leaks = leaks_for(world, allowed_people(world, sample_store, GRIDWORKER))
    client = log_in(TestClient(neo4j_app), GRIDWORKER.name)
    urls = [f"/api/suggest?q={q}" for q in QUERIES] + [f"/search?q={q}" for q in QUERIES]
    urls += [f"/api/who-covers?building={b}" for b in ("gonghexinlu:P-LXY-B03", "12号楼")]
    urls += ["/audit", "/circles", "/changes", "/api/changes", "/record/gonghexinlu:H-0001",
             "/circle/gonghexinlu:G-BLK-SHANYANG", "/api/audit"]  # fmt: skip
    for url in urls:
        r = client.get(url)
        assert r.status_code < 500, url
        assert leaked(r.text, leaks) == [], url
