"""The embedded store's reads: each question's facts from a few indexed SQL queries.

The same facts, in the same shapes, as the Neo4j store's reads (``stores/neo4j/reads.py``) get from
the Cypher library; :class:`~shanzhi.graph.stores.interface.GraphStore` documents them. Every read
runs in one read transaction (:meth:`.db.Database.reading`), so it sees one committed graph even
while a load runs. Questions about one building walk from it, one index seek per step (the cost
does not grow with the graph); whole-graph questions (audit, stats) are one query per part.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import TYPE_CHECKING, Any, ClassVar

import orjson

from shanzhi.errors import UsageError
from shanzhi.graph.model import GridLevel, Label, OrgKind, PlaceKind, RelType
from shanzhi.graph.model.rules import (
    GAP_KINDS,
    GOVERN_RELS,
    HOLDER_RELS,
    LAPSE_TARGETS,
    PARTY_KINDS,
    PROJECT_RELS,
    REQUIRED_POSTS,
    valid_on,
)
from shanzhi.graph.stores.embedded import sql
from shanzhi.graph.stores.embedded.facts import Walk, who_covers_facts, who_covers_facts_many
from shanzhi.graph.stores.embedded.rows import dumps, props
from shanzhi.graph.stores.interface import (
    AuditRows,
    BuildingRow,
    CircleLink,
    CircleMember,
    CircleRow,
    CypherTarget,
    Facts,
    StatsCounts,
)

if TYPE_CHECKING:
    from shanzhi.graph.stores.embedded.db import Database

__all__ = ["EmbeddedReads"]

Row = dict[str, Any]


class EmbeddedReads:
    """The reads of :class:`~shanzhi.graph.stores.interface.GraphStore` over ``self.db``."""

    db: Database
    keeps_centrality: ClassVar[bool] = False

    def building_rows(self) -> list[BuildingRow]:
        """Every building, for the finder's index."""
        with self.db.reading() as conn:
            return building_rows(conn)

    def building_candidates(self, keys: Sequence[str], limit: int) -> list[BuildingRow]:
        """The rows of the buildings having any of the lookup ``keys`` (at most ``limit``, by
        uid): one query on the ``lookup`` key index, never every building."""
        if not keys:
            return []
        with self.db.reading() as conn:
            params = {"keys": dumps(list(keys)), "limit": limit}
            return [orjson.loads(row) for (row,) in conn.execute(sql.BUILDING_CANDIDATES, params)]

    def who_covers_facts(self, uid: str, on: str) -> Facts | None:
        """The facts around the building ``uid`` on ``on``."""
        with self.db.reading() as conn:
            return who_covers_facts(Walk(conn, on), uid)

    def who_covers_facts_many(self, asks: Sequence[tuple[str, str]]) -> list[Facts | None]:
        """:meth:`who_covers_facts` of each (building uid, ISO day), in order, in one read
        transaction: what several buildings share (their grids, organisations, people) is read
        once."""
        with self.db.reading() as conn:
            return who_covers_facts_many(conn, asks)

    def audit_rows(self, on: str) -> AuditRows:
        """The raw rows of every gap kind on ``on``."""
        with self.db.reading() as conn:
            return audit_rows(conn, on)

    def circle_rows(self, block: str | None, own_kinds: Sequence[str]) -> list[CircleRow]:
        """The circles of the block grids whose uid, id or name is ``block`` (all if None)."""
        text = block.strip() if block is not None else None
        with self.db.reading() as conn:
            blocks = [
                (u, p)
                for u, text_props in conn.execute(
                    sql.NODES_OF_LEVEL, (Label.GRID.value, GridLevel.BLOCK.value)
                )
                if (p := props(text_props)) is not None
                and (text is None or text in (u, p.get("id"), p.get("name")))
            ]
            return [circle_row(conn, u, p, frozenset(own_kinds)) for u, p in blocks]

    def stats_counts(self, dataset: str | None) -> StatsCounts:
        """Counts of one dataset or of everything held."""
        with self.db.reading() as conn:
            return stats_counts(conn, dataset)

    def cypher_target(self) -> CypherTarget:
        """The embedded store runs no Cypher."""
        raise UsageError(
            "cypher queries need Neo4j: add --store neo4j (or set SHANZHI_STORE=neo4j)."
        )

    def write_centrality(self, run: dict[str, Any], ran_at: str, rows: list[dict[str, Any]]) -> int:
        """The embedded store keeps no centrality runs."""
        raise UsageError("--write-back stores scores in Neo4j; use it with --store neo4j.")


# -- the finder's rows -------------------------------------------------------------------------
def building_rows(conn: sqlite3.Connection) -> list[BuildingRow]:
    """uid, id, dataset, name, address, aliases and parents (name, aliases) of every building."""
    parents: dict[str, list[Any]] = defaultdict(list)
    params = {
        "part_of": RelType.PART_OF.value,
        "place": Label.PLACE.value,
        "building": PlaceKind.BUILDING.value,
    }
    for uid, text in conn.execute(sql.BUILDING_PARENTS, params):
        p = props(text)
        parents[uid].append({"name": p.get("name"), "aliases": p.get("aliases")})
    rows: list[BuildingRow] = []
    for uid, text in conn.execute(sql.NODES_OF_KIND, (Label.PLACE.value, PlaceKind.BUILDING.value)):
        d = props(text)
        rows.append(
            {
                "uid": uid,
                "id": d.get("id"),
                "dataset": d.get("dataset"),
                "name": d.get("name"),
                "address": d.get("address"),
                "aliases": d.get("aliases"),
                "parents": parents.get(uid, []),
            }
        )
    return rows


# -- audit -------------------------------------------------------------------------------------
def _base(d: dict[str, Any]) -> Row:
    return {"id": d.get("id"), "name": d.get("name"), "dataset": d.get("dataset")}


def audit_rows(conn: sqlite3.Connection, on: str) -> AuditRows:
    """The rows of every gap kind (rules in :mod:`shanzhi.graph.queries.audit`)."""
    p: dict[str, Any] = {
        "on": on,
        "place": Label.PLACE.value,
        "grid": Label.GRID.value,
        "org": Label.ORG.value,
        "person": Label.PERSON.value,
        "building": PlaceKind.BUILDING.value,
        "covers": RelType.COVERS.value,
        "leads": RelType.LEADS.value,
        "liaises": RelType.LIAISES.value,
        "member_of": RelType.MEMBER_OF.value,
        "party_kinds": dumps(list(PARTY_KINDS)),
        "group": OrgKind.BUILDING_MANAGEMENT_GROUP.value,
        "branch": OrgKind.PARTY_BRANCH.value,
        "branch_level": GridLevel.BRANCH.value,
    }

    def run(statement: str) -> list[dict[str, Any]]:  # sqlite3 ignores the unused names
        return [props(t) for (t,) in conn.execute(statement, p)]

    out: dict[str, list[Row]] = {kind: [] for kind in GAP_KINDS}
    out["uncovered_buildings"] = [_base(d) for d in run(sql.AUDIT_UNCOVERED_BUILDINGS)]
    out["unled_grids"] = [_base(d) | {"level": d.get("level")} for d in run(sql.AUDIT_UNLED_GRIDS)]
    groups: dict[str, tuple[dict[str, Any], list[str], bool]] = {}
    for uid, text, member, party in conn.execute(sql.AUDIT_GROUP_MEMBERS, p):
        d, members, any_party = groups.get(uid) or (props(text), [], False)
        if member is not None:
            members.append(member)
            any_party = any_party or bool(party)
        groups[uid] = (d, members, any_party)
    out["groups_without_party_member"] = [
        _base(d) | {"members": members} for d, members, party in groups.values() if not party
    ]
    out["branches_without_liaison"] = [_base(d) for d in run(sql.AUDIT_BRANCHES_WITHOUT_LIAISON)]
    out["vacant_posts"] = list(_vacancies(conn, on))
    return out


def _vacancies(conn: sqlite3.Connection, on: str) -> Iterable[Row]:
    """Required posts with too few holders, and posts held once that nobody holds on ``on``."""
    nodes: dict[str, tuple[str, dict[str, Any]]] = {}
    held: dict[str, dict[Any, list[tuple[str, dict[str, Any]]]]] = defaultdict(dict)
    posts = {"person": Label.PERSON.value, "holds": RelType.HOLDS.value}
    for target, label, text, source, role, start, end in conn.execute(sql.AUDIT_POSTS, posts):
        if target not in nodes:
            nodes[target] = (label, props(text))
        window = {k: v for k, v in (("valid_from", start), ("valid_to", end)) if v is not None}
        held[target].setdefault(role, []).append((source, window))
    for need_label, need_kind in REQUIRED_POSTS:
        for uid, lbl, text in conn.execute(
            sql.NODES_OF_LEVEL_OR_KIND, {"label": need_label.value, "kind": need_kind}
        ):
            if uid not in nodes:
                nodes[uid] = (lbl, props(text))
    for uid, (label, d) in nodes.items():
        kind = d.get("level", d.get("kind"))
        row = {"id": d.get("id"), "name": d.get("name"), "dataset": d.get("dataset"), "kind": kind}
        roles = held.get(uid, {})
        for role, need in REQUIRED_POSTS.get((Label(label), str(kind)), ()):
            holders = sorted({s for s, e in roles.get(role, ()) if valid_on(e, on)})
            if len(holders) < need:
                yield row | {"role": role, "holders": holders, "need": need}
        if label in LAPSE_TARGETS:
            for role, holds in roles.items():
                if not any(valid_on(e, on) for _, e in holds):
                    yield row | {"role": role, "holders": [], "need": 1}


# -- the 善治朋友圈 ---------------------------------------------------------------------------
def _member(uid: str, label: str, d: dict[str, Any]) -> CircleMember:
    kind = d.get("level", d.get("kind"))
    return {
        "uid": uid,
        "id": str(d.get("id", uid)),
        "name": str(d.get("name", uid)),
        "label": label,
        "kind": kind and str(kind),
    }


def _is_own(
    conn: sqlite3.Connection, org: str, d: dict[str, Any], under: list[str], own: frozenset[str]
) -> bool:
    """True if ``org`` is of an own kind and it (or an org it is PART_OF) governs a block grid."""
    if d.get("kind") not in own:
        return False
    params = {
        "org": org,
        "part_of": RelType.PART_OF.value,
        "org_label": Label.ORG.value,
        "govern": dumps(sorted(r.value for r in GOVERN_RELS)),
        "under": dumps(under),
    }
    return bool(conn.execute(sql.GOVERNS_ANY, params).fetchone()[0])


def circle_row(
    conn: sqlite3.Connection, block: str, d: dict[str, Any], own_kinds: frozenset[str]
) -> CircleRow:
    """The circle of the block grid ``block`` (a uid), as the rows of ``circle.cypher``."""
    under = [
        u
        for (u,) in conn.execute(
            sql.GRIDS_UNDER,
            {"block": block, "part_of": RelType.PART_OF.value, "grid": Label.GRID.value},
        )
    ]
    members: dict[str, CircleMember] = {}
    partners = {"target": block, "type": RelType.PARTNERS.value}
    for s, label, text in conn.execute(sql.SOURCES_INTO, partners):
        if label not in (Label.ORG.value, Label.PERSON.value) or s in members:
            continue
        p = props(text)
        if label != Label.ORG.value or not _is_own(conn, s, p, under, own_kinds):
            members[s] = _member(s, label, p)
    links: list[CircleLink] = []
    by_project: dict[str, set[str]] = defaultdict(set)
    by_holder: dict[str, set[str]] = defaultdict(set)
    through: dict[str, CircleMember] = {}
    uids = dumps(sorted(members))
    out_types = dumps(sorted({RelType.PARTNERS.value} | {r.value for r in PROJECT_RELS}))
    for m, rtype, t, label, text in conn.execute(
        sql.OUT_OF_MANY, {"sources": uids, "types": out_types}
    ):
        if rtype == RelType.PARTNERS.value:
            if t in members and t != m:
                links.append({"a": m, "b": t, "via": "partners", "through": None})
        elif label == Label.PROJECT.value:
            by_project[t].add(m)
            through.setdefault(t, _member(t, label, props(text)))
    for m, member in members.items():
        if member["label"] == Label.PERSON.value:
            by_holder[m].add(m)
            through.setdefault(m, member)
    in_types = dumps(sorted(r.value for r in HOLDER_RELS))
    for m, s, text in conn.execute(
        sql.INTO_MANY, {"targets": uids, "types": in_types, "label": Label.PERSON.value}
    ):
        by_holder[s].add(m)
        through.setdefault(s, _member(s, Label.PERSON.value, props(text)))
    for via, groups in (("project", by_project), ("holder", by_holder)):
        for t, ms in groups.items():
            for a, b in combinations(sorted(ms), 2):
                links.append({"a": a, "b": b, "via": via, "through": through[t]})
    return {
        "block": _member(block, Label.GRID.value, d),
        "members": list(members.values()),
        "links": links,
    }


# -- stats -------------------------------------------------------------------------------------
def _key(label: str, kind: str | None) -> str:
    return f"{label}:{kind}" if kind is not None else label


def stats_counts(conn: sqlite3.Connection, dataset: str | None) -> StatsCounts:
    """Nodes by ``Label:kind``, relations by type and by ``TYPE→Label:kind`` of their target."""
    args: tuple[str, ...] = () if dataset is None else (dataset,)
    nodes = conn.execute(sql.NODE_COUNTS if dataset is None else sql.NODE_COUNTS_OF, args)
    by_kind = Counter({_key(label, kind): n for label, kind, n in nodes})
    by_type: Counter[str] = Counter()
    by_target: Counter[str] = Counter()
    rels = conn.execute(sql.RELATION_COUNTS if dataset is None else sql.RELATION_COUNTS_OF, args)
    for rtype, label, kind, n in rels:
        by_type[rtype] += n
        by_target[f"{rtype}→{_key(label, kind)}"] += n
    if dataset is None:
        names = [name for (name,) in conn.execute(sql.DATASETS)]
    else:
        names = [dataset] if conn.execute(sql.HOLDS_DATASET, args).fetchone()[0] else []
    return {
        "nodes_by_kind": dict(by_kind),
        "relations_by_type": dict(by_type),
        "relations_by_target": dict(by_target),
        "datasets": names,
    }
