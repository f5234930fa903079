"""The web page as a person uses it, in headless Chromium (the project's DevTools helper) against a
real server on 127.0.0.1: log in, type a building the way people type it, get the card; open a
block's 善治朋友圈; the same at 390 px wide. Every request the page makes stays on 127.0.0.1.

Set SHANZHI_SCREENSHOTS=docs/screenshots to keep the screenshots (that is how the README's were
made). Without Chromium the module is skipped, or fails when CI=true.
"""

from __future__ import annotations

import io
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from PIL import Image, ImageStat

from shanzhi.config import Settings
from shanzhi.graph.stores import load, open_store
from shanzhi.loaders import load_dataset
from shanzhi.sample import sample_path
from shanzhi.viz.browser import Browser, Page, find_chromium
from shanzhi.web.accounts import Accounts, Role, db_path
from shanzhi.web.app import create_app

pytestmark = pytest.mark.browser

PW = "browser-test-password"
SETTLED = "window.__shanzhi && (window.__shanzhi.settled || window.__shanzhi.error)"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server over the sample on a free port of 127.0.0.1; its base URL."""
    home = tmp_path_factory.mktemp("browser-home")
    store = open_store(Settings(home=home))
    load(store, load_dataset(sample_path()))
    accounts = Accounts(db_path(home))
    accounts.add("wang", PW, Role.GRIDWORKER, "gonghexinlu:G-C17-BR2")
    accounts.add("zhou", PW, Role.STAFF, "gonghexinlu:G-BLK-SHANYANG")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(store, home), host="127.0.0.1", port=port,
                            log_level="warning")  # fmt: skip
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if find_chromium() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("needs chromium (apt-get install -y chromium)")
        pytest.skip("needs chromium")
    with Browser() as b:
        yield b


def _shots() -> Path:
    folder = Path(os.environ.get("SHANZHI_SCREENSHOTS") or "/tmp/shanzhi-web-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _save(page: Page, name: str) -> Image.Image:
    png = page.screenshot(full_page=True)
    (_shots() / name).write_bytes(png)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert ImageStat.Stat(image.convert("L")).stddev[0] > 10, f"{name} looks blank"
    return image


def _wait_path(page: Page, path: str) -> None:
    page.wait_for(f"location.pathname.startsWith({path!r}) && document.readyState === 'complete'")


def _log_in(browser: Browser, base: str, name: str, width: int) -> Page:
    page = browser.open(f"{base}/login", width=width, height=844 if width < 500 else 900)
    _wait_path(page, "/login")
    page.evaluate(
        f"document.querySelector('[name=username]').value = {name!r};"
        f"document.querySelector('[name=password]').value = {PW!r};"
        "document.querySelector('form.stack').requestSubmit(); true"
    )
    page.wait_for("location.pathname === '/' && document.getElementById('q')")
    return page


def _type(page: Page, text: str) -> None:
    """Type as a person does: one character at a time into the focused search box."""
    page.evaluate("document.getElementById('q').focus(); true")
    for ch in text:
        page.send("Input.insertText", {"text": ch})
        time.sleep(0.03)


def _local_only(page: Page, base: str) -> None:
    strays = [u for u in page.requests if not u.startswith((base, "data:", "about:", "blob:"))]
    assert strays == [] and page.errors == []


def _no_sideways_scroll(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1280, 390])
def test_type_a_building_get_the_card(browser: Browser, server: str, width: int) -> None:
    page = _log_in(browser, server, "wang", width)
    _type(page, "嘉利明珠城１２号")  # full-width digits, as a phone keyboard may give
    page.wait_for("document.querySelectorAll('#suggestions a').length === 1")
    assert page.evaluate("document.getElementById('parsed').textContent") == (
        "解析：小区/道路 嘉利明珠城 · 号 12"
    )
    assert page.evaluate("document.querySelector('#suggestions a').textContent").startswith(
        "嘉利明珠城12号楼"
    )
    suffix = "" if width > 500 else "-390"
    _save(page, f"web-search{suffix}.png")
    page.evaluate("document.getElementById('search-form').requestSubmit(); true")
    _wait_path(page, "/building/")
    assert page.evaluate("document.querySelector('h1').textContent") == "嘉利明珠城12号楼"
    levels = page.evaluate("[...document.querySelectorAll('.level .tag')].map(e => e.textContent)")
    assert levels[0] == "党小组和楼组网格" and len(levels) == 5
    phones = page.evaluate("[...document.querySelectorAll('.num')].map(e => e.textContent)")
    assert phones and all("****" in p for p in phones)
    _no_sideways_scroll(page, width)
    _save(page, f"web-card{suffix}.png")
    # show one phone: a deliberate POST, then the phone in full and the log line's number
    page.evaluate("document.querySelector('.phone form').requestSubmit(); true")
    page.wait_for("document.querySelector('.ok') !== null")
    shown = page.evaluate("[...document.querySelectorAll('.num')].map(e => e.textContent)")
    assert sum("****" not in p for p in shown) >= 1
    _local_only(page, server)
    page.close()


def test_an_other_grids_building_is_not_offered(browser: Browser, server: str) -> None:
    page = _log_in(browser, server, "wang", 1280)
    _type(page, "兰馨苑3号楼")
    page.wait_for("document.querySelector('#suggestions li') !== null")
    listed = page.evaluate("document.getElementById('suggestions').textContent")
    assert "兰馨" not in listed
    page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_open_a_circle_picture(browser: Browser, server: str, width: int) -> None:
    page = _log_in(browser, server, "zhou", width)
    page.navigate(f"{server}/circles")
    names = page.evaluate("[...document.querySelectorAll('.choices a')].map(a => a.textContent)")
    assert names == ["善养街区网格"]
    page.evaluate("document.querySelector('.choices a').click(); true")
    _wait_path(page, "/circle/")
    page.wait_for(f"(() => {{ const w = document.querySelector('iframe').contentWindow;"
                  f" return w && {SETTLED.replace('window', 'w')}; }})()", timeout=60)  # fmt: skip
    frame = "document.querySelector('iframe').contentWindow"
    assert page.evaluate(f"{frame}.__shanzhi.error || null") is None
    members = page.evaluate("document.querySelectorAll('table.centrality tbody tr').length")
    assert members == 18
    _no_sideways_scroll(page, width)
    suffix = "" if width > 500 else "-390"
    image = _save(page, f"web-circle{suffix}.png")
    assert image.width >= width
    _local_only(page, server)
    page.close()


def test_the_login_page_at_phone_width(browser: Browser, server: str) -> None:
    page = browser.open(f"{server}/login", width=390, height=844)
    _no_sideways_scroll(page, 390)
    box: Any = page.evaluate(
        "(() => { const r = document.querySelector('button').getBoundingClientRect();"
        " return [r.width, r.height]; })()"
    )
    assert box[1] >= 30  # a button a thumb can hit
    page.close()
