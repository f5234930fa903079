"""Where the graph lives: settings from flags and the environment (spec/cli.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from shanzhi.errors import UsageError

__all__ = ["Settings"]

STORES = ("embedded", "neo4j")


@dataclass(frozen=True)
class Settings:
    """The store to use and how to reach it."""

    store: str = "embedded"
    home: Path = Path(".shanzhi")
    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str = "neo4j"
    batch_size: int = 5000

    @classmethod
    def from_env(cls, store: str | None = None, home: str | Path | None = None) -> Settings:
        """Flags win over SHANZHI_STORE / SHANZHI_HOME / NEO4J_* which win over defaults."""
        env = os.environ
        chosen = (store or env.get("SHANZHI_STORE") or "embedded").strip().lower()
        if chosen not in STORES:
            raise UsageError(f"unknown store {chosen!r}; use one of {', '.join(STORES)}.")
        batch = env.get("SHANZHI_BATCH_SIZE", "5000")
        if not batch.isdigit() or int(batch) < 1:
            raise UsageError(f"SHANZHI_BATCH_SIZE must be a positive whole number, not {batch!r}.")
        return cls(
            store=chosen,
            home=Path(home or env.get("SHANZHI_HOME") or ".shanzhi"),
            neo4j_uri=env.get("NEO4J_URI", cls.neo4j_uri),
            neo4j_user=env.get("NEO4J_USER", cls.neo4j_user),
            neo4j_password=env.get("NEO4J_PASSWORD", cls.neo4j_password),
            neo4j_database=env.get("NEO4J_DATABASE", cls.neo4j_database),
            batch_size=int(batch),
        )
