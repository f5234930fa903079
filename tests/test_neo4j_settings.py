"""How the Neo4j connection is configured, as Neo4j's own tools name it (no server needed)."""

from __future__ import annotations

import pytest

from shanzhi.config import Settings, redact_uri, split_uri_credentials
from shanzhi.errors import UsageError


@pytest.mark.parametrize(
    ("environ", "user", "password"),
    [
        ({}, "neo4j", ""),
        ({"NEO4J_USER": "ana", "NEO4J_PASSWORD": "pw"}, "ana", "pw"),
        ({"NEO4J_USERNAME": "bo", "NEO4J_USER": "ana"}, "bo", ""),  # Neo4j's name wins
        ({"NEO4J_AUTH": "neo4j/change-me"}, "neo4j", "change-me"),
        ({"NEO4J_AUTH": "neo4j/a/b"}, "neo4j", "a/b"),  # a password may hold a slash
        ({"NEO4J_AUTH": "u/p", "NEO4J_USERNAME": "v", "NEO4J_PASSWORD": "q"}, "v", "q"),
        ({"NEO4J_AUTH": "none"}, "", ""),  # no authentication
        ({"NEO4J_URI": "bolt://cy:sec%40ret@h:7687"}, "cy", "sec@ret"),
        ({"NEO4J_URI": "bolt://cy:x@h:7687", "NEO4J_PASSWORD": "y"}, "cy", "y"),
        ({"NEO4J_USERNAME": "", "NEO4J_USER": "ana"}, "ana", ""),  # empty counts as unset
    ],
)
def test_user_and_password(environ: dict[str, str], user: str, password: str) -> None:
    s = Settings.from_env(store="neo4j", environ=environ)
    assert (s.neo4j_user, s.neo4j_password) == (user, password)
    assert "@" not in s.neo4j_uri


def test_a_bad_neo4j_auth_is_one_sentence() -> None:
    with pytest.raises(UsageError) as caught:
        Settings.from_env(environ={"NEO4J_AUTH": "neo4j"})
    assert str(caught.value) == (
        "NEO4J_AUTH 应为 用户名/密码 或 none (NEO4J_AUTH must be user/password or none)."
    )


@pytest.mark.parametrize(
    "uri",
    [
        "bolt://neo4j:hunter22@127.0.0.1:7687",
        "neo4j+s://neo4j:hunter22@db.example:7687/?x=1",
        "bolt://neo4j:hunter22@[::1]:7687",
        "bolt://neo4j:hunter22@host:notaport",
    ],
)
def test_the_password_never_stays_in_the_uri(uri: str) -> None:
    bare, _, _ = split_uri_credentials(uri)
    assert "hunter22" not in bare
    assert "hunter22" not in redact_uri(uri)
    assert "hunter22" not in Settings.from_env(environ={"NEO4J_URI": uri}).neo4j_uri
