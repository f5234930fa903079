"""``shanzhi users …``, ``shanzhi access-log``, and ``shanzhi serve`` as a real server."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from shanzhi.cli import main
from shanzhi.config import Settings
from shanzhi.graph.stores import load, open_store
from shanzhi.web.app import create_app
from tests.factories import tiny
from tests.web.webkit import log_in

PW = "a-long-enough-password"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    store = open_store(Settings(home=tmp_path))
    load(store, tiny())
    store.close()
    return tmp_path


def run(home: Path, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, ["--home", str(home), *args], input=stdin)
    return r.exit_code, r.stdout, r.stderr


def test_users_add_list_passwd_remove(home: Path) -> None:
    code, out, _ = run(home, "users", "add", "li", "--role", "网格员", "--grid", "G4",
                       stdin=f"{PW}\n{PW}\n")  # fmt: skip
    assert code == 0 and "added li · 网格员 · tiny:G4" in out
    code, out, _ = run(home, "users", "add", "boss", "--role", "admin", stdin=f"{PW}\n{PW}\n")
    assert code == 0
    code, out, _ = run(home, "users", "list", "--json")
    rows = json.loads(out)
    assert [(r["name"], r["role"], r["grid"], r["grid_name"]) for r in rows] == [
        ("boss", "admin", None, None),
        ("li", "gridworker", "tiny:G4", "示例支部网格"),
    ]
    code, out, _ = run(home, "users", "passwd", "li", stdin="another-password\nanother-password\n")
    assert code == 0 and "password of li changed" in out
    code, out, _ = run(home, "users", "remove", "li")
    assert code == 0
    code, _, err = run(home, "users", "remove", "li")
    assert code == 1 and "没有这个账号 no account named 'li'" in err


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--role", "mayor"], 2, "未知角色 unknown role 'mayor'"),
        (["--role", "gridworker"], 2, "网格员账号需要 --grid"),
        (["--role", "gridworker", "--grid", "G-NOPE"], 1, "没有网格 'G-NOPE'"),
        (["--role", "staff", "--grid", "G5"], 2, "居委/街道账号的网格应是居民区、街区或街道网格"),
        (["--role", "analyst", "--grid", "G3"], 2, "分析员能看全部，不需要 --grid"),
    ],
)
def test_users_add_refuses(home: Path, args: list[str], code: int, message: str) -> None:
    got, _, err = run(home, "users", "add", "x", *args, stdin=f"{PW}\n{PW}\n")
    assert got == code and message in err
    assert "Traceback" not in err


def test_short_password_is_refused(home: Path) -> None:
    code, _, err = run(home, "users", "add", "x", "--role", "admin", stdin="short\nshort\n")
    assert code == 2 and "密码至少 10 个字符" in err


def test_access_log_lists_every_phone_shown(home: Path) -> None:
    run(home, "users", "add", "li", "--role", "gridworker", "--grid", "G4", stdin=f"{PW}\n{PW}\n")
    store = open_store(Settings(home=home))
    client = log_in(TestClient(create_app(store, home)), "li", PW)
    csrf = client.get("/api/me").json()["csrf"]
    r = client.post(
        "/api/who-covers/contact",
        json={"building": "tiny:B1", "person": "P1", "on": "2024-01-01"},
        headers={"X-CSRF-Token": csrf},
    )
    assert r.status_code == 200 and "13800000001" in r.text
    code, out, _ = run(home, "access-log", "--json")
    (entry,) = json.loads(out)
    assert (entry["user"], entry["person_uid"], entry["person_name"], entry["building_uid"]) == (
        "li", "tiny:P1", "张测试", "tiny:B1",
    )  # fmt: skip
    code, out, _ = run(home, "access-log")
    assert code == 0 and "张测试" in out and "│ li " in out
    store.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(home: Path, *args: str) -> tuple[subprocess.Popen[str], int]:
    port = _free_port()
    exe = Path(sys.executable).parent / "shanzhi"
    proc = subprocess.Popen(
        [str(exe), "--home", str(home), "serve", "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as r:
                if r.status == 200:
                    return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError(f"shanzhi serve did not answer: {proc.communicate()}")


@pytest.mark.slow
def test_serve_binds_loopback_by_default(home: Path) -> None:
    proc, port = _serve(home)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as r:
            page = r.read().decode()
        assert "登录" in page and "default-src 'none'" in r.headers["content-security-policy"]
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=20)
    assert f"http://127.0.0.1:{port}/" in out
    assert "警告" not in err


@pytest.mark.slow
def test_serve_warns_when_not_loopback(home: Path) -> None:
    proc, _ = _serve(home, "--host", "0.0.0.0")
    proc.terminate()
    _, err = proc.communicate(timeout=20)
    assert "警告：页面在 0.0.0.0 上监听" in err and "reachable from other machines" in err
