"""The HTML pages (Chinese first); each calls one function of :mod:`shanzhi.web.service`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from shanzhi.errors import AccessDeniedError
from shanzhi.graph.queries.audit import GAP_KINDS
from shanzhi.web import accesslog, service
from shanzhi.web.app import current, posted, render
from shanzhi.web.security import new_token, same_token
from shanzhi.web.service import Ctx, State

__all__ = ["GAP_ZH", "router"]

router = APIRouter(include_in_schema=False)
Session = Annotated[Ctx, Depends(current)]
Posted = Annotated[Ctx, Depends(posted)]
Day = Annotated[str | None, Query(max_length=10)]

GAP_ZH = {
    "uncovered_buildings": "无网格覆盖的楼",
    "unled_grids": "无党组织引领的网格",
    "groups_without_party_member": "无党员的楼管小组",
    "branches_without_liaison": "无社工联系的支部",
    "vacant_posts": "空缺岗位",
}


def _state(request: Request) -> State:
    state: State = request.app.state.shanzhi
    return state


def _safe_next(target: str | None) -> str:
    """Only a path of this site (no ``//host``, no scheme) may follow a login."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


# -- logging in and out --------------------------------------------------------------------------
@router.get("/login")
def login_page(request: Request, next: str | None = None) -> HTMLResponse:
    return render(request, "login.html", next=_safe_next(next), error=None)


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    csrf: Annotated[str, Form(max_length=128)] = "",
    next: Annotated[str, Form(max_length=512)] = "/",
) -> Response:
    state = _state(request)
    client = request.client.host if request.client else "?"
    if not same_token(request.session.get("csrf"), csrf):
        return render(request, "login.html", 403, next=_safe_next(next),
                      error="表单已过期，请再试一次。 The form expired; try again.")  # fmt: skip
    wait = state.throttle.wait(username, client)
    if wait:
        return render(request, "login.html", 429, next=_safe_next(next),
                      error=f"登录尝试过多，请 {wait} 秒后再试。 "
                      f"Too many attempts; wait {wait} s.")  # fmt: skip
    user = state.accounts.check(username, password)
    if user is None:
        state.throttle.fail(username, client)
        return render(request, "login.html", 401, next=_safe_next(next),
                      error="账号或密码不对。 Wrong account name or password.")  # fmt: skip
    state.throttle.succeed(username)
    request.session.clear()
    request.session.update({"user": user.name, "epoch": user.epoch, "csrf": new_token()})
    return RedirectResponse(_safe_next(next), 303)


@router.post("/logout")
def logout(request: Request, ctx: Posted) -> Response:
    request.session.clear()
    return RedirectResponse("/login", 303)


# -- search and the card -------------------------------------------------------------------------
@router.get("/")
def home(request: Request, ctx: Session) -> HTMLResponse:
    return render(request, "home.html", ctx=ctx, q="", choice=None)


@router.get("/search")
def search(
    request: Request, ctx: Session, q: Annotated[str, Query(max_length=200)] = "", on: Day = None
) -> Response:
    if not q.strip():
        return RedirectResponse("/", 303)
    choice = service.find(_state(request), ctx, q)
    if choice["uid"]:
        suffix = f"?on={on}" if on else ""
        return RedirectResponse(f"/building/{choice['uid']}{suffix}", 303)
    return render(request, "home.html", ctx=ctx, q=q, choice=choice)


def _card(request: Request, ctx: Ctx, answer: dict[str, Any]) -> HTMLResponse:
    return render(request, "card.html", ctx=ctx, a=answer)


@router.get("/building/{uid}")
def building(request: Request, ctx: Session, uid: str, on: Day = None) -> HTMLResponse:
    return _card(request, ctx, service.card(_state(request), ctx, uid, on))


@router.post("/building/{uid}/contact")
def building_contact(
    request: Request,
    ctx: Posted,
    uid: str,
    person: Annotated[str, Form(max_length=128)],
    on: Annotated[str | None, Form(max_length=10)] = None,
) -> HTMLResponse:
    return _card(request, ctx, service.contact(_state(request), ctx, uid, person, on or None))


# -- audit ---------------------------------------------------------------------------------------
@router.get("/audit")
def audit(request: Request, ctx: Session, on: Day = None) -> HTMLResponse:
    result = service.audit_view(_state(request), ctx, on)
    return render(request, "audit.html", ctx=ctx, r=result, gap_zh=GAP_ZH)


@router.get("/audit/gaps")
def audit_gaps(
    request: Request,
    ctx: Session,
    grid: Annotated[str, Query(max_length=200)],
    kind: Annotated[str | None, Query(max_length=40)] = None,
    on: Day = None,
) -> HTMLResponse:
    kind = kind if kind in GAP_KINDS else None
    result = service.gap_list(_state(request), ctx, grid, kind, on)
    return render(request, "gaps.html", ctx=ctx, r=result, gap_zh=GAP_ZH)


# -- circles -------------------------------------------------------------------------------------
@router.get("/circles")
def circle_list(request: Request, ctx: Session) -> HTMLResponse:
    return render(request, "circles.html", ctx=ctx, blocks=service.blocks(_state(request), ctx))


@router.get("/circle/{uid}")
def circle(request: Request, ctx: Session, uid: str) -> HTMLResponse:
    result = service.circle_view(_state(request), ctx, uid)
    return render(request, "circle.html", ctx=ctx, r=result, block=result["blocks"][0])


@router.get("/circle/{uid}/picture")
def circle_picture(request: Request, ctx: Session, uid: str) -> HTMLResponse:
    from shanzhi.viz.html import CSP

    page = service.circle_picture(_state(request), ctx, uid)
    return HTMLResponse(page, headers={"content-security-policy": CSP + "; frame-ancestors 'self'"})


# -- loads, records, the query library, the access log ------------------------------------------
@router.get("/changes")
def changes(
    request: Request,
    ctx: Session,
    dataset: Annotated[str | None, Query(max_length=200)] = None,
    load: int | None = None,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 200,
) -> HTMLResponse:
    result = service.load_changes(_state(request), ctx, dataset, load)
    shown = result["changes"][:limit]
    return render(request, "changes.html", ctx=ctx, r=result, shown=shown, limit=limit)


@router.get("/record/{uid:path}")
def record(request: Request, ctx: Session, uid: str) -> HTMLResponse:
    return render(request, "record.html", ctx=ctx, r=service.record(_state(request), ctx, uid))


@router.get("/cypher")
def cypher_list(request: Request, ctx: Session) -> HTMLResponse:
    from shanzhi.cypher import names, query

    service.check_query_role(ctx)
    queries = [query(n) for n in names()]
    neo4j = service.runs_cypher(_state(request).store)
    return render(request, "cypher_list.html", ctx=ctx, queries=queries, neo4j=neo4j)


@router.get("/cypher/{name}")
def cypher_form(request: Request, ctx: Session, name: str) -> HTMLResponse:
    from shanzhi.cypher import query

    service.check_query_role(ctx)
    neo4j = service.runs_cypher(_state(request).store)
    return render(request, "cypher_form.html", ctx=ctx, q=query(name), values={}, rows=None,
                  neo4j=neo4j)  # fmt: skip


@router.post("/cypher/{name}")
async def cypher_run(request: Request, ctx: Posted, name: str) -> HTMLResponse:
    from starlette.concurrency import run_in_threadpool

    from shanzhi.cypher import query

    service.check_query_role(ctx)
    q = query(name)
    form = await request.form()
    values = {p.name: str(form.get(p.name) or "") for p in q.params}
    rows = await run_in_threadpool(service.run_query, _state(request), ctx, name, values)
    return render(request, "cypher_form.html", ctx=ctx, q=q, values=values, rows=rows,
                  neo4j=True)  # fmt: skip


@router.get("/access-log")
def access_log(request: Request, ctx: Session, user: str | None = None) -> HTMLResponse:
    if ctx.user.role.value != "admin":
        raise AccessDeniedError("只有管理员可以查看访问记录。 Only admins see the access log.")
    entries = accesslog.entries(_state(request).db, user=user, limit=500)
    return render(request, "access_log.html", ctx=ctx, entries=entries)


@router.get("/api-docs")
def api_docs(request: Request, ctx: Session) -> HTMLResponse:
    schema = request.app.openapi()
    return render(request, "api_docs.html", ctx=ctx, schema=schema)
