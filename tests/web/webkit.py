"""Accounts and helpers shared by the web tests."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fastapi.testclient import TestClient

from shanzhi.web.accounts import Role

PASSWORD = "correct-horse-battery"
SYNTH = "synth1"


@dataclass(frozen=True)
class Account:
    """A test account: name, role and grid uid (None: everything)."""

    name: str
    role: Role
    grid: str | None


#: Accounts of every role, scoped to grids of different levels of the sample and the synth street.
ACCOUNTS = (
    Account("gw_b12", Role.GRIDWORKER, "gonghexinlu:G-JLMZ-B12"),
    Account("gw_br2", Role.GRIDWORKER, "gonghexinlu:G-C17-BR2"),
    Account("gw_qcxy", Role.GRIDWORKER, "gonghexinlu:G-C03-BR1"),
    Account("staff_c17", Role.STAFF, "gonghexinlu:G-C17"),
    Account("staff_shanyang", Role.STAFF, "gonghexinlu:G-BLK-SHANYANG"),
    Account("staff_street", Role.STAFF, "gonghexinlu:G-STREET"),
    Account("gw_synth", Role.GRIDWORKER, f"{SYNTH}:D01-S01-B1-C01-GRID"),
    Account("staff_synth", Role.STAFF, f"{SYNTH}:D01-S01-B2-GRID"),
    Account("analyst", Role.ANALYST, None),
    Account("admin", Role.ADMIN, None),
)


def csrf_of(html: str) -> str:
    """The CSRF token a page carries."""
    found = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def log_in(client: TestClient, name: str, password: str = PASSWORD) -> TestClient:
    """Log ``client`` in through the login form; return it."""
    token = csrf_of(client.get("/login").text)
    r = client.post(
        "/login",
        data={"username": name, "password": password, "csrf": token, "next": "/"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return client
