"""The JSON API: the CLI's ``--json`` answers, cut to the account's scope (OpenAPI at
``/api/openapi.json``, read as a page at ``/api-docs``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from shanzhi.errors import AccessDeniedError, AmbiguousError, NotFoundError
from shanzhi.graph.queries.audit import GAP_KINDS
from shanzhi.web import accesslog, service
from shanzhi.web.app import current, posted
from shanzhi.web.service import Ctx, State

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["api"])
Session = Annotated[Ctx, Depends(current)]
Posted = Annotated[Ctx, Depends(posted)]
Day = Annotated[
    str | None, Query(max_length=10, description="The day to answer for, YYYY-MM-DD (today).")
]


def _state(request: Request) -> State:
    state: State = request.app.state.shanzhi
    return state


class ContactRequest(BaseModel):
    """Which phone to show in full, on which building's card."""

    building: str = Field(max_length=200, description="The building's uid (or as typed).")
    person: str = Field(max_length=128, description="The person's id on the card.")
    on: str | None = Field(default=None, max_length=10, description="YYYY-MM-DD (today).")


@router.get("/openapi.json", include_in_schema=False)
def openapi(request: Request, ctx: Session) -> dict[str, Any]:
    schema: dict[str, Any] = request.app.openapi()
    return schema


@router.get("/me")
def me(ctx: Session) -> dict[str, Any]:
    """The account: name, role, grid, and the CSRF token POST requests must send."""
    return {
        "name": ctx.user.name,
        "role": ctx.user.role.value,
        "role_zh": ctx.user.role.zh,
        "grid": ctx.user.grid,
        "grid_name": ctx.scope.grid_name,
        "csrf": ctx.csrf,
    }


@router.get("/suggest")
def suggest(
    request: Request, ctx: Session, q: Annotated[str, Query(max_length=200)] = ""
) -> dict[str, Any]:
    """Buildings of the account's for what is typed so far, and how the text was read."""
    return service.suggestions(_state(request), ctx, q)


def _building(request: Request, ctx: Ctx, building: str) -> str:
    choice = service.find(_state(request), ctx, building)
    if choice["uid"]:
        return choice["uid"]
    if choice["status"] == "several":
        found = [{k: str(v) for k, v in c.items()} for c in choice["candidates"]]
        raise AmbiguousError(str(choice["message"]), found)
    raise NotFoundError(str(choice["message"]), [c["name"] for c in choice["closest"]])


@router.get("/who-covers")
def who_covers(
    request: Request,
    ctx: Session,
    building: Annotated[str, Query(max_length=200, description="As people type it, or a uid.")],
    on: Day = None,
) -> dict[str, Any]:
    """``shanzhi who-covers BUILDING --json``: the chain, nearest first; phones masked."""
    return service.card(_state(request), ctx, _building(request, ctx, building), on)


@router.post("/who-covers/contact")
def who_covers_contact(request: Request, ctx: Posted, body: ContactRequest) -> dict[str, Any]:
    """The card with one person's phone in full; written to the access log first."""
    uid = _building(request, ctx, body.building)
    return service.contact(_state(request), ctx, uid, body.person, body.on)


@router.get("/audit")
def audit(request: Request, ctx: Session, on: Day = None) -> dict[str, Any]:
    """``shanzhi audit --json`` (the gaps inside the account's grid) and counts per block."""
    return service.audit_view(_state(request), ctx, on)


@router.get("/audit/gaps")
def audit_gaps(
    request: Request,
    ctx: Session,
    grid: Annotated[str, Query(max_length=200, description="A block or community grid uid.")],
    kind: Annotated[str | None, Query(max_length=40)] = None,
    on: Day = None,
) -> dict[str, Any]:
    """The gaps under one block or community (``-``: street level), of one kind or all."""
    return service.gap_list(_state(request), ctx, grid, kind if kind in GAP_KINDS else None, on)


@router.get("/circles")
def circles(request: Request, ctx: Session) -> list[dict[str, Any]]:
    """The blocks whose 善治朋友圈 the account may open."""
    return service.blocks(_state(request), ctx)


@router.get("/centrality")
def centrality(
    request: Request,
    ctx: Session,
    block: Annotated[str, Query(max_length=200, description="A block grid's uid, id or name.")],
) -> dict[str, Any]:
    """``shanzhi centrality --block BLOCK --json``."""
    return service.circle_view(_state(request), ctx, block)


@router.get("/changes")
def changes(
    request: Request,
    ctx: Session,
    dataset: Annotated[str | None, Query(max_length=200)] = None,
    load: int | None = None,
) -> dict[str, Any]:
    """``shanzhi changes --json``: what the last load (or load N) changed, rows in scope."""
    return service.load_changes(_state(request), ctx, dataset, load)


@router.get("/record/{uid:path}")
def record(request: Request, ctx: Session, uid: str) -> dict[str, Any]:
    """A node or relation and where it came from (file:line); phones masked."""
    return service.record(_state(request), ctx, uid)


@router.get("/cypher")
def cypher_list(ctx: Session) -> list[dict[str, Any]]:
    """The analysts' query library: each query's header (analysts only)."""
    from shanzhi.cypher import names, query

    service.check_query_role(ctx)
    return [
        {
            "name": q.name,
            "title": q.title,
            "answers": q.answers,
            "returns": q.returns,
            "params": [
                {
                    "name": p.name,
                    "type": p.type,
                    "optional": p.optional,
                    "example": p.example,
                    "doc": p.doc,
                }
                for p in q.params
            ],
        }
        for q in map(query, names())
    ]


@router.post("/cypher/{name}")
def cypher_run(
    request: Request, ctx: Posted, name: str, params: dict[str, str] | None = None
) -> list[Any]:
    """``shanzhi cypher run NAME -p k=v … --format json`` on Neo4j, read-only, phones masked."""
    return service.run_query(_state(request), ctx, name, params or {})


@router.get("/access-log")
def access_log(
    request: Request, ctx: Session, user: str | None = None, limit: int = 500
) -> list[Any]:
    """``shanzhi access-log --json`` (admins only)."""
    if ctx.user.role.value != "admin":
        raise AccessDeniedError("只有管理员可以查看访问记录。 Only admins see the access log.")
    return list(accesslog.entries(_state(request).db, user=user, limit=limit))
