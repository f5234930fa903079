"""Neo4j Browser, served by the local launcher, logs in and runs a library query (Chromium).

``scripts/neo4j-local`` starts Neo4j with its HTTP connector on a free port of 127.0.0.1 serving
Neo4j Browser (``org.neo4j.client:neo4j-browser``, from Maven Central) and prints its URL
(``NEO4J_BROWSER_URL``). Through Browser's own page, as an analyst would: a wrong password is
refused, the right one connects, ``:param`` sets Date parameters, and ``road_chief_roster.cypher``
pasted into the editor shows exactly the rows ``shanzhi cypher run`` gives.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

from shanzhi.config import Settings
from shanzhi.cypher import query
from shanzhi.cypher.runner import run
from shanzhi.errors import BrowserError
from shanzhi.graph.stores.neo4j import Neo4jStore
from shanzhi.viz.browser import Browser, Page
from tests.neo4j_fixtures import _local, _parse_env

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]

PARAMS = {"dataset": "gonghexinlu", "from": "2026-01-01", "to": "2026-12-31", "road": "沪太路"}
#: Browser's own way to set them: ``=>`` evaluates the value on the server (a real Date).
PARAM_COMMANDS = [
    ":param dataset => 'gonghexinlu'",
    ":param from => date('2026-01-01')",
    ":param to => date('2026-12-31')",
    ":param road => '沪太路'",
    ":param role => null",
]

# React keeps its own copy of an input's value: set it through the native setter, then say so.
_SET = """(sel, value) => { const e = document.querySelector(sel);
  const proto = e instanceof HTMLSelectElement ? HTMLSelectElement.prototype
                                               : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value').set.call(e, value);
  e.dispatchEvent(new Event(e instanceof HTMLSelectElement ? 'change' : 'input', {bubbles: true}));
  return e.value; }"""


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser_url(neo4j_settings: Settings) -> str:
    """Neo4j Browser's URL for the server the tests use (NEO4J_BROWSER_URL, or the local one's)."""
    url = os.environ.get("NEO4J_BROWSER_URL")
    if not url:
        env = _local("env")
        found = _parse_env(env.stdout) if env.returncode == 0 else {}
        if found.get("NEO4J_URI") == neo4j_settings.neo4j_uri:
            url = found.get("NEO4J_BROWSER_URL")
    if not url:
        _unavailable("no Neo4j Browser: NEO4J_BROWSER_URL is not set (scripts/neo4j-local env)")
    return str(url)


def _set(page: Page, selector: str, value: str) -> None:
    page.evaluate(f"({_SET})({json.dumps(selector)}, {json.dumps(value)})")


def _click(page: Page, testid: str) -> None:
    page.evaluate(f"document.querySelector('[data-testid=\"{testid}\"]').click()")


def _text(page: Page) -> str:
    return str(page.evaluate("document.body.innerText"))


def _type_and_run(page: Page, text: str) -> None:
    """Type into Browser's editor (Monaco) as a keyboard would, then press Run."""
    page.evaluate("document.querySelector('[data-testid=\"activeEditor\"] textarea').focus()")
    page.send("Input.insertText", {"text": text})
    _click(page, "editor-Run")


def _login(page: Page, settings: Settings, password: str) -> None:
    page.wait_for("document.querySelector('[data-testid=\"connect\"]') !== null", timeout=90)
    auth = 'select[data-testid="authenticationMethod"]'
    _set(page, auth, "NO_AUTH")  # shows the user and password fields when switched back
    _set(page, auth, "NATIVE")
    page.wait_for("document.querySelector('[data-testid=\"password\"]') !== null", timeout=20)
    _set(page, '[data-testid="username"]', settings.neo4j_user)
    _set(page, '[data-testid="password"]', password)
    _click(page, "connect")


def _latest_frame(page: Page) -> str:
    return str(page.evaluate("document.querySelector('[data-testid=\"frame\"]').innerText"))


def test_browser_logs_in_and_runs_a_library_query(
    browser_url: str, neo4j_settings: Settings, sample_store: Neo4jStore
) -> None:
    expected: list[dict[str, Any]] = run(sample_store, "road_chief_roster", PARAMS)
    assert len(expected) == 4
    bolt = neo4j_settings.neo4j_uri
    try:
        browser = Browser(timeout=120)
    except BrowserError as exc:
        _unavailable(str(exc))
        return
    with browser:
        page = browser.open(f"{browser_url}?dbms={bolt}&preselectAuthMethod=NATIVE")
        _login(page, neo4j_settings, "not-" + neo4j_settings.neo4j_password)
        page.wait_for("document.body.innerText.includes('authentication failure')", timeout=30)
        assert "You are connected as user" not in _text(page)
        page.navigate(f"{browser_url}?dbms={bolt}&preselectAuthMethod=NATIVE")
        _login(page, neo4j_settings, neo4j_settings.neo4j_password)
        page.wait_for("document.body.innerText.includes('You are connected as user')", timeout=60)
        for command in PARAM_COMMANDS:
            _type_and_run(page, command)
            name = command.split()[1]
            page.wait_for(
                f"document.querySelector('[data-testid=\"frame\"]').innerText"
                f".includes('\"{name}\"')",
                timeout=30,
            )
        _type_and_run(page, query("road_chief_roster").text)
        page.wait_for(
            "document.querySelector('[data-testid=\"frame\"]').innerText"
            ".includes('Started streaming 4 records')",
            timeout=60,
        )
        frame = _latest_frame(page)
    assert "路长排班表" in frame, "the frame is the library query's"
    for row in expected:
        for column in ("person_id", "person_name", "on_duty_from", "on_duty_to"):
            assert f'"{row[column]}"' in frame, (column, row[column])
    assert frame.index(f'"{expected[0]["person_id"]}"') < frame.index(
        f'"{expected[-1]["person_id"]}"'
    ), "in the query's order"
