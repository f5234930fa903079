"""``shanzhi serve``: the web page on uvicorn, bound to 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["is_loopback", "serve"]


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable only from this machine.

    >>> [is_loopback(h) for h in ("127.0.0.1", "localhost", "::1", "0.0.0.0")]
    [True, True, True, False]
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(
    store: Any,
    home: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    warn: Callable[[str], None] = print,
    https_only: bool = False,
) -> None:
    """Run the page until stopped (Ctrl-C); warns when it listens beyond this machine."""
    import uvicorn

    from shanzhi.web.app import create_app

    if not is_loopback(host):
        warn(
            f"警告：页面在 {host} 上监听，其他机器也能访问；"
            "请只在可信网络中使用，并放在 HTTPS 之后。 "
            f"warning: listening on {host}, reachable from other machines; use a trusted network "
            "and put HTTPS in front."
        )
    app = create_app(store, home, https_only=https_only, warm_up=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
