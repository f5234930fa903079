"""Headless Chromium driven over the DevTools protocol, on a pipe (no port, no extra package).

Chromium started with ``--remote-debugging-pipe`` reads protocol messages from its fd 3 and
writes them to its fd 4, each a JSON object ended by a NUL byte. That is all this module needs:
open a page, wait until it says it has settled, read values from it, screenshot it, and record
every URL the page asked for (so a test can prove nothing left the machine).

>>> with Browser() as b:                                    # doctest: +SKIP
...     page = b.open("file:///tmp/picture.html", width=1200, height=800)
...     page.wait_for("window.__shanzhi && window.__shanzhi.settled")
...     png = page.screenshot()
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from shanzhi.errors import BrowserError

__all__ = ["CHROMIUM_FLAGS", "Browser", "BrowserError", "Page", "find_chromium"]

#: The flags of the issue (plus the pipe, and a resolver that resolves nothing: a page that
#: tried to reach the network would fail instead of leaking a request; only 127.0.0.1 is left
#: alone, so the web page's tests can reach their own server on this machine).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-dev-shm-usage",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--mute-audio",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--remote-debugging-pipe",
)
_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def find_chromium() -> str | None:
    """The Chromium executable: ``$SHANZHI_CHROMIUM``, else the first known name on PATH."""
    env = os.environ.get("SHANZHI_CHROMIUM")
    if env:
        return env if Path(env).exists() else shutil.which(env)
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    """One headless Chromium process; use it as a context manager."""

    def __init__(self, executable: str | None = None, timeout: float = 60.0) -> None:
        exe = executable or find_chromium()
        if exe is None:
            raise BrowserError(
                "Chromium is not installed, and PNG pictures are drawn with it; install it "
                "(apt-get install chromium) or write .svg or .html instead."
            )
        self.timeout = timeout
        self._profile = tempfile.TemporaryDirectory(prefix="shanzhi-chromium-")
        self._next_id = 0
        self._buffer = b""
        self._pending: list[dict[str, Any]] = []
        # Keep the child's pipe ends far from 3 and 4 so that dup2 into place cannot clobber them.
        cmd_r, cmd_w = os.pipe()
        evt_r, evt_w = os.pipe()
        child_in = fcntl.fcntl(cmd_r, fcntl.F_DUPFD_CLOEXEC, 100)
        child_out = fcntl.fcntl(evt_w, fcntl.F_DUPFD_CLOEXEC, 100)
        os.close(cmd_r)
        os.close(evt_w)

        def _wire() -> None:  # runs in the child between fork and exec
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        args = [exe, *CHROMIUM_FLAGS, f"--user-data-dir={self._profile.name}", "about:blank"]
        try:
            self._proc = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                preexec_fn=_wire,
                close_fds=False,  # only fds 3 and 4 are inheritable: every other is close-on-exec
                start_new_session=True,
            )
        except OSError as exc:
            raise BrowserError(f"cannot start Chromium ({exe}): {exc}") from exc
        finally:
            os.close(child_in)
            os.close(child_out)
        self._write_fd, self._read_fd = cmd_w, evt_r

    @property
    def pid(self) -> int:
        """The process id of Chromium's browser process."""
        return self._proc.pid

    # -- the protocol --------------------------------------------------------------------------
    def send(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> dict[str, Any]:
        """Send one command and return its result (events that arrive meanwhile are kept)."""
        self._next_id += 1
        msg: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode() + b"\0"
        try:
            while data:
                data = data[os.write(self._write_fd, data) :]
        except OSError as exc:
            raise BrowserError(f"Chromium stopped answering ({exc}).") from exc
        deadline = time.monotonic() + self.timeout
        while True:
            for i, m in enumerate(self._pending):
                if m.get("id") == self._next_id:
                    del self._pending[i]
                    if "error" in m:
                        raise BrowserError(
                            f"Chromium refused {method}: {m['error'].get('message')}"
                        )
                    result: dict[str, Any] = m.get("result", {})
                    return result
            self._read(deadline, method)

    def _read(self, deadline: float, what: str) -> None:
        left = deadline - time.monotonic()
        if left <= 0:
            raise BrowserError(f"Chromium did not answer {what} within {self.timeout:.0f} s.")
        ready, _, _ = select.select([self._read_fd], [], [], left)
        if not ready:
            raise BrowserError(f"Chromium did not answer {what} within {self.timeout:.0f} s.")
        chunk = os.read(self._read_fd, 1 << 20)
        if not chunk:
            raise BrowserError("Chromium exited unexpectedly.")
        self._buffer += chunk
        *messages, self._buffer = self._buffer.split(b"\0")
        self._pending.extend(json.loads(m) for m in messages if m)

    def drain_events(self) -> list[dict[str, Any]]:
        """Every event received so far (and not yet drained), in order."""
        while select.select([self._read_fd], [], [], 0)[0]:
            self._read(time.monotonic() + 1, "events")
        events = [m for m in self._pending if "id" not in m]
        self._pending = [m for m in self._pending if "id" in m]
        return events

    # -- pages ---------------------------------------------------------------------------------
    def open(self, url: str, width: int = 1400, height: int = 900, scale: float = 1.0) -> Page:
        """A new tab of this size showing ``url`` (network and console are recorded)."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        page = Page(self, session, target)
        for domain in ("Page", "Network", "Runtime"):
            self.send(f"{domain}.enable", session=session)
        page.resize(width, height, scale)
        page.navigate(url)
        return page

    def close(self) -> None:
        """Ask Chromium to quit, kill it if it does not, and remove its profile."""
        with contextlib.suppress(BrowserError):
            self.send("Browser.close")
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        for fd in (self._write_fd, self._read_fd):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._profile.cleanup()

    def __enter__(self) -> Browser:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class Page:
    """One tab: what it requested, what it logged, and commands on it."""

    def __init__(self, browser: Browser, session: str, target: str) -> None:
        self.browser, self.session, self.target = browser, session, target
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.console: list[str] = []

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """A command on this tab."""
        result = self.browser.send(method, params, self.session)
        self._collect()
        return result

    def _collect(self) -> None:
        keep = []
        for ev in self.browser.drain_events():
            if ev.get("sessionId") != self.session:
                keep.append(ev)
                continue
            method, params = ev.get("method"), ev.get("params", {})
            if method == "Network.requestWillBeSent":
                self.requests.append(params["request"]["url"])
            elif method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                text = details.get("exception", {}).get("description") or details.get("text")
                self.errors.append(str(text))
            elif method == "Runtime.consoleAPICalled":
                args = params.get("args", [])
                self.console.append(
                    " ".join(str(a.get("value", a.get("description"))) for a in args)
                )
        self.browser._pending.extend(keep)

    def resize(self, width: int, height: int, scale: float = 1.0) -> None:
        """Set the viewport (CSS pixels) and the device pixel ratio."""
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": False},
        )

    def navigate(self, url: str) -> None:
        """Go to ``url`` and wait for its load event."""
        self.send("Page.navigate", {"url": url})
        self.wait_for("document.readyState === 'complete'")

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression (awaited if it is a promise)."""
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in result:
            raise BrowserError(f"the page failed to evaluate {expression!r}")
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout: float | None = None, poll: float = 0.05) -> float:
        """Wait until ``expression`` is truthy; return the seconds waited."""
        start = time.monotonic()
        limit = self.browser.timeout if timeout is None else timeout
        while not self.evaluate(f"!!({expression})"):
            if time.monotonic() - start > limit:
                raise BrowserError(f"the page never reached {expression!r} within {limit:.0f} s.")
            time.sleep(poll)
        return time.monotonic() - start

    def screenshot(self, full_page: bool = False) -> bytes:
        """A PNG of the viewport (or of the whole page)."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            params["captureBeyondViewport"] = True
        return base64.b64decode(self.send("Page.captureScreenshot", params)["data"])

    def close(self) -> None:
        """Close the tab."""
        self.browser.send("Target.closeTarget", {"targetId": self.target})
