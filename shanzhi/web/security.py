"""Sessions, CSRF tokens and the login throttle of the web page.

* The session cookie is signed (Starlette's SessionMiddleware, itsdangerous) with a secret made
  once per home folder and kept in ``HOME/web.secret`` (mode 0600); it is HttpOnly and
  SameSite=Strict, and carries only the account name, its epoch and the CSRF token.
* Every POST carries the session's CSRF token (form field ``csrf`` or header ``X-CSRF-Token``).
* Failed logins are counted per account name and per client address over
  :data:`WINDOW` seconds; past :data:`MAX_PER_NAME` / :data:`MAX_PER_CLIENT` the login is refused
  until the oldest failure is out of the window.

>>> t = Throttle(max_per_name=2, max_per_client=10, window=60)
>>> t.fail("wang", "1.2.3.4", now=0); t.fail("wang", "1.2.3.4", now=1)
>>> t.wait("wang", "1.2.3.4", now=2), t.wait("li", "1.2.3.4", now=2), t.wait("wang", "x", now=61)
(58, 0, 0)
"""

from __future__ import annotations

import hmac
import os
import secrets
import threading
import time
from collections import defaultdict, deque
from pathlib import Path

__all__ = [
    "MAX_PER_CLIENT",
    "MAX_PER_NAME",
    "SECRET_NAME",
    "WINDOW",
    "Throttle",
    "new_token",
    "same_token",
    "session_secret",
]

SECRET_NAME = "web.secret"
WINDOW = 300.0
MAX_PER_NAME = 5
MAX_PER_CLIENT = 20


def session_secret(home: Path) -> str:
    """The home folder's cookie-signing secret, made on first use (readable by its owner only)."""
    path = Path(home) / SECRET_NAME
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
    path.chmod(0o600)
    return path.read_text().strip()


def new_token() -> str:
    """A fresh CSRF token."""
    return secrets.token_urlsafe(32)


def same_token(expected: object, given: object) -> bool:
    """Whether a submitted CSRF token is the session's (constant time).

    >>> same_token("abc", "abc"), same_token("abc", None), same_token(None, None)
    (True, False, False)
    """
    if not isinstance(expected, str) or not isinstance(given, str) or not expected:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


class Throttle:
    """Failed logins per account name and per client, in a sliding window."""

    def __init__(
        self,
        max_per_name: int = MAX_PER_NAME,
        max_per_client: int = MAX_PER_CLIENT,
        window: float = WINDOW,
    ) -> None:
        self.max_per_name, self.max_per_client, self.window = max_per_name, max_per_client, window
        self._fails: defaultdict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _left(self, key: str, limit: int, now: float) -> int:
        times = self._fails[key]
        while times and times[0] <= now - self.window:
            times.popleft()
        return int(times[0] + self.window - now + 0.999) if len(times) >= limit else 0

    def wait(self, name: str, client: str, now: float | None = None) -> int:
        """Seconds until a login for ``name`` from ``client`` may be tried again (0: now)."""
        t = time.monotonic() if now is None else now
        with self._lock:
            return max(
                self._left(f"name:{name}", self.max_per_name, t),
                self._left(f"client:{client}", self.max_per_client, t),
            )

    def fail(self, name: str, client: str, now: float | None = None) -> None:
        """Count one failed login."""
        t = time.monotonic() if now is None else now
        with self._lock:
            self._fails[f"name:{name}"].append(t)
            self._fails[f"client:{client}"].append(t)

    def succeed(self, name: str) -> None:
        """Forget an account's failures after a right password."""
        with self._lock:
            self._fails.pop(f"name:{name}", None)
