"""Suggestions of the accounts that see everything are kept until the store changes.

Their finder is the store's own (a new object for each request), so the answers are kept per
store version: asked again, a text is answered without searching; after a load, the buildings
it brought are suggested.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from shanzhi.config import Settings
from shanzhi.graph.stores import load, open_store
from shanzhi.loaders import load_dataset
from shanzhi.sample import sample_path
from shanzhi.synth import synth
from shanzhi.web import graphview, service
from shanzhi.web.accounts import Accounts, Role, db_path
from shanzhi.web.app import create_app
from tests.web.webkit import PASSWORD, log_in


def _names(client: TestClient, q: str) -> list[str]:
    r = client.get("/api/suggest", params={"q": q})
    assert r.status_code == 200, r.text
    body = r.json()
    return [c["name"] for c in body["candidates"] + body["closest"]]


def test_admin_suggestions_are_kept_until_a_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(graphview.CHECK_EVERY, "embedded", 0.0)  # see every load at once
    home = tmp_path / "home"
    store = open_store(Settings(home=home))
    load(store, load_dataset(sample_path()))
    Accounts(db_path(home)).add("boss", PASSWORD, Role.ADMIN, None)
    searched: list[str] = []
    real = service.suggest

    def counted(index: object, q: str) -> object:
        searched.append(q)
        return real(index, q)  # type: ignore[arg-type]

    monkeypatch.setattr(service, "suggest", counted)
    street = tmp_path / "street"
    synth(street, streets=1, seed=3)
    newcomer = load_dataset(street, name="later")
    typed = next(n.name for n in newcomer.nodes if n.label == "Place" and n.kind == "building")
    with TestClient(create_app(store, home)) as client:  # type: ignore[arg-type]
        log_in(client, "boss")
        first = _names(client, "嘉利明珠城12号楼")
        assert "嘉利明珠城12号楼" in first
        assert _names(client, "嘉利明珠城12号楼") == first
        assert searched == ["嘉利明珠城12号楼"]  # the second time from what was kept
        before = _names(client, typed)
        assert typed not in before
        load(store, newcomer)
        assert typed in _names(client, typed)
        assert searched == ["嘉利明珠城12号楼", typed, typed]
    store.close()
