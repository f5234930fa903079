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

Both stores give the same rows (``store.circle_rows``; Neo4j with the single query
``shanzhi/cypher/circle.cypher``), from which :func:`circles_from_rows` builds each :class:`Circle`.

>>> c = Circle(CircleNode("d:K", "K", "示例街区", "Grid", "block"))
>>> c.add_member(CircleNode("d:a", "a", "甲商户", "Org", "merchant"))
>>> c.add_member(CircleNode("d:b", "b", "乙公司", "Org", "new_economic_org"))
>>> c.add_link("d:a", "d:b", "project", "d:J1")
>>> c.add_link("d:b", "d:a", "partners")
>>> c.tie("d:a", "d:b").weight, sorted(c.graph().edges(data="weight"))
(2, [('d:a', 'd:b', 2)])
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from shanzhi.errors import AmbiguousError, NotFoundError, UsageError
from shanzhi.graph.model.rules import GOVERN_RELS, HOLDER_RELS, OWN_KINDS, PROJECT_RELS
from shanzhi.graph.stores.interface import CircleRow, GraphStore

__all__ = [
    "GOVERN_RELS",
    "HOLDER_RELS",
    "OWN_KINDS",
    "PROJECT_RELS",
    "Circle",
    "CircleNode",
    "Tie",
    "circles",
    "circles_from_rows",
]


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


# -- from the store's rows -------------------------------------------------------------------
def circles_from_rows(rows: Iterable[CircleRow]) -> list[Circle]:
    """Circles from the rows of ``store.circle_rows`` (``circle.cypher``: one row per block)."""
    out = []
    for row in rows:
        circle = Circle(CircleNode(**row["block"]))
        for m in row["members"]:
            circle.add_member(CircleNode(**m))
        for link in row["links"]:
            through = link["through"]
            if through is not None:
                circle.through[through["uid"]] = CircleNode(**through)
            circle.add_link(link["a"], link["b"], link["via"], through and through["uid"])
        out.append(circle)
    return out


def _own_kinds_param(include_own: bool) -> list[str]:
    return [] if include_own else sorted(k.value for k in OWN_KINDS)


def _from_store(store: GraphStore, block: str | None, include_own: bool) -> list[Circle]:
    own = _own_kinds_param(include_own)
    found = circles_from_rows(store.circle_rows(block, own))
    if block is None:
        return sorted(found, key=lambda c: (c.block.id, c.block.uid))
    by_uid = {c.block.uid: c for c in found}
    if not found:  # only to suggest names: every block's circle, on this error path alone
        every = circles_from_rows(store.circle_rows(None, own))
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


def circles(store: GraphStore, block: str | None = None, include_own: bool = False) -> list[Circle]:
    """The circle of every block (by block id), or of the block whose id, uid or name is ``block``.

    Raises :class:`NotFoundError` (with suggestions) or :class:`AmbiguousError` for a bad
    ``block``.
    """
    return _from_store(store, block, include_own)
