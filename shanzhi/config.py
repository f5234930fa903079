"""Where the graph lives: settings from flags and the environment (docs/cli.md).

Neo4j's own conventions are read as its tools read them: ``NEO4J_USERNAME`` (``NEO4J_USER`` is
kept as an alias), ``NEO4J_PASSWORD``, ``NEO4J_AUTH=user/password`` (or ``none``) as the official
Docker image takes it, and credentials in the URI (``bolt://user:pass@host:7687``). The URI kept
in the settings never holds a password, so no message can print one.

>>> s = Settings.from_env(store="neo4j", environ={"NEO4J_URI": "bolt://ana:s3cret@db:7687"})
>>> s.neo4j_uri, s.neo4j_user, s.neo4j_password
('bolt://db:7687', 'ana', 's3cret')
>>> s = Settings.from_env(environ={"NEO4J_AUTH": "neo4j/change-me", "NEO4J_USER": "ana"})
>>> s.neo4j_user, s.neo4j_password
('ana', 'change-me')
>>> redact_uri("neo4j+s://ana:s3cret@db.example:7687?policy=eu")
'neo4j+s://ana:***@db.example:7687?policy=eu'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from shanzhi.errors import UsageError

__all__ = ["Settings", "redact_uri", "split_uri_credentials"]

STORES = ("embedded", "neo4j")


def _netloc(host: str | None, port: int | None) -> str:
    host = host or ""
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return f"{host}:{port}" if port else host


def split_uri_credentials(uri: str) -> tuple[str, str | None, str | None]:
    """The URI without ``user:password@``, and the user and password it held (or None).

    >>> split_uri_credentials("bolt://127.0.0.1:7687")
    ('bolt://127.0.0.1:7687', None, None)
    >>> split_uri_credentials("bolt://neo4j:p%40ss@[::1]:7687")
    ('bolt://[::1]:7687', 'neo4j', 'p@ss')
    """
    try:
        parts = urlsplit(uri.strip())
        port = parts.port
    except ValueError:
        return redact_uri(uri), None, None
    if "@" not in parts.netloc:
        return uri.strip(), None, None
    user = unquote(parts.username) if parts.username is not None else None
    password = unquote(parts.password) if parts.password is not None else None
    bare = parts._replace(netloc=_netloc(parts.hostname, port))
    return urlunsplit(bare), user, password


def redact_uri(uri: str) -> str:
    """The URI with any password replaced by ``***`` (for messages)."""
    text = uri.strip()
    scheme, sep, rest = text.partition("://")
    if not sep or "@" not in rest.split("/", 1)[0]:
        return text
    creds, _, tail = rest.partition("@")
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:***@{tail}" if ":" in creds else f"{scheme}://{user}@{tail}"


def _auth(env: Mapping[str, str]) -> tuple[str | None, str | None]:
    """User and password from ``NEO4J_AUTH`` (``user/password`` or ``none``)."""
    raw = env.get("NEO4J_AUTH", "").strip()
    if not raw:
        return None, None
    if raw.lower() == "none":
        return "", ""
    user, sep, password = raw.partition("/")
    if not sep or not user:
        raise UsageError(
            "NEO4J_AUTH 应为 用户名/密码 或 none (NEO4J_AUTH must be user/password or none)."
        )
    return user, password


@dataclass(frozen=True)
class Settings:
    """The store to use and how to reach it (``neo4j_user`` empty: no authentication)."""

    store: str = "embedded"
    home: Path = Path(".shanzhi")
    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str = "neo4j"
    batch_size: int = 5000

    @classmethod
    def from_env(
        cls,
        store: str | None = None,
        home: str | Path | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Settings:
        """Flags win over SHANZHI_STORE / SHANZHI_HOME / NEO4J_* which win over defaults.

        The user is ``NEO4J_USERNAME``, else ``NEO4J_USER``, else the user of ``NEO4J_AUTH``,
        else the URI's; the password likewise from ``NEO4J_PASSWORD``, ``NEO4J_AUTH``, the URI.
        """
        env = os.environ if environ is None else environ
        chosen = (store or env.get("SHANZHI_STORE") or "embedded").strip().lower()
        if chosen not in STORES:
            raise UsageError(f"unknown store {chosen!r}; use one of {', '.join(STORES)}.")
        batch = env.get("SHANZHI_BATCH_SIZE", "5000")
        if not batch.isdigit() or int(batch) < 1:
            raise UsageError(f"SHANZHI_BATCH_SIZE must be a positive whole number, not {batch!r}.")
        uri, uri_user, uri_password = split_uri_credentials(env.get("NEO4J_URI", cls.neo4j_uri))
        auth_user, auth_password = _auth(env)
        named = (env.get("NEO4J_USERNAME") or None, env.get("NEO4J_USER") or None)
        user = next((u for u in (*named, auth_user, uri_user) if u is not None), cls.neo4j_user)
        password = next(
            (p for p in (env.get("NEO4J_PASSWORD"), auth_password, uri_password) if p is not None),
            cls.neo4j_password,
        )
        return cls(
            store=chosen,
            home=Path(home or env.get("SHANZHI_HOME") or ".shanzhi"),
            neo4j_uri=uri,
            neo4j_user=user,
            neo4j_password=password,
            neo4j_database=env.get("NEO4J_DATABASE", cls.neo4j_database),
            batch_size=int(batch),
        )
