"""A block's 善治朋友圈 (good-governance circle of friends), defined once.

**Members.** The members of a block's circle are the actors — ``Org`` or ``Person`` nodes — with a
``PARTNERS`` relation to the block grid (``Grid`` of level ``block``): merchants, two-new
organisations, stationed units, volunteer teams, people. The model lets ``PARTNERS`` point only at
an ``Org``, ``Person`` or ``Grid``, so the block grid stands for the block (its ``Place`` cannot be
partnered). The block's own party organisations and its workstation are its governance, not its
partners, and are left out unless ``include_own=True``: an ``Org`` is the block's own when its
kind is one of :data:`OWN_KINDS` (the party kinds and ``workstation``) and it — or an
organisation it is ``PART_OF``, any depth — ``LEADS`` or ``SERVES`` the block grid or a grid
``PART_OF`` it (any depth). A party organisation of a stationed unit, or another block's, stays.

**Ties.** Two members are tied when they are linked in any of these ways, each counted once:

* they ``PARTNERS`` each other (either direction, however many such relations: one link);
* they take part in the same ``Project`` — ``PARTICIPATES_IN`` it or ``LEADS`` it (one link per
  shared project);
* they share a post holder — a ``Person`` who ``HOLDS`` a post in, or is ``MEMBER_OF``, both
  organisations (one link per person). A member who is a person counts as their own post holder,
  so a volunteer who holds a post in a member organisation is tied to it.

The **weight** of a tie is its number of links. Validity dates are not considered: the circle is
of everything the graph holds.

Both stores build it: the embedded store straight from its networkx graph, Neo4j with the single
query ``shanzhi/cypher/circle.cypher``; both give the same :class:`Circle`.

>>> c = Circle(CircleNode("d:K", "K", "示例街区", "Grid", "block"))
>>> c.add_member(CircleNode("d:a", "a", "甲商户", "Org", "merchant"))
>>> c.add_member(CircleNode("d:b", "b", "乙公司", "Org", "new_economic_org"))
>>> c.add_link("d:a", "d:b", "project", "d:J1")
>>> c.add_link("d:b", "d:a", "partners")
>>> c.tie("d:a", "d:b").weight, sorted(c.graph().edges(data="weight"))
(2, [('d:a', 'd:b', 2)])
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import networkx as nx

from shanzhi.errors import AmbiguousError, NotFoundError, UsageError
from shanzhi.graph.model import GridLevel, Label, OrgKind, RelType

__all__ = [
    "GOVERN_RELS",
    "HOLDER_RELS",
    "OWN_KINDS",
    "PROJECT_RELS",
    "Circle",
    "CircleNode",
    "Tie",
    "circle_from_graph",
    "circles",
    "circles_from_graph",
    "circles_from_rows",
]

#: Kinds of organisation that are the block's own (its party organisations and workstation).
OWN_KINDS: frozenset[OrgKind] = frozenset(
    {kind for kind in OrgKind if kind.is_party} | {OrgKind.WORKSTATION}
)
#: Relations by which an actor takes part in a project.
PROJECT_RELS: frozenset[RelType] = frozenset({RelType.PARTICIPATES_IN, RelType.LEADS})
#: Relations by which a person holds a post in (or belongs to) an organisation.
HOLDER_RELS: frozenset[RelType] = frozenset({RelType.HOLDS, RelType.MEMBER_OF})
#: Relations by which an organisation governs a grid (what makes a party body the block's own).
GOVERN_RELS: frozenset[RelType] = frozenset({RelType.LEADS, RelType.SERVES})


@dataclass(frozen=True, order=True)
class CircleNode:
    """A block, a member, a project or a post holder: uid, id, name, label and kind."""

    uid: str
    id: str
    name: str
    label: str
    kind: str | None = None

    def ref(self) -> dict[str, str]:
        """``{"id", "name"}`` as the JSON output shows it."""
        return {"id": self.id, "name": self.name}


@dataclass
class Tie:
    """The links between two members ``a`` < ``b`` (uids); ``weight`` counts them."""

    a: str
    b: str
    partners: bool = False
    projects: set[str] = field(default_factory=set)
    holders: set[str] = field(default_factory=set)

    @property
    def weight(self) -> int:
        """How many links the two members share."""
        return int(self.partners) + len(self.projects) + len(self.holders)

    def other(self, uid: str) -> str:
        """The member at the other end from ``uid``."""
        return self.b if uid == self.a else self.a


@dataclass
class Circle:
    """One block's circle: its members (by uid), their ties, and names of what links them."""

    block: CircleNode
    members: dict[str, CircleNode] = field(default_factory=dict)
    ties: dict[tuple[str, str], Tie] = field(default_factory=dict)
    through: dict[str, CircleNode] = field(default_factory=dict)

    def add_member(self, member: CircleNode) -> None:
        """Add a member (idempotent)."""
        self.members[member.uid] = member

    def add_link(self, a: str, b: str, via: str, through: str | None = None) -> None:
        """Record one link between two members: ``partners``, or a ``project``/``holder`` uid."""
        if a == b or a not in self.members or b not in self.members:
            return
        key = (a, b) if a < b else (b, a)
        tie = self.ties.setdefault(key, Tie(*key))
        if via == "partners":
            tie.partners = True
        elif via == "project" and through is not None:
            tie.projects.add(through)
        elif via == "holder" and through is not None:
            tie.holders.add(through)
        else:
            raise ValueError(f"unknown link {via!r} through {through!r}")

    def tie(self, a: str, b: str) -> Tie | None:
        """The tie between two members, if any."""
        return self.ties.get((a, b) if a < b else (b, a))

    def ties_of(self, uid: str) -> list[Tie]:
        """Every tie of one member, heaviest first."""
        found = [t for t in self.ties.values() if uid in (t.a, t.b)]
        return sorted(found, key=lambda t: (-t.weight, t.other(uid)))

    def graph(self) -> nx.Graph:
        """The weighted, undirected circle graph, nodes and edges inserted in uid order.

        The fixed order makes every algorithm (and its floating-point sums) run the same way
        whichever store built the circle.
        """
        g = nx.Graph()
        g.add_nodes_from(sorted(self.members))
        g.add_weighted_edges_from(
            (a, b, tie.weight) for (a, b), tie in sorted(self.ties.items()) if tie.weight
        )
        return g

    def as_dict(self) -> dict[str, Any]:
        """Plain data (for comparing the two stores' circles in tests)."""
        return {
            "block": self.block.uid,
            "members": sorted(self.members),
            "ties": {
                f"{a}~{b}": {
                    "weight": t.weight,
                    "partners": t.partners,
                    "projects": sorted(t.projects),
                    "holders": sorted(t.holders),
                }
                for (a, b), t in sorted(self.ties.items())
            },
        }


# -- the embedded store: straight from its networkx graph ----------------------------------------
def _node(g: nx.MultiDiGraph, uid: str) -> CircleNode:
    d = g.nodes[uid]
    kind = d.get("level", d.get("kind"))
    return CircleNode(
        uid, str(d.get("id", uid)), str(d.get("name", uid)), str(d["label"]), kind and str(kind)
    )


def _grids_under(g: nx.MultiDiGraph, block: str) -> set[str]:
    """The block grid and every grid PART_OF it, any depth."""
    seen, todo = {block}, [block]
    while todo:
        for s, _, d in g.in_edges(todo.pop(), data=True):
            if d["type"] == RelType.PART_OF and s not in seen and g.nodes[s]["label"] == Label.GRID:
                seen.add(s)
                todo.append(s)
    return seen


def _is_own(g: nx.MultiDiGraph, org: str, under_block: set[str]) -> bool:
    """True if ``org`` is of an own kind and it (or an org it is PART_OF) governs a block grid."""
    if g.nodes[org]["label"] != Label.ORG or g.nodes[org].get("kind") not in OWN_KINDS:
        return False
    seen, todo = {org}, [org]
    while todo:
        for _, t, d in g.out_edges(todo.pop(), data=True):
            if d["type"] in GOVERN_RELS and t in under_block:
                return True
            if d["type"] == RelType.PART_OF and t not in seen and g.nodes[t]["label"] == Label.ORG:
                seen.add(t)
                todo.append(t)
    return False


def circle_from_graph(g: nx.MultiDiGraph, block: str, include_own: bool = False) -> Circle:
    """The circle of the block grid ``block`` (a uid) in a graph of the embedded shape."""
    circle = Circle(_node(g, block))
    under = _grids_under(g, block)
    for s, _, d in g.in_edges(block, data=True):
        if d["type"] != RelType.PARTNERS or g.nodes[s]["label"] not in (Label.ORG, Label.PERSON):
            continue
        if include_own or not _is_own(g, s, under):
            circle.add_member(_node(g, s))
    by_project: dict[str, set[str]] = defaultdict(set)
    by_holder: dict[str, set[str]] = defaultdict(set)
    for m, member in circle.members.items():
        for _, t, d in g.out_edges(m, data=True):
            if d["type"] == RelType.PARTNERS:
                circle.add_link(m, t, "partners")
            elif d["type"] in PROJECT_RELS and g.nodes[t]["label"] == Label.PROJECT:
                by_project[t].add(m)
        if member.label == Label.PERSON:
            by_holder[m].add(m)
        for s, _, d in g.in_edges(m, data=True):
            if d["type"] in HOLDER_RELS and g.nodes[s]["label"] == Label.PERSON:
                by_holder[s].add(m)
    for via, groups in (("project", by_project), ("holder", by_holder)):
        for through, ms in groups.items():
            if len(ms) > 1:
                circle.through[through] = _node(g, through)
            for a, b in combinations(sorted(ms), 2):
                circle.add_link(a, b, via, through)
    return circle


def _blocks_in_graph(g: nx.MultiDiGraph) -> list[CircleNode]:
    return [
        _node(g, u)
        for u, d in g.nodes(data=True)
        if d["label"] == Label.GRID and d.get("level") == GridLevel.BLOCK
    ]


def circles_from_graph(
    g: nx.MultiDiGraph, block: str | None = None, include_own: bool = False
) -> list[Circle]:
    """The circles of every block grid in the graph, or of the one ``block`` names."""
    chosen = _choose(_blocks_in_graph(g), block)
    return [circle_from_graph(g, b.uid, include_own) for b in chosen]


# -- Neo4j: one query ------------------------------------------------------------------------
def circles_from_rows(rows: Iterable[dict[str, Any]]) -> list[Circle]:
    """Circles from the rows of ``circle.cypher`` (one row per block)."""
    out = []
    for row in rows:
        circle = Circle(CircleNode(**row["block"]))
        for m in row["members"]:
            circle.add_member(CircleNode(**m))
        for link in row["links"]:
            if link["through"] is not None:
                circle.through[link["through"]["uid"]] = CircleNode(**link["through"])
            through_uid = link["through"]["uid"] if link["through"] else None
            circle.add_link(link["a"], link["b"], link["via"], through_uid)
        out.append(circle)
    return out


def _own_kinds_param(include_own: bool) -> list[str]:
    return [] if include_own else sorted(k.value for k in OWN_KINDS)


def _neo4j_circles(store: Any, block: str | None, include_own: bool) -> list[Circle]:
    params = {"block": block and block.strip(), "own_kinds": _own_kinds_param(include_own)}
    found = circles_from_rows(store.run_read_query("circle", params))
    if block is None:
        return sorted(found, key=lambda c: (c.block.id, c.block.uid))
    by_uid = {c.block.uid: c for c in found}
    if not found:  # only to suggest names: every block's circle, on this error path alone
        every = circles_from_rows(store.run_read_query("circle", {**params, "block": None}))
        _choose([c.block for c in every], block)
    return [by_uid[b.uid] for b in _choose([c.block for c in found], block)]


# -- choosing blocks -------------------------------------------------------------------------
def _choose(blocks: list[CircleNode], wanted: str | None) -> list[CircleNode]:
    """Every block (by id), or the one whose uid, id or name is ``wanted``."""
    blocks = sorted(blocks, key=lambda b: (b.id, b.uid))
    if wanted is None:
        return blocks
    text = wanted.strip()
    if not text:
        raise UsageError("--block needs a block grid id or name.")
    for attr in ("uid", "id", "name"):
        hits = [b for b in blocks if getattr(b, attr) == text]
        if len(hits) == 1:
            return hits
        if hits:
            raise AmbiguousError(
                f"{len(hits)} block grids are called {text!r}; give the uid.",
                [{"id": b.uid, "name": b.name} for b in hits],
            )
    close = [b for b in blocks if text in b.name or text in b.id or b.name in text]
    raise NotFoundError(
        f"no block grid {text!r}; `shanzhi centrality` without --block lists them all.",
        [f"{b.id} {b.name}" for b in (close or blocks)][:5],
    )


def circles(store: Any, block: str | None = None, include_own: bool = False) -> list[Circle]:
    """The circle of every block (by block id), or of the block whose id, uid or name is ``block``.

    Raises :class:`NotFoundError` (with suggestions) or :class:`AmbiguousError` for a bad
    ``block``.
    """
    if store.kind == "neo4j":
        return _neo4j_circles(store, block, include_own)
    return circles_from_graph(store.graph, block, include_own)
