"""What went wrong talking to Neo4j, as one sentence a user can act on.

Both clients of the store end here: the Bolt reader (:mod:`.bolt`: the server's status code, or
what the operating system said) and the official driver (its exceptions, read by their codes,
so ``neo4j`` is only looked at when the driver raised). No sentence ever holds the password.

>>> from shanzhi.graph.stores.neo4j.bolt import BoltFailure
>>> print(unavailable(BoltFailure("Neo.ClientError.Security.Unauthorized", "no"),
...                   where="Neo4j at bolt://h:7687", user="neo4j", database="neo4j"))
Neo4j at bolt://h:7687 refused the credentials of user 'neo4j'; check NEO4J_USERNAME and \
NEO4J_PASSWORD.
"""

from __future__ import annotations

import sys

from shanzhi.errors import StoreUnavailableError
from shanzhi.graph.stores.neo4j.bolt import BoltFailure, BoltUnreachable

__all__ = ["TERMINATED", "reason", "unavailable"]

#: What the server (or the driver) calls a transaction another session ended.
TERMINATED = frozenset(
    {
        "Neo.ClientError.Transaction.Terminated",
        "Neo.TransientError.Transaction.Terminated",
        "Neo.TransientError.Transaction.LockClientStopped",
        "Neo.ClientError.Transaction.LockClientStopped",
    }
)
_FORBIDDEN = "Neo.ClientError.Security.Forbidden"
_SECURITY = "Neo.ClientError.Security."
_NO_DATABASE = "Neo.ClientError.Database.DatabaseNotFound"
_DATABASE_DOWN = "Neo.TransientError.General.DatabaseUnavailable"


def reason(exc: BaseException) -> str:
    """The innermost operating-system reason of a driver error ("connection refused"), if any."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    found = ""
    ssl = sys.modules.get("ssl")  # not imported: no TLS was tried, so no TLS error
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if ssl is not None and isinstance(cause, ssl.SSLError):
            return "TLS handshake failed; does the server speak TLS?"
        if isinstance(cause, OSError) and cause.strerror:
            found = cause.strerror.lower()
        cause = cause.__cause__ or cause.__context__
    return found or "no answer"


def _by_code(code: str, message: str, where: str, user: str, database: str) -> str | None:
    if code == _FORBIDDEN:
        return (
            f"{where} does not let user {user!r} do this ({message}); use an account with "
            f"write access to database {database!r}."
        )
    if code.startswith(_SECURITY):
        return (
            f"{where} refused the credentials of user {user!r}; "
            "check NEO4J_USERNAME and NEO4J_PASSWORD."
        )
    if code in TERMINATED:
        return (
            f"另一个会话终止了 {where} 上的这个事务 (another session terminated this transaction "
            f"on {where}: {code}); what was committed stays, run the command again."
        )
    if code == _NO_DATABASE:
        return (
            f"{where} has no database {database!r}; "
            "set NEO4J_DATABASE to one it has (Community edition has only 'neo4j')."
        )
    if code == _DATABASE_DOWN:
        return (
            f"database {database!r} of {where} is not available ({message}); "
            "start it and try again."
        )
    return None


def unavailable(
    exc: BaseException, *, where: str, user: str, database: str
) -> StoreUnavailableError | None:
    """The sentence for ``exc`` if it says Neo4j cannot be used as asked; None for other errors
    (a query's own mistake, a bug), which go on as they are."""
    if isinstance(exc, BoltUnreachable):
        return StoreUnavailableError(
            f"cannot reach {where} ({exc.reason}); start it or set NEO4J_URI."
        )
    if isinstance(exc, BoltFailure):
        text = _by_code(exc.code, exc.message, where, user, database)
        return StoreUnavailableError(text) if text else None
    nex = sys.modules.get("neo4j.exceptions")
    if nex is None:  # the driver was never imported, so it raised nothing
        return None
    if isinstance(exc, nex.ServiceUnavailable | nex.SessionExpired):
        return StoreUnavailableError(
            f"cannot reach {where} ({reason(exc)}); start it or set NEO4J_URI."
        )
    if isinstance(exc, nex.Neo4jError):
        text = _by_code(exc.code or "", exc.message or "", where, user, database)
        return StoreUnavailableError(text) if text else None
    return None
