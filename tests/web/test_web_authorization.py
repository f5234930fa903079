"""Authorisation: every route of the app's route table, for every account of every role (scoped
to different grids of the sample and of a synth street), with in-scope and out-of-scope targets.

No response may contain a person (name, id, uid), a phone or a masked phone of a person outside
the account's scope, and every phone shown in full must have its access-log line, written by that
request, for that account, person and building. The scope is worked out here independently of
``shanzhi.web.scope``: every building of the store is asked ``who_covers`` on each day the test
uses, and the account's grid must be in the chain; the people of the 善治朋友圈 of every block at
or under the grid are in scope too.

A route added to the app without an entry in :data:`ROUTES` fails
:func:`test_every_route_is_listed`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote, unquote

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from shanzhi.graph.analytics.circle import circles
from shanzhi.graph.queries.who_covers import who_covers
from shanzhi.privacy import mask_phone
from shanzhi.web.accesslog import entries
from shanzhi.web.accounts import db_path
from shanzhi.web.app import route_table
from tests.web.webkit import ACCOUNTS, SYNTH, Account, csrf_of, log_in

PAST = "2024-01-01"
DAYS = (date.today().isoformat(), PAST)
SAMPLE_BUILDINGS = ("P-JLMZ-B12", "P-JLMZ-B01", "P-QCXY-B01", "P-LXY-B03", "P-LC1100-B02")
QUERIES = (
    "嘉利明珠城１２号",
    "十二号楼",
    "兰馨苑3号",
    "共和新路2288弄1号",
    "嘉利明",
    "佳丽名珠城9幢",
)
_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_MASKED = re.compile(r"(?<!\d)1\d\d\*{4}\d{4}(?!\d)")
_TOKEN = re.compile(r"[A-Za-z0-9_-]+")
_CJK = re.compile(r"[\u4e00-\u9fff]{2,}")


# -- the truth, worked out without shanzhi.web ---------------------------------------------------
@dataclass
class World:
    """What the store holds, read once."""

    graphs: dict[str, nx.MultiDiGraph]
    people: dict[str, dict[str, Any]]  # person uid → props
    buildings: list[str]
    chains: dict[tuple[str, str], dict[str, Any]]  # (building, day) → who_covers answer
    blocks: list[str]


def _chain_grids(answer: dict[str, Any]) -> set[str]:
    ds = answer["building"]["dataset"]
    return {f"{ds}:{lvl['grid']['id']}" for lvl in answer["chain"] if lvl["grid"]}


def _chain_people(answer: dict[str, Any]) -> set[str]:
    ds = answer["building"]["dataset"]
    return {f"{ds}:{p['id']}" for lvl in answer["chain"] for p in lvl["people"]}


@pytest.fixture(scope="module")
def world(web_store: Any) -> World:
    return build_world(web_store)


def build_world(web_store: Any) -> World:
    """Everything the store holds, and every building's chain on each day the test asks."""
    graphs = {d: web_store.snapshot(d).to_networkx() for d in web_store.datasets()}
    people, buildings, blocks = {}, [], []
    for g in graphs.values():
        for uid, d in g.nodes(data=True):
            if d.get("label") == "Person":
                people[uid] = d
            elif d.get("label") == "Place" and d.get("kind") == "building":
                buildings.append(uid)
            elif d.get("label") == "Grid" and d.get("level") == "block":
                blocks.append(uid)
    chains = {}
    for b in sorted(buildings):
        for day in DAYS:
            chains[(b, day)] = who_covers(web_store, b, on=day)
    return World(graphs, people, sorted(buildings), chains, sorted(blocks))


def _grids_at_or_above(g: nx.MultiDiGraph, grid: str) -> set[str]:
    up = {grid}
    todo = [grid]
    while todo:
        for _, t, d in g.out_edges(todo.pop(), data=True):
            if d.get("type") == "PART_OF" and g.nodes[t].get("label") == "Grid" and t not in up:
                up.add(t)
                todo.append(t)
    return up


def allowed_people(world: World, store: Any, account: Account) -> set[str]:
    """The people an account may ever be shown."""
    if account.grid is None:
        return set(world.people)
    allowed: set[str] = set()
    for (_b, _day), answer in world.chains.items():
        if account.grid in _chain_grids(answer):
            allowed |= _chain_people(answer)
    for block in world.blocks:
        g = world.graphs[block.split(":", 1)[0]]
        if account.grid in _grids_at_or_above(g, block):
            for c in circles(store, block):
                found = set(c.members) | set(c.through)
                allowed |= {u for u in found if u in world.people}
    return allowed


def in_scope_buildings(world: World, account: Account) -> set[str]:
    return {
        b for (b, _day), a in world.chains.items()
        if account.grid is None or account.grid in _chain_grids(a)
    }  # fmt: skip


# -- the requests ----------------------------------------------------------------------------------
@dataclass
class Req:
    """One request; ``contact`` names (building uid, person id) for a show-contact POST."""

    method: str
    url: str
    data: dict[str, str] | None = None
    json: Any = None
    csrf_header: bool = False
    contact: tuple[str, str] | None = None


@dataclass
class Targets:
    """What the requests ask about: in-scope and out-of-scope things for every account."""

    buildings: list[str]
    blocks: list[str]
    records: list[str]
    contacts: list[tuple[str, str]]
    grids: list[str] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)
    #: Blocks whose picture is asked for (drawing one takes a while): one in and out of scope
    #: of each scoped account's block.
    pictures: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def targets(world: World) -> Targets:
    synth = [b for b in world.buildings if b.startswith(f"{SYNTH}:")]
    first_of_block = {b.split("-C")[0]: b for b in reversed(synth)}  # one per synth block
    buildings = [f"gonghexinlu:{b}" for b in SAMPLE_BUILDINGS] + sorted(first_of_block.values())
    contacts = []
    for b in buildings:
        answer = world.chains[(b, DAYS[0])]
        for lvl in answer["chain"]:
            with_phone = [p for p in lvl["people"] if p.get("phone")]
            if with_phone:
                contacts.append((b, with_phone[0]["id"]))
    people = sorted(world.people)
    records = [*buildings[:3], people[0], people[-1], "gonghexinlu:H-0140", "gonghexinlu:G-C17",
               "gonghexinlu:O-PWC", "gonghexinlu:H-0001|HOLDS|G-BLK-SHANYE|网格长|",
               "gonghexinlu:no-such-record"]  # fmt: skip
    grids = ["gonghexinlu:G-BLK-SHANJU", "gonghexinlu:G-C17", "gonghexinlu:G-C03", "-"]
    grids += [b for b in world.blocks if b.startswith(f"{SYNTH}:")][:2]
    pictures = [
        "gonghexinlu:G-BLK-SHANYANG", "gonghexinlu:G-BLK-SHANJU", f"{SYNTH}:D01-S01-B2-GRID"
    ]  # fmt: skip
    return Targets(
        buildings, world.blocks, records, contacts, grids, ["gonghexinlu", SYNTH], pictures
    )


def _q(text: str) -> str:
    return quote(text, safe="")


ROUTES: dict[tuple[str, str], Callable[[Targets], list[Req]]] = {
    ("GET", "/login"): lambda t: [Req("GET", "/login?next=/audit")],
    ("POST", "/login"): lambda t: [
        Req("POST", "/login", data={"username": "nobody", "password": "x", "csrf": "bad"})
    ],
    ("POST", "/logout"): lambda t: [],  # last, by test_logout_ends_the_session
    ("GET", "/"): lambda t: [Req("GET", "/")],
    ("GET", "/search"): lambda t: (
        [Req("GET", f"/search?q={_q(q)}&on={PAST}") for q in QUERIES]
        + [Req("GET", f"/search?q={_q(b)}") for b in t.buildings]
    ),
    ("GET", "/building/{uid}"): lambda t: [
        Req("GET", f"/building/{_q(b)}" + (f"?on={day}" if day != DAYS[0] else ""))
        for b in t.buildings
        for day in DAYS
    ],
    ("POST", "/building/{uid}/contact"): lambda t: [
        Req("POST", f"/building/{_q(b)}/contact", data={"person": p}, contact=(b, p))
        for b, p in t.contacts
    ],
    ("GET", "/audit"): lambda t: [Req("GET", "/audit"), Req("GET", f"/audit?on={PAST}")],
    ("GET", "/audit/gaps"): lambda t: [Req("GET", f"/audit/gaps?grid={_q(g)}") for g in t.grids],
    ("GET", "/circles"): lambda t: [Req("GET", "/circles")],
    ("GET", "/circle/{uid}"): lambda t: (
        [Req("GET", f"/circle/{_q(b)}") for b in t.blocks] + [Req("GET", "/circle/善养街区网格")]
    ),
    ("GET", "/circle/{uid}/picture"): lambda t: [
        Req("GET", f"/circle/{_q(b)}/picture") for b in t.pictures
    ],
    ("GET", "/changes"): lambda t: (
        [Req("GET", f"/changes?dataset={d}") for d in t.datasets] + [Req("GET", "/changes?load=1")]
    ),
    ("GET", "/record/{uid:path}"): lambda t: [Req("GET", f"/record/{_q(r)}") for r in t.records],
    ("GET", "/cypher"): lambda t: [Req("GET", "/cypher")],
    ("GET", "/cypher/{name}"): lambda t: [Req("GET", "/cypher/stats")],
    ("POST", "/cypher/{name}"): lambda t: [
        Req("POST", "/cypher/stats", data={"dataset": "gonghexinlu"})
    ],
    ("GET", "/access-log"): lambda t: [Req("GET", "/access-log")],
    ("GET", "/api-docs"): lambda t: [Req("GET", "/api-docs")],
    ("GET", "/api/openapi.json"): lambda t: [Req("GET", "/api/openapi.json")],
    ("GET", "/api/me"): lambda t: [Req("GET", "/api/me")],
    ("GET", "/api/suggest"): lambda t: [Req("GET", f"/api/suggest?q={_q(q)}") for q in QUERIES],
    ("GET", "/api/who-covers"): lambda t: [
        Req("GET", f"/api/who-covers?building={_q(b)}&on={day}")
        for b in [*t.buildings, *QUERIES]
        for day in DAYS
    ],
    ("POST", "/api/who-covers/contact"): lambda t: [
        Req(
            "POST",
            "/api/who-covers/contact",
            json={"building": b, "person": p},
            csrf_header=True,
            contact=(b, p),
        )
        for b, p in t.contacts
    ],
    ("GET", "/api/audit"): lambda t: [Req("GET", "/api/audit")],
    ("GET", "/api/audit/gaps"): lambda t: [
        Req("GET", f"/api/audit/gaps?grid={_q(g)}") for g in t.grids
    ],
    ("GET", "/api/circles"): lambda t: [Req("GET", "/api/circles")],
    ("GET", "/api/centrality"): lambda t: [
        Req("GET", f"/api/centrality?block={_q(b)}") for b in t.blocks
    ],
    ("GET", "/api/changes"): lambda t: [
        Req("GET", f"/api/changes?dataset={d}") for d in t.datasets
    ],
    ("GET", "/api/record/{uid:path}"): lambda t: [
        Req("GET", f"/api/record/{_q(r)}") for r in t.records
    ],
    ("GET", "/api/cypher"): lambda t: [Req("GET", "/api/cypher")],
    ("POST", "/api/cypher/{name}"): lambda t: [
        Req("POST", "/api/cypher/stats", json={"dataset": "gonghexinlu"}, csrf_header=True)
    ],
    ("GET", "/api/access-log"): lambda t: [Req("GET", "/api/access-log")],
}


def test_every_route_is_listed(web_app: Any) -> None:
    """A new route must be added to ROUTES (so this test asks it too)."""
    assert route_table(web_app) == set(ROUTES)


# -- checking the bodies ---------------------------------------------------------------------------
@dataclass
class Leaks:
    """The marks of people an account may not see (those it may see are not marks)."""

    names: set[str]
    ids: set[str]
    masked: set[str]
    phones: dict[str, set[str]]  # full phone → person uids

    @property
    def sizes(self) -> set[int]:
        """The lengths of the names to look for."""
        return {len(n) for n in self.names}


def leaks_for(world: World, allowed: set[str]) -> Leaks:
    def marks(uids: set[str]) -> tuple[set[str], set[str], set[str]]:
        ps = [world.people[u] for u in uids]
        return (
            {p["name"] for p in ps},
            {p["id"] for p in ps} | set(uids),
            {mask_phone(str(p["phone"])) for p in ps if p.get("phone")},
        )

    forbidden = set(world.people) - allowed
    fn, fi, fm = marks(forbidden)
    an, ai, am = marks(allowed)
    phones: dict[str, set[str]] = {}
    for uid, p in world.people.items():
        if p.get("phone"):
            phones.setdefault(str(p["phone"]), set()).add(uid)
    return Leaks(fn - an, fi - ai, fm - am, phones)


def _text(body: str) -> str:
    return html.unescape(unquote(body))


def leaked(body: str, leaks: Leaks) -> list[str]:
    """Every mark of a person outside the scope found in ``body``."""
    text = _text(body)
    found = [m for m in _MASKED.findall(text) if m in leaks.masked]
    found += [t for t in _TOKEN.findall(text) if t in leaks.ids]
    for token in text.split(":"):
        if token in leaks.ids:
            found.append(token)
    sizes = leaks.sizes
    for run in _CJK.findall(text):
        for size in sizes:
            found += [run[i : i + size] for i in range(len(run) - size + 1)
                      if run[i : i + size] in leaks.names]  # fmt: skip
    return found


def mentions(body: str, names: set[str]) -> int:
    """How many times any of ``names`` occurs in ``body``."""
    sizes = {len(n) for n in names}
    return sum(
        1
        for run in _CJK.findall(_text(body))
        for size in sizes
        for i in range(len(run) - size + 1)
        if run[i : i + size] in names
    )


# -- the test --------------------------------------------------------------------------------------
def _send(client: TestClient, req: Req, csrf: str) -> Any:
    headers = {"X-CSRF-Token": csrf} if req.csrf_header else {}
    data = {**req.data, "csrf": csrf} if req.data is not None and req.url != "/login" else req.data
    return client.request(
        req.method, req.url, data=data, json=req.json, headers=headers, follow_redirects=True
    )


#: The two scoped roles in the fast loop (where a leak would be); every account in the slow lane,
#: which CI runs too.
FAST = ("gw_br2", "staff_synth")


@pytest.mark.parametrize(
    "account",
    [a if a.name in FAST else pytest.param(a, marks=pytest.mark.slow) for a in ACCOUNTS],
    ids=[a.name for a in ACCOUNTS],
)
def test_no_person_outside_the_scope(
    account: Account, web_app: Any, web_store: Any, web_home: Any, world: World, targets: Targets
) -> None:
    allowed = allowed_people(world, web_store, account)
    leaks = leaks_for(world, allowed)
    allowed_names = {world.people[u]["name"] for u in allowed}
    db = db_path(web_home)
    client = log_in(TestClient(web_app), account.name)
    csrf = csrf_of(client.get("/").text)
    problems: list[str] = []
    seen_people = shown_full = 0
    for (method, _path), make in sorted(ROUTES.items()):
        for req in make(targets):
            before = {e["seq"] for e in entries(db, user=account.name)}
            r = _send(client, req, csrf)
            assert r.status_code < 500, (req.url, r.status_code, r.text[:300])
            body = r.text
            bad = leaked(body, leaks)
            if bad:
                problems.append(f"{method} {req.url}: {sorted(set(bad))[:5]}")
            seen_people += mentions(body, allowed_names)
            new = [e for e in entries(db, user=account.name) if e["seq"] not in before]
            for phone in set(_PHONE.findall(_text(body))):
                owners = leaks.phones.get(phone, set())
                logged = {e["person_uid"] for e in new if req.contact
                          and e["building_uid"] == req.contact[0]}  # fmt: skip
                if not owners & logged or req.contact is None:
                    problems.append(f"{method} {req.url}: full phone {phone} without its log line")
                else:
                    shown_full += 1
            if new and (req.contact is None or r.status_code != 200):
                problems.append(f"{method} {req.url}: a log line for nothing shown")
    assert problems == []
    # not vacuous: the account did see its own people, and (if it may) phones in full
    assert seen_people > 0
    if account.role.may_show_contact:
        assert shown_full > 0
    else:
        assert shown_full == 0


def test_nothing_without_a_session(web_app: Any, targets: Targets, world: World) -> None:
    """Every route but /login answers 401 (API) or sends to the login page, showing nobody."""
    client = TestClient(web_app)
    names = {p["name"] for p in world.people.values()}
    for (_method, path), make in sorted(ROUTES.items()):
        for req in make(targets):
            r = client.request(req.method, req.url, data=req.data, json=req.json,
                               follow_redirects=False)  # fmt: skip
            if path == "/login":
                assert r.status_code in (200, 403), req.url
            elif path.startswith("/api/"):
                assert r.status_code == 401, req.url
            else:
                assert r.status_code == 303 and r.headers["location"].startswith("/login"), (
                    req.url,
                    r.status_code,
                )
            assert mentions(r.text, names) == 0, req.url


@pytest.mark.parametrize(
    "account",
    [a if a.name in FAST else pytest.param(a, marks=pytest.mark.slow) for a in ACCOUNTS],
    ids=[a.name for a in ACCOUNTS],
)
def test_in_scope_cards_open(
    account: Account, web_app: Any, world: World, targets: Targets
) -> None:
    """The scope is not empty by mistake: an account opens the cards of its buildings among the
    targets, and only those."""
    client = log_in(TestClient(web_app), account.name)
    mine = in_scope_buildings(world, account)
    assert account.grid is None or mine, "a test account with no building"
    for b in targets.buildings:
        r = client.get(f"/api/who-covers?building={_q(b)}")
        assert r.status_code == (200 if b in mine else 404), (account.name, b, r.text[:200])
