"""The ASGI application of ``shanzhi serve``: FastAPI routes over :mod:`shanzhi.web.service`.

Every route but ``/login`` and ``/static`` needs a session (:func:`current`); every POST needs the
session's CSRF token (:func:`posted`). Library errors become a page (or JSON under ``/api``) with
one sentence, Chinese first, and a status: 404 not found or not yours, 409 several, 403 not
allowed, 400 bad input, 503 store unreachable — never a traceback. Every response carries a
Content-Security-Policy that allows nothing from elsewhere, so the page works offline and a name
in the data can never run as script (Jinja2 escapes every one, too).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shanzhi.errors import (
    AccessDeniedError,
    AmbiguousError,
    NotFoundError,
    ShanzhiError,
    StoreUnavailableError,
)
from shanzhi.graph.model import GridLevel, OrgKind
from shanzhi.web.accounts import Accounts, db_path
from shanzhi.web.security import new_token, same_token, session_secret
from shanzhi.web.service import Ctx, State

__all__ = [
    "CSP",
    "LoginRequired",
    "create_app",
    "current",
    "posted",
    "render",
    "route_table",
]

HERE = Path(__file__).parent
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; form-action 'self'; "
    "base-uri 'none'"
)
SESSION_HOURS = 12
log = logging.getLogger("shanzhi.web")


class LoginRequired(Exception):
    """No (valid) session: log in first."""


class _Headers:
    """Security headers on every response (the picture route sets its own CSP)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", CSP.encode()))
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"referrer-policy", b"same-origin"))
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, wrapped)


def _state(request: Request) -> State:
    state: State = request.app.state.shanzhi
    return state


def _client(request: Request) -> str | None:
    return request.client.host if request.client else None


def current(request: Request) -> Ctx:
    """The logged-in account of this request, with its scope (LoginRequired if none)."""
    state = _state(request)
    session = request.session
    name = session.get("user")
    user = state.accounts.find(name) if isinstance(name, str) else None
    if user is None or session.get("epoch") != user.epoch:
        session.pop("user", None)
        raise LoginRequired()
    csrf = session.get("csrf")
    if not isinstance(csrf, str):
        csrf = session["csrf"] = new_token()
    return Ctx(user=user, scope=state.scopes.of(user), csrf=csrf, client=_client(request))


async def posted(request: Request) -> Ctx:
    """:func:`current`, for a POST: the session's CSRF token must come with it."""
    ctx = current(request)
    given = request.headers.get("x-csrf-token")
    if given is None and "form" in request.headers.get("content-type", ""):
        given = str((await request.form()).get("csrf") or "")
    if not same_token(ctx.csrf, given):
        raise AccessDeniedError("表单已过期，请刷新页面再试。 The form expired; reload the page.")
    return ctx


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["level_zh"] = lambda v: _zh(GridLevel, v)
    env.filters["kind_zh"] = lambda v: "人员" if v == "person" else _zh(OrgKind, v)
    env.filters["q"] = lambda v: quote(str(v), safe="")
    return env


def _zh(enum: Any, value: Any) -> str:
    try:
        return str(enum(value).zh)
    except ValueError:
        return str(value)


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A template rendered with the request's account (if any) and CSRF token."""
    env: jinja2.Environment = request.app.state.templates
    ctx = context.pop("ctx", None)
    csrf = ctx.csrf if ctx else request.session.setdefault("csrf", new_token())
    page = env.get_template(name).render(request=request, ctx=ctx, csrf=csrf, **context)
    return HTMLResponse(page, status_code=status)


_STATUS: tuple[tuple[type[ShanzhiError], int, str], ...] = (
    (AmbiguousError, 409, "不止一个 · several match"),
    (NotFoundError, 404, "找不到 · not found"),
    (AccessDeniedError, 403, "不允许 · not allowed"),
    (StoreUnavailableError, 503, "图谱暂时无法访问 · the store is unreachable"),
)


def _status(exc: ShanzhiError) -> tuple[int, str]:
    for cls, code, title in _STATUS:
        if isinstance(exc, cls):
            return code, title
    return (400, "输入有误 · bad input") if exc.exit_code == 2 else (422, "数据问题 · data problem")


def _install_handlers(app: FastAPI) -> None:
    def api(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if api(request):
            return JSONResponse({"error": "请先登录 · log in first"}, status_code=401)
        return RedirectResponse("/login?next=" + quote(request.url.path, safe="/"), 303)

    @app.exception_handler(ShanzhiError)
    async def shanzhi_error(request: Request, exc: ShanzhiError) -> Response:
        code, title = _status(exc)
        if api(request):
            body: dict[str, Any] = {"error": str(exc), "title": title}
            if isinstance(exc, AmbiguousError):
                body["candidates"] = exc.candidates
            if isinstance(exc, NotFoundError) and exc.suggestions:
                body["closest"] = exc.suggestions
            return JSONResponse(body, status_code=code)
        try:
            ctx: Ctx | None = current(request)
        except LoginRequired:
            ctx = None
        return render(request, "error.html", code, ctx=ctx, title=title, message=str(exc))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        if api(request):
            return JSONResponse({"error": "输入有误 bad input", "detail": exc.errors()}, 422)
        return render(request, "error.html", 400, title="输入有误 · bad input", message="")

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s", request.url.path)
        if api(request):
            return JSONResponse({"error": "内部错误 internal error"}, status_code=500)
        return render(request, "error.html", 500, title="内部错误 · internal error", message="")


def route_table(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every route the app answers (the static files aside).

    Routers included with ``include_router`` are walked into; an entry of a shape not known here
    is an error, so that no route can be left out of what the authorisation test asks.
    """
    found: set[tuple[str, str]] = set()

    def walk(routes: Any) -> None:
        for route in routes:
            if isinstance(route, Mount) and route.path == "/static":
                continue
            inner = getattr(route, "original_router", None)
            if inner is not None:
                walk(inner.routes)
            elif getattr(route, "methods", None) and getattr(route, "path", None):
                found.update((m, route.path) for m in route.methods if m != "HEAD")
            else:
                raise TypeError(f"unknown route {route!r}")

    walk(app.routes)
    return found


def create_app(
    store: Any, home: Path | str, https_only: bool = False, warm_up: bool = False
) -> FastAPI:
    """The application over ``store`` (read only), with accounts and secret in ``home``.

    ``warm_up``: when the server starts, work out every scoped account's scope in the background.
    """
    from shanzhi.web import api, pages
    from shanzhi.web.service import warm

    home = Path(home)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm_up:
            threading.Thread(target=warm, args=(app.state.shanzhi,), daemon=True).start()
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="善治 shanzhi",
        summary="谁负责这栋楼 — the who-covers card, audit, 善治朋友圈, changes, provenance.",
        description="The JSON answers mirror `shanzhi … --json`. Log in at /login first; "
        "POST requests need the X-CSRF-Token header (GET /api/me gives it).",
        docs_url=None,  # FastAPI's docs pages load their scripts from a CDN: /api-docs instead
        redoc_url=None,
        openapi_url=None,
    )
    app.state.shanzhi = State(store=store, home=home, accounts=Accounts(db_path(home)))
    app.state.templates = _environment()
    app.include_router(pages.router)
    app.include_router(api.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _install_handlers(app)
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(home),
        session_cookie="shanzhi_session",
        max_age=SESSION_HOURS * 3600,
        same_site="strict",
        https_only=https_only,
    )
    app.add_middleware(_Headers)
    return app
