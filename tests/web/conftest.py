"""Fixtures of the web tests: one embedded store holding the sample and a synth street, accounts
of every role scoped to different grids of both, and logged-in test clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from shanzhi.config import Settings
from shanzhi.graph.stores import load, open_store
from shanzhi.loaders import load_dataset
from shanzhi.sample import sample_path
from shanzhi.synth import synth
from shanzhi.web.accounts import Accounts, db_path
from shanzhi.web.app import create_app
from tests.web.webkit import ACCOUNTS, PASSWORD, SYNTH, log_in


@pytest.fixture(scope="session")
def web_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home folder whose embedded store holds the sample and a one-street synth dataset."""
    home = tmp_path_factory.mktemp("web-home")
    folder = tmp_path_factory.mktemp("synth") / SYNTH
    synth(folder, streets=1, seed=3)
    store = open_store(Settings(home=home))
    load(store, load_dataset(sample_path()))
    load(store, load_dataset(folder, name=SYNTH))
    store.close()
    accounts = Accounts(db_path(home))
    for a in ACCOUNTS:
        accounts.add(a.name, PASSWORD, a.role, a.grid)
    return home


@pytest.fixture(scope="session")
def web_store(web_home: Path) -> Iterator[object]:
    """The store of ``web_home`` (read only)."""
    store = open_store(Settings(home=web_home))
    yield store
    store.close()


@pytest.fixture(scope="session")
def web_app(web_store: object, web_home: Path) -> object:
    """The application over the store."""
    return create_app(web_store, web_home)


@pytest.fixture
def client_of(web_app: object) -> Iterator[Callable[[str], TestClient]]:
    """A function giving a fresh client logged in as one of :data:`ACCOUNTS`."""
    opened: list[TestClient] = []

    def make(name: str) -> TestClient:
        c = TestClient(web_app)  # type: ignore[arg-type]
        opened.append(c)
        return log_in(c, name)

    yield make
    for c in opened:
        c.close()
