"""Safe by construction: cookies, CSRF, the login throttle, headers, escaping, read-only."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from shanzhi.config import Settings
from shanzhi.graph.model import Label, Node, Relation, RelType
from shanzhi.graph.model.dataset import Dataset
from shanzhi.graph.stores import load, open_store
from shanzhi.web.accounts import Accounts, Role, db_path
from shanzhi.web.app import create_app
from shanzhi.web.security import SECRET_NAME
from tests.factories import node, rel, tiny
from tests.web.webkit import PASSWORD, csrf_of, log_in

SCRIPT = "<script>alert('x')</script>"


def test_session_cookie_is_signed_httponly_strict(web_app: Any) -> None:
    client = TestClient(web_app)
    token = csrf_of(client.get("/login").text)
    r = client.post(
        "/login",
        data={"username": "admin", "password": PASSWORD, "csrf": token},
        follow_redirects=False,
    )
    cookie = r.headers["set-cookie"].lower()
    assert r.status_code == 303
    assert "shanzhi_session=" in cookie and "httponly" in cookie and "samesite=strict" in cookie
    client.cookies.set("shanzhi_session", client.cookies["shanzhi_session"][:-4] + "AAAA")
    assert client.get("/api/me").status_code == 401  # a tampered cookie is no session


def test_secret_and_accounts_file_are_private(web_home: Path) -> None:
    for name in (SECRET_NAME, "web.db"):
        mode = stat.S_IMODE(os.stat(web_home / name).st_mode)
        assert mode == 0o600, (name, oct(mode))


def test_post_without_csrf_is_refused(client_of: Any) -> None:
    client = client_of("admin")
    r = client.post("/api/who-covers/contact", json={"building": "嘉利明珠城12号", "person": "x"})
    assert r.status_code == 403
    assert r.json()["error"].startswith("表单已过期")
    r = client.post("/building/gonghexinlu:P-JLMZ-B12/contact", data={"person": "H-0140"})
    assert r.status_code == 403 and "13800000140" not in r.text


def test_login_is_rate_limited(web_app: Any, web_home: Path) -> None:
    Accounts(db_path(web_home)).add("throttled", PASSWORD, Role.ANALYST, None)
    client = TestClient(web_app)
    codes = []
    for _ in range(7):
        token = csrf_of(client.get("/login").text)
        r = client.post("/login", data={"username": "throttled", "password": "wrong-password",
                                        "csrf": token})  # fmt: skip
        codes.append(r.status_code)
    assert codes == [401] * 5 + [429, 429]
    assert "登录尝试过多" in r.text
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"username": "throttled", "password": PASSWORD, "csrf": token})
    assert r.status_code == 429  # even the right password waits


def test_login_never_redirects_off_site(web_app: Any) -> None:
    client = TestClient(web_app)
    token = csrf_of(client.get("/login").text)
    r = client.post(
        "/login",
        data={"username": "analyst", "password": PASSWORD, "csrf": token,
              "next": "//evil.example/x"},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_password_change_and_removal_end_sessions(web_app: Any, web_home: Path) -> None:
    accounts = Accounts(db_path(web_home))
    accounts.add("temp_user", PASSWORD, Role.ANALYST, None)
    client = log_in(TestClient(web_app), "temp_user")
    assert client.get("/api/me").json()["role"] == "analyst"
    accounts.set_password("temp_user", "another-long-password")
    assert client.get("/api/me").status_code == 401
    log_in(client, "temp_user", "another-long-password")
    accounts.remove("temp_user")
    assert client.get("/api/me").status_code == 401


def test_headers_forbid_other_origins(client_of: Any) -> None:
    client = client_of("admin")
    r = client.get("/")
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "http" not in r.text.split("<main>")[0]  # nothing loaded from elsewhere
    picture = client.get("/circle/gonghexinlu:G-BLK-SHANYANG/picture")
    assert picture.status_code == 200
    assert "connect-src 'none'" in picture.headers["content-security-policy"]


def test_analyst_never_gets_a_full_phone(client_of: Any) -> None:
    client = client_of("analyst")
    csrf = client.get("/api/me").json()["csrf"]
    r = client.post(
        "/api/who-covers/contact",
        json={"building": "gonghexinlu:P-JLMZ-B12", "person": "H-0140"},
        headers={"X-CSRF-Token": csrf},
    )
    assert r.status_code == 403 and "13800000140" not in r.text
    card = client.get("/building/gonghexinlu:P-JLMZ-B12").text
    assert "138****0140" in card and "显示电话" not in card


def test_out_of_scope_reads_like_not_found(client_of: Any) -> None:
    client = client_of("gw_br2")
    r = client.get("/api/who-covers", params={"building": "gonghexinlu:P-LXY-B03"})
    missing = client.get("/api/who-covers", params={"building": "no-such-building-anywhere"})
    assert r.status_code == missing.status_code == 404
    assert r.json()["title"] == missing.json()["title"]
    mine = {f"嘉利明珠城{n}号楼" for n in range(8, 15)}
    assert set(r.json().get("closest", [])) <= mine
    assert "兰馨" not in r.text


def _hostile(name: str = "hostile") -> Dataset:
    base = tiny(name)
    nodes = tuple(
        Node.model_validate({**n.model_dump(), "name": f"{SCRIPT}楼管小组"}) if n.id == "O2" else n
        for n in base.nodes
    )
    extra = node("O9", Label.ORG, f'<img src=x onerror="alert(1)">{SCRIPT}商户', "merchant")
    relations: tuple[Relation, ...] = (*base.relations, rel("O9", RelType.PARTNERS, "G2"))
    return Dataset(name, (*nodes, extra), relations, base.source)


def test_names_from_the_data_are_text(tmp_path: Path) -> None:
    """A merchant or group called <script>… shows as text on every page that names it."""
    store = open_store(Settings(home=tmp_path))
    load(store, _hostile())
    Accounts(db_path(tmp_path)).add("admin", PASSWORD, Role.ADMIN, None)
    client = log_in(TestClient(create_app(store, tmp_path)), "admin")
    pages = [
        client.get("/building/hostile:B1"),
        client.get("/circle/hostile:G2"),
        client.get("/record/hostile:O9"),
        client.get("/changes"),
        client.get("/circle/hostile:G2/picture"),
    ]
    for r in pages:
        assert r.status_code == 200, r.url
        body = r.text
        assert SCRIPT not in body and "<img src=x" not in body, r.url
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;楼管小组" in pages[0].text
    assert "&lt;img src=x onerror=" in pages[1].text
    api = client.get("/api/who-covers", params={"building": "hostile:B1"}).json()
    assert api["chain"][0]["orgs"][-1]["name"] == f"{SCRIPT}楼管小组"  # JSON keeps the data
    store.close()


def test_the_page_never_writes_the_graph(client_of: Any, web_store: Any) -> None:
    before = {d: web_store.fingerprints(d) for d in web_store.datasets()}
    loads = {d: web_store.loads(d) for d in web_store.datasets()}
    client = client_of("admin")
    csrf = client.get("/api/me").json()["csrf"]
    for url in ("/", "/audit", "/circles", "/changes", "/building/gonghexinlu:P-JLMZ-B12"):
        assert client.get(url).status_code == 200
    client.post(
        "/api/who-covers/contact",
        json={"building": "gonghexinlu:P-JLMZ-B12", "person": "H-0140"},
        headers={"X-CSRF-Token": csrf},
    )
    assert {d: web_store.fingerprints(d) for d in web_store.datasets()} == before
    assert {d: web_store.loads(d) for d in web_store.datasets()} == loads


def test_an_other_grids_gap_list_is_not_shown(client_of: Any) -> None:
    client = client_of("gw_br2")
    r = client.get("/audit/gaps", params={"grid": "gonghexinlu:G-C03"})
    assert r.status_code == 404 and "晴川" not in r.text
    assert client.get("/audit/gaps", params={"grid": "gonghexinlu:G-C17-BR2"}).status_code == 200


def test_scopes_are_worked_out_when_the_server_starts(tmp_path: Path, web_store: Any) -> None:
    """With warm_up (what `shanzhi serve` passes) nobody's first request waits for its scope."""
    Accounts(db_path(tmp_path)).add("early", PASSWORD, Role.STAFF, "gonghexinlu:G-C17")
    app = create_app(web_store, tmp_path, warm_up=True)
    state = app.state.shanzhi
    user = state.accounts.get("early")
    assert not state.scopes.ready(user)
    with TestClient(app):
        deadline = time.monotonic() + 60
        while not state.scopes.ready(user) and time.monotonic() < deadline:
            time.sleep(0.1)
    assert state.scopes.ready(user)
