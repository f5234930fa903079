"""Running the analysts' queries: typed parameters, and read-only unless writing is asked for.

The server itself says what a statement does (``EXPLAIN`` → query type ``r``/``rw``/``w``/``s``);
anything but ``r`` is refused without ``write=True``, and reads run in a READ transaction (on a
cluster, routed to a secondary). Values reach the server only as parameters, so text in a value
can never become Cypher; a ``date`` parameter goes as a Neo4j ``Date``. Statements the server
calls reads but that reach past the graph — ``LOAD CSV`` (any file or web address the *server*
can reach), ``SHOW …``, ``TERMINATE …``, ``USE``, procedures other than the read-only schema and
index ones — are refused too without ``write=True`` (:mod:`shanzhi.cypher.readonly`).

>>> q = parse_query("demo", "// title: t\\n// answers: a\\n// param: n: int = 3\\n"
...                 "// returns: x\\nRETURN $n AS x")
>>> coerce_params(q, {"n": "42"})
{'n': 42}
>>> coerce_params(q, {"n": "four"})
Traceback (most recent call last):
...
shanzhi.errors.UsageError: parameter n of demo must be an int, not 'four'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from neo4j import exceptions as nex

from shanzhi.cypher import Param, Query, parse_query, query
from shanzhi.cypher.readonly import loads_csv, refusal
from shanzhi.errors import ModelError, UsageError, WriteRefusedError
from shanzhi.graph.stores.interface import GraphStore

__all__ = [
    "Prepared",
    "coerce_params",
    "execute",
    "load_file",
    "loads_csv",
    "parse_param_args",
    "prepare",
    "run",
]

_TRUE = {"true", "1", "yes", "y", "是"}
_FALSE = {"false", "0", "no", "n", "否"}


def _coerce(q: Query, p: Param, raw: str) -> Any:
    what = {
        "int": "an int",
        "float": "a number",
        "bool": "true or false",
        "date": "a date YYYY-MM-DD",
        "list<string>": "a comma-separated list",
        "string": "text",
    }[p.type]
    bad = UsageError(f"parameter {p.name} of {q.name} must be {what}, not {raw!r}.")
    value = raw.strip()
    if p.type == "int":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise bad
        return int(value)
    if p.type == "float":
        try:
            return float(value)
        except ValueError:
            raise bad from None
    if p.type == "bool":
        if value.lower() not in _TRUE | _FALSE:
            raise bad
        return value.lower() in _TRUE
    if p.type == "date":
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise bad from None
    if p.type == "list<string>":
        return [v.strip() for v in value.split(",") if v.strip()]
    return raw


def coerce_params(q: Query, raw: dict[str, str]) -> dict[str, Any]:
    """Typed values for a query's declared parameters; unknown or missing ones are refused."""
    unknown = sorted(set(raw) - {p.name for p in q.params})
    if unknown:
        declared = ", ".join(p.name for p in q.params) or "none"
        raise UsageError(f"{q.name} has no parameter {unknown[0]!r} (it takes: {declared}).")
    out: dict[str, Any] = {}
    for p in q.params:
        if p.name in raw:
            out[p.name] = _coerce(q, p, raw[p.name])
        elif p.optional:
            out[p.name] = None
        else:
            raise UsageError(
                f"{q.name} needs parameter {p.name} ({p.type}), "
                f"e.g. -p {p.name}={p.example or '…'}."
            )
    return out


def parse_param_args(args: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``["key=value", …]`` → a dict; a malformed or repeated pair is a usage error."""
    out: dict[str, str] = {}
    for arg in args:
        key, sep, value = arg.partition("=")
        key = key.strip()
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise UsageError(f"parameter {arg!r} is not key=value.")
        if key in out:
            raise UsageError(f"parameter {key} is given twice.")
        out[key] = value
    return out


def load_file(path: Path) -> Query:
    """An analyst's own file: with a library header its parameters are typed, else all text."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path} ({exc}).") from exc
    try:
        return parse_query(path.stem, text)
    except ModelError:
        names = sorted(set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", text)))
        params = tuple(Param(n, "string", False, None, "") for n in names)
        return Query(path.stem, path.stem, "", params, "", text)


@dataclass(frozen=True)
class Prepared:
    """A query with its parameters typed and checked, before anything is sent to a server."""

    query: Query
    params: dict[str, Any]
    write: bool
    #: A query of the library (not an analyst's ``--file``): its rows are known to be plain.
    library: bool = False


def prepare(
    name: str | None = None,
    raw_params: dict[str, str] | None = None,
    *,
    file: Path | None = None,
    write: bool = False,
) -> Prepared:
    """Find the query (a library name, or the explicit ``file``), type its parameters, and
    refuse LOAD CSV and whatever else is more than a plain read unless ``write``."""
    if (name is None) == (file is None):
        raise UsageError("give either a query name or --file, not both.")
    q = load_file(file) if file is not None else query(str(name))
    params = coerce_params(q, raw_params or {})
    if not write:
        _check_plain_read(q)
    return Prepared(q, params, write, library=file is None)


def _check_plain_read(q: Query) -> None:
    if loads_csv(q.text):
        raise WriteRefusedError(
            f"{q.name} reads files or web addresses through the Neo4j server (LOAD CSV); "
            "nothing was run. Add --write if that is what you want."
        )
    what = refusal(q.text)
    if what is not None:
        raise WriteRefusedError(
            f"{q.name} 不只是读取图谱（{what}），未执行；确需如此请加 --write "
            f"({q.name} is more than a plain read of the graph ({what}); nothing was run. "
            "Add --write if that is what you want.)"
        )


def execute(store: GraphStore, prepared: Prepared) -> list[dict[str, Any]]:
    """Ask the server what the query does (EXPLAIN), refuse a write unless allowed, then run it.

    Reads run in a READ transaction. Raises WriteRefusedError, or UsageError for bad Cypher.
    """
    target = store.cypher_target()  # UsageError where the store runs no Cypher
    q, params, write = prepared.query, prepared.params, prepared.write
    try:
        kind = target.query_type(q.text, params)
        if kind != "r" and not write:
            raise WriteRefusedError(
                f"{q.name} would change the graph (query type {kind}); nothing was run. "
                "Add --write if that is what you want."
            )
        rows: list[dict[str, Any]] = (
            target.run_read_query(q.name, params)
            if prepared.library and not write
            else target.query(q.text, params, write=write)
        )
    except nex.CypherSyntaxError as exc:
        raise UsageError(f"{q.name} is not valid Cypher: {exc.message.splitlines()[0]}") from exc
    except nex.ClientError as exc:
        raise UsageError(f"Neo4j refused {q.name}: {(exc.message or '').splitlines()[0]}") from exc
    return rows


def run(
    store: GraphStore,
    name: str | None = None,
    raw_params: dict[str, str] | None = None,
    *,
    file: Path | None = None,
    write: bool = False,
) -> list[dict[str, Any]]:
    """Run a library query (or ``file``) on a Neo4j store; rows as dicts (prepare + execute)."""
    return execute(store, prepare(name, raw_params, file=file, write=write))
