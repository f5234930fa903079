"""What the page and its JSON API answer, one function per question, on the library functions
the CLI calls — each answer cut to the account's scope (:mod:`shanzhi.web.scope`) before it leaves.

Out-of-scope and not-found read the same (:data:`NOT_YOURS`), so a refusal tells nothing about
what exists outside the account's grid.
"""

from __future__ import annotations

import json
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from shanzhi.errors import (
    AccessDeniedError,
    AmbiguousError,
    NotFoundError,
    ShanzhiError,
    UsageError,
)
from shanzhi.graph.analytics.centrality import centrality
from shanzhi.graph.analytics.circle import circles
from shanzhi.graph.queries.audit import audit
from shanzhi.graph.queries.changes import changes, history
from shanzhi.graph.queries.finder import finder_for, normalize
from shanzhi.graph.queries.who_covers import parse_day, who_covers
from shanzhi.web import accesslog
from shanzhi.web.accounts import Accounts, User
from shanzhi.web.gaps import OTHER, dashboard, gaps_in, scoped_audit
from shanzhi.web.graphview import GraphView, dataset_of
from shanzhi.web.masking import mask_values
from shanzhi.web.scope import Scope, ScopeCache
from shanzhi.web.search import Choice, ScopedIndexes, parsed, resolve, suggest
from shanzhi.web.security import Throttle

__all__ = [
    "NOT_YOURS",
    "Ctx",
    "State",
    "audit_view",
    "blocks",
    "card",
    "check_query_role",
    "circle_picture",
    "circle_view",
    "contact",
    "find",
    "gap_list",
    "load_changes",
    "record",
    "run_query",
    "suggestions",
    "warm",
]

T = TypeVar("T")
SUGGEST_CACHE = 20_000
NOT_YOURS = "不在您负责的范围内，或不存在。 Not within your grid, or no such record."


@dataclass
class State:
    """Everything the app holds: the store (read only), caches, accounts."""

    store: Any
    home: Path
    accounts: Accounts
    view: GraphView = field(init=False)
    scopes: ScopeCache = field(init=False)
    indexes: ScopedIndexes = field(default_factory=ScopedIndexes)
    throttle: Throttle = field(default_factory=Throttle)
    #: Suggestions by normalised text, per building index (each scope has its own index; the
    #: accounts that see everything share one, kept in :meth:`memo`).
    suggested: weakref.WeakKeyDictionary[Any, dict[str, Any]] = field(
        default_factory=weakref.WeakKeyDictionary
    )
    suggest_lock: threading.Lock = field(default_factory=threading.Lock)
    #: Rendered circle pictures by block uid, per dataset graph (drawn once per load).
    pictures: weakref.WeakKeyDictionary[Any, dict[str, str]] = field(
        default_factory=weakref.WeakKeyDictionary
    )

    def __post_init__(self) -> None:
        self.view = GraphView(self.store)
        self.scopes = ScopeCache(self.view)
        self._memo: dict[Any, Any] = {}
        self._memo_version: Any = None
        self._memo_lock = threading.Lock()

    def memo(self, key: Any, compute: Callable[[], T]) -> T:
        """``compute()``, kept until the store changes (whole-store answers: audit, circles)."""
        version = self.view.version()
        with self._memo_lock:
            if version != self._memo_version:
                self._memo, self._memo_version = {}, version
            if key in self._memo:
                found: T = self._memo[key]
                return found
        value = compute()
        with self._memo_lock:
            if version == self._memo_version:
                self._memo[key] = value
        return value

    @property
    def db(self) -> Path:
        """The accounts and access-log file."""
        return self.accounts.path


@dataclass(frozen=True)
class Ctx:
    """One request's account, its scope and its CSRF token."""

    user: User
    scope: Scope
    csrf: str
    client: str | None = None


def warm(state: State) -> None:
    """Work out every scoped account's scope (and its search index) now, so that nobody's first
    request waits for it; errors are left for that request to report."""
    for user in state.accounts.all():
        if not user.role.scoped or user.grid is None:
            continue
        try:
            scope = state.scopes.of(user)
            state.indexes.of(state.store, state.view, scope)
        except ShanzhiError:
            continue


def _not_yours() -> NotFoundError:
    return NotFoundError(NOT_YOURS)


# -- search and the card -----------------------------------------------------------------------
def suggestions(state: State, ctx: Ctx, q: str) -> dict[str, Any]:
    """Candidates while typing, and how the text was read."""
    index = state.indexes.of(state.store, state.view, ctx.scope)
    key = normalize(q)
    # The store's own finder is a new object each time: its answers are kept per store version.
    whole: dict[str, Any] | None = state.memo("suggested", dict) if ctx.scope.everything else None
    with state.suggest_lock:
        kept = whole if whole is not None else state.suggested.setdefault(index, {})
        hit = kept.get(key)
    if hit is None:  # many people type the same first characters: answers kept per index
        hit = suggest(index, q)
        with state.suggest_lock:
            if len(kept) >= SUGGEST_CACHE:
                kept.clear()
            kept[key] = hit
    found, closest = hit
    return {"q": q, "parsed": parsed(q), "candidates": found, "closest": closest}


def find(state: State, ctx: Ctx, q: str) -> Choice:
    """The building ``q`` names, if it is one of the account's (else candidates and why)."""
    full = finder_for(state.store)
    scoped = state.indexes.of(state.store, state.view, ctx.scope)
    return resolve(full, scoped, ctx.scope, q)


def card(state: State, ctx: Ctx, building: str, on: str | None) -> dict[str, Any]:
    """``who-covers --json`` for one building of the account's (phones masked)."""
    try:
        answer = who_covers(state.store, building, on=on)
    except (NotFoundError, AmbiguousError):
        if ctx.scope.everything:
            raise
        raise _not_yours() from None
    if not ctx.scope.allows_chain(answer):
        raise _not_yours()
    return answer


def contact(state: State, ctx: Ctx, building: str, person: str, on: str | None) -> dict[str, Any]:
    """The card with one person's phone in full, after writing the access-log line for it."""
    if not ctx.user.role.may_show_contact:
        raise AccessDeniedError(
            f"{ctx.user.role.zh}不能查看完整电话。 "
            f"A {ctx.user.role.value} account sees phones masked."
        )
    masked = card(state, ctx, building, on)
    full = who_covers(state.store, masked["building"]["uid"], on=on, show_contact=True)
    phones = {
        p["id"]: p["phone"]
        for lvl in full["chain"]
        for p in lvl["people"]
        if p["id"] == person and p.get("phone")
    }
    rows = [p for lvl in masked["chain"] for p in lvl["people"] if p["id"] == person]
    if not phones or not rows:
        raise NotFoundError("此人不在这栋楼的名单上，或没有电话。 No phone for that person here.")
    b = masked["building"]
    seq = accesslog.record(
        state.db,
        ctx.user.name,
        ctx.user.role.value,
        {"uid": f"{b['dataset']}:{person}", "name": rows[0]["name"]},
        {"uid": b["uid"], "name": b["name"]},
        ctx.client,
    )
    for row in rows:
        row["phone"] = phones[person]
    masked["shown"] = {"person": person, "access_log": seq}
    return masked


# -- audit ---------------------------------------------------------------------------------------
def _audit(state: State, day: str) -> dict[str, list[dict[str, Any]]]:
    return state.memo(("audit", day), lambda: audit(state.store, on=day))


def audit_view(state: State, ctx: Ctx, on: str | None) -> dict[str, Any]:
    """The gaps inside the account's grid, counted per block and community."""
    day = parse_day(on).isoformat()
    scoped = scoped_audit(_audit(state, day), ctx.scope)
    return {"on": day, "gaps": scoped, "dashboard": dashboard(state.view.graph_of, scoped)}


def gap_list(state: State, ctx: Ctx, grid: str, kind: str | None, on: str | None) -> dict[str, Any]:
    """The gaps under one block or community (of one kind, or all)."""
    if grid != OTHER and not ctx.scope.sees(grid):
        raise _not_yours()
    day = parse_day(on).isoformat()
    scoped = scoped_audit(_audit(state, day), ctx.scope)
    g = state.view.graph_of(grid)
    name = str(g.nodes[grid].get("name", grid)) if grid in g else "街道层面 street level"
    gaps = gaps_in(state.view.graph_of, scoped, grid, kind)
    return {"on": day, "grid": grid, "name": name, "gaps": gaps}


# -- circles -------------------------------------------------------------------------------------
def blocks(state: State, ctx: Ctx) -> list[dict[str, Any]]:
    """The blocks whose 善治朋友圈 the account may open."""
    found = state.memo(("circles",), lambda: circles(state.store))
    return [
        {"uid": c.block.uid, "id": c.block.id, "name": c.block.name, "members": len(c.members)}
        for c in found
        if ctx.scope.has_block(c.block.uid)
    ]


def _block_uid(state: State, ctx: Ctx, block: str) -> str:
    try:
        found = circles(state.store, block)
    except (NotFoundError, AmbiguousError):
        if ctx.scope.everything:
            raise
        raise _not_yours() from None
    uid = found[0].block.uid
    if not ctx.scope.has_block(uid):
        raise _not_yours()
    return uid


def circle_view(state: State, ctx: Ctx, block: str) -> dict[str, Any]:
    """``centrality --json`` of one block the account may open."""
    uid = _block_uid(state, ctx, block)
    return state.memo(("centrality", uid), lambda: centrality(state.store, uid))


#: The picture's own page has no narrow layout; inside the web page's frame on a phone its
#: legend goes under the drawing and its header wraps.
_NARROW = (
    "<style>@media (max-width: 640px) {"
    " header { flex-wrap: wrap; gap: 6px 10px; padding: 8px 10px; } header h1 { font-size: 16px; }"
    " header .sub { flex-basis: 100%; order: 3; } header input { width: auto; flex: 1 1 8rem;"
    " min-width: 0; } main { flex-direction: column-reverse; } aside { width: auto;"
    " border-right: 0; border-top: 1px solid #e4e7eb; } #legend { display: flex; flex-wrap: wrap;"
    " gap: 0 12px; } #hint { display: none; } #stage { min-height: 55vh; } }</style>"
)


def circle_picture(state: State, ctx: Ctx, block: str) -> str:
    """The block's interactive 善治朋友圈 picture: one self-contained HTML page."""
    from shanzhi.viz import circle
    from shanzhi.viz.html import render_html

    uid = _block_uid(state, ctx, block)
    drawn = state.pictures.setdefault(state.view.graph_of(uid), {})
    if uid not in drawn:
        page = render_html(circle(state.store, uid))
        drawn[uid] = page.replace("</head>", _NARROW + "</head>", 1)
    return drawn[uid]


# -- loads and records ---------------------------------------------------------------------------
def _ends(uid: str) -> list[str]:
    """The end uids of a relation uid (``dataset:SRC|TYPE|TGT|…``)."""
    dataset, _, rest = uid.partition(":")
    parts = rest.split("|")
    return [f"{dataset}:{parts[0]}", f"{dataset}:{parts[2]}"] if len(parts) >= 3 else [uid]


def _sees_change(scope: Scope, row: dict[str, Any]) -> bool:
    if row["what"] == "node":
        return scope.sees(row["uid"])
    return all(scope.sees(u) for u in _ends(row["uid"]))


def load_changes(state: State, ctx: Ctx, dataset: str | None, seq: int | None) -> dict[str, Any]:
    """``changes --json`` with only the rows the account may see, and the dataset's loads."""
    held = state.view.datasets()
    if not ctx.scope.everything and ctx.scope.grid:
        dataset, held = dataset_of(ctx.scope.grid), [dataset_of(ctx.scope.grid)]
    elif dataset is None and held:
        dataset = held[0]
    result = state.memo(
        ("changes", dataset, seq), lambda: changes(state.store, dataset, seq).as_dict()
    )
    rows = [r for r in result["changes"] if _sees_change(ctx.scope, r)]
    hidden = len(result["changes"]) - len(rows)
    name = result["load"]["dataset"] if result["load"] else dataset
    loads = [r.summary() for r in history(state.store, name)] if name else []
    return {**result, "changes": rows, "hidden": hidden, "loads": loads, "datasets": held}


def _edge(g: Any, uid: str) -> tuple[dict[str, Any] | None, list[str]]:
    ends = _ends(uid)
    if len(ends) == 2 and ends[0] in g:
        for _, _t, d in g.out_edges(ends[0], data=True):
            if d.get("uid") == uid:
                return dict(d), ends
    return None, ends


def record(state: State, ctx: Ctx, uid: str) -> dict[str, Any]:
    """A node or relation with where it came from (file:line); phones masked."""
    g = state.view.graph_of(uid)
    if uid in g:
        if not ctx.scope.sees(uid):
            raise _not_yours()
        props, what, ends = dict(g.nodes[uid]), "node", list[str]()
    else:
        found, ends = _edge(g, uid)
        if found is None or not all(ctx.scope.sees(u) for u in ends):
            raise NotFoundError(NOT_YOURS if not ctx.scope.everything else f"no record {uid!r}.")
        props, what = found, "relation"
    keep = {k: v for k, v in props.items() if k not in ("fingerprint",)}
    names = {u: str(g.nodes[u].get("name", u)) for u in ends}
    return {
        "uid": uid,
        "what": what,
        "label": props.get("label") or props.get("type"),
        "name": props.get("name") or " → ".join(names.values()),
        "source": f"{props.get('source_file', '?')}:{props.get('source_line', '?')}",
        "ends": [{"uid": u, "name": names[u]} for u in ends],
        "props": mask_values(keep),
    }


def check_query_role(ctx: Ctx) -> None:
    """Refuse the Cypher library to accounts that may not use it."""
    if not ctx.user.role.may_query:
        raise AccessDeniedError("只有分析员可以使用查询库。 Only analysts may run the library.")


def runs_cypher(store: Any) -> bool:
    """Whether the store runs the analysts' Cypher (it says so; no store kind is named here)."""
    try:
        store.cypher_target()
    except UsageError:
        return False
    return True


def run_query(state: State, ctx: Ctx, name: str, raw: dict[str, str]) -> list[Any]:
    """A library query, read-only, on Neo4j; every phone in its rows masked."""
    from shanzhi.cypher.output import to_json
    from shanzhi.cypher.runner import execute, prepare

    check_query_role(ctx)
    if not runs_cypher(state.store):
        raise UsageError("查询库需要 Neo4j：用 --store neo4j 启动。 The library needs Neo4j.")
    given = {k: v for k, v in raw.items() if v.strip() != ""}
    rows = execute(state.store, prepare(name, given, write=False))
    result: list[Any] = mask_values(json.loads(to_json(rows)))
    return result
