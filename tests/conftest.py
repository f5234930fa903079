"""Fixtures shared by the suite: the store fixtures live in ``tests/neo4j_fixtures.py`` (a real
Neo4j; in CI a missing server fails, never skips) and here.

The ``neo4j`` marker follows fixture use: a test that asks (directly or through another fixture)
for the Neo4j settings, or runs with a parameter ``"neo4j"`` (a store fixture with
``params=["embedded", "neo4j"]`` that reaches Neo4j through ``request.getfixturevalue``), is
marked ``neo4j`` and every other test is not, whatever its module says, so the fast loop
(``-m "not neo4j and not browser and not slow"``) runs every test that needs no server, and
only those.
"""

from __future__ import annotations

import pytest

pytest_plugins = ["tests.neo4j_fixtures"]

#: The fixture every Neo4j test reaches (the others build on it).
NEO4J_FIXTURE = "neo4j_settings"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark ``neo4j`` exactly the tests that use a Neo4j fixture."""
    for item in items:
        for node in item.listchain():
            node.own_markers[:] = [m for m in node.own_markers if m.name != "neo4j"]
        callspec = getattr(item, "callspec", None)
        params = callspec.params.values() if callspec is not None else ()
        if NEO4J_FIXTURE in getattr(item, "fixturenames", ()) or "neo4j" in params:
            item.add_marker(pytest.mark.neo4j)
